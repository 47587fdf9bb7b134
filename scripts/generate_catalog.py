"""Write a synthetic national-scale catalog (pathways.synthetic) to a JSON or CSV file.

Example:
    python scripts/generate_catalog.py --credentials 50000 --seed 1 -o out/synthetic-50k.json
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from pathways.errors import PathwaysError
from pathways.formats import write_catalog
from pathways.synthetic import GENERATED_FRAMEWORKS, generate_catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", "-n", type=int, required=True,
                        help="how many credentials to generate")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--edges-per-credential", type=float, default=3.0,
                        help="stacking edges + requirement alternatives per credential "
                             "(default 3.0)")
    parser.add_argument("--framework", choices=GENERATED_FRAMEWORKS, default="nzqf")
    parser.add_argument("--rules", action="store_true",
                        help="add composed programmes (15- and 7.5-credit papers, no study of "
                             "their own) and programme rules (choose k, credit pools, not both)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="the file to write (.json or .csv)")
    args = parser.parse_args(argv)
    if args.credentials < 0:
        parser.error("--credentials must be 0 or more")
    if not 0 <= args.edges_per_credential < float("inf"):
        parser.error("--edges-per-credential must be a finite number of 0 or more")

    start = time.perf_counter()
    catalog = generate_catalog(args.credentials, seed=args.seed,
                               edges_per_credential=args.edges_per_credential,
                               framework=args.framework, rules=args.rules)
    generated = time.perf_counter() - start
    args.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_catalog(catalog, args.output)
    except PathwaysError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    written = time.perf_counter() - start - generated

    kinds = Counter(c.kind for c in catalog)
    alternatives = sum(len(clause) for c in catalog for clause in c.requires)
    print(f"wrote {args.output}: {len(catalog)} credentials "
          f"({kinds['micro-credential']} micro-credentials, {kinds['course']} courses, "
          f"{kinds['qualification']} qualifications), {len(catalog.providers)} providers, "
          f"{len({c.field for c in catalog})} fields, {len(catalog.stacking)} stacking edges, "
          f"{alternatives} requirement alternatives "
          f"(generated in {generated:.1f} s, written in {written:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
