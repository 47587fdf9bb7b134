"""The route engine on the worked example of semantics.md section 3 and small hand-made catalogs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pathways.catalog import Catalog, Credential, Stacking, to_graph
from pathways.errors import NoRouteError, RouteError
from pathways.filters import FIND_IDS
from pathways.formats import read_catalog
from pathways.routes import (
    Constraints,
    TargetFilter,
    cheapest_routes,
    find_route,
    find_routes,
    pareto_routes,
    upstream_ids,
    with_schedule,
)


@pytest.fixture
def example(worked_example_path: Path) -> Catalog:
    return read_catalog(worked_example_path)


# -- the worked example, row by row ------------------------------------------------------------

WORKED = [
    ("DIP-IT5", (), "fee", 8840, 1350, 135, ("CERT-IT4", "MC-PYDATA", "DIP-IT5")),
    ("DIP-IT5", (), "hours", 9120, 1200, 120, ("MC-NETSEC", "MC-PYDATA", "DIP-IT5")),
    ("DIP-IT5", (), "credits", 9120, 1200, 120, ("MC-NETSEC", "MC-PYDATA", "DIP-IT5")),
    ("DIP-IT5", ("MC-CLOUD",), "fee", 8090, 1200, 120, ("CERT-IT4", "MC-PYDATA", "DIP-IT5")),
    ("DIP-IT5", ("CERT-IT4",), "fee", 5840, 750, 75, ("MC-PYDATA", "DIP-IT5")),
    ("DIP-IT5", ("MC-CLOUD", "MC-NETSEC"), "fee", 7090, 1000, 100,
     ("CERT-IT4", "MC-PYDATA", "DIP-IT5")),
    ("CERT-IT4", (), "fee", 3000, 600, 60, ("CERT-IT4",)),
    ("CERT-IT4", ("MC-NETSEC",), "fee", 2000, 400, 40, ("CERT-IT4",)),
]


@pytest.mark.parametrize(("target", "held", "by", "fee", "hours", "studied", "achieved"), WORKED)
def test_worked_example(example: Catalog, target: str, held: tuple[str, ...], by: str,
                        fee: int, hours: int, studied: int, achieved: tuple[str, ...]) -> None:
    r = find_route(example, target, held=held, by=by)
    assert (r.fee, r.hours, r.credits_studied) == (fee, hours, studied)
    assert r.credentials == tuple(sorted(achieved))
    assert r.target == target and r.objective == by and r.held == tuple(sorted(held))
    assert sum(s.credits_studied for s in r.steps) == studied
    assert r.steps[-1].running_fee == fee


def test_first_row_steps_explain_the_route(example: Catalog) -> None:
    r = find_route(example, "DIP-IT5")
    assert [(s.id, s.reason) for s in r.steps] == [
        ("CERT-IT4", "counts 45 credits into DIP-IT5"),
        ("MC-PYDATA", "counts 10 credits into DIP-IT5"),
        ("DIP-IT5", "target"),
    ]
    dip = r.steps[-1]
    assert (dip.credits_recognised, dip.credits_studied, dip.fee, dip.hours) == (55, 65, 5200, 650)
    assert [s.running_fee for s in r.steps] == [3000, 3640, 8840]
    assert [s.running_credits for s in r.steps] == [60, 70, 135]
    assert [(s.counted_into, s.counted_credits) for s in r.steps] == [
        ("DIP-IT5", 45), ("DIP-IT5", 10), (None, 0)]
    assert r.candidates == 5


def test_held_micro_credentials_count_into_the_certificate(example: Catalog) -> None:
    r = find_route(example, "DIP-IT5", held=["MC-NETSEC", "MC-CLOUD"])
    assert r.held_counted == (("MC-CLOUD", "CERT-IT4", 15), ("MC-NETSEC", "CERT-IT4", 20))
    cert = r.steps[0]
    assert (cert.id, cert.credits_recognised, cert.credits_studied, cert.fee) == (
        "CERT-IT4", 35, 25, 1250)


def test_to_dict_is_the_json_shape(example: Catalog) -> None:
    d = find_route(example, "DIP-IT5", held=["CERT-IT4"]).to_dict()
    assert d == {
        "feasible": True, "target": "DIP-IT5",
        "target_title": "Diploma in IT Technical Support (Level 5)", "objective": "fee",
        "held": ["CERT-IT4"], "total": {"fee": 5840, "hours": 750, "credits_studied": 75},
        "steps": [
            {"id": "MC-PYDATA", "title": "Python for data work", "credits_recognised": 0,
             "credits_studied": 10, "fee": 640, "hours": 100, "counted_into": "DIP-IT5",
             "reason": "counts 10 credits into DIP-IT5", "running_fee": 640,
             "running_hours": 100, "running_credits": 10},
            {"id": "DIP-IT5", "title": "Diploma in IT Technical Support (Level 5)",
             "credits_recognised": 55, "credits_studied": 65, "fee": 5200, "hours": 650,
             "counted_into": None, "reason": "target", "running_fee": 5840,
             "running_hours": 750, "running_credits": 75},
        ],
        "held_counted": [{"id": "CERT-IT4", "counted_into": "DIP-IT5", "credits": 45}],
        "candidates": 3,
    }
    assert isinstance(d["total"]["fee"], int)


def test_same_query_same_bytes(example: Catalog) -> None:
    a = json.dumps(find_route(example, "DIP-IT5", by="hours").to_dict())
    b = json.dumps(find_route(example, "DIP-IT5", by="hours").to_dict())
    assert a == b


# -- constraints -------------------------------------------------------------------------------

def test_exclude_a_credential(example: Catalog) -> None:
    r = find_route(example, "DIP-IT5", constraints=Constraints(exclude=frozenset({"CERT-IT4"})))
    assert (r.fee, r.credentials) == (9120, ("DIP-IT5", "MC-NETSEC", "MC-PYDATA"))


def test_budget_limits_a_route_by_hours(example: Catalog) -> None:
    r = find_route(example, "DIP-IT5", by="hours", constraints=Constraints(budget=9000))
    assert (r.fee, r.hours, r.credentials) == (8840, 1350, ("CERT-IT4", "DIP-IT5", "MC-PYDATA"))
    r = find_route(example, "DIP-IT5", by="hours", constraints=Constraints(budget=9120))
    assert (r.fee, r.hours) == (9120, 1200)


def test_hours_limit_limits_a_route_by_fee(example: Catalog) -> None:
    r = find_route(example, "DIP-IT5", constraints=Constraints(max_hours=1200))
    assert (r.fee, r.hours) == (9120, 1200)


def test_discontinued_is_never_newly_taken_but_may_be_held(example: Catalog) -> None:
    cat = replace(example, credentials=[
        replace(c, status="discontinued") if c.id == "CERT-IT4" else c
        for c in example.credentials])
    assert find_route(cat, "DIP-IT5").credentials == ("DIP-IT5", "MC-NETSEC", "MC-PYDATA")
    assert find_route(cat, "DIP-IT5", held=["CERT-IT4"]).fee == 5840
    with pytest.raises(NoRouteError, match=r"^CERT-IT4 is discontinued$"):
        find_route(cat, "CERT-IT4")
    assert cheapest_routes(cat, ["CERT-IT4", "DIP-IT5"])["CERT-IT4"] is None


@pytest.mark.parametrize(("constraints", "message"), [
    (Constraints(exclude=frozenset({"CERT-IT4", "MC-NETSEC"})),
     "DIP-IT5 requires CERT-IT4 or MC-NETSEC; both are excluded"),
    (Constraints(providers=frozenset({"south"})),
     "DIP-IT5 requires CERT-IT4 or MC-NETSEC; both are offered by north, not an allowed "
     "provider"),
    (Constraints(exclude=frozenset({"CERT-IT4"}), exclude_providers=frozenset({"north"})),
     "DIP-IT5 requires CERT-IT4 or MC-NETSEC; CERT-IT4 is excluded, MC-NETSEC is offered by "
     "north, an excluded provider"),
    (Constraints(exclude=frozenset({"MC-NETSEC"}), providers=frozenset({"south"})),
     "DIP-IT5 requires CERT-IT4 or MC-NETSEC; CERT-IT4 is offered by north, not an allowed "
     "provider, MC-NETSEC is excluded"),
    (Constraints(budget=5000), "no route within budget 5000: the cheapest costs 8840"),
    (Constraints(budget=8839.5), "no route within budget 8839.50: the cheapest costs 8840"),
    (Constraints(max_hours=1000), "no route within 1000 hours: the quickest takes 1200"),
    (Constraints(budget=9000, max_hours=1250),
     "no route within budget 9000 and 1250 hours together: within the budget the quickest "
     "takes 1350 hours"),
    (Constraints(exclude_providers=frozenset({"south"})),
     "DIP-IT5 is offered by south, an excluded provider"),
    (Constraints(providers=frozenset({"north"})),
     "DIP-IT5 is offered by south, not an allowed provider"),
    (Constraints(delivery=frozenset({"online", "blended"})),
     "DIP-IT5 is not offered blended or online"),
])
def test_what_blocks_a_route(example: Catalog, constraints: Constraints, message: str) -> None:
    with pytest.raises(NoRouteError) as info:
        find_route(example, "DIP-IT5", constraints=constraints)
    assert str(info.value) == message


def test_delivery_keeps_credentials_offering_a_mode(example: Catalog) -> None:
    cat = replace(example, credentials=[replace(c, delivery=("online",))
                                        for c in example.credentials])
    cat.credentials[1] = replace(cat.credentials[1], delivery=("in-person",))  # MC-NETSEC
    r = find_route(cat, "DIP-IT5", by="hours",
                   constraints=Constraints(delivery=frozenset({"online"})))
    assert "MC-NETSEC" not in r.credentials


# -- errors in the query -----------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda c: find_route(c, "NOPE"),
     f"unknown credential 'NOPE'; {FIND_IDS}"),
    (lambda c: find_route(c, "DIP-IT5", held=["MC-X"]),
     f"unknown credential 'MC-X'; {FIND_IDS}"),
    (lambda c: find_route(c, "DIP-IT5", held=["DIP-IT5"]),
     "DIP-IT5 is held already; there is nothing to achieve"),
    (lambda c: find_route(c, "DIP-IT5", by="cost"),
     "unknown objective 'cost'; use one of fee, hours, credits"),
    (lambda c: find_routes(c, "DIP-IT5", k=0), "the number of routes must be at least 1, got 0"),
    (lambda c: find_route(c, "DIP-IT5", constraints=Constraints(
        providers=frozenset({"north"}), exclude_providers=frozenset({"north"}))),
     "provider 'north' is both allowed and excluded; drop one of the two options"),
    (lambda c: find_route(c, "DIP-IT5", constraints=Constraints(exclude=frozenset({"DIP-IT5"}))),
     "the target DIP-IT5 is excluded; drop it from the exclusions"),
    (lambda c: find_route(c, "DIP-IT5", constraints=Constraints(budget=-1)),
     "the budget must be 0 or more, got -1"),
    (lambda c: find_route(c, "DIP-IT5", constraints=Constraints(max_hours=-2.5)),
     "the hours limit must be 0 or more, got -2.50"),
    (lambda c: with_schedule(find_route(c, "DIP-IT5"), 0),
     "hours per week must be more than 0, got 0"),
])
def test_query_errors(example: Catalog, call: object, message: str) -> None:
    with pytest.raises(RouteError) as info:
        call(example)  # type: ignore[operator]
    assert str(info.value) == message
    assert not isinstance(info.value, NoRouteError)


# -- alternatives, trade-offs, filters, schedules ----------------------------------------------

def test_k_best_routes_have_different_sets(example: Catalog) -> None:
    routes = find_routes(example, "DIP-IT5", k=4)
    assert [(r.fee, r.credentials) for r in routes] == [
        (8840, ("CERT-IT4", "DIP-IT5", "MC-PYDATA")),
        (8990, ("CERT-IT4", "DIP-IT5", "MC-CLOUD", "MC-PYDATA")),
        (9000, ("CERT-IT4", "DIP-IT5")),
        (9120, ("DIP-IT5", "MC-NETSEC", "MC-PYDATA")),
    ]
    assert len(find_routes(example, "CERT-IT4", k=10)) == 4  # every subset of its 2 sources


def test_pareto_routes_trade_fee_for_hours(example: Catalog) -> None:
    front = pareto_routes(example, "DIP-IT5")
    assert [(r.fee, r.hours) for r in front] == [(8840, 1350), (9120, 1200)]
    assert front[1].credentials == ("DIP-IT5", "MC-NETSEC", "MC-PYDATA")


def test_filter_targets(example: Catalog) -> None:
    assert find_route(example, TargetFilter()).target == "CERT-IT4"
    assert find_route(example, TargetFilter(min_level=5)).target == "DIP-IT5"
    r = find_route(example, TargetFilter(), held=["CERT-IT4"])
    assert (r.target, r.fee) == ("DIP-IT5", 5840)
    with pytest.raises(NoRouteError) as info:
        find_route(example, TargetFilter(field="Nursing"))
    assert str(info.value) == "no qualification matches field 'Nursing', 40–360 credits"
    with pytest.raises(NoRouteError) as info:
        find_route(example, TargetFilter(type="certificate"),
                   constraints=Constraints(exclude=frozenset({"CERT-IT4"})))
    assert str(info.value) == ("every qualification matching type certificate, 40–360 credits "
                               "is held already or excluded")
    with pytest.raises(NoRouteError) as info:
        find_route(example, TargetFilter(), constraints=Constraints(budget=100))
    assert str(info.value) == ("no route to any of the 2 qualifications matching 40–360 "
                               "credits; for example no route within budget 100: the cheapest "
                               "costs 3000")


def test_schedule_in_weeks(example: Catalog) -> None:
    r = with_schedule(find_route(example, "DIP-IT5"), 10)
    assert [(s.start_week, s.end_week) for s in r.steps] == [(0, 60), (60, 70), (70, 135)]
    assert r.to_dict()["steps"][2]["end_week"] == 135


def test_bulk_routes_and_upstream(example: Catalog) -> None:
    routes = cheapest_routes(example, ["CERT-IT4", "DIP-IT5"])
    assert {t: r.fee for t, r in routes.items() if r} == {"CERT-IT4": 3000, "DIP-IT5": 8840}
    assert upstream_ids(example, ["CERT-IT4"]) == {"CERT-IT4", "MC-CLOUD", "MC-NETSEC"}
    assert upstream_ids(to_graph(example), ["DIP-IT5"]) == {c.id for c in example.credentials}
    assert upstream_ids(example, ["NOPE"]) == set()


# -- core components, requirements, level profiles ---------------------------------------------

def _catalog(creds: list[Credential], edges: list[tuple[str, str, int]]) -> Catalog:
    return Catalog(credentials=creds, stacking=[Stacking(u, v, r) for u, v, r in edges])


def _core_catalog(**dip: object) -> Catalog:
    return _catalog([
        Credential("MC-A", "A", "micro-credential", 20, level=5, fee=1000),
        Credential("MC-FA", "First aid", "micro-credential", 5, level=3, fee=100),
        Credential("CERT", "Certificate", "qualification", 60, level=5, fee=6000),
        Credential("DIP", "Diploma", "qualification", 120, level=6, fee=9000,
                   **dip),  # type: ignore[arg-type]
    ], [("MC-A", "CERT", 20), ("MC-A", "DIP", 20), ("CERT", "DIP", 40)])


def test_core_component_is_counted_into_its_credential() -> None:
    # MC-A saves more in the certificate ($100 a credit) than in the diploma ($75).
    free = find_route(_core_catalog(requires=(("CERT",),)), "DIP")
    assert (free.fee, free.credentials) == (11000, ("CERT", "DIP", "MC-A"))
    assert [(s.id, s.reason) for s in free.steps] == [
        ("MC-A", "counts 20 credits into CERT"),
        ("CERT", "counts 40 credits into DIP"),
        ("DIP", "target"),
    ]
    r = find_route(_core_catalog(requires=(("CERT",),), core=("MC-A",)), "DIP")
    assert (r.fee, r.credentials) == (11500, ("CERT", "DIP", "MC-A"))
    assert [(s.id, s.reason) for s in r.steps] == [
        ("CERT", "counts 40 credits into DIP"),
        ("MC-A", "counts 20 credits into DIP"),
        ("DIP", "target"),
    ]


def test_entry_requirement_reason() -> None:
    r = find_route(_core_catalog(requires=(("MC-FA",),)), "DIP")
    assert (r.fee, [(s.id, s.reason) for s in r.steps]) == (8600, [
        ("MC-A", "counts 20 credits into DIP"),
        ("MC-FA", "entry requirement of DIP"),
        ("DIP", "target"),
    ])


def _twins(hours_m1: float | None = None) -> Catalog:
    return _catalog([
        Credential("M2", "Twin two", "micro-credential", 20, level=4, fee=1000),
        Credential("M1", "Twin one", "micro-credential", 20, level=4, fee=1000, hours=hours_m1),
        Credential("T", "Target", "qualification", 60, level=4, fee=6000, max_recognised=20),
    ], [("M1", "T", 20), ("M2", "T", 20)])


def test_ties_break_by_hours_then_ids() -> None:
    r = find_route(_twins(), "T")  # equal fee, hours and size: the smaller id list wins
    assert (r.fee, r.credentials) == (5000, ("M1", "T"))
    r = find_route(_twins(hours_m1=300), "T")  # M1 takes longer: M2 wins on hours
    assert (r.fee, r.hours, r.credentials) == (5000, 600, ("M2", "T"))
    assert [x.credentials for x in find_routes(_twins(), "T", k=3)] == [
        ("M1", "T"), ("M2", "T"), ("T",)]


def test_core_and_requirement_blockers() -> None:
    with pytest.raises(NoRouteError) as info:
        find_route(_core_catalog(core=("MC-FA",)), "DIP")
    assert str(info.value) == ("DIP needs its core component MC-FA counted into it, but MC-FA "
                               "does not stack into DIP")
    with pytest.raises(NoRouteError) as info:
        find_route(_core_catalog(core=("MC-A",)), "DIP",
                   constraints=Constraints(exclude=frozenset({"MC-A"})))
    assert str(info.value) == "DIP needs its core component MC-A, which is excluded"
    cat = _core_catalog(requires=(("CERT",),))
    cat.credentials[2] = replace(cat.credentials[2], requires=(("MC-FA",),))
    with pytest.raises(NoRouteError) as info:
        find_route(cat, "DIP", constraints=Constraints(exclude=frozenset({"MC-FA"})))
    assert str(info.value) == ("DIP requires CERT, which cannot be achieved (CERT requires "
                               "MC-FA, which is excluded)")


def test_core_counted_once_conflict() -> None:
    cat = _core_catalog(core=("MC-A",), requires=(("CERT",),))
    cat.credentials[2] = replace(cat.credentials[2], core=("MC-A",))
    with pytest.raises(NoRouteError) as info:
        find_route(cat, "DIP")
    assert str(info.value) == ("no route to DIP: its entry requirements and core components "
                               "cannot all be met, as a credential counts into only one other")


def test_level_profile_counts_high_level_credits_first() -> None:
    # 60 credits at most from below level 6; the level-6 micro-credential fills the rest.
    cat = _catalog([
        Credential("LOW", "Low", "qualification", 60, level=5, fee=0, hours=0),
        Credential("HIGH", "High", "micro-credential", 30, level=6, fee=0, hours=0),
        Credential("DIP", "Diploma", "qualification", 120, level=6, fee=1200,
                   level_profile=((6, 60),), max_recognised=80),
    ], [("LOW", "DIP", 60), ("HIGH", "DIP", 30)])
    r = find_route(cat, "DIP")
    dip = r.steps[-1]
    assert (dip.credits_recognised, r.fee) == (80, 400)
    assert {(s.id, s.counted_credits) for s in r.steps[:-1]} == {("HIGH", 30), ("LOW", 50)}


@pytest.mark.parametrize(("names", "cap", "expected"), [
    ("ABC", 40, ("M-A", "M-B", "T")),
    ("ABCD", 40, ("M-A", "M-B", "T")),
    ("EDCBA", 60, ("M-A", "M-B", "M-C", "T")),
    ("QWERTY", 60, ("M-E", "M-Q", "M-R", "T")),
])
def test_equal_routes_break_by_the_smallest_ids(names: str, cap: int,
                                                 expected: tuple[str, ...]) -> None:
    creds = [Credential(f"M-{x}", x, "micro-credential", 20, level=4, fee=1000) for x in names]
    creds.append(Credential("T", "T", "qualification", 120, level=4, fee=12000,
                            max_recognised=cap))
    cat = _catalog(creds, [(c.id, "T", 20) for c in creds[:-1]])
    assert find_route(cat, "T").credentials == expected


# -- the command line --------------------------------------------------------------------------

def _cli(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from pathways.cli import cli

    result = CliRunner().invoke(cli, ["route", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_is_the_library_route(example: Catalog, worked_example_path: Path) -> None:
    code, out, _err = _cli("--catalog", str(worked_example_path), "--to", "DIP-IT5", "--json")
    assert code == 0
    assert json.loads(out) == find_route(example, "DIP-IT5").to_dict()


def test_cli_table(worked_example_path: Path, tmp_path: Path) -> None:
    have = tmp_path / "have.txt"
    have.write_text("# what I hold\nMC-CLOUD\n\nMC-NETSEC  # from 2023\n", encoding="utf-8")
    code, out, _err = _cli("--catalog", str(worked_example_path), "--to", "DIP-IT5",
                           "--have-file", str(have), "--hours-per-week", "10")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Route to DIP-IT5 (Diploma in IT Technical Support (Level 5)) by fee: "
                        "$7,090, 1000 hours, 100 credits to study, 3 credentials to achieve")
    assert lines[2].split() == ["#", "id", "title", "recognised", "study", "fee", "hours",
                                "running", "fee", "weeks", "reason"]
    assert lines[4].split()[:2] == ["1", "CERT-IT4"]
    assert lines[4].endswith("35     25  $1,250    250       $1,250  0–25    counts 45 credits "
                             "into DIP-IT5")
    assert lines[-1] == ("Held and counted: MC-CLOUD → CERT-IT4 (15 credits), "
                         "MC-NETSEC → CERT-IT4 (20 credits)")


def test_cli_options_reach_the_engine(worked_example_path: Path) -> None:
    cat = str(worked_example_path)
    code, out, _ = _cli("--catalog", cat, "--to", "DIP-IT5", "--by", "hours", "--budget", "9000",
                        "--json")
    assert (code, json.loads(out)["total"]["fee"]) == (0, 8840)
    code, out, _ = _cli("--catalog", cat, "--to", "DIP-IT5", "--alternatives", "2", "--json")
    assert [r["total"]["fee"] for r in json.loads(out)["routes"]] == [8840, 8990]
    code, out, _ = _cli("--catalog", cat, "--to", "DIP-IT5", "--pareto", "--json")
    assert [r["total"]["hours"] for r in json.loads(out)["routes"]] == [1350, 1200]
    code, out, _ = _cli("--catalog", cat, "--min-level", "5", "--json")
    assert json.loads(out)["target"] == "DIP-IT5"
    code, out, _ = _cli("--catalog", cat, "--to", "DIP-IT5", "--only-provider", "south",
                        "--only-provider", "north", "--exclude", "CERT-IT4", "--json")
    assert json.loads(out)["total"]["fee"] == 9120
    code, out, _ = _cli("--catalog", cat, "--to", "DIP-IT5", "--hours-per-week", "20", "--json")
    assert [(s["start_week"], s["end_week"]) for s in json.loads(out)["steps"]] == [
        (0, 30), (30, 35), (35, 67.5)]


def test_cli_no_route(worked_example_path: Path) -> None:
    args = ["--catalog", str(worked_example_path), "--to", "DIP-IT5", "--exclude", "CERT-IT4",
            "--exclude", "MC-NETSEC"]
    code, out, err = _cli(*args)
    assert (code, out) == (1, "")
    assert err == "Error: DIP-IT5 requires CERT-IT4 or MC-NETSEC; both are excluded\n"
    code, out, err = _cli(*args, "--json")
    assert code == 1
    assert json.loads(out) == {"feasible": False, "target": "DIP-IT5",
                               "reason": "DIP-IT5 requires CERT-IT4 or MC-NETSEC; both are "
                                         "excluded"}
    code, _out, err = _cli("--catalog", str(worked_example_path), "--to", "NOPE")
    assert (code, err) == (1, "Error: unknown credential 'NOPE'; find ids with "
                              "`pathways list --search TEXT`\n")


@pytest.mark.parametrize(("args", "message"), [
    ((), "give --to ID, or a filter: --field, --type, --min-level or --provider"),
    (("--to", "DIP-IT5", "--field", "IT"),
     "give --to ID or filter options (--field, --type, --min-level, --provider), not both"),
    (("--to", "DIP-IT5", "--pareto", "--alternatives", "2"),
     "give --alternatives or --pareto, not both"),
])
def test_cli_usage_errors(worked_example_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _out, err = _cli("--catalog", str(worked_example_path), *args)
    assert code == 2
    assert err.splitlines()[-1] == f"Error: {message}"


def test_cli_reads_only_the_upstream_from_a_database(example: Catalog, tmp_path: Path) -> None:
    from pathways import store

    db = tmp_path / "catalog.db"
    store.save_catalog(store.connect(str(db)), example, mode="replace")
    code, out, _err = _cli("--db", str(db), "--to", "DIP-IT5", "--have", "MC-CLOUD", "--json")
    assert code == 0
    assert json.loads(out) == find_route(example, "DIP-IT5", held=["MC-CLOUD"]).to_dict()
    code, out, _err = _cli("--db", str(db), "--type", "certificate", "--json")
    assert (code, json.loads(out)["target"]) == (0, "CERT-IT4")


def test_a_changed_catalog_is_seen(example: Catalog) -> None:
    """Lookups are cached per catalog; editing it in place must not give stale routes."""
    assert find_route(example, "DIP-IT5").fee == 8840
    i = [c.id for c in example.credentials].index("MC-PYDATA")
    example.credentials[i] = replace(example.credentials[i], fee=100)
    assert find_route(example, "DIP-IT5").fee == 8300
    example.stacking[:] = [e for e in example.stacking if e.source != "MC-PYDATA"]
    assert find_route(example, "DIP-IT5").fee == 9000


def test_an_empty_requirement_clause_blocks_instead_of_crashing() -> None:
    # Validation rejects such a catalog; the library must still answer plainly if given one.

    catalog = Catalog(
        credentials=[Credential("A", "a", "micro-credential", 10, level=3, fee=100),
                     Credential("Q", "q", "qualification", 60, level=4, fee=1000,
                                requires=((),))],
        stacking=[Stacking("A", "Q", 10)])
    with pytest.raises(NoRouteError) as err:
        find_route(catalog, "Q")
    assert str(err.value) == "Q has an empty entry-requirement clause, which nothing satisfies"


def test_cli_says_which_filter_the_route_answers(worked_example_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    args = ["route", "--catalog", str(worked_example_path), "--min-level", "4"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "Cheapest over the qualifications matching level ≥ 4, 40–360 credits:")
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert data["target"] == "CERT-IT4" and data["filter"] == "level ≥ 4, 40–360 credits"


def test_cli_takes_held_ids_repeated_or_comma_separated(worked_example_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    base = ["route", "--catalog", str(worked_example_path), "--to", "DIP-IT5", "--json"]
    repeated = CliRunner().invoke(cli, [*base, "--have", "MC-CLOUD", "--have", "MC-NETSEC"])
    commas = CliRunner().invoke(cli, [*base, "--held", "MC-CLOUD, MC-NETSEC"])
    assert repeated.exit_code == commas.exit_code == 0
    assert json.loads(repeated.stdout) == json.loads(commas.stdout)
    assert json.loads(commas.stdout)["total"]["fee"] == 7090


def test_only_allowed_credentials_besides_the_target(example: Catalog) -> None:
    allowed = Constraints(allowed=frozenset({"MC-NETSEC", "MC-PYDATA"}))
    route = find_route(example, "DIP-IT5", constraints=allowed)
    # The "hours" row of the worked example: 20 + 10 credits counted, 90 studied.
    assert (route.fee, route.credentials) == (9120, ("DIP-IT5", "MC-NETSEC", "MC-PYDATA"))
    with pytest.raises(NoRouteError) as err:
        find_route(example, "DIP-IT5",
                   constraints=Constraints(allowed=frozenset({"MC-PYDATA"})))
    assert str(err.value) == ("DIP-IT5 requires CERT-IT4 or MC-NETSEC; "
                              "neither is among the allowed credentials")


def test_delivery_modes_read_as_words(example: Catalog) -> None:
    with pytest.raises(NoRouteError) as err:
        find_route(example, "DIP-IT5",
                   constraints=Constraints(delivery=frozenset({"workplace", "in-person"})))
    assert str(err.value) == "DIP-IT5 is not offered in person or in the workplace"
