"""Strips (one laid-out diagram each) and the planner that sizes their boxes and lays
them out for a sheet."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from pathways.catalog import Catalog, Credential
from pathways.drawing.groups import Group
from pathways.drawing.layered import Layout, column_keys, layout, rank_count, ranks
from pathways.drawing.programme import frame_label, rule_groups, rule_owner, rule_phrases
from pathways.drawing.style import PRESETS, SPLIT_BOX, SPLIT_PRESET, _Page, _scaled, _Type
from pathways.drawing.text import _measure
from pathways.numbers import money


@dataclass(frozen=True)
class _BoxText:
    header: str
    status: str  # "expiring", "discontinued" or ""
    title: list[str]
    meta: str  # "Level 5 · 120 credits · $9,600"
    short_meta: str  # "L5 · 120 cr · $9,600", for boxes too narrow for the long form
    provider: str | None  # wrapped: lines joined by newlines
    stub: bool = False  # drawn in full elsewhere: a line saying where follows its title
    together: bool = True  # the header and the status share a line
    rules: tuple[str, ...] = ()  # programme rules, wrapped: "made of its parts · choose 2 of 3"


@dataclass(frozen=True)
class Strip:
    """One laid-out diagram: its credentials, layout, type and caption.

    A page holds one strip, or, when a scope is split over pages, several, each with its
    own column headings and a caption naming what its pathways lead into. ``stubs``
    are inputs of the strip's credentials drawn in full (with what leads to them)
    elsewhere; ``refs`` gives that page.
    """

    ids: tuple[str, ...]
    layout: Layout
    preset: int
    box_width: float
    gap: float
    texts: Mapping[str, _BoxText] = field(repr=False)
    caption: str = ""
    stubs: frozenset[str] = frozenset()
    refs: Mapping[str, int] = field(default_factory=dict)

    scale: float = 1.0  # the sheet's type_scale
    labels: Mapping[str, str] = field(default_factory=dict)  # frame labels by group key
    composed: frozenset[str] = frozenset()  # made of their parts: no study of their own

    @property
    def type(self) -> _Type:
        return _scaled(PRESETS[self.preset], self.scale)

    @property
    def width(self) -> float:
        """Across the column bands."""
        return self.layout.width + 2 * BAND_PAD


@dataclass(frozen=True)
class MapPage:
    """One page of a map: its strips, each with its ``(x, y)`` offset from the top left of
    the diagram area, and the sheet; ``area`` is that area's ``(width, height)`` in
    points."""

    strips: tuple[tuple[Strip, float, float], ...]
    page: _Page
    area: tuple[float, float]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted({c for s, _x, _y in self.strips for c in s.ids}))

    @property
    def height(self) -> float:
        """How far down the area the strips reach."""
        return max(y + _strip_height(self.page, s) for s, _x, y in self.strips)


STRIP_GAP = 18.0
ROUGH_SHARE = 0.85
QUICK_PASSES = 2  # sweeps of the trial layouts that choose what goes on a page
MERGE_TRIES = 3  # strips sharing most credentials with a group that it may join
FRAME_GAP = 6.0  # more room between boxes when routes frame them
BAND_PAD = 8.0
MAX_TITLE_LINES = 7  # longer titles end with an ellipsis
EDGE_CLEAR = 7.0  # points between an edge and a box it passes


def _strip_height(page: _Page, strip: Strip | float, caption: bool | None = None) -> float:
    """From the caption's top to the bottom of the column bands."""
    if isinstance(strip, Strip):
        height, caption = strip.layout.height, bool(strip.caption)
    else:
        height = strip
    return (page.header * 1.8 if caption else 0.0) + page.header * 2.2 + height + BAND_PAD


_Piece = tuple[frozenset[str], frozenset[str]]  # (members, stubs among them)


def _merge(a: _Piece, b: _Piece) -> _Piece:
    """Two pieces as one: a stub in one that the other draws in full is no stub."""
    full = (a[0] - a[1]) | (b[0] - b[1])
    return a[0] | b[0], (a[1] | b[1]) - full


@dataclass
class _Planner:
    """Sizes boxes and lays out sets of credentials as strips for one sheet."""

    catalog: Catalog
    graph: nx.DiGraph
    page: _Page
    area: tuple[float, float]
    show_fee: bool
    show_provider: bool
    scope: list[str]
    extra_gap: float = 0.0  # between boxes of a rank: room for route frames
    involved: frozenset[str] = frozenset()  # a route's credentials: their edges unbundled
    look: _Look | None = None
    _texts: dict[tuple[str, int, float, bool], tuple[_BoxText, float]] = field(
        default_factory=dict)
    _strips: dict[tuple[_Piece, int, bool], Strip | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = self.catalog.index()
        self.providers = self.catalog.provider_index()
        # Columns are the whole scope's, so that a part split off keeps them.
        self.mode, self.keys = column_keys(self.graph, self.scope, unlinked="apart")
        self._ranks: dict[frozenset[str], int] = {}
        t, room = self.type(SPLIT_PRESET), self.area[0] - 2 * BAND_PAD
        across = max(1, int((room + t.min_gap) // (SPLIT_BOX * self.page.type_scale
                                                   + t.min_gap)))
        self.split_box = min((room - (across - 1) * t.min_gap) / across, t.max_box)
        sub = self.graph.subgraph(self.scope)
        # Edges into one box that look alike run in one trunk (see layered.layout);
        # a route's edges keep their own lines, to be drawn in its colour.
        self.bundles = {(a, b): (b, d.get("stacking") is not None, d.get("requisite"))
                        for a, b, d in sub.edges(data=True)
                        if a not in self.involved and b not in self.involved}
        self._topo = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(sub))}
        self._inner = {n: [p for p in sub.predecessors(n) if self.keys[p] == self.keys[n]]
                       for n in sub}
        # Programme rules: their sources framed together; a composed credential's parts.
        self.groups, self.labels, self.cores = rule_groups(self.index, self.scope, self.keys,
                                                           0.0)
        self.parts = {n: sum(1 for _u, _v, d in self.graph.in_edges(n, data=True)
                             if d.get("stacking") is not None)
                      for n in self.scope if not self.index[n].effective_direct_study}

    def type(self, preset: int) -> _Type:
        """The type of ``preset`` on this sheet."""
        return _scaled(PRESETS[preset], self.scale(preset))

    def scale(self, preset: int) -> float:
        """Split maps on a larger sheet get larger type (a one-page map takes the
        roomiest preset that fits anyway)."""
        return self.page.type_scale if preset == SPLIT_PRESET else 1.0

    def rank_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Each credential's rank when ``ids`` are laid out together (as
        :func:`pathways.drawing.layered.ranks` gives, without its checks: quick enough to call for
        every credential a group might take)."""
        chosen = sorted(ids, key=self._topo.__getitem__)
        inside = set(chosen)
        sub: dict[str, int] = {}
        depth: dict[int, int] = {}
        for n in chosen:
            sub[n] = d = max((sub[p] + 1 for p in self._inner[n] if p in inside), default=0)
            k = self.keys[n]
            depth[k] = max(depth.get(k, 0), d + 1)
        first, total = {}, 0
        for k in sorted(depth):
            first[k], total = total, total + depth[k]
        return {n: first[self.keys[n]] + sub[n] for n in chosen}

    def roughly_fits(self, full: set[str], stubs: set[str], room: float) -> bool:
        """Whether a strip of ``full`` and ``stubs`` probably fits ``room`` (a height):
        its columns fit across the page, and its tallest rank, stacked, takes at most
        ROUGH_SHARE of the room (the layout needs some slack); :meth:`fits` checks."""
        rank = self.rank_of(full | stubs)
        if self.widths(list(rank), SPLIT_PRESET, True, max(rank.values()) + 1) is None:
            return False
        t = self.type(SPLIT_PRESET)
        gap = t.row_gap + self.extra_gap
        stacked: dict[int, float] = {}
        for cid, r in rank.items():
            stacked[r] = stacked.get(r, -gap) + self.box(cid, SPLIT_PRESET, self.split_box,
                                                         cid in stubs)[1] + gap
        tallest = max(stacked.values())
        return _strip_height(self.page, tallest / ROUGH_SHARE, True) <= room

    def ranks(self, ids: Sequence[str]) -> int:
        key = frozenset(ids)
        got = self._ranks.get(key)
        if got is None:
            got = self._ranks[key] = rank_count(self.graph, ids, columns=self.mode,
                                                keys=self.keys)
        return got

    def box(self, cid: str, preset: int, width: float, stub: bool) -> tuple[_BoxText, float]:
        key = (cid, preset, width, stub)
        got = self._texts.get(key)
        if got is None:
            said = tuple(rule_phrases(self.index[cid], self.parts.get(cid),
                                      frozenset(self.labels)))
            got = _box_text(self.index[cid], self.providers, self.type(preset), width,
                            self.show_fee, self.show_provider, stub, self.look, said,
                            self.cores.get(cid, ()))
            self._texts[key] = got
        return got

    def widths(self, ids: Sequence[str], preset: int, split: bool, ranks: int | None = None
               ) -> tuple[float, float] | None:
        """Box width and gap for ``ids`` at ``preset``, or None if the columns do not fit.
        One diagram on a page stretches its boxes to the page; split ones do not."""
        t = self.type(preset)
        ranks = self.ranks(ids) if ranks is None else ranks
        room = self.area[0] - 2 * BAND_PAD
        box = self.split_box if split else t.min_box
        if ranks * box + (ranks - 1) * t.min_gap > room + 1e-6:
            return None
        if split:
            return box, t.min_gap
        pitch = (room + t.min_gap) / ranks
        gap = min(max(0.3 * pitch, t.min_gap), 2 * t.min_gap)
        return min((room - (ranks - 1) * gap) / ranks, t.max_box), gap

    def strip(self, piece: _Piece, preset: int, split: bool) -> Strip | None:
        """A piece laid out as one strip at ``preset``, or None if that is too big for
        the page (too many columns across or too tall)."""
        key = (piece, preset, split)
        if key in self._strips:
            return self._strips[key]
        chosen = sorted(piece[0])
        widths = self.widths(chosen, preset, split)
        made = None
        if widths is not None:
            box_w, gap = widths
            t = self.type(preset)
            boxes = {cid: self.box(cid, preset, box_w, cid in piece[1]) for cid in chosen}
            if self._surely_too_tall(chosen, boxes, t.row_gap + self.extra_gap, split):
                self._strips[key] = None
                return None
            lay = self._layout(chosen, {c: (box_w, b[1]) for c, b in boxes.items()}, gap, t,
                               quick=True)
            if _strip_height(self.page, lay.height, split) <= self.area[1]:
                made = Strip(ids=tuple(chosen), layout=lay, preset=preset, box_width=box_w,
                             gap=gap, texts={c: b[0] for c, b in boxes.items()},
                             stubs=piece[1], scale=self.scale(preset), labels=self.labels,
                             composed=frozenset(self.parts))
        self._strips[key] = made
        return made

    def _layout(self, ids: Sequence[str], sizes: Mapping[str, tuple[float, float]],
                gap: float, t: _Type, quick: bool, bundled: bool = True) -> Layout:
        """A layout of ``ids``; ``quick`` (fewer sweeps, one start) when only its height
        is wanted, to choose what goes on a page. Edges pass boxes at least EDGE_CLEAR
        away (and a route's frame, which needs more)."""
        return layout(self.graph, ids, sizes=sizes, column_gap=gap,
                      row_gap=t.row_gap + self.extra_gap,
                      edge_gap=EDGE_CLEAR + self.extra_gap,
                      component_gap=2.5 * t.row_gap, columns=self.mode, keys=self.keys,
                      bundles=self.bundles if bundled else None,
                      groups=self._groups(ids, t, min(w for w, _h in sizes.values())),
                      **({"passes": QUICK_PASSES, "restarts": 1} if quick else {}))

    def _groups(self, ids: Sequence[str], t: _Type, box_w: float) -> list[Group]:
        """The rule groups of the credentials among ``ids``, with room for their labels,
        wrapped to the boxes' width (and for a route's frames and badges, when a route is
        marked)."""
        m, here = _measure(), set(ids)
        return [replace(g, head=len(frame_label(self.labels[g.key], t.meta, box_w))
                        * t.meta * m.line + 3.0, pad=g.pad + self.extra_gap)
                for g in self.groups if rule_owner(g.key) in here]

    def finished(self, strip: Strip) -> Strip:
        """``strip`` laid out with every sweep (fewer crossings), unless that comes out
        taller than the quick layout its place on the page was chosen by."""
        sizes = {c: (b[2], b[3]) for c, b in strip.layout.boxes.items()}
        best = strip
        # Trunks usually cross far less; where they do not, the edges drawn apart win.
        for bundled in (True, False):
            lay = self._layout(strip.ids, sizes, strip.gap, strip.type, quick=False,
                               bundled=bundled)
            if lay.height <= strip.layout.height and (
                    best is strip or lay.crossings < best.layout.crossings):
                best = replace(strip, layout=lay)
        return best

    def fits(self, piece: _Piece, room: float | None = None) -> bool:
        """Whether ``piece`` as a strip with a caption fits ``room`` (default: the page)."""
        made = self.strip(piece, SPLIT_PRESET, split=True)
        return made is not None and (room is None or _strip_height(
            self.page, made.layout.height, True) <= room)

    def _surely_too_tall(self, ids: Sequence[str], boxes: Mapping[str, tuple[_BoxText, float]],
                         row_gap: float, caption: bool) -> bool:
        """Whether the boxes of one rank, stacked, are already taller than the page: no
        need to lay them out to know they do not fit."""
        stacked: dict[int, float] = {}
        for cid, r in ranks(self.graph, ids, columns=self.mode, keys=self.keys).items():
            stacked[r] = stacked.get(r, -row_gap) + boxes[cid][1] + row_gap
        tallest = max(stacked.values(), default=0.0)
        return _strip_height(self.page, tallest, caption) > self.area[1]


def _box_text(c: Credential, providers: Mapping[str, Any], t: _Type, width: float,
              show_fee: bool, show_provider: bool, stub: bool = False,
              look: _Look | None = None, rules: Sequence[str] | None = None,
              core: Sequence[str] = ()) -> tuple[_BoxText, float]:
    """What a box says and how tall it must be to say it. Nothing is cut but a title
    longer than MAX_TITLE_LINES: an id with a status that do not share a line get a line
    each, a long provider name wraps. ``rules`` is what it says of its programme
    (default: :func:`pathways.drawing.programme.rule_phrases`); ``core`` names the
    credentials on the map it is the core of ("DATA790 · core of GDIP-DS7")."""
    look = look or _Look()
    m = _measure()
    inner = width - 2 * t.pad
    title = m.wrap(c.title, t.title, inner, weight="bold")
    if len(title) > MAX_TITLE_LINES:  # a pasted description: the box still fits a page
        title = title[:MAX_TITLE_LINES - 1] + [
            m.fit(" ".join(title[MAX_TITLE_LINES - 1:]), t.title, inner, "bold")]
    fee = money(round(c.fee)) if show_fee and c.fee is not None else ""
    plural = "s" if c.credits != 1 else ""
    long = [f"Level {c.level}"] if c.level is not None else []
    short = [f"L{c.level}"] if c.level is not None else []
    long += [f"{c.credits} credit{plural}"] + ([fee] if fee else [])
    short += [f"{c.credits} cr"] + ([fee] if fee else [])
    if look.complexity is not None and c.id in look.complexity:
        long.append(f"complexity {look.complexity[c.id]:g}")
        short.append(f"complexity {look.complexity[c.id]:g}")
    prov: list[str] = []
    if show_provider and c.provider and not stub:
        name = getattr(providers.get(c.provider), "name", "") or c.provider
        prov = m.wrap(name, t.meta, inner)
    status = c.effective_status if c.effective_status != "current" else ""
    header, row = _header(c, look, core, t.meta, inner)
    if row:  # a row number: beside the credits
        long.insert(0, row)
        short.insert(0, row)
    together = not (header and status) or (
        m.width(header, t.meta) + 4 + m.width(status, t.meta, "bold") <= inner)
    head_lines = (1 if together else 2) if (header or status) else 0
    # A stub is drawn in full on its home page: its id and title, and that page, suffice.
    rules = rule_phrases(c) if rules is None else rules
    said = () if stub or not rules else tuple(m.wrap(" · ".join(rules), t.meta, inner))
    lines = max(2, head_lines + 1) if stub else head_lines + 1 + len(prov) + len(said)
    height = 2 * t.pad + (len(title) * t.title + lines * t.meta) * m.line
    return _BoxText(header, status, title, m.fit(" · ".join(long), t.meta, inner),
                    m.fit(" · ".join(short), t.meta, inner), "\n".join(prov) or None, stub,
                    together, said), math.ceil(height * 100) / 100  # never below its text


def _header(c: Credential, look: _Look, core: Sequence[str], size: float, inner: float
            ) -> tuple[str, str]:
    """A box's first line, and the row number that goes beside its credits instead: its
    id (none in a brochure), a curriculum's course code ("MATH 156"), or a course's row
    number ("#12"); with whose core it is ("DATA790 · core of GDIP-DS7", "· core" when
    that is too long)."""
    header, row = ("" if look.brochure else c.id), ""
    code = look.codes.get(c.id)
    if code:  # a curriculum's course code instead of its row number
        header = code
    elif c.kind == "course" and c.id.isdigit():
        header, row = "", f"#{c.id}"
    if core and header:
        said = f"{header} · core of {', '.join(core)}"
        header = said if _measure().width(said, size) <= inner else f"{header} · core"
    elif core:
        header = "core (required)"
    return header, row


@dataclass(frozen=True)
class _Look:
    """What a map's boxes and edges show beyond the catalog: a curriculum's course codes,
    each course's complexity (None: not shown), the brochure style (ids hidden)."""

    codes: Mapping[str, str] = field(default_factory=dict)
    complexity: Mapping[str, float] | None = None
    brochure: bool = False


def _stub_note(page: int | None, here: int) -> str:
    """The line on a stub: where its full box (credits, provider, what leads to it) is."""
    if page == here:
        return "→ in full on this page"
    return f"→ in full on p. {page}" if page else "→ in full on another page"


def _caption(catalog: Catalog, graph: nx.DiGraph, ids: Sequence[str], width: float,
             size: float) -> str:
    """'Pathways into X (ID)' or 'Pathways into ID1, ID2 and 2 more': what a strip's
    pathways end in, in the longest of its shorter forms that fits ``width`` (the title
    is dropped before anything is cut)."""
    sub = graph.subgraph(ids)
    index = catalog.index()
    m = _measure()
    sinks = sorted((n for n in sub if sub.out_degree(n) == 0 and sub.in_degree(n) > 0),
                   key=lambda n: (index[n].kind != "qualification", -(index[n].level or 0), n))
    if not sinks:
        forms = ["Credentials that stack into nothing shown here", "Stack into nothing here",
                 "Unlinked"]
    elif len(sinks) == 1:
        one, title = sinks[0], index[sinks[0]].title
        forms = [f"Pathways into {title} ({one})", f"Into {title} ({one})",
                 f"Pathways into {one}", f"Into {one}"]
    else:
        more = f" and {len(sinks) - 2} more" if len(sinks) > 2 else ""
        forms = [f"Pathways into {index[sinks[0]].title} ({sinks[0]}), "
                 f"{index[sinks[1]].title} ({sinks[1]}){more}",
                 f"Pathways into {sinks[0]}, {sinks[1]}{more}",
                 f"Into {sinks[0]}, {sinks[1]}{more}",
                 f"Into {sinks[0]} and {len(sinks) - 1} more"]
    for form in forms:
        if m.width(form, size, "bold") <= width:
            return form
    return m.fit(forms[-1], size, width, "bold")
