"""The store: a catalog in a SQL database (SQLite by default; any SQLAlchemy URL works).

The schema is a handful of sqlmodel tables: ``meta`` (key/value: schema version,
framework, name, system type, catalog meta), ``providers``, ``credentials`` and one
table per list-valued field, each row carrying its position so that every list comes
back in the order it was saved. A round trip is lossless: ``load_catalog(e)`` after
``save_catalog(e, c)`` is equal to ``c``, with the same order of providers, credentials
and stacking edges. Writes go in one transaction; bulk inserts use SQLAlchemy Core
``insert()`` with lists of rows (executemany), loads a few SELECTs grouped in Python.

Modules: :mod:`pathways.store.reading` reads with plain SQL — through Python's
``sqlite3`` for a SQLite file (:func:`open_reader`), so that reading commands never
import SQLAlchemy, and :mod:`pathways.store.parts` reads only a part (the upstream of
some ids, one credential's neighbours, a search); :mod:`pathways.store.database` opens any
URL (:func:`connect`) and writes, with the tables in :mod:`pathways.store.schema` and the
rows and the merge in :mod:`pathways.store.writing`. This package imports the SQLAlchemy
side only when one of its names is used.

``save_catalog`` modes:

- ``"new"``: the database must hold no credentials or providers yet.
- ``"replace"``: everything stored is replaced by the catalog.
- ``"merge"``: credentials and providers of the catalog replace the stored ones with the
  same id (with all their lists); every stored stacking edge into one of the catalog's
  credentials, or between the same two credentials as one of the catalog's edges, is
  replaced by the catalog's edges; everything else stored is kept. Replaced entries keep
  their place, new ones come after the stored ones. The stored framework, name and
  system type stay (name and system type are taken from the catalog if unset); the
  catalog's meta keys replace stored ones. Into an empty database: the catalog as it is.
  :func:`merged_catalog` computes the result without writing; ``save_catalog(...,
  validate=check)`` checks the merged catalog inside the write transaction.

SQLite files are written in WAL mode with a busy timeout (readers read on during an
import, writers take turns); PostgreSQL writers take an advisory lock. Reading never
writes: a missing or empty file is refused, not created.
"""

from __future__ import annotations

from typing import Any

from pathways.store.parts import find_credentials, load_around, load_upstream
from pathways.store.reading import (
    SCHEMA_VERSION,
    SqliteReader,
    is_empty,
    load_catalog,
    merge_catalogs,
    open_reader,
    row_counts,
)

__all__ = [
    "SCHEMA_VERSION",
    "MODES",
    "TABLES",
    "SqliteReader",
    "open_reader",
    "connect",
    "save_catalog",
    "merged_catalog",
    "merge_catalogs",
    "load_catalog",
    "load_upstream",
    "load_around",
    "find_credentials",
    "row_counts",
    "is_empty",
]

_DATABASE = ("MODES", "TABLES", "connect", "save_catalog", "merged_catalog",
             "WRITE_BUSY_SECONDS")


def __getattr__(name: str) -> Any:
    """The SQLAlchemy side, imported on first use."""
    if name in _DATABASE:
        from pathways.store import database

        return getattr(database, name)
    raise AttributeError(f"module 'pathways.store' has no attribute {name!r}")
