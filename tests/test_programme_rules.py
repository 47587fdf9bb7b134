"""Issue 15: programme rules, direct_study, half credits in the model, files, validation
and the store (schema 2 and the upgrade from 1)."""

from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pathways import store
from pathways.catalog import Catalog, Credential, Rule, Stacking
from pathways.cli import cli
from pathways.errors import CatalogError, Notice, StoreError
from pathways.formats.csv_format import dump_csv, parse_csv
from pathways.formats.json_format import dump_json, parse_json
from pathways.rules import validate


def paper(pid: str, credits: float = 15, level: int = 7) -> dict[str, Any]:
    return {"id": pid, "title": f"Paper {pid}", "kind": "course", "level": level,
            "credits": credits}


def degree_doc(rules: list[dict[str, Any]], *, credits: float = 60, **extra: Any) -> str:
    papers = [paper("P1"), paper("P2", 7.5), paper("P3"), paper("P4", 7.5), paper("P5")]
    deg = {"id": "BSC", "title": "Bachelor of Science", "kind": "qualification",
           "type": "bachelor", "level": 7, "credits": credits, "direct_study": False,
           "rules": rules, **extra}
    return json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [deg, *papers],
        "stacking": [{"from": p["id"], "to": "BSC", "credits": p["credits"]} for p in papers],
    })


def problems(text: str) -> list[str]:
    return [str(p) for p in validate(parse_json(text, source="c.json"))]


GOOD_RULES = [{"min": 2, "of": ["P1", "P2", "P3"], "name": "Year 1"},
              {"max": 1, "of": ["P4", "P5"]},
              {"min_credits": 15, "from": ["P3", "P5"]},
              {"max_credits": 30, "from": ["P1", "P3", "P5"]}]


def test_a_composed_degree_with_every_rule_is_valid_and_round_trips() -> None:
    text = degree_doc(GOOD_RULES)
    catalog = parse_json(text, source="c.json")
    assert validate(catalog) == []
    deg = catalog.index()["BSC"]
    assert deg.rules[0] == Rule("min", 2, ("P1", "P2", "P3"), "Year 1")
    assert deg.rules[2].describe() == "at least 15 credits from P3, P5"
    assert deg.rules[0].describe() == "at least 2 of 3 from the Year 1 list"
    assert deg.effective_direct_study is False
    assert catalog.index()["P2"].credits == 7.5
    assert catalog.index()["P1"].credits == 15 and isinstance(catalog.index()["P1"].credits, int)
    # JSON, CSV and the database keep all of it.
    assert parse_json(dump_json(catalog)) == catalog
    csv_text = dump_csv(catalog)
    assert ("Year 1: min 2 of P1 | P2 | P3; max 1 of P4 | P5; min_credits 15 from P3 | P5"
            in csv_text)
    assert ",no," in csv_text and "BSC:7.5" in csv_text
    assert parse_csv(csv_text, framework="generic").credentials == catalog.credentials
    engine = store.connect(":memory:")
    store.save_catalog(engine, catalog)
    assert store.load_catalog(engine) == catalog
    assert '15.0' not in dump_json(store.load_catalog(engine))  # whole stays whole


@pytest.mark.parametrize(("rules", "extra", "expected"), [
    ([{"min": 4, "of": ["P1", "P2", "P3"]}], {},
     "c.json:$.credentials[0].rules[0]: BSC: rule 1 (at least 4 of 3 from P1, P2, P3) asks for 4 "
     "of a list of 3; lower it to at most 3 or add to the list"),
    ([{"min_credits": 45, "from": ["P1", "P2", "P4"]}], {},
     "c.json:$.credentials[0].rules[0]: BSC: rule 1 (at least 45 credits from P1, P2, P4) asks for "
     "45 credits but the list can count at most 30 into BSC (stacking credits, cap and level "
     "profile); lower it or add to the list"),
    ([{"max": 1, "of": ["P1", "P3"]}], {"core": ["P1", "P3"]},
     "c.json:$.credentials[0].rules[0]: BSC: rule 1 (at most 1 of 2 from P1, P3) allows at most 1 "
     "but 2 of them are core (P1, P3); raise it or change the core list"),
    ([{"min": 1, "of": ["P1", "NOPE"]}], {},
     "c.json:$.credentials[0].rules[0]: BSC: rule 1 (at least 1 of 2 from P1, NOPE) names 'NOPE', "
     "which is not in the catalog; add it or fix the id"),
])
def test_impossible_rules_are_errors(rules: list[dict[str, Any]], extra: dict[str, Any],
                                     expected: str) -> None:
    assert expected in problems(degree_doc(rules, **extra))


def test_a_rule_id_must_stack_into_its_credential() -> None:
    doc = json.loads(degree_doc([{"min": 1, "of": ["P1", "P9"]}]))
    doc["credentials"].append(paper("P9"))
    assert problems(json.dumps(doc)) == [
        "c.json:$.credentials[0].rules[0]: BSC: rule 1 (at least 1 of 2 from P1, P9) names 'P9', "
        "which does not stack into BSC; add a stacking edge P9 -> BSC or remove it from the rule"]


def test_a_composed_credential_its_sources_cannot_fill_is_an_error() -> None:
    assert problems(degree_doc([], credits=120)) == [
        "c.json:$.credentials[0].direct_study: BSC has no study of its own (direct_study: false) "
        "but its sources can count at most 60 of its 120 credits; add sources, raise their "
        "credits or max_recognised, or allow direct study"]
    # The cap counts too.
    assert "can count at most 30 of its 60" in problems(degree_doc([], max_recognised=30))[0]


def test_a_figure_not_a_multiple_of_a_half_is_an_error() -> None:
    # Files refuse it as they read; a catalog built in code is caught by validation.
    with pytest.raises(CatalogError) as info:
        parse_json(degree_doc([], credits=7.25), source="c.json")
    assert str(info.value) == ("c.json:$.credentials[0].credits: must be a multiple of 0.5 such "
                               "as 15 or 7.5; got 7.25")
    catalog = Catalog(credentials=[Credential("A", "A", "course", 7.25, level=5),
                                   Credential("B", "B", "course", 15, level=5,
                                              rules=(Rule("min_credits", 2.2, ("A",)),))],
                      stacking=[Stacking("A", "B", 7.25)], framework="generic")
    found = [str(p) for p in validate(catalog)]
    tail = " is not a multiple of 0.5; use whole or half credits such as 7 or 7.5"
    assert "credits of A: 7.25" + tail in found
    assert "credits of stacking edge A -> B: 7.25" + tail in found
    assert "rule 1 of B (min_credits): 2.2" + tail in found


def test_a_core_credential_that_can_count_nothing_is_a_warning() -> None:
    text = json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [
            {"id": "D", "title": "D", "kind": "qualification", "level": 5, "credits": 120,
             "core": ["M"], "level_profile": {"5": 120}},
            {"id": "M", "title": "M", "kind": "micro-credential", "level": 4, "credits": 10}],
        "stacking": [{"from": "M", "to": "D", "credits": 10}]})
    found = validate(parse_json(text, source="c.json"))
    assert [(p.severity, str(p)) for p in found] == [(
        "warning", "c.json:$.credentials[0].core[0]: warning: D: core credential 'M' can count "
        "no credits into D (its cap or level profile leaves no room for it) yet must be counted "
        "into it; it is still required and studied in full — check the cap, the level profile "
        "or the core list")]


def _core_catalog(profile: dict[str, int], cap: int | None = None) -> Catalog:
    """D (level 7, 120 credits) with a level-5 core paper C and a level-7 paper A."""
    extra = {"max_recognised": cap} if cap is not None else {}
    return parse_json(json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [
            {"id": "D", "title": "D", "kind": "qualification", "level": 7, "credits": 120,
             "fee": 12000, "core": ["C"], "level_profile": profile, **extra},
            {"id": "C", "title": "C", "kind": "course", "level": 5, "credits": 15, "fee": 1500},
            {"id": "A", "title": "A", "kind": "course", "level": 7, "credits": 15, "fee": 100}],
        "stacking": [{"from": "C", "to": "D", "credits": 15},
                     {"from": "A", "to": "D", "credits": 15}]}), source="c.json")


@pytest.mark.parametrize(("profile", "cap", "why"), [
    ({"6": 120}, None, "level profile"),  # nothing below level 6 may count
    ({}, 0, "recognition cap"),  # D recognises no credit at all
])
def test_a_core_step_that_counts_nothing_says_so(profile: dict[str, int], cap: int | None,
                                                 why: str) -> None:
    from pathways.routes import find_route

    catalog = _core_catalog(profile, cap)
    assert [p.severity for p in validate(catalog)] == ["warning"]
    route = find_route(catalog, "D")
    step = {s.id: s for s in route.steps}["C"]
    assert (step.counted_credits, step.credits_studied) == (0, 15)
    assert step.reason == f"core of D: counted in, 0 credits recognised ({why})"
    counted = 15 if cap is None else 0  # A counts its 15 where there is room
    assert route.fee == 1500 + 100 * (counted > 0) + 12000 * (120 - counted) / 120


@pytest.mark.parametrize(("rule", "expected"), [
    ({"min": 1}, 'a "min" rule needs its list: "of": [ids]'),
    ({"min": 1, "max": 2, "of": ["P1"]}, "must have exactly one of min, max, min_credits, "
     "max_credits"),
    ({"min_credits": 7.25, "from": ["P1"]},
     "must be a multiple of 0.5 such as 15 or 7.5; got 7.25"),
    ({"min": 1.5, "of": ["P1"]}, "must be a whole number; got 1.5"),
    ({"min": 1, "off": ["P1"]}, 'unknown key "off" (did you mean "of"?)'),
])
def test_rule_shape_errors(rule: dict[str, Any], expected: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_json(degree_doc([rule]), source="c.json")
    assert any(expected in str(p) for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(("cell", "expected"), [
    ("pick 2 of A | B", '"pick 2 of A | B" is not a rule'),
    ("min 2 from A | B", '"min 2 from A | B" is not a rule'),
    ("min_credits 7.25 from A", '"min_credits 7.25 from A": "7.25" must be a multiple of 0.5'),
])
def test_csv_rule_cell_errors(cell: str, expected: str) -> None:
    text = f"id,title,kind,level,credits,rules\nA,A,course,5,15,\"{cell}\"\n"
    with pytest.raises(CatalogError) as info:
        parse_csv(text, source="c.csv")
    assert expected in str(info.value)


def test_csv_direct_study_must_be_yes_or_no() -> None:
    with pytest.raises(CatalogError) as info:
        parse_csv("id,title,kind,level,credits,direct_study\nA,A,course,5,15,maybe\n",
                  source="c.csv")
    assert str(info.value) == ('c.csv:2: column direct_study: must be yes or no (empty = yes); '
                               'got "maybe"')


# -- the store: schema 2 and the upgrade from 1 --------------------------------------------------
def _make_version_1(path: Path, keep_code: bool = False) -> None:
    """A schema-1 database as pathways wrote it before issue 15 (no rule tables, no
    direct_study or code columns, schema_version 1)."""
    engine = store.connect(str(path))
    catalog = parse_json(degree_doc([]).replace('"direct_study": false, ', ''))
    catalog = Catalog(providers=catalog.providers, framework="generic",
                      credentials=[c for c in catalog.credentials],
                      stacking=catalog.stacking)
    store.save_catalog(engine, catalog)
    engine.dispose()
    con = sqlite3.connect(path)
    con.executescript("DROP TABLE rule_members; DROP TABLE rules;"
                      "DROP TABLE credential_intakes; DROP TABLE calendar_terms;"
                      "ALTER TABLE credentials DROP COLUMN duration_weeks;"
                      "ALTER TABLE credentials DROP COLUMN direct_study;"
                      + ("" if keep_code else "ALTER TABLE credentials DROP COLUMN code;")
                      + "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    con.close()


def test_a_version_1_database_is_upgraded_once_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_version_1(path)
    with pytest.warns(Notice, match=r"old\.db: upgraded the database from schema version 1 "
                                    r"to 3"):
        engine = store.connect(str(path))
    loaded = store.load_catalog(engine)
    assert [c.id for c in loaded] == ["BSC", "P1", "P2", "P3", "P4", "P5"]
    # Now it holds what schema 2 holds.
    text = degree_doc(GOOD_RULES)
    store.save_catalog(engine, parse_json(text), mode="replace")
    assert store.load_catalog(engine) == parse_json(text)
    engine.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Notice)  # said once: not again
        store.connect(str(path)).dispose()


def test_a_failed_upgrade_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    _make_version_1(path, keep_code=True)  # "code" already there: adding it fails
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        store.connect(str(path))
    assert str(info.value).startswith(f"{path}: cannot upgrade the database from schema 1 to 3 (")
    assert str(info.value).endswith("); it was left as it was")
    assert path.read_bytes() == before


def test_the_cli_says_once_that_it_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_version_1(path)
    result = CliRunner().invoke(cli, ["list", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: ") == 1
    assert f"warning: {path}: upgraded the database from schema version 1 to 3" in result.stderr
    again = CliRunner().invoke(cli, ["list", "--db", str(path)])
    assert "upgraded" not in again.stderr


# -- routes (issue 15 item 4) --------------------------------------------------------------------
def _degree(rules: list[dict[str, Any]], **extra: Any) -> Catalog:
    papers = [paper("P1"), paper("P2", 7.5), paper("P3"), paper("P4", 7.5), paper("P5"),
              {**paper("P6"), "fee": 500}]
    for p in papers[:5]:
        p["fee"] = p["credits"] * 100
    deg = {"id": "BSC", "title": "BSc", "kind": "qualification", "type": "diploma",
           "level": 7, "credits": 45, "direct_study": False, "fee": 0, "rules": rules, **extra}
    return parse_json(json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [deg, *papers],
        "stacking": [{"from": p["id"], "to": "BSC", "credits": p["credits"]} for p in papers]}))


ROUTE_RULES = [{"min": 2, "of": ["P1", "P2", "P3"], "name": "Year 1"},
               {"max": 1, "of": ["P5", "P6"]},
               {"min_credits": 15, "from": ["P3", "P5", "P6"], "name": "300-level"}]


def test_a_route_through_a_composed_degree_names_the_rules_its_steps_meet() -> None:
    from pathways.routes import find_route

    route = find_route(_degree(ROUTE_RULES), "BSC")
    # P6 is the cheapest paper; two of Year 1 are needed, and P3 is also in the pool.
    assert route.credentials == ("BSC", "P1", "P3", "P6")
    assert (route.fee, route.credits_studied) == (3500, 45)
    reasons = {s.id: s.reason for s in route.steps}
    assert reasons["P1"] == "counts 15 credits into BSC (2 of 3 from the Year 1 list)"
    assert reasons["P3"] == ("counts 15 credits into BSC (2 of 3 from the Year 1 list; 15 "
                             "credits from the 300-level list)")
    assert reasons["BSC"] == "target"


def test_half_credits_and_prior_learning() -> None:
    from pathways.routes import find_route

    route = find_route(_degree(ROUTE_RULES), "BSC", rpl={"P6": 7.5})
    step = {s.id: s for s in route.steps}["P6"]
    assert (step.credits_recognised, step.credits_studied, step.fee) == (7.5, 7.5, 250)
    assert route.held_counted == (("RPL:P6", "P6", 7.5),)
    assert route.fee == 3250


@pytest.mark.parametrize(("rpl", "message"), [
    ({"NOPE": 5}, "recognition of prior learning names unknown credential 'NOPE'"),
    ({"P2": 10}, "prior learning credits for P2: 10 is out of range (more than 0 to 7.5)"),
    ({"P1": 2.25}, "prior learning credits for P1 must be a multiple of 0.5 (got 2.25)"),
])
def test_bad_prior_learning_is_refused(rpl: dict[str, float], message: str) -> None:
    from pathways.errors import RouteError
    from pathways.routes import find_route

    with pytest.raises(RouteError) as info:
        find_route(_degree(ROUTE_RULES), "BSC", rpl=rpl)
    assert str(info.value).startswith(message)


def test_no_route_names_the_rule_that_blocks_it() -> None:
    from pathways.errors import NoRouteError
    from pathways.routes import Constraints, find_route

    def blocked(catalog: Catalog, *excluded: str) -> str:
        with pytest.raises(NoRouteError) as info:
            find_route(catalog, "BSC", constraints=Constraints(exclude=frozenset(excluded)))
        return str(info.value)

    assert blocked(_degree(ROUTE_RULES), "P1", "P3") == (
        "BSC needs 2 of 3 from the Year 1 list; only 1 is allowed")
    assert blocked(_degree([]), "P1", "P2", "P3") == (
        "BSC has no study of its own and needs all 45 of its credits counted from its "
        "sources; only 37.5 are allowed")
    # Each rule alone could be met; together they cannot (P5 and P6 not both).
    assert blocked(_degree([{"max": 1, "of": ["P5", "P6"]}]), "P1", "P2") == (
        "no route to BSC: the programme rules (BSC: at most 1 of 2 from P5, P6; all credits "
        "counted from its sources) cannot all be met with what may be taken, as a credential "
        "counts into only one other")


def test_a_pool_that_cannot_be_filled_blocks_the_route() -> None:
    from pathways.errors import NoRouteError
    from pathways.routes import Constraints, find_route

    catalog = _degree([{"min_credits": 30, "from": ["P3", "P5", "P6"], "name": "300-level"}])
    with pytest.raises(NoRouteError) as info:
        find_route(catalog, "BSC", constraints=Constraints(exclude=frozenset({"P3", "P5"})))
    assert str(info.value) == "BSC needs 30 credits from the 300-level list; only 15 are allowed"


def test_a_held_credential_inside_another_held_one_is_not_counted_again() -> None:
    from pathways.routes import find_route

    doc = {"format": "pathways-catalog", "version": 1, "framework": "generic",
           "credentials": [
               {"id": "MC", "title": "MC", "kind": "micro-credential", "credits": 20,
                "fee": 1000},
               {"id": "CERT", "title": "CERT", "kind": "qualification", "credits": 40,
                "fee": 2000},
               {"id": "DIP", "title": "DIP", "kind": "qualification", "credits": 120,
                "fee": 12000}],
           "stacking": [{"from": "MC", "to": "CERT", "credits": 20},
                        {"from": "MC", "to": "DIP", "credits": 20},
                        {"from": "CERT", "to": "DIP", "credits": 40}]}
    route = find_route(parse_json(json.dumps(doc)), "DIP", held=["MC", "CERT"])
    # The micro-credential's credits are inside the certificate: 40 count, not 60.
    assert route.held_counted == (("CERT", "DIP", 40),)
    assert (route.fee, route.credits_studied) == (8000, 80)


def test_skills_target_in_the_library_and_the_cli() -> None:
    from pathways.errors import NoRouteError, RouteError
    from pathways.routes import find_skills_route
    from pathways.source import open_catalog

    demo = open_catalog("graphs/demo.json")
    route = find_skills_route(demo, ["networking", "cloud", "python"], held=["MC-CLOUD4"])
    assert [(s.id, s.reason) for s in route.steps] == [
        ("MC-NETSEC4", "teaches networking"), ("MC-PYDATA5", "teaches python")]
    assert route.fee == 1860
    with pytest.raises(NoRouteError) as info:
        find_skills_route(demo, ["cloudz"])
    assert str(info.value) == "no credential in the catalog teaches the skill 'cloudz'; did " \
        "you mean 'cloud'?"
    with pytest.raises(RouteError) as info2:
        find_skills_route(demo, ["cloud"], held=["MC-CLOUD4"])
    assert "nothing to achieve" in str(info2.value)
    with pytest.raises(RouteError) as info2:
        find_skills_route(demo, [" , "])
    assert str(info2.value).startswith("give at least one skill")
    result = CliRunner().invoke(cli, ["route", "--skills", "networking,cloud,python",
                                      "--have", "MC-CLOUD4"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Route to the skills networking, cloud, python by fee: "
                                    "$1,860, 300 hours, 30 credits to study, 2 credentials")


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "CERT-ITE4", "--rpl", "MC-CLOUD4"], "'MC-CLOUD4' is not ID=CREDITS"),
    (["--to", "CERT-ITE4", "--rpl", "MC-CLOUD4=5", "--rpl", "MC-CLOUD4=2"],
     "MC-CLOUD4 is given twice"),
    (["--skills", "cloud", "--to", "CERT-ITE4"], "give --skills or --to ID"),
    (["--skills", "cloud", "--pareto"], "--skills finds the cheapest route only"),
])
def test_cli_rpl_and_skills_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["route", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_rpl() -> None:
    result = CliRunner().invoke(cli, ["route", "--to", "CERT-ITE4", "--rpl", "MC-CLOUD4=5",
                                      "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["held_counted"] == [{"id": "RPL:MC-CLOUD4", "counted_into": "MC-CLOUD4",
                                    "credits": 5}]
    assert out["total"]["fee"] == 3075


# -- gaps and what-if (issue 15 item 5) ----------------------------------------------------------
def _pool_catalog(rules: list[dict[str, Any]]) -> Catalog:
    def mc(i: int, fee: int = 500) -> dict[str, Any]:
        return {"id": f"MC{i}", "title": f"Micro {i}", "kind": "micro-credential",
                "level": 5, "credits": 10, "fee": fee}
    return parse_json(json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [{"id": "Q", "title": "Q", "kind": "qualification", "level": 5,
                         "credits": 60, "fee": 6000, "rules": rules},
                        *[mc(i) for i in range(1, 6)], mc(9, 50)],
        "stacking": [{"from": f"MC{i}", "to": "Q", "credits": 10} for i in (1, 2, 3, 4, 5, 9)]}))


def test_a_shortfall_is_measured_within_the_rules() -> None:
    from pathways.gaps import GapOptions, find_gaps
    from pathways.gaps.coverage import micro_credential_coverage

    assert micro_credential_coverage(_pool_catalog([]), "Q")[0] == 60
    limited = _pool_catalog([{"max_credits": 20, "from": ["MC1", "MC2", "MC3", "MC9"]},
                             {"max": 1, "of": ["MC4", "MC5"]}])
    assert micro_credential_coverage(limited, "Q")[0] == 30
    report = find_gaps(limited, GapOptions(kinds=frozenset({"shortfall"}),
                                           shortfall_threshold=0.75))
    assert [(f.kind, f.credentials, f.figure) for f in report.findings] == [
        ("shortfall", ("Q",), 0.5)]


def test_a_credential_a_rule_forces_is_a_bottleneck() -> None:
    from pathways.gaps import GapOptions, find_gaps

    catalog = _pool_catalog([{"min": 5, "of": ["MC1", "MC2", "MC3", "MC4", "MC5"]}])
    report = find_gaps(catalog, GapOptions(kinds=frozenset({"bottleneck"})))
    forced = sorted(f.credentials[0] for f in report.findings if f.severity == "high")
    assert forced == ["MC1", "MC2", "MC3", "MC4", "MC5"]
    assert all("becomes unreachable (Q)" in f.message for f in report.findings
               if f.severity == "high")


def test_what_if_adds_changes_and_removes_rules() -> None:
    from pathways.whatif import Change, apply_changes, parse_rules, what_if

    catalog = _pool_catalog([])
    change = parse_rules("Q=Core: min 2 of MC1 | MC2 | MC3")
    assert change.describe() == "give Q the rules at least 2 of 3 from the Core list"
    changed = apply_changes(catalog, [change])
    assert changed.index()["Q"].rules == (Rule("min", 2, ("MC1", "MC2", "MC3"), "Core"),)
    assert apply_changes(changed, [parse_rules("Q=")]).index()["Q"].rules == ()
    not_both = parse_rules("Q=max 1 of MC1 | MC2")
    report = what_if(catalog, [not_both], gaps=False)
    (q,) = report.routes
    # Without the rule all six micro-credentials count ($2,550); with it one of MC1, MC2
    # cannot, and 10 more credits of Q are studied ($1,000 for them, $500 saved).
    assert (q.qualification, q.status, q.delta("fee")) == ("Q", "dearer", 500)
    with pytest.raises(CatalogError) as info:
        apply_changes(catalog, [Change.set_rules("Q", [Rule("min", 4, ("MC1", "MC2"))])])
    assert "asks for 4 of a list of 2" in str(info.value)
    with pytest.raises(CatalogError) as info:
        parse_rules("Q=pick two")
    assert '"pick two" is not a rule' in str(info.value)


def test_what_if_removing_a_credential_a_rule_names_makes_it_unreachable() -> None:
    from pathways.whatif import Change, what_if

    catalog = _pool_catalog([{"min": 5, "of": ["MC1", "MC2", "MC3", "MC4", "MC5"]}])
    report = what_if(catalog, [Change.remove("MC3")], gaps=False)
    (q,) = report.routes
    assert (q.qualification, q.status, q.after) == ("Q", "lost", None)


def test_what_if_rules_from_the_cli() -> None:
    result = CliRunner().invoke(cli, [
        "what-if", "--no-gaps", "--rules",
        "CERT-ITE4=min 2 of MC-CLOUD4 | MC-NETSEC4 | MC-HELPDESK4"])
    assert result.exit_code == 0, result.output
    assert ("give CERT-ITE4 the rules at least 2 of 3 from MC-CLOUD4, MC-NETSEC4, "
            "MC-HELPDESK4") in result.stdout
    bad = CliRunner().invoke(cli, ["what-if", "--rules", "CERT-ITE4=pick 2"])
    assert bad.exit_code == 2 and '"pick 2" is not a rule' in bad.stderr


# -- drawings (issue 15 item 6) ------------------------------------------------------------------
def test_a_box_says_what_its_programme_is_made_of() -> None:
    from pathways.drawing.programme import rule_phrases
    from pathways.source import open_catalog

    demo = open_catalog("graphs/demo.json")
    assert rule_phrases(demo.index()["GDIP-DS7"]) == [
        "made of its parts", "foundation: choose 2 of 3", "30 cr from advanced (5)",
        "not both DATA711, MC-ML7"]
    assert rule_phrases(demo.index()["DIP-ITS5"]) == []
    assert rule_phrases(Credential("X", "X", "qualification", 60, rules=(
        Rule("max", 2, ("A", "B", "C")), Rule("max_credits", 7.5, ("A", "B"))))) == [
        "at most 2 of 3", "≤ 7.5 cr from 2"]


def test_the_composed_programme_is_drawn_with_its_rules(tmp_path: Path) -> None:
    out = tmp_path / "gdip.svg"
    result = CliRunner().invoke(cli, ["draw", "--to", "GDIP-DS7", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "made of 12 parts" in svg and "foundation: choose 2 of 3" in svg
