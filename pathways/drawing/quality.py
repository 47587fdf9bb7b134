"""Layout quality of a map, measured on the geometry the drawing uses: arrowheads hidden
under a box, edge labels overprinting each other or a box, edges passing close to a box
they do not belong to, crossings, the smallest type, the largest empty band across a
page, pages, stubs, and how many pages a highlighted route is spread over.

Numbers, not pixels: the tests and ``scripts/bench_layout_quality.py`` assert on them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pathways.catalog import Catalog
from pathways.drawing.geometry import (
    _box_rects,
    _edge_labels,
    _edge_shape,
    _EdgeShape,
    _overlaps,
    _placed_labels,
    _Rect,
    _strip_frames,
    _StripFrame,
)
from pathways.drawing.highlight import Highlight
from pathways.drawing.legend import _legend_base, _legend_rows
from pathways.drawing.maps import MapStyle, _checked_look, _MapPlan, _prepare
from pathways.drawing.shapes import _bezier
from pathways.drawing.sheet import _heading_height
from pathways.drawing.strips import BAND_PAD
from pathways.drawing.style import FONT
from pathways.drawing.text import _FONT

__all__ = ["MapQuality", "map_quality", "NEAR"]

NEAR = 4.0  # points: an edge closer than this to a box it does not touch grazes it
BADGE_PT = 7.0  # the step badges' type


@dataclass(frozen=True)
class MapQuality:
    """What a reader of a printed map would stumble on (all 0 is best, but ``crossings``,
    ``smallest_type``, ``pages``, ``boxes``)."""

    hidden_heads: int  # arrowheads not visible outside their target box
    label_overlaps: int  # edge labels over another label or a box
    near_misses: int  # (edge, box) pairs closer than NEAR where the box is not an end
    crossings: int
    smallest_type: float  # points
    empty_band: float  # the tallest full-width empty band, as a share of the page height
    pages: int
    boxes: int  # boxes drawn, repeats and stubs included
    stubs: int
    route_pages: int  # pages showing a step or held credential of the route (0: no route)
    frame_clashes: int = 0  # rule frames over a box not theirs, over another half, or
    # their labels under an edge label


def map_quality(catalog: Catalog, ids: Iterable[str] | None = None, *, page: str = "A4",
                landscape: bool | None = None, show_fee: bool = False,
                title: str | None = None, subtitle: str | None = None,
                highlight: Highlight | None = None, look: MapStyle | None = None
                ) -> MapQuality:
    """The quality of the map :func:`pathways.drawing.draw_map` would draw with these
    arguments (nothing is drawn)."""
    look = _checked_look(catalog, look or MapStyle())
    token = _FONT.set(look.font or FONT)
    try:
        plan = _prepare(catalog, ids, page=page, landscape=landscape, show_fee=show_fee,
                        title=title, subtitle=subtitle, highlight=highlight, look=look)
        return plan_quality(plan)
    finally:
        _FONT.reset(token)


def plan_quality(plan: _MapPlan) -> MapQuality:
    hidden = overlaps = near = crossings = boxes = stubs = route_pages = clashes = 0
    smallest, empty = math.inf, 0.0
    route = set(plan.highlight.steps) | set(plan.highlight.held) if plan.highlight else set()
    total = len(plan.pages)
    for number, mp in enumerate(plan.pages, 1):
        page = mp.page
        top = page.height - page.margin - _heading_height(page, plan.title, plan.subtitle) - 8
        frames = _strip_frames(mp, top, plan.highlight, plan.curriculum, number, plan.marks)
        used = [(page.height - page.margin - _heading_height(page, plan.title, plan.subtitle),
                 page.height), (0.0, page.margin + page.footer * 1.7)]
        smallest = min(smallest, page.footer, page.legend, page.header, page.title)
        for f, caption in frames:
            t = f.strip.type
            smallest = min(smallest, t.title, t.meta, t.label)
            if route and route & set(f.strip.ids):
                smallest = min(smallest, BADGE_PT)
            shapes = [_edge_shape(f, e) for e in f.strip.layout.edges]
            rects = _box_rects(f)
            hidden += sum(_head_hidden(s, rects) for s in shapes)
            labels = [p.rect for p in _placed_labels(f, _edge_labels(shapes))]
            overlaps += _label_overlaps(labels, list(rects.values()))
            clashes += _frame_clashes(f, rects, labels)
            near += sum(_grazes(f, s, rects) for s in shapes)
            crossings += f.strip.layout.crossings
            boxes += len(f.strip.ids)
            stubs += len(f.strip.stubs)
            bottom = f.y(-BAND_PAD)
            used.append((bottom, caption[1] if caption else f.band_top))
        if route and any(route & set(s.ids) for s, _x, _y in mp.strips):
            route_pages += 1
        below = top - mp.height - 20 if total == 1 else None
        rows = _legend_rows(page, plan.legend)
        base = _legend_base(page, rows, below)
        used.append((base - page.legend, base + (rows - 1) * page.legend * 2.4
                     + page.legend * 1.2))
        empty = max(empty, _largest_gap(used, page.margin, page.height - page.margin)
                    / page.height)
    return MapQuality(hidden, overlaps, near, crossings, smallest, round(empty, 3), total,
                      boxes, stubs, route_pages, clashes)


def _contains(outer: _Rect, inner: _Rect) -> bool:
    return (outer[0] <= inner[0] + 1e-6 and outer[1] <= inner[1] + 1e-6
            and inner[2] <= outer[2] + 1e-6 and inner[3] <= outer[3] + 1e-6)


def _frame_clashes(f: _StripFrame, rects: dict[str, _Rect], labels: Sequence[_Rect]) -> int:
    """Rule frames that overlap a box without holding it, overlap another frame without
    one holding the other, or whose label an edge label covers."""
    from pathways.drawing.programme import LABEL_INSET, frame_label
    from pathways.drawing.text import _measure

    m, t = _measure(), f.strip.type
    frames = [(key, (f.x(x), f.y(y), f.x(x + w), f.y(y + h)))
              for key, (x, y, w, h) in f.strip.layout.frames]
    count = sum(1 for _k, fr in frames for b in rects.values()
                if _overlaps(fr, b) and not _contains(fr, b))
    count += sum(1 for i, (_k, a) in enumerate(frames) for _j, b in frames[:i]
                 if _overlaps(a, b) and not (_contains(a, b) or _contains(b, a)))
    for key, (x0, _y0, x1, y1) in frames:
        lines = frame_label(f.strip.labels.get(key, ""), t.meta, x1 - x0)
        width = max((m.width(line, t.meta, "bold") for line in lines), default=0.0)
        head = (x0 + LABEL_INSET, y1 - 2.0 - len(lines) * m.line * t.meta,
                x0 + LABEL_INSET + width, y1 - 2.0)
        count += sum(1 for lab in labels if _overlaps(head, lab))
    return count


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _inside(p: tuple[float, float], r: _Rect) -> bool:
    return r[0] < p[0] < r[2] and r[1] < p[1] < r[3]


def _head_hidden(s: _EdgeShape, rects: dict[str, _Rect]) -> bool:
    """Whether the arrowhead lies under a box (boxes are drawn over edges)."""
    c = _centroid(s.head)
    return any(_inside(c, r) for r in rects.values())


def _label_overlaps(labels: Sequence[_Rect], boxes: Sequence[_Rect]) -> int:
    """Labels overprinting a label placed before them or a box."""
    count = 0
    for i, a in enumerate(labels):
        if any(_overlaps(a, b) for b in labels[:i]) or any(_overlaps(a, b) for b in boxes):
            count += 1
    return count


def _samples(points: Sequence[tuple[float, float]], steps: int = 12
             ) -> Iterator[tuple[float, float]]:
    """Points along an edge as drawn: straight runs inside ranks, S-curves across gaps."""
    yield points[0]
    for i in range(1, len(points)):
        a, b = points[i - 1], points[i]
        if i % 2 == 1:
            for k in range(1, steps + 1):
                yield (a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
        else:
            for k in range(1, steps + 1):
                yield _bezier(a, b, k / steps)


def _distance(p: tuple[float, float], r: _Rect) -> float:
    dx = max(r[0] - p[0], 0.0, p[0] - r[2])
    dy = max(r[1] - p[1], 0.0, p[1] - r[3])
    return math.hypot(dx, dy)


def _grazes(f: _StripFrame, s: _EdgeShape, rects: dict[str, _Rect]) -> int:
    """How many boxes other than its ends the edge passes within NEAR of (a route's or
    held credential's box counts with its frame)."""
    pts = list(_samples(s.points))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    count = 0
    for cid, r in rects.items():
        if cid in (s.edge.source, s.edge.target):
            continue
        pad = 4.0 if cid in f.involved else 0.0
        r = (r[0] - pad, r[1] - pad, r[2] + pad, r[3] + pad)
        if r[0] - NEAR > hi_x or r[2] + NEAR < lo_x or r[1] - NEAR > hi_y or r[3] + NEAR < lo_y:
            continue
        if any(_distance(p, r) < NEAR for p in pts):
            count += 1
    return count


def _largest_gap(used: Sequence[tuple[float, float]], lo: float, hi: float) -> float:
    """The tallest stretch of [lo, hi] that no interval covers."""
    best, reach = 0.0, lo
    for a, b in sorted(used):
        if a > reach:
            best = max(best, min(a, hi) - reach)
        reach = max(reach, b)
    return max(best, hi - reach)
