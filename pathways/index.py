"""One index of a catalog: who stacks into whom, who requires whom, in what order.

Every module that walks a catalog's edges (routes, gaps, what-if, metrics) uses a
:class:`CatalogIndex` instead of building its own adjacency. Build it with
:func:`index_of`, which keeps the index of a few recent catalogs while they are unchanged.

Edge kinds (:data:`pathways.vocabulary.EDGE_KINDS`), each pointing from the credential
that comes first to the one it leads to:

- ``stacking``: u → v, u's credits recognised in v (``stacking_into[v]`` lists ``(u, r)``,
  ``stacking_from[u]`` lists ``(v, r)``; two edges for one pair keep the larger credits;
  an edge naming an unknown id or a credential stacking into itself is left out);
- ``requires`` / ``corequisite`` / ``strict-corequisite``: u → v when v names u
  (``clauses[v]`` keeps v's requirement clauses, AND of ORs, co-requisites as clauses of
  their own).

``preds[v]`` and ``succs[u]`` join every kind (ids known to the catalog only, sorted).
"""

from __future__ import annotations

import heapq
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from pathways.catalog import Catalog, Credential, Credits
from pathways.errors import CatalogError

__all__ = ["CatalogIndex", "index_of"]


class CatalogIndex:
    """Lookups over one catalog (see the module): built in one pass, read-only after."""

    def __init__(self, catalog: Catalog) -> None:
        self.creds: dict[str, Credential] = catalog.index()
        creds = self.creds
        into: dict[str, dict[str, Credits]] = {}
        for e in catalog.stacking:
            if e.source in creds and e.target in creds and e.source != e.target:
                d = into.setdefault(e.target, {})
                d[e.source] = max(d.get(e.source, 0), e.credits)
        self.stacking_into: dict[str, tuple[tuple[str, Credits], ...]] = {
            v: tuple(sorted(d.items())) for v, d in into.items()}
        out: dict[str, list[tuple[str, Credits]]] = {}
        for v, srcs in sorted(self.stacking_into.items()):
            for u, r in srcs:
                out.setdefault(u, []).append((v, r))
        self.stacking_from: dict[str, tuple[tuple[str, Credits], ...]] = {
            u: tuple(vs) for u, vs in out.items()}
        self.clauses: dict[str, tuple[tuple[str, ...], ...]] = {}
        required: dict[str, dict[str, str]] = {}  # v -> {u: first edge kind naming u}
        for c in catalog.credentials:
            clauses = c.requirement_clauses
            if clauses:
                self.clauses[c.id] = clauses
            kinds = required.setdefault(c.id, {})
            for kind, ids in (("requires", (a for cl in c.requires for a in cl)),
                              ("corequisite", c.corequisites),
                              ("strict-corequisite", c.strict_corequisites)):
                for a in ids:
                    if a in creds and a != c.id:
                        kinds.setdefault(a, kind)
        self.requisites: dict[str, dict[str, str]] = {v: k for v, k in required.items() if k}
        preds: dict[str, set[str]] = {}
        for v, srcs in self.stacking_into.items():
            preds.setdefault(v, set()).update(u for u, _r in srcs)
        for v, kinds in self.requisites.items():
            preds.setdefault(v, set()).update(kinds)
        self.preds: dict[str, tuple[str, ...]] = {v: tuple(sorted(us)) for v, us in preds.items()}
        succs: dict[str, list[str]] = {}
        for v, us in sorted(self.preds.items()):
            for u in us:
                succs.setdefault(u, []).append(v)
        self.succs: dict[str, tuple[str, ...]] = {u: tuple(vs) for u, vs in succs.items()}
        self._order: list[str] | None = None

    # -- by edge kind ----------------------------------------------------------------------
    def sources(self, v: str, kind: str | None = None) -> tuple[str, ...]:
        """The credentials with an edge into ``v`` (of ``kind``, or of any kind), sorted."""
        if kind is None:
            return self.preds.get(v, ())
        if kind == "stacking":
            return tuple(u for u, _r in self.stacking_into.get(v, ()))
        return tuple(sorted(u for u, k in self.requisites.get(v, {}).items() if k == kind))

    def receivers(self, u: str, kind: str | None = None) -> tuple[str, ...]:
        """The credentials ``u`` has an edge into (of ``kind``, or of any kind), sorted."""
        if kind is None:
            return self.succs.get(u, ())
        if kind == "stacking":
            return tuple(v for v, _r in self.stacking_from.get(u, ()))
        return tuple(v for v in self.succs.get(u, ()) if self.requisites.get(v, {}).get(u) == kind)

    # -- order and reach --------------------------------------------------------------------
    def topological_order(self) -> list[str]:
        """Every credential after all its sources (every edge kind), ties by id.

        Raises :class:`CatalogError` naming the credentials on or after a cycle.
        """
        if self._order is None:
            self._order = topological(self.creds, self.preds)
        return list(self._order)

    def upstream(self, targets: Iterable[str]) -> set[str]:
        """The known ``targets`` and every credential with a path into one of them."""
        return _reach(self.creds, self.preds, targets)

    def downstream(self, sources: Iterable[str]) -> set[str]:
        """The known ``sources`` and every credential one of them has a path into."""
        return _reach(self.creds, self.succs, sources)


def topological(nodes: Iterable[str], preds: Mapping[str, Iterable[str]]) -> list[str]:
    """``nodes`` with each after its ``preds`` among them (smallest id first when free).

    Raises :class:`CatalogError` naming the nodes that wait on a cycle.
    """
    keep = set(nodes)
    count: dict[str, int] = {}
    succ: dict[str, list[str]] = {}
    for v in keep:
        ps = [u for u in set(preds.get(v, ())) if u in keep]
        count[v] = len(ps)
        for u in ps:
            succ.setdefault(u, []).append(v)
    ready = [v for v, k in count.items() if k == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        u = heapq.heappop(ready)
        out.append(u)
        for v in succ.get(u, ()):
            count[v] -= 1
            if count[v] == 0:
                heapq.heappush(ready, v)
    if len(out) != len(count):
        stuck = sorted(v for v, k in count.items() if k > 0)
        raise CatalogError(f"the catalog has a cycle among {', '.join(stuck)}; "
                           "validate it (pathways.rules.validate) and fix it")
    return out


def _reach(creds: Mapping[str, Credential], step: Mapping[str, tuple[str, ...]],
           start: Iterable[str]) -> set[str]:
    seen = {t for t in start if t in creds}
    stack = list(seen)
    while stack:
        for u in step.get(stack.pop(), ()):
            if u not in seen:
                seen.add(u)
                stack.append(u)
    return seen


# A few recent catalogs with their indexes. An entry is valid while the catalog object is
# alive and its credential and stacking lists hold equal items (the cache keeps copies of
# the lists, so the old items stay alive and an identity check cannot be fooled by a
# reused address; list equality checks identity first, so an unchanged catalog costs one
# pass over its lists).
_CACHE: list[tuple[Any, list[Credential], list[Any], CatalogIndex]] = []
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def index_of(catalog: Catalog) -> CatalogIndex:
    """The catalog's :class:`CatalogIndex`, from the cache when the catalog is unchanged."""
    with _CACHE_LOCK:
        for i, (ref, c0, e0, index) in enumerate(_CACHE):
            if ref() is catalog and c0 == catalog.credentials and e0 == catalog.stacking:
                _CACHE.insert(0, _CACHE.pop(i))
                return index
    creds, edges = list(catalog.credentials), list(catalog.stacking)
    index = CatalogIndex(catalog)
    with _CACHE_LOCK:
        _CACHE.insert(0, (weakref.ref(catalog), creds, edges, index))
        del _CACHE[_CACHE_SIZE:]
    return index
