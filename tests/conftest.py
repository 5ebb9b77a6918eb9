"""Shared fixtures: the bundled sample stories and a helper to analyse a string."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.document import Document
from ficlens.model import Analysis, Source
from ficlens.pipeline import analyze_text, stages_before

SAMPLES = Path(__file__).resolve().parent.parent / "ficlens" / "samples"


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    paths = sorted(SAMPLES.glob("*.txt"))
    assert len(paths) >= 5, "the bundled samples are missing"
    return paths


def analyse(text: str) -> Analysis:
    return analyze_text(text)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def _before_speakers(text: str) -> Document:
    source = Source(path=None, format="text", encoding="utf-8")
    analysis = Analysis(source=source, text_length=len(text), text=text)
    document = Document(text=text, analysis=analysis)
    for stage in stages_before("speakers"):
        stage.build()(document)
    return document


@pytest.fixture(scope="session")
def before_speakers():
    """Analyse a string up to the speakers stage: the document that stage receives."""
    return _before_speakers
