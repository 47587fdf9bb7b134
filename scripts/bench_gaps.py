"""Time the full gap report on the demo catalog and on synthetic catalogs of 50,000 and
200,000 credentials, and say how its cost grows.

Targets (issue 13): the demo catalog (graphs/demo.json) in <= 2 s; the full report on
``generate_catalog(50000, seed=1)`` in <= 60 s CPU and on 200,000 credentials in <= 300 s
CPU, the growth exponent between them (log of the CPU ratio over log of the size ratio)
<= 1.1. CPU time is this process's: the route-solving workers are started by a fork
server, not by this process, so their CPU is not counted -- measure CPU with ``--jobs 1``
(everything in this process); wall time is noisy on a shared machine. Each size runs in
a fresh process so its peak memory (resident set of that process) is its own. Prints the
time of each phase (the structural checks, the cheapest routes to every qualification,
the bottleneck re-solves) and the findings by kind.

CPU time here (a virtual machine on a shared host) varies by half from one process to
the next with nothing else running: the same 50,000-credential report took 31.9 to
51.4 s in 25 runs of one day, 35.9 s and 47.2 s minutes apart with one hash seed. A 50,000
run (under a minute) can fall wholly in a fast or a slow spell where a 200,000 run
(three minutes) averages over several, so one run of each can move the exponent by 0.1
either way, and the fastest of several runs would favour the short one. So each size is
run in proportion to how much smaller it is than the largest (50,000 four times for each
200,000 run), the runs taking turns, and every figure is judged on its mean over the
runs: each size is then measured over about the same stretch of time. Every run is
printed.

Run: ``python scripts/bench_gaps.py [N ...]`` (sizes, default 50000 200000;
``--demo-only`` for the demo alone; ``--jobs N`` worker processes, default one per CPU;
``--rounds N``: that many runs of the largest size, default 1).
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog
from pathways.formats import read_catalog
from pathways.gaps import GapOptions, GapReport, find_gaps
from pathways.gaps.parallel import available_cpus

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
LIMITS = {50_000: 60.0, 200_000: 300.0}  # CPU seconds
MAX_EXPONENT = 1.1


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
        if self.show and (now - self.last > 10 or done == total):
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


def peak_mib() -> float:
    """The largest resident set of this process or of one of its workers, in MiB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(me, kids) / 1024  # Linux reports KiB


def run(catalog: Catalog, workers: int, show: bool) -> dict[str, object]:
    cpu = cpu_seconds()
    phases = Phases(show)
    report: GapReport = find_gaps(catalog, GapOptions(as_of=AS_OF), progress=phases,
                                  workers=workers)
    end = time.perf_counter()
    return {
        "credentials": len(catalog),
        "edges": len(catalog.stacking),
        "cpu": cpu_seconds() - cpu,
        "wall": end - phases.start,
        "peak_mib": peak_mib(),
        "phases": phases.report(end),
        "findings": len(report.findings),
        "by_kind": report.summary["by_kind"],
    }


def one_size(n: int, workers: int) -> int:
    """Generate n credentials, time the report, print the figures as one JSON line."""
    from pathways.synthetic import generate_catalog

    t = time.perf_counter()
    catalog = generate_catalog(n, seed=1)
    generated = time.perf_counter() - t
    result = run(catalog, workers, show=True)
    result["generated"] = generated
    print(json.dumps(result), flush=True)
    return 0


def show(name: str, r: dict[str, object], limit: float | None) -> bool:
    cpu = float(r["cpu"])  # type: ignore[arg-type]
    ok = limit is None or cpu <= limit
    target = f" (target <= {limit:g} s CPU) {'ok' if ok else 'TOO SLOW'}" if limit else ""
    print(f"{name}: {r['credentials']:,} credentials, {r['edges']:,} stacking edges")
    print(f"  full gap report: CPU {cpu:.1f} s{target}; wall {float(r['wall']):.1f} s; "  # type: ignore[arg-type]
          f"peak memory {float(r['peak_mib']):,.0f} MiB")  # type: ignore[arg-type]
    print(f"  phases (wall): {r['phases']}")
    kinds = ", ".join(f"{k} {v:,}" for k, v in r["by_kind"].items())  # type: ignore[attr-defined]
    print(f"  findings: {r['findings']:,} ({kinds})")
    return ok


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    workers = _flag(argv, "--jobs", available_cpus())
    rounds = _flag(argv, "--rounds", 1)
    if "--one" in argv:
        return one_size(_flag(argv, "--one", 0), workers)
    demo = run(read_catalog(ROOT / "graphs" / "demo.json"), workers, show=False)
    ok = show("demo catalog", demo, None) and float(demo["wall"]) <= 2.0  # type: ignore[arg-type]
    if "--demo-only" in argv:
        return 0 if ok else 1
    flags = ("--jobs", "--rounds")
    sizes = sorted(int(a) for i, a in enumerate(argv)
                   if a.isdigit() and (i == 0 or argv[i - 1] not in flags)) or list(LIMITS)
    # each round: every size as often as it fits in the largest, half before it, half after
    times = {n: max(1, round(sizes[-1] / n)) for n in sizes}
    order = ([n for n in sizes for _ in range(times[n] // 2)] + [sizes[-1]]
             + [n for n in sizes[:-1] for _ in range(times[n] - times[n] // 2)])
    print(f"({workers} worker process(es) for routes; catalogs generated with seed 1, not "
          f"counted; runs of each size: "
          + ", ".join(f"{n:,} x {times[n] * rounds}" for n in sizes) + ")")
    runs: dict[int, list[dict[str, object]]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in order:
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--jobs",
                                  str(workers)], stdout=subprocess.PIPE, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            runs[n].append(r)
            print(f"  run {len(runs[n])} of {n:,}: CPU {r['cpu']:.1f} s; {r['phases']}",
                  flush=True)
    mean = {n: _mean(rs) for n, rs in runs.items()}
    for n in sizes:
        ok = show(f"synthetic catalog of {n:,}" + (f" (mean of {len(runs[n])} runs)"
                                                   if len(runs[n]) > 1 else ""),
                  mean[n], LIMITS.get(n)) and ok
    if len(sizes) >= 2:
        n1, n2 = sizes[0], sizes[-1]
        exponent = (math.log(float(mean[n2]["cpu"]) / float(mean[n1]["cpu"]))
                    / math.log(n2 / n1))
        good = exponent <= MAX_EXPONENT
        print(f"growth exponent of CPU time from {n1:,} to {n2:,}: {exponent:.2f} "
              f"(target <= {MAX_EXPONENT}) {'ok' if good else 'TOO STEEP'}")
        ok = ok and good
    return 0 if ok else 1


def _flag(argv: list[str], name: str, default: int) -> int:
    """The whole number after ``name`` (at least 1), or ``default`` when it is not given;
    a one-line error when it is not a whole number."""
    if name not in argv:
        return default
    i = argv.index(name) + 1
    if i >= len(argv) or not argv[i].isdigit() or int(argv[i]) < 1:
        raise SystemExit(f"bench_gaps.py: {name} needs a whole number from 1, "
                         f"not {argv[i] if i < len(argv) else 'nothing'}")
    return int(argv[i])


def _mean(rs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs of one size as one: mean CPU and wall time, the largest peak memory, the
    findings (the same in every run: the report is deterministic)."""
    out = dict(rs[0])
    for key in ("cpu", "wall"):
        out[key] = sum(float(r[key]) for r in rs) / len(rs)
    out["peak_mib"] = max(float(r["peak_mib"]) for r in rs)
    if len(rs) > 1:
        out["phases"] = "each run's, above"
    if len({json.dumps(r["by_kind"]) for r in rs}) > 1:
        raise SystemExit("the report differed between runs of one size: not deterministic")
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
