"""Dated plans: the best route to a credential chosen together with when each of its
credentials runs (issue 12).

:func:`plan_dated` answers "when will I finish?": every credential of the route starts at
one of its intakes on or after the learner's start, entry requirements end before what
needs them starts, a credential counted into another ends no later than it, and the
learner's load holds in every week (``hours_per_week``) and term
(``max_credits_per_term``). Objectives: ``"finish"`` (the earliest finish; ties by fee,
then hours) or a route total (``"fee"``, ``"hours"``, ``"credits"``) with an optional
``finish_by`` deadline (ties by the earliest finish). It is one mixed-integer programme
(:class:`~pathways.plans.timed.TimedModel`, the route engine's programme with time), so
the plan is exact: which credentials to take is decided with the dates, not before them.
:func:`pareto_dated` gives every fee/finish trade-off worth having.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import NoRouteError, RouteError
from pathways.numbers import figure as money
from pathways.numbers import plain
from pathways.routes.engine import _Query, search_for, with_rpl
from pathways.routes.model import Constraints, Route
from pathways.routes.problem import Problem, build_problem
from pathways.routes.solver import Row, evaluate
from pathways.routes.steps import make_route

from .timed import Load, Run, TimedModel, runs_of, term_loads, term_spans, week_loads

__all__ = ["DatedStep", "DatedPlan", "plan_dated", "pareto_dated", "HORIZON_YEARS",
           "DATED_OBJECTIVES"]

#: How far ahead a plan without a deadline looks for intakes, then (if nothing fits)
#: the longest it looks.
HORIZON_YEARS = (3, 10)
DATED_OBJECTIVES = ("finish", "fee", "hours", "credits")


@dataclass(frozen=True)
class DatedStep:
    """One credential of a dated plan: when it starts and its last day (for a composed
    programme, both are the day it is awarded); ``term`` names a term intake."""

    id: str
    title: str
    start: date
    end: date
    term: str | None
    fee: float
    hours: float
    credits_studied: int | float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "term": self.term, "fee": money(self.fee),
                "hours": money(self.hours), "credits_studied": self.credits_studied,
                "reason": self.reason}


@dataclass(frozen=True)
class DatedPlan:
    """A route with dates: its steps by start date, its finish (the last day of study)."""

    target: str
    objective: str
    start: date
    finish: date
    steps: tuple[DatedStep, ...]
    route: Route
    held: tuple[str, ...] = ()
    hours_per_week: float | None = None
    max_credits_per_term: float | None = None
    finish_by: date | None = None
    peak_week_hours: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def fee(self) -> float:
        return self.route.fee

    @property
    def weeks(self) -> float:
        """Weeks from the learner's start to the finish (its last day included)."""
        return ((self.finish - self.start).days + 1) / 7

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``pathways plan --json`` (a dated plan)."""
        return {
            "feasible": True, "target": self.target, "objective": self.objective,
            "start": self.start.isoformat(), "finish": self.finish.isoformat(),
            "weeks": round(self.weeks, 2),
            "finish_by": self.finish_by.isoformat() if self.finish_by else None,
            "hours_per_week": self.hours_per_week,
            "max_credits_per_term": self.max_credits_per_term,
            "peak_week_hours": round(self.peak_week_hours, 2),
            "held": list(self.held),
            "total": {"fee": money(self.route.fee), "hours": money(self.route.hours),
                      "credits_studied": self.route.credits_studied},
            "steps": [s.to_dict() for s in self.steps],
        }


class _Planner:
    """One dated question: the checked query, the load, the window."""

    def __init__(self, catalog: Catalog, target: str, held: Iterable[str], start: date,
                 load: Load, constraints: Constraints | None, rpl: Mapping[str, float] | None,
                 time_limit: float | None) -> None:
        constraints = with_rpl(catalog, constraints, rpl)
        self.q = _Query(catalog, held, "fee", constraints, search_for(time_limit), time_limit)
        self.q.check_target(target)
        self.catalog = catalog
        self.target = target
        self.start = start
        self.load = load
        self.providers = catalog.provider_index()
        self.base = self.q.problem(target)  # NoRouteError: no route at all, dates aside

    def setup(self, horizon: int) -> _Setup:
        """The problem over the credentials that have a run ending by day ``horizon``,
        and their runs; raises NoRouteError naming what has none when the target cannot
        be reached."""
        runs: dict[str, list[Run]] = {}
        why: dict[str, str] = {}
        composed = []
        for v in self.base.cands:
            c = self.base.creds[v]
            own = self.providers[c.provider].calendar if c.provider in self.providers else ()
            if not c.effective_direct_study:
                composed.append(v)
                continue
            found, reason = runs_of(c, self.start, horizon, self.load, own,
                                    self.catalog.calendar)
            if reason is not None:
                why[v] = reason
            runs[v] = found
        for v in composed:  # awarded the day the last of what it needs ends
            runs[v] = []
        cons = _Timed(**{f: getattr(self.q.constraints, f) for f in _CONSTRAINT_FIELDS},
                      why=tuple(sorted(why.items())))
        try:
            p = build_problem(self.q.index, self.target, self.q.held, cons,
                              rpl=dict(cons.rpl))
        except NoRouteError as e:
            raise NoRouteError(f"no dated route to {self.target}: {e}", e.blockers) from None
        return _Setup(p, runs, horizon)

    def model(self, setup: _Setup) -> TimedModel:
        """The timed programme of ``setup``."""
        return TimedModel(setup.p, setup.runs, setup.horizon, self.load, self.start,
                          self.q.constraints, self.q.search)

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


@dataclass(frozen=True)
class _Setup:
    p: Problem
    runs: dict[str, list[Run]]
    horizon: int


_CONSTRAINT_FIELDS = ("budget", "max_hours", "exclude", "exclude_providers", "providers",
                      "delivery", "allowed", "rpl")


@dataclass(frozen=True)
class _Timed(Constraints):
    """The user's constraints, and the credentials no run of which fits (with why)."""

    why: tuple[tuple[str, str], ...] = ()

    def unavailable(self, c: Any) -> str | None:
        found = Constraints.unavailable(self, c)
        if found is not None:
            return found
        return dict(self.why).get(c.id)


def _lexicographic(model: TimedModel, keys: tuple[str, ...], rows: list[Row]
                   ) -> Any | None:
    """The optimum by ``keys`` in turn (each bounded at its optimum for the next), or None
    when no point meets ``rows``."""
    rows = list(rows)
    z = None
    for i, key in enumerate(keys):
        z = model.solve(model.goal[key], rows) if i == 0 else \
            model.solve_known(model.goal[key], rows)
        if z is None:
            return None
        value = float(model.obj[key] @ z)
        rows.append(model.at_most(key, value))
    return z


def _keys(by: str) -> tuple[str, ...]:
    """The objectives in turn: ``by``, then the finish (or, for the finish, the fee)."""
    return ("finish", "fee") if by == "finish" else (by, "finish")


def plan_dated(catalog: Catalog, target: str, *, start: date, held: Iterable[str] = (),
               by: str = "finish", hours_per_week: float | None = None,
               max_credits_per_term: float | None = None, finish_by: date | None = None,
               constraints: Constraints | None = None, rpl: Mapping[str, float] | None = None,
               time_limit: float | None = None) -> DatedPlan:
    """The best dated plan to ``target`` from ``start`` (see the module docstring).

    Raises :class:`~pathways.errors.NoRouteError` saying why when no plan exists ("no
    dated route to DIP-X: DIP-X requires MC-X, which has no intake before 2027-06-30"),
    :class:`~pathways.errors.RouteError` for a bad question, and
    :class:`~pathways.routes.solver.SolverTimeout` when ``time_limit`` passes first.
    """
    planner = _planner(catalog, target, held, start, hours_per_week, max_credits_per_term,
                       finish_by, constraints, rpl, time_limit, by)
    return _solve(planner, by, finish_by)


def _planner(catalog: Catalog, target: str, held: Iterable[str], start: date,
             hours_per_week: float | None, max_credits_per_term: float | None,
             finish_by: date | None, constraints: Constraints | None,
             rpl: Mapping[str, float] | None, time_limit: float | None, by: str) -> _Planner:
    if by not in DATED_OBJECTIVES:
        raise RouteError(f"unknown objective '{by}'; use one of {', '.join(DATED_OBJECTIVES)}")
    if hours_per_week is not None and not 0 < hours_per_week <= 24 * 7:
        raise RouteError(f"hours per week must be more than 0 and at most 168, got "
                         f"{plain(hours_per_week)}")
    if max_credits_per_term is not None and not max_credits_per_term > 0:
        raise RouteError(f"credits per term must be more than 0, got "
                         f"{plain(max_credits_per_term)}")
    if max_credits_per_term is not None and not catalog.calendar:
        raise RouteError("a credit limit per term needs terms: the catalog has no calendar; "
                         "add one (see the README's Calendars) or give hours per week")
    if finish_by is not None and finish_by < start:
        raise RouteError(f"the deadline {finish_by} is before the start {start}")
    load = Load(hours_per_week, max_credits_per_term, catalog.calendar)
    return _Planner(catalog, target, held, start, load, constraints, rpl, time_limit)


def _horizons(start: date, finish_by: date | None) -> list[int]:
    if finish_by is not None:
        return [(finish_by - start).days + 1]
    return [(_years_later(start, y) - start).days for y in HORIZON_YEARS]


def _years_later(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _solve(planner: _Planner, by: str, finish_by: date | None,
           fee_below: float | None = None) -> DatedPlan:
    """The best plan by ``by`` (cheaper than ``fee_below`` when given), looking ahead to
    the deadline, else :data:`HORIZON_YEARS` ahead (further when nothing fits)."""
    horizons = _horizons(planner.start, finish_by)
    last_error: NoRouteError | None = None
    for horizon in horizons:
        try:
            setup = planner.setup(horizon)
        except NoRouteError as e:
            last_error = e
            continue
        # Any plan bounds the search: the optimum is no later than a plan as good by
        # ``by`` (see _first_plan_end), so only runs ending by then need looking at.
        bound = _first_plan_end(planner, setup, by, fee_below)
        if bound is not None and bound < horizon:
            setup = planner.setup(bound)
        model = planner.model(setup)
        rows = [model.below("fee", fee_below)] if fee_below is not None else []
        quick = _proved_plan(planner, model, by, rows)
        if quick is not None:
            chosen, links, runs = quick
            return _plan(planner, model, chosen, links, runs, by, finish_by)
        keys = _keys(by)
        if by == "finish" and bound is not None and _proved_earliest(model, bound, rows):
            rows.append(model.at_most("finish", float(bound)))
            keys = keys[1:]
        z = _lexicographic(model, keys, rows)
        if z is not None:
            chosen, links = model.read(z)
            return _plan(planner, model, chosen, links, model.schedule(z), by, finish_by)
        last_error = None
        break
    if last_error is not None:
        if finish_by is not None:
            try:
                best = _solve(planner, "finish", None)
            except NoRouteError:
                raise last_error from None
            raise NoRouteError(f"{last_error}; the earliest finish is {best.finish}",
                               last_error.blockers) from None
        raise last_error
    raise NoRouteError(_why_late(planner, finish_by), [planner.target])


def _proved_plan(planner: _Planner, model: TimedModel, by: str, rows: list[Row]
                 ) -> tuple[frozenset[str], dict[str, str], dict[str, Run]] | None:
    """A plan proved best without the full search, or None: the best route with the
    dates aside (by ``by``, or by fee for the earliest finish) scheduled greedily, when
    no plan can end earlier (the relaxation's bound on the finish, among plans as good by
    ``by``, leaves no day between). Dates only take routes away, so that route is best by
    ``by`` (for the earliest finish: cheapest of all, so cheapest of the earliest)."""
    from pathways.routes.solver import Model

    plain_model = Model(model.p, planner.q.constraints, planner.q.search)
    key = "fee" if by == "finish" else by
    plain_rows = [plain_model.below("fee", r.upper) for r in rows if r.upper is not None]
    z = plain_model.solve(plain_model.goal[key], plain_rows)
    if z is None:
        return None
    chosen, links = plain_model.read(z)
    runs = greedy_schedule(model.p, model.runs, planner.load, planner.start, chosen, links)
    if runs is None:
        return None
    end = max((r.end for r in runs.values()), default=0)
    extra = [] if by == "finish" else [model.at_most(by, float(plain_model.obj[key] @ z))]
    if not _proved_earliest(model, end, [*rows, *extra]):
        return None
    return chosen, links, runs


def _proved_earliest(model: TimedModel, bound: int, rows: list[Row] | None = None) -> bool:
    """Whether no plan (meeting ``rows``) ends before day ``bound``: no day a plan may
    end on lies between the relaxation's bound and it."""
    low = model.lower_bound("finish", rows or [])
    if low is None:
        return False
    return not any(math.ceil(low - 1e-6) <= d < bound for d in model.ends())


def _first_plan_end(planner: _Planner, setup: _Setup, by: str,
                    fee_below: float | None) -> int | None:
    """The end of a plan found quickly, or None: the best route by ``by`` with the dates
    left aside (by fewest hours for the earliest finish), cheaper than ``fee_below``,
    scheduled by :func:`greedy_end`. When it fits, no plan is better by ``by`` (dates
    only take routes away), so the best plan ends no later than it; and the earliest
    plan ends no later than any plan."""
    from pathways.routes.solver import Model

    plain_model = Model(setup.p, planner.q.constraints, planner.q.search)
    rows = [plain_model.below("fee", fee_below)] if fee_below is not None else []
    z = plain_model.solve(plain_model.goal["hours" if by == "finish" else by], rows)
    if z is None:
        return None
    chosen, links = plain_model.read(z)
    found = greedy_schedule(setup.p, setup.runs, planner.load, planner.start, chosen, links)
    return None if found is None else max((r.end for r in found.values()), default=0)


def greedy_schedule(p: Problem, runs: dict[str, list[Run]], load: Load, start: date,
                    chosen: frozenset[str], links: dict[str, str]) -> dict[str, Run] | None:
    """``chosen`` scheduled one by one in a followable order, each at its first run that
    starts after its chosen requirements and counted sources end and fits the load left
    (a composed one awarded then); None when one has no such run."""
    from pathways.index import topological

    before: dict[str, set[str]] = {v: set() for v in chosen}
    for v in chosen:
        for clause in p.clauses.get(v, ()):
            before[v].update(a for a in clause if a in chosen and a != v)
    for u, v in links.items():
        if u in chosen and v in chosen:
            before[v].add(u)
    placed: dict[str, Run] = {}
    used = _LoadUsed(p, load, start)
    for v in topological(before, before):
        ready = max((placed[u].end for u in before[v]), default=0)
        if v in p.composed:
            placed[v] = Run(ready, ready)
            continue
        run = next((r for r in runs.get(v, ()) if r.start >= ready and used.fits(v, r)), None)
        if run is None:
            return None
        used.add(v, run)
        placed[v] = run
    return placed


class _LoadUsed:
    """The load already placed, week by week and term by term."""

    def __init__(self, p: Problem, load: Load, start: date) -> None:
        self.p = p
        self.load = load
        self.first_monday = -start.weekday()
        self.spans = term_spans(load.terms, start)
        self.weeks: dict[int, float] = {}
        self.terms: dict[int, float] = {}

    def _shares(self, v: str, r: Run) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        c = self.p.creds[v]
        if r.end == r.start:
            return [], []
        weeks = list(week_loads(r, c.effective_hours, self.first_monday)) \
            if self.load.hours_per_week is not None else []
        terms = list(term_loads(r, c.credits, self.spans)) \
            if self.load.max_credits_per_term is not None else []
        return weeks, terms

    def fits(self, v: str, r: Run) -> bool:
        weeks, terms = self._shares(v, r)
        load = self.load
        return (all(self.weeks.get(w, 0.0) + x <= (load.hours_per_week or 0) + 1e-9
                    for w, x in weeks)
                and all(self.terms.get(t, 0.0) + x <= (load.max_credits_per_term or 0) + 1e-9
                        for t, x in terms))

    def add(self, v: str, r: Run) -> None:
        weeks, terms = self._shares(v, r)
        for w, x in weeks:
            self.weeks[w] = self.weeks.get(w, 0.0) + x
        for t, x in terms:
            self.terms[t] = self.terms.get(t, 0.0) + x


def _why_late(planner: _Planner, finish_by: date | None) -> str:
    """Why no plan fits although every credential has a run: the deadline (and the
    earliest finish there is), or the load."""
    t = planner.target
    if finish_by is None:
        return (f"no dated route to {t} fits within {HORIZON_YEARS[-1]} years of "
                f"{planner.start} at this load")
    try:
        best = _solve(planner, "finish", None)
    except NoRouteError:
        return f"no dated route to {t} finishes by {finish_by}, nor within " \
               f"{HORIZON_YEARS[-1]} years"
    return (f"no dated route to {t} finishes by {finish_by}; the earliest finish is "
            f"{best.finish} ({', '.join(s.id for s in best.steps)})")


def _plan(planner: _Planner, model: TimedModel, chosen: frozenset[str],
          links: dict[str, str], schedule: dict[str, Run], by: str,
          finish_by: date | None) -> DatedPlan:
    p = model.p
    solution = evaluate(p, chosen, links)
    route = make_route(planner.q.index, p, solution, by if by != "finish" else "fee",
                        planner.q.held)
    runs = compact(model, schedule, links)
    by_id = {s.id: s for s in route.steps}
    steps = []
    for v in sorted(chosen, key=lambda v: (runs[v].start, runs[v].end, v)):
        r, s = runs[v], by_id[v]
        last = planner.day(max(r.start, r.end - 1))
        steps.append(DatedStep(v, s.title, planner.day(r.start), last, r.term, s.fee, s.hours,
                               s.credits_studied, s.reason))
    finish = max((st.end for st in steps), default=planner.start)
    return DatedPlan(
        target=planner.target, objective=by, start=planner.start, finish=finish,
        steps=tuple(steps), route=route, held=tuple(sorted(planner.q.held)),
        hours_per_week=planner.load.hours_per_week,
        max_credits_per_term=planner.load.max_credits_per_term, finish_by=finish_by,
        peak_week_hours=_peak(planner, model, runs))


def compact(model: TimedModel, runs: dict[str, Run], links: dict[str, str]) -> dict[str, Run]:
    """The schedule with every credential moved to its earliest run that keeps every
    rule, in a followable order (what it needs first): the finish, the route and its
    fee stay, and the dates no longer depend on which of equally good points the solver
    returned first."""
    from pathways.index import topological

    p = model.p
    needs: dict[str, set[str]] = {v: set() for v in runs}
    for v in runs:
        for clause in p.clauses.get(v, ()):
            needs[v].update(a for a in clause if a in runs and a != v)
    counted: dict[str, set[str]] = {v: set() for v in runs}
    for u, v in links.items():
        if u in runs and v in runs:
            counted[v].add(u)
    order = topological(runs, {v: needs[v] | counted[v] for v in runs})
    placed = dict(runs)
    for v in order:
        if v in p.composed:
            end = max((placed[u].end for u in needs[v] | counted[v]), default=0)
            placed[v] = Run(end, end)
            continue
        others = _LoadUsed(p, model.load, model.start)
        for u, r in placed.items():
            if u != v:
                others.add(u, r)
        ready = max((placed[a].end for a in needs[v]), default=0)
        done = max((placed[u].end for u in counted[v]), default=0)
        for r in model.runs[v]:
            if r.start > placed[v].start:
                break
            if r.start >= ready and r.end >= done and r.end <= placed[v].end \
                    and others.fits(v, r):
                placed[v] = r
                break
    return placed


def _peak(planner: _Planner, model: TimedModel, runs: dict[str, Run]) -> float:
    """The most hours of study in any one week of the plan."""

    weeks: dict[int, float] = {}
    for v, r in runs.items():
        if r.end > r.start:
            for w, x in week_loads(r, model.p.creds[v].effective_hours,
                                   -planner.start.weekday()):
                weeks[w] = weeks.get(w, 0.0) + x
    return max(weeks.values(), default=0.0)


def pareto_dated(catalog: Catalog, target: str, *, start: date, held: Iterable[str] = (),
                 hours_per_week: float | None = None,
                 max_credits_per_term: float | None = None, finish_by: date | None = None,
                 constraints: Constraints | None = None,
                 rpl: Mapping[str, float] | None = None,
                 time_limit: float | None = None) -> list[DatedPlan]:
    """Every fee/finish trade-off worth having, earliest finish first: each plan is the
    cheapest finishing by its date, and finishes earlier than every cheaper one."""
    planner = _planner(catalog, target, held, start, hours_per_week, max_credits_per_term,
                       finish_by, constraints, rpl, time_limit, "finish")
    front: list[DatedPlan] = []
    while True:
        try:
            plan = _solve(planner, "finish", finish_by,
                          front[-1].route.fee if front else None)
        except NoRouteError:
            if not front:
                raise
            break
        front.append(plan)
        if plan.route.fee <= 0:
            break
    return front
