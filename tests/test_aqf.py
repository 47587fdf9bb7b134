"""Australian catalogs (issue 14): the ``aqf`` framework, credit units, cross-Tasman
catalogs, and the example in graphs/examples/tafe-to-masters.json."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import ROOT

from pathways.catalog import Catalog, Credential, CreditUnit, Provider, Stacking
from pathways.counting import UNKNOWN_LEVEL, count_credits, source_level
from pathways.errors import CatalogError, StoreError
from pathways.formats import read_catalog
from pathways.formats.csv_format import dump_csv, parse_csv
from pathways.formats.json_format import dump_json, parse_json
from pathways.routes import find_route
from pathways.rules import (
    AQF_QUALIFICATION_TYPES,
    AQF_VOLUMES,
    FRAMEWORK_RULES,
    rpl_refusal,
    validate,
)
from pathways.vocabulary import AQF_QUALIFICATION_TYPES as AQF_TYPE_NAMES
from pathways.vocabulary import FRAMEWORKS

EXAMPLE = ROOT / "graphs" / "examples" / "tafe-to-masters.json"
TODAY = date(2026, 11, 29)
HEAD = '"format": "pathways-catalog", "version": 1'


def problems(catalog: Catalog) -> list[str]:
    return [str(p) for p in validate(catalog, today=TODAY)]


def example() -> Catalog:
    return read_catalog(EXAMPLE)


def aqf(*creds: Credential, edges: tuple[tuple[str, str, float], ...] = (),
        unit: CreditUnit | None = None, framework: str = "aqf") -> Catalog:
    """A small catalog with JSON-path sources as a reader sets them."""
    return Catalog(
        credentials=[replace(c, source=f"a.json:$.credentials[{i}]")
                     for i, c in enumerate(creds)],
        stacking=[Stacking(s, t, r, where=f"a.json:$.stacking[{i}]")
                  for i, (s, t, r) in enumerate(edges)],
        framework=framework, credit_unit=unit, source="a.json")


def q(cid: str, qtype: str, level: int, credits: float, **kw: object) -> Credential:
    return Credential(cid, f"Qualification {cid}", "qualification", credits, level=level,
                      type=qtype, **kw)  # type: ignore[arg-type]


def mc(cid: str, level: int, credits: float, **kw: object) -> Credential:
    return Credential(cid, f"Short course {cid}", "micro-credential", credits, level=level,
                      **kw)  # type: ignore[arg-type]


# -- the registry and the vocabulary ----------------------------------------------------------

def test_aqf_is_one_entry_of_the_registry_and_the_vocabulary() -> None:
    assert "aqf" in FRAMEWORKS and "aqf" in FRAMEWORK_RULES
    rules = FRAMEWORK_RULES["aqf"]
    assert rules.qualification_types is AQF_QUALIFICATION_TYPES
    assert tuple(AQF_QUALIFICATION_TYPES) == AQF_TYPE_NAMES == tuple(AQF_VOLUMES)
    assert AQF_QUALIFICATION_TYPES["graduate-certificate"].levels == (8,)
    assert FRAMEWORK_RULES["nzqf"].qualification_types["graduate-certificate"].levels == (7,)
    assert not rules.micro_credential_rpl and FRAMEWORK_RULES["nzqf"].micro_credential_rpl


# -- the example ------------------------------------------------------------------------------

def test_example_is_valid_and_in_credit_points() -> None:
    cat = example()
    assert cat.framework == "aqf"
    assert cat.credit_unit == CreditUnit("credit point", 12.5)
    assert problems(cat) == []
    index = cat.index()
    # hours come from the credit unit: 8 credit points of 12.5 hours
    assert index["U-CLOUD"].effective_hours == 100
    assert index["CERT4-CYBER"].effective_hours == 800


def test_example_routes() -> None:
    cat = example()
    route = find_route(cat, "MCYB")
    assert route.target == "MCYB"
    ids = [s.id for s in route.steps]
    assert ids[-3:] == ["CERT4-CYBER", "GC-CYBER", "MCYB"]
    # the masters counts the whole graduate certificate (48 credit points, its cap)
    step = {s.id: s for s in route.steps}
    assert step["MCYB"].credits_recognised == 48
    assert step["GC-CYBER"].credits_recognised == 12


@pytest.mark.parametrize("dump,parse", [(dump_json, parse_json), (dump_csv, parse_csv)])
def test_example_round_trips(dump, parse) -> None:  # type: ignore[no-untyped-def]
    cat = example()
    again = parse(dump(cat), source="x")
    # (CSV writes each edge on its source's row: the same edges, in that order)
    assert replace(again, stacking=sorted(again.stacking)) == \
        replace(cat, stacking=sorted(cat.stacking))
    assert again.credit_unit == cat.credit_unit
    assert dump(again) == dump(cat)


def test_example_through_the_store() -> None:
    from pathways import store
    from pathways.store.database import connect, save_catalog

    cat = example()
    engine = connect("sqlite://")
    save_catalog(engine, cat)
    assert store.load_catalog(engine) == cat
    assert store.load_catalog(engine).credit_unit == cat.credit_unit


# -- credit units -----------------------------------------------------------------------------

def test_credit_unit_sets_default_hours_only() -> None:
    cat = aqf(mc("MC", 4, 4), mc("MC-H", 4, 4, hours=30), unit=CreditUnit("credit point", 12.5))
    index = cat.index()
    assert index["MC"].effective_hours == 50
    assert index["MC-H"].effective_hours == 30  # given hours win
    assert aqf(mc("MC", 4, 4)).index()["MC"].effective_hours == 40  # NZQF credits


@pytest.mark.parametrize(("unit", "message"), [
    ('"points"', '$.credit_unit: must be an object such as {"name": "credit point", '
                 '"hours": 12.5}; got "points" (text)'),
    ('{"name": "credit point"}', '$.credit_unit: missing required key "hours"'),
    ('{"name": "", "hours": 10}', "$.credit_unit.name: must not be empty"),
    ('{"name": "cp", "hours": 0}', "$.credit_unit.hours: hours per credit unit: 0 is out of "
                                   "range (more than 0 to 1,200); give a number from more "
                                   "than 0 to 1,200"),
    ('{"name": "cp", "hours": 5000}', "$.credit_unit.hours: hours per credit unit: 5000 is "
                                      "out of range (more than 0 to 1,200); give a number "
                                      "from more than 0 to 1,200"),
    ('{"name": "cp", "hours": 10, "per": 1}', '$.credit_unit: unknown key "per" (expected '
                                              "one of: name, hours)"),
])
def test_credit_unit_errors_in_json(unit: str, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_json(f'{{{HEAD}, "credit_unit": {unit}}}', source="c.json")
    assert [str(p) for p in info.value.problems] == [f"c.json:{message}"]


@pytest.mark.parametrize(("row", "message"), [
    ("#credit_unit,credit point", "#credit_unit needs a name and hours; write e.g. "
                                  '"#credit_unit,credit point,12.5" (the unit\'s name, then '
                                  "its hours)"),
    ("#credit_unit,credit point,lots", '#credit_unit: hours per credit unit: "lots" is not a '
                                       'number; write e.g. "#credit_unit,credit point,12.5" '
                                       "(the unit's name, then its hours)"),
    ("#credit_unit,credit point,-1", "#credit_unit: hours per credit unit: -1 is out of range "
                                     "(more than 0 to 1,200); give a number from more than 0 "
                                     "to 1,200"),
])
def test_credit_unit_errors_in_csv(row: str, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_csv(f"{row}\nid,title,kind,credits\n", source="c.csv")
    assert [str(p) for p in info.value.problems] == [f"c.csv:1: {message}"]


def test_credit_unit_twice_in_csv() -> None:
    with pytest.raises(CatalogError) as info:
        parse_csv("#credit_unit,cp,10\n#credit_unit,cp,12\nid,title,kind,credits\n",
                  source="c.csv")
    assert [str(p) for p in info.value.problems] == [
        'c.csv:2: row "#credit_unit" appears more than once']


def test_store_refuses_to_merge_another_credit_unit() -> None:
    from pathways.store.database import connect, save_catalog

    engine = connect("sqlite://")
    save_catalog(engine, example())
    nz = aqf(mc("MC-NZ", 4, 5), framework="nzqf")
    for validate_ in (None, lambda c: None):
        with pytest.raises(StoreError) as info:
            save_catalog(engine, nz, mode="merge", validate=validate_)
        assert str(info.value) == (
            "sqlite://: the stored catalog counts credit in credit points (12.5 hours) but "
            "the one to merge counts in NZQF credits (10 hours); convert it to the stored "
            "unit first, or replace the stored catalog (save with mode='replace')")


# -- AQF types and levels ---------------------------------------------------------------------

def test_aqf_type_at_the_wrong_level() -> None:
    cat = aqf(q("GC", "graduate-certificate", 7, 48, hours=600))
    assert problems(cat) == [
        "a.json:$.credentials[0].level: GC: a graduate-certificate is at level 8 under aqf "
        "(got level 7); fix the level or the type"]


def test_nzqf_type_names_are_not_aqf_types() -> None:
    cat = aqf(q("C", "postgraduate-certificate", 8, 48, hours=600))
    assert problems(cat) == [
        "a.json:$.credentials[0].type: C: qualification type 'postgraduate-certificate' is "
        "unknown; use one of " + ", ".join(AQF_TYPE_NAMES)]


def test_level_is_required_under_aqf() -> None:
    cat = aqf(mc("MC", 4, 4).__class__("MC", "Short", "micro-credential", 4))
    assert problems(cat) == [
        "a.json:$.credentials[0]: MC: level is required under the aqf framework; add a level "
        "from 1 to 10"]


# -- volume of learning -----------------------------------------------------------------------

@pytest.mark.parametrize(("qtype", "level", "hours"), [
    ("certificate-iv", 4, 300), ("certificate-iv", 4, 4800), ("bachelor", 7, 1800),
    ("masters", 9, 4800), ("associate-degree", 6, 2400), ("doctorate", 10, 9600),
])
def test_volume_within_reach_is_quiet(qtype: str, level: int, hours: int) -> None:
    assert problems(aqf(q("Q", qtype, level, 10, hours=hours))) == []


def test_volume_far_below() -> None:
    cat = aqf(q("Q", "certificate-iv", 4, 10, hours=299))
    assert problems(cat) == [
        "a.json:$.credentials[0].hours: warning: Q: a certificate-iv is 0.5-2 years of "
        "learning under the AQF (1,200 hours a year), but its 299 hours are under half of the "
        "least (600 "
        "hours); check its credits, hours or type"]


def test_volume_far_above_from_credit_points() -> None:
    # 800 credit points of 12.5 hours = 10,000 hours: over twice a masters' 2 years
    cat = aqf(q("Q", "masters", 9, 800), unit=CreditUnit("credit point", 12.5))
    assert problems(cat) == [
        "a.json:$.credentials[0].credits: warning: Q: a masters is 1-2 years of learning "
        "under the AQF (1,200 hours a year), but its 10,000 hours are over 2 times the most "
        "(2,400 hours); "
        "check its credits, hours or type"]


def test_volume_of_one_size() -> None:
    cat = aqf(q("Q", "associate-degree", 6, 10, hours=1000))
    assert problems(cat) == [
        "a.json:$.credentials[0].hours: warning: Q: an associate-degree is 2 years of "
        "learning under the AQF (1,200 hours a year), but its 1,000 hours are under half of the "
        "least (2,400 "
        "hours); check its credits, hours or type"]


# -- micro-credentials ------------------------------------------------------------------------

def test_micro_credential_of_one_hour_is_fine() -> None:
    assert problems(aqf(mc("MC", 3, 1, hours=1))) == []


def test_micro_credential_under_an_hour() -> None:
    cat = aqf(mc("MC", 3, 1, hours=0.5))
    assert problems(cat) == [
        "a.json:$.credentials[0].hours: MC: an AQF micro-credential is at least 1 hour of "
        "learning (National Microcredentials Framework; got 0.5); raise its hours or credits"]


def test_micro_credential_not_smaller_than_the_award_it_stacks_into() -> None:
    # MC -> unit -> certificate: the certificate (600 hours) is the smallest award reached
    cat = aqf(mc("MC", 4, 60, hours=600),
              Credential("U", "Unit", "course", 8, level=4, hours=100),
              q("CERT", "certificate-iv", 4, 60, hours=600, core=("U",)),
              q("DIP", "diploma", 5, 120, hours=1200),
              edges=(("MC", "U", 8), ("U", "CERT", 8), ("CERT", "DIP", 60)))
    assert problems(cat) == [
        "a.json:$.credentials[0].hours: MC: an AQF micro-credential is smaller than the awards "
        "it stacks into, but its 600 hours are not less than the 600 of CERT; make it smaller "
        "or make it a qualification"]


def test_nzqf_micro_credential_in_an_aqf_catalog_follows_nzqf() -> None:
    cat = aqf(mc("MC", 4, 41, framework="nzqf"))
    assert problems(cat) == [
        "a.json:$.credentials[0].credits: MC: a micro-credential has 1-40 credits under nzqf "
        "(got 41); lower its credits or make it a qualification"]


def test_nzqf_sizes_convert_from_the_catalog_credit_unit() -> None:
    # 36 credit points of 12.5 hours = 45 NZQF credits
    cat = aqf(mc("MC", 4, 36, framework="nzqf"), unit=CreditUnit("credit point", 12.5))
    assert problems(cat) == [
        "a.json:$.credentials[0].credits: MC: a micro-credential has 1-40 credits under nzqf "
        "(got 36 credit points = 45 NZQF credits); lower its credits or make it a "
        "qualification"]


# -- VET packaging ----------------------------------------------------------------------------

def _vet(**kw: object) -> Catalog:
    units = [Credential(f"U{i}", f"Unit {i}", "course", 8, level=4) for i in range(1, 4)]
    cert = q("CERT", "certificate-iv", 4, 24, direct_study=False, hours=600, **kw)
    return aqf(*units, cert, edges=tuple((u.id, "CERT", 8) for u in units))


def test_vet_qualification_of_units_without_core_or_rules() -> None:
    assert problems(_vet()) == [
        "a.json:$.credentials[3]: warning: CERT: a VET certificate-iv is packaged as core "
        "units plus elective groups, but the 3 units stacking into it have neither core nor "
        "rules; list "
        'its core units in core and each elective group as a rule, e.g. {"min": 3, "of": '
        '[...], "name": "Group A electives"}']


def test_vet_qualification_with_core_and_electives() -> None:
    from pathways.catalog import Rule

    cat = _vet(core=("U1",), rules=(Rule("min", 2, ("U2", "U3"), "Group A electives"),))
    assert problems(cat) == []


# -- recognition of prior learning ------------------------------------------------------------

def test_rpl_refused_on_aqf_micro_credentials_only() -> None:
    cat = example()
    assert rpl_refusal(cat, "MC-SOC") == (
        "MC-SOC is an AQF micro-credential: recognition of prior learning is not available "
        "for micro-credentials under Australia's National Microcredentials Framework; remove "
        "the grant (a learner who has the skills can hold it instead, as a held credential)")
    assert rpl_refusal(cat, "U-CLOUD") is None  # a unit: RPL is usual in VET
    assert rpl_refusal(cat, "GC-CYBER") is None
    nz = replace(cat, credentials=[replace(c, framework="nzqf") if c.id == "MC-SOC" else c
                                   for c in cat.credentials])
    assert rpl_refusal(nz, "MC-SOC") is None  # an NZQF micro-credential may have RPL


# -- cross-Tasman -----------------------------------------------------------------------------

def cross_tasman() -> Catalog:
    """An NZQF catalog holding an Australian masters: the NZ level-7 graduate certificate
    and the AQF level-8 one both stack into it."""
    return Catalog(
        providers=[Provider("nz"), Provider("au")],
        credentials=[
            q("GC-NZ", "graduate-certificate", 7, 60, provider="nz", fee=6000),
            q("GC-AU", "graduate-certificate", 8, 48, provider="au", fee=14400,
              framework="aqf", hours=600),
            q("M-AU", "masters", 9, 144, provider="au", fee=43200, framework="aqf",
              hours=1800, max_recognised=60, level_profile=((8, 120),)),
        ],
        stacking=[Stacking("GC-NZ", "M-AU", 48), Stacking("GC-AU", "M-AU", 48)],
        framework="nzqf", source="x.json")


def test_cross_tasman_catalog_is_valid_by_each_credential_framework() -> None:
    cat = cross_tasman()
    assert problems(cat) == []
    # the same NZ graduate certificate at level 8 is wrong under NZQF, right under AQF
    wrong = replace(cat, credentials=[replace(c, level=8) if c.id == "GC-NZ" else c
                                      for c in cat.credentials])
    assert problems(wrong) == [
        "x.json: GC-NZ: a graduate-certificate is at level 7 under nzqf (got level 8); fix "
        "the level or the type"]


def test_levels_of_different_frameworks_are_never_compared() -> None:
    cat = cross_tasman()
    index = cat.index()
    nz, au, m = index["GC-NZ"], index["GC-AU"], index["M-AU"]
    assert source_level(au, m) == 8
    assert source_level(nz, m) == UNKNOWN_LEVEL  # NZQF 7 is not "below AQF 8": unknown
    # the masters' profile lets 144 - 120 = 24 credits come from below level 8: the
    # AQF graduate certificate counts in full, the NZ one only within those 24
    assert count_credits(m, [("GC-AU", 48)], lambda u: source_level(index[u], m)) == \
        {"GC-AU": 48}
    assert count_credits(m, [("GC-NZ", 48)], lambda u: source_level(index[u], m)) == \
        {"GC-NZ": 24}
    route = find_route(cat, "M-AU", held=["GC-NZ"])
    assert {s.id: s.credits_recognised for s in route.steps}["M-AU"] == 24


def test_validation_counts_a_cross_framework_source_as_below_every_level() -> None:
    from pathways.catalog import Rule

    cat = cross_tasman()
    m = replace(cat.index()["M-AU"],
                rules=(Rule("min_credits", 30, ("GC-NZ",)),))
    bad = replace(cat, credentials=[m if c.id == "M-AU" else c for c in cat.credentials])
    assert problems(bad) == [
        "x.json: M-AU: rule 1 (at least 30 credits from GC-NZ) asks for 30 credits but the "
        "list can count at most 24 into M-AU (stacking credits, cap and level profile); lower "
        "it or add to the list"]


def test_credential_framework_round_trips_and_is_checked() -> None:
    cat = cross_tasman()
    assert parse_json(dump_json(cat)) == cat
    assert parse_csv(dump_csv(cat)) == cat
    with pytest.raises(CatalogError) as info:
        parse_json(f'{{{HEAD}, "credentials": [{{"id": "A", "title": "A", "kind": "course", '
                   '"credits": 1, "framework": "AQF"}]}', source="c.json")
    assert [str(p) for p in info.value.problems] == [
        'c.json:$.credentials[0].framework: must be one of nzqf, nzqf-2018, generic, aqf; '
        'got "AQF"']
    odd = replace(cat, credentials=[replace(cat.credentials[0], framework="eqf")])
    assert "x.json: GC-NZ: framework 'eqf' is not supported; use one of nzqf, nzqf-2018, " \
        "generic, aqf" in problems(odd)


def test_cross_tasman_level_jumps_are_not_measured() -> None:
    from pathways.gaps import find_gaps

    cat = replace(cross_tasman(), credentials=[
        *cross_tasman().credentials,
        mc("MC-NZ", 3, 10, provider="nz", fee=500),
        mc("MC-AU", 3, 4, provider="au", fee=300, framework="aqf", hours=50)],
        stacking=[*cross_tasman().stacking, Stacking("MC-NZ", "M-AU", 10),
                  Stacking("MC-AU", "M-AU", 4)])
    jumps = [f for f in find_gaps(cat).findings if f.kind == "level-jump"]
    # MC-AU (AQF 3) -> M-AU (AQF 9) climbs 6; MC-NZ (NZQF 3) -> M-AU is not measured
    assert [tuple(f.credentials) for f in jumps] == [("MC-AU", "M-AU")]


def test_route_refuses_rpl_on_an_aqf_micro_credential() -> None:
    from pathways.errors import RouteError

    cat = example()
    with pytest.raises(RouteError) as info:
        find_route(cat, "CERT4-CYBER", rpl={"MC-SOC": 4})
    assert str(info.value) == rpl_refusal(cat, "MC-SOC")
    # a unit may be granted by RPL: 8 credit points of U-WHS need no study
    plain = find_route(cat, "CERT4-CYBER")
    granted = find_route(cat, "CERT4-CYBER", rpl={"U-WHS": 8})
    assert granted.fee == plain.fee - 450


def test_cli_refuses_rpl_on_an_aqf_micro_credential() -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    result = CliRunner().invoke(cli, ["route", "--catalog", str(EXAMPLE), "--to", "CERT4-CYBER",
                                      "--rpl", "MC-SOC=4"])
    assert result.exit_code != 0
    assert "Error: MC-SOC is an AQF micro-credential: recognition of prior learning is not " \
        "available for micro-credentials under Australia's National Microcredentials " \
        "Framework" in result.output


def test_cross_tasman_shortfall_counts_another_scale_as_below_every_level() -> None:
    from pathways.gaps import GapOptions, find_gaps

    def share(framework: str) -> float:
        base = cross_tasman()
        cat = replace(base, credentials=[
            *base.credentials, mc("MC-X", 9, 40, provider="au", fee=400, hours=500,
                                  framework=framework)],
            stacking=[Stacking("MC-X", "M-AU", 40)])
        options = GapOptions(kinds=("shortfall",), shortfall_threshold=0.5)
        [f] = [f for f in find_gaps(cat, options).findings if f.credentials[0] == "M-AU"]
        return f.figure

    # an AQF level-9 micro-credential counts 40 of the masters' 144; an NZQF one only the
    # 24 the level profile lets come from below level 8
    assert share("aqf") == pytest.approx(40 / 144, abs=0.005)
    assert share("nzqf") == pytest.approx(24 / 144, abs=0.005)


def test_cross_tasman_duplication_looks_within_one_level_scale() -> None:
    from pathways.gaps import GapOptions, find_gaps

    def found(framework: str) -> list[tuple[str, ...]]:
        base = cross_tasman()
        skills = ("threat-modelling", "security-governance")
        cat = replace(base, credentials=[
            *[replace(c, skills=skills) if c.id == "GC-AU" else c for c in base.credentials],
            mc("MC-X", 8, 10, provider="nz", fee=400, skills=skills, framework=framework)])
        options = GapOptions(kinds=("duplication",))
        return [tuple(f.credentials) for f in find_gaps(cat, options).findings]

    # an AQF level-8 micro-credential duplicates the AQF level-8 graduate certificate; an
    # NZQF level-8 one is not within a level window of it: the scales differ
    assert found("aqf") == [("MC-X", "GC-AU")]
    assert found("nzqf") == []


# -- drawings ---------------------------------------------------------------------------------

def test_map_columns_separate_and_name_the_level_scales() -> None:
    from pathways.drawing import layout

    lay = layout(cross_tasman())
    assert [c.label for c in lay.columns] == ["NZQF level 7", "AQF level 8", "AQF level 9"]
    columns = {cid: lay.columns[i].label for cid, i in lay.column.items()}
    assert columns == {"GC-NZ": "NZQF level 7", "GC-AU": "AQF level 8",
                       "M-AU": "AQF level 9"}
    # the same credentials all in one framework: plain level columns, as ever
    one = replace(cross_tasman(), credentials=[
        replace(c, framework=None) for c in cross_tasman().credentials])
    assert [c.label for c in layout(one).columns] == ["Level 7", "Level 8", "Level 9"]
    # an AQF catalog holding an NZQF credential: the AQF levels first, then the NZQF set
    au = replace(cross_tasman(), framework="aqf", credentials=[
        replace(c, framework="nzqf" if c.id == "GC-NZ" else None)
        for c in cross_tasman().credentials])
    assert [c.label for c in layout(au).columns] == ["AQF level 8", "AQF level 9",
                                                     "NZQF level 7"]


def test_map_footnote_names_frameworks_and_credit_unit() -> None:
    from conftest import DEMO_JSON

    from pathways.drawing.maps import level_columns_note

    assert level_columns_note(read_catalog(DEMO_JSON)) == \
        "columns: NZQF levels · 1 credit = 10 learning hours"  # the demo's, unchanged
    assert level_columns_note(example()) == \
        "columns: AQF levels · credits are credit points of 12.5 learning hours"
    assert level_columns_note(cross_tasman()) == \
        "columns: NZQF and AQF levels · 1 credit = 10 learning hours"
