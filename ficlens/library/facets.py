"""Facet counts over a result set in SQL: how many matching works carry each value.

Search counts facets from its in-memory index (``facet_index``); this is the count in SQL
alone, for a search before the index is read (a process's first) or where there can be
none (an in-memory SQLite database).

Every work's facet values are stored as integer pairs (``work_facets``) and each value
keeps the number of works in the library that carry it (``facet_values.works``). So the
counts for the whole library are read, not counted; a result set with more than half the
library is counted through its complement (library counts minus the works left out); a
smaller one is counted directly. ``source:`` restricts the counts to declared (or
inferred) values, counted directly.
"""

from __future__ import annotations

from typing import Any

from ficlens.library.db import Database
from ficlens.library.records import FacetValue

FACET_KEYS = ("fandom", "character", "relationship", "tag", "rating", "warning", "category")
VALUES_PER_FACET = 30


def facets(
    db: Database,
    hits_sql: str,
    hits_params: list[Any],
    *,
    total: int,
    source: str | None = None,
    per_facet: int = VALUES_PER_FACET,
) -> dict[str, list[FacetValue]]:
    """Counts per facet over the ``total`` works that ``hits_sql`` (a SELECT of ids) finds.

    Each facet lists its ``per_facet`` most common values, ties by name.
    """
    library = int(db.scalar("SELECT COUNT(*) FROM works"))
    if source is None and total == library:
        rows = db.all("SELECT facet, value, works FROM facet_values WHERE works > 0")
    elif source is None and total > library // 2:
        left_out = _counts(db, f"SELECT id FROM works EXCEPT {hits_sql}", hits_params, None)
        rows = [
            (facet, value, works - left_out.get(value_id, 0))
            for value_id, facet, value, works in db.all(
                "SELECT id, facet, value, works FROM facet_values WHERE works > 0"
            )
        ]
    else:
        counted = _counts(db, hits_sql, hits_params, source)
        rows = [
            (facet, value, counted[value_id]) for value_id, facet, value in _values(db, counted)
        ]
    found: dict[str, list[FacetValue]] = {key: [] for key in FACET_KEYS}
    for facet, value, count in rows:
        if count > 0 and facet in found:
            found[facet].append(FacetValue(str(value), int(count)))
    for values in found.values():
        values.sort(key=lambda item: (-item.count, item.value.casefold()))
        del values[per_facet:]
    return found


def _counts(db: Database, ids_sql: str, params: list[Any], source: str | None) -> dict[int, int]:
    """value id -> number of the works ``ids_sql`` selects that carry it."""
    scope = f" WHERE wf.{source} = 1" if source in ("declared", "inferred") else ""
    # MATERIALIZED: the ids are found once, then joined on the (work, value) key.
    rows = db.all(
        f"WITH ids AS MATERIALIZED ({ids_sql})"
        " SELECT wf.value_id, COUNT(*) FROM work_facets wf JOIN ids ON ids.id = wf.work_id"
        f"{scope} GROUP BY wf.value_id",
        params,
    )
    return {int(value_id): int(count) for value_id, count in rows}


def _values(db: Database, counted: dict[int, int]) -> list[tuple[Any, ...]]:
    ids = list(counted)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found += db.all(f"SELECT id, facet, value FROM facet_values WHERE id IN ({marks})", chunk)
    return found
