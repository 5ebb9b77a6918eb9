"""The tags stage (being built)."""

from __future__ import annotations

from ficlens.document import Document


def tags_stage(document: Document) -> None:
    """Fills ``Analysis.tags``; not built yet."""
