"""The shortcuts taken for the gap report's speed give exactly what they replace: the tree
search's own-study keys from two of them, each credential's numbers checked once per index
(yet refused every time), the cycle check without an order."""

from __future__ import annotations

import math

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Stacking
from pathways.errors import CatalogError, NoRouteError
from pathways.gaps.context import _acyclic
from pathways.index import CatalogIndex, index_of
from pathways.numbers import NumberError
from pathways.routes.engine import cheapest_routes
from pathways.routes.model import Constraints
from pathways.routes.problem import build_problem
from pathways.routes.tree import _order, _scale, _Tree
from pathways.synthetic import generate_catalog


def test_own_study_keys_are_the_affine_row() -> None:
    catalog = generate_catalog(400, seed=3)
    index = index_of(catalog)
    trees = 0
    for q in sorted(c.id for c in catalog.credentials if c.kind == "qualification"):
        try:
            p = build_problem(index, q, frozenset(), Constraints())
        except NoRouteError:  # no route: nothing to compare
            continue
        scale = _scale(p)
        if scale is None or p.special:
            continue
        order, ups, mult = _order(p)
        tree = _Tree(p, "fee", [], scale, order, ups, mult)
        for v, row in tree.own_table.items():
            assert row == [tree.own(v, k) for k in range(int(p.cap[v]) + 1)]
        trees += 1
    assert trees > 20


def _pair(fee: float) -> Catalog:
    return Catalog(credentials=[
        Credential("MC-A", "A", "micro-credential", 10, level=4, fee=fee),
        Credential("Q-B", "B", "qualification", 60, level=5, fee=6000.0),
    ], stacking=[Stacking("MC-A", "Q-B", 10)])


def test_bad_numbers_are_refused_on_every_route_not_only_the_first() -> None:
    catalog = _pair(math.inf)
    for _ in range(3):
        with pytest.raises(NumberError, match="fee of MC-A: inf is out of range"):
            cheapest_routes(catalog, ["Q-B"])


def test_a_changed_credential_is_checked_again() -> None:
    good = _pair(500.0)
    assert cheapest_routes(good, ["Q-B"])["Q-B"] is not None
    bad = Catalog(credentials=[*good.credentials[1:],
                               Credential("MC-A", "A", "micro-credential", 10, level=4,
                                          fee=math.nan)],
                  stacking=list(good.stacking))
    with pytest.raises(NumberError, match="fee of MC-A: nan is not a number"):
        cheapest_routes(bad, ["Q-B"])


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(2, 7).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=12))))
def test_the_cycle_check_agrees_with_the_ordered_one(graph: tuple[int, list[tuple[int, int]]]
                                                     ) -> None:
    n, pairs = graph
    creds = [Credential(f"C{i}", f"C{i}", "course", 10, level=4, fee=100.0) for i in range(n)]
    edges = [Stacking(f"C{u}", f"C{v}", 5) for u, v in dict.fromkeys(pairs) if u != v]
    index = CatalogIndex(Catalog(credentials=creds, stacking=edges))
    try:
        index.topological_order()
        ordered = True
    except CatalogError:
        ordered = False
    assert _acyclic(index) == ordered
