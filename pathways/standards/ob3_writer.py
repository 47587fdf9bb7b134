"""Open Badges 3.0 out: ``pathways export --format ob3``, an Achievement per credential.

The document is JSON-LD: an ``@graph`` of OpenBadgeCredentials (one per credential, in
catalog order), each valid against 1EdTech's AchievementCredential JSON Schema on its
own, so a badge platform or a wallet can take any one of them. Each credential's
Achievement says in OB 3.0's words what OB 3.0 can say — ``name``, ``achievementType``
(the kind and type), ``creditsAvailable``, a level alignment (``ext:NZQF``, ``ext:AQF``
or ``ext:Level``), ``creator`` (the provider), ``fieldOfStudy``, ``humanCode`` (the
code), ``tag`` (the skills). OB 3.0 has no words for fees, hours, entry requirements,
stacking, programme rules, level profiles or caps: those travel in the ``pathways``
extension (a JSON literal in the JSON-LD sense, the catalog format's own keys) on each
Achievement — with ``stacks_into`` for its stacking edges — and on the document (the
framework, providers, name), so that reading the file back gives the catalog again.

Ids are URNs: ``urn:pathways:achievement:<id>`` (the credential id percent-encoded), and
``urn:pathways:credential:``/``urn:pathways:provider:`` alike. The credentials describe
achievements, awarded to nobody: ``credentialSubject`` has no ``id``, ``validFrom`` is
the fixed :data:`VALID_FROM` (so that the same catalog gives the same bytes), and there
is no proof: a provider issuing them signs its own.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from pathways.catalog import Catalog, Credential
from pathways.formats.json_format import catalog_dict, credential_to_dict
from pathways.standards.openbadges import (
    ACHIEVEMENT_PREFIX,
    ACHIEVEMENT_TYPES,
    CATALOG_ISSUER,
    EXTENSION,
    EXTENSION_IRI,
    PROVIDER_PREFIX,
)

__all__ = ["CONTEXT", "VALID_FROM", "CREDENTIAL_PREFIX", "ob3_document", "dump_ob3",
           "achievement_type"]

CREDENTIAL_PREFIX = "urn:pathways:credential:"
#: The JSON-LD contexts of every credential: VC 2.0, OB 3.0.3, and the extension's term.
CONTEXT: list[Any] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    {EXTENSION: {"@id": EXTENSION_IRI, "@type": "@json"}},
]
#: ``validFrom`` of every exported credential (they are descriptions, not awards).
VALID_FROM = "2000-01-01T00:00:00Z"

#: The words OB 3.0 carries itself (the rest of a credential goes in the extension).
_STANDARD_KEYS = frozenset({"id", "title", "kind", "type", "credits", "level", "provider",
                            "field", "code", "skills"})
_LEVEL_TYPES = {"nzqf": ("ext:NZQF", "NZQF"), "nzqf-2018": ("ext:NZQF", "NZQF"),
                "aqf": ("ext:AQF", "AQF"), "generic": ("ext:Level", "generic")}
_WRITTEN: dict[tuple[str, str | None], str] = {}
for _name, _pair in ACHIEVEMENT_TYPES.items():
    _WRITTEN.setdefault(_pair, _name)


def achievement_type(c: Credential) -> str:
    """The ``achievementType`` a credential is written with (the kind and type's word)."""
    if c.kind == "qualification":
        return _WRITTEN.get((c.kind, c.type), "ext:Qualification")
    return _WRITTEN[(c.kind, None)]


def _quote(value: str) -> str:
    return quote(value, safe="")


def _profile(pid: str, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": PROVIDER_PREFIX + _quote(pid), "type": ["Profile"]}
    if names.get(pid):
        out["name"] = names[pid]
    return out


def _description(c: Credential, framework: str) -> str:
    what = c.type.replace("-", " ") if c.kind == "qualification" and c.type else c.kind
    level = ""
    if c.level is not None:
        level = f" at {_LEVEL_TYPES.get(framework, ('', framework))[1]} level {c.level}"
    return f"{what[0].upper()}{what[1:]}: {c.credits:g} credits{level}."


def _achievement(c: Credential, catalog: Catalog, names: dict[str, str],
                 edges: list[dict[str, Any]]) -> dict[str, Any]:
    framework = catalog.framework_of(c)
    kind_word = achievement_type(c)
    out: dict[str, Any] = {
        "id": ACHIEVEMENT_PREFIX + _quote(c.id),
        "type": ["Achievement"],
        "name": c.title,
        "description": _description(c, framework),
        "criteria": {"narrative": _description(c, framework)},
        "achievementType": kind_word,
        "creditsAvailable": c.credits,
    }
    extension = {k: v for k, v in credential_to_dict(c).items() if k not in _STANDARD_KEYS}
    if ACHIEVEMENT_TYPES[kind_word] != (c.kind, c.type):  # a type OB 3.0 cannot say
        extension["kind"] = c.kind
        if c.type is not None:
            extension["type"] = c.type
    if c.level is not None and 1 <= c.level <= 10:
        target_type, frame = _LEVEL_TYPES.get(framework, ("ext:Level", framework))
        out["alignment"] = [{
            "type": ["Alignment"], "targetType": target_type,
            "targetName": f"{frame} level {c.level}", "targetCode": str(c.level),
            "targetFramework": frame,
            "targetUrl": f"urn:pathways:level:{_quote(framework)}:{c.level}"}]
    elif c.level is not None:
        extension["level"] = c.level
    if c.provider is not None:
        out["creator"] = _profile(c.provider, names)
    if c.field is not None:
        out["fieldOfStudy"] = c.field
    if c.code is not None:
        out["humanCode"] = c.code
    if c.skills:
        out["tag"] = list(c.skills)
    if edges:
        extension["stacks_into"] = edges
    if extension:
        out[EXTENSION] = extension
    return out


def _credential(c: Credential, catalog: Catalog, names: dict[str, str],
                edges: list[dict[str, Any]]) -> dict[str, Any]:
    if c.provider is not None:
        issuer = _profile(c.provider, names)
    else:
        issuer = {"id": CATALOG_ISSUER, "type": ["Profile"],
                  "name": catalog.name or "pathways catalog"}
    return {
        "@context": CONTEXT,
        "id": CREDENTIAL_PREFIX + _quote(c.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": c.title,
        "issuer": issuer,
        "validFrom": VALID_FROM,
        "credentialSubject": {"type": ["AchievementSubject"],
                              "achievement": _achievement(c, catalog, names, edges)},
    }


def ob3_document(catalog: Catalog) -> dict[str, Any]:
    """The catalog as an OB 3.0 JSON-LD document (see the module's docstring)."""
    names = {p.id: p.name for p in catalog.providers}
    ids = {c.id for c in catalog.credentials}
    edges: dict[str, list[dict[str, Any]]] = {}
    loose = []  # edges from an id that is no credential: kept in the document's extension
    for e in catalog.stacking:
        if e.source in ids:
            edges.setdefault(e.source, []).append({"to": e.target, "credits": e.credits})
        else:
            loose.append({"from": e.source, "to": e.target, "credits": e.credits})
    top = {k: v for k, v in catalog_dict(catalog).items()
           if k not in ("format", "version", "credentials", "stacking")}
    if loose:
        top["stacking"] = loose
    seen: set[str] = set()
    graph = []
    for c in catalog.credentials:
        graph.append(_credential(c, catalog, names,
                                 edges.get(c.id, []) if c.id not in seen else []))
        seen.add(c.id)
    return {"@context": CONTEXT, EXTENSION: top, "@graph": graph}


def dump_ob3(catalog: Catalog) -> str:
    """The OB 3.0 document as JSON text: deterministic, indent 2, trailing newline."""
    return json.dumps(ob3_document(catalog), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"
