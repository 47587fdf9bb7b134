"""Catalog files: read JSON, spreadsheet CSV and CurricularAnalytics CSV; write JSON and CSV.

Readers check a file's shape and report every problem at once (``FILE:LINE`` or
``FILE:$.json.path``); the meaning of the values is checked by :mod:`pathways.rules`.
Writers are deterministic and atomic: a failed write never leaves a half-written file.
"""

from __future__ import annotations

import os
from pathlib import Path

from pathways.catalog import FRAMEWORKS, Catalog
from pathways.errors import CatalogError, DatabaseFileError
from pathways.formats.csv_format import dump_csv, parse_csv
from pathways.formats.curricular import looks_curricular, parse_curricular
from pathways.formats.json_format import catalog_dict, credential_to_dict, dump_json, parse_json
from pathways.output import OutputError, write_output

__all__ = [
    "FORMATS",
    "WRITABLE_FORMATS",
    "read_catalog",
    "parse_catalog",
    "dump_catalog",
    "write_catalog",
    "detect_format",
    "catalog_dict",
    "credential_to_dict",
]

FORMATS = ("json", "csv", "curricular")
WRITABLE_FORMATS = ("json", "csv", "ctdl")
_PARSERS = {"json": parse_json, "csv": parse_csv, "curricular": parse_curricular}
_EXTENSIONS = {".json": "json", ".csv": "csv", ".jsonld": "ctdl"}


def _read_text(path: str | os.PathLike[str]) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise CatalogError(f"cannot read: {e.strerror or e}", where=str(path)) from None
    if data.startswith(b"SQLite format 3\x00"):
        raise DatabaseFileError(str(path))
    data = data.removeprefix(b"\xef\xbb\xbf")  # the BOM (else positions are 3 bytes off)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise CatalogError(f"cannot read: not UTF-8 text (byte 0x{data[e.start]:02x} on line "
                           f"{line}); save it as UTF-8 (in Excel: CSV UTF-8)",
                           where=str(path)) from None


def _first_row_curricular(path: str | os.PathLike[str]) -> bool:
    """Whether a CSV file's first row makes it a CurricularAnalytics one (read from its
    start only; a file that cannot be read is left to the whole-file reader's errors)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(64 * 1024)
    except OSError:
        return True
    return looks_curricular(start.decode("utf-8-sig", errors="replace"))


def _read_csv_file(path: str | os.PathLike[str], framework: str | None) -> Catalog:
    """A spreadsheet CSV file read a row at a time (never its whole text at once)."""
    try:
        with open(path, "rb") as probe:
            if probe.read(16) == b"SQLite format 3\x00":
                raise DatabaseFileError(str(path))
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return parse_csv(handle, source=str(path), framework=framework)
    except (UnicodeDecodeError, OSError):  # read whole: its message names the byte and line
        return parse_csv(_read_text(path), source=str(path), framework=framework)


def _sniff(path: str | os.PathLike[str], text: str) -> str:
    ext = Path(path).suffix.lower()
    if ext == ".json":
        return "json"
    if ext != ".csv" and text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return "json"
    return "curricular" if looks_curricular(text) else "csv"


def detect_format(path: str | os.PathLike[str]) -> str:
    """``"json"``, ``"csv"`` or ``"curricular"``: by extension, reading the file where needed.

    A ``.csv`` file is CurricularAnalytics if its first cell is ``Curriculum``; a file
    with another extension is JSON if it starts with ``{``, else judged as a ``.csv``.
    """
    if Path(path).suffix.lower() == ".json":
        return "json"
    return _sniff(path, _read_text(path))


def _check_framework(framework: str | None) -> None:
    if framework is not None and framework not in FRAMEWORKS:
        raise CatalogError(f'unknown framework "{framework}" '
                           f"(expected one of: {', '.join(FRAMEWORKS)})")


def parse_catalog(text: str, *, fmt: str, source: str = "<string>",
                  framework: str | None = None) -> Catalog:
    """Parse catalog text in ``fmt`` (json, csv or curricular); ``source`` names it in errors.

    ``framework`` overrides the file's (JSON) or the default (``nzqf`` for CSV,
    ``generic`` for CurricularAnalytics curricula).
    """
    if fmt not in _PARSERS:
        raise ValueError(f"unknown catalog format {fmt!r}; expected one of {FORMATS}")
    _check_framework(framework)
    return _PARSERS[fmt](text, source=source, framework=framework)


_STANDARD_MARKS = ('"@context"', '"@graph"', '"@type"', "OpenBadgeCredential", "ClrCredential")


def read_catalog(path: str | os.PathLike[str], *, framework: str | None = None) -> Catalog:
    """Read a catalog file in whichever format it is (see :func:`detect_format`).

    A CTDL, Open Badges 3.0 or CLR 2.0 file is read by :mod:`pathways.standards`; what
    its import assumed and dropped comes with the catalog as its ``notices`` (warnings
    that :func:`pathways.rules.validate` reports). For the report itself, call
    :func:`pathways.standards.read_standard`.
    """
    _check_framework(framework)
    if Path(path).suffix.lower() == ".json":  # read item by item: any size in little memory
        from pathways.formats.json_stream import read_json_file

        return read_json_file(path, framework=framework)
    if Path(path).suffix.lower() == ".csv" and not _first_row_curricular(path):
        return _read_csv_file(path, framework)
    return read_whole_file(path, framework)


def read_whole_file(path: str | os.PathLike[str], framework: str | None) -> Catalog:
    """:func:`read_catalog` reading the whole text at once (any format, standards too);
    the streaming readers hand over what is not a plain catalog or has a syntax error."""
    text = _read_text(path)
    fmt = _sniff(path, text)
    if fmt == "json" and any(mark in text for mark in _STANDARD_MARKS):
        catalog = _read_standard_file(path, framework)
        if catalog is not None:
            return catalog
    return parse_catalog(text, fmt=fmt, source=str(path), framework=framework)


def _read_standard_file(path: str | os.PathLike[str], framework: str | None) -> Catalog | None:
    from dataclasses import replace

    from pathways.standards import READERS, read_standard, sniff_file

    if sniff_file(path) not in READERS:
        return None
    catalog, report = read_standard([path])
    catalog.notices = (*catalog.notices, *report.warnings)
    return replace(catalog, framework=framework) if framework is not None else catalog


def dump_catalog(catalog: Catalog, fmt: str) -> str:
    """The catalog as ``json``, ``csv`` or ``ctdl`` (JSON-LD) text; the same catalog gives
    the same text."""
    if fmt == "json":
        return dump_json(catalog)
    if fmt == "csv":
        return dump_csv(catalog)
    if fmt == "ctdl":
        from pathways.standards.ctdl_writer import dump_ctdl

        return dump_ctdl(catalog)
    raise ValueError(f"cannot write catalog format {fmt!r}; expected one of {WRITABLE_FORMATS}")


def write_catalog(catalog: Catalog, path: str | os.PathLike[str], fmt: str | None = None) -> None:
    """Write the catalog to ``path`` (format by extension unless given), atomically.

    Written by :func:`pathways.output.write_output`: ``-`` is standard output (the same
    bytes), only regular files (symlinks written through), atomically (a failure leaves
    any earlier file as it was). CSV starts with a byte-order mark so that Excel shows
    macrons (wānanga) correctly.
    """
    target = Path(path)
    if fmt is None:
        fmt = _EXTENSIONS.get(target.suffix.lower())
        if fmt is None:
            raise CatalogError(f'cannot write: no catalog format for "{target.suffix}" files; '
                               "name it .json or .csv", where=str(path))
    text = dump_catalog(catalog, fmt)
    data = ("\ufeff" + text if fmt == "csv" else text).encode("utf-8")
    try:
        write_output(path, data)
    except OutputError as e:
        raise CatalogError(f"cannot write: {e.reason}", where=e.path) from None
