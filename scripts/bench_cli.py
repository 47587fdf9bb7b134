"""Time the CLI from the shell, as a user runs it: start-up cost included.

Targets (issue 13 item 3): `pathways --help` <= 0.2 s; `pathways route --db catalog.db
--to X` <= 0.5 s wall on an idle machine (the demo imported into a temporary SQLite
file); `pathways route` on the demo file <= 1 s. Reading commands import nothing they do
not need: no matplotlib, no SQLAlchemy/sqlmodel for a SQLite file, no networkx for a
route. Prints the median, best and worst of N runs with the CPU time of the median run
(wall time rises when the machine is busy; CPU time much less).

    .venv/bin/python scripts/bench_cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "graphs" / "demo.json"
HEAVY = ("matplotlib", "sqlalchemy", "sqlmodel", "pydantic", "networkx", "scipy", "highspy")
PROBE = ("import sys; from pathways.cli import main; main({args!r}); "
         "print('heavy:', sorted(m for m in {heavy!r} if m in sys.modules))")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], float]:
    """Wall times of ``runs`` runs, and the median CPU time of one run."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = children_cpu(), time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    return walls, statistics.median(cpus)


def heavy_modules(args: list[str], env: dict[str, str]) -> str:
    probe = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
                           check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return probe.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("pathways")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "pathways"]
    env = dict(os.environ, PATHWAYS_NO_PROGRESS="1")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "catalog.db")
        subprocess.run([*base, "import", str(DEMO), "--db", db], check=True,
                       capture_output=True, env=env, cwd=ROOT)
        cases = [
            (["--help"], 0.2, ()),
            (["route", "--db", db, "--to", "DIP-ITS5"], 0.5,
             ("matplotlib", "sqlalchemy", "sqlmodel", "pydantic", "networkx")),
            (["route", "--to", "DIP-ITS5", "--have", "MC-CLOUD4", "--have", "MC-PYDATA5"], 1.0,
             ("matplotlib", "sqlalchemy", "sqlmodel")),
        ]
        for command, limit, forbidden in cases:
            walls, cpu = time_command([*base, *command], args.runs, env)
            median = statistics.median(walls)
            heavy = heavy_modules(command, env)
            bad = [m for m in forbidden if f"'{m}'" in heavy]
            shown = " ".join("catalog.db" if c == db else c for c in command)
            print(f"pathways {shown}")
            print(f"  wall clock over {args.runs} runs: median {median:.2f} s, best "
                  f"{min(walls):.2f} s, worst {max(walls):.2f} s; CPU {cpu:.2f} s  "
                  f"[target <= {limit:g} s: {'ok' if median <= limit else 'MISSED'}]")
            print(f"  heavy modules imported by the command: {heavy}"
                  + (f"  [should not: {', '.join(bad)}]" if bad else ""))
            ok &= median <= limit and not bad
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
