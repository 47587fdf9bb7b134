"""Calendar facts (issue 12 part 1): terms, intakes and durations in the model, the JSON and
CSV forms, validation and the store (schema 3, upgraded from 2)."""

from __future__ import annotations

import json
import sqlite3
import warnings
from datetime import date
from pathlib import Path

import pytest

from pathways import store
from pathways.calendar import Start, calendar_of, duration_weeks, intake_starts
from pathways.catalog import Catalog, Credential, Provider, Term
from pathways.errors import CatalogError, Notice, StoreError
from pathways.formats import dump_catalog, parse_catalog
from pathways.rules import validate

HEAD = '"format": "pathways-catalog", "version": 1'
T1 = {"term": "T1", "start": "2027-02-22", "end": "2027-06-11"}
T2 = {"term": "T2", "start": "2027-07-05", "end": "2027-10-15"}


def doc(credentials: list[dict[str, object]], calendar: list[dict[str, str]] | None = None,
        providers: list[dict[str, object]] | None = None) -> str:
    top: dict[str, object] = {"format": "pathways-catalog", "version": 1}
    if calendar is not None:
        top["calendar"] = calendar
    top["providers"] = providers or []
    top["credentials"] = [{"title": "A micro-credential", "kind": "micro-credential",
                           "level": 5, "credits": 15, **c} for c in credentials]
    return json.dumps(top)


def errors(text: str, fmt: str = "json") -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, fmt=fmt, source=f"cat.{fmt}")
    return [str(p) for p in info.value.problems]


def problems(text: str) -> list[str]:
    return [str(p) for p in validate(parse_catalog(text, fmt="json", source="cat.json"))
            if p.severity == "error"]


# -- the model ------------------------------------------------------------------------------------
def test_calendars_are_held_sorted_by_start_then_name_once_each() -> None:
    a, b, c = Term("T2", "2027-07-05", "2027-10-15"), Term("T1", "2027-02-22", "2027-06-11"), \
        Term("S1", "2027-02-22", "2027-06-18")
    assert Catalog(calendar=(a, b, c, a)).calendar == (c, b, a)
    assert Provider("p", calendar=(a, b)).calendar == (b, a)
    assert Term("T1", "2027-02-22", "2027-06-11").term == "T1"  # (term, start, end)


# -- JSON and CSV -----------------------------------------------------------------------------
def test_json_reads_and_writes_every_calendar_fact() -> None:
    text = doc([{"id": "MC-A", "provider": "north", "intakes": ["S1", "2027-03-01", "S1",
                                                                  "any-week"],
                 "duration_weeks": 7.5}],
               calendar=[T2, T1],
               providers=[{"id": "north", "calendar": [{"term": "S1", "start": "2027-02-15",
                                                        "end": "2027-06-18"}]}])
    c = parse_catalog(text, fmt="json")
    assert c.calendar == (Term("T1", "2027-02-22", "2027-06-11"),
                          Term("T2", "2027-07-05", "2027-10-15"))
    assert c.providers[0].calendar == (Term("S1", "2027-02-15", "2027-06-18"),)
    assert c.credentials[0].intakes == ("S1", "2027-03-01", "any-week")  # once each, as read
    assert c.credentials[0].duration_weeks == 7.5
    written = json.loads(dump_catalog(c, "json"))
    assert written["calendar"] == [T1, T2]
    assert list(written) == ["format", "version", "framework", "calendar", "providers",
                             "credentials", "stacking"]
    assert written["credentials"][0]["intakes"] == ["S1", "2027-03-01", "any-week"]
    assert parse_catalog(dump_catalog(c, "csv"), fmt="csv") == c
    assert parse_catalog(dump_catalog(c, "json"), fmt="json") == c


def test_csv_calendar_rows_and_columns() -> None:
    text = ("#term,T1,2027-02-22,2027-06-11\r\n#term,S1,2027-02-15,2027-06-18,north\r\n"
            "id,title,kind,level,credits,provider,intakes,duration_weeks\r\n"
            "MC-A,A,micro-credential,5,15,north,S1; 2027-03-01,16\r\n")
    c = parse_catalog(text, fmt="csv")
    assert c.calendar == (Term("T1", "2027-02-22", "2027-06-11"),)
    assert c.providers == [Provider("north", calendar=(Term("S1", "2027-02-15", "2027-06-18"),))]
    assert c.credentials[0].intakes == ("S1", "2027-03-01")
    assert c.credentials[0].duration_weeks == 16
    assert dump_catalog(c, "csv") == text


@pytest.mark.parametrize(("calendar", "expected"), [
    ("[1]", 'cat.json:$.calendar[0]: must be a term object, e.g. {"term": "T1", '
            '"start": "2027-02-22", "end": "2027-06-11"}; got 1'),
    ('[{"term": "T1", "start": "2027-02-30", "end": "2027-06-11"}]',
     'cat.json:$.calendar[0].start: "2027-02-30" is not a calendar date (write YYYY-MM-DD, '
     'e.g. 2027-06-30)'),
    ('[{"term": "T1", "start": "2027-02-22"}]', 'cat.json:$.calendar[0]: missing required '
                                                'key "end"'),
    ('{"T1": 1}', 'cat.json:$.calendar: must be a list of terms, e.g. [{"term": "T1", "start": '
                  '"2027-02-22", "end": "2027-06-11"}]; got an object'),
])
def test_json_calendar_shape_errors(calendar: str, expected: str) -> None:
    assert errors(f'{{{HEAD}, "calendar": {calendar}}}') == [expected]


@pytest.mark.parametrize(("intakes", "expected"), [
    ('["2027-02-30"]', 'cat.json:$.credentials[0].intakes[0]: "2027-02-30" is not a calendar '
                       'date; write an ISO date such as 2027-02-01, a term name such as "T1", '
                       'or "any-week"'),
    ('[""]', 'cat.json:$.credentials[0].intakes[0]: must not be empty'),
    ('" T1"', 'cat.json:$.credentials[0].intakes: must be a list; got " T1" (text)'),
    ('[" T1"]', 'cat.json:$.credentials[0].intakes[0]: " T1" has spaces around it; write an '
                'ISO date such as 2027-02-01, a term name such as "T1", or "any-week"'),
])
def test_json_intake_shape_errors(intakes: str, expected: str) -> None:
    text = (f'{{{HEAD}, "credentials": [{{"id": "A", "title": "A", "kind": "course", '
            f'"credits": 15, "intakes": {intakes}}}]}}')
    assert errors(text) == [expected]


def test_csv_calendar_errors_name_the_line() -> None:
    assert errors("#term,T1,2027-02-22\nid,title,kind,credits\n", "csv") == [
        'cat.csv:1: #term needs a name, a start and an end; write "#term,T1,2027-02-22,'
        '2027-06-11" (name, start, end) and, for a provider\'s own calendar, its id after the '
        'end: "...,2027-06-11,north"']
    assert errors("#term,T1,2027-13-01,2027-06-11\nid,title,kind,credits\n", "csv") == [
        'cat.csv:1: #term start: "2027-13-01" is not a calendar date (write YYYY-MM-DD, e.g. '
        '2027-06-30)']
    assert errors("#term,T1,2027-02-22,2027-06-11,nobody\nid,title,kind,credits\n", "csv") == [
        'cat.csv:1: #term: no provider "nobody" in the catalog; add a "#provider,nobody,NAME" '
        'row above']
    assert errors("id,title,kind,credits,intakes\nA,A,course,15,T1; 2027-02-30\n", "csv") == [
        'cat.csv:2: column intakes: "2027-02-30" is not a calendar date; write an ISO date '
        'such as 2027-02-01, a term name such as "T1", or "any-week"']


# -- validation ---------------------------------------------------------------------------------
def test_unknown_terms_name_the_credential_and_the_calendars() -> None:
    text = doc([{"id": "MC-X", "provider": "north", "intakes": ["T4", "S1", "T1"]},
                {"id": "MC-Y", "intakes": ["S1"]}],
               calendar=[T1], providers=[{"id": "north", "calendar": [
                   {"term": "S1", "start": "2027-02-15", "end": "2027-06-18"}]}])
    assert problems(text) == [
        'cat.json:$.credentials[0].intakes: MC-X intakes: no term "T4" in the calendar of '
        "provider north or the catalog's; add it to a calendar or correct the name",
        'cat.json:$.credentials[1].intakes: MC-Y intakes: no term "S1" in the catalog\'s '
        "calendar; add it to a calendar or correct the name"]


def test_terms_ending_before_they_start_and_bad_durations() -> None:
    text = doc([{"id": "MC-X", "duration_weeks": 0}],
               calendar=[{"term": "T1", "start": "2027-06-11", "end": "2027-02-22"}],
               providers=[{"id": "p", "calendar": [{"term": "2027-01-01", "start": "2027-02-15",
                                                    "end": "2027-06-18"}]}])
    assert problems(text) == [
        "cat.json: the catalog's calendar: term T1: ends 2027-02-22, before it starts "
        "2027-06-11; swap or correct the dates",
        'cat.json:$.credentials[0].duration_weeks: MC-X: duration_weeks 0 must be more than 0 '
        "and at most 520; give its length in weeks",
        "cat.json:$.providers[0].calendar: provider p's calendar: \"2027-01-01\" cannot name a "
        'term (it reads as an intake date or "any-week")']


def test_a_catalog_built_in_code_is_checked_too() -> None:
    c = Catalog(credentials=[Credential("A", "A", "course", 15, level=5,
                                        intakes=("2027-02-31",))], framework="generic")
    assert [p.message for p in validate(c) if p.severity == "error"] == [
        'A intakes: "2027-02-31" is not a calendar date; write an ISO date such as '
        '2027-02-01, a term name such as "T1", or "any-week"']


# -- date logic -------------------------------------------------------------------------------
def test_intake_starts_resolve_terms_dates_and_any_week() -> None:
    own = (Term("T1", "2027-02-15", "2027-06-18"),)
    cat = (Term("T1", "2027-02-22", "2027-06-11"), Term("T2", "2027-07-05", "2027-10-15"),
           Term("T1", "2028-02-21", "2028-06-09"))
    c = Credential("A", "A", "course", 15, intakes=("T2", "T1", "2027-03-03"))
    starts = intake_starts(c, (), cat, date(2027, 1, 1), date(2028, 12, 31))
    assert starts == [Start(date(2027, 2, 22), date(2027, 6, 11), "T1"),
                      Start(date(2027, 3, 3)),
                      Start(date(2027, 7, 5), date(2027, 10, 15), "T2"),
                      Start(date(2028, 2, 21), date(2028, 6, 9), "T1")]
    # The provider's own T1 wins over the catalog's.
    assert intake_starts(c, own, cat, date(2027, 1, 1), date(2027, 6, 30))[0] == \
        Start(date(2027, 2, 15), date(2027, 6, 18), "T1")
    weekly = intake_starts(Credential("B", "B", "course", 15), (), (), date(2027, 2, 3),
                           date(2027, 2, 28))
    assert [s.day for s in weekly] == [date(2027, 2, 8), date(2027, 2, 15), date(2027, 2, 22)]


def test_durations() -> None:
    c = Credential("A", "A", "course", 15)  # 150 hours
    assert duration_weeks(c, Start(date(2027, 2, 1)), 15) == 10
    assert duration_weeks(c, Start(date(2027, 2, 1)), None) == 4  # 150 h at 40 h a week
    term = Start(date(2027, 2, 22), date(2027, 6, 11), "T1")
    assert duration_weeks(c, term, 15) == 16  # to the term's end
    assert duration_weeks(Credential("A", "A", "course", 15, duration_weeks=7.5), term, 15) == 8


def test_calendar_of_puts_the_providers_terms_first() -> None:
    own, cat = (Term("S1", "2027-02-15", "2027-06-18"),), (Term("T1", "2027-02-22", "2027-06-11"),)
    c = Catalog(providers=[Provider("p", calendar=own)],
                credentials=[Credential("A", "A", "course", 15, provider="p")], calendar=cat)
    assert calendar_of(c, c.credentials[0]) == own + cat


# -- the store ----------------------------------------------------------------------------------
def _calendar_catalog() -> Catalog:
    return parse_catalog(doc(
        [{"id": "MC-A", "provider": "north", "intakes": ["S1", "any-week"],
          "duration_weeks": 12}, {"id": "MC-B", "intakes": ["T1"]}],
        calendar=[T1, T2], providers=[{"id": "north", "name": "North", "calendar": [
            {"term": "S1", "start": "2027-02-15", "end": "2027-06-18"}]}]), fmt="json")


def test_the_store_keeps_calendars_and_merges_them() -> None:
    engine = store.connect("sqlite://")
    try:
        catalog = _calendar_catalog()
        store.save_catalog(engine, catalog)
        assert store.load_catalog(engine) == catalog
        assert store.load_upstream(engine, ["MC-A"]).providers == catalog.providers
        incoming = Catalog(providers=[Provider("north", "North", calendar=(
            Term("S2", "2027-07-12", "2027-11-05"),))],
            calendar=(Term("T3", "2027-10-25", "2028-02-11"),))
        store.save_catalog(engine, incoming, mode="merge")
        merged = store.load_catalog(engine)
        assert merged == store.merge_catalogs(catalog, incoming)
        assert merged.calendar == incoming.calendar
        assert merged.providers[0].calendar == incoming.providers[0].calendar
    finally:
        engine.dispose()


def _make_version_2(path: Path) -> None:
    engine = store.connect(str(path))
    store.save_catalog(engine, replace_calendar_free(_calendar_catalog()))
    engine.dispose()
    con = sqlite3.connect(path)
    con.executescript("DROP TABLE credential_intakes; DROP TABLE calendar_terms;"
                      "ALTER TABLE credentials DROP COLUMN duration_weeks;"
                      "UPDATE meta SET value = '2' WHERE key = 'schema_version';")
    con.close()


def replace_calendar_free(c: Catalog) -> Catalog:
    from dataclasses import replace

    return Catalog(providers=[Provider(p.id, p.name) for p in c.providers],
                   credentials=[replace(x, intakes=(), duration_weeks=None)
                                for x in c.credentials])


def test_a_version_2_database_is_upgraded_once_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    _make_version_2(path)
    with pytest.warns(Notice, match=r"v2\.db: upgraded the database from schema version 2 to 3 "
                                    r"\(calendars, intakes, duration_weeks\)"):
        reader = store.open_reader(str(path))
    assert store.load_catalog(reader) == replace_calendar_free(_calendar_catalog())
    engine = store.connect(str(path))
    store.save_catalog(engine, _calendar_catalog(), mode="replace")
    assert store.load_catalog(engine) == _calendar_catalog()
    engine.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Notice)  # said once: not again
        store.connect(str(path)).dispose()


def test_a_failed_upgrade_from_2_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    _make_version_2(path)
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE credentials ADD COLUMN duration_weeks REAL")  # adding it fails
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        store.connect(str(path))
    assert str(info.value).startswith(f"{path}: cannot upgrade the database from schema 2 to 3")
    assert str(info.value).endswith("; it was left as it was")
    assert path.read_bytes() == before
