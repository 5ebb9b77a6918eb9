"""Stub: replaced shortly by the real pipeline."""
from __future__ import annotations

from ficlens import __version__
from ficlens.model import Analysis, Source


def analyze_text(text: str, source: Source | None = None) -> Analysis:
    source = source or Source(path=None, format="text", encoding="utf-8")
    return Analysis(source=source, text_length=len(text), ficlens_version=__version__, text=text)
