"""Helpers the web tests share (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ficlens.model import Analysis
from ficlens.read import Loaded

STORIES = Path(__file__).resolve().parent / "stories"
SCREENSHOT_DIRS: list[Path] = []  # where the browser tests saved theirs, for the summary


def csrf_of(client: TestClient, page: str = "/analyse") -> str:
    """Open a page with a form and return the CSRF token its cookie and field carry."""
    response = client.get(page)
    assert response.status_code == 200
    token = client.cookies.get("ficlens_csrf")
    assert token and f'name="csrf" value="{token}"' in response.text
    return token


def svgs(page: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed (so a malformed chart fails here)."""
    found = []
    rest = page
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(rest[start:end]))
        rest = rest[end:]
    return found


def open_test_library(url: str):  # -> ficlens.library.Library
    library = pytest.importorskip("ficlens.library", reason="the library is not built yet")
    if not hasattr(library, "open_library"):
        pytest.skip("the library has no open_library yet")
    return library.open_library(url)


def build_library(path: Path, stories: dict[str, tuple[Loaded, Analysis]]) -> dict[str, int]:
    """A SQLite library at ``path`` holding the stories; story stem -> work id."""
    ids: dict[str, int] = {}
    with open_test_library(str(path)) as library:
        for name, (loaded, analysis) in stories.items():
            ids[name] = library.add(loaded, analysis).work_id
    return ids
