"""Term plans of catalogs: curricula, composed programmes, held credentials, the JSON
shape, the term map."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.catalog import Catalog, Credential, Stacking
from pathways.plans.termplan import plan_terms, term_courses
from pathways.plans.terms import NoTermPlanError


def course(cid: str, credits: float = 15, **kw: object) -> Credential:
    return Credential(id=cid, title=f"Course {cid}", kind="course", credits=credits,
                      fee=1000.0, **kw)  # type: ignore[arg-type]


def programme() -> Catalog:
    """DEG (no study of its own) = SUB (no study of its own: P1 + P3) + P2 + P4; P2
    requires P1 and P4 requires SUB."""
    return Catalog(
        credentials=[
            course("P1"), course("P2", requires=(("P1",),)), course("P3"),
            course("P4", requires=(("SUB",),)),
            Credential(id="SUB", title="Sub-award", kind="qualification", credits=30,
                       direct_study=False),
            Credential(id="DEG", title="Degree", kind="qualification", credits=60,
                       direct_study=False),
        ],
        stacking=[Stacking("P1", "SUB", 15), Stacking("P3", "SUB", 15),
                  Stacking("SUB", "DEG", 30), Stacking("P2", "DEG", 15),
                  Stacking("P4", "DEG", 15)],
        framework="generic", name="Composed")


def test_a_composed_programme_plans_its_route_steps_with_study() -> None:
    s = plan_terms(programme(), target="DEG", max_credits=30)
    assert s.plan.terms == (("P1", "P3"), ("P2", "P4"))  # P4 waits for SUB's P1 and P3
    assert s.to_dict() == {
        "terms": [
            {"term": "1", "start": None, "end": None, "credits": 30, "steps": ["P1", "P3"]},
            {"term": "2", "start": None, "end": None, "credits": 30, "steps": ["P2", "P4"]},
        ],
        "max_load": 30, "finish": None}
    courses = {c.id: c for c in term_courses(programme(), target="DEG")}
    assert sorted(courses) == ["P1", "P2", "P3", "P4"]  # SUB and DEG have no study
    assert courses["P4"].prerequisites == (("P1",), ("P3",))


def test_held_credentials_meet_requirements_and_are_not_planned() -> None:
    s = plan_terms(programme(), target="DEG", held=["P1"], max_credits=45)
    assert s.plan.terms == (("P2", "P3"), ("P4",))
    cur = Catalog(credentials=[course("A"), course("B", requires=(("A",),)),
                               course("C", requires=(("B",),))], framework="generic")
    assert plan_terms(cur).plan.terms == (("A",), ("B",), ("C",))
    assert plan_terms(cur, held=["A"]).plan.terms == (("B",), ("C",))
    with pytest.raises(NoTermPlanError, match="nothing to plan"):
        plan_terms(cur, held=["A", "B", "C"])
    with pytest.raises(NoTermPlanError, match="unknown credential 'Z'.* \\(given as held\\)"):
        plan_terms(cur, held=["Z"])


def test_a_counted_source_is_done_by_the_term_of_what_it_counts_into() -> None:
    cat = Catalog(credentials=[
        Credential(id="MC", title="Micro", kind="micro-credential", credits=10, fee=100.0),
        Credential(id="Q", title="Qual", kind="qualification", credits=40, fee=4000.0)],
        stacking=[Stacking("MC", "Q", 10)], framework="generic")
    s = plan_terms(cat, target="Q", max_credits=30)
    assert s.plan.terms == (("MC",), ("Q",))  # 10 + 30 do not fit in one term of 30
    assert plan_terms(cat, target="Q", max_credits=40).plan.terms == (("MC", "Q"),)


def test_balance_without_terms_uses_the_fewest() -> None:
    cur = Catalog(credentials=[course(c, credits) for c, credits in
                               (("A", 4), ("B", 4), ("C", 2), ("D", 2), ("E", 4))],
                  framework="generic")
    fewest = plan_terms(cur, max_credits=8)
    assert len(fewest.plan.terms) == 2
    balanced = plan_terms(cur, max_credits=10, balance=True)
    assert len(balanced.plan.terms) == 2 and balanced.plan.max_load == 8
    assert plan_terms(cur, terms=4, balance=True).plan.max_load == 4


def test_the_term_map_draws_a_column_per_term(tmp_path: Path) -> None:
    from pathways.drawing.termmap import draw_term_map, term_catalog

    s = plan_terms(programme(), target="DEG", max_credits=30)
    sub = term_catalog(programme(), s)
    assert {c.id: c.term for c in sub} == {"P1": 1, "P3": 1, "P2": 2, "P4": 2}
    written = draw_term_map(programme(), s, tmp_path / "plan.png")
    assert [p.name for p in written.files] == ["plan.png"]
    assert (tmp_path / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def calendar_catalog() -> Catalog:
    """Two terms a year, 2027–2029; A (T1) → B (T2) → C (T1); D on a date in T2 2027;
    E any week."""
    from pathways.catalog import Term

    terms = [Term(name, f"{y}-{a}", f"{y}-{b}") for y in (2027, 2028, 2029)
             for name, a, b in (("T1", "02-22", "06-11"), ("T2", "07-12", "10-29"))]
    return Catalog(
        credentials=[
            course("A", intakes=("T1",)), course("B", requires=(("A",),), intakes=("T2",)),
            course("C", requires=(("B",),), intakes=("T1",)),
            course("D", intakes=("2027-08-02",)), course("E", intakes=("any-week",))],
        calendar=tuple(terms), framework="generic", name="Dated")


def test_a_dated_term_map_heads_its_columns_with_the_calendar_terms(tmp_path: Path) -> None:
    from pathways.drawing.termmap import draw_term_map, term_names

    s = plan_terms(calendar_catalog(), start="2027-03-01")
    assert term_names(s) == ("T2 2027", "T1 2028", "T2 2028", "T1 2029")
    assert term_names(plan_terms(programme(), target="DEG", max_credits=30)) == ()
    draw_term_map(calendar_catalog(), s, tmp_path / "plan.svg")
    svg = (tmp_path / "plan.svg").read_text()
    assert "T2 2027" in svg and "T1 2029" in svg and "Term 1" not in svg
    assert "from 2027-07-12, finish 2029-06-11" in svg


def test_calendar_terms_and_intakes_are_offered_terms() -> None:
    s = plan_terms(calendar_catalog())
    term_of = {c: t for t, ids in enumerate(s.plan.terms) for c in ids}
    assert [term_of[c] for c in "ABCD"] == [0, 1, 2, 1]  # E may go anywhere
    got = s.to_dict()
    assert [(t["term"], t["start"], t["end"]) for t in got["terms"]] == [
        ("T1", "2027-02-22", "2027-06-11"), ("T2", "2027-07-12", "2027-10-29"),
        ("T1", "2028-02-22", "2028-06-11")]
    assert got["finish"] == "2028-06-11"
    # From March 2027 the first term is T2 2027: D's only intake is then; A waits for T1.
    late = plan_terms(calendar_catalog(), start="2027-03-01")
    late_of = {c: t for t, ids in enumerate(late.plan.terms) for c in ids}
    assert [late_of[c] for c in "ABCD"] == [1, 2, 3, 0]
    assert late.finish == "2029-06-11"
    with pytest.raises(NoTermPlanError) as err:
        plan_terms(calendar_catalog(), start="2027-03-01", terms=2)
    assert str(err.value) == (
        "B cannot fit in 2 terms: after the chain A → B no term is left for it (A is offered "
        "only in T1 from 2028-02-22; B is offered only in T2 from 2027-07-12); allow more "
        "terms")
    with pytest.raises(NoTermPlanError, match="D is offered in none of the 4 terms"):
        plan_terms(calendar_catalog(), start="2028-01-01")
    with pytest.raises(NoTermPlanError, match="no term starting on or after 2030-01-01"):
        plan_terms(calendar_catalog(), start="2030-01-01")
