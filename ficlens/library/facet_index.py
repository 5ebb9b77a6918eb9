"""The library in memory, for search: every work's facet values and the columns search
filters and sorts on, as numpy arrays indexed by work id, kept in step with the database.

Counting facets in SQL joins the facet rows of every matching work: at 100,000 works a
query that matches half the library takes hundreds of milliseconds. Here a result set is
a boolean mask over work ids, and its facet counts are one ``np.bincount`` over the value
ids of the works it holds (or of the works it leaves out, subtracted from the library's
counts, when it holds more than half): a few milliseconds, exact, whatever its size.

One index serves every ``Library`` a process opens on the same database and reads it
through a connection of its own, each time in one read transaction, so it always holds
one consistent state of the library. Before each use it asks, for next to nothing,
whether anything was committed since: SQLite's ``PRAGMA data_version`` on its connection
changes when any other connection commits (this process's or another's); PostgreSQL's
current snapshot changes when a transaction starts writing or ends. If so it reads again
what changed: the works whose (updated_at, sha256, ficlens_version) differ from what it
holds and new ones are read again, deleted ones dropped. A work stored again within the
same second with the same content keeps its signature, so the result is checked against
the library's own per-value counts (``facet_values.works``) and read whole if they differ.
Sort orders are made in numpy on SQLite, on first use (its BINARY order is code-point
order), and read with the rest on PostgreSQL (its collation orders titles). An in-memory SQLite
database has no second connection to read it through, so it has no index (search counts
in SQL there). Reading the index takes seconds for a large library, so a process reads
it only from its second search on, in the background (``LibraryIndex.ready``).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from ficlens.library.db import Database, DatabaseError
from ficlens.library.facets import FACET_KEYS, VALUES_PER_FACET
from ficlens.library.records import FacetValue

# The orders search sorts by, each ending in the id so that no two works tie.
ORDERS = {
    "words": "w.words DESC, w.id",
    "title": "w.title_sort, w.id",
    "date": "w.sort_date DESC, w.id DESC",
}
SOURCE_BITS = {"declared": 1, "inferred": 2}
# Above this share of changed works a refresh reads every facet row again.
FULL_RELOAD_SHARE = 0.25
_CHUNK = 500  # ids per "IN (...)" list
# Per-work columns: name -> (index in _work_columns' tuples, value for none, type).
_COLUMNS: dict[str, tuple[int, int, Any]] = {
    "words": (0, 0, np.int64),
    "rating_rank": (1, -1, np.int16),
    "rating_code": (2, -1, np.int32),
    "complete": (3, -1, np.int8),
}
# The facets search filters on from the index (the others it counts only).
_FILTER_CODES = [FACET_KEYS.index("fandom"), FACET_KEYS.index("warning")]


@dataclass(frozen=True)
class IndexState:
    """One consistent state of the library. Arrays indexed by work id have ``size``
    entries; ids that are not (or no longer) works are simply not ``present``."""

    size: int
    present: np.ndarray  # bool
    works: int
    words: np.ndarray  # int64
    rating_rank: np.ndarray  # int16, -1 where the work has none
    rating_code: np.ndarray  # int32 into ``ratings``, -1 where the work has none
    ratings: dict[str, int]
    complete: np.ndarray  # int8: 1 yes, 0 no, -1 unknown
    # sort name -> each work's position in that order, made on first use from order_keys:
    # (ids, words, title_sort and sort_date of each id in turn).
    order_rank: dict[str, np.ndarray]
    order_keys: tuple[np.ndarray, np.ndarray, list[str], list[str]]
    # Facet rows, sorted by work id: the rows of work w are [work_start[w], work_start[w+1]).
    entry_value: np.ndarray  # int64 value id
    entry_flags: np.ndarray  # uint8: SOURCE_BITS
    entry_work: np.ndarray  # int64
    work_start: np.ndarray  # int64, size + 1
    # The same rows by value: rows by_value[value_start[v]:value_start[v + 1]] carry v.
    by_value: np.ndarray
    value_start: np.ndarray
    value_facet: np.ndarray  # int8 index into FACET_KEYS, -1 for none of them
    value_text: dict[int, str]
    value_norm: dict[int, str]
    facet_values: tuple[np.ndarray, ...]  # per facet, its value ids by name (casefolded)
    totals: dict[str | None, np.ndarray]  # the whole library's counts, per source

    def rank(self, sort: str) -> np.ndarray:
        """Each work's position in the ``sort`` order of ``ORDERS``, by work id."""
        found = self.order_rank.get(sort)
        if found is None:
            ids, words, titles, dates = self.order_keys
            # Python's and numpy's string order is SQLite's (BINARY: by code point).
            if sort == "words":
                ordered = ids[np.lexsort((ids, -words[ids]))]
            elif sort == "title":
                ordered = ids[np.lexsort((ids, np.array(titles, dtype=str)))]
            else:
                ordered = ids[np.lexsort((ids, np.array(dates, dtype=str)))][::-1]
            found = self.order_rank[sort] = _rank(ordered, self.size)
        return found

    def mask(self, ids: np.ndarray) -> np.ndarray:
        """A work mask from work ids (ids beyond this state, newer works, are left out)."""
        found = np.zeros(self.size, dtype=bool)
        ids = ids[(ids >= 0) & (ids < self.size)]
        found[ids] = True
        return found & self.present

    def works_with(self, value_ids: list[int], source: str | None) -> np.ndarray:
        """The mask of works that carry any of ``value_ids`` (from ``source`` if given)."""
        rows = [
            self.by_value[self.value_start[v] : self.value_start[v + 1]]
            for v in value_ids
            if 0 <= v < len(self.value_start) - 1
        ]
        found = np.zeros(self.size, dtype=bool)
        if rows:
            picked = np.concatenate(rows)
            if source in SOURCE_BITS:
                picked = picked[(self.entry_flags[picked] & SOURCE_BITS[source]) != 0]
            found[self.entry_work[picked]] = True
        return found

    def values_where(self, facet: str, keep: Any) -> list[int]:
        """Ids of the ``facet`` values whose normalised text passes ``keep``."""
        code = FACET_KEYS.index(facet)
        return [int(v) for v in self.facet_values[code] if keep(self.value_norm[int(v)])]

    def counts(self, matched: np.ndarray, source: str | None = None) -> np.ndarray:
        """value id -> number of the works in ``matched`` (a work mask) that carry it."""
        hits = int(np.count_nonzero(matched))
        if hits * 2 > self.works:
            # A broad result: count the works it leaves out, fewer rows to read.
            left_out = np.flatnonzero(self.present & ~matched)
            return self.totals[source] - self._count(left_out, source)
        return self._count(np.flatnonzero(matched), source)

    def _count(self, work_ids: np.ndarray, source: str | None) -> np.ndarray:
        size = len(self.value_start) - 1
        starts = self.work_start[work_ids]
        lengths = self.work_start[work_ids + 1] - starts
        rows = int(lengths.sum())
        if rows == 0:
            return np.zeros(size, dtype=np.int64)
        # The row positions of every given work, in one vector: each work's start repeated
        # over its rows, plus the running offset within them.
        ends = np.cumsum(lengths)
        positions = np.repeat(starts - (ends - lengths), lengths) + np.arange(rows)
        values = self.entry_value[positions]
        if source in SOURCE_BITS:
            values = values[(self.entry_flags[positions] & SOURCE_BITS[source]) != 0]
        return np.bincount(values, minlength=size)

    def facets(
        self, counts: np.ndarray, per_facet: int = VALUES_PER_FACET
    ) -> dict[str, list[FacetValue]]:
        """The ``per_facet`` most common values of each facet, ties by name."""
        found: dict[str, list[FacetValue]] = {}
        for key, value_ids in zip(FACET_KEYS, self.facet_values, strict=True):
            counted = counts[value_ids]
            nonzero = counted > 0
            value_ids, counted = value_ids[nonzero], counted[nonzero]
            # Stable: equal counts keep the order by name.
            best = np.argsort(-counted, kind="stable")[:per_facet]
            found[key] = [
                FacetValue(self.value_text[int(value_ids[i])], int(counted[i])) for i in best
            ]
        return found


class LibraryIndex:
    """The in-memory index of one database, refreshed when it changes (thread-safe)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._db = Database(url)
        self._lock = threading.Lock()
        self._marker: Any = None
        self._state: IndexState | None = None
        self._signatures: dict[int, str] = {}
        self._works: dict[int, tuple[Any, ...]] = {}  # id -> _work_columns
        self._columns: dict[str, np.ndarray] = {}  # _COLUMNS by work id
        self._ratings: dict[str, int] = {}  # rating -> its code in the rating_code column
        self._named: np.ndarray | None = None  # value ids by name (casefolded), then id
        # Facet rows in work order: (work id, value id, source bits).
        self._rows = np.zeros((0, 3), dtype=np.int64)
        self._value_facet: dict[int, int] = {}
        self._value_text: dict[int, str] = {}
        self._value_norm: dict[int, str] = {}
        self._server_version: int | None = None
        self._requests = 0
        self._reader: threading.Thread | None = None
        self.refreshes = 0  # how many times the library was read (tests and benchmarks)

    def ready(self) -> IndexState | None:
        """The index as of the latest commit, or None while it has never been read.

        Reading it takes seconds at 100,000 works, more than a search in SQL alone: a
        process that searches once (the command line) should not pay for it. So the
        first request only counts; the second starts reading it in the background, and
        until that is done the caller searches in SQL.
        """
        if self._state is None:
            with self._lock:
                self._requests += 1
                if self._requests < 2 or self._reader is not None:
                    return None
                self._reader = threading.Thread(
                    target=self._read_in_background, name="ficlens-index", daemon=True
                )
            self._reader.start()
            return None
        return self.current()

    def _read_in_background(self) -> None:
        try:
            self.current()
        except Exception:  # the next request tries again; search goes on in SQL
            self._reader = None

    def current(self) -> IndexState:
        """The index as of the latest commit to the library (read now if need be)."""
        with self._lock:
            marker = self._change_marker()
            if self._state is None or marker != self._marker:
                self._state = self._read()
                self.refreshes += 1
            return self._state

    def close(self) -> None:
        with suppress(DatabaseError):
            self._db.close()

    # -- change detection --------------------------------------------------------------

    def _change_marker(self) -> Any:
        if self._db.dialect == "sqlite":
            return int(self._db.scalar("PRAGMA data_version"))
        return self._db.scalar(self._snapshot_sql())

    def _snapshot_sql(self) -> str:
        if self._server_version is None:
            self._server_version = int(
                self._db.scalar("SELECT current_setting('server_version_num')::int")
            )
        return (
            "SELECT pg_current_snapshot()::text"
            if self._server_version >= 130000
            else "SELECT txid_current_snapshot()::text"
        )

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: everything read in it is one state of the library."""
        db = self._db
        if db.dialect == "sqlite":
            db.execute("BEGIN")
        else:
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            with suppress(DatabaseError):
                db.execute("COMMIT")

    # -- reading -----------------------------------------------------------------------

    def _read(self) -> IndexState:
        """Read what changed since the last read; nothing is kept if it fails."""
        db = self._db
        snapshot_sql = self._snapshot_sql() if db.dialect == "postgresql" else None
        with self._snapshot():
            if snapshot_sql:
                # Inside a REPEATABLE READ transaction this is the transaction's snapshot:
                # exactly the state read here.
                marker = db.scalar(snapshot_sql)
            else:
                marker = int(db.scalar("PRAGMA data_version"))
            signatures = {
                int(work_id): signature
                for work_id, signature in db.all(
                    "SELECT id, updated_at || '|' || sha256 || '|' || ficlens_version FROM works"
                )
            }
            changed = [
                work_id
                for work_id, signature in signatures.items()
                if self._signatures.get(work_id) != signature
            ]
            gone = [work_id for work_id in self._signatures if work_id not in signatures]
            updated: list[int] | None = changed
            full = len(changed) + len(gone) > FULL_RELOAD_SHARE * max(len(signatures), 1)
            if not full:
                rows, works, fresh = self._patched(db, changed, gone)
                # A work stored again in the same second, from the same file by the same
                # version, keeps its signature: the library's own count of the works that
                # carry each value (kept by store.py) shows whether anything else changed.
                full = not _counts_agree(db, rows)
            if full:
                updated = None
                rows = fresh = _facet_rows(db, None)
                works = _work_columns(db, None)
            elif self._state is not None and not changed and not gone:
                # A commit that changed no work (or changed it back): nothing to read.
                self._marker = marker
                return self._state
            self._read_values(db, fresh)
            orders = None
            if db.dialect == "postgresql":
                # The server's collation decides the order of titles: ask it.
                orders = {
                    name: _ints(db.all(f"SELECT w.id FROM works w ORDER BY {order}"))
                    for name, order in ORDERS.items()
                }
        self._rows, self._works, self._signatures, self._marker = rows, works, signatures, marker
        return self._derive(works, orders, updated)

    def _patched(
        self, db: Database, changed: list[int], gone: list[int]
    ) -> tuple[np.ndarray, dict[int, tuple[Any, ...]], np.ndarray]:
        """(facet rows, work columns, the changed works' facet rows): what is held, with
        the changed works read again and the gone ones left out."""
        fresh = _facet_rows(db, changed)
        rows, works = self._rows, self._works
        if changed or gone:
            replaced = changed + gone
            limit = max(int(rows[:, 0].max(initial=0)), *replaced) + 1
            stale = np.zeros(limit, dtype=bool)
            stale[replaced] = True
            rows = np.concatenate([rows[~stale[rows[:, 0]]], fresh])
            # Both parts are in work order: a stable sort of two runs is a merge.
            rows = rows[np.argsort(rows[:, 0], kind="stable")]
            works = dict(works)  # a copy: self._works stays as it was if this fails
            for work_id in gone:
                works.pop(work_id, None)
            works.update(_work_columns(db, changed))
        return rows, works, fresh

    def _read_values(self, db: Database, rows: np.ndarray) -> None:
        """Learn the values that ``rows`` name for the first time (values never change)."""
        unknown = sorted(set(np.unique(rows[:, 1]).tolist()) - self._value_text.keys())
        if not unknown:
            return
        if len(unknown) > _CHUNK:
            found = db.all("SELECT id, facet, value_norm, value FROM facet_values")
        else:
            found = db.all(
                "SELECT id, facet, value_norm, value FROM facet_values"
                f" WHERE id IN ({', '.join('?' for _ in unknown)})",
                unknown,
            )
        for value_id, facet, value_norm, value in found:
            value_id = int(value_id)
            self._value_facet[value_id] = FACET_KEYS.index(facet) if facet in FACET_KEYS else -1
            self._value_norm[value_id] = str(value_norm)
            self._value_text[value_id] = str(value)

    def _update_columns(
        self, works: dict[int, tuple[Any, ...]], updated: list[int] | None, size: int
    ) -> dict[str, np.ndarray]:
        """The per-work columns by id, new arrays: every work's read again (``updated``
        None), or the previous ones with only the updated works' set."""
        if updated is None:
            self._ratings = {}
            updated = list(works)
            previous: dict[str, np.ndarray] = {}
        else:
            updated = [work_id for work_id in updated if work_id in works]
            previous = self._columns
        found = {}
        for name, (index, missing, dtype) in _COLUMNS.items():
            column = np.full(size, missing, dtype=dtype)
            if name in previous:
                kept = min(size, len(previous[name]))
                column[:kept] = previous[name][:kept]
            if name == "rating_code":
                cells = (
                    missing
                    if works[w][index] is None
                    else self._ratings.setdefault(str(works[w][index]), len(self._ratings))
                    for w in updated
                )
            else:
                cells = (missing if works[w][index] is None else works[w][index] for w in updated)
            column[updated] = np.fromiter(cells, dtype=dtype, count=len(updated))
            found[name] = column
        self._columns = found
        return found

    def _derive(
        self,
        works: dict[int, tuple[Any, ...]],
        orders: dict[str, np.ndarray] | None,
        updated: list[int] | None,
    ) -> IndexState:
        rows = self._rows
        ids = np.fromiter(works, dtype=np.int64, count=len(works))
        size = int(max(ids.max(initial=0), rows[:, 0].max(initial=0))) + 1
        present = np.zeros(size, dtype=bool)
        present[ids] = True
        columns = self._update_columns(works, updated, size)
        words = columns["words"]
        order_rank: dict[str, np.ndarray] = {}
        if orders is not None:
            for name, ordered in orders.items():
                order_rank[name] = _rank(ordered, size)
        values = works.values()
        order_keys = (ids, words, [row[4] for row in values], [row[5] for row in values])

        entry_work = np.ascontiguousarray(rows[:, 0])
        entry_value = np.ascontiguousarray(rows[:, 1])
        entry_flags = rows[:, 2].astype(np.uint8)
        work_start = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(entry_work, minlength=size), out=work_start[1:])

        value_count = max([int(entry_value.max(initial=0)), *self._value_text]) + 1
        value_facet = np.full(value_count, -1, dtype=np.int8)
        for value_id, code in self._value_facet.items():
            value_facet[value_id] = code
        # Rows by value, for the facets search filters on in memory.
        filtered = np.flatnonzero(np.isin(value_facet[entry_value], _FILTER_CODES))
        by_value = filtered[np.argsort(entry_value[filtered], kind="stable")]
        value_start = np.zeros(value_count + 1, dtype=np.int64)
        np.cumsum(np.bincount(entry_value[filtered], minlength=value_count), out=value_start[1:])
        if self._named is None or len(self._named) != len(self._value_text):
            named = sorted(self._value_text, key=lambda v: (self._value_text[v].casefold(), v))
            self._named = np.array(named, dtype=np.int64)
        named_ids = self._named
        facet_values = tuple(
            named_ids[value_facet[named_ids] == code] for code in range(len(FACET_KEYS))
        )
        totals: dict[str | None, np.ndarray] = {
            None: np.bincount(entry_value, minlength=value_count)
        }
        for source, bit in SOURCE_BITS.items():
            totals[source] = np.bincount(
                entry_value[(entry_flags & bit) != 0], minlength=value_count
            )
        return IndexState(
            size=size,
            present=present,
            works=len(works),
            words=words,
            rating_rank=columns["rating_rank"],
            rating_code=columns["rating_code"],
            ratings=dict(self._ratings),
            complete=columns["complete"],
            order_rank=order_rank,
            order_keys=order_keys,
            entry_value=entry_value,
            entry_flags=entry_flags,
            entry_work=entry_work,
            work_start=work_start,
            by_value=by_value,
            value_start=value_start,
            value_facet=value_facet,
            value_text=dict(self._value_text),
            value_norm=dict(self._value_norm),
            facet_values=facet_values,
            totals=totals,
        )


def _rank(ordered: np.ndarray, size: int) -> np.ndarray:
    """Each work's position in ``ordered`` (ids), by work id."""
    rank = np.zeros(size, dtype=np.int64)
    rank[ordered] = np.arange(len(ordered))
    return rank


def _counts_agree(db: Database, rows: np.ndarray) -> bool:
    """Whether ``rows`` give every facet value the number of works the library says."""
    stored = np.array(db.all("SELECT id, works FROM facet_values"), dtype=np.int64)
    if len(stored) == 0:
        return len(rows) == 0
    counted = np.bincount(rows[:, 1], minlength=int(stored[:, 0].max()) + 1)
    return len(counted) == int(stored[:, 0].max()) + 1 and bool(
        np.array_equal(counted[stored[:, 0]], stored[:, 1])
    )


def _work_columns(db: Database, work_ids: list[int] | None) -> dict[int, tuple[Any, ...]]:
    """id -> (words, rating_rank, rating, complete, title_sort, sort_date) (None: all)."""
    select = "SELECT id, words, rating_rank, rating, complete, title_sort, sort_date FROM works"
    if work_ids is None:
        rows = db.all(select)
    else:
        rows = []
        for start in range(0, len(work_ids), _CHUNK):
            chunk = work_ids[start : start + _CHUNK]
            rows += db.all(f"{select} WHERE id IN ({', '.join('?' for _ in chunk)})", chunk)
    return {int(row[0]): row[1:] for row in rows}


def _ints(rows: list[tuple[Any, ...]]) -> np.ndarray:
    return np.fromiter((int(row[0]) for row in rows), dtype=np.int64, count=len(rows))


def _grow(mask: np.ndarray, size: int) -> np.ndarray:
    if len(mask) >= size:
        return mask
    return np.concatenate([mask, np.zeros(size - len(mask), dtype=bool)])


def _facet_rows(db: Database, work_ids: list[int] | None) -> np.ndarray:
    """(work id, value id, source bits) of the given works' facet rows (None: all)."""
    select = "SELECT work_id, value_id, declared + 2 * inferred FROM work_facets"
    if work_ids is None:
        rows = db.all(f"{select} ORDER BY work_id")
    else:
        rows = []
        ordered = sorted(work_ids)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows += db.all(f"{select} WHERE work_id IN ({marks}) ORDER BY work_id", chunk)
    if not rows:
        return np.zeros((0, 3), dtype=np.int64)
    return np.array(rows, dtype=np.int64)


# -- one index per database, shared by every connection to it ---------------------------

_LOCK = threading.Lock()
_BY_TARGET: weakref.WeakValueDictionary[tuple[str, ...], LibraryIndex] = (
    weakref.WeakValueDictionary()
)
# Each Database holds its index alive; when the last one goes, so does the index.
_BY_DATABASE: weakref.WeakKeyDictionary[Database, LibraryIndex] = weakref.WeakKeyDictionary()


def index_for(db: Database) -> LibraryIndex | None:
    """The shared index of ``db``'s library, or None where there can be none."""
    found = _BY_DATABASE.get(db)
    if found is not None:
        return found
    key = _target_key(db)
    if key is None:
        return None
    with _LOCK:
        found = _BY_TARGET.get(key)
        if found is None:
            try:
                found = LibraryIndex(key[1])
            except DatabaseError:  # cannot open a second connection: search in SQL
                return None
            # Not found.close: the finalizer must not hold the index alive.
            weakref.finalize(found, found._db.close)
            _BY_TARGET[key] = found
        _BY_DATABASE[db] = found
    return found


def _target_key(db: Database) -> tuple[str, ...] | None:
    if db.dialect == "postgresql":
        return ("postgresql", db.target)
    if db.target == ":memory:" or db.target.startswith("file:"):
        return None
    path = os.path.expanduser(db.target)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    # The file itself, not its name: a library deleted and made again is a new one.
    return ("sqlite", os.path.realpath(path), str(stat.st_dev), str(stat.st_ino))
