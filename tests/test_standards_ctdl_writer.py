"""Writing CTDL: export validates against the Registry's JSON Schemas; pathways -> CTDL ->
pathways keeps credentials, credits, stacking, rules and entry requirements; a route
through an imported CTDL pathway is the route through the same catalog written by hand."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog
from pathways.formats import read_catalog
from pathways.routes import find_route
from pathways.source import DEMO_CATALOG, open_catalog
from pathways.standards import read_standard
from pathways.standards.ctdl_writer import ctdl_document, dump_ctdl, route_document
from pathways.synthetic import generate_catalog

SCHEMAS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "standards" / \
    "ctdl" / "schema"
HERE = Path(__file__).resolve().parent


def _validator(name: str):
    """The Registry's schema with the definitions it refers to but does not contain taken
    as unconstrained (the published files name e.g. ceterms:description without defining
    it)."""
    import jsonschema

    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    schema = json.loads(path.read_text())
    text = json.dumps(schema)
    defs = schema["definitions"]
    for ref in set(__import__("re").findall(r'"#/definitions/([^"]+)"', text)):
        defs.setdefault(ref, {})
    return jsonschema.Draft4Validator(schema)


def validate_document(doc: dict) -> int:
    """Validate every Pathway and component of ``doc``; how many were checked. Each node
    is checked as it stands in the @graph (the two schemas disagree on the context's URL:
    http for a Pathway, https for a component)."""
    pathway = _validator("registry-jsonschema-pathway.json")
    component = _validator("registry-jsonschema-pathway_component.json")
    checked = 0
    for node in doc["@graph"]:
        node = copy.deepcopy(node)
        if node["@type"] == "ceterms:Pathway":
            pathway.validate(node)
        elif node["@type"].endswith("Component"):
            component.validate(node)
        else:
            continue
        checked += 1
    return checked


def essentials(catalog: Catalog):
    """What a CTDL round trip keeps."""
    creds = {c.id: (c.title, c.kind, c.credits, c.fee, c.hours, c.provider,
                    c.effective_direct_study,
                    frozenset((r.kind, r.amount, frozenset(r.ids)) for r in c.all_rules),
                    frozenset(frozenset(clause) for clause in c.requires))
             for c in catalog}
    edges = {(e.source, e.target, e.credits) for e in catalog.stacking}
    providers = {p.id: p.name for p in catalog.providers
                 if any(c.provider == p.id for c in catalog)}
    return creds, edges, providers


def round_trip(catalog: Catalog, tmp_path: Path) -> Catalog:
    f = tmp_path / "out.jsonld"
    f.write_text(dump_ctdl(catalog))
    back, report = read_standard([f])
    assert not report.dropped, report.lines()
    return back


def test_demo_export_validates_and_round_trips(tmp_path):
    demo = open_catalog(str(DEMO_CATALOG))
    doc = ctdl_document(demo)
    assert validate_document(doc) == len(demo) + sum(c.kind == "qualification" for c in demo)
    assert essentials(round_trip(demo, tmp_path)) == essentials(demo)
    assert dump_ctdl(demo) == dump_ctdl(demo)  # same catalog, same bytes


def test_a_broken_export_fails_validation():
    """The validation can fail: a component without its name is refused."""
    import jsonschema

    doc = ctdl_document(open_catalog(str(DEMO_CATALOG)))
    component = next(n for n in doc["@graph"] if n["@type"].endswith("Component"))
    del component["ceterms:name"]
    with pytest.raises(jsonschema.ValidationError):
        validate_document(doc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(4, 40))
def test_round_trip_keeps_generated_catalogs(tmp_path, seed, n):
    catalog = generate_catalog(n, seed=seed)
    back = round_trip(catalog, tmp_path)
    assert essentials(back) == essentials(catalog)


def test_route_through_imported_ctdl_equals_the_hand_written_catalog():
    ctdl = read_catalog(HERE.parent / "graphs" / "ctdl-pathway.json")
    hand = read_catalog(HERE / "data" / "ctdl_pathway_by_hand.json")
    for held in ((), ("COURSE-A",), ("BADGE-X",)):
        a = find_route(ctdl, "CERT", held=held)
        b = find_route(hand, "CERT", held=held)
        assert [s.id for s in a.steps] == [s.id for s in b.steps]
        assert (a.fee, a.hours) == (b.fee, b.hours)


def test_route_as_a_ctdl_pathway_validates():
    demo = open_catalog(str(DEMO_CATALOG))
    route = find_route(demo, "DIP-ITS5", held=["MC-CLOUD4"])
    doc = route_document(route, demo)
    assert validate_document(doc) == 1 + len(route.steps) + len(route.held)
    [pathway] = [n for n in doc["@graph"] if n["@type"] == "ceterms:Pathway"]
    assert pathway["ceasn:hasDestinationComponent"] == [
        {"@id": "https://pathways.invalid/credential/DIP-ITS5"}]
