"""Dominated credentials (pathways.routes.prune): what no cheapest route can take."""

from __future__ import annotations

from pathways.catalog import Catalog, Credential, Stacking
from pathways.index import index_of
from pathways.routes import Constraints, Search, find_route
from pathways.routes.problem import build_problem
from pathways.routes.prune import dominated, without_dominated


def _catalog() -> Catalog:
    """A 120-credit certificate at $100 a credit; two 15-credit papers count into it.

    PAPER-A costs $900 and saves at most $1,500: worth taking. PAPER-B costs $2,400, at
    least $1,600 once the 5 credits of PART-B are recognised in it, and saves at most
    $1,500: never taken. PART-B, only of use counting into PAPER-B, goes with it.
    """
    creds = [
        Credential("CERT", "Certificate", "qualification", 120, level=5, fee=12000.0),
        Credential("PAPER-A", "Paper A", "course", 15, level=5, fee=900.0),
        Credential("PAPER-B", "Paper B", "course", 15, level=5, fee=2400.0),
        Credential("PART-B", "Part of B", "micro-credential", 5, level=5, fee=10.0),
    ]
    edges = [Stacking("PAPER-A", "CERT", 15), Stacking("PAPER-B", "CERT", 15),
             Stacking("PART-B", "PAPER-B", 5)]
    return Catalog(credentials=creds, stacking=edges)


def test_a_credential_costing_more_than_it_can_save_is_dominated() -> None:
    catalog = _catalog()
    p = build_problem(index_of(catalog), "CERT", frozenset(), Constraints())
    assert dominated(p, "fee") == {"PAPER-B", "PART-B"}
    # By credits studied, PAPER-B (15 credits, of which at most 5 recognised) studies at
    # least 10 to save at most 15: kept.
    assert "PAPER-B" not in dominated(p, "credits")
    cut = without_dominated(p, "fee")
    assert cut.cands == ["CERT", "PAPER-A"]
    assert cut.sources == {"CERT": [("PAPER-A", 15)]}


def test_limits_on_another_total_keep_the_problem_whole() -> None:
    catalog = _catalog()
    p = build_problem(index_of(catalog), "CERT", frozenset(), Constraints())
    assert without_dominated(p, "fee", limited=True) is p


def test_the_route_is_the_same_with_and_without() -> None:
    catalog = _catalog()
    for by in ("fee", "hours", "credits"):
        routes = [find_route(catalog, "CERT", by=by, search=Search(prune=prune, tree=tree))
                  for prune in (True, False) for tree in (True, False)]
        assert all(r.to_dict() == routes[0].to_dict() for r in routes)
    assert routes[0].credentials == ("CERT", "PAPER-A")
