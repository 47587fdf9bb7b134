"""Dated plans on the demo catalog and through the CLI (issue 12 part 2); the exhaustive
checks are in test_plans_dated_property.py."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import DEMO_JSON

from pathways.catalog import Catalog, Credential, Stacking
from pathways.cli import cli
from pathways.errors import NoRouteError, RouteError
from pathways.formats import read_catalog
from pathways.plans import plan_dated

START = date(2027, 2, 1)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["plan", "--catalog", str(DEMO_JSON), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_demo_plan_starts_at_real_intakes_in_order() -> None:
    plan = plan_dated(read_catalog(DEMO_JSON), "DIP-ITS5", start=START, hours_per_week=15)
    assert [(s.id, str(s.start), str(s.end), s.term) for s in plan.steps] == [
        ("MC-NETSEC4", "2027-02-08", "2027-06-06", "Feb"),
        ("DIP-ITS5", "2027-07-19", "2029-01-28", None)]
    assert plan.finish == date(2029, 1, 28) and plan.route.fee == 8240
    assert plan.peak_week_hours <= 15 + 1e-9


def test_cli_table_json_and_errors() -> None:
    code, out, _err = run("--to", "DIP-ITS5", "--start", "2027-02-01", "--hours-per-week", "15")
    assert code == 0
    assert out.startswith("Dated plan to DIP-ITS5 by earliest finish: start 2027-02-01, "
                          "finish 2029-01-28 (104 weeks), $8,240")
    code, out, _err = run("--to", "DIP-ITS5", "--start", "2027-02-01", "--hours-per-week", "15",
                          "--json")
    doc = json.loads(out)
    assert doc["finish"] == "2029-01-28" and [s["id"] for s in doc["steps"]] == [
        "MC-NETSEC4", "DIP-ITS5"]
    code, out, err = run("--to", "DIP-ITS5", "--start", "2027-02-01", "--hours-per-week", "15",
                         "--finish-by", "2028-06-30")
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "Error: no dated route to DIP-ITS5: DIP-ITS5 cannot end by 2028-06-30 from any "
        "intake; the earliest finish is 2029-01-28")
    code, _out, err = run("--to", "DIP-ITS5")
    assert code == 2 and "needs --to ID and --start DATE" in err
    code, _out, err = run("--to", "DIP-ITS5", "--start", "2027-02-01", "--pareto", "--by", "fee")
    assert code == 2 and "takes no --by" in err


def test_held_credentials_are_done_before_the_start() -> None:
    plan = plan_dated(read_catalog(DEMO_JSON), "DIP-ITS5", start=START, hours_per_week=15,
                      held=["MC-NETSEC4"])
    assert plan.held == ("MC-NETSEC4",)
    assert [s.id for s in plan.steps] == ["DIP-ITS5"]
    assert plan.steps[0].start == date(2027, 2, 8)  # the first intake: nothing to wait for


def test_an_intake_too_late_is_named() -> None:
    cat = Catalog(credentials=[
        Credential("MC-X", "X", "micro-credential", 10, level=5, intakes=("2027-09-06",),
                   duration_weeks=4),
        Credential("Q", "Q", "qualification", 40, level=5, requires=(("MC-X",),),
                   intakes=("any-week",), duration_weeks=4)],
        stacking=[Stacking("MC-X", "Q", 10)])
    with pytest.raises(NoRouteError) as info:
        plan_dated(cat, "Q", start=START, finish_by=date(2027, 6, 30))
    assert str(info.value).startswith("no dated route to Q: Q requires MC-X, which has no "
                                      "intake before 2027-06-30")
    with pytest.raises(RouteError):
        plan_dated(cat, "Q", start=START, by="soonest")


def test_the_dated_timeline_is_drawn(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "plan.svg"
    result = CliRunner().invoke(cli, ["timeline", "--catalog", str(DEMO_JSON), "--to",
                                      "DIP-ITS5", "--start", "2027-02-01", "--hours-per-week",
                                      "15", "--dated", "--have", "MC-HELPDESK4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "each at a real intake" in svg and "S1" in svg and "held already" in svg
    result = CliRunner().invoke(cli, ["timeline", "--catalog", str(DEMO_JSON), "--to",
                                      "DIP-ITS5", "--dated", "-o", str(out)])
    assert result.exit_code == 2 and "--dated needs --start" in result.stderr
