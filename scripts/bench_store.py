"""Time the database store on a national-scale synthetic catalog.

Targets (2 cores): saving 50,000 credentials and ~150,000 edges into a fresh SQLite
file in <= 20 s with peak memory <= 1.5 GB; loading it back into a Catalog and a
networkx graph in <= 5 s; ``load_upstream`` for 100 random qualifications (median and
95th percentile, with the upstream sizes, checked against networkx); then routes through
the database as ``pathways route --db`` reads it (plain sqlite3 reader, upstream query,
solve), median <= 50 ms. Run:
``python scripts/bench_store.py [--credentials N] [--seed S] [--db PATH] [--no-load]``
(``--no-load`` skips loading everything back, for a million credentials). Every stage
prints wall time, CPU time and the peak resident memory so far.

``--import-file`` times what a user runs instead: the catalog written to a JSON file by
``generate_catalog.py`` (or ``--file`` given), then ``pathways import FILE --db DB`` in
a process of its own, so that its CPU time and peak RSS are the import's alone
(targets for 1,000,000 credentials: <= 10 min, <= 2 GiB), then the routes through the
database. Run: ``python scripts/bench_store.py --import-file --credentials 1000000
[--file catalog.json]``.
Exits 1 when a target is missed. Times are wall-clock (targets) with the process's CPU
time beside them: on a busy machine the two differ.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from pathways import store
from pathways.catalog import to_graph

SAVE_LIMIT_S = 20.0
LOAD_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 1536.0
ROUTE_MEDIAN_LIMIT_MS = 50.0
IMPORT_LIMIT_S = 600.0  # a million credentials from a file: 10 minutes
IMPORT_MEMORY_MB = 2048.0  # and 2 GiB


def peak_rss_mb() -> float:
    """The process's peak resident set size so far (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def current_rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=50_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--edges-per-credential", type=float, default=3.0, metavar="E")
    parser.add_argument("--db", metavar="PATH",
                        help="SQLite file to write (must not exist; default: a temporary one)")
    parser.add_argument("--queries", type=int, default=100, metavar="Q",
                        help="qualifications to ask load_upstream about and route to")
    parser.add_argument("--no-load", action="store_true",
                        help="skip loading the whole catalog back (and the networkx check)")
    parser.add_argument("--import-file", action="store_true",
                        help="instead: write the catalog to a JSON file (generate_catalog.py), "
                             "time `pathways import` of it in a process of its own (CPU, "
                             "wall, peak RSS), then route through the database")
    parser.add_argument("--file", metavar="JSON",
                        help="with --import-file: import this catalog file (not generated)")
    args = parser.parse_args(argv)

    try:
        from pathways.synthetic import generate_catalog
    except ImportError:
        print("pathways.synthetic is not available: cannot generate the catalog",
              file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        if Path(db).exists():
            print(f"{db} exists; give a new file name", file=sys.stderr)
            return 2
        if args.import_file:
            return import_file(args, db, Path(tmp))
        return run(generate_catalog, args, db)


def run(generate_catalog: object, args: argparse.Namespace, db: str) -> int:
    ok = True
    start = time.perf_counter()
    catalog = generate_catalog(args.credentials, seed=args.seed,  # type: ignore[operator]
                               edges_per_credential=args.edges_per_credential)
    requirement_edges = sum(len(clause) for c in catalog for clause in c.requires)
    print(f"catalog: {len(catalog.credentials):,} credentials, {len(catalog.providers)} "
          f"providers, {len(catalog.stacking):,} stacking edges + {requirement_edges:,} "
          f"requirement alternatives = {len(catalog.stacking) + requirement_edges:,} edges "
          f"(generated in {time.perf_counter() - start:.1f} s, peak RSS {peak_rss_mb():,.0f} MB)")
    before_save = current_rss_mb()

    # -- save ---------------------------------------------------------------------------------
    start, cpu = time.perf_counter(), time.process_time()
    engine = store.connect(db)
    counts = store.save_catalog(engine, catalog, mode="new")
    save_s, save_cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    peak = peak_rss_mb()
    size_mb = Path(db).stat().st_size / 2**20
    rows = sum(counts.values())
    print(f"save:     {save_s:6.2f} s (CPU {save_cpu:.2f} s)   {rows:,} rows "
          f"({rows / save_s:,.0f} rows/s), "
          f"file {size_mb:.1f} MB   [target <= {SAVE_LIMIT_S:.0f} s: "
          f"{verdict(save_s <= SAVE_LIMIT_S)}]")
    print(f"memory:   peak RSS {peak:,.0f} MB (catalog in memory before saving: "
          f"{before_save:,.0f} MB, after: {current_rss_mb():,.0f} MB)   "
          f"[target <= {MEMORY_LIMIT_MB:,.0f} MB: {verdict(peak <= MEMORY_LIMIT_MB)}]")
    ok &= save_s <= SAVE_LIMIT_S and peak <= MEMORY_LIMIT_MB
    rng = random.Random(args.seed)
    quals = sorted(c.id for c in catalog if c.kind == "qualification")
    picks = rng.sample(quals, min(args.queries, len(quals)))
    ok &= routes_through_database(db, picks)
    if args.no_load:
        print("all targets met" if ok else "SOME TARGETS MISSED")
        return 0 if ok else 1

    # -- load ---------------------------------------------------------------------------------
    start, cpu = time.perf_counter(), time.process_time()
    engine = store.connect(db)
    loaded = store.load_catalog(engine)
    load_s, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    graph = to_graph(loaded)
    total_s, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    same = loaded == catalog
    print(f"load:     {load_s:6.2f} s catalog + {total_s - load_s:.2f} s to_graph = "
          f"{total_s:.2f} s (CPU {load_cpu:.2f} + {total_cpu - load_cpu:.2f} s)   "
          f"({graph.number_of_nodes():,} nodes, "
          f"{graph.number_of_edges():,} edges; equal to the saved catalog: "
          f"{'yes' if same else 'NO'})   [target <= {LOAD_LIMIT_S:.0f} s: "
          f"{verdict(total_s <= LOAD_LIMIT_S)}]")
    ok &= total_s <= LOAD_LIMIT_S and same

    # -- upstream -----------------------------------------------------------------------------
    times: list[float] = []
    sizes: list[int] = []
    wrong = 0
    for q in picks:
        start = time.perf_counter()
        up = store.load_upstream(engine, [q])
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(up.credentials))
        wrong += {c.id for c in up} != nx.ancestors(graph, q) | {q}
    engine.dispose()
    if times:
        print(f"upstream: {len(times)} qualifications: median {statistics.median(times):.1f} ms,"
              f" p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms; upstream size "
              f"median {statistics.median(sizes):.0f}, p95 {percentile(sizes, 0.95):.0f}, "
              f"max {max(sizes)}; {'all match' if not wrong else f'{wrong} DIFFER from'} "
              "networkx.ancestors")
    ok &= not wrong
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


def import_file(args: argparse.Namespace, db: str, tmp: Path) -> int:
    """``pathways import FILE --db DB`` in a process of its own, so that its peak memory
    is the import's alone; then routes through the database it wrote."""
    scripts = Path(__file__).resolve().parent
    path = Path(args.file) if args.file else tmp / "catalog.json"
    if not args.file:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(scripts / "generate_catalog.py"),
                        "--credentials", str(args.credentials), "--seed", str(args.seed),
                        "--edges-per-credential", str(args.edges_per_credential),
                        "-o", str(path)], check=True)
        print(f"generate: {time.perf_counter() - start:.1f} s wall (generate_catalog.py)")
    start = time.perf_counter()
    errors = tmp / "import-stderr.txt"  # the warnings, one a line; the error if it fails
    with errors.open("w") as err:
        child = subprocess.Popen([sys.executable, "-m", "pathways", "import", str(path),
                                  "--db", db], stdout=subprocess.PIPE, stderr=err, text=True,
                                 cwd=scripts.parent)
        assert child.stdout is not None
        said = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    if not said:
        lines = errors.read_text(errors="replace").splitlines()
        said = f"exit {child.returncode}: {lines[-1] if lines else ''}"
    print(f"import:   {said}")
    ok = child.returncode == 0 and cpu <= IMPORT_LIMIT_S and peak <= IMPORT_MEMORY_MB
    print(f"          {path.stat().st_size / 2**20:,.0f} MB file: CPU {cpu:.1f} s "
          f"(user {usage.ru_utime:.1f} + system {usage.ru_stime:.1f}), wall {wall:.1f} s, "
          f"peak RSS {peak:,.0f} MB (the import process's own)   [targets <= "
          f"{IMPORT_LIMIT_S:.0f} s CPU, <= {IMPORT_MEMORY_MB:,.0f} MB: {verdict(ok)}]")
    if child.returncode != 0:
        return 1
    with sqlite3.connect(db) as conn:
        quals = [r[0] for r in conn.execute(
            "SELECT id FROM credentials WHERE kind = 'qualification' ORDER BY id")]
    picks = random.Random(args.seed).sample(quals, min(args.queries, len(quals)))
    ok &= routes_through_database(db, picks)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


def routes_through_database(db: str, picks: Sequence[str]) -> bool:
    """Route to each of ``picks`` as ``pathways route --db`` does: the plain sqlite3
    reader, the upstream query, the solve. Prints the spread and the peak memory."""
    from pathways.errors import NoRouteError
    from pathways.routes import find_route

    reader = store.open_reader(db)
    times: list[float] = []
    none = 0
    cpu = time.process_time()
    cpu_times: list[float] = []
    for q in picks:
        start, one_cpu = time.perf_counter(), time.process_time()
        part = store.load_upstream(reader, [q])
        try:
            find_route(part, q)
        except NoRouteError:
            none += 1
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - one_cpu) * 1000)
    cpu = time.process_time() - cpu
    if not times:
        return True
    median = statistics.median(times)
    print(f"routes:   {len(times)} qualifications through the database (sqlite3 reader, "
          f"upstream query, solve): median {median:.1f} ms, p95 {percentile(times, 0.95):.1f} ms,"
          f" max {max(times):.1f} ms (CPU median {statistics.median(cpu_times):.1f} ms, "
          f"{cpu:.2f} s in all; {none} without a route); peak "
          f"RSS {peak_rss_mb():,.0f} MB   [median <= {ROUTE_MEDIAN_LIMIT_MS:.0f} ms: "
          f"{verdict(median <= ROUTE_MEDIAN_LIMIT_MS)}]")
    return median <= ROUTE_MEDIAN_LIMIT_MS


if __name__ == "__main__":
    sys.exit(main())
