"""Write CTDL: a catalog as Pathways (one per qualification) and a learner's route as a
Pathway from what they hold to their target.

The Credential Registry's shape: ``ceterms:`` terms, language maps, a CTID on every
resource (a UUID derived from the resource's IRI, so the same catalog gives the same
bytes). Each credential is a component (``CredentialComponent`` with its
``credentialType``, ``CourseComponent`` for a course) with its credit value, cost and
duration; stacking is ``ceasn:hasChild`` (and a ``TransferValueProfile`` where fewer than
all of a source's credits count); ``min k of`` rules (and ``core``) are
``ComponentCondition``s with ``requiredNumber``; one-alternative entry requirements are
``ceterms:prerequisite``. What CTDL has no term for is written under ``urn:pathways:``
(whether a credential has study of its own) so that the file reads back whole.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pathways.catalog import Catalog, Credential
from pathways.standards.ctdl_constraints import constraint_condition
from pathways.standards.ctdl_extension import IN_CTDL

if TYPE_CHECKING:
    from pathways.routes.model import Route

__all__ = ["DEFAULT_BASE", "CTDL_CONTEXT", "ctdl_document", "dump_ctdl", "route_document",
           "DIRECT_STUDY"]

DEFAULT_BASE = "https://pathways.invalid/"  # not dereferenceable, on purpose
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
DIRECT_STUDY = "urn:pathways:directStudy"
RULES = "urn:pathways:rules"  # rules CTDL conditions cannot say (max k, credit sums), JSON
RULE_NAME = "urn:pathways:ruleName"
#: A credential's fields CTDL has no term for that reads back exactly (level, level
#: profile, delivery, status, review date, max recognised, core, type, code...), as the
#: JSON catalog format writes them; and the catalog's own (framework, name, credit unit,
#: calendar, providers), on a PathwaySet.
CREDENTIAL_EXT = "urn:pathways:credential"
CATALOG_EXT = "urn:pathways:catalog"
_TYPE_CLASS = {"certificate": "Certificate", "diploma": "Diploma", "bachelor": "BachelorDegree",
               "bachelor-honours": "BachelorDegree", "masters": "MasterDegree",
               "doctorate": "DoctoralDegree", "graduate-certificate": "Certificate",
               "postgraduate-certificate": "Certificate", "graduate-diploma": "Diploma",
               "postgraduate-diploma": "Diploma"}


class _Iris:
    def __init__(self, base: str) -> None:
        self.base = base

    def credential(self, cid: str) -> str:
        return f"{self.base}credential/{quote(cid, safe='')}"

    def pathway(self, cid: str) -> str:
        return f"{self.base}pathway/{quote(cid, safe='')}"

    def provider(self, pid: str) -> str:
        return f"{self.base}organization/{quote(pid, safe='')}"


def _ctid(iri: str) -> str:
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, iri)}"


def _text(value: str) -> dict[str, str]:
    return {"en": value}


def _credential_class(c: Credential) -> str:
    if c.kind == "micro-credential":
        return "ceterms:MicroCredential"
    return f"ceterms:{_TYPE_CLASS.get(c.type or '', 'Credential')}"


def _component(c: Credential, catalog: Catalog, iris: _Iris) -> dict[str, Any]:
    iri = iris.credential(c.id)
    node: dict[str, Any] = {
        "@id": iri,
        "@type": "ceterms:CourseComponent" if c.kind == "course" else
        "ceterms:CredentialComponent",
        "ceterms:ctid": _ctid(iri), "ceterms:name": _text(c.title),
        "ceterms:description": _text(f"{c.title} ({c.kind}, {c.credits:g} credits)"),
        "ceterms:subjectWebpage": iri, "ceterms:codedNotation": c.id,
        "ceterms:creditValue": [{"@type": "schema:QuantitativeValue",
                                 "schema:value": c.credits}],
    }
    if catalog.credit_unit is not None:
        node["ceterms:creditValue"][0]["schema:unitText"] = catalog.credit_unit.name
    if c.kind != "course":
        node["ceterms:credentialType"] = _credential_class(c)
    sources = sorted(e.source for e in catalog.stacking if e.target == c.id)
    if sources:
        node["ceasn:hasChild"] = [iris.credential(s) for s in sources]
    conditions = [_condition(r.amount, r.ids, r.describe(), iris, r.name) for r in c.all_rules
                  if r.kind == "min"]  # credit sums: Constraints, below
    for r in c.rules:
        if r.counts_credits:
            cond = constraint_condition(r, r.describe(),
                                        [iris.credential(i) for i in sorted(r.ids)])
            if r.name:
                cond[RULE_NAME] = r.name
            conditions.append(cond)
    if conditions:
        node["ceterms:hasCondition"] = conditions
    others = [{"kind": r.kind, "amount": r.amount, "of": list(r.ids),
               **({"name": r.name} if r.name else {})} for r in c.rules if r.kind == "max"]
    if others:
        node[RULES] = json.dumps(others, ensure_ascii=False)
    if c.requires:  # each clause: one of its alternatives
        node["ceterms:prerequisite"] = [
            _condition(1, clause, "one of " + ", ".join(clause), iris)
            for clause in sorted(c.requires)]
    node[DIRECT_STUDY] = c.effective_direct_study
    if c.fee is not None:
        node["ceterms:estimatedCost"] = [{"@type": "ceterms:CostProfile",
                                          "ceterms:price": c.fee, "ceterms:currency": "NZD",
                                          "ceterms:description": _text("whole credential")}]
    if c.hours is not None:
        node["ceterms:estimatedDuration"] = [{"@type": "ceterms:DurationProfile",
                                              "ceterms:exactDuration": f"PT{c.hours:g}H"}]
    if c.provider is not None:
        node["ceterms:offeredBy"] = [iris.provider(c.provider)]
    if c.field is not None:
        node["ceterms:subject"] = [{"@type": "ceterms:CredentialAlignmentObject",
                                    "ceterms:targetNodeName": _text(c.field)}]
    if c.skills:
        node["ceterms:keyword"] = {"en": list(c.skills)}
    from pathways.formats.json_format import credential_to_dict

    extra = {k: v for k, v in credential_to_dict(c).items() if k not in IN_CTDL}
    if extra:
        node[CREDENTIAL_EXT] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
    return node


def _catalog_node(catalog: Catalog, base: str) -> dict[str, Any]:
    """The catalog's own facts on a PathwaySet of its Pathways (read back exactly)."""
    from pathways.formats.json_format import catalog_dict

    top = {k: v for k, v in catalog_dict(catalog).items()
           if k not in ("format", "version", "credentials", "stacking")}
    iri = f"{base}catalog"
    quals = sorted(c.id for c in catalog.credentials if c.kind == "qualification")
    return {"@id": iri, "@type": "ceterms:PathwaySet", "ceterms:ctid": _ctid(iri),
            "ceterms:name": _text(catalog.name or "pathways catalog"),
            "ceterms:hasPathway": [_Iris(base).pathway(q) for q in quals],
            CATALOG_EXT: json.dumps(top, ensure_ascii=False, sort_keys=True)}


def _condition(k: Any, ids: tuple[str, ...], text: str, iris: _Iris,
               name: str | None = None) -> dict[str, Any]:
    node = {"@type": "ceterms:ComponentCondition", "ceterms:name": _text(text),
            "ceterms:requiredNumber": k,
            "ceterms:targetComponent": [iris.credential(i) for i in sorted(ids)]}
    if name:
        node[RULE_NAME] = name
    return node


def _transfers(catalog: Catalog, iris: _Iris) -> list[dict[str, Any]]:
    """A TransferValueProfile for each edge counting fewer credits than its source has."""
    index = catalog.index()
    out = []
    for e in sorted(catalog.stacking):
        if e.credits < index[e.source].credits:
            iri = f"{iris.base}transfer/{quote(e.source, safe='')}/{quote(e.target, safe='')}"
            out.append({"@id": iri, "@type": "ceterms:TransferValueProfile",
                        "ceterms:ctid": _ctid(iri),
                        "ceterms:name": _text(f"{e.source} into {e.target}"),
                        "ceterms:transferValue": [{"@type": "ceterms:ValueProfile",
                                                   "schema:value": e.credits}],
                        "ceterms:transferValueFrom": [iris.credential(e.source)],
                        "ceterms:transferValueFor": [iris.credential(e.target)]})
    return out


def _pathway(c: Credential, owner: str, iris: _Iris, name: str | None = None) -> dict[str, Any]:
    iri = iris.pathway(c.id)
    return {"@id": iri, "@type": "ceterms:Pathway", "ceterms:ctid": _ctid(iri),
            "ceterms:name": _text(name or c.title),
            "ceterms:description": _text(f"The ways to {c.title}"),
            "ceterms:inLanguage": ["en"], "ceterms:ownedBy": [owner],
            "ceterms:subjectWebpage": iri,
            "ceasn:hasDestinationComponent": [{"@id": iris.credential(c.id)}]}


def _organisations(catalog: Catalog, ids: set[str], iris: _Iris) -> list[dict[str, Any]]:
    names = catalog.provider_index()
    return [{"@id": iris.provider(pid), "@type": "ceterms:CredentialOrganization",
             "ceterms:ctid": _ctid(iris.provider(pid)),
             "ceterms:name": _text(names[pid].name if pid in names and names[pid].name
                                   else pid)} for pid in sorted(ids)]


def ctdl_document(catalog: Catalog, *, base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The catalog as one CTDL JSON-LD document: a Pathway per qualification (sorted by
    id), a component per credential, transfer values, organisations."""
    iris = _Iris(base)
    creds = sorted(catalog.credentials, key=lambda c: c.id)
    pathways = [_pathway(c, iris.provider(c.provider) if c.provider else f"{base}organization",
                         iris) for c in creds if c.kind == "qualification"]
    graph = [_catalog_node(catalog, base), *pathways,
             *(_component(c, catalog, iris) for c in creds),
             *_transfers(catalog, iris),
             *_organisations(catalog, {c.provider for c in creds if c.provider}, iris)]
    return {"@context": CTDL_CONTEXT, "@graph": graph}


def dump_ctdl(catalog: Catalog, *, base: str = DEFAULT_BASE) -> str:
    """:func:`ctdl_document` as text (the same catalog gives the same bytes)."""
    return json.dumps(ctdl_document(catalog, base=base), indent=2, ensure_ascii=False) + "\n"


def route_document(route: Route, catalog: Catalog, *,
                   base: str = DEFAULT_BASE) -> dict[str, Any]:
    """A learner's route as a CTDL Pathway: from the credentials they hold (and the ones
    the route counts) to the target, each step a component with what it counts into
    (``hasChild``) and what is left to study."""
    iris = _Iris(base)
    index = catalog.index()
    target = index[route.target]
    ids = {s.id for s in route.steps} | set(route.held)
    into: dict[str, list[str]] = {}
    counted = [(s.id, s.counted_into) for s in route.steps if s.counted_into] + \
        [(h, t) for h, t, _c in route.held_counted]
    for source, parent in counted:
        into.setdefault(parent, []).append(source)
    steps = {s.id: s for s in route.steps}
    components = []
    for cid in sorted(ids):
        node = _component(index[cid], catalog.subset(ids), iris)
        node.pop("ceterms:hasCondition", None)
        if into.get(cid):
            node["ceasn:hasChild"] = [iris.credential(s) for s in sorted(into[cid])]
        else:
            node.pop("ceasn:hasChild", None)
        step = steps.get(cid)
        node["ceterms:description"] = _text(
            f"{index[cid].title}: held" if step is None else
            f"{index[cid].title}: {step.reason}; {step.credits_studied:g} credits to study, "
            f"fee {step.fee:g}")
        components.append(node)
    owner = iris.provider(target.provider) if target.provider else f"{base}organization"
    pathway = _pathway(target, owner, iris, name=f"Route to {target.title}")
    pathway["@id"] = pathway["ceterms:subjectWebpage"] = f"{base}route/{quote(target.id, safe='')}"
    pathway["ceterms:ctid"] = _ctid(pathway["@id"])
    pathway["ceterms:description"] = _text(
        f"Cheapest route by {route.objective} to {target.title}: fee {route.fee:g}, "
        f"{len(route.steps)} credentials to achieve, {len(route.held)} held")
    return {"@context": CTDL_CONTEXT, "@graph": [pathway, *components]}
