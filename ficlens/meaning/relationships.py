"""The relationships stage (being built)."""

from __future__ import annotations

from ficlens.document import Document


def relationships_stage(document: Document) -> None:
    """Fills ``Analysis.relationships``; not built yet."""
