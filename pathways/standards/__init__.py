"""Credential standards in and out: Credential Engine's CTDL (JSON-LD pathways) and
1EdTech's Open Badges 3.0 / Comprehensive Learner Record 2.0.

:func:`read_standard` reads one or several files (read as one graph) into a
:class:`~pathways.catalog.Catalog` and an :class:`ImportReport` saying what was mapped,
assumed and dropped. Each standard's reader is a function ``read_X(docs, report)`` over
``(path, parsed JSON)`` pairs, registered in :data:`READERS`; heavy libraries (pyld,
jsonschema) are imported only inside them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import CatalogError
from pathways.standards.detect import STANDARDS, detect_standard
from pathways.standards.report import ImportReport

__all__ = ["ImportReport", "STANDARDS", "MAX_FILE_BYTES", "detect_standard", "load_json",
           "parse_json", "read_standard", "sniff_file"]

#: The largest standard file read (bytes): far above any real pathway or wallet, and small
#: enough that a hostile file cannot take the machine's memory.
MAX_FILE_BYTES = 32 * 1024 * 1024

Docs = list[tuple[str, Any]]
Reader = Callable[[Docs, ImportReport], Catalog]


def _ctdl_reader() -> Reader:
    from pathways.standards.ctdl import read_ctdl

    return read_ctdl


def _openbadges_reader() -> Reader:
    from pathways.standards.openbadges import read_openbadges

    return read_openbadges


#: The reader of each standard (a function returning it, so that its module is imported
#: only when a file of that standard is read).
READERS: dict[str, Callable[[], Reader]] = {
    "ctdl": _ctdl_reader, "ob3": _openbadges_reader, "clr": _openbadges_reader}


def _check_depth(text: str, path: str, limit: int) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it (the parser recurses)."""
    import re

    depth = deepest = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    raise CatalogError(f"JSON nested more than {limit} levels deep; a "
                                       "credential file is never that deep", where=path)
        elif c in "]}":
            depth -= 1


MAX_DEPTH = 64


def load_json(path: str | os.PathLike[str]) -> Any:
    """A JSON file parsed, refused with a one-line :class:`CatalogError` when it cannot be
    read, is larger than :data:`MAX_FILE_BYTES`, nested deeper than :data:`MAX_DEPTH` or
    not JSON."""
    where = str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise CatalogError(f"{size} bytes is more than the {MAX_FILE_BYTES} a standard "
                               "file may have; split it into several files", where=where)
        data = Path(path).read_bytes()
    except OSError as e:
        raise CatalogError(f"cannot read: {e.strerror or e}", where=where) from None
    return parse_json(data, where)


def parse_json(data: bytes, where: str) -> Any:
    """JSON bytes (a file's, or an upload's named ``where``) parsed, refused with a one-line
    :class:`CatalogError` when not UTF-8, nested deeper than :data:`MAX_DEPTH` or not
    JSON. The caller bounds the size."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError("cannot read: not UTF-8 text", where=where) from None
    _check_depth(text, where, MAX_DEPTH)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"not JSON: {e.msg}", where=f"{where}:{e.lineno}") from None


def sniff_file(path: str | os.PathLike[str]) -> str | None:
    """The standard a JSON file speaks (see :func:`detect_standard`), or None."""
    return detect_standard(load_json(path))


def read_standard(paths: Sequence[str | os.PathLike[str]], *,
                  report: ImportReport | None = None) -> tuple[Catalog, ImportReport]:
    """Read standard files (CTDL, or OB3/CLR) as one graph: the catalog and the report.

    Every file must speak the same family of standards (CTDL files together, or Open
    Badges and CLR files together); a file of neither is a :class:`CatalogError`.
    """
    report = report if report is not None else ImportReport()
    docs: Docs = []
    families: set[str] = set()
    for path in paths:
        doc = load_json(path)
        standard = detect_standard(doc)
        if standard not in READERS:
            raise CatalogError("not a CTDL, Open Badges 3.0 or CLR 2.0 document (no CTDL "
                               "context or terms, no OpenBadgeCredential or ClrCredential "
                               "type)", where=str(path))
        families.add("ctdl" if standard == "ctdl" else "openbadges")
        report.add_file(str(path), standard)
        docs.append((str(path), doc))
    if len(families) > 1:
        raise CatalogError("CTDL files and Open Badges/CLR files cannot be read as one "
                           f"catalog: {', '.join(str(p) for p in paths)}")
    reader = READERS[report.standards[0]]()
    return reader(docs, report), report
