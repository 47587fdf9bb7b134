"""Reading CTDL pathways: the real files in ../shared, the quirks, hostile JSON-LD."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from pathways.errors import CatalogError
from pathways.standards import read_standard
from pathways.standards.ctdl_jsonld import MAX_OBJECTS

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "standards" / "ctdl"
CTX = "https://credreg.net/ctdl/schema/context/json"


def shared(name: str) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test here fails if anything tries the network."""
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def write(tmp_path, doc, name="p.json"):
    f = tmp_path / name
    f.write_text(json.dumps(doc))
    return f


def rules_of(catalog, cid):
    return sorted((r.kind, r.amount, len(r.ids)) for r in catalog.index()[cid].rules)


# -- the real files ---------------------------------------------------------------------

def test_unt_badge_pathway():
    catalog, report = read_standard([shared("unt-french-ba-marketable-skills.json")])
    index = catalog.index()
    assert len(catalog) == 50  # 54 nodes less the pathway and 3 second uses of an @id
    top = index["JKykbZ2SQb2u211g4jf7BQ"]
    assert top.kind == "qualification" and top.direct_study is False
    assert rules_of(catalog, top.id) == [("min", 5, 5)]
    ks = sorted(r.amount for c in catalog for r in c.rules)
    assert ks.count(1) >= 10 and 2 in ks and 5 in ks
    assert catalog.framework == "generic"
    dropped = " ".join(p.message for p in report.dropped)
    assert dropped.count("one @id for two nodes") == 3
    assert "not a component or credential in the files" in dropped  # refs to absent nodes
    assert report.counts["credentials"] == 50
    assert any("no credit value" in p.message for p in report.assumed)


def test_bakersfield_courses_with_string_credits():
    catalog, report = read_standard([shared("bakersfield-as-cs-csu-transfer-v2.json")])
    index = catalog.index()
    assert len(catalog) == 30
    degree = index["719cfee7-d380-4ebd-89ca-f6c143d8a3d5"]
    assert degree.kind == "qualification" and degree.direct_study is False
    assert index["1f8d3d06-3953-4bd8-8750-7dc5e9a062eb"].credits == 3
    assert sorted(r.amount for c in catalog for r in c.rules) == [1, 1, 1, 28]
    assert sum(len(c.requires) for c in catalog) == 5  # prerequisite, single or a list
    assert degree.credits == sum(e.credits for e in catalog.stacking if e.target == degree.id)
    messages = [str(p) for p in report.warnings]
    assert any("creditValue written as a string" in m and ".creditValue.value" in m
               for m in messages)
    assert any("listed twice" in m and "hasChild[23]" in m for m in messages)


def test_comptia_registry_shape():
    catalog, report = read_standard([shared("comptia-it-networking-specialist.jsonld")])
    assert len(catalog) == 9
    assert len(catalog.stacking) == 8  # a chain of certifications, each into the next
    assert any("isDestinationComponentFor is not a CTDL term" in p.message
               for p in report.assumed)
    assert sum(c.kind == "qualification" for c in catalog) == 2


def test_kbor_transfer_value():
    catalog, report = read_standard([shared("kbor-swt-accounting.transfer-value-profile.json")])
    assert sorted(c.id for c in catalog) == ["ACC1010", "BUS210"]
    [edge] = catalog.stacking
    assert (edge.source, edge.target, edge.credits) == ("BUS210", "ACC1010", 3)
    assert catalog.credit_unit is not None and catalog.credit_unit.name == "DegreeCredit"
    assert report.counts["transfer values"] == 1
    assert any("no @context" in p.message for p in report.assumed)


def test_several_files_read_as_one_graph(tmp_path):
    pathway = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "Pathway", "@id": "https://x.org/p", "name": "P",
         "hasDestinationComponent": "https://x.org/cert"},
        {"@type": "CredentialComponent", "@id": "https://x.org/cert", "name": "Cert",
         "hasChild": ["https://x.org/a", "https://x.org/b"],
         "hasCondition": {"@type": "ComponentCondition", "requiredNumber": 1,
                          "targetComponent": ["https://x.org/a", "https://x.org/b"]}}]},
        "pathway.json")
    courses = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CourseComponent", "@id": f"https://x.org/{c}", "name": c.upper(),
         "creditValue": {"@type": "QuantitativeValue", "value": v}} for c, v in
        (("a", 15), ("b", 10))]}, "courses.json")
    catalog, report = read_standard([pathway, courses])
    index = catalog.index()
    assert index["cert"].credits == 10 and index["cert"].direct_study is False
    assert rules_of(catalog, "cert") == [("min", 1, 2)]
    assert report.files == [str(pathway), str(courses)]
    alone, report = read_standard([pathway])  # names courses it does not have: warnings
    assert len(alone) == 1 and not alone.stacking
    assert sum("not a component or credential in the files" in p.message
               for p in report.dropped) == 4


def test_compact_prefixed_and_expanded_shapes_read_alike(tmp_path):
    node = {"credits": 5, "title": "Course A"}
    compact = {"@context": CTX, "@graph": [
        {"@type": "CourseComponent", "@id": "https://x.org/a", "name": node["title"],
         "creditValue": {"@type": "QuantitativeValue", "value": node["credits"]}}]}
    prefixed = {"@context": CTX, "@graph": [
        {"@type": "ceterms:CourseComponent", "@id": "https://x.org/a",
         "ceterms:name": {"en-NZ": node["title"]},
         "ceterms:creditValue": [{"@type": "schema:QuantitativeValue",
                                  "schema:value": node["credits"]}]}]}
    expanded = [{"@id": "https://x.org/a",
                 "@type": ["https://purl.org/ctdl/terms/CourseComponent"],
                 "https://purl.org/ctdl/terms/name": [{"@value": node["title"]}],
                 "https://purl.org/ctdl/terms/creditValue": [{
                     "@type": ["https://schema.org/QuantitativeValue"],
                     "https://schema.org/value": [{"@value": node["credits"]}]}]}]
    seen = []
    for i, doc in enumerate((compact, prefixed, {"@graph": expanded})):
        catalog, _ = read_standard([write(tmp_path, doc, f"{i}.json")])
        seen.append([(c.id, c.title, c.credits, c.kind) for c in catalog])
    assert seen[0] == seen[1] == seen[2] == [("a", "Course A", 5, "course")]


# -- hostile JSON-LD --------------------------------------------------------------------

def test_reference_cycle_is_broken_with_a_warning(tmp_path):
    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CourseComponent", "@id": "https://x.org/a", "name": "A",
         "hasChild": "https://x.org/b"},
        {"@type": "CourseComponent", "@id": "https://x.org/b", "name": "B",
         "hasChild": "https://x.org/a"}]})
    catalog, report = read_standard([f])
    assert len(catalog.stacking) == 1
    assert any("closes a cycle" in p.message for p in report.dropped)


def test_a_hundred_thousand_nodes_end_in_a_clear_error(tmp_path):
    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CourseComponent", "@id": f"https://x.org/{i}", "name": str(i)}
        for i in range(100_000)]})
    with pytest.raises(CatalogError, match=f"more than {MAX_OBJECTS} JSON objects"):
        read_standard([f])


def test_deep_nesting_ends_in_a_clear_error(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text(f'{{"@context": "{CTX}", "@graph": [' + '{"a": ' * 5000 + "1"
                 + "}" * 5000 + "]}")
    with pytest.raises(CatalogError, match="nested more than"):
        read_standard([f])


@pytest.mark.parametrize("context", [
    "https://example.org/context.jsonld",
    [CTX, "https://example.org/other.jsonld"],
    {"@import": "https://example.org/imported.jsonld"},
])
def test_remote_contexts_are_refused_not_fetched(tmp_path, context):
    f = write(tmp_path, {"@context": context, "@graph": [
        {"@type": "ceterms:CourseComponent", "@id": "https://x.org/a"}]})
    with pytest.raises(CatalogError, match="remote contexts are not fetched: .*example.org"):
        read_standard([f])


def test_remote_context_inside_a_node_is_refused(tmp_path):
    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@context": "https://example.org/x", "@type": "CourseComponent",
         "@id": "https://x.org/a"}]})
    with pytest.raises(CatalogError, match=r"p.json:\$\['@graph'\]\[0\].@context: remote"):
        read_standard([f])


def test_quirks_are_warnings_with_paths(tmp_path):
    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CredentialComponent", "@id": "https://x.org/c", "name": "C",
         "hasChild": [{"@id": "https://x.org/a"}, "https://x.org/missing"],
         "colour": "blue"},
        {"@type": "CourseComponent", "@id": "https://x.org/a", "name": "A",
         "creditValue": {"@type": "QuantitativeValue", "value": "7.5"}}]})
    catalog, report = read_standard([f])
    lines = report.lines()
    assert any(line.startswith(f"{f}:$['@graph'][0].hasChild[1]: warning: dropped:")
               and "https://x.org/missing" in line for line in lines)
    assert any("$['@graph'][0].colour" in line and "not a CTDL term" in line for line in lines)
    assert catalog.index()["a"].credits == 7.5


def test_an_or_of_conditions_is_one_of_two_ways(tmp_path):
    from pathways.routes import find_route

    def course(c, credits, fee):
        return {"@type": "CourseComponent", "@id": f"https://x.org/{c}", "name": c,
                "codedNotation": c,
                "creditValue": {"@type": "QuantitativeValue", "value": credits},
                "estimatedCost": {"@type": "CostProfile", "price": fee}}

    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CredentialComponent", "@id": "https://x.org/cert", "codedNotation": "CERT",
         "name": "Cert", "creditValue": {"@type": "QuantitativeValue", "value": 20},
         "hasCondition": {"@type": "ComponentCondition", "logicalOperator": "logic:Or",
                          "hasCondition": [
                              {"@type": "ComponentCondition", "requiredNumber": 2,
                               "targetComponent": ["https://x.org/A", "https://x.org/B"]},
                              {"@type": "ComponentCondition", "requiredNumber": 1,
                               "targetComponent": ["https://x.org/C"]}]}},
        course("A", 10, 100), course("B", 10, 100), course("C", 20, 500)]})
    catalog, report = read_standard([f])
    index = catalog.index()
    assert rules_of(catalog, "CERT") == [("min", 1, 2)]
    assert rules_of(catalog, "CERT~or1") == [("min", 2, 2)]
    assert index["CERT~or1"].direct_study is False and index["CERT~or1"].credits == 20
    assert any("an OR of 2 conditions" in p.message for p in report.assumed)
    assert [s.id for s in find_route(catalog, "CERT").steps] == ["A", "B", "CERT~or1", "CERT"]
    route = find_route(catalog, "CERT", held=["C"])
    assert [s.id for s in route.steps] == ["CERT~or2", "CERT"] and route.fee == 0


# -- Constraints ------------------------------------------------------------------------

def _constraint_docs():
    """One credential needing at least 20 and at most 30 credits from three courses, and a
    level constraint (not mapped), in the three shapes real files come in."""
    courses = [("a", 10), ("b", 10), ("c", 15)]
    compact = {"@context": CTX, "@graph": [
        {"@type": "CredentialComponent", "@id": "https://x.org/cert", "name": "Cert",
         "hasCondition": [{
             "@type": "ComponentCondition", "name": "20 to 30 credits",
             "targetComponent": [f"https://x.org/{c}" for c, _ in courses],
             "hasConstraint": [
                 {"@type": "Constraint", "leftSource": "ceterms:creditValue",
                  "leftAction": "array:Sum", "comparator": "compare:GTEQ",
                  "rightSource": "20"},
                 {"@type": "Constraint", "leftSource": ["ceterms:creditValue"],
                  "leftAction": "array:Sum", "comparator": "compare:LTEQ",
                  "rightSource": ["30"]},
                 {"@type": "Constraint", "leftSource": "ceterms:audienceLevelType",
                  "leftAction": "array:Min", "comparator": "compare:GTEQ",
                  "rightSource": "5"}]}]},
        *({"@type": "CourseComponent", "@id": f"https://x.org/{c}", "name": c,
           "creditValue": {"@type": "QuantitativeValue", "value": v}} for c, v in courses)]}
    prefixed = {"@context": CTX, "@graph": [
        {"@type": "ceterms:CredentialComponent", "@id": "https://x.org/cert",
         "ceterms:name": {"en": "Cert"},
         "ceterms:hasCondition": [{
             "@type": "ceterms:ComponentCondition",
             "ceterms:targetComponent": [f"https://x.org/{c}" for c, _ in courses],
             "ceterms:hasConstraint": [
                 {"@type": "ceterms:Constraint", "ceterms:leftSource": ["ceterms:creditValue"],
                  "ceterms:leftAction": "array:Sum", "ceterms:comparator": "compare:GTEQ",
                  "ceterms:rightSource": ["20"]},
                 {"@type": "ceterms:Constraint", "ceterms:leftSource": ["ceterms:creditValue"],
                  "ceterms:comparator": "compare:LTEQ", "ceterms:rightSource": ["30"]},
                 {"@type": "ceterms:Constraint",
                  "ceterms:leftSource": ["ceterms:audienceLevelType"],
                  "ceterms:comparator": "compare:GTEQ", "ceterms:rightSource": ["5"]}]}]},
        *({"@type": "ceterms:CourseComponent", "@id": f"https://x.org/{c}",
           "ceterms:name": {"en": c}, "ceterms:creditValue": [
               {"@type": "schema:QuantitativeValue", "schema:value": v}]}
          for c, v in courses)]}
    T = "https://purl.org/ctdl/terms/"

    def constraint(left, comparator, right):
        return {"@type": [T + "Constraint"], T + "leftSource": [{"@id": T + left}],
                T + "leftAction": [{"@id": "https://purl.org/ctdl/vocabs/array/Sum"}],
                T + "comparator": [{"@id": f"https://purl.org/ctdl/vocabs/compare/{comparator}"}],
                T + "rightSource": [{"@value": right}]}

    expanded = {"@graph": [
        {"@id": "https://x.org/cert", "@type": [T + "CredentialComponent"],
         T + "name": [{"@value": "Cert"}],
         T + "hasCondition": [{
             "@type": [T + "ComponentCondition"],
             T + "targetComponent": [{"@id": f"https://x.org/{c}"} for c, _ in courses],
             T + "hasConstraint": [constraint("creditValue", "GTEQ", 20),
                                   constraint("creditValue", "LTEQ", "30"),
                                   constraint("audienceLevelType", "GTEQ", 5)]}]},
        *({"@id": f"https://x.org/{c}", "@type": [T + "CourseComponent"],
           T + "name": [{"@value": c}],
           T + "creditValue": [{"@type": ["https://schema.org/QuantitativeValue"],
                                "https://schema.org/value": [{"@value": v}]}]}
          for c, v in courses)]}
    return compact, prefixed, expanded


@pytest.mark.parametrize("shape", [0, 1, 2], ids=["compact", "prefixed", "expanded"])
def test_credit_sum_constraints_become_credit_rules(tmp_path, shape):
    from pathways.routes import find_route

    doc = _constraint_docs()[shape]
    catalog, report = read_standard([write(tmp_path, doc)])
    cert = catalog.index()["cert"]
    assert sorted((r.kind, r.amount, r.ids) for r in cert.rules) == [
        ("max_credits", 30, ("a", "b", "c")), ("min_credits", 20, ("a", "b", "c"))]
    assert cert.credits == 20 and cert.direct_study is False
    dropped = [p for p in report.dropped if "Constraint" in p.message]
    assert len(dropped) == 1 and "audienceLevelType" in dropped[0].message
    assert dropped[0].where.endswith("hasConstraint[2]")
    assert [s.id for s in find_route(catalog, "cert").steps][-1] == "cert"


def test_constraint_on_no_component_gives_the_parent_credits(tmp_path):
    f = write(tmp_path, {"@context": CTX, "@graph": [
        {"@type": "CredentialComponent", "@id": "https://x.org/cert", "name": "Cert",
         "hasCondition": {"@type": "ComponentCondition", "hasConstraint": {
             "@type": "Constraint", "leftSource": "ceterms:creditValue",
             "comparator": "compare:EQ", "rightSource": "40"}}},
        {"@type": "CredentialComponent", "@id": "https://x.org/other", "name": "Other",
         "hasCondition": {"@type": "ComponentCondition", "hasConstraint": {
             "@type": "Constraint", "leftSource": "ceterms:creditValue",
             "comparator": "compare:GT", "rightSource": "40"}}}]})
    catalog, report = read_standard([f])
    assert catalog.index()["cert"].credits == 40
    assert any("comparing by GT is not mapped" in p.message for p in report.dropped)


def test_credit_rules_round_trip_as_constraints(tmp_path):
    f = write(tmp_path, _constraint_docs()[0])
    catalog, _ = read_standard([f])
    from pathways.standards.ctdl_writer import dump_ctdl

    text = dump_ctdl(catalog)
    assert "urn:pathways:rules" not in text and '"compare:GTEQ"' in text
    again, report = read_standard([write(tmp_path, json.loads(text), "again.json")])
    assert not report.dropped
    assert again.index()["cert"].rules == catalog.index()["cert"].rules
