"""What-if: changes applied to a catalog, and the routes and gaps that change, by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import CatalogError
from pathways.filters import FIND_IDS
from pathways.gaps import GapOptions
from pathways.whatif import (
    Change,
    apply_changes,
    parse_edge,
    parse_price,
    read_change_file,
    what_if,
)

TODAY = date(2026, 11, 23)
OPTIONS = GapOptions(as_of=TODAY)


def base() -> Catalog:
    """Q: 120 credits at $100 each, at most 60 recognised; MC-A: 20 credits for $1,000."""
    return Catalog(
        providers=[Provider("p1", "One")],
        credentials=[
            Credential(id="MC-A", title="A", kind="micro-credential", credits=20, level=5,
                       provider="p1", fee=1000),
            Credential(id="Q", title="Q", kind="qualification", credits=120, level=5,
                       provider="p1", fee=12000, max_recognised=60),
        ],
        stacking=[Stacking("MC-A", "Q", 20)],
    )


NEW = Credential(id="MC-NEW", title="New", kind="micro-credential", credits=30, level=5,
                 provider="p1", fee=1200)


def test_new_micro_credential_worked_by_hand() -> None:
    # Before: MC-A ($1,000) + 100 credits of Q ($10,000) = $11,000; 200 + 1,000 hours.
    # After: MC-NEW ($1,200) saves 30 x $100 = $3,000; MC-A at $2,500 costs more than the
    # $2,000 it saves. MC-NEW + 90 credits of Q ($9,000) = $10,200; 300 + 900 hours.
    changes = [Change.add(NEW), parse_edge("MC-NEW:Q:30"), parse_price("MC-A=2500")]
    report = what_if(base(), changes, OPTIONS)
    assert [r.to_dict() for r in report.routes] == [{
        "qualification": "Q",
        "status": "cheaper",
        "before": {"fee": 11000, "hours": 1200, "credits_studied": 120,
                   "credentials": ["MC-A", "Q"]},
        "after": {"fee": 10200, "hours": 1200, "credits_studied": 120,
                  "credentials": ["MC-NEW", "Q"]},
        "fee_change": -800,
        "hours_change": 0,
    }]
    # Micro-credentials covered 20 of 120 (17 %), now 50 (42 %): the shortfall closes.
    assert [f.message for f in report.closed] == [
        "micro-credentials can cover at most 20 of Q's 120 credits (17%), below the 25% "
        "threshold"]
    # Without MC-NEW, Q costs $12,000 again: $1,800 (18 %) dearer. MC-A is never worth it.
    assert [f.message for f in report.opened] == [
        "without MC-NEW, the cheapest route to Q gets dearer by $1,800",
        "MC-A (A) is on no qualification's cheapest route, though it leads to Q",
    ]
    d = report.to_dict()
    assert d["changes"] == ["add MC-NEW (micro-credential, 30 credits, fee $1,200)",
                            "stack 30 credits of MC-NEW into Q", "price MC-A at $2,500"]
    assert d["summary"]["by_status"]["cheaper"] == 1
    assert json.loads(json.dumps(d)) == d
    text = report.to_text()
    assert ("  Q: -$800: $11,000, 1200 hours, 120 credits (MC-A, Q) -> $10,200, 1200 hours, "
            "120 credits (MC-NEW, Q)") in text
    assert "Gaps that close:\n  - [medium] shortfall: micro-credentials can cover" in text


def test_removing_the_only_entry_requirement_loses_the_route() -> None:
    cat = base()
    gate = Credential(id="GATE", title="Gate", kind="micro-credential", credits=5, level=4,
                      provider="p1", fee=200)
    dip = Credential(id="DIP", title="Dip", kind="qualification", credits=120, level=6,
                     provider="p1", fee=12000, requires=(("GATE",), ("Q", "MC-A")))
    cat.credentials += [gate, dip]
    after = apply_changes(cat, [Change.remove("GATE"), Change.remove("MC-A")])
    index = after.index()
    # GATE was the only alternative: the reference stays, DIP cannot be entered; MC-A is
    # dropped from a clause that still has Q.
    assert index["DIP"].requires == (("GATE",), ("Q",))
    assert after.stacking == []
    report = what_if(cat, [Change.remove("GATE")], gaps=False)
    assert [(r.qualification, r.status) for r in report.routes] == [("DIP", "lost")]
    assert report.routes[0].to_dict()["after"] is None
    assert report.checked == 1  # Q does not depend on GATE


def test_only_affected_qualifications_are_solved() -> None:
    cat = base()
    cat.credentials.append(Credential(id="OTHER", title="Other", kind="qualification",
                                      credits=60, level=4, provider="p1", fee=3000))
    report = what_if(cat, [parse_price("MC-A=900")], gaps=False)
    assert report.checked == 1
    assert [(r.qualification, r.delta("fee")) for r in report.routes] == [("Q", -100.0)]


def test_apply_changes_leaves_the_original_alone() -> None:
    cat = base()
    after = apply_changes(cat, [parse_edge("MC-A:Q:10"), parse_price("Q=9000"),
                                Change.add(NEW)])
    assert [(e.source, e.target, e.credits) for e in after.stacking] == [("MC-A", "Q", 10)]
    assert after.index()["Q"].fee == 9000 and cat.index()["Q"].fee == 12000
    assert [c.id for c in after.credentials] == ["MC-A", "Q", "MC-NEW"]
    assert len(cat.credentials) == 2
    removed = apply_changes(cat, [parse_edge("MC-A:Q", remove=True)])
    assert removed.stacking == [] and len(cat.stacking) == 1


@pytest.mark.parametrize(("changes", "message"), [
    ([parse_price("NOPE=10")],
     f"price NOPE=10: no credential 'NOPE' in the catalog; {FIND_IDS}"),
    ([parse_edge("Q:MC-A", remove=True)],
     "edge to remove Q:MC-A: Q does not stack into MC-A; nothing to remove (see the "
     "catalog's stacking)"),
    ([parse_edge("MC-A:Q:25")],
     "edge to add MC-A:Q:25: MC-A -> Q: 25 credits is out of range; give 1 to 20 (the "
     "credits of MC-A)"),
    ([parse_edge("Q:MC-A:20")],
     "edge to add Q:MC-A:20: the changes make a cycle MC-A -> Q -> MC-A; a credential cannot "
     "lead back to itself"),
    ([Change.remove("MC-A"), Change.remove("MC-A")],
     f"no credential 'MC-A' in the catalog; {FIND_IDS}"),
])
def test_bad_changes(changes: list[Change], message: str) -> None:
    with pytest.raises(CatalogError) as err:
        apply_changes(base(), changes)
    assert str(err.value).endswith(message)


@pytest.mark.parametrize(("text", "remove", "message"), [
    ("MC-A:Q", False, "edge to add MC-A:Q: 'MC-A:Q' is not SOURCE:TARGET:CREDITS; e.g. "
                      "MC-X:DIP-Y:15"),
    ("MC-A:Q:ten", False, "edge to add MC-A:Q:ten: credits 'ten' is not a whole number"),
    ("MC-A", True, "edge to remove MC-A: 'MC-A' is not SOURCE:TARGET; e.g. MC-X:DIP-Y"),
])
def test_parse_edge_errors(text: str, remove: bool, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        parse_edge(text, remove=remove)
    assert str(err.value) == message


def test_parse_price() -> None:
    assert parse_price("MC-A=$1,200").fee == 1200
    with pytest.raises(CatalogError) as err:
        parse_price("MC-A")
    assert str(err.value) == "price MC-A: 'MC-A' is not ID=FEE; e.g. MC-X=1200"


def test_change_file(tmp_path: Path) -> None:
    path = tmp_path / "changes.json"
    path.write_text(json.dumps({
        "credentials": [{"id": "MC-NEW", "title": "New", "kind": "micro-credential",
                         "credits": 30, "level": 5, "provider": "p1", "fee": 1200}],
        "stacking": [{"from": "MC-NEW", "to": "Q", "credits": 30}],
        "remove_stacking": [{"from": "MC-A", "to": "Q"}],
        "price": {"MC-A": 2500},
    }), encoding="utf-8")
    changes = read_change_file(path)
    assert [c.describe() for c in changes] == [
        "stop MC-A stacking into Q",
        "add MC-NEW (micro-credential, 30 credits, fee $1,200)",
        "stack 30 credits of MC-NEW into Q",
        "price MC-A at $2,500",
    ]
    after = apply_changes(base(), changes)
    assert [(e.source, e.target) for e in after.stacking] == [("MC-NEW", "Q")]
    bad = tmp_path / "bad.json"
    bad.write_text('{"remove": "MC-A"}', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        read_change_file(bad)
    assert str(err.value) == f'{bad}:$.remove: "remove" must be a list of credential ids'


def test_cli_what_if(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli
    from pathways.formats import write_catalog

    path = tmp_path / "base.json"
    write_catalog(base(), path)
    result = CliRunner().invoke(cli, ["what-if", "--catalog", str(path), "--price",
                                      "MC-A=500", "--json", "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changes"] == ["price MC-A at $500"]
    assert [(r["qualification"], r["fee_change"]) for r in data["routes"]] == [("Q", -500)]
    text = CliRunner().invoke(cli, ["what-if", "--catalog", str(path), "--remove-edge",
                                    "MC-A:Q", "--no-gaps"])
    assert text.exit_code == 0, text.output
    assert "  Q: +$1,000: $11,000, 1200 hours, 120 credits (MC-A, Q) -> $12,000, 1200 hours, " \
           "120 credits (Q)" in text.output
    none = CliRunner().invoke(cli, ["what-if", "--catalog", str(path)])
    assert none.exit_code == 2
    assert ("give at least one change: --add-edge, --remove-edge, --remove, --price or "
            "--changes FILE") in none.output
    bad = CliRunner().invoke(cli, ["what-if", "--catalog", str(path), "--add-edge", "MC-A:Q"])
    assert bad.exit_code == 2
    assert ("Invalid value for --add-edge: 'MC-A:Q' is not SOURCE:TARGET:CREDITS; e.g. "
            "MC-X:DIP-Y:15") in bad.output
    unknown = CliRunner().invoke(cli, ["what-if", "--catalog", str(path), "--remove", "ZZ"])
    assert unknown.exit_code == 1
    assert ("Error: --remove ZZ: no credential 'ZZ' in the catalog; find ids with "
            "`pathways list --search TEXT`") in unknown.output


# -- hardening (issue 16) -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("MC-A=nan", "price MC-A=nan: fee of MC-A: nan is not a number; give a number from 0 "
                 "to 10,000,000"),
    ("MC-A=inf", "price MC-A=inf: fee of MC-A: inf is out of range (0 to 10,000,000); give "
                 "a number from 0 to 10,000,000"),
    ("MC-A=1e400", "price MC-A=1e400: fee of MC-A: inf is out of range (0 to 10,000,000); "
                   "give a number from 0 to 10,000,000"),
])
def test_price_must_be_a_finite_fee(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        parse_price(text)
    assert str(err.value) == message
    with pytest.raises(CatalogError):
        apply_changes(base(), [Change.price("MC-A", float("nan"))])


def test_change_file_price_nan_refused(tmp_path: Path) -> None:
    path = tmp_path / "changes.json"
    path.write_text('{"price": {"MC-A": NaN}}', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        read_change_file(path)
    assert str(err.value) == (f"{path}:$.price.MC-A: fee of MC-A: nan is not a number; give "
                              "a number from 0 to 10,000,000")


def test_cli_price_nan_is_refused_at_once(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli
    from pathways.formats import write_catalog

    path = tmp_path / "base.json"
    write_catalog(base(), path)
    result = CliRunner().invoke(cli, ["what-if", "--catalog", str(path), "--price", "Q=nan"])
    assert result.exit_code == 2
    assert ("Invalid value for --price: fee of Q: nan is not a number; give a number from 0 "
            "to 10,000,000") in result.output


def test_an_edge_added_twice_is_refused() -> None:
    with pytest.raises(CatalogError) as err:
        apply_changes(base(), [Change.remove_edge("MC-A", "Q"), parse_edge("MC-A:Q:10"),
                               parse_edge("MC-A:Q:5")])
    assert str(err.value) == ("edge to add MC-A:Q:5: MC-A -> Q is added twice (also by "
                              "edge to add MC-A:Q:10); give each edge once")
    # Replacing an edge of the catalog, or adding one again after removing it, is fine.
    after = apply_changes(base(), [parse_edge("MC-A:Q:10"), Change.remove_edge("MC-A", "Q"),
                                   parse_edge("MC-A:Q:5")])
    assert [(e.source, e.target, e.credits) for e in after.stacking] == [("MC-A", "Q", 5)]


def test_change_file_keys_named_in_full(tmp_path: Path) -> None:
    path = tmp_path / "changes.json"
    path.write_text('{"zzz": []}', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        read_change_file(path)
    assert str(err.value) == (
        f'{path}:$: unknown key "zzz" (expected one of: format, version, framework, '
        "credit_unit, name, system_type, meta, calendar, providers, credentials, stacking, "
        "remove, remove_stacking, price)")
    path.write_text('{"remov": ["MC-A"]}', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        read_change_file(path)
    assert str(err.value) == f'{path}:$: unknown key "remov" (did you mean "remove"?)'


def test_changed_catalog_keeps_its_framework_rules(tmp_path: Path) -> None:
    path = tmp_path / "changes.json"
    path.write_text(json.dumps({"credentials": [
        {"id": "MC-BIG", "title": "Big", "kind": "micro-credential", "credits": 99, "level": 5,
         "provider": "p1", "fee": 1200}]}), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        apply_changes(base(), read_change_file(path))
    assert str(err.value) == (f"{path}:$.credentials[0].credits: MC-BIG: a micro-credential "
                              "has 1-40 credits under nzqf (got 99); lower its credits or "
                              "make it a qualification")
