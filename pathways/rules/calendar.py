"""Calendar rules (issue 12): terms with real dates that end after they start, intakes
that are dates, known term names or "any-week", and durations of a sensible length."""

from __future__ import annotations

from collections.abc import Iterator

from pathways.calendar import intake_problem, term_problem, unknown_terms
from pathways.catalog import Term
from pathways.errors import Problem
from pathways.rules.context import _Context, _err

#: The longest duration a credential may have: ten years of weeks.
MAX_DURATION_WEEKS = 520


def _terms(where: str, whose: str, calendar: tuple[Term, ...]) -> Iterator[Problem]:
    for t in calendar:
        message = term_problem(t)
        if message:
            yield _err(where, f"{whose} calendar: {message}")


def _calendars(ctx: _Context) -> Iterator[Problem]:
    """Every term of the catalog's and each provider's calendar is usable."""
    yield from _terms(ctx.at(None), "the catalog's", ctx.catalog.calendar)
    for p in ctx.catalog.providers:
        yield from _terms(ctx.at(p.source, "calendar"), f"provider {p.id}'s", p.calendar)


def _intakes(ctx: _Context) -> Iterator[Problem]:
    """Each intake is a date, "any-week" or a term of the provider's or the catalog's
    calendar; a duration is more than 0 and at most :data:`MAX_DURATION_WEEKS` weeks."""
    providers = ctx.catalog.provider_index()
    for c in ctx.catalog.credentials:
        if c.duration_weeks is not None and not 0 < c.duration_weeks <= MAX_DURATION_WEEKS:
            yield _err(ctx.at(c.source, "duration_weeks"),
                       f"{c.id}: duration_weeks {c.duration_weeks:g} must be more than 0 and "
                       f"at most {MAX_DURATION_WEEKS}; give its length in weeks")
        if not c.intakes:
            continue
        where = ctx.at(c.source, "intakes")
        for intake in c.intakes:
            message = intake_problem(intake)
            if message:
                yield _err(where, f"{c.id} intakes: {message}")
        provider = providers.get(c.provider) if c.provider else None
        own = provider.calendar if provider is not None else ()
        for name in unknown_terms(c, own, ctx.catalog.calendar):
            if intake_problem(name):
                continue
            if provider is not None:
                said = f"the calendar of provider {provider.id} or the catalog's"
            else:
                said = "the catalog's calendar"
            yield _err(where, f'{c.id} intakes: no term "{name}" in {said}; add it to a '
                              'calendar or correct the name')
