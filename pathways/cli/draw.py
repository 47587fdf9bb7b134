"""Drawing commands: pathway maps, route timelines and coverage charts, to PDF, SVG or PNG.

Three commands rather than one with modes, because each takes different options:
``draw`` (a map), ``timeline`` (a route as a Gantt chart) and ``coverage`` (a
provider's qualifications by the share micro-credentials can cover). matplotlib is
imported only when a command runs.
"""

from __future__ import annotations

from typing import Any

import click

from pathways.cli.common import (
    CatalogSource,
    FiniteFloat,
    catalog_options,
    echo_json,
    id_list,
    json_option,
)
from pathways.vocabulary import MAP_STYLES


def page_options(func: Any) -> Any:
    """--page, --landscape/--portrait, --title, --subtitle and -o, shared by the commands."""
    func = click.option("-o", "--output", required=True, metavar="FILE",
                        type=click.Path(dir_okay=False),
                        help="File to write; .pdf, .svg or .png (the format follows).")(func)
    func = click.option("--subtitle", metavar="TEXT", help="Subtitle (default: a summary).")(func)
    func = click.option("--title", metavar="TEXT", help="Title (default: what is drawn).")(func)
    func = click.option("--landscape/--portrait", "landscape", default=None,
                        help="Page orientation (default: whichever suits the drawing).")(func)
    func = click.option("--page", type=click.Choice(["A5", "A4", "A3"], case_sensitive=False),
                        default="A4", show_default=True, help="Page size.")(func)
    return func


def _report(written: Any, as_json: bool) -> None:
    files = [str(f) for f in written.files]
    if as_json:
        echo_json({"files": files, "pages": written.pages})
        return
    click.echo(f"Wrote {', '.join(files)} ({written.pages} "
               f"page{'s' if written.pages != 1 else ''})")


route_options = [
    click.option("--have", "--held", "have", multiple=True, callback=id_list, metavar="ID",
                 help="A credential the learner holds (repeat, or give A,B); with --to, "
                      "marks the cheapest route."),
    click.option("--by", type=click.Choice(["fee", "hours", "credits"]),
                 help="What the route minimises (default fee)."),
]


@click.command("draw")
@catalog_options
@click.option("--to", "to", metavar="ID", help="Everything that can lead to ID.")
@click.option("--from", "from_", metavar="ID", help="Everything ID leads to.")
@click.option("--provider", metavar="ID",
              help="A provider's credentials and everything they stack into.")
@click.option("--field", "field_", metavar="FIELD",
              help="A field's credentials and everything they stack into (any case).")
@route_options[0]
@route_options[1]
@click.option("--route", "show_route", is_flag=True,
              help="With --to: mark the cheapest route even when nothing is held.")
@click.option("--fee", "show_fee", is_flag=True, help="Show each credential's fee.")
@click.option("--style", type=click.Choice(MAP_STYLES), default="map",
              show_default=True,
              help="brochure: a learner's handout (with --to): the route, or the target's "
                   "pathway, alone; the goal and the start marked; ids hidden; plain words.")
@click.option("--logo", metavar="PNG", type=click.Path(dir_okay=False),
              help="A logo image (PNG) for the top right of every page.")
@click.option("--brand", metavar="#RRGGBB", help="The route's colour (a brand colour).")
@click.option("--font", metavar="NAME|FILE",
              help="An installed font's name or a .ttf/.otf file (DejaVu Sans fills any "
                   "character it lacks; both are embedded).")
@click.option("--complexity", is_flag=True,
              help="A curriculum: each course's complexity, and its longest prerequisite "
                   "chain (the delay path) drawn.")
@page_options
@json_option
def draw_command(source: CatalogSource, to: str | None, from_: str | None,
                 provider: str | None, field_: str | None, have: list[str], by: str | None,
                 show_route: bool, show_fee: bool, style: str, logo: str | None,
                 brand: str | None, font: str | None, complexity: bool, page: str,
                 landscape: bool | None, title: str | None, subtitle: str | None, output: str,
                 as_json: bool) -> None:
    """Draw a pathway map: the whole catalog or part of it, print-ready.

    Columns are NZQF levels (a curriculum's terms, else prerequisite order). With
    --to ID and --have (or --route), the learner's cheapest route is marked on the map
    and its totals are the subtitle. A map too big for a page is split by pathway: a
    multi-page PDF, or NAME-1.png, NAME-2.png… for PNG and SVG.

    --style brochure makes a learner's handout of a route (--to ID with --have or
    --route) or of everything leading to ID.

    \b
    Example:
        pathways draw --to DIP-ITS5 --have MC-CLOUD4 --page A4 --landscape -o route.pdf
        pathways draw --to DIP-ITS5 --have MC-CLOUD4 --style brochure -o handout.pdf
    """
    from pathways.drawing import MapStyle, draw_map, route_highlight, select

    if (have or by or show_route) and to is None:
        raise click.UsageError("--have, --by and --route mark a route to a target: add --to ID")
    if style == "brochure" and to is None:
        raise click.UsageError("--style brochure draws a learner's pathway to a target: "
                               "add --to ID")
    catalog = source.load()
    scope = select(catalog, to=to, from_=from_, provider=provider, field=field_)
    highlight = None
    if to is not None and (have or by or show_route):
        from pathways.routes import find_route

        route = find_route(catalog, to, held=have, by=by or "fee")
        highlight = route_highlight(route)
    look = MapStyle(style=style, logo=logo, brand=brand, font=font, complexity=complexity,
                    start=from_, goal=to if style == "brochure" else None)
    brochure = style == "brochure"
    written = draw_map(catalog, output, ids=scope.ids, page=page, landscape=landscape,
                       show_fee=show_fee, title=title or (None if brochure else scope.title),
                       subtitle=subtitle, highlight=highlight, look=look)
    _report(written, as_json)


@click.command("timeline")
@catalog_options
@click.option("--to", "to", required=True, metavar="ID", help="The target credential.")
@route_options[0]
@route_options[1]
@click.option("--hours-per-week", type=FiniteFloat(min=0, min_open=True), default=10.0,
              show_default=True, metavar="N", help="Hours of study a week.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The first day of study: the axis shows dates.")
@click.option("--dated", is_flag=True,
              help="With --start: each credential at a real intake, as `pathways plan` "
                   "plans it (the earliest finish), the catalog's terms as bands.")
@page_options
@json_option
def timeline_command(source: CatalogSource, to: str, have: list[str], by: str | None,
                     hours_per_week: float, start: Any, dated: bool, page: str,
                     landscape: bool | None, title: str | None, subtitle: str | None,
                     output: str, as_json: bool) -> None:
    """Draw the cheapest route to a credential as a timeline (a Gantt chart) in weeks.

    Steps follow one another in the route's order, each taking its study hours at
    --hours-per-week.

    \b
    Example:
        pathways timeline --to DIP-ITS5 --have MC-CLOUD4 --hours-per-week 15 -o plan.pdf
    """
    from pathways.drawing import draw_timeline
    from pathways.routes import find_route, with_schedule

    catalog = source.load()
    if dated:
        if start is None:
            raise click.UsageError("--dated needs --start DATE (the first day of study)")
        _dated_timeline(catalog, to, have, by, hours_per_week, start.date(), page, landscape,
                        title, subtitle, output, as_json)
        return
    route = with_schedule(find_route(catalog, to, held=have, by=by or "fee"), hours_per_week)
    written = draw_timeline(catalog, route, output, hours_per_week=hours_per_week, page=page,
                            landscape=landscape, title=title, subtitle=subtitle,
                            start=start.date() if start else None)
    _report(written, as_json)


def _dated_timeline(catalog: Any, to: str, have: list[str], by: str | None,
                    hours_per_week: float, start: Any, page: str, landscape: bool | None,
                    title: str | None, subtitle: str | None, output: str,
                    as_json: bool) -> None:
    """The timeline of the dated plan (:func:`pathways.plans.plan_dated`)."""
    from pathways.drawing import draw_dated_timeline
    from pathways.plans import plan_dated

    plan = plan_dated(catalog, to, start=start, held=have, by="finish" if by is None else by,
                      hours_per_week=hours_per_week)
    written = draw_dated_timeline(catalog, plan, output, page=page, landscape=landscape,
                                  title=title, subtitle=subtitle)
    _report(written, as_json)


@click.command("coverage")
@catalog_options
@click.option("--provider", required=True, metavar="ID", help="The provider to chart.")
@page_options
@json_option
def coverage_command(source: CatalogSource, provider: str, page: str, landscape: bool | None,
                     title: str | None, subtitle: str | None, output: str,
                     as_json: bool) -> None:
    """Chart how much of each of a provider's qualifications micro-credentials can cover.

    The share is of the qualification's credits that micro-credentials can have
    recognised, caps and level profiles respected (as the gap report's shortfall).

    \b
    Example:
        pathways coverage --provider rawhiti -o coverage.png
    """
    from pathways.drawing import draw_coverage

    catalog = source.load()
    written = draw_coverage(catalog, provider, output, page=page, landscape=landscape,
                          title=title, subtitle=subtitle)
    _report(written, as_json)
