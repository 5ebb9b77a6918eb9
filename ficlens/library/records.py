"""What the library hands out: plain records the CLI and the web app read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ficlens.model import Analysis


@dataclass(frozen=True)
class Added:
    work_id: int
    status: Literal["imported", "updated", "skipped"]


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    def line(self) -> str:
        return (
            f"{self.imported} imported, {self.updated} updated, {self.skipped} skipped, "
            f"{len(self.failed)} failed"
        )


@dataclass
class StoredWork:
    id: int
    analysis: Analysis  # with .text set
    path: str | None
    added_at: str
    updated_at: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass
class WorkSummary:
    """One line of a result list: what a reader scans before opening a work."""

    id: int
    title: str | None
    authors: list[str]
    fandoms: list[str]
    rating: str | None
    warnings: list[str]
    relationships: list[str]
    tags: list[str]  # the top few freeform tags, declared ones first
    words: int
    summary: str | None  # one line
    complete: bool | None
    published: str | None
    updated: str | None
    # Filled by similar(): the similarity and why ("shares pairing A/B", "4 tags").
    score: float | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    total: int
    works: list[WorkSummary]
    # Keys: fandom, character, relationship, tag, rating, warning, category.
    facets: dict[str, list[FacetValue]]
