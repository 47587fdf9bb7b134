"""The dated mode of ``pathways plan``: the best route with a start and an end date for
each credential (:func:`pathways.plans.dated.plan_dated`), or the fee/finish trade-offs
(``--pareto``)."""

from __future__ import annotations

from typing import Any

import click

from pathways.catalog import Catalog
from pathways.cli.common import CatalogSource, echo_json, fmt_number, render_table, truncate
from pathways.errors import NoRouteError

__all__ = ["run_dated_plan", "plan_lines"]

_BY_WORDS = {"finish": "earliest finish", "fee": "lowest fee", "hours": "fewest hours",
             "credits": "fewest credits to study"}


def run_dated_plan(source: CatalogSource, catalog: Catalog, options: dict[str, Any],
                   as_json: bool) -> None:
    """Plan (or the trade-offs), then print the table or the JSON."""
    from pathways.cli.route import _rpl_grants
    from pathways.plans.dated import pareto_dated, plan_dated

    target, start = options["target"], options["start"]
    if target is None or start is None:
        raise click.UsageError("a dated plan needs --to ID and --start DATE (a term plan of "
                               "a curriculum needs neither)")
    by = options["by"] or "finish"
    if options["pareto"] and options["by"] is not None:
        raise click.UsageError("--pareto shows every fee/finish trade-off, so it takes no "
                               "--by; drop one of them")
    common = dict(start=start, held=list(options["have"]), rpl=_rpl_grants(options["rpl"]),
                  hours_per_week=options["hours_per_week"],
                  max_credits_per_term=options["max_credits_per_term"],
                  finish_by=options["finish_by"], time_limit=options["time_limit"])
    try:
        if options["pareto"]:
            plans = pareto_dated(catalog, target, **common)
        else:
            plans = [plan_dated(catalog, target, by=by, **common)]
    except NoRouteError as e:
        if as_json:
            echo_json({"feasible": False, "target": target, "reason": str(e)})
            click.get_current_context().exit(1)
        raise
    if as_json:
        dicts = [p.to_dict() for p in plans]
        echo_json({"plans": dicts} if options["pareto"] else dicts[0])
        return
    for i, plan in enumerate(plans):
        if options["pareto"]:
            click.echo(("\n" if i else "") + f"Trade-off {i + 1} of {len(plans)}")
        click.echo("\n".join(plan_lines(plan)))


def plan_lines(plan: Any) -> list[str]:
    """A dated plan as a heading, a table of its steps and what is held."""
    route = plan.route
    load = []
    if plan.hours_per_week is not None:
        load.append(f"at most {fmt_number(plan.hours_per_week)} hours a week")
    if plan.max_credits_per_term is not None:
        load.append(f"at most {fmt_number(plan.max_credits_per_term)} credits a term")
    deadline = f", finishing by {plan.finish_by}" if plan.finish_by else ""
    head = (f"Dated plan to {plan.target} by {_BY_WORDS[plan.objective]}{deadline}: "
            f"start {plan.start}, finish {plan.finish} ({fmt_number(round(plan.weeks, 1))} "
            f"weeks), {fmt_number(route.fee, money=True)}, {fmt_number(route.hours)} hours"
            + (f"; {', '.join(load)}" if load else ""))
    rows = [[i, s.id, truncate(s.title, 32), str(s.start), str(s.end), s.term or "",
             fmt_number(s.fee, money=True), fmt_number(s.hours), s.reason]
            for i, s in enumerate(plan.steps, 1)]
    lines = [head, "", render_table(
        ["#", "id", "title", "start", "end", "intake", "fee", "hours", "reason"], rows,
        align="rlllllrrl")]
    if plan.held:
        lines += ["", f"Held (done): {', '.join(plan.held)}"]
    if plan.hours_per_week is not None:
        lines += [f"Busiest week: {fmt_number(round(plan.peak_week_hours, 1))} hours"]
    return lines
