"""Calendar facts: when a credential may start and how long it runs.

A credential's ``intakes`` name when it may start: an ISO date, a term name (it starts at
that term's start; a name may repeat across years and means every occurrence), or
``"any-week"`` (self-paced: any Monday). No intakes at all means any week. A term name
resolves against the calendar of the credential's provider first, then the catalog's.

Duration (README, Reference): ``duration_weeks`` when given; else a term intake runs to
its term's end; else the credential's hours at the learner's pace (hours per week, whole
weeks rounded up), or at the full-time pace of :data:`FULL_TIME_HOURS_PER_WEEK` when the
learner gives none.

Nothing here imports more than the standard library and :mod:`pathways.catalog`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from pathways.catalog import ANY_WEEK, Catalog, Credential, Provider, Term

__all__ = [
    "ANY_WEEK", "FULL_TIME_HOURS_PER_WEEK", "Start", "intake_problem", "term_problem",
    "is_date", "day", "calendar_of", "occurrences", "unknown_terms", "intake_starts",
    "duration_weeks", "run_days", "week_count", "monday_on_or_after",
]

#: The pace of full-time study when the learner gives none: NZQA counts 120 credits
#: (1,200 hours) as a year of full-time study; 40 hours a week is that year in 30 weeks.
FULL_TIME_HOURS_PER_WEEK = 40

_DATE_LIKE = re.compile(r"[0-9]{4}-")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
INTAKE_FORM = 'an ISO date such as 2027-02-01, a term name such as "T1", or "any-week"'


def day(text: str) -> date | None:
    """``"2027-02-01"`` as a date; None for anything else."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def is_date(text: str) -> bool:
    """Whether an intake is written as a date (else a term name or "any-week")."""
    return bool(_DATE_LIKE.match(text))


def intake_problem(text: str) -> str | None:
    """None if ``text`` can be an intake, else what is wrong and how to write one."""
    if not text.strip():
        return f"an empty intake; write {INTAKE_FORM}"
    if text != text.strip():
        return f'"{text}" has spaces around it; write {INTAKE_FORM}'
    if is_date(text) and day(text) is None:
        return f'"{text}" is not a calendar date; write {INTAKE_FORM}'
    return None


def term_problem(term: Term) -> str | None:
    """None if ``term`` is a usable calendar term, else what is wrong (one line)."""
    if not term.term.strip() or term.term != term.term.strip():
        return f'term name "{term.term}" must be a word without spaces around it, e.g. "T1"'
    if is_date(term.term) or term.term == ANY_WEEK:
        return f'"{term.term}" cannot name a term (it reads as an intake date or "any-week")'
    start, end = day(term.start), day(term.end)
    for what, value, parsed in (("start", term.start, start), ("end", term.end, end)):
        if parsed is None:
            return f'term {term.term}: {what} "{value}" is not a date; write YYYY-MM-DD'
    assert start is not None and end is not None
    if end < start:
        return (f"term {term.term}: ends {term.end}, before it starts {term.start}; swap or "
                "correct the dates")
    return None


def calendar_of(catalog: Catalog, c: Credential,
                providers: dict[str, Provider] | None = None) -> tuple[Term, ...]:
    """The terms ``c``'s intakes may name: its provider's calendar, then the catalog's."""
    providers = providers if providers is not None else catalog.provider_index()
    own = providers[c.provider].calendar if c.provider in providers else ()
    return own + catalog.calendar


def occurrences(name: str, own: tuple[Term, ...], catalog: tuple[Term, ...]) -> list[Term]:
    """Every occurrence of term ``name``: the provider's (``own``) if it has the name,
    else the catalog's; sorted by start."""
    found = [t for t in own if t.term == name]
    if not found:
        found = [t for t in catalog if t.term == name]
    return sorted(found, key=lambda t: (t.start, t.end))


def unknown_terms(c: Credential, own: tuple[Term, ...], catalog: tuple[Term, ...]) -> list[str]:
    """The term names ``c``'s intakes give that neither calendar has."""
    known = {t.term for t in own} | {t.term for t in catalog}
    return [i for i in c.intakes if i != ANY_WEEK and not is_date(i) and i not in known]


@dataclass(frozen=True, order=True)
class Start:
    """A start date a credential may be taken at; ``term_end`` is the last day of the
    term it starts with (a term intake), else None."""

    day: date
    term_end: date | None = None
    term: str | None = None


def monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _mondays(first: date, last: date) -> Iterator[date]:
    d = monday_on_or_after(first)
    while d <= last:
        yield d
        d += timedelta(weeks=1)


def intake_starts(c: Credential, own: tuple[Term, ...], catalog: tuple[Term, ...],
                  first: date, last: date) -> list[Start]:
    """Every start ``c`` may take from ``first`` to ``last`` (both included), sorted, once
    each. Unknown term names and bad dates give nothing (validation reports them)."""
    found: set[Start] = set()
    for intake in c.intakes or (ANY_WEEK,):
        if intake == ANY_WEEK:
            found.update(Start(d) for d in _mondays(first, last))
        elif is_date(intake):
            d = day(intake)
            if d is not None and first <= d <= last:
                found.add(Start(d))
        else:
            for t in occurrences(intake, own, catalog):
                start, end = day(t.start), day(t.end)
                if start is not None and end is not None and first <= start <= last \
                        and end >= start:
                    found.add(Start(start, end, t.term))
    return sorted(found)


def week_count(hours: float, hours_per_week: float) -> int:
    """Whole weeks ``hours`` of study take at ``hours_per_week`` (at least 1)."""
    return max(1, math.ceil(hours / hours_per_week - 1e-9))


def duration_weeks(c: Credential, start: Start, hours_per_week: float | None) -> int:
    """How many weeks ``c`` runs when started at ``start``: its ``duration_weeks``
    (rounded up to whole weeks); else to its term's end (a term intake); else its hours
    at ``hours_per_week`` (or :data:`FULL_TIME_HOURS_PER_WEEK`)."""
    if c.duration_weeks is not None:
        return max(1, math.ceil(c.duration_weeks - 1e-9))
    if start.term_end is not None:
        return max(1, math.ceil(((start.term_end - start.day).days + 1) / 7))
    pace = hours_per_week if hours_per_week else FULL_TIME_HOURS_PER_WEEK
    return week_count(c.effective_hours, pace)


def run_days(c: Credential, start: Start, hours_per_week: float | None) -> int:
    """How many days ``c`` runs from ``start`` (at least 1): ``duration_weeks`` weeks
    (rounded up to a whole day); else to its term's last day (a term intake); else its
    hours at ``hours_per_week`` (or :data:`FULL_TIME_HOURS_PER_WEEK`) in whole weeks."""
    if c.duration_weeks is not None:
        return max(1, math.ceil(c.duration_weeks * 7 - 1e-9))
    if start.term_end is not None:
        return max(1, (start.term_end - start.day).days + 1)
    return 7 * duration_weeks(c, start, hours_per_week)
