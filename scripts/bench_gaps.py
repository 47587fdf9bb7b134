"""Time the full gap report on the demo catalog and on a 50,000-credential synthetic one.

Targets: the demo catalog (graphs/demo.json) in <= 2 s, the synthetic catalog
(``generate_catalog(50000, seed=1)``) in <= 120 s. Prints the time of each phase (the
structural checks, the cheapest routes to every qualification, the bottleneck re-solves)
and the findings by kind. Run: ``python scripts/bench_gaps.py [N]`` (N credentials,
default 50000; ``--demo-only`` for the demo alone).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

from pathways.catalog import Catalog
from pathways.formats import read_catalog
from pathways.gaps import GapOptions, GapReport, find_gaps

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
WORKERS = os.cpu_count() or 1


class Phases:
    """A progress callback that notes when each phase starts, and shows progress."""

    def __init__(self, show: bool) -> None:
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.show = show
        self.last = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.marks.setdefault(label, now)
        if self.show and (now - self.last > 5 or done == total):
            self.last = now
            print(f"  ... {now - self.start:6.1f} s  {label} {done:,}/{total:,}",
                  file=sys.stderr, flush=True)

    def report(self, end: float) -> str:
        points = [("structural checks", self.start)]
        points += [(label, t) for label, t in sorted(self.marks.items(), key=lambda x: x[1])]
        parts = []
        for (label, t), (_next, t2) in zip(points, [*points[1:], ("end", end)], strict=True):
            parts.append(f"{label} {t2 - t:.1f} s")
        return ", ".join(parts)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(name: str, catalog: Catalog, limit: float, show: bool) -> bool:
    cpu = cpu_seconds()
    phases = Phases(show)
    report: GapReport = find_gaps(catalog, GapOptions(as_of=AS_OF), progress=phases,
                                  workers=WORKERS)
    end = time.perf_counter()
    elapsed = end - phases.start
    verdict = "ok" if elapsed <= limit else "TOO SLOW"
    print(f"{name}: {len(catalog):,} credentials, {len(catalog.stacking):,} stacking edges")
    print(f"  full gap report: {elapsed:.2f} s (target <= {limit:g} s) {verdict}; CPU "
          f"{cpu_seconds() - cpu:.1f} s, {WORKERS} worker process(es) allowed")
    print(f"  phases: {phases.report(end)}")
    kinds = ", ".join(f"{k} {n:,}" for k, n in report.summary["by_kind"].items())
    print(f"  findings: {len(report.findings):,} ({kinds})")
    return elapsed <= limit


def main(argv: list[str]) -> int:
    demo = read_catalog(ROOT / "graphs" / "demo.json")
    ok = run("demo catalog", demo, 2.0, show=False)
    if "--demo-only" in argv:
        return 0 if ok else 1
    from pathways.synthetic import generate_catalog

    n = next((int(a) for a in argv if a.isdigit()), 50_000)
    t = time.perf_counter()
    catalog = generate_catalog(n, seed=1)
    print(f"(generated the synthetic catalog in {time.perf_counter() - t:.1f} s, not counted)")
    ok = run("synthetic catalog (seed 1)", catalog, 120.0, show=True) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
