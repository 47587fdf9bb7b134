"""Writing drawings: file names by format and page count, and atomic writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
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
        raise PathwaysError(f"cannot write {out.name!r}: the file name must end in "
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


def _save(count: int, figures: Iterable[Any], path: str | os.PathLike[str]) -> Written:
    """Write ``count`` pages by the path's extension, atomically (a failed write leaves
    nothing). ``figures`` yields each page's figure, written before the next is drawn,
    so one figure can serve every page."""
    targets = output_paths(path, count)
    for target in targets:
        if not target.parent.is_dir():
            raise PathwaysError(f"cannot write {target}: the folder {target.parent} "
                                "does not exist")
    suffix = targets[0].suffix.lower()
    if suffix == ".pdf":
        from matplotlib.backends.backend_pdf import PdfPages

        meta = {"Creator": "pathways", "Producer": "pathways (matplotlib)",
                "CreationDate": None, "ModDate": None}
        with _atomic(targets[0]) as tmp, PdfPages(tmp, metadata=meta) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    else:
        for fig, target in zip(figures, targets, strict=True):
            with _atomic(target) as tmp:
                if suffix == ".svg":
                    fig.savefig(tmp, format="svg", metadata={"Date": None})
                else:
                    fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": "pathways"})
    return Written(files=tuple(targets), pages=count)


class _atomic:  # noqa: N801 - used as a context manager, reads like one
    """A temporary file beside ``target``, moved onto it when the block succeeds."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.tmp = ""

    def __enter__(self) -> str:
        fd, self.tmp = tempfile.mkstemp(dir=self.target.parent, prefix=".pathways-",
                                        suffix=self.target.suffix)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)
