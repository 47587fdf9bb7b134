"""The JSON catalog format (catalog-format.md's reference form): read (and, through
:mod:`pathways.formats.json_write`, write) losslessly.

Parsing checks the file's shape only (syntax, keys, value types, enums, dates) and
collects every problem before raising one :class:`CatalogError`; what the values mean
(unknown ids, cycles, credit ranges, framework rules) is for :mod:`pathways.rules`.
The field definitions and value checks here are shared by the CSV reader.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from pathways.catalog import (
    FRAMEWORKS,
    SYSTEM_TYPES,
    Catalog,
    Credential,
    Credits,
    CreditUnit,
    Provider,
    Rule,
    Stacking,
    credit_value,
    is_half_multiple,
)
from pathways.errors import CatalogError, Problem
from pathways.formats.calendar_fields import CalendarFields
from pathways.formats.json_keys import (  # noqa: F401  (re-exported: the format's keys)
    CREDENTIAL_KEYS,
    CREDIT_UNIT_FORM,
    CREDIT_UNIT_KEYS,
    ENUM_KEYS,
    FORMAT_NAME,
    FORMAT_VERSION,
    HALF_FORM,
    HALF_KEYS,
    INT_KEYS,
    LIST_KEYS,
    MAX_UNIT_HOURS,
    NUMBER_KEYS,
    PROVIDER_KEYS,
    REQUIRED_KEYS,
    RULE_FORM,
    RULE_LIST_KEY,
    STACKING_KEYS,
    TEXT_KEYS,
    TOP_KEYS,
    credit_unit_problem,
)
from pathways.formats.json_write import (  # noqa: F401  (re-exported: the format's writer)
    catalog_dict,
    credential_to_dict,
    dump_json,
    provider_to_dict,
    rule_to_dict,
    terms_to_list,
)
from pathways.formats.messages import (  # noqa: F401  (re-exported: the CSV reader's too)
    date_message,
    enum_message,
    nearest,
    plain_number,
    unknown_name_message,
)
from pathways.place import Place, places

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "CREDENTIAL_KEYS", "parse_json", "dump_json",
    "catalog_dict", "credential_to_dict", "MAX_UNIT_HOURS", "credit_unit_problem",
]

_LEVEL_KEY = re.compile(r"[0-9]+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTERN_LENGTH = 40  # texts up to this long are interned (titles mostly are not)
_SHARED_VALUES = 1000  # distinct credit figures shared (one int object each)
_SHARED_TRIAL = 10_000  # long texts read before deciding whether they repeat enough
_MAX_DIGITS = 30  # longer integer literals are far out of any bound: not converted


# -- reading ----------------------------------------------------------------------------------
class _Object(dict[str, Any]):
    """A JSON object that remembers which keys appeared more than once."""

    duplicates: list[str]


class _Huge(float):
    """An integer literal too long to convert (Python refuses over 4,300 digits): kept
    as infinity with its digit count, so the reader reports it instead of crashing."""

    digits: int
    text: str


def _parse_int(text: str) -> int | float:
    if len(text) <= _MAX_DIGITS:
        return int(text)
    huge = _Huge("-inf" if text.startswith("-") else "inf")
    huge.digits = len(text.lstrip("-"))
    huge.text = text
    return huge


def _too_large(value: Any) -> str | None:
    if isinstance(value, _Huge):
        return f"a number of {value.digits:,} digits is too large"
    return None


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def clip(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters (with "…") for quoting in a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(value: Any) -> str:
    """A JSON value as a person would recognise it in the file."""
    if isinstance(value, str):
        return f'"{clip(value)}" (text)'
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


#: Where a value is in the document: "$.name", or (the path of its parent, its key or
#: index), a pair made for every value read but written out as text only for a message
#: (:func:`path_text`). A million credentials have some thirty million values.
JsonPath = str | tuple[Any, str | int]


def path_text(path: JsonPath) -> str:
    """``path`` written out: ``$.credentials[3].skills[0]``."""
    if isinstance(path, str):
        return path
    parent, key = path
    return _child(path_text(parent), key)


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.fullmatch(key) and len(key) <= 40:
        return f"{path}.{key}"
    shown = json.dumps(key if len(key) <= 40 else key[:40] + "…", ensure_ascii=False)
    return f"{path}[{shown}]"


class _Reader(CalendarFields):
    """Walks the decoded JSON, converting values and collecting every problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        # Record lists already read item by item (pathways.formats.json_stream), by key,
        # and the problems found in them (reported in turn, as if read here).
        self.read_lists: dict[str, tuple[list[Any], list[Problem]]] = {}
        self.enum_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        # One object per distinct credit figure and per distinct long text (titles) while
        # they repeat: see :meth:`shared`.
        self.credit_values: dict[int, int] = {}
        self.long_texts: dict[str, str] | None = {}
        self.long_seen = 0
        self.convert = self.converters()
        self.place_kinds: dict[str, type[Place]] = {}

    def error(self, path: JsonPath, message: str) -> None:
        self.problems.append(Problem(f"{self.source}:{path_text(path)}", message))

    def check_duplicates(self, obj: dict[str, Any], path: JsonPath) -> None:
        for key in getattr(obj, "duplicates", ()):
            self.error(path, f'key "{key}" appears more than once')

    def check_keys(self, obj: dict[str, Any], path: JsonPath, known: Sequence[str],
                   required: Sequence[str]) -> None:
        self.check_duplicates(obj, path)
        for key in obj:
            if key not in known:
                self.error(path, unknown_name_message("key", key, known))
        for key in required:
            if key not in obj:
                self.error(path, f'missing required key "{key}"')

    # scalar values: each returns the converted value, or None after recording a problem
    def integer(self, value: Any, path: JsonPath) -> int | None:
        if _too_large(value):
            self.error(path, f"must be a whole number; {_too_large(value)}")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a whole number; got {_describe(value)}")
            return None
        if isinstance(value, float):
            if not value.is_integer():
                self.error(path, f"must be a whole number; got {_describe(value)}")
                return None
            return int(value)
        return value

    def half(self, value: Any, path: JsonPath) -> int | float | None:
        """A credit figure: a multiple of 0.5, whole ones as ``int``."""
        if _too_large(value):
            self.error(path, f"must be {HALF_FORM}; {_too_large(value)}")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be {HALF_FORM}; got {_describe(value)}")
            return None
        if isinstance(value, float):
            if not math.isfinite(value) or not is_half_multiple(value):
                self.error(path, f"must be {HALF_FORM}; got {_describe(value)}")
                return None
            return credit_value(value)
        if len(self.credit_values) < _SHARED_VALUES:  # a few figures, millions of times
            return self.credit_values.setdefault(value, value)
        return self.credit_values.get(value, value)

    def rules(self, value: Any, path: JsonPath) -> tuple[Rule, ...]:
        """``rules``: a list of objects, each one rule kind with its list of ids."""
        if not isinstance(value, list):
            self.error(path, f"must be a list of rules, {RULE_FORM}; got {_describe(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            where = (path, i)
            if not isinstance(item, dict):
                self.error(where, f"must be a rule object, {RULE_FORM}; got {_describe(item)}")
                continue
            self.check_duplicates(item, where)
            kinds = [k for k in item if k in RULE_LIST_KEY]
            if len(kinds) != 1:
                self.error(where, "must have exactly one of min, max, min_credits, max_credits; "
                                  f"{RULE_FORM}")
                continue
            kind = kinds[0]
            list_key = RULE_LIST_KEY[kind]
            known = (kind, list_key, "name")
            before = len(self.problems)
            for key in item:
                if key not in known:
                    self.error(where, unknown_name_message("key", key, known))
            if list_key not in item:
                self.error(where, f'a "{kind}" rule needs its list: "{list_key}": [ids]')
            amount: Any
            if kind in ("min", "max"):
                amount = self.integer(item[kind], (where, kind))
            else:
                amount = self.half(item[kind], (where, kind))
            ids = self.words(item.get(list_key, []), (where, list_key), None)
            name = self.text(item["name"], (where, "name")) if "name" in item else None
            if len(self.problems) == before and amount is not None:
                out.append(Rule(kind, amount, ids, name))
        return tuple(out)

    def number(self, value: Any, path: JsonPath) -> float | None:
        if isinstance(value, _Huge) and math.isfinite(float(value.text)):
            value = float(value.text)  # a whole fee of 1e30 is written out in digits
        if _too_large(value):
            self.error(path, f"must be a finite number; {_too_large(value)}")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number; got {_describe(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(path, f"must be a finite number; got {_describe(value)}")
            return None
        return value

    def text(self, value: Any, path: JsonPath, *, empty_ok: bool = False) -> str | None:
        if not isinstance(value, str):
            self.error(path, f"must be text; got {_describe(value)}")
            return None
        if not value and not empty_ok:
            self.error(path, "must not be empty")
            return None
        # One object per distinct id, word or value: a million credentials name the same
        # ids, skills, fields and providers millions of times. Long texts (titles)
        # are shared through this reader while they repeat (not interned for good).
        return sys.intern(value) if len(value) <= _INTERN_LENGTH else self.shared(value)

    def shared(self, text: str) -> str:
        """``text``, or the equal text read before: one object per distinct long text
        while they repeat (a national catalog repeats its titles), given up after
        :data:`_SHARED_TRIAL` long texts when fewer than half of them were repeats (then
        the lookups would only cost memory)."""
        if self.long_texts is None:
            return text
        self.long_seen += 1
        if self.long_seen == _SHARED_TRIAL and 2 * len(self.long_texts) > self.long_seen:
            self.long_texts = None
            return text
        return self.long_texts.setdefault(text, text)

    def enum(self, value: Any, path: JsonPath, allowed: Sequence[str]) -> str | None:
        text = self.text(value, path)
        if text is None:
            return None
        message = enum_message(text, allowed)
        if message:
            self.error(path, message)
            return None
        return text

    def date(self, value: Any, path: JsonPath) -> str | None:
        text = self.text(value, path)
        if text is None:
            return None
        message = date_message(text)
        if message:
            self.error(path, message)
            return None
        return text

    def words(self, value: Any, path: JsonPath, allowed: Sequence[str] | None) -> tuple[str, ...]:
        """A list of non-empty strings (ids, skills or enum values)."""
        if not isinstance(value, list):
            self.error(path, f"must be a list; got {_describe(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if allowed is None:
                word = self.text(item, (path, i))
            else:
                word = self.enum(item, (path, i), allowed)
            if word is not None:
                out.append(word)
        if allowed is None:
            return tuple(out)
        found = tuple(out)  # a list of enum values (delivery modes): one tuple per distinct
        return self.enum_lists.setdefault(found, found)

    def clauses(self, value: Any, path: JsonPath) -> tuple[tuple[str, ...], ...]:
        """``requires``: a list of non-empty lists of ids."""
        if not isinstance(value, list):
            self.error(path, f'must be a list of lists of ids, e.g. [["CERT-IT4", "MC-NETSEC"]]; '
                             f"got {_describe(value)}")
            return ()
        out = []
        for i, clause in enumerate(value):
            where = (path, i)
            if not isinstance(clause, list):
                self.error(where, "must be a list of alternative ids, e.g. "
                                  f'["CERT-IT4", "MC-NETSEC"]; got {_describe(clause)}')
                continue
            if not clause:
                self.error(where, "an empty list of alternatives can never be met")
                continue
            out.append(self.words(clause, where, None))
        return tuple(out)

    def profile(self, value: Any, path: JsonPath) -> tuple[tuple[int, Credits], ...]:
        """``level_profile``: {"5": 72} -> ((5, 72),)."""
        if not isinstance(value, dict):
            self.error(path, f'must be an object of level: credits, e.g. {{"5": 72}}; '
                             f"got {_describe(value)}")
            return ()
        self.check_duplicates(value, path)
        pairs: list[tuple[int, Credits]] = []
        for key, credits in value.items():
            where = (path, key)
            if not _LEVEL_KEY.fullmatch(key) or len(key) > _MAX_DIGITS:
                self.error(where, f'"{clip(key)}" is not a level; keys are level numbers such '
                                  'as "5"')
                continue
            amount = self.half(credits, where)
            if amount is not None:
                pairs.append((int(key), amount))
        return tuple(sorted(pairs))

    # records
    def converters(self) -> dict[str, Callable[[Any, JsonPath], Any]]:
        """Each credential key's reader (value, path) -> the value or None (a problem)."""
        table: dict[str, Callable[[Any, JsonPath], Any]] = {
            "direct_study": self.flag, "rules": self.rules, "intakes": self.intakes,
            "review_due": self.date, "requires": self.clauses, "level_profile": self.profile,
        }
        table.update(dict.fromkeys(INT_KEYS, self.integer))
        table.update(dict.fromkeys(HALF_KEYS, self.half))
        table.update(dict.fromkeys(NUMBER_KEYS, self.number))
        table.update(dict.fromkeys(TEXT_KEYS, self.text))
        table["field"] = partial(self.text, empty_ok=True)
        for key, allowed in ENUM_KEYS.items():
            table[key] = partial(self.enum, allowed=allowed)
        for key, items in LIST_KEYS.items():
            table[key] = partial(self.words, allowed=items)
        return table

    def flag(self, value: Any, path: JsonPath) -> bool | None:
        if isinstance(value, bool):
            return value
        self.error(path, f"must be true or false; got {_describe(value)}")
        return None

    def place(self, key: str, path: JsonPath, index: int | None) -> str | Place:
        """Where record ``index`` of list ``key`` was read (text made when needed), or
        ``path``'s text for a record read on its own."""
        if index is None:
            return f"{self.source}:{path_text(path)}"
        kind = self.place_kinds.get(key)
        if kind is None:
            kind = self.place_kinds[key] = places(f"{self.source}:$.{key}[", "]")
        return kind(index)

    def credential(self, obj: Any, path: JsonPath, index: int | None = None
                   ) -> Credential | None:
        """A credential object at ``path`` (item ``index`` of the credentials list)."""
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, CREDENTIAL_KEYS, REQUIRED_KEYS)
        convert = self.convert
        fields = {key: convert[key](value, (path, key))
                  for key, value in obj.items() if key in convert}
        if len(self.problems) > before:
            return None
        return Credential(**fields, source=self.place("credentials", path, index))

    def provider(self, obj: Any, path: JsonPath, index: int | None = None) -> Provider | None:
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, PROVIDER_KEYS, ("id",))
        pid = self.text(obj["id"], (path, "id")) if "id" in obj else None
        name = self.text(obj.get("name", ""), (path, "name"), empty_ok=True)
        terms = self.terms(obj["calendar"], (path, "calendar")) if "calendar" in obj \
            else ()
        if len(self.problems) > before or pid is None or name is None:
            return None
        return Provider(pid, name, source=self.place("providers", path, index), calendar=terms)

    def stacking(self, obj: Any, path: JsonPath, index: int | None = None) -> Stacking | None:
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, STACKING_KEYS, STACKING_KEYS)
        src = self.text(obj["from"], (path, "from")) if "from" in obj else None
        dst = self.text(obj["to"], (path, "to")) if "to" in obj else None
        credits = self.half(obj["credits"], (path, "credits")) if "credits" in obj \
            else None
        if len(self.problems) > before or src is None or dst is None or credits is None:
            return None
        return Stacking(src, dst, credits, where=self.place("stacking", path, index))

    def record_reader(self, key: str) -> Callable[[Any, int], Any]:
        """Reads item i of the list ``key`` ("providers", "credentials", "stacking"),
        its path kept as a pair and written out only for a message."""
        read = {"providers": self.provider, "credentials": self.credential,
                "stacking": self.stacking}[key]
        path = f"$.{key}"
        return lambda item, i: read(item, (path, i), i)

    def records(self, top: dict[str, Any], key: str) -> list[Any]:
        if key in self.read_lists:
            found, problems = self.read_lists[key]
            self.problems += problems
            return found
        if key not in top:
            return []
        value = top[key]
        if not isinstance(value, list):
            self.error(f"$.{key}", f"must be a list; got {_describe(value)}")
            return []
        read = self.record_reader(key)
        found = [read(item, i) for i, item in enumerate(value)]
        return [r for r in found if r is not None]

    def credit_unit(self, value: Any) -> CreditUnit | None:
        """``credit_unit``: ``{"name": "credit point", "hours": 12.5}``."""
        path = "$.credit_unit"
        if not isinstance(value, dict):
            self.error(path, f"must be an object such as {CREDIT_UNIT_FORM}; got "
                             f"{_describe(value)}")
            return None
        before = len(self.problems)
        self.check_keys(value, path, CREDIT_UNIT_KEYS, CREDIT_UNIT_KEYS)
        name = self.text(value["name"], f"{path}.name") if "name" in value else None
        hours = self.number(value["hours"], f"{path}.hours") if "hours" in value else None
        if hours is not None:
            message = credit_unit_problem(hours)
            if message:
                self.error(f"{path}.hours", message)
        if len(self.problems) > before or name is None or hours is None:
            return None
        return CreditUnit(name, hours)

    def catalog(self, top: Any, framework: str | None) -> Catalog:
        if not isinstance(top, dict):
            self.error("$", f'must be a JSON object with "format": "{FORMAT_NAME}"; '
                            f"got {_describe(top)}")
            return Catalog()
        self.check_keys(top, "$", TOP_KEYS, ("format", "version"))
        if "format" in top and top["format"] != FORMAT_NAME:
            self.error("$.format", f'must be "{FORMAT_NAME}"; got {_describe(top["format"])}')
        if "version" in top and (type(top["version"]) is not int
                                 or top["version"] != FORMAT_VERSION):
            self.error("$.version", f"unsupported version {_describe(top['version'])}; "
                                    f"this pathways reads version {FORMAT_VERSION}")
        found_framework = "nzqf"
        if "framework" in top:
            found_framework = self.enum(top["framework"], "$.framework", FRAMEWORKS) or "nzqf"
        credit_unit = self.credit_unit(top["credit_unit"]) if "credit_unit" in top else None
        name = self.text(top["name"], "$.name", empty_ok=True) if "name" in top else None
        system_type = None
        if "system_type" in top:
            system_type = self.enum(top["system_type"], "$.system_type", SYSTEM_TYPES)
        meta: dict[str, str] = {}
        if "meta" in top:
            raw = top["meta"]
            if isinstance(raw, dict):
                self.check_duplicates(raw, "$.meta")
                for key, value in raw.items():
                    text = self.text(value, _child("$.meta", key), empty_ok=True)
                    if text is not None:
                        meta[key] = text
            else:
                self.error("$.meta", f"must be an object of text values; got {_describe(raw)}")
        calendar = self.terms(top["calendar"], "$.calendar") if "calendar" in top else ()
        return Catalog(
            calendar=calendar,
            providers=self.records(top, "providers"),
            credentials=self.records(top, "credentials"),
            stacking=self.records(top, "stacking"),
            framework=framework if framework is not None else found_framework,
            credit_unit=credit_unit,
            name=name,
            system_type=system_type,
            meta=meta,
        )


def parse_json(text: str, *, source: str = "<string>", framework: str | None = None) -> Catalog:
    """Read a JSON catalog; raise one :class:`CatalogError` listing every shape problem."""
    try:
        top = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_object_pairs,
                         parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise CatalogError([Problem(f"{source}:{e.lineno}:{e.colno}",
                                    f"not valid JSON: {e.msg}")]) from None
    except RecursionError:
        raise CatalogError([Problem(source, "not valid JSON: nested too deeply")]) from None
    reader = _Reader(source)
    catalog = reader.catalog(top, framework)
    if reader.problems:
        raise CatalogError(reader.problems)
    catalog.source = source
    return catalog
