"""The spreadsheet (CSV) catalog format: Excel's habits, cell syntax, errors, round trips."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from test_formats_json import catalogs

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import CatalogError
from pathways.formats import dump_catalog, parse_catalog, read_catalog, write_catalog

HEADER = "id,title,kind,level,credits"


def parse(text: str, **kw: object) -> Catalog:
    return parse_catalog(text, fmt="csv", source="cat.csv", **kw)  # type: ignore[arg-type]


def messages(text: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


def test_every_column() -> None:
    text = (
        "id,title,kind,type,level,credits,provider,provider_name,fee,hours,delivery,status,"
        "review_due,field,skills,requires,max_recognised,core,level_profile,stacks_into,"
        "corequisites,strict_corequisites,term\n"
        "DIP-IT5,Diploma,qualification,diploma,5,120,north,North Polytechnic,9600.50,1200,"
        "online; blended,current,2027-06-30,IT,it-support; networking,"
        "CERT-IT4 | MC-NETSEC; FIRST-AID,60,CERT-IT4,5:72; 6:40,BACHELOR:60; GRAD:20,X,Y;Z,2\n"
    )
    c = parse(text)
    assert c.credentials == [Credential(
        id="DIP-IT5", title="Diploma", kind="qualification", type="diploma", level=5,
        credits=120, provider="north", fee=9600.5, hours=1200, delivery=("online", "blended"),
        status="current", review_due="2027-06-30", field="IT",
        skills=("it-support", "networking"), requires=(("CERT-IT4", "MC-NETSEC"), ("FIRST-AID",)),
        max_recognised=60, core=("CERT-IT4",), level_profile=((5, 72), (6, 40)),
        corequisites=("X",), strict_corequisites=("Y", "Z"), term=2)]
    assert c.providers == [Provider("north", "North Polytechnic")]
    assert c.stacking == [Stacking("DIP-IT5", "BACHELOR", 60), Stacking("DIP-IT5", "GRAD", 20)]
    assert c.credentials[0].source == "cat.csv:2"
    assert c.stacking[1].where == "cat.csv:2"
    assert c.providers[0].source == "cat.csv:2"
    assert c.framework == "nzqf"
    assert c.source == "cat.csv"


def test_column_order_is_free_and_level_optional() -> None:
    c = parse("credits,kind,title,id\n10,course,Intro,C1\n")
    assert c.credentials == [Credential("C1", "Intro", "course", 10)]


def test_framework_override() -> None:
    assert parse(f"{HEADER}\n", framework="generic").framework == "generic"


# -- Excel's habits ---------------------------------------------------------------------------
def test_byte_order_mark() -> None:
    c = parse("\ufeffid,title,kind,level,credits\nMC-A,A,micro-credential,4,10\n")
    assert [x.id for x in c] == ["MC-A"]


def test_crlf_line_ends() -> None:
    c = parse(f"{HEADER}\r\nA,Alpha,course,4,10\r\nB,Beta,course,4,5\r\n")
    assert [(x.id, x.title, x.source) for x in c] == [("A", "Alpha", "cat.csv:2"),
                                                      ("B", "Beta", "cat.csv:3")]


def test_bare_cr_line_ends() -> None:
    # Excel for Mac (and old Mac programs) end lines with \r alone.
    c = parse(f"{HEADER}\rA,Alpha,course,4,10\rB,Beta,course,4,5\r")
    assert [(x.id, x.title, x.source) for x in c] == [("A", "Alpha", "cat.csv:2"),
                                                      ("B", "Beta", "cat.csv:3")]


def test_blank_trailing_rows_and_columns() -> None:
    text = (f"{HEADER},,,\r\n"
            "A,Alpha,course,4,10,,,\r\n"
            ",,,,,,,\r\n"
            "B,Beta,course,4,5\r\n"
            ",,,,,,,\r\n"
            "\r\n"
            ",,,,,,,\r\n")
    c = parse(text)
    assert [(x.id, x.source) for x in c] == [("A", "cat.csv:2"), ("B", "cat.csv:4")]


def test_cells_with_surrounding_spaces_are_stripped() -> None:
    text = (" id , title ,kind, level ,credits , stacks_into , requires\n"
            "  A  ,  Alpha  , course ,  4 , 10 ,  B : 5 ;  C:3  , X |  Y ;  Z \n")
    c = parse(text)
    assert c.credentials == [Credential("A", "Alpha", "course", 10, level=4,
                                        requires=(("X", "Y"), ("Z",)))]
    assert c.stacking == [Stacking("A", "B", 5), Stacking("A", "C", 3)]


def test_maori_macrons_in_titles_and_provider_names() -> None:
    text = ("id,title,kind,level,credits,provider,provider_name\r\n"
            "MC-REO,Te reo Māori for the wānanga,micro-credential,3,15,tp,Te Pūkenga\r\n")
    c = parse(text)
    assert c.credentials[0].title == "Te reo Māori for the wānanga"
    assert c.providers == [Provider("tp", "Te Pūkenga")]


def test_excel_file_with_every_habit_at_once(tmp_path: Path) -> None:
    path = tmp_path / "from-excel.csv"
    text = ("id , title,kind,level,credits,provider,provider_name,,\r\n"
            ' MC-REO ,"Te reo Māori, for the wānanga ",micro-credential,3,15,tp,Te Pūkenga,,\r\n'
            ",,,,,,,,\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    c = read_catalog(path)
    assert c.credentials == [Credential("MC-REO", "Te reo Māori, for the wānanga",
                                        "micro-credential", 15, level=3, provider="tp")]
    assert c.credentials[0].source == f"{path}:2"


def test_physical_lines_count_quoted_line_breaks_and_blank_rows() -> None:
    text = f'\n{HEADER}\nA,"Two\nlines",course,4,10\n\nB,Beta,course,4,x\n'
    assert messages(text) == ['cat.csv:6: column credits: must be a multiple '
                              'of 0.5 such as 15 or 7.5; got "x"']
    c = parse(text.replace(",x", ",1"))
    assert [x.source for x in c] == ["cat.csv:3", "cat.csv:6"]
    assert c.credentials[0].title == "Two\nlines"


# -- errors -----------------------------------------------------------------------------------
def test_unknown_and_missing_columns() -> None:
    assert messages("id,title,kind,credit,stack_into,zzz\n") == [
        'cat.csv:1: unknown column "credit" (did you mean "credits"?)',
        'cat.csv:1: unknown column "stack_into" (did you mean "stacks_into"?)',
        'cat.csv:1: unknown column "zzz" (expected one of: id, title, kind, type, level, '
        "credits, provider, provider_name, fee, hours, delivery, status, review_due, field, "
        "skills, requires, max_recognised, core, level_profile, stacks_into, corequisites, "
        "strict_corequisites, term, direct_study, rules, code, framework, intakes, "
        "duration_weeks)",
        'cat.csv:1: missing required column "credits"',
    ]
    assert messages("id,title,kind,credits,title\n") == [
        'cat.csv:1: column "title" appears more than once']


def test_empty_file() -> None:
    assert messages("\ufeff\r\n,,,\r\n") == [
        "cat.csv:1: no header row; the first row names the columns, e.g. "
        "id,title,kind,level,credits"]


def test_header_only_is_an_empty_catalog() -> None:
    assert parse(f"{HEADER}\n") == Catalog()


@pytest.mark.parametrize(("column", "cell", "expected"), [
    ("stacks_into", "CERT-IT4:abc", '"CERT-IT4:abc": credits "abc" is not a multiple of 0.5; '
     'write TARGET:CREDITS, e.g. "DIP-IT5:20; CERT-IT4:15"'),
    ("stacks_into", "CERT-IT4", '"CERT-IT4" has no ":CREDITS"; write TARGET:CREDITS, e.g. '
     '"DIP-IT5:20; CERT-IT4:15"'),
    ("stacks_into", "CERT-IT4:", '"CERT-IT4:" has no credits after ":"; write TARGET:CREDITS, '
     'e.g. "DIP-IT5:20; CERT-IT4:15"'),
    ("stacks_into", ":20", '":20" has no target id before ":"; write TARGET:CREDITS, e.g. '
     '"DIP-IT5:20; CERT-IT4:15"'),
    ("stacks_into", "CERT-IT4:12.25", '"CERT-IT4:12.25": credits "12.25" is not a multiple of 0.5; '
     'write TARGET:CREDITS, e.g. "DIP-IT5:20; CERT-IT4:15"'),
    ("stacks_into", "CERT-IT4, DIP-IT5", '"CERT-IT4, DIP-IT5" has no ":CREDITS"; write '
     'TARGET:CREDITS, e.g. "DIP-IT5:20; CERT-IT4:15"'),
    ("level_profile", "5:", '"5:" has no credits after ":"; write LEVEL:CREDITS, e.g. '
     '"5:72; 6:40"'),
    ("level_profile", "L5:72", '"L5:72": level "L5" is not a whole number; write LEVEL:CREDITS, '
     'e.g. "5:72; 6:40"'),
    ("level_profile", "72", '"72" has no ":CREDITS"; write LEVEL:CREDITS, e.g. "5:72; 6:40"'),
    ("credits", "12.25", 'must be a multiple of 0.5 such as 15 or 7.5; got "12.25"'),
    ("credits", "ten", 'must be a multiple of 0.5 such as 15 or 7.5; got "ten"'),
    ("level", "L4", 'must be a whole number; got "L4"'),
    ("term", "1st", 'must be a whole number; got "1st"'),
    ("max_recognised", "60%", 'must be a multiple of 0.5 such as 15 or 7.5; got "60%"'),
    ("fee", "$9,600", 'must be a number such as 9600 or 640.50; got "$9,600"'),
    ("hours", "nan", 'must be a number such as 9600 or 640.50; got "nan"'),
    ("fee", "1e999", '"1e999" is too large'),
    ("kind", "Micro-credential", 'must be one of micro-credential, qualification, course; got '
     '"Micro-credential" (did you mean "micro-credential"?)'),
    ("status", "gone", 'must be one of current, expiring, discontinued; got "gone"'),
    ("delivery", "online; face-to-face", "must be one of online, in-person, blended, workplace; "
     'got "face-to-face"'),
    ("review_due", "30/06/2027", 'must be a date written YYYY-MM-DD (e.g. 2027-06-30); got '
     '"30/06/2027"'),
    ("review_due", "2027-13-01", '"2027-13-01" is not a calendar date (write YYYY-MM-DD, e.g. '
     "2027-06-30)"),
])
def test_malformed_cells(column: str, cell: str, expected: str) -> None:
    text = f"id,title,kind,credits,{column}\nA,Alpha,course,10,\"{cell}\"\n"
    if column in ("credits", "kind"):
        text = f"id,title,kind,credits\nA,Alpha,{'course' if column == 'credits' else cell}," \
               f"{cell if column == 'credits' else 10}\n"
    assert messages(text) == [f"cat.csv:2: column {column}: {expected}"]


def test_whole_numbers_written_with_a_decimal_point_are_accepted() -> None:
    c = parse("id,title,kind,level,credits,stacks_into\nA,Alpha,course,4.0,10.0,B:5.0\n")
    assert (c.credentials[0].level, c.credentials[0].credits) == (4, 10)
    assert c.stacking == [Stacking("A", "B", 5)]


def test_empty_items_between_separators_are_ignored() -> None:
    c = parse("id,title,kind,credits,skills,requires,stacks_into\n"
              "A,Alpha,course,10,x;;y;,B | ; ;C,D:1;\n")
    assert c.credentials[0].skills == ("x", "y")
    assert c.credentials[0].requires == (("B",), ("C",))
    assert c.stacking == [Stacking("A", "D", 1)]


def test_required_cells_must_not_be_empty() -> None:
    assert messages(f"{HEADER}\n ,  ,course,4,\n") == [
        "cat.csv:2: column id: empty; every credential needs id",
        "cat.csv:2: column title: empty; every credential needs title",
        "cat.csv:2: column credits: empty; every credential needs credits",
    ]


def test_value_in_a_column_without_header() -> None:
    assert messages(f"{HEADER},\nA,Alpha,course,4,10,oops\n") == [
        'cat.csv:2: cell 6 ("oops") is in a column with no header; name the column or clear '
        "the cell"]


def test_provider_names_must_agree_across_rows() -> None:
    text = ("id,title,kind,credits,provider,provider_name\n"
            "A,Alpha,course,10,north,\n"
            "B,Beta,course,10,north,North Polytechnic\n"
            "C,Gamma,course,10,north,\n"
            "D,Delta,course,10,north,North Poly\n"
            "E,Eps,course,10,,Nobody\n")
    assert messages(text) == [
        'cat.csv:5: column provider_name: "North Poly" disagrees with "North Polytechnic" on '
        'line 3 for provider "north"; make them the same',
        "cat.csv:6: column provider_name: given without a provider id; fill in the provider "
        "column too",
    ]
    c = parse("\n".join(text.splitlines()[:4]))
    assert c.providers == [Provider("north", "North Polytechnic")]
    assert c.providers[0].source == "cat.csv:2"


def test_every_problem_in_the_file_is_reported_at_once() -> None:
    text = (f"{HEADER},stacks_into\n"
            "A,Alpha,course,4,12.25,B:x\n"
            "B,Beta,course,4,10,\n"
            "C,Gamma,corse,four,10,A:1\n")
    with pytest.raises(CatalogError) as info:
        parse(text)
    assert [str(p) for p in info.value.problems] == [
        'cat.csv:2: column credits: must be a multiple of 0.5 such as 15 or 7.5; got "12.25"',
        'cat.csv:2: column stacks_into: "B:x": credits "x" is not a multiple of 0.5; write '
        'TARGET:CREDITS, e.g. "DIP-IT5:20; CERT-IT4:15"',
        'cat.csv:4: column kind: must be one of micro-credential, qualification, course; got '
        '"corse" (did you mean "course"?)',
        'cat.csv:4: column level: must be a whole number; got "four"',
    ]


def test_unclosed_quote() -> None:
    assert messages(f'{HEADER}\nA,"Alpha,course,4,10\nB,Beta,course,4,10\n') == [
        "cat.csv:2: not valid CSV: unexpected end of data"]


def test_read_catalog_csv_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(f"{HEADER}\nA,Alpha,course,4,ten\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value) == (f'{path}:2: column credits: must be a multiple '
                               'of 0.5 such as 15 or 7.5; got "ten"')


# -- writing ----------------------------------------------------------------------------------
def test_writer_uses_only_the_columns_in_use() -> None:
    c = Catalog(credentials=[Credential("B", "Beta", "course", 5),
                             Credential("A", "Alpha, the first", "course", 10, fee=99.0,
                                        skills=("x", "y"))],
                stacking=[Stacking("B", "A", 5)])
    assert dump_catalog(c, "csv") == (
        "id,title,kind,level,credits,fee,skills,stacks_into\r\n"
        "B,Beta,course,,5,,,A:5\r\n"
        'A,"Alpha, the first",course,,10,99,x; y,\r\n')


def test_writer_column_order_is_fixed() -> None:
    c = parse("stacks_into,term,id,provider_name,level_profile,title,provider,kind,credits\n"
              "B:5,2,A,North,5:10,Alpha,n,course,10\n")
    assert dump_catalog(c, "csv").splitlines()[0] == (
        "id,title,kind,level,credits,provider,provider_name,level_profile,stacks_into,term")


def test_writer_refuses_values_that_would_change_meaning() -> None:
    c = Catalog(credentials=[
        Credential("A;B", "x", "course", 1, source="cat.json:$.credentials[0]"),
        Credential("C", "y", "course", 1, requires=(("D|E",),), skills=("a;b",)),
    ], stacking=[Stacking("GHOST", "C", 1, where="cat.json:$.stacking[0]")])
    with pytest.raises(CatalogError) as info:
        dump_catalog(c, "csv")
    assert [str(p) for p in info.value.problems] == [
        'cat.json:$.credentials[0]: cannot write to CSV: "A;B" in id of "A;B" contains ";", '
        "which the CSV form uses as a separator",
        'cannot write to CSV: "D|E" in requires of "C" contains "|", which the CSV form uses '
        "as a separator",
        'cannot write to CSV: "a;b" in skills of "C" contains ";", which the CSV form uses as '
        "a separator",
        'cat.json:$.stacking[0]: cannot write to CSV: stacking edge "GHOST" -> "C" starts at '
        "no credential in the catalog",
    ]


def test_write_catalog_csv_has_bom_and_reads_back(tmp_path: Path,
                                                  worked_example_path: Path) -> None:
    c = read_catalog(worked_example_path)
    out = tmp_path / "catalog.csv"
    write_catalog(c, out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,kind,")
    assert data == b"\xef\xbb\xbf" + dump_catalog(c, "csv").encode("utf-8")
    again = read_catalog(out)
    assert again.credentials == c.credentials
    assert sorted(again.stacking) == sorted(c.stacking)
    assert again.providers == c.providers


def test_failed_csv_write_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "catalog.csv"
    out.write_text("old", encoding="utf-8")
    bad = Catalog(credentials=[Credential("A;B", "x", "course", 1)])
    with pytest.raises(CatalogError):
        write_catalog(bad, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.csv"]


def _comparable(c: Catalog) -> Catalog:
    """What a CSV round trip keeps: edge and provider order may differ; no framework."""
    return replace(c, framework="nzqf", stacking=sorted(c.stacking),
                   providers=sorted(c.providers, key=lambda p: p.id))


def test_worked_example_round_trips(worked_example_path: Path) -> None:
    c = read_catalog(worked_example_path)
    text = dump_catalog(c, "csv")
    again = parse(text)
    assert _comparable(again) == _comparable(c)
    assert dump_catalog(again, "csv") == text


@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(csv_safe=True))
def test_csv_round_trip(catalog: Catalog) -> None:
    text = dump_catalog(catalog, "csv")
    again = parse_catalog(text, fmt="csv")
    assert _comparable(again) == _comparable(catalog)
    assert dump_catalog(catalog, "csv") == text  # deterministic


# -- lossless: what a catalog holds besides credentials (issue 16 item 7) ---------------------
def test_demo_csv_export_is_lossless() -> None:
    from conftest import DEMO_JSON

    c = read_catalog(DEMO_JSON)
    again = parse(dump_catalog(c, "csv"))
    assert (again.name, again.meta, again.framework) == (c.name, c.meta, c.framework)
    assert again.sorted() == c.sorted()


def test_framework_name_meta_and_lone_providers_survive() -> None:
    c = Catalog(providers=[Provider("north", "North Polytechnic"), Provider("idle", "Idle"),
                           Provider("bare", "")],
                credentials=[Credential("A", "Alpha", "course", 5, provider="north")],
                framework="generic", name="Curriculum, 2027", system_type="semester",
                meta={"cip": "11.0701", "empty": ""})
    text = dump_catalog(c, "csv")
    assert text.splitlines()[:7] == [
        "#framework,generic", '#name,"Curriculum, 2027"', "#system_type,semester",
        "#meta,cip,11.0701", "#meta,empty,", "#provider,idle,Idle", "#provider,bare,"]
    again = parse(text)
    assert again.sorted() == c.sorted()
    assert dump_catalog(again, "csv") == text
    assert parse(text, framework="nzqf").framework == "nzqf"  # the option still wins


def test_settings_rows_are_checked() -> None:
    with pytest.raises(CatalogError) as info:
        parse(f"#framwork,nzqf\n#framework,eqf\n#meta\n#provider,x\n#provider,x\n{HEADER}\n")
    assert [str(p) for p in info.value.problems] == [
        'cat.csv:1: unknown catalog row "#framwork" (did you mean "#framework"?)',
        'cat.csv:2: #framework: must be one of nzqf, nzqf-2018, generic, aqf; got "eqf" '
        '(did you mean "aqf"?)',
        'cat.csv:3: row "#meta" needs a key in its second cell',
        'cat.csv:5: "x" is given twice in "#provider" rows',
    ]


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\",\"click\")", "+64 21 555", "-5",
                                   "@SUM(A1)", "'=already quoted", "''", "'plain", "'", "x=1"])
def test_formula_cells_are_written_safely_and_read_back(title: str) -> None:
    c = Catalog(credentials=[Credential("A", title, "course", 5),
                             Credential("=B", "B", "course", 5)],
                stacking=[Stacking("A", "=B", 5)])
    text = dump_catalog(c, "csv")
    for line in text.splitlines():
        for cell in line.split(","):
            assert cell.lstrip('"')[:1] not in ("=", "+", "-", "@")
    again = parse(text)
    assert again.credentials[0].title == title
    assert again.sorted() == c.sorted()
