"""Time `pathways route` on the demo catalog from the shell, as a user runs it.

Target (issue: exact cheapest route): at most 1 s wall clock, and the command imports
nothing it does not need (no matplotlib). Prints the median and best of N runs.

    .venv/bin/python scripts/bench_cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["route", "--to", "DIP-ITS5", "--have", "MC-CLOUD4", "--have", "MC-PYDATA5"]
PROBE = ("import sys; from pathways.cli import main; main({args!r}); "
         "print('heavy:', sorted(m for m in ('matplotlib', 'sqlalchemy', 'sqlmodel') "
         "if m in sys.modules))")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("pathways")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else
                                                          ["-m", "pathways"]), *COMMAND]
    env = dict(os.environ, PATHWAYS_NO_PROGRESS="1")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    probe = subprocess.run([sys.executable, "-c", PROBE.format(args=COMMAND)], check=True,
                           capture_output=True, text=True, env=env, cwd=ROOT)
    heavy = probe.stdout.strip().splitlines()[-1]
    median = statistics.median(times)
    verdict = "ok" if median <= 1.0 else "MISSED"
    print(f"pathways {' '.join(COMMAND)}")
    print(f"  wall clock over {args.runs} runs: median {median:.2f} s, best {min(times):.2f} s,"
          f" worst {max(times):.2f} s  [target <= 1 s: {verdict}]")
    print(f"  heavy modules imported by the command: {heavy}")
    return 0 if median <= 1.0 and "matplotlib" not in heavy else 1


if __name__ == "__main__":
    sys.exit(main())
