"""A sheet of paper as matplotlib axes in points: figures reused page after page, the
title, subtitle and footer."""

from __future__ import annotations

from typing import Any

from pathways.drawing.style import INK, MUTED, _Page
from pathways.drawing.text import _LAYERS, _measure, _text


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
    lines = m.wrap(title, page.title, page.heading_width, "bold")
    if len(lines) > 2:
        lines = [lines[0], m.fit(" ".join(lines[1:]), page.title, page.heading_width, "bold")]
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
    for line in m.wrap(subtitle, page.subtitle, page.heading_width) if subtitle else []:
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
    sub = len(m.wrap(subtitle, page.subtitle, page.heading_width)) if subtitle else 0
    return len(_title_lines(page, title)) * page.title * 1.25 + page.title * 0.05 \
        + sub * page.subtitle * 1.35
