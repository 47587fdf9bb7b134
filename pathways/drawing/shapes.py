"""The shapes of a map: boxes by kind, edge curves and arrowheads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pathways.drawing.style import KindStyle


def _kind_patch(x: float, y: float, w: float, h: float, style: KindStyle, *,
                fill: str | None = None, edge: str | None = None, lw: float | None = None,
                hatch: str | None = None, zorder: float = 4,
                rounded: bool | None = None, linestyle: Any = None) -> Any:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    common: dict[str, Any] = {
        "facecolor": fill or style.fill, "edgecolor": edge or style.edge,
        "linewidth": style.linewidth if lw is None else lw, "zorder": zorder,
        "joinstyle": "miter", "hatch": hatch, "linestyle": linestyle or "solid"}
    if style.rounded if rounded is None else rounded:
        return FancyBboxPatch((x, y), w, h, **common,
                              boxstyle=f"round,pad=0,rounding_size={min(6.0, h / 3)}")
    return Rectangle((x, y), w, h, **common)


def _bezier(p0: tuple[float, float], p1: tuple[float, float], t: float) -> tuple[float, float]:
    """A point on the S-curve from p0 to p1 (horizontal tangents at both ends)."""
    (x0, y0), (x1, y1) = p0, p1
    xm, u = (x0 + x1) / 2, 1 - t
    return (u**3 * x0 + 3 * u * t * xm + t**3 * x1,
            (u**3 + 3 * u * u * t) * y0 + (3 * u * t * t + t**3) * y1)


def _edge_path(points: Sequence[tuple[float, float]], shorten: float,
               direction: float = 1.0) -> Any:
    """A matplotlib Path: straight runs inside ranks, S-curves across the gaps; the end
    pulled back by ``shorten`` against ``direction`` (1: the edge runs left to right)
    to leave room for the arrowhead."""
    from matplotlib.path import Path as MplPath

    pts = list(points)
    xe, ye = pts[-1]
    pts[-1] = (xe - direction * shorten, ye)
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
