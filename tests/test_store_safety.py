"""The store under concurrency and failure: reading never writes, readers read on during a
write, writers take turns and validate what is stored when they write (SQLite and
PostgreSQL), a failed write on a full disk leaves the file as it was."""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import ROOT
from sqlalchemy import Engine, event
from test_store import drop_tables, postgres_url, worked

from pathways import store
from pathways.catalog import Catalog, Stacking, to_graph
from pathways.cli import cli
from pathways.errors import CatalogError, StoreError
from pathways.formats import write_catalog
from pathways.rules import check
from pathways.store import merge_catalogs
from pathways.synthetic import generate_catalog


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> list[str]:
    """The files SQLite keeps next to a database (journal, WAL, shared memory)."""
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name.startswith(path.name + "-"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "catalog.db"
    e = store.connect(str(db))
    store.save_catalog(e, worked())
    e.dispose()
    return db


# -- reading never writes (16.8, 16.15) ----------------------------------------------------
@pytest.mark.parametrize("form", ["url", "path"])
def test_reading_a_missing_database_creates_nothing(tmp_path: Path, form: str) -> None:
    path = tmp_path / "nothere.db"
    url = f"sqlite:///{path}" if form == "url" else str(path)
    with pytest.raises(StoreError) as info:
        store.connect(url, create=False)
    assert "no such database" in str(info.value) and "\n" not in str(info.value)
    code, _, err = run("list", "--db", url)
    assert code != 0 and "no such database" in err
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_an_empty_file_is_not_read_as_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, _, err = run("list", "--db", str(path))
    assert code != 0
    assert f"{path}: an empty file, not a pathways database" in err
    assert path.stat().st_size == 0 and beside(path) == []


def test_an_empty_file_can_be_imported_into(tmp_path: Path) -> None:
    path = tmp_path / "made-by-mktemp.db"
    path.touch()
    code, _, _ = run("import", str(ROOT / "graphs" / "demo.json"), "--db", str(path))
    assert code == 0
    assert run("list", "--db", str(path))[0] == 0


def test_reading_leaves_a_database_without_version_row_as_it_was(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as con:
        con.execute("DELETE FROM meta WHERE key = 'schema_version'")
    con.close()
    before = digest(demo_db)
    code, out, _ = run("list", "--db", str(demo_db))
    assert code == 0 and "MC-CLOUD" in out
    assert run("route", "--db", str(demo_db), "--to", "DIP-IT5")[0] == 0
    assert digest(demo_db) == before and beside(demo_db) == []
    # The next write adds it.
    e = store.connect(str(demo_db))
    store.save_catalog(e, worked(), mode="replace")
    with sqlite3.connect(demo_db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() \
            == [(str(store.SCHEMA_VERSION),)]
    con.close()


def test_reading_refuses_a_database_without_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT, position INT)")
    con.close()
    before = digest(path)
    with pytest.raises(StoreError, match="not a pathways database"):
        store.connect(str(path), create=False)
    assert digest(path) == before


# -- readers and writers at once (16.8, 16.13, 16.15) -----------------------------------------
@pytest.mark.slow
def test_readers_read_on_while_a_long_import_runs(demo_db: Path) -> None:
    """A reader during an import gets the last committed catalog at once (WAL), instead
    of 'database is locked' once the writer holds the file."""
    big = generate_catalog(10000, seed=3)  # more than SQLite's page cache holds
    writer = store.connect(str(demo_db))
    in_commit, release = threading.Event(), threading.Event()

    @event.listens_for(writer, "commit")
    def _hold(_conn: Any) -> None:  # everything written, not yet committed
        in_commit.set()
        release.wait(30)

    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(
        store.save_catalog(writer, big, mode="replace")))
    thread.start()
    try:
        assert in_commit.wait(60)
        reader = store.connect(str(demo_db))
        start = time.monotonic()
        seen = store.load_catalog(reader)
        upstream = store.load_upstream(reader, ["DIP-IT5"])
        assert time.monotonic() - start < 15  # not waiting for the writer (it holds 30 s)
        assert [c.id for c in seen] == [c.id for c in worked()]
        assert "MC-PYDATA" in upstream.index()
    finally:
        release.set()
        thread.join(60)
    assert done and len(store.load_catalog(reader)) == 10000
    reader.dispose()


def merge_files() -> tuple[Catalog, Catalog]:
    """Two merges into worked(): each valid alone, together a cycle."""
    idx = worked().index()
    one = Catalog(credentials=[idx["MC-PYDATA"]],
                  stacking=[Stacking("MC-PYDATA", "DIP-IT5", 10),
                            Stacking("MC-CLOUD", "MC-PYDATA", 5)])
    two = Catalog(credentials=[idx["MC-CLOUD"]],
                  stacking=[Stacking("MC-CLOUD", "CERT-IT4", 15),
                            Stacking("MC-PYDATA", "MC-CLOUD", 5)])
    return one, two


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database two engines can share, holding worked()."""
    url = str(tmp_path / "shared.db") if request.param == "sqlite" else postgres_url()
    if request.param == "postgresql":
        drop_tables(url)
    e = store.connect(url)
    store.save_catalog(e, worked())
    e.dispose()
    yield url
    if request.param == "postgresql":
        drop_tables(url)


def test_a_merge_is_validated_on_what_is_stored_when_it_writes(shared_url: str) -> None:
    """Writer A holds the write lock while it validates; B, started then, validates after
    A's commit, so it sees A's edge and refuses the cycle they make together."""
    one, two = merge_files()
    a, b = store.connect(shared_url), store.connect(shared_url)
    validating = threading.Event()

    def slow_check(merged: Catalog) -> None:
        validating.set()
        time.sleep(0.5)  # B starts meanwhile and must wait for the lock
        check(merged)

    results: dict[str, Any] = {}

    def merge(name: str, engine: Engine, catalog: Catalog, validate: Any) -> None:
        try:
            results[name] = store.save_catalog(engine, catalog, mode="merge",
                                               validate=validate)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[name] = exc

    first = threading.Thread(target=merge, args=("a", a, one, slow_check))
    first.start()
    assert validating.wait(30)
    second = threading.Thread(target=merge, args=("b", b, two, check))
    second.start()
    first.join(60)
    second.join(60)
    assert isinstance(results["a"], dict)
    assert isinstance(results["b"], CatalogError) and "cycle" in str(results["b"])
    stored = store.load_catalog(a)
    assert nx.is_directed_acyclic_graph(to_graph(stored))
    assert Stacking("MC-CLOUD", "MC-PYDATA", 5) in stored.stacking
    a.dispose()
    b.dispose()


def test_concurrent_disjoint_merges_keep_positions_unique(shared_url: str) -> None:
    """Many merges at once, each adding its own credential: all stored, each position
    once (PostgreSQL wrote duplicates when merges were not serialised)."""
    base = worked().index()["MC-CLOUD"]
    engines = [store.connect(shared_url) for _ in range(4)]
    errors: list[BaseException] = []

    def merge(i: int) -> None:
        try:
            for j in range(3):
                new = replace(base, id=f"NEW-{i}-{j}")
                store.save_catalog(engines[i], Catalog(credentials=[new]), mode="merge",
                                   validate=check)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    stored = store.load_catalog(engines[0])
    assert len(stored) == len(worked()) + 12
    with engines[0].connect() as conn:
        positions = [r[0] for r in conn.exec_driver_sql("SELECT position FROM credentials")]
    assert len(positions) == len(set(positions))
    for e in engines:
        e.dispose()


@pytest.mark.slow
def test_two_cli_merges_at_once_never_store_a_cycle(tmp_path: Path) -> None:
    """Two processes at once: one merge wins, the other sees its edge and refuses the
    cycle. (A stored catalog of some size: each takes a while to read and check it.)"""
    demo_db = tmp_path / "catalog.db"
    e = store.connect(str(demo_db))
    store.save_catalog(e, merge_catalogs(generate_catalog(6000, seed=3), worked()))
    one, two = merge_files()
    files = []
    for name, catalog in (("one.json", one), ("two.json", two)):
        write_catalog(catalog, tmp_path / name)
        files.append(tmp_path / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "pathways", "import", str(f), "--db",
                               str(demo_db), "--merge"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.returncode, p.communicate(timeout=120)[1]) for p in procs]
    outcomes = [(p.returncode, err[-300:]) for p, (_code, err) in zip(procs, outcomes, strict=True)]
    codes = sorted(code for code, _ in outcomes)
    assert codes[0] == 0 and codes[1] != 0, outcomes
    assert any("cycle" in err for code, err in outcomes if code), outcomes
    e = store.connect(str(demo_db))
    assert nx.is_directed_acyclic_graph(to_graph(store.load_catalog(e)))
    e.dispose()
    assert run("route", "--db", str(demo_db), "--to", "DIP-IT5")[0] == 0


# -- a full disk (16.15) ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_failed_import_on_a_full_disk_leaves_the_file_as_it_was(demo_db: Path,
                                                                   tmp_path: Path) -> None:
    """The file size limit (RLIMIT_FSIZE) stands in for a full disk: the import fails,
    and the database is the old one, with no journal or WAL left beside it."""
    big = tmp_path / "big.json"
    write_catalog(generate_catalog(3000, seed=5), big)
    before = digest(demo_db)
    limit = demo_db.stat().st_size + 200_000

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "pathways", "import", str(big), "--db", str(demo_db),
         "--replace"], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, preexec_fn=small_files, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "nothing was written" in result.stderr
    assert beside(demo_db) == []
    assert digest(demo_db) == before


@pytest.mark.parametrize("mode", ["--replace", "--merge"])
def test_an_error_near_the_end_of_a_large_file_writes_nothing(
        demo_db: Path, tmp_path: Path, mode: str) -> None:
    """A file of several write chunks whose only error is its last stacking edge (an
    unknown credential): one line naming the file and the edge's JSON path, exit 1, and
    the stored catalog is byte for byte the one before."""
    n = 2 * store.database._WRITE_CHUNK + 7
    creds = ", ".join(f'{{"id": "X{i}", "title": "Course {i}", "kind": "course", "level": 4, '
                      f'"credits": 15}}' for i in range(n))
    edges = [f'{{"from": "X{i}", "to": "X{i + 1}", "credits": 15}}' for i in range(n - 1)]
    edges.append('{"from": "X1", "to": "NOWHERE", "credits": 15}')
    big = tmp_path / "big.json"
    big.write_text('{"format": "pathways-catalog", "version": 1, "credentials": ['
                   f'{creds}], "stacking": [{", ".join(edges)}]}}', encoding="utf-8")
    before = digest(demo_db)
    code, out, err = run("import", str(big), "--db", str(demo_db), mode)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{big}:$.stacking[{n - 1}]" in lines[0] and "NOWHERE" in lines[0]
    assert "Traceback" not in err
    assert digest(demo_db) == before and beside(demo_db) == []


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_write_failing_after_several_chunks_leaves_the_database_as_it_was(
        demo_db: Path, mode: str) -> None:
    """Rows go to the database a chunk at a time inside one transaction: a catalog (not
    validated) whose last stacking edge breaks a foreign key fails after several chunks
    of credentials and edges were inserted, and the stored catalog is byte for byte the
    one before."""
    n = 2 * store.database._WRITE_CHUNK + 7
    big = generate_catalog(n, seed=5)
    bad = replace(big, stacking=[*big.stacking, Stacking(big.credentials[0].id, "NOWHERE", 5)])
    before = digest(demo_db)
    engine = store.connect(str(demo_db))
    try:
        with pytest.raises(StoreError) as info:
            store.save_catalog(engine, bad, mode=mode)
    finally:
        engine.dispose()
    assert "nothing was written" in str(info.value) and "NOWHERE" in str(info.value)
    assert digest(demo_db) == before and beside(demo_db) == []
