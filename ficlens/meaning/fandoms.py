"""The fandoms stage (being built)."""

from __future__ import annotations

from ficlens.document import Document


def fandoms_stage(document: Document) -> None:
    """Fills ``Analysis.fandoms``; not built yet."""
