"""Term plans: why none exists (one line each), time limits, and the CSPLib BACP instances.

The BACP instances (tests/data/bacp, from CSPLib prob030, CC BY 4.0) are solved with the
balance objective to their optimum and the plan is checked rule by rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pathways.plans.terms import (
    NoTermPlanError,
    TermCourse,
    TermLimits,
    TermPlanTimeout,
    check_plan,
    solve_terms,
)

BACP = Path(__file__).parent / "data" / "bacp"
T = TermCourse


def why(courses: list[TermCourse], limits: TermLimits, objective: str = "terms") -> str:
    with pytest.raises(NoTermPlanError) as err:
        solve_terms(courses, limits, objective=objective)
    return str(err.value)


CHAIN = [T("A", 3), T("B", 3, (("A",),)), T("C", 3, (("B",),)), T("D", 3, (("C",),))]


def test_a_chain_too_long_is_named() -> None:
    assert why(CHAIN, TermLimits(3)) == (
        "the prerequisite chain A → B → C → D needs 4 terms; at most 3 allowed; "
        "allow more terms")
    assert solve_terms(CHAIN, TermLimits(4)).terms == (("A",), ("B",), ("C",), ("D",))


def test_offered_terms_that_push_a_chain_out_are_named() -> None:
    courses = [T("A", 3), T("B", 3, (("A",),), offered=frozenset({0, 2})),
               T("C", 3, (("B",),))]
    assert why(courses, TermLimits(3)) == (
        "C cannot fit in 3 terms: after the chain A → B → C no term is left for it "
        "(B is offered only in terms 1, 3); allow more terms")
    assert why([T("A", 3, offered=frozenset({5}))], TermLimits(3)) == (
        "A is offered in none of the 3 terms (offered only in term 6); allow more terms")


def test_a_course_or_strict_group_too_big_for_a_term() -> None:
    assert why([T("A", 5), T("B", 1)], TermLimits(3, max_credits=4)) == (
        "A alone carries 5 credits, more than the 4 allowed in a term; "
        "raise --max-credits-per-term")
    assert why([T("A", 3), T("B", 2, strict_corequisites=("A",))],
               TermLimits(3, max_credits=4)).startswith(
        "A and B (strict co-requisites, taken in one term) carry 5 credits")


def test_totals_and_minimums() -> None:
    three = [T("A", 3), T("B", 3), T("C", 3)]
    assert why(three, TermLimits(2, max_credits=4)) == (
        "the 3 courses carry 9 credits, more than 2 terms of at most 4 credits hold (8); "
        "allow more terms or more credits per term")
    assert why(three, TermLimits(4, min_credits=3), "balance") == (
        "4 terms of at least 3 credits need 12 credits, but the courses carry only 9; "
        "lower --min-credits-per-term or ask for fewer terms")
    assert why(three, TermLimits(4, min_courses=2), "balance").startswith(
        "4 terms of at least 2 courses need 8 courses")


def test_limits_that_clash_only_together_name_the_one_to_drop() -> None:
    courses = [T("A", 3), T("B", 3, (("A",),)), T("C", 3)]
    assert why(courses, TermLimits(2, min_courses=2, max_credits=6)) == (
        "no plan of at most 2 terms meets the requisites, offered terms and at most 6 "
        "credits, at least 2 courses per term together; one would without the minimum "
        "of 2 courses per term")


def test_requisites_outside_the_plan_and_bad_options_are_refused() -> None:
    assert why([T("A", 3, (("Z",),))], TermLimits(2)) == (
        "A requires Z, which is not in the term plan; plan it too or give it as held")
    assert why([T("A", 3)], TermLimits(0)).startswith("the number of terms must be 1–")
    with pytest.raises(NoTermPlanError, match="^the minimum of 5 courses per term is above "
                       "the maximum of 2; lower --min-courses-per-term or raise "
                       "--max-courses-per-term$"):
        solve_terms([T("A", 3)], TermLimits(3, min_courses=5, max_courses=2))
    with pytest.raises(NoTermPlanError, match="unknown objective 'fast'"):
        solve_terms([T("A", 3)], TermLimits(1), objective="fast")


def test_co_requisites_and_strict_co_requisites() -> None:
    courses = [T("A", 2), T("B", 2, corequisites=("A",)), T("C", 2, strict_corequisites=("B",))]
    plan = solve_terms(courses, TermLimits(3, max_credits=4))
    assert plan.terms == (("A",), ("B", "C"))  # B may not come before A; C with B
    assert plan.optimal and plan.bound == 2


def bacp(name: str) -> tuple[list[TermCourse], TermLimits]:
    data = json.loads((BACP / f"{name}.json").read_text(encoding="utf-8"))
    meta = {k: int(v) for k, v in data["meta"].items() if k != "source"}
    courses = [T(c["id"], c["credits"], tuple(tuple(x) for x in c.get("requires", [])))
               for c in data["credentials"]]
    return courses, TermLimits(meta["periods"], meta["min_load"], meta["max_load"],
                               meta["min_courses"], meta["max_courses"])


def test_a_time_limit_returns_the_best_plan_found_and_its_bound() -> None:
    courses, limits = bacp("bacp12")
    try:
        plan = solve_terms(courses, limits, objective="balance", time_limit=0.05)
    except TermPlanTimeout as err:
        assert "no term plan found within the time limit of 0.05 s" in str(err)
        return
    term_of = {c: t for t, ids in enumerate(plan.terms) for c in ids}
    assert check_plan(courses, limits, term_of, all_terms=True) is None
    assert plan.bound is not None and 17 <= plan.bound <= plan.max_load
    assert plan.optimal == (plan.bound == plan.max_load)


# Published optima (Castro and Manzano's real-life instances): 8 periods 17, 10 periods
# 14, 12 periods 17 — 204 credits over 12 periods cannot do better than 17, and the plan
# found meets every rule.
@pytest.mark.slow
@pytest.mark.parametrize(("name", "optimum"), [("bacp8", 17), ("bacp10", 14), ("bacp12", 17)])
def test_bacp_instances_reach_their_optimum(name: str, optimum: int) -> None:
    courses, limits = bacp(name)
    plan = solve_terms(courses, limits, objective="balance", time_limit=60)
    assert plan.optimal and plan.max_load == optimum
    term_of = {c: t for t, ids in enumerate(plan.terms) for c in ids}
    assert check_plan(courses, limits, term_of, all_terms=True) is None
    assert len(plan.terms) == limits.terms


@pytest.mark.slow
def test_real_curricula_from_curricularanalytics(curricula_dir: Path) -> None:
    """The CurricularAnalytics curricula beside the checkout (../shared, read only): the
    fewest terms at 18 credits a term and the balanced plan over 8 terms (or the fewest,
    if more) both meet every rule, and agree (a plan in at most n terms of at most 18
    credits means the balanced one over n terms carries at most 18)."""
    from pathways.plans.termplan import plan_terms, term_courses
    from pathways.source import open_catalog

    files = sorted((curricula_dir / "plans").glob("*.csv"))
    assert files
    for path in files:
        catalog = open_catalog(str(path))
        courses = term_courses(catalog)
        fewest = plan_terms(catalog, max_credits=18)
        term_of = {c: t for t, ids in enumerate(fewest.plan.terms) for c in ids}
        limits = TermLimits(len(fewest.plan.terms), max_credits=18)
        assert check_plan(courses, limits, term_of) is None, path.name
        n = max(8, len(fewest.plan.terms))
        balanced = plan_terms(catalog, terms=n, balance=True, time_limit=60)
        term_of = {c: t for t, ids in enumerate(balanced.plan.terms) for c in ids}
        assert check_plan(courses, TermLimits(n), term_of, all_terms=True) is None
        total = sum(c.credits for c in courses)
        assert balanced.plan.optimal and total / n <= balanced.plan.max_load <= 18, path.name
