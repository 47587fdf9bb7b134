"""Text measured from the font's own metrics and set in layers: widths, wrapping and
cutting, and artists that draw a page's thousands of lines and patches in one go."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from pathways.drawing.style import FONT, FONT_FEATURES
from pathways.errors import PathwaysError


class _Measure:
    """Text widths in points from the font's own metrics (no renderer needed), laid out
    as :class:`_TextLayer` draws them (kerning on, ligatures off)."""

    def __init__(self, family: str = FONT) -> None:
        from matplotlib.ft2font import FT2Font, Kerning, LoadFlags

        self._flags = LoadFlags.NO_HINTING
        self._kerning = Kerning.UNFITTED
        self._fonts = {weight: FT2Font(_font_file(family, weight))
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
            text = _clean(text)
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
        _no_widow(lines, lambda t: self.width(t, size, weight), width)
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


def _no_widow(lines: list[str], width_of: Any, width: float) -> None:
    """A last line of one short word ("… Science / I") takes the word before it along,
    when that fits."""
    if len(lines) < 2 or " " in lines[-1] or len(lines[-1]) > 4:
        return
    head, _, word = lines[-2].rpartition(" ")
    if head and width_of(f"{word} {lines[-1]}") <= width:
        lines[-2:] = [head, f"{word} {lines[-1]}"]


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """``text`` as a drawing can set it: control characters (NUL, ESC…, which make SVG
    ill-formed XML) dropped, tabs and newlines as spaces, lone surrogates replaced."""
    if text.isprintable():
        return text
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return text.encode("utf-8", "replace").decode("utf-8")


# The font a drawing is set in: DejaVu Sans unless a drawing call sets another for its
# duration (a context, not a switch: concurrent drawings each see their own).
_FONT: ContextVar[str] = ContextVar("pathways_drawing_font", default=FONT)


def _font_file(family: str, weight: str) -> str:
    """The font file of ``family`` (a name, or a .ttf/.otf/.ttc file) at ``weight``."""
    from matplotlib.font_manager import FontProperties, findfont

    if family.lower().endswith((".ttf", ".otf", ".ttc")):
        return family
    return findfont(FontProperties(family=family, weight=weight), fallback_to_default=False)


def _font_props(family: str, size: float, weight: str) -> Any:
    """Font properties for drawing: ``family`` first, DejaVu Sans (embedded too) for any
    character it lacks."""
    from matplotlib.font_manager import FontProperties

    if family.lower().endswith((".ttf", ".otf", ".ttc")):
        from matplotlib.font_manager import fontManager, get_font_names

        if family not in {f.fname for f in fontManager.ttflist}:
            fontManager.addfont(family)
        name = next(f.name for f in fontManager.ttflist if f.fname == family)
        assert name in get_font_names()
        family = name
    families = [family] if family == FONT else [family, FONT]
    return FontProperties(family=families, size=size, weight=weight)


def check_font(family: str) -> str:
    """``family`` if a drawing can be set in it, else a one-line PathwaysError."""
    import os

    if family.lower().endswith((".ttf", ".otf", ".ttc")):
        if not os.path.isfile(family):
            raise PathwaysError(f"font file {family!r} not found; give a .ttf or .otf file "
                                "or the name of an installed font")
        try:
            _Measure(family)
        except (OSError, RuntimeError, ValueError) as exc:
            raise PathwaysError(f"cannot read the font file {family!r} ({exc}); give a .ttf "
                                "or .otf file") from None
        return family
    try:
        _font_file(family, "normal")
    except ValueError:
        raise PathwaysError(f"unknown font {family!r}: no such font is installed; give an "
                            "installed font's name or a .ttf/.otf file") from None
    return family


@lru_cache(maxsize=4)
def _measure_for(family: str) -> _Measure:
    return _Measure(family)


def _measure() -> _Measure:
    """The measure of the font the current drawing is set in."""
    return _measure_for(_FONT.get())


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
    props: dict[tuple[str, float, str], FontProperties] = {}

    class TextLayer(Artist):
        """Single lines of text at baselines worked out beforehand, drawn in one go: a page
        holds thousands, and as Text artists each would be measured again as it draws."""

        def __init__(self, zorder: float) -> None:
            super().__init__()
            self.set_zorder(zorder)
            self.family = _FONT.get()
            # x, y, text, size, weight, colour, block (0: a line of its own; else the
            # lines of one block share a number and SVG sets them as one <text>)
            self.runs: list[tuple[float, float, str, float, str, str, int]] = []

        def draw(self, renderer: Any) -> None:
            if not self.get_visible() or not self.runs:
                return
            xy = self.get_transform().transform(np.array([r[:2] for r in self.runs]))
            if renderer.flipy():  # raster backends count y down from the top
                xy[:, 1] = renderer.get_canvas_width_height()[1] - xy[:, 1]
            gc = renderer.new_gc()
            gc.set_clip_rectangle(None)
            svg = _svg_text_writer(renderer)
            lines: list[tuple[float, float, str]] = []  # the open SVG block's lines
            for i, ((px, py), (_x, _y, text, size, weight, colour, block)) in enumerate(
                    zip(xy, self.runs, strict=True)):
                prop = props.get((self.family, size, weight))
                if prop is None:
                    prop = props[(self.family, size, weight)] = _font_props(self.family, size,
                                                                            weight)
                gc.set_foreground(colour)
                if svg is None or not block:
                    renderer.draw_text(gc, float(px), float(py), text, prop, 0.0,
                                       ismath=False, mtext=features)
                    continue
                lines.append((float(px), float(py), text))
                following = self.runs[i + 1][6] if i + 1 < len(self.runs) else 0
                if following != block:
                    _write_block(renderer, svg, gc, prop, lines, features)
                    lines = []
            gc.restore()
            self.stale = False

    return TextLayer


def _svg_renderer(renderer: Any) -> Any:
    """The SVG renderer itself (a figure draws through a wrapper that passes attribute
    reads, not writes, on to it)."""
    return getattr(renderer, "_renderer", renderer)


def _svg_text_writer(renderer: Any) -> Any:
    """The XML writer of an SVG renderer that writes text as text, else None (then each
    line is drawn as matplotlib draws it)."""
    import matplotlib as mpl

    svg = _svg_renderer(renderer)
    if not hasattr(svg, "_draw_text_as_text") or "writer" not in getattr(svg, "__dict__", {}) \
            or mpl.rcParams["svg.fonttype"] != "none":
        return None
    return svg.writer


class _StyleOf:
    """Stands in for the SVG writer while matplotlib writes one line, to keep the style
    it gives a <text> (font, size, weight, colour) instead of the element."""

    style = ""

    def element(self, tag: str, text: str | None = None, attrib: dict[str, str] | None = None,
                **extra: str) -> None:
        self.style = (attrib or {}).get("style", "")


def _write_block(renderer: Any, writer: Any, gc: Any, prop: Any,
                 lines: Sequence[tuple[float, float, str]], features: Any) -> None:
    """Lines of one block (a box's title, say) as one SVG <text> with a <tspan> a line, each
    at its own place: a reader, a screen reader or a copy reads the block as one text.
    The style is the one matplotlib gives a single line, so it looks the same."""
    svg = _svg_renderer(renderer)
    style = _StyleOf()
    svg.writer = style
    try:
        svg.draw_text(gc, lines[0][0], lines[0][1], lines[0][2], prop, 0.0, ismath=False,
                      mtext=features)
    finally:
        svg.writer = writer
    writer.start("text", attrib={"style": style.style})
    for x, y, text in lines:
        writer.element("tspan", text, x=_svg_number(x), y=_svg_number(y))
    writer.end("text")


def _svg_number(v: float) -> str:
    return f"{v:f}".rstrip("0").rstrip(".")


_LAYERS: weakref.WeakKeyDictionary[Any, dict[tuple[str, float], Any]] = (
    weakref.WeakKeyDictionary())
_BASELINE = {"top": lambda m: m.ascent, "center": lambda m: (m.ascent - m.descent) / 2,
             "center_baseline": lambda m: m.cap / 2, "baseline": lambda m: 0.0,
             "bottom": lambda m: -m.descent}


def _text(ax: Any, x: float, y: float, text: str, size: float, colour: str = "#000000", *,
          weight: str = "normal", ha: str = "left", va: str = "top",
          zorder: float = 5.0, block: int = 0) -> None:
    """One line of text, anchored as matplotlib's ``ha``/``va`` (``top``: the font's
    ascent, so lines set a line pitch apart stay evenly spaced whatever their letters);
    ``block``: see :func:`_block`."""
    text = _clean(text)
    if not text:
        return
    m = _measure()
    if ha != "left":
        x -= m.width(text, size, weight) / (2 if ha == "center" else 1)
    layers = _LAYERS.setdefault(ax, {})
    group = layers.get(("group", 0.0))
    if group is not None:
        layer = group.text_layer(zorder)
    else:
        layer = layers.get(("text", zorder))
        if layer is None:
            layer = layers[("text", zorder)] = _text_layer_type()(zorder)
            ax.add_artist(layer)
    layer.runs.append((x, y - _BASELINE[va](m) * size, text, size, weight, colour, block))


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
    """Add a patch (not hatched) to the page's collection at its z-order (or to the open
    group, see :func:`_group`)."""
    layers = _LAYERS.setdefault(ax, {})
    group = layers.get(("group", 0.0))
    if group is not None:
        group.add(patch)
        return
    zorder = patch.get_zorder()
    layer = layers.get(("patch", zorder))
    if layer is None:
        layer = layers[("patch", zorder)] = _patch_layer_type()(zorder)
        ax.add_artist(layer)
    layer.patches.append(patch)


@lru_cache(maxsize=1)
def _group_type() -> type:
    """The artist class of :func:`_group` (made on first use: it needs matplotlib)."""
    from matplotlib.artist import Artist

    class Group(Artist):
        """One SVG group (``<g id=...>`` with a ``<title>``) holding a credential's or an
        edge's shapes and text, drawn in z-order within it."""

        def __init__(self, gid: str, title: str, zorder: float) -> None:
            super().__init__()
            self.set_zorder(zorder)
            self.set_gid(gid)
            self.title = title
            self.parts: list[Any] = []
            self.texts: dict[float, Any] = {}

        def add(self, artist: Any) -> None:
            self.parts.append(artist)

        def text_layer(self, zorder: float) -> Any:
            layer = self.texts.get(zorder)
            if layer is None:
                layer = self.texts[zorder] = _text_layer_type()(zorder)
                layer.set_figure(self.figure)
                layer.set_transform(self.get_transform())
                self.parts.append(layer)
            return layer

        def draw(self, renderer: Any) -> None:
            if not self.get_visible():
                return
            renderer.open_group("pathways", gid=self.get_gid())
            writer = getattr(renderer, "writer", None)  # the SVG backend's XML writer
            if writer is not None and self.title:
                writer.element("title", text=self.title)
            for part in sorted(self.parts, key=lambda a: a.get_zorder()):
                if part.figure is None:
                    part.set_figure(self.figure)
                part.set_transform(self.get_transform())
                part.draw(renderer)
            renderer.close_group("pathways")
            self.stale = False

    return Group


@contextmanager
def _group(ax: Any, gid: str | None, title: str, zorder: float) -> Iterator[None]:
    """Within the block, what :func:`_text` and :func:`_patch` add (and ``ax.add_artist``
    calls made through :func:`_add`) goes into one group ``gid`` (nothing changes for
    ``gid`` None: the quicker shared layers)."""
    if gid is None:
        yield
        return
    layers = _LAYERS.setdefault(ax, {})
    group = _group_type()(_clean(gid), _clean(title), zorder)
    ax.add_artist(group)
    layers[("group", 0.0)] = group
    try:
        yield
    finally:
        del layers[("group", 0.0)]


def _add(ax: Any, artist: Any) -> None:
    """``ax.add_artist``, or into the open group."""
    group = _LAYERS.setdefault(ax, {}).get(("group", 0.0))
    if group is not None:
        group.add(artist)
    else:
        ax.add_artist(artist)


def _block(ax: Any, x: float, y: float, lines: Sequence[str], size: float, colour: str,
           weight: str = "normal") -> None:
    """Lines of text from ``y`` (their top) down, one font line apart (``_Measure.line``);
    in SVG one <text> with a <tspan> a line."""
    m, block = _measure(), next(_BLOCKS)
    for line in lines:
        _text(ax, x, y, line, size, colour, weight=weight, block=block)
        y -= m.line * size


_BLOCKS = itertools.count(1)  # numbers for blocks of lines, unique within a process
