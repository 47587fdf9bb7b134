"""The term-plan mode of ``pathways plan``: every course of a curriculum (or of a
programme's cheapest route) in a term, by fewest terms or ``--balance``.

``pathways/cli/plan.py`` owns the command, declares every option and dispatches here
(term mode with ``--mode terms``, any term option, or a curriculum); this module does
the work through :func:`pathways.plans.termplan.plan_terms`.
"""

from __future__ import annotations

from typing import Any

import click

from pathways.cli.common import echo_json, fmt_number, render_table

__all__ = ["run_term_plan", "term_lines"]


def run_term_plan(catalog: Any, options: dict[str, Any], as_json: bool) -> None:
    """Plan, then print the table or the JSON (and with ``output``, draw the term map).

    ``options`` holds ``plan``'s options by their Python names."""
    from pathways.cli.route import _rpl_grants
    from pathways.plans.termplan import plan_terms

    start = options.get("start")
    by = options.get("by")
    schedule = plan_terms(
        catalog, target=options.get("target"), held=options.get("have") or (),
        by="fee" if by in (None, "finish") else by, terms=options.get("terms"),
        rpl=_rpl_grants(tuple(options.get("rpl") or ())) or None,
        min_credits=options.get("min_credits_per_term") or 0,
        max_credits=options.get("max_credits_per_term"),
        min_courses=options.get("min_courses_per_term") or 0,
        max_courses=options.get("max_courses_per_term"),
        balance=bool(options.get("balance")),
        start=None if start is None else str(start), time_limit=options.get("time_limit"))
    plan = schedule.plan
    if not plan.optimal:
        best = "largest term load" if plan.objective == "balance" else "terms"
        bound = "unknown" if plan.bound is None else fmt_number(plan.bound)
        click.echo(f"warning: time limit reached: the best plan found has {best} "
                   f"{fmt_number(plan.value)}; the optimum is at least {bound} "
                   "(give a longer --time-limit to prove it)", err=True)
    output = options.get("output")
    if output is not None:
        from pathways.drawing.termmap import draw_term_map

        written = draw_term_map(catalog, schedule, output)
        for path in written.files:
            click.echo(f"Wrote {path}", err=True)
    if as_json:
        echo_json(schedule.to_dict())
        return
    click.echo("\n".join(term_lines(catalog, schedule)))


def term_lines(catalog: Any, schedule: Any) -> list[str]:
    """The term plan as a heading, a table and the finish line."""
    plan = schedule.plan
    what = catalog.name or "the curriculum"
    if schedule.target is not None:
        what = f"the cheapest route to {schedule.target}"
    goal = ("balanced: the smallest largest term load" if plan.objective == "balance"
            else "the fewest terms")
    head = (f"Term plan of {what} ({goal}): {len(plan.terms)} term"
            f"{'' if len(plan.terms) == 1 else 's'}, "
            f"{sum(len(ids) for ids in plan.terms)} courses, largest term load "
            f"{fmt_number(plan.max_load)} credits" + ("" if plan.optimal else " (not proven best)"))
    rows = []
    for slot, ids, credits in zip(schedule.slots, plan.terms, plan.credits, strict=False):
        rows.append([slot.term, slot.start or "–", slot.end or "–", fmt_number(credits),
                     len(ids), ", ".join(ids)])
    lines = [head, "", render_table(["term", "start", "end", "credits", "courses", "steps"],
                                    rows, align="lllrrl")]
    if schedule.finish is not None:
        lines += ["", f"Finish: {schedule.finish}"]
    return lines
