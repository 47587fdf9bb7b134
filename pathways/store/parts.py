"""Reading a part of a stored catalog: what leads to some credentials (`route --db`), one
credential and its neighbours (`show --db`), the credentials matching filters — each a
query that finds the ids, then :func:`pathways.store.reading.read_catalog` of those ids,
so the cost follows the part, not the catalog."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.store.reading import _in, chunks, read_catalog, reading

__all__ = ["upstream_sql", "load_upstream", "load_around", "find_credentials"]


def upstream_sql(dialect: str, sqlite_version: tuple[int, ...] = sqlite3.sqlite_version_info,
                 ) -> str:
    """The recursive query of the ids that reach ``:seeds`` (an IN list: replace it with
    the placeholders), themselves included."""
    if dialect == "sqlite" and sqlite_version >= (3, 34):
        # One recursive SELECT per edge table: each probes its index with the row just
        # found, so the cost follows the upstream part, not the catalog.
        return """
            WITH RECURSIVE up(id) AS (
                SELECT id FROM credentials WHERE id IN :seeds
                UNION SELECT s.source_id FROM up JOIN stacking s ON s.target_id = up.id
                UNION SELECT r.required_id FROM up
                      JOIN requirements r ON r.credential_id = up.id
                      WHERE r.required_id IS NOT NULL
                UNION SELECT q.required_id FROM up
                      JOIN corequisites q ON q.credential_id = up.id
            )
            SELECT id FROM up"""
    # PostgreSQL (and older SQLite) allow one reference to the CTE in its recursive
    # term: join it to the union of the edge tables, which PostgreSQL flattens and probes
    # by index (a filter inside a branch would stop the flattening: keep it outside).
    return """
        WITH RECURSIVE up(id) AS (
            SELECT id FROM credentials WHERE id IN :seeds
            UNION
            SELECT e.src FROM up JOIN (
                SELECT source_id AS src, target_id AS dst FROM stacking
                UNION ALL SELECT required_id, credential_id FROM requirements
                UNION ALL SELECT required_id, credential_id FROM corequisites
            ) e ON e.dst = up.id
            WHERE e.src IS NOT NULL
        )
        SELECT id FROM up"""


def load_upstream(db: Any, ids: Iterable[str]) -> Catalog:
    """The credentials that reach any of ``ids`` (them included) by stacking, entry
    requirement or co-requisite edges, with the stacking edges among them and their
    providers. Unknown ids are left out. Cost follows the size of that part only."""
    seeds = sorted(set(ids))
    with reading(db, "read the catalog") as (rows, label, dialect):
        query = upstream_sql(dialect)
        found: set[str] = set()
        for chunk in chunks(seeds):
            cond, params = _in("id", chunk)
            found.update(r[0] for r in rows(
                query.replace("id IN :seeds", cond, 1), params))
        return read_catalog(rows, label, found)


_AROUND_SQL = """
    SELECT target_id FROM stacking WHERE source_id = :id
    UNION SELECT source_id FROM stacking WHERE target_id = :id
    UNION SELECT credential_id FROM requirements WHERE required_id = :id
    UNION SELECT credential_id FROM corequisites WHERE required_id = :id"""


def load_around(db: Any, cid: str) -> Catalog:
    """Credential ``cid`` with what it stacks into, what stacks into it and what requires
    it (`pathways show`'s part), and the stacking edges among them; empty if unknown."""
    with reading(db, "read the catalog") as (rows, label, _dialect):
        found = {r[0] for r in rows(_AROUND_SQL, {"id": cid})}
        return read_catalog(rows, label, {cid, *found})


def find_credentials(
    db: Any,
    *,
    kind: str | None = None,
    ids: Iterable[str] | None = None,
    provider: str | None = None,
    field: str | None = None,
    type: str | None = None,
    min_level: int | None = None,
    min_credits: int | None = None,
    max_credits: int | None = None,
) -> list[Credential]:
    """The stored credentials matching every filter given, sorted by id.

    ``field`` matches whole, ignoring case (no field counts as ""); levels and credits
    are inclusive bounds (a credential without a level never meets ``min_level``).
    """
    conditions: list[str] = []
    params: dict[str, Any] = {}
    for column, op, value in (("kind", "=", kind), ("provider", "=", provider),
                              ("type", "=", type), ("level", ">=", min_level),
                              ("credits", ">=", min_credits),
                              ("credits", "<=", max_credits)):
        if value is not None:
            name = f"f{len(params)}"
            conditions.append(f"{column} {op} :{name}")
            params[name] = value
    sql = "SELECT id, field FROM credentials"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    with reading(db, "search the catalog") as (rows, label, _dialect):
        if ids is None:
            found = rows(sql, params)
        else:
            found = []
            joiner = " AND " if conditions else " WHERE "
            for chunk in chunks(sorted(set(ids))):
                cond, in_params = _in("id", chunk)
                found += rows(sql + joiner + cond, {**params, **in_params})
        wanted = field.casefold() if field is not None else None
        matched = [cid for cid, f in found
                   if wanted is None or (f or "").casefold() == wanted]
        if not matched:
            return []
        return sorted(read_catalog(rows, label, matched).credentials, key=lambda x: x.id)
