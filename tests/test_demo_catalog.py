"""The bundled demo catalog: valid, realistic in size and shape, with its planted gaps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from pathways.catalog import Catalog, find_cycle, to_graph
from pathways.formats import read_catalog
from pathways.rules import NZQF_QUALIFICATION_TYPES, validate

DEMO = Path(__file__).resolve().parent.parent / "graphs" / "demo.json"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return read_catalog(DEMO)


@pytest.fixture(scope="module")
def graph(demo: Catalog) -> nx.DiGraph:
    return to_graph(demo)


def _stacking_graph(catalog: Catalog) -> nx.DiGraph:
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(c.id for c in catalog)
    g.add_edges_from((e.source, e.target) for e in catalog.stacking)
    return g


def _ids(catalog: Catalog, kind: str) -> set[str]:
    return {c.id for c in catalog if c.kind == kind}


# -- validity ----------------------------------------------------------------------------------

def test_validates_without_errors(demo: Catalog) -> None:
    errors = [p for p in validate(demo, today=TODAY) if p.severity == "error"]
    assert errors == []


def test_only_warnings_are_the_overdue_reviews(demo: Catalog) -> None:
    warned = {p.message.split(":")[0] for p in validate(demo, today=TODAY)}
    assert warned == {"MC-LINING3", "MC-DIGI3", "MC-CHAINSAW3"}


def test_acyclic_over_stacking_and_requirements(graph: nx.DiGraph) -> None:
    assert find_cycle(graph) is None


def test_framework_and_unique_ids(demo: Catalog) -> None:
    assert demo.framework == "nzqf"
    ids = [c.id for c in demo]
    assert len(ids) == len(set(ids))


# -- size and spread ---------------------------------------------------------------------------

def test_size_providers_and_fields(demo: Catalog) -> None:
    assert 60 <= len(demo) <= 100
    assert len({c.provider for c in demo}) >= 5
    assert {p.id for p in demo.providers} == {c.provider for c in demo}
    assert len({c.field for c in demo}) >= 4
    assert all(c.field and c.skills and c.review_due and c.status for c in demo)
    assert len(_ids(demo, "micro-credential")) >= 40
    assert len(_ids(demo, "qualification")) >= 15


def test_macrons_survive_reading(demo: Catalog) -> None:
    names = {p.id: p.name for p in demo.providers}
    assert names["aoraki"] == "Te Wānanga o Aoraki"
    assert demo.index()["MC-MAORIENT4"].title == "Kaupapa Māori Enterprise Foundations"


def test_qualifications_fit_the_nzqf_type_table(demo: Catalog) -> None:
    for c in demo:
        if c.kind != "qualification":
            continue
        row = NZQF_QUALIFICATION_TYPES[c.type or ""]
        assert c.level in row.levels, c.id
        assert c.credits >= row.min_credits, c.id
        assert 40 <= c.credits <= 360, c.id


def test_fees_are_realistic(demo: Catalog) -> None:
    for c in demo:
        per_credit = c.effective_fee / c.credits
        if c.kind == "micro-credential":
            assert 0 < per_credit <= 64, c.id  # TEC fee cap from 2025
        elif c.kind == "qualification" and c.id != "CERT-HW2":
            assert 50 <= per_credit <= 80, c.id
    assert demo.index()["CERT-HW2"].fee == 0  # the free Level 2 certificate


def test_review_dates_2025_to_2029(demo: Catalog) -> None:
    years = {int((c.review_due or "")[:4]) for c in demo}
    assert years <= set(range(2025, 2030))


def test_degree_level_profiles_and_caps(demo: Catalog) -> None:
    for c in demo:
        if c.type in ("diploma", "bachelor"):
            assert c.level_profile == ((c.level, 72),), c.id
            assert c.max_recognised is not None and c.max_recognised < c.credits, c.id
        if c.type == "bachelor":
            assert c.max_recognised == 120, c.id  # one third of a degree


def test_every_stacking_edge_climbs_or_stays(demo: Catalog) -> None:
    index = demo.index()
    for e in demo.stacking:
        assert index[e.source].level <= index[e.target].level, (e.source, e.target)  # type: ignore[operator]


# -- the planted gaps --------------------------------------------------------------------------

def test_dead_end_is_only_ev_batteries(demo: Catalog, graph: nx.DiGraph) -> None:
    quals = _ids(demo, "qualification")
    dead = sorted(m for m in _ids(demo, "micro-credential") if not nx.descendants(graph, m) & quals)
    assert dead == ["MC-EVBAT4"]


def test_no_on_ramp_is_only_plumbing(demo: Catalog, graph: nx.DiGraph) -> None:
    micros = _ids(demo, "micro-credential")
    lonely = sorted(q for q in _ids(demo, "qualification") if not nx.ancestors(graph, q) & micros)
    assert lonely == ["CERT-PLUMB3"]
    assert {e.source for e in demo.stacking_into("CERT-PLUMB3")} == {"PLB301", "PLB302"}


def test_stale_lining_counts_into_carpentry_cheaply(demo: Catalog) -> None:
    index = demo.index()
    lining, carpentry = index["MC-LINING3"], index["CERT-CARP4"]
    assert lining.effective_status == "expiring"
    assert date.fromisoformat(lining.review_due or "") < TODAY
    edge = next(e for e in demo.stacking_from("MC-LINING3") if e.target == "CERT-CARP4")
    assert edge.credits == lining.credits
    # worth taking: its fee is below what studying the same credits in the certificate costs
    assert lining.effective_fee < carpentry.effective_fee * edge.credits / carpentry.credits


def test_duplication_bookkeeping_vs_accounting(demo: Catalog) -> None:
    g = _stacking_graph(demo)
    index = demo.index()
    overlaps = []
    for m in _ids(demo, "micro-credential"):
        for q in _ids(demo, "qualification") - nx.descendants(g, m):
            a, b = set(index[m].skills), set(index[q].skills)
            if len(a & b) / len(a | b) >= 0.5:
                overlaps.append((m, q))
    assert overlaps == [("MC-BOOKKEEP4", "CERT-ACCT4")]
    assert set(index["MC-BOOKKEEP4"].skills) <= set(index["CERT-ACCT4"].skills)
    assert [e.target for e in demo.stacking_from("MC-BOOKKEEP4")] == ["DIP-BUS5"]


def test_level_jump_is_only_whanau_ora_into_graduate_certificate(demo: Catalog) -> None:
    index = demo.index()
    jumps = [(e.source, e.target) for e in demo.stacking
             if (index[e.target].level or 0) - (index[e.source].level or 0) > 2]
    assert jumps == [("MC-WHANAU3", "GCERT-HC7")]
    assert (index["MC-WHANAU3"].level, index["GCERT-HC7"].level) == (3, 7)


def test_only_ngahere_is_isolated(demo: Catalog, graph: nx.DiGraph) -> None:
    provider = {c.id: c.provider for c in demo}
    linked = {provider[x] for u, v in graph.edges if provider[u] != provider[v] for x in (u, v)}
    assert {p.id for p in demo.providers} - linked == {"ngahere"}


def test_shortfall_civil_engineering(demo: Catalog) -> None:
    index = demo.index()
    into = demo.stacking_into("DIP-ENGCIV6")
    assert len(into) == 5
    assert all(index[e.source].kind == "micro-credential" and e.credits == 3 for e in into)
    assert sum(e.credits for e in into) / index["DIP-ENGCIV6"].credits < 0.1


# -- the README's route ----------------------------------------------------------------------

def test_it_diploma_route_ingredients(demo: Catalog) -> None:
    """DIP-ITS5 from MC-CLOUD4 + MC-PYDATA5: the certificate's credits meet the level profile."""
    index = demo.index()
    dip = index["DIP-ITS5"]
    assert dip.requires == (("CERT-ITE4", "MC-NETSEC4", "MC-HELPDESK4"),)
    assert dip.max_recognised == 60 and dip.level_profile == ((5, 72),)
    cert_into_dip = next(e for e in demo.stacking_into("DIP-ITS5") if e.source == "CERT-ITE4")
    assert cert_into_dip.credits > dip.credits - 72  # the level profile trims it to 48
    assert "CERT-ITE4" in {e.target for e in demo.stacking_from("MC-CLOUD4")}
    assert "DIP-ITS5" in {e.target for e in demo.stacking_from("MC-PYDATA5")}


# -- what graphs/README.md says the engines find (skipped until they exist) ---------------------

def test_readme_route_is_the_cheapest(demo: Catalog) -> None:
    routes = pytest.importorskip("pathways.routes")
    route = routes.find_route(demo, "DIP-ITS5", held=["MC-CLOUD4", "MC-PYDATA5"])
    assert (route.fee, route.hours, route.credits_studied) == (6815, 1070, 107)
    assert route.credentials == ("CERT-ITE4", "DIP-ITS5")
    assert set(route.held_counted) == {("MC-CLOUD4", "CERT-ITE4", 15),
                                       ("MC-PYDATA5", "DIP-ITS5", 10)}
    fresh = routes.find_route(demo, "DIP-ITS5")
    assert (fresh.fee, fresh.credentials) == (8090, ("DIP-ITS5", "MC-NETSEC4", "MC-PYDATA5",
                                                     "MC-SQL5"))
    carpentry = routes.find_route(demo, "CERT-CARP4")
    assert "MC-LINING3" in carpentry.credentials  # the stale one sits on a cheapest route


def test_gap_report_finds_the_planted_gaps(demo: Catalog) -> None:
    gaps = pytest.importorskip("pathways.gaps")
    report = gaps.find_gaps(demo, gaps.GapOptions(as_of=TODAY))
    found = {(f.kind, f.credentials, f.providers) for f in report.findings}
    assert ("dead-end", ("MC-EVBAT4",), ("rawhiti",)) in found
    assert ("no-on-ramp", ("CERT-PLUMB3",), ("rawhiti",)) in found
    assert ("stale", ("MC-LINING3",), ("pou-hanga",)) in found
    assert ("duplication", ("MC-BOOKKEEP4", "CERT-ACCT4"), ("kowhai", "rawhiti")) in found
    assert ("level-jump", ("MC-WHANAU3", "GCERT-HC7"), ("aoraki", "totara")) in found
    assert ("isolated-provider", (), ("ngahere",)) in found
    shortfalls = {f.credentials[0]: f.figure for f in report.findings if f.kind == "shortfall"}
    assert min(shortfalls, key=lambda q: shortfalls[q]) == "DIP-ENGCIV6"
    assert shortfalls["DIP-ENGCIV6"] == pytest.approx(15 / 240)
