"""Convert a CSPLib prob030 (BACP) instance file to a pathways catalog (JSON).

Usage: python scripts/bacp_catalog.py bacp8.dat > tests/data/bacp/bacp8.json

The instance files are Problems/prob030/data/bacpN.dat of https://github.com/csplib/csplib
(CC BY 4.0). Each course becomes a ``course`` credential (generic framework) with its
credits; ``<a, b>`` in ``prereq`` (a needs b) becomes ``a`` requiring ``b``. The period
count and load limits (p, a, b, c, d) go into the catalog's ``meta``.
"""

from __future__ import annotations

import re
import sys

from pathways.catalog import Catalog, Credential
from pathways.formats.json_format import dump_json


def convert(text: str, name: str) -> Catalog:
    text = re.sub(r"/\*.*?\*/", "", re.sub(r"\n(//|%)[^\n]*", "\n", "\n" + text), flags=re.S)
    limits = dict(re.findall(r"\b([pabcd])\s*=\s*(\d+)\s*;", text))
    courses = re.search(r"courses\s*=\s*\{(.*?)\}", text, re.S).group(1)
    ids = [c.strip() for c in courses.split(",") if c.strip()]
    credits = re.search(r"credit\s*=\s*\[(.*?)\]", text, re.S).group(1)
    values = [int(x) for x in credits.split(",") if x.strip()]
    if len(values) != len(ids):
        raise SystemExit(f"{name}: {len(ids)} courses but {len(values)} credits")
    needs: dict[str, list[str]] = {c: [] for c in ids}
    for a, b in re.findall(r"<\s*(\w+)\s*,\s*(\w+)\s*>", text):
        if b not in needs[a]:
            needs[a].append(b)
    creds = [Credential(id=c, title=c, kind="course", credits=v,
                        requires=tuple((b,) for b in sorted(needs[c])))
             for c, v in zip(ids, values, strict=True)]
    meta = {"source": f"CSPLib prob030 {name} (CC BY 4.0)",
            "periods": limits["p"], "min_load": limits["a"], "max_load": limits["b"],
            "min_courses": limits["c"], "max_courses": limits["d"]}
    return Catalog(credentials=creds, framework="generic", name=f"BACP {name}", meta=meta)


if __name__ == "__main__":
    path = sys.argv[1]
    name = path.rsplit("/", 1)[-1].removesuffix(".dat")
    with open(path, encoding="utf-8") as f:
        sys.stdout.write(dump_json(convert(f.read(), name)))
