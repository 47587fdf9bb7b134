"""Reading a stored catalog with plain SQL: through Python's ``sqlite3`` for a SQLite file
(no SQLAlchemy to import, so that `pathways route --db catalog.db` starts fast), through
an SQLAlchemy connection for any other database and inside a write transaction.

Every query is one SQL string with ``:name`` parameters, which both ``sqlite3`` and
SQLAlchemy's ``text()`` take; the two differ only in :class:`_Rows`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pathways.catalog import (
    Catalog,
    Credential,
    CreditUnit,
    Provider,
    Rule,
    Stacking,
    Term,
    credit_value,
)
from pathways.collector import gc_paused
from pathways.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = [
    "SCHEMA_VERSION",
    "SqliteReader",
    "open_reader",
    "load_catalog",
    "row_counts",
    "is_empty",
    "merge_catalogs",
]

SCHEMA_VERSION = 3  # 2: half credits (REAL credit columns), direct_study, code, rules;
#                     3: calendars (calendar_terms), intakes, duration_weeks
CHUNK = 900  # ids per IN (...) list: under every backend's limit on bound parameters
TABLE_NAMES = ("meta", "providers", "credentials", "credential_delivery", "skills",
               "stacking", "requirements", "corequisites", "core_components",
               "level_profiles", "rules", "rule_members", "credential_intakes",
               "calendar_terms")
#: The tables each older schema version has (a database is upgraded from them).
VERSION_TABLES = {1: TABLE_NAMES[:10], 2: TABLE_NAMES[:12]}
CATALOG_KEYS = ("framework", "name", "system_type", "credit_unit", "credit_unit_hours")
META_PREFIX = "meta:"
#: A credential's own framework (a cross-Tasman catalog) is a meta row
#: ``credential_framework:ID`` -> framework: no schema change, and a database written so
#: stays readable by schema-2 readers (which ignore the rows).
FRAMEWORK_PREFIX = "credential_framework:"
READ_BUSY_SECONDS = 30  # how long a reader waits for a lock (WAL: only while converting)

# A query: SQL with :name parameters -> all its rows as tuples.
Rows = Callable[[str, dict[str, Any]], list[Any]]


# -- opening a SQLite file without SQLAlchemy --------------------------------------------------
class SqliteReader:
    """A SQLite catalog database opened for reading with the ``sqlite3`` module.

    Each read opens the file, reads in one transaction (one snapshot) and closes it, so
    that nothing is left open or beside the file. Nothing is ever written.
    """

    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label

    @contextmanager
    def rows(self, what: str) -> Iterator[Rows]:
        """A read transaction: a function running queries in it."""
        try:
            # mode=rw: never create the file (it may have gone since it was checked).
            con = sqlite3.connect(f"file:{quote(str(self.path))}?mode=rw", uri=True,
                                  timeout=READ_BUSY_SECONDS, isolation_level=None,
                                  check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.label}: cannot {what} ({_first_line(exc)})") from None
        try:
            con.execute("BEGIN")

            def run(sql: str, params: dict[str, Any]) -> list[Any]:
                return con.execute(sql, params).fetchall()

            yield run
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            reason = _first_line(exc)
            if "not a database" in reason:
                raise StoreError(
                    f"{self.label}: not a database ({reason}); give a pathways database or "
                    "a new file name") from None
            raise StoreError(f"{self.label}: cannot {what} ({reason})") from None
        finally:
            con.close()

    def dispose(self) -> None:
        """Nothing to close (an engine-like no-op)."""


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database named by a path or a ``sqlite:///`` URL (None for
    anything else, an in-memory database or a URL with options)."""
    if url == ":memory:":
        return None
    if "://" not in url:
        return Path(url).expanduser().resolve()
    scheme, _, rest = url.partition("://")
    if scheme not in ("sqlite", "sqlite+pysqlite") or not rest.startswith("/"):
        return None
    database = rest[1:]
    if not database or database == ":memory:" or "?" in database or database.startswith("file:"):
        return None
    return Path(database)


def must_exist(path: Path, label: str) -> None:
    """Refuse to read a SQLite file that is not there or holds nothing (SQLite would
    make it a new, empty database)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise StoreError(
            f"{label}: no such database; import a catalog into it first") from None
    except OSError as exc:
        raise StoreError(f"{label}: cannot open the database ({exc.strerror})") from None
    if size == 0 and path.is_file():
        raise StoreError(
            f"{label}: an empty file, not a pathways database; import a catalog into it "
            "first")


def check_schema(rows: Rows, label: str) -> int:
    """The schema version of a SQLite pathways database (the current one where no row
    says); refuse one written by a newer pathways, by another program, or without the
    tables."""
    names = {r[0] for r in rows("SELECT name FROM sqlite_master WHERE type = 'table'", {})}
    if "meta" not in names:
        if names:
            raise StoreError(
                f"{label}: a database of another program (it has tables but not "
                "pathways' meta table); give a pathways database or a new file name")
        raise StoreError(
            f"{label}: not a pathways database (it has no catalog tables); import a "
            "catalog into it first")
    stored = rows("SELECT value FROM meta WHERE key = 'schema_version'", {})
    version = check_version(stored[0][0] if stored else None, label)
    if version in VERSION_TABLES and set(VERSION_TABLES[version]) <= names:
        return version
    if not set(TABLE_NAMES) <= names:
        raise StoreError(
            f"{label}: not a pathways database (it has no catalog tables); import a "
            "catalog into it first")
    return version


def check_version(stored: str | None, label: str) -> int:
    """The schema version stored (the current one where no row says); refuse one this
    pathways cannot read."""
    if stored is None:
        return SCHEMA_VERSION  # (a database without a version row gets one at its next write)
    try:
        version = int(stored)
    except ValueError:
        raise StoreError(
            f"{label}: unreadable schema version {stored!r}; not a pathways database?"
        ) from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{label}: written by a newer version of pathways (schema {version}, this one "
            f"reads up to {SCHEMA_VERSION}); upgrade pathways")
    return version


def open_reader(url: str) -> Any:
    """Open the database at ``url`` (a path or a URL) for reading only.

    A SQLite file gets a :class:`SqliteReader` (plain ``sqlite3``); any other database an
    SQLAlchemy engine (:func:`pathways.store.connect` without ``create``). Either can be
    given to :func:`load_catalog`, :func:`load_upstream`, :func:`find_credentials`,
    :func:`row_counts` and :func:`is_empty`. A missing or empty file, or one that is not a
    pathways database, raises :class:`StoreError` and is left as it was.
    """
    path = sqlite_path(url)
    if path is None:
        from pathways.store.database import connect

        return connect(url, create=False)
    label = url if "://" in url else url
    must_exist(path, label)
    reader = SqliteReader(path, label)
    with reader.rows("open the database") as rows:
        version = check_schema(rows, label)
    if version < SCHEMA_VERSION:  # upgraded (and said so) by the SQLAlchemy side, once
        from pathways.store.database import connect

        connect(url, create=False).dispose()
    return reader


@contextmanager
def reading(db: Any, what: str) -> Iterator[tuple[Rows, str, str]]:
    """(query function, label, dialect name) in one read transaction of ``db``: a
    :class:`SqliteReader` or an SQLAlchemy engine."""
    if isinstance(db, SqliteReader):
        with db.rows(what) as rows:
            yield rows, db.label, "sqlite"
        return
    from pathways.store.database import engine_reading, label_of

    with engine_reading(db, what) as conn:
        yield connection_rows(conn), label_of(db), conn.dialect.name


def connection_rows(conn: Connection) -> Rows:
    """A query function over an SQLAlchemy connection (inside its transaction)."""
    from sqlalchemy import text

    def run(sql: str, params: dict[str, Any]) -> list[Any]:
        return list(conn.execute(text(sql), params).all())

    return run


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# -- queries -----------------------------------------------------------------------------------
def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _in(column: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``column IN (:i0, :i1, ...)`` and its parameters."""
    params = {f"i{k}": v for k, v in enumerate(values)}
    return f"{column} IN ({', '.join(':' + k for k in params)})", params


def _select_in(rows: Rows, sql: str, column: str, ids: Sequence[str],
               order: bool = True) -> list[Any]:
    """Rows of ``sql`` (which has a WHERE clause to extend, or none) whose ``column`` is
    in ``ids``, asked in chunks; sorted by their first column and that column dropped
    when ``order``."""
    joiner = " AND " if " WHERE " in sql else " WHERE "
    found: list[Any] = []
    for chunk in chunks(ids):
        cond, params = _in(column, chunk)
        found += rows(sql + joiner + cond, params)
    if not order:
        return found
    found.sort(key=itemgetter(0))
    return [tuple(r[1:]) for r in found]


CREDENTIAL_COLUMNS = ("id", "title", "kind", "credits", "level", "type", "provider", "fee",
                      "hours", "status", "review_due", "field", "max_recognised", "term",
                      "direct_study", "code", "duration_weeks", "origin")
_LIST_QUERIES = {  # key -> (table, columns: credential id, order..., value)
    "delivery": ("credential_delivery", ("credential_id", "position", "mode")),
    "skills": ("skills", ("credential_id", "position", "skill")),
    "core": ("core_components", ("credential_id", "position", "component_id")),
    "requires": ("requirements", ("credential_id", "clause", "alternative", "required_id")),
    "coreqs": ("corequisites", ("credential_id", "kind", "position", "required_id")),
    "level_profile": ("level_profiles", ("credential_id", "level", "minimum")),
    "rules": ("rules", ("credential_id", "position", "kind", "amount", "name")),
    "rule_members": ("rule_members", ("credential_id", "rule", "position", "member_id")),
    "intakes": ("credential_intakes", ("credential_id", "position", "intake")),
}


def _select_lists(rows: Rows, ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every list of the credentials (all, or those in ``ids``) as tuples, by credential."""

    def fetch(key: str) -> list[Any]:
        table, columns = _LIST_QUERIES[key]
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        order = f" ORDER BY {', '.join(columns[:-1])}"
        if ids is None:
            return rows(sql + order, {})
        found: list[Any] = []
        for chunk in chunks(ids):
            cond, params = _in("credential_id", chunk)
            found += rows(f"{sql} WHERE {cond}{order}", params)
        return found

    first, last = itemgetter(0), itemgetter(-1)
    lists: dict[str, dict[str, Any]] = {}
    for key in ("delivery", "skills", "core", "intakes"):
        lists[key] = {cid: tuple(map(last, group)) for cid, group in
                      groupby(fetch(key), first)}
    lists["requires"] = {
        cid: tuple(tuple(r[3] for r in clause if r[3] is not None)
                   for _k, clause in groupby(group, itemgetter(1)))
        for cid, group in groupby(fetch("requires"), first)}
    coreqs = fetch("coreqs")
    for kind in ("corequisite", "strict"):
        lists[kind] = {cid: tuple(map(last, group)) for cid, group in
                       groupby((r for r in coreqs if r[1] == kind), first)}
    lists["level_profile"] = {
        cid: tuple((r[1], credit_value(r[2])) for r in group) for cid, group in
        groupby(fetch("level_profile"), first)}
    members = {(cid, k): tuple(r[3] for r in group) for (cid, k), group in
               groupby(fetch("rule_members"), itemgetter(0, 1))}
    lists["rules"] = {
        cid: tuple(Rule(r[2], credit_value(r[3]), members.get((cid, r[1]), ()), r[4])
                   for r in group) for cid, group in groupby(fetch("rules"), first)}
    return lists


def _credentials_from(rows: Iterable[Any], lists: dict[str, dict[str, Any]]) -> list[Credential]:
    """Credentials from ``credentials`` rows (in order) and their lists, grouped by id."""
    delivery, skills, reqs = lists["delivery"], lists["skills"], lists["requires"]
    coreqs, strict = lists["corequisite"], lists["strict"]
    core, profiles = lists["core"], lists["level_profile"]
    rules, intakes = lists["rules"], lists["intakes"]
    out: list[Credential] = []
    append = out.append
    for (cid, title, kind, credits, level, type_, provider, fee, hours, status, review_due,
         field_, max_rec, term, direct, code, weeks, origin) in rows:
        # Credits are REAL columns: whole ones come back as int (15, not 15.0).
        if isinstance(credits, float):
            credits = credit_value(credits)
        if isinstance(max_rec, float):
            max_rec = credit_value(max_rec)
        # Whole fees and hours come back as int, as JSON has them.
        if isinstance(fee, float) and fee.is_integer():
            fee = int(fee)
        if isinstance(hours, float) and hours.is_integer():
            hours = int(hours)
        if isinstance(weeks, float) and weeks.is_integer():
            weeks = int(weeks)
        append(Credential(
            id=cid, title=title, kind=kind, credits=credits, level=level, type=type_,
            provider=provider, fee=fee, hours=hours, delivery=delivery.get(cid, ()),
            status=status, review_due=review_due, field=field_, skills=skills.get(cid, ()),
            requires=reqs.get(cid, ()), max_recognised=max_rec, core=core.get(cid, ()),
            level_profile=profiles.get(cid, ()), corequisites=coreqs.get(cid, ()),
            strict_corequisites=strict.get(cid, ()), term=term,
            direct_study=None if direct is None else bool(direct),
            rules=rules.get(cid, ()), code=code, intakes=intakes.get(cid, ()),
            duration_weeks=weeks, source=origin))
    return out


def _read_meta(rows: Rows) -> tuple[dict[str, str], dict[str, str]]:
    """(catalog-level fields, catalog meta in order)."""
    fields: dict[str, str] = {}
    meta: list[tuple[int, str, str]] = []
    for key, value, position in rows("SELECT key, value, position FROM meta", {}):
        if key.startswith(META_PREFIX):
            meta.append((position, key[len(META_PREFIX):], value))
        elif key in CATALOG_KEYS or key.startswith(FRAMEWORK_PREFIX):
            fields[key] = value
    return fields, {k: v for _p, k, v in sorted(meta)}


_CREDENTIALS_SQL = f"SELECT {', '.join(CREDENTIAL_COLUMNS)} FROM credentials"
_PROVIDERS_SQL = "SELECT id, name, origin FROM providers WHERE listed"
_STACKING_SQL = "SELECT source_id, target_id, credits, origin FROM stacking"


def read_catalog(rows: Rows, label: str, ids: Collection[str] | None = None) -> Catalog:
    """The stored catalog, or its part made of the credentials in ``ids``."""
    with gc_paused():
        if ids is None:
            cred_rows = rows(_CREDENTIALS_SQL + " ORDER BY position", {})
            prov_rows = rows(_PROVIDERS_SQL + " ORDER BY position", {})
            edge_rows = rows(_STACKING_SQL + " ORDER BY position", {})
            lists = _select_lists(rows)
        else:
            cred_rows = _select_in(
                rows, f"SELECT position, {', '.join(CREDENTIAL_COLUMNS)} FROM credentials",
                "id", sorted(ids))
            present = {r[0] for r in cred_rows}
            wanted = sorted(present)
            used = sorted({r[6] for r in cred_rows if r[6] is not None})
            prov_rows = _select_in(
                rows, "SELECT position, id, name, origin FROM providers WHERE listed", "id",
                used)
            edge_rows = [r for r in _select_in(
                rows, "SELECT position, source_id, target_id, credits, origin FROM stacking",
                "target_id", wanted) if r[0] in present]
            lists = _select_lists(rows, ids=wanted)
        credentials = _credentials_from(cred_rows, lists)
        calendars = _read_calendars(rows)
        providers = [Provider(id=i, name=n, source=o, calendar=calendars.get(i, ()))
                     for i, n, o in prov_rows]
        stacking = [Stacking(source=s, target=t, credits=credit_value(c), where=o)
                    for s, t, c, o in edge_rows]
    fields, meta = _read_meta(rows)
    own = {k[len(FRAMEWORK_PREFIX):]: v for k, v in fields.items()
           if k.startswith(FRAMEWORK_PREFIX)}
    if own:
        credentials = [replace(c, framework=own[c.id]) if c.id in own else c
                       for c in credentials]
    return Catalog(providers=providers, credentials=credentials, stacking=stacking,
                   framework=fields.get("framework", "nzqf"), name=fields.get("name"),
                   credit_unit=stored_credit_unit(fields),
                   system_type=fields.get("system_type"), meta=meta, source=label,
                   calendar=calendars.get("", ()))


def _read_calendars(rows: Rows) -> dict[str, tuple[Term, ...]]:
    """Every calendar by owner: "" the catalog's, else a provider id."""
    found: dict[str, list[Term]] = {}
    for owner, term, start, end in rows("SELECT owner, term, start_date, end_date FROM "
                                        "calendar_terms ORDER BY owner, position", {}):
        found.setdefault(owner, []).append(Term(term, start, end))
    return {owner: tuple(terms) for owner, terms in found.items()}


# -- the public reads --------------------------------------------------------------------------
def load_catalog(db: Any) -> Catalog:
    """The whole stored catalog, equal to the one saved (same order of everything).
    ``db``: an engine from :func:`pathways.store.connect` or a reader from
    :func:`open_reader`."""
    with reading(db, "read the catalog") as (rows, label, _dialect):
        return read_catalog(rows, label)


def stored_is_empty(rows: Rows) -> bool:
    return (rows("SELECT count(*) FROM credentials", {})[0][0] == 0
            and rows("SELECT count(*) FROM providers", {})[0][0] == 0)


def row_counts(db: Any) -> dict[str, int]:
    """The number of rows in each table, by table name."""
    with reading(db, "count rows") as (rows, _label, _dialect):
        return {t: int(rows(f"SELECT count(*) FROM {t}", {})[0][0]) for t in TABLE_NAMES}


def is_empty(db: Any) -> bool:
    """True when the database holds no credentials and no providers."""
    with reading(db, "read the catalog") as (rows, _label, _dialect):
        return stored_is_empty(rows)


# -- merging (no database involved) ------------------------------------------------------------
def stored_credit_unit(fields: dict[str, str]) -> CreditUnit | None:
    """The catalog's credit unit from its meta rows ``credit_unit`` (the name) and
    ``credit_unit_hours``; None (NZQF credits) when they are absent."""
    name, hours = fields.get("credit_unit"), fields.get("credit_unit_hours")
    if name is None or hours is None:
        return None
    return CreditUnit(name, credit_value(float(hours)))


def check_same_unit(stored: CreditUnit | None, incoming: CreditUnit | None,
                    label: str) -> None:
    """A merge may not mix credit units: the stored credits would change meaning."""
    if stored == incoming:
        return

    def said(u: CreditUnit | None) -> str:
        return "NZQF credits (10 hours)" if u is None else f"{u.name}s ({u.hours:g} hours)"

    raise StoreError(f"{label}: the stored catalog counts credit in {said(stored)} but the "
                     f"one to merge counts in {said(incoming)}; convert it to the stored "
                     "unit first, or replace the stored catalog (save with mode='replace')")


def merge_catalogs(stored: Catalog, incoming: Catalog) -> Catalog:
    """``incoming`` merged into ``stored`` by the rules of the ``"merge"`` mode."""
    if not stored.credentials and not stored.providers:
        return replace(incoming, meta=dict(incoming.meta), source=stored.source)
    check_same_unit(stored.credit_unit, incoming.credit_unit, stored.source or "database")
    by_id = incoming.index()
    stored_ids = {c.id for c in stored.credentials}
    credentials = [by_id.get(c.id, c) for c in stored.credentials]
    credentials += [c for c in incoming.credentials if c.id not in stored_ids]
    new_providers = incoming.provider_index()
    stored_pids = {p.id for p in stored.providers}
    providers = [new_providers.get(p.id, p) for p in stored.providers]
    providers += [p for p in incoming.providers if p.id not in stored_pids]
    file_ids = set(by_id)
    pairs = {(e.source, e.target) for e in incoming.stacking}
    stacking = [e for e in stored.stacking
                if e.target not in file_ids and (e.source, e.target) not in pairs]
    stacking += incoming.stacking
    return replace(
        stored, providers=providers, credentials=credentials, stacking=stacking,
        name=stored.name if stored.name is not None else incoming.name,
        system_type=(stored.system_type if stored.system_type is not None
                     else incoming.system_type),
        calendar=incoming.calendar or stored.calendar,
        meta={**stored.meta, **incoming.meta})
