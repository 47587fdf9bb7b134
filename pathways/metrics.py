"""Structural metrics of a stacking/requisite graph: blocking, delay, centrality, complexity.

The definitions are those of CurricularAnalytics (Heileman et al.; CurricularAnalytics.jl
``blocking_factor``, ``delay_factor``, ``centrality``, ``complexity``), over every edge of
:func:`pathways.catalog.to_graph` -- stacking, entry requirements, co-requisites and strict
co-requisites alike, each pointing from the prerequisite to what it leads to:

- blocking b(v): how many credentials can be reached from v;
- delay d(v): the number of credentials on the longest path through v (1 when isolated);
- centrality c(v): the sum of the lengths, in credentials, of all paths from a source
  (in-degree 0) to a sink (out-degree 0) through v, v being neither; 0 for sources and sinks;
- complexity h(v) = b(v) + d(v), times 2/3 rounded to one decimal for a quarter system.

The reference tools enumerate every source-to-sink path, which explodes on deep graphs.
Here delay and centrality come from one dynamic program over a topological order, linear
in the graph: for every v the number of paths from sources into v and the sum of their
lengths, the same out to sinks, and the longest path each way. A path source -> v -> sink
made of an in-path of a nodes and an out-path of b nodes has a + b - 1 nodes, so

    c(v) = sum over in-paths i and out-paths o of (len(i) + len(o) - 1)
         = L_in(v) * P_out(v) + P_in(v) * L_out(v) - P_in(v) * P_out(v)

with exact Python integers however many paths there are. Blocking is a reachability count
and has no linear algorithm in general; it ORs bitsets (Python ints) of descendants in
reverse topological order, freeing each as soon as its last predecessor has used it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import networkx as nx

from pathways.catalog import Catalog, find_cycle, to_graph
from pathways.collector import gc_paused
from pathways.errors import CatalogError
from pathways.index import index_of, topological

__all__ = ["CredentialMetrics", "Metrics", "compute_metrics"]


@dataclass(frozen=True)
class CredentialMetrics:
    """The four metrics of one credential (or their totals over a catalog).

    ``complexity`` is an ``int`` for a semester (or non-curricular) catalog and a ``float``
    with one decimal for a quarter-system curriculum.
    """

    blocking: int
    delay: int
    centrality: int
    complexity: int | float

    def to_dict(self) -> dict[str, int | float]:
        return {
            "blocking": self.blocking,
            "delay": self.delay,
            "centrality": self.centrality,
            "complexity": self.complexity,
        }


@dataclass(frozen=True)
class Metrics:
    """Per-credential metrics (keyed by id) and their sums."""

    credentials: Mapping[str, CredentialMetrics]
    total: CredentialMetrics
    quarter: bool = False

    def __getitem__(self, cid: str) -> CredentialMetrics:
        return self.credentials[cid]

    def to_dict(self) -> dict[str, Any]:
        """``{"credentials": {id: {...}}, "total": {...}}`` with ids sorted."""
        return {
            "credentials": {cid: self.credentials[cid].to_dict()
                            for cid in sorted(self.credentials)},
            "total": self.total.to_dict(),
        }


def compute_metrics(
    source: Catalog | nx.DiGraph,
    *,
    quarter: bool | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Metrics:
    """Blocking, delay, centrality and complexity of every credential, and the totals.

    ``source`` is a catalog (all its stacking, requirement and co-requisite edges) or any
    directed graph. ``quarter`` defaults to the catalog's (or graph's) ``system_type``
    being ``"quarter"``. Raises :class:`CatalogError` naming the members of a cycle.
    """
    # Millions of small objects and no reference cycles: the cyclic collector would only
    # rescan them over and over (a third of the time on a 100,000-node graph).
    with gc_paused():
        return _compute(source, quarter, progress)


def _compute(
    source: Catalog | nx.DiGraph,
    quarter: bool | None,
    progress: Callable[[str, int, int], None] | None,
) -> Metrics:
    if isinstance(source, Catalog):
        # Every stacking and requisite edge, from the catalog's one index.
        index = index_of(source)
        nodes: list[Any] = sorted(index.creds)
        edges: Iterable[tuple[Any, Any]] = ((u, v) for v, us in index.preds.items() for u in us)
        system_type = source.system_type
    else:
        nodes = sorted(source.nodes, key=str)
        edges = source.edges
        system_type = source.graph.get("system_type")
    if quarter is None:
        quarter = system_type == "quarter"
    pos = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        iu, iv = pos[u], pos[v]
        succ[iu].append(iv)
        pred[iv].append(iu)
    for lst in succ:
        lst.sort()
    # Positions as zero-padded labels: the index's order takes the smallest label first
    # among the ready, which is the smallest position, as the ids are sorted.
    labels = [f"{i:012d}" for i in range(n)]
    try:
        order = [int(x) for x in topological(
            labels, {labels[i]: [labels[u] for u in ps] for i, ps in enumerate(pred) if ps})]
    except CatalogError:
        graph = to_graph(source) if isinstance(source, Catalog) else source
        members = find_cycle(graph) or []
        shown = " -> ".join(str(m) for m in [*members, *members[:1]])
        where = source.source or "" if isinstance(source, Catalog) else ""
        raise CatalogError(
            f"cycle {shown}: metrics need an acyclic graph; remove one of these edges",
            where,
        ) from None
    into = _paths(order, pred)
    out, blocking = _paths_out(order, succ, pred, progress)
    metrics = _assemble(nodes, pred, succ, into, out, blocking, quarter)
    if progress is not None and n:
        progress("metrics", n, n)
    return metrics


Paths = tuple[list[int], list[int], list[int]]  # per node: count, total length, longest


def _paths(order: list[int], pred: list[list[int]]) -> Paths:
    """Paths from sources into each node: how many, their total length (in nodes), the
    longest."""
    n = len(pred)
    p_in = [0] * n
    l_in = [0] * n
    long_in = [0] * n
    for v in order:
        ps = pred[v]
        if not ps:
            p_in[v], l_in[v], long_in[v] = 1, 1, 1
            continue
        cnt = tot = best = 0
        for u in ps:
            cnt += p_in[u]
            tot += l_in[u]
            if long_in[u] > best:
                best = long_in[u]
        p_in[v], l_in[v], long_in[v] = cnt, tot + cnt, best + 1
    return p_in, l_in, long_in


def _paths_out(order: list[int], succ: list[list[int]], pred: list[list[int]],
               progress: Callable[[str, int, int], None] | None) -> tuple[Paths, list[int]]:
    """Paths from each node out to sinks (as :func:`_paths`), and the blocking factors,
    in reverse topological order."""
    n = len(succ)
    p_out = [0] * n
    l_out = [0] * n
    long_out = [0] * n
    blocking = [0] * n
    # closure[v]: bitset of v and every credential reachable from it; bit k stands for
    # the k-th credential in reverse topological order, so descendants use low bits only.
    closure: dict[int, int] = {}
    pending = [len(ps) for ps in pred]  # predecessors yet to read reach[v]
    step = max(1, n // 100)
    for k, v in enumerate(reversed(order)):
        ss = succ[v]
        r = 1 << k
        if not ss:
            p_out[v], l_out[v], long_out[v] = 1, 1, 1
        else:
            cnt = tot = best = 0
            for w in ss:
                cnt += p_out[w]
                tot += l_out[w]
                if long_out[w] > best:
                    best = long_out[w]
                r |= closure[w]
                pending[w] -= 1
                if pending[w] == 0:
                    del closure[w]
            p_out[v], l_out[v], long_out[v] = cnt, tot + cnt, best + 1
        blocking[v] = r.bit_count() - 1
        if pending[v]:
            closure[v] = r
        if progress is not None and (k + 1) % step == 0:
            progress("metrics", k + 1, n)
    return (p_out, l_out, long_out), blocking


def _assemble(ids: list[Any], pred: list[list[int]], succ: list[list[int]], into: Paths,
              out: Paths, blocking: list[int], quarter: bool) -> Metrics:
    """Each credential's metrics from the path counts, and the totals."""
    p_in, l_in, long_in = into
    p_out, l_out, long_out = out
    per: dict[str, CredentialMetrics] = {}
    tot_b = tot_d = tot_c = 0
    tot_h: Fraction | int = 0
    for i, cid in enumerate(ids):
        b = blocking[i]
        d = long_in[i] + long_out[i] - 1
        if pred[i] and succ[i]:
            c = l_in[i] * p_out[i] + p_in[i] * l_out[i] - p_in[i] * p_out[i]
        else:
            c = 0
        h: int | float
        if quarter:
            exact = round(Fraction(2 * (b + d), 3), 1)
            tot_h += exact
            h = float(exact)
        else:
            h = b + d
            tot_h += h
        per[str(cid)] = CredentialMetrics(b, d, c, h)
        tot_b += b
        tot_d += d
        tot_c += c
    total_h: int | float = float(round(tot_h, 1)) if quarter else int(tot_h)
    return Metrics(per, CredentialMetrics(tot_b, tot_d, tot_c, total_h), quarter)
