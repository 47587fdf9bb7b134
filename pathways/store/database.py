"""The store's SQLAlchemy side: the schema (sqlmodel tables), opening any database URL,
and every write (:func:`save_catalog`). Reads go through :mod:`pathways.store.reading`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Field, SQLModel

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import CatalogExistsError, DriverMissingError, StoreError
from pathways.store.reading import (
    FRAMEWORK_PREFIX,
    META_PREFIX,
    READ_BUSY_SECONDS,
    SCHEMA_VERSION,
    TABLE_NAMES,
    check_same_unit,
    check_version,
    chunks,
    connection_rows,
    gc_paused,
    load_catalog,
    merge_catalogs,
    must_exist,
    read_catalog,
    stored_credit_unit,
    stored_is_empty,
)

__all__ = ["MODES", "TABLES", "WRITE_BUSY_SECONDS", "connect", "save_catalog",
           "merged_catalog"]

MODES = ("new", "replace", "merge")


# -- tables ----------------------------------------------------------------------------------
# Link tables are read in key order: on SQLite, store them in it (no separate rowid).
_CLUSTERED = {"sqlite_with_rowid": False}


class MetaRow(SQLModel, table=True):
    """Key/value facts about the database and the catalog-level fields of the catalog."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str
    position: int = 0


class ProviderBase(SQLModel):
    """The fields of a provider."""

    id: str = Field(primary_key=True)
    name: str = ""


class ProviderRow(ProviderBase, table=True):
    """A provider. ``listed`` is false for one that credentials name but the catalog did
    not list: it exists for the foreign key only and is not loaded back."""

    __tablename__ = "providers"
    position: int
    listed: bool = True
    origin: str | None = None  # where it was read (FILE:LINE or JSON path)


class CredentialBase(SQLModel):
    """The scalar fields of a credential (lists live in the link tables below)."""

    id: str = Field(primary_key=True)
    title: str
    kind: str
    credits: float
    level: int | None = None
    type: str | None = None
    provider: str | None = Field(default=None, foreign_key="providers.id", index=True)
    fee: float | None = None
    hours: float | None = None
    status: str | None = None
    review_due: str | None = None
    field: str | None = None
    max_recognised: float | None = None
    term: int | None = None
    direct_study: bool | None = None
    code: str | None = None


class CredentialRow(CredentialBase, table=True):
    """A credential, with its place in the catalog."""

    __tablename__ = "credentials"
    position: int
    origin: str | None = None


class DeliveryRow(SQLModel, table=True):
    """One delivery mode of a credential."""

    __tablename__ = "credential_delivery"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    mode: str


class SkillRow(SQLModel, table=True):
    """One skill of a credential."""

    __tablename__ = "skills"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    skill: str


class StackingRow(SQLModel, table=True):
    """Up to ``credits`` of the source's credits are recognised towards the target."""

    __tablename__ = "stacking"
    __table_args__ = _CLUSTERED
    source_id: str = Field(foreign_key="credentials.id", primary_key=True)
    target_id: str = Field(foreign_key="credentials.id", primary_key=True, index=True)
    credits: float
    position: int
    origin: str | None = None


class RequirementRow(SQLModel, table=True):
    """One alternative of one clause of an entry requirement (an AND of ORs).

    ``required_id`` is not a foreign key: validation decides whether a requirement may
    name an id outside the catalog, and the store keeps what it is given. A NULL
    ``required_id`` stands for an empty clause.
    """

    __tablename__ = "requirements"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    clause: int = Field(primary_key=True)
    alternative: int = Field(primary_key=True)
    required_id: str | None = None


class CorequisiteRow(SQLModel, table=True):
    """A co-requisite (``kind`` = "corequisite") or strict co-requisite ("strict")."""

    __tablename__ = "corequisites"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    kind: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    required_id: str


class CoreRow(SQLModel, table=True):
    """A credential that must be counted into ``credential_id`` for it to be awarded."""

    __tablename__ = "core_components"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    component_id: str


class LevelProfileRow(SQLModel, table=True):
    """At least ``minimum`` of the credential's credits must be at ``level`` or above."""

    __tablename__ = "level_profiles"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    level: int = Field(primary_key=True)
    minimum: float


class RuleRow(SQLModel, table=True):
    """A programme rule of a credential: ``kind`` min, max, min_credits or max_credits."""

    __tablename__ = "rules"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    kind: str
    amount: float
    name: str | None = None


class RuleMemberRow(SQLModel, table=True):
    """One id of a rule's list."""

    __tablename__ = "rule_members"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    rule: int = Field(primary_key=True)
    position: int = Field(primary_key=True)
    member_id: str


def _table(model: type[SQLModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


META = _table(MetaRow)
PROVIDERS = _table(ProviderRow)
CREDENTIALS = _table(CredentialRow)
DELIVERY = _table(DeliveryRow)
SKILLS = _table(SkillRow)
STACKING = _table(StackingRow)
REQUIREMENTS = _table(RequirementRow)
COREQUISITES = _table(CorequisiteRow)
CORE = _table(CoreRow)
LEVEL_PROFILES = _table(LevelProfileRow)
RULES = _table(RuleRow)
RULE_MEMBERS = _table(RuleMemberRow)

# In the order they are created and filled (parents first).
TABLES = (META, PROVIDERS, CREDENTIALS, DELIVERY, SKILLS, STACKING, REQUIREMENTS,
          COREQUISITES, CORE, LEVEL_PROFILES, RULES, RULE_MEMBERS)
# Tables holding one credential's lists, keyed by ``credential_id``.
_CHILD_TABLES = (DELIVERY, SKILLS, REQUIREMENTS, COREQUISITES, CORE, LEVEL_PROFILES, RULES,
                 RULE_MEMBERS)
assert tuple(t.name for t in TABLES) == TABLE_NAMES


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
            if check_version(stored, label) == 1 \
                    and {t.name for t in TABLES[:10]} <= names:
                _upgrade_from_1(engine, label)
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


#: The columns version 2 added to ``credentials``, and those that hold credits (REAL since 2).
_NEW_COLUMNS = (("direct_study", "BOOLEAN"), ("code", "VARCHAR"))
_CREDIT_COLUMNS = (("credentials", "credits"), ("credentials", "max_recognised"),
                   ("stacking", "credits"), ("level_profiles", "minimum"))


def _upgrade_from_1(engine: Engine, label: str) -> None:
    """Upgrade a schema-1 database to 2 in one transaction (all or nothing), and say so
    once (a :class:`~pathways.errors.Notice` warning)."""
    import warnings

    from pathways.errors import Notice

    try:
        with _writing(engine) as conn:
            stored = conn.execute(
                select(META.c.value).where(META.c.key == "schema_version")).scalar()
            upgrading = stored == "1"  # (not if another process upgraded it meanwhile)
            for name, sql_type in _NEW_COLUMNS if upgrading else ():
                conn.execute(text(f"ALTER TABLE credentials ADD COLUMN {name} {sql_type}"))
            # SQLite keeps 7.5 in an INTEGER column; others change the column's type.
            if upgrading and engine.dialect.name != "sqlite":
                for table, column in _CREDIT_COLUMNS:
                    conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} "
                                      "TYPE DOUBLE PRECISION"))
            SQLModel.metadata.create_all(conn, tables=[RULES, RULE_MEMBERS])
            if not upgrading:
                return
            conn.execute(update(META).where(META.c.key == "schema_version")
                         .values(value=str(SCHEMA_VERSION)))
    except SQLAlchemyError as exc:
        raise StoreError(f"{label}: cannot upgrade the database from schema 1 to "
                         f"{SCHEMA_VERSION} ({_reason(exc)}); it was left as it was") from None
    warnings.warn(Notice(f"{label}: upgraded the database from schema version 1 to "
                         f"{SCHEMA_VERSION} (half credits, direct_study, programme rules)"),
                  stacklevel=4)


# -- rows from a catalog -------------------------------------------------------------------
def _provider_rows(providers: Iterable[Provider], first: int) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "position": first + i, "listed": True,
             "origin": p.source} for i, p in enumerate(providers)]


def _credential_row(c: Credential, position: int) -> dict[str, Any]:
    return {
        "id": c.id, "title": c.title, "kind": c.kind, "credits": c.credits,
        "level": c.level, "type": c.type, "provider": c.provider, "fee": c.fee,
        "hours": c.hours, "status": c.status, "review_due": c.review_due,
        "field": c.field, "max_recognised": c.max_recognised, "term": c.term,
        "direct_study": c.direct_study, "code": c.code,
        "position": position, "origin": c.source,
    }


def _child_rows(creds: Iterable[Credential]) -> dict[Table, list[dict[str, Any]]]:
    """The link-table rows of ``creds``, by table."""
    rows: dict[Table, list[dict[str, Any]]] = {t: [] for t in _CHILD_TABLES}
    delivery, skills, reqs = rows[DELIVERY], rows[SKILLS], rows[REQUIREMENTS]
    coreqs, core, profiles = rows[COREQUISITES], rows[CORE], rows[LEVEL_PROFILES]
    rules, members = rows[RULES], rows[RULE_MEMBERS]
    for c in creds:
        cid = c.id
        delivery.extend({"credential_id": cid, "position": i, "mode": m}
                        for i, m in enumerate(c.delivery))
        skills.extend({"credential_id": cid, "position": i, "skill": s}
                      for i, s in enumerate(c.skills))
        for k, clause in enumerate(c.requires):
            if not clause:
                reqs.append({"credential_id": cid, "clause": k, "alternative": 0,
                             "required_id": None})
            reqs.extend({"credential_id": cid, "clause": k, "alternative": j,
                         "required_id": a} for j, a in enumerate(clause))
        coreqs.extend({"credential_id": cid, "kind": "corequisite", "position": i,
                       "required_id": a} for i, a in enumerate(c.corequisites))
        coreqs.extend({"credential_id": cid, "kind": "strict", "position": i,
                       "required_id": a} for i, a in enumerate(c.strict_corequisites))
        core.extend({"credential_id": cid, "position": i, "component_id": a}
                    for i, a in enumerate(c.core))
        profiles.extend({"credential_id": cid, "level": lv, "minimum": m}
                        for lv, m in c.level_profile)
        for k, r in enumerate(c.rules):
            rules.append({"credential_id": cid, "position": k, "kind": r.kind,
                          "amount": r.amount, "name": r.name})
            members.extend({"credential_id": cid, "rule": k, "position": j, "member_id": a}
                           for j, a in enumerate(r.ids))
    return rows


def _edge_rows(edges: Iterable[Stacking], first: int) -> list[dict[str, Any]]:
    return [{"source_id": e.source, "target_id": e.target, "credits": e.credits,
             "position": first + i, "origin": e.where} for i, e in enumerate(edges)]


def _catalog_meta_rows(catalog: Catalog) -> list[dict[str, Any]]:
    rows = [{"key": "framework", "value": catalog.framework, "position": 0}]
    if catalog.name is not None:
        rows.append({"key": "name", "value": catalog.name, "position": 0})
    if catalog.system_type is not None:
        rows.append({"key": "system_type", "value": catalog.system_type, "position": 0})
    if catalog.credit_unit is not None:
        rows.append({"key": "credit_unit", "value": catalog.credit_unit.name, "position": 0})
        rows.append({"key": "credit_unit_hours", "value": repr(catalog.credit_unit.hours),
                     "position": 0})
    rows += _framework_rows(catalog.credentials)
    rows += [{"key": META_PREFIX + k, "value": v, "position": i}
             for i, (k, v) in enumerate(catalog.meta.items())]
    return rows


def _framework_rows(creds: Iterable[Credential]) -> list[dict[str, Any]]:
    """The meta rows of credentials that name their own framework."""
    return [{"key": FRAMEWORK_PREFIX + c.id, "value": c.framework, "position": 0}
            for c in creds if c.framework is not None]


def _implicit_providers(creds: Iterable[Credential], known: Collection[str],
                        first: int) -> list[dict[str, Any]]:
    """Rows for providers that credentials name but nobody listed (for the foreign key)."""
    missing = sorted({c.provider for c in creds
                      if c.provider is not None and c.provider not in known})
    return [{"id": p, "name": "", "position": first + i, "listed": False, "origin": None}
            for i, p in enumerate(missing)]


# -- writing -----------------------------------------------------------------------------------
def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]],
            counts: dict[str, int]) -> None:
    if rows:
        conn.execute(insert(table), rows)
    counts[table.name] = counts.get(table.name, 0) + len(rows)


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _max_position(conn: Connection, table: Table) -> int:
    """The last position used in ``table`` (-1 when empty)."""
    found = conn.execute(select(func.max(table.c.position))).scalar()
    return -1 if found is None else int(found)


def _clear(conn: Connection) -> None:
    """Delete the stored catalog (all but the schema version)."""
    for table in (*_CHILD_TABLES, STACKING, CREDENTIALS, PROVIDERS):
        conn.execute(delete(table))
    conn.execute(delete(META).where(META.c.key != "schema_version"))


def _write_all(conn: Connection, catalog: Catalog) -> dict[str, int]:
    counts: dict[str, int] = {}
    listed = {p.id for p in catalog.providers}
    providers = _provider_rows(catalog.providers, 0)
    providers += _implicit_providers(catalog.credentials, listed, len(providers))
    _insert(conn, META, _catalog_meta_rows(catalog), counts)
    _insert(conn, PROVIDERS, providers, counts)
    _write_credentials(conn, catalog.credentials, 0, counts)
    _write_edges(conn, catalog.stacking, 0, counts)
    return counts


# Rows are built and written this many credentials (or edges) at a time, so that a large
# catalog never has all its rows in memory at once.
_WRITE_CHUNK = 5000


def _write_credentials(conn: Connection, creds: Sequence[Credential], first: int,
                       counts: dict[str, int], *, lists_only: bool = False) -> None:
    """Insert ``creds`` (at positions from ``first``) and their lists, chunk by chunk;
    ``lists_only``: only their lists (the credentials' rows are there)."""
    for start in range(0, len(creds), _WRITE_CHUNK):
        chunk = creds[start:start + _WRITE_CHUNK]
        if not lists_only:
            _insert(conn, CREDENTIALS, [_credential_row(c, first + start + i)
                                        for i, c in enumerate(chunk)], counts)
        for table, rows in _child_rows(chunk).items():
            _insert(conn, table, rows, counts)
    for table in (CREDENTIALS, *_CHILD_TABLES):
        counts.setdefault(table.name, 0)


def _write_edges(conn: Connection, edges: Sequence[Stacking], first: int,
                 counts: dict[str, int]) -> None:
    for start in range(0, len(edges), _WRITE_CHUNK):
        _insert(conn, STACKING, _edge_rows(edges[start:start + _WRITE_CHUNK], first + start),
                counts)
    counts.setdefault(STACKING.name, 0)


def _write_merge(conn: Connection, catalog: Catalog, label: str = "database"
                 ) -> dict[str, int]:
    """Merge ``catalog`` into the stored one, touching only what the catalog names."""
    if _stored_is_empty(conn):
        _clear(conn)
        return _write_all(conn, catalog)
    stored_fields = {k: v for k, v in conn.execute(select(META.c.key, META.c.value))}
    check_same_unit(stored_credit_unit(stored_fields), catalog.credit_unit,
                    label)
    counts: dict[str, int] = {}
    stored_providers = {pid: bool(listed) for pid, listed in
                        conn.execute(select(PROVIDERS.c.id, PROVIDERS.c.listed))}
    stored_ids = set(conn.execute(select(CREDENTIALS.c.id)).scalars())

    # Providers: listed ones are updated in place; others (new, or only implicit so far)
    # come after the stored ones.
    next_pos = _max_position(conn, PROVIDERS) + 1
    updates = [p for p in catalog.providers if stored_providers.get(p.id)]
    fresh = [p for p in catalog.providers if not stored_providers.get(p.id)]
    if updates:
        conn.execute(
            update(PROVIDERS).where(PROVIDERS.c.id == bindparam("b_id"))
            .values(name=bindparam("b_name"), origin=bindparam("b_origin")),
            [{"b_id": p.id, "b_name": p.name, "b_origin": p.source} for p in updates])
    # A provider stored only for the foreign key becomes listed, in the new place.
    promote = [p for p in fresh if p.id in stored_providers]
    if promote:
        conn.execute(
            update(PROVIDERS).where(PROVIDERS.c.id == bindparam("b_id"))
            .values(name=bindparam("b_name"), origin=bindparam("b_origin"),
                    position=bindparam("b_position"), listed=True),
            [{"b_id": r["id"], "b_name": r["name"], "b_origin": r["origin"],
              "b_position": r["position"]}
             for r in _provider_rows(fresh, next_pos) if r["id"] in stored_providers])
    rows = [r for r in _provider_rows(fresh, next_pos) if r["id"] not in stored_providers]
    known = set(stored_providers) | {p.id for p in catalog.providers}
    rows += _implicit_providers(catalog.credentials, known, next_pos + len(fresh))
    _insert(conn, PROVIDERS, rows, counts)
    counts[PROVIDERS.name] += len(promote)
    counts[PROVIDERS.name] += len(updates)

    # Credentials: stored ones updated in place, new ones appended; lists rewritten.
    old = [c for c in catalog.credentials if c.id in stored_ids]
    new = [c for c in catalog.credentials if c.id not in stored_ids]
    if old:
        columns = [k for k in _credential_row(old[0], 0) if k not in ("id", "position")]
        conn.execute(
            update(CREDENTIALS).where(CREDENTIALS.c.id == bindparam("b_id"))
            .values({k: bindparam("b_" + k) for k in columns}),
            [{"b_" + k: v for k, v in _credential_row(c, 0).items()} for c in old])
    first = _max_position(conn, CREDENTIALS) + 1
    for start in range(0, len(new), _WRITE_CHUNK):
        _insert(conn, CREDENTIALS, [_credential_row(c, first + start + i) for i, c in
                                    enumerate(new[start:start + _WRITE_CHUNK])], counts)
    counts.setdefault(CREDENTIALS.name, 0)
    counts[CREDENTIALS.name] += len(old)
    old_ids = [c.id for c in old]
    for chunk in chunks(old_ids):
        for table in _CHILD_TABLES:
            conn.execute(delete(table).where(table.c.credential_id.in_(chunk)))
    _write_credentials(conn, catalog.credentials, 0, counts, lists_only=True)

    # Stacking: edges into the catalog's credentials, and stored edges between the same
    # two credentials as one of the catalog's, give way to the catalog's edges.
    file_ids = {c.id for c in catalog.credentials}
    for chunk in chunks(sorted(file_ids & stored_ids)):
        conn.execute(delete(STACKING).where(STACKING.c.target_id.in_(chunk)))
    pairs = [{"b_s": e.source, "b_t": e.target} for e in catalog.stacking
             if e.target not in file_ids]
    if pairs:
        conn.execute(delete(STACKING).where(and_(
            STACKING.c.source_id == bindparam("b_s"),
            STACKING.c.target_id == bindparam("b_t"))), pairs)
    _write_edges(conn, catalog.stacking, _max_position(conn, STACKING) + 1, counts)

    # Providers nobody names any more, listed by nobody.
    used = select(CREDENTIALS.c.provider).where(CREDENTIALS.c.provider.is_not(None))
    conn.execute(delete(PROVIDERS).where(
        PROVIDERS.c.listed.is_(False), PROVIDERS.c.id.not_in(used)))

    # A merged credential's own framework replaces the stored one's (or its absence).
    own = [{"b_key": FRAMEWORK_PREFIX + c.id} for c in catalog.credentials]
    if own:
        conn.execute(delete(META).where(META.c.key == bindparam("b_key")), own)
    _insert(conn, META, _framework_rows(catalog.credentials), counts)

    # Catalog fields: the stored ones stay (name and system type filled in if unset);
    # meta keys of the catalog replace stored ones.
    stored_meta = {k: v for k, v in conn.execute(select(META.c.key, META.c.value))}
    meta_rows = [{"key": k, "value": v, "position": 0}
                 for k, v in (("name", catalog.name), ("system_type", catalog.system_type))
                 if v is not None and k not in stored_meta]
    next_meta = 1 + max((int(p) for p in conn.execute(select(META.c.position).where(
        META.c.key.startswith(META_PREFIX))).scalars()), default=-1)
    for k, v in catalog.meta.items():
        key = META_PREFIX + k
        if key in stored_meta:
            conn.execute(update(META).where(META.c.key == key).values(value=v))
        else:
            meta_rows.append({"key": key, "value": v, "position": next_meta})
            next_meta += 1
    _insert(conn, META, meta_rows, counts)
    return counts


def _stored_is_empty(conn: Connection) -> bool:
    return stored_is_empty(connection_rows(conn))


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
                n = _count(conn, CREDENTIALS)
                if n or _count(conn, PROVIDERS):
                    what = (f"{n} credentials" if n else
                            f"{_count(conn, PROVIDERS)} providers")
                    raise CatalogExistsError(label, what)
            if validate is not None:
                if mode == "merge":
                    stored = read_catalog(connection_rows(conn), label)
                    validate(merge_catalogs(stored, catalog))
                else:
                    validate(catalog)
            _ensure_version(conn)
            if mode == "merge":
                counts = _write_merge(conn, catalog, label)
            else:
                _clear(conn)
                with gc_paused():
                    counts = _write_all(conn, catalog)
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
