"""CTDL JSON-LD to a table of nodes: expanded with pyld, offline, within bounds.

The CTDL context is served from the copy shipped beside this module
(``ctdl_context.json``, Credential Engine's published context, CC BY 4.0, with bare
terms added by ``scripts/make_ctdl_context.py``); any other remote context is refused,
never fetched. Before expansion every node object is tagged with its JSON path, so that a
warning about a node or one of its values names ``FILE:$['@graph'][3].hasChild[1]``.
Files of the Registry's ``ceterms:`` shape that carry no ``@context`` are read with the
CTDL context (and the report says so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pathways.errors import CatalogError
from pathways.standards.report import ImportReport

__all__ = ["MAX_OBJECTS", "Node", "Ref", "Value", "NodeTable", "read_nodes", "ctdl_context"]

#: The most JSON objects read (all files together): pyld expands about 10,000 a second,
#: so a hostile file ends in a clear error within seconds instead of minutes. 30,000 reads
#: back pathways' own export of a 2,000-credential catalog (about 22,500 objects).
MAX_OBJECTS = 30_000

CTDL_CONTEXT_URLS = ("credreg.net/ctdl/schema/context/json",)
_PATH = "https://pathways.invalid/jsonPath"  # the tag carried through expansion
_NAMESPACES = ("https://purl.org/ctdl/terms/", "https://purl.org/ctdlasn/terms/",
               "https://schema.org/", "http://purl.org/ctdl/terms/")
_PREFIXES = ("ceterms:", "ceasn:", "schema:", "asn:")


@cache
def ctdl_context() -> dict[str, Any]:
    """The shipped CTDL context document (``{"@context": {...}}``)."""
    data: dict[str, Any] = json.loads(
        (Path(__file__).with_name("ctdl_context.json")).read_text(encoding="utf-8"))
    return data


def _is_ctdl_context(url: str) -> bool:
    bare = url.split("://", 1)[-1].rstrip("/").split("?", 1)[0]
    return bare in CTDL_CONTEXT_URLS


class RemoteContextError(Exception):
    """Raised by the document loader for any URL but the CTDL context's."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    if not _is_ctdl_context(url):
        raise RemoteContextError(url)
    return {"contextUrl": None, "documentUrl": url, "document": ctdl_context()}


def local_name(iri: str) -> str:
    """``https://purl.org/ctdl/terms/hasChild`` -> ``hasChild``; other IRIs unchanged."""
    for ns in _NAMESPACES:
        if iri.startswith(ns):
            return iri[len(ns):]
    return iri


def _key_local(key: str) -> str:
    for p in _PREFIXES:
        if key.startswith(p):
            return key[len(p):]
    return local_name(key)


@dataclass(frozen=True)
class Ref:
    """A reference to a node by id, and where it was written."""

    id: str
    where: str


@dataclass(frozen=True)
class Value:
    """A literal (string, number, bool), its language if any, and where it was written."""

    value: Any
    where: str
    language: str | None = None


@dataclass
class Node:
    """A node object: its id (None for an embedded blank node), local type names, and its
    properties by local name, each a list of :class:`Ref`, :class:`Value` or :class:`Node`."""

    id: str | None
    types: list[str]
    where: str
    props: dict[str, list[Ref | Value | Node]] = field(default_factory=dict)

    def get(self, name: str) -> list[Ref | Value | Node]:
        return self.props.get(name, [])


@dataclass
class NodeTable:
    """Every top-level or identified node of the files, by id (the first of a duplicated
    id), in the order read."""

    nodes: dict[str, Node] = field(default_factory=dict)
    anonymous: list[Node] = field(default_factory=list)


# -- before expansion: limits, contexts, path tags ----------------------------------------

def _check_contexts(value: Any, where: str) -> None:
    """Refuse any context but CTDL's before pyld sees it (the loader refuses too)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and not _is_ctdl_context(item):
            raise CatalogError(f"remote contexts are not fetched: the file names {item}; "
                               "only the CTDL context is known", where=where)
        if isinstance(item, dict):
            for key in ("@import", "@propagate"):
                if key == "@import" and key in item:
                    _check_contexts(item[key], where)
            for v in item.values():
                if isinstance(v, dict) and "@context" in v:
                    _check_contexts(v["@context"], where)


def _tag(doc: Any, path: str, originals: dict[str, dict[str, Any]], budget: list[int],
         source: str) -> Any:
    """A copy of ``doc`` whose node objects carry their JSON path; counts the objects."""
    if isinstance(doc, list):
        return [_tag(v, f"{path}[{i}]", originals, budget, source) for i, v in enumerate(doc)]
    if not isinstance(doc, dict):
        return doc
    budget[0] -= 1
    if budget[0] < 0:
        raise CatalogError(f"more than {MAX_OBJECTS} JSON objects in the files read "
                           "together: a pathway is never that large; read fewer files at "
                           "once", where=source)
    if "@context" in doc:
        _check_contexts(doc["@context"], f"{source}:{path}.@context")
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in ("@context", "@value") or not isinstance(value, (dict, list)):
            out[key] = value
        else:
            step = f"['{key}']" if key.startswith("@") else f".{key}"
            out[key] = _tag(value, path + step, originals, budget, source)
    if "@value" not in doc and ("@type" in doc or "@id" in doc or "@graph" in doc) \
            and path != "$":
        out[_PATH] = path
        originals[path] = doc
    return out


# -- after expansion: the node table ------------------------------------------------------

class _Builder:
    def __init__(self, source: str, originals: dict[str, dict[str, Any]],
                 table: NodeTable, report: ImportReport) -> None:
        self.source, self.originals, self.table, self.report = source, originals, table, report
        self.unknown: set[str] = set()

    def where(self, path: str) -> str:
        return f"{self.source}:{path}"

    def node(self, obj: dict[str, Any], fallback: str) -> Node:
        path = obj.get(_PATH, [{}])[0].get("@value", fallback) if _PATH in obj else fallback
        types = [local_name(t) for t in obj.get("@type", [])]
        node = Node(obj.get("@id"), types, self.where(path))
        original = self.originals.get(path, {})
        keys = {_key_local(k): k for k in original if not k.startswith("@")}
        for iri, values in obj.items():
            if iri.startswith("@") or iri == _PATH:
                continue
            name = local_name(iri)
            key = keys.get(name, name)
            given = original.get(key)
            aligned = isinstance(given, list) and len(given) == len(values)
            out: list[Ref | Value | Node] = []
            for i, v in enumerate(values):
                vpath = f"{path}.{key}[{i}]" if aligned else f"{path}.{key}"
                out.append(self.value(v, vpath))
            node.props[name] = out
        expanded = {local_name(k) for k in obj}
        for key in original:
            if not key.startswith("@") and _key_local(key) not in expanded \
                    and key not in self.unknown:
                self.unknown.add(key)  # said once a file, where it first appears
                self.report.drop(self.where(f"{path}.{key}"),
                                 f'"{key}" is not a CTDL term: left out wherever it appears')
        return node

    def value(self, v: Any, path: str) -> Ref | Value | Node:
        if "@value" in v:
            return Value(v["@value"], self.where(path), v.get("@language"))
        if "@list" in v:  # an ordered list: its items, in order
            return Node(None, ["@list"], self.where(path),
                        {"@list": [self.value(x, f"{path}[{i}]")
                                   for i, x in enumerate(v["@list"])]})
        rest = [k for k in v if k not in ("@id", _PATH)]
        if not rest and "@id" in v:
            return Ref(v["@id"], self.where(v.get(_PATH, [{}])[0].get("@value", path)
                                            if _PATH in v else path))
        node = self.node(v, path)
        if node.id is not None:
            self.register(node)
            return Ref(node.id, node.where)
        return node

    def register(self, node: Node) -> None:
        if node.id is None:
            self.table.anonymous.append(node)
            return
        first = self.table.nodes.get(node.id)
        if first is None:
            self.table.nodes[node.id] = node
        elif first is not node:
            self.report.drop(node.where, f"one @id for two nodes: {node.id} is also "
                             f"{first.where}; this second node is left out")

    def top(self, items: list[Any], path: str) -> None:
        for i, obj in enumerate(items):
            if "@graph" in obj:
                self.top(obj["@graph"], f"{path}['@graph']")
                continue
            node = self.node(obj, f"{path}[{i}]")
            self.register(node)


def read_nodes(docs: list[tuple[str, Any]], report: ImportReport) -> NodeTable:
    """Expand each ``(path, parsed JSON)`` document with pyld (offline) into one table."""
    from pyld import jsonld

    table = NodeTable()
    budget = [MAX_OBJECTS]
    for source, doc in docs:
        if isinstance(doc, dict) and "@context" not in doc:
            report.assume(f"{source}:$", "no @context: read with the CTDL context")
            doc = {"@context": "https://credreg.net/ctdl/schema/context/json", **doc}
        originals: dict[str, dict[str, Any]] = {}
        tagged = _tag(doc, "$", originals, budget, source)
        try:
            expanded = jsonld.expand(tagged, {"documentLoader": _loader, "base": ""})
        except RemoteContextError as e:  # pragma: no cover - refused before expansion
            raise CatalogError(f"remote contexts are not fetched: the file names {e.url}",
                               where=source) from None
        except jsonld.JsonLdError as e:
            cause = e
            while cause is not None and not isinstance(cause, RemoteContextError):
                cause = getattr(cause, "cause", None) or cause.__cause__
            if isinstance(cause, RemoteContextError):
                raise CatalogError(f"remote contexts are not fetched: the file names "
                                   f"{cause.url}", where=source) from None
            raise CatalogError(f"not valid JSON-LD: {str(e).splitlines()[0]}",
                               where=source) from None
        _Builder(source, originals, table, report).top(expanded, "$")
    return table
