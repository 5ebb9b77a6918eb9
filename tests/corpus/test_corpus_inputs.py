"""Corpus inputs: which files a folder gives, in what order, and records' metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ficlens.corpus.inputs import count_works, declared_work, iter_works, with_bytes
from ficlens.errors import InputError


def test_a_folder_gives_its_story_files_sorted_and_skips_the_rest(tmp_path: Path) -> None:
    for rel in ["b/2.txt", "b/1.md", "a.html", "z.epub", ".hidden.txt", ".git/x.txt",
                "notes.pdf", "data.json", "c/d/e.text"]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    ids = [work.work_id for work in iter_works(tmp_path)]
    assert ids == ["a.html", "z.epub", "b/1.md", "b/2.txt", "c/d/e.text"]
    assert count_works(tmp_path) == len(ids)
    assert all(work.path and Path(work.path).is_file() for work in iter_works(tmp_path))


def test_records_keep_what_they_declare(tmp_path: Path) -> None:
    source = tmp_path / "c.jsonl"
    record = {"id": 7, "text": "Hi.", "fandoms": "Harbour Lights", "rating": "T", "x": 1}
    source.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    (work,) = list(iter_works(source))
    assert work.work_id == "7" and work.text == "Hi." and work.origin == f"{source}:1"
    assert work.metadata == {"fandoms": "Harbour Lights", "rating": "T"}
    declared = declared_work(work.metadata).declared
    assert declared.fandoms == ["Harbour Lights"]
    assert declared.rating == "Teen And Up Audiences"
    assert declared_work({}) is None
    assert count_works(source) == 1


def test_other_files_are_not_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="a corpus is a folder"):
        iter_works(tmp_path / "a.txt")
    (tmp_path / "b.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a Parquet file"):
        iter_works(tmp_path / "b.parquet")


def test_bytes_are_read_ahead_for_remote_workers_unless_unreadable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"Hello.")
    (work,) = list(iter_works(tmp_path))
    assert with_bytes(work).data == b"Hello."
    assert with_bytes(work, max_bytes=3).data is None  # too big: the worker says so
    work.path = str(tmp_path / "gone.txt")
    assert with_bytes(work).data is None  # unreadable: the worker's load_path says why
