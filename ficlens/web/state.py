"""What the app holds while it runs: the library it serves, the token, the pipeline, and a
small cache of search results.

Library calls run in worker threads, each with its own connection (SQLite in WAL mode
reads in parallel), so one slow search never holds up a reader page. Search results and
facets are cached per query: paging and re-sorting a search reuses its facet counts. The
cache is emptied whenever the library changes: on SQLite any commit by any connection
(``PRAGMA data_version`` on a watching connection), elsewhere after the app's own writes
and at the latest after ``CACHE_SECONDS``.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ficlens.errors import FicError

if TYPE_CHECKING:
    from ficlens.pipeline import Pipeline

T = TypeVar("T")
CACHE_SECONDS = 30.0  # how stale a cached search may get where changes cannot be seen
CACHE_ENTRIES = 512
LIBRARY_THREADS = 8  # and so at most this many connections to the library


class LibraryUnavailable(FicError):
    """The library cannot be opened (or is not installed); ``str`` says why."""


class ResultCache:
    """A least-recently-used map whose entries expire after ``seconds``."""

    def __init__(self, seconds: float = CACHE_SECONDS, entries: int = CACHE_ENTRIES) -> None:
        self.seconds = seconds
        self.entries = entries
        self._data: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._data.get(key)
            if found is None or time.monotonic() - found[0] > self.seconds:
                return None
            self._data.move_to_end(key)
            return found[1]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = (time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class _ChangeWatch:
    """Sees commits to a SQLite library by any other connection, for almost nothing."""

    def __init__(self, path: str) -> None:
        # Read-only, by URI: watching must never create or change a file.
        uri = Path(path).expanduser().resolve().as_uri() + "?mode=ro"
        self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        with self._lock:
            version = self._version()
            changed, self._seen = version != self._seen, version
            return changed

    def close(self) -> None:
        self._connection.close()


@dataclass
class WebState:
    """Shared by every request of one app."""

    library_url: str | None = None
    token: str | None = None  # needed for writes when bound beyond loopback
    max_upload: int = 20 * 1024 * 1024
    library_object: Any = None  # an open ficlens.library.Library to use from every thread
    cache: ResultCache = field(default_factory=ResultCache)
    _pipeline: Pipeline | None = None
    # spaCy pipelines are not documented as thread-safe: one analysis at a time.
    pipeline_lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)
    _opened: list[Any] = field(default_factory=list)
    _open_lock: threading.Lock = field(default_factory=threading.Lock)
    _watch: _ChangeWatch | None = None
    _limiter: anyio.CapacityLimiter | None = None

    def library(self) -> Any:
        """This thread's library connection, opened on first use (the analyse page works
        without one)."""
        if self.library_object is not None:
            return self.library_object
        library = getattr(self._local, "library", None)
        if library is None:
            library = self._open()
            self._local.library = library
        return library

    def _open(self) -> Any:
        try:
            from ficlens.library import open_library
            from ficlens.library.db import resolve_url
        except ImportError as error:  # the library is an optional part
            raise LibraryUnavailable(f"the library is not available ({error})") from error
        try:
            library = open_library(self.library_url)
        except Exception as error:
            raise LibraryUnavailable(f"cannot open the library: {error}") from error
        with self._open_lock:
            self._opened.append(library)
            if self._watch is None:
                dialect, target = resolve_url(self.library_url)
                if dialect == "sqlite" and target != ":memory:":
                    self._watch = _ChangeWatch(target)
        return library

    async def call(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``work(library, *args, **kwargs)`` in a worker thread with its own library."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(LIBRARY_THREADS)

        def run() -> T:
            return work(self.library(), *args, **kwargs)

        return await anyio.to_thread.run_sync(run, limiter=self._limiter)

    def forget(self) -> None:
        """Empty the cache if the library changed since it was filled."""
        if self._watch is not None and self._watch.changed():
            self.cache.clear()

    async def search(self, query: str, *, sort: str, limit: int, offset: int) -> Any:
        """``Library.search`` through the cache; facets are kept per query, pages per page."""
        self.forget()
        page_key = ("page", query, sort, limit, offset)
        facets_key = ("facets", query)
        page, facets = self.cache.get(page_key), self.cache.get(facets_key)
        if facets is None:
            page = None  # the facets come with a search that asks for them
        if page is None:
            want_facets = facets is None
            page = await self.call(
                lambda library: library.search(
                    query, sort=sort, limit=limit, offset=offset, facets=want_facets
                )
            )
            self.cache.put(page_key, dataclasses.replace(page, facets={}))
            if want_facets:
                facets = page.facets
                self.cache.put(facets_key, facets)
        return dataclasses.replace(page, facets=facets)

    async def similar(self, work_id: int, limit: int) -> list[Any]:
        self.forget()
        key = ("similar", work_id, limit)
        found = self.cache.get(key)
        if found is None:
            found = await self.call(lambda library: library.similar(work_id, limit=limit))
            self.cache.put(key, found)
        return found

    def changed(self) -> None:
        """The app itself changed the library."""
        self.cache.clear()

    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from ficlens.pipeline import Pipeline

            self._pipeline = Pipeline()
        return self._pipeline

    def close(self) -> None:
        with self._open_lock:
            for library in self._opened:
                library.close()
            self._opened.clear()
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self._local = threading.local()
        if self.library_object is not None:
            self.library_object.close()
            self.library_object = None


def web_state(request: Request) -> WebState:
    return request.app.state.web


async def stored_work(request: Request) -> Any:
    """The stored work named by the ``work_id`` path parameter, or a 404.

    Read on the event loop's own connection: one row by its key takes well under a
    millisecond, less than handing it to a worker thread and back (the GIL's switch
    interval alone is 5 ms under load)."""
    work_id = request.path_params["work_id"]
    stored = web_state(request).library().get(work_id)
    if stored is None:
        raise HTTPException(404, f"there is no work {work_id} in the library")
    return stored
