"""Dated plans equal an exhaustive search on many small random catalogs (issue 12 part 2).

The search is written plainly from the rules: every route (set and counted-into choice,
from the route engine's own exhaustive search in test_routes_property) and every choice
of one run per credential (each intake with its end), kept when every entry requirement
ends before what needs it starts, every credential counted into another ends no later
than it, the hours of each week (Monday to Sunday, each run's hours spread evenly over
its days) stay within the load, and everything ends by the deadline.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_routes_property import Case, Plain, every_route

from pathways.catalog import Catalog, Credential, Provider, Stacking, Term
from pathways.errors import NoRouteError
from pathways.plans import pareto_dated, plan_dated
from pathways.routes import Constraints

pytestmark = pytest.mark.slow

START = date(2027, 2, 1)  # a Monday
T1 = (Term("T1", "2027-02-10", "2027-03-20"), Term("T1", "2027-04-05", "2027-05-14"))


@dataclass(frozen=True)
class DatedCase:
    catalog: Catalog
    target: str
    held: tuple[str, ...]
    hours_per_week: float | None
    finish_by: date | None
    by: str
    credits_per_term: float | None = None


@st.composite
def dated_cases(draw: st.DrawFn) -> DatedCase:
    n = draw(st.integers(2, 5))
    ids = [f"C{x}" for x in draw(st.permutations("ABCDE"))[:n]]
    creds, edges = [], []
    for i, cid in enumerate(ids):
        last = i == n - 1
        credits = draw(st.sampled_from((5, 10, 15, 20)))
        sources = draw(st.lists(st.integers(0, i - 1), min_size=1 if last else 0,
                                max_size=min(i, 2), unique=True)) if i else []
        for j in sources:
            edges.append(Stacking(ids[j], cid, draw(st.integers(1, creds[j].credits))))
        requires: tuple[tuple[str, ...], ...] = ()
        if i and draw(st.integers(0, 2)) == 0:
            requires = (tuple(draw(st.lists(st.sampled_from(ids[:i]), min_size=1,
                                            max_size=2, unique=True))),)
        offsets = draw(st.lists(st.sampled_from((0, 3, 7, 14, 21, 35, 56)), min_size=1,
                                max_size=3, unique=True))
        intakes = tuple((START + timedelta(days=o)).isoformat() for o in offsets)
        if draw(st.integers(0, 3)) == 0:
            intakes = ("T1",)
        duration = draw(st.sampled_from((1, 2, 3, 4, 6))) if intakes != ("T1",) or \
            draw(st.booleans()) else None
        creds.append(Credential(
            id=cid, title=cid, kind="qualification" if last else "micro-credential",
            credits=credits, level=5, provider="p1", fee=draw(st.integers(0, 80)) * credits,
            hours=draw(st.sampled_from((None, 40, 80, 120))), requires=requires,
            intakes=intakes, duration_weeks=duration))
    held = tuple(sorted(draw(st.lists(st.sampled_from(ids[:-1]), max_size=1, unique=True))))
    finish_by = draw(st.sampled_from((None, START + timedelta(days=55),
                                      START + timedelta(days=100))))
    by = draw(st.sampled_from(("finish", "fee"))) if finish_by else "finish"
    catalog = Catalog(providers=[Provider("p1")], credentials=creds, stacking=edges,
                      calendar=T1)
    return DatedCase(catalog, ids[-1], held, draw(st.sampled_from((None, 20, 30, 60))),
                     finish_by, by, draw(st.sampled_from((None, None, 12, 25))))


def runs(c: Credential) -> list[tuple[int, int]]:
    """Every (start, end) day pair of c, counted from START (end exclusive)."""
    out = []
    for intake in c.intakes:
        if intake == "T1":
            for t in T1:
                s = (date.fromisoformat(t.start) - START).days
                end = (date.fromisoformat(t.end) - START).days + 1
                out.append((s, s + c.duration_weeks * 7 if c.duration_weeks else end))
        else:
            s = (date.fromisoformat(intake) - START).days
            assert c.duration_weeks is not None
            out.append((s, s + c.duration_weeks * 7))
    return sorted(set(out))


def weekly_ok(chosen: dict[str, tuple[int, int]], creds: dict[str, Credential],
              limit: float | None) -> bool:
    if limit is None:
        return True
    weeks: dict[int, Fraction] = {}
    for v, (s, e) in chosen.items():
        hours = Fraction(creds[v].hours if creds[v].hours is not None else 10 * creds[v].credits)
        for d in range(s, e):
            weeks[d // 7] = weeks.get(d // 7, Fraction(0)) + hours / (e - s)
    return all(x <= Fraction(limit) + Fraction(1, 10**6) for x in weeks.values())


def termly_ok(chosen: dict[str, tuple[int, int]], creds: dict[str, Credential],
              limit: float | None) -> bool:
    """Each term of T1 holds at most ``limit`` credits, each run's spread over its days."""
    if limit is None:
        return True
    for t in T1:
        lo = (date.fromisoformat(t.start) - START).days
        hi = (date.fromisoformat(t.end) - START).days + 1
        load = sum((Fraction(creds[v].credits) * max(0, min(e, hi) - max(s, lo)) / (e - s)
                    for v, (s, e) in chosen.items()), Fraction(0))
        if load > Fraction(limit) + Fraction(1, 10**6):
            return False
    return True


def every_plan(case: DatedCase) -> list[tuple[Plain, int]]:
    """(route, finish day exclusive) of every plan that keeps every rule."""
    creds = case.catalog.index()
    plain_case = Case(case.catalog, case.target, case.held, "fee", Constraints())
    found = []
    horizon = (case.finish_by - START).days + 1 if case.finish_by else 10**6
    for route in every_route(plain_case):
        options = [[r for r in runs(creds[v]) if r[1] <= horizon] for v in route.chosen]
        links = dict(route.links)
        for pick in itertools.product(*options):
            at = dict(zip(route.chosen, pick, strict=True))
            if any(not any(a in case.held or (a in at and at[a][1] <= at[v][0])
                           for a in clause)
                   for v in route.chosen for clause in creds[v].requires):
                continue
            if any(u in at and at[u][1] > at[v][1] for u, v in links.items()):
                continue
            if not weekly_ok(at, creds, case.hours_per_week):
                continue
            if not termly_ok(at, creds, case.credits_per_term):
                continue
            found.append((route, max(e for _s, e in at.values())))
    return found


def solve(case: DatedCase) -> object:
    return plan_dated(case.catalog, case.target, start=START, held=case.held, by=case.by,
                      hours_per_week=case.hours_per_week, finish_by=case.finish_by,
                      max_credits_per_term=case.credits_per_term)


SETTINGS = settings(max_examples=examples(120), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(case=dated_cases())
def test_dated_plan_equals_exhaustive_search(case: DatedCase) -> None:
    plans = every_plan(case)
    if not plans:
        with pytest.raises(NoRouteError):
            solve(case)
        return
    plan = solve(case)
    finish = (plan.finish - START).days + 1  # exclusive
    if case.by == "finish":
        best = min(f for _r, f in plans)
        assert finish == best
        cheapest = min(r.fee for r, f in plans if f == best)
        assert abs(Fraction(plan.route.fee) - cheapest) <= Fraction(6, 1000)
    else:
        cheapest = min(r.fee for r, _f in plans)
        assert abs(Fraction(plan.route.fee) - cheapest) <= Fraction(6, 1000)
        assert finish == min(f for r, f in plans if r.fee == cheapest)
    check_plan_keeps_the_rules(case, plan)


@settings(SETTINGS, max_examples=examples(60))
@given(case=dated_cases())
def test_aggregated_precedences_give_the_same_plans(case: DatedCase) -> None:
    """With every precedence written as one aggregated row (as for weekly intakes over
    years), the plans are the exhaustive search's too."""
    from pathways.plans import timed

    saved = timed.TIME_INDEXED_MAX_DAYS
    timed.TIME_INDEXED_MAX_DAYS = 0
    try:
        test_dated_plan_equals_exhaustive_search.hypothesis.inner_test(case)
    finally:
        timed.TIME_INDEXED_MAX_DAYS = saved


def check_plan_keeps_the_rules(case: DatedCase, plan: object) -> None:
    """The plan's own dates keep every rule (so it is a plan, not only a figure)."""
    creds = case.catalog.index()
    at = {s.id: ((s.start - START).days, (s.end - START).days + 1) for s in plan.steps}
    for v in at:
        assert at[v] in runs(creds[v])
        for clause in creds[v].requires:
            assert any(a in case.held or (a in at and at[a][1] <= at[v][0]) for a in clause)
    for s in plan.route.steps:
        if s.counted_into is not None and s.id in at:
            assert at[s.id][1] <= at[s.counted_into][1]
    assert weekly_ok(at, creds, case.hours_per_week)
    assert termly_ok(at, creds, case.credits_per_term)
    if case.finish_by:
        assert plan.finish <= case.finish_by


@settings(SETTINGS, max_examples=examples(60))
@given(case=dated_cases())
def test_fee_finish_trade_offs_equal_exhaustive_search(case: DatedCase) -> None:
    plans = every_plan(case)
    if not plans:
        with pytest.raises(NoRouteError):
            pareto_dated(case.catalog, case.target, start=START, held=case.held,
                         hours_per_week=case.hours_per_week, finish_by=case.finish_by,
                         max_credits_per_term=case.credits_per_term)
        return
    front = []
    for route, f in sorted(plans, key=lambda x: (x[1], x[0].fee)):
        if all(route.fee < g - Fraction(1, 100) for _f, g in front):
            front.append((f, route.fee))
    got = pareto_dated(case.catalog, case.target, start=START, held=case.held,
                       hours_per_week=case.hours_per_week, finish_by=case.finish_by,
                       max_credits_per_term=case.credits_per_term)
    assert [((p.finish - START).days + 1) for p in got] == [f for f, _g in front]
    for p, (_f, fee) in zip(got, front, strict=True):
        assert abs(Fraction(p.route.fee) - fee) <= Fraction(6, 1000)
