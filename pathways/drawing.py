"""Print-ready pathway maps, route timelines and coverage charts.

Maps are laid out by :mod:`pathways.layout`; this module adds what a printed page needs:
titles measured and wrapped inside their boxes, a credential's kind shown by shape,
outline and colour together (Okabe-Ito colours whose fills also differ in lightness, so
a greyscale print keeps them apart), a legend, A5/A4/A3 pages, and scopes too big for
one page split over several by linked groups instead of shrunk. Output is PDF
(TrueType fonts embedded), SVG (editable text) or PNG (200 dpi), by file extension.
matplotlib is imported inside the functions that draw, so importing this module is cheap.
Text is set by this module (one artist per layer, at baselines worked out from the
font's metrics) rather than as a matplotlib Text per line, which a page of a thousand
lines would spend most of its time measuring again.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from pathways.catalog import Catalog, Credential, to_graph
from pathways.errors import PathwaysError
from pathways.layout import Layout, column_keys, layout, rank_count, ranks

if TYPE_CHECKING:
    from pathways.routes import Route

__all__ = [
    "PAGE_SIZES_MM",
    "FORMATS",
    "DPI",
    "MIN_FONT_PT",
    "KIND_STYLES",
    "Scope",
    "Highlight",
    "MapPage",
    "Strip",
    "select",
    "route_highlight",
    "plan_map",
    "draw_map",
    "coverage_shares",
    "draw_coverage",
    "draw_timeline",
    "output_paths",
    "Written",
]

MM = 72 / 25.4  # points per millimetre
PAGE_SIZES_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0), "A3": (297.0, 420.0)}
FORMATS = (".pdf", ".svg", ".png")
DPI = 200
MIN_FONT_PT = 6.0
FONT = "DejaVu Sans"  # ships with matplotlib; has the macrons of te reo Māori
# Ligatures off: a ligature glyph stands for two characters, which puts it in a second
# embedded subset of the font, and that subsetting is a good part of writing a PDF.
FONT_FEATURES = ("-liga",)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
INK = "#1A1A1A"
MUTED = "#5F5F5F"
EDGE_INK = "#4D4D4D"
BAND = "#F1F2F4"
ROUTE = OKABE_ITO["vermillion"]
HELD = OKABE_ITO["green"]
DASHES: dict[str, Any] = {"requires": (0, (4.0, 2.2)), "corequisite": (0, (1.2, 1.6)),
                          "held": (0, (3.0, 1.5))}


@dataclass(frozen=True)
class KindStyle:
    """How a kind of credential looks: the fill (a tint whose greyscale lightness differs
    from the other kinds'), the outline and its weight, and the shape."""

    label: str
    fill: str
    edge: str
    linewidth: float
    rounded: bool


KIND_STYLES = {
    # grey levels of the fills: 0.92 (micro), 0.78 (qualification), 1.0 (course)
    "micro-credential": KindStyle("Micro-credential", "#DDF0FB", OKABE_ITO["blue"], 1.0, True),
    "qualification": KindStyle("Qualification", "#F0C566", INK, 2.2, False),
    "course": KindStyle("Course", "#FFFFFF", "#6E6E6E", 0.7, False),
}


# --------------------------------------------------------------------------------------
# Pages and type


@dataclass(frozen=True)
class _Type:
    """Box typography (points at print) and the sizes that follow from it."""

    title: float
    meta: float
    label: float
    pad: float
    min_box: float  # narrowest box that still wraps titles sensibly
    max_box: float
    min_gap: float  # room for an edge label between columns
    row_gap: float


# From roomiest to the smallest that still prints at >= 6 pt. A map that fits one page
# takes the roomiest that fits; a map split over pages uses SPLIT_PRESET throughout, with
# boxes of one width, so that every page looks the same: as many columns of boxes at
# least SPLIT_BOX wide as the page takes, the boxes widened to fill it (a wider box wraps
# its title in fewer lines, so a column holds more).
PRESETS = (
    _Type(title=10.0, meta=8.0, label=7.6, pad=5.0, min_box=104, max_box=170, min_gap=48,
          row_gap=13),
    _Type(title=9.0, meta=7.3, label=7.0, pad=4.5, min_box=94, max_box=160, min_gap=44,
          row_gap=11),
    _Type(title=8.0, meta=6.6, label=6.4, pad=4.0, min_box=84, max_box=150, min_gap=38,
          row_gap=10),
    _Type(title=7.0, meta=6.2, label=6.0, pad=3.2, min_box=74, max_box=140, min_gap=34,
          row_gap=8),
    _Type(title=6.5, meta=6.0, label=6.0, pad=2.8, min_box=68, max_box=130, min_gap=32,
          row_gap=6),
)
SPLIT_PRESET = 3
SPLIT_BOX = 88.0


@dataclass(frozen=True)
class _Page:
    """A sheet in points, with the font sizes that suit its size."""

    name: str
    landscape: bool
    width: float
    height: float
    margin: float
    title: float
    subtitle: float
    header: float
    legend: float
    footer: float

    @property
    def inner_width(self) -> float:
        return self.width - 2 * self.margin


def _page(name: str, landscape: bool) -> _Page:
    key = name.upper()
    if key not in PAGE_SIZES_MM:
        raise PathwaysError(f"unknown page size {name!r}: use " + ", ".join(PAGE_SIZES_MM))
    w, h = (x * MM for x in PAGE_SIZES_MM[key])
    if landscape:
        w, h = h, w
    k = {"A5": 0.85, "A4": 1.0, "A3": 1.2}[key]
    return _Page(name=key, landscape=landscape, width=w, height=h,
                 margin=(9 if key == "A5" else 12) * MM, title=15 * k, subtitle=max(8.5 * k, 7.5),
                 header=max(8 * k, 7), legend=max(7 * k, 6.5), footer=6.0)


class _Measure:
    """Text widths in points from the font's own metrics (no renderer needed), laid out
    as :class:`_TextLayer` draws them (kerning on, ligatures off)."""

    def __init__(self) -> None:
        from matplotlib.font_manager import FontProperties, findfont
        from matplotlib.ft2font import FT2Font, Kerning, LoadFlags

        self._flags = LoadFlags.NO_HINTING
        self._kerning = Kerning.UNFITTED
        self._fonts = {weight: FT2Font(findfont(FontProperties(family=FONT, weight=weight)))
                       for weight in ("normal", "bold")}
        for font in self._fonts.values():
            font.set_size(10, 72)
        self._cache: dict[tuple[str, str], float] = {}
        # Per weight: character -> (glyph, advance at 10 pt); (glyph, glyph) -> kerning.
        self._glyphs: dict[str, dict[str, tuple[Any, float]]] = {w: {} for w in self._fonts}
        self._kerns: dict[str, dict[tuple[Any, Any], float]] = {w: {} for w in self._fonts}
        # The font's line box (OS/2 typographic metrics): per point of font size.
        font = self._fonts["normal"]
        os2: Any = font.get_sfnt_table("OS/2")
        em = font.units_per_EM
        self.ascent = os2["sTypoAscender"] / em
        self.descent = -os2["sTypoDescender"] / em
        self.gap = os2["sTypoLineGap"] / em
        self.cap = 0.96 * self.ascent  # DejaVu's capitals: 1493 of 1556 units
        self.line = self.ascent + self.descent + self.gap  # line pitch in a block

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """The advance width of ``text`` in points: each character's advance plus the
        kerning between neighbours, from tables filled as characters first appear (as
        exact as laying the string out, and many times quicker)."""
        key = (text, weight)
        got = self._cache.get(key)
        if got is None:  # widths scale with the size: measure once at 10 pt
            font, glyphs, kerns = self._fonts[weight], self._glyphs[weight], self._kerns[weight]
            got, prev = 0.0, None
            for ch in text:
                known = glyphs.get(ch)
                if known is None:
                    index = font.get_char_index(ord(ch))
                    advance = font.load_glyph(index, self._flags).linearHoriAdvance / 65536
                    known = glyphs[ch] = (index, advance)
                index, advance = known
                if prev is not None:
                    kern = kerns.get((prev, index))
                    if kern is None:
                        kern = kerns[(prev, index)] = font.get_kerning(prev, index,
                                                                       self._kerning) / 64
                    got += kern
                got += advance
                prev = index
            self._cache[key] = got
        return got * size / 10

    def wrap(self, text: str, size: float, width: float, weight: str = "normal") -> list[str]:
        """Greedy word wrap; a word longer than a line breaks after a hyphen or slash, or
        failing those, hyphenated between letters."""
        space = self.width(" ", size, weight)
        lines: list[str] = []
        line, line_w = "", 0.0
        for word in _KEEP_TOGETHER.sub("\\1\u00a0\\2", text).split(" "):
            if not word:
                continue
            pieces = self._pieces(word, size, width, weight)
            for k, piece in enumerate(pieces):
                w = self.width(piece, size, weight)
                joiner = " " if k == 0 else ""
                if line and line_w + (space if joiner else 0.0) + w <= width:
                    line += joiner + piece
                    line_w += (space if joiner else 0.0) + w
                else:
                    if line:
                        lines.append(line)
                    line, line_w = piece, w
        if line:
            lines.append(line)
        return [line.replace("\u00a0", " ") for line in lines] or [""]

    def _pieces(self, word: str, size: float, width: float, weight: str) -> list[str]:
        if self.width(word, size, weight) <= width:
            return [word]
        pieces, cur = [], ""
        for ch in word:
            if cur and self.width(cur + ch + "-", size, weight) > width:
                cut = max(cur.rfind("-"), cur.rfind("/"))
                if 0 < cut < len(cur) - 1:
                    pieces.append(cur[: cut + 1])
                    cur = cur[cut + 1:]
                else:
                    pieces.append(cur if cur.endswith(("-", "/")) else cur + "-")
                    cur = ""
            cur += ch
        pieces.append(cur)
        return pieces

    def fit_name(self, name: str, size: float, width: float) -> str:
        """A name cut to ``width``: before a dash, comma or bracket if that is enough
        ("Rāwhiti Polytechnic — Business…" becomes "Rāwhiti Polytechnic")."""
        if self.width(name, size) <= width:
            return name
        for sep in (" — ", " – ", " - ", ", ", " ("):
            head = name.split(sep)[0]
            if head != name and self.width(head, size) <= width:
                return head
        return self.fit(name, size, width)

    def fit(self, text: str, size: float, width: float, weight: str = "normal") -> str:
        """``text`` cut with an ellipsis to fit ``width``."""
        if self.width(text, size, weight) <= width:
            return text
        while text and self.width(text + "…", size, weight) > width:
            text = text[:-1]
        return text.rstrip() + "…"


# "Level 4", "Te Pūkenga": never broken between the word and the number after it.
_KEEP_TOGETHER = re.compile(r"\b(Level|Year|Part|Te) (\S+)")


@lru_cache(maxsize=1)
def _measure() -> _Measure:
    return _Measure()


class _Features:
    """What a backend asks a Text for when drawing a string: the font features (ligatures
    off, as :class:`_Measure` measures). False, so that SVG writes plain positioned text."""

    def get_fontfeatures(self) -> tuple[str, ...]:
        return FONT_FEATURES

    def get_language(self) -> None:
        return None

    def __bool__(self) -> bool:
        return False


@lru_cache(maxsize=1)
def _text_layer_type() -> type:
    """The artist class of :func:`_text` (made on first use: it needs matplotlib)."""
    import numpy as np
    from matplotlib.artist import Artist
    from matplotlib.font_manager import FontProperties

    features = _Features()
    props: dict[tuple[float, str], FontProperties] = {}

    class TextLayer(Artist):
        """Single lines of text at baselines worked out beforehand, drawn in one go: a page
        holds thousands, and as Text artists each would be measured again as it draws."""

        def __init__(self, zorder: float) -> None:
            super().__init__()
            self.set_zorder(zorder)
            self.runs: list[tuple[float, float, str, float, str, str]] = []

        def draw(self, renderer: Any) -> None:
            if not self.get_visible() or not self.runs:
                return
            xy = self.get_transform().transform(np.array([r[:2] for r in self.runs]))
            if renderer.flipy():  # raster backends count y down from the top
                xy[:, 1] = renderer.get_canvas_width_height()[1] - xy[:, 1]
            gc = renderer.new_gc()
            gc.set_clip_rectangle(None)
            for (px, py), (_x, _y, text, size, weight, colour) in zip(xy, self.runs,
                                                                      strict=True):
                prop = props.get((size, weight))
                if prop is None:
                    prop = props[(size, weight)] = FontProperties(family=FONT, size=size,
                                                                  weight=weight)
                gc.set_foreground(colour)
                renderer.draw_text(gc, float(px), float(py), text, prop, 0.0, ismath=False,
                                   mtext=features)
            gc.restore()
            self.stale = False

    return TextLayer


_LAYERS: weakref.WeakKeyDictionary[Any, dict[tuple[str, float], Any]] = (
    weakref.WeakKeyDictionary())
_BASELINE = {"top": lambda m: m.ascent, "center": lambda m: (m.ascent - m.descent) / 2,
             "center_baseline": lambda m: m.cap / 2, "baseline": lambda m: 0.0,
             "bottom": lambda m: -m.descent}


def _text(ax: Any, x: float, y: float, text: str, size: float, colour: str = "#000000", *,
          weight: str = "normal", ha: str = "left", va: str = "top",
          zorder: float = 5.0) -> None:
    """One line of text, anchored as matplotlib's ``ha``/``va`` (``top``: the font's
    ascent, so lines set a line pitch apart stay evenly spaced whatever their letters)."""
    if not text:
        return
    m = _measure()
    if ha != "left":
        x -= m.width(text, size, weight) / (2 if ha == "center" else 1)
    layers = _LAYERS.setdefault(ax, {})
    layer = layers.get(("text", zorder))
    if layer is None:
        layer = layers[("text", zorder)] = _text_layer_type()(zorder)
        ax.add_artist(layer)
    layer.runs.append((x, y - _BASELINE[va](m) * size, text, size, weight, colour))


@lru_cache(maxsize=1)
def _patch_layer_type() -> type:
    """The artist class of :func:`_patch` (made on first use: it needs matplotlib)."""
    from matplotlib.artist import Artist
    from matplotlib.collections import PatchCollection

    class PatchLayer(Artist):
        """Patches drawn as one collection: hundreds of boxes draw much faster so than
        as artists of their own, and each keeps its colours, line width and dashes."""

        def __init__(self, zorder: float) -> None:
            super().__init__()
            self.set_zorder(zorder)
            self.patches: list[Any] = []

        def draw(self, renderer: Any) -> None:
            if not self.get_visible() or not self.patches:
                return
            drawn = PatchCollection(self.patches, match_original=True, joinstyle="miter")
            drawn.set_figure(self.figure)
            drawn.set_transform(self.get_transform())
            drawn.draw(renderer)
            self.stale = False

    return PatchLayer


def _patch(ax: Any, patch: Any) -> None:
    """Add a patch (not hatched) to the page's collection at its z-order."""
    layers = _LAYERS.setdefault(ax, {})
    zorder = patch.get_zorder()
    layer = layers.get(("patch", zorder))
    if layer is None:
        layer = layers[("patch", zorder)] = _patch_layer_type()(zorder)
        ax.add_artist(layer)
    layer.patches.append(patch)


# --------------------------------------------------------------------------------------
# What to draw


@dataclass(frozen=True)
class Scope:
    """The credentials a map shows, and a title saying what they are."""

    ids: tuple[str, ...]
    title: str


def _check_ids(catalog: Catalog, ids: Iterable[str]) -> None:
    index = catalog.index()
    for cid in ids:
        if cid not in index:
            raise PathwaysError(f"unknown credential {cid!r}; find ids with "
                                "`pathways list --search TEXT`")


def select(catalog: Catalog, *, to: str | None = None, from_: str | None = None,
           provider: str | None = None, field: str | None = None) -> Scope:
    """The credentials to draw: all; or what can lead to ``to`` (its ancestors); what
    ``from_`` leads to (its descendants); a provider's or a field's credentials plus
    everything they lead to. Several options together: what all of them select.
    """
    graph = to_graph(catalog)
    index = catalog.index()
    keep = set(index)
    titles: list[str] = []
    described: list[str] = []
    if to is not None:
        _check_ids(catalog, [to])
        keep &= nx.ancestors(graph, to) | {to}
        titles.append(f"Pathways to {index[to].title}")
        described.append(f"everything that can lead to {to}")
    if from_ is not None:
        _check_ids(catalog, [from_])
        keep &= nx.descendants(graph, from_) | {from_}
        titles.append(f"Where {index[from_].title} leads")
        described.append(f"everything {from_} leads to")
    if provider is not None:
        providers = catalog.provider_index()
        if provider not in providers:
            known = ", ".join(sorted(providers)) or "none"
            raise PathwaysError(f"unknown provider {provider!r}; the catalog's providers: "
                                + known)
        own = {c.id for c in catalog if c.provider == provider}
        keep &= _with_descendants(graph, own)
        titles.append(f"{providers[provider].name or provider}: pathways")
        described.append(f"{providers[provider].name or provider}'s credentials and what "
                         "they stack into")
    if field is not None:
        fields = sorted({c.field for c in catalog if c.field})
        own = {c.id for c in catalog if (c.field or "").casefold() == field.casefold()}
        if not own:
            raise PathwaysError(f"no credential has the field {field!r}; the catalog's "
                                "fields: " + ("; ".join(fields) or "none"))
        keep &= _with_descendants(graph, own)
        name = next(c.field for c in catalog if c.id in own)
        titles.append(f"{name}: pathways")
        described.append(f"{name} credentials and what they stack into")
    if not keep:
        raise PathwaysError("nothing to draw: no credential satisfies all of "
                            + "; ".join(described))
    title = titles[0] if len(titles) == 1 else (
        " · ".join(titles) if titles else (catalog.name or "Pathway map"))
    return Scope(ids=tuple(sorted(keep)), title=title)


def _with_descendants(graph: nx.DiGraph, ids: set[str]) -> set[str]:
    out = set(ids)
    for cid in sorted(ids):
        out |= nx.descendants(graph, cid)
    return out


# --------------------------------------------------------------------------------------
# A route on the map


@dataclass(frozen=True)
class Highlight:
    """A learner's route to mark on a map: its steps in order, the credentials held,
    the edges along which credits are counted (with the credits), and totals."""

    steps: tuple[str, ...]
    held: frozenset[str]
    counted: Mapping[tuple[str, str], int]
    summary: str
    target: str | None = None


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def route_highlight(route: Route) -> Highlight:
    """A :class:`Highlight` from a :class:`pathways.routes.Route` (``find_route``'s answer):
    its steps in order, the held credentials, where each counts and the route's totals."""
    steps = tuple(s.id for s in route.steps)
    counted: dict[tuple[str, str], int] = {}
    for s in route.steps:
        if s.counted_into:
            counted[(s.id, s.counted_into)] = int(s.counted_credits)
    for held_id, into, credits in route.held_counted:
        counted[(held_id, into)] = int(credits)
    held = frozenset(route.held)
    n = len(steps)
    parts = [f"${_num(route.fee)}", f"{_num(route.hours)} hours",
             f"{_num(route.credits_studied)} credits to study",
             f"{n} credential{'s' if n != 1 else ''} to achieve"]
    who = (" for a learner holding " + ", ".join(sorted(held))) if held else ""
    summary = f"Cheapest route by {route.objective}{who}: " + " · ".join(parts)
    return Highlight(steps=steps, held=held, counted=counted, summary=summary,
                     target=route.target)


# --------------------------------------------------------------------------------------
# Planning pages


@dataclass(frozen=True)
class _BoxText:
    header: str
    status: str  # "expiring", "discontinued" or ""
    title: list[str]
    meta: str  # "Level 5 · 120 credits · $9,600"
    short_meta: str  # "L5 · 120 cr · $9,600", for boxes too narrow for the long form
    provider: str | None
    stub: bool = False  # drawn in full elsewhere: a line saying where follows its title


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

    @property
    def type(self) -> _Type:
        return PRESETS[self.preset]

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
    _texts: dict[tuple[str, int, float, bool], tuple[_BoxText, float]] = field(
        default_factory=dict)
    _strips: dict[tuple[_Piece, int, bool], Strip | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = self.catalog.index()
        self.providers = self.catalog.provider_index()
        # Columns are the whole scope's, so that a part split off keeps them.
        self.mode, self.keys = column_keys(self.graph, self.scope)
        self._ranks: dict[frozenset[str], int] = {}
        self.scope_set = set(self.scope)
        t, room = PRESETS[SPLIT_PRESET], self.area[0] - 2 * BAND_PAD
        across = max(1, int((room + t.min_gap) // (SPLIT_BOX + t.min_gap)))
        self.split_box = min((room - (across - 1) * t.min_gap) / across, t.max_box)
        sub = self.graph.subgraph(self.scope)
        self._topo = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(sub))}
        self._inner = {n: [p for p in sub.predecessors(n) if self.keys[p] == self.keys[n]]
                       for n in sub}

    def rank_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Each credential's rank when ``ids`` are laid out together (as
        :func:`pathways.layout.ranks` gives, without its checks: quick enough to call for
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
        t = PRESETS[SPLIT_PRESET]
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
            got = _box_text(self.index[cid], self.providers, PRESETS[preset], width,
                            self.show_fee, self.show_provider, stub)
            self._texts[key] = got
        return got

    def widths(self, ids: Sequence[str], preset: int, split: bool, ranks: int | None = None
               ) -> tuple[float, float] | None:
        """Box width and gap for ``ids`` at ``preset``, or None if the columns do not fit.
        One diagram on a page stretches its boxes to the page; split ones do not."""
        t = PRESETS[preset]
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
            t = PRESETS[preset]
            boxes = {cid: self.box(cid, preset, box_w, cid in piece[1]) for cid in chosen}
            if self._surely_too_tall(chosen, boxes, t.row_gap + self.extra_gap, split):
                self._strips[key] = None
                return None
            lay = self._layout(chosen, {c: (box_w, b[1]) for c, b in boxes.items()}, gap, t,
                               quick=True)
            if _strip_height(self.page, lay.height, split) <= self.area[1]:
                made = Strip(ids=tuple(chosen), layout=lay, preset=preset, box_width=box_w,
                             gap=gap, texts={c: b[0] for c, b in boxes.items()},
                             stubs=piece[1])
        self._strips[key] = made
        return made

    def _layout(self, ids: Sequence[str], sizes: Mapping[str, tuple[float, float]],
                gap: float, t: _Type, quick: bool) -> Layout:
        """A layout of ``ids``; ``quick`` (fewer sweeps, one start) when only its height
        is wanted, to choose what goes on a page."""
        return layout(self.graph, ids, sizes=sizes, column_gap=gap,
                      row_gap=t.row_gap + self.extra_gap, edge_gap=max(4.0, t.row_gap / 2),
                      component_gap=2.5 * t.row_gap, columns=self.mode, keys=self.keys,
                      **({"passes": QUICK_PASSES, "restarts": 1} if quick else {}))

    def finished(self, strip: Strip) -> Strip:
        """``strip`` laid out with every sweep (fewer crossings), unless that comes out
        taller than the quick layout its place on the page was chosen by."""
        sizes = {c: (b[2], b[3]) for c, b in strip.layout.boxes.items()}
        lay = self._layout(strip.ids, sizes, strip.gap, strip.type, quick=False)
        return replace(strip, layout=lay) if lay.height <= strip.layout.height else strip

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
              show_fee: bool, show_provider: bool, stub: bool = False
              ) -> tuple[_BoxText, float]:
    """What a box says and how tall it must be to say it."""
    m = _measure()
    inner = width - 2 * t.pad
    title = m.wrap(c.title, t.title, inner, weight="bold")
    fee = f"${c.fee:,.0f}" if show_fee and c.fee is not None else ""
    plural = "s" if c.credits != 1 else ""
    long = [f"Level {c.level}"] if c.level is not None else []
    short = [f"L{c.level}"] if c.level is not None else []
    long += [f"{c.credits} credit{plural}"] + ([fee] if fee else [])
    short += [f"{c.credits} cr"] + ([fee] if fee else [])
    prov = None
    if show_provider and c.provider:
        name = getattr(providers.get(c.provider), "name", "") or c.provider
        prov = m.fit_name(name, t.meta, inner)
    status = c.effective_status if c.effective_status != "current" else ""
    header = c.id
    if c.kind == "course" and c.id.isdigit():  # a curriculum's row number: beside the credits
        long.insert(0, f"#{c.id}")
        short.insert(0, f"#{c.id}")
        header = ""
    room = inner - (m.width(status, t.meta) + 4 if status else 0)
    if stub:  # drawn in full on its home page: its id and title, and that page, suffice
        prov = None
        lines = 2
    else:
        lines = 1 + bool(header or status) + (prov is not None)
    height = 2 * t.pad + (len(title) * t.title + lines * t.meta) * m.line
    return _BoxText(m.fit(header, t.meta, room), status, title,
                    m.fit(" · ".join(long), t.meta, inner), m.fit(" · ".join(short), t.meta,
                                                                  inner),
                    prov, stub), math.ceil(height * 100) / 100  # never below its text


def _stub_note(page: int | None, here: int) -> str:
    """The line on a stub: where its full box (credits, provider, what leads to it) is."""
    if page == here:
        return "In full on this page"
    return f"In full on page {page}" if page else "In full on another page"


def _caption(catalog: Catalog, graph: nx.DiGraph, ids: Sequence[str], width: float,
             size: float) -> str:
    """'Pathways into X (ID)' or 'Pathways into ID1, ID2 and 2 more': what a strip's
    pathways end in, cut to ``width``."""
    sub = graph.subgraph(ids)
    index = catalog.index()
    m = _measure()
    sinks = sorted((n for n in sub if sub.out_degree(n) == 0 and sub.in_degree(n) > 0),
                   key=lambda n: (index[n].kind != "qualification", -(index[n].level or 0), n))
    if not sinks:
        return m.fit("Credentials that stack into nothing shown here", size, width, "bold")
    if len(sinks) == 1:
        tail = f" ({sinks[0]})"
        head = m.fit(f"Pathways into {index[sinks[0]].title}", size,
                     width - m.width(tail, size, "bold"), "bold")
        return head + tail
    more = f" and {len(sinks) - 2} more" if len(sinks) > 2 else ""
    text = f"Pathways into {index[sinks[0]].title} ({sinks[0]}), " \
           f"{index[sinks[1]].title} ({sinks[1]}){more}"
    if m.width(text, size, "bold") <= width:
        return text
    return m.fit(f"Pathways into {sinks[0]}, {sinks[1]}{more}", size, width, "bold")


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
                raise PathwaysError(f"cannot fit {min(piece[0])!r} on a {page.name} page; "
                                    "use a larger --page")
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
                                     for s, x, y in sorted(placed, key=lambda p: (p[2], p[1]))),
                        page=self.planner.page, area=self.planner.area)
                for placed, _shelves in self.sheets]


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
            pieces += _shares(planner, seed, sorted(preds[seed], key=lambda n: (rank[n], n)),
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
                pieces += _shares(planner, seed, sorted(preds[seed],
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


def _map_area(page: _Page, title: str, subtitle: str, legend_rows: int
              ) -> tuple[float, float]:
    top = _heading_height(page, title, subtitle) + 8
    bottom = legend_rows * page.legend * 2.4 + 8 + page.footer * 2.4
    return page.inner_width, page.height - 2 * page.margin - top - bottom


def plan_map(catalog: Catalog, ids: Iterable[str] | None = None, *, page: str = "A4",
             landscape: bool | None = None, show_fee: bool = False, title: str = "",
             subtitle: str = "", highlight: Highlight | None = None) -> list[MapPage]:
    """Pages for a map of ``ids`` (default: the whole catalog), without drawing them.

    One page, one diagram, at the largest type that fits; else strips at the standard
    type packed onto as few pages as it takes: connected pathways whole where they fit
    a page, else split into groups of closely linked credentials, each credential drawn
    in full once with all its inputs beside it (those drawn elsewhere as stubs naming
    the page). ``landscape=None`` takes the orientation needing fewer pages, then
    allowing larger type, then filling its pages more.
    """
    chosen = sorted(set(ids) if ids is not None else {c.id for c in catalog})
    if not chosen:
        raise PathwaysError("nothing to draw: the catalog has no credentials")
    _check_ids(catalog, chosen)
    graph = to_graph(catalog)
    legend = _legend_items(catalog, graph, chosen, highlight)
    return _plan(catalog, graph, chosen, legend, page, landscape, show_fee, title, subtitle,
                 highlight is not None)


def _plan(catalog: Catalog, graph: nx.DiGraph, chosen: list[str], legend: list[_LegendItem],
          page: str, landscape: bool | None, show_fee: bool, title: str,
          subtitle: str, framed: bool) -> list[MapPage]:
    index = catalog.index()
    show_provider = len({index[c].provider for c in chosen if index[c].provider}) > 1
    graph = graph.subgraph(chosen).copy()  # a view of a big catalog's graph is slow to walk
    best: tuple[tuple[float, ...], list[MapPage]] | None = None
    planners: dict[bool, _Planner] = {}
    for land in ([False, True] if landscape is None else [landscape]):
        sheet = _page(page, land)
        area = _map_area(sheet, title, subtitle, _legend_rows(sheet, legend))
        planner = planners[land] = _Planner(catalog, graph, sheet, area, show_fee,
                                            show_provider, chosen,
                                            extra_gap=FRAME_GAP if framed else 0.0)
        whole: _Piece = (frozenset(chosen), frozenset())
        for preset in range(len(PRESETS)):
            one = planner.strip(whole, preset, split=False)
            if one is not None:
                fill = one.width * _strip_height(sheet, one) / (area[0] * area[1])
                score = (preset, -fill)
                if best is None or score < best[0]:
                    best = (score, [MapPage(strips=((one, (area[0] - one.width) / 2, 0.0),),
                                            page=sheet, area=area)])
                break
    if best is None:
        # Several pages: the orientation needing fewer, then the fuller pages.
        for planner in planners.values():
            pages = _paginate(planner, chosen)
            area = planner.area
            used = sum(s.width * _strip_height(planner.page, s) for p in pages
                       for s, _x, _y in p.strips)
            score = (len(pages), -used / (area[0] * area[1] * len(pages)))
            if best is None or score < best[0]:
                best = (score, pages)
    assert best is not None
    # The pages were chosen by quick layouts; the strips drawn get the thorough ones.
    finish = planners[best[1][0].page.landscape].finished
    return [replace(p, strips=tuple((finish(s), x, y) for s, x, y in p.strips))
            for p in best[1]]


# --------------------------------------------------------------------------------------
# Output files


@dataclass(frozen=True)
class Written:
    """What a drawing wrote: the files (one PDF, or one PNG/SVG per page) and pages."""

    files: tuple[Path, ...]
    pages: int


def output_paths(path: str | os.PathLike[str], pages: int) -> list[Path]:
    """The files a drawing of ``pages`` pages writes: ``path`` itself for a PDF or a
    single page; ``map-1.png``, ``map-2.png``… for several PNG or SVG pages."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise PathwaysError(f"cannot write {out.name!r}: the file name must end in "
                            + ", ".join(FORMATS) + " (the format follows the extension)")
    if suffix == ".pdf" or pages == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, pages + 1)]


def _rc() -> Any:  # matplotlib types rcParams keys as literals
    return {
        "font.family": FONT,
        "pdf.fonttype": 42,  # TrueType, embedded: text stays text in the PDF
        "ps.fonttype": 42,
        "svg.fonttype": "none",  # SVG text stays editable
        "svg.hashsalt": "pathways",  # deterministic ids
        "path.simplify": False,
    }


def _save(count: int, figures: Iterable[Any], path: str | os.PathLike[str]) -> Written:
    """Write ``count`` pages by the path's extension, atomically (a failed write leaves
    nothing). ``figures`` yields each page's figure, written before the next is drawn,
    so one figure can serve every page."""
    targets = output_paths(path, count)
    for target in targets:
        if not target.parent.is_dir():
            raise PathwaysError(f"cannot write {target}: the folder {target.parent} "
                                "does not exist")
    suffix = targets[0].suffix.lower()
    if suffix == ".pdf":
        from matplotlib.backends.backend_pdf import PdfPages

        meta = {"Creator": "pathways", "Producer": "pathways (matplotlib)",
                "CreationDate": None, "ModDate": None}
        with _atomic(targets[0]) as tmp, PdfPages(tmp, metadata=meta) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    else:
        for fig, target in zip(figures, targets, strict=True):
            with _atomic(target) as tmp:
                if suffix == ".svg":
                    fig.savefig(tmp, format="svg", metadata={"Date": None})
                else:
                    fig.savefig(tmp, format="png", dpi=DPI, metadata={"Software": "pathways"})
    return Written(files=tuple(targets), pages=count)


class _atomic:  # noqa: N801 - used as a context manager, reads like one
    """A temporary file beside ``target``, moved onto it when the block succeeds."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.tmp = ""

    def __enter__(self) -> str:
        fd, self.tmp = tempfile.mkstemp(dir=self.target.parent, prefix=".pathways-",
                                        suffix=self.target.suffix)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)


# --------------------------------------------------------------------------------------
# Drawing a map


@dataclass(frozen=True)
class _LegendItem:
    kind: str  # a credential kind, or "stacking", "both", "requires", "corequisite", …
    label: str


def _edge_words(catalog: Catalog, ids: Sequence[str]) -> tuple[str, str]:
    """How to name requirement edges: a curriculum's prerequisites or entry requirements."""
    index = catalog.index()
    if all(index[c].kind == "course" for c in ids):
        return "prerequisite", "co-requisite"
    return "entry requirement", "co-requisite"


def _legend_items(catalog: Catalog, graph: nx.DiGraph, ids: Sequence[str],
                  highlight: Highlight | None) -> list[_LegendItem]:
    index = catalog.index()
    present = {index[c].kind for c in ids}
    items = [_LegendItem(k, KIND_STYLES[k].label) for k in KIND_STYLES if k in present]
    kinds: set[str | None] = set()
    for *_e, d in graph.subgraph(ids).edges(data=True):
        kinds.add("stacking" if d.get("stacking") else d.get("requisite"))
        if d.get("stacking") and d.get("requisite"):
            kinds.add("both")
    req, coreq = _edge_words(catalog, ids)
    if "stacking" in kinds:
        items.append(_LegendItem("stacking", "stacks into (credits recognised)"))
    if "both" in kinds:
        items.append(_LegendItem("both", f"stacks into and is an {req}"))
    if "requires" in kinds:
        items.append(_LegendItem("requires", req))
    if kinds & {"corequisite", "strict-corequisite"}:
        items.append(_LegendItem("corequisite", coreq))
    if highlight is not None:
        items.append(_LegendItem("route", "cheapest route, in step order (credits counted)"))
        if highlight.held:
            items.append(_LegendItem("held", "held already"))
    return items


_SWATCH = (20.0, 11.0)


def _legend_rows(page: _Page, items: Sequence[_LegendItem]) -> int:
    return len(_legend_layout(page, items))


def _legend_layout(page: _Page, items: Sequence[_LegendItem]) -> list[list[tuple[float, int]]]:
    """Rows of (x offset, item index), wrapping at the page width."""
    m = _measure()
    rows: list[list[tuple[float, int]]] = [[]]
    x = 0.0
    for i, item in enumerate(items):
        w = _SWATCH[0] + 5 + m.width(item.label, page.legend) + 16
        if rows[-1] and x + w > page.inner_width:
            rows.append([])
            x = 0.0
        rows[-1].append((x, i))
        x += w
    return rows


def _mix(colour: str, amount: float) -> str:
    """``colour`` blended towards white by ``amount`` (0..1)."""
    from matplotlib.colors import to_hex, to_rgb

    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def _kind_patch(x: float, y: float, w: float, h: float, style: KindStyle, *,
                fill: str | None = None, edge: str | None = None, lw: float | None = None,
                hatch: str | None = None, zorder: float = 4) -> Any:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    common: dict[str, Any] = {
        "facecolor": fill or style.fill, "edgecolor": edge or style.edge,
        "linewidth": style.linewidth if lw is None else lw, "zorder": zorder,
        "joinstyle": "miter", "hatch": hatch}
    if style.rounded:
        return FancyBboxPatch((x, y), w, h, **common,
                              boxstyle=f"round,pad=0,rounding_size={min(6.0, h / 3)}")
    return Rectangle((x, y), w, h, **common)


def _bezier(p0: tuple[float, float], p1: tuple[float, float], t: float) -> tuple[float, float]:
    """A point on the S-curve from p0 to p1 (horizontal tangents at both ends)."""
    (x0, y0), (x1, y1) = p0, p1
    xm, u = (x0 + x1) / 2, 1 - t
    return (u**3 * x0 + 3 * u * t * xm + t**3 * x1,
            (u**3 + 3 * u * u * t) * y0 + (3 * u * t * t + t**3) * y1)


def _edge_path(points: Sequence[tuple[float, float]], shorten: float) -> Any:
    """A matplotlib Path: straight runs inside ranks, S-curves across the gaps; the end
    pulled back by ``shorten`` to leave room for the arrowhead."""
    from matplotlib.path import Path as MplPath

    pts = list(points)
    (xe, ye), (xp, _yp) = pts[-1], pts[-2]
    pts[-1] = (xe - (1.0 if xe >= xp else -1.0) * shorten, ye)
    verts = [pts[0]]
    codes = [MplPath.MOVETO]
    for i in range(1, len(pts)):
        a, b = pts[i - 1], pts[i]
        if i % 2 == 1:  # inside a rank (zero long at a box side)
            verts.append(b)
            codes.append(MplPath.LINETO)
        else:  # across a gap
            xm = (a[0] + b[0]) / 2
            verts += [(xm, a[1]), (xm, b[1]), b]
            codes += [MplPath.CURVE4] * 3
    return MplPath(verts, codes)


def _arrowhead(end: tuple[float, float], direction: float, length: float, width: float,
               colour: str, zorder: float) -> Any:
    from matplotlib.patches import Polygon

    x, y = end
    return Polygon([(x, y), (x - direction * length, y + width / 2),
                    (x - direction * length, y - width / 2)], closed=True,
                   facecolor=colour, edgecolor="none", zorder=zorder)


def draw_map(
    catalog: Catalog,
    output: str | os.PathLike[str],
    *,
    ids: Iterable[str] | None = None,
    page: str = "A4",
    landscape: bool | None = None,
    show_fee: bool = False,
    title: str | None = None,
    subtitle: str | None = None,
    highlight: Highlight | None = None,
) -> Written:
    """Draw a pathway map of ``ids`` (default: the whole catalog) to ``output``.

    The format follows the extension (.pdf, .svg, .png). A scope too big for a page is
    split by connected pathway: one multi-page PDF, or ``NAME-1.png``, ``NAME-2.png``…
    ``landscape=None`` picks the orientation that suits the map. Returns the paths
    written.
    """
    output_paths(output, 1)  # check the extension before any work
    chosen = set(ids) if ids is not None else {c.id for c in catalog}
    if highlight is not None:  # the route's credentials are always on its map
        chosen |= {c for c in (*highlight.steps, *highlight.held) if c in catalog}
    scope = sorted(chosen)
    if not scope:
        raise PathwaysError("nothing to draw: the catalog has no credentials")
    _check_ids(catalog, scope)
    title = title if title is not None else (catalog.name or "Pathway map")
    if subtitle is None:
        subtitle = highlight.summary if highlight else _default_subtitle(catalog, scope)
    graph = to_graph(catalog)
    legend = _legend_items(catalog, graph, scope, highlight)
    pages = _plan(catalog, graph, scope, legend, page, landscape, show_fee, title, subtitle,
                  highlight is not None)
    curriculum = _edge_words(catalog, scope)[0] == "prerequisite"
    import matplotlib

    with matplotlib.rc_context(_rc()):
        sheets = _Sheets()
        figures = (_draw_map_page(sheets.axes(p.page), catalog, p, i + 1, len(pages), title,
                                  subtitle, highlight, legend, curriculum)
                   for i, p in enumerate(pages))
        return _save(len(pages), figures, output)


def _default_subtitle(catalog: Catalog, ids: Sequence[str]) -> str:
    index = catalog.index()
    kinds = [index[c].kind for c in ids]
    counts = []
    for k in KIND_STYLES:
        n = kinds.count(k)
        if n:
            counts.append(f"{n} {KIND_STYLES[k].label.lower()}{'s' if n > 1 else ''}")
    providers = {index[c].provider for c in ids if index[c].provider}
    text = ", ".join(counts)
    if providers:
        text += f" from {len(providers)} provider{'s' if len(providers) > 1 else ''}"
    return text


def _figure(page: _Page) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(page.width / 72, page.height / 72))
    FigureCanvasAgg(fig)
    return fig


class _Sheets:
    """A figure and axes per sheet size, cleared and used again page after page: making
    a figure takes longer than drawing most of a page."""

    def __init__(self) -> None:
        self._made: dict[tuple[float, float], tuple[Any, set[Any]]] = {}

    def axes(self, page: _Page) -> Any:
        """Blank axes over a sheet of ``page``'s size (see :func:`_text_axes`)."""
        key = (page.width, page.height)
        got = self._made.get(key)
        if got is None:
            ax = _text_axes(_figure(page), page)
            got = self._made[key] = (ax, set(ax.get_children()))
        else:
            ax, base = got
            for artist in ax.get_children():
                if artist not in base:
                    artist.remove()
            _LAYERS.pop(ax, None)
        return got[0]


def _text_axes(fig: Any, page: _Page) -> Any:
    """An axes over the whole sheet whose data units are points from the lower left."""
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, page.width)
    ax.set_ylim(0, page.height)
    ax.set_axis_off()
    return ax


def _title_lines(page: _Page, title: str) -> list[str]:
    """The title wrapped to two lines at most (then cut with an ellipsis)."""
    m = _measure()
    lines = m.wrap(title, page.title, page.inner_width, "bold")
    if len(lines) > 2:
        lines = [lines[0], m.fit(" ".join(lines[1:]), page.title, page.inner_width, "bold")]
    return lines


def _heading(ax: Any, page: _Page, title: str, subtitle: str, footer_left: str,
             footer_right: str) -> float:
    """Title, subtitle and footer; returns the y just below the subtitle."""
    m = _measure()
    x = page.margin
    y = page.height - page.margin
    for line in _title_lines(page, title):
        _text(ax, x, y, line, page.title, INK, weight="bold")
        y -= page.title * 1.25
    y -= page.title * 0.05
    for line in m.wrap(subtitle, page.subtitle, page.inner_width) if subtitle else []:
        _text(ax, x, y, line, page.subtitle, MUTED)
        y -= page.subtitle * 1.35
    ax.plot([x, page.width - page.margin], [page.margin + page.footer * 1.7] * 2,
            color="#C8C8C8", lw=0.5)
    _text(ax, x, page.margin, m.fit(footer_left, page.footer, page.inner_width * 0.7), page.footer,
          MUTED, va="bottom")
    _text(ax, page.width - page.margin, page.margin, footer_right, page.footer, MUTED, ha="right",
          va="bottom")
    return y


def _heading_height(page: _Page, title: str, subtitle: str) -> float:
    m = _measure()
    sub = len(m.wrap(subtitle, page.subtitle, page.inner_width)) if subtitle else 0
    return len(_title_lines(page, title)) * page.title * 1.25 + page.title * 0.05 \
        + sub * page.subtitle * 1.35


def _draw_map_page(ax: Any, catalog: Catalog, mp: MapPage, number: int, total: int,
                   title: str, subtitle: str, highlight: Highlight | None,
                   legend: Sequence[_LegendItem], curriculum: bool) -> Any:
    """One page of a map on blank sheet axes; returns the figure."""
    page = mp.page
    mode = mp.strips[0][0].layout.mode
    source = Path(catalog.source).name if catalog.source else "catalog"
    foot = f"Source: {source} · " + {
        "level": "columns: NZQF levels · 1 credit = 10 learning hours",
        "term": "columns: terms",
        "generation": "columns: prerequisite order; unlinked ones fill the shortest columns",
    }[mode]
    top = _heading(ax, page, title, subtitle, foot,
                   f"Page {number} of {total}" if total > 1 else "") - 8
    for strip, dx, dy in mp.strips:
        y = top - dy
        if strip.caption:
            _text(ax, page.margin + dx, y, strip.caption, page.header, INK, weight="bold")
            y -= page.header * 1.8
        _draw_strip(ax, catalog, strip, page, page.margin + dx + BAND_PAD, y, highlight,
                    curriculum, number)
    # One page: the legend right under the diagram; several: at the foot of each.
    below = top - mp.height - 20 if total == 1 else None
    _draw_legend(ax, page, legend, curriculum, below)
    return ax.figure


def _draw_strip(ax: Any, catalog: Catalog, strip: Strip, page: _Page, left: float,
                band_top: float, highlight: Highlight | None, curriculum: bool,
                number: int) -> None:
    """One diagram: column bands and headings from ``band_top`` down, then edges, edge
    labels and boxes; the layout's x = 0 is at ``left``."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Circle, Rectangle

    lay, t = strip.layout, strip.type
    index = catalog.index()
    m = _measure()
    top = band_top - page.header * 2.2

    def X(x: float) -> float:  # noqa: N802 - a coordinate transform
        return left + x

    def Y(y: float) -> float:  # noqa: N802
        return top - lay.height + y

    for col in lay.columns:
        _patch(ax, Rectangle((X(col.x - BAND_PAD), Y(-BAND_PAD)), col.width + 2 * BAND_PAD,
                             band_top - Y(-BAND_PAD), facecolor=BAND, edgecolor="none",
                             zorder=0))
        _text(ax, X(col.x + col.width / 2), band_top - page.header * 1.1, col.label, page.header,
              INK, weight="bold", ha="center", va="center", zorder=1)

    on_route = set(highlight.steps) if highlight else set()
    involved = on_route | (set(highlight.held) if highlight else set())

    # Edges, grouped by look into one collection each (far quicker to draw), then their
    # labels, placed clear of boxes and of each other.
    taken = []  # boxes (with their route frames) and labels placed so far
    for cid, (x, y, w, h) in lay.boxes.items():
        pad = 4.5 if cid in involved else 1.0
        taken.append((X(x) - pad, Y(y) - pad, X(x + w) + pad, Y(y + h) + pad))
    strokes: dict[tuple[str, float, float, str], list[Any]] = {}
    heads: dict[tuple[str, float], list[Any]] = {}
    labels = []
    for e in lay.edges:
        pts = [(X(x), Y(y)) for x, y in e.points]
        counted = highlight.counted.get((e.source, e.target)) if highlight else None
        needed = (highlight is not None and e.stacking is None and e.target in on_route
                  and e.source in involved)
        if counted is not None:
            colour, lw, z = ROUTE, 2.0, 2.5
        elif needed:
            colour, lw, z = ROUTE, 1.3, 2.4
        elif highlight is not None:
            colour, lw, z = "#B0B0B0", 0.7, 1.0
        else:
            colour, lw, z = EDGE_INK, 0.8, 1.0
        if e.stacking is not None or (curriculum and e.requisite == "requires"):
            dash = "solid"
        else:
            dash = "requires" if e.requisite == "requires" else "corequisite"
        arrow = 4.5 + lw
        strokes.setdefault((colour, lw, z, dash), []).append(_edge_path(pts, arrow * 0.8))
        direction = 1.0 if pts[-1][0] >= pts[-2][0] else -1.0
        (xe, ye), half = pts[-1], (2.2 + lw) / 2
        tri = [(xe, ye), (xe - direction * arrow, ye + half), (xe - direction * arrow, ye - half)]
        heads.setdefault((colour, z), []).append(tri)
        if e.stacking is not None and e.requisite is not None:
            # Stacks in and is an entry requirement too: a dot where it leaves.
            _patch(ax, Circle(pts[0], 1.6 + lw / 2, facecolor=colour, edgecolor="none",
                              zorder=z + 0.1))
        if e.stacking is not None:
            labels.append((pts, f"{counted if counted is not None else e.stacking} cr", colour,
                           counted is not None))
    for (colour, lw, z, dash), paths in sorted(strokes.items(), key=lambda kv: kv[0][2]):
        ax.add_collection(PathCollection(paths, facecolors="none", edgecolors=colour,
                                         linewidths=lw, zorder=z, capstyle="butt",
                                         linestyles=DASHES.get(dash, "solid")))
    for (colour, z), tris in heads.items():
        ax.add_collection(PolyCollection(tris, facecolors=colour, edgecolors="none", zorder=z))
    for pts, text, colour, bold in labels:
        weight = "bold" if bold else "normal"
        w, h = m.width(text, t.label, weight) + 3, t.label * 1.3
        gaps = [(pts[i], pts[i + 1]) for i in range(1, len(pts) - 1, 2)]
        spot = None
        for a, b in gaps[:2]:
            for frac in (0.3, 0.5, 0.7, 0.15, 0.85):
                cx, cy = _bezier(a, b, frac)
                rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if not any(_overlaps(rect, other) for other in taken):
                    spot = (cx, cy, rect)
                    break
            if spot:
                break
        if spot is None:  # nowhere clear: the middle of the first gap
            cx, cy = _bezier(*gaps[0], 0.5)
            spot = (cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        taken.append(spot[2])
        x0, y0, x1, y1 = spot[2]
        _patch(ax, Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", alpha=0.92,
                             edgecolor="none", zorder=4.4))
        _text(ax, spot[0], spot[1], text, t.label, colour if bold else MUTED, weight=weight,
              ha="center", va="center_baseline", zorder=4.5)

    # Boxes. The long "Level 5 · 120 credits" only if every box has room for it.
    long_meta = all(not bt.meta.endswith("…") for bt in strip.texts.values())
    step_no = {cid: i + 1 for i, cid in enumerate(highlight.steps)} if highlight else {}
    for cid, (bx, by, bw, bh) in sorted(lay.boxes.items()):
        c, bt = index[cid], strip.texts[cid]
        style = KIND_STYLES.get(c.kind, KIND_STYLES["course"])
        x, y = X(bx), Y(by)
        dim = highlight is not None and cid not in involved
        ink, soft = ("#6B6B6B", "#8A8A8A") if dim else (INK, MUTED)
        discontinued = bt.status == "discontinued"
        fill = "#FFFFFF" if discontinued else _mix(style.fill, 0.55) if dim else style.fill
        _patch(ax, _kind_patch(x, y, bw, bh, style, fill=fill,
                               edge=_mix(style.edge, 0.5) if dim else style.edge))
        if discontinued:  # hatched: no longer offered
            ax.add_artist(_kind_patch(x, y, bw, bh, style, fill="none", edge="#DADADA", lw=0,
                                     hatch="////", zorder=4.1))
        if cid in involved:
            colour = ROUTE if cid in on_route else HELD
            off = 1.5 + style.linewidth / 2 + 0.9
            _patch(ax, Rectangle((x - off, y - off), bw + 2 * off, bh + 2 * off,
                                 facecolor="none", edgecolor=colour,
                                 linewidth=1.8 if cid in on_route else 1.5,
                                 linestyle="solid" if cid in on_route else DASHES["held"],
                                 zorder=3.9))
            _patch(ax, Circle((x + bw - 3, y + bh), 6.2, facecolor=colour,
                              edgecolor="white", linewidth=0.8, zorder=6))
            _text(ax, x + bw - 3, y + bh - 0.3, str(step_no[cid]) if cid in on_route else "✓", 7,
                  "white", weight="bold", ha="center", va="center", zorder=6.1)
        ty = y + bh - t.pad
        _text(ax, x + t.pad, ty, bt.header, t.meta, soft, zorder=5)
        if bt.status:
            _text(ax, x + bw - t.pad - (8 if cid in involved else 0), ty, bt.status, t.meta, ink,
                  weight="bold", ha="right", zorder=5)
        if bt.header or bt.status:
            ty -= m.line * t.meta
        _block(ax, x + t.pad, ty, bt.title, t.title, ink, "bold")
        ty -= len(bt.title) * m.line * t.title
        if not bt.stub or not (bt.header or bt.status):
            _text(ax, x + t.pad, ty, bt.meta if long_meta else bt.short_meta, t.meta, ink, zorder=5)
            ty -= m.line * t.meta
        lines = [bt.provider] if bt.provider else []
        if bt.stub:
            lines.append(m.fit(_stub_note(strip.refs.get(cid), number), t.meta,
                               bw - 2 * t.pad))
        _block(ax, x + t.pad, ty, lines, t.meta, soft)


def _block(ax: Any, x: float, y: float, lines: Sequence[str], size: float, colour: str,
           weight: str = "normal") -> None:
    """Lines of text from ``y`` (their top) down, one font line apart (``_Measure.line``)."""
    m = _measure()
    for line in lines:
        _text(ax, x, y, line, size, colour, weight=weight)
        y -= m.line * size


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
              ) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_legend(ax: Any, page: _Page, items: Sequence[_LegendItem], curriculum: bool,
                 top: float | None = None) -> None:
    """The legend in rows at the foot of the page, or from ``top`` down."""
    from matplotlib.patches import Circle, PathPatch, Rectangle

    rows = _legend_layout(page, items)
    base = page.margin + page.footer * 2.4 + 4
    if top is not None:
        base = max(base, top - len(rows) * page.legend * 2.4)
    sw, sh = _SWATCH
    for r, row in enumerate(rows):
        y = base + (len(rows) - 1 - r) * page.legend * 2.4 + page.legend * 0.6
        for dx, i in row:
            item = items[i]
            x = page.margin + dx
            if item.kind in KIND_STYLES:
                ax.add_artist(_kind_patch(x, y - sh / 2, sw, sh, KIND_STYLES[item.kind]))
            elif item.kind in ("stacking", "both", "requires", "corequisite"):
                dash: Any = DASHES.get(item.kind, "solid")
                if curriculum and item.kind == "requires":
                    dash = "solid"
                ax.add_artist(PathPatch(_edge_path([(x, y), (x, y), (x + sw, y), (x + sw, y)],
                                                  4.0), facecolor="none", edgecolor=EDGE_INK,
                                       linewidth=0.8, linestyle=dash))
                ax.add_artist(_arrowhead((x + sw, y), 1.0, 5.0, 3.0, EDGE_INK, 2))
                if item.kind == "both":
                    ax.add_artist(Circle((x, y), 2.0, facecolor=EDGE_INK, edgecolor="none"))
            else:
                colour = ROUTE if item.kind == "route" else HELD
                ax.add_artist(_kind_patch(x + 2, y - sh / 2 + 2, sw - 4, sh - 4,
                                         KIND_STYLES["course"]))
                ax.add_artist(Rectangle((x, y - sh / 2), sw, sh, facecolor="none",
                                       edgecolor=colour, linewidth=1.8,
                                       linestyle="solid" if item.kind == "route"
                                       else DASHES["held"]))
            _text(ax, x + sw + 5, y, item.label, page.legend, INK, va="center")


# --------------------------------------------------------------------------------------
# Charts: coverage and timeline


def coverage_shares(catalog: Catalog, provider: str) -> dict[str, float]:
    """Each of ``provider``'s qualifications: the share of its credits that
    micro-credentials can have recognised (:func:`pathways.gaps.micro_credential_coverage`:
    caps, level profiles and counting-once respected, through intermediate credentials)."""
    from pathways.gaps import micro_credential_coverage

    providers = catalog.provider_index()
    if provider not in providers:
        raise PathwaysError(f"unknown provider {provider!r}; the catalog's providers: "
                            + (", ".join(sorted(providers)) or "none"))
    return {q.id: micro_credential_coverage(catalog, q.id)[0] / q.credits
            for q in sorted(catalog, key=lambda c: c.id)
            if q.provider == provider and q.kind == "qualification"}


@dataclass(frozen=True)
class _Row:
    """One row of a chart: its id, label lines (bold first) and height."""

    id: str
    title: list[str]
    detail: str
    height: float


def _chart_rows(catalog: Catalog, ids: Sequence[str], details: Mapping[str, str],
                size: float, width: float) -> list[_Row]:
    m = _measure()
    index = catalog.index()
    rows = []
    for cid in ids:
        title = m.wrap(index[cid].title, size, width, "bold")
        detail = m.fit(details[cid], size * 0.85, width)
        height = (len(title) * size + size * 0.85) * m.line + 8
        rows.append(_Row(cid, title, detail, max(height, size * 3.2)))
    return rows


def _paged(rows: Sequence[_Row], room: float) -> list[list[_Row]]:
    """Rows shared out over pages; on a roomy page, rows up to half as tall again."""
    natural = sum(r.height for r in rows)
    if 0 < natural < room:
        k = min(room / natural, 1.5)
        rows = [replace(r, height=r.height * k) for r in rows]
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for row in rows:
        if pages[-1] and used + row.height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def _row_label(ax: Any, row: _Row, x: float, y_top: float, size: float) -> None:
    m = _measure()
    y = y_top - (row.height - (len(row.title) * size + size * 0.85) * m.line) / 2
    _block(ax, x, y, row.title, size, INK, "bold")
    _text(ax, x, y - len(row.title) * size * m.line, row.detail, size * 0.85, MUTED)


def draw_coverage(catalog: Catalog, provider: str, output: str | os.PathLike[str], *,
                  shares: Mapping[str, float] | None = None, page: str = "A4",
                  landscape: bool | None = None, title: str | None = None,
                  subtitle: str | None = None) -> Written:
    """A bar chart of how much of each of a provider's qualifications micro-credentials
    can cover (largest share first), with each qualification's cap on recognised credit
    marked."""
    output_paths(output, 1)
    shares = dict(shares) if shares is not None else coverage_shares(catalog, provider)
    if not shares:
        raise PathwaysError(f"provider {provider!r} offers no qualification: "
                            "nothing to chart")
    index = catalog.index()
    name = catalog.provider_index()[provider].name or provider
    title = title if title is not None else f"{name}: how far micro-credentials reach"
    if subtitle is None:
        subtitle = ("The share of each qualification's credits that micro-credentials can "
                    "have recognised towards it, through any credential they stack into")
    sheet = _page(page, bool(landscape))
    size = sheet.legend + 0.5
    label_w = min(sheet.inner_width * 0.42, 230.0)
    order = sorted(shares, key=lambda q: (-shares[q], q))
    details = {q: f"{q} · Level {index[q].level} · {index[q].credits} credits"
               if index[q].level is not None else f"{q} · {index[q].credits} credits"
               for q in order}
    rows = _chart_rows(catalog, order, details, size, label_w)
    room = sheet.height - 2 * sheet.margin - _heading_height(sheet, title, subtitle) - 30 \
        - 40 - sheet.footer * 2.4
    pages = _paged(rows, room)
    source = Path(catalog.source).name if catalog.source else "catalog"
    m = _measure()

    import matplotlib

    with matplotlib.rc_context(_rc()):
        from matplotlib.patches import Rectangle

        sheets = _Sheets()

        def drawn() -> Iterator[Any]:
            for number, chunk in enumerate(pages, 1):
                ax = sheets.axes(sheet)
                y = _heading(ax, sheet, title, subtitle, f"Source: {source}",
                             f"Page {number} of {len(pages)}" if len(pages) > 1 else "") - 24
                x0 = sheet.margin + label_w + 12
                value_w = m.width("100%  (360 of 360 cr)", size)
                bar_w = sheet.width - sheet.margin - x0 - value_w - 10
                bottom = y - sum(r.height for r in chunk)
                for pct in (0, 25, 50, 75, 100):
                    xx = x0 + bar_w * pct / 100
                    ax.plot([xx, xx], [bottom, y + 2], color="#D0D0D0", lw=0.5, zorder=0)
                    _text(ax, xx, y + 4, f"{pct}%", size * 0.85, MUTED, ha="center", va="bottom")
                for k, row in enumerate(chunk):
                    c, share = index[row.id], shares[row.id]
                    if k % 2:
                        ax.add_artist(Rectangle((sheet.margin, y - row.height), sheet.inner_width,
                                               row.height, facecolor=BAND, edgecolor="none",
                                               zorder=-1))
                    _row_label(ax, row, sheet.margin, y, size)
                    yc, bh = y - row.height / 2, min(row.height * 0.45, 13.0)
                    ax.add_artist(Rectangle((x0, yc - bh / 2), bar_w, bh, facecolor="white",
                                           edgecolor="#9A9A9A", linewidth=0.6, zorder=1))
                    ax.add_artist(Rectangle((x0, yc - bh / 2), bar_w * share, bh,
                                           facecolor=OKABE_ITO["blue"], edgecolor="none",
                                           zorder=2))
                    cap = c.effective_max_recognised / c.credits
                    if cap < 1:
                        ax.plot([x0 + bar_w * cap] * 2, [yc - bh * 0.85, yc + bh * 0.85],
                                color=ROUTE, lw=1.6, solid_capstyle="butt", zorder=3)
                    covered = round(share * c.credits)
                    _text(ax, x0 + bar_w + 8, yc,
                          f"{share:.0%}  ({covered} of {c.credits} cr)", size, INK, va="center")
                    y -= row.height
                ly = y - 16
                ax.add_artist(Rectangle((sheet.margin, ly - 4), 16, 8,
                                       facecolor=OKABE_ITO["blue"], edgecolor="none"))
                _text(ax, sheet.margin + 21, ly, "credits micro-credentials can cover",
                      sheet.legend, INK, va="center")
                lx = sheet.margin + 21 + m.width("credits micro-credentials can cover",
                                                 sheet.legend) + 20
                ax.plot([lx, lx], [ly - 6, ly + 6], color=ROUTE, lw=1.6, solid_capstyle="butt")
                _text(ax, lx + 6, ly, "cap on recognised credit (max_recognised)",
                      sheet.legend, INK, va="center")
                yield ax.figure

        return _save(len(pages), drawn(), output)


def draw_timeline(catalog: Catalog, route: Route, output: str | os.PathLike[str], *,
                  hours_per_week: float, page: str = "A4", landscape: bool | None = None,
                  title: str | None = None, subtitle: str | None = None) -> Written:
    """A Gantt chart of a scheduled route (:func:`pathways.routes.with_schedule`): one bar
    per step from its start week to its end week, years marked."""
    output_paths(output, 1)
    steps = list(route.steps)
    if not steps:
        raise PathwaysError(f"nothing to put on a timeline: {route.target} is held already")
    weeks: dict[str, tuple[float, float]] = {}
    for s in steps:
        if s.start_week is None or s.end_week is None:
            raise PathwaysError("the route has no weeks: schedule it with "
                                "pathways.routes.with_schedule first")
        weeks[s.id] = (float(s.start_week), float(s.end_week))
    index = catalog.index()
    sheet = _page(page, True if landscape is None else landscape)
    end = max(last for _first, last in weeks.values())
    target = index[route.target].title if route.target in index else route.target
    title = title if title is not None else f"Timeline to {target}"
    if subtitle is None:
        held = (" · holding " + ", ".join(route.held)) if route.held else ""
        subtitle = (f"The cheapest route by {route.objective}: {len(steps)} "
                    f"step{'s' if len(steps) != 1 else ''} at {_num(hours_per_week)} hours a "
                    f"week, {_num(math.ceil(end))} weeks ({end / 52:.1f} years) · "
                    f"${_num(route.fee)} · {_num(route.credits_studied)} credits to study"
                    + held)
    size = sheet.legend + 0.5
    label_w = min(sheet.inner_width * 0.32, 210.0)
    details = {s.id: f"{s.id} · {s.credits_studied} cr to study · ${_num(s.fee)}"
               for s in steps}
    rows = _chart_rows(catalog, [s.id for s in steps], details, size, label_w - 18)
    room = sheet.height - 2 * sheet.margin - _heading_height(sheet, title, subtitle) - 34 \
        - sheet.legend * 2.6 - sheet.footer * 2.4
    pages = _paged(rows, room)
    number_of = {s.id: i + 1 for i, s in enumerate(steps)}
    tick = next(t for t in (1, 2, 4, 8, 13, 26, 52, 104, 208) if end / t <= 12)
    source = Path(catalog.source).name if catalog.source else "catalog"
    kinds = [k for k in KIND_STYLES if any(index[s.id].kind == k for s in steps)]

    import matplotlib

    with matplotlib.rc_context(_rc()):
        from matplotlib.patches import Circle, Rectangle

        sheets = _Sheets()

        def drawn() -> Iterator[Any]:
            for number, chunk in enumerate(pages, 1):
                ax = sheets.axes(sheet)
                y = _heading(ax, sheet, title, subtitle,
                             f"Source: {source} · weeks from the start of study, steps one after "
                             "another", f"Page {number} of {len(pages)}" if len(pages) > 1
                             else "") - 28
                x0 = sheet.margin + label_w + 10
                width = sheet.width - sheet.margin - x0 - 6

                def wx(week: float, x0: float = x0, width: float = width) -> float:
                    return x0 + width * week / max(end, 1e-9)

                bottom = y - sum(r.height for r in chunk)
                week = 0
                while week <= end + 1e-9:
                    ax.plot([wx(week)] * 2, [bottom, y + 2], color="#D8D8D8", lw=0.5, zorder=0)
                    _text(ax, wx(week), y + 4, f"{week}", size * 0.85, MUTED, ha="center",
                          va="bottom")
                    week += tick
                _text(ax, x0 - 8, y + 4, "week", size * 0.85, MUTED, ha="right", va="bottom")
                for year in range(1, int(end // 52) + 1):  # a learner thinks in years
                    ax.plot([wx(52 * year)] * 2, [bottom, y + 16], color="#9A9A9A", lw=0.7,
                            zorder=0)
                    _text(ax, wx(52 * year) + 3, y + 16, f"{year} year{'s' if year > 1 else ''}",
                          size * 0.85, INK, weight="bold")
                for k, row in enumerate(chunk):
                    c = index[row.id]
                    style = KIND_STYLES.get(c.kind, KIND_STYLES["course"])
                    if k % 2:
                        ax.add_artist(Rectangle((sheet.margin, y - row.height), sheet.inner_width,
                                               row.height, facecolor=BAND, edgecolor="none",
                                               zorder=-1))
                    ax.add_artist(Circle((sheet.margin + 7, y - row.height / 2), 6.5,
                                        facecolor=ROUTE, edgecolor="none", zorder=3))
                    _text(ax, sheet.margin + 7, y - row.height / 2 - 0.3, str(number_of[row.id]), 7,
                          "white", weight="bold", ha="center", va="center", zorder=4)
                    _row_label(ax, row, sheet.margin + 18, y, size)
                    bar = min(row.height * 0.5, 20.0)
                    first, last = weeks[row.id]
                    x1, x2 = wx(first), wx(last)
                    yc = y - row.height / 2
                    ax.add_artist(_kind_patch(x1, yc - bar / 2, max(x2 - x1, 2.0), bar, style,
                                             zorder=2))
                    span = f"weeks {_num(first)}–{_num(last)}"
                    inside = _measure().width(span, size * 0.85) + 8 < x2 - x1
                    _text(ax, (x1 + x2) / 2 if inside else x2 + 5, yc, span, size * 0.85, INK,
                          ha="center" if inside else "left", va="center", zorder=3)
                    y -= row.height
                _draw_legend(ax, sheet, [_LegendItem(k, KIND_STYLES[k].label) for k in kinds],
                             False)
                yield ax.figure

        return _save(len(pages), drawn(), output)

