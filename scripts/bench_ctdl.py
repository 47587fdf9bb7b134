"""Time reading and writing CTDL, and the hostile-input bounds.

Stages: write a synthetic catalog of N credentials as CTDL (``dump_ctdl``); read it back
(``read_standard``: pyld expansion offline, mapping, the rules' check); read a file of
100,000 nodes (must end in the object-budget error, not run for minutes); read JSON
nested 200,000 deep (must end in the depth error). Each prints wall time, CPU time and
the peak resident memory so far. Run: ``python scripts/bench_ctdl.py [--credentials N]``
(default 2,000: about the object budget's worth of a CTDL export).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pathways.errors import CatalogError
from pathways.standards import read_standard
from pathways.standards.ctdl_writer import dump_ctdl
from pathways.synthetic import generate_catalog

CTX = "https://credreg.net/ctdl/schema/context/json"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage(name: str, fn: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        result = fn()
    except CatalogError as e:
        result = f"error: {str(e)[:90]}"
    print(f"{name:<34} wall {time.perf_counter() - wall:7.2f} s  cpu "
          f"{time.process_time() - cpu:7.2f} s  peak {peak_rss_mb():7.0f} MB  {result}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=2000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp())
    catalog = generate_catalog(args.credentials, seed=1)
    out = folder / "catalog.jsonld"
    stage(f"write {len(catalog)} credentials", lambda: out.write_text(dump_ctdl(catalog))
          and f"{out.stat().st_size / 1e6:.1f} MB")
    stage("read them back", lambda: f"{len(read_standard([out])[0])} credentials")
    big = folder / "big.json"
    big.write_text(json.dumps({"@context": CTX, "@graph": [
        {"@type": "CourseComponent", "@id": f"https://x.org/{i}", "name": str(i)}
        for i in range(100_000)]}))
    stage("100,000 nodes", lambda: read_standard([big]))
    deep = folder / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    stage("nested 200,000 deep", lambda: read_standard([deep]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
