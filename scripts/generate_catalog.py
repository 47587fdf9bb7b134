"""Write a synthetic national-scale catalog (pathways.synthetic) to a JSON or CSV file.

JSON is written one credential (and one edge) at a time as they are made, the same bytes
as ``pathways export`` writes, so that a million credentials never exist in memory at
once: each credential's text goes to a temporary file of its id's prefix, and the files
are then copied in order. Peak memory is the generator's own graph of indices (printed
at the end). CSV and ``--rules`` catalogs are made whole first.

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
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from pathways.catalog import Catalog, Credential, Stacking
from pathways.errors import PathwaysError
from pathways.formats import write_catalog
from pathways.formats.json_format import catalog_dict, credential_to_dict
from pathways.synthetic import GENERATED_FRAMEWORKS, generate_catalog, stream_catalog

LISTS = ("providers", "credentials", "stacking")
#: Up to this many credentials a JSON file is written as the credentials are made (ids of
#: one prefix keep six digits, so the prefixes' files read in order are sorted by id).
STREAM_LIMIT = 1_800_000


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _item(item: Any) -> str:
    """An item of a second-level list as json.dumps(indent=2) lays it out, with the
    separator before it."""
    return ",\n    " + _dumps(item).replace("\n", "\n    ")


def _write_list(out: TextIO, key: str, texts: Iterable[str]) -> None:
    """``"key": [...]`` at the document's second level from its items' texts (each
    starting with the separator from :func:`_item`)."""
    out.write(f",\n  {json.dumps(key)}: [")
    first = True
    for text in texts:
        out.write("\n" + text[2:] if first else text)
        first = False
    out.write("]" if first else "\n  ]")


def _spilled(credentials: Iterable[Credential], folder: str) -> Iterator[str]:
    """The credentials' texts sorted by id, holding none of them in memory: each goes to
    the file of its id's prefix as it is made ("MC-000001" to "MC"); a prefix's ids come
    in order and numbered alike, so the files read in the prefixes' order are sorted."""
    files: dict[str, TextIO] = {}
    try:
        for c in credentials:
            prefix = c.id.rsplit("-", 1)[0]
            if prefix not in files:
                files[prefix] = open(Path(folder) / f"{len(files)}.part", "w+",  # noqa: SIM115
                                     encoding="utf-8", newline="\n")
            files[prefix].write(_item(credential_to_dict(c)) + "\0")
        for prefix in sorted(files):
            part = files[prefix]
            part.seek(0)
            rest = ""
            while block := part.read(2**20):
                *texts, rest = (rest + block).split("\0")
                yield from texts
    finally:
        for part in files.values():
            part.close()


def write_json_streaming(head: Catalog, credentials: Iterable[Credential],
                         stacking: Iterable[Stacking], path: Path, *,
                         by_prefix: bool = False) -> None:
    """The catalog as ``pathways export`` writes it (same bytes), item by item, into a
    temporary file beside ``path`` that then replaces it. ``head`` holds the providers
    and catalog fields; ``credentials`` come sorted, or with ``by_prefix`` in the order
    :func:`pathways.synthetic.stream_catalog` makes them (sorted on the way through
    temporary files)."""
    top = catalog_dict(replace(head, providers=[], credentials=[], stacking=[]))
    for key in LISTS:
        del top[key]
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out, \
                tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as parts:
            out.write(_dumps(top)[:-2])  # without the closing "\n}"
            _write_list(out, "providers", (_item({"id": p.id, "name": p.name} if p.name
                                                 else {"id": p.id}) for p in head.providers))
            texts = (_spilled(credentials, parts) if by_prefix
                     else (_item(credential_to_dict(c)) for c in credentials))
            _write_list(out, "credentials", texts)
            _write_list(out, "stacking", (_item({"from": e.source, "to": e.target,
                                                 "credits": e.credits}) for e in stacking))
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


class _Counts:
    """What the summary line counts, counted as the items go by."""

    def __init__(self) -> None:
        self.n = self.n_edges = self.alternatives = 0
        self.kinds: Counter[str] = Counter()
        self.fields: set[str | None] = set()

    def credentials(self, creds: Iterable[Credential]) -> Iterator[Credential]:
        for c in creds:
            self.n += 1
            self.kinds[c.kind] += 1
            self.fields.add(c.field)
            self.alternatives += sum(len(clause) for clause in c.requires)
            yield c

    def edges(self, edges: Iterable[Stacking]) -> Iterator[Stacking]:
        for e in edges:
            self.n_edges += 1
            yield e


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
    args.output.parent.mkdir(parents=True, exist_ok=True)
    counts = _Counts()
    try:
        if args.output.suffix.lower() == ".json" and not args.rules \
                and args.credentials < STREAM_LIMIT:
            head, creds, edges = stream_catalog(
                args.credentials, seed=args.seed,
                edges_per_credential=args.edges_per_credential, framework=args.framework)
            write_json_streaming(head, counts.credentials(creds), counts.edges(edges),
                                 args.output, by_prefix=True)
        else:
            catalog = generate_catalog(args.credentials, seed=args.seed,
                                       edges_per_credential=args.edges_per_credential,
                                       framework=args.framework, rules=args.rules)
            head = catalog
            if args.output.suffix.lower() == ".json":
                write_json_streaming(catalog, counts.credentials(catalog.credentials),
                                     counts.edges(catalog.stacking), args.output)
            else:
                list(counts.credentials(catalog.credentials))
                list(counts.edges(catalog.stacking))
                write_catalog(catalog, args.output)
    except PathwaysError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"Error: {args.output}: cannot write ({e.strerror})", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start

    kinds = counts.kinds
    print(f"wrote {args.output}: {counts.n} credentials "
          f"({kinds['micro-credential']} micro-credentials, {kinds['course']} courses, "
          f"{kinds['qualification']} qualifications), {len(head.providers)} providers, "
          f"{len(counts.fields)} fields, {counts.n_edges} stacking edges, "
          f"{counts.alternatives} requirement alternatives "
          f"(in {elapsed:.1f} s; CPU {time.process_time():.1f} s, "
          f"peak RSS {peak_rss_mb():,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
