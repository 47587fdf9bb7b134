"""Bottleneck re-solves that stop at a good-enough route classify every pair as the exact
optima do.

A value asked with a good-enough threshold is either the optimum or the value of a real
route at most the threshold; so "at most the threshold" is decided exactly, and the
bottleneck findings (lost / minor / the exact increase of the others) are unchanged. The
mixed-integer programme is forced (``Search(tree=False)``) where the stop can happen: the
tree search proves optima only.
"""

from __future__ import annotations

import functools
import random
from typing import Any

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_gaps import TODAY, naive_bottlenecks, priced_catalogs
from test_routes_property import Case, cases

from pathways.catalog import Catalog
from pathways.gaps import GapOptions
from pathways.index import index_of
from pathways.routes.solver import Search

SEARCHES = (Search(), Search(tree=False), Search(tree=False, prune=False))


def _stops(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that gets True each time a programme stops at its target before its optimum."""
    from pathways.routes.solver import Model

    stopped: list[bool] = []
    solve_until = Model.solve_until

    def counting(self: Model, *args: Any, **kw: Any) -> Any:
        z, optimal = solve_until(self, *args, **kw)
        stopped.append(not optimal)
        return z, optimal

    monkeypatch.setattr(Model, "solve_until", counting)
    return stopped


def _check(exact: float | None, got: float | None, enough: float) -> None:
    assert (exact is None) == (got is None)
    if exact is None or got is None:
        return
    assert got >= exact - 1e-9  # a real route: never below the optimum
    assert got == exact or got <= enough  # the optimum, or a route good enough
    assert (got <= enough) == (exact <= enough)  # so the threshold decides as the optimum


@settings(max_examples=examples(80), deadline=None)
@given(case=cases(), factor=st.sampled_from([0.9, 1.0, 1.02, 1.1, 1.5, 3.0]),
       drop=st.integers(0, 7))
def test_good_enough_values_decide_as_the_optimum(case: Case, factor: float,
                                                  drop: int) -> None:
    """Every search, any threshold (below, at, above the optimum), with and without an
    excluded credential: the value is the optimum or a route's at most the threshold."""
    from pathways.routes.engine import cheapest_in

    index = index_of(case.catalog)
    others = sorted(c.id for c in case.catalog.credentials if c.id != case.target)
    exclude = frozenset(others[drop:drop + 1])
    for search in SEARCHES:
        exact = cheapest_in(index, [case.target], by=case.by, routes=False,
                            exclude=exclude, search=search)[case.target]
        enough = (exact if exact is not None else 100.0) * factor
        got = cheapest_in(index, [case.target], by=case.by, routes=False, exclude=exclude,
                          good_enough={case.target: enough}, search=search)[case.target]
        _check(exact, got, enough)


def test_good_enough_stops_early_on_a_synthetic_catalog(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """On the generator's catalog the programme does stop at good-enough routes that are
    not optimal (so the property above is not vacuous), and each value still decides the
    threshold as the optimum does."""
    from pathways.routes.engine import cheapest_in
    from pathways.synthetic import generate_catalog

    cat = generate_catalog(600, seed=3)
    index = index_of(cat)
    quals = sorted(c.id for c in cat.credentials if c.kind == "qualification")[::8]
    routes = cheapest_in(index, quals)
    stopped = _stops(monkeypatch)
    worse = 0
    mip = Search(tree=False)
    for q, r in sorted(routes.items()):
        assert not isinstance(r, float)
        for c in [] if r is None else [x for x in r.credentials if x != q][:4]:
            before = r.value("fee")
            for enough in (before * 1.1 - 0.01, before * 1.002):
                exact = cheapest_in(index, [q], routes=False, exclude=frozenset({c}),
                                    search=mip)[q]
                got = cheapest_in(index, [q], routes=False, exclude=frozenset({c}),
                                  good_enough={q: enough}, search=mip)[q]
                _check(exact, got, enough)
                worse += got is not None and exact is not None and got > exact
    assert any(stopped) and worse > 0


def test_good_enough_is_for_values_only() -> None:
    from pathways.errors import RouteError
    from pathways.routes.engine import cheapest_in
    from pathways.synthetic import generate_catalog

    cat = generate_catalog(200, seed=1)
    q = next(c.id for c in cat.credentials if c.kind == "qualification")
    with pytest.raises(RouteError, match="routes=False"):
        cheapest_in(index_of(cat), [q], good_enough={q: 1.0})


def test_solve_mip_stops_at_its_target() -> None:
    """HiGHS's objective target: a point at most the target, not proven optimal; a target
    below the optimum runs to the optimum."""
    from pathways.routes.highs import solve_mip

    rng = random.Random(5)
    n, m = 40, 30  # a covering programme HiGHS does not settle in presolve
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i in range(m):
        for j in rng.sample(range(n), 6):
            rows.append(i)
            cols.append(j)
            vals.append(float(rng.randint(1, 9)))
    cost = [float(rng.randint(10, 99)) for _ in range(n)]
    lo = [float(rng.randint(8, 20)) for _ in range(m)]
    hi = [float("inf")] * m
    solve = functools.partial(solve_mip, cost, rows, cols, vals, lo, hi, [0.0] * n, [1.0] * n)
    exact = solve()
    assert exact is not None and exact.optimal
    early = solve(target=exact.objective * 1.5)
    assert early is not None and not early.optimal
    assert exact.objective < early.objective <= exact.objective * 1.5
    for i in range(m):  # the point meets every row
        assert sum(v * early.x[c] for r, c, v in zip(rows, cols, vals, strict=True)
                   if r == i) >= lo[i] - 1e-6
    below = solve(target=exact.objective - 1)
    assert below is not None and below.optimal and below.objective == exact.objective


# -- the bottleneck findings --------------------------------------------------------------------


def _mip_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every route solve of the bottleneck phase by the programme (no tree search)."""
    import pathways.routes.engine as engine

    monkeypatch.setattr(engine, "cheapest_in",
                        functools.partial(engine.cheapest_in, search=Search(tree=False)))


def _bottleneck_dicts(cat: Catalog, share: float, thresholds: bool) -> list[dict[str, Any]]:
    import pathways.gaps.routed as routed
    from pathways.gaps.context import Context

    ctx = Context(cat, GapOptions(as_of=TODAY, bottleneck_min_increase=share).resolved())
    routes = routed.cheapest_routes(ctx, None)
    usage = routed.usage_of(routes)
    keep = routed._enough
    if not thresholds:
        routed._enough = lambda _ctx, _route: None  # type: ignore[assignment]
    try:
        return [f.to_dict() for f in routed.bottlenecks(ctx, routes, usage, None)]
    finally:
        routed._enough = keep


@settings(max_examples=examples(40), deadline=None)
@given(priced_catalogs(), st.sampled_from([0.05, 0.1, 0.3]))
def test_bottlenecks_with_thresholds_by_the_programme(cat: Catalog, share: float) -> None:
    """With every re-solve by the programme and its good-enough stop, the findings are
    those of solving every exclusion exactly."""
    with pytest.MonkeyPatch.context() as mp:
        _mip_only(mp)
        found = {f["credentials"][0]: (f["details"]["unreachable"],
                                       {q: float(v) for q, v in f["details"]["dearer"].items()})
                 for f in _bottleneck_dicts(cat, share, thresholds=True)}
    assert found == naive_bottlenecks(cat, share)


def test_bottlenecks_with_thresholds_on_a_synthetic_catalog(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """The generator's catalog, re-solves by the programme: the same findings with and
    without thresholds, and some re-solves did stop early."""
    from pathways.synthetic import generate_catalog

    cat = generate_catalog(600, seed=3)
    exact = _bottleneck_dicts(cat, 0.1, thresholds=False)
    _mip_only(monkeypatch)
    stopped = _stops(monkeypatch)
    assert _bottleneck_dicts(cat, 0.1, thresholds=True) == exact
    assert any(stopped)


def test_thresholds_reach_the_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks carry their thresholds to worker processes: the same findings as in this
    process, on the generator's catalog (enough tasks for the pool to start)."""
    import pathways.gaps.routed as routed
    from pathways.gaps.context import Context
    from pathways.gaps.parallel import PARALLEL_MIN_TASKS, available_cpus, run_tasks
    from pathways.synthetic import generate_catalog

    if available_cpus() < 2:
        pytest.skip("one CPU: no worker processes")
    sizes: list[int] = []

    def spy(catalog: Catalog, by: str, tasks: list[Any], **kw: Any) -> list[Any]:
        sizes.append(len(tasks))
        assert all(len(t) == 4 and len(t[3]) in (0, len(t[1])) for t in tasks)
        return run_tasks(catalog, by, tasks, **kw)

    monkeypatch.setattr(routed, "run_tasks", spy)
    cat = generate_catalog(600, seed=3)
    opts = GapOptions(as_of=TODAY).resolved()
    found = []
    for workers in (1, 2):
        ctx = Context(cat, opts, workers)
        routes = routed.cheapest_routes(ctx, None)
        usage = routed.usage_of(routes)
        found.append([f.to_dict() for f in routed.bottlenecks(ctx, routes, usage, None)])
    assert sizes[-1] >= PARALLEL_MIN_TASKS  # (the bottleneck tasks went to the pool)
    assert found[0] == found[1] and found[0]
