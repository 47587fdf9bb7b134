"""A catalog's term plan equals an exhaustive search that reads the catalog itself.

Random small curricula with a calendar of three terms a year, intakes (term names, dates,
"any-week"), held courses and a start date: the search tries every assignment of the
courses not held to the calendar's terms from the start, checking each rule straight from
the credentials (requirements met by held courses or earlier terms, co-requisites,
strict co-requisites, intakes against the terms' dates, the limits), so the translation
into :class:`TermCourse` (held, offered terms) is checked too.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Term
from pathways.plans.termplan import plan_terms
from pathways.plans.terms import NoTermPlanError

pytestmark = pytest.mark.slow  # many small programmes and exhaustive searches

CALENDAR = tuple(Term(name, f"{y}-{a}", f"{y}-{b}") for y in (2027, 2028)
                 for name, a, b in (("T1", "02-22", "05-28"), ("T2", "06-14", "09-17"),
                                    ("T3", "10-04", "12-17")))
INTAKES = ((), ("any-week",), ("T1",), ("T2",), ("T1", "T3"), ("2027-07-01",),
           ("2028-03-01", "T2"))


@st.composite
def cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(1, 5))
    ids = [f"C{x}" for x in draw(st.permutations("ABCDE"))[:n]]
    creds = []
    for i, cid in enumerate(ids):
        before = ids[:i]
        requires = tuple(
            tuple(sorted(draw(st.lists(st.sampled_from(before), min_size=1, max_size=2,
                                       unique=True))))
            for _ in range(draw(st.integers(0, 2)) if before else 0))
        coreq = (draw(st.sampled_from(before)),) if before and draw(st.integers(0, 4)) == 0 \
            else ()
        strict = (draw(st.sampled_from(before)),) if before and draw(st.integers(0, 5)) == 0 \
            else ()
        creds.append(Credential(
            id=cid, title=cid, kind="course", credits=draw(st.sampled_from((1, 2, 3, 4))),
            requires=requires, corequisites=coreq, strict_corequisites=strict,
            intakes=draw(st.sampled_from(INTAKES))))
    return {
        "catalog": Catalog(credentials=creds, calendar=CALENDAR, framework="generic"),
        "held": draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)),
        "start": draw(st.sampled_from((None, "2027-03-01", "2027-11-01"))),
        "terms": draw(st.integers(1, 4)),
        "max_credits": draw(st.sampled_from((None, 4, 5, 7))),
        "min_courses": draw(st.sampled_from((0, 0, 1, 2))),
        "balance": draw(st.booleans()),
    }


def offered(c: Credential, term: Term) -> bool:
    if not c.intakes or "any-week" in c.intakes:
        return True
    return any(term.term == i or term.start <= i <= term.end for i in c.intakes)


def valid(case: dict, todo: list[Credential], slots: list[Term], choice: tuple) -> bool:
    held = set(case["held"])
    at = {c.id: t for c, t in zip(todo, choice, strict=True)}
    for c in todo:
        t = at[c.id]
        if not offered(c, slots[t]):
            return False
        for clause in c.requires:
            if not any(a in held or at[a] < t for a in clause):
                return False
        if any(a not in held and at[a] > t for a in c.corequisites):
            return False
        if any(a not in held and at[a] != t for a in c.strict_corequisites):
            return False
    used = len(slots) if case["balance"] else max(choice) + 1
    for t in range(used):
        here = [c for c in todo if at[c.id] == t]
        if len(here) < case["min_courses"]:
            return False
        if case["max_credits"] is not None and sum(c.credits for c in here) > case["max_credits"]:
            return False
    return True


def exhaustive(case: dict) -> float | None:
    todo = [c for c in case["catalog"] if c.id not in case["held"]]
    slots = [t for t in CALENDAR if case["start"] is None or t.start >= case["start"]]
    slots = slots[:case["terms"]]
    best = None
    for choice in itertools.product(range(len(slots)), repeat=len(todo)):
        if not valid(case, todo, slots, choice):
            continue
        if case["balance"]:
            value: float = max(sum(c.credits for c, t in zip(todo, choice, strict=True)
                                   if t == s) for s in range(len(slots)))
        else:
            value = max(choice) + 1
        best = value if best is None else min(best, value)
    return best


@settings(max_examples=examples(200))
@given(cases())
def test_catalog_term_plans_equal_exhaustive_search(case: dict) -> None:
    todo = [c for c in case["catalog"] if c.id not in case["held"]]
    options = dict(held=case["held"], start=case["start"], terms=case["terms"],
                   max_credits=case["max_credits"], min_courses=case["min_courses"],
                   balance=case["balance"])
    if not todo:
        with pytest.raises(NoTermPlanError, match="nothing to plan"):
            plan_terms(case["catalog"], **options)
        return
    slots = [t for t in CALENDAR if case["start"] is None or t.start >= case["start"]]
    if case["balance"] and case["terms"] > len(slots):  # exactly N terms: not in the calendar
        with pytest.raises(NoTermPlanError, match="the calendar has only"):
            plan_terms(case["catalog"], **options)
        return
    best = exhaustive(case)
    if best is None:
        with pytest.raises(NoTermPlanError):
            plan_terms(case["catalog"], **options)
        return
    s = plan_terms(case["catalog"], **options)
    assert s.plan.optimal
    assert (s.plan.max_load if case["balance"] else len(s.plan.terms)) == best
    at = {c: t for t, ids in enumerate(s.plan.terms) for c in ids}
    choice = tuple(at[c.id] for c in todo)
    assert valid(case, todo, slots[:len(s.plan.terms)], choice)
    got = s.to_dict()
    assert [(t["term"], t["start"], t["end"]) for t in got["terms"]] == [
        (t.term, t.start, t.end) for t in slots[:len(s.plan.terms)]]
    assert got["finish"] == slots[len(s.plan.terms) - 1].end
