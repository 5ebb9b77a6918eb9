"""Layout: the story's notes, declared metadata, chapters, scene breaks and paragraphs."""

from __future__ import annotations

from ficlens.document import Document
from ficlens.layout.structure import build_work


def layout_stage(doc: Document) -> None:
    """Pipeline stage: fill the analysis's ``work`` from the text."""
    doc.analysis.work = build_work(doc.text)


__all__ = ["build_work", "layout_stage"]
