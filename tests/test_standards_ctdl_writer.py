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
from pathways.formats import dump_catalog, read_catalog
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


def whole(catalog: Catalog) -> str:
    """The whole catalog as the JSON format writes it."""
    return dump_catalog(catalog.sorted(), "json")


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
    back = round_trip(demo, tmp_path)
    assert essentials(back) == essentials(demo)
    assert whole(back) == whole(demo)  # every field: levels, delivery, status, framework...
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
    assert back.sorted() == catalog.sorted()
    assert whole(back) == whole(catalog)


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


def test_what_ctdl_says_in_its_own_terms_and_the_rest_in_the_extension(tmp_path):
    from dataclasses import replace

    demo = open_catalog(str(DEMO_CATALOG))
    grad = next(c for c in demo if c.kind == "qualification")
    grad = replace(grad, type="graduate-certificate", field="Nursing", skills=("triage",),
                   level=7, status="expiring", review_due="2027-01-31")
    catalog = replace(demo, credentials=[grad if c.id == grad.id else c for c in demo])
    node = next(n for n in ctdl_document(catalog)["@graph"]
                if n.get("ceterms:codedNotation") == grad.id)
    assert node["ceterms:credentialType"] == "ceterms:Certificate"
    assert node["ceterms:subject"][0]["ceterms:targetNodeName"] == {"en": "Nursing"}
    assert node["ceterms:keyword"] == {"en": ["triage"]}
    ext = json.loads(node["urn:pathways:credential"])
    assert (ext["type"], ext["level"], ext["status"]) == ("graduate-certificate", 7, "expiring")
    back = round_trip(catalog, tmp_path)
    assert back.index()[grad.id] == grad
    assert whole(back) == whole(catalog)


def test_an_edited_condition_wins_over_the_extension(tmp_path):
    """A file edited in a registry keeps its edits: the extension only orders the rules."""
    demo = generate_catalog(40, seed=4)  # CERT-000005 needs 2 of 2
    doc = ctdl_document(demo)
    node = next(n for n in doc["@graph"] if n.get("ceterms:hasCondition")
                and len(n["ceterms:hasCondition"][0]["ceterms:targetComponent"]) > 1)
    cond = node["ceterms:hasCondition"][0]
    n = len(cond["ceterms:targetComponent"])
    cond["ceterms:requiredNumber"] = n if cond["ceterms:requiredNumber"] != n else n - 1
    f = tmp_path / "edited.jsonld"
    f.write_text(json.dumps(doc))
    back, report = read_standard([f])
    cid = node["ceterms:codedNotation"]
    assert back.index()[cid].all_rules != demo.index()[cid].all_rules
    assert any("rules differ from the CTDL conditions" in p.message for p in report.dropped)
