"""Layout quality of pathway maps over fixed scopes, before and after a change.

    .venv/bin/python scripts/bench_layout_quality.py [--json] [SCOPE ...]

For each scope it plans the map exactly as ``pathways draw`` would (nothing is drawn)
and prints, from :func:`pathways.drawing.quality.map_quality`: arrowheads hidden under a
box (must be 0), edge labels overprinting a label or a box (must be 0), edge passes
within 4 pt of a box that is not one of the edge's ends (must be 0), crossings, the
smallest type in points, the tallest full-width empty band (share of the page height),
pages, boxes drawn, stubs, pages a highlighted route spreads over (must be 1), and
programme rules' frames over a box not theirs, half over another frame or with an edge
label over their label (must be 0), with
the CPU seconds planning took. The scopes: the demo catalog's README maps, the whole
demo catalog, the four real curricula in ../shared/data/curricula (skipped when that
folder is absent), field and provider maps of 300- and 2,000-credential synthetic
catalogs (pathways.synthetic, fixed seeds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pathways.catalog import Catalog  # noqa: E402
from pathways.drawing import route_highlight, select  # noqa: E402
from pathways.drawing.quality import MapQuality, map_quality  # noqa: E402
from pathways.formats import read_catalog  # noqa: E402

DEMO = ROOT / "graphs" / "demo.json"
CURRICULA = ROOT.parent / "shared" / "data" / "curricula" / "plans"
_cache: dict[Any, Catalog] = {}


def demo() -> Catalog:
    if "demo" not in _cache:
        _cache["demo"] = read_catalog(DEMO)
    return _cache["demo"]


def synthetic(n: int, seed: int) -> Catalog:
    from pathways.synthetic import generate_catalog

    if (n, seed) not in _cache:
        _cache[(n, seed)] = generate_catalog(n, seed=seed)
    return _cache[(n, seed)]


def route_map(to: str, have: list[str], **kw: Any) -> Callable[[], MapQuality]:
    def run() -> MapQuality:
        from pathways.routes import find_route

        cat = demo()
        s = select(cat, to=to)
        hl = route_highlight(find_route(cat, to, held=have))
        return map_quality(cat, s.ids, title=s.title, highlight=hl, **kw)
    return run


def scoped(cat: Callable[[], Catalog], **sel: Any) -> Callable[..., Callable[[], MapQuality]]:
    def with_page(**kw: Any) -> Callable[[], MapQuality]:
        def run() -> MapQuality:
            c = cat()
            s = select(c, **sel)
            return map_quality(c, s.ids, title=s.title, **kw)
        return run
    return with_page


def curriculum(name: str) -> Callable[[], MapQuality]:
    def run() -> MapQuality:
        return map_quality(read_catalog(CURRICULA / f"{name}.csv"))
    return run


SCOPES: list[tuple[str, Callable[[], MapQuality]]] = [
    ("demo-route-ITS5", route_map("DIP-ITS5", ["MC-CLOUD4", "MC-PYDATA5"])),
    ("demo-route-ITS5-A4L", route_map("DIP-ITS5", ["MC-CLOUD4", "MC-PYDATA5"],
                                      landscape=True)),
    ("demo-route-BCIS7-A5P", route_map("BCIS7", [], page="A5", landscape=False)),
    ("demo-to-BUS6-fee", scoped(demo, to="DIP-BUS6")(landscape=True, show_fee=True)),
    ("demo-from-CLOUD4", scoped(demo, from_="MC-CLOUD4")()),
    ("demo-provider-rawhiti", scoped(demo, provider="rawhiti")()),
    ("demo-to-GDIP7", scoped(demo, to="GDIP-DS7")()),
    ("demo-route-GDIP7", route_map("GDIP-DS7", ["MC-ML7"])),
    ("demo-whole-A4", scoped(demo)()),
    ("demo-whole-A3", scoped(demo)(page="A3")),
    *[(f"curriculum-{n}", curriculum(n)) for n in
      ("U_of_Colorado_Boulder_CS", "Colostate_CSDegree", "Colostate_CSDegree_2017",
       "Colostate_CSDegree_2017_w_MATH")],
    ("synth300-field-IT-A3", scoped(lambda: synthetic(300, 0),
                                    field="Information technology")(page="A3")),
    ("synth300-provider-poly01", scoped(lambda: synthetic(300, 0),
                                        provider="polytechnic-01")()),
    ("synth2000-field-IT-A3", scoped(lambda: synthetic(2000, 1),
                                     field="Information technology")(page="A3")),
    ("synth2000-provider-poly07", scoped(lambda: synthetic(2000, 1),
                                         provider="polytechnic-07")()),
]

COLUMNS = [("hidden_heads", "heads hidden"), ("label_overlaps", "label overlaps"),
           ("near_misses", "near 4pt"), ("crossings", "crossings"),
           ("smallest_type", "min pt"), ("empty_band", "empty band"), ("pages", "pages"),
           ("boxes", "boxes"), ("stubs", "stubs"), ("route_pages", "route pages"),
           ("frame_clashes", "frame clashes")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scopes", nargs="*", help="names of scopes to run (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)
    chosen = [(n, f) for n, f in SCOPES if not args.scopes or n in args.scopes]
    if not args.json:
        print(f"{'scope':34}" + "".join(f"{h:>15}" for _k, h in COLUMNS) + f"{'CPU s':>8}")
    for name, run in chosen:
        if name.startswith("curriculum-") and not CURRICULA.is_dir():
            print(f"{name:34} skipped: {CURRICULA} is absent")
            continue
        t0 = time.process_time()
        q = run()
        cpu = time.process_time() - t0
        if args.json:
            print(json.dumps({"scope": name, **q.__dict__, "cpu": round(cpu, 2)}))
        else:
            print(f"{name:34}" + "".join(f"{getattr(q, k)!s:>15}" for k, _h in COLUMNS)
                  + f"{cpu:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
