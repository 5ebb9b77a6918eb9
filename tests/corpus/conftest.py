"""Fixtures for the corpus tests: a folder of tiny stories and one local run over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_helpers import Run, ficlens
from corpus_stories import write_corpus

STORIES = 30
BAD = 2


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    root = tmp_path_factory.mktemp("corpus") / "in"
    ids = write_corpus(root, STORIES, bad=BAD)
    bad = [f"broken/bad-{j}.txt" for j in range(BAD)]
    return root, ids, bad


@pytest.fixture(scope="session")
def local_run(
    corpus: tuple[Path, list[str], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> Run:
    """The corpus analysed once by ``ficlens corpus run`` with two local workers."""
    source, ids, bad = corpus
    out = tmp_path_factory.mktemp("local") / "out"
    result = ficlens(
        "corpus", "run", str(source), "--out", str(out), "--workers", "2", "--part-size", "7"
    )
    return Run(source, out, ids, bad, result)
