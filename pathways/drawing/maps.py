"""Drawing a pathway map: pages of strips with column bands, edges, edge labels and boxes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog, Credential, level_scale, to_graph
from pathways.drawing.geometry import (
    _edge_labels,
    _edge_shape,
    _EdgeShape,
    _Marks,
    _placed_labels,
    _PlacedLabel,
    _Rect,
    _strip_frames,
    _StripFrame,
)
from pathways.drawing.highlight import Highlight
from pathways.drawing.layered import SCALE_NAMES
from pathways.drawing.legend import _draw_legend, _edge_words, _legend_items, _LegendItem
from pathways.drawing.output import Written, _check_target, _rc, _save, output_paths
from pathways.drawing.planning import _involved, _plan, _route_whole
from pathways.drawing.programme import LABEL_INSET, frame_label, rule_owner
from pathways.drawing.scope import _check_ids
from pathways.drawing.shapes import _edge_path, _kind_patch
from pathways.drawing.sheet import _heading, _Sheets
from pathways.drawing.strips import BAND_PAD, MapPage, _Look, _stub_note
from pathways.drawing.style import (
    BAND,
    DASHES,
    FONT,
    HELD,
    INK,
    KIND_STYLES,
    MUTED,
    ROUTE,
    SPLIT_PRESET,
    KindStyle,
    _mix,
    _Page,
)
from pathways.drawing.text import (
    _FONT,
    _add,
    _block,
    _group,
    _measure,
    _patch,
    _text,
    check_font,
)
from pathways.errors import PathwaysError
from pathways.vocabulary import MAP_STYLES

STYLES = MAP_STYLES


@dataclass(frozen=True)
class MapStyle:
    """How a map looks beyond its scope: ``style`` "map" (every credential, ids shown)
    or "brochure" (a learner's handout: the route or the target's pathway only, the goal
    and the start marked, ids hidden, a legend in plain words, larger type); a ``logo``
    image (PNG) at the top right; a ``brand`` colour for the route; a ``font`` (an
    installed family or a .ttf/.otf file; DejaVu Sans, embedded, fills any character it
    lacks); ``complexity`` on each course and the longest prerequisite chain (a
    curriculum's delay path) drawn; ``start``, the credential a map starts from, and
    ``goal``, the one it leads to (a route's target is its goal anyway); ``term_names``,
    the headings of term columns 1, 2, … in place of "Term 1", "Term 2", … (a term
    plan's calendar terms)."""

    style: str = "map"
    logo: str | None = None
    brand: str | None = None
    font: str | None = None
    complexity: bool = False
    start: str | None = None
    goal: str | None = None
    term_names: tuple[str, ...] = ()


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
    look: MapStyle | None = None,
) -> Written:
    """Draw a pathway map of ``ids`` (default: the whole catalog) to ``output``.

    The format follows the extension (.pdf, .svg, .png). A scope too big for a page is
    split by connected pathway: one multi-page PDF, or ``NAME-1.png``, ``NAME-2.png``…
    ``landscape=None`` picks the orientation that suits the map; a highlighted route is
    never split (see :func:`_route_on_one_page`). ``look`` styles it (:class:`MapStyle`).
    Returns the paths written.
    """
    output_paths(output, 1)  # check the extension and the path before any work
    _check_target(output)
    look = _checked_look(catalog, look or MapStyle())
    token = _FONT.set(look.font or FONT)
    try:
        plan = _prepare(catalog, ids, page=page, landscape=landscape, show_fee=show_fee,
                        title=title, subtitle=subtitle, highlight=highlight, look=look)
        logo = _read_logo(look.logo) if look.logo else None
        import matplotlib

        with matplotlib.rc_context(_rc()):
            sheets = _Sheets()
            pages = plan.pages
            if Path(output).suffix.lower() == ".svg":
                plan = replace(plan, marks=replace(plan.marks, grouped=True))
            figures = (_draw_map_page(sheets.axes(p.page), catalog, p, i + 1, len(pages),
                                      plan, logo)
                       for i, p in enumerate(pages))
            return _save(len(pages), figures, output,
                         {"title": plan.title, "subject": plan.subtitle})
    finally:
        _FONT.reset(token)


def _checked_look(catalog: Catalog, look: MapStyle) -> MapStyle:
    """``look`` with its values checked (one-line errors naming what to give)."""
    if look.style not in STYLES:
        raise PathwaysError(f"unknown style {look.style!r}: use " + " or ".join(STYLES))
    if look.brand is not None and not _HEX.fullmatch(look.brand):
        raise PathwaysError(f"brand colour {look.brand!r} is not a colour; give it as "
                            "#RRGGBB, for example #0B6E4F")
    if look.logo is not None and not Path(look.logo).is_file():
        raise PathwaysError(f"logo {look.logo!r} not found; give a PNG image file")
    if look.font is not None:
        check_font(look.font)
    for cid in (look.start, look.goal):
        if cid is not None:
            _check_ids(catalog, [cid])
    return look


_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def _read_logo(path: str) -> Any:
    """The logo as an image array (PNG), or a one-line error."""
    import matplotlib.image as mpimg

    try:
        return mpimg.imread(path, format="png")
    except (OSError, ValueError, SyntaxError) as exc:
        raise PathwaysError(f"cannot read the logo {path!r} as a PNG image ({exc}); give "
                            "a PNG file") from None


@dataclass(frozen=True)
class _MapPlan:
    """A map ready to draw: its scope, words, legend, pages and marks."""

    scope: list[str]
    title: str
    subtitle: str
    legend: list[_LegendItem]
    pages: list[MapPage]
    curriculum: bool
    highlight: Highlight | None
    marks: _Marks = _Marks()
    logo: bool = False


def _prepare(catalog: Catalog, ids: Iterable[str] | None, *, page: str,
             landscape: bool | None, show_fee: bool, title: str | None,
             subtitle: str | None, highlight: Highlight | None,
             look: MapStyle | None = None) -> _MapPlan:
    """Everything :func:`draw_map` decides before drawing."""
    look = look or MapStyle()
    brochure = look.style == "brochure"
    scope = _map_scope(catalog, ids, highlight, brochure)
    title, subtitle = _map_words(catalog, scope, title, subtitle, highlight, look)
    graph = to_graph(catalog)
    delay = _delay_path(graph.subgraph(scope)) if look.complexity else frozenset()
    box_look = _Look(codes=_course_codes(catalog),
                     complexity=_complexity(catalog, scope) if look.complexity else None,
                     brochure=brochure)
    marks = _Marks(start=look.start, colour=look.brand or ROUTE, brochure=brochure,
                   delay=delay, goal=highlight.target if highlight else look.goal,
                   term_names=look.term_names)
    legend = _legend_items(catalog, graph, scope, highlight, brochure=brochure,
                           delay=bool(delay))
    logo_w = 90.0 if look.logo else 0.0
    pages = _plan(catalog, graph, scope, legend, page, landscape, show_fee, title, subtitle,
                  highlight, look=box_look, logo_w=logo_w)
    assert pages is not None
    involved = _involved(highlight)
    if highlight is not None and not _route_whole(pages, involved):
        scope, subtitle, legend, pages = _route_on_one_page(
            catalog, graph, scope, page, landscape, show_fee, title, subtitle, highlight,
            box_look, logo_w)
    curriculum = _edge_words(catalog, scope)[0] == "prerequisite"
    return _MapPlan(scope, title, subtitle, legend, pages, curriculum, highlight, marks,
                    bool(look.logo))


def _map_scope(catalog: Catalog, ids: Iterable[str] | None, highlight: Highlight | None,
               brochure: bool) -> list[str]:
    """The credentials a map draws: ``ids`` (default all) with the route's own, or in a
    brochure the route's alone."""
    chosen = set(ids) if ids is not None else {c.id for c in catalog}
    if highlight is not None:  # the route's credentials are always on its map
        chosen |= {c for c in (*highlight.steps, *highlight.held) if c in catalog}
        if brochure:  # a learner's handout: the route alone
            chosen = {c for c in (*highlight.steps, *highlight.held,
                                  *([highlight.target] if highlight.target else []))
                      if c in catalog}
    scope = sorted(chosen)
    if not scope:
        raise PathwaysError("nothing to draw: the catalog has no credentials")
    _check_ids(catalog, scope)
    return scope


def _map_words(catalog: Catalog, scope: Sequence[str], title: str | None,
               subtitle: str | None, highlight: Highlight | None, look: MapStyle
               ) -> tuple[str, str]:
    """The title and subtitle a map gets when none is given (a brochure's in a
    learner's words)."""
    brochure = look.style == "brochure"
    index = catalog.index()
    if title is None:
        title = catalog.name or "Pathway map"
        if brochure and highlight is not None and highlight.target in index:
            title = f"Your pathway to {index[highlight.target].title}"
        elif brochure and look.goal in index:
            title = f"Ways to {index[look.goal].title}"
    if subtitle is None:
        subtitle = highlight.summary if highlight else _default_subtitle(catalog, scope)
        if brochure and highlight is not None:
            subtitle = highlight.plain or subtitle
    return title, subtitle


def _route_on_one_page(catalog: Catalog, graph: Any, scope: list[str], page: str,
                       landscape: bool | None, show_fee: bool, title: str, subtitle: str,
                       highlight: Highlight, look: _Look | None = None, logo_w: float = 0.0
                       ) -> tuple[list[str], str, list[_LegendItem], list[MapPage]]:
    """A route is never split over pages: its map set smaller (down to the split maps'
    type), else only the route's own credentials, else those turned the other way; the
    subtitle says what was left out or turned. Only a route too long for any page of
    this size is split."""
    brochure = look is not None and look.brochure
    legend = _legend_items(catalog, graph, scope, highlight, brochure=brochure)
    small = SPLIT_PRESET + 1
    pages = _plan(catalog, graph, scope, legend, page, landscape, show_fee, title, subtitle,
                  highlight, presets=small, paginate=False, look=look, logo_w=logo_w)
    if pages is not None and _route_whole(pages, _involved(highlight)):
        return scope, subtitle, legend, pages
    own = sorted(_involved(highlight) | ({highlight.target} if highlight.target else set()))
    legend = _legend_items(catalog, graph, own, highlight, brochure=brochure)
    note = (" · only the route's credentials are shown (its whole map does not fit one "
            f"{page.upper()} page)")
    for turn in ([landscape] if landscape is None else [landscape, not landscape]):
        said = subtitle + note + (
            "; the page is turned to keep it whole" if turn != landscape else "")
        pages = _plan(catalog, graph, own, legend, page, turn, show_fee, title, said,
                      highlight, presets=small, paginate=False, look=look, logo_w=logo_w)
        if pages is not None:
            return own, said, legend, pages
    said = subtitle + note
    pages = _plan(catalog, graph, own, legend, page, landscape, show_fee, title, said,
                  highlight, look=look, logo_w=logo_w)
    assert pages is not None
    return own, said, legend, pages


def _course_codes(catalog: Catalog) -> dict[str, str]:
    """A curriculum's course codes ("MATH 156") from its CurricularAnalytics file, when
    the catalog was read from one (kept on each course since issue 15); {} otherwise."""
    kept = {c.id: c.code for c in catalog if c.code}
    if kept:
        return kept
    if not catalog.source or not all(c.kind == "course" for c in catalog):
        return {}
    from pathways.formats.curricular import course_codes, looks_curricular

    try:
        text = Path(catalog.source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError, ValueError):
        return {}
    return course_codes(text) if looks_curricular(text) else {}


def _complexity(catalog: Catalog, scope: Sequence[str]) -> dict[str, float]:
    """Each credential's structural complexity (CurricularAnalytics) within the scope."""
    from pathways.metrics import compute_metrics

    got = compute_metrics(to_graph(catalog).subgraph(scope).copy())
    return {cid: float(m.complexity) for cid, m in got.credentials.items()}


def _delay_path(graph: Any) -> frozenset[tuple[str, str]]:
    """The edges of the longest path (most credentials) through the scope: a
    curriculum's delay path; ties go to the smallest ids."""
    import networkx as nx

    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for n in nx.lexicographical_topological_sort(graph):
        preds = [best[p] for p in graph.predecessors(n)]
        length, path = max(preds, key=lambda b: (b[0], [-ord(ch) for ch in "".join(b[1])]),
                           default=(0, ()))
        best[n] = (length + 1, (*path, n))
    if not best:
        return frozenset()
    _n, path = max(best.values(), key=lambda b: (b[0], tuple(-ord(c[0]) for c in b[1])))
    if len(path) < 2:
        return frozenset()
    return frozenset(zip(path, path[1:], strict=False))


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


def level_columns_note(catalog: Catalog) -> str:
    """What the level columns and the credits of a map are: "columns: NZQF levels · 1
    credit = 10 learning hours" for a New Zealand catalog; the framework (every one the
    credentials follow, catalog's first) and the catalog's credit unit otherwise."""
    scales = [level_scale(catalog.framework)]
    scales += sorted({level_scale(c.framework) for c in catalog.credentials
                      if c.framework} - set(scales))
    names = [SCALE_NAMES.get(s, s) if s != "generic" else "" for s in scales]
    levels = " and ".join(n for n in names if n) or "NZQF"
    unit = catalog.credit_unit
    size = ("1 credit = 10 learning hours" if unit is None
            else f"credits are {unit.name}s of {unit.hours:g} learning hours")
    return f"columns: {levels} levels · {size}"


def _draw_map_page(ax: Any, catalog: Catalog, mp: MapPage, number: int, total: int,
                   plan: _MapPlan, logo: Any = None) -> Any:
    """One page of a map on blank sheet axes; returns the figure."""
    page = mp.page
    mode = mp.strips[0][0].layout.mode
    source = Path(catalog.source).name if catalog.source else "catalog"
    foot = f"Source: {source} · " + {
        "level": level_columns_note(catalog),
        "term": "columns: terms",
        "generation": "columns: prerequisite order; courses with no prerequisite link "
                      "under Any term",
    }[mode]
    top = _heading(ax, page, plan.title, plan.subtitle, foot,
                   f"Page {number} of {total}" if total > 1 else "") - 8
    if logo is not None:
        _draw_logo(ax, page, logo)
    for f, caption in _strip_frames(mp, top, plan.highlight, plan.curriculum, number,
                                    plan.marks):
        if caption is not None:
            _text(ax, *caption, f.strip.caption, page.header, INK, weight="bold")
        _draw_strip(ax, catalog, f)
    # One page: the legend right under the diagram; several: at the foot of each.
    below = top - mp.height - 20 if total == 1 else None
    _draw_legend(ax, page, plan.legend, plan.curriculum, below, plan.marks.colour)
    return ax.figure


def _draw_logo(ax: Any, page: _Page, image: Any) -> None:
    """The logo at the top right, at most ``page.logo_w`` wide and 40 pt tall."""
    h, w = image.shape[:2]
    k = min(page.logo_w / max(w, 1), 40.0 / max(h, 1))
    x1, y1 = page.width - page.margin, page.height - page.margin
    ax.imshow(image, extent=(x1 - w * k, x1, y1 - h * k, y1), zorder=7, interpolation="none")
    ax.set_xlim(0, page.width)
    ax.set_ylim(0, page.height)


def _draw_strip(ax: Any, catalog: Catalog, f: _StripFrame) -> None:
    """One diagram: column bands and headings from ``f.band_top`` down, then edges, edge
    labels and boxes."""
    _draw_bands(ax, f)
    _draw_rule_frames(ax, f)
    # Edges, grouped by look into one collection each (far quicker to draw), then their
    # labels, placed clear of boxes and of each other.
    shapes = [_edge_shape(f, e) for e in f.strip.layout.edges]
    placed = _placed_labels(f, _edge_labels(shapes))
    if f.marks.grouped:
        _draw_edge_groups(ax, f, shapes, placed)
    else:
        _draw_edges(ax, shapes)
        _draw_edge_labels(ax, f, placed)
    # Boxes. The long "Level 5 · 120 credits" only if every box has room for it.
    strip, highlight = f.strip, f.highlight
    long_meta = all(not bt.meta.endswith("…") for bt in strip.texts.values())
    step_no = {cid: i + 1 for i, cid in enumerate(highlight.steps)} if highlight else {}
    index = catalog.index()
    for cid, box in sorted(strip.layout.boxes.items()):
        c = index[cid]
        with _group(ax, f"cred-{cid}" if f.marks.grouped else None, f"{cid}: {c.title}", 4):
            _draw_box(ax, f, c, box, long_meta, step_no)


def _draw_edge_groups(ax: Any, f: _StripFrame, shapes: Sequence[_EdgeShape],
                      placed: Sequence[_PlacedLabel]) -> None:
    """Each edge as a group of its own (SVG): its line, arrowhead, dot and label."""
    from matplotlib.patches import Circle, PathPatch, Polygon

    label_of = {p.edge: p for p in placed}
    for sh in shapes:
        e = sh.edge
        what = (f"counts towards ({e.stacking} credits)" if e.stacking is not None
                else e.requisite or "")
        with _group(ax, f"edge-{e.source}-{e.target}", f"{e.source} → {e.target}: {what}",
                    sh.z):
            _add(ax, PathPatch(_edge_path(sh.points, sh.arrow * 0.8,
                                          -1.0 if e.backward else 1.0),
                               facecolor="none", edgecolor=sh.colour, linewidth=sh.lw,
                               capstyle="butt", linestyle=DASHES.get(sh.dash, "solid"),
                               zorder=sh.z))
            _add(ax, Polygon(sh.head, closed=True, facecolor=sh.colour, edgecolor="none",
                             zorder=sh.z))
            if e.stacking is not None and e.requisite is not None:
                _add(ax, Circle(sh.points[0], 1.6 + sh.lw / 2, facecolor=sh.colour,
                                edgecolor="none", zorder=sh.z + 0.1))
            label = label_of.get((e.source, e.target))
            if label is not None:
                _draw_edge_labels(ax, f, [label])


def _draw_bands(ax: Any, f: _StripFrame) -> None:
    """The column bands and their headings."""
    from matplotlib.patches import Rectangle

    page, names = f.page, f.marks.term_names
    for col in f.strip.layout.columns:
        label = names[col.key - 1] if 0 < col.key <= len(names) else col.label
        _patch(ax, Rectangle((f.x(col.x - BAND_PAD), f.y(-BAND_PAD)),
                             col.width + 2 * BAND_PAD, f.band_top - f.y(-BAND_PAD),
                             facecolor=BAND, edgecolor="none", zorder=0))
        _text(ax, f.x(col.x + col.width / 2), f.band_top - page.header * 1.1, label,
              page.header, INK, weight="bold", ha="center", va="center", zorder=1)


FRAME_FILLS = ("#FFFFFF", "#E4E8EF")  # a rule's frame, and one inside another
FRAME_EDGE = "#7F8793"


def _draw_rule_frames(ax: Any, f: _StripFrame) -> None:
    """Each programme rule's frame round its sources, under its label (a frame inside
    another tinted, so nesting reads in greyscale too)."""
    from matplotlib.patches import FancyBboxPatch

    frames = f.strip.layout.frames
    if not frames:
        return
    m, t = _measure(), f.strip.type
    rects = dict(frames)
    for key, (x, y, w, h) in sorted(frames, key=lambda kf: -kf[1][2] * kf[1][3]):
        depth = sum(1 for k, (ox, oy, ow, oh) in rects.items()
                    if k != key and ox <= x and oy <= y and x + w <= ox + ow
                    and y + h <= oy + oh and ow * oh > w * h)
        z = 0.5 + 0.01 * depth
        label = f.strip.labels.get(key, "")
        gid = "rule-" + key.replace("|", "-") if f.marks.grouped else None  # SVG: a group
        with _group(ax, gid, f"rule of {rule_owner(key)}: {label}", z):
            _patch(ax, FancyBboxPatch((f.x(x), f.y(y)), w, h,
                                      facecolor=FRAME_FILLS[depth % 2], edgecolor=FRAME_EDGE,
                                      linewidth=0.8, zorder=z,
                                      boxstyle="round,pad=0,rounding_size=4"))
            for i, line in enumerate(frame_label(label, t.meta, w)):
                _text(ax, f.x(x) + LABEL_INSET, f.y(y + h) - 2.0 - i * m.line * t.meta, line,
                      t.meta, MUTED, weight="bold", zorder=z + 0.005)


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


def _badge(ax: Any, x: float, y: float, text: str, colour: str) -> None:
    """A badge centred at (x, y): a disc for one character, else a pill."""
    from matplotlib.patches import Circle, FancyBboxPatch

    if len(text) <= 2:
        _patch(ax, Circle((x, y), 6.2, facecolor=colour, edgecolor="white", linewidth=0.8,
                          zorder=6))
    else:
        w = _measure().width(text, 7.5, "bold") + 8
        _patch(ax, FancyBboxPatch((x - w / 2, y - 6), w, 12, facecolor=colour,
                                  edgecolor="white", linewidth=0.8, zorder=6,
                                  boxstyle="round,pad=0,rounding_size=6"))
    _text(ax, x, y - 0.3, text, 7.5 if len(text) > 2 else 7, "white", weight="bold",
          ha="center", va="center", zorder=6.1)


def _draw_route_mark(ax: Any, f: _StripFrame, cid: str, box: _Rect, style: KindStyle,
                     step_no: Mapping[str, int]) -> None:
    """A route step's or held credential's frame and badge: the step number, "Goal" on
    the target (a heavier frame), a tick (or "Start" in a brochure) on what is held, and
    "Start" on the credential a map starts from."""
    from matplotlib.patches import Rectangle

    x, y, bw, bh = box
    goal = cid == f.marks.goal
    start = cid == f.marks.start or (f.marks.brochure and cid not in f.on_route)
    colour = f.marks.colour if cid in f.on_route or goal else HELD
    off = 1.5 + style.linewidth / 2 + 0.9 + (0.8 if goal else 0)
    _patch(ax, Rectangle((x - off, y - off), bw + 2 * off, bh + 2 * off,
                         facecolor="none", edgecolor=colour,
                         linewidth=2.8 if goal else 1.8 if cid in f.on_route else 1.5,
                         linestyle="solid" if cid in f.on_route or start else DASHES["held"],
                         zorder=3.9))
    if goal:
        label = "Goal"
    elif start:
        label = "Start"
    elif cid in f.on_route:
        label = str(step_no[cid])
    else:
        label = "✓"
    w = _measure().width(label, 7.5, "bold") + 8 if len(label) > 2 else 6.2
    _badge(ax, x + bw - max(3.0, w / 2), y + bh, label, colour)


def _draw_box(ax: Any, f: _StripFrame, c: Credential, box: _Rect, long_meta: bool,
              step_no: Mapping[str, int]) -> None:
    """One credential's box: its shape by kind (faded off the route, hatched when
    discontinued, ghosted when it is a stub for a box drawn in full elsewhere), route
    frame and badge, and its text."""
    m, t = _measure(), f.strip.type
    cid, bt = c.id, f.strip.texts[c.id]
    bx, by, bw, bh = box
    style = KIND_STYLES.get(c.kind, KIND_STYLES["course"])
    x, y = f.x(bx), f.y(by)
    dim = (f.highlight is not None and cid not in f.involved) or bt.stub
    ink, soft = ("#5A5A5A", "#6E6E6E") if dim else (INK, MUTED)
    discontinued = bt.status == "discontinued"
    fill = "#FFFFFF" if discontinued or bt.stub else _mix(style.fill, 0.55) if dim \
        else style.fill
    _patch(ax, _kind_patch(x, y, bw, bh, style, fill=fill,
                           edge=_mix(style.edge, 0.5) if dim else style.edge,
                           lw=0.9 if bt.stub else None,
                           linestyle=(0, (3.0, 2.0)) if bt.stub else None))
    if discontinued:  # hatched: no longer offered
        _add(ax, _kind_patch(x, y, bw, bh, style, fill="none", edge="#DADADA", lw=0,
                             hatch="////", zorder=4.1))
    marked = cid in f.involved or cid in (f.marks.start, f.marks.goal)
    if marked:
        _draw_route_mark(ax, f, cid, (x, y, bw, bh), style, step_no)
    ty = y + bh - t.pad
    _text(ax, x + t.pad, ty, bt.header, t.meta, soft, zorder=5)
    if bt.status and bt.together:
        _text(ax, x + bw - t.pad - (8 if marked else 0), ty, bt.status, t.meta, ink,
              weight="bold", ha="right", zorder=5)
    elif bt.status:
        ty -= m.line * t.meta if bt.header else 0
        _text(ax, x + t.pad, ty, bt.status, t.meta, ink, weight="bold", zorder=5)
    if bt.header or bt.status:
        ty -= m.line * t.meta
    _block(ax, x + t.pad, ty, bt.title, t.title, ink, "normal" if bt.stub else "bold")
    ty -= len(bt.title) * m.line * t.title
    if not bt.stub or not (bt.header or bt.status):
        _text(ax, x + t.pad, ty, bt.meta if long_meta else bt.short_meta, t.meta, ink, zorder=5)
        ty -= m.line * t.meta
    if bt.rules:  # programme rules: what the credential is made of
        _block(ax, x + t.pad, ty, list(bt.rules), t.meta, ink)
        ty -= len(bt.rules) * m.line * t.meta
    lines = bt.provider.split("\n") if bt.provider else []
    if bt.stub:
        lines.append(m.fit(_stub_note(f.strip.refs.get(cid), f.number), t.meta,
                           bw - 2 * t.pad))
    _block(ax, x + t.pad, ty, lines, t.meta, soft)

