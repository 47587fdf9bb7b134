"""CurricularAnalytics curricula (the CSV of CurricularAnalytics.jl and curricularanalytics.org).

Read only. Key/value rows (``Curriculum``, ``Institution``, ``Degree Type``, ``System
Type``, ``CIP``), a ``Courses`` row, the column row, then one row per course. Real files
vary: a byte-order mark, missing trailing columns, extra ones (``Term``, metric columns)
and sections after the courses (``Additional Courses``, learning outcomes), which end the
course list. Each course becomes a ``course`` credential whose id is its Course ID.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.catalog import SYSTEM_TYPES, Catalog, Credential
from pathways.errors import CatalogError, Problem
from pathways.formats.csv_format import (
    half_number,
    is_number,
    read_rows,
    too_long,
    whole_number,
)

__all__ = ["parse_curricular", "looks_curricular", "course_codes"]

# Rows that start a section after the course list (CurricularAnalytics.jl's read_csv).
# A degree plan's "Additional Courses" (with a column row of their own) are courses too:
# plan courses may require them. Learning-outcome sections end the courses.
ADDITIONAL_COURSES = "Additional Courses"
SECTION_NAMES = (ADDITIONAL_COURSES, "Course Learning Outcomes", "Curriculum Learning Outcomes")
META_KEYS = {"Institution": "institution", "Degree Type": "degree_type", "CIP": "cip"}
REQUIRED_COLUMNS = ("Course ID", "Course Name", "Credit Hours")


def looks_curricular(text: str) -> bool:
    """True if the first non-empty cell of the first row (after any BOM) is ``Curriculum``."""
    for _line, cells in read_rows(text, "", []):
        return next(cell for cell in cells if cell) == "Curriculum"
    return False


def course_codes(text: str) -> dict[str, str]:
    """Each course's code from the ``Prefix`` and ``Number`` columns ("MATH 156"), by
    Course ID, for drawings; {} when the file has neither column. Lenient: rows that
    :func:`parse_curricular` would refuse are skipped, not reported."""
    rows = iter(read_rows(text, "", []))
    for _line, cells in rows:
        if cells[0] == "Courses":
            break
    names = next(rows, (0, []))[1]
    column = {name: i for i, name in reversed(list(enumerate(names))) if name}
    if "Course ID" not in column or not {"Prefix", "Number"} & set(column):
        return {}
    codes: dict[str, str] = {}
    for _line, cells in rows:
        if cells[0] in SECTION_NAMES:
            if cells[0] != ADDITIONAL_COURSES:
                break
            next(rows, None)
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = column.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        code = " ".join(part for part in (cell("Prefix"), cell("Number")) if part)
        if cell("Course ID") and code:
            codes[cell("Course ID")] = code
    return codes


def _ids(cell: str) -> tuple[str, ...]:
    """``"2;1"`` -> ("2", "1"): requisite course ids in the order written."""
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def parse_curricular(text: str, *, source: str = "<string>",
                     framework: str | None = None) -> Catalog:
    """Read a CurricularAnalytics curriculum as a catalog of ``course`` credentials."""
    problems: list[Problem] = []
    rows = (row for row in read_rows(text, source, problems) if not row[1][0].startswith("#"))
    header, courses_line = _header(rows, source, problems)
    notices: list[Problem] = []
    system_type = _system_type(header, source, notices)
    meta = {name: header[key][1] for key, name in META_KEYS.items()
            if key in header and header[key][1]}
    column = _columns(next(rows, None), courses_line, source, problems)

    # One row per course, up to the next section.
    credentials = []
    for line, cells in rows:
        if cells[0] == ADDITIONAL_COURSES:
            next(rows, None)  # its column row, the same columns as the courses'
            continue
        if cells[0] in SECTION_NAMES:
            break
        cell = {name: cells[i] if i < len(cells) else "" for name, i in column.items()}
        course = _course(cell, f"{source}:{line}", problems)
        if course is not None:
            credentials.append(course)
    if problems:
        raise CatalogError(problems)
    name_row = header.get("Curriculum")
    return Catalog(
        credentials=credentials,
        framework=framework or "generic",
        name=name_row[1] if name_row and name_row[1] else None,
        system_type=system_type,
        meta=meta,
        source=source,
        notices=tuple(notices),
    )


Rows = Iterator[tuple[int, list[str]]]


def _header(rows: Rows, source: str,
            problems: list[Problem]) -> tuple[dict[str, tuple[int, str]], int]:
    """The key/value rows up to "Courses" (key -> (line, value)) and that row's line."""
    header: dict[str, tuple[int, str]] = {}
    for line, cells in rows:
        key = cells[0]
        if not header and key != "Curriculum":
            problems.append(Problem(f"{source}:{line}", 'expected a "Curriculum" row first, '
                                    f'as in "Curriculum,NAME"; got "{key}"'))
        if key == "Courses":
            return header, line
        header.setdefault(key, (line, cells[1] if len(cells) > 1 else ""))
    problems.append(Problem(source, 'no "Courses" row: a CurricularAnalytics file lists its '
                                    'courses under a row reading "Courses"'))
    raise CatalogError(problems)


def _system_type(header: dict[str, tuple[int, str]], source: str,
                 notices: list[Problem]) -> str | None:
    if "System Type" not in header:
        return None
    line, value = header["System Type"]
    system_type = value.lower() or None
    if system_type is not None and system_type not in SYSTEM_TYPES:
        # CurricularAnalytics reads any value but "quarter" as a semester system.
        notices.append(Problem(f"{source}:{line}", f'System Type "{value}" is not '
                               f'{" or ".join(SYSTEM_TYPES)}; read as semester (as '
                               "CurricularAnalytics does); write semester or quarter",
                               "warning"))
        system_type = "semester"
    return system_type


def _columns(column_row: tuple[int, list[str]] | None, courses_line: int, source: str,
             problems: list[Problem]) -> dict[str, int]:
    """The course columns by name; without the required ones nothing can be read."""
    if column_row is None:
        problems.append(Problem(f"{source}:{courses_line}", 'no column row after "Courses" '
                                '(expected "Course ID,Course Name,...,Credit Hours")'))
        raise CatalogError(problems)
    line, names = column_row
    before = len(problems)
    column: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in column:
            problems.append(Problem(f"{source}:{line}", f'column "{name}" appears more than once'))
        elif name:
            column[name] = i
    for name in REQUIRED_COLUMNS:
        if name not in column:
            problems.append(Problem(f"{source}:{line}", f'missing column "{name}" in the '
                                                        "course header row"))
    if len(problems) > before:  # without the columns, the course rows cannot be read
        raise CatalogError(problems)
    return column


def _course(cell: dict[str, str], where: str, problems: list[Problem]) -> Credential | None:
    """One course row as a credential, or None after recording its problems."""
    before = len(problems)
    course_id, title = cell["Course ID"], cell["Course Name"]
    if not course_id:
        problems.append(Problem(where, "column Course ID: empty; every course needs an id"))
    if not title:
        problems.append(Problem(where, "column Course Name: empty; every course needs a name"))
    credits = _credit_hours(cell["Credit Hours"], where, problems)
    term = None
    if cell.get("Term"):
        term = whole_number(cell["Term"])
        if term is None and too_long(cell["Term"]):
            problems.append(Problem(where, f"column Term: a number of {len(cell['Term']):,} "
                                           "digits is too large"))
        elif term is None:
            problems.append(Problem(where, "column Term: must be a whole number; "
                                           f'got "{cell["Term"]}"'))
    if len(problems) > before or credits is None:
        return None
    return Credential(
        id=course_id,
        title=title,
        kind="course",
        credits=credits,
        requires=tuple((a,) for a in _ids(cell.get("Prerequisites", ""))),
        corequisites=_ids(cell.get("Corequisites", "")),
        strict_corequisites=_ids(cell.get("Strict-Corequisites", "")),
        term=term,
        code=" ".join(x for x in (cell.get("Prefix", ""), cell.get("Number", "")) if x)
        or None,
        source=where,
    )


def _credit_hours(hours: str, where: str, problems: list[Problem]) -> int | float | None:
    credits = half_number(hours)
    if credits is None and too_long(hours):
        problems.append(Problem(where, f"column Credit Hours: a number of {len(hours):,} "
                                       "digits is too large; credits must be multiples "
                                       "of 0.5 of at most 30 digits"))
    elif credits is None and is_number(hours):
        problems.append(Problem(where, f"column Credit Hours: {hours} credit hours is not "
                                       "a multiple of 0.5; write whole or half credit "
                                       "hours (3, 1.5)"))
    elif credits is None:
        problems.append(Problem(where, "column Credit Hours: must be a whole number of "
                                       f'credit hours; got "{hours}"'))
    return credits
