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
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from pathways.catalog import Catalog, find_cycle, level_scale, to_graph
from pathways.drawing.groups import Group, drawable, frames, gather, margins
from pathways.drawing.ordering import _Component, _place_vertically, count_crossings
from pathways.errors import PathwaysError

__all__ = [
    "Column",
    "EdgePath",
    "Group",
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
    trunk: bool = False  # runs in a trunk shared with other edges after its first gap


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
    frames: tuple[tuple[str, Box], ...] = ()  # (group key, frame) of each group drawn

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
        from pathways.filters import FIND_IDS

        raise PathwaysError(f"unknown credential {missing[0]!r}; {FIND_IDS}")
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


ANY_TERM = 1_000_000  # the column key of credentials with no edge, when put apart


#: Levels of a framework on another level scale than the catalog's (an AQF credential in
#: an NZQF catalog) get a set of columns of their own, right of the catalog's: column key
#: SCALE_STEP x the scale's place in SCALE_NAMES + the level. Never compared, never mixed.
SCALE_STEP = 100
SCALE_NAMES = {"nzqf": "NZQF", "aqf": "AQF", "generic": "Other"}


def _level_key(graph: nx.DiGraph, n: str) -> int:
    level = int(_attr(graph, n, "level") or 0)
    cred = graph.nodes[n].get("credential")
    scale = getattr(cred, "foreign_scale", None)
    if scale is None:
        return level
    places = list(SCALE_NAMES)
    return SCALE_STEP * (1 + (places.index(scale) if scale in places else len(places))) + level


def _column_keys(graph: nx.DiGraph, mode: str, apart: bool = False) -> dict[str, int]:
    """Each node's column key; in generation mode, nodes with no edge fill the shortest
    columns, or with ``apart`` go in a column of their own ("Any term")."""
    if mode == "level":
        return {n: _level_key(graph, n) for n in graph}
    if mode == "term":
        return {n: int(_attr(graph, n, mode) or 0) for n in graph}
    keys: dict[str, int] = {}
    connected = [n for n in graph if graph.degree(n) > 0]
    sub = graph.subgraph(connected)
    for gen, nodes in enumerate(nx.topological_generations(sub)):
        for n in nodes:
            keys[n] = gen
    isolated = sorted(n for n in graph if graph.degree(n) == 0)
    if isolated and apart and keys:
        keys.update(dict.fromkeys(isolated, ANY_TERM))
    elif isolated:
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


def _label(mode: str, key: int, home: str | None = None) -> str:
    """A column's heading; ``home`` names the catalog's framework when the map has levels
    of several scales, so every level column says whose level it is ("AQF level 8")."""
    if mode == "level" and key >= SCALE_STEP:
        names = list(SCALE_NAMES.values())
        place = key // SCALE_STEP - 1
        name = names[place] if place < len(names) else "Other"
        return f"{name} level {key % SCALE_STEP}"
    if mode == "level" and home is not None:
        return f"{SCALE_NAMES.get(level_scale(home), home)} level {key}"
    if mode == "level":
        return f"Level {key}"
    if mode == "term":
        return f"Term {key}"
    return "Any term" if key == ANY_TERM else f"Step {key + 1}"


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
                columns: str | None = None, unlinked: str = "fill"
                ) -> tuple[str, dict[str, int]]:
    """The column mode and each credential's column key (level, term or generation) as
    :func:`layout` would choose them; pass them back as ``keys`` to lay out parts of a
    scope in the columns of the whole. ``unlinked="apart"`` puts credentials with no edge
    in a column of their own (labelled "Any term") instead of the shortest columns."""
    graph = _scope_graph(source, ids)
    mode = _checked_mode(graph, columns)
    return mode, _column_keys(graph, mode, apart=unlinked == "apart")


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
    bundles: Mapping[tuple[str, str], Hashable] | None = None,
    groups: Sequence[Group] = (),
) -> Layout:
    """Lay out ``ids`` of a catalog (or of a graph made by :func:`pathways.catalog.to_graph`).

    ``sizes`` gives a box's ``(w, h)`` by id (others get ``box_width`` x ``box_height``);
    ``column_gap`` separates ranks, ``row_gap`` boxes in a rank, ``edge_gap`` an edge
    passing a box; ``columns`` forces ``"level"``, ``"term"`` or ``"generation"``;
    ``keys`` gives each id's column key (see :func:`column_keys`) instead of working
    them out; ``passes`` (sweeps down and up) and ``restarts`` (starting orders, on
    components of up to RESTART_LIMIT nodes) trade time for fewer crossings.
    ``bundles`` gives edges a key: forward edges into one target with the same key run
    in one trunk from the rank after their source to the target (a dense fan crosses
    others once, not once an edge, and arrives at one port); such edges then share
    points, and ``crossings`` counts the trunk once.
    ``groups`` are boxes to keep together, one under another, and frame (a programme
    rule's sources): those whose boxes share a rank, nested or apart (see
    :mod:`pathways.drawing.groups`), get room for their frame and label and a frame in
    ``frames``.
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
    n_ranks = sum(ranks_in)

    rank_width = [0.0] * n_ranks
    for n in nodes:
        rank_width[rank[n]] = max(rank_width[rank[n]], size[n][0])
    rank_x = [0.0] * n_ranks
    for r in range(1, n_ranks):
        rank_x[r] = rank_x[r - 1] + rank_width[r - 1] + column_gap
    # Rounded as the boxes are, so that a box as wide as its rank has its sides exactly
    # on the rank's edges: an edge's last run then never points back into the box.
    rank_x = [round(x, 6) for x in rank_x]
    width = rank_x[-1] + rank_width[-1] if n_ranks else 0.0

    stack = _stack_components(graph, edges, rank, n_ranks, size, passes, restarts, row_gap,
                              edge_gap, component_gap, bundles, groups)
    comps, top_down, orders, chains, height = (stack.comps, stack.top_down, stack.orders,
                                               stack.chains, stack.height)
    total_crossings = stack.crossings

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

    mixed = graph.graph.get("mixed_levels") or any(k >= SCALE_STEP for k in col_keys)
    home = graph.graph.get("framework", "nzqf") if mixed and mode == "level" else None
    cols = _columns(mode, col_keys, ranks_in, rank_x, rank_width, home)
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
        frames=frames(stack.groups, boxes),
    )


def _columns(mode: str, col_keys: Sequence[int], ranks_in: Sequence[int],
             rank_x: Sequence[float], rank_width: Sequence[float],
             home: str | None = None) -> tuple[Column, ...]:
    first_rank = [sum(ranks_in[:i]) for i in range(len(col_keys))]
    return tuple(
        Column(key=k, label=_label(mode, k, home), x=rank_x[first_rank[i]],
               width=rank_x[first_rank[i] + ranks_in[i] - 1]
               + rank_width[first_rank[i] + ranks_in[i] - 1] - rank_x[first_rank[i]],
               ranks=ranks_in[i])
        for i, k in enumerate(col_keys)
    )


@dataclass
class _Stack:
    """Components ordered and placed one under another: each node's centre height
    (downwards), each rank's real nodes in order, each edge's chain of nodes and dummies."""

    comps: list[list[str]]
    top_down: dict[str | tuple[str, str, int], float]
    orders: list[list[str]]
    chains: dict[tuple[str, str], list[str | tuple[str, str, int]]]
    crossings: int = 0
    height: float = 0.0
    groups: list[Group] = field(default_factory=list)  # the groups framed


def _stack_components(graph: nx.DiGraph, edges: list[tuple[str, str]], rank: dict[str, int],
                      n_ranks: int, size: Mapping[str, tuple[float, float]], passes: int,
                      restarts: int, row_gap: float, edge_gap: float,
                      component_gap: float,
                      bundles: Mapping[tuple[str, str], Hashable] | None = None,
                      groups: Sequence[Group] = ()) -> _Stack:
    """Each weakly connected component (largest first, ties by smallest id) ordered, its
    groups gathered, placed, then packed below the ones before it in the ranks it spans
    (a skyline)."""
    comps = [sorted(c) for c in nx.weakly_connected_components(graph)]
    comps.sort(key=lambda c: (-len(c), c[0]))
    out = _Stack(comps, {}, [[] for _ in range(n_ranks)], {})
    skyline = [0.0] * n_ranks  # lowest extent used so far per rank (downwards)
    placed_any = [False] * n_ranks
    comp_of = {n: i for i, members in enumerate(comps) for n in members}
    edges_of: list[list[tuple[str, str]]] = [[] for _ in comps]
    for s, t in edges:
        edges_of[comp_of[s]].append((s, t))
    out.groups = drawable(groups, rank, comp_of)
    for ci, (members, comp_edges) in enumerate(zip(comps, edges_of, strict=True)):
        comp = _Component(members, comp_edges, rank, bundles)
        # Restarts pay on small pieces; on big ones they cost more than they win.
        layers = comp.order(passes, transpose=True,
                            restarts=restarts if len(comp.names) <= RESTART_LIMIT else 1)
        at = {name: i for i, name in enumerate(members)}  # the real nodes come first
        mine = [(tuple(at[n] for n in g.ids), g) for g in out.groups if comp_of[g.ids[0]] == ci]
        gather(layers, [m for m, _g in mine])
        room = margins(layers, mine)
        out.crossings += comp.crossings(layers)
        heights = [size[n][1] if isinstance(n, str) else 0.0 for n in comp.names]
        centre = _place_vertically(comp, layers, heights, row_gap, edge_gap, room)
        # Shift so the component's top touches the skyline of the ranks it spans.
        tops = [centre[n] - heights[n] / 2 - room.get(n, (0.0, 0.0))[0]
                for layer in layers for n in layer]
        shift = max(skyline[r] + (component_gap if placed_any[r] else 0.0)
                    for r in range(comp.lo, comp.hi + 1)) - min(tops)
        for i, name in enumerate(comp.names):
            out.top_down[name] = centre[i] + shift
        bottom = max(centre[n] + heights[n] / 2 + room.get(n, (0.0, 0.0))[1]
                     for layer in layers for n in layer) + shift
        for r in range(comp.lo, comp.hi + 1):
            skyline[r] = bottom
            placed_any[r] = True
        for layer in layers:
            for n in layer:
                if n < comp.real:
                    out.orders[comp.rank[n]].append(comp.names[n])  # type: ignore[arg-type]
        for e, chain in comp.chains.items():
            out.chains[e] = [comp.names[i] for i in chain]
    out.height = max(skyline, default=0.0)
    return out


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
    for (box, side), entries in ports.items():
        x, y, w, h = boxes[box]
        entries.sort(key=lambda e: (-e[0], e[1]))
        # Edges of one trunk come from the same point: they share one port.
        slot: dict[str | tuple[str, str, int], int] = {}
        for _yy, _tie, e in entries:
            chain = chains[e]
            slot.setdefault(chain[1] if side == "right" else chain[-2], len(slot))
        n = len(slot)
        span = h * 0.6 if n > 1 else 0.0
        for _yy, _tie, e in entries:
            chain = chains[e]
            i = slot[chain[1] if side == "right" else chain[-2]]
            frac = 0.5 if n == 1 else i / (n - 1)
            port_y[(e, box)] = round(y + h / 2 + span / 2 - frac * span, 6)

    users: dict[str | tuple[str, str, int], int] = defaultdict(int)
    for chain in chains.values():
        for name in chain[1:-1]:
            users[name] += 1
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
                            backward=backward,
                            trunk=any(users[n] > 1 for n in chain[1:-1])))
    return tuple(out)
