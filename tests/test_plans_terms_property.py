"""Term plans equal an exhaustive search on small random curricula.

Every rule is drawn: prerequisite clauses (with alternatives), co-requisites, strict
co-requisites, offered terms, the four per-term limits, both objectives. The search tries
every assignment of courses to terms and keeps those :func:`check_plan` accepts (plain
loops over the rules); the solver's plan must pass the same check and reach the same
objective value, and where no assignment works the solver must say why in one line.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.plans.terms import (
    NoTermPlanError,
    TermCourse,
    TermLimits,
    check_plan,
    solve_terms,
)

pytestmark = pytest.mark.slow  # hundreds of small programmes and exhaustive searches


@st.composite
def curricula(draw: st.DrawFn) -> tuple[list[TermCourse], TermLimits, str]:
    n = draw(st.integers(1, 6))
    terms = draw(st.integers(1, 4))
    # Ids in an order unrelated to the requisite order, so ties are not broken by accident.
    ids = [f"C{x}" for x in draw(st.permutations("ABCDEF"))[:n]]
    courses = []
    for i, cid in enumerate(ids):
        before = ids[:i]
        clauses = []
        coreqs: list[str] = []
        strict: list[str] = []
        for _ in range(draw(st.integers(0, 2)) if before else 0):
            clause = draw(st.lists(st.sampled_from(before), min_size=1, max_size=2,
                                   unique=True))
            clauses.append(tuple(sorted(clause)))
        if before and draw(st.integers(0, 4)) == 0:
            coreqs.append(draw(st.sampled_from(before)))
        if before and draw(st.integers(0, 5)) == 0:
            strict.append(draw(st.sampled_from(before)))
        offered = None
        if draw(st.integers(0, 3)) == 0:
            offered = frozenset(draw(st.lists(st.integers(0, terms), max_size=3)))
        courses.append(TermCourse(
            cid, draw(st.sampled_from((0, 1, 1.5, 2, 3, 4))), tuple(clauses),
            tuple(coreqs), tuple(strict), offered, counts=draw(st.integers(0, 6)) > 0))
    limits = TermLimits(
        terms,
        min_credits=draw(st.sampled_from((0, 0, 1, 2, 3))),
        max_credits=draw(st.sampled_from((None, None, 3, 4, 5, 7))),
        min_courses=draw(st.sampled_from((0, 0, 0, 1, 2))),
        max_courses=draw(st.sampled_from((None, None, 1, 2, 3))),
    )
    return courses, limits, draw(st.sampled_from(("terms", "balance")))


def exhaustive(courses: list[TermCourse], limits: TermLimits, objective: str) -> float | None:
    """The best objective value over every assignment, or None when none is valid."""
    best = None
    balance = objective == "balance"
    for choice in itertools.product(range(limits.terms), repeat=len(courses)):
        term_of = {c.id: t for c, t in zip(courses, choice, strict=True)}
        if check_plan(courses, limits, term_of, all_terms=balance) is not None:
            continue
        if balance:
            value: float = max(sum(c.credits for c in courses if term_of[c.id] == t)
                               for t in range(limits.terms))
        else:
            value = max(choice, default=-1) + 1
        best = value if best is None else min(best, value)
    return best


@settings(max_examples=examples(300))
@given(curricula())
def test_term_plans_equal_exhaustive_search(case: tuple) -> None:
    courses, limits, objective = case
    best = exhaustive(courses, limits, objective)
    if best is None:
        with pytest.raises(NoTermPlanError) as err:
            solve_terms(courses, limits, objective=objective)
        assert str(err.value) and "\n" not in str(err.value)
        return
    plan = solve_terms(courses, limits, objective=objective)
    assert plan.optimal
    assert plan.value == best
    term_of = {c: t for t, ids in enumerate(plan.terms) for c in ids}
    assert sorted(term_of) == sorted(c.id for c in courses)
    assert check_plan(courses, limits, term_of, all_terms=objective == "balance") is None
    assert len(plan.terms) == (limits.terms if objective == "balance" else best)
    for t, ids in enumerate(plan.terms):
        credit = {c.id: c.credits for c in courses}
        assert plan.credits[t] == sum(credit[c] for c in ids)
