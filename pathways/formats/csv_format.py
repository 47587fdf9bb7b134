"""The spreadsheet (CSV) catalog format: one row per credential, columns named as the JSON keys.

List-valued cells are written so a person can type them (``CERT-IT4:15; DIP-IT5:20``,
``A | B; C``, ``5:72; 6:40``). Excel's habits are accepted: a byte-order mark, ``\\r\\n``
or bare ``\\r`` line ends, blank rows and columns, cells padded with spaces. Like the
JSON reader, this checks shape only and reports every problem as ``FILE:LINE``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from pathways.calendar import intake_problem
from pathways.catalog import (
    Catalog,
    Credential,
    CreditUnit,
    Provider,
    Rule,
    Stacking,
    Term,
    credit_value,
    sorted_terms,
)
from pathways.errors import CatalogError, Problem
from pathways.formats.cells import (  # noqa: F401  (re-exported: curricular.py, safetext.py)
    _MAX_DIGITS,
    _split,
    _too_long,
    guard,
    half_number,
    is_number,
    too_long,
    unguard,
    whole_number,
)
from pathways.formats.json_format import (
    CREDENTIAL_KEYS,
    ENUM_KEYS,
    HALF_FORM,
    HALF_KEYS,
    INT_KEYS,
    LIST_KEYS,
    NUMBER_KEYS,
    REQUIRED_KEYS,
    TEXT_KEYS,
    credit_unit_problem,
    date_message,
    enum_message,
    plain_number,
    unknown_name_message,
)
from pathways.place import Place, places
from pathways.vocabulary import FRAMEWORKS, SYSTEM_TYPES

__all__ = ["COLUMNS", "parse_csv", "dump_csv", "parse_rules_cell", "read_rows",
           "whole_number", "is_number", "too_long"]

# The writer's column order; a reader accepts them in any order.
COLUMNS = (
    "id", "title", "kind", "type", "level", "credits", "provider", "provider_name", "fee",
    "hours", "delivery", "status", "review_due", "field", "skills", "requires",
    "max_recognised", "core", "level_profile", "stacks_into", "corequisites",
    "strict_corequisites", "term", "direct_study", "rules", "code", "framework", "intakes",
    "duration_weeks",
)
ALWAYS_WRITTEN = ("id", "title", "kind", "level", "credits")

_RULE = re.compile(r"(?:(?P<name>.+?):\s+)?(?P<kind>min_credits|max_credits|min|max)\s+"
                   r"(?P<amount>\S+)\s+(?P<word>of|from)\s+(?P<ids>.+)", re.DOTALL)
_RULES_FORM = ('write e.g. "min 4 of P101 | P102 | P103; min_credits 60 from P301 | P302; '
               'max 1 of P201 | P202" (a list may be named: "Year 2: min 2 of A | B | C")')
_STACKS_FORM = 'write TARGET:CREDITS, e.g. "DIP-IT5:20; CERT-IT4:15"'
_PROFILE_FORM = 'write LEVEL:CREDITS, e.g. "5:72; 6:40"'


def read_rows(text: str | Iterable[str], source: str,
              problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the physical line (1-based) it starts on, cells stripped.

    ``text`` is the file's text, or the file opened as text with ``newline=""`` (then
    read a line at a time). Bare ``\\r`` line ends are read like ``\\n``; a cell quoted
    across lines counts from its first line. A quoting mistake ends the rows and adds a
    problem naming its line.
    """
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="") if isinstance(text, str) \
        else text
    reader = csv.reader(lines, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.append(Problem(f"{source}:{start}", f"not valid CSV: {e}"))
            return
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield start, cells
        start = reader.line_num + 1


_DIRECTIVES = ("#framework", "#credit_unit", "#name", "#system_type", "#meta", "#provider",
               "#term")
_TERM_ROW_FORM = ('write "#term,T1,2027-02-22,2027-06-11" (name, start, end) and, for a '
                  'provider\'s own calendar, its id after the end: "...,2027-06-11,north"')


def parse_rules_cell(text: str, where: str = "") -> tuple[Rule, ...]:
    """A ``rules`` cell (``min 4 of A | B; max_credits 60 from C | D``) as rules; raises
    :class:`CatalogError` naming ``where`` for one that is not a rule."""
    problems: list[Problem] = []
    found = _RowReader(where, problems).rules("rules", text) if text else ()
    if problems or found is None:
        raise CatalogError(problems)
    return found


class _RowReader:
    """Converts one row's cells into Credential fields, recording problems."""

    def __init__(self, where: str | Place, problems: list[Problem]) -> None:
        self.where = where
        self.problems = problems

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(str(self.where), f"column {column}: {message}"))

    def integer(self, column: str, text: str) -> int | None:
        value = whole_number(text)
        self._unless(value, column, text, "a whole number")
        return value

    def half(self, column: str, text: str) -> int | float | None:
        value = half_number(text)
        self._unless(value, column, text, HALF_FORM)
        return value

    def _unless(self, value: object, column: str, text: str, form: str) -> None:
        """Record why ``text`` is not ``form`` when it did not convert (``value`` None)."""
        if value is None and _too_long(text):
            self.error(column, f"must be {form}; a number of {len(text):,} characters is "
                               "too large")
        elif value is None:
            self.error(column, f'must be {form}; got "{text}"')

    def rules(self, column: str, text: str) -> tuple[Rule, ...] | None:
        """``min 4 of A | B; min_credits 60 from C | D`` -> rules."""
        out = []
        ok = True
        for item in _split(text, ";"):
            m = _RULE.fullmatch(item)
            word = {"min": "of", "max": "of"}.get(m["kind"], "from") if m else None
            if m is None or m["word"] != word:
                self.error(column, f'"{item}" is not a rule; {_RULES_FORM}')
                ok = False
                continue
            amount: int | float | None
            if m["kind"] in ("min", "max"):
                amount = whole_number(m["amount"])
            else:
                amount = half_number(m["amount"])
            ids = tuple(_split(m["ids"], "|"))
            if amount is None or not ids:
                what = "a whole number" if m["kind"] in ("min", "max") else HALF_FORM
                self.error(column, f'"{item}": "{m["amount"]}" must be {what}; {_RULES_FORM}')
                ok = False
                continue
            out.append(Rule(m["kind"], amount, ids, m["name"]))
        return tuple(out) if ok else None

    def number(self, column: str, text: str) -> float | None:
        if not is_number(text):
            self.error(column, f'must be a number such as 9600 or 640.50; got "{text}"')
            return None
        if "." not in text and "e" not in text.lower() and len(text) <= _MAX_DIGITS:
            return int(text)
        value = float(text)
        if math.isinf(value):
            self.error(column, f'"{text}" is too large')
            return None
        return value

    def pairs(self, column: str, text: str, form: str,
              left_is_int: bool) -> list[tuple[str, int | float]]:
        """``A:1; B:2`` -> [("A", 1), ("B", 2)]; the left side is an id or a level."""
        out = []
        for item in _split(text, ";"):
            left, colon, right = item.rpartition(":")
            left, right = left.strip(), right.strip()
            if not colon:
                self.error(column, f'"{item}" has no ":CREDITS"; {form}')
            elif not left:
                what = "level" if left_is_int else "target id"
                self.error(column, f'"{item}" has no {what} before ":"; {form}')
            elif not right:
                self.error(column, f'"{item}" has no credits after ":"; {form}')
            elif _too_long(right) or _too_long(left):
                self.error(column, f'"{item[:40]}…": a number of more than {_MAX_DIGITS} digits '
                                   f"is too large; {form}")
            elif half_number(right) is None:
                self.error(column, f'"{item}": credits "{right}" is not a multiple of 0.5; '
                                   f"{form}")
            elif left_is_int and whole_number(left) is None:
                self.error(column, f'"{item}": level "{left}" is not a whole number; {form}')
            else:
                out.append((left, half_number(right) or 0))
        return out

    def value(self, column: str, text: str) -> Any:
        """The typed value of a non-empty cell, or None after recording a problem."""
        if column in INT_KEYS:
            return self.integer(column, text)
        if column in HALF_KEYS:
            return self.half(column, text)
        if column == "direct_study":
            if text.lower() in ("yes", "no"):
                return text.lower() == "yes"
            self.error(column, f'must be yes or no (empty = yes); got "{text}"')
            return None
        if column == "rules":
            return self.rules(column, text)
        if column == "intakes":
            items = _split(text, ";")
            bad = list(filter(None, map(intake_problem, items)))
            for message in bad:
                self.error(column, message)
            return None if bad else tuple(dict.fromkeys(items))
        if column in NUMBER_KEYS:
            return self.number(column, text)
        if column in TEXT_KEYS:
            return text
        if column in ENUM_KEYS:
            wrong = enum_message(text, ENUM_KEYS[column])
            if wrong:
                self.error(column, wrong)
                return None
            return text
        if column in LIST_KEYS:
            items = _split(text, ";")
            allowed = LIST_KEYS[column]
            faults = [enum_message(item, allowed) for item in items] if allowed else []
            for fault in filter(None, faults):
                self.error(column, fault)
            return None if any(faults) else tuple(items)
        if column == "review_due":
            wrong = date_message(text)
            if wrong:
                self.error(column, wrong)
                return None
            return text
        if column == "requires":
            clauses = (tuple(_split(clause, "|")) for clause in _split(text, ";"))
            return tuple(c for c in clauses if c)
        if column == "level_profile":
            found = self.pairs(column, text, _PROFILE_FORM, left_is_int=True)
            return tuple(sorted((int(level.partition(".")[0]), credits)
                                for level, credits in found))
        raise AssertionError(column)  # every credential column is handled above


def parse_csv(text: str | Iterable[str], *, source: str = "<string>",
              framework: str | None = None) -> Catalog:
    """Read a spreadsheet catalog (its text, or the file opened as text with
    ``newline=""``, read row by row); raise one :class:`CatalogError` listing every
    problem."""
    problems: list[Problem] = []
    rows = ((line, [unguard(cell) for cell in cells])
            for line, cells in read_rows(text, source, problems))
    settings = _Settings(source, problems)
    header_row = next(rows, None)
    while header_row is not None and header_row[1][0].startswith("#"):
        settings.read(*header_row)
        header_row = next(rows, None)
    if problems:
        raise CatalogError(problems)
    if header_row is None:
        raise CatalogError([Problem(f"{source}:1", "no header row; the first row names the "
                                                   f"columns, e.g. {','.join(ALWAYS_WRITTEN)}")])
    header_line, header = header_row
    where = f"{source}:{header_line}"
    separator = _other_separator(header)
    if separator is not None:
        raise CatalogError([Problem(where, f"the columns are separated by {separator}, not by "
                                           "commas; save the sheet as \"CSV UTF-8 (Comma "
                                           "delimited)\", or replace the separators with "
                                           "commas")])
    columns = _columns(header, where, problems)
    if problems:
        raise CatalogError(problems)

    credentials: list[Credential] = []
    stacking: list[Stacking] = []
    providers = _Providers(settings)
    line_of = places(f"{source}:")  # FILE:LINE, written out when a message needs it
    for line, cells in rows:
        before = len(problems)
        place = line_of(line)
        reader = _RowReader(place, problems)
        fields, cell_of = _row_fields(reader, cells, columns)
        edges = reader.pairs("stacks_into", cell_of.get("stacks_into", ""), _STACKS_FORM,
                             left_is_int=False)
        providers.note(reader, fields.get("provider"), cell_of.get("provider_name", ""), line)
        if len(problems) > before:
            continue
        credential = Credential(**fields, source=place)
        credentials.append(credential)
        stacking.extend(Stacking(credential.id, target, credits, where=place)
                        for target, credits in edges)
    found = providers.with_calendars(settings, problems)
    if problems:
        raise CatalogError(problems)
    return Catalog(providers=found, credentials=credentials, calendar=settings.calendar,
                   stacking=stacking, framework=framework or settings.framework or "nzqf",
                   credit_unit=settings.credit_unit, name=settings.name,
                   system_type=settings.system_type, meta=settings.meta,
                   source=source)


def _columns(header: list[str], where: str, problems: list[Problem]) -> dict[int, str]:
    """Column index -> known column name; unknown, repeated and missing ones reported."""
    columns: dict[int, str] = {}
    for i, name in enumerate(header):
        if not name:
            continue  # a blank column
        if name not in COLUMNS:
            problems.append(Problem(where, unknown_name_message("column", name, COLUMNS)))
        elif name in columns.values():
            problems.append(Problem(where, f'column "{name}" appears more than once'))
        else:
            columns[i] = name
    for name in REQUIRED_KEYS:
        if name not in columns.values():
            problems.append(Problem(where, f'missing required column "{name}"'))
    return columns


def _row_fields(reader: _RowReader, cells: list[str],
                columns: dict[int, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """One row's credential fields (typed) and its cells by column name."""
    for i, cell in enumerate(cells):
        if cell and i not in columns:
            reader.problems.append(Problem(str(reader.where), f'cell {i + 1} ("{cell}") is in a '
                                           "column with no header; name the column or clear "
                                           "the cell"))
    cell_of = {name: cells[i] if i < len(cells) else "" for i, name in columns.items()}
    fields: dict[str, Any] = {}
    for name in CREDENTIAL_KEYS:
        text_ = cell_of.get(name, "")
        if not text_:
            if name in REQUIRED_KEYS:
                reader.error(name, f"empty; every credential needs {name}")
            continue
        fields[name] = reader.value(name, text_)
    return fields, cell_of


class _Providers:
    """Providers as the rows name them (after the ``#provider`` rows), names agreeing."""

    def __init__(self, settings: _Settings) -> None:
        self.found: dict[str, Provider] = dict(settings.providers)
        self.named_on = dict(settings.named_on)  # provider id -> line that set its name

    def note(self, reader: _RowReader, pid: str | None, name: str, line: int) -> None:
        if name and not pid:
            reader.error("provider_name", "given without a provider id; fill in the provider "
                                          "column too")
            return
        if not pid:
            return
        known = self.found.get(pid)
        if known is None:
            self.found[pid] = Provider(pid, name, source=reader.where)
            if name:
                self.named_on[pid] = line
        elif name and not known.name:
            self.found[pid] = Provider(pid, name, source=known.source)
            self.named_on[pid] = line
        elif name and name != known.name:
            reader.error("provider_name", f'"{name}" disagrees with "{known.name}" on line '
                                          f'{self.named_on[pid]} for provider "{pid}"; make '
                                          "them the same")


    def with_calendars(self, settings: _Settings, problems: list[Problem]) -> list[Provider]:
        """The providers, each with the terms its ``#term`` rows gave it."""
        for pid, (where, terms) in settings.terms_of.items():
            if pid not in self.found:
                problems.append(Problem(where, f'#term: no provider "{pid}" in the catalog; '
                                               f'add a "#provider,{pid},NAME" row above'))
            else:
                self.found[pid] = replace(self.found[pid], calendar=tuple(terms))
        return list(self.found.values())


def _other_separator(header: list[str]) -> str | None:
    """ "semicolons" or "tabs" when the header is one cell that those split into known
    columns (Excel in a comma-decimal locale writes ``id;title;kind``)."""
    cells = [c for c in header if c]
    if len(cells) != 1:
        return None
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        parts = [p.strip() for p in cells[0].split(sep)]
        if len(parts) > 1 and sum(p in COLUMNS for p in parts) >= 2:
            return name
    return None


class _Settings:
    """The catalog rows above the header (``#framework,nzqf``; ``#name,TEXT``;
    ``#system_type,semester``; ``#meta,KEY,VALUE``; ``#provider,ID,NAME``): what a
    catalog holds besides its credentials, so that CSV is as lossless as JSON."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.framework: str | None = None
        self.credit_unit: CreditUnit | None = None
        self.name: str | None = None
        self.system_type: str | None = None
        self.meta: dict[str, str] = {}
        self.providers: dict[str, Provider] = {}
        self.named_on: dict[str, int] = {}
        self.seen: set[str] = set()
        self.calendar: tuple[Term, ...] = ()
        self.terms_of: dict[str, tuple[str, list[Term]]] = {}  # provider -> (first row, terms)

    def read_term(self, where: str, args: list[str]) -> None:
        """``#term,T1,2027-02-22,2027-06-11[,PROVIDER]``: a term of a calendar."""
        name, start, end, pid = args[:4]
        if not name or not start or not end:
            self.problems.append(Problem(where, f"#term needs a name, a start and an end; "
                                                f"{_TERM_ROW_FORM}"))
            return
        for what, value in (("start", start), ("end", end)):
            message = date_message(value)
            if message:
                self.problems.append(Problem(where, f"#term {what}: {message}"))
                return
        if pid:
            self.terms_of.setdefault(pid, (where, []))[1].append(Term(name, start, end))
        else:
            self.calendar += (Term(name, start, end),)

    def read(self, line: int, cells: list[str]) -> None:
        where = f"{self.source}:{line}"
        tag, args = cells[0], cells[1:] + ["", "", "", ""]
        if tag not in _DIRECTIVES:
            self.problems.append(Problem(where, unknown_name_message("catalog row", tag,
                                                                     _DIRECTIVES)))
            return
        if tag in ("#framework", "#credit_unit", "#name", "#system_type"):
            if tag in self.seen:
                self.problems.append(Problem(where, f'row "{tag}" appears more than once'))
                return
            self.seen.add(tag)
        if tag == "#term":
            self.read_term(where, args)
        elif tag == "#name":
            self.name = args[0]
        elif tag == "#credit_unit":
            self.read_credit_unit(where, args[0], args[1])
        elif tag in ("#framework", "#system_type"):
            allowed = FRAMEWORKS if tag == "#framework" else SYSTEM_TYPES
            message = enum_message(args[0], allowed)
            if message:
                self.problems.append(Problem(where, f"{tag}: {message}"))
            elif tag == "#framework":
                self.framework = args[0]
            else:
                self.system_type = args[0]
        elif not args[0]:
            what = "key" if tag == "#meta" else "id"
            self.problems.append(Problem(where, f'row "{tag}" needs a {what} in its second cell'))
        elif args[0] in (self.meta if tag == "#meta" else self.providers):
            self.problems.append(Problem(where, f'"{args[0]}" is given twice in "{tag}" rows'))
        elif tag == "#meta":
            self.meta[args[0]] = args[1]
        else:
            self.providers[args[0]] = Provider(args[0], args[1], source=where)
            if args[1]:
                self.named_on[args[0]] = line


    def read_credit_unit(self, where: str, name: str, hours: str) -> None:
        """``#credit_unit,credit point,12.5``: the unit's name and its hours."""
        form = 'write e.g. "#credit_unit,credit point,12.5" (the unit\'s name, then its hours)'
        if not name or not hours:
            self.problems.append(Problem(where, f"#credit_unit needs a name and hours; {form}"))
            return
        message = (credit_unit_problem(credit_value(float(hours))) if is_number(hours)
                   else f'hours per credit unit: "{hours}" is not a number; {form}')
        if message:
            self.problems.append(Problem(where, f"#credit_unit: {message}"))
            return
        self.credit_unit = CreditUnit(name, credit_value(float(hours)))


# -- writing ----------------------------------------------------------------------------------
def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "requires":
        return "; ".join(" | ".join(clause) for clause in value)
    if column == "level_profile":
        return "; ".join(f"{level}:{credits}" for level, credits in value)
    if column == "rules":
        return "; ".join((f"{r.name}: " if r.name else "")
                         + f"{r.kind} {r.amount} {'from' if r.counts_credits else 'of'} "
                         + " | ".join(r.ids) for r in value)
    if column == "direct_study":
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, float):
        return repr(plain_number(value))
    return str(value)


def _unwritable(catalog: Catalog) -> list[Problem]:
    """Values a CSV cell cannot hold without changing meaning (separators inside ids)."""
    problems = []
    for c in catalog.credentials:
        where = str(c.source or "")
        named: list[tuple[str, str, str]] = [(c.id, "id", ";")]
        named += [(a, "requires", ";|") for clause in c.requires for a in clause]
        named += [(a, "rules", ";|") for r in c.rules for a in r.ids]
        named += [(r.name, "rules", ";:") for r in c.rules if r.name]
        for column in (*LIST_KEYS, "intakes"):
            named += [(item, column, ";") for item in getattr(c, column)]
        for value, column, seps in named:
            for sep in seps:
                if sep in value:
                    problems.append(Problem(where, f'cannot write to CSV: "{value}" in {column} '
                                                   f'of "{c.id}" contains "{sep}", which the '
                                                   "CSV form uses as a separator"))
    ids = {c.id for c in catalog.credentials}
    for e in catalog.stacking:
        if e.source not in ids:
            problems.append(Problem(str(e.where or ""), f'cannot write to CSV: stacking edge '
                                                   f'"{e.source}" -> "{e.target}" starts at no '
                                                   "credential in the catalog"))
        if ";" in e.target:
            problems.append(Problem(str(e.where or ""), f'cannot write to CSV: stacking target '
                                                   f'"{e.target}" contains ";"'))
    return problems


def dump_csv(catalog: Catalog) -> str:
    """The catalog as CSV text (``\\r\\n`` line ends, as Excel writes them).

    Rows above the header hold what credential rows cannot: the framework (unless
    nzqf), the name, system type and meta, and providers no credential names. Cells
    starting with ``= + - @`` are guarded against formula injection (:func:`guard`).
    """
    problems = _unwritable(catalog)
    if problems:
        raise CatalogError(problems)
    names: dict[str, str] = {}
    for p in catalog.providers:
        names.setdefault(p.id, p.name)
    outgoing: dict[str, list[Stacking]] = {}
    for e in catalog.stacking:
        outgoing.setdefault(e.source, []).append(e)
    rows: list[dict[str, str]] = []
    done: set[str] = set()
    for c in catalog.credentials:
        row = {key: _cell(key, getattr(c, key)) for key in CREDENTIAL_KEYS}
        row["provider_name"] = names.get(c.provider, "") if c.provider else ""
        edges = [] if c.id in done else outgoing.get(c.id, [])
        done.add(c.id)  # a duplicated id's edges are written once, on its first row
        row["stacks_into"] = "; ".join(f"{e.target}:{e.credits}" for e in edges)
        rows.append(row)
    used = [col for col in COLUMNS if col in ALWAYS_WRITTEN or any(r[col] for r in rows)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([guard(cell) for cell in row] for row in _settings_rows(catalog))
    writer.writerow(used)
    writer.writerows([guard(row[col]) for col in used] for row in rows)
    return out.getvalue()


def _settings_rows(catalog: Catalog) -> list[list[str]]:
    """The rows above the header: what the credential rows cannot hold."""
    rows = []
    if catalog.framework != "nzqf":
        rows.append(["#framework", catalog.framework])
    if catalog.credit_unit is not None:
        rows.append(["#credit_unit", catalog.credit_unit.name,
                     repr(plain_number(catalog.credit_unit.hours))])
    if catalog.name is not None:
        rows.append(["#name", catalog.name])
    if catalog.system_type is not None:
        rows.append(["#system_type", catalog.system_type])
    rows += [["#meta", key, value] for key, value in sorted(catalog.meta.items())]
    used = {c.provider for c in catalog.credentials}
    rows += [["#provider", p.id, p.name] for p in catalog.providers if p.id not in used]
    rows += [["#term", t.term, t.start, t.end] for t in sorted_terms(catalog.calendar)]
    rows += [["#term", t.term, t.start, t.end, p.id] for p in catalog.providers
             for t in sorted_terms(p.calendar)]
    return rows
