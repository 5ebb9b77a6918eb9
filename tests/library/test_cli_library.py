"""The library's commands: import, search, similar, reanalyze, export (real SQLite files)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from library_works import SPECS, build

from ficlens.cli import main
from ficlens.library import open_library

STORY = """Title: The Walled Garden
Fandom: Original Work
Rating: G

Maud unlocked the garden gate at dawn, as she had every morning for forty years.

"The roses are early," said the gardener's boy.
"""


def invoke(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [os.fspath(arg) for arg in args], env=env)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A library holding the five test stories."""
    path = str(tmp_path / "library.sqlite3")
    with open_library(path) as library:
        for spec in SPECS.values():
            library.add(*build(spec))
    return path


def test_import_reports_bad_files_a_summary_and_exit_status(tmp_path: Path) -> None:
    folder = tmp_path / "fics"
    folder.mkdir()
    (folder / "garden.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    db = tmp_path / "new" / "library.sqlite3"  # the folder is made on demand
    first = invoke("import", folder, "--db", db)
    assert first.exit_code == 1
    assert first.stdout == "1 imported, 0 updated, 0 skipped, 1 failed\n"
    assert first.stderr == f"ficlens: error: {folder / 'empty.txt'}: empty file\n"
    second = invoke("import", folder / "garden.txt", "--db", db)
    assert (second.exit_code, second.stdout) == (0, "0 imported, 0 updated, 1 skipped, 0 failed\n")
    found = invoke("search", "roses", "--db", db, "--json")
    assert [w["title"] for w in json.loads(found.stdout)["works"]] == ["The Walled Garden"]


def test_the_library_comes_from_ficlens_db(db: str) -> None:
    result = invoke("search", "fandom:merlin", env={"FICLENS_DB": db})
    assert result.exit_code == 0, result.output
    assert "Smoke in the Lower Kitchens" in result.stdout
    assert result.stdout.endswith("1 work\n")


def test_search_json_has_works_totals_and_facets(db: str) -> None:
    result = invoke("search", "--db", db, "--json", "--sort", "words", "--limit", "2", "")
    data = json.loads(result.stdout)
    assert data["total"] == 5
    assert [w["words"] for w in data["works"]] == [5000, 3000]
    assert {"value": "Star Trek: The Original Series", "count": 2} in data["facets"]["fandom"]


def test_search_takes_exclusions_without_quoting(db: str) -> None:
    result = invoke("search", "--db", db, "--json", "-fandom:star", "-tag:angst")
    assert result.exit_code == 0, result.output
    assert {w["title"] for w in json.loads(result.stdout)["works"]} == {"Biscuits"}


def test_a_bad_query_is_one_line_and_exit_2(db: str) -> None:
    result = invoke("search", "--db", db, 'tag:"hurt')
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "ficlens: error: bad query: unclosed quote (at position 5)\n"


def test_a_bad_database_url_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("search", "x", "--db", "mysql://somewhere/db")
    assert result.exit_code == 2
    assert result.stderr.startswith("ficlens: error: unsupported database URL")


def test_similar_lists_reasons(db: str) -> None:
    with open_library(db) as library:
        (lanterns,) = library.search('pair:"Jim/Spock"').works
    result = invoke("similar", str(lanterns.id), "--db", db, "--limit", "1")
    assert result.exit_code == 0
    assert "Stars over the Forge" in result.stdout
    assert "same fandom Star Trek: The Original Series" in result.stdout
    assert invoke("similar", "999", "--db", db).exit_code == 1


def test_export_writes_files_and_refuses_what_it_cannot(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.epub"
    assert invoke("export", "1", "--format", "epub", "-o", target, "--db", db).exit_code == 0
    assert zipfile.ZipFile(target).namelist()[0] == "mimetype"
    as_json = invoke("export", "1", "--format", "json", "--db", db)
    assert json.loads(as_json.stdout)["text"]
    no_output = invoke("export", "1", "--format", "epub", "--db", db)
    assert no_output.exit_code == 2 and "needs -o" in no_output.stderr
    missing = invoke("export", "77", "--format", "json", "-o", tmp_path / "x.json", "--db", db)
    assert (missing.exit_code, missing.stderr) == (1, "ficlens: error: no work with id 77\n")
    assert not (tmp_path / "x.json").exists()


def test_reanalyze_counts_what_it_did(db: str) -> None:
    with open_library(db) as library:
        library.db.execute("UPDATE works SET ficlens_version = '0.0.0' WHERE id = 1")
    result = invoke("reanalyze", "--db", db)
    assert (result.exit_code, result.stdout) == (0, "1 re-analysed, 0 failed\n")
    assert invoke("reanalyze", "--db", db).stdout == "0 re-analysed, 0 failed\n"
