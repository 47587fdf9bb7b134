"""Which standard a JSON document speaks: CTDL, Open Badges 3.0, CLR 2.0 or a pathways
catalog, judged from its top level (its ``@context``, ``type`` and first nodes) without
expanding it."""

from __future__ import annotations

from typing import Any

__all__ = ["STANDARDS", "detect_standard"]

#: What :func:`detect_standard` answers (or None).
STANDARDS = ("ctdl", "ob3", "clr", "pathways")

_CTDL_PREFIXES = ("ceterms:", "ceasn:", "ceterms_", "https://purl.org/ctdl/terms/",
                  "http://purl.org/ctdl/terms/", "https://purl.org/ctdlasn/terms/")
_CTDL_TYPES = frozenset({
    "Pathway", "PathwaySet", "PathwayComponent", "CredentialComponent", "CourseComponent",
    "AssessmentComponent", "BasicComponent", "SelectionComponent", "MultiComponent",
    "CocurricularComponent", "ExtracurricularComponent", "JobComponent",
    "WorkExperienceComponent", "CompetencyComponent", "ComponentCondition",
    "TransferValueProfile"})
_OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "Achievement",
                        "EndorsementCredential"})
_CLR_TYPES = frozenset({"ClrCredential", "ClrSubject"})
_SAMPLE = 20  # nodes of a @graph looked at


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _types(node: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ("@type", "type"):
        for t in _strings(node.get(key)):
            found.add(t.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return found


def _is_ctdl_node(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    if any(k.startswith(_CTDL_PREFIXES) for k in node):
        return True
    types = node.get("@type")
    return any(t.startswith(_CTDL_PREFIXES) or t in _CTDL_TYPES for t in _strings(types))


def detect_standard(doc: Any) -> str | None:
    """``"ctdl"``, ``"ob3"``, ``"clr"`` or ``"pathways"`` for a parsed JSON document, or
    None when it is none of them. A list is Open Badges (or CLR) when one of its first
    objects is.

    >>> detect_standard({"@context": "https://credreg.net/ctdl/schema/context/json"})
    'ctdl'
    >>> detect_standard({"format": "pathways-catalog", "credentials": []})
    'pathways'
    """
    if isinstance(doc, list):  # a wallet's list of credentials (Open Badges or CLR)
        found = {detect_standard(d) for d in doc[:_SAMPLE] if isinstance(d, dict)}
        return "clr" if "clr" in found else "ob3" if "ob3" in found else None
    if not isinstance(doc, dict):
        return None
    if doc.get("format") == "pathways-catalog" or (
            "credentials" in doc and "@context" not in doc and "@graph" not in doc):
        return "pathways"
    contexts = [c for c in _strings(doc.get("@context"))]
    types = _types(doc)
    if types & _CLR_TYPES or any("/spec/clr/" in c for c in contexts):
        return "clr"
    if types & _OB3_TYPES or any("/spec/ob/" in c for c in contexts):
        return "ob3"
    if any("credreg.net/ctdl" in c or "purl.org/ctdl" in c for c in contexts):
        return "ctdl"
    graph = doc.get("@graph")
    nodes = graph[:_SAMPLE] if isinstance(graph, list) else [doc]
    if any(_is_ctdl_node(n) for n in nodes):
        return "ctdl"
    return None
