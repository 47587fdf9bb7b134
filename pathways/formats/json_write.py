"""Writing the JSON catalog format (catalog-format.md's reference form): deterministic,
every key in the spec's order, empty fields left out; :mod:`pathways.formats.json_format`
reads it back losslessly."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pathways.catalog import Catalog, Credential, Provider, Rule, Term
from pathways.formats.json_keys import CREDENTIAL_KEYS, FORMAT_NAME, FORMAT_VERSION, RULE_LIST_KEY
from pathways.formats.messages import plain_number

__all__ = ["dump_json", "catalog_dict", "credential_to_dict", "rule_to_dict",
           "provider_to_dict", "terms_to_list"]


def credential_to_dict(c: Credential) -> dict[str, Any]:
    """One credential as its JSON object: keys in the spec's order, empty fields left out."""
    out: dict[str, Any] = {}
    for key in CREDENTIAL_KEYS:
        value = getattr(c, key)
        if value is None or value == ():
            continue
        if key == "requires":
            value = [list(clause) for clause in value]
        elif key == "level_profile":
            value = {str(level): credits for level, credits in value}
        elif key == "rules":
            value = [rule_to_dict(r) for r in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float):
            value = plain_number(value)
        out[key] = value
    return out


def rule_to_dict(r: Rule) -> dict[str, Any]:
    """One rule as its JSON object: ``{"min": 4, "of": [...]}`` (and ``"name"`` if named)."""
    out: dict[str, Any] = {r.kind: plain_number(r.amount), RULE_LIST_KEY[r.kind]: list(r.ids)}
    if r.name is not None:
        out["name"] = r.name
    return out


def catalog_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as the JSON document's object (keys in the spec's order)."""
    out: dict[str, Any] = {
        "format": FORMAT_NAME, "version": FORMAT_VERSION, "framework": catalog.framework,
    }
    if catalog.credit_unit is not None:
        out["credit_unit"] = {"name": catalog.credit_unit.name,
                              "hours": plain_number(catalog.credit_unit.hours)}
    if catalog.name is not None:
        out["name"] = catalog.name
    if catalog.system_type is not None:
        out["system_type"] = catalog.system_type
    if catalog.meta:
        out["meta"] = dict(sorted(catalog.meta.items()))
    if catalog.calendar:
        out["calendar"] = terms_to_list(catalog.calendar)
    out["providers"] = [provider_to_dict(p) for p in catalog.providers]
    out["credentials"] = [credential_to_dict(c) for c in catalog.credentials]
    out["stacking"] = [{"from": e.source, "to": e.target, "credits": e.credits}
                       for e in catalog.stacking]
    return out


def provider_to_dict(p: Provider) -> dict[str, Any]:
    """One provider as its JSON object (name and calendar only when it has them)."""
    out: dict[str, Any] = {"id": p.id}
    if p.name:
        out["name"] = p.name
    if p.calendar:
        out["calendar"] = terms_to_list(p.calendar)
    return out


def terms_to_list(terms: Sequence[Term]) -> list[dict[str, str]]:
    """A calendar as JSON: terms sorted by start, then name."""
    ordered = sorted(terms, key=lambda t: (t.start, t.term, t.end))
    return [{"term": t.term, "start": t.start, "end": t.end} for t in ordered]


def dump_json(catalog: Catalog) -> str:
    """The catalog as JSON text: deterministic, indent 2, UTF-8 as is, trailing newline."""
    return json.dumps(catalog_dict(catalog), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
