"""Cycles found on the compact graph (pathways.rules.cycles) are the ones networkx finds on
the catalog's whole graph, component by component; so are the strict co-requisites that
cannot all be met (rules/programme.py, on the same compact graph)."""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Stacking, find_cycle, to_graph
from pathways.rules.context import _Context, _natural
from pathways.rules.cycles import cycles, has_cycle
from pathways.rules.programme import _strict_corequisites

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


def strict_reference(ctx: _Context) -> list[Any]:
    """The strict co-requisite check as it was, on a networkx graph."""
    if not any(c.strict_corequisites for c in ctx.catalog.credentials):
        return []
    graph: nx.DiGraph = nx.DiGraph()
    strict_pairs, before = [], []
    for c in ctx.catalog.credentials:
        for a in c.strict_corequisites:
            if a in ctx.index and a != c.id:
                graph.add_edge(a, c.id)
                graph.add_edge(c.id, a)
                strict_pairs.append((a, c.id))
        for a in c.corequisites:
            if a in ctx.index and a != c.id:
                graph.add_edge(a, c.id)
    for c in ctx.catalog.credentials:
        for a in (a for clause in c.requires for a in clause):
            if a in ctx.index and a != c.id:
                graph.add_edge(a, c.id)
                before.append((a, c.id))
    for e in ctx.catalog.stacking:
        if e.source in ctx.index and e.target in ctx.index and e.source != e.target:
            graph.add_edge(e.source, e.target)
            before.append((e.source, e.target))
    component = {m: i for i, members in enumerate(nx.strongly_connected_components(graph))
                 for m in members}
    found, seen = [], set()
    for a, b in sorted(before):
        k = component.get(a)
        if k is None or k != component.get(b) or k in seen:
            continue
        seen.add(k)
        members = sorted((m for m in component if component[m] == k), key=_natural)
        pairs = sorted(f"{x} with {y}" for x, y in strict_pairs
                       if component[x] == k and component[y] == k)
        found.append((members, pairs, a, b))
    return found


@settings(max_examples=examples(300), deadline=None)
@given(catalogs())
def test_strict_corequisites_found_as_networkx_found_them(catalog: Catalog) -> None:
    ctx = _Context(catalog, date(2026, 1, 1))
    got = list(_strict_corequisites(ctx))
    expected = strict_reference(ctx)
    assert len(got) == len(expected)
    for problem, (members, pairs, a, b) in zip(got, expected, strict=True):
        assert problem.message == (
            f"strict co-requisites cannot all be met: {', '.join(members)} — "
            f"{'; '.join(pairs)} in the same term, yet {a} must come before {b}; "
            "remove a strict co-requisite or a prerequisite")


@settings(max_examples=examples(300), deadline=None)
@given(catalogs())
def test_has_cycle_exactly_when_networkx_finds_one(catalog: Catalog) -> None:
    assert has_cycle(catalog) == (find_cycle(to_graph(catalog)) is not None)
