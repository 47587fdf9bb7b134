"""The store's writes: rows from a catalog, and writing them — all of a catalog
(:func:`write_all`) or merged into the stored one (:func:`write_merge`), inside the
transaction :func:`pathways.store.database.save_catalog` opens.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import StoreError
from pathways.place import place_text
from pathways.store.reading import (
    FRAMEWORK_PREFIX,
    META_PREFIX,
    check_same_unit,
    chunks,
    connection_rows,
    stored_credit_unit,
    stored_is_empty,
)
from pathways.store.schema import (
    CHILD_TABLES,
    CORE,
    COREQUISITES,
    CREDENTIALS,
    DELIVERY,
    INTAKES,
    LEVEL_PROFILES,
    META,
    PROVIDERS,
    REQUIREMENTS,
    RULE_MEMBERS,
    RULES,
    SKILLS,
    STACKING,
    TERMS,
)

__all__ = ["WRITE_CHUNK", "clear", "count_rows", "stored_empty", "write_all", "write_merge"]


# -- rows from a catalog -------------------------------------------------------------------
def _provider_rows(providers: Iterable[Provider], first: int) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "position": first + i, "listed": True,
             "origin": place_text(p.source)} for i, p in enumerate(providers)]


def _credential_row(c: Credential, position: int) -> dict[str, Any]:
    return {
        "id": c.id, "title": c.title, "kind": c.kind, "credits": c.credits,
        "level": c.level, "type": c.type, "provider": c.provider, "fee": c.fee,
        "hours": c.hours, "status": c.status, "review_due": c.review_due,
        "field": c.field, "max_recognised": c.max_recognised, "term": c.term,
        "direct_study": c.direct_study, "code": c.code, "duration_weeks": c.duration_weeks,
        "position": position, "origin": place_text(c.source),
    }


def _child_rows(creds: Iterable[Credential]) -> dict[Table, list[dict[str, Any]]]:
    """The link-table rows of ``creds``, by table."""
    rows: dict[Table, list[dict[str, Any]]] = {t: [] for t in CHILD_TABLES}
    delivery, skills, reqs = rows[DELIVERY], rows[SKILLS], rows[REQUIREMENTS]
    coreqs, core, profiles = rows[COREQUISITES], rows[CORE], rows[LEVEL_PROFILES]
    rules, members, intakes = rows[RULES], rows[RULE_MEMBERS], rows[INTAKES]
    for c in creds:
        cid = c.id
        intakes.extend({"credential_id": cid, "position": i, "intake": w}
                       for i, w in enumerate(c.intakes))
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
             "position": first + i, "origin": place_text(e.where)} for i, e in enumerate(edges)]


def _term_rows(owner: str, provider_or_catalog: Provider | Catalog) -> list[dict[str, Any]]:
    """The ``calendar_terms`` rows of the catalog's calendar (owner "") or a provider's."""
    return [{"owner": owner, "position": i, "term": t.term, "start_date": t.start,
             "end_date": t.end} for i, t in enumerate(provider_or_catalog.calendar)]


def _calendar_rows(catalog: Catalog, providers: Iterable[Provider]) -> list[dict[str, Any]]:
    rows = _term_rows("", catalog)
    for p in providers:
        rows += _term_rows(p.id, p)
    return rows


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
    if rows and conn.dialect.name == "sqlite":
        # Straight to the driver: SQLAlchemy's per-row parameter processing was a third
        # of a large import, and sqlite3 takes these values (text, numbers, booleans,
        # None) as they are.
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        values = itemgetter(*columns)
        tuples = [values(r) if len(columns) > 1 else (values(r),) for r in rows]
        # What SQLAlchemy's Float did: a whole number for a real column goes as a float
        # (sqlite3 refuses an int beyond 64 bits, such as a duration of 2**63 weeks).
        reals = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Float)]
        if reals:
            tuples = [_as_reals(t, reals) for t in tuples]
        try:
            conn.exec_driver_sql(f'INSERT INTO {table.name} ({names}) VALUES ({marks})',
                                 tuples)
        except OverflowError:  # (the transaction is rolled back: nothing is written)
            raise StoreError(_too_large(table, columns, rows)) from None
    elif rows:
        conn.execute(insert(table), rows)
    counts[table.name] = counts.get(table.name, 0) + len(rows)


def _too_large(table: Table, columns: list[str], rows: list[dict[str, Any]]) -> str:
    """Which row and column hold a whole number beyond the database's 64-bit integers."""
    for r in rows:
        for c in columns:
            v = r[c]
            if type(v) is int and not -(2**63) <= v < 2**63:
                who = r.get("id") or r.get("credential_id") or table.name
                return (f"{who}: {c} {v} is too large for the database (at most 64-bit "
                        "whole numbers); check the catalog with `pathways validate`")
    return (f"a number in {table.name} is too large for the database; check the catalog "
            "with `pathways validate`")


def _as_reals(values: tuple[Any, ...], reals: list[int]) -> tuple[Any, ...]:
    """``values`` with each int at the positions ``reals`` made a float."""
    if not any(type(values[i]) is int for i in reals):
        return values
    out = list(values)
    for i in reals:
        if type(out[i]) is int:
            out[i] = float(out[i])
    return tuple(out)


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _max_position(conn: Connection, table: Table) -> int:
    """The last position used in ``table`` (-1 when empty)."""
    found = conn.execute(select(func.max(table.c.position))).scalar()
    return -1 if found is None else int(found)


def clear(conn: Connection) -> None:
    """Delete the stored catalog (all but the schema version)."""
    for table in (*CHILD_TABLES, STACKING, CREDENTIALS, PROVIDERS, TERMS):
        conn.execute(delete(table))
    conn.execute(delete(META).where(META.c.key != "schema_version"))


def write_all(conn: Connection, catalog: Catalog) -> dict[str, int]:
    counts: dict[str, int] = {}
    listed = {p.id for p in catalog.providers}
    providers = _provider_rows(catalog.providers, 0)
    providers += _implicit_providers(catalog.credentials, listed, len(providers))
    _insert(conn, META, _catalog_meta_rows(catalog), counts)
    _insert(conn, PROVIDERS, providers, counts)
    _write_credentials(conn, catalog.credentials, 0, counts)
    _write_edges(conn, catalog.stacking, 0, counts)
    _insert(conn, TERMS, _calendar_rows(catalog, _first_of_each(catalog.providers)), counts)
    return counts


def _first_of_each(providers: Iterable[Provider]) -> list[Provider]:
    """Providers once each by id (the first listing: the one the table keeps)."""
    seen: dict[str, Provider] = {}
    for p in providers:
        seen.setdefault(p.id, p)
    return list(seen.values())


# Rows are built and written this many credentials (or edges) at a time, so that a large
# catalog never has all its rows in memory at once.
WRITE_CHUNK = 5000


def _write_credentials(conn: Connection, creds: Sequence[Credential], first: int,
                       counts: dict[str, int], *, lists_only: bool = False) -> None:
    """Insert ``creds`` (at positions from ``first``) and their lists, chunk by chunk;
    ``lists_only``: only their lists (the credentials' rows are there)."""
    for start in range(0, len(creds), WRITE_CHUNK):
        chunk = creds[start:start + WRITE_CHUNK]
        if not lists_only:
            _insert(conn, CREDENTIALS, [_credential_row(c, first + start + i)
                                        for i, c in enumerate(chunk)], counts)
        for table, rows in _child_rows(chunk).items():
            _insert(conn, table, rows, counts)
    for table in (CREDENTIALS, *CHILD_TABLES):
        counts.setdefault(table.name, 0)


def _write_edges(conn: Connection, edges: Sequence[Stacking], first: int,
                 counts: dict[str, int]) -> None:
    for start in range(0, len(edges), WRITE_CHUNK):
        _insert(conn, STACKING, _edge_rows(edges[start:start + WRITE_CHUNK], first + start),
                counts)
    counts.setdefault(STACKING.name, 0)


def write_merge(conn: Connection, catalog: Catalog, label: str = "database"
                ) -> dict[str, int]:
    """Merge ``catalog`` into the stored one, touching only what the catalog names."""
    if stored_empty(conn):
        clear(conn)
        return write_all(conn, catalog)
    stored_fields = {k: v for k, v in conn.execute(select(META.c.key, META.c.value))}
    check_same_unit(stored_credit_unit(stored_fields), catalog.credit_unit,
                    label)
    counts: dict[str, int] = {}
    stored_ids = set(conn.execute(select(CREDENTIALS.c.id)).scalars())
    _merge_providers(conn, catalog, counts)
    _merge_credentials(conn, catalog.credentials, stored_ids, counts)
    _merge_edges(conn, catalog, stored_ids, counts)
    _drop_unnamed_providers(conn)
    _merge_frameworks(conn, catalog.credentials, counts)
    _merge_meta(conn, catalog, counts)
    _merge_calendars(conn, catalog, counts)
    return counts


def _merge_calendars(conn: Connection, catalog: Catalog, counts: dict[str, int]) -> None:
    """A merged provider's calendar replaces its stored one; the catalog's calendar
    replaces the stored one when the merged catalog has one."""
    providers = _first_of_each(catalog.providers)
    owners = [p.id for p in providers] + ([""] if catalog.calendar else [])
    for chunk in chunks(owners):
        conn.execute(delete(TERMS).where(TERMS.c.owner.in_(chunk)))
    rows = _calendar_rows(catalog, providers)
    _insert(conn, TERMS, rows if catalog.calendar else [r for r in rows if r["owner"]], counts)


def _merge_providers(conn: Connection, catalog: Catalog, counts: dict[str, int]) -> None:
    """Listed providers are updated in place; others (new, or only implicit so far) come
    after the stored ones."""
    stored_providers = {pid: bool(listed) for pid, listed in
                        conn.execute(select(PROVIDERS.c.id, PROVIDERS.c.listed))}
    next_pos = _max_position(conn, PROVIDERS) + 1
    updates = [p for p in catalog.providers if stored_providers.get(p.id)]
    fresh = [p for p in catalog.providers if not stored_providers.get(p.id)]
    if updates:
        conn.execute(
            update(PROVIDERS).where(PROVIDERS.c.id == bindparam("b_id"))
            .values(name=bindparam("b_name"), origin=bindparam("b_origin")),
            [{"b_id": p.id, "b_name": p.name, "b_origin": place_text(p.source)}
             for p in updates])
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


def _merge_credentials(conn: Connection, creds: Sequence[Credential],
                       stored_ids: Collection[str], counts: dict[str, int]) -> None:
    """Stored credentials are updated in place, new ones appended; lists rewritten."""
    old = [c for c in creds if c.id in stored_ids]
    new = [c for c in creds if c.id not in stored_ids]
    if old:
        columns = [k for k in _credential_row(old[0], 0) if k not in ("id", "position")]
        conn.execute(
            update(CREDENTIALS).where(CREDENTIALS.c.id == bindparam("b_id"))
            .values({k: bindparam("b_" + k) for k in columns}),
            [{"b_" + k: v for k, v in _credential_row(c, 0).items()} for c in old])
    first = _max_position(conn, CREDENTIALS) + 1
    for start in range(0, len(new), WRITE_CHUNK):
        _insert(conn, CREDENTIALS, [_credential_row(c, first + start + i) for i, c in
                                    enumerate(new[start:start + WRITE_CHUNK])], counts)
    counts.setdefault(CREDENTIALS.name, 0)
    counts[CREDENTIALS.name] += len(old)
    old_ids = [c.id for c in old]
    for chunk in chunks(old_ids):
        for table in CHILD_TABLES:
            conn.execute(delete(table).where(table.c.credential_id.in_(chunk)))
    _write_credentials(conn, creds, 0, counts, lists_only=True)


def _merge_edges(conn: Connection, catalog: Catalog, stored_ids: Collection[str],
                 counts: dict[str, int]) -> None:
    """Edges into the catalog's credentials, and stored edges between the same two
    credentials as one of the catalog's, give way to the catalog's edges."""
    file_ids = {c.id for c in catalog.credentials}
    for chunk in chunks(sorted(file_ids & set(stored_ids))):
        conn.execute(delete(STACKING).where(STACKING.c.target_id.in_(chunk)))
    pairs = [{"b_s": e.source, "b_t": e.target} for e in catalog.stacking
             if e.target not in file_ids]
    if pairs:
        conn.execute(delete(STACKING).where(and_(
            STACKING.c.source_id == bindparam("b_s"),
            STACKING.c.target_id == bindparam("b_t"))), pairs)
    _write_edges(conn, catalog.stacking, _max_position(conn, STACKING) + 1, counts)


def _drop_unnamed_providers(conn: Connection) -> None:
    """Delete the providers nobody names any more, listed by nobody."""
    used = select(CREDENTIALS.c.provider).where(CREDENTIALS.c.provider.is_not(None))
    conn.execute(delete(PROVIDERS).where(
        PROVIDERS.c.listed.is_(False), PROVIDERS.c.id.not_in(used)))


def _merge_frameworks(conn: Connection, creds: Sequence[Credential],
                      counts: dict[str, int]) -> None:
    """A merged credential's own framework replaces the stored one's (or its absence)."""
    own = [{"b_key": FRAMEWORK_PREFIX + c.id} for c in creds]
    if own:
        conn.execute(delete(META).where(META.c.key == bindparam("b_key")), own)
    _insert(conn, META, _framework_rows(creds), counts)


def _merge_meta(conn: Connection, catalog: Catalog, counts: dict[str, int]) -> None:
    """The stored catalog fields stay (name and system type filled in if unset); meta keys
    of the catalog replace stored ones."""
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


def stored_empty(conn: Connection) -> bool:
    """Whether the database holds no catalog yet."""
    return stored_is_empty(connection_rows(conn))
