"""The gap report's fast paths give what the straightforward computations give.

Each shortcut of the report (the shortfall's screen, the bottleneck's leaf bound) is
checked against the plain computation it replaces, on random catalogs and on the
synthetic generator's.
"""

from __future__ import annotations

from dataclasses import replace

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_gaps import TODAY, bounded_catalogs, small_catalogs

from pathways.catalog import Catalog, Rule
from pathways.gaps import GapOptions, micro_credential_coverage
from pathways.gaps.context import Context


def _context(cat: Catalog, **options: object) -> Context:
    return Context(cat, GapOptions(as_of=TODAY, **options).resolved())  # type: ignore[arg-type]


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
