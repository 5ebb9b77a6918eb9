"""The arc stage (being built)."""

from __future__ import annotations

from ficlens.document import Document


def arc_stage(document: Document) -> None:
    """Fills ``Analysis.arc``; not built yet."""
