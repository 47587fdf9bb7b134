"""Time the route engine on a national-scale synthetic catalog.

Targets (2 cores): a route to each of 100 random qualifications, loading only its upstream
from SQLite (``store.load_upstream``) and solving it, median <= 50 ms and 95th percentile
<= 250 ms once the process is up; printed with the candidate-set sizes. Then
``cheapest_routes`` over every qualification of the catalog in memory, as the gap report
does: CPU per target (median, p95, max; every one <= 500 ms), with the slowest targets
(the catalog's index and HiGHS's import are one-time costs, timed and printed before and
charged to no target);
then the 10 best routes on the slowest few (<= 5 s each). Run:
``python scripts/bench_routes.py [--credentials N] [--seed S] [--queries Q] [--all N]
[--hardest H] [-k K]``.
Exits 1 when a target is missed. Times are wall-clock with the process's CPU time beside
them: on a busy machine the two differ.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

MEDIAN_LIMIT_MS = 50.0
P95_LIMIT_MS = 250.0
TARGET_LIMIT_MS = 500.0  # issue 13: every qualification target of the 50,000 catalog
ALTERNATIVES_LIMIT_MS = 5000.0  # issue 13: --alternatives 10 on the hardest


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def spread(values: Sequence[float]) -> str:
    return (f"median {statistics.median(values):7.1f}  p95 {percentile(values, 0.95):7.1f}  "
            f"max {max(values):7.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=50_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--queries", type=int, default=100, metavar="Q",
                        help="random qualifications to route to through the database")
    parser.add_argument("--all", dest="all_limit", type=int, default=None, metavar="N",
                        help="route to only the first N qualifications in the bulk pass")
    parser.add_argument("--by", choices=("fee", "hours", "credits"), default="fee")
    parser.add_argument("--hardest", type=int, default=5, metavar="H",
                        help="time the K best routes on the H slowest targets (0: skip)")
    parser.add_argument("-k", type=int, default=10, metavar="K",
                        help="how many routes to ask for on the hardest targets")
    args = parser.parse_args(argv)

    from pathways import store
    from pathways.errors import NoRouteError
    from pathways.routes import cheapest_routes, find_route, find_routes
    from pathways.synthetic import generate_catalog

    start = time.perf_counter()
    catalog = generate_catalog(args.credentials, seed=args.seed)
    quals = sorted(c.id for c in catalog if c.kind == "qualification")
    print(f"catalog: {len(catalog.credentials):,} credentials, {len(quals):,} qualifications, "
          f"{len(catalog.stacking):,} stacking edges (generated in "
          f"{time.perf_counter() - start:.1f} s)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        engine = store.connect(str(Path(tmp) / "bench.db"))
        store.save_catalog(engine, catalog, mode="replace")
        print(f"saved to SQLite in {time.perf_counter() - start:.1f} s")

        rng = random.Random(args.seed)
        picks = rng.sample(quals, min(args.queries, len(quals)))
        find_route(store.load_upstream(engine, [picks[0]]), picks[0], by=args.by)  # warm up
        load_ms: list[float] = []
        solve_ms: list[float] = []
        total_ms: list[float] = []
        sizes: list[int] = []
        unreachable = 0
        cpu = time.process_time()
        for q in picks:
            t0 = time.perf_counter()
            upstream = store.load_upstream(engine, [q])
            t1 = time.perf_counter()
            try:
                route = find_route(upstream, q, by=args.by)
                sizes.append(route.candidates)
            except NoRouteError:
                unreachable += 1
            t2 = time.perf_counter()
            load_ms.append((t1 - t0) * 1000)
            solve_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
        cpu = time.process_time() - cpu
        engine.dispose()
    med, p95 = statistics.median(total_ms), percentile(total_ms, 0.95)
    print(f"\nroutes through the database, {len(picks)} random qualifications by {args.by} "
          f"({unreachable} unreachable; CPU {cpu:.1f} s for {sum(total_ms) / 1000:.1f} s):")
    print(f"  load upstream  ms: {spread(load_ms)}")
    print(f"  solve          ms: {spread(solve_ms)}")
    print(f"  total          ms: {spread(total_ms)}   [targets: median <= "
          f"{MEDIAN_LIMIT_MS:.0f} ms: {'ok' if med <= MEDIAN_LIMIT_MS else 'MISSED'}, "
          f"p95 <= {P95_LIMIT_MS:.0f} ms: {'ok' if p95 <= P95_LIMIT_MS else 'MISSED'}]")
    if sizes:
        print(f"  candidate sets:    median {statistics.median(sizes):7.0f}  p95 "
              f"{percentile(sizes, 0.95):7.0f}  max {max(sizes):7.0f}")
    ok &= med <= MEDIAN_LIMIT_MS and p95 <= P95_LIMIT_MS

    # -- every qualification, in memory, as the gap report asks -------------------------------
    # One-time set-up, timed on its own and charged to no target: the catalog's index
    # (built once per catalog and cached; the gap report builds it once too) and HiGHS's
    # import (the first programme solved in a process loads it).
    from pathways.index import index_of

    t0 = time.process_time()
    index_of(catalog)
    index_cpu = time.process_time() - t0
    t0 = time.process_time()
    import highspy  # noqa: F401

    highs_cpu = time.process_time() - t0
    print(f"\none-time set-up, not charged to a target: the catalog's index {index_cpu:.2f} s "
          f"CPU, HiGHS's import {highs_cpu:.2f} s CPU")
    targets = quals[: args.all_limit] if args.all_limit else quals
    per_target: list[tuple[float, str, int]] = []
    reached = 0
    start, cpu = time.perf_counter(), time.process_time()
    for i, q in enumerate(targets, 1):
        t0 = time.process_time()
        route = cheapest_routes(catalog, [q], by=args.by)[q]
        per_target.append(((time.process_time() - t0) * 1000, q,
                           route.candidates if route else 0))
        reached += route is not None
        if i % 1000 == 0:
            print(f"  ... {i:,} of {len(targets):,} in {time.perf_counter() - start:.0f} s",
                  file=sys.stderr)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    times = [t for t, _q, _n in per_target]
    worst = max(times)
    print(f"\ncheapest_routes over {len(targets):,} qualifications in memory: {wall:.1f} s "
          f"(CPU {cpu:.1f} s), {reached:,} reachable")
    print(f"  per target CPU ms: {spread(times)}   mean {statistics.mean(times):.1f}   "
          f"[target: every one <= {TARGET_LIMIT_MS:.0f} ms: "
          f"{'ok' if worst <= TARGET_LIMIT_MS else 'MISSED'}; "
          f"{sum(t > TARGET_LIMIT_MS for t in times)} over]")
    slowest = sorted(per_target, reverse=True)[:5]
    print("  slowest: " + ", ".join(f"{q} {t:.0f} ms ({n} candidates)" for t, q, n in slowest))
    ok &= worst <= TARGET_LIMIT_MS

    # -- the K best routes on the hardest targets ---------------------------------------------
    hardest = [q for _t, q, _n in sorted(per_target, reverse=True)[: args.hardest]]
    alt_ms: list[float] = []
    for q in hardest:
        t0 = time.process_time()
        with contextlib.suppress(NoRouteError):
            find_routes(catalog, q, k=args.k, by=args.by)
        alt_ms.append((time.process_time() - t0) * 1000)
    if alt_ms:
        print(f"\nfind_routes k={args.k} on the {len(hardest)} slowest targets, CPU ms: "
              f"{spread(alt_ms)}   [target: every one <= {ALTERNATIVES_LIMIT_MS:.0f} ms: "
              f"{'ok' if max(alt_ms) <= ALTERNATIVES_LIMIT_MS else 'MISSED'}]")
        print("  " + ", ".join(f"{q} {t:.0f} ms" for q, t in zip(hardest, alt_ms, strict=True)))
        ok &= max(alt_ms) <= ALTERNATIVES_LIMIT_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
