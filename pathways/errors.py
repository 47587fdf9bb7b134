"""The library's exceptions: one hierarchy, each message fit to show a user as one line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "PathwaysError",
    "Problem",
    "CatalogError",
    "StoreError",
    "DriverMissingError",
    "CatalogExistsError",
    "DatabaseFileError",
    "UnknownIdError",
    "RouteError",
    "NoRouteError",
    "UnknownRouteIdError",
    "Notice",
]


class PathwaysError(Exception):
    """Base class of every error the library raises on purpose (bad input, not bugs)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about a catalog: where (``FILE:LINE`` or ``FILE:$.json.path``), what."""

    where: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        """One line: control characters and line breaks quoted from a file are escaped."""
        from pathways.safetext import one_line

        tag = "" if self.severity == "error" else f"{self.severity}: "
        text = f"{self.where}: {tag}{self.message}" if self.where else f"{tag}{self.message}"
        return one_line(text)


class CatalogError(PathwaysError):
    """A catalog (file or database content) that cannot be used; lists every problem."""

    def __init__(self, problems: list[Problem] | str, where: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(where, problems)]
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        first = str(errors[0]) if errors else "invalid catalog"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(first + more)


class DatabaseFileError(CatalogError):
    """A SQLite database given where a catalog file was expected."""

    def __init__(self, path: str) -> None:
        super().__init__("this is a SQLite database, not a catalog file; open it as a "
                         "database (db=PATH) instead", where=path)
        self.path = path


class UnknownIdError(PathwaysError):
    """An id (a credential's, a provider's) that the catalog does not have.

    ``what`` is ``"credential"`` or ``"provider"``; the CLI gives every unknown id of one
    kind the same exit code in every command."""

    def __init__(self, message: str, *, what: str, name: str) -> None:
        super().__init__(message)
        self.what = what
        self.name = name


class StoreError(PathwaysError):
    """The database cannot be opened or written as asked."""


class DriverMissingError(StoreError):
    """The database's driver is not installed; ``backend`` is SQLAlchemy's name for it
    (``postgresql``, ``mysql``…), so that an installer can say what to install."""

    def __init__(self, label: str, backend: str, reason: str) -> None:
        if backend == "postgresql":
            what = ("the PostgreSQL driver is not installed ({reason}); install pathways' "
                    "postgres extra (psycopg)")
        else:
            what = ("no {backend} driver is installed ({reason}); pathways stores catalogs "
                    "in SQLite or PostgreSQL, and {backend} is not supported")
        super().__init__(f"{label}: cannot open the database: "
                         + what.format(reason=reason, backend=backend))
        self.label, self.backend = label, backend


class CatalogExistsError(StoreError):
    """Saving a new catalog into a database that holds one: the caller must choose
    ``mode="replace"`` or ``mode="merge"``."""

    def __init__(self, label: str, what: str) -> None:
        super().__init__(f"{label} already holds {what}; save with mode='replace' to replace "
                         "them or mode='merge' to add to them")
        self.label, self.what = label, what


class RouteError(PathwaysError):
    """A route query that cannot be answered as asked (unknown id, conflicting options)."""


class NoRouteError(RouteError):
    """No route satisfies the constraints; the message says what blocks it."""

    def __init__(self, message: str, blockers: list[str] | None = None) -> None:
        super().__init__(message)
        self.blockers = blockers or []


class UnknownRouteIdError(RouteError, UnknownIdError):
    """An unknown credential or provider named in a route query: a :class:`RouteError`
    (as every refused query is) and an :class:`UnknownIdError` (one exit code a kind)."""


class Notice(UserWarning):
    """Something the user should hear of once, that is not a problem (a database upgraded
    to the current schema). Raised with :func:`warnings.warn`; the CLI prints it as
    ``warning: …``."""
