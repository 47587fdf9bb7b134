"""Cycles found on the compact graph (pathways.rules.cycles) are the ones networkx finds on
the catalog's whole graph, component by component."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Stacking, find_cycle, to_graph
from pathways.rules.cycles import cycles

IDS = [f"C{i}" for i in range(9)]


def reference(catalog: Catalog) -> list[list[str]]:
    """What validation found before: networkx on the whole graph."""
    graph = to_graph(catalog)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    components = [sorted(s) for s in nx.strongly_connected_components(graph) if len(s) > 1]
    return [find_cycle(graph.subgraph(members)) or members for members in sorted(components)]


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=9))  # duplicates too
    named = st.sampled_from([*IDS, "UNKNOWN"])
    creds = [Credential(cid, "t", "course", 5,
                        requires=tuple(tuple(c) for c in draw(st.lists(
                            st.lists(named, min_size=1, max_size=3), max_size=2))),
                        corequisites=tuple(draw(st.lists(named, max_size=2))),
                        strict_corequisites=tuple(draw(st.lists(named, max_size=1))))
             for cid in ids]
    edges = [Stacking(u, v, 5) for u, v in draw(st.lists(st.tuples(named, named), max_size=14))]
    return Catalog(credentials=creds, stacking=edges)


@settings(max_examples=300, deadline=None)
@given(catalogs())
def test_same_cycles_as_networkx_on_the_whole_graph(catalog: Catalog) -> None:
    assert cycles(catalog) == reference(catalog)


def test_a_long_chain_needs_no_recursion() -> None:
    n = 50_000
    creds = [Credential(f"C{i}", "t", "course", 5) for i in range(n)]
    edges = [Stacking(f"C{i}", f"C{i + 1}", 5) for i in range(n - 1)]
    assert cycles(Catalog(credentials=creds, stacking=edges)) == []
    edges.append(Stacking(f"C{n - 1}", "C0", 5))
    found = cycles(Catalog(credentials=creds, stacking=edges))
    assert len(found) == 1 and len(found[0]) == n and found[0][0] == "C0"
