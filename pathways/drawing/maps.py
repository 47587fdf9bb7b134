"""Drawing a pathway map: pages of strips with column bands, edges, edge labels and boxes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog, Credential, to_graph
from pathways.drawing.highlight import Highlight
from pathways.drawing.layered import EdgePath
from pathways.drawing.legend import _draw_legend, _edge_words, _legend_items, _LegendItem
from pathways.drawing.output import Written, _rc, _save, output_paths
from pathways.drawing.planning import _plan
from pathways.drawing.scope import _check_ids
from pathways.drawing.shapes import _bezier, _edge_path, _kind_patch
from pathways.drawing.sheet import _heading, _Sheets
from pathways.drawing.strips import BAND_PAD, MapPage, Strip, _stub_note
from pathways.drawing.style import (
    BAND,
    DASHES,
    EDGE_INK,
    HELD,
    INK,
    KIND_STYLES,
    MUTED,
    ROUTE,
    KindStyle,
    _mix,
    _Page,
)
from pathways.drawing.text import _block, _measure, _patch, _text
from pathways.errors import PathwaysError


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


@dataclass(frozen=True)
class _StripFrame:
    """Where a strip sits on the sheet and what it marks: the layout's x = 0 is at
    ``left``, its y = 0 at ``top - layout.height``; ``on_route`` are the route's steps,
    ``involved`` those and the credentials held."""

    strip: Strip
    page: _Page
    left: float
    band_top: float
    top: float
    highlight: Highlight | None
    on_route: frozenset[str]
    involved: frozenset[str]
    curriculum: bool
    number: int

    def x(self, x: float) -> float:
        return self.left + x

    def y(self, y: float) -> float:
        return self.top - self.strip.layout.height + y


_Rect = tuple[float, float, float, float]
_Label = tuple[list[tuple[float, float]], str, str, bool]  # points, text, colour, bold


def _draw_strip(ax: Any, catalog: Catalog, strip: Strip, page: _Page, left: float,
                band_top: float, highlight: Highlight | None, curriculum: bool,
                number: int) -> None:
    """One diagram: column bands and headings from ``band_top`` down, then edges, edge
    labels and boxes; the layout's x = 0 is at ``left``."""
    on_route = frozenset(highlight.steps) if highlight else frozenset()
    involved = on_route | (frozenset(highlight.held) if highlight else frozenset())
    f = _StripFrame(strip, page, left, band_top, band_top - page.header * 2.2, highlight,
                    on_route, involved, curriculum, number)
    _draw_bands(ax, f)
    # Edges, grouped by look into one collection each (far quicker to draw), then their
    # labels, placed clear of boxes and of each other.
    labels = _draw_edges(ax, f)
    _draw_edge_labels(ax, f, labels)
    # Boxes. The long "Level 5 · 120 credits" only if every box has room for it.
    long_meta = all(not bt.meta.endswith("…") for bt in strip.texts.values())
    step_no = {cid: i + 1 for i, cid in enumerate(highlight.steps)} if highlight else {}
    index = catalog.index()
    for cid, box in sorted(strip.layout.boxes.items()):
        _draw_box(ax, f, index[cid], box, long_meta, step_no)


def _draw_bands(ax: Any, f: _StripFrame) -> None:
    """The column bands and their headings."""
    from matplotlib.patches import Rectangle

    page = f.page
    for col in f.strip.layout.columns:
        _patch(ax, Rectangle((f.x(col.x - BAND_PAD), f.y(-BAND_PAD)),
                             col.width + 2 * BAND_PAD, f.band_top - f.y(-BAND_PAD),
                             facecolor=BAND, edgecolor="none", zorder=0))
        _text(ax, f.x(col.x + col.width / 2), f.band_top - page.header * 1.1, col.label,
              page.header, INK, weight="bold", ha="center", va="center", zorder=1)


def _edge_look(f: _StripFrame, e: EdgePath) -> tuple[str, float, float, str, int | None]:
    """An edge's colour, line width, z-order and dashes, and the credits a route counts
    along it (None if it does not)."""
    highlight = f.highlight
    counted = highlight.counted.get((e.source, e.target)) if highlight else None
    needed = (highlight is not None and e.stacking is None and e.target in f.on_route
              and e.source in f.involved)
    if counted is not None:
        colour, lw, z = ROUTE, 2.0, 2.5
    elif needed:
        colour, lw, z = ROUTE, 1.3, 2.4
    elif highlight is not None:
        colour, lw, z = "#B0B0B0", 0.7, 1.0
    else:
        colour, lw, z = EDGE_INK, 0.8, 1.0
    if e.stacking is not None or (f.curriculum and e.requisite == "requires"):
        dash = "solid"
    else:
        dash = "requires" if e.requisite == "requires" else "corequisite"
    return colour, lw, z, dash, counted


def _draw_edges(ax: Any, f: _StripFrame) -> list[_Label]:
    """Every edge with its arrowhead, one collection per look; returns the labels to
    place (credits recognised)."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Circle

    strokes: dict[tuple[str, float, float, str], list[Any]] = {}
    heads: dict[tuple[str, float], list[Any]] = {}
    labels: list[_Label] = []
    for e in f.strip.layout.edges:
        pts = [(f.x(x), f.y(y)) for x, y in e.points]
        colour, lw, z, dash, counted = _edge_look(f, e)
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
    return labels


def _label_spot(pts: Sequence[tuple[float, float]], w: float, h: float,
                taken: Sequence[_Rect]) -> tuple[float, float, _Rect]:
    """Where an edge label goes: the first clear spot along the edge's first two gaps,
    else the middle of the first gap."""
    gaps = [(pts[i], pts[i + 1]) for i in range(1, len(pts) - 1, 2)]
    for a, b in gaps[:2]:
        for frac in (0.3, 0.5, 0.7, 0.15, 0.85):
            cx, cy = _bezier(a, b, frac)
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not any(_overlaps(rect, other) for other in taken):
                return cx, cy, rect
    cx, cy = _bezier(*gaps[0], 0.5)
    return cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _draw_edge_labels(ax: Any, f: _StripFrame, labels: Sequence[_Label]) -> None:
    """Edge labels on white, each clear of the boxes (and their route frames) and of the
    labels placed before it where it can be."""
    from matplotlib.patches import Rectangle

    m, t = _measure(), f.strip.type
    taken: list[_Rect] = []
    for cid, (x, y, w, h) in f.strip.layout.boxes.items():
        pad = 4.5 if cid in f.involved else 1.0
        taken.append((f.x(x) - pad, f.y(y) - pad, f.x(x + w) + pad, f.y(y + h) + pad))
    for pts, text, colour, bold in labels:
        weight = "bold" if bold else "normal"
        w, h = m.width(text, t.label, weight) + 3, t.label * 1.3
        cx, cy, rect = _label_spot(pts, w, h, taken)
        taken.append(rect)
        x0, y0, x1, y1 = rect
        _patch(ax, Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", alpha=0.92,
                             edgecolor="none", zorder=4.4))
        _text(ax, cx, cy, text, t.label, colour if bold else MUTED, weight=weight,
              ha="center", va="center_baseline", zorder=4.5)


def _draw_route_mark(ax: Any, f: _StripFrame, cid: str, box: _Rect, style: KindStyle,
                     step_no: Mapping[str, int]) -> None:
    """A route step's or held credential's frame and badge (its step number or a tick)."""
    from matplotlib.patches import Circle, Rectangle

    x, y, bw, bh = box
    colour = ROUTE if cid in f.on_route else HELD
    off = 1.5 + style.linewidth / 2 + 0.9
    _patch(ax, Rectangle((x - off, y - off), bw + 2 * off, bh + 2 * off,
                         facecolor="none", edgecolor=colour,
                         linewidth=1.8 if cid in f.on_route else 1.5,
                         linestyle="solid" if cid in f.on_route else DASHES["held"],
                         zorder=3.9))
    _patch(ax, Circle((x + bw - 3, y + bh), 6.2, facecolor=colour,
                      edgecolor="white", linewidth=0.8, zorder=6))
    _text(ax, x + bw - 3, y + bh - 0.3, str(step_no[cid]) if cid in f.on_route else "✓", 7,
          "white", weight="bold", ha="center", va="center", zorder=6.1)


def _draw_box(ax: Any, f: _StripFrame, c: Credential, box: _Rect, long_meta: bool,
              step_no: Mapping[str, int]) -> None:
    """One credential's box: its shape by kind (faded off the route, hatched when
    discontinued), route frame and badge, and its text."""
    m, t = _measure(), f.strip.type
    cid, bt = c.id, f.strip.texts[c.id]
    bx, by, bw, bh = box
    style = KIND_STYLES.get(c.kind, KIND_STYLES["course"])
    x, y = f.x(bx), f.y(by)
    dim = f.highlight is not None and cid not in f.involved
    ink, soft = ("#6B6B6B", "#8A8A8A") if dim else (INK, MUTED)
    discontinued = bt.status == "discontinued"
    fill = "#FFFFFF" if discontinued else _mix(style.fill, 0.55) if dim else style.fill
    _patch(ax, _kind_patch(x, y, bw, bh, style, fill=fill,
                           edge=_mix(style.edge, 0.5) if dim else style.edge))
    if discontinued:  # hatched: no longer offered
        ax.add_artist(_kind_patch(x, y, bw, bh, style, fill="none", edge="#DADADA", lw=0,
                                 hatch="////", zorder=4.1))
    if cid in f.involved:
        _draw_route_mark(ax, f, cid, (x, y, bw, bh), style, step_no)
    ty = y + bh - t.pad
    _text(ax, x + t.pad, ty, bt.header, t.meta, soft, zorder=5)
    if bt.status:
        _text(ax, x + bw - t.pad - (8 if cid in f.involved else 0), ty, bt.status, t.meta, ink,
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
        lines.append(m.fit(_stub_note(f.strip.refs.get(cid), f.number), t.meta,
                           bw - 2 * t.pad))
    _block(ax, x + t.pad, ty, lines, t.meta, soft)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
              ) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
