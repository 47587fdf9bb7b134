"""The route engine equals an exhaustive search on many small random catalogs.

Both exact methods are checked: the default (the tree branch-and-bound, falling back to the
mixed-integer programme) and the programme alone, with the counted-into choice both
enumerated and left to the programme.

The search below is written plainly from semantics.md section 2: every set A ∋ T of
credentials that may be newly taken, every counted-into choice for every credential of
A ∪ H, credits counted highest level first, every rule checked, totals in exact fractions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, CreditUnit, Provider, Stacking
from pathways.errors import NoRouteError
from pathways.routes import OBJECTIVES, Constraints, Search, find_route, find_routes, pareto_routes

pytestmark = pytest.mark.slow  # every property here is a long one

CREDITS = (5, 10, 15, 20, 30, 40, 60, 120)  # fees per credit are then multiples of 1/120
KINDS = ("micro-credential", "qualification", "course")
MODES = ("online", "in-person")


@dataclass(frozen=True)
class Case:
    catalog: Catalog
    target: str
    held: tuple[str, ...]
    by: str
    constraints: Constraints


def chance(draw: st.DrawFn, tenths: int) -> bool:
    """True in about ``tenths`` out of ten draws (small integers are drawn more often)."""
    return bool(draw(st.sampled_from([False] * (10 - tenths) + [True] * tenths)))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(4, 8))
    # Ids in an order unrelated to the stacking order, so ties are not broken by accident.
    ids = [f"C{x}" for x in draw(st.permutations("ABCDEFGH"))[:n]]
    creds: list[Credential] = []
    edges: list[Stacking] = []
    for i, cid in enumerate(ids):
        last = i == n - 1
        credits = draw(st.sampled_from((40, 60, 120) if last else CREDITS))
        level = draw(st.integers(3, 7))
        # Sources are mostly cheaper per credit than what they stack into, so stacking pays.
        per_credit = draw(st.integers(80, 150) if last else st.integers(0, 70))
        sources = []
        picks = st.lists(st.integers(0, i - 1), min_size=1 if last else 0,
                         max_size=min(i, 3), unique=True) if i else st.just([])
        for j in draw(picks):
            whole = creds[j].credits
            edges.append(Stacking(ids[j], cid, whole if chance(draw, 6)
                                  else draw(st.integers(1, whole))))
            sources.append(ids[j])
        requires: tuple[tuple[str, ...], ...] = ()
        if i and chance(draw, 3):
            alts = draw(st.lists(st.sampled_from(ids[:i]), min_size=1, max_size=2, unique=True))
            requires = (tuple(alts),)
        profile: tuple[tuple[int, int], ...] = ()
        if chance(draw, 4):
            profile = ((draw(st.integers(3, level)), draw(st.integers(1, credits))),)
        creds.append(Credential(
            id=cid, title=cid, kind="qualification" if last else draw(st.sampled_from(KINDS)),
            credits=credits, level=level, provider=draw(st.sampled_from(("p1", "p2"))),
            fee=0 if chance(draw, 1) else per_credit * credits,
            hours=draw(st.one_of(st.none(), st.none(), st.integers(0, 15 * credits))),
            delivery=draw(st.sampled_from((("online",), ("in-person", "online"),
                                           ("in-person",), ()))),
            status="discontinued" if not last and chance(draw, 1) else "current",
            requires=requires,
            max_recognised=draw(st.one_of(st.none(), st.integers(0, credits))),
            core=(draw(st.sampled_from(sources)),) if sources and chance(draw, 2) else (),
            level_profile=profile,
        ))
    target = ids[-1]
    held = tuple(sorted(draw(st.lists(st.sampled_from(ids[:-1]), max_size=2, unique=True))
                        if chance(draw, 4) else ()))
    exclude = frozenset({draw(st.sampled_from(ids[:-1]))} if chance(draw, 3) else ())
    constraints = Constraints(
        budget=draw(st.integers(0, 20000)) if chance(draw, 2) else None,
        max_hours=draw(st.integers(0, 3000)) if chance(draw, 2) else None,
        exclude=exclude,
        exclude_providers=frozenset({"p2"}) if chance(draw, 1) else frozenset(),
        providers=frozenset({"p1"}) if chance(draw, 1) else None,
        delivery=frozenset({"online"}) if chance(draw, 1) else None,
        # An allow-list names the target too, so the plain search needs no special case.
        allowed=frozenset({target, *draw(st.lists(st.sampled_from(ids[:-1]), unique=True))})
        if chance(draw, 1) else None,
    )
    if constraints.providers and constraints.exclude_providers:
        constraints = Constraints(budget=constraints.budget, max_hours=constraints.max_hours,
                                  exclude=exclude, providers=constraints.providers,
                                  allowed=constraints.allowed)
    # Both providers are in the catalog: constraints may name either (an unknown one is
    # refused, see test_routes.py).
    providers = [Provider("p1", "P1"), Provider("p2", "P2")]
    return Case(Catalog(providers=providers, credentials=creds, stacking=edges), target, held,
                draw(st.sampled_from(OBJECTIVES)), constraints)


# -- the exhaustive search ---------------------------------------------------------------------

@dataclass(frozen=True)
class Plain:
    chosen: tuple[str, ...]  # sorted
    links: tuple[tuple[str, str], ...]
    fee: Fraction
    hours: Fraction
    studied: int

    def key(self, by: str) -> tuple[object, ...]:
        first = {"fee": self.fee, "hours": self.hours, "credits": Fraction(self.studied)}[by]
        return (first, self.fee, self.hours, len(self.chosen), self.chosen, self.studied)


def may_take(c: Credential, cons: Constraints) -> bool:
    if c.status == "discontinued" or c.id in cons.exclude:
        return False
    if cons.allowed is not None and c.id not in cons.allowed:
        return False
    if c.provider in cons.exclude_providers:
        return False
    if cons.providers is not None and c.provider not in cons.providers:
        return False
    return cons.delivery is None or any(m in cons.delivery for m in c.delivery)


#: Frameworks numbering levels alike (issue 14: NZQF levels are not AQF levels).
SCALE = {"nzqf": "NZ", "nzqf-2018": "NZ", "aqf": "AU", "generic": "generic"}


def level_in(cat: Catalog, u: Credential, v: Credential) -> int:
    """u's level as v's level profile sees it: a level of another framework's scale is
    never compared with v's, so it counts as below every level."""
    def scale(c: Credential) -> str:
        return SCALE[c.framework or cat.framework]

    return (u.level or 0) if scale(u) == scale(v) else -1


def plain_totals(cat: Catalog, chosen: set[str], links: dict[str, str]) -> tuple[Fraction,
                                                                                Fraction, int]:
    creds = cat.index()
    r = {(e.source, e.target): e.credits for e in cat.stacking}
    fee, hours, studied_all = Fraction(0), Fraction(0), 0
    for v in chosen:
        c = creds[v]
        cap = c.credits if c.max_recognised is None else min(c.max_recognised, c.credits)
        counted = 0
        below = {lv: 0 for lv, _m in c.level_profile}
        for u in sorted((u for u, w in links.items() if w == v),
                        key=lambda u: -level_in(cat, creds[u], c)):  # highest level first
            lu = level_in(cat, creds[u], c)
            take = min(r[(u, v)], cap - counted)
            for lv, m in c.level_profile:
                if lu < lv:
                    take = min(take, c.credits - m - below[lv])
            take = max(take, 0)
            counted += take
            for lv in below:
                if lu < lv:
                    below[lv] += take
        studied = c.credits - counted
        fee += Fraction(c.fee or 0) * studied / c.credits
        per_credit = Fraction(cat.credit_unit.hours) if cat.credit_unit else 10
        hours += Fraction(c.hours if c.hours is not None else per_credit * c.credits) \
            * studied / c.credits
        studied_all += studied
    return fee, hours, studied_all


def every_route(case: Case, useful_only: bool = False) -> Iterator[Plain]:
    cat, cons, held = case.catalog, case.constraints, set(case.held)
    creds = cat.index()
    takeable = [c.id for c in cat.credentials if c.id not in held and may_take(c, cons)]
    if case.target not in takeable:
        return
    others = [x for x in takeable if x != case.target]
    edges = {(e.source, e.target) for e in cat.stacking}
    for size in range(len(others) + 1):
        for extra in itertools.combinations(others, size):
            chosen = {case.target, *extra}
            if any(not any(a in chosen or a in held for a in clause)
                   for v in chosen for clause in creds[v].requires):
                continue
            # A held credential that stacks into another held one is already counted into
            # it (semantics.md section 2): it counts into nothing else.
            sources = sorted(chosen | {h for h in held
                                       if not any((h, w) in edges for w in held)})
            options = [[None, *sorted(v for v in chosen if (u, v) in edges)] for u in sources]
            for pick in itertools.product(*options):
                links = {u: v for u, v in zip(sources, pick, strict=True) if v is not None}
                if any(links.get(k) != v for v in chosen for k in creds[v].core):
                    continue
                if useful_only and any(
                        u != case.target and u not in links
                        and not any(u in clause for v in chosen for clause in creds[v].requires)
                        for u in chosen):
                    continue
                fee, hours, studied = plain_totals(cat, chosen, links)
                if cons.budget is not None and fee > cons.budget:
                    continue
                if cons.max_hours is not None and hours > cons.max_hours:
                    continue
                yield Plain(tuple(sorted(chosen)), tuple(sorted(links.items())), fee, hours,
                            studied)


def close(engine: float, exact: Fraction) -> bool:
    return abs(Fraction(engine) - exact) <= Fraction(6, 1000)  # the engine rounds to cents


def check_route_is_consistent(case: Case, route: object) -> None:
    """The engine's own steps, re-totalled by the plain rules, give its totals."""
    from pathways.routes import Route

    assert isinstance(route, Route)
    links = {s.id: s.counted_into for s in route.steps if s.counted_into is not None}
    links.update({h: into for h, into, _n in route.held_counted})
    fee, hours, studied = plain_totals(case.catalog, set(route.credentials), links)
    assert close(route.fee, fee) and close(route.hours, hours)
    assert route.credits_studied == studied
    seen: set[str] = set(case.held)
    creds = case.catalog.index()
    for s in route.steps:  # a followable order
        assert all(u in seen for u, into in links.items() if into == s.id)
        assert all(any(a in seen for a in clause) for clause in creds[s.id].requires)
        seen.add(s.id)


# -- the properties ----------------------------------------------------------------------------

SETTINGS = settings(max_examples=examples(500), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_cheapest(case: Case, search: Search | None = None) -> None:
    routes = list(every_route(case))
    try:
        got = find_route(case.catalog, case.target, held=case.held, by=case.by,
                         constraints=case.constraints, search=search)
    except NoRouteError:
        assert routes == []
        return
    assert routes, "the engine found a route the exhaustive search says does not exist"
    best = min(routes, key=lambda r: r.key(case.by))
    assert got.credentials == best.chosen
    assert close(got.fee, best.fee) and close(got.hours, best.hours)
    assert got.credits_studied == best.studied
    check_route_is_consistent(case, got)


@SETTINGS
@given(case=cases())
def test_cheapest_route_equals_exhaustive_search(case: Case) -> None:
    check_cheapest(case)


def programme_only(enumerate_limit: int | None = None) -> Search:
    """Without the tree programme's fast path (and optionally without enumeration)."""
    if enumerate_limit is None:
        return Search(tree=False)
    return Search(tree=False, enumerate_limit=enumerate_limit)


@settings(SETTINGS, max_examples=examples(300))
@given(case=cases())
def test_programme_alone_equals_exhaustive_search(case: Case) -> None:
    """The mixed-integer programme, without the tree programme's fast path."""
    check_cheapest(case, programme_only())


@settings(SETTINGS, max_examples=examples(100))
@given(case=cases())
def test_assignment_by_programme_equals_exhaustive_search(case: Case) -> None:
    """The counted-into choice made by the programme instead of by enumeration."""
    check_cheapest(case, programme_only(enumerate_limit=0))


def notional(case: Case) -> Case:
    """The case with every credential at its notional hours (ten hours a credit, as in
    the NZQF): hours studied are then a fixed multiple of credits studied."""
    creds = [replace(c, hours=None) for c in case.catalog.credentials]
    return replace(case, catalog=replace(case.catalog, credentials=creds))


@settings(SETTINGS, max_examples=examples(100))
@given(case=cases())
def test_assignment_at_notional_hours_equals_exhaustive_search(case: Case) -> None:
    """With hours a multiple of credits the programme settles the counted-into choice
    without solving for credits studied (read from the hours-best assignment)."""
    check_cheapest(notional(case), programme_only(enumerate_limit=0))
    check_k_best(notional(case), Search(guess_from=1, enumerate_limit=0))


@settings(SETTINGS, max_examples=examples(100))
@given(case=cases())
def test_assignment_after_the_tree_programme_equals_exhaustive_search(case: Case) -> None:
    """The tree programme's route, its counted-into choice left to the programme (as on
    big problems): the tree's assignment settles every key, the programme only the links."""
    check_cheapest(case, Search(enumerate_limit=0))


@settings(SETTINGS, max_examples=examples(200))
@given(case=cases())
def test_programme_from_a_guessed_start_equals_exhaustive_search(case: Case) -> None:
    """The programme starting from a guessed route (as on big problems), each solve cut
    off at the best total so far."""
    check_cheapest(case, Search(tree=False, guess_from=1))


@settings(SETTINGS, max_examples=examples(150))
@given(case=cases())
def test_leaving_out_dominated_credentials_changes_no_route(case: Case) -> None:
    """The same route, byte for byte, with and without dominated credentials dropped
    before the search (by the tree and by the programme)."""
    for tree in (True, False):
        answers = []
        for prune in (True, False):
            try:
                answers.append(find_route(
                    case.catalog, case.target, held=case.held, by=case.by,
                    constraints=case.constraints,
                    search=Search(tree=tree, prune=prune, guess_from=1)).to_dict())
            except NoRouteError as e:
                answers.append({"error": str(e)})
        assert answers[0] == answers[1]


def check_k_best(case: Case, search: Search | None = None) -> None:
    """The 3 best routes with different sets equal the exhaustive search's."""
    best_by_set: dict[tuple[str, ...], Plain] = {}
    for r in every_route(case, useful_only=True):
        if r.chosen not in best_by_set or r.key(case.by) < best_by_set[r.chosen].key(case.by):
            best_by_set[r.chosen] = r
    expected = sorted(best_by_set.values(), key=lambda r: r.key(case.by))[:3]
    try:
        got = find_routes(case.catalog, case.target, k=3, held=case.held, by=case.by,
                          constraints=case.constraints, search=search)
    except NoRouteError:
        assert expected == []
        return
    assert [r.credentials for r in got] == [r.chosen for r in expected]
    for g, e in zip(got, expected, strict=True):
        assert close(g.fee, e.fee) and close(g.hours, e.hours)


@settings(SETTINGS, max_examples=examples(150))
@given(case=cases())
def test_k_best_routes_equal_exhaustive_search(case: Case) -> None:
    check_k_best(case)


@settings(SETTINGS, max_examples=examples(150))
@given(case=cases())
def test_k_best_routes_from_guessed_starts_equal_exhaustive_search(case: Case) -> None:
    """The K best as on big problems: each route guessed, then proved in cut-off solves
    (a guess reused while no route found rules it out), the counted-into choices left to
    the programme."""
    check_k_best(case, Search(guess_from=1))
    check_k_best(case, Search(guess_from=1, enumerate_limit=0))


@settings(SETTINGS, max_examples=examples(150))
@given(case=cases())
def test_pareto_routes_equal_exhaustive_search(case: Case) -> None:
    routes = list(every_route(case))
    points = {(r.fee, r.hours) for r in routes}
    front = sorted(p for p in points
                   if not any(q != p and q[0] <= p[0] and q[1] <= p[1] for q in points))
    try:
        got = pareto_routes(case.catalog, case.target, held=case.held,
                            constraints=case.constraints)
    except NoRouteError:
        assert front == []
        return
    assert len(got) == len(front)
    for g, (fee, hours) in zip(got, front, strict=True):
        assert close(g.fee, fee) and close(g.hours, hours)
        at_point = [r for r in routes if (r.fee, r.hours) == (fee, hours)]
        assert g.credentials == min((len(r.chosen), r.chosen) for r in at_point)[1]


@st.composite
def cross_tasman_cases(draw: st.DrawFn) -> Case:
    """A case of :func:`cases` made Australian or cross-Tasman (issue 14): the catalog in
    NZQF or AQF, credits in NZQF credits or a provider's credit points (hours per unit),
    and some credentials following the other framework, whose levels are on another scale."""
    case = draw(cases())
    cat = case.catalog
    home = draw(st.sampled_from(("nzqf", "aqf")))
    unit = draw(st.sampled_from((None, CreditUnit("credit point", 12.5),
                                 CreditUnit("point", 7.5))))
    other = "nzqf" if home == "aqf" else "aqf"
    # About half the credentials follow the other framework (said outright or not at all
    # when it is the catalog's); the target follows the catalog's.
    creds = [replace(c, framework=draw(st.sampled_from((None, home, other, other))))
             for c in cat.credentials[:-1]]
    t = cat.credentials[-1]
    if chance(draw, 7):
        # The target asks for most of its credits at level 3 or above: every source of its
        # own scale has that (levels are 3-7 here), one of another scale never shows it.
        t = replace(t, level_profile=((3, draw(st.sampled_from(
            (t.credits, t.credits, t.credits // 2)))),))
    creds.append(t)
    return replace(case, catalog=Catalog(providers=cat.providers, credentials=creds,
                                         stacking=cat.stacking, framework=home,
                                         credit_unit=unit))


@settings(SETTINGS, max_examples=examples(300))
@given(case=cross_tasman_cases())
def test_cheapest_route_across_frameworks_and_credit_units(case: Case) -> None:
    check_cheapest(case)
