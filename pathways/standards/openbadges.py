"""Open Badges 3.0 and CLR 2.0 in: each achievement becomes a credential.

An Achievement — bare, inside an AchievementCredential (OpenBadgeCredential), in a CLR's
``achievement`` list or inside its credentials, in a VerifiablePresentation or in the
``@graph`` of ``pathways export --format ob3`` — becomes a credential:

- ``achievementType`` gives the kind and type (:data:`ACHIEVEMENT_TYPES`);
- ``creditsAvailable`` the credits (else an ``ECTS`` extension; else none: 0, said so);
- an alignment to a level of the NZQF, the AQF or the EQF (``targetType`` ``ext:NZQF``,
  ``ext:AQF``, ``ext:EQF``, or the framework's name in ``targetFramework``) the level; an
  alignment to a ``ceasn:Competency`` a skill; other alignments are kept for matching a
  wallet (:mod:`pathways.standards.wallet`) and not mapped;
- ``creator`` (else the credential's ``issuer``) the provider; ``fieldOfStudy`` the field;
  ``humanCode`` the code; ``tag`` the skills; an ``SBU`` extension (Dutch study-load hours)
  the hours;
- CLR associations: ``isChildOf``/``isPartOf`` (source into target) and ``isParentOf``
  (target into source) are stacking, counting all the child's credits (the standard has
  no transfer value); ``precedes`` is an entry requirement of the target.

What Open Badges cannot say (fees, entry requirements outside a CLR, stacking credits,
programme rules, level profiles...) travels in the ``pathways`` extension that
:mod:`pathways.standards.ob3_writer` writes, so a catalog comes back as it went out.
No JSON-LD context is fetched: the documents are read as the compact JSON they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from pathways.catalog import Catalog, Credential, Provider, Stacking, credit_value
from pathways.errors import CatalogError, Problem
from pathways.formats.json_format import _child, _Reader
from pathways.standards.report import ImportReport

__all__ = ["ACHIEVEMENT_TYPES", "ACHIEVEMENT_PREFIX", "PROVIDER_PREFIX", "CATALOG_ISSUER",
           "EXTENSION", "EXTENSION_IRI",
           "LEVEL_FRAMEWORKS", "Found", "find_achievements", "achievement_id",
           "read_openbadges"]

#: Ids pathways writes: ``urn:pathways:achievement:`` + the credential id, percent-encoded.
ACHIEVEMENT_PREFIX = "urn:pathways:achievement:"
PROVIDER_PREFIX = "urn:pathways:provider:"
#: The issuer pathways writes for a credential of no provider (it is no provider).
CATALOG_ISSUER = "urn:pathways:catalog"
#: The key of pathways' own extension (a JSON literal) on an Achievement and a document.
EXTENSION = "pathways"
#: The IRI pathways' @context gives its extension (what tells it from another vocabulary's).
EXTENSION_IRI = "urn:pathways:terms#extension"

#: ``achievementType`` -> (kind, type). Written types first (ob3_writer writes exactly
#: these, with ``ext:`` names where OB 3.0 has no word); NZQF has no associate degree,
#: school diploma or "degree" of unknown level: those are qualifications without a type.
ACHIEVEMENT_TYPES: dict[str, tuple[str, str | None]] = {
    "MicroCredential": ("micro-credential", None),
    "Course": ("course", None),
    "ext:Qualification": ("qualification", None),
    "Certificate": ("qualification", "certificate"),
    "Diploma": ("qualification", "diploma"),
    "ext:GraduateCertificate": ("qualification", "graduate-certificate"),
    "ext:GraduateDiploma": ("qualification", "graduate-diploma"),
    "BachelorDegree": ("qualification", "bachelor"),
    "ext:BachelorHonoursDegree": ("qualification", "bachelor-honours"),
    "ext:PostgraduateCertificate": ("qualification", "postgraduate-certificate"),
    "ext:PostgraduateDiploma": ("qualification", "postgraduate-diploma"),
    "MasterDegree": ("qualification", "masters"),
    "DoctoralDegree": ("qualification", "doctorate"),
    "ext:CertificateI": ("qualification", "certificate-i"),
    "ext:CertificateII": ("qualification", "certificate-ii"),
    "ext:CertificateIII": ("qualification", "certificate-iii"),
    "ext:CertificateIV": ("qualification", "certificate-iv"),
    "ext:AdvancedDiploma": ("qualification", "advanced-diploma"),
    "AssociateDegree": ("qualification", "associate-degree"),
    # read only
    "Badge": ("micro-credential", None),
    "CertificateOfCompletion": ("micro-credential", None),
    "Certification": ("micro-credential", None),
    "License": ("micro-credential", None),
    "Competency": ("micro-credential", None),
    "Award": ("micro-credential", None),
    "Achievement": ("micro-credential", None),
    "Assessment": ("course", None),
    "Assignment": ("course", None),
    "Fieldwork": ("course", None),
    "Degree": ("qualification", None),
    "LearningProgram": ("qualification", None),
    "SecondarySchoolDiploma": ("qualification", None),
    "GeneralEducationDevelopment": ("qualification", None),
    "ApprenticeshipCertificate": ("qualification", "certificate"),
    "JourneymanCertificate": ("qualification", "certificate"),
    "MasterCertificate": ("qualification", "postgraduate-certificate"),
    "ResearchDoctorate": ("qualification", "doctorate"),
    "ProfessionalDoctorate": ("qualification", "doctorate"),
}
#: Read as micro-credentials, said so: not credentials one studies for.
_NOT_STUDY = frozenset({"CommunityService", "CoCurricular", "Membership",
                        "QualityAssuranceCredential"})

#: Level frameworks an alignment may name -> pathways framework (EQF levels are kept on
#: the generic scale: they are not NZQF levels).
LEVEL_FRAMEWORKS = {"NZQF": "nzqf", "NZQCF": "nzqf", "AQF": "aqf", "EQF": "generic",
                    "LEVEL": "generic"}

_ASSOCIATIONS = {"isChildOf": "into", "isPartOf": "into", "isParentOf": "from",
                 "precedes": "requires"}
_MAX_NESTING = 8  # credentials inside presentations inside CLRs...


@dataclass
class Found:
    """One achievement met in the documents: where, the object, the profile of the
    credential carrying it (its ``issuer``), and whether its ``pathways`` key is ours."""

    where: str
    achievement: dict[str, Any]
    issuer: Any = None
    ours: bool = False  # in a document whose @context defines pathways' extension


@dataclass
class _Walk:
    """What a walk over the documents found."""

    achievements: list[Found] = field(default_factory=list)
    associations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    extensions: list[tuple[str, Any]] = field(default_factory=list)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("type", node.get("@type"))
    items = value if isinstance(value, list) else [value]
    return {t for t in items if isinstance(t, str)}


def achievement_id(value: Any) -> str | None:
    """The credential id an Achievement's ``id`` stands for: pathways' own URNs decoded,
    any other id as it is (None if it is not text)."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith(ACHIEVEMENT_PREFIX):
        return unquote(value.removeprefix(ACHIEVEMENT_PREFIX)) or None
    return value


def find_achievements(docs: list[tuple[str, Any]], report: ImportReport) -> _Walk:
    """Every achievement (and CLR association) in the documents, in document order."""
    walk = _Walk()
    for source, doc in docs:
        _visit(doc, f"{source}:$", walk, report, None, 0)
    return walk


def _declares_extension(node: dict[str, Any]) -> bool:
    """Whether a node's ``@context`` defines ``pathways`` as pathways' extension (another
    vocabulary's ``pathways`` property is not ours)."""
    contexts = node.get("@context")
    for ctx in contexts if isinstance(contexts, list) else [contexts]:
        term = ctx.get(EXTENSION) if isinstance(ctx, dict) else None
        if isinstance(term, dict) and term.get("@id") == EXTENSION_IRI:
            return True
    return False


def _visit(node: Any, where: str, walk: _Walk, report: ImportReport, issuer: Any,
           depth: int, ours: bool = False) -> None:
    if isinstance(node, list):
        for i, item in enumerate(node):
            _visit(item, _child(where, i), walk, report, issuer, depth, ours)
        return
    if not isinstance(node, dict):
        report.drop(where, "not an object: no credential or achievement here")
        return
    if depth > _MAX_NESTING:
        report.drop(where, f"credentials nested more than {_MAX_NESTING} deep: not read")
        return
    ours = ours or _declares_extension(node)
    if ours and EXTENSION in node and "@graph" in node:
        walk.extensions.append((_child(where, EXTENSION), node[EXTENSION]))
    types = _types(node)
    if "@graph" in node:
        _visit(node["@graph"], _child(where, "@graph"), walk, report, issuer, depth + 1, ours)
    elif "Achievement" in types:
        walk.achievements.append(Found(where, node, issuer, ours))
    elif "VerifiablePresentation" in types:
        _visit(node.get("verifiableCredential", []), _child(where, "verifiableCredential"),
               walk, report, issuer, depth + 1, ours)
    elif "EndorsementCredential" in types:
        report.drop(where, "an endorsement says who vouches for a credential; not read")
    elif "credentialSubject" in node:
        _subject(node, where, walk, report, depth, ours)
    else:
        report.drop(where, "no Achievement, credential or CLR here (its type: "
                    f"{', '.join(sorted(types)) or 'none'})")


def _subject(node: dict[str, Any], where: str, walk: _Walk, report: ImportReport,
             depth: int, ours: bool) -> None:
    """A credential (OB 3.0 or CLR): its subject's achievement(s), credentials and
    associations."""
    issuer = node.get("issuer")
    subjects = node["credentialSubject"]
    base = _child(where, "credentialSubject")
    listed = subjects if isinstance(subjects, list) else [subjects]
    for i, subject in enumerate(listed):
        at = _child(base, i) if isinstance(subjects, list) else base
        if not isinstance(subject, dict):
            report.drop(at, "the credential subject is not an object")
            continue
        if "achievement" in subject:
            ach = subject["achievement"]
            items = ach if isinstance(ach, list) else [ach]
            for j, item in enumerate(items):
                spot = _child(_child(at, "achievement"), j) if isinstance(ach, list) \
                    else _child(at, "achievement")
                if isinstance(item, dict):
                    walk.achievements.append(Found(spot, item, issuer, ours))
                else:
                    report.drop(spot, "an achievement must be an object")
        if "verifiableCredential" in subject:
            _visit(subject["verifiableCredential"], _child(at, "verifiableCredential"),
                   walk, report, issuer, depth + 1, ours)
        assoc = subject.get("association")
        if isinstance(assoc, list):
            for j, item in enumerate(assoc):
                walk.associations.append((_child(_child(at, "association"), j), item))


# -- one achievement ---------------------------------------------------------------------
@dataclass
class _Draft:
    """A credential being read: its fields, provider, extension, and where it was."""

    where: str
    fields: dict[str, Any]
    provider: Provider | None = None
    extension: Any = None
    level_framework: str | None = None


def _text(value: Any) -> str | None:
    """Text, or the first text of a language map / list (OB files sometimes use them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for v in value.values():
            if isinstance(v, str):
                return v
    if isinstance(value, list):
        for v in value:
            got = _text(v)
            if got is not None:
                return got
    return None


def _number(value: Any, where: str, what: str, report: ImportReport) -> float | None:
    """A number, or numeric text (said so); None (said so) for anything else."""
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
        if number is not None and number == number and abs(number) != float("inf"):
            report.assume(where, f'{what} "{value}" is text; read as the number {number:g}')
            return number
        value = None
    if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
        return value
    report.drop(where, f"{what} is not a number; left out")
    return None


def _credits(value: float, where: str, report: ImportReport) -> int | float:
    """Credits as pathways holds them: multiples of 0.5 (rounded, said so)."""
    halves = round(value * 2) / 2
    if halves != value:
        report.assume(where, f"{value:g} credits rounded to {halves:g} (credits are "
                             "multiples of 0.5)")
    return credit_value(halves)


def _kind(ach: dict[str, Any], where: str, report: ImportReport) -> tuple[str, str | None]:
    raw = ach.get("achievementType")
    at = _child(where, "achievementType")
    if raw is None:
        report.assume(where, "no achievementType: read as a micro-credential")
        return "micro-credential", None
    name = raw if isinstance(raw, str) else ""
    if name in ACHIEVEMENT_TYPES:
        return ACHIEVEMENT_TYPES[name]
    if name in _NOT_STUDY:
        report.assume(at, f"{name} is read as a micro-credential")
        return "micro-credential", None
    shown = _text(raw) or repr(raw)
    report.assume(at, f'achievementType "{shown}" is not one pathways knows: '
                      "read as a micro-credential")
    return "micro-credential", None


def _level(ach: dict[str, Any], where: str, draft: _Draft, report: ImportReport) -> None:
    """Level (and its framework) from a level alignment; competencies as skills."""
    aligns = ach.get("alignment")
    if not isinstance(aligns, list):
        return
    skills = []
    for i, a in enumerate(aligns):
        at = _child(_child(where, "alignment"), i)
        if not isinstance(a, dict):
            continue
        kind = _text(a.get("targetType")) or ""
        if kind == "ceasn:Competency":
            name = _text(a.get("targetCode")) or _text(a.get("targetName"))
            if name:
                skills.append(name)
        elif _level_framework(a) is None:
            name = _text(a.get("targetName")) or _text(a.get("targetUrl")) or "?"
            report.drop(at, f"alignment to {kind or 'an untyped target'} ({name}) is not "
                            "mapped (a wallet is matched by it)")
        else:
            _level_alignment(a, at, draft, report)
    if skills and "skills" not in draft.fields:
        draft.fields["skills"] = skills


def _level_alignment(a: dict[str, Any], at: str, draft: _Draft, report: ImportReport) -> None:
    """The level of one level alignment (the first such alignment wins)."""
    code = _text(a.get("targetCode")) or "".join(
        ch for ch in (_text(a.get("targetName")) or "") if ch.isascii() and ch.isdigit())
    if not (code.isascii() and code.isdigit() and len(code) <= 2 and 1 <= int(code) <= 10):
        report.drop(at, f"level alignment without a level of 1 to 10 ({code or 'none'})")
        return
    if "level" in draft.fields:
        report.drop(at, "a second level alignment; the first is kept")
        return
    draft.fields["level"] = int(code)
    draft.level_framework = _level_framework(a)
    frame = (_text(a.get("targetType")) or "") + " " + (_text(a.get("targetFramework")) or "")
    if "EQF" in frame.upper():
        report.assume(at, "an EQF level is kept as the level on the generic scale (EQF "
                          "levels are not NZQF levels)")


def _level_framework(a: dict[str, Any]) -> str | None:
    kind = (_text(a.get("targetType")) or "").upper().removeprefix("EXT:")
    if kind in LEVEL_FRAMEWORKS:
        return LEVEL_FRAMEWORKS[kind]
    frame = (_text(a.get("targetFramework")) or "").upper()
    for name, value in LEVEL_FRAMEWORKS.items():
        if name != "LEVEL" and frame.split() and frame.split()[0] == name:
            return value
    return None


def _provider(profile: Any) -> Provider | None:
    if isinstance(profile, str):
        profile = {"id": profile}
    if not isinstance(profile, dict) or not isinstance(profile.get("id"), str) \
            or profile["id"] == CATALOG_ISSUER:
        return None
    pid = profile["id"]
    if pid.startswith(PROVIDER_PREFIX):
        pid = unquote(pid.removeprefix(PROVIDER_PREFIX))
    return Provider(pid, _text(profile.get("name")) or "") if pid else None


def _draft(found: Found, report: ImportReport) -> _Draft | None:
    ach, where = found.achievement, found.where
    cid = achievement_id(ach.get("id"))
    if cid is None:
        report.drop(where, "an achievement without an id cannot be a credential; left out")
        return None
    kind, qtype = _kind(ach, where, report)
    draft = _Draft(where, {"id": cid, "kind": kind})
    if qtype is not None:
        draft.fields["type"] = qtype
    title = _text(ach.get("name"))
    if not title:
        report.assume(where, "no name: the id is the title")
    draft.fields["title"] = title or cid
    _credit_fields(ach, where, draft, report)
    _level(ach, where, draft, report)
    for key, name in (("fieldOfStudy", "field"), ("humanCode", "code")):
        text = _text(ach.get(key))
        if text is not None:
            draft.fields[name] = text
    tags = ach.get("tag")
    if isinstance(tags, list) and tags and all(isinstance(t, str) and t for t in tags):
        draft.fields["skills"] = list(tags)
    draft.provider = _provider(ach.get("creator"))
    if draft.provider is None and found.issuer is not None:
        draft.provider = _provider(found.issuer)
        if draft.provider is not None:
            report.assume(where, "no creator: the credential's issuer is the provider")
    if draft.provider is not None:
        draft.fields["provider"] = draft.provider.id
    if found.ours:
        draft.extension = ach.get(EXTENSION)
    elif EXTENSION in ach:
        report.drop(_child(where, EXTENSION), "a pathways property of another vocabulary "
                    "(the @context does not define pathways' extension): not read")
    return draft


def _credit_fields(ach: dict[str, Any], where: str, draft: _Draft,
                   report: ImportReport) -> None:
    """Credits from creditsAvailable (else ECTS), hours from an SBU extension."""
    credits: float | None = None
    if "creditsAvailable" in ach:
        credits = _number(ach["creditsAvailable"], _child(where, "creditsAvailable"),
                          "creditsAvailable", report)
    if credits is None:
        for key in ("ECTS", "ects"):
            if key in ach:
                credits = _number(ach[key], _child(where, key), key, report)
                if credits is not None:
                    report.assume(where, f"credits are the {key} extension's ECTS credits")
                break
    if credits is None:
        report.assume(where, "no creditsAvailable: 0 credits")
        credits = 0
    draft.fields["credits"] = _credits(credits, _child(where, "creditsAvailable"), report)
    if "SBU" in ach:
        hours = _number(ach["SBU"], _child(where, "SBU"), "SBU", report)
        if hours is not None:
            draft.fields["hours"] = credit_value(float(hours))
            report.assume(_child(where, "SBU"), "SBU (studiebelastingsuren) are the hours")


# -- the catalog --------------------------------------------------------------------------
def read_openbadges(docs: list[tuple[str, Any]], report: ImportReport) -> Catalog:
    """The catalog the OB 3.0 / CLR 2.0 documents describe (``(path, parsed JSON)``
    pairs, read as one graph); what was mapped, assumed and dropped goes to ``report``.

    Raises :class:`CatalogError` when no achievement is found, or when pathways' own
    extension is malformed (a file written by ``pathways export --format ob3`` and then
    edited by hand).
    """
    walk = find_achievements(docs, report)
    if not walk.achievements and not walk.extensions:  # pathways' own: may be empty
        where = ", ".join(s for s, _ in docs)
        raise CatalogError("no Open Badges achievement found (an Achievement, an "
                           "OpenBadgeCredential or a CLR with achievements)", where=where)
    drafts: dict[str, _Draft] = {}
    for found in walk.achievements:
        draft = _draft(found, report)
        if draft is None:
            continue
        cid = draft.fields["id"]
        if cid in drafts:
            if draft.fields != drafts[cid].fields:
                report.drop(found.where, f"achievement {cid} again, unlike its first "
                                         f"description at {drafts[cid].where}; the first kept")
            continue
        drafts[cid] = draft
    problems: list[Problem] = []
    top = _document_extension(walk, problems)
    catalog = _assemble(drafts, top, walk, report, problems)
    if problems:
        raise CatalogError(problems)
    report.count("credentials", len(catalog.credentials))
    report.count("providers", len(catalog.providers))
    report.count("stacking", len(catalog.stacking))
    report.count("entry requirements", sum(len(c.requires) for c in catalog.credentials))
    return catalog


def _document_extension(walk: _Walk, problems: list[Problem]) -> Catalog | None:
    """The catalog-level facts of pathways' extension (framework, providers...), if any."""
    if not walk.extensions:
        return None
    where, value = walk.extensions[0]
    source, _, path = where.partition(":$")
    if not isinstance(value, dict):
        problems.append(Problem(where, "pathways' extension must be an object"))
        return None
    top = {"format": "pathways-catalog", "version": 1, **value}
    reader = _Reader(source)
    catalog = reader.catalog(top, None)
    problems.extend(Problem(p.where.replace(f"{source}:$", where, 1), p.message)
                    for p in reader.problems)
    return catalog


def _assemble(drafts: dict[str, _Draft], top: Catalog | None, walk: _Walk,
              report: ImportReport, problems: list[Problem]) -> Catalog:
    frameworks = {d.level_framework for d in drafts.values() if d.level_framework}
    if top is not None:
        framework = top.framework
    else:
        framework = frameworks.pop() if len(frameworks) == 1 else "generic"
    credentials: list[Credential] = []
    stacking: list[Stacking] = []
    for draft in drafts.values():
        c = _credential(draft, framework, top is not None, stacking, problems)
        if c is not None:
            credentials.append(c)
    providers: list[Provider] = list(top.providers) if top is not None else []
    known = {p.id for p in providers}
    for draft in drafts.values():  # pathways' own files list their providers
        if top is None and draft.provider is not None and draft.provider.id not in known:
            known.add(draft.provider.id)
            providers.append(draft.provider)
    if top is not None:
        stacking.extend(top.stacking)
    credentials = _associations(credentials, stacking, walk, report)
    base = top if top is not None else Catalog(framework=framework)
    # every catalog-level field of pathways' extension (name, meta, credit unit, calendar…)
    return replace(base, providers=providers, credentials=credentials, stacking=stacking,
                   framework=framework, meta=dict(base.meta))


def _credential(draft: _Draft, framework: str, ours: bool, stacking: list[Stacking],
                problems: list[Problem]) -> Credential | None:
    """The credential of a draft, its extension applied (and read as the JSON format's
    fields, with their checks) and its ``stacks_into`` edges added to ``stacking``."""
    fields = dict(draft.fields)
    if not ours and draft.level_framework not in (None, framework):
        fields["framework"] = draft.level_framework
    ext, at = draft.extension, _child(draft.where, EXTENSION)
    if ext is not None and not isinstance(ext, dict):
        problems.append(Problem(at, "pathways' extension must be an object"))
        return None
    ext = dict(ext or {})
    edges = ext.pop("stacks_into", [])
    reader = _Reader(at.partition(":$")[0])
    prefix = f"{reader.source}:$"
    c = reader.credential({**fields, **ext}, "$")
    into = reader.records({"stacking": [dict(e, **{"from": fields["id"]})
                                        if isinstance(e, dict) else e for e in edges]}
                          if isinstance(edges, list) else {"stacking": edges}, "stacking")
    problems.extend(Problem(p.where.replace(prefix, at, 1)
                            .replace(f"{at}.stacking", _child(at, "stacks_into"), 1),
                            p.message) for p in reader.problems)
    if c is None:
        return None
    stacking.extend(into)
    return replace(c, source=draft.where)


def _association(where: str, a: Any, index: dict[str, Credential],
                 report: ImportReport) -> tuple[str, str, str] | None:
    """One association as (relation, source id, target id), or None (said why)."""
    if not isinstance(a, dict):
        report.drop(where, "an association must be an object")
        return None
    kind = a.get("associationType")
    if not isinstance(kind, str) or kind not in _ASSOCIATIONS:
        report.drop(where, f"association {kind!r} has no meaning for pathways (it "
                           "reads isChildOf, isParentOf, isPartOf and precedes)")
        return None
    src, dst = achievement_id(a.get("sourceId")), achievement_id(a.get("targetId"))
    for end in (src, dst):
        if end is None or end not in index:
            report.drop(where, f"{kind} names {end or 'no id'}, an achievement not in the "
                               "files")
            return None
    assert src is not None and dst is not None
    return _ASSOCIATIONS[kind], src, dst


def _associations(credentials: list[Credential], stacking: list[Stacking], walk: _Walk,
                  report: ImportReport) -> list[Credential]:
    """CLR associations as stacking (all the child's credits) and entry requirements."""
    index = {c.id: c for c in credentials}
    needs: dict[str, list[str]] = {}
    edges = {(e.source, e.target) for e in stacking}
    for where, a in walk.associations:
        found = _association(where, a, index, report)
        if found is None:
            continue
        relation, src, dst = found
        if relation == "requires":
            needs.setdefault(dst, []).append(src)
            continue
        child, parent = (src, dst) if relation == "into" else (dst, src)
        credits = index[child].credits
        if credits <= 0:
            report.drop(where, f"{child} has no credits to count into {parent}; no stacking")
            continue
        report.assume(where, f"{child} counts all its {credits} credits into {parent}: the "
                             "file gives no transfer value")
        if (child, parent) not in edges:
            edges.add((child, parent))
            stacking.append(Stacking(child, parent, credits, where=where))
    return [replace(c, requires=c.requires + tuple((r,) for r in dict.fromkeys(needs[c.id])
                                                   if (r,) not in c.requires))
            if c.id in needs else c for c in credentials]
