"""Messages both catalog readers (JSON and CSV) give alike, and how a number is written
back: "did you mean", enumerations, dates."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date

__all__ = ["nearest", "unknown_name_message", "enum_message", "date_message", "plain_number"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest in spelling to ``word`` (for "did you mean"), or None."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_name_message(what: str, name: str, known: Sequence[str]) -> str:
    """``unknown key "credit" (did you mean "credits"?)``, or the list of known names."""
    guess = nearest(name, known)
    hint = f'did you mean "{guess}"?' if guess else f"expected one of: {', '.join(known)}"
    return f'unknown {what} "{name}" ({hint})'


def enum_message(value: str, allowed: Sequence[str]) -> str | None:
    """None if ``value`` is one of ``allowed``, else what is wrong and what is allowed."""
    if value in allowed:
        return None
    guess = nearest(value, allowed)
    hint = f' (did you mean "{guess}"?)' if guess else ""
    return f'must be one of {", ".join(allowed)}; got "{value}"{hint}'


def date_message(value: str) -> str | None:
    """None if ``value`` is an ISO date YYYY-MM-DD, else the message."""
    if _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            return f'"{value}" is not a calendar date (write YYYY-MM-DD, e.g. 2027-06-30)'
    return f'must be a date written YYYY-MM-DD (e.g. 2027-06-30); got "{value}"'


def plain_number(value: float) -> int | float:
    """A whole float as an int (9600.0 -> 9600) so files show what a person would type."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
