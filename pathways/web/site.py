"""What the web app serves: one catalog held in memory, read-only, with its lookups,
a search forgiving of case and macrons, caches of slow answers, and bounded work.

Nothing here knows about HTTP: the pages and the JSON API (``pathways.web.app``) both
call these methods, so a page and its API endpoint answer from the same objects.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pathways.catalog import Catalog, Credential
from pathways.errors import PathwaysError
from pathways.filters import CredentialFilter, fold

T = TypeVar("T")

# Bounds on what one request may ask for.
MAX_MAP_CREDENTIALS = 400  # a map preview bigger than this is refused (use the CLI)
MAX_HELD = 200  # held credentials in one plan
MAX_CHECKLIST = 300  # tick boxes offered on the plan page
PAGE_SIZE = 50  # rows of a catalog or metrics table per page
REMEMBERED = 1024  # plan answers kept (a few MB)


class WebError(PathwaysError):
    """A request the app cannot answer as asked: a one-line message, an HTTP status and
    what to do (``hint``)."""

    def __init__(self, message: str, status: int = 400, hint: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.hint = hint


class TooSlow(WebError):
    """Work that did not finish within the time limit (the answer is a clear message)."""

    def __init__(self, what: str, seconds: float, hint: str) -> None:
        super().__init__(f"{what} took longer than {seconds:g} seconds, the limit of this "
                         "server", status=503, hint=hint)


def open_catalog_for_web(catalog_path: str | None, db: str | None,
                         framework: str | None = None) -> tuple[Catalog, str]:
    """The catalog to serve (:func:`pathways.source.open_catalog`: a file checked by the
    rules, or a database) and a label saying where it came from; with neither, the
    bundled demo."""
    from pathways.source import DEMO_CATALOG, open_catalog

    if catalog_path is None and db is None:
        if not DEMO_CATALOG.is_file():
            raise PathwaysError("no catalog given and the demo catalog is not here; pass "
                                "--catalog FILE or --db URL")
        catalog_path = str(DEMO_CATALOG)
    catalog = open_catalog(catalog_path, db=db, framework=framework)
    return catalog, str(db if db is not None else catalog_path)


@dataclass
class Search:
    """A catalog search: words (all must appear in the id, title, skills, field or
    provider) and
    filters; ``page`` counts from 1."""

    text: str = ""
    kind: str | None = None
    level: int | None = None
    provider: str | None = None
    field: str | None = None
    page: int = 1


@dataclass
class _Slow:
    """A slow answer computed once in the background: its value, or the error."""

    started: float = 0.0
    value: Any = None
    error: PathwaysError | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Site:
    """One catalog, served read-only. Lookups are built once; slow answers are cached."""

    def __init__(self, catalog: Catalog, label: str, *, time_limit: float = 20.0,
                 solver_threads: int = 8) -> None:
        self.catalog = catalog
        self.label = label
        self.time_limit = time_limit
        self.index: dict[str, Credential] = catalog.index()
        self.providers = catalog.provider_index()
        self.by_fold_id = {cid.casefold(): cid for cid in self.index}
        self.sorted_ids = sorted(self.index)
        self.fields = sorted({c.field for c in catalog if c.field}, key=fold)
        self.levels = sorted({c.level for c in catalog if c.level is not None})
        self.kinds = sorted({c.kind for c in catalog})
        # Each credential's id, title and skills folded once, kept apart by a character
        # no word holds, so a word is found inside one of them as contains_text finds it.
        self._haystack = {c.id: "\0".join(fold(t) for t in (c.id, c.title, *c.skills))
                          for c in catalog}
        self.into: dict[str, list[tuple[str, float]]] = collections.defaultdict(list)
        self.from_: dict[str, list[tuple[str, float]]] = collections.defaultdict(list)
        for e in catalog.stacking:
            self.into[e.source].append((e.target, e.credits))
            self.from_[e.target].append((e.source, e.credits))
        self.required_by: dict[str, list[str]] = collections.defaultdict(list)
        for c in catalog:
            for r in c.required_ids:
                self.required_by[r].append(c.id)
        for table in (self.into, self.from_, self.required_by):
            for v in table.values():
                v.sort()
        self._lock = threading.Lock()
        self._slow: dict[str, _Slow] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=solver_threads, thread_name_prefix="pathways-solve")
        self._drawings: collections.OrderedDict[tuple[Any, ...], tuple[bytes, ...]] = (
            collections.OrderedDict())
        self._answers: collections.OrderedDict[tuple[Any, ...], Any] = (
            collections.OrderedDict())

    def warm(self) -> None:
        """Build the catalog's index (:func:`pathways.index.index_of`, shared with the route
        engine) now rather than on the first request: seconds on a national catalog."""
        _ = self.index_

    # -- lookups ----------------------------------------------------------------------------
    @property
    def index_(self) -> Any:
        from pathways.index import index_of

        return index_of(self.catalog)

    def credential(self, cid: str) -> Credential:
        """The credential ``cid`` (any case); an unknown id is a 404 saying how to find one."""
        c = self.index.get(cid) or self.index.get(self.by_fold_id.get(cid.casefold(), ""))
        if c is None:
            from pathways.filters import unknown_message

            raise WebError(unknown_message("credential", cid, self.index), status=404,
                           hint="search the catalog for its title or id")
        return c

    def provider_name(self, pid: str | None) -> str:
        if pid is None:
            return ""
        p = self.providers.get(pid)
        return p.name if p is not None and p.name else pid

    def links(self, c: Credential) -> dict[str, Any]:
        """What ``c`` stacks into and from and what requires it (``show --json``'s keys)."""
        return {
            "stacks_into": [{"id": t, "credits": n} for t, n in self.into.get(c.id, [])],
            "stacked_from": [{"id": s, "credits": n} for s, n in self.from_.get(c.id, [])],
            "required_by": list(self.required_by.get(c.id, [])),
        }

    def upstream(self, targets: Iterable[str]) -> set[str]:
        """The targets and everything that can lead to one of them."""
        return set(self.index_.upstream(targets))

    def downstream(self, cid: str) -> set[str]:
        """``cid`` and everything it can lead to."""
        return set(self.index_.downstream([cid]))

    # -- search -----------------------------------------------------------------------------
    def check_filters(self, s: Search) -> None:
        if s.kind is not None and s.kind not in self.kinds:
            raise WebError(f"no credential is of the kind {s.kind!r}",
                           hint="choose one of " + ", ".join(self.kinds))
        if s.provider is not None and s.provider not in self.providers:
            raise WebError(f"unknown provider {s.provider!r}",
                           hint="choose one of " + ", ".join(sorted(self.providers)))
        if s.field is not None and fold(s.field) not in {fold(f) for f in self.fields}:
            raise WebError(f"no credential has the field {s.field!r}",
                           hint="choose one of " + "; ".join(self.fields))

    def search(self, s: Search) -> list[Credential]:
        """Credentials matching every word and filter, sorted by id."""
        self.check_filters(s)
        words = fold(s.text).split()
        chosen = CredentialFilter(kind=s.kind, level=s.level, provider=s.provider,
                                  field=s.field)
        out = []
        for cid in self.sorted_ids:
            c = self.index[cid]
            if not chosen.matches(c):
                continue
            if words:
                hay = self._haystack[cid]
                if not all(w in hay for w in words):
                    continue
            out.append(c)
        return out

    def resolve(self, text: str, *, kind: str | None = None) -> list[Credential]:
        """What a typed target means: the credential with that id (any case), else the
        credentials whose words match (qualifications first when ``kind`` is not given)."""
        text = text.strip()
        cid = self.by_fold_id.get(text.casefold())
        if cid is not None:
            return [self.index[cid]]
        found = self.search(Search(text=text, kind=kind))
        found.sort(key=lambda c: (c.kind != "qualification", c.id))
        return found

    # -- bounded work -----------------------------------------------------------------------
    def run(self, what: str, hint: str, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """``fn(*args, **kw)`` in a solver thread, waiting at most the time limit; past it
        the request answers with :class:`TooSlow` (a queued job that never started is
        dropped)."""
        future = self._pool.submit(fn, *args, **kw)
        try:
            return future.result(timeout=self.time_limit)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TooSlow(what, self.time_limit, hint) from None

    def remembered(self, key: tuple[Any, ...], fn: Callable[[], T]) -> T:
        """``fn()``, or its answer from the last :data:`REMEMBERED` asked for (the catalog
        never changes while it is served, so an answer stays right)."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        value = fn()
        with self._lock:
            self._answers[key] = value
            while len(self._answers) > REMEMBERED:
                self._answers.popitem(last=False)
        return value

    def slow(self, key: str, fn: Callable[[], Any]) -> _Slow:
        """A cached answer computed once in the background; check ``.done``."""
        with self._lock:
            entry = self._slow.get(key)
            if entry is None:
                entry = self._slow[key] = _Slow(started=time.monotonic())

                def work() -> None:
                    try:
                        entry.value = fn()
                    except PathwaysError as exc:
                        entry.error = exc
                    finally:
                        entry.done.set()

                threading.Thread(target=work, name=f"pathways-{key}", daemon=True).start()
        return entry

    def wait_slow(self, key: str, fn: Callable[[], Any], seconds: float) -> _Slow:
        entry = self.slow(key, fn)
        entry.done.wait(timeout=seconds)
        return entry

    # -- drawings (matplotlib is not thread-safe: one at a time, cached) ---------------------
    _draw_lock = threading.Lock()

    def drawing(self, key: tuple[Any, ...], draw: Callable[[Path], Any], suffix: str
                ) -> tuple[bytes, ...]:
        """The bytes of every page ``draw(path)`` writes (one PDF, or one file a page)."""
        with self._lock:
            cached = self._drawings.get(key)
            if cached is not None:
                self._drawings.move_to_end(key)
                return cached

        def work() -> tuple[bytes, ...]:
            with self._draw_lock, tempfile.TemporaryDirectory(prefix="pathways-web-") as tmp:
                written = draw(Path(tmp) / f"drawing{suffix}")
                return tuple(Path(f).read_bytes() for f in written.files)

        pages = self.run("Drawing the map", "choose a smaller scope, or draw it with "
                         "`pathways draw`", work)
        with self._lock:
            self._drawings[key] = pages
            while len(self._drawings) > 64:
                self._drawings.popitem(last=False)
        return pages

    def today(self) -> dt.date:
        return dt.date.today()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
