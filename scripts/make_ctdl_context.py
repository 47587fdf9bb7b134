"""Generate pathways/standards/ctdl_context.json, the CTDL JSON-LD context the reader serves
in place of https://credreg.net/ctdl/schema/context/json (never fetched).

It is Credential Engine's published context (CC BY 4.0: prefixes and ``ceterms:``/``ceasn:``
terms with their type coercions, unmodified) plus bare terms for what older and hand
written files use without a prefix (``"name"``, ``"hasChild"``, ``"Pathway"``):
every ``ceterms:`` property and class of the published schema under its local name
(``ceasn:`` where CTDL has no ``ceterms:`` term of that name, e.g. ``hasChild``), and the
schema.org terms of QuantitativeValue that CTDL value profiles use.

    python scripts/make_ctdl_context.py ../shared/data/standards/ctdl/schema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pathways" / "standards" / "ctdl_context.json"
SCHEMA_ORG = {"value": "schema:value", "minValue": "schema:minValue",
              "maxValue": "schema:maxValue", "unitText": "schema:unitText",
              "QuantitativeValue": "schema:QuantitativeValue"}


def bare_terms(context: dict, classes: list[str]) -> dict:
    """Local name -> the prefixed term's definition (ceterms first, then ceasn)."""
    terms: dict = {}
    for prefix in ("ceterms:", "ceasn:"):
        for key, definition in sorted(context.items()):
            if key.startswith(prefix):
                local = key[len(prefix):]
                if local not in terms and local not in context:
                    entry = {"@id": key}
                    if isinstance(definition, dict):
                        entry.update(definition)
                    terms[local] = entry
    for cls in sorted(classes):
        local = cls.split(":", 1)[1]
        terms.setdefault(local, {"@id": cls})
    for local, iri in SCHEMA_ORG.items():
        terms.setdefault(local, {"@id": iri, **context.get(iri, {})}
                         if isinstance(context.get(iri, {}), dict) else {"@id": iri})
    return terms


def main(schema_dir: str) -> None:
    folder = Path(schema_dir)
    context = json.loads((folder / "ctdl-context.json").read_text())["@context"]
    schema = json.loads((folder / "ctdl-schema.json").read_text())
    classes = [n["@id"] for n in schema["@graph"]
               if n.get("@type") == "rdfs:Class" and n["@id"].startswith(("ceterms:", "ceasn:"))]
    merged = {**context, **bare_terms(context, classes)}
    doc = {"_source": "Credential Engine, CTDL JSON-LD context "
                      "(https://credreg.net/ctdl/schema/context/json), CC BY 4.0; bare "
                      "local-name terms added by scripts/make_ctdl_context.py",
           "@context": merged}
    OUT.write_text(json.dumps(doc, indent=0, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}: {len(context)} published terms, {len(merged) - len(context)} bare")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/standards/ctdl/schema")
