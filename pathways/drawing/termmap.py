"""A term plan drawn as a curriculum map with a column per term.

The planned courses go through :func:`pathways.drawing.maps.draw_map` (the one map
drawer: boxes, requisite and counting edges, pages, legend) in its ``term`` columns:
each course's ``term`` is its term in the plan and its level is left off, so the columns
are the plan's terms rather than levels: headed by their calendar names and years ("S1
2027", "S2 2027", …) when the plan has dates, else "Term 1", "Term 2", …. The subtitle
names the first term's start and the finish. Held credentials and awards with nothing to
study are not placed, so they are not drawn.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from pathways.catalog import Catalog

if TYPE_CHECKING:
    from pathways.drawing.output import Written
    from pathways.plans.termplan import TermSchedule

__all__ = ["draw_term_map", "term_catalog", "term_names"]


def term_catalog(catalog: Catalog, schedule: TermSchedule) -> Catalog:
    """The planned courses alone, each with its plan term (1-based) as ``term``."""
    term_of = {cid: t + 1 for t, ids in enumerate(schedule.plan.terms) for cid in ids}
    sub = catalog.subset(term_of)
    creds = [replace(c, term=term_of[c.id], level=None, level_profile=())
             for c in sub.credentials]
    return replace(sub, credentials=creds, framework="generic")


def term_names(schedule: TermSchedule) -> tuple[str, ...]:
    """The column headings of the plan's terms: the calendar's name and the year each
    starts in ("S1 2027") when the terms have dates; none (so "Term 1", …) otherwise."""
    slots = schedule.slots[:len(schedule.plan.terms)]
    if not slots or not all(s.start for s in slots):
        return ()
    return tuple(f"{s.term} {str(s.start)[:4]}" for s in slots)


def _subtitle(schedule: TermSchedule) -> str:
    plan = schedule.plan
    n = len(plan.terms)
    goal = "balanced" if plan.objective == "balance" else "fewest terms"
    words = (f"{n} term{'' if n == 1 else 's'} ({goal}), largest term load "
             f"{plan.max_load:g} credits")
    dated = [s for s in schedule.slots[:n] if s.start]
    if dated:
        words += f"; from {dated[0].start}, finish {schedule.finish}"
    return words


def draw_term_map(catalog: Catalog, schedule: TermSchedule, output: str | os.PathLike[str],
                  *, page: str = "A4", title: str | None = None) -> Written:
    """Draw ``schedule``'s courses in columns by term to ``output`` (.pdf, .svg, .png)."""
    from pathways.drawing.maps import MapStyle, draw_map

    if title is None:
        name = catalog.name or "the curriculum"
        if schedule.target is not None:
            name = catalog.index()[schedule.target].title
        title = f"Term plan: {name}"
    return draw_map(term_catalog(catalog, schedule), output, page=page, title=title,
                    subtitle=_subtitle(schedule), look=MapStyle(term_names=term_names(schedule)))
