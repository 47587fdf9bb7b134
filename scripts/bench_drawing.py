"""Benchmarks for pathway maps: the layout of a 2,000-credential scope, maps to PDF.

    .venv/bin/python scripts/bench_drawing.py [--repeat 3]

Each case runs in a fresh Python process, timed from before its imports to the file
written (as ``pathways draw`` would run), and prints wall-clock and CPU seconds, the best
of ``--repeat`` runs. Targets: the layout alone of 2,000 credentials in 10 s or less; a
150-credential map to PDF in 5 s or less. Catalogs come from
:func:`pathways.synthetic.generate_catalog` (fixed seeds), so the numbers are
comparable from run to run; the catalog is generated before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each case: a name, what it shows, and the code run in a child process. The child gets
# CATALOG (built untimed) and OUT (a temporary folder); it sets RESULT.
CASES = [
    ("layout-2000",
     "layout alone: 2,000 credentials of a generated 2,500-credential catalog",
     "from pathways.synthetic import generate_catalog\n"
     "import random\n"
     "cat = generate_catalog(2500, seed=1)\n"
     "ids = random.Random(1).sample(sorted(c.id for c in cat), 2000)\n",
     "from pathways.layout import layout\n"
     "lay = layout(cat, ids)\n"
     "RESULT = {'credentials': len(lay.boxes), 'edges': len(lay.edges), "
     "'crossings': lay.crossings, 'ranks': sum(c.ranks for c in lay.columns)}\n"),
    ("map-150-sparse",
     "map to PDF: generated catalog of 150, 1.2 edges a credential (the demo's density)",
     "from pathways.synthetic import generate_catalog\n"
     "cat = generate_catalog(150, seed=1, edges_per_credential=1.2)\nids = None\n",
     "from pathways.drawing import draw_map\n"
     "w = draw_map(cat, OUT / 'map.pdf', ids=ids)\n"
     "RESULT = {'credentials': len(cat), 'pages': w.pages}\n"),
    ("map-150-dense",
     "map to PDF: generated catalog of 150, 3 edges a credential (the generator's default)",
     "from pathways.synthetic import generate_catalog\n"
     "cat = generate_catalog(150, seed=1)\nids = None\n",
     "from pathways.drawing import draw_map\n"
     "w = draw_map(cat, OUT / 'map.pdf', ids=ids)\n"
     "RESULT = {'credentials': len(cat), 'pages': w.pages}\n"),
    ("map-upstream-131",
     "map to PDF: all that leads to CERT-000042 in a generated 2,000 (131 credentials)",
     "from pathways.synthetic import generate_catalog\n"
     "cat = generate_catalog(2000, seed=1)\n",
     "from pathways.drawing import draw_map, select\n"
     "scope = select(cat, to='CERT-000042')\n"
     "w = draw_map(cat, OUT / 'map.pdf', ids=scope.ids, title=scope.title)\n"
     "RESULT = {'credentials': len(scope.ids), 'pages': w.pages}\n"),
    ("map-demo",
     "map to PDF: the whole demo catalog (81 credentials), A4",
     "from pathways.formats import read_catalog\n"
     f"cat = read_catalog({str(ROOT / 'graphs' / 'demo.json')!r})\n",
     "from pathways.drawing import draw_map\n"
     "w = draw_map(cat, OUT / 'map.pdf')\n"
     "RESULT = {'credentials': len(cat), 'pages': w.pages}\n"),
]

CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
OUT = Path({out!r})
{setup}
wall0, cpu0 = time.perf_counter(), time.process_time()
{timed}
RESULT['wall_s'] = round(time.perf_counter() - wall0, 2)
RESULT['cpu_s'] = round(time.process_time() - cpu0, 2)
print(json.dumps(RESULT))
"""


def run_case(setup: str, timed: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        code = CHILD.format(root=str(ROOT), out=out, setup=setup, timed=timed)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best kept)")
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args(argv)
    for name, what, setup, timed in CASES:
        if args.cases and name not in args.cases:
            continue
        runs = [run_case(setup, timed) for _ in range(max(1, args.repeat))]
        best = min(runs, key=lambda r: r["wall_s"])
        facts = ", ".join(f"{k} {v}" for k, v in best.items() if k not in ("wall_s", "cpu_s"))
        print(f"{name:18} {best['wall_s']:6.2f} s wall {best['cpu_s']:6.2f} s CPU  "
              f"({facts})  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
