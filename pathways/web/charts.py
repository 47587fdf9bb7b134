"""Small SVG charts drawn on the server, inline in the page: the fee-versus-hours
trade-off, a route's timeline and a provider's coverage. Every text is escaped; colours
are attributes (the Content-Security-Policy allows no inline styles); each chart has a
title and a description, and the page shows the same figures as a table."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

INK = "#1a1a1a"
GRID = "#6b6b6b"
BLUE = "#0b5394"  # 7.9:1 on white
ORANGE = "#a34700"  # 5.6:1 on white
PALE = "#d9e6f2"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high``."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(high / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _columns(ticks: Sequence[tuple[float, str]], top: float, bottom: float) -> list[str]:
    """Vertical grid lines at ``x`` with their labels below ``bottom``."""
    out = []
    for x, label in ticks:
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" '
                   f'stroke="{PALE}"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" '
                   f'font-size="12" fill="{INK}">{_e(label)}</text>')
    return out


def _svg(width: int, height: int, title: str, desc: str, body: list[str], cid: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{cid}-t {cid}-d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{cid}-t">{_e(title)}</title><desc id="{cid}-d">{_e(desc)}</desc>'
            + "".join(body) + "</svg>")


def tradeoff_chart(routes: Sequence[Any], chosen: Any = None) -> str:
    """Fee (up) against hours (across), one numbered point a route; the chosen one in orange."""
    w, h, left, right, top, bottom = 560, 300, 78, 20, 16, 48
    fees = [r.fee for r in routes]
    hours = [r.hours for r in routes]
    yt = _ticks(max(fees) * 1.05 if fees else 1)
    xt = _ticks(max(hours) * 1.05 if hours else 1)

    def x(v: float) -> float:
        return left + (w - left - right) * v / xt[-1]

    def y(v: float) -> float:
        return h - bottom - (h - top - bottom) * v / yt[-1]

    body = []
    for t in yt:
        body.append(f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                    f'stroke="{PALE}"/>')
        body.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" '
                    f'font-size="12" fill="{INK}">${_num(t)}</text>')
    for t in xt:
        body.append(f'<text x="{x(t):.1f}" y="{h - bottom + 18}" text-anchor="middle" '
                    f'font-size="12" fill="{INK}">{_num(t)}</text>')
    body.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" '
                f'stroke="{GRID}"/>')
    body.append(f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" '
                f'stroke="{GRID}"/>')
    body.append(f'<text x="{(left + w - right) / 2}" y="{h - 8}" text-anchor="middle" '
                f'font-size="13" fill="{INK}">hours of study</text>')
    body.append(f'<text x="16" y="{(top + h - bottom) / 2}" text-anchor="middle" '
                f'font-size="13" fill="{INK}" transform="rotate(-90 16 '
                f'{(top + h - bottom) / 2})">fee (NZD)</text>')
    pts = sorted(routes, key=lambda r: r.hours)
    if len(pts) > 1:
        path = " ".join(f"{x(r.hours):.1f},{y(r.fee):.1f}" for r in pts)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" '
                    f'stroke-dasharray="4 3"/>')
    for i, r in enumerate(routes, 1):
        mine = chosen is not None and r.credentials == chosen.credentials
        colour = ORANGE if mine else BLUE
        body.append(f'<circle cx="{x(r.hours):.1f}" cy="{y(r.fee):.1f}" r="7" '
                    f'fill="{colour}"/>')
        body.append(f'<text x="{x(r.hours) + 10:.1f}" y="{y(r.fee) - 8:.1f}" '
                    f'font-size="13" font-weight="bold" fill="{INK}">{i}</text>')
    desc = "; ".join(f"option {i}: ${_num(r.fee)}, {_num(r.hours)} hours"
                     for i, r in enumerate(routes, 1))
    return _svg(w, h, "Fee against hours of study for each trade-off", desc, body, "tradeoff")


def timeline_chart(route: Any, hours_per_week: float) -> str:
    """One bar a step, from its start week to its end week."""
    steps = list(route.steps)
    label_w, row, top, w = 150, 30, 10, 560
    end = max((s.end_week or 0) for s in steps) if steps else 1
    xt = _ticks(end or 1, 6)
    h = top + row * len(steps) + 44

    def x(v: float) -> float:
        return label_w + (w - label_w - 16) * v / xt[-1]

    body = _columns([(x(t), _num(t)) for t in xt], top, top + row * len(steps))
    for i, s in enumerate(steps):
        y0 = top + i * row
        a, b = s.start_week or 0.0, s.end_week or 0.0
        colour = ORANGE if s.reason == "target" else BLUE
        body.append(f'<text x="{label_w - 8}" y="{y0 + 19}" text-anchor="end" '
                    f'font-size="12" fill="{INK}">{_e(s.id)}</text>')
        body.append(f'<rect x="{x(a):.1f}" y="{y0 + 6}" width="{max(x(b) - x(a), 2):.1f}" '
                    f'height="{row - 12}" fill="{colour}"/>')
    body.append(f'<text x="{(label_w + w) / 2}" y="{h - 6}" text-anchor="middle" '
                f'font-size="13" fill="{INK}">weeks at {_num(hours_per_week)} hours a '
                'week</text>')
    desc = "; ".join(f"{s.id}: weeks {_num(s.start_week or 0)} to {_num(s.end_week or 0)}"
                     for s in steps)
    return _svg(w, h, "The route as a timeline", desc, body, "timeline")


def coverage_chart(rows: Sequence[tuple[Any, float]], threshold: float) -> str:
    """One bar a qualification: the share of its credits micro-credentials can cover."""
    label_w, row, top, w = 150, 28, 10, 560
    h = top + row * max(len(rows), 1) + 44

    def x(v: float) -> float:
        return label_w + (w - label_w - 50) * v

    body = _columns([(x(t), f"{t:.0%}") for t in (0, 0.25, 0.5, 0.75, 1.0)], top,
                    top + row * len(rows))
    for i, (q, share) in enumerate(rows):
        y0 = top + i * row
        colour = ORANGE if share < threshold else BLUE
        body.append(f'<text x="{label_w - 8}" y="{y0 + 18}" text-anchor="end" '
                    f'font-size="12" fill="{INK}">{_e(q.id)}</text>')
        body.append(f'<rect x="{x(0):.1f}" y="{y0 + 5}" width="{max(x(share) - x(0), 1):.1f}" '
                    f'height="{row - 10}" fill="{colour}"/>')
        body.append(f'<text x="{x(share) + 4:.1f}" y="{y0 + 18}" font-size="12" '
                    f'fill="{INK}">{share:.0%}</text>')
    body.append(f'<line x1="{x(threshold):.1f}" x2="{x(threshold):.1f}" y1="{top}" '
                f'y2="{top + row * len(rows)}" stroke="{INK}" stroke-dasharray="5 3"/>')
    body.append(f'<text x="{(label_w + w) / 2}" y="{h - 6}" text-anchor="middle" '
                f'font-size="13" fill="{INK}">share of credits micro-credentials can cover</text>')
    desc = "; ".join(f"{q.id}: {share:.0%}" for q, share in rows)
    return _svg(w, h, "Coverage of each qualification by micro-credentials", desc, body,
                "coverage")
