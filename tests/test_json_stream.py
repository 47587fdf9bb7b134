"""Reading JSON catalog files item by item (pathways.formats.json_stream): the catalog and
the messages of parse_json, whatever the window size and wherever an error is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog
from pathways.errors import CatalogError, DatabaseFileError
from pathways.formats import json_stream, read_catalog
from pathways.formats.json_format import parse_json
from pathways.source import DEMO_CATALOG
from pathways.synthetic import generate_catalog

HEAD = '"format": "pathways-catalog", "version": 1'


def whole(path: Path) -> Catalog | list[str]:
    """What parse_json makes of the file's text: the catalog, or every problem in order."""
    try:
        return parse_json(path.read_text(encoding="utf-8-sig"), source=str(path))
    except CatalogError as e:
        return [str(p) for p in e.problems]


def streamed(path: Path) -> Catalog | list[str]:
    try:
        return json_stream.read_json_file(path)
    except CatalogError as e:
        return [str(p) for p in e.problems]


@pytest.fixture
def tiny_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of a few characters, so that items, strings and numbers are cut across
    refills; and no whole-file reading for exact error wording."""
    monkeypatch.setattr(json_stream, "_BLOCK", 7)
    monkeypatch.setattr(json_stream, "EXACT_ERRORS_BYTES", -1)


def test_demo_and_a_synthetic_catalog_read_as_parse_json_reads_them(
        tmp_path: Path, tiny_windows: None) -> None:
    demo = json_stream.read_json_file(DEMO_CATALOG)
    assert demo == parse_json(DEMO_CATALOG.read_text(encoding="utf-8"), source=str(DEMO_CATALOG))
    assert [c.source for c in demo] == [f"{DEMO_CATALOG}:$.credentials[{i}]"
                                        for i in range(len(demo))]
    path = tmp_path / "s.json"
    from pathways.formats import write_catalog

    write_catalog(generate_catalog(300, seed=2), path)
    got = json_stream.read_json_file(path)
    assert got == whole(path) == generate_catalog(300, seed=2)
    assert [e.where for e in got.stacking][:2] == [f"{path}:$.stacking[0]",
                                                   f"{path}:$.stacking[1]"]


def test_read_catalog_streams_json_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = json_stream.read_json_file
    monkeypatch.setattr(json_stream, "read_json_file",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    assert read_catalog(DEMO_CATALOG) == parse_json(DEMO_CATALOG.read_text(encoding="utf-8"))
    assert calls == [(DEMO_CATALOG,)]


DOCUMENTS = [
    "{" + HEAD + "}",
    "\ufeff{" + HEAD + ', "credentials": []}',
    "{" + HEAD + ', "credentials": [{"id": "A", "title": "T", "kind": "course", '
    '"credits": 15, "skills": ["x", "y"]}, {"id": "B", "title": "U", "kind": "course", '
    '"credits": 7.5}], "stacking": [{"from": "A", "to": "B", "credits": 5}]}',
    # shape problems in and around the streamed lists
    "{" + HEAD + ', "credentials": [1, {"id": ""}, {"id": "A", "title": "T", "kind": "x", '
    '"credits": 1e999}], "stacking": {}}',
    "{" + HEAD + ', "credentials": [], "credentials": [{"id": "A"}]}',
    "{" + HEAD + ', "providers": [{"id": "p", "nom": "P"}], "colour": 1}',
    '{"credentials": [{"id": "A", "title": "T", "kind": "course", "credits": '
    + "9" * 40 + "}]}",
    # JSON syntax errors inside and outside the streamed lists
    "{" + HEAD + ', "credentials": [{"id": "A"} {"id": "B"}]}',
    "{" + HEAD + ', "credentials": [{"id": "A"},]}',
    "{" + HEAD + ', "credentials": [{"id": "A",}]}',
    "{" + HEAD + ', "credentials": [\n\n  {"id": "A"}\n  ,\n  {"id": tru}]}',
    "{" + HEAD + ', "credentials": [{"id": "A"}]',
    "{" + HEAD + ', "credentials": [{"id": "A"}]} x',
    "{" + HEAD + ', "credentials" [] }',
    "{" + HEAD + ', credentials: [] }',
    "{" + HEAD + ', "credentials": [] ',
    "{" + HEAD + ', "credentials": ["unterminated]}',
    "{" + HEAD + ', "stacking": [',
    "{" + HEAD + ', "credentials": [' + "[" * 5000 + "]" * 5000 + "]}",
    "{",
    "",
    "[1, 2]",
    '"text"',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_catalog_or_same_message_as_parse_json(tmp_path: Path, text: str,
                                                    tiny_windows: None) -> None:
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    assert streamed(path) == whole(path)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet='{}[]",: \n1a\\', max_size=40))
def test_any_text_same_as_parse_json(tmp_path_factory: pytest.TempPathFactory,
                                     text: str) -> None:
    path = tmp_path_factory.mktemp("j") / "c.json"
    path.write_text("{" + HEAD + ', "credentials": [' + text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_stream, "_BLOCK", 5)
        patch.setattr(json_stream, "EXACT_ERRORS_BYTES", -1)
        got = streamed(path)
    assert got == whole(path)


def test_a_large_file_reports_the_syntax_error_it_finds_without_reading_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "EXACT_ERRORS_BYTES", -1)
    monkeypatch.setattr(json_stream, "_whole", lambda *a: pytest.fail("read whole"))
    path = tmp_path / "big.json"
    path.write_text("{" + HEAD + ',\n "credentials": [\n  {"id": "A"}\n  {"id": "B"}\n]}',
                    encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        json_stream.read_json_file(path)
    assert str(info.value) == f"{path}:4:3: not valid JSON: Expecting ',' delimiter"


def test_unreadable_files(tmp_path: Path) -> None:
    db = tmp_path / "c.json"
    db.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(DatabaseFileError):
        json_stream.read_json_file(db)
    latin = tmp_path / "l.json"
    latin.write_bytes(b'{"format": "pathways-catalog", "version": 1, "name": "w\xe4"}')
    with pytest.raises(CatalogError, match=r"not UTF-8 text \(byte 0xe4 on line 1\)"):
        json_stream.read_json_file(latin)
    with pytest.raises(CatalogError, match="cannot read"):
        json_stream.read_json_file(tmp_path / "missing.json")


def test_interned_ids_are_one_object(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{" + HEAD + ', "credentials": [{"id": "CERT-1", "title": "T", '
                    '"kind": "course", "credits": 15}], "stacking": [{"from": "CERT-1", '
                    '"to": "CERT-1", "credits": 1}]}', encoding="utf-8")
    catalog = json_stream.read_json_file(path)
    assert catalog.stacking[0].source is catalog.credentials[0].id



# -- spreadsheet CSV files are read a row at a time -------------------------------------------

def test_csv_files_are_read_row_by_row_into_the_same_catalog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathways import formats
    from pathways.formats.csv_format import parse_csv

    demo = DEMO_CATALOG.with_suffix(".csv")
    given_text = []
    real = formats.parse_csv
    monkeypatch.setattr(formats, "parse_csv",
                        lambda text, **k: given_text.append(isinstance(text, str))
                        or real(text, **k))
    assert read_catalog(demo) == parse_csv(demo.read_text(encoding="utf-8-sig"),
                                           source=str(demo))
    assert given_text == [False]  # the open file, not its text
    bad = tmp_path / "bad.csv"
    bad.write_bytes(demo.read_bytes().replace(b"Demolition", b"D\xe9molition", 1))
    line = demo.read_bytes().split(b"Demolition")[0].count(b"\n") + 1
    with pytest.raises(CatalogError, match=rf"not UTF-8 text \(byte 0xe9 on line {line}\)"):
        read_catalog(bad)  # the byte itself, not 3 bytes on (the BOM)
    db = tmp_path / "db.csv"
    db.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(DatabaseFileError):
        read_catalog(db)


def test_import_of_a_json_file_larger_than_a_standard_file_may_be(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog over the standards' size limit is not sniffed as a standard (which would
    refuse it) but imported item by item."""
    from click.testing import CliRunner

    from pathways import standards
    from pathways.cli import cli

    monkeypatch.setattr(standards, "MAX_FILE_BYTES", 100)
    result = CliRunner().invoke(cli, ["import", str(DEMO_CATALOG), "--db",
                                       str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output


# -- repeated values are held once --------------------------------------------------------------

def _catalog_text(titles: list[str], credits: list[int]) -> str:
    creds = ", ".join(f'{{"id": "C{i}", "title": "{t}", "kind": "course", "credits": {c}}}'
                      for i, (t, c) in enumerate(zip(titles, credits, strict=True)))
    return "{" + HEAD + f', "credentials": [{creds}]}}'


def test_repeated_long_titles_and_credit_figures_are_one_object(tmp_path: Path) -> None:
    title = "Bachelor of Applied Information and Communication Technologies (Networks)"
    path = tmp_path / "c.json"
    path.write_text(_catalog_text([title] * 3 + ["Other " + title], [360, 360, 360, 360]),
                    encoding="utf-8")
    creds = json_stream.read_json_file(path).credentials
    assert creds[0].title is creds[1].title is creds[2].title == title
    assert creds[3].title == "Other " + title
    assert creds[0].credits is creds[1].credits is creds[2].credits == 360
    assert json_stream.read_json_file(path) == parse_json(path.read_text(), source=str(path))


def test_long_titles_that_do_not_repeat_are_not_kept_in_a_lookup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the trial, a reader whose long texts were mostly distinct stops looking
    them up (the lookup would only cost memory); the catalog is the same either way."""
    from pathways.formats import json_format

    monkeypatch.setattr(json_format, "_SHARED_TRIAL", 4)
    unique = [f"A distinct and rather long title for a credential, number {i}"
              for i in range(10)]
    reader = json_format._Reader("x.json")
    assert [reader.text(t, "$") for t in unique] == unique
    assert reader.long_texts is None  # given up: 4 of 4 distinct
    repeated = json_format._Reader("x.json")
    texts = [repeated.text(unique[i % 2], "$") for i in range(10)]
    assert repeated.long_texts is not None and len(repeated.long_texts) == 2
    assert texts[0] is texts[2] is texts[8]
    path = tmp_path / "c.json"
    path.write_text(_catalog_text(unique, [15] * 10), encoding="utf-8")
    assert json_stream.read_json_file(path) == parse_json(path.read_text(), source=str(path))
