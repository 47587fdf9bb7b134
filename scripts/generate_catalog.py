"""Write a synthetic national-scale catalog (pathways.synthetic) to a JSON or CSV file.

JSON is written one credential (and one edge) at a time, the same bytes as
``pathways export`` writes, so that a million credentials never exist as one document in
memory; peak memory is then the catalog itself (printed at the end).

Example:
    python scripts/generate_catalog.py --credentials 50000 --seed 1 -o out/synthetic-50k.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from pathways.catalog import Catalog
from pathways.errors import PathwaysError
from pathways.formats import write_catalog
from pathways.formats.json_format import catalog_dict, credential_to_dict
from pathways.synthetic import GENERATED_FRAMEWORKS, generate_catalog

LISTS = ("providers", "credentials", "stacking")


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _write_list(out: TextIO, key: str, items: Iterable[Any]) -> None:
    """``"key": [...]`` at the document's second level, as json.dumps(indent=2) lays it
    out, one item at a time."""
    out.write(f",\n  {json.dumps(key)}: [")
    first = True
    for item in items:
        out.write("\n    " if first else ",\n    ")
        out.write(_dumps(item).replace("\n", "\n    "))
        first = False
    out.write("]" if first else "\n  ]")


def write_json_streaming(catalog: Catalog, path: Path) -> None:
    """The catalog as ``pathways export`` writes it (same bytes), item by item, into a
    temporary file beside ``path`` that then replaces it."""
    head = catalog_dict(replace(catalog, providers=[], credentials=[], stacking=[]))
    for key in LISTS:
        del head[key]
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(_dumps(head)[:-2])  # without the closing "\n}"
            _write_list(out, "providers", ({"id": p.id, "name": p.name} if p.name
                                           else {"id": p.id} for p in catalog.providers))
            _write_list(out, "credentials", (credential_to_dict(c) for c in catalog.credentials))
            _write_list(out, "stacking", ({"from": e.source, "to": e.target,
                                           "credits": e.credits} for e in catalog.stacking))
            out.write("\n}\n")
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
        if args.output.suffix.lower() == ".json":
            write_json_streaming(catalog, args.output)
        else:
            write_catalog(catalog, args.output)
    except PathwaysError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"Error: {args.output}: cannot write ({e.strerror})", file=sys.stderr)
        return 1
    written = time.perf_counter() - start - generated

    kinds = Counter(c.kind for c in catalog)
    alternatives = sum(len(clause) for c in catalog for clause in c.requires)
    print(f"wrote {args.output}: {len(catalog)} credentials "
          f"({kinds['micro-credential']} micro-credentials, {kinds['course']} courses, "
          f"{kinds['qualification']} qualifications), {len(catalog.providers)} providers, "
          f"{len({c.field for c in catalog})} fields, {len(catalog.stacking)} stacking edges, "
          f"{alternatives} requirement alternatives "
          f"(generated in {generated:.1f} s, written in {written:.1f} s; CPU "
          f"{time.process_time():.1f} s, peak RSS {peak_rss_mb():,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
