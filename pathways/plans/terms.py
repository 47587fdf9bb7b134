"""Term plans: every course of a curriculum in a term, exactly (issue 12 part 3).

Each course goes in one of ``terms`` numbered terms: a prerequisite clause needs one of
its alternatives in an earlier term, a co-requisite the same or an earlier term, a
strict co-requisite the same term; a course only in the terms it is offered in; each
term within the credit and course limits. Two objectives: the fewest terms (the terms
in use are the first ones; the minimum limits hold in each of them), or balance — every
one of the terms in use, the smallest maximum term load (the Balanced Academic
Curriculum Problem, CSPLib prob030).

One mixed-integer programme through :mod:`pathways.routes.highs`: x[c,t] = 1 when course
c is in term t (only for terms c is offered in), y[t] = 1 when term t is in use
(y[0] ≥ y[1] ≥ …). Prerequisites are the cumulative rows "c by term t ⇒ an alternative by
term t − 1", the tightest linear form of an ordering. At a time limit the best plan
found is returned with the proven bound (``optimal`` false). An infeasible programme is
explained by :func:`pathways.plans.termexplain.explain` (a chain too long, a course
offered too late, credits that cannot fit).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pathways.errors import PathwaysError

__all__ = ["TermCourse", "TermLimits", "TermPlan", "NoTermPlanError", "TermPlanTimeout",
           "solve_terms", "find_plan", "check_plan", "OBJECTIVES"]

OBJECTIVES = ("terms", "balance")
MAX_TERMS = 200  # a plan of more terms than this is a mistake in the options


class NoTermPlanError(PathwaysError):
    """No term plan meets the rules and limits; the message says why."""


class TermPlanTimeout(PathwaysError):
    """The time limit passed before any term plan was found."""


@dataclass(frozen=True)
class TermCourse:
    """One course to place. ``prerequisites`` is an AND of ORs of course ids (one
    alternative in an earlier term); ``offered`` the 0-based terms it may go in (None:
    any). A course of ``counts`` false (an award with nothing to study) takes no place in
    the courses-per-term limits."""

    id: str
    credits: float
    prerequisites: tuple[tuple[str, ...], ...] = ()
    corequisites: tuple[str, ...] = ()
    strict_corequisites: tuple[str, ...] = ()
    offered: frozenset[int] | None = None
    counts: bool = True


@dataclass(frozen=True)
class TermLimits:
    """At most ``terms`` terms (balance: exactly, each within the minimums) and, in each
    term in use, ``min_credits``–``max_credits`` credits and ``min_courses``–``max_courses``
    courses (None: no upper limit). ``labels`` name the terms in explanations (default
    "term 1", "term 2", …)."""

    terms: int
    min_credits: float = 0
    max_credits: float | None = None
    min_courses: int = 0
    max_courses: int | None = None
    labels: tuple[str, ...] = ()  # how messages name terms 0, 1, … ("T1 from 2027-02-22")

    def describe(self) -> str:
        """The per-term limits in words ("10–24 credits, 2–10 courses per term")."""
        parts = []
        for low, high, unit in ((self.min_credits, self.max_credits, "credits"),
                                (self.min_courses, self.max_courses, "courses")):
            if high is not None and low == high:
                parts.append(f"exactly {_fig(high)} {unit}")
            elif high is not None:
                parts.append(f"{_fig(low)}–{_fig(high)} {unit}" if low else
                             f"at most {_fig(high)} {unit}")
            elif low:
                parts.append(f"at least {_fig(low)} {unit}")
        return (", ".join(parts) + " per term") if parts else "no per-term limits"


@dataclass(frozen=True)
class TermPlan:
    """Course ids per term (sorted), each term's credits, and the objective's value;
    ``optimal`` false when a time limit cut the search (``bound``: the best the optimum
    can be)."""

    terms: tuple[tuple[str, ...], ...]
    credits: tuple[float, ...]
    objective: str
    optimal: bool = True
    bound: float | None = None

    @property
    def max_load(self) -> float:
        return max(self.credits, default=0)

    @property
    def value(self) -> float:
        """The objective's value: terms in use, or the largest term load."""
        return len(self.terms) if self.objective == "terms" else self.max_load


def _fig(x: float) -> str:
    return f"{x:g}"


class _Model:
    """The programme's columns and rows, built once."""

    def __init__(self, courses: Sequence[TermCourse], limits: TermLimits) -> None:
        self.courses = courses
        self.n = limits.terms
        self.var: dict[tuple[str, int], int] = {}
        for c in courses:
            for t in range(self.n):
                if c.offered is None or t in c.offered:
                    self.var[c.id, t] = len(self.var)
        self.y0 = len(self.var)           # y[t]: term t in use
        self.load = self.y0 + self.n      # M: the largest load (balance)
        self.size = self.load + 1
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.low: list[float] = []
        self.high: list[float] = []

    def terms_of(self, cid: str) -> list[int]:
        return [t for t in range(self.n) if (cid, t) in self.var]

    def row(self, entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        r = len(self.low)
        for col, val in entries:
            self.rows.append(r)
            self.cols.append(col)
            self.vals.append(val)
        self.low.append(low)
        self.high.append(high)

    def upto(self, cid: str, last: int, sign: float) -> list[tuple[int, float]]:
        """``sign`` × (x[cid, s] for every s ≤ last)."""
        return [(self.var[cid, s], sign) for s in range(last + 1) if (cid, s) in self.var]


def _build(courses: Sequence[TermCourse], limits: TermLimits) -> _Model:
    m = _Model(courses, limits)
    for c in courses:  # each course in exactly one term
        m.row([(m.var[c.id, t], 1.0) for t in m.terms_of(c.id)], 1, 1)
    for c in courses:
        _requisite_rows(m, c)
    for t in range(m.n):
        _term_rows(m, courses, limits, t)
    return m


def _requisite_rows(m: _Model, c: TermCourse) -> None:
    """Course c only in a term in use, after its prerequisites, not before its
    co-requisites, with its strict co-requisites."""
    for t in m.terms_of(c.id):
        m.row([(m.var[c.id, t], 1.0), (m.y0 + t, -1.0)], -math.inf, 0)
        for clause in c.prerequisites:  # in by t => an alternative in by t - 1
            entries = m.upto(c.id, t, 1.0)
            for a in clause:
                entries += m.upto(a, t - 1, -1.0)
            m.row(entries, -math.inf, 0)
        for a in c.corequisites:  # in by t => a in by t
            m.row(m.upto(c.id, t, 1.0) + m.upto(a, t, -1.0), -math.inf, 0)
    for a in c.strict_corequisites:  # the same term
        for t in range(m.n):
            entries = [(m.var[k, t], s) for k, s in ((c.id, 1.0), (a, -1.0))
                       if (k, t) in m.var]
            if entries:
                m.row(entries, 0, 0)


def _term_rows(m: _Model, courses: Sequence[TermCourse], limits: TermLimits, t: int) -> None:
    """Term t's limits (when in use), the largest load M ≥ its load, terms in use first."""
    inf = math.inf
    load = [(m.var[c.id, t], float(c.credits)) for c in courses if (c.id, t) in m.var]
    count = [(m.var[c.id, t], 1.0) for c in courses if (c.id, t) in m.var and c.counts]
    y = m.y0 + t
    for entries, low, high in ((load, limits.min_credits, limits.max_credits),
                               (count, limits.min_courses, limits.max_courses)):
        if low:
            m.row(entries + [(y, -float(low))], 0, inf)
        if high is not None:
            m.row(entries + [(y, -float(high))], -inf, 0)
    m.row(load + [(m.load, -1.0)], -inf, 0)  # M ≥ load of term t
    if t + 1 < m.n:
        m.row([(y, 1.0), (y + 1, -1.0)], 0, inf)  # terms in use come first


def _check(courses: Sequence[TermCourse], limits: TermLimits) -> None:
    """Refuse what the programme cannot take: unknown ids, bad numbers."""
    if not 1 <= limits.terms <= MAX_TERMS:
        raise NoTermPlanError(f"the number of terms must be 1–{MAX_TERMS}; got {limits.terms}")
    for low, high, unit in ((limits.min_credits, limits.max_credits, "credits"),
                            (limits.min_courses, limits.max_courses, "courses")):
        if high is not None and low > high:
            raise NoTermPlanError(f"the minimum of {_fig(low)} {unit} per term is above the "
                                  f"maximum of {_fig(high)}; lower --min-{unit}-per-term or "
                                  f"raise --max-{unit}-per-term")
    ids = {c.id for c in courses}
    if len(ids) != len(courses):
        raise NoTermPlanError("a course appears twice in the term plan's course list")
    for c in courses:
        named = [a for clause in c.prerequisites for a in clause]
        for a in (*named, *c.corequisites, *c.strict_corequisites):
            if a not in ids:
                raise NoTermPlanError(f"{c.id} requires {a}, which is not in the term plan; "
                                      "plan it too or give it as held")
        if not (math.isfinite(c.credits) and c.credits >= 0):
            raise NoTermPlanError(f"{c.id}: credits must be a number ≥ 0; got {c.credits}")
        if any(not clause for clause in c.prerequisites):
            raise NoTermPlanError(f"{c.id} has an empty prerequisite clause")


def solve_terms(courses: Sequence[TermCourse], limits: TermLimits, *,
                objective: str = "terms", time_limit: float | None = None) -> TermPlan:
    """The exact term plan of ``courses`` within ``limits`` by ``objective``: ``"terms"``
    (fewest terms in use, at most ``limits.terms``) or ``"balance"`` (all
    ``limits.terms`` terms, the smallest largest load). Raises :class:`NoTermPlanError`
    (saying why) when none exists, :class:`TermPlanTimeout` when ``time_limit`` seconds
    pass before any plan is found; a plan found by then is returned with ``optimal``
    false and its ``bound``."""
    if objective not in OBJECTIVES:
        raise NoTermPlanError(f"unknown objective '{objective}'; use one of "
                              f"{', '.join(OBJECTIVES)}")
    _check(courses, limits)
    plan = find_plan(courses, limits, objective, time_limit)
    if plan is None:
        from pathways.plans.termexplain import explain

        raise NoTermPlanError(explain(courses, limits, objective))
    return plan


def find_plan(courses: Sequence[TermCourse], limits: TermLimits, objective: str,
              time_limit: float | None) -> TermPlan | None:
    """:func:`solve_terms` on checked input without the explanation: None when no plan
    exists. The fewest terms are found by trying each number of terms from a lower
    bound up (the first that works is the fewest), each a quick feasibility programme;
    if one runs out of time, the programme choosing the terms in use takes the rest."""
    if objective == "balance":
        return _solve(courses, limits, "balance", limits.terms, time_limit)
    from pathways.plans.termexplain import lower_bound

    deadline = None if time_limit is None else time.monotonic() + time_limit
    for n in range(lower_bound(courses, limits), limits.terms + 1):
        left = None if deadline is None else max(deadline - time.monotonic(), 0.01)
        try:
            plan = _solve(courses, replace(limits, terms=n), "fixed", n,
                          None if left is None else left / 2)
        except TermPlanTimeout:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.01)
            return _solve(courses, limits, "terms", n, left)
        if plan is not None:
            return plan
    return None


def _solve(courses: Sequence[TermCourse], limits: TermLimits, mode: str, least: int,
           time_limit: float | None) -> TermPlan | None:
    """One programme: ``balance`` (all terms in use, the smallest largest load),
    ``fixed`` (all terms in use, any plan) or ``terms`` (the fewest terms in use, at
    least ``least``)."""
    from pathways.routes.highs import SolverTimeout, solve_mip

    m = _build(courses, limits)
    cost = [0.0] * m.size
    col_low = [0.0] * m.size
    col_high = [1.0] * m.size
    col_high[m.load] = math.inf
    integer = [True] * m.size
    integer[m.load] = False
    for t in range(m.n):
        if mode == "terms":
            cost[m.y0 + t] = 1.0
        if mode != "terms" or t < least:
            col_low[m.y0 + t] = 1.0
    if mode == "balance":
        cost[m.load] = 1.0
    try:
        # A feasibility programme has no gap to close: HiGHS's own heuristics find a
        # point sooner than the route engine's exact settings.
        res = solve_mip(cost, m.rows, m.cols, m.vals, m.low, m.high, col_low, col_high,
                        integer, time_limit=time_limit, keep_best=True,
                        exact=mode != "fixed")
    except SolverTimeout:
        raise TermPlanTimeout(f"no term plan found within the time limit of "
                              f"{time_limit:g} s; give a longer --time-limit") from None
    if res is None:
        return None
    if mode == "fixed":  # the first number of terms that works: the fewest
        plan = _plan(m, res.x, "balance", True, None)
        return TermPlan(plan.terms, plan.credits, "terms", True, len(plan.terms))
    bound = res.bound if mode == "balance" or res.bound is None else max(res.bound, least)
    return _plan(m, res.x, "balance" if mode == "balance" else "terms", res.optimal, bound)


def _plan(m: _Model, x: Any, objective: str, optimal: bool,
          bound: float | None) -> TermPlan:
    chosen: list[list[str]] = [[] for _ in range(m.n)]
    for (cid, t), col in m.var.items():
        if x[col] > 0.5:
            chosen[t].append(cid)
    used = m.n if objective == "balance" else sum(1 for t in range(m.n) if x[m.y0 + t] > 0.5)
    used = max(used, max((t + 1 for t in range(m.n) if chosen[t]), default=0))
    credit = {c.id: c.credits for c in m.courses}
    terms = tuple(tuple(sorted(chosen[t])) for t in range(used))
    loads = tuple(_credit_sum(credit[c] for c in ids) for ids in terms)
    if bound is not None:
        # Integral objectives: terms are whole, loads multiples of 0.5.
        step = 1.0 if objective == "terms" else 0.5
        bound = math.ceil(bound / step - 1e-6) * step
    plan = TermPlan(terms, loads, objective, optimal, None)
    if optimal or (bound is not None and bound >= plan.value):
        return TermPlan(terms, loads, objective, True, plan.value)
    return TermPlan(terms, loads, objective, False, bound)


def _credit_sum(values: Sequence[float] | object) -> float:
    total = math.fsum(values)  # type: ignore[arg-type]
    return int(total) if float(total).is_integer() else total


def check_plan(courses: Sequence[TermCourse], limits: TermLimits,
               term_of: dict[str, int], *, all_terms: bool = False) -> str | None:
    """Why the assignment ``term_of`` (course id -> 0-based term) breaks a rule, or None
    when it meets them all. The terms in use are 0..max(term)+1 (``all_terms``: every
    one of ``limits.terms``). Plain loops: the reference the tests hold the solver to."""
    if any(not 0 <= term_of[c.id] < limits.terms for c in courses):
        return "a course outside the terms"
    for c in courses:
        broken = _course_broken(c, term_of)
        if broken:
            return broken
    used = limits.terms if all_terms else max(term_of.values(), default=-1) + 1
    for t in range(used):
        load = sum(c.credits for c in courses if term_of[c.id] == t)
        count = sum(1 for c in courses if term_of[c.id] == t and c.counts)
        if load < limits.min_credits or count < limits.min_courses:
            return f"term {t + 1} below a minimum"
        if limits.max_credits is not None and load > limits.max_credits:
            return f"term {t + 1} above the credit limit"
        if limits.max_courses is not None and count > limits.max_courses:
            return f"term {t + 1} above the course limit"
    return None


def _course_broken(c: TermCourse, term_of: dict[str, int]) -> str | None:
    t = term_of[c.id]
    if c.offered is not None and t not in c.offered:
        return f"{c.id} is not offered in term {t + 1}"
    for clause in c.prerequisites:
        if not any(term_of[a] < t for a in clause):
            return f"{c.id} before its prerequisite {' or '.join(clause)}"
    if any(term_of[a] > t for a in c.corequisites):
        return f"{c.id} before a co-requisite"
    if any(term_of[a] != t for a in c.strict_corequisites):
        return f"{c.id} apart from a strict co-requisite"
    return None
