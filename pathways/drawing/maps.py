"""Drawing a pathway map: pages of strips with column bands, edges, edge labels and boxes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog, Credential, to_graph
from pathways.drawing.geometry import (
    _edge_labels,
    _edge_shape,
    _EdgeShape,
    _placed_labels,
    _PlacedLabel,
    _Rect,
    _strip_frames,
    _StripFrame,
)
from pathways.drawing.highlight import Highlight
from pathways.drawing.legend import _draw_legend, _edge_words, _legend_items, _LegendItem
from pathways.drawing.output import Written, _rc, _save, output_paths
from pathways.drawing.planning import _involved, _plan, _route_whole
from pathways.drawing.scope import _check_ids
from pathways.drawing.shapes import _edge_path, _kind_patch
from pathways.drawing.sheet import _heading, _Sheets
from pathways.drawing.strips import BAND_PAD, MapPage, _stub_note
from pathways.drawing.style import (
    BAND,
    DASHES,
    HELD,
    INK,
    KIND_STYLES,
    MUTED,
    ROUTE,
    SPLIT_PRESET,
    KindStyle,
    _mix,
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
    plan = _prepare(catalog, ids, page=page, landscape=landscape, show_fee=show_fee,
                    title=title, subtitle=subtitle, highlight=highlight)
    pages, title, subtitle = plan.pages, plan.title, plan.subtitle
    legend, curriculum = plan.legend, plan.curriculum
    import matplotlib

    with matplotlib.rc_context(_rc()):
        sheets = _Sheets()
        figures = (_draw_map_page(sheets.axes(p.page), catalog, p, i + 1, len(pages), title,
                                  subtitle, highlight, legend, curriculum)
                   for i, p in enumerate(pages))
        return _save(len(pages), figures, output)


@dataclass(frozen=True)
class _MapPlan:
    """A map ready to draw: its scope, words, legend and pages."""

    scope: list[str]
    title: str
    subtitle: str
    legend: list[_LegendItem]
    pages: list[MapPage]
    curriculum: bool
    highlight: Highlight | None


def _prepare(catalog: Catalog, ids: Iterable[str] | None, *, page: str,
             landscape: bool | None, show_fee: bool, title: str | None,
             subtitle: str | None, highlight: Highlight | None) -> _MapPlan:
    """Everything :func:`draw_map` decides before drawing."""
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
                  highlight)
    assert pages is not None
    involved = _involved(highlight)
    if highlight is not None and not _route_whole(pages, involved):
        scope, subtitle, legend, pages = _route_on_one_page(
            catalog, graph, scope, page, landscape, show_fee, title, subtitle, highlight)
    curriculum = _edge_words(catalog, scope)[0] == "prerequisite"
    return _MapPlan(scope, title, subtitle, legend, pages, curriculum, highlight)


def _route_on_one_page(catalog: Catalog, graph: Any, scope: list[str], page: str,
                       landscape: bool | None, show_fee: bool, title: str, subtitle: str,
                       highlight: Highlight
                       ) -> tuple[list[str], str, list[_LegendItem], list[MapPage]]:
    """A route is never split over pages: its map set smaller (down to the split maps'
    type), else only the route's own credentials, else those turned the other way; the
    subtitle says what was left out or turned. Only a route too long for any page of
    this size is split."""
    legend = _legend_items(catalog, graph, scope, highlight)
    small = SPLIT_PRESET + 1
    pages = _plan(catalog, graph, scope, legend, page, landscape, show_fee, title, subtitle,
                  highlight, presets=small, paginate=False)
    if pages is not None and _route_whole(pages, _involved(highlight)):
        return scope, subtitle, legend, pages
    own = sorted(_involved(highlight) | ({highlight.target} if highlight.target else set()))
    legend = _legend_items(catalog, graph, own, highlight)
    note = (" · only the route's credentials are shown (its whole map does not fit one "
            f"{page.upper()} page)")
    for turn in ([landscape] if landscape is None else [landscape, not landscape]):
        said = subtitle + note + (
            "; the page is turned to keep it whole" if turn != landscape else "")
        pages = _plan(catalog, graph, own, legend, page, turn, show_fee, title, said,
                      highlight, presets=small, paginate=False)
        if pages is not None:
            return own, said, legend, pages
    said = subtitle + note
    pages = _plan(catalog, graph, own, legend, page, landscape, show_fee, title, said,
                  highlight)
    assert pages is not None
    return own, said, legend, pages


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
    for f, caption in _strip_frames(mp, top, highlight, curriculum, number):
        if caption is not None:
            _text(ax, *caption, f.strip.caption, page.header, INK, weight="bold")
        _draw_strip(ax, catalog, f)
    # One page: the legend right under the diagram; several: at the foot of each.
    below = top - mp.height - 20 if total == 1 else None
    _draw_legend(ax, page, legend, curriculum, below)
    return ax.figure


def _draw_strip(ax: Any, catalog: Catalog, f: _StripFrame) -> None:
    """One diagram: column bands and headings from ``f.band_top`` down, then edges, edge
    labels and boxes."""
    _draw_bands(ax, f)
    # Edges, grouped by look into one collection each (far quicker to draw), then their
    # labels, placed clear of boxes and of each other.
    shapes = [_edge_shape(f, e) for e in f.strip.layout.edges]
    _draw_edges(ax, shapes)
    _draw_edge_labels(ax, f, _placed_labels(f, _edge_labels(shapes)))
    # Boxes. The long "Level 5 · 120 credits" only if every box has room for it.
    strip, highlight = f.strip, f.highlight
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


def _draw_edges(ax: Any, shapes: Sequence[_EdgeShape]) -> None:
    """Every edge with its arrowhead, one collection per look."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Circle

    strokes: dict[tuple[str, float, float, str], list[Any]] = {}
    heads: dict[tuple[str, float], list[Any]] = {}
    for sh in shapes:
        e, pts = sh.edge, sh.points
        strokes.setdefault((sh.colour, sh.lw, sh.z, sh.dash), []).append(
            _edge_path(pts, sh.arrow * 0.8, -1.0 if e.backward else 1.0))
        heads.setdefault((sh.colour, sh.z), []).append(sh.head)
        if e.stacking is not None and e.requisite is not None:
            # Stacks in and is an entry requirement too: a dot where it leaves.
            _patch(ax, Circle(pts[0], 1.6 + sh.lw / 2, facecolor=sh.colour, edgecolor="none",
                              zorder=sh.z + 0.1))
    for (colour, lw, z, dash), paths in sorted(strokes.items(), key=lambda kv: kv[0][2]):
        ax.add_collection(PathCollection(paths, facecolors="none", edgecolors=colour,
                                         linewidths=lw, zorder=z, capstyle="butt",
                                         linestyles=DASHES.get(dash, "solid")))
    for (colour, z), tris in heads.items():
        ax.add_collection(PolyCollection(tris, facecolors=colour, edgecolors="none", zorder=z))


def _draw_edge_labels(ax: Any, f: _StripFrame, placed: Sequence[_PlacedLabel]) -> None:
    """Edge labels on white at their spots."""
    from matplotlib.patches import Rectangle

    t = f.strip.type
    for p in placed:
        x0, y0, x1, y1 = p.rect
        _patch(ax, Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", alpha=0.92,
                             edgecolor="none", zorder=4.4))
        _text(ax, p.cx, p.cy, p.text, t.label, p.colour if p.bold else MUTED,
              weight="bold" if p.bold else "normal", ha="center", va="center_baseline",
              zorder=4.5)


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
