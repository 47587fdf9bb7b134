"""Query parameters read by hand, so a bad value gets a one-line message saying what to
give (FastAPI's own validation answers in its JSON shape, which is no use on a page)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pathways.numbers import plain
from pathways.web.site import WebError

MAX_VALUE_LENGTH = 500  # characters of one parameter value


if TYPE_CHECKING:
    from starlette.datastructures import QueryParams as Params
else:
    Params = Any


def text(params: Params, name: str) -> str | None:
    """A parameter's value, trimmed; an empty value is as good as none."""
    value = params.get(name)
    if value is None:
        return None
    if len(value) > MAX_VALUE_LENGTH:
        raise WebError(f"the value of {name} is {len(value)} characters long",
                       status=414, hint=f"give at most {MAX_VALUE_LENGTH} characters")
    value = value.strip()
    return value or None


def number(params: Params, name: str, label: str, *, low: float = 0,
           high: float = 10**9, integer: bool = False, default: float | None = None
           ) -> float | None:
    """A finite number from ``low`` to ``high`` (a whole one with ``integer``), or the
    default when the parameter is absent or empty; ``$`` and thousands commas are allowed.
    The message is :func:`pathways.numbers.problem`'s, its advice the hint."""
    from pathways.numbers import problem

    raw = text(params, name)
    if raw is None:
        return default
    cleaned = raw.replace(",", "").replace("$", "").replace(" ", "")
    try:
        value: object = float(cleaned)
    except ValueError:
        value = raw
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    message = problem(shown, label, low=low, high=high, integer=integer)
    if message is not None:
        what, _, hint = message.rpartition("; ")
        raise WebError(what, hint=hint)
    assert isinstance(value, float)
    return value


def whole(params: Params, name: str, label: str, *, low: int = 0, high: int = 10**6,
          default: int | None = None) -> int | None:
    value = number(params, name, label, low=low, high=high, integer=True, default=default)
    return None if value is None else int(value)


def choice(params: Params, name: str, label: str, choices: Sequence[str],
           default: str | None = None) -> str | None:
    raw = text(params, name)
    if raw is None:
        return default
    if raw not in choices:
        raise WebError(f"{label} {raw!r} is not one of the choices",
                       hint="choose one of " + ", ".join(choices))
    return raw


def choices(params: Params, name: str, label: str, allowed: Sequence[str]) -> list[str]:
    out = []
    for raw in id_list(params, name):
        if raw not in allowed:
            raise WebError(f"{label} {raw!r} is not one of the choices",
                           hint="choose from " + ", ".join(allowed))
        out.append(raw)
    return out


def id_list(params: Params, name: str, limit: int = 200) -> list[str]:
    """Ids from ``name=A&name=B`` or ``name=A,B``, in order, once each."""
    out: list[str] = []
    for value in params.getlist(name):
        if len(value) > 20 * MAX_VALUE_LENGTH:
            raise WebError(f"the value of {name} is too long", status=414,
                           hint="give fewer ids")
        for part in value.replace("\n", ",").split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    if len(out) > limit:
        raise WebError(f"{len(out)} values of {name} given", status=413,
                       hint=f"give at most {limit}")
    return out


def flag(params: Params, name: str, default: bool = False) -> bool:
    raw = text(params, name)
    if raw is None:
        return default
    return raw.casefold() in ("1", "on", "true", "yes")


def day(params: Params, name: str, label: str) -> dt.date | None:
    """A date given as YYYY-MM-DD (what a date field sends), in the years 2000 to 2099."""
    raw = text(params, name)
    if raw is None:
        return None
    try:
        value = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise WebError(f"{label} {raw!r} is not a date", hint="give it as YYYY-MM-DD, "
                       "e.g. 2027-02-01")
    if not 2000 <= value.year <= 2099:
        raise WebError(f"{label} {raw} is not between 2000 and 2099",
                       hint="give a date in this century")
    return value


def query(pairs: Mapping[str, Any]) -> str:
    """A query string of the non-empty values (lists repeat their key), in the given order."""
    return urlencode(items(pairs))


def items(pairs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (name, value) pairs of :func:`query`: what a form's hidden fields carry."""
    items: list[tuple[str, str]] = []
    for key, value in pairs.items():
        if value is None or value == "" or value is False:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            values = sorted(value) if isinstance(value, (set, frozenset)) else value
            items += [(key, str(v)) for v in values]
        elif value is True:
            items.append((key, "1"))
        else:
            items.append((key, plain(value) if isinstance(value, float) else str(value)))
    return items


def grants(params: Params, name: str, label: str) -> dict[str, float]:
    """Credits granted by recognition of prior learning: ``ID=CREDITS, ID=CREDITS`` (as
    `pathways route --rpl`), in order; a part that is not ID=CREDITS with a finite number,
    or an id given twice, gets a one-line message. The library checks the ids and amounts
    against the catalog."""
    out: dict[str, float] = {}
    for value in params.getlist(name):
        if len(value) > MAX_VALUE_LENGTH:
            raise WebError(f"the value of {name} is {len(value)} characters long",
                           status=414, hint=f"give at most {MAX_VALUE_LENGTH} characters")
        for part in value.replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            cid, eq, amount = part.rpartition("=")
            cid = cid.strip()
            try:
                credits = float(amount.strip())
            except ValueError:
                credits = float("nan")
            if not eq or not cid or not math.isfinite(credits):
                raise WebError(f"{label} {part!r} is not ID=CREDITS",
                               hint="give e.g. DATA701=7.5, several separated by commas")
            if cid in out:
                raise WebError(f"{label} for {cid} is given twice", hint="give each id once")
            out[cid] = int(credits) if credits.is_integer() else credits
    return out


def grants_text(grants: Mapping[str, float]) -> str:
    """The inverse of :func:`grants`: ``A=5, B=7.5``."""
    return ", ".join(f"{cid}={n:g}" for cid, n in grants.items())
