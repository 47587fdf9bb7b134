"""CTDL through the CLI: import with its report, several --catalog files as one graph,
export --format ctdl, route --ctdl, and one-line errors for hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pathways.cli import cli

EXAMPLE = ROOT / "graphs" / "ctdl-pathway.json"
CTX = "https://credreg.net/ctdl/schema/context/json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_prints_the_report_and_json_gives_it_as_data(tmp_path: Path) -> None:
    code, out, err = run("import", str(EXAMPLE), "--db", str(tmp_path / "a.db"))
    assert code == 0, err
    assert "Imported" in out and "5 credentials" in out
    lines = err.strip().splitlines()
    assert any(".creditValue.value: warning: assumed: creditValue written as a string"
               in line for line in lines)
    assert lines[-1].startswith("read ctdl from ") and "5 credentials" in lines[-1]
    code, out, _ = run("import", str(EXAMPLE), "--db", str(tmp_path / "b.db"), "--json")
    report = json.loads(out)["report"]
    assert report["standards"] == ["ctdl"] and report["mapped"]["credentials"] == 5
    assert report["assumed"][0]["where"].endswith("$['@graph'][3].creditValue.value")


def split_files(tmp_path: Path) -> tuple[Path, Path]:
    doc = json.loads(EXAMPLE.read_text())
    courses = [n for n in doc["@graph"] if n["@type"] == "CourseComponent"]
    rest = [n for n in doc["@graph"] if n["@type"] != "CourseComponent"]
    a, b = tmp_path / "pathway.json", tmp_path / "courses.json"
    a.write_text(json.dumps({"@context": CTX, "@graph": rest}))
    b.write_text(json.dumps({"@context": CTX, "@graph": courses}))
    return a, b


def test_several_catalog_files_are_one_graph(tmp_path: Path) -> None:
    a, b = split_files(tmp_path)
    code, out, err = run("route", "--catalog", str(a), "--catalog", str(b), "--to", "CERT",
                         "--have", "BADGE-X", "--json")
    assert code == 0, err
    whole = json.loads(run("route", "--catalog", str(EXAMPLE), "--to", "CERT", "--have",
                           "BADGE-X", "--json")[1])
    assert json.loads(out)["total"] == whole["total"]
    assert json.loads(out)["steps"] == whole["steps"]
    code, out, err = run("import", str(a), str(b), "--db", str(tmp_path / "c.db"))
    assert code == 0 and "5 credentials" in out


def test_several_pathways_catalogs_are_refused(tmp_path: Path) -> None:
    code, _, err = run("import", str(ROOT / "graphs" / "demo.json"),
                       str(ROOT / "graphs" / "demo.json"), "--db", str(tmp_path / "d.db"))
    assert code == 1 and "only when they are CTDL" in err
    assert not (tmp_path / "d.db").exists()  # refused before the database is opened


def test_export_ctdl_and_read_it_back(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonld"
    code, _, err = run("export", "--format", "ctdl", "-o", str(out))
    assert code == 0, err
    doc = json.loads(out.read_text())
    assert doc["@context"] == CTX
    assert sum(n["@type"] == "ceterms:Pathway" for n in doc["@graph"]) == 26
    code, stdout, err = run("list", "--catalog", str(out), "--kind", "qualification")
    assert code == 0 and "26 of 93 credentials" in stdout


def test_route_ctdl_to_standard_output(tmp_path: Path) -> None:
    code, out, err = run("route", "--catalog", str(EXAMPLE), "--to", "CERT", "--ctdl", "-")
    assert code == 0, err
    doc = json.loads(out)
    pathway = doc["@graph"][0]
    assert pathway["@type"] == "ceterms:Pathway"
    assert {n["ceterms:codedNotation"] for n in doc["@graph"][1:]} >= {"CERT"}


@pytest.mark.parametrize(("doc", "message"), [
    ({"@context": "https://example.org/ctx", "@graph": [{"@type": "ceterms:Pathway"}]},
     "remote contexts are not fetched"),
    ({"@context": CTX, "@graph": [{"@type": "Pathway", "@id": "https://x.org/p"}]},
     "no CTDL component, credential or course"),
])
def test_bad_ctdl_is_a_one_line_error(tmp_path: Path, doc, message) -> None:
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(doc))
    code, _, err = run("list", "--catalog", str(f))
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
