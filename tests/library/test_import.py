"""Importing files with the whole pipeline: folders, globs, bad files, idempotence, updates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ficlens.library import Library
from ficlens.library.importer import expand_paths
from ficlens.model import Analysis
from ficlens.pipeline import Pipeline
from ficlens.read import Loaded

LANTERNS = """Title: Lanterns over Veltra
Author: quillfeather
Fandom: Star Trek: The Original Series
Pairing: Kirk/Spock
Rating: T
Tags: hurt/comfort, shore leave

The paper lanterns of Veltra rose over the harbour one by one, and Captain James T. Kirk
watched them go.

"You should sit down, Jim," Spock said. "Your ankle is swollen."

Kirk laughed and did not sit down. "It's shore leave, Spock. Nobody sits down on shore leave."
"""

KITCHEN = """Title: Smoke in the Lower Kitchens
Fandom: Merlin
Rating: G

The pot had been boiling over for some time before anyone noticed.

"Is that supposed to be black?" Arthur asked.

Merlin waved the smoke away from the onions. "It's supposed to be stew, Arthur."
"""

GARDEN = """Title: The Walled Garden
Fandom: Original Work

Maud unlocked the garden gate at dawn, as she had every morning for forty years.

"The roses are early," said the gardener's boy.

"The roses are always early," Maud said, "and always surprised about it."
"""

BREAKS_THE_ANALYSIS = "This story makes the test pipeline fail."


class FailingPipeline(Pipeline):
    """The real pipeline, except that one marked story fails as a broken stage would."""

    def analyze_loaded(self, loaded: Loaded) -> Analysis:
        if BREAKS_THE_ANALYSIS in loaded.text:
            raise RuntimeError("stage exploded")
        return super().analyze_loaded(loaded)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return FailingPipeline()


@pytest.fixture
def fics(tmp_path: Path) -> Path:
    root = tmp_path / "fics"
    (root / "trek").mkdir(parents=True)
    (root / "trek" / "lanterns.txt").write_text(LANTERNS, encoding="utf-8")
    (root / "kitchen.md").write_text(KITCHEN, encoding="utf-8")
    (root / "garden.txt").write_text(GARDEN, encoding="utf-8")
    (root / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))  # passed over quietly
    (root / ".hidden.txt").write_text("not looked at", encoding="utf-8")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(64))
    (root / "empty.txt").write_bytes(b"")
    return root


def test_a_folder_imports_stories_and_reports_each_bad_file(
    library: Library, fics: Path, pipeline: Pipeline
) -> None:
    progress: list[str] = []
    summary = library.import_paths([str(fics)], pipeline=pipeline, on_progress=progress.append)
    assert (summary.imported, summary.updated, summary.skipped) == (3, 0, 0)
    assert dict(summary.failed) == {
        str(fics / "empty.txt"): "empty file",
        str(fics / "scan.pdf"): "not a text file: PDF document",
    }
    assert summary.line() == "3 imported, 0 updated, 0 skipped, 2 failed"
    assert not any(p.endswith((".png", ".hidden.txt")) for p in progress)
    assert library.count() == 3
    titles = {w.title for w in library.search("").works}
    assert titles == {"Lanterns over Veltra", "Smoke in the Lower Kitchens", "The Walled Garden"}


def test_reimport_skips_and_a_changed_file_updates(
    library: Library, fics: Path, pipeline: Pipeline
) -> None:
    library.import_paths([str(fics)], pipeline=pipeline)
    (before,) = library.search("Veltra").works
    again = library.import_paths([str(fics)], pipeline=pipeline)
    assert (again.imported, again.updated, again.skipped, len(again.failed)) == (0, 0, 3, 2)
    changed = fics / "trek" / "lanterns.txt"
    changed.write_text(
        LANTERNS + "\nThe lanterns burned until the harbour bells rang.\n", encoding="utf-8"
    )
    third = library.import_paths([str(changed)], pipeline=pipeline)
    assert (third.imported, third.updated) == (0, 1)
    (after,) = library.search("Veltra").works
    assert after.id == before.id
    assert [w.id for w in library.search("bells").works] == [before.id]
    assert library.count() == 3


def test_a_failing_analysis_leaves_nothing_and_the_batch_goes_on(
    library: Library, tmp_path: Path, pipeline: Pipeline
) -> None:
    (tmp_path / "a.txt").write_text(GARDEN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KITCHEN + "\n" + BREAKS_THE_ANALYSIS + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(LANTERNS, encoding="utf-8")
    files = [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt", "missing.txt")]
    summary = library.import_paths(files, pipeline=pipeline)
    assert summary.imported == 2
    assert summary.failed == [
        (files[1], "analysis failed: RuntimeError: stage exploded"),
        (files[3], "no such file"),
    ]
    assert library.search("onions").total == 0
    assert library.db.scalar("SELECT COUNT(*) FROM tags WHERE name = 'Merlin'") == 0


def test_imported_works_are_found_through_aliases_and_synonyms(
    library: Library, fics: Path, pipeline: Pipeline
) -> None:
    library.import_paths([str(fics)], pipeline=pipeline)
    # Declared "Kirk/Spock"; the analysis knows Kirk is also Jim and James T. Kirk.
    assert [w.title for w in library.search('pair:"Jim/Spock"').works] == ["Lanterns over Veltra"]
    assert library.search('pair:"Spock/James T. Kirk"').total == 1
    assert library.search("tag:h/c").total == 1  # declared "hurt/comfort"
    assert library.search('fandom:"star trek" rating:T').total == 1
    assert library.search("fandom:merlin -rating:T").total == 1
    assert library.search("Maud roses").total == 1


def test_globs_expand_and_folders_recurse(fics: Path) -> None:
    found = list(expand_paths([str(fics / "*.txt")]))
    assert sorted(os.path.basename(p) for p in found) == ["empty.txt", "garden.txt"]
    everything = [os.path.relpath(p, fics) for p in expand_paths([str(fics)])]
    assert everything == ["empty.txt", "garden.txt", "kitchen.md", "scan.pdf", "trek/lanterns.txt"]
    # A named file is always tried, whatever its extension; a glob that matches nothing
    # comes back as itself so that its import reports it.
    assert list(expand_paths([str(fics / "cover.png"), "nothing-*.txt"])) == [
        str(fics / "cover.png"),
        "nothing-*.txt",
    ]
