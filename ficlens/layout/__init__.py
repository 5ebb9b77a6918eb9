"""Layout: the story's notes, declared metadata, chapters, scene breaks and paragraphs."""

from __future__ import annotations

from ficlens.layout.structure import build_work
from ficlens.model import Analysis


def layout_stage(doc: Analysis) -> None:
    """Pipeline stage: fill ``doc.work`` from ``doc.text``."""
    assert doc.text is not None
    doc.work = build_work(doc.text)


__all__ = ["build_work", "layout_stage"]
