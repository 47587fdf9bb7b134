"""Charts of rows: the coverage bar chart of a provider and the timeline of a route."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pathways.catalog import Catalog, Term
from pathways.drawing.legend import _draw_legend, _LegendItem
from pathways.drawing.output import Written, _check_target, _rc, _save, output_paths
from pathways.drawing.shapes import _kind_patch
from pathways.drawing.sheet import _heading, _heading_height, _Sheets
from pathways.drawing.style import (
    BAND,
    HELD,
    INK,
    KIND_STYLES,
    MUTED,
    OKABE_ITO,
    ROUTE,
    KindStyle,
    _num,
    _Page,
    _page,
)
from pathways.drawing.text import _block, _measure, _text
from pathways.errors import PathwaysError, UnknownIdError
from pathways.numbers import grouped, money
from pathways.numbers import weeks as weeks_text

if TYPE_CHECKING:
    from pathways.routes import Route

TERM_BAND = "#eef3f8"  # a calendar term behind a dated timeline's bars


def coverage_shares(catalog: Catalog, provider: str) -> dict[str, float]:
    """Each of ``provider``'s qualifications: the share of its credits that
    micro-credentials can have recognised (:func:`pathways.gaps.micro_credential_coverage`:
    caps, level profiles and counting-once respected, through intermediate credentials)."""
    from pathways.gaps import micro_credential_coverage

    providers = catalog.provider_index()
    if provider not in providers:
        raise UnknownIdError(f"unknown provider {provider!r}; the catalog's providers: "
                             + (", ".join(sorted(providers)) or "none"),
                             what="provider", name=provider)
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
    """Rows shared out over pages; on a roomy page, rows up to twice as tall, so that the
    chart fills its sheet."""
    natural = sum(r.height for r in rows)
    if 0 < natural < room:
        k = min(room / natural, 2.0)
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


@dataclass(frozen=True)
class _Chart:
    """A chart's sheet, words and rows shared out over pages; ``drop`` is the space from
    the subtitle to the first row."""

    sheet: _Page
    title: str
    subtitle: str
    footer: str
    drop: float
    pages: list[list[_Row]]


def _render(chart: _Chart, output: str | os.PathLike[str],
            draw_rows: Callable[[Any, list[_Row], float], None]) -> Written:
    """Every page of ``chart``: heading and footer, then ``draw_rows(ax, rows, y)`` from
    ``y`` (the top of the first row) down; written to ``output``."""
    import matplotlib

    pages, sheet = chart.pages, chart.sheet
    with matplotlib.rc_context(_rc()):
        sheets = _Sheets()

        def drawn() -> Iterator[Any]:
            for number, chunk in enumerate(pages, 1):
                ax = sheets.axes(sheet)
                y = _heading(ax, sheet, chart.title, chart.subtitle, chart.footer,
                             f"Page {number} of {len(pages)}" if len(pages) > 1
                             else "") - chart.drop
                draw_rows(ax, chunk, y)
                yield ax.figure

        return _save(len(pages), drawn(), output,
                     {"title": chart.title, "subject": chart.subtitle})


def _row_band(ax: Any, sheet: _Page, y: float, row: _Row, k: int) -> None:
    """Every other row on a light band."""
    from matplotlib.patches import Rectangle

    if k % 2:
        ax.add_artist(Rectangle((sheet.margin, y - row.height), sheet.inner_width, row.height,
                                facecolor=BAND, edgecolor="none", zorder=-1))


def _source(catalog: Catalog) -> str:
    return Path(catalog.source).name if catalog.source else "catalog"


def draw_coverage(catalog: Catalog, provider: str, output: str | os.PathLike[str], *,
                  shares: Mapping[str, float] | None = None, page: str = "A4",
                  landscape: bool | None = None, title: str | None = None,
                  subtitle: str | None = None) -> Written:
    """A bar chart of how much of each of a provider's qualifications micro-credentials
    can cover (largest share first), with each qualification's cap on recognised credit
    marked."""
    output_paths(output, 1)
    _check_target(output)
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
        - 40 - sheet.legend * 2.4 - sheet.footer * 2.4
    chart = _Chart(sheet, title, subtitle, f"Source: {_source(catalog)}", 24,
                   _paged(rows, room))
    m = _measure()
    x0 = sheet.margin + label_w + 12
    bar_w = sheet.width - sheet.margin - x0 - m.width("100%  (360 of 360 cr)", size) - 10

    def draw_rows(ax: Any, chunk: list[_Row], y: float) -> None:
        from matplotlib.patches import Rectangle

        bottom = y - sum(r.height for r in chunk)
        for pct in (0, 25, 50, 75, 100):
            xx = x0 + bar_w * pct / 100
            ax.plot([xx, xx], [bottom, y + 2], color="#D0D0D0", lw=0.5, zorder=0)
            _text(ax, xx, y + 4, f"{pct}%", size * 0.85, MUTED, ha="center", va="bottom")
        for k, row in enumerate(chunk):
            c, share = index[row.id], shares[row.id]
            _row_band(ax, sheet, y, row, k)
            _row_label(ax, row, sheet.margin, y, size)
            yc, bh = y - row.height / 2, min(row.height * 0.45, 13.0)
            ax.add_artist(Rectangle((x0, yc - bh / 2), bar_w, bh, facecolor="white",
                                    edgecolor="#9A9A9A", linewidth=0.6, zorder=1))
            ax.add_artist(Rectangle((x0, yc - bh / 2), bar_w * share, bh,
                                    facecolor=OKABE_ITO["blue"], edgecolor="none", zorder=2))
            cap = c.effective_max_recognised / c.credits
            if cap < 1:
                ax.plot([x0 + bar_w * cap] * 2, [yc - bh * 0.85, yc + bh * 0.85],
                        color=ROUTE, lw=1.6, solid_capstyle="butt", zorder=3)
            covered = round(share * c.credits)
            _text(ax, x0 + bar_w + 8, yc, f"{share:.0%}  ({covered} of {c.credits} cr)", size,
                  INK, va="center")
            y -= row.height
        _coverage_legend(ax, sheet, y - 16)

    return _render(chart, output, draw_rows)


def _coverage_legend(ax: Any, sheet: _Page, ly: float) -> None:
    """The bar and the cap explained, side by side, or one under the other when the
    sheet is too narrow for both."""
    from matplotlib.patches import Rectangle

    m = _measure()
    bar_words = "credits micro-credentials can cover"
    cap_words = "the most credit the qualification accepts from elsewhere"
    ax.add_artist(Rectangle((sheet.margin, ly - 4), 16, 8, facecolor=OKABE_ITO["blue"],
                            edgecolor="none"))
    _text(ax, sheet.margin + 21, ly, bar_words, sheet.legend, INK, va="center")
    lx = sheet.margin + 21 + m.width(bar_words, sheet.legend) + 20
    if lx + 6 + m.width(cap_words, sheet.legend) > sheet.width - sheet.margin:
        lx, ly = sheet.margin + 8, ly - sheet.legend * 2.4
    ax.plot([lx, lx], [ly - 6, ly + 6], color=ROUTE, lw=1.6, solid_capstyle="butt")
    _text(ax, lx + 6 if lx > sheet.margin + 8 else sheet.margin + 21, ly, cap_words,
          sheet.legend, INK, va="center")


def _route_weeks(route: Route) -> dict[str, tuple[float, float]]:
    """Each step's start and end week (the route must be scheduled)."""
    if not route.steps:
        raise PathwaysError(f"nothing to put on a timeline: {route.target} is held already")
    weeks: dict[str, tuple[float, float]] = {}
    for s in route.steps:
        if s.start_week is None or s.end_week is None:
            raise PathwaysError("the route has no weeks: schedule it with "
                                "pathways.routes.with_schedule first")
        weeks[s.id] = (float(s.start_week), float(s.end_week))
    return weeks


def _week_span(first: float, last: float) -> str:
    """The weeks a step takes from the start of study, whole: from 36.7 to 78 reads
    "weeks 36–78" (the axis counts weeks from 0)."""
    a, b = math.floor(first), max(math.ceil(last), math.floor(first) + 1)
    return f"weeks {grouped(a)}–{grouped(b)}"


def _money(value: float) -> str:
    """Whole dollars on a drawing: $21,640 (not $21,639.5)."""
    return money(round(value))


def draw_timeline(catalog: Catalog, route: Route, output: str | os.PathLike[str], *,
                  hours_per_week: float, page: str = "A4", landscape: bool | None = None,
                  title: str | None = None, subtitle: str | None = None,
                  start: dt.date | None = None, terms: Sequence[Term] = (),
                  order: str = "steps one after another") -> Written:
    """A Gantt chart of a scheduled route (:func:`pathways.routes.with_schedule`, or a
    dated plan's): one bar per step from its start week to its end week, years marked;
    credentials held come first, marked as done. With ``start`` (the first day of study),
    the axis shows dates, and ``terms`` (a calendar) are drawn as shaded bands behind the
    bars, each named. ``order`` says in the footer how the steps were placed."""
    output_paths(output, 1)
    _check_target(output)
    weeks = _route_weeks(route)
    steps = list(route.steps)
    index = catalog.index()
    sheet = _page(page, True if landscape is None else landscape)
    end = max(last for _first, last in weeks.values())
    target = index[route.target].title if route.target in index else route.target
    title = title if title is not None else f"Timeline to {target}"
    if subtitle is None:
        subtitle = _timeline_subtitle(route, hours_per_week, end, start)
    size = sheet.legend + 0.5
    label_w = min(sheet.inner_width * 0.32, 210.0)
    held = [h for h in sorted(route.held) if h in index]
    details = {s.id: f"{s.id} · {s.credits_studied} cr to study · {_money(s.fee)}"
               for s in steps}
    details.update({h: f"{h} · held already" for h in held})
    rows = _chart_rows(catalog, [*held, *(s.id for s in steps)], details, size, label_w - 18)
    room = sheet.height - 2 * sheet.margin - _heading_height(sheet, title, subtitle) - 34 \
        - sheet.legend * 2.6 - sheet.footer * 2.4
    axis = f"dates from {start.isoformat()}" if start else "weeks from the start of study"
    chart = _Chart(sheet, title, subtitle, f"Source: {_source(catalog)} · {axis}, {order}",
                   28, _paged(rows, room))
    number_of = {s.id: i + 1 for i, s in enumerate(steps)}
    kinds = [k for k in KIND_STYLES if any(index[c].kind == k for c in (*held, *weeks))]
    x0 = sheet.margin + label_w + 10
    # Room on the right for the last bar's weeks, so that nothing is cut at the edge.
    width = sheet.width - sheet.margin - x0 - 6
    m = _measure()

    def wx(week: float) -> float:
        return x0 + width * week / max(end, 1e-9)

    def draw_rows(ax: Any, chunk: list[_Row], y: float) -> None:
        from matplotlib.patches import Circle

        _week_grid(ax, wx, end, y, y - sum(r.height for r in chunk), size, start)
        if start is not None and terms:
            _term_bands(ax, terms, start, end, wx, y, y - sum(r.height for r in chunk), size)
        for k, row in enumerate(chunk):
            _row_band(ax, sheet, y, row, k)
            done = row.id not in weeks
            ax.add_artist(Circle((sheet.margin + 7, y - row.height / 2), 6.5,
                                 facecolor=HELD if done else ROUTE, edgecolor="none",
                                 zorder=3))
            _text(ax, sheet.margin + 7, y - row.height / 2 - 0.3,
                  "✓" if done else str(number_of[row.id]), 7, "white", weight="bold",
                  ha="center", va="center", zorder=4)
            _row_label(ax, row, sheet.margin + 18, y, size)
            yc = y - row.height / 2
            if done:
                _text(ax, x0 + 4, yc, "done: held before the route starts", size * 0.85, HELD,
                      weight="bold", va="center", zorder=3)
            else:
                first, last = weeks[row.id]
                _week_bar(ax, wx(first), wx(last), yc, min(row.height * 0.5, 20.0),
                          _week_span(first, last),
                          KIND_STYLES.get(index[row.id].kind, KIND_STYLES["course"]), size,
                          sheet.width - sheet.margin, m)
            y -= row.height
        items = [_LegendItem(k, KIND_STYLES[k].label) for k in kinds]
        if held:
            items.append(_LegendItem("held", "held already (done)"))
        _draw_legend(ax, sheet, items, False)

    return _render(chart, output, draw_rows)


def _term_bands(ax: Any, terms: Sequence[Term], start: dt.date, end: float,
                wx: Callable[[float], float], top: float, bottom: float, size: float) -> None:
    """Each term within the chart as a light band from its first to its last day, its
    name at the top."""
    from matplotlib.patches import Rectangle

    for t in terms:
        first = (dt.date.fromisoformat(t.start) - start).days / 7
        last = ((dt.date.fromisoformat(t.end) - start).days + 1) / 7
        first, last = max(first, 0.0), min(last, end)
        if last <= first:
            continue
        ax.add_patch(Rectangle((wx(first), bottom), wx(last) - wx(first), top - bottom,
                               facecolor=TERM_BAND, edgecolor="none", zorder=0.5))
        _text(ax, (wx(first) + wx(last)) / 2, top - 1.5, t.term, size * 0.7, HELD,
              ha="center", va="top", zorder=1)


def draw_dated_timeline(catalog: Catalog, plan: Any, output: str | os.PathLike[str], *,
                        page: str = "A4", landscape: bool | None = None,
                        title: str | None = None, subtitle: str | None = None) -> Written:
    """The timeline of a dated plan (:func:`pathways.plans.plan_dated`): each bar at its
    dates, the catalog's terms as shaded bands (as `pathways timeline --dated` draws it)."""
    from pathways.numbers import figure

    start = plan.start
    steps = {s.id: s for s in plan.route.steps}
    route = replace(plan.route, steps=tuple(
        replace(steps[d.id], start_week=(d.start - start).days / 7,
                end_week=((d.end - start).days + 1) / 7) for d in plan.steps))
    hours = plan.hours_per_week if plan.hours_per_week is not None else 168.0
    if subtitle is None:
        goal = "earliest finish" if plan.objective == "finish" else plan.objective
        load = (f"{figure(plan.hours_per_week)} hours a week at most, "
                if plan.hours_per_week is not None else "")
        subtitle = (f"Dated plan by {goal}: "
                    f"{len(plan.steps)} step{'' if len(plan.steps) == 1 else 's'} at real "
                    f"intakes, {load}{plan.start} to {plan.finish} · ${plan.route.fee:,.0f}"
                    + (f" · holding {', '.join(plan.held)}" if plan.held else ""))
    return draw_timeline(catalog, route, output, hours_per_week=hours, page=page,
                         landscape=landscape, title=title, subtitle=subtitle, start=start,
                         terms=catalog.calendar, order="each at a real intake")


def _timeline_subtitle(route: Route, hours_per_week: float, end: float,
                       start: dt.date | None) -> str:
    steps = len(route.steps)
    held = (" · holding " + ", ".join(sorted(route.held))) if route.held else ""
    when = ""
    if start is not None:
        when = f" · {_day(start)} to {_day(_date(start, end))}"
    return (f"The cheapest route by {route.objective}: {steps} "
            f"step{'s' if steps != 1 else ''} at {_num(hours_per_week)} hours a "
            f"week, {weeks_text(end)} ({end / 52:.1f} years){when} · "
            f"{_money(route.fee)} · {_num(route.credits_studied)} credits to study" + held)


def _date(start: dt.date, week: float) -> dt.date:
    """The day ``week`` weeks after ``start`` (dates beyond the calendar stay at its end)."""
    try:
        return start + dt.timedelta(days=round(week * 7))
    except OverflowError:
        return dt.date.max


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


TICKS = (1, 2, 4, 8, 13, 26, 52)


def _tick(end: float) -> int:
    """Weeks between gridlines: about 12 at most across, whole years beyond a year."""
    for t in TICKS:
        if end / t <= 12:
            return t
    return 52 * max(1, math.ceil(end / 52 / 12))


def _week_grid(ax: Any, wx: Callable[[float], float], end: float, y: float, bottom: float,
               size: float, start: dt.date | None = None) -> None:
    """Gridlines and their week numbers (or dates) every few weeks, years marked; the
    lines stop short of the row labels' column and pass behind the bars' words."""
    tick = _tick(end)
    in_years = tick >= 52 and not start  # a long route: the axis counts years
    week = 0
    m = _measure()
    last_right = -math.inf
    while week <= end + 1e-9:
        ax.plot([wx(week)] * 2, [bottom, y + 2], color="#9A9A9A" if in_years and week
                else "#D8D8D8", lw=0.5, zorder=0)
        if start:
            label = f"{_date(start, week):%b %Y}"
        else:
            label = grouped(week // 52 if in_years else week)
        w = m.width(label, size * 0.85)
        if wx(week) - w / 2 > last_right + 4:  # labels never overprint
            _text(ax, wx(week), y + 4, label, size * 0.85, MUTED, ha="center", va="bottom")
            last_right = wx(week) + w / 2
        week += tick
    if not start:
        _text(ax, wx(0) - 8, y + 4, "years" if in_years else "week", size * 0.85, MUTED,
              ha="right", va="bottom")
    if in_years:
        return
    for year in range(1, int(end // 52) + 1):  # a learner thinks in years
        ax.plot([wx(52 * year)] * 2, [bottom, y + 16], color="#9A9A9A", lw=0.7, zorder=0)
        _text(ax, wx(52 * year) + 3, y + 16, f"{year} year{'s' if year > 1 else ''}",
              size * 0.85, INK, weight="bold")


def _week_bar(ax: Any, x1: float, x2: float, yc: float, bar: float, span: str,
              style: KindStyle, size: float, right: float, m: Any) -> None:
    """A step's bar from its first week to its last (square ends when it is too short
    to round), its weeks inside it, else after it, else before it, on white."""
    from matplotlib.patches import Rectangle

    w = max(x2 - x1, 2.0)
    ax.add_artist(_kind_patch(x1, yc - bar / 2, w, bar, style, zorder=2,
                              rounded=w >= 2 * min(6.0, bar / 3)))
    tw = m.width(span, size * 0.85)
    if tw + 8 < x2 - x1:
        x, ha = (x1 + x2) / 2, "center"
        box = (x - tw / 2, x + tw / 2)
    elif x2 + 5 + tw <= right:
        x, ha = x2 + 5, "left"
        box = (x, x + tw)
    else:
        x, ha = x1 - 5, "right"
        box = (x - tw, x)
    if ha != "center":  # gridlines pass behind the words
        ax.add_artist(Rectangle((box[0] - 1.5, yc - size * 0.55), box[1] - box[0] + 3,
                                size * 1.1, facecolor="white", edgecolor="none", zorder=2.5))
    _text(ax, x, yc, span, size * 0.85, INK, ha=ha, va="center", zorder=3)
