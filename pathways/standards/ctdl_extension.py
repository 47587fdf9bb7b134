"""pathways' own extension of the CTDL it writes, read back: what CTDL has no term for.

``urn:pathways:credential`` on a component holds the credential's fields CTDL cannot say
exactly (level, level profile, delivery, status, review date, max recognised, core, type,
code, field, skills...) as the JSON catalog format writes them, and the order of its
rules and entry requirements; ``urn:pathways:catalog`` on the PathwaySet holds the
catalog's (framework, name, credit unit, calendar, providers). Both are read with the JSON
format's own checks; one that does not read is dropped with its JSON path. Rules and entry
requirements come from the CTDL conditions: the extension only gives their order and
exact form, and only where it says the same (a file edited in a registry keeps its edits).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.standards.report import ImportReport

__all__ = ["IN_CTDL", "apply_credential_ext", "apply_catalog_ext"]

#: The credential's fields CTDL terms carry (the extension gives only the order of the
#: last two).
IN_CTDL = frozenset({"id", "title", "credits", "fee", "hours", "provider"})
_ORDERED = ("rules", "requires")


def _load(ext: tuple[str, str], report: ImportReport, what: str) -> dict[str, Any] | None:
    text, where = ext
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        report.drop(where, f"{what} is not a JSON object: not read")
        return None
    return value


def _rule_key(r: Any) -> tuple[Any, ...]:
    return (r.kind, float(r.amount), frozenset(r.ids), r.name)


def _agrees(key: str, ours: Credential, theirs: Credential) -> bool:
    if key == "rules":
        return sorted(map(_rule_key, ours.all_rules), key=repr) == \
            sorted(map(_rule_key, theirs.all_rules), key=repr)
    return {frozenset(c) for c in ours.requires} == {frozenset(c) for c in theirs.requires}


def apply_credential_ext(c: Credential, ext: tuple[str, str] | None,
                         report: ImportReport) -> Credential:
    """``c`` with the fields of its extension (if it has one that reads)."""
    if ext is None:
        return c
    value = _load(ext, report, "urn:pathways:credential")
    if value is None:
        return c
    from pathways.formats.json_format import _Reader, credential_to_dict

    base = credential_to_dict(c)
    fields = {k: v for k, v in base.items() if k in IN_CTDL or k in _ORDERED}
    fields.update({k: v for k, v in value.items() if k not in IN_CTDL and k not in _ORDERED})
    for k in _ORDERED:
        if k in value:
            fields[k] = value[k]
        else:
            fields.pop(k, None)
    reader = _Reader(ext[1])
    got = reader.credential(fields, "")
    if got is None or reader.problems:
        first = reader.problems[0].message if reader.problems else "not a credential"
        report.drop(ext[1], f"urn:pathways:credential does not read ({first}): not read")
        return c
    for key in _ORDERED:  # the CTDL conditions decide; the extension gives the order
        if not _agrees(key, c, got):
            report.drop(ext[1], f"urn:pathways:credential's {key} differ from the CTDL "
                        "conditions: the conditions are read")
            changes: dict[str, Any] = {key: getattr(c, key)}
            if key == "rules":
                changes["core"] = c.core
            got = replace(got, **changes)
    return replace(got, source=c.source)


def apply_catalog_ext(catalog: Catalog, ext: tuple[str, str] | None,
                      report: ImportReport) -> Catalog:
    """``catalog`` with the catalog-level fields of its extension (if one reads)."""
    if ext is None:
        return catalog
    value = _load(ext, report, "urn:pathways:catalog")
    if value is None:
        return catalog
    from pathways.formats.json_format import _Reader

    reader = _Reader(ext[1])
    top = reader.catalog({**value, "format": "pathways-catalog", "version": 1,
                          "credentials": [], "stacking": []}, None)
    if reader.problems:
        report.drop(ext[1], f"urn:pathways:catalog does not read "
                    f"({reader.problems[0].message}): not read")
        return catalog
    return replace(catalog, framework=top.framework, name=top.name,
                   credit_unit=top.credit_unit, system_type=top.system_type,
                   meta=dict(top.meta), calendar=top.calendar, providers=top.providers)
