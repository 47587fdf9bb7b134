"""Open Badges 3.0 and CLR 2.0 in and out (pathways.standards.openbadges, ob3_writer)."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_JSON, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_formats_json import catalogs

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import CatalogError
from pathways.formats import dump_catalog, read_catalog
from pathways.standards import read_standard
from pathways.standards.ob3_writer import (
    achievement_type,
    dump_ob3,
    ob3_document,
)
from pathways.standards.openbadges import ACHIEVEMENT_TYPES, read_openbadges
from pathways.standards.report import ImportReport
from pathways.vocabulary import ANY_QUALIFICATION_TYPES


def _read(doc: Any, source: str = "f.json") -> tuple[Catalog, ImportReport]:
    report = ImportReport()
    return read_openbadges([(source, doc)], report), report


def _warnings(report: ImportReport) -> list[str]:
    return report.lines()


@pytest.fixture
def ob_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "standards" / "openbadges"
    if not path.is_dir():
        pytest.skip("../shared/data/standards/openbadges is absent")
    return path


@pytest.fixture
def ob3_schema(ob_dir: Path) -> Any:
    import jsonschema

    schema = json.loads((ob_dir / "schema" / "ob_v3p0_achievementcredential_schema.json")
                        .read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# -- the real files ------------------------------------------------------------------------
def test_every_real_file_reads(ob_dir: Path) -> None:
    files = sorted(ob_dir.glob("*.json"))
    assert len(files) == 3
    for path in files:
        catalog, report = read_standard([path])
        assert catalog.credentials, path
        assert report.counts["credentials"] == len(catalog.credentials)


def test_the_1edtech_degree(ob_dir: Path) -> None:
    catalog, report = read_standard([ob_dir / "1edtech-ob30-complete.json"])
    assert report.standards == ["ob3"]
    [c] = catalog.credentials
    assert (c.id, c.title, c.kind, c.type) == (
        "https://1edtech.edu/achievements/degree", "1EdTech University Degree",
        "qualification", None)  # "Degree" says no level of degree
    assert (c.credits, c.field, c.code, c.level) == (36, "Research", "R1", None)
    assert catalog.providers == [Provider("https://1edtech.edu/issuers/565049",
                                          "1EdTech University")]
    assert c.provider == "https://1edtech.edu/issuers/565049"
    assert catalog.framework == "generic"
    dropped = [str(p) for p in report.dropped]
    assert len([d for d in dropped if "alignment to CFItem" in d]) == 1
    assert any("alignment to CTDL (1EdTech University Degree) is not mapped" in d
               and d.startswith(f"{ob_dir / '1edtech-ob30-complete.json'}:$."
                                "credentialSubject.achievement.alignment[1]")
               for d in dropped)


def test_the_1edtech_clr(ob_dir: Path) -> None:
    catalog, report = read_standard([ob_dir / "1edtech-clr20-simple.json"])
    assert report.standards == ["clr"]
    by_id = catalog.index()
    assert sorted(by_id) == ["https://example.com/achievements/21st-century-skills/teamwork",
                             "urn:uuid:a7467ef6-56cb-11ec-bf63-0242ac130002",
                             "urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002"]
    assert all(c.kind == "micro-credential" and c.credits == 0 for c in catalog)
    team = by_id["https://example.com/achievements/21st-century-skills/teamwork"]
    assert team.provider == "https://example.com/issuers/876543"  # its credential's issuer
    # isParentOf between two achievements without credits: nothing can be counted
    assert catalog.stacking == []
    assert any("association[0]: warning: dropped: urn:uuid:dd887f0a" in w
               and "has no credits to count into urn:uuid:a7467ef6" in w
               for w in report.lines())
    assert any("no creator: the credential's issuer is the provider" in w
               for w in report.lines())


def test_the_edubadges_micro_credential(ob_dir: Path) -> None:
    catalog, report = read_standard([ob_dir / "edubadges-mbob_zw_ssb_microcredential_full.json"])
    [c] = catalog.credentials
    assert (c.kind, c.level, c.hours, c.credits) == ("micro-credential", 4, 240, 0)
    assert c.title == "Dekbed schudden voor gevorderden"
    assert catalog.providers == [Provider("https://example.com/issuers/iss-9Z8Y7X", "MBO Beek")]
    assert catalog.framework == "generic"  # EQF levels are not NZQF levels
    lines = "\n".join(report.lines())
    assert "alignment[0]: warning: assumed: an EQF level is kept" in lines
    assert "achievement.SBU: warning: assumed: SBU (studiebelastingsuren) are the hours" in lines


# -- the mapping ------------------------------------------------------------------------------
def _achievement(aid: str, **extra: Any) -> dict[str, Any]:
    return {"id": aid, "type": ["Achievement"], "name": extra.pop("name", aid.upper()),
            "description": "d", "criteria": {}, **extra}


def _clr(achievements: list[dict[str, Any]], associations: list[Any]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
            "id": "urn:x", "type": ["VerifiableCredential", "ClrCredential"],
            "issuer": {"id": "https://uni.example/", "type": ["Profile"], "name": "Uni"},
            "credentialSubject": {"type": ["ClrSubject"], "achievement": achievements,
                                  "association": associations}}


def test_achievement_types_give_kind_and_type() -> None:
    cases = {"MicroCredential": ("micro-credential", None), "Badge": ("micro-credential", None),
             "Course": ("course", None), "Certificate": ("qualification", "certificate"),
             "Diploma": ("qualification", "diploma"),
             "BachelorDegree": ("qualification", "bachelor"),
             "MasterDegree": ("qualification", "masters"),
             "DoctoralDegree": ("qualification", "doctorate"),
             "Degree": ("qualification", None), "ext:Whatever": ("micro-credential", None),
             "Membership": ("micro-credential", None)}
    docs = [_achievement(f"urn:a{i}", achievementType=t, creditsAvailable=10)
            for i, t in enumerate(cases)]
    catalog, report = _read(docs)
    got = {t: (c.kind, c.type) for t, c in zip(cases, catalog.credentials, strict=True)}
    assert got == cases
    assert any('achievementType "ext:Whatever" is not one pathways knows' in w
               for w in report.lines())


def test_every_kind_and_type_is_written_as_a_word_read_back_the_same() -> None:
    pairs = [("micro-credential", None), ("course", None), ("qualification", None)]
    pairs += [("qualification", t) for t in ANY_QUALIFICATION_TYPES]
    for kind, qtype in pairs:
        word = achievement_type(Credential("X", "X", kind, 10, type=qtype))
        assert ACHIEVEMENT_TYPES[word] == (kind, qtype)


def test_levels_frameworks_and_competencies() -> None:
    nz = {"type": ["Alignment"], "targetType": "ext:NZQF", "targetName": "NZQF level 5",
          "targetCode": "5", "targetUrl": "urn:x"}
    aqf = {"type": ["Alignment"], "targetFramework": "AQF", "targetName": "AQF level 8",
           "targetUrl": "urn:y"}
    comp = {"type": ["Alignment"], "targetType": "ceasn:Competency", "targetName": "Triage",
            "targetCode": "triage", "targetUrl": "urn:z"}
    bad = {"type": ["Alignment"], "targetType": "ext:NZQF", "targetName": "NZQF level 12",
           "targetUrl": "urn:q"}
    catalog, report = _read([
        _achievement("urn:a", alignment=[nz, comp], creditsAvailable=15),
        _achievement("urn:b", alignment=[aqf], creditsAvailable=15),
        _achievement("urn:c", alignment=[bad], creditsAvailable=15)])
    a, b, c = catalog.credentials
    assert catalog.framework == "generic"  # two frameworks' levels: neither is the catalog's
    assert (a.level, a.framework, a.skills) == (5, "nzqf", ("triage",))
    assert (b.level, b.framework) == (8, "aqf")
    assert c.level is None
    assert any("alignment[0]: warning: dropped: level alignment without a level of 1 to 10"
               in w for w in report.lines())
    only_nz, _ = _read([_achievement("urn:a", alignment=[nz], creditsAvailable=15)])
    assert only_nz.framework == "nzqf" and only_nz.credentials[0].framework is None


def test_clr_associations_become_stacking_and_requirements() -> None:
    achievements = [_achievement(f"urn:{x}", creditsAvailable=n)
                    for x, n in (("mc", 15), ("cert", 60), ("dip", 120), ("p", 10))]
    assoc = [
        {"type": "Association", "associationType": "isChildOf", "sourceId": "urn:mc",
         "targetId": "urn:cert"},
        {"type": "Association", "associationType": "isParentOf", "sourceId": "urn:dip",
         "targetId": "urn:cert"},
        {"type": "Association", "associationType": "isPartOf", "sourceId": "urn:p",
         "targetId": "urn:dip"},
        {"type": "Association", "associationType": "precedes", "sourceId": "urn:cert",
         "targetId": "urn:p"},
        {"type": "Association", "associationType": "isPeerOf", "sourceId": "urn:mc",
         "targetId": "urn:p"},
        {"type": "Association", "associationType": "isChildOf", "sourceId": "urn:mc",
         "targetId": "urn:nowhere"},
        "junk",
    ]
    catalog, report = _read(_clr(achievements, assoc))
    assert sorted(catalog.stacking) == [Stacking("urn:cert", "urn:dip", 60),
                                        Stacking("urn:mc", "urn:cert", 15),
                                        Stacking("urn:p", "urn:dip", 10)]
    assert catalog.index()["urn:p"].requires == (("urn:cert",),)
    assert report.counts["stacking"] == 3 and report.counts["entry requirements"] == 1
    lines = "\n".join(report.lines())
    assert "association[0]: warning: assumed: urn:mc counts all its 15 credits into " \
           "urn:cert: the file gives no transfer value" in lines
    assert "association[4]: warning: dropped: association 'isPeerOf' has no meaning" in lines
    assert "association[5]: warning: dropped: isChildOf names urn:nowhere, an achievement " \
           "not in the files" in lines
    assert "association[6]: warning: dropped: an association must be an object" in lines
    # every provider is the CLR's issuer (the achievements have no creator)
    assert {c.provider for c in catalog} == {"https://uni.example/"}


def test_numbers_as_text_rounding_and_ects() -> None:
    catalog, report = _read([
        _achievement("urn:a", creditsAvailable="15"),
        _achievement("urn:b", creditsAvailable=7.3),
        _achievement("urn:c", creditsAvailable="lots"),
        _achievement("urn:d", ECTS=5)])
    assert [c.credits for c in catalog] == [15, 7.5, 0, 5]
    lines = "\n".join(report.lines())
    assert 'creditsAvailable: warning: assumed: creditsAvailable "15" is text; read as the ' \
           "number 15" in lines
    assert "7.3 credits rounded to 7.5" in lines
    assert "f.json:$[2].creditsAvailable: warning: dropped: creditsAvailable is not a " \
           "number; left out" in lines
    assert "credits are the ECTS extension's ECTS credits" in lines


def test_a_repeated_achievement_is_read_once_and_a_different_one_said() -> None:
    catalog, report = _read([_achievement("urn:a", creditsAvailable=5),
                             _achievement("urn:a", creditsAvailable=5),
                             _achievement("urn:a", creditsAvailable=6)])
    assert [c.credits for c in catalog] == [5]
    assert any("f.json:$[2]: warning: dropped: achievement urn:a again, unlike its first "
               "description at f.json:$[0]; the first kept" in w for w in report.lines())


# -- bad and hostile input ----------------------------------------------------------------
def test_nothing_to_read_is_one_error() -> None:
    with pytest.raises(CatalogError) as e:
        _read({"type": ["VerifiableCredential"], "name": "x"}, "w.json")
    assert str(e.value) == ("w.json: no Open Badges achievement found (an Achievement, an "
                            "OpenBadgeCredential or a CLR with achievements)")


def test_odd_shapes_are_warnings_not_crashes() -> None:
    doc = [5, "x", {"type": "OpenBadgeCredential", "credentialSubject": 3},
           {"type": "OpenBadgeCredential", "credentialSubject": {"achievement": [1, None]}},
           {"type": ["Achievement"], "name": {"en": "Named in a map"}, "id": "urn:m",
            "creditsAvailable": True, "alignment": "nope", "tag": [1]},
           {"type": ["Achievement"], "name": "no id"}]
    catalog, report = _read(doc)
    [c] = catalog.credentials
    assert (c.id, c.title, c.credits) == ("urn:m", "Named in a map", 0)
    assert "f.json:$[0]: warning: dropped: not an object" in "\n".join(report.lines())
    assert any("$[5]: warning: dropped: an achievement without an id" in w
               for w in report.lines())


def test_credentials_nested_too_deep_are_dropped_not_recursed() -> None:
    node: Any = {"type": ["Achievement"], "id": "urn:deep", "name": "deep"}
    for _ in range(50):
        node = {"type": ["VerifiablePresentation"], "verifiableCredential": [node]}
    with pytest.raises(CatalogError, match="no Open Badges achievement found"):
        _read(node)


def test_hostile_files_end_in_one_line_errors(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"@context": "https://purl.imsglobal.org/spec/ob/v3p0/context.json", '
                    '"x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(CatalogError) as e:
        read_standard([deep])
    assert str(e.value).startswith(f"{deep}: JSON nested more than")
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": ["OpenBadgeCredential"], ')
    with pytest.raises(CatalogError, match="broken.json:1: not JSON"):
        read_standard([broken])


def test_many_achievements_read_in_bounded_time(tmp_path: Path) -> None:
    """100,000 achievements and a context URL that must not be fetched: read offline."""
    big = tmp_path / "big.json"
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2",
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                        "https://attacker.example/context.json"],
           "type": ["VerifiableCredential", "ClrCredential"],
           "credentialSubject": {"type": ["ClrSubject"], "achievement": [
               {"id": f"urn:{i}", "type": ["Achievement"], "name": f"A{i}",
                "achievementType": "MicroCredential", "creditsAvailable": 5}
               for i in range(100_000)]}}
    big.write_text(json.dumps(doc))

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a network call")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(socket, "create_connection", no_network)
        catalog, report = read_standard([big])
    assert len(catalog) == 100_000 and report.counts["credentials"] == 100_000


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "name", "achievement", "credentialSubject",
                         "creditsAvailable", "alignment", "association", "creator",
                         "targetType", "targetCode", "achievementType", "pathways", "@graph",
                         "verifiableCredential", "sourceId", "targetId", "associationType"]),
        inner, max_size=4), max_leaves=20)


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(st.sampled_from(["creditsAvailable", "alignment", "achievementType",
                                        "creator", "name", "tag", "pathways", "SBU"]),
                       _JSON, max_size=5), _JSON, st.booleans())
def test_any_json_in_an_achievement_is_read_or_refused_in_one_line(
        fields: dict[str, Any], association: Any, ours: bool) -> None:
    from pathways.standards.ob3_writer import CONTEXT

    doc = _clr([{"id": "urn:a", "type": ["Achievement"], **fields},
                _achievement("urn:b", creditsAvailable=10)], [association])
    if ours:  # the "pathways" key is then read as pathways' extension
        doc["@context"] = CONTEXT
    try:
        catalog, _report = _read(doc)
    except CatalogError as e:
        assert "\n" not in str(e)
        return
    assert "urn:b" in catalog


# -- writing, and the round trip --------------------------------------------------------------
def test_the_export_validates_against_the_ob3_schema(ob3_schema: Any) -> None:
    demo = read_catalog(DEMO_JSON)
    doc = ob3_document(demo)
    assert len(doc["@graph"]) == len(demo.credentials)
    for credential in doc["@graph"]:
        errors = sorted(ob3_schema.iter_errors(credential), key=str)
        assert not errors, errors[0].message
    # and the schema does catch a credential that is not one
    broken = dict(doc["@graph"][0], credentialSubject={"type": ["AchievementSubject"]})
    assert list(ob3_schema.iter_errors(broken))


def test_the_demo_comes_back_whole() -> None:
    demo = read_catalog(DEMO_JSON)
    text = dump_ob3(demo)
    assert dump_ob3(demo) == text  # deterministic
    back, report = _read(json.loads(text), "demo-ob3.json")
    assert dump_catalog(back.sorted(), "json") == dump_catalog(demo.sorted(), "json")
    assert report.counts == {"credentials": 93, "providers": 6, "stacking": 90,
                             "entry requirements": sum(len(c.requires) for c in demo)}
    assert report.warnings == []


def test_the_export_says_what_ob3_says_in_its_own_words() -> None:
    demo = read_catalog(DEMO_JSON)
    doc = ob3_document(demo)
    ach = next(g["credentialSubject"]["achievement"] for g in doc["@graph"]
               if g["id"] == "urn:pathways:credential:DIP-ITS5")
    c = demo.index()["DIP-ITS5"]
    assert ach["id"] == "urn:pathways:achievement:DIP-ITS5"
    assert (ach["name"], ach["achievementType"], ach["creditsAvailable"]) == (
        c.title, "Diploma", 120)
    assert ach["alignment"][0]["targetType"] == "ext:NZQF"
    assert ach["alignment"][0]["targetCode"] == "5"
    assert ach["creator"]["id"] == "urn:pathways:provider:rawhiti"
    assert ach["pathways"]["fee"] == c.fee
    edges = {e.target: e.credits for e in demo.stacking_from("DIP-ITS5")}
    assert {e["to"]: e["credits"] for e in ach["pathways"]["stacks_into"]} == edges


def test_an_edited_extension_is_refused_with_its_path() -> None:
    demo = read_catalog(DEMO_JSON)
    doc = ob3_document(demo)
    doc["@graph"][0]["credentialSubject"]["achievement"]["pathways"]["fee"] = "cheap"
    with pytest.raises(CatalogError) as e:
        _read(doc, "edited.json")
    assert str(e.value) == ('edited.json:$["@graph"][0].credentialSubject.achievement.'
                            'pathways.fee: must be a number; got "cheap" (text)')


def _unique(catalog: Catalog) -> Catalog:
    """One credential per id (as any file keyed by id holds them)."""
    creds = {c.id: c for c in catalog.credentials}
    provs = {p.id: p for p in catalog.providers}
    return replace(catalog, credentials=list(creds.values()), providers=list(provs.values()))


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_pathways_to_ob3_to_pathways_is_lossless(catalog: Catalog) -> None:
    catalog = _unique(catalog)
    back, _report = _read(json.loads(dump_ob3(catalog)), "g.json")
    assert back.sorted() == catalog.sorted()
    assert dump_catalog(back.sorted(), "json") == dump_catalog(catalog.sorted(), "json")


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_credentials_credits_and_stacking_survive_ob3(catalog: Catalog) -> None:
    """The quick form of the property above (not slow): the three things the issue names."""
    catalog = _unique(catalog)
    back, _report = _read(json.loads(dump_ob3(catalog)), "g.json")
    assert [(c.id, c.title, c.kind, c.credits) for c in back.sorted()] == \
        [(c.id, c.title, c.kind, c.credits) for c in catalog.sorted()]
    assert sorted(back.stacking) == sorted(catalog.stacking)
    assert [c.rules for c in back.sorted()] == [c.rules for c in catalog.sorted()]


def test_a_list_of_credentials_is_an_open_badges_file(tmp_path: Path) -> None:
    from conftest import ROOT

    from pathways.standards import detect_standard

    wallet = ROOT / "graphs" / "examples" / "wallet.json"
    assert detect_standard(json.loads(wallet.read_text(encoding="utf-8"))) == "ob3"
    assert detect_standard([1, {"type": ["VerifiableCredential", "ClrCredential"]}]) == "clr"
    assert detect_standard([1, "x"]) is None
    catalog, report = read_standard([wallet])
    assert report.standards == ["ob3"] and len(catalog) == 4


def test_a_route_through_the_ob3_export_is_the_route_through_the_demo(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    exported = tmp_path / "demo-ob3.json"
    exported.write_text(dump_ob3(read_catalog(DEMO_JSON)), encoding="utf-8")
    answers = []
    for path in (DEMO_JSON, exported):
        result = CliRunner().invoke(cli, ["route", "--catalog", str(path), "--to", "DIP-ITS5",
                                          "--have", "MC-CLOUD4", "--json"])
        assert result.exit_code == 0, result.output
        answers.append(json.loads(result.stdout))
    assert answers[0] == answers[1]


def test_another_vocabularys_pathways_property_is_not_ours() -> None:
    doc = _clr([_achievement("urn:a", creditsAvailable=10, pathways=["career", "study"])], [])
    catalog, report = _read(doc)
    assert catalog.credentials[0].credits == 10
    assert any("achievement[0].pathways: warning: dropped: a pathways property of another "
               "vocabulary" in w for w in report.lines())
