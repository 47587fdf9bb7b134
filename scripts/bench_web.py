"""Load benchmark of the web app: concurrent clients planning routes on a national catalog.

Generates the 50,000-credential synthetic catalog (scripts/generate_catalog.py), imports
it into SQLite (`pathways import`), starts `pathways serve --db` on 127.0.0.1 in its own
process, then runs CLIENTS threads that each plan routes (GET /plan?to=…&have=…, the
route page as a browser gets it) back to back for SECONDS. Prints requests, errors,
latency percentiles, the server's CPU time and its memory every 10 s; exits 1 when a
request fails, the route page's p95 is over 300 ms or memory keeps growing.

    python scripts/bench_web.py [--credentials 50000] [--clients 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

P95_TARGET_MS = 300.0
GROWTH_LIMIT = 0.10  # memory over the second half of the run may grow at most 10 %


def family(pid: int) -> list[int]:
    """``pid`` and its descendants (the worker processes of `serve --workers N`)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    out, todo = [pid], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        out += kids
        todo += kids
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its workers, in MB."""
    total = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time of the server and its workers."""
    total = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run(cmd: list[str], **kw: object) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run(cmd, check=True, env=env, **kw)  # type: ignore[call-overload]


def plans(base: str, count: int, seed: int) -> list[str]:
    """Route page addresses: random qualifications, each with up to two of the credentials
    that stack into it held."""
    import httpx2 as httpx

    with httpx.Client(base_url=base, timeout=60) as client:
        quals = [c["id"] for c in client.get(
            "/api/credentials", params={"kind": "qualification"}).json()["credentials"]]
        rng = random.Random(seed)
        urls = []
        for q in rng.sample(quals, min(count, len(quals))):
            sources = [e["id"] for e in client.get(f"/api/credentials/{q}").json()
                       ["stacked_from"]]
            held = rng.sample(sources, min(len(sources), rng.randint(0, 2)))
            urls.append("/plan?" + urlencode([("to", q)] + [("have", h) for h in held]))
    return urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--plans", type=int, default=1000, help="distinct route queries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, help="reuse this imported SQLite catalog")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    import httpx2 as httpx

    from tests.web_server import free_port

    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = args.db
        if db is None or not db.exists():
            db = db or Path(tmp) / "catalog.db"
            source = Path(tmp) / "catalog.json"
            started = time.perf_counter()
            run([python, str(ROOT / "scripts" / "generate_catalog.py"), "--credentials",
                 str(args.credentials), "--seed", str(args.seed), "-o", str(source)],
                stdout=subprocess.DEVNULL)
            run([python, "-m", "pathways", "import", str(source), "--db", str(db)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"catalog: {args.credentials:,} credentials generated and imported into "
                  f"SQLite in {time.perf_counter() - started:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = subprocess.Popen(
            [python, "-m", "pathways", "serve", "--db", str(db), "--port", str(port),
             "--workers", str(args.workers)],
            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        try:
            while True:
                try:
                    if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None:
                    print(server.stderr.read() if server.stderr else "", file=sys.stderr)
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            print(f"server: up in {time.perf_counter() - started:.1f} s, "
                  f"{rss_mb(server.pid):.0f} MB")
            urls = plans(base, args.plans, args.seed)
            return _load(base, urls, server.pid, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _load(base: str, urls: list[str], pid: int, clients: int, seconds: float) -> int:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    memory: list[tuple[float, float]] = []
    cpu0 = cpu_seconds(pid)
    t0 = time.monotonic()

    host, port = base.removeprefix("http://").split(":")

    def client(n: int) -> None:
        # http.client over one kept-alive connection: a light client, so the machine's
        # CPU goes to the server being measured rather than to the load generator.
        rng = random.Random(n)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < stop:
            url = rng.choice(urls)
            began = time.perf_counter()
            try:
                conn.request("GET", url)
                r = conn.getresponse()
                body = r.read()
                ok = r.status in (200, 404) and body.rstrip().endswith(b"</html>")
                why = f"{r.status} {url}"
            except (OSError, http.client.HTTPException) as exc:
                ok, why = False, f"{type(exc).__name__} {url}"
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
            took = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(took)
                if not ok:
                    errors.append(why)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        memory.append((time.monotonic() - t0, rss_mb(pid)))
        time.sleep(1.0)
    for t in threads:
        t.join()
    cpu = cpu_seconds(pid) - cpu0
    wall = time.monotonic() - t0
    qs = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    p50, p95, p99 = qs[49], qs[94], qs[98]
    print(f"load: {clients} clients for {seconds:.0f} s over {len(urls)} distinct plans: "
          f"{len(latencies):,} route pages ({len(latencies) / wall:.1f}/s), "
          f"{len(errors)} errors")
    print(f"route page: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, "
          f"max {max(latencies):.0f} ms (target p95 ≤ {P95_TARGET_MS:.0f} ms)")
    print(f"server CPU: {cpu:.1f} s in {wall:.1f} s wall "
          f"({cpu / max(len(latencies), 1) * 1000:.1f} ms a page)")
    marks = [f"{t:.0f}s {mb:.0f} MB" for t, mb in memory[::10]]
    print("server memory: " + ", ".join(marks) + f", end {memory[-1][1]:.0f} MB")
    half = [mb for t, mb in memory if t >= wall / 2]
    growth = (half[-1] - half[0]) / half[0] if len(half) > 1 else 0.0
    print(f"memory over the second half: {growth:+.1%} (limit +{GROWTH_LIMIT:.0%})")
    for e in errors[:5]:
        print(f"  error: {e}")
    failed = bool(errors) or p95 > P95_TARGET_MS or growth > GROWTH_LIMIT
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
