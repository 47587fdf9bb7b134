"""Scopes too big for one page: connected pathways split into groups that fit, merged
where they share credentials, and shelved onto as few pages as it takes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial

import networkx as nx

from pathways.drawing.strips import (
    MERGE_TRIES,
    STRIP_GAP,
    MapPage,
    Strip,
    _caption,
    _merge,
    _Piece,
    _Planner,
    _strip_height,
)
from pathways.drawing.style import SPLIT_PRESET
from pathways.errors import PathwaysError


class _Book:
    """Pages filled with strips, tallest first, each on the first shelf (a row of
    strips) with room beside it, else on a new shelf of the first page with room below,
    else on a new page: first fit decreasing height, which leaves little paper blank."""

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        # Each page: placed strips (strip, x, y) and its shelves [top, height, right edge].
        self.sheets: list[tuple[list[tuple[Strip, float, float]], list[list[float]]]] = []

    def place_all(self, pieces: Sequence[_Piece]) -> None:
        planner, page = self.planner, self.planner.page
        strips = []
        for piece in pieces:
            made = planner.strip(piece, SPLIT_PRESET, split=True)
            if made is None:  # only a single box taller than the page gets here
                raise PathwaysError(f"cannot fit {min(piece[0])!r} on an {page.name} page: "
                                    "its box is taller than the page; draw it on a larger "
                                    "page")
            strips.append(replace(made, caption=_caption(planner.catalog, planner.graph,
                                                         made.ids, made.width, page.header)))
        order = sorted(range(len(strips)), key=lambda i: (-_strip_height(page, strips[i]), i))
        for i in order:
            self._place(strips[i])

    def _place(self, strip: Strip) -> None:
        area_w, area_h = self.planner.area
        h, w = _strip_height(self.planner.page, strip), strip.width
        for placed, shelves in self.sheets:
            for shelf in shelves:
                top, shelf_h, right = shelf
                if right + STRIP_GAP + w <= area_w and h <= shelf_h:
                    placed.append((strip, right + STRIP_GAP, top))
                    shelf[2] = right + STRIP_GAP + w
                    return
        for placed, shelves in self.sheets:
            top = shelves[-1][0] + shelves[-1][1] + STRIP_GAP
            if top + h <= area_h:
                placed.append((strip, 0.0, top))
                shelves.append([top, h, w])
                return
        self.sheets.append(([(strip, 0.0, 0.0)], [[0.0, h, w]]))

    def pages(self) -> list[MapPage]:
        """The pages, every stub told the page its credential is drawn in full on."""
        home: dict[str, int] = {}
        for number, (placed, _shelves) in enumerate(self.sheets, 1):
            for s, _x, _y in placed:
                for cid in s.ids:
                    if cid not in s.stubs:
                        home.setdefault(cid, number)
        return [MapPage(strips=tuple((replace(s, refs={c: home[c] for c in s.stubs
                                                       if c in home}), x, y)
                                     for s, x, y in sorted(self._composed(placed, shelves),
                                                           key=lambda p: (p[2], p[1]))),
                        page=self.planner.page, area=self.planner.area)
                for placed, shelves in self.sheets]

    def _composed(self, placed: list[tuple[Strip, float, float]],
                  shelves: list[list[float]]) -> list[tuple[Strip, float, float]]:
        """A page's shelves spread down the sheet (the spare height shared out above,
        between and below them) and each centred across it."""
        area_w, area_h = self.planner.area
        spare = max(0.0, area_h - (shelves[-1][0] + shelves[-1][1]))
        step = spare / (len(shelves) + 1)
        out = []
        for strip, x, y in placed:
            k = next(i for i, shelf in enumerate(shelves) if shelf[0] == y)
            dx = max(0.0, (area_w - shelves[k][2]) / 2)
            out.append((strip, x + dx, y + step * (k + 1)))
        return out


def _paginate(planner: _Planner, ids: list[str]) -> list[MapPage]:
    """Connected pathways whole where they fit a page, else :func:`_split` into groups;
    each then merged into the strip it shares most credentials with while that fits (so
    stubs become boxes drawn in full and columns are shared); strips set where they
    first fit."""
    graph = planner.graph.subgraph(ids)
    comps = [sorted(c) for c in nx.weakly_connected_components(graph)]
    comps.sort(key=lambda c: (-len(c), c[0]))
    pieces: list[_Piece] = []
    for comp in comps:
        whole: _Piece = (frozenset(comp), frozenset())
        if planner.fits(whole):
            pieces.append(whole)
        else:
            pieces += _split(planner, graph.subgraph(comp))
    groups: list[_Piece] = []
    for piece in pieces:
        shared = sorted(((len(g[0] & piece[0]), -i) for i, g in enumerate(groups)),
                        reverse=True)
        tries = [-i for n, i in shared[:MERGE_TRIES] if n]
        if groups and len(groups) - 1 not in tries:
            tries.append(len(groups) - 1)
        for i in tries:
            merged = _merge(groups[i], piece)
            if planner.roughly_fits(set(merged[0] - merged[1]), set(merged[1]),
                                    planner.area[1]) and planner.fits(merged):
                groups[i] = merged
                break
        else:
            groups.append(piece)
    book = _Book(planner)
    book.place_all(groups)
    return book.pages()


def _split(planner: _Planner, sub: nx.DiGraph) -> list[_Piece]:
    """A pathway too big for one page as groups that each fit one, every credential drawn
    in full in one group (its home), with all its inputs beside it there: in full if
    they belong to the group, else as stubs pointing to their own home. So every edge is
    drawn once, at its target. A group grows from the rightmost credential not yet
    placed, taking next the neighbour with the most edges into it (then the one bringing
    the fewest new stubs) while the strip fits. A credential with more inputs than a
    page can hold is repeated with each share."""
    rank = planner.rank_of(list(sub))
    unplaced = set(sub)
    preds = {n: set(sub.predecessors(n)) for n in sub}
    succs = {n: set(sub.successors(n)) for n in sub}
    room = planner.area[1]
    pieces: list[_Piece] = []
    while unplaced:
        seed = min(unplaced, key=lambda n: (-rank[n], n))
        if not planner.roughly_fits({seed}, preds[seed], room):
            pieces += _shares_or_alone(planner, seed, sorted(preds[seed],
                                                             key=lambda n: (rank[n], n)),
                                       preds, unplaced)
            continue
        # The estimate was a guess: if the group overflows, keep the longest run of its
        # members, in the order taken, that fits (found by halving); if the seed and its
        # inputs alone do not fit, share its inputs out.
        members = _grow(planner, seed, preds, succs, rank, unplaced, room)
        piece = _group_piece(members, preds)
        if not planner.fits(piece):
            lo, hi = 0, len(members) - 1  # a run of lo fits (or lo = 0: not even one)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if planner.fits(_group_piece(members[:mid], preds)):
                    lo = mid
                else:
                    hi = mid - 1
            if lo == 0:
                pieces += _shares_or_alone(planner, seed, sorted(preds[seed],
                                                                 key=lambda n: (rank[n], n)),
                                           preds, unplaced)
                continue
            members = members[:lo]
            piece = _group_piece(members, preds)
        pieces.append(piece)
        unplaced -= set(members)
    return pieces


def _grow(planner: _Planner, seed: str, preds: Mapping[str, set[str]],
          succs: Mapping[str, set[str]], rank: Mapping[str, int], unplaced: set[str],
          room: float) -> list[str]:
    """A group from ``seed``, in the order taken, while it roughly fits ``room``."""
    members, stubs = [seed], set(preds[seed])
    inside, refused = {seed}, set[str]()
    while True:
        frontier = {c for m in members for c in preds[m] | succs[m]} - inside - refused
        frontier &= unplaced
        if not frontier:
            return members
        best = min(frontier, key=partial(_pull, preds, succs, rank, inside, stubs))
        grown = inside | {best}
        more = (stubs | preds[best]) - grown
        if planner.roughly_fits(grown, more, room):
            members.append(best)
            inside, stubs = grown, more
        else:
            refused.add(best)


def _group_piece(members: Sequence[str], preds: Mapping[str, set[str]]) -> _Piece:
    """``members`` drawn in full, with their other inputs as stubs."""
    inside = set(members)
    stubs = {p for m in members for p in preds[m]} - inside
    return frozenset(inside | stubs), frozenset(stubs)



def _pull(preds: Mapping[str, set[str]], succs: Mapping[str, set[str]],
          rank: Mapping[str, int], inside: set[str], stubs: set[str], c: str
          ) -> tuple[int, int, int, str]:
    """How strongly ``c`` belongs with a group (smaller first): edges into it, then few
    new stubs, then rightmost, then id."""
    return (-len((preds[c] | succs[c]) & inside), len(preds[c] - inside - stubs), -rank[c], c)


def _shares_or_alone(planner: _Planner, root: str, inputs: Sequence[str],
                     preds: Mapping[str, set[str]], unplaced: set[str]) -> list[_Piece]:
    """:func:`_shares`, or ``root`` alone when it has no inputs to share out: every call
    places ``root``, so splitting always ends (a box that still does not fit a page is
    refused by the book with a clear message)."""
    got = _shares(planner, root, inputs, preds, unplaced) if inputs else []
    if not got:
        got = [(frozenset({root}), frozenset())]
    unplaced.discard(root)
    return got


def _shares(planner: _Planner, root: str, inputs: Sequence[str],
            preds: Mapping[str, set[str]], unplaced: set[str]) -> list[_Piece]:
    """``root`` with its inputs in shares that each fit a page, ``root`` repeated in
    every share (home in the first). An input not placed yet is drawn in full in its
    share when its own inputs fit beside it as stubs."""
    out: list[_Piece] = []
    room = planner.area[1]
    queue = list(reversed(inputs))  # popped from the end: in the order given
    while queue:
        taken: list[tuple[str, bool]] = []  # (input, drawn in full)
        full, stubs = {root}, set[str]()
        while queue:
            u = queue[-1]
            if u in unplaced:
                grown, more = full | {u}, (stubs | preds[u]) - full - {u}
                if planner.roughly_fits(grown, more, room):
                    full, stubs = grown, more
                    taken.append((queue.pop(), True))
                    continue
            if taken and not planner.roughly_fits(full, stubs | {u}, room):
                break
            stubs.add(u)
            taken.append((queue.pop(), False))
        while True:  # the estimate was a guess: check it, handing back the last taken
            piece = (frozenset(full | stubs), frozenset(stubs))
            if len(taken) == 1 or planner.fits(piece):
                break
            queue.append(taken.pop()[0])
            full = {root} | {u for u, whole in taken if whole}
            stubs = ({u for u, whole in taken if not whole}
                     | {p for u in full - {root} for p in preds[u]}) - full
        out.append(piece)
        unplaced.difference_update(full)
    return out
