"""What every gap check shares: the catalog indexed once, with availability and adjacency."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pathways.catalog import Catalog, Credential, Credits
from pathways.counting import profile_level, source_level
from pathways.errors import CatalogError
from pathways.gaps.report import Finding, GapOptions
from pathways.index import CatalogIndex, index_of


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
        self.edges: CatalogIndex = index_of(catalog)
        # Stacking adjacency, sorted by id: target -> (source, credits), and the reverse.
        self.into: Mapping[str, Sequence[tuple[str, Credits]]] = self.edges.stacking_into
        self.out: Mapping[str, Sequence[tuple[str, Credits]]] = self.edges.stacking_from
        self.level_of = {cid: c.level for cid, c in self.index.items()}
        self.qualifications = sorted(
            cid for cid in self.available if self.index[cid].kind == "qualification")
        self.micro = sorted(
            cid for cid in self.available if self.index[cid].kind == "micro-credential")
        self._mc_reach: set[str] | None = None
        # receiver -> its sources that may stand in for a dropped one (gaps.bounds')
        self.substitutes: dict[str, list[tuple[str, float, float, int, Any]]] = {}
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
            self._mc_reach = self.spread(self.micro, self.out)
        return self._mc_reach

    def spread(self, start: Iterable[str], step: Mapping[str, Sequence[tuple[str, Credits]]]
               ) -> set[str]:
        """``start`` and the available credentials reached from it along ``step``
        (``self.out``: stacking forwards; ``self.into``: backwards) through available ones."""
        seen = set(start)
        queue = deque(seen)
        while queue:
            u = queue.popleft()
            for w, _r in step.get(u, ()):
                if w in self.available and w not in seen:
                    seen.add(w)
                    queue.append(w)
        return seen

    def involves(self, cid: str) -> bool:
        """Whether a credential is of a provider and a field the options ask for."""
        o = self.options
        c = self.index[cid]
        if o.providers and c.provider not in o.providers:
            return False
        return not o.fields or (c.field or "").casefold() in {x.casefold() for x in o.fields}

    def level(self, cid: str, into: str | None = None) -> int:
        """A credential's level for level profiles (pathways.counting's: below every
        level when it has none, or, for credential ``into``'s profile, when its level is
        on another framework's scale: never compared)."""
        if into is not None:
            return source_level(self.index[cid], self.index[into])
        return profile_level(self.index[cid].level)


def check_acyclic(ctx: Context) -> None:
    """Raise CatalogError naming a cycle of stacking and requirement edges, if any."""
    if _acyclic(ctx.edges):
        return
    try:
        ctx.edges.topological_order()
    except CatalogError:
        from pathways.catalog import find_cycle, to_graph

        members = find_cycle(to_graph(ctx.catalog)) or []
        shown = " -> ".join([*members, *members[:1]])
        raise CatalogError(f"cycle {shown}: gaps need an acyclic catalog; remove one of "
                           "these edges", ctx.catalog.source or "") from None


def _acyclic(index: CatalogIndex) -> bool:
    """Whether the catalog's edges (every kind, as the index keeps them: no self-loops)
    have no cycle, on the compact graph the catalog checks use."""
    from pathways.rules.cycles import acyclic

    return acyclic(index.creds, index.preds)


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

