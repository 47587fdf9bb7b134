"""`pathways plan` in term mode: the JSON shape, the table, errors in one line, a
CurricularAnalytics curriculum chosen as a term plan by itself, the term map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.catalog import Catalog, Credential
from pathways.cli import cli
from pathways.formats.json_format import dump_json

BACP = Path(__file__).parent / "data" / "bacp"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def curriculum(tmp_path: Path) -> str:
    """A → B → C (prerequisites), D a co-requisite of B, E with C in one term."""
    def c(cid: str, credits: int, **kw: object) -> Credential:
        return Credential(id=cid, title=f"Course {cid}", kind="course", credits=credits,
                          **kw)  # type: ignore[arg-type]

    cat = Catalog(credentials=[
        c("A", 4), c("B", 3, requires=(("A",),), corequisites=("D",)),
        c("C", 4, requires=(("B",),)), c("D", 2), c("E", 2, strict_corequisites=("C",))],
        framework="generic", name="Tiny")
    path = tmp_path / "tiny.json"
    path.write_text(dump_json(cat), encoding="utf-8")
    return str(path)


def test_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    path = curriculum(tmp_path)
    code, out, err = run("plan", "--catalog", path, "--mode", "terms", "--json",
                         "--max-credits-per-term", "6")
    assert code == 0, err
    assert json.loads(out) == {
        "terms": [
            {"term": "1", "start": None, "end": None, "credits": 6, "steps": ["A", "D"]},
            {"term": "2", "start": None, "end": None, "credits": 3, "steps": ["B"]},
            {"term": "3", "start": None, "end": None, "credits": 6, "steps": ["C", "E"]},
        ],
        "max_load": 6, "finish": None}
    again = run("plan", "--catalog", path, "--mode", "terms", "--json",
                "--max-credits-per-term", "6")[1]
    assert again == out  # same input, same bytes


def test_the_table_and_balance(tmp_path: Path) -> None:
    code, out, err = run("plan", "--catalog", curriculum(tmp_path), "--terms", "4",
                         "--balance")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("Term plan of Tiny (balanced: the smallest largest term load): "
                        "4 terms, 5 courses, largest term load 6 credits")
    assert lines[2].split() == ["term", "start", "end", "credits", "courses", "steps"]
    assert len(lines) == 8  # heading, blank, header, rule, four terms


def test_no_plan_is_one_error_line(tmp_path: Path) -> None:
    code, out, err = run("plan", "--catalog", curriculum(tmp_path), "--terms", "2")
    assert code == 1 and out == ""
    assert err == ("Error: the prerequisite chain A → B → C needs 3 terms; at most 2 "
                   "allowed; allow more terms\n")
    code, _, err = run("plan", "--catalog", curriculum(tmp_path), "--terms", "3",
                       "--max-credits-per-term", "5")
    assert code == 1
    assert err == ("Error: C and E (strict co-requisites, taken in one term) carry 6 "
                   "credits, more than the 5 allowed in a term; raise "
                   "--max-credits-per-term\n")


def test_a_curricularanalytics_curriculum_gets_a_term_plan(tmp_path: Path) -> None:
    path = tmp_path / "ca.csv"
    path.write_text(
        "Curriculum,Tiny CS\nInstitution,Somewhere\nDegree Type,BS\nSystem Type,semester\n"
        "CIP,11.0701\nCourses\n"
        "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,"
        "Strict-Corequisites,Credit Hours\n"
        "1,Calculus I,MATH,156,,,,4\n2,Calculus II,MATH,160,1,,,4\n"
        "3,Programming,CS,163,,,,4\n4,Lab,CS,164,,,3,1\n", encoding="utf-8")
    code, out, err = run("plan", "--catalog", str(path), "--json")
    assert code == 0, err
    terms = json.loads(out)["terms"]
    assert [t["steps"] for t in terms] == [["1", "3", "4"], ["2"]]


@pytest.mark.slow
def test_bacp8_balanced_from_the_command_line() -> None:
    code, out, err = run("plan", "--catalog", str(BACP / "bacp8.json"), "--terms", "8",
                         "--min-credits-per-term", "10", "--max-credits-per-term", "24",
                         "--min-courses-per-term", "2", "--max-courses-per-term", "10",
                         "--balance", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["max_load"] == 17 and len(answer["terms"]) == 8


def test_output_draws_the_term_map(tmp_path: Path) -> None:
    out = tmp_path / "plan.png"
    code, _, err = run("plan", "--catalog", curriculum(tmp_path), "--terms", "3",
                       "-o", str(out))
    assert code == 0, err
    assert f"Wrote {out}" in err
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_a_route_term_plan_takes_rpl() -> None:
    code, out, err = run("plan", "--to", "GDIP-DS7", "--mode", "terms", "--json",
                         "--max-credits-per-term", "30", "--rpl", "MC-NOPE=5")
    assert code == 1 and "MC-NOPE" in err


def test_a_catalog_of_courses_alone_gets_a_term_plan_without_asking(tmp_path: Path) -> None:
    code, out, err = run("plan", "--catalog", curriculum(tmp_path), "--json")
    assert code == 0, err
    assert [t["steps"] for t in json.loads(out)["terms"]] == [["A", "D"], ["B"], ["C", "E"]]
