"""The shortcuts taken for the gap report's speed give exactly what they replace: the tree
search's own-study keys from two of them, each credential's numbers checked once per index
(yet refused every time)."""

from __future__ import annotations

import math

import pytest

from pathways.catalog import Catalog, Credential, Stacking
from pathways.errors import NoRouteError
from pathways.index import index_of
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
