"""Shared fixtures: the bundled sample stories and a helper to analyse a string."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.model import Analysis
from ficlens.pipeline import analyze_text

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
