"""Where things go on a map page, worked out before anything is drawn: strips on the
sheet, each edge's path, look and arrowhead, and each edge label's spot. The drawing
(:mod:`pathways.drawing.maps`) and the quality measures (:mod:`pathways.drawing.quality`)
both use these, so what is measured is what is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pathways.drawing.highlight import Highlight
from pathways.drawing.layered import EdgePath
from pathways.drawing.shapes import _bezier
from pathways.drawing.strips import BAND_PAD, MapPage, Strip
from pathways.drawing.style import DELAY, EDGE_INK, FADED_EDGE, ROUTE, _Page
from pathways.drawing.text import _measure


@dataclass(frozen=True)
class _Marks:
    """What a map marks beyond a route: the credential a ``--from`` map starts at, the
    route's colour (a brand colour in a brochure), the brochure style, and the edges of
    a curriculum's longest prerequisite chain (its delay path)."""

    start: str | None = None
    colour: str = ROUTE
    brochure: bool = False
    delay: frozenset[tuple[str, str]] = frozenset()
    goal: str | None = None
    grouped: bool = False  # SVG: a group (with a title) per credential and per edge
    term_names: tuple[str, ...] = ()  # headings of term columns 1, 2, … (a term plan's)


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
    marks: _Marks = _Marks()

    def x(self, x: float) -> float:
        return self.left + x

    def y(self, y: float) -> float:
        return self.top - self.strip.layout.height + y


_Rect = tuple[float, float, float, float]
# points, text, colour, bold, target, whether in a trunk, source
_Label = tuple[list[tuple[float, float]], str, str, bool, str, bool, str]


def _edge_look(f: _StripFrame, e: EdgePath) -> tuple[str, float, float, str, int | None]:
    """An edge's colour, line width, z-order and dashes, and the credits a route counts
    along it (None if it does not)."""
    highlight = f.highlight
    counted = highlight.counted.get((e.source, e.target)) if highlight else None
    needed = (highlight is not None and e.stacking is None and e.target in f.on_route
              and e.source in f.involved)
    if counted is not None:
        colour, lw, z = f.marks.colour, 2.0, 2.5
    elif needed:
        colour, lw, z = f.marks.colour, 1.3, 2.4
    elif (e.source, e.target) in f.marks.delay:
        colour, lw, z = DELAY, 1.9, 2.3
    elif highlight is not None:
        colour, lw, z = FADED_EDGE, 0.8, 1.0
    else:
        colour, lw, z = EDGE_INK, 0.8, 1.0
    if e.stacking is not None or (f.curriculum and e.requisite == "requires"):
        dash = "solid"
    else:
        dash = "requires" if e.requisite == "requires" else "corequisite"
    return colour, lw, z, dash, counted


def _label_spots(pts: Sequence[tuple[float, float]], own_gaps: int
                 ) -> list[tuple[float, float]]:
    """Candidate centres for an edge's label, best first: along its first gap from the
    source end, then along its straight runs beside boxes and its other gaps (only the
    first ``own_gaps`` gaps: a trunk's are shared)."""
    gaps = [(pts[i], pts[i + 1]) for i in range(1, len(pts) - 1, 2)][:own_gaps]
    spots = [_bezier(gaps[0][0], gaps[0][1], frac)
             for frac in (0.3, 0.45, 0.2, 0.6, 0.75, 0.12, 0.88, 0.38, 0.52, 0.68, 0.25, 0.82,
                          0.16, 0.94, 0.06)]
    for i in range(2, len(pts) - 2, 2):  # runs beside the boxes of a rank
        if (i - 1) // 2 < own_gaps:
            (x0, y0), (x1, _y1) = pts[i], pts[i + 1]
            spots += [(x0 + (x1 - x0) * frac, y0) for frac in (0.5, 0.25, 0.75)]
    for a, b in gaps[1:]:
        spots += [_bezier(a, b, frac) for frac in (0.5, 0.3, 0.7)]
    return spots


def _beside_spots(pts: Sequence[tuple[float, float]], h: float, own_gaps: int
                  ) -> list[tuple[float, float]]:
    """Centres for a label sitting just above or just below its edge (its near side 1 pt
    off the line) along its own gaps: where a gap is crowded with other edges' labels, a
    label beside its line still reads as that line's, where one on a neighbour would not."""
    gaps = [(pts[i], pts[i + 1]) for i in range(1, len(pts) - 1, 2)][:own_gaps]
    shift = h / 2 + 1.0
    return [(x, y + side * shift) for a, b in gaps
            for x, y in (_bezier(a, b, frac) for frac in (0.5, 0.35, 0.65, 0.2, 0.8))
            for side in (1.0, -1.0)]


def _label_spot(pts: Sequence[tuple[float, float]], w: float, h: float,
                taken: Sequence[_Rect], own_gaps: int = 2
                ) -> tuple[float, float, _Rect] | None:
    """Where an edge label goes: the first clear spot of :func:`_label_spots`, then of
    :func:`_beside_spots` (a crowded gap), or None."""
    for cx, cy in [*_label_spots(pts, own_gaps), *_beside_spots(pts, h, own_gaps)]:
        rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if not any(_overlaps(rect, other) for other in taken):
            return cx, cy, rect
    return None


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
              ) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class _EdgeShape:
    """An edge as drawn: its points on the page, look, and arrowhead triangle."""

    edge: EdgePath
    points: list[tuple[float, float]]
    colour: str
    lw: float
    z: float
    dash: str
    counted: int | None
    arrow: float  # the arrowhead's length
    head: list[tuple[float, float]]


def _edge_shape(f: _StripFrame, e: EdgePath) -> _EdgeShape:
    pts = [(f.x(x), f.y(y)) for x, y in e.points]
    colour, lw, z, dash, counted = _edge_look(f, e)
    arrow = 4.5 + lw
    direction = -1.0 if e.backward else 1.0  # the way the edge runs, not its last run
    (xe, ye), half = pts[-1], (2.2 + lw) / 2
    if e.target in f.strip.composed and e.stacking is not None:
        # A part of a credential made of its parts: a diamond at the whole (as a
        # composition is drawn), not an arrowhead.
        arrow = arrow * 1.4
        head = [(xe, ye), (xe - direction * arrow / 2, ye + half),
                (xe - direction * arrow, ye), (xe - direction * arrow / 2, ye - half)]
    else:
        head = [(xe, ye), (xe - direction * arrow, ye + half),
                (xe - direction * arrow, ye - half)]
    return _EdgeShape(e, pts, colour, lw, z, dash, counted, arrow, head)


def _strip_frames(mp: MapPage, top: float, highlight: Highlight | None, curriculum: bool,
                  number: int, marks: _Marks | None = None
                  ) -> list[tuple[_StripFrame, tuple[float, float] | None]]:
    """Each strip of a page placed below ``top`` (the foot of the heading), with where its
    caption goes (None without one)."""
    page = mp.page
    on_route = frozenset(highlight.steps) if highlight else frozenset()
    involved = on_route | (frozenset(highlight.held) if highlight else frozenset())
    out = []
    for strip, dx, dy in mp.strips:
        y = top - dy
        caption = None
        if strip.caption:
            caption = (page.margin + dx, y)
            y -= page.header * 1.8
        out.append((_StripFrame(strip, page, page.margin + dx + BAND_PAD, y,
                                y - page.header * 2.2, highlight, on_route, involved,
                                curriculum, number, marks or _Marks()), caption))
    return out


def _box_rects(f: _StripFrame) -> dict[str, _Rect]:
    """Each box on the page as (x0, y0, x1, y1)."""
    return {cid: (f.x(x), f.y(y), f.x(x + w), f.y(y + h))
            for cid, (x, y, w, h) in f.strip.layout.boxes.items()}


@dataclass(frozen=True)
class _PlacedLabel:
    cx: float
    cy: float
    rect: _Rect
    text: str
    colour: str
    bold: bool
    edge: tuple[str, str] = ("", "")


def _placed_labels(f: _StripFrame, labels: Sequence[_Label]) -> list[_PlacedLabel]:
    """Edge labels, each clear of the boxes (and their route frames) and of the labels
    placed before it where it can be."""
    m, t = _measure(), f.strip.type
    taken: list[_Rect] = []
    for cid, (x0, y0, x1, y1) in _box_rects(f).items():
        pad = 4.5 if cid in f.involved else 1.0
        taken.append((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    out: dict[int, _PlacedLabel] = {}
    moves: dict[int, _Movable] = {}  # index in ``taken`` -> the label placed there
    said: set[tuple[str, str, str]] = set()  # (target, text, colour) labelled already
    # the labels with fewest gaps of their own to go in choose first: a long edge has
    # spots in later gaps, a one-gap edge has only its gap (drawn in the edges' order)
    for order, (pts, text, colour, bold, target, trunk, source) in sorted(
            enumerate(labels), key=lambda il: _gap_count(il[1][0], il[1][5])):
        weight = "bold" if bold else "normal"
        w, h = m.width(text, t.label, weight) + 3, t.label * 1.3
        gaps = 1 if trunk else len(pts)
        spot = _label_spot(pts, w, h, taken, gaps)
        if spot is None and (target, text, colour) in said:
            continue  # merged: an edge into the same box already says the same
        if spot is None:  # a label placed before may step aside to another clear spot
            spot = _make_room(pts, w, h, gaps, taken, moves)
        if spot is None:  # nowhere clear: the least crowded of its spots
            spot = _least_crowded(pts, w, h, taken, gaps)
        cx, cy, rect = spot
        moves[len(taken)] = (order, pts, w, h, gaps)
        taken.append(rect)
        said.add((target, text, colour))
        out[order] = _PlacedLabel(cx, cy, rect, text, colour, bold, (source, target))
    for at, (order, _pts, _w, _h, _gaps) in moves.items():  # where the steps aside went
        cx, cy = (taken[at][0] + taken[at][2]) / 2, (taken[at][1] + taken[at][3]) / 2
        out[order] = replace(out[order], cx=cx, cy=cy, rect=taken[at])
    return [out[order] for order in sorted(out)]


# a placed label that may move: its order among the labels, points, width, height, gaps
_Movable = tuple[int, Sequence[tuple[float, float]], float, float, int]


def _make_room(pts: Sequence[tuple[float, float]], w: float, h: float, gaps: int,
               taken: list[_Rect], moves: dict[int, _Movable]
               ) -> tuple[float, float, _Rect] | None:
    """A clear spot for a label whose every spot is taken, found by moving the one label
    in the way of one of its spots to another clear spot of that label's own edge (the
    labels' list ``taken`` is updated in place); None if no single move makes room."""
    for cx, cy in [*_label_spots(pts, gaps), *_beside_spots(pts, h, gaps)]:
        rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        blockers = [i for i, other in enumerate(taken) if _overlaps(rect, other)]
        if len(blockers) != 1 or blockers[0] not in moves:
            continue
        at = blockers[0]
        _order, bpts, bw, bh, bgaps = moves[at]
        rest = [r for i, r in enumerate(taken) if i != at] + [rect]
        moved = _label_spot(bpts, bw, bh, rest, bgaps)
        if moved is not None:
            taken[at] = moved[2]
            return cx, cy, rect
    return None


def _gap_count(pts: Sequence[tuple[float, float]], trunk: bool) -> int:
    """How many gaps between ranks an edge's label may sit in (a trunk's later gaps are
    shared with other edges, so only its first)."""
    return 1 if trunk else (len(pts) - 2) // 2


def _least_crowded(pts: Sequence[tuple[float, float]], w: float, h: float,
                   taken: Sequence[_Rect], own_gaps: int) -> tuple[float, float, _Rect]:
    def covered(spot: tuple[float, float]) -> float:
        cx, cy = spot
        r = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        return sum(max(0.0, min(r[2], o[2]) - max(r[0], o[0]))
                   * max(0.0, min(r[3], o[3]) - max(r[1], o[1])) for o in taken)

    cx, cy = min(_label_spots(pts, own_gaps), key=covered)
    return cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _edge_labels(shapes: Sequence[_EdgeShape]) -> list[_Label]:
    """The labels the edges carry: the credits that count towards the target (on a route,
    the credits the route counts)."""
    return [(s.points, f"{s.counted if s.counted is not None else s.edge.stacking} cr",
             s.colour, s.counted is not None, s.edge.target, s.edge.trunk, s.edge.source)
            for s in shapes if s.edge.stacking is not None]
