"""A catalog's term plan: which courses, which terms, and the answer's JSON shape.

What is planned (README, Reference):

- a curriculum (no target): every credential of the catalog not held — a
  CurricularAnalytics curriculum requires all its courses;
- a composed programme or any target: the credentials of its cheapest route (by the
  route objective given), each with the credits it leaves to study. A step with nothing
  to study (a programme with no study of its own, a credential wholly recognised) is
  not placed: it is awarded when what counts into it is done, so a requirement naming
  it is met once its own planned sources are. A credential counted into another is
  done in the same term or an earlier one.

Held credentials meet the requirements that name them. The terms are numbered 1, 2, …
without dates, or, when the catalog has a calendar (else the one provider calendar of
the planned courses), its terms from ``start`` (default: its first term) with their
dates; a course with intakes is then placed only in a term in which one of its intakes
falls (a term name: any occurrence of that term; a date: the term containing it;
"any-week": any). Without a calendar intakes are not matched (no term has dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.plans.terms import (
    MAX_TERMS,
    NoTermPlanError,
    TermCourse,
    TermLimits,
    TermPlan,
    solve_terms,
)

__all__ = ["Slot", "TermSchedule", "plan_terms", "term_courses", "term_slots"]


@dataclass(frozen=True)
class Slot:
    """A term a plan may use: its name ("T1", or "1" without a calendar) and dates."""

    term: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class TermSchedule:
    """A term plan of a catalog: the plan, its terms, and what it was asked for."""

    plan: TermPlan
    slots: tuple[Slot, ...]
    target: str | None = None
    held: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # (id, title) of every planned course

    @property
    def finish(self) -> str | None:
        """The end of the last term in use, when the terms have dates."""
        return self.slots[len(self.plan.terms) - 1].end if self.plan.terms else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``pathways plan`` in term mode."""
        return {
            "terms": [
                {"term": slot.term, "start": slot.start, "end": slot.end,
                 "credits": credits, "steps": list(ids)}
                for slot, ids, credits in zip(self.slots, self.plan.terms, self.plan.credits,
                                              strict=False)
            ],
            "max_load": self.plan.max_load,
            "finish": self.finish,
        }


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def term_slots(catalog: Catalog, ids: Iterable[str] = (), *,
               start: str | None = None) -> tuple[Slot, ...] | None:
    """The dated terms a plan of ``ids`` may use from ``start`` (see the module), or
    None when there is no calendar to take them from."""
    calendar = catalog.calendar
    if not calendar:
        providers = catalog.provider_index()
        creds = catalog.index()
        own = {c.provider for i in ids if (c := creds.get(i)) is not None
               and c.provider in providers and providers[c.provider].calendar}
        if len(own) == 1:
            calendar = providers[own.pop()].calendar
    if not calendar:
        return None
    terms = sorted(calendar, key=lambda t: (t.start, t.term, t.end))
    if start is not None:
        terms = [t for t in terms if t.start >= start]
    return tuple(Slot(t.term, t.start, t.end) for t in terms)


def _offered(c: Credential, catalog: Catalog, slots: Sequence[Slot]) -> frozenset[int] | None:
    """The slots ``c`` may go in from its intakes; None: any (see the module)."""
    intakes = c.intakes
    if not intakes or "any-week" in intakes or not slots or slots[0].start is None:
        return None
    from pathways.calendar import calendar_of, occurrences

    own = calendar_of(catalog, c)
    local = own[:len(own) - len(catalog.calendar)] if catalog.calendar else own
    starts: list[date] = []
    for intake in intakes:
        d = _day(intake)
        if d is not None:
            starts.append(d)
        else:
            starts += [x for t in occurrences(intake, local, catalog.calendar)
                       if (x := _day(t.start)) is not None]
    return frozenset(i for i, s in enumerate(slots)
                     if any(_day(s.start or "") <= d <= _day(s.end or "")  # type: ignore[operator]
                            for d in starts))


def term_courses(catalog: Catalog, *, target: str | None = None, held: Iterable[str] = (),
                 by: str = "fee", slots: Sequence[Slot] = (),
                 rpl: Mapping[str, float] | None = None) -> list[TermCourse]:
    """The courses to place (see the module), sorted by id, with their requisites and,
    when ``slots`` have dates, the slots each is offered in."""
    held_set = frozenset(held)
    creds = catalog.index()
    for h in sorted(held_set):
        if h not in creds:
            from pathways.filters import FIND_IDS, unknown_message

            raise NoTermPlanError(unknown_message("credential", h, creds, FIND_IDS)
                                  + " (given as held)")
    if target is None:
        studied = {c.id: c.credits for c in catalog.credentials if c.id not in held_set}
        counted: dict[str, list[str]] = {}
    else:
        studied, counted = _route_courses(catalog, target, held_set, by, rpl)
    courses = []
    for cid in sorted(studied):
        c = creds[cid]
        course = _course(c, studied, counted, held_set)
        courses.append(replace(course, offered=_offered(c, catalog, slots)))
    return courses


def _route_courses(catalog: Catalog, target: str, held: frozenset[str], by: str,
                   rpl: Mapping[str, float] | None
                   ) -> tuple[dict[str, float], dict[str, list[str]]]:
    """A route's steps with credits to study, and what is counted into each step."""
    from pathways.routes import find_route

    route = find_route(catalog, target, held=held, by=by, rpl=rpl)
    studied = {s.id: s.credits_studied for s in route.steps}
    counted: dict[str, list[str]] = {}
    for s in route.steps:
        if s.counted_into is not None:
            counted.setdefault(s.counted_into, []).append(s.id)
    # A step with nothing to study is done when what counts into it is: keep its id in
    # ``counted`` (resolved by _done_by) but place only what has study.
    return ({k: v for k, v in studied.items() if v > 0},
            {k: sorted(v) for k, v in counted.items()} | {
                k: [] for k, v in studied.items() if v <= 0 and k not in counted})


def _done_by(cid: str, studied: dict[str, float], counted: dict[str, list[str]]) -> list[str]:
    """The planned courses whose completion completes ``cid`` (itself when planned; a
    step with nothing to study: the planned courses counted into it, transitively)."""
    if cid in studied:
        return [cid]
    return sorted({x for u in counted.get(cid, []) for x in _done_by(u, studied, counted)})


def _course(c: Credential, studied: dict[str, float], counted: dict[str, list[str]],
            held: frozenset[str]) -> TermCourse:
    """``c`` as a course to place: requirements met by held credentials dropped,
    requirements on a step with nothing to study resolved to its planned sources."""
    clauses: list[tuple[str, ...]] = []
    for clause in c.requires:
        if any(a in held for a in clause):
            continue
        alternatives = [a for a in clause if a in studied or a in counted]
        if not alternatives:
            missing = " or ".join(clause)
            raise NoTermPlanError(f"{c.id} requires {missing}, which is neither planned nor "
                                  "held; give it as held (--have) or plan it too")
        expanded = [_done_by(a, studied, counted) for a in alternatives]
        if all(len(e) == 1 for e in expanded):
            clauses.append(tuple(sorted({e[0] for e in expanded})))
        else:
            clauses += [(x,) for x in expanded[0]]
    coreqs = {x for a in c.corequisites if a not in held
              for x in _done_by(a, studied, counted)}
    coreqs.update(x for u in counted.get(c.id, []) for x in _done_by(u, studied, counted))
    strict = {x for a in c.strict_corequisites if a not in held
              for x in _done_by(a, studied, counted)}
    return TermCourse(c.id, float(studied[c.id]), tuple(clauses), tuple(sorted(coreqs - {c.id})),
                      tuple(sorted(strict - {c.id})))


def plan_terms(catalog: Catalog, *, target: str | None = None, held: Iterable[str] = (),
               by: str = "fee", terms: int | None = None, min_credits: float = 0,
               max_credits: float | None = None, min_courses: int = 0,
               max_courses: int | None = None, balance: bool = False,
               start: str | None = None, time_limit: float | None = None,
               rpl: Mapping[str, float] | None = None) -> TermSchedule:
    """The exact term plan of a curriculum (``target`` None) or of ``target``'s cheapest
    route (by ``by``, with ``held`` and ``rpl`` grants as :func:`find_route` takes them):
    the fewest terms (at most ``terms``), or with ``balance`` the smallest largest term
    load over ``terms`` terms (default: the fewest that work). Raises
    :class:`NoTermPlanError` saying why none exists."""
    held = tuple(sorted(set(held)))
    slots = _slots(catalog, target, held, start)
    if target is None and rpl:
        raise NoTermPlanError("recognition of prior learning applies to a route (--to ID); "
                              "give the courses it covers as held instead")
    courses = term_courses(catalog, target=target, held=held, by=by, slots=slots or (),
                           rpl=rpl)
    if not courses:
        raise NoTermPlanError("nothing to plan: every course is held already")
    labels = tuple(f"{s.term} from {s.start}" for s in slots) if slots else ()
    limits = TermLimits(_horizon(courses, slots, terms, balance), min_credits, max_credits,
                        min_courses, max_courses, labels)
    deadline = None if time_limit is None else _now() + time_limit
    if balance and terms is None:  # the fewest terms first, then balance over them
        fewest = solve_terms(courses, limits, objective="terms", time_limit=time_limit)
        limits = replace(limits, terms=len(fewest.terms))
        time_limit = None if deadline is None else max(deadline - _now(), 0.01)
    plan = solve_terms(courses, limits, objective="balance" if balance else "terms",
                       time_limit=time_limit)
    if slots is None:
        slots = tuple(Slot(str(i + 1)) for i in range(limits.terms))
    titles = tuple((c.id, catalog.index()[c.id].title) for c in courses)
    return TermSchedule(plan, tuple(slots), target, held, titles)


def _now() -> float:
    import time

    return time.monotonic()


def _slots(catalog: Catalog, target: str | None, held: Sequence[str],
           start: str | None) -> tuple[Slot, ...] | None:
    ids = [c.id for c in catalog.credentials] if target is None else [target]
    slots = term_slots(catalog, ids, start=start)
    if slots is not None and not slots:
        raise NoTermPlanError(f"the calendar has no term starting on or after {start}; "
                              "add terms to the calendar or start earlier")
    return slots


def _horizon(courses: Sequence[TermCourse], slots: Sequence[Slot] | None,
             terms: int | None, balance: bool) -> int:
    """How many terms the plan may use: ``terms`` (the fewest: at most the calendar's
    terms from the start; balance: exactly, so the calendar must have them), else as
    many as courses (each alone in a term is the longest any plan needs without offered
    terms), within the calendar's terms."""
    available = len(slots) if slots is not None else MAX_TERMS
    if terms is not None:
        if terms > available and balance:
            raise NoTermPlanError(f"the calendar has only {available} terms from the start; "
                                  f"--balance over {terms} needs {terms}; add terms to the "
                                  "calendar or ask for fewer")
        return min(terms, available)
    want = len(courses)
    if any(c.offered is not None for c in courses):
        want = available
    return max(1, min(want, available, MAX_TERMS))


