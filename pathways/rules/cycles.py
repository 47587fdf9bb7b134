"""Cycles through stacking and entry requirements, found on a compact form of the graph.

A million credentials and three million edges as a networkx graph take gigabytes; here
the credentials are numbered and the edges held as two integer arrays (a compressed
adjacency list), and the strongly connected components are found by Tarjan's algorithm
without recursion. Only the components of more than one credential (there are none in a
valid catalog) become small networkx graphs, built in the order :func:`to_graph` adds
nodes and edges, so that :func:`find_cycle` walks them exactly as it walks the whole
catalog's graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping

from pathways.catalog import Catalog, find_cycle

__all__ = ["acyclic", "cycles", "has_cycle"]


def _edges(catalog: Catalog, number: dict[str, int]) -> Iterator[tuple[int, int]]:
    """The edges of :func:`pathways.catalog.to_graph` as numbers, self-loops left out
    (stacking first, then each credential's requisites; an edge may come twice)."""
    for e in catalog.stacking:
        u, v = number.get(e.source), number.get(e.target)
        if u is not None and v is not None and u != v:
            yield u, v
    for c in catalog.credentials:
        v = number[c.id]
        for a in (*(a for clause in c.requires for a in clause), *c.corequisites,
                  *c.strict_corequisites):
            u = number.get(a)
            if u is not None and u != v:
                yield u, v


def _adjacency(n: int, pairs: Iterator[tuple[int, int]]) -> tuple[array, array]:
    """``starts``, ``targets``: node v's successors are targets[starts[v]:starts[v + 1]]."""
    sources, ends = array("l"), array("l")
    for u, v in pairs:
        sources.append(u)
        ends.append(v)
    starts = array("l", bytes(8 * (n + 1)))
    for u in sources:
        starts[u + 1] += 1
    for v in range(n):
        starts[v + 1] += starts[v]
    fill = array("l", starts)
    targets = array("l", bytes(8 * len(ends)))
    for u, v in zip(sources, ends, strict=True):
        targets[fill[u]] = v
        fill[u] += 1
    return starts, targets


def _components(n: int, starts: array, targets: array) -> list[list[int]]:
    """The strongly connected components of more than one node (Tarjan, iteratively)."""
    index = array("l", [-1]) * n
    low = array("l", [0]) * n
    next_edge = array("l", starts[:n]) if n else array("l")
    on_stack = bytearray(n)
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        calls = [root]
        while calls:
            v = calls[-1]
            i, end = next_edge[v], starts[v + 1]
            while i < end:
                w = targets[i]
                i += 1
                if index[w] == -1:
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                w = -1
            next_edge[v] = i
            if w != -1:  # descend into w
                index[w] = low[w] = counter
                counter += 1
                stack.append(w)
                on_stack[w] = 1
                calls.append(w)
                continue
            calls.pop()
            if calls and low[v] < low[calls[-1]]:
                low[calls[-1]] = low[v]
            if low[v] == index[v]:
                member = stack.pop()
                on_stack[member] = 0
                if member != v:
                    component = [member]
                    while member != v:
                        member = stack.pop()
                        on_stack[member] = 0
                        component.append(member)
                    found.append(component)
    return found


def cycles(catalog: Catalog) -> list[list[str]]:
    """One cycle (ids in cycle order from the smallest) per strongly connected component
    of more than one credential of the stacking + requirement graph, in the order of the
    components' sorted member lists; the same cycles ``find_cycle`` finds in each
    component of :func:`pathways.catalog.to_graph` (self-loops aside)."""
    number: dict[str, int] = {}
    for c in catalog.credentials:
        number.setdefault(c.id, len(number))
    starts, targets = _adjacency(len(number), _edges(catalog, number))
    components = _components(len(number), starts, targets)
    if not components:
        return []
    ids = list(number)
    out = []
    for members in sorted(sorted(ids[v] for v in comp) for comp in components):
        cycle = find_cycle(_subgraph(catalog, number, set(members))) or members
        out.append(cycle)
    return out


def has_cycle(catalog: Catalog) -> bool:
    """Whether :func:`pathways.catalog.to_graph` of the catalog has a cycle, a self-loop
    included (``find_cycle`` finds one exactly then), without building that graph."""
    ids = {c.id for c in catalog.credentials}
    if any(e.source == e.target and e.source in ids for e in catalog.stacking):
        return True
    if any(c.id in (*(a for clause in c.requires for a in clause), *c.corequisites,
                    *c.strict_corequisites) for c in catalog.credentials):
        return True
    number: dict[str, int] = {}
    for c in catalog.credentials:
        number.setdefault(c.id, len(number))
    starts, targets = _adjacency(len(number), _edges(catalog, number))
    return bool(_components(len(number), starts, targets))


def acyclic(nodes: Iterable[str], preds: Mapping[str, Iterable[str]]) -> bool:
    """Whether the graph with an edge u -> v for each u in ``preds[v]`` (both among
    ``nodes``; no self-loops given) has no cycle, on the same compact form."""
    number = {v: i for i, v in enumerate(nodes)}
    pairs = ((number[u], i) for v, i in number.items() for u in preds.get(v, ())
             if u in number)
    starts, targets = _adjacency(len(number), pairs)
    return not _components(len(number), starts, targets)


def _subgraph(catalog: Catalog, number: dict[str, int], members: set[str]) -> object:
    """The component as :func:`to_graph` would hold it: nodes and edges in its order."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(i for i in number if i in members)
    ids = list(number)
    graph.add_edges_from((ids[u], ids[v]) for u, v in _edges(catalog, number)
                         if ids[u] in members and ids[v] in members)
    return graph
