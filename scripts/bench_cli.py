"""Time the CLI from the shell, as a user runs it: start-up cost included.

Targets (issue 13 item 3): `pathways --help` <= 0.2 s; `pathways route --db catalog.db
--to X` <= 0.5 s wall on an idle machine (the demo imported into a temporary SQLite
file); `pathways route` on the demo file <= 1 s. Commands import only what they use:
--help none of the library (only ``pathways`` and ``pathways.cli``), a route no
matplotlib, no SQLAlchemy/sqlmodel for a SQLite file, no networkx, and no numpy or
highspy unless a programme is solved (the demo's routes need none). Also timed, without
a target: `what-if --no-gaps` and `route --alternatives 3`, which solve programmes but
need no graph library.

Prints the median, best and worst wall time of N runs, the median CPU time, and the load
average before and after (wall time rises when the machine is busy; CPU time much less).

Bytecode: an installed package runs from compiled bytecode (``__pycache__``, written at
install time or on the first run). Where PYTHONDONTWRITEBYTECODE is set (CI images, some
containers) and the tree has no ``__pycache__``, every run compiles each module it
imports from source instead. By default the runs use bytecode compiled into a temporary
folder (PYTHONPYCACHEPREFIX, written by one untimed run; the tree is left as it is);
``--no-bytecode`` runs with the environment as it is, and says whether that compiles.

    .venv/bin/python scripts/bench_cli.py [--runs 7] [--no-bytecode]
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
HEAVY = ("matplotlib", "sqlalchemy", "sqlmodel", "pydantic", "networkx", "scipy", "highspy",
         "numpy")
PROBE = ("import sys; from pathways.cli import main; main({args!r}); "
         "print('heavy:', sorted(m for m in {heavy!r} if m in sys.modules)); "
         "print('ours:', sorted(m for m in sys.modules if m.startswith('pathways')))")
NO_GRAPH = ("matplotlib", "sqlalchemy", "sqlmodel", "pydantic", "networkx")
ROUTE_FORBIDS = ("matplotlib", "sqlalchemy", "sqlmodel", "pydantic", "networkx", "numpy",
                 "highspy")


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


def imported(args: list[str], env: dict[str, str]) -> tuple[str, list[str]]:
    """The heavy modules a command imported (as printed) and the project's own modules."""
    # -P: the code the console script runs (PYTHONPATH or the install), not the folder's
    probe = subprocess.run([sys.executable, "-P", "-c", PROBE.format(args=args, heavy=HEAVY)],
                           check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    lines = probe.stdout.strip().splitlines()
    ours = lines[-1].removeprefix("ours: ").strip("[]").replace("'", "").split(", ")
    return lines[-2], ours


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def environment(tmp: str, bytecode: bool) -> tuple[dict[str, str], str]:
    env = dict(os.environ, PATHWAYS_NO_PROGRESS="1")
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        return env, "bytecode compiled once (untimed) into a temporary PYTHONPYCACHEPREFIX"
    if env.get("PYTHONDONTWRITEBYTECODE"):
        return env, ("environment as it is: PYTHONDONTWRITEBYTECODE set, so each run "
                     "compiles every module it imports that has no __pycache__ entry")
    return env, "environment as it is (bytecode written on the first run)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="run with the environment as it is (see the module's help)")
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("pathways")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "pathways"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        env, how = environment(tmp, not args.no_bytecode)
        print(f"{how}; load average {load()}")
        db = str(Path(tmp) / "catalog.db")
        subprocess.run([*base, "import", str(DEMO), "--db", db], check=True,
                       capture_output=True, env=env, cwd=ROOT)
        cases = [
            (["--help"], 0.2, HEAVY),
            (["route", "--db", db, "--to", "DIP-ITS5"], 0.5, ROUTE_FORBIDS),
            (["route", "--to", "DIP-ITS5", "--have", "MC-CLOUD4", "--have", "MC-PYDATA5"], 1.0,
             ROUTE_FORBIDS),
            # no target: these solve programmes (numpy, highspy) but need no graph library
            (["what-if", "--remove", "MC-CLOUD4", "--no-gaps"], None, NO_GRAPH),
            (["route", "--to", "DIP-ITS5", "--alternatives", "3"], None, NO_GRAPH),
        ]
        for command, limit, forbidden in cases:
            subprocess.run([*base, *command], check=True, capture_output=True, env=env,
                           cwd=ROOT)  # untimed: writes the bytecode where it is written
            walls, cpu = time_command([*base, *command], args.runs, env)
            median = statistics.median(walls)
            heavy, ours = imported(command, env)
            bad = [m for m in forbidden if f"'{m}'" in heavy]
            if command == ["--help"]:
                bad += [m for m in ours if m not in ("pathways", "pathways.cli")]
            shown = " ".join("catalog.db" if c == db else c for c in command)
            print(f"pathways {shown}")
            met = limit is None or median <= limit
            verdict = "" if limit is None else \
                f"  [target <= {limit:g} s: {'ok' if met else 'MISSED'}]"
            print(f"  wall clock over {args.runs} runs: median {median:.2f} s, best "
                  f"{min(walls):.2f} s, worst {max(walls):.2f} s; CPU {cpu:.2f} s{verdict}")
            print(f"  heavy modules imported by the command: {heavy}; {len(ours)} of the "
                  "project's modules" + (f"  [should not: {', '.join(bad)}]" if bad else ""))
            ok &= met and not bad
        print(f"load average after: {load()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
