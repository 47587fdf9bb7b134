"""Time Open Badges 3.0 out and back in on a synthetic catalog, and a learner's wallet.

For ``generate_catalog(N, seed=1)`` (default N = 50,000): write it as OB 3.0
(``dump_ob3``), parse the text and read it back (``read_openbadges``), check the round
trip gave the same catalog, and match the whole export as a wallet against the catalog
(every achievement by id). Prints the CPU and wall time of each step, the document's
size and the process's peak memory (resident set). No target is set by the issue; this
records what the formats cost at a national scale.

Run: ``python scripts/bench_ob3.py [N]``.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from pathways.formats import dump_catalog
from pathways.standards.ob3_writer import dump_ob3
from pathways.standards.openbadges import read_openbadges
from pathways.standards.report import ImportReport
from pathways.standards.wallet import match_wallet
from pathways.synthetic import generate_catalog


class Clock:
    """CPU and wall time since the last mark."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def mark(self, label: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        print(f"  {label:<34} {cpu - self.cpu:7.2f} s CPU  {wall - self.wall:7.2f} s wall")
        self.cpu, self.wall = cpu, wall


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    catalog = generate_catalog(n, seed=1)
    print(f"generate_catalog({n:,}, seed=1): {len(catalog):,} credentials, "
          f"{len(catalog.stacking):,} stacking edges")
    clock = Clock()
    text = dump_ob3(catalog)
    clock.mark(f"dump_ob3 ({len(text.encode()) / 1e6:,.1f} MB)")
    doc = json.loads(text)
    clock.mark("json.loads")
    report = ImportReport()
    back = read_openbadges([("bench.json", doc)], report)
    clock.mark("read_openbadges")
    same = dump_catalog(back.sorted(), "json") == dump_catalog(catalog.sorted(), "json")
    clock.mark("compare (both as JSON)")
    wallet = match_wallet(catalog, [("bench.json", doc)])
    clock.mark(f"match_wallet ({len(wallet.held):,} held)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"round trip identical: {same}; warnings: {len(report.warnings)}; "
          f"peak memory {peak:,.0f} MB")
    return 0 if same and len(wallet.held) == len(catalog) else 1


if __name__ == "__main__":
    sys.exit(main())
