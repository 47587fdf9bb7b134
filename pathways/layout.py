"""Layered layout of pathway maps: one column per level, boxes ordered to cross few edges.

A Sugiyama-style layout written for pathway graphs, in pure Python so that it can be
tested on numbers and used without matplotlib:

1. **Columns.** One column per NZQF level when every credential has one; else one per
   ``term`` of a CurricularAnalytics plan when every credential has one; else one per
   topological generation (credentials with no edge in the scope then fill the shortest
   columns). Edges inside a column (a level-4 micro-credential stacking into a level-4
   certificate) are drawn left to right between *sub-columns* of that column, found by
   the longest path inside it, so every edge runs between neighbouring ranks.
2. **Order.** Long edges get a dummy node in every rank they cross, so they pass
   through the gaps between boxes. Within each weakly connected component, the boxes of
   each rank are ordered by barycentre sweeps (down and up, several passes, plus
   adjacent swaps), keeping the order with the fewest crossings. Ties go by id.
3. **Coordinates.** Each rank is placed as close as it can get to the mean height of its
   neighbours with the spacing kept (a weighted isotonic regression, solved exactly by
   pool-adjacent-violators), sweeping down and up. Components are packed top to bottom
   into the columns they use (a skyline), largest first.

Coordinates follow matplotlib: x to the right, y upwards, the drawing occupies
``[0, width] x [0, height]``, and a box is ``(x, y, w, h)`` with ``(x, y)`` its lower-left
corner. The units are whatever the box sizes are given in (the drawing uses points).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from pathways.catalog import Catalog, find_cycle, to_graph
from pathways.errors import PathwaysError

__all__ = [
    "Column",
    "EdgePath",
    "Layout",
    "layout",
    "rank_count",
    "ranks",
    "column_keys",
    "columns_mode",
    "count_crossings",
]

Box = tuple[float, float, float, float]
RESTART_LIMIT = 400  # components up to this many nodes (dummies too) get three starts
Point = tuple[float, float]


@dataclass(frozen=True)
class Column:
    """One column of the map: a level, a term or a generation, and the x range it spans."""

    key: int
    label: str
    x: float
    width: float
    ranks: int  # sub-columns inside it (edges within the column run between them)


@dataclass(frozen=True)
class EdgePath:
    """An edge as drawn: a polyline from the source box's side to the target box's side.

    The points come in pairs, one pair per rank the edge passes: where it enters and
    leaves the rank (the first and last pair run between the box side and the rank's
    edge, possibly zero long). Segments inside a pair are horizontal and pass beside
    boxes, never through them; the segments from one pair to the next cross the gap
    between two neighbouring ranks, and every crossing happens there. ``backward`` edges go from a
    higher column to a lower one (drawn right to left). ``stacking`` is the credits
    recognised (None for a pure entry requirement); ``requisite`` names the requirement
    (``"requires"``, ``"corequisite"``, ``"strict-corequisite"``) or is None.
    """

    source: str
    target: str
    points: tuple[Point, ...]
    stacking: int | None
    requisite: str | None
    backward: bool = False


@dataclass(frozen=True)
class Layout:
    """Where every box and edge goes.

    ``column[id]`` is the index in ``columns`` of the box's column; ``rank[id]`` the
    global sub-column (0 = leftmost); ``order`` lists each rank's ids top to bottom;
    ``crossings`` counts pairs of edge segments that cross (the drawn count: every
    crossing happens in a gap between ranks); ``components`` are the weakly connected
    pieces, largest first.
    """

    boxes: dict[str, Box]
    column: dict[str, int]
    rank: dict[str, int]
    columns: tuple[Column, ...]
    edges: tuple[EdgePath, ...]
    order: tuple[tuple[str, ...], ...]
    crossings: int
    width: float
    height: float
    mode: str  # "level" | "term" | "generation"
    components: tuple[tuple[str, ...], ...]

    def edge(self, source: str, target: str) -> EdgePath:
        """The drawn path of the edge ``source -> target`` (KeyError if not drawn)."""
        for e in self.edges:
            if e.source == source and e.target == target:
                return e
        raise KeyError((source, target))


# --------------------------------------------------------------------------------------
# Scope and columns


def _scope_graph(source: Catalog | nx.DiGraph, ids: Iterable[str] | None) -> nx.DiGraph:
    graph = to_graph(source) if isinstance(source, Catalog) else source
    if ids is None:
        return graph
    wanted = sorted(set(ids))
    missing = [i for i in wanted if i not in graph]
    if missing:
        raise PathwaysError(f"unknown credential {missing[0]!r}; find ids with "
                            "`pathways list --search TEXT`")
    return graph.subgraph(wanted)


def _attr(graph: nx.DiGraph, node: str, name: str) -> int | None:
    data = graph.nodes[node]
    if name in data:
        value = data[name]
    else:
        cred = data.get("credential")
        value = getattr(cred, name, None) if cred is not None else None
    return value if isinstance(value, int) else None


def columns_mode(graph: nx.DiGraph) -> str:
    """How the columns are chosen: ``level`` or ``term`` if every node has one, else
    ``generation``."""
    nodes = list(graph)
    if nodes and all(_attr(graph, n, "level") is not None for n in nodes):
        return "level"
    if nodes and all(_attr(graph, n, "term") is not None for n in nodes):
        return "term"
    return "generation"


def _column_keys(graph: nx.DiGraph, mode: str) -> dict[str, int]:
    if mode in ("level", "term"):
        return {n: int(_attr(graph, n, mode) or 0) for n in graph}
    keys: dict[str, int] = {}
    connected = [n for n in graph if graph.degree(n) > 0]
    sub = graph.subgraph(connected)
    for gen, nodes in enumerate(nx.topological_generations(sub)):
        for n in nodes:
            keys[n] = gen
    isolated = sorted(n for n in graph if graph.degree(n) == 0)
    if isolated:
        count = max(keys.values(), default=-1) + 1
        if count == 0:  # nothing but isolated credentials: a block about twice as tall as wide
            count = max(1, round(math.sqrt(len(isolated) / 2)))
        heights = [0] * count
        for k in keys.values():
            heights[k] += 1
        for n in isolated:
            k = min(range(count), key=lambda i: (heights[i], i))
            keys[n] = k
            heights[k] += 1
    return keys


def _label(mode: str, key: int) -> str:
    if mode == "level":
        return f"Level {key}"
    if mode == "term":
        return f"Term {key}"
    return f"Step {key + 1}"


def _checked_mode(graph: nx.DiGraph, columns: str | None) -> str:
    if not nx.is_directed_acyclic_graph(graph):
        cycle = find_cycle(graph) or []
        raise PathwaysError("cannot lay out a cycle: " + " -> ".join([*cycle, cycle[0]])
                            + " (remove one of these edges)")
    mode = columns or columns_mode(graph)
    if mode not in ("level", "term", "generation"):
        raise PathwaysError(f"columns must be level, term or generation; got {mode!r}")
    if mode != "generation":
        lacking = sorted(n for n in graph if _attr(graph, n, mode) is None)
        if lacking:
            raise PathwaysError(f"credential {lacking[0]!r} has no {mode}: "
                                "cannot put it in a column by " + mode)
    return mode


def _ranks(graph: nx.DiGraph, mode: str, keys: Mapping[str, int] | None = None
           ) -> tuple[dict[str, int], list[int], list[int], dict[str, int]]:
    """Column key of each node, the sorted keys, sub-columns per column, global rank."""
    key = {n: keys[n] for n in graph} if keys is not None else _column_keys(graph, mode)
    col_keys = sorted(set(key.values()))
    col_index = {k: i for i, k in enumerate(col_keys)}
    inner = nx.DiGraph()
    inner.add_nodes_from(sorted(graph))
    inner.add_edges_from((s, t) for s, t in graph.edges() if key[s] == key[t])
    sub: dict[str, int] = {}
    for n in nx.topological_sort(inner):
        sub[n] = max((sub[p] + 1 for p in inner.predecessors(n)), default=0)
    ranks_in = [0] * len(col_keys)
    for n, k in key.items():
        ranks_in[col_index[k]] = max(ranks_in[col_index[k]], sub[n] + 1)
    first = [sum(ranks_in[:i]) for i in range(len(col_keys))]
    rank = {n: first[col_index[key[n]]] + sub[n] for n in graph}
    return key, col_keys, ranks_in, rank


def rank_count(source: Catalog | nx.DiGraph, ids: Iterable[str] | None = None, *,
               columns: str | None = None, keys: Mapping[str, int] | None = None) -> int:
    """How many ranks (sub-columns, left to right) :func:`layout` would use: cheap, for
    choosing box widths before laying out."""
    graph = _scope_graph(source, ids)
    return sum(_ranks(graph, _checked_mode(graph, columns), keys)[2])


def ranks(source: Catalog | nx.DiGraph, ids: Iterable[str] | None = None, *,
          columns: str | None = None, keys: Mapping[str, int] | None = None
          ) -> dict[str, int]:
    """Each credential's rank (global sub-column, 0 = leftmost) as :func:`layout` would
    place it: cheap, for estimating a layout before making it."""
    graph = _scope_graph(source, ids)
    return _ranks(graph, _checked_mode(graph, columns), keys)[3]


def column_keys(source: Catalog | nx.DiGraph, ids: Iterable[str] | None = None, *,
                columns: str | None = None) -> tuple[str, dict[str, int]]:
    """The column mode and each credential's column key (level, term or generation) as
    :func:`layout` would choose them; pass them back as ``keys`` to lay out parts of a
    scope in the columns of the whole."""
    graph = _scope_graph(source, ids)
    mode = _checked_mode(graph, columns)
    return mode, _column_keys(graph, mode)


# --------------------------------------------------------------------------------------
# Crossings


def _crossings_between(upper: Sequence[int], pos: Sequence[int], down: Sequence[list[int]],
                       lower_size: int) -> int:
    """Crossings between two neighbouring ranks (Barth-Juenger-Mutzel accumulator tree)."""
    pairs = sorted((pos[u], pos[v]) for u in upper for v in down[u])
    if len(pairs) < 2:
        return 0
    first = 1
    while first < lower_size:
        first *= 2
    tree = [0] * (2 * first - 1)
    first -= 1
    crossings = 0
    for _, pv in pairs:
        index = pv + first
        tree[index] += 1
        while index > 0:
            if index % 2:
                crossings += tree[index + 1]
            index = (index - 1) // 2
            tree[index] += 1
    return crossings


def count_crossings(layers: Sequence[Sequence[int]], down: Sequence[list[int]],
                    n_nodes: int) -> int:
    """Edge crossings of a proper layered graph (edges only between neighbouring layers)."""
    pos = [0] * n_nodes
    for layer in layers:
        for i, n in enumerate(layer):
            pos[n] = i
    return sum(_crossings_between(layers[r], pos, down, len(layers[r + 1]))
               for r in range(len(layers) - 1))


# --------------------------------------------------------------------------------------
# Ordering one component


class _Component:
    """A connected piece as a proper layered graph over integer nodes (dummies included)."""

    def __init__(self, nodes: list[str], edges: list[tuple[str, str]], rank: dict[str, int]):
        self.names: list[str | tuple[str, str, int]] = list(nodes)
        self.rank: list[int] = [rank[n] for n in nodes]
        index = {n: i for i, n in enumerate(nodes)}
        self.real = len(nodes)
        self.up: list[list[int]] = [[] for _ in nodes]
        self.down: list[list[int]] = [[] for _ in nodes]
        self.chains: dict[tuple[str, str], list[int]] = {}
        for s, t in edges:
            a, b = index[s], index[t]
            if self.rank[a] > self.rank[b]:  # backward edge: laid out as if reversed
                a, b = b, a
            chain = [a]
            for r in range(self.rank[a] + 1, self.rank[b]):
                self.names.append((s, t, r))
                self.rank.append(r)
                self.up.append([])
                self.down.append([])
                chain.append(len(self.names) - 1)
            chain.append(b)
            for u, v in zip(chain, chain[1:], strict=False):
                self.down[u].append(v)
                self.up[v].append(u)
            self.chains[(s, t)] = chain
        self.lo = min(self.rank)
        self.hi = max(self.rank)
        self.sort_key = [self._key(n) for n in self.names]

    @staticmethod
    def _key(name: str | tuple[str, str, int]) -> tuple[str, str]:
        return (name, "") if isinstance(name, str) else (name[0], name[1])

    def initial_layers(self, from_last: bool = False) -> list[list[int]]:
        """Depth-first order over the undirected graph from the smallest id of the first
        (or last) rank: related boxes start close together."""
        layers: list[list[int]] = [[] for _ in range(self.lo, self.hi + 1)]
        seen = [False] * len(self.names)
        sign = -1 if from_last else 1
        starts = sorted(range(len(self.names)),
                        key=lambda n: (sign * self.rank[n], self.sort_key[n]))
        for start in starts:
            if seen[start]:
                continue
            stack = [start]
            while stack:
                n = stack.pop()
                if seen[n]:
                    continue
                seen[n] = True
                layers[self.rank[n] - self.lo].append(n)
                nbrs = sorted(self.up[n] + self.down[n], key=lambda m: self.sort_key[m],
                              reverse=True)
                stack.extend(m for m in nbrs if not seen[m])
        return layers

    def crossings(self, layers: list[list[int]]) -> int:
        return count_crossings(layers, self.down, len(self.names))

    def order(self, passes: int, transpose: bool, restarts: int = 3) -> list[list[int]]:
        """Barycentre sweeps down and up from up to ``restarts`` starting orders (depth
        first from the first rank, from the last, by id); the fewest crossings win, the
        earlier start on a tie."""
        starts = [self.initial_layers(), self.initial_layers(from_last=True),
                  [sorted(layer, key=lambda n: self.sort_key[n])
                   for layer in self.initial_layers()]][:max(1, restarts)]
        best: tuple[int, list[list[int]]] | None = None
        for layers in starts:
            got = self._sweep(layers, passes, transpose)
            if best is None or got[0] < best[0]:
                best = got
            if best[0] == 0:
                break
        assert best is not None
        return best[1]

    def _sweep(self, layers: list[list[int]], passes: int, transpose: bool
               ) -> tuple[int, list[list[int]]]:
        pos = [0] * len(self.names)

        def place(layer: list[int]) -> None:
            for i, n in enumerate(layer):
                pos[n] = i

        for layer in layers:
            place(layer)
        best = [list(layer) for layer in layers]
        best_count = self.crossings(layers)
        stale = 0
        for sweep in range(2 * passes):
            if best_count == 0:
                break
            downward = sweep % 2 == 0
            rng = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
            for r in rng:
                nbrs = self.up if downward else self.down
                layer = layers[r]

                def key(n: int, nbrs: list[list[int]] = nbrs) -> tuple[float, int]:
                    ns = nbrs[n]
                    if not ns:
                        return (float(pos[n]), pos[n])
                    return (sum(pos[m] for m in ns) / len(ns), pos[n])

                layer.sort(key=key)
                place(layer)
            if transpose:
                self._transpose(layers, pos)
            count = self.crossings(layers)
            if count < best_count:
                best_count, best, stale = count, [list(layer) for layer in layers], 0
            else:
                stale += 1
                if stale >= 4:
                    break
        return best_count, best

    def _transpose(self, layers: list[list[int]], pos: list[int]) -> None:
        """Swap neighbours in a rank while that removes crossings with both adjacent ranks."""

        def cost(u: int, v: int) -> tuple[int, int]:
            keep = swap = 0
            for nbrs in (self.up, self.down):
                for a in nbrs[u]:
                    pa = pos[a]
                    for b in nbrs[v]:
                        pb = pos[b]
                        if pa > pb:
                            keep += 1
                        elif pa < pb:
                            swap += 1
            return keep, swap

        for _ in range(4):
            improved = False
            for layer in layers:
                for i in range(len(layer) - 1):
                    u, v = layer[i], layer[i + 1]
                    keep, swap = cost(u, v)
                    if swap < keep:
                        layer[i], layer[i + 1] = v, u
                        pos[u], pos[v] = i + 1, i
                        improved = True
            if not improved:
                break


# --------------------------------------------------------------------------------------
# Vertical placement


def _pav(targets: list[float], weights: list[float]) -> list[float]:
    """Weighted least squares under ``z[0] <= z[1] <= ...`` (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            wt = w1 + w2
            blocks.append([(m1 * w1 + m2 * w2) / wt, wt, c1 + c2])
    out: list[float] = []
    for mean, _w, count in blocks:
        out.extend([mean] * int(count))
    return out


def _place_vertically(comp: _Component, layers: list[list[int]], heights: list[float],
                      row_gap: float, edge_gap: float, sweeps: int = 4) -> list[float]:
    """Centre heights (downwards from 0) of every node: ranks pulled towards the mean of
    their neighbours while keeping boxes in order and apart."""
    centre = [0.0] * len(comp.names)

    def separation(a: int, b: int) -> float:
        gap = row_gap if a < comp.real and b < comp.real else edge_gap
        return heights[a] / 2 + gap + heights[b] / 2

    offsets: list[list[float]] = []
    for layer in layers:
        off = [0.0]
        for a, b in zip(layer, layer[1:], strict=False):
            off.append(off[-1] + separation(a, b))
        offsets.append(off)
        for n, o in zip(layer, off, strict=True):
            centre[n] = o

    def fit(r: int, nbr_lists: Sequence[Sequence[list[int]]]) -> None:
        layer, off = layers[r], offsets[r]
        targets, weights = [], []
        for n, o in zip(layer, off, strict=True):
            ns = [m for nbrs in nbr_lists for m in nbrs[n]]
            if ns:
                want = sum(centre[m] for m in ns) / len(ns)
                weight = 4.0 if n >= comp.real else 1.0 + len(ns)  # keep long edges straight
            else:
                want, weight = centre[n], 0.2
            targets.append(want - o)
            weights.append(weight)
        for n, z, o in zip(layer, _pav(targets, weights), off, strict=True):
            centre[n] = z + o

    for _ in range(sweeps):
        for r in range(1, len(layers)):
            fit(r, [comp.up])
        for r in range(len(layers) - 2, -1, -1):
            fit(r, [comp.down])
    for r in range(len(layers)):
        fit(r, [comp.up, comp.down])
    return centre


# --------------------------------------------------------------------------------------
# The layout


def layout(
    source: Catalog | nx.DiGraph,
    ids: Iterable[str] | None = None,
    *,
    sizes: Mapping[str, tuple[float, float]] | None = None,
    box_width: float = 120.0,
    box_height: float = 48.0,
    column_gap: float = 60.0,
    row_gap: float = 14.0,
    edge_gap: float = 6.0,
    component_gap: float | None = None,
    columns: str | None = None,
    keys: Mapping[str, int] | None = None,
    passes: int = 6,
    restarts: int = 3,
) -> Layout:
    """Lay out ``ids`` of a catalog (or of a graph made by :func:`pathways.catalog.to_graph`).

    ``sizes`` gives a box's ``(w, h)`` by id (others get ``box_width`` x ``box_height``);
    ``column_gap`` separates ranks, ``row_gap`` boxes in a rank, ``edge_gap`` an edge
    passing a box; ``columns`` forces ``"level"``, ``"term"`` or ``"generation"``;
    ``keys`` gives each id's column key (see :func:`column_keys`) instead of working
    them out; ``passes`` (sweeps down and up) and ``restarts`` (starting orders, on
    components of up to RESTART_LIMIT nodes) trade time for fewer crossings.
    Deterministic: the same input gives the same layout.
    """
    graph = _scope_graph(source, ids)
    mode = _checked_mode(graph, columns)
    nodes = sorted(graph)
    sizes = sizes or {}
    size = {n: sizes.get(n, (box_width, box_height)) for n in nodes}
    edges = sorted(graph.edges())
    if component_gap is None:
        component_gap = 2 * row_gap

    if keys is not None:
        missing = sorted(n for n in graph if n not in keys)
        if missing:
            raise PathwaysError(f"no column key given for {missing[0]!r}")
    key, col_keys, ranks_in, rank = _ranks(graph, mode, keys)
    col_index = {k: i for i, k in enumerate(col_keys)}
    first_rank = [sum(ranks_in[:i]) for i in range(len(col_keys))]
    n_ranks = sum(ranks_in)

    rank_width = [0.0] * n_ranks
    for n in nodes:
        rank_width[rank[n]] = max(rank_width[rank[n]], size[n][0])
    rank_x = [0.0] * n_ranks
    for r in range(1, n_ranks):
        rank_x[r] = rank_x[r - 1] + rank_width[r - 1] + column_gap
    width = rank_x[-1] + rank_width[-1] if n_ranks else 0.0

    # Components, largest first, ties by smallest id.
    comps = [sorted(c) for c in nx.weakly_connected_components(graph)]
    comps.sort(key=lambda c: (-len(c), c[0]))

    skyline = [0.0] * n_ranks  # lowest extent used so far per rank (downwards)
    top_down: dict[str | tuple[str, str, int], float] = {}  # centre heights, downwards
    orders: list[list[str]] = [[] for _ in range(n_ranks)]
    chains: dict[tuple[str, str], list[str | tuple[str, str, int]]] = {}
    total_crossings = 0
    placed_any = [False] * n_ranks
    comp_of = {n: i for i, members in enumerate(comps) for n in members}
    edges_of: list[list[tuple[str, str]]] = [[] for _ in comps]
    for s, t in edges:
        edges_of[comp_of[s]].append((s, t))
    for members, comp_edges in zip(comps, edges_of, strict=True):
        comp = _Component(members, comp_edges, rank)
        # Restarts pay on small pieces; on big ones they cost more than they win.
        layers = comp.order(passes, transpose=True,
                            restarts=restarts if len(comp.names) <= RESTART_LIMIT else 1)
        total_crossings += comp.crossings(layers)
        heights = [size[n][1] if isinstance(n, str) else 0.0 for n in comp.names]
        centre = _place_vertically(comp, layers, heights, row_gap, edge_gap)
        # Shift so the component's top touches the skyline of the ranks it spans.
        tops = [centre[n] - heights[n] / 2 for layer in layers for n in layer]
        shift = max(skyline[r] + (component_gap if placed_any[r] else 0.0)
                    for r in range(comp.lo, comp.hi + 1)) - min(tops)
        for i, name in enumerate(comp.names):
            top_down[name] = centre[i] + shift
        bottom = max(centre[n] + heights[n] / 2 for layer in layers for n in layer) + shift
        for r in range(comp.lo, comp.hi + 1):
            skyline[r] = bottom
            placed_any[r] = True
        for layer in layers:
            for n in layer:
                if n < comp.real:
                    orders[comp.rank[n]].append(comp.names[n])  # type: ignore[arg-type]
        for e, chain in comp.chains.items():
            chains[e] = [comp.names[i] for i in chain]
    height = max(skyline, default=0.0)

    # Boxes (y upwards).
    boxes: dict[str, Box] = {}
    for n in nodes:
        w, h = size[n]
        r = rank[n]
        x = rank_x[r] + (rank_width[r] - w) / 2
        boxes[n] = (round(x, 6), round(height - top_down[n] - h / 2, 6), w, h)
    for r in range(n_ranks):
        orders[r].sort(key=lambda n: -boxes[n][1])

    paths = _edge_paths(graph, edges, chains, boxes, rank, rank_x, rank_width, height,
                        top_down)

    cols = tuple(
        Column(key=k, label=_label(mode, k), x=rank_x[first_rank[i]],
               width=rank_x[first_rank[i] + ranks_in[i] - 1]
               + rank_width[first_rank[i] + ranks_in[i] - 1] - rank_x[first_rank[i]],
               ranks=ranks_in[i])
        for i, k in enumerate(col_keys)
    )
    return Layout(
        boxes=boxes,
        column={n: col_index[key[n]] for n in nodes},
        rank=rank,
        columns=cols,
        edges=paths,
        order=tuple(tuple(o) for o in orders),
        crossings=total_crossings,
        width=width,
        height=height,
        mode=mode,
        components=tuple(tuple(c) for c in comps),
    )


def _edge_paths(graph: nx.DiGraph, edges: list[tuple[str, str]],
                chains: dict[tuple[str, str], list[str | tuple[str, str, int]]],
                boxes: dict[str, Box], rank: dict[str, int], rank_x: list[float],
                rank_width: list[float], height: float,
                top_down: Mapping[str | tuple[str, str, int], float]) -> tuple[EdgePath, ...]:
    """Polylines with the edges' ends spread along the box sides in the order of the
    points they lead to, so no crossing is added at a box."""

    def y_of(name: str | tuple[str, str, int]) -> float:
        if isinstance(name, str):
            x, y, w, h = boxes[name]
            return y + h / 2
        return round(height - top_down[name], 6)

    # Side ports: (box, side) -> list of (y of neighbour point, tie, edge).
    ports: dict[tuple[str, str], list[tuple[float, tuple[str, str], tuple[str, str]]]] = (
        defaultdict(list))
    for s, t in edges:
        chain = chains[(s, t)]  # ordered from lower rank to higher
        backward = rank[s] > rank[t]
        lo, hi = chain[0], chain[-1]
        # The box at the lower rank uses its right side, the other its left side.
        for box, nbr, side in ((lo, chain[1], "right"), (hi, chain[-2], "left")):
            assert isinstance(box, str)
            ports[(box, side)].append((y_of(nbr), (s, t) if not backward else (t, s), (s, t)))
    port_y: dict[tuple[tuple[str, str], str], float] = {}
    for (box, _side), entries in ports.items():
        x, y, w, h = boxes[box]
        entries.sort(key=lambda e: (-e[0], e[1]))
        n = len(entries)
        span = h * 0.6 if n > 1 else 0.0
        for i, (_yy, _tie, e) in enumerate(entries):
            frac = 0.5 if n == 1 else i / (n - 1)
            port_y[(e, box)] = round(y + h / 2 + span / 2 - frac * span, 6)

    out = []
    for s, t in edges:
        chain = chains[(s, t)]
        backward = rank[s] > rank[t]
        pts: list[Point] = []
        for k, name in enumerate(chain):
            if isinstance(name, str):
                x, y, w, h = boxes[name]
                py = port_y[((s, t), name)]
                r = rank[name]
                if k == 0:  # leaves from the right side, to the rank's right edge
                    pts += [(x + w, py), (rank_x[r] + rank_width[r], py)]
                else:
                    pts += [(rank_x[r], py), (x, py)]
            else:
                r = name[2]
                yy = y_of(name)
                pts += [(rank_x[r], yy), (rank_x[r] + rank_width[r], yy)]
        if backward:
            pts.reverse()
        data = graph.edges[s, t]
        out.append(EdgePath(source=s, target=t, points=tuple(pts),
                            stacking=data.get("stacking"), requisite=data.get("requisite"),
                            backward=backward))
    return tuple(out)
