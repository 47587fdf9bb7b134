"""The import report and the sniffing of standard files (pathways.standards)."""

from __future__ import annotations

import json

import pytest

from pathways.errors import CatalogError
from pathways.standards import detect_standard, load_json, read_standard
from pathways.standards.report import ImportReport


def test_report_counts_warnings_and_data():
    report = ImportReport()
    report.add_file("a.json", "ctdl")
    report.count("credentials", 3)
    report.count("credentials")
    report.assume("a.json:$['@graph'][2]", "a child counts all its credits into its parent")
    report.assume("a.json:$['@graph'][2]", "a child counts all its credits into its parent")
    report.drop("a.json:$['@graph'][5].hasChild[0]", "no node _:x in the files")
    assert report.counts == {"credentials": 4}
    assert len(report.assumed) == 1  # the same fact about the same place is said once
    assert report.lines() == [
        "a.json:$['@graph'][2]: warning: assumed: a child counts all its credits into its parent",
        "a.json:$['@graph'][5].hasChild[0]: warning: dropped: no node _:x in the files"]
    data = report.to_dict()
    assert data["mapped"] == {"credentials": 4}
    assert data["dropped"] == [{"where": "a.json:$['@graph'][5].hasChild[0]",
                                "message": "no node _:x in the files"}]
    assert report.summary() == "read ctdl from a.json: 4 credentials; 1 assumed, 1 dropped"


@pytest.mark.parametrize(("doc", "expected"), [
    ({"@context": "http://credreg.net/ctdl/schema/context/json", "@graph": []}, "ctdl"),
    ({"@graph": [{"@type": "ceterms:TransferValueProfile"}]}, "ctdl"),
    ({"@type": "Pathway", "name": "x"}, "ctdl"),
    ({"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "ob3"),
    ({"type": ["VerifiableCredential", "ClrCredential"]}, "clr"),
    ({"format": "pathways-catalog", "credentials": []}, "pathways"),
    ({"hello": 1}, None),
    ([1, 2], None),
])
def test_detect_standard(doc, expected):
    assert detect_standard(doc) == expected


def test_deep_nesting_is_a_clear_error(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(CatalogError, match="nested more than 64 levels"):
        load_json(f)


def test_not_json_names_file_and_line(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text('{\n"a": }')
    with pytest.raises(CatalogError, match=r"bad.json:2: not JSON"):
        load_json(f)


def test_unknown_document_is_refused(tmp_path):
    f = tmp_path / "other.json"
    f.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(CatalogError, match="not a CTDL, Open Badges 3.0 or CLR 2.0"):
        read_standard([f])


def test_a_repeated_warning_is_one_line_with_its_count_and_first_places(tmp_path):
    from click.testing import CliRunner

    from pathways.cli import cli

    report = ImportReport()
    for i in range(30):
        report.assume(f"a.json:$[{i}].creditValue", "creditValue written as a string")
    report.drop("a.json:$[0].x", "x is not mapped")
    report.drop("a.json:$[1].x", "x is not mapped")
    assert report.short_lines() == [
        "warning: assumed: creditValue written as a string (30 times: a.json:$[0].creditValue"
        ", a.json:$[1].creditValue, a.json:$[2].creditValue and 27 more; --json lists them "
        "all)",
        "a.json:$[0].x: warning: dropped: x is not mapped",
        "a.json:$[1].x: warning: dropped: x is not mapped"]
    assert len(report.lines()) == 32
    # the CLI says it so on stderr; --json keeps every place
    courses = [{"@type": "CourseComponent", "@id": f"https://x.org/{i}", "name": str(i),
                "creditValue": {"@type": "QuantitativeValue", "value": "5"}}
               for i in range(6)]
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json",
                             "@graph": courses}))
    result = CliRunner().invoke(cli, ["import", str(f), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "written as a string" in line]
    assert len(lines) == 1 and "(6 times: " in lines[0] and "and 3 more" in lines[0]
    result = CliRunner().invoke(cli, ["import", str(f), "--db", str(tmp_path / "d.db"),
                                      "--json"])
    data = json.loads(result.stdout)
    assert sum("written as a string" in a["message"] for a in data["report"]["assumed"]) == 6
