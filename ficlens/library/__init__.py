"""The library: stored, analysed works, searchable and exportable.

``open_library(url)`` opens (and migrates) a SQLite file or a PostgreSQL database and
returns a ``Library``, the API the command line and the web app use::

    with open_library() as library:
        library.import_paths(["fics/"])
        result = library.search('pair:"Jim/Spock" -tag:angst rating:<=T')

Modules: ``db`` (the database class and migrations), ``store`` (an analysis into tables),
``importer``, ``query`` (the query language), ``search``, ``facets``, ``summaries``,
``similar``, ``export`` (JSON, EPUB, HTML), ``vocabulary`` (names, ratings, synonyms),
``records`` (what the API returns), ``report`` (the command line's renderings).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from ficlens import __version__
from ficlens.errors import FicError
from ficlens.library.db import Database, DatabaseError, default_path
from ficlens.library.query import QueryError
from ficlens.library.records import (
    Added,
    FacetValue,
    ImportSummary,
    SearchResult,
    StoredWork,
    WorkSummary,
)
from ficlens.model import Analysis

if TYPE_CHECKING:
    from ficlens.pipeline import Pipeline
    from ficlens.read import Loaded

__all__ = [
    "Added",
    "DatabaseError",
    "FacetValue",
    "ImportSummary",
    "Library",
    "QueryError",
    "SearchResult",
    "StoredWork",
    "WorkSummary",
    "default_path",
    "open_library",
]


def open_library(url: str | None = None) -> Library:
    """None -> $FICLENS_DB, else ``${XDG_DATA_HOME:-~/.local/share}/ficlens/library.sqlite3``;
    a plain path or sqlite:///path -> SQLite; postgresql://... -> PostgreSQL."""
    db = Database(url)
    try:
        db.migrate()
    except BaseException:
        db.close()
        raise
    return Library(db)


class Library:
    """Works, their analyses and the tables search reads; a context manager."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing -----------------------------------------------------------------------

    def add(self, loaded: Loaded, analysis: Analysis) -> Added:
        """Store one analysed story in one transaction (skipped if its hash is stored)."""
        from ficlens.library.store import absolute, store_analysis

        if analysis.text is None:
            analysis.text = loaded.text
        with self.db.transaction():
            return store_analysis(self.db, analysis, absolute(loaded.source.path))

    def import_paths(
        self,
        paths: Iterable[str],
        *,
        pipeline: Pipeline | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> ImportSummary:
        from ficlens.library.importer import import_paths

        return import_paths(self.db, paths, pipeline=pipeline, on_progress=on_progress)

    def delete(self, work_id: int) -> bool:
        from ficlens.library.store import delete_work

        with self.db.transaction():
            return delete_work(self.db, work_id)

    def reanalyze(
        self,
        *,
        everything: bool = False,
        pipeline: Pipeline | None = None,
        failed: list[tuple[int, str]] | None = None,
    ) -> int:
        """Re-run the analysis of works stored by another ficlens version (or of all).

        The original file is read again when it is still there unchanged (a structured
        source declares more than its text); otherwise the stored text is analysed.
        Returns how many works were re-analysed; a work that fails is left as it was and
        listed in ``failed`` as (work id, reason).
        """
        from ficlens.library.store import replace_analysis
        from ficlens.pipeline import Pipeline

        if everything:
            rows = self.db.all("SELECT id FROM works ORDER BY id")
        else:
            rows = self.db.all(
                "SELECT id FROM works WHERE ficlens_version <> ? ORDER BY id", (__version__,)
            )
        done = 0
        for (work_id,) in rows:
            stored = self.get(int(work_id))
            if stored is None:
                continue
            try:
                loaded = _reload(stored)
                if pipeline is None:
                    pipeline = Pipeline()
                analysis = pipeline.analyze_loaded(loaded)
                with self.db.transaction():
                    replace_analysis(self.db, stored.id, analysis)
            except Exception as error:
                if failed is not None:
                    failed.append((stored.id, f"{type(error).__name__}: {error}"))
                continue
            done += 1
        return done

    # -- reading -----------------------------------------------------------------------

    def get(self, work_id: int) -> StoredWork | None:
        from ficlens.library.store import load_work

        return load_work(self.db, work_id)

    def count(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM works"))

    def search(
        self,
        query: str = "",
        *,
        sort: str = "relevance",
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
    ) -> SearchResult:
        """Works matching ``query`` (see ``ficlens.library.query``), a page of them in
        ``sort`` order, and facet counts over all matches. Raises QueryError."""
        from ficlens.library.search import search

        return search(self.db, query, sort=sort, limit=limit, offset=offset, with_facets=facets)

    def similar(self, work_id: int, limit: int = 5) -> list[WorkSummary]:
        from ficlens.library.similar import similar

        return similar(self.db, work_id, limit)

    def summaries(self, work_ids: list[int]) -> list[WorkSummary]:
        from ficlens.library.summaries import summaries

        return summaries(self.db, work_ids)

    def export(self, work_id: int, format: str) -> bytes:
        """The work as ``json`` (the analysis, with its text), ``epub`` or ``html``."""
        from ficlens.library.export import export_work

        stored = self.get(work_id)
        if stored is None:
            raise FicError(f"no work with id {work_id}")
        return export_work(stored, format)


def _reload(stored: StoredWork) -> Loaded:
    from ficlens.read import Loaded, load_path

    source = stored.analysis.source
    if stored.path and os.path.isfile(stored.path):
        try:
            loaded = load_path(stored.path)
        except FicError:
            loaded = None
        if loaded is not None and loaded.source.sha256 == source.sha256:
            return loaded
    return Loaded(stored.analysis.text or "", source)
