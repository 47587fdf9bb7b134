"""The store's SQLAlchemy side: opening any database URL (:func:`connect`) and every
write (:func:`save_catalog`). The tables are in :mod:`pathways.store.schema`, the rows
written and the merge in :mod:`pathways.store.writing`; reads go through
:mod:`pathways.store.reading`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from pathways.catalog import Catalog
from pathways.collector import gc_paused
from pathways.errors import CatalogExistsError, DriverMissingError, StoreError
from pathways.store.reading import (
    READ_BUSY_SECONDS,
    SCHEMA_VERSION,
    VERSION_TABLES,
    check_version,
    connection_rows,
    load_catalog,
    merge_catalogs,
    must_exist,
    read_catalog,
)
from pathways.store.schema import (
    CREDENTIALS,
    INTAKES,
    META,
    PROVIDERS,
    RULE_MEMBERS,
    RULES,
    TABLES,
    TERMS,
)
from pathways.store.writing import (
    WRITE_CHUNK as _WRITE_CHUNK,  # noqa: F401  (tests size catalogs by it)
)
from pathways.store.writing import (
    clear,
    count_rows,
    write_all,
    write_merge,
)

__all__ = ["MODES", "TABLES", "WRITE_BUSY_SECONDS", "connect", "save_catalog",
           "merged_catalog"]

MODES = ("new", "replace", "merge")


# -- connecting --------------------------------------------------------------------------------
_LABELS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def _label(engine: Engine) -> str:
    """How messages name the database: the path or URL the user gave (no password)."""
    known = _LABELS.get(engine)
    if known is not None:
        return known
    if engine.dialect.name == "sqlite" and engine.url.database:
        return engine.url.database
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message, without SQLAlchemy's decorations."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def connect(url: str, *, create: bool = True) -> Engine:
    """Open the database at ``url``: a file path or a SQLAlchemy URL.

    With ``create`` (for writing), a new database gets the tables and the schema version.
    Without it (for reading), nothing is ever written: a SQLite file that does not exist,
    an empty file or a database without pathways' tables raises :class:`StoreError` and
    is left as it was. A database written by a newer pathways, or a file that is not a
    database, raises :class:`StoreError` and is left untouched either way.

    SQLite files are written in WAL mode with a busy timeout: readers go on reading the
    last committed catalog while an import runs, and writers take turns.
    """
    if "://" in url:
        label = url
        try:
            sa_url = make_url(url)
        except ArgumentError:
            raise StoreError(
                f"{url}: not a database URL; give a file path or a URL such as "
                "sqlite:///catalog.db") from None
        label = sa_url.render_as_string(hide_password=True)
    elif url == ":memory:":
        label, sa_url = url, make_url("sqlite://")
    else:
        label = url
        sa_url = URL.create("sqlite", database=str(Path(url).expanduser().resolve()))
    try:
        # A SQLite file is closed after each use: the last close removes the WAL and its
        # index, so that neither a reader nor a failed (disk-full) write leaves them behind.
        file_db = sa_url.get_backend_name() == "sqlite" and sa_url.database not in (
            None, "", ":memory:")
        engine = create_engine(sa_url, poolclass=NullPool) if file_db else create_engine(sa_url)
    except ImportError as exc:
        raise DriverMissingError(label, sa_url.get_backend_name(), str(exc)) from None
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"{label}: cannot open the database ({_reason(exc)})") from None
    if engine.dialect.name == "sqlite":
        path = _sqlite_file(engine)
        if not create and path is not None:
            must_exist(path, label)
        _configure_sqlite(engine)
    _LABELS[engine] = label
    try:
        _prepare(engine, label, create)
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = _reason(exc)
        if "not a database" in reason:
            raise StoreError(
                f"{label}: not a database ({reason}); give a pathways database or a new "
                "file name") from None
        raise StoreError(f"{label}: cannot open the database ({reason})") from None
    return engine


def _sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database (None for an in-memory one)."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


# How long a SQLite writer waits for another to finish (a large import takes minutes),
# and how long a reader waits for a lock (in WAL mode only while a database is converted).
WRITE_BUSY_SECONDS = 600


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on for every connection, a busy timeout, and transactions that we
    begin ourselves (the driver's own handling would leave DDL and reads outside them)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={READ_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front, so that reading then writing in one
        # transaction cannot deadlock with another writer, and what it validates is what
        # is stored when it writes. WAL mode (kept in the file) lets readers read on.
        write = conn.get_execution_options().get("pathways_write", False)
        if write:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute(f"PRAGMA busy_timeout={WRITE_BUSY_SECONDS * 1000}")
            if _sqlite_file(engine) is not None:
                raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction that no other pathways writer shares: SQLite's
    BEGIN IMMEDIATE, on PostgreSQL a transaction-scoped advisory lock (other databases
    rely on their own locking)."""
    with engine.connect() as conn:
        conn = conn.execution_options(pathways_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            yield conn


_PG_LOCK_KEY = 0x70617468  # "path": the advisory lock every pathways writer takes


def _prepare(engine: Engine, label: str, create: bool = True) -> None:
    """Check the schema version of an existing database; create the tables in a new one
    (``create``), or refuse a database without them."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        conn.rollback()
        if "meta" in names:
            stored = conn.execute(
                select(META.c.value).where(META.c.key == "schema_version")).scalar()
            conn.rollback()
            version = check_version(stored, label)
            if version in VERSION_TABLES and set(VERSION_TABLES[version]) <= names:
                _upgrade(engine, label, version)
                return
            if {t.name for t in TABLES} <= names and (stored is not None or not create):
                return  # (a database without a version row gets one at its next write)
        elif names and engine.dialect.name == "sqlite":
            raise StoreError(
                f"{label}: a database of another program (it has tables but not "
                "pathways' meta table); give a pathways database or a new file name")
    if not create:
        raise StoreError(
            f"{label}: not a pathways database (it has no catalog tables); import a "
            "catalog into it first")
    with _writing(engine) as conn:
        SQLModel.metadata.create_all(conn, tables=list(TABLES))
        _ensure_version(conn)


def _ensure_version(conn: Connection) -> None:
    """Write the schema version row where it is missing (in a write transaction)."""
    present = conn.execute(
        select(META.c.key).where(META.c.key == "schema_version")).first()
    if present is None:
        conn.execute(insert(META), [
            {"key": "schema_version", "value": str(SCHEMA_VERSION), "position": 0}])


#: The columns versions 2 and 3 added to ``credentials``, and those that hold credits
#: (REAL since 2).
_NEW_COLUMNS = {2: (("direct_study", "BOOLEAN"), ("code", "VARCHAR")),
                3: (("duration_weeks", "DOUBLE PRECISION"),)}
_NEW_TABLES = {2: (RULES, RULE_MEMBERS), 3: (INTAKES, TERMS)}
_WHAT_IS_NEW = {2: "half credits, direct_study, programme rules",
                3: "calendars, intakes, duration_weeks"}
_CREDIT_COLUMNS = (("credentials", "credits"), ("credentials", "max_recognised"),
                   ("stacking", "credits"), ("level_profiles", "minimum"))


def _upgrade(engine: Engine, label: str, version: int) -> None:
    """Upgrade a database of schema ``version`` (1 or 2) to the current one in one
    transaction (all or nothing: a failure leaves it as it was), and say so once (a
    :class:`~pathways.errors.Notice` warning)."""
    import warnings

    from pathways.errors import Notice

    try:
        with _writing(engine) as conn:
            stored = conn.execute(
                select(META.c.value).where(META.c.key == "schema_version")).scalar()
            if stored != str(version):
                return  # another process upgraded it meanwhile
            for step in range(version + 1, SCHEMA_VERSION + 1):
                _upgrade_step(conn, engine.dialect.name, step)
            conn.execute(update(META).where(META.c.key == "schema_version")
                         .values(value=str(SCHEMA_VERSION)))
    except SQLAlchemyError as exc:
        raise StoreError(f"{label}: cannot upgrade the database from schema {version} to "
                         f"{SCHEMA_VERSION} ({_reason(exc)}); it was left as it was") from None
    new = "; ".join(_WHAT_IS_NEW[s] for s in range(version + 1, SCHEMA_VERSION + 1))
    warnings.warn(Notice(f"{label}: upgraded the database from schema version {version} to "
                         f"{SCHEMA_VERSION} ({new})"), stacklevel=4)


def _upgrade_step(conn: Connection, dialect: str, step: int) -> None:
    """The changes of schema version ``step`` over the one before (in the transaction)."""
    for name, sql_type in _NEW_COLUMNS[step]:
        conn.execute(text(f"ALTER TABLE credentials ADD COLUMN {name} {sql_type}"))
    # SQLite keeps 7.5 in an INTEGER column; others change the column's type.
    if step == 2 and dialect != "sqlite":
        for table, column in _CREDIT_COLUMNS:
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} "
                              "TYPE DOUBLE PRECISION"))
    SQLModel.metadata.create_all(conn, tables=list(_NEW_TABLES[step]))


def save_catalog(engine: Engine, catalog: Catalog, *, mode: str = "new",
                 validate: Callable[[Catalog], object] | None = None) -> dict[str, int]:
    """Write ``catalog`` in one transaction; return the rows written (inserted or
    updated), by table, every table named in creation order.

    ``mode`` is ``"new"`` (the database must be empty), ``"replace"`` or ``"merge"``
    (see the module docstring). On any failure nothing is written. ``validate`` (e.g.
    :func:`pathways.rules.check`) is called inside the write transaction, no other writer
    running, with the catalog as it will be stored — for a merge, merged with what is
    stored at that moment — and an exception from it aborts the write. The database's
    own constraints (unique ids, stacking edges between stored credentials) are the last
    line.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    label = _label(engine)
    try:
        with _writing(engine) as conn:
            if mode == "new":
                n = count_rows(conn, CREDENTIALS)
                if n or count_rows(conn, PROVIDERS):
                    what = (f"{n} credentials" if n else
                            f"{count_rows(conn, PROVIDERS)} providers")
                    raise CatalogExistsError(label, what)
            if validate is not None:
                if mode == "merge":
                    stored = read_catalog(connection_rows(conn), label)
                    validate(merge_catalogs(stored, catalog))
                else:
                    validate(catalog)
            _ensure_version(conn)
            if mode == "merge":
                counts = write_merge(conn, catalog, label)
            else:
                clear(conn)
                with gc_paused():
                    counts = write_all(conn, catalog)
            if conn.dialect.name == "postgresql":
                # Fresh statistics, or the planner scans whole tables in load_upstream.
                for table in TABLES:
                    conn.exec_driver_sql(f"ANALYZE {table.name}")
            return {t.name: counts.get(t.name, 0) for t in TABLES}
    except IntegrityError as exc:
        raise StoreError(
            f"{label}: cannot save the catalog: {_explain(engine, catalog, mode, exc)}; "
            "nothing was written") from None
    except SQLAlchemyError as exc:
        raise StoreError(
            f"{label}: cannot save the catalog ({_busy(exc)}); nothing was written"
        ) from None


def _busy(exc: BaseException) -> str:
    """The driver's reason, saying what to do when the database was busy."""
    reason = _reason(exc)
    if "database is locked" in reason:
        return (f"{reason}: another process kept it busy for over {WRITE_BUSY_SECONDS} s; "
                "try again when it is done")
    return reason


def _explain(engine: Engine, catalog: Catalog, mode: str, exc: IntegrityError) -> str:
    """Which part of ``catalog`` broke a constraint (the database only says which kind)."""

    def first_duplicate(ids: Iterable[Any]) -> Any:
        seen: set[Any] = set()
        for i in ids:
            if i in seen:
                return i
            seen.add(i)
        return None

    dup = first_duplicate(c.id for c in catalog.credentials)
    if dup is not None:
        return f"credential {dup} appears twice"
    dup = first_duplicate(p.id for p in catalog.providers)
    if dup is not None:
        return f"provider {dup} appears twice"
    dup = first_duplicate((e.source, e.target) for e in catalog.stacking)
    if dup is not None:
        return f"stacking edge {dup[0]} -> {dup[1]} appears twice"
    known = {c.id for c in catalog.credentials}
    if mode == "merge":
        with engine.connect() as conn:
            known.update(conn.execute(select(CREDENTIALS.c.id)).scalars())
    for e in catalog.stacking:
        for end in (e.source, e.target):
            if end not in known:
                return (f"stacking edge {e.source} -> {e.target} names unknown credential "
                        f"{end}")
    for c in catalog.credentials:
        dup = first_duplicate(lv for lv, _m in c.level_profile)
        if dup is not None:
            return f"credential {c.id}: level {dup} appears twice in its level profile"
    return _reason(exc)


# -- reading through SQLAlchemy (pathways.store.reading holds the queries) -------------------
def label_of(engine: Engine) -> str:
    """How messages name the database (see :func:`_label`)."""
    return _label(engine)


@contextmanager
def engine_reading(engine: Engine, what: str) -> Iterator[Connection]:
    """A connection in a read transaction (one snapshot); its errors become StoreError."""
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"{_label(engine)}: cannot {what} ({_reason(exc)})") from None


def merged_catalog(engine: Engine, catalog: Catalog) -> Catalog:
    """The catalog that ``save_catalog(engine, catalog, mode="merge")`` would store (as
    things stand: :func:`save_catalog` with ``validate`` checks what is stored when it
    writes)."""
    return merge_catalogs(load_catalog(engine), catalog)
