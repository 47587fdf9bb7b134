"""The term-plan mode of ``pathways plan``: every course of a curriculum (or of a
programme's cheapest route) in a term, by fewest terms or ``--balance``.

``pathways/cli/plan.py`` owns the command and dispatches here (see :func:`wants_terms`);
this module adds the term options (:func:`term_options`) and does the work through
:func:`pathways.plans.termplan.plan_terms`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from pathways.cli.common import FiniteFloat, echo_json, fmt_number, render_table

__all__ = ["term_options", "wants_terms", "run_term_plan", "TERM_OPTION_NAMES"]

F = TypeVar("F", bound=Callable[..., Any])

#: The keyword names of the options only term mode has: any of them asks for it.
TERM_OPTION_NAMES = ("terms", "min_credits_per_term", "min_courses_per_term",
                     "max_courses_per_term", "balance")


def term_options(func: F) -> F:
    """Add the term-mode options (``--max-credits-per-term`` and ``--time-limit`` belong
    to ``plan`` itself: both modes use them)."""
    options = [
        click.option("--terms", type=click.IntRange(1, 200), metavar="N",
                     help="Term plan: at most N terms (with --balance: exactly N)."),
        click.option("--min-credits-per-term", type=FiniteFloat(min=0), metavar="N",
                     help="Term plan: at least N credits in each term in use."),
        click.option("--min-courses-per-term", type=click.IntRange(min=0), metavar="N",
                     help="Term plan: at least N courses in each term in use."),
        click.option("--max-courses-per-term", type=click.IntRange(min=1), metavar="N",
                     help="Term plan: at most N courses in a term."),
        click.option("--balance", is_flag=True,
                     help="Term plan: the smallest largest term load (BACP) instead of "
                          "the fewest terms."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def wants_terms(catalog: Any, target: str | None, options: dict[str, Any]) -> bool:
    """Term mode: a term option is given, or there is no target and the catalog is a
    curriculum (CurricularAnalytics: its ``system_type`` is set, or every credential is
    a course)."""
    if any(options.get(name) not in (None, False) for name in TERM_OPTION_NAMES):
        return True
    if target is not None:
        return False
    return catalog.system_type is not None or (
        len(catalog) > 0 and all(c.kind == "course" for c in catalog))


def run_term_plan(catalog: Any, *, target: str | None, held: list[str], by: str,
                  terms: int | None, min_credits_per_term: float | None,
                  max_credits_per_term: float | None, min_courses_per_term: int | None,
                  max_courses_per_term: int | None, balance: bool, start: str | None,
                  time_limit: float | None, as_json: bool, output: str | None,
                  rpl: tuple[str, ...] = ()) -> None:
    """Plan, then print the table or the JSON (and draw the term map to ``output``).
    ``rpl`` holds ``--rpl ID=CREDITS`` grants for a route's term plan."""
    from pathways.cli.route import _rpl_grants
    from pathways.plans.termplan import plan_terms

    schedule = plan_terms(
        catalog, target=target, held=held, by=by, terms=terms, rpl=_rpl_grants(rpl) or None,
        min_credits=min_credits_per_term or 0, max_credits=max_credits_per_term,
        min_courses=min_courses_per_term or 0, max_courses=max_courses_per_term,
        balance=balance, start=start, time_limit=time_limit)
    plan = schedule.plan
    if not plan.optimal:
        best = "largest term load" if plan.objective == "balance" else "terms"
        bound = "unknown" if plan.bound is None else fmt_number(plan.bound)
        click.echo(f"warning: time limit reached: the best plan found has {best} "
                   f"{fmt_number(plan.value)}; the optimum is at least {bound} "
                   "(give a longer --time-limit to prove it)", err=True)
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
            f"{_count(sum(len(ids) for ids in plan.terms), 'course')}, largest term load "
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


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
