"""Opening a catalog: the one library call the CLI, the web app and Python users share.

A catalog comes from a file (JSON, spreadsheet CSV or CurricularAnalytics CSV, the
format detected) or a database (a SQLite path or an SQLAlchemy URL), checked against
the rules or not, whole or only what can lead to given targets::

    from pathways.source import open_catalog

    catalog = open_catalog("graphs/demo.json")              # validated, whole
    catalog = open_catalog(db="catalog.db", targets=["DIP-ITS5"])   # only its upstream
    raw = open_catalog("draft.csv", validate=False)         # as written, rules unchecked

:class:`CatalogSource` is the same thing for a caller that asks several questions of one
source (a database connection is opened once). Errors are :class:`PathwaysError`
subclasses speaking of this module's arguments (``path``, ``db``); the CLI phrases them
as its options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.errors import PathwaysError, StoreError

__all__ = ["DEMO_CATALOG", "CatalogSource", "NoDatabaseError", "SourceError", "open_catalog",
           "upstream_ids"]

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "graphs" / "demo.json"


class SourceError(PathwaysError):
    """The arguments do not name one catalog (both or neither of ``path`` and ``db``)."""


class NoDatabaseError(StoreError):
    """A database path that does not exist: reading never creates an empty database."""

    def __init__(self, db: str) -> None:
        super().__init__(f"{db}: no such database; create it by saving a catalog into it "
                         "(pathways.store.save_catalog)")
        self.db = db


@dataclass
class CatalogSource:
    """Where a catalog comes from: a file (``path``) or a database (``db``).

    ``framework`` applies to a spreadsheet CSV file (which does not name its framework).
    ``more`` are further files read with ``path`` as one graph (CTDL, or Open Badges and
    CLR files: a pathway and the records it points to often come apart).
    The catalog is read once and kept; a database connection is opened once.
    """

    path: str | None = None
    db: str | None = None
    framework: str | None = None
    more: tuple[str, ...] = ()
    _engine: Any = field(default=None, repr=False)
    _catalog: Catalog | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.path is None) == (self.db is None):
            raise SourceError("give a catalog file (path) or a database (db), exactly one")
        if self.more and self.path is None:
            raise SourceError("several files (more) go with a catalog file (path)")

    @property
    def is_db(self) -> bool:
        return self.db is not None

    @property
    def label(self) -> str:
        """How messages name the source: the path(s) or the database URL as given."""
        return self.db if self.db is not None else " + ".join([str(self.path), *self.more])

    def engine(self) -> Any:
        """The database's SQLAlchemy engine (opened on first use)."""
        from pathways import store

        if self._engine is None:
            if self.db is None:
                raise SourceError(f"{self.path} is a file, not a database")
            if "://" not in self.db and self.db != ":memory:" and not Path(self.db).exists():
                raise NoDatabaseError(self.db)
            self._engine = store.open_reader(self.db)  # reading never writes
        return self._engine

    def read(self) -> Catalog:
        """The catalog as stored or written, without the validation rules."""
        if self._catalog is None:
            if self.db is not None:
                from pathways import store

                self._catalog = store.load_catalog(self.engine())
            else:
                from pathways.formats import read_catalog

                assert self.path is not None
                if self.more:
                    self._catalog = _read_files([self.path, *self.more], self.framework)
                else:
                    self._catalog = read_catalog(self.path, framework=self.framework)
        return self._catalog

    def load(self) -> Catalog:
        """The catalog, refused (CatalogError listing every error) if it breaks a rule.

        A database is checked when a catalog is saved into it, so it is not checked again.
        """
        catalog = self.read()
        if self.db is None:
            from pathways.rules import check

            check(catalog)
        return catalog

    def load_upstream(self, ids: Iterable[str], *, validate: bool = True) -> Catalog:
        """Only what can lead to ``ids`` (them included): from a database by a recursive
        query, so the cost follows that part only; from a file, the validated whole file
        cut down to that part. Unknown ids are left out."""
        wanted = list(ids)
        if self.db is None:
            catalog = self.load() if validate else self.read()
            return catalog.subset(upstream_ids(catalog, wanted))
        from pathways import store

        return store.load_upstream(self.engine(), wanted)

    def load_around(self, cid: str) -> Catalog:
        """Credential ``cid`` and its neighbours (what it stacks into and from, what
        requires it): from a database only that part; from a file the validated whole."""
        if self.db is None:
            return self.load()
        from pathways import store

        return store.load_around(self.engine(), cid)

    def find(self, **filters: Any) -> list[Credential]:
        """Credentials matching simple filters (kind, provider, field, type, levels,
        credits, ids), sorted by id: a query on a database, else over the file."""
        if self.db is not None:
            from pathways import store

            return store.find_credentials(self.engine(), **filters)
        from pathways.filters import CredentialFilter

        if filters.get("ids") is not None:
            filters = {**filters, "ids": frozenset(filters["ids"])}
        return CredentialFilter(**filters).select(self.load())


def _read_files(paths: list[str], framework: str | None) -> Catalog:
    """Several standard files read as one graph; their import warnings as notices."""
    from dataclasses import replace

    from pathways.standards import read_standard

    catalog, report = read_standard(paths)
    catalog.notices = (*catalog.notices, *report.warnings)
    return replace(catalog, framework=framework) if framework is not None else catalog


def open_catalog(path: str | None = None, *, db: str | None = None,
                 framework: str | None = None, validate: bool = True,
                 targets: Iterable[str] | None = None) -> Catalog:
    """A catalog from a file ``path`` or a database ``db`` (exactly one).

    ``validate`` refuses a file that breaks a rule (:func:`pathways.rules.check`); a
    database was checked when saved. With ``targets``, only what can lead to them.
    """
    source = CatalogSource(path=path, db=db, framework=framework)
    if targets is not None:
        return source.load_upstream(targets, validate=validate)
    return source.load() if validate else source.read()


def upstream_ids(catalog: Catalog, ids: Iterable[str]) -> set[str]:
    """The ids of ``catalog`` that reach any of ``ids`` (them included) by stacking,
    entry-requirement or co-requisite edges; unknown ids are left out."""
    index = catalog.index()
    into: dict[str, list[str]] = {}
    for e in catalog.stacking:
        into.setdefault(e.target, []).append(e.source)
    todo = [i for i in ids if i in index]
    seen = set(todo)
    while todo:
        c = index[todo.pop()]
        for other in (*into.get(c.id, ()), *c.required_ids, *c.corequisites):
            if other in index and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen
