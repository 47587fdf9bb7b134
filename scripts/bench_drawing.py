"""Benchmarks for pathway maps: the layout of a 2,000-credential scope, maps to PDF.

    .venv/bin/python scripts/bench_drawing.py [--repeat 3] [CASE ...]

Each case runs in a fresh Python process, timed from before the drawing modules'
imports (matplotlib's among them) to the file written, as ``pathways draw`` would run,
and prints wall-clock and CPU seconds, each the best of ``--repeat`` runs (CPU time is
the steadier figure on a shared machine). Targets: the layout alone of 2,000 credentials
in 10 s or less; a 150-credential map to PDF in 5 s or less. Catalogs come from
:func:`pathways.synthetic.generate_catalog` (fixed seeds), so the numbers are comparable
from run to run; the catalog is generated and its scope chosen before the clock starts.
``boxes`` counts the boxes drawn, repeats of split maps included.
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
# The boxes drawn, planned again as draw_map plans (its default title and subtitle).
_BOXES = ("from pathways.drawing import _default_subtitle, plan_map\n"
          "ids = IDS if IDS is not None else sorted(c.id for c in cat)\n"
          "pp = plan_map(cat, ids, page=PAGE, title=TITLE or cat.name or 'Pathway map', "
          "subtitle=_default_subtitle(cat, ids))\n"
          "RESULT['boxes'] = sum(len(s.ids) for p in pp for s, _x, _y in p.strips)\n")


def _map_case(name: str, what: str, setup: str, page: str) -> tuple[str, str, str, str, str]:
    """A map to PDF of the scope ``setup`` picks (it sets cat, IDS and TITLE)."""
    timed = ("from pathways.drawing import draw_map\n"
             f"w = draw_map(cat, OUT / 'map.pdf', ids=IDS, title=TITLE, page={page!r})\n"
             "RESULT = {'credentials': len(IDS) if IDS is not None else len(cat), "
             "'pages': w.pages}\n")
    return name, what, setup + f"PAGE = {page!r}\n", timed, _BOXES


GENERATED_2000 = ("from pathways.synthetic import generate_catalog\n"
                  "from pathways.drawing import select\n"
                  "cat = generate_catalog(2000, seed=1)\n")
PROVIDER = GENERATED_2000 + ("s = select(cat, provider='polytechnic-07')\n"
                             "IDS, TITLE = s.ids, s.title\n")
UPSTREAM = GENERATED_2000 + ("s = select(cat, to='CERT-000042')\n"
                             "IDS, TITLE = s.ids, s.title\n")
SPARSE = ("from pathways.synthetic import generate_catalog\n"
          "cat = generate_catalog(150, seed=1, edges_per_credential=1.2)\n"
          "IDS, TITLE = None, None\n")
SCATTER = ("from pathways.synthetic import generate_catalog\n"
           "cat = generate_catalog(150, seed=1)\nIDS, TITLE = None, None\n")
DEMO = ("from pathways.formats import read_catalog\n"
        f"cat = read_catalog({str(ROOT / 'graphs' / 'demo.json')!r})\n"
        "IDS, TITLE = None, None\n")

# Each case: a name, what it shows, code run untimed in a child process (it builds the
# catalog), the timed code (it sets RESULT) and code run after the clock stops (facts
# for the report). The child gets OUT, a temporary folder.
CASES = [
    ("layout-2000",
     "layout alone: 2,000 credentials of a generated 2,500-credential catalog",
     "from pathways.synthetic import generate_catalog\n"
     "import random\n"
     "cat = generate_catalog(2500, seed=1)\n"
     "ids = random.Random(1).sample(sorted(c.id for c in cat), 2000)\n",
     "from pathways.drawing.layered import layout\n"
     "lay = layout(cat, ids)\n"
     "RESULT = {'credentials': len(lay.boxes), 'edges': len(lay.edges), "
     "'crossings': lay.crossings, 'ranks': sum(c.ranks for c in lay.columns)}\n", ""),
    _map_case("provider-146-A4", "map to PDF, A4: a provider's pathways (polytechnic-07 and "
              "all its credentials lead to) in a generated 2,000 at the default density "
              "(3 edges a credential)", PROVIDER, "A4"),
    _map_case("provider-146-A3", "the same on A3", PROVIDER, "A3"),
    _map_case("upstream-131-A4", "map to PDF, A4: all that leads to CERT-000042 in the "
              "same catalog", UPSTREAM, "A4"),
    _map_case("sparse-150-A4", "map to PDF, A4: a generated catalog of 150 at 1.2 edges a "
              "credential (the demo's density)", SPARSE, "A4"),
    _map_case("sparse-150-A3", "the same on A3", SPARSE, "A3"),
    _map_case("scatter-150-A4", "map to PDF, A4: a whole generated catalog of 150 at the "
              "default density (5 providers' credentials, cross-linked at random)", SCATTER,
              "A4"),
    _map_case("demo-81-A4", "map to PDF, A4: the whole demo catalog", DEMO, "A4"),
]

CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
OUT = Path({out!r})
{setup}
wall0, cpu0 = time.perf_counter(), time.process_time()
{timed}
RESULT['wall_s'] = round(time.perf_counter() - wall0, 2)
RESULT['cpu_s'] = round(time.process_time() - cpu0, 2)
{after}
print(json.dumps(RESULT))
"""


def run_case(setup: str, timed: str, after: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        code = CHILD.format(root=str(ROOT), out=out, setup=setup, timed=timed, after=after)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best kept)")
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args(argv)
    for name, what, setup, timed, after in CASES:
        if args.cases and name not in args.cases:
            continue
        runs = [run_case(setup, timed, after) for _ in range(max(1, args.repeat))]
        wall = min(r["wall_s"] for r in runs)
        cpu = min(r["cpu_s"] for r in runs)
        facts = ", ".join(f"{k} {v}" for k, v in runs[0].items() if k not in ("wall_s", "cpu_s"))
        print(f"{name:16} {wall:6.2f} s wall {cpu:6.2f} s CPU  ({facts})  {what}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
