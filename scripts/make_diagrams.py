"""Regenerate the README's example diagrams of the demo catalog in docs/diagrams/.

    .venv/bin/python scripts/make_diagrams.py [--out docs/diagrams]

Each diagram is drawn by the library exactly as ``pathways draw``, ``timeline`` and
``coverage`` would draw it; the PNGs are then stored with a 256-colour palette (the
drawings use few colours), which keeps them small enough to commit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pathways.catalog import Catalog  # noqa: E402
from pathways.drawing import (  # noqa: E402
    MapStyle,
    Written,
    draw_coverage,
    draw_map,
    draw_timeline,
    route_highlight,
    select,
)
from pathways.formats import read_catalog  # noqa: E402
from pathways.routes import find_route, with_schedule  # noqa: E402

DEMO = ROOT / "graphs" / "demo.json"


def route_map(cat: Catalog, out: Path) -> Written:
    """`pathways draw --to DIP-ITS5 --have MC-CLOUD4,MC-PYDATA5` (the README's route)."""
    scope = select(cat, to="DIP-ITS5")
    route = find_route(cat, "DIP-ITS5", held=["MC-CLOUD4", "MC-PYDATA5"])
    return draw_map(cat, out, ids=scope.ids, title=scope.title,
                    highlight=route_highlight(route), landscape=True)


def brochure(cat: Catalog, out: Path) -> Written:
    """`pathways draw --to DIP-ITS5 --have MC-CLOUD4 --style brochure` (a learner's handout)."""
    route = find_route(cat, "DIP-ITS5", held=["MC-CLOUD4"])
    return draw_map(cat, out, ids=select(cat, to="DIP-ITS5").ids,
                    highlight=route_highlight(route), look=MapStyle(style="brochure"))


def diploma_map(cat: Catalog, out: Path) -> Written:
    """`pathways draw --to DIP-BUS6 --fee`: the demo's largest diploma pathway."""
    scope = select(cat, to="DIP-BUS6")
    return draw_map(cat, out, ids=scope.ids, title=scope.title, show_fee=True,
                    landscape=True)


def composed_map(cat: Catalog, out: Path) -> Written:
    """`pathways draw --to GDIP-DS7`: a programme made of its papers, its rules framed."""
    scope = select(cat, to="GDIP-DS7")
    return draw_map(cat, out, ids=scope.ids, title=scope.title)


def timeline(cat: Catalog, out: Path) -> Written:
    """`pathways timeline --to DIP-ITS5 --have MC-CLOUD4 --hours-per-week 15 --page A5`."""
    route = with_schedule(find_route(cat, "DIP-ITS5", held=["MC-CLOUD4"]), 15)
    return draw_timeline(cat, route, out, hours_per_week=15, page="A5", landscape=True)


def coverage(cat: Catalog, out: Path) -> Written:
    """`pathways coverage --provider rawhiti --page A5`."""
    return draw_coverage(cat, "rawhiti", out, page="A5", landscape=False)


def whole_catalog(cat: Catalog, out: Path) -> Written:
    """`pathways draw --page A3 -o demo-catalog.pdf`: every pathway, split over pages."""
    return draw_map(cat, out, page="A3")


DIAGRAMS: list[tuple[str, Callable[[Catalog, Path], Written]]] = [
    ("route-DIP-ITS5.png", route_map),
    ("brochure-DIP-ITS5.png", brochure),
    ("pathways-DIP-BUS6.png", diploma_map),
    ("rules-GDIP-DS7.png", composed_map),
    ("timeline-DIP-ITS5.png", timeline),
    ("coverage-rawhiti.png", coverage),
    ("demo-catalog.pdf", whole_catalog),
]


def shrink(path: Path) -> None:
    """Store a PNG with an adaptive 256-colour palette, keeping its resolution."""
    from PIL import Image

    with Image.open(path) as im:
        dpi = im.info.get("dpi", (300, 300))
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                           dither=Image.Dither.NONE)
    small.save(path, optimize=True, dpi=dpi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "diagrams",
                        help="folder to write into (default: docs/diagrams)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    cat = read_catalog(DEMO)
    for name, make in DIAGRAMS:
        written = make(cat, args.out / name)
        for f in written.files:
            if f.suffix == ".png":
                shrink(f)
            print(f"{f.relative_to(ROOT) if f.is_relative_to(ROOT) else f}: "
                  f"{written.pages} page(s), {f.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
