"""What every gap check shares: the catalog indexed once, with availability and adjacency."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.errors import CatalogError
from pathways.gaps.report import Finding, GapOptions


class Context:
    """What every check needs: the catalog indexed, availability, stacking adjacency."""

    def __init__(self, catalog: Catalog, options: GapOptions, workers: int = 1) -> None:
        self.catalog = catalog
        self.options = options
        self.index: dict[str, Credential] = catalog.index()
        self.providers = catalog.provider_index()
        self.provider = {cid: c.provider for cid, c in self.index.items()}
        self.available = {cid for cid, c in self.index.items()
                          if c.effective_status != "discontinued"}
        self.into: dict[str, list[tuple[str, int]]] = defaultdict(list)  # target -> sources
        self.out: dict[str, list[tuple[str, int]]] = defaultdict(list)  # source -> targets
        for e in catalog.stacking:
            if e.source in self.index and e.target in self.index:
                self.into[e.target].append((e.source, e.credits))
                self.out[e.source].append((e.target, e.credits))
        for lst in (*self.into.values(), *self.out.values()):
            lst.sort()
        self.qualifications = sorted(
            cid for cid in self.available if self.index[cid].kind == "qualification")
        self.micro = sorted(
            cid for cid in self.available if self.index[cid].kind == "micro-credential")
        self._mc_reach: set[str] | None = None
        self.workers = max(1, workers)  # processes for route solving

    def providers_of(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({p for i in ids if (p := self.provider[i])}))

    def finding(self, kind: str, severity: str, ids: Sequence[str], figure: float,
                message: str, **details: Any) -> Finding:
        return Finding(kind, severity, tuple(ids), self.providers_of(ids), figure, message,
                       details)

    def label(self, cid: str) -> str:
        c = self.index[cid]
        return f"{cid} ({c.title})" if c.title and c.title != cid else cid

    def mc_reach(self) -> set[str]:
        """Available credentials an available micro-credential reaches by stacking (or is)."""
        if self._mc_reach is None:
            seen = set(self.micro)
            queue = deque(self.micro)
            while queue:
                u = queue.popleft()
                for w, _r in self.out.get(u, ()):
                    if w in self.available and w not in seen:
                        seen.add(w)
                        queue.append(w)
            self._mc_reach = seen
        return self._mc_reach

    def involves(self, cid: str) -> bool:
        """Whether a credential is of a provider and a field the options ask for."""
        o = self.options
        c = self.index[cid]
        if o.providers and c.provider not in o.providers:
            return False
        return not o.fields or (c.field or "").casefold() in {x.casefold() for x in o.fields}

    def level(self, cid: str, into: str | None = None) -> int:
        """The level of a credential, 0 when it has none; for credential ``into``'s level
        profile, -1 when its level is on another framework's scale (never compared)."""
        c = self.index[cid]
        if into is not None and not c.same_scale(self.index[into]):
            return -1
        return c.level if c.level is not None else 0


def check_acyclic(ctx: Context) -> None:
    """Raise CatalogError naming a cycle of stacking and requirement edges, if any."""
    succ: dict[str, set[str]] = defaultdict(set)
    for target, sources in ctx.into.items():
        for u, _r in sources:
            succ[u].add(target)
    for c in ctx.catalog.credentials:
        for a in c.required_ids:
            if a in ctx.index:
                succ[a].add(c.id)
    indeg: dict[str, int] = dict.fromkeys(ctx.index, 0)
    for targets in succ.values():
        for w in targets:
            indeg[w] += 1
    ready = [v for v, d in indeg.items() if d == 0]
    seen = 0
    while ready:
        v = ready.pop()
        seen += 1
        for w in succ.get(v, ()):
            indeg[w] -= 1
            if indeg[w] == 0:
                ready.append(w)
    if seen < len(indeg):
        from pathways.catalog import find_cycle, to_graph

        members = find_cycle(to_graph(ctx.catalog)) or []
        shown = " -> ".join([*members, *members[:1]])
        raise CatalogError(f"cycle {shown}: gaps need an acyclic catalog; remove one of "
                           "these edges", ctx.catalog.source or "")


def wanted(ctx: Context, f: Finding) -> bool:
    """Whether a finding passes the provider and field filters of the options."""
    o = ctx.options
    if o.providers and not set(f.providers) & set(o.providers):
        return False
    if o.fields:
        fields = {x.casefold() for x in o.fields}
        if not any((ctx.index[c].field or "").casefold() in fields for c in f.credentials):
            return False
    return True

