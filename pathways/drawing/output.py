"""Writing drawings: file names by format and page count, and atomic writes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.drawing.style import DPI, FONT, FORMATS
from pathways.errors import PathwaysError


@dataclass(frozen=True)
class Written:
    """What a drawing wrote: the files (one PDF, or one PNG/SVG per page) and pages."""

    files: tuple[Path, ...]
    pages: int


def output_paths(path: str | os.PathLike[str], pages: int) -> list[Path]:
    """The files a drawing of ``pages`` pages writes: ``path`` itself for a PDF or a
    single page; ``map-1.png``, ``map-2.png``… for several PNG or SVG pages."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise PathwaysError(f"cannot write {str(out)!r}: the file name must end in "
                            + ", ".join(FORMATS) + " (the format follows the extension)")
    if suffix == ".pdf" or pages == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, pages + 1)]


def _rc() -> Any:  # matplotlib types rcParams keys as literals
    return {
        "font.family": FONT,
        "pdf.fonttype": 42,  # TrueType, embedded: text stays text in the PDF
        "ps.fonttype": 42,
        "svg.fonttype": "none",  # SVG text stays editable
        "svg.hashsalt": "pathways",  # deterministic ids
        "path.simplify": False,
    }


def _check_target(path: str | os.PathLike[str]) -> None:
    """Refuse early a path a drawing cannot be written to: a missing folder, a folder,
    device or FIFO, a read-only file (:func:`pathways.output.check_output`)."""
    from pathways.output import check_output

    target = Path(path)
    if not target.parent.is_dir():
        raise PathwaysError(f"cannot write {target}: the folder {target.parent} "
                            "does not exist")
    check_output(target)


def _save(count: int, figures: Iterable[Any], path: str | os.PathLike[str],
          meta: Mapping[str, str] | None = None) -> Written:
    """Write ``count`` pages by the path's extension through :mod:`pathways.output`
    (atomic, regular files only, through symlinks, the umask honoured; a failed write
    leaves nothing and names the user's file). ``figures`` yields each page's figure,
    written before the next is drawn, so one figure can serve every page. ``meta`` gives
    the document's ``title`` and ``subject`` (PDF metadata; SVG ``<title>``/``<desc>``)."""
    from pathways.output import open_output

    targets = output_paths(path, count)
    for target in targets:
        _check_target(target)
    suffix = targets[0].suffix.lower()
    from pathways.drawing.text import _clean

    words = {k: _clean(v) for k, v in (meta or {}).items()}
    if suffix == ".pdf":
        from matplotlib.backends.backend_pdf import PdfPages

        info = {"Creator": "pathways", "Producer": "pathways (matplotlib)",
                "CreationDate": None, "ModDate": None,
                **{k.capitalize(): v for k, v in words.items() if v}}
        with open_output(targets[0]) as f, PdfPages(f, metadata=info) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    else:
        for fig, target in zip(figures, targets, strict=True):
            with open_output(target) as f:
                if suffix == ".svg":
                    fig.savefig(f, format="svg", metadata={
                        "Date": None, "Title": words.get("title") or None,
                        "Description": words.get("subject") or None})
                else:
                    fig.savefig(f, format="png", dpi=DPI, metadata={"Software": "pathways"})
    return Written(files=tuple(targets), pages=count)
