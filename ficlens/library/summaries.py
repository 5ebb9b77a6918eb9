"""WorkSummary records for a list of work ids, read from the stored tables in a few queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ficlens.library.db import Database
from ficlens.library.records import WorkSummary
from ficlens.library.vocabulary import norm

TAGS_PER_SUMMARY = 8
SUMMARY_CHARS = 240


def one_line(text: str | None, limit: int = SUMMARY_CHARS) -> str | None:
    if not text:
        return None
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def summaries(db: Database, ids: list[int]) -> list[WorkSummary]:
    """Summaries in the order of ``ids`` (ids not in the library are left out)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.all(
        "SELECT id, title, summary, rating, words, complete, published, updated"
        f" FROM works WHERE id IN ({marks})",
        ids,
    )
    authors = _grouped(
        db.all(
            f"SELECT work_id, name FROM authors WHERE work_id IN ({marks}) ORDER BY position", ids
        )
    )
    # Declared values first, then inferred ones by confidence; one entry per name.
    fandoms = _grouped(
        db.all(
            f"SELECT work_id, name FROM fandoms WHERE work_id IN ({marks})"
            " ORDER BY CASE source WHEN 'declared' THEN 0 ELSE 1 END, confidence DESC, name",
            ids,
        )
    )
    relationships = _grouped(
        db.all(
            f"SELECT work_id, notation FROM relationships WHERE work_id IN ({marks})"
            " ORDER BY CASE source WHEN 'declared' THEN 0 ELSE 1 END, score DESC, id",
            ids,
        )
    )
    tags: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for work_id, tag_type, name in db.all(
        f"SELECT work_id, type, name FROM tags WHERE work_id IN ({marks})"
        " ORDER BY CASE source WHEN 'declared' THEN 0 ELSE 1 END, confidence DESC, name",
        ids,
    ):
        tags[int(work_id)][tag_type].append(name)
    by_id: dict[int, WorkSummary] = {}
    for work_id, title, summary, rating, words, complete, published, updated in rows:
        work_id = int(work_id)
        by_id[work_id] = WorkSummary(
            id=work_id,
            title=title,
            authors=authors.get(work_id, []),
            fandoms=_unique(fandoms.get(work_id, [])),
            rating=rating,
            warnings=_unique(tags[work_id]["warning"]),
            relationships=_unique(relationships.get(work_id, [])),
            tags=_unique(tags[work_id]["freeform"])[:TAGS_PER_SUMMARY],
            words=int(words),
            summary=one_line(summary),
            complete=None if complete is None else bool(complete),
            published=published,
            updated=updated,
        )
    return [by_id[work_id] for work_id in ids if work_id in by_id]


def _grouped(rows: list[tuple[Any, ...]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for work_id, value in rows:
        grouped[int(work_id)].append(value)
    return grouped


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(norm(name), name)
    return list(seen.values())
