"""Ordering and placing the boxes of one connected piece of a layered layout: crossings
counted (Barth-Juenger-Mutzel), ranks ordered by barycentre sweeps with adjacent swaps,
and ranks placed vertically by weighted isotonic regression (pool adjacent violators).
See :mod:`pathways.drawing.layered` for the whole method."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

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

    def __init__(self, nodes: list[str], edges: list[tuple[str, str]], rank: dict[str, int],
                 bundles: Mapping[tuple[str, str], Hashable] | None = None):
        self.names: list[str | tuple[str, str, int]] = list(nodes)
        self.rank: list[int] = [rank[n] for n in nodes]
        index = {n: i for i, n in enumerate(nodes)}
        self.real = len(nodes)
        self.up: list[list[int]] = [[] for _ in nodes]
        self.down: list[list[int]] = [[] for _ in nodes]
        self.chains: dict[tuple[str, str], list[int]] = {}
        # Edges of one bundle (same target, same key) share their dummies: a trunk that
        # each joins at the first rank after its source, crossing others as one line.
        trunk: dict[tuple[Hashable, int], int] = {}
        for s, t in edges:
            a, b = index[s], index[t]
            key = bundles.get((s, t)) if bundles and self.rank[a] < self.rank[b] else None
            if self.rank[a] > self.rank[b]:  # backward edge: laid out as if reversed
                a, b = b, a
            chain = [a]
            for r in range(self.rank[a] + 1, self.rank[b]):
                shared = trunk.get((key, r)) if key is not None else None
                if shared is None:
                    self.names.append((s, t, r))
                    self.rank.append(r)
                    self.up.append([])
                    self.down.append([])
                    shared = len(self.names) - 1
                    if key is not None:
                        trunk[(key, r)] = shared
                chain.append(shared)
            chain.append(b)
            for u, v in zip(chain, chain[1:], strict=False):
                if v not in self.down[u]:
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
                      row_gap: float, edge_gap: float,
                      room: Mapping[int, tuple[float, float]] | None = None,
                      sweeps: int = 4) -> list[float]:
    """Centre heights (downwards from 0) of every node: ranks pulled towards the mean of
    their neighbours while keeping boxes in order and apart, with ``room`` (above,
    below) kept round a node for frames."""
    centre = [0.0] * len(comp.names)
    room = room or {}
    none = (0.0, 0.0)

    def separation(a: int, b: int) -> float:
        boxes = a < comp.real and b < comp.real
        gap = row_gap if boxes else edge_gap
        framed = room.get(a, none)[1] + room.get(b, none)[0]
        if framed:  # a frame's margin and label take part of the gap between boxes;
            gap = framed + (max(gap / 2, 4.0) if boxes else gap)  # an edge keeps clear
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

