"""Resuming: a run killed with SIGKILL goes on where it stopped; the writer's recovery."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus_helpers import REPO, Run, cli_env, ficlens
from corpus_stories import story, write_corpus

from ficlens.corpus.rows import failure_row
from ficlens.corpus.tables import TABLES
from ficlens.corpus.worker import WorkResult
from ficlens.corpus.writer import META, CorpusWriter
from ficlens.errors import InputError


def _failure(work_id: str) -> WorkResult:
    return WorkResult(work_id, {"failures": [failure_row(work_id, None, "bad", "input")]}, 0, True)


def _parts(out: Path) -> dict[str, tuple[int, int]]:
    """Every table part: (size, mtime) by its path."""
    return {
        str(p.relative_to(out)): (p.stat().st_size, p.stat().st_mtime_ns)
        for table in TABLES
        for p in (out / table).glob("*.parquet")
    }


def test_sigkill_then_resume_redoes_nothing_and_loses_nothing(tmp_path: Path) -> None:
    source = tmp_path / "in"
    ids = write_corpus(source, 60, bad=1)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ficlens.cli", "corpus", "run", str(source)]
    command += ["--out", str(out), "--workers", "1", "--part-size", "3"]
    process = subprocess.Popen(
        command,
        env=cli_env(),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    committed = out / META / "committed"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if committed.is_dir() and len(list(committed.glob("part-*.json"))) >= 2:
                break
            assert process.poll() is None, "the run ended before it could be killed"
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)  # the run itself, as `kill -9 PID` would
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    # What the killed run left: only complete parts, readable, in every table alike.
    before = _parts(out)
    for part in before:
        pq.read_table(out / part)
    done_before = len(pq.read_table(out / "works")) + len(pq.read_table(out / "failures"))
    assert 0 < done_before < len(ids) + 1

    time.sleep(0.5)  # the worker follows its parent (PR_SET_PDEATHSIG): let the lock go
    result = ficlens("corpus", "run", str(source), "--out", str(out), "--workers", "1",
                     "--part-size", "3", "--resume")  # fmt: skip
    assert result.returncode == 1, result.stderr  # the one bad file
    counts = re.search(r"(\d+) works analysed, (\d+) failed, (\d+) already done", result.stderr)
    assert counts, result.stderr
    analysed, failed, skipped = map(int, counts.groups())
    assert skipped >= done_before  # every work of a committed part was skipped
    assert analysed + failed + skipped == len(ids) + 1

    # Parts committed before the kill are untouched; every work is there exactly once.
    after = _parts(out)
    assert {k: v for k, v in after.items() if k in before} == before
    works = pq.read_table(out / "works").column("work_id").to_pylist()
    failures = pq.read_table(out / "failures").column("work_id").to_pylist()
    assert sorted(works) == sorted(ids)
    assert failures == ["broken/bad-0.txt"]
    assert not list((out / META / "staging").iterdir())


def test_resume_of_a_finished_run_does_nothing(local_run: Run) -> None:
    before = _parts(local_run.out)
    result = ficlens("corpus", "run", str(local_run.source), "--out", str(local_run.out),
                     "--resume")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 works analysed, 0 failed, 32 already done" in result.stderr
    assert _parts(local_run.out) == before


def test_resume_rolls_an_uncommitted_part_back_and_a_committed_one_forward(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    with CorpusWriter(out, input_label="in", part_works=2) as writer:
        for name in ("a", "b", "c", "d"):
            writer.add(_failure(name))
    # Part 1 was committed, but the run died before its files were renamed into place.
    staged = out / META / "staging" / "part-00001"
    staged.mkdir()
    for table in TABLES[:3]:
        os.replace(out / table / "part-00001.parquet", staged / f"{table}.parquet")
    # Part 2 was being written and never committed.
    ghost = out / META / "staging" / "part-00002"
    ghost.mkdir()
    (ghost / "works.parquet").write_bytes(b"half a file")

    writer = CorpusWriter(out, input_label="in", resume=True, part_works=2)
    try:
        assert writer.done == {"a", "b", "c", "d"}
        for table in TABLES:
            assert sorted(p.name for p in (out / table).iterdir()) == [
                "part-00000.parquet",
                "part-00001.parquet",
            ]
        assert not list((out / META / "staging").iterdir())
        writer.add(_failure("e"))
        writer.flush()
        assert (out / "failures" / "part-00002.parquet").is_file()
    finally:
        writer.release()
    rows = pq.read_table(out / "failures").column("work_id").to_pylist()
    assert sorted(rows) == ["a", "b", "c", "d", "e"]


def test_two_runs_cannot_write_one_folder(tmp_path: Path) -> None:
    first = CorpusWriter(tmp_path / "out", input_label="in")
    try:
        with pytest.raises(InputError, match="another run"):
            CorpusWriter(tmp_path / "out", input_label="in", resume=True)
    finally:
        first.release()


def test_resume_refuses_a_run_over_another_input(tmp_path: Path) -> None:
    CorpusWriter(tmp_path / "out", input_label="one").close()
    with pytest.raises(InputError, match="another input"):
        CorpusWriter(tmp_path / "out", input_label="two", resume=True)


def test_resume_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not the output of a ficlens corpus run"):
        CorpusWriter(tmp_path / "out", input_label="in", resume=True)


def test_resume_does_not_record_a_duplicate_id_twice(tmp_path: Path) -> None:
    source = tmp_path / "corpus.jsonl"
    records = [{"id": "a", "text": story(0)}, {"id": "b", "text": story(1)}]
    records.append({"id": "a", "text": story(2)})
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    args = ["corpus", "run", str(source), "--out", str(out), "--workers", "1"]
    args += ["--disable", "tokens", "--part-size", "1"]
    first = ficlens(*args)
    assert first.returncode == 1 and "2 works analysed, 1 failed" in first.stderr
    again = ficlens(*args, "--resume")
    assert again.returncode == 0, again.stderr
    assert "0 works analysed, 0 failed, 3 already done" in again.stderr
    assert pq.read_table(out / "failures").column("work_id").to_pylist() == ["a"]
    assert sorted(pq.read_table(out / "works").column("work_id").to_pylist()) == ["a", "b"]
