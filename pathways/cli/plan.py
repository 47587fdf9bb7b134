"""The plan command: when a learner can start and finish each credential of a route (a
dated plan, :mod:`pathways.plans.dated`), or which term each course of a curriculum goes
in (a term plan, :mod:`pathways.cli.plan_terms`).

Which one: ``--mode terms`` or ``--mode dated`` say so outright; by default a term plan
when :func:`pathways.cli.plan_terms.wants_terms` says so (a term-plan option is given, or
no ``--to`` and the catalog is a curriculum), else a dated plan.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from pathways.cli.common import (
    CatalogSource,
    FiniteFloat,
    catalog_options,
    id_list,
    json_option,
)
from pathways.cli.plan_terms import TERM_OPTION_NAMES, term_options, wants_terms
from pathways.vocabulary import PLAN_MODES, PLAN_OBJECTIVES


def _day(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from pathways.calendar import day

    found = day(value)
    if found is None:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2027-02-01",
                                 param_hint=f"--{param.name.replace('_', '-')}"
                                 if param.name else None)
    return found


@click.command("plan")
@catalog_options
@click.option("--to", "target", metavar="ID", help="The qualification (or credential) to reach.")
@click.option("--have", "--held", "have", multiple=True, callback=id_list, metavar="ID",
              help="A credential held already (repeat, or A,B, for more).")
@click.option("--rpl", multiple=True, metavar="ID=CREDITS",
              help="Recognition of prior learning: CREDITS of ID granted (repeat for more).")
@click.option("--start", callback=_day, metavar="DATE",
              help="The first day the learner can start (YYYY-MM-DD).")
@click.option("--hours-per-week", type=FiniteFloat(min=0, min_open=True), metavar="N",
              help="The learner's study load: at most N hours in any week.")
@click.option("--max-credits-per-term", type=FiniteFloat(min=0, min_open=True), metavar="N",
              help="The learner's load: at most N credits started in any term.")
@click.option("--by", type=click.Choice(PLAN_OBJECTIVES), default=None,
              help="What to minimise: the finish date (default), or the route's fee, hours "
                   "or credits (with --finish-by).")
@click.option("--finish-by", callback=_day, metavar="DATE",
              help="Finish on or before this date (YYYY-MM-DD).")
@click.option("--pareto", is_flag=True, help="Every fee/finish trade-off worth having.")
@click.option("--mode", type=click.Choice(PLAN_MODES), default="auto",
              show_default=True, help="A dated plan or a term plan (auto: see above).")
@term_options
@click.option("--time-limit", type=FiniteFloat(min=0, min_open=True), default=60.0,
              show_default=True, metavar="SECONDS",
              help="Stop searching after this long (showing the best plan found).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Term plan: also draw the term map to FILE (.pdf, .svg or .png).")
@json_option
def plan_command(source: CatalogSource, as_json: bool, **options: Any) -> None:
    """When the learner can start and finish each credential of the best route.

    A dated plan gives each credential of the route a start at a real intake and an end,
    keeping entry requirements (held before starting), counting (a credential counted
    into another completed first) and the learner's load; the route is chosen with the
    dates. A curriculum (or any term option) gets a term plan instead: each course in a
    term, the fewest terms or --balance (the smallest largest term load), exactly.

    \b
    Example:
        pathways plan --to DIP-ITS5 --start 2027-02-01 --hours-per-week 15
        pathways plan --to DIP-ITS5 --start 2027-02-01 --hours-per-week 15 \\
            --by fee --finish-by 2028-12-31
        pathways plan --catalog curriculum.csv --terms 8 --balance \\
            --max-credits-per-term 18 -o plan.pdf
    """
    catalog = source.load()
    if _term_mode(catalog, options):
        from pathways.cli.plan_terms import run_term_plan

        start = options["start"]
        run_term_plan(
            catalog, target=options["target"], held=list(options["have"]),
            by=options["by"] if options["by"] not in (None, "finish") else "fee",
            terms=options["terms"], min_credits_per_term=options["min_credits_per_term"],
            max_credits_per_term=options["max_credits_per_term"],
            min_courses_per_term=options["min_courses_per_term"],
            max_courses_per_term=options["max_courses_per_term"], balance=options["balance"],
            start=start.isoformat() if start is not None else None,
            time_limit=options["time_limit"], as_json=as_json, output=options["output"],
            rpl=tuple(options["rpl"]))
        return
    if options["output"] is not None:
        raise click.UsageError("--output draws a term plan; draw a dated plan with "
                               "`pathways timeline --start DATE`")
    from pathways.cli.plan_dated import run_dated_plan

    run_dated_plan(source, catalog, options, as_json)


def _term_mode(catalog: object, options: dict[str, Any]) -> bool:
    """Whether to make a term plan (see the module docstring)."""
    if options["mode"] != "auto":
        return bool(options["mode"] == "terms")
    return wants_terms(catalog, options["target"], options)


assert TERM_OPTION_NAMES  # (the names wants_terms looks at are options of this command)
