"""Storing analyses: round trips, idempotence, updates, deletes, declared vs inferred."""

from __future__ import annotations

import dataclasses

import pytest
from library_works import SPECS, build

from ficlens import __version__
from ficlens.library import Library, open_library
from ficlens.library.store import CHILD_TABLES
from ficlens.model import Tag, to_builtins


def test_add_then_get_round_trips_the_analysis(library: Library) -> None:
    loaded, analysis = build(SPECS["lanterns"])
    added = library.add(loaded, analysis)
    assert added.status == "imported"
    stored = library.get(added.work_id)
    assert stored is not None
    assert stored.analysis.text == loaded.text
    assert to_builtins(stored.analysis, include_text=True) == to_builtins(
        analysis, include_text=True
    )
    assert stored.path == "/fics/lanterns.txt"
    assert stored.added_at == stored.updated_at
    assert library.get(added.work_id + 1000) is None


def test_same_content_is_skipped_and_a_changed_file_updates_its_work(library: Library) -> None:
    first = library.add(*build(SPECS["kitchen"]))
    tag_rows = library.db.scalar("SELECT COUNT(*) FROM tags")
    assert tag_rows == 6  # two tags, one inferred tag, a rating, a warning, a category
    again = library.add(*build(SPECS["kitchen"]))
    assert again == dataclasses.replace(first, status="skipped")
    changed = dataclasses.replace(SPECS["kitchen"], text=SPECS["kitchen"].text + "\nThe end.\n")
    updated = library.add(*build(changed))
    assert updated.status == "updated"
    assert updated.work_id == first.work_id
    assert library.count() == 1
    stored = library.get(first.work_id)
    assert stored is not None and stored.analysis.text.endswith("The end.\n")
    # The old rows are replaced, not added to.
    assert library.db.scalar("SELECT COUNT(*) FROM tags WHERE work_id = ?", (first.work_id,)) == 6


def test_declared_and_inferred_values_are_kept_apart(library: Library) -> None:
    added = library.add(*build(SPECS["kitchen"]))
    rows = set(
        library.db.all("SELECT name, type, source FROM tags WHERE work_id = ?", (added.work_id,))
    )
    assert ("Humor", "freeform", "declared") in rows
    assert ("Angst", "freeform", "inferred") in rows
    assert ("General Audiences", "rating", "declared") in rows
    assert ("Gen", "category", "declared") in rows
    fandoms = library.db.all("SELECT name, source FROM fandoms")
    assert fandoms == [("Merlin (TV)", "declared")]


def test_delete_removes_every_row_of_the_work(library: Library) -> None:
    keep = library.add(*build(SPECS["tea"])).work_id
    gone = library.add(*build(SPECS["lanterns"])).work_id
    assert library.delete(gone) is True
    assert library.delete(gone) is False
    for table in CHILD_TABLES:
        assert library.db.scalar(f"SELECT COUNT(*) FROM {table} WHERE work_id = ?", (gone,)) == 0
    assert library.db.scalar("SELECT COUNT(*) FROM relationship_names") > 0  # tea's remain
    assert [w.id for w in library.search("").works] == [keep]
    assert library.search("lanterns").total == 0


def test_a_failure_inside_the_transaction_leaves_nothing(library: Library) -> None:
    loaded, analysis = build(SPECS["tardis"])
    analysis.tags.append(Tag(None, "freeform", "inferred"))  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - any failure will do; what is left matters
        library.add(loaded, analysis)
    assert library.count() == 0
    for table in CHILD_TABLES:
        assert library.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0
    # The library still works afterwards.
    assert library.add(*build(SPECS["tardis"])).status == "imported"


def test_reopening_keeps_the_schema_and_the_works(library_url: str) -> None:
    with open_library(library_url) as library:
        work_id = library.add(*build(SPECS["vulcan"])).work_id
        version = library.db.schema_version()
    with open_library(library_url) as library:
        assert library.db.schema_version() == version >= 1
        assert library.get(work_id) is not None


def test_reanalyze_runs_only_works_from_another_version(library: Library) -> None:
    old_loaded, old = build(SPECS["tea"], path="/nowhere/tea.txt")
    old.ficlens_version = "0.0.1"
    old_id = library.add(old_loaded, old).work_id
    library.add(*build(SPECS["kitchen"]))
    from library_works import _LAYOUT

    assert library.reanalyze(pipeline=_LAYOUT) == 1
    stored = library.get(old_id)
    assert stored is not None and stored.analysis.ficlens_version == __version__
    # Re-analysed from the stored text: the layout stage found no declared tags in it.
    assert stored.analysis.work.declared.tags == []
    assert library.reanalyze(pipeline=_LAYOUT) == 0
    assert library.reanalyze(everything=True, pipeline=_LAYOUT) == 2


def test_the_text_index_follows_updates_and_deletes(library: Library) -> None:
    first = library.add(*build(SPECS["kitchen"]))
    rewritten = dataclasses.replace(
        SPECS["kitchen"], text="Gwen mended the banner by candlelight.\n", title="Banners"
    )
    assert library.add(*build(rewritten)).status == "updated"
    assert library.search("onions").total == 0  # only in the old text
    assert library.search("lower kitchens").total == 0  # only in the old title
    assert [w.id for w in library.search("candlelight").works] == [first.work_id]
    assert [w.id for w in library.search("banners").works] == [first.work_id]
    library.delete(first.work_id)
    assert library.search("candlelight").total == 0
    other = library.add(*build(SPECS["tea"])).work_id
    assert [w.id for w in library.search("kettle").works] == [other]
