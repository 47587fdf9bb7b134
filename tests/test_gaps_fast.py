"""The gap report's fast paths give what the straightforward computations give.

Each shortcut of the report (the engine over the catalog's one index, the shortfall's
screen, the bottleneck's leaf bound) is checked against the plain computation it replaces,
on random catalogs and on the synthetic generator's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_gaps import TODAY, bounded_catalogs, small_catalogs
from test_routes_property import Case, cases

from pathways.catalog import Catalog, Rule
from pathways.gaps import GapOptions, micro_credential_coverage
from pathways.gaps.context import Context
from pathways.index import index_of

ROOT = Path(__file__).resolve().parent.parent


def _context(cat: Catalog, **options: object) -> Context:
    return Context(cat, GapOptions(as_of=TODAY, **options).resolved())  # type: ignore[arg-type]


# -- the engine over the catalog's index --------------------------------------------------------


def _same_as_the_catalogs(cat: Catalog, quals: list[str]) -> None:
    from pathways.routes import Constraints, cheapest_routes
    from pathways.routes.engine import cheapest_in

    index = index_of(cat)
    whole = cheapest_routes(cat, quals)
    assert cheapest_in(index, quals) == whole
    assert cheapest_in(index, quals, routes=False) == {
        q: None if r is None else r.value("fee") for q, r in whole.items()}
    for by in ("hours", "credits"):
        assert cheapest_in(index, quals[:5], by=by, routes=False) == {
            q: None if r is None else r.value(by)
            for q, r in cheapest_routes(cat, quals[:5], by=by).items()}
    for q in quals:
        route = whole[q]
        for c in [] if route is None else [x for x in route.credentials if x != q][:3]:
            without = Constraints(exclude=frozenset({c}))
            assert cheapest_in(index, [q], exclude=frozenset({c})) == \
                cheapest_routes(cat, [q], constraints=without)


def test_routes_over_the_index_are_the_catalogs() -> None:
    """What each route task of the report computes (the engine over the catalog's one
    index, values without routes) is what the engine gives for the catalog."""
    from pathways.formats import read_catalog
    from pathways.synthetic import generate_catalog

    demo = read_catalog(ROOT / "graphs" / "demo.json")
    _same_as_the_catalogs(demo, sorted(c.id for c in demo.credentials
                                       if c.kind == "qualification"))
    cat = generate_catalog(600, seed=3)
    quals = sorted(c.id for c in cat.credentials if c.kind == "qualification")
    _same_as_the_catalogs(cat, quals[::4])


def test_routes_over_the_index_refuse_an_unknown_exclusion() -> None:
    import pytest

    from pathways.errors import RouteError
    from pathways.formats import read_catalog
    from pathways.routes.engine import cheapest_in

    demo = read_catalog(ROOT / "graphs" / "demo.json")
    with pytest.raises(RouteError, match="NOPE"):
        cheapest_in(index_of(demo), ["DIP-ITS5"], exclude=frozenset({"NOPE"}))
    with pytest.raises(RouteError, match="objective"):
        cheapest_in(index_of(demo), ["DIP-ITS5"], by="price")


# -- the shortfall's screen ---------------------------------------------------------------------


@st.composite
def ruled_catalogs(draw: st.DrawFn) -> Catalog:
    """Small coverage catalogs where some credentials have programme rules."""
    cat = draw(small_catalogs())
    ids = sorted(c.id for c in cat.credentials)
    ruled = set(draw(st.lists(st.sampled_from(ids), max_size=2)))
    kind = draw(st.sampled_from(["max", "max_credits", "min"]))
    amount = 1 if kind != "max_credits" else 10
    cat.credentials = [replace(c, rules=(Rule(kind, amount, tuple(ids[:2])),))
                       if c.id in ruled else c for c in cat.credentials]
    return cat


@settings(max_examples=examples(80), deadline=None)
@given(ruled_catalogs())
def test_shortfall_screen_agrees_with_the_full_check(cat: Catalog) -> None:
    """The screen's limited set is each qualification's own test, its direct coverage
    never beats the optimum where no rule limits it, and the findings are those of the
    check without the screen."""
    import pathways.gaps.coverage as coverage

    ctx = _context(cat, shortfall_threshold=0.5)
    limited = coverage._limited(ctx)
    for q in ctx.qualifications:
        up = coverage._carriers(ctx, q)
        assert (q in limited) == coverage._limiting_rules(ctx, q, up), q
        if q not in limited:  # (where a rule limits it, only the programme measures it)
            assert coverage._direct(ctx, q) <= micro_credential_coverage(cat, q)[0]
    fast = coverage.shortfalls(ctx)
    slow = _without_screen(ctx)
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in slow]


def _without_screen(ctx: Context) -> list[object]:
    import pathways.gaps.coverage as coverage

    keep = coverage._direct
    coverage._direct = lambda _ctx, _q: 0  # type: ignore[assignment]
    try:
        return coverage.shortfalls(ctx)  # type: ignore[return-value]
    finally:
        coverage._direct = keep


def test_shortfall_screen_on_a_synthetic_catalog() -> None:
    from pathways.synthetic import generate_catalog

    ctx = _context(generate_catalog(1500, seed=2), shortfall_threshold=0.4)
    import pathways.gaps.coverage as coverage

    fast = coverage.shortfalls(ctx)
    assert fast  # (the threshold is high enough that some are found)
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in _without_screen(ctx)]


# -- the bottleneck's leaf bound ----------------------------------------------------------------


@settings(max_examples=examples(60), deadline=None)
@given(bounded_catalogs())
def test_leaf_bound_is_never_below_the_removal_bound(cat: Catalog) -> None:
    from pathways.gaps.bounds import Needed, leaf_bound, removal_bound
    from pathways.routes import cheapest_routes

    ctx = _context(cat)
    for q, r in cheapest_routes(cat, ctx.qualifications).items():
        needed = None if r is None else Needed(ctx, r)
        for c in [] if r is None else [x for x in r.credentials if x != q]:
            assert needed is not None
            loose = leaf_bound(ctx, r, c, needed)
            if loose is None:
                continue
            tight = removal_bound(ctx, r, c)
            assert tight is not None and tight <= loose + 1e-9, (q, c, tight, loose)


# -- values without breaking ties ---------------------------------------------------------------


@settings(max_examples=examples(80), deadline=None)
@given(case=cases())
def test_value_without_ties_is_the_routes(case: Case) -> None:
    """The total of the programme's first optimum (ties between sets not broken: what the
    bottleneck re-solves ask for) is the tie-broken route's total, by tree or programme."""
    from pathways.errors import NoRouteError
    from pathways.routes.engine import _Query
    from pathways.routes.solver import Search

    for search in (Search(), Search(tree=False), Search(tree=False, guess_from=1)):
        q = _Query(case.catalog, case.held, case.by, case.constraints, search)
        try:
            p = q.problem(case.target)
        except NoRouteError:
            return
        s, _model = q.cheapest(p)
        first, _model = q.cheapest(p, ties=False)
        assert (s is None) == (first is None)
        if s is not None and first is not None:
            assert round(first.key(case.by), 2) == round(s.key(case.by), 2)
