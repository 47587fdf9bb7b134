"""pathways.index: one index of a catalog's edges, order and reach."""

from __future__ import annotations

import pytest

from pathways.catalog import Catalog, Credential, Stacking
from pathways.errors import CatalogError
from pathways.index import CatalogIndex, index_of, topological


def _c(cid: str, **kw: object) -> Credential:
    return Credential(id=cid, title=cid, kind="micro-credential", credits=10, **kw)  # type: ignore[arg-type]


def _catalog() -> Catalog:
    creds = [_c("A"), _c("B"), _c("C", requires=(("A", "B"),)), _c("D", corequisites=("C",)),
             _c("E", strict_corequisites=("D",), requires=(("NOPE",),))]
    edges = [Stacking("A", "C", 5), Stacking("A", "C", 8), Stacking("B", "D", 10),
             Stacking("C", "C", 1), Stacking("X", "C", 1)]
    return Catalog(credentials=creds, stacking=edges)


def test_edges_by_kind() -> None:
    idx = CatalogIndex(_catalog())
    assert idx.stacking_into == {"C": (("A", 8),), "D": (("B", 10),)}
    assert idx.stacking_from == {"A": (("C", 8),), "B": (("D", 10),)}
    assert idx.sources("C") == ("A", "B")
    assert idx.sources("C", "stacking") == ("A",)
    assert idx.sources("C", "requires") == ("A", "B")
    assert idx.sources("D", "corequisite") == ("C",)
    assert idx.sources("E", "strict-corequisite") == ("D",)
    assert idx.receivers("A") == ("C",)
    assert idx.receivers("B", "stacking") == ("D",)
    assert idx.receivers("B", "requires") == ("C",)
    assert idx.receivers("C", "corequisite") == ("D",)
    assert idx.clauses["E"] == (("NOPE",), ("D",))  # clauses as written (validation names NOPE)


def test_order_and_reach() -> None:
    idx = CatalogIndex(_catalog())
    assert idx.topological_order() == ["A", "B", "C", "D", "E"]
    assert idx.upstream(["D"]) == {"A", "B", "C", "D"}
    assert idx.upstream(["NOPE"]) == set()
    assert idx.downstream(["A"]) == {"A", "C", "D", "E"}
    assert topological(["b", "a", "c"], {"a": ["c"]}) == ["b", "c", "a"]


def test_a_cycle_is_named() -> None:
    cat = Catalog(credentials=[_c("A", requires=(("B",),)), _c("B"), _c("C")],
                  stacking=[Stacking("A", "B", 5)])
    with pytest.raises(CatalogError, match=r"cycle among A, B; validate it "
                       r"\(pathways.rules.validate\) and fix it"):
        CatalogIndex(cat).topological_order()


def test_the_cache_follows_changes() -> None:
    cat = _catalog()
    first = index_of(cat)
    assert index_of(cat) is first
    cat.stacking = [*cat.stacking, Stacking("B", "E", 3)]
    again = index_of(cat)
    assert again is not first and again.stacking_into["E"] == (("B", 3),)


def test_catalog_membership_follows_changes() -> None:
    from dataclasses import replace

    cat = _catalog()
    assert "A" in cat and "NOPE" not in cat and 3 not in cat
    cat.credentials.append(_c("F"))
    assert "F" in cat
    cat.credentials[0] = replace(cat.credentials[0], id="A2")  # same length, new id
    assert "A" not in cat
    cat.credentials = [_c("Z")]
    assert "Z" in cat and "B" not in cat
