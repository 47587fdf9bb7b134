"""Where a record was read, held small (pathways.place) and written out only when a
message or the store needs the text (issue 13 item 4: "build JSON paths only for the
errors you report")."""

from __future__ import annotations

import copy
import pickle
import sqlite3
import sys
from pathlib import Path

import pytest

from pathways import store
from pathways.errors import CatalogError
from pathways.formats import json_format, json_stream, write_catalog
from pathways.formats.json_format import CREDENTIAL_KEYS, parse_json
from pathways.place import Place, place_text, places
from pathways.rules import validate
from pathways.synthetic import generate_catalog

HEAD = '"format": "pathways-catalog", "version": 1'


def test_a_place_is_its_text_where_text_is_asked_for() -> None:
    kind = places("c.json:$.credentials[", "]")
    first, other = kind(0), kind(12)
    assert str(first) == "c.json:$.credentials[0]" and f"{other}" == "c.json:$.credentials[12]"
    assert f"{first:>25}" == "  c.json:$.credentials[0]"
    assert repr(other) == repr("c.json:$.credentials[12]")
    assert first  # record 0 is a place, not "no place"
    assert first == "c.json:$.credentials[0]"
    assert "c.json:$.credentials[0]".__eq__(first) is NotImplemented  # str defers to Place
    assert first != "c.json:$.credentials[1]" and first != other
    assert hash(other) == hash("c.json:$.credentials[12]")
    assert {other: 1}["c.json:$.credentials[12]"] == 1
    assert places("c.json:$.credentials[", "]") is kind  # one class per list of a file
    assert places("d.json:$.credentials[", "]")(0) != first
    assert place_text(other) == "c.json:$.credentials[12]" and type(place_text(other)) is str
    assert place_text("x.csv:3") == "x.csv:3" and place_text(None) is None


def test_a_place_is_smaller_than_its_text() -> None:
    text = "/data/national/c1m.json:$.stacking[2813707]"
    place = places("/data/national/c1m.json:$.stacking[", "]")(2813707)
    assert place == text
    assert sys.getsizeof(place) < sys.getsizeof(text) / 1.5


@pytest.mark.parametrize("how", ["pickle", "copy", "deepcopy"])
def test_a_catalog_with_places_copies_and_pickles(tmp_path: Path, how: str) -> None:
    """Worker processes get catalogs pickled: places survive with their text."""
    path = tmp_path / "c.json"
    write_catalog(generate_catalog(40, seed=3), path)
    catalog = json_stream.read_json_file(path)
    assert isinstance(catalog.credentials[5].source, Place)
    again = {"pickle": lambda c: pickle.loads(pickle.dumps(c)), "copy": copy.copy,
             "deepcopy": copy.deepcopy}[how](catalog)
    assert again == catalog
    assert [str(c.source) for c in again.credentials] == [
        f"{path}:$.credentials[{i}]" for i in range(len(catalog.credentials))]
    assert [str(e.where) for e in again.stacking] == [
        f"{path}:$.stacking[{i}]" for i in range(len(catalog.stacking))]


def test_reading_a_valid_catalog_writes_out_no_path(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are kept as pairs while reading; a valid file (every key of a credential
    used, calendars, rules, nested lists) never has one written out as text."""
    written: list[str] = []
    child = json_format._child

    def counting(path: str, key: str | int) -> str:
        written.append(child(path, key))
        return written[-1]

    monkeypatch.setattr(json_format, "_child", counting)
    text = (f'{{{HEAD}, "calendar": [{{"term": "T1", "start": "2027-02-01", '
            '"end": "2027-06-01"}], "providers": [{"id": "p", "name": "P", "calendar": '
            '[{"term": "S1", "start": "2027-02-01", "end": "2027-06-01"}]}], '
            '"credentials": [{"id": "A", "title": "Alpha", "kind": "micro-credential", '
            '"credits": 5, "level": 5, "provider": "p", "skills": ["x", "y"], '
            '"delivery": ["online"], "intakes": ["T1", "2027-03-01"]}, '
            '{"id": "Q", "title": "Quality", "kind": "qualification", "type": "certificate", '
            '"credits": 60, "level": 5, "requires": [["A"]], "core": ["A"], '
            '"rules": [{"min_credits": 5, "from": ["A"], "name": "r"}], '
            '"level_profile": {"5": 40}, "max_recognised": 30, "fee": 100, "hours": 600, '
            '"status": "current", "review_due": "2028-01-01", "field": "", "term": 1, '
            '"direct_study": true, "code": "Q 1", "framework": "nzqf", '
            '"duration_weeks": 12, "corequisites": [], "strict_corequisites": []}], '
            '"stacking": [{"from": "A", "to": "Q", "credits": 5}]}')
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    streamed = json_stream.read_json_file(path)
    whole = parse_json(text, source=str(path))
    assert streamed == whole and len(streamed.credentials) == 2
    assert written == []
    assert whole.credentials[1].source == f"{path}:$.credentials[1]"
    assert whole.providers[0].source == f"{path}:$.providers[0]"
    assert whole.stacking[0].where == f"{path}:$.stacking[0]"
    # a problem does write its path, exactly as before
    with pytest.raises(CatalogError) as e:
        parse_json(text.replace('"y"', "7"), source="c.json")
    assert str(e.value) == "c.json:$.credentials[0].skills[1]: must be text; got 7"
    assert written[-1] == "$.credentials[0].skills[1]" and len(written) == 3  # its steps


def test_every_credential_key_has_its_reader() -> None:
    assert set(json_format._Reader("x").convert) == set(CREDENTIAL_KEYS)


def test_messages_of_validation_write_out_places(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(f'{{{HEAD}, "credentials": [{{"id": "A", "title": "Alpha", '
                    '"kind": "micro-credential", "credits": 5, "level": 5}, '
                    '{"id": "B", "title": "Beta", "kind": "micro-credential", "credits": 5, '
                    '"level": 11}], "stacking": [{"from": "A", "to": "A", "credits": 5}]}',
                    encoding="utf-8")
    wheres = [p.where for p in validate(json_stream.read_json_file(path))]
    assert f"{path}:$.credentials[1].level" in wheres and f"{path}:$.stacking[0]" in wheres
    assert all(type(w) is str for w in wheres)


def test_the_store_keeps_places_as_text(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    write_catalog(generate_catalog(30, seed=4), path)
    catalog = json_stream.read_json_file(path)
    db = tmp_path / "c.db"
    store.save_catalog(store.connect(f"sqlite:///{db}"), catalog)
    with sqlite3.connect(db) as conn:
        kinds = {row[0] for table in ("credentials", "stacking", "providers")
                 for row in conn.execute(f"SELECT typeof(origin) FROM {table}")}
        first = conn.execute("SELECT origin FROM credentials ORDER BY position").fetchone()[0]
    assert kinds == {"text"} and first == f"{path}:$.credentials[0]"
    back = store.load_catalog(store.open_reader(str(db)))
    assert [c.source for c in back.credentials] == [str(c.source) for c in catalog.credentials]


def test_csv_rows_keep_their_line_as_a_place() -> None:
    from pathways.formats.csv_format import parse_csv

    catalog = parse_csv("id,title,kind,credits,level,stacks_into\n"
                        "A,Alpha,micro-credential,5,5,B:5\n"
                        "B,Beta,micro-credential,10,5,\n", source="c.csv")
    a, b = catalog.credentials
    assert isinstance(a.source, Place) and (a.source, b.source) == ("c.csv:2", "c.csv:3")
    assert catalog.stacking[0].where is a.source  # one place for the row and its edges
    with pytest.raises(CatalogError) as e:
        parse_csv("id,title,kind,credits\nA,Alpha,micro-credential,x\n", source="c.csv")
    assert str(e.value).startswith("c.csv:2: column credits: ")
