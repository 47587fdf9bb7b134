"""The JSON catalog format (catalog-format.md's reference form): read and write, losslessly.

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
from collections.abc import Sequence
from typing import Any

from pathways.catalog import (
    DELIVERY_MODES,
    FRAMEWORKS,
    KINDS,
    STATUSES,
    SYSTEM_TYPES,
    Catalog,
    Credential,
    Credits,
    CreditUnit,
    Provider,
    Rule,
    Stacking,
    Term,
    credit_value,
    is_half_multiple,
)
from pathways.errors import CatalogError, Problem
from pathways.formats.calendar_fields import CalendarFields
from pathways.formats.messages import (  # noqa: F401  (re-exported: the CSV reader's too)
    date_message,
    enum_message,
    nearest,
    plain_number,
    unknown_name_message,
)
from pathways.numbers import problem as number_problem
from pathways.vocabulary import ANY_QUALIFICATION_TYPES

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "CREDENTIAL_KEYS", "parse_json", "dump_json",
    "catalog_dict", "credential_to_dict", "MAX_UNIT_HOURS", "credit_unit_problem",
]

FORMAT_NAME = "pathways-catalog"
FORMAT_VERSION = 1

# Credential keys in the order of catalog-format.md's example, then our extensions.
CREDENTIAL_KEYS = (
    "id", "title", "kind", "type", "level", "credits", "provider", "fee", "hours",
    "delivery", "status", "review_due", "field", "skills", "requires", "max_recognised",
    "core", "level_profile", "corequisites", "strict_corequisites", "term",
    "direct_study", "rules", "code", "framework", "intakes", "duration_weeks",
)
REQUIRED_KEYS = ("id", "title", "kind", "credits")
TOP_KEYS = ("format", "version", "framework", "credit_unit", "name", "system_type", "meta",
            "calendar", "providers", "credentials", "stacking")
PROVIDER_KEYS = ("id", "name", "calendar")
STACKING_KEYS = ("from", "to", "credits")

# The kind of value each credential key holds; both file formats convert by this table.
INT_KEYS = frozenset({"level", "term"})
HALF_KEYS = frozenset({"credits", "max_recognised"})  # multiples of 0.5
NUMBER_KEYS = frozenset({"fee", "hours", "duration_weeks"})
TEXT_KEYS = frozenset({"id", "title", "provider", "field", "code"})
ENUM_KEYS: dict[str, tuple[str, ...]] = {
    "kind": KINDS, "type": ANY_QUALIFICATION_TYPES, "status": STATUSES,
    "framework": FRAMEWORKS,
}
CREDIT_UNIT_KEYS = ("name", "hours")
#: The most hours one credit unit may stand for (a unit of a year's full-time study).
MAX_UNIT_HOURS = 1200
CREDIT_UNIT_FORM = '{"name": "credit point", "hours": 12.5}'


def credit_unit_problem(hours: float) -> str | None:
    """None if ``hours`` can be the hours of one credit unit (more than 0, at most
    :data:`MAX_UNIT_HOURS`), else what is wrong (both file formats say it alike)."""
    return number_problem(hours, "hours per credit unit", high=MAX_UNIT_HOURS,
                          low_open=True)
LIST_KEYS: dict[str, tuple[str, ...] | None] = {  # allowed items, None = any id or word
    "delivery": DELIVERY_MODES, "skills": None, "core": None,
    "corequisites": None, "strict_corequisites": None,
}

HALF_FORM = "a multiple of 0.5 such as 15 or 7.5"
RULE_FORM = ('e.g. {"min": 4, "of": ["P101", "P102"]}, {"max": 1, "of": [...]}, '
             '{"min_credits": 60, "from": [...]} or {"max_credits": 60, "from": [...]}')
_RULE_LIST_KEY = {"min": "of", "max": "of", "min_credits": "from", "max_credits": "from"}

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

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.source}:{path}", message))

    def check_duplicates(self, obj: dict[str, Any], path: str) -> None:
        for key in getattr(obj, "duplicates", ()):
            self.error(path, f'key "{key}" appears more than once')

    def check_keys(self, obj: dict[str, Any], path: str, known: Sequence[str],
                   required: Sequence[str]) -> None:
        self.check_duplicates(obj, path)
        for key in obj:
            if key not in known:
                self.error(path, unknown_name_message("key", key, known))
        for key in required:
            if key not in obj:
                self.error(path, f'missing required key "{key}"')

    # scalar values: each returns the converted value, or None after recording a problem
    def integer(self, value: Any, path: str) -> int | None:
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

    def half(self, value: Any, path: str) -> int | float | None:
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

    def rules(self, value: Any, path: str) -> tuple[Rule, ...]:
        """``rules``: a list of objects, each one rule kind with its list of ids."""
        if not isinstance(value, list):
            self.error(path, f"must be a list of rules, {RULE_FORM}; got {_describe(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            where = _child(path, i)
            if not isinstance(item, dict):
                self.error(where, f"must be a rule object, {RULE_FORM}; got {_describe(item)}")
                continue
            self.check_duplicates(item, where)
            kinds = [k for k in item if k in _RULE_LIST_KEY]
            if len(kinds) != 1:
                self.error(where, "must have exactly one of min, max, min_credits, max_credits; "
                                  f"{RULE_FORM}")
                continue
            kind = kinds[0]
            list_key = _RULE_LIST_KEY[kind]
            known = (kind, list_key, "name")
            before = len(self.problems)
            for key in item:
                if key not in known:
                    self.error(where, unknown_name_message("key", key, known))
            if list_key not in item:
                self.error(where, f'a "{kind}" rule needs its list: "{list_key}": [ids]')
            amount: Any
            if kind in ("min", "max"):
                amount = self.integer(item[kind], _child(where, kind))
            else:
                amount = self.half(item[kind], _child(where, kind))
            ids = self.words(item.get(list_key, []), _child(where, list_key), None)
            name = self.text(item["name"], _child(where, "name")) if "name" in item else None
            if len(self.problems) == before and amount is not None:
                out.append(Rule(kind, amount, ids, name))
        return tuple(out)

    def number(self, value: Any, path: str) -> float | None:
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

    def text(self, value: Any, path: str, *, empty_ok: bool = False) -> str | None:
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

    def enum(self, value: Any, path: str, allowed: Sequence[str]) -> str | None:
        text = self.text(value, path)
        if text is None:
            return None
        message = enum_message(text, allowed)
        if message:
            self.error(path, message)
            return None
        return text

    def date(self, value: Any, path: str) -> str | None:
        text = self.text(value, path)
        if text is None:
            return None
        message = date_message(text)
        if message:
            self.error(path, message)
            return None
        return text

    def words(self, value: Any, path: str, allowed: Sequence[str] | None) -> tuple[str, ...]:
        """A list of non-empty strings (ids, skills or enum values)."""
        if not isinstance(value, list):
            self.error(path, f"must be a list; got {_describe(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if allowed is None:
                word = self.text(item, _child(path, i))
            else:
                word = self.enum(item, _child(path, i), allowed)
            if word is not None:
                out.append(word)
        if allowed is None:
            return tuple(out)
        found = tuple(out)  # a list of enum values (delivery modes): one tuple per distinct
        return self.enum_lists.setdefault(found, found)

    def clauses(self, value: Any, path: str) -> tuple[tuple[str, ...], ...]:
        """``requires``: a list of non-empty lists of ids."""
        if not isinstance(value, list):
            self.error(path, f'must be a list of lists of ids, e.g. [["CERT-IT4", "MC-NETSEC"]]; '
                             f"got {_describe(value)}")
            return ()
        out = []
        for i, clause in enumerate(value):
            where = _child(path, i)
            if not isinstance(clause, list):
                self.error(where, "must be a list of alternative ids, e.g. "
                                  f'["CERT-IT4", "MC-NETSEC"]; got {_describe(clause)}')
                continue
            if not clause:
                self.error(where, "an empty list of alternatives can never be met")
                continue
            out.append(self.words(clause, where, None))
        return tuple(out)

    def profile(self, value: Any, path: str) -> tuple[tuple[int, Credits], ...]:
        """``level_profile``: {"5": 72} -> ((5, 72),)."""
        if not isinstance(value, dict):
            self.error(path, f'must be an object of level: credits, e.g. {{"5": 72}}; '
                             f"got {_describe(value)}")
            return ()
        self.check_duplicates(value, path)
        pairs: list[tuple[int, Credits]] = []
        for key, credits in value.items():
            where = _child(path, key)
            if not _LEVEL_KEY.fullmatch(key) or len(key) > _MAX_DIGITS:
                self.error(where, f'"{clip(key)}" is not a level; keys are level numbers such '
                                  'as "5"')
                continue
            amount = self.half(credits, where)
            if amount is not None:
                pairs.append((int(key), amount))
        return tuple(sorted(pairs))

    # records
    def credential(self, obj: Any, path: str) -> Credential | None:
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, CREDENTIAL_KEYS, REQUIRED_KEYS)
        fields: dict[str, Any] = {}
        for key, value in obj.items():
            if key not in CREDENTIAL_KEYS:
                continue
            where = _child(path, key)
            converted: Any
            if key in INT_KEYS:
                converted = self.integer(value, where)
            elif key in HALF_KEYS:
                converted = self.half(value, where)
            elif key == "direct_study":
                if isinstance(value, bool):
                    converted = value
                else:
                    converted = None
                    self.error(where, f"must be true or false; got {_describe(value)}")
            elif key == "rules":
                converted = self.rules(value, where)
            elif key == "intakes":
                converted = self.intakes(value, where)
            elif key in NUMBER_KEYS:
                converted = self.number(value, where)
            elif key in TEXT_KEYS:
                converted = self.text(value, where, empty_ok=key == "field")
            elif key in ENUM_KEYS:
                converted = self.enum(value, where, ENUM_KEYS[key])
            elif key in LIST_KEYS:
                converted = self.words(value, where, LIST_KEYS[key])
            elif key == "review_due":
                converted = self.date(value, where)
            elif key == "requires":
                converted = self.clauses(value, where)
            else:  # level_profile
                converted = self.profile(value, where)
            fields[key] = converted
        if len(self.problems) > before:
            return None
        return Credential(**fields, source=f"{self.source}:{path}")

    def provider(self, obj: Any, path: str) -> Provider | None:
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, PROVIDER_KEYS, ("id",))
        pid = self.text(obj["id"], _child(path, "id")) if "id" in obj else None
        name = self.text(obj.get("name", ""), _child(path, "name"), empty_ok=True)
        terms = self.terms(obj["calendar"], _child(path, "calendar")) if "calendar" in obj \
            else ()
        if len(self.problems) > before or pid is None or name is None:
            return None
        return Provider(pid, name, source=f"{self.source}:{path}", calendar=terms)

    def stacking(self, obj: Any, path: str) -> Stacking | None:
        if not isinstance(obj, dict):
            self.error(path, f"must be an object; got {_describe(obj)}")
            return None
        before = len(self.problems)
        self.check_keys(obj, path, STACKING_KEYS, STACKING_KEYS)
        src = self.text(obj["from"], _child(path, "from")) if "from" in obj else None
        dst = self.text(obj["to"], _child(path, "to")) if "to" in obj else None
        credits = self.half(obj["credits"], _child(path, "credits")) if "credits" in obj \
            else None
        if len(self.problems) > before or src is None or dst is None or credits is None:
            return None
        return Stacking(src, dst, credits, where=f"{self.source}:{path}")

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
        read = {"providers": self.provider, "credentials": self.credential,
                "stacking": self.stacking}[key]
        found = [read(item, f"$.{key}[{i}]") for i, item in enumerate(value)]
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


# -- writing ----------------------------------------------------------------------------------
def credential_to_dict(c: Credential) -> dict[str, Any]:
    """One credential as its JSON object: keys in the spec's order, empty fields left out."""
    out: dict[str, Any] = {}
    for key in CREDENTIAL_KEYS:
        value = getattr(c, key)
        if value is None or value == ():
            continue
        if key == "requires":
            value = [list(clause) for clause in value]
        elif key == "level_profile":
            value = {str(level): credits for level, credits in value}
        elif key == "rules":
            value = [rule_to_dict(r) for r in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float):
            value = plain_number(value)
        out[key] = value
    return out


def rule_to_dict(r: Rule) -> dict[str, Any]:
    """One rule as its JSON object: ``{"min": 4, "of": [...]}`` (and ``"name"`` if named)."""
    out: dict[str, Any] = {r.kind: plain_number(r.amount), _RULE_LIST_KEY[r.kind]: list(r.ids)}
    if r.name is not None:
        out["name"] = r.name
    return out


def catalog_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as the JSON document's object (keys in the spec's order)."""
    out: dict[str, Any] = {
        "format": FORMAT_NAME, "version": FORMAT_VERSION, "framework": catalog.framework,
    }
    if catalog.credit_unit is not None:
        out["credit_unit"] = {"name": catalog.credit_unit.name,
                              "hours": plain_number(catalog.credit_unit.hours)}
    if catalog.name is not None:
        out["name"] = catalog.name
    if catalog.system_type is not None:
        out["system_type"] = catalog.system_type
    if catalog.meta:
        out["meta"] = dict(sorted(catalog.meta.items()))
    if catalog.calendar:
        out["calendar"] = terms_to_list(catalog.calendar)
    out["providers"] = [provider_to_dict(p) for p in catalog.providers]
    out["credentials"] = [credential_to_dict(c) for c in catalog.credentials]
    out["stacking"] = [{"from": e.source, "to": e.target, "credits": e.credits}
                       for e in catalog.stacking]
    return out


def provider_to_dict(p: Provider) -> dict[str, Any]:
    """One provider as its JSON object (name and calendar only when it has them)."""
    out: dict[str, Any] = {"id": p.id}
    if p.name:
        out["name"] = p.name
    if p.calendar:
        out["calendar"] = terms_to_list(p.calendar)
    return out


def terms_to_list(terms: Sequence[Term]) -> list[dict[str, str]]:
    """A calendar as JSON: terms sorted by start, then name."""
    ordered = sorted(terms, key=lambda t: (t.start, t.term, t.end))
    return [{"term": t.term, "start": t.start, "end": t.end} for t in ordered]


def dump_json(catalog: Catalog) -> str:
    """The catalog as JSON text: deterministic, indent 2, UTF-8 as is, trailing newline."""
    return json.dumps(catalog_dict(catalog), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
