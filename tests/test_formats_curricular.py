"""CurricularAnalytics curricula: the eight real files, and the ways real files vary."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pathways.catalog import Catalog, Credential
from pathways.errors import CatalogError
from pathways.formats import detect_format, dump_catalog, parse_catalog, read_catalog
from pathways.formats.json_format import dump_json, parse_json
from pathways.rules import validate

# name -> courses, as counted by hand in each file (plans/NAME.csv, correct/NAME_w_metrics.csv)
COURSES = {
    "Colostate_CSDegree": 37,
    "Colostate_CSDegree_2017": 37,
    "Colostate_CSDegree_2017_w_MATH": 41,
    "U_of_Colorado_Boulder_CS": 38,
}
FILES = [f"plans/{n}.csv" for n in COURSES] + [f"correct/{n}_w_metrics.csv" for n in COURSES]

HEAD = ("Curriculum,Tiny,,,\nInstitution,Uni,,,\nDegree Type,BS,,,\nSystem Type,semester,,,\n"
        "CIP,11.07,,,\nCourses,,,,\n")
COLUMNS = ("Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,"
           "Credit Hours,Institution,Canonical Name")


def parse(text: str, **kw: object) -> Catalog:
    return parse_catalog(text, fmt="curricular", source="c.csv", **kw)  # type: ignore[arg-type]


def messages(text: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


# -- the real files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", FILES)
def test_real_curricula_read(curricula_dir: Path, name: str) -> None:
    path = curricula_dir / name
    assert detect_format(path) == "curricular"
    c = read_catalog(path)
    stem = name.split("/")[1].removesuffix(".csv").removesuffix("_w_metrics")
    assert len(c) == COURSES[stem]
    # Course ids 1..n in order: every course row was read, none after it invented.
    assert [x.id for x in c] == [str(i) for i in range(1, COURSES[stem] + 1)]
    # No file has a section after its courses: the course rows run to the end of the file.
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if any(cell.strip() for cell in r)]
    assert rows[-1][0] == c.credentials[-1].id
    assert all(x.kind == "course" and x.provider is None and x.level is None for x in c)
    assert c.credentials[0].source == f"{path}:8"
    assert c.framework == "generic"
    assert c.system_type == "semester"
    assert c.source == str(path)
    assert c.meta["degree_type"] == "BS"


def test_colorado_boulder(curricula_dir: Path) -> None:
    plan = read_catalog(curricula_dir / "plans" / "U_of_Colorado_Boulder_CS.csv")
    done = read_catalog(curricula_dir / "correct" / "U_of_Colorado_Boulder_CS_w_metrics.csv")
    assert plan.name == "Computer Science"
    assert done.name == "U_of_Colorado_Blouder_CS"  # as the site wrote it back
    assert plan.meta == {"institution": "University of Colorado Boulder", "degree_type": "BS",
                         "cip": "11.07"}
    index = plan.index()
    assert index["3"] == Credential(id="3", title="Computer Science 2: Data Structure",
                                    kind="course", credits=4, requires=(("2",), ("19",)),
                                    code="CSCI 2270")
    # Prerequisite order as written in each file.
    assert index["5"].requires == (("3",), ("20",), ("21",))
    assert done.index()["5"].requires == (("20",), ("21",), ("3",))
    assert index["5"].title == "Algorithms"  # "Algorithms " in the file: cells are stripped
    assert index["32"].strict_corequisites == ("33",)
    assert index["32"].requires == (("20",), ("31",))
    assert sum(x.credits for x in plan) == 128


def test_colorado_state(curricula_dir: Path) -> None:
    c = read_catalog(curricula_dir / "plans" / "Colostate_CSDegree_2017.csv")
    index = c.index()
    assert index["3"].corequisites == ("1",)
    assert index["3"].requires == ()
    assert index["5"].requires == (("3",), ("1",))
    assert index["26"].corequisites == ("25",)
    assert index["1"] == Credential(id="1", title="Calculus I", kind="course", credits=4,
                                    code="MATH 160")
    assert c.meta == {"institution": "Colorado State University", "degree_type": "BS",
                      "cip": "11.0701"}
    maths = read_catalog(curricula_dir / "correct"
                         / "Colostate_CSDegree_2017_w_MATH_w_metrics.csv")
    assert maths.index()["1"].requires == (("35",), ("37",))
    assert maths.index()["37"].credits == 1


def test_imported_curriculum_round_trips_through_json(curricula_dir: Path) -> None:
    c = read_catalog(curricula_dir / "plans" / "U_of_Colorado_Boulder_CS.csv")
    assert parse_catalog(dump_catalog(c, "json"), fmt="json") == c


# -- how real files vary ----------------------------------------------------------------------
def test_tiny_file() -> None:
    c = parse(HEAD + COLUMNS + "\n1,Intro,CS,101,,,,3,,\n2,Next,CS,102,1,,,4,,\n")
    assert c == Catalog(
        credentials=[Credential("1", "Intro", "course", 3, code="CS 101"),
                     Credential("2", "Next", "course", 4, requires=(("1",),), code="CS 102")],
        framework="generic", name="Tiny", system_type="semester",
        meta={"institution": "Uni", "degree_type": "BS", "cip": "11.07"})
    assert c.credentials[1].source == "c.csv:9"


def test_byte_order_mark_and_crlf() -> None:
    text = "\ufeff" + (HEAD + COLUMNS + "\n1,Intro,CS,101,,,,3,,\n").replace("\n", "\r\n")
    c = parse(text)
    assert c.name == "Tiny"
    assert [x.id for x in c] == ["1"]


def test_missing_trailing_columns_and_header_rows() -> None:
    text = ("Curriculum,Bare\nCourses\n"
            "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,"
            "Credit Hours\n"
            "1,Intro,CS,101,,,,3\n"
            "2,Next,CS,102,1,,,4,\n")
    c = parse(text)
    assert [(x.id, x.credits, x.requires) for x in c] == [("1", 3, ()), ("2", 4, (("1",),))]
    assert (c.name, c.system_type, c.meta) == ("Bare", None, {})


def test_rows_shorter_than_the_column_row() -> None:
    c = parse("Curriculum,X\nCourses\nCourse ID,Course Name,Credit Hours,Prerequisites\n1,A,3\n")
    assert c.credentials == [Credential("1", "A", "course", 3)]


def test_extra_columns_term_and_metrics() -> None:
    text = (HEAD + COLUMNS + ",Term,Complexity,Blocking,Delay,Centrality,Notes\n"
            '1,Intro,CS,101,,,,3,"","",1,9.0,6,3.0,0,anything\n'
            '2,Next,CS,102,"1",,"1",4,"","",2,1.0,0,1.0,0,\n')
    c = parse(text)
    assert c.credentials == [
        Credential("1", "Intro", "course", 3, term=1, code="CS 101"),
        Credential("2", "Next", "course", 4, requires=(("1",),), strict_corequisites=("1",),
                   term=2, code="CS 102")]


@pytest.mark.parametrize("section", ["Course Learning Outcomes",
                                     "Curriculum Learning Outcomes"])
def test_a_section_after_the_courses_ends_the_course_list(section: str) -> None:
    text = (HEAD + COLUMNS + "\n1,Intro,CS,101,,,,3,,\n" + section + ",,,,\n"
            + COLUMNS + "\n9,Extra,MA,110,,,,three,,\n")
    assert [x.id for x in parse(text)] == ["1"]


def test_additional_courses_of_a_degree_plan_are_courses() -> None:
    text = (HEAD + COLUMNS + "\n1,Intro,CS,101,9,,,3,,\nAdditional Courses,,,,\n"
            + COLUMNS + "\n9,Extra,MA,110,,,,4,,\nCourse Learning Outcomes,,,\n"
            + "x,y,z\n")
    c = parse(text)
    assert [(x.id, x.requires) for x in c] == [("1", (("9",),)), ("9", ())]


def test_comment_rows_and_quarter_system() -> None:
    text = ("# exported by hand\nCurriculum,Q\nSystem Type,Quarter\nCourses\n"
            + COLUMNS + "\n# a comment row\n1,Intro,CS,101,,,,3,,\n")
    c = parse(text)
    assert c.system_type == "quarter"
    assert [x.id for x in c] == ["1"]


def test_ids_are_kept_as_written() -> None:
    c = parse("Curriculum,X\nCourses\nCourse ID,Course Name,Credit Hours,Prerequisites\n"
              "MATH-101,A,3,\n007,B,0,MATH-101; 1\n")
    assert [(x.id, x.credits, x.requires) for x in c] == [
        ("MATH-101", 3, ()), ("007", 0, (("MATH-101",), ("1",)))]


def test_whole_credit_hours_written_as_decimals() -> None:
    c = parse("Curriculum,X\nCourses\nCourse ID,Course Name,Credit Hours\n1,A,3.0\n")
    assert c.credentials[0].credits == 3


def test_framework_override() -> None:
    text = "Curriculum,X\nCourses\nCourse ID,Course Name,Credit Hours\n"
    assert parse(text).framework == "generic"
    assert parse(text, framework="nzqf").framework == "nzqf"


def test_read_catalog_detects_curricula(tmp_path: Path) -> None:
    for name in ("plan.csv", "plan"):
        path = tmp_path / name
        path.write_text("\ufeffCurriculum,X\nCourses\nCourse ID,Course Name,Credit Hours\n"
                        "1,A,3\n", encoding="utf-8")
        c = read_catalog(path)
        assert (c.name, len(c), c.framework) == ("X", 1, "generic")


# -- errors -----------------------------------------------------------------------------------
def test_missing_courses_row() -> None:
    assert messages("Curriculum,X\nInstitution,Uni\n" + COLUMNS + "\n1,A,,,,,,3,,\n") == [
        'c.csv: no "Courses" row: a CurricularAnalytics file lists its courses under a row '
        'reading "Courses"']


def test_missing_course_id_column() -> None:
    text = HEAD + "Course Name,Prefix,Number,Credit Hours\nIntro,CS,101,3\n"
    assert messages(text) == ['c.csv:7: missing column "Course ID" in the course header row']


def test_missing_column_row() -> None:
    assert messages("Curriculum,X\nCourses,,\n\n") == [
        'c.csv:2: no column row after "Courses" (expected "Course ID,Course Name,...,Credit '
        'Hours")']


def test_non_numeric_credit_hours() -> None:
    text = HEAD + COLUMNS + "\n1,Intro,CS,101,,,,three,,\n2,Next,CS,102,,,,,,\n"
    assert messages(text) == [
        'c.csv:8: column Credit Hours: must be a whole number of credit hours; got "three"',
        'c.csv:9: column Credit Hours: must be a whole number of credit hours; got ""',
    ]


def test_fractional_credit_hours() -> None:
    # Issue 15: credits are multiples of 0.5 (half US credit hours), others are refused.
    assert parse(HEAD + COLUMNS + "\n1,Intro,CS,101,,,,1.5,,\n").credentials[0].credits == 1.5
    text = HEAD + COLUMNS + "\n1,Intro,CS,101,,,,1.25,,\n"
    assert messages(text) == [
        "c.csv:8: column Credit Hours: 1.25 credit hours is not a multiple of 0.5; write "
        "whole or half credit hours (3, 1.5)"]


def test_a_course_keeps_its_code() -> None:
    c = parse(HEAD + COLUMNS + "\n1,Intro,MATH,156,,,,3,,\n2,Next,,,,,,3,,\n")
    assert [x.code for x in c] == ["MATH 156", None]
    assert parse_json(dump_json(c)).credentials[0].code == "MATH 156"


def test_unknown_system_type_is_a_warning_read_as_semester() -> None:
    text = "Curriculum,X\nSystem Type,semster\nCourses\n" + COLUMNS + "\n1,A,CS,1,,,,3,,\n"
    c = parse(text)
    assert c.system_type == "semester"
    assert [str(p) for p in validate(c)] == [
        'c.csv:2: warning: System Type "semster" is not semester or quarter; read as semester '
        "(as CurricularAnalytics does); write semester or quarter"]


def test_unsatisfiable_strict_corequisites_are_an_error() -> None:
    # 44 must be taken with 42; 42 is a co-requisite of 40 (no later); 40 comes before 44.
    text = (HEAD + COLUMNS + "\n40,A,CS,40,,42,,3,,\n42,B,CS,42,,,,3,,\n"
            "44,C,CS,44,40,,42,3,,\n")
    problems = [str(p) for p in validate(parse(text))]
    assert problems == [
        "c.csv:10: strict co-requisites cannot all be met: 40, 42, 44 — 42 with 44 in the same "
        "term, yet 40 must come before 44; remove a strict co-requisite or a prerequisite"]
    ok = HEAD + COLUMNS + "\n40,A,CS,40,,,,3,,\n42,B,CS,42,40,,,3,,\n44,C,CS,44,40,,42,3,,\n"
    assert validate(parse(ok)) == []


def test_every_problem_is_reported() -> None:
    text = ("Curriculum,X\nSystem Type,trimester\nCourses\n" + COLUMNS + ",Term\n"
            ",Intro,CS,101,,,,3,,,1\n2,,CS,102,,,,3,,,first\n")
    assert messages(text) == [
        "c.csv:5: column Course ID: empty; every course needs an id",
        "c.csv:6: column Course Name: empty; every course needs a name",
        'c.csv:6: column Term: must be a whole number; got "first"',
    ]


def test_missing_curriculum_row() -> None:
    assert messages("Institution,Uni\nCourses\nCourse ID,Course Name,Credit Hours\n") == [
        'c.csv:1: expected a "Curriculum" row first, as in "Curriculum,NAME"; got "Institution"']
