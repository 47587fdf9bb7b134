"""The database store: lossless round trips, the three save modes, atomicity, refusals,
foreign keys, the upstream query and the filtered lookup."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from pathways import store
from pathways.catalog import (
    DELIVERY_MODES,
    FRAMEWORKS,
    KINDS,
    QUALIFICATION_TYPES,
    STATUSES,
    Catalog,
    Credential,
    Provider,
    Stacking,
    Term,
    to_graph,
)
from pathways.errors import StoreError


# -- catalogs ----------------------------------------------------------------------------------
def worked() -> Catalog:
    """The worked example of semantics.md."""
    return Catalog(
        providers=[Provider("north", "North Polytechnic"),
                   Provider("south", "Southern Institute of Technology")],
        credentials=[
            Credential("MC-CLOUD", "Cloud fundamentals", "micro-credential", 15, level=4,
                       provider="north", fee=900),
            Credential("MC-NETSEC", "Network security basics", "micro-credential", 20,
                       level=4, provider="north", fee=1280),
            Credential("MC-PYDATA", "Python for data work", "micro-credential", 10, level=5,
                       provider="south", fee=640),
            Credential("CERT-IT4", "Certificate in IT Essentials (Level 4)", "qualification",
                       60, level=4, type="certificate", provider="north", fee=3000,
                       max_recognised=40),
            Credential("DIP-IT5", "Diploma in IT Technical Support (Level 5)",
                       "qualification", 120, level=5, type="diploma", provider="south",
                       fee=9600, max_recognised=60, level_profile=((5, 72),),
                       requires=(("CERT-IT4", "MC-NETSEC"),)),
        ],
        stacking=[Stacking("MC-CLOUD", "CERT-IT4", 15), Stacking("MC-NETSEC", "CERT-IT4", 20),
                  Stacking("MC-NETSEC", "DIP-IT5", 20), Stacking("CERT-IT4", "DIP-IT5", 45),
                  Stacking("MC-PYDATA", "DIP-IT5", 10)],
    )


def full() -> Catalog:
    """Every field set somewhere, None next to defaults, macrons, nothing sorted by id."""
    return Catalog(
        providers=[
            Provider("tp", "Te Pūkenga", source="c.json:$.providers[0]"),
            Provider("awa", "Te Wānanga o Aotearoa", source="c.json:$.providers[1]"),
            Provider("empty"),
        ],
        credentials=[
            Credential(
                "Z-DIP", "Diploma in Mātauranga Māori (Level 6)", "qualification", 120,
                level=6, type="diploma", provider="awa", fee=9600.5, hours=1150.25,
                delivery=("workplace", "online", "blended"), status="expiring",
                review_due="2027-06-30", field="Mātauranga Māori",
                skills=("te reo", "tikanga", "karakia", "te reo"),
                requires=(("B-CERT", "A-MC"), ("C-MC",), ("GONE-ELSEWHERE", "A-MC")),
                max_recognised=60, core=("B-CERT", "A-MC"), level_profile=((5, 80), (6, 40)),
                term=3, source="c.json:$.credentials[0]"),
            Credential("B-CERT", "Certificate in wānanga studies", "qualification", 60,
                       level=4, type="certificate", provider="tp", fee=0, hours=0,
                       status="current", field="", max_recognised=0, term=0,
                       level_profile=((4, 0),)),
            Credential("A-MC", "Kaitiakitanga micro-credential", "micro-credential", 5,
                       level=3, provider="tp", fee=None, hours=None,
                       corequisites=("C-MC", "B-CERT"), strict_corequisites=("B-CERT",)),
            Credential("C-MC", "Course with nothing", "course", 0),
            Credential("D-EMPTYCLAUSE", "Empty clause kept", "course", 3,
                       requires=((), ("A-MC",)), provider="empty"),
        ],
        stacking=[Stacking("B-CERT", "Z-DIP", 45, where="c.json:$.stacking[0]"),
                  Stacking("A-MC", "B-CERT", 5), Stacking("A-MC", "Z-DIP", 5),
                  Stacking("C-MC", "A-MC", 1)],
        framework="generic",
        name="",
        system_type="quarter",
        meta={"zeta": "last?", "alpha": "Ā", "empty": ""},
    )


def number_type(x: float | None) -> type | None:
    """Whole fees and hours come back as int (as JSON writes them), others as float."""
    if x is None:
        return None
    return int if float(x).is_integer() else float


def fingerprint(catalog: Catalog) -> Any:
    """Everything, sources and number types included (== ignores both)."""
    creds = [(c, c.source, number_type(c.fee), number_type(c.hours),
              number_type(c.duration_weeks))
             for c in catalog.credentials]
    return (catalog, list(catalog.meta.items()), [(p, p.source) for p in catalog.providers],
            creds, [(e, e.where) for e in catalog.stacking])


POSTGRES_URL = os.environ.get("PATHWAYS_TEST_POSTGRES_URL")


def drop_tables(url: str) -> None:
    raw = create_engine(url)
    SQLModel.metadata.drop_all(raw, tables=list(store.TABLES))
    raw.dispose()


def postgres_url() -> str:
    """The PostgreSQL database of the tests, or a skip saying how to give one."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL: set PATHWAYS_TEST_POSTGRES_URL to a database whose "
                    "pathways tables may be dropped (.ci/run starts one)")
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An empty database: in-memory SQLite, and PostgreSQL where
    PATHWAYS_TEST_POSTGRES_URL names a database whose pathways tables may be dropped."""
    url = "sqlite://" if request.param == "sqlite" else postgres_url()
    if url != "sqlite://":
        drop_tables(url)
    e = store.connect(url)
    yield e
    e.dispose()
    if url != "sqlite://":
        drop_tables(url)


def label(e: Engine) -> str:
    return "sqlite://" if e.dialect.name == "sqlite" else e.url.render_as_string()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "catalog.db")


def content(e: Engine) -> Any:
    return fingerprint(store.load_catalog(e)), store.row_counts(e)


# -- round trips -----------------------------------------------------------------------------
@pytest.mark.parametrize("make", [worked, full, Catalog])
def test_round_trip_is_lossless(engine: Engine, make: Any) -> None:
    catalog = make()
    store.save_catalog(engine, catalog)
    assert fingerprint(store.load_catalog(engine)) == fingerprint(catalog)


def test_round_trip_keeps_types_and_order_field_by_field(engine: Engine) -> None:
    store.save_catalog(engine, full())
    back = store.load_catalog(engine)
    assert [c.id for c in back] == ["Z-DIP", "B-CERT", "A-MC", "C-MC", "D-EMPTYCLAUSE"]
    assert [p.id for p in back.providers] == ["tp", "awa", "empty"]
    assert [(e.source, e.target) for e in back.stacking] == [
        ("B-CERT", "Z-DIP"), ("A-MC", "B-CERT"), ("A-MC", "Z-DIP"), ("C-MC", "A-MC")]
    dip, cert, mc, course, odd = back.credentials
    assert dip.fee == 9600.5 and dip.hours == 1150.25
    assert cert.fee == 0 and isinstance(cert.fee, int) and cert.hours == 0
    assert mc.fee is None and mc.hours is None and mc.status is None
    assert cert.field == "" and dip.field == "Mātauranga Māori"
    assert course.level is None and course.max_recognised is None and course.term is None
    assert cert.max_recognised == 0 and cert.term == 0
    assert dip.skills == ("te reo", "tikanga", "karakia", "te reo")
    assert dip.delivery == ("workplace", "online", "blended")
    assert dip.requires[0] == ("B-CERT", "A-MC")
    assert odd.requires == ((), ("A-MC",))
    assert mc.corequisites == ("C-MC", "B-CERT") and mc.strict_corequisites == ("B-CERT",)
    assert back.name == "" and back.system_type == "quarter" and back.framework == "generic"
    assert list(back.meta) == ["zeta", "alpha", "empty"]
    assert back.providers[2].name == "" and back.providers[0].source == "c.json:$.providers[0]"


def test_round_trip_through_a_file(db_path: str) -> None:
    e = store.connect(db_path)
    store.save_catalog(e, full())
    e.dispose()
    again = store.connect(db_path)
    assert fingerprint(store.load_catalog(again)) == fingerprint(full())
    assert store.load_catalog(again).source == db_path
    again.dispose()


def test_unlisted_provider_survives_without_appearing(engine: Engine) -> None:
    catalog = replace(worked(), providers=[Provider("north", "North Polytechnic")])
    store.save_catalog(engine, catalog)
    assert store.load_catalog(engine) == catalog
    assert store.row_counts(engine)["providers"] == 2  # "south" is kept for the foreign key


# -- generated catalogs -----------------------------------------------------------------------
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
IDS = st.lists(st.text("ABCāēīōū-0123456789", min_size=1, max_size=4), unique=True,
               max_size=8)
SMALL = st.integers(-5, 400)
CALENDAR = st.lists(st.builds(Term, TEXT, TEXT, TEXT), max_size=3).map(tuple)
MONEY = st.none() | st.integers(0, 10**9) | st.floats(-1e9, 1e12, allow_nan=False)


@st.composite
def catalogs(draw: Any, ids: list[str] | None = None,
             provider_ids: list[str] | None = None) -> Catalog:
    """A catalog with every field drawn (not necessarily valid: the store keeps anything
    its keys allow); stacking edges join its own credentials, as the foreign keys ask."""
    cids = draw(IDS) if ids is None else draw(st.lists(st.sampled_from(ids), unique=True)
                                              if ids else st.just([]))
    pool = provider_ids or ["p1", "p2", "Ōtaki"]
    pids = draw(st.lists(st.sampled_from(pool), unique=True))
    some_id = st.sampled_from(cids + ["ELSEWHERE"])
    creds = []
    for cid in cids:
        creds.append(Credential(
            id=cid, title=draw(TEXT), kind=draw(st.sampled_from(KINDS)),
            credits=draw(SMALL), level=draw(st.none() | SMALL),
            type=draw(st.none() | st.sampled_from(QUALIFICATION_TYPES)),
            provider=draw(st.none() | st.sampled_from(pool)),  # listed or not
            fee=draw(MONEY), hours=draw(MONEY),
            delivery=tuple(draw(st.lists(st.sampled_from(DELIVERY_MODES), max_size=3))),
            status=draw(st.none() | st.sampled_from(STATUSES)),
            review_due=draw(st.none() | st.just("2026-01-31") | TEXT),
            field=draw(st.none() | TEXT), skills=tuple(draw(st.lists(TEXT, max_size=3))),
            requires=tuple(tuple(c) for c in draw(
                st.lists(st.lists(some_id, max_size=3), max_size=3))),
            max_recognised=draw(st.none() | SMALL),
            core=tuple(draw(st.lists(some_id, max_size=2))),
            level_profile=tuple(sorted(draw(st.dictionaries(SMALL, SMALL, max_size=2))
                                       .items())),
            corequisites=tuple(draw(st.lists(some_id, max_size=2))),
            strict_corequisites=tuple(draw(st.lists(some_id, max_size=2))),
            term=draw(st.none() | SMALL), source=draw(st.none() | TEXT),
            intakes=tuple(draw(st.lists(TEXT, max_size=3, unique=True))),
            duration_weeks=draw(st.none() | SMALL)))
    pairs = draw(st.lists(st.tuples(st.sampled_from(cids), st.sampled_from(cids)),
                          unique=True, max_size=12)) if cids else []
    return Catalog(
        providers=[Provider(p, draw(TEXT), source=draw(st.none() | TEXT),
                            calendar=draw(CALENDAR)) for p in pids],
        calendar=draw(CALENDAR),
        credentials=creds,
        stacking=[Stacking(s, t, draw(SMALL), where=draw(st.none() | TEXT)) for s, t in pairs],
        framework=draw(st.sampled_from(FRAMEWORKS)), name=draw(st.none() | TEXT),
        system_type=draw(st.none() | st.sampled_from(["semester", "quarter"])),
        meta=draw(st.dictionaries(TEXT, TEXT, max_size=3)))


@pytest.mark.slow
@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_save_then_load_is_the_identity(catalog: Catalog) -> None:
    e = store.connect("sqlite://")
    try:
        store.save_catalog(e, catalog)
        assert fingerprint(store.load_catalog(e)) == fingerprint(catalog)
    finally:
        e.dispose()


POOL = ["A", "B", "C", "D", "E", "F", "Ā"]


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_merge_stores_what_merged_catalog_predicts(data: st.DataObject) -> None:
    stored = data.draw(catalogs(POOL, ["p1", "p2", "p3"]))
    incoming = data.draw(catalogs(POOL, ["p2", "p3", "p4"]))
    # The catalog's edges may also join its credentials to stored ones.
    both = sorted({c.id for c in stored} | {c.id for c in incoming})
    if both:
        mine = {(e.source, e.target) for e in incoming.stacking}
        extra = data.draw(st.lists(st.tuples(st.sampled_from(both), st.sampled_from(both)),
                                   unique=True, max_size=4))
        incoming.stacking += [Stacking(s, t, 1) for s, t in extra if (s, t) not in mine]
    e = store.connect("sqlite://")
    try:
        store.save_catalog(e, stored)
        expected = store.merged_catalog(e, incoming)
        store.save_catalog(e, incoming, mode="merge")
        assert fingerprint(store.load_catalog(e)) == fingerprint(expected)
    finally:
        e.dispose()


# -- modes -------------------------------------------------------------------------------------
def test_new_refuses_a_database_that_holds_a_catalog(db_path: str) -> None:
    e = store.connect(db_path)
    store.save_catalog(e, worked())
    with pytest.raises(StoreError) as info:
        store.save_catalog(e, full())
    assert str(info.value) == (f"{db_path} already holds 5 credentials; save with "
                               "mode='replace' to replace them or mode='merge' to add to them")
    assert store.load_catalog(e) == worked()


def test_new_refuses_providers_without_credentials(engine: Engine) -> None:
    store.save_catalog(engine, Catalog(providers=[Provider("a"), Provider("b")]))
    assert not store.is_empty(engine)
    with pytest.raises(StoreError) as info:
        store.save_catalog(engine, worked())
    assert str(info.value) == (f"{label(engine)} already holds 2 providers; save with "
                               "mode='replace' to replace them or mode='merge' to add to them")


def test_replace_drops_everything_stored(engine: Engine) -> None:
    store.save_catalog(engine, full())
    counts = store.save_catalog(engine, worked(), mode="replace")
    assert store.load_catalog(engine) == worked()
    assert counts["credentials"] == 5 and counts["stacking"] == 5 and counts["skills"] == 0
    rows = store.row_counts(engine)
    assert rows["skills"] == 0 and rows["corequisites"] == 0 and rows["providers"] == 2
    assert {k: rows[k] for k in ("credentials", "stacking", "requirements")} == {
        "credentials": 5, "stacking": 5, "requirements": 2}


def test_merge_replaces_by_id_and_keeps_the_rest(engine: Engine) -> None:
    store.save_catalog(engine, worked())
    new_dip = Credential("DIP-IT5", "Diploma, revised", "qualification", 120, level=5,
                         type="diploma", provider="east", fee=9000, skills=("support",))
    incoming = Catalog(
        providers=[Provider("south", "Southern, renamed"), Provider("east", "East Coast")],
        credentials=[Credential("MC-AI", "AI basics", "micro-credential", 10, level=5,
                                provider="east", fee=500), new_dip],
        stacking=[Stacking("MC-AI", "DIP-IT5", 10), Stacking("MC-CLOUD", "DIP-IT5", 15),
                  Stacking("MC-CLOUD", "CERT-IT4", 10), Stacking("MC-AI", "CERT-IT4", 5)],
        meta={"owner": "east"})
    expected = store.merged_catalog(engine, incoming)
    counts = store.save_catalog(engine, incoming, mode="merge")
    back = store.load_catalog(engine)
    assert back == expected
    assert counts["credentials"] == 2 and counts["stacking"] == 4
    assert [c.id for c in back] == ["MC-CLOUD", "MC-NETSEC", "MC-PYDATA", "CERT-IT4",
                                    "DIP-IT5", "MC-AI"]
    assert back.index()["DIP-IT5"] == new_dip  # requires and level profile went with it
    assert [(p.id, p.name) for p in back.providers] == [
        ("north", "North Polytechnic"), ("south", "Southern, renamed"), ("east", "East Coast")]
    # Edges into DIP-IT5 are the file's; MC-CLOUD -> CERT-IT4 takes the file's credits.
    assert [(e.source, e.target, e.credits) for e in back.stacking] == [
        ("MC-NETSEC", "CERT-IT4", 20), ("MC-AI", "DIP-IT5", 10), ("MC-CLOUD", "DIP-IT5", 15),
        ("MC-CLOUD", "CERT-IT4", 10), ("MC-AI", "CERT-IT4", 5)]
    assert back.meta == {"owner": "east"} and back.framework == "nzqf"
    assert store.row_counts(engine)["requirements"] == 0


def test_merge_lists_a_provider_that_was_only_named(engine: Engine) -> None:
    stored = Catalog(providers=[Provider("a", "A")],
                     credentials=[Credential("X", "X", "course", 1, provider="a"),
                                  Credential("Y", "Y", "course", 1, provider="hidden")])
    store.save_catalog(engine, stored)
    incoming = Catalog(providers=[Provider("new", "New"), Provider("hidden", "Now listed")])
    expected = store.merged_catalog(engine, incoming)
    store.save_catalog(engine, incoming, mode="merge")
    assert [p.id for p in expected.providers] == ["a", "new", "hidden"]
    assert fingerprint(store.load_catalog(engine)) == fingerprint(expected)


def test_merge_into_an_empty_database_stores_the_file(engine: Engine) -> None:
    store.save_catalog(engine, full(), mode="merge")
    assert fingerprint(store.load_catalog(engine)) == fingerprint(full())


def test_unknown_mode_is_a_programming_error(engine: Engine) -> None:
    with pytest.raises(ValueError, match="mode must be one of new, replace, merge"):
        store.save_catalog(engine, worked(), mode="append")


# -- atomicity ---------------------------------------------------------------------------------
def broken() -> Catalog:
    """A catalog whose last stacking edge names an unknown credential."""
    catalog = full()
    return replace(catalog, stacking=[*catalog.stacking, Stacking("A-MC", "NOWHERE", 5)])


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_failing_write_leaves_the_database_as_it_was(db_path: str, mode: str) -> None:
    e = store.connect(db_path)
    store.save_catalog(e, worked())
    before = content(e)
    statements: list[str] = []
    event.listen(e, "before_cursor_execute",
                 lambda *args: statements.append(args[2].split("(")[0].strip()))
    with pytest.raises(StoreError) as info:
        store.save_catalog(e, broken(), mode=mode)
    assert str(info.value) == (f"{db_path}: cannot save the catalog: stacking edge A-MC -> "
                               "NOWHERE names unknown credential NOWHERE; nothing was written")
    # It failed half-way: credentials had been written when the edge was refused.
    assert "INSERT INTO credentials" in statements
    assert "INSERT INTO stacking" in statements
    e.dispose()
    e = store.connect(db_path)
    assert content(e) == before


def test_a_failing_first_import_leaves_the_database_empty(engine: Engine) -> None:
    before = store.row_counts(engine)
    with pytest.raises(StoreError, match="stacking edge A-MC -> NOWHERE"):
        store.save_catalog(engine, broken())
    assert store.row_counts(engine) == before and store.is_empty(engine)


def test_duplicate_ids_are_named(engine: Engine) -> None:
    catalog = worked()
    catalog.credentials.append(catalog.credentials[0])
    with pytest.raises(StoreError) as info:
        store.save_catalog(engine, catalog)
    assert str(info.value) == (f"{label(engine)}: cannot save the catalog: credential "
                               "MC-CLOUD appears twice; nothing was written")
    assert store.is_empty(engine)


# -- opening -----------------------------------------------------------------------------------
def test_a_new_file_gets_the_schema(db_path: str) -> None:
    e = store.connect(db_path)
    assert store.is_empty(e)
    assert set(store.row_counts(e)) == {t.name for t in store.TABLES}
    e.dispose()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key='schema_version'").fetchall() == [
            (str(store.SCHEMA_VERSION),)]


def test_a_url_works_like_a_path(tmp_path: Path) -> None:
    e = store.connect(f"sqlite:///{tmp_path / 'u.db'}")
    store.save_catalog(e, worked())
    e.dispose()
    assert store.load_catalog(store.connect(str(tmp_path / "u.db"))) == worked()


def test_a_newer_schema_is_refused_untouched(db_path: str) -> None:
    store.connect(db_path).dispose()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE meta SET value='7' WHERE key='schema_version'")
    raw.close()
    before = Path(db_path).read_bytes()
    with pytest.raises(StoreError) as info:
        store.connect(db_path)
    assert str(info.value) == (f"{db_path}: written by a newer version of pathways (schema 7, "
                               "this one reads up to 3); upgrade pathways")
    assert Path(db_path).read_bytes() == before


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("credentials, but not a database\n" * 100)
    with pytest.raises(StoreError) as info:
        store.connect(str(path))
    assert str(info.value) == (f"{path}: not a database (file is not a database); give a "
                               "pathways database or a new file name")
    assert path.read_text() == "credentials, but not a database\n" * 100


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE songs (title TEXT)")
    raw.close()
    with pytest.raises(StoreError) as info:
        store.connect(str(path))
    assert str(info.value) == (f"{path}: a database of another program (it has tables but "
                               "not pathways' meta table); give a pathways database or a new "
                               "file name")


def test_an_unopenable_path_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir.db"
    with pytest.raises(StoreError) as info:
        store.connect(str(path))
    assert str(info.value) == f"{path}: cannot open the database (unable to open database file)"


def test_a_missing_driver_is_one_line() -> None:
    with pytest.raises(StoreError) as info:
        store.connect("nosuchdb://user:secret@host/db")
    message = str(info.value)
    assert message.startswith("nosuchdb://user:***@host/db: cannot open the database")
    assert "secret" not in message and "\n" not in message


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    store.save_catalog(engine, worked())
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    for sql in ("INSERT INTO stacking (source_id, target_id, credits, position) "
                "VALUES ('MC-CLOUD', 'NOWHERE', 1, 99)",
                "INSERT INTO skills (credential_id, position, skill) VALUES ('NOWHERE', 0, 'x')",
                "UPDATE credentials SET provider = 'nobody' WHERE id = 'MC-CLOUD'",
                "DELETE FROM credentials WHERE id = 'CERT-IT4'"):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(sql))
    assert store.load_catalog(engine) == worked()


# -- upstream ----------------------------------------------------------------------------------
def random_catalog(rng: random.Random, n: int) -> Catalog:
    """A random layered catalog: stacking, requirement and co-requisite edges go upwards."""
    ids = [f"C{i:03d}" for i in range(n)]
    rng.shuffle(ids)  # catalog order is not id order
    creds = []
    edges: dict[tuple[str, str], int] = {}
    for i, cid in enumerate(ids):

        def pick(k: int, below: list[str] = ids[:i]) -> list[str]:
            return rng.sample(below, min(k, len(below)))

        clauses = tuple(tuple(pick(rng.randint(1, 2))) for _ in range(rng.randint(0, 1)))
        creds.append(Credential(
            cid, f"Credential {cid}", rng.choice(KINDS), rng.randint(5, 120),
            level=rng.randint(2, 8), provider=rng.choice(["p1", "p2", "p3"]),
            requires=tuple(c for c in clauses if c) + ((("OUTSIDE",),) if i % 17 == 0 else ()),
            corequisites=tuple(pick(rng.randint(0, 1) if i % 5 == 0 else 0)),
            strict_corequisites=tuple(pick(1 if i % 11 == 0 else 0))))
        for src in pick(rng.randint(0, 2)):
            edges[(src, cid)] = rng.randint(1, 5)
    return Catalog(
        providers=[Provider("p3", "Three"), Provider("p1", "One"), Provider("p2", "Two")],
        credentials=creds, stacking=[Stacking(s, t, r) for (s, t), r in edges.items()],
        name="random", meta={"seed": "x"})


@pytest.mark.parametrize("seed", range(4))
def test_upstream_is_exactly_the_ancestors(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng, 120)
    store.save_catalog(engine, catalog)
    graph = to_graph(catalog)
    for _ in range(15):
        ids = rng.sample([c.id for c in catalog], rng.randint(1, 3)) + ["UNKNOWN"]
        expected = set().union(*(nx.ancestors(graph, i) | {i} for i in ids if i in graph))
        up = store.load_upstream(engine, ids)
        assert {c.id for c in up} == expected
        assert fingerprint(up) == fingerprint(catalog.subset(expected))


def test_upstream_of_nothing_known_is_empty(engine: Engine) -> None:
    store.save_catalog(engine, worked())
    up = store.load_upstream(engine, ["NOPE"])
    assert up.credentials == [] and up.stacking == [] and up.providers == []
    assert store.load_upstream(engine, []).credentials == []


def test_upstream_follows_requirements_and_corequisites(engine: Engine) -> None:
    store.save_catalog(engine, full())
    assert [c.id for c in store.load_upstream(engine, ["D-EMPTYCLAUSE"])] == [
        "B-CERT", "A-MC", "C-MC", "D-EMPTYCLAUSE"]
    up = store.load_upstream(engine, ["B-CERT"])
    assert [c.id for c in up] == ["B-CERT", "A-MC", "C-MC"]
    assert [p.id for p in up.providers] == ["tp"]
    assert up.name == "" and up.meta == full().meta


def test_upstream_probes_indexes_instead_of_scanning(engine: Engine) -> None:
    """The recursive step looks edges up by index, so cost follows the upstream part."""
    if engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    sql = store.parts.upstream_sql(engine.dialect.name).replace(":seeds", "('X')")
    with engine.connect() as conn:
        plan = " | ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    for alias, table in (("s", "stacking"), ("r", "requirements"), ("q", "corequisites")):
        assert f"SCAN {table}" not in plan and f"SEARCH {alias} USING " in plan


# -- lookups -----------------------------------------------------------------------------------
def ids_of(creds: list[Credential]) -> list[str]:
    return [c.id for c in creds]


def test_find_credentials_filters(engine: Engine) -> None:
    store.save_catalog(engine, full())
    store.save_catalog(engine, worked(), mode="merge")
    find = lambda **kw: ids_of(store.find_credentials(engine, **kw))  # noqa: E731
    assert find() == sorted(c.id for c in [*full(), *worked()])
    assert find(kind="qualification") == ["B-CERT", "CERT-IT4", "DIP-IT5", "Z-DIP"]
    assert find(kind="qualification", min_level=5) == ["DIP-IT5", "Z-DIP"]
    assert find(min_level=6) == ["Z-DIP"]  # C-MC has no level: never matches
    assert find(type="certificate") == ["B-CERT", "CERT-IT4"]
    assert find(provider="north") == ["CERT-IT4", "MC-CLOUD", "MC-NETSEC"]
    assert find(field="mātauranga māori") == ["Z-DIP"]
    assert find(field="", kind="qualification") == ["B-CERT", "CERT-IT4", "DIP-IT5"]
    assert find(min_credits=60, max_credits=60) == ["B-CERT", "CERT-IT4"]
    assert find(max_credits=5) == ["A-MC", "C-MC", "D-EMPTYCLAUSE"]
    assert find(ids=["Z-DIP", "A-MC", "NOPE"]) == ["A-MC", "Z-DIP"]
    assert find(ids=[]) == []
    assert find(kind="course", provider="nobody") == []
    found = store.find_credentials(engine, ids=["Z-DIP"])
    assert found == [full().credentials[0]]  # whole credentials, lists and all


def test_row_counts_and_is_empty(engine: Engine) -> None:
    assert store.is_empty(engine)
    assert store.row_counts(engine)["meta"] == 1
    store.save_catalog(engine, full())
    counts = store.row_counts(engine)
    assert not store.is_empty(engine)
    assert counts == {"meta": 7, "providers": 3, "credentials": 5, "credential_delivery": 3,
                      "skills": 4, "stacking": 4, "requirements": 7, "corequisites": 3,
                      "core_components": 2, "level_profiles": 3, "rules": 0,
                      "rule_members": 0, "credential_intakes": 0, "calendar_terms": 0}
    # schema 2 (issue 15) added the two rule tables, schema 3 (issue 12) the calendar ones


def test_a_missing_database_driver_says_what_to_install() -> None:
    import importlib.util

    if importlib.util.find_spec("psycopg") is not None:
        pytest.skip("psycopg is installed here")
    with pytest.raises(StoreError) as info:
        store.connect("postgresql+psycopg://u@127.0.0.1:1/x")
    assert str(info.value).endswith(  # the library names no installer command (issue 8.2)
        "the PostgreSQL driver is not installed (No module named 'psycopg'); install "
        "pathways' postgres extra (psycopg)")


@pytest.mark.slow
def test_a_catalog_of_several_write_chunks_round_trips(engine: Engine) -> None:
    """Rows are written a chunk of credentials at a time: positions and lists stay right
    across chunk boundaries, for a new catalog and for a merge that adds to it."""
    from pathways.store.database import _WRITE_CHUNK
    from pathways.synthetic import generate_catalog

    big = generate_catalog(2 * _WRITE_CHUNK + 7, seed=2)
    half = len(big.credentials) // 2
    ids = {c.id for c in big.credentials[:half]}
    first = replace(big, credentials=big.credentials[:half],
                    stacking=[e for e in big.stacking if {e.source, e.target} <= ids])
    store.save_catalog(engine, first)
    store.save_catalog(engine, big, mode="merge")
    loaded = store.load_catalog(engine)
    assert [c.id for c in loaded] == [c.id for c in big]
    assert loaded.credentials == big.credentials
    assert sorted(loaded.stacking) == sorted(big.stacking)
