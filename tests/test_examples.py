"""The example files in graphs/examples work as the README says."""

from __future__ import annotations

from conftest import DEMO_JSON, ROOT

from pathways.formats import read_catalog
from pathways.whatif import read_change_file, what_if

EXAMPLES = ROOT / "graphs" / "examples"


def test_plumbing_on_ramp_closes_the_demo_no_on_ramp_gap() -> None:
    demo = read_catalog(DEMO_JSON)
    report = what_if(demo, read_change_file(EXAMPLES / "plumbing-on-ramp.json"))
    [change] = [r for r in report.to_dict()["routes"] if r["qualification"] == "CERT-PLUMB3"]
    assert change["before"]["fee"] == 3900
    # MC-PIPE3 ($900) and PLB301 (re-priced to $900) count 30 credits, the cap:
    # 3900 x 30/60 = 1950 still to study, 3750 in all.
    assert change["after"]["fee"] == 3750
    closed = {(f["kind"], tuple(f["credentials"])) for f in report.to_dict()["gaps"]["closed"]}
    assert ("no-on-ramp", ("CERT-PLUMB3",)) in closed
