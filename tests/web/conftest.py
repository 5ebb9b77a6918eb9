"""Fixtures of the web tests: three short original stories, analysed once, and a real SQLite
library holding them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_helpers import SCREENSHOT_DIRS, STORIES, build_library

from ficlens.model import Analysis
from ficlens.pipeline import Pipeline
from ficlens.read import Loaded, load_path


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def stories(pipeline: Pipeline) -> dict[str, tuple[Loaded, Analysis]]:
    """Each story file's stem -> (what was read, its analysis)."""
    found: dict[str, tuple[Loaded, Analysis]] = {}
    for path in sorted(STORIES.glob("*.txt")):
        loaded = load_path(path)
        found[path.stem] = (loaded, pipeline.analyze_loaded(loaded))
    assert len(found) == 3
    return found


@pytest.fixture(scope="session")
def library_db(
    tmp_path_factory: pytest.TempPathFactory, stories: dict[str, tuple[Loaded, Analysis]]
) -> tuple[Path, dict[str, int]]:
    """A library shared by tests that only read it: (its path, story stem -> work id)."""
    path = tmp_path_factory.mktemp("library") / "library.sqlite3"
    return path, build_library(path, stories)


@pytest.fixture
def client(library_db: tuple[Path, dict[str, int]]) -> Iterator[TestClient]:
    from ficlens.web import create_app

    with TestClient(create_app(str(library_db[0]))) as test_client:
        yield test_client


@pytest.fixture
def work_ids(library_db: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return library_db[1]


@pytest.fixture
def bare_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over a library path that does not exist yet (the analyse pages need none)."""
    from ficlens.web import create_app

    with TestClient(create_app(str(tmp_path / "none" / "library.sqlite3"))) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in SCREENSHOT_DIRS:
        shots = sorted(p.name for p in folder.glob("*.png"))
        if shots:
            terminalreporter.write_line(f"browser screenshots ({len(shots)}): {folder}")
