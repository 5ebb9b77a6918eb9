"""``ficlens corpus run`` with the local engine: tables, rows, failures, inputs, errors."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus_helpers import REPO, Run, cli_env, ficlens
from corpus_stories import story, write_corpus

from ficlens.corpus.rows import analysis_rows
from ficlens.corpus.tables import SCHEMAS, TABLES
from ficlens.pipeline import Pipeline
from ficlens.read import load_path

# Wall time differs from run to run; everything else must not.
UNSTABLE = {"seconds"}


def read(out: Path, table: str) -> pa.Table:
    return pq.read_table(out / table)


def stable(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in UNSTABLE} for row in rows]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_run_exits_1_naming_the_failures_and_writes_every_table(local_run: Run) -> None:
    result = local_run.result
    assert result.returncode == 1, result.stderr
    assert "32 works" not in result.stderr  # the summary counts analysed and failed apart
    assert f"{len(local_run.ids)} works analysed, {len(local_run.bad)} failed" in result.stderr
    assert result.stdout == ""
    for table in TABLES:
        parts = sorted((local_run.out / table).glob("*.parquet"))
        # 32 works in parts of 7: five parts, the same numbers in every table
        assert [p.name for p in parts] == [f"part-{n:05d}.parquet" for n in range(5)]


def test_every_part_has_the_documented_schema(local_run: Run) -> None:
    for table, schema in SCHEMAS.items():
        for part in (local_run.out / table).glob("*.parquet"):
            written = pq.read_schema(part)
            assert written.names == schema.names, (table, part.name)
            assert [f.type for f in written] == [f.type for f in schema], (table, part.name)
            assert written.metadata[b"ficlens.table"] == table.encode()


def test_every_work_appears_exactly_once(local_run: Run) -> None:
    works = read(local_run.out, "works").column("work_id").to_pylist()
    failures = read(local_run.out, "failures").column("work_id").to_pylist()
    assert sorted(works) == sorted(local_run.ids)
    assert sorted(failures) == sorted(local_run.bad)
    assert len(set(works) | set(failures)) == len(works) + len(failures)


def test_failures_are_one_line_reasons(local_run: Run) -> None:
    for row in read(local_run.out, "failures").to_pylist():
        assert row["kind"] == "input"
        assert row["path"].endswith(row["work_id"])
        assert row["error"] and "\n" not in row["error"]
        assert "Traceback" not in row["error"]


def test_rows_match_the_analysis_of_each_work(local_run: Run, pipeline: Pipeline) -> None:
    tables = {name: read(local_run.out, name) for name in TABLES if name != "failures"}
    for work_id in local_run.ids[:6]:
        path = local_run.source / work_id
        expected = analysis_rows(work_id, pipeline.analyze_loaded(load_path(path)))
        for name, table in tables.items():
            mask = pa.compute.equal(table.column("work_id"), work_id)
            got = table.filter(mask).to_pylist()
            key = "quote_id" if name == "quotes" else None
            if key:
                got.sort(key=lambda row: row[key])
            assert stable(got) == stable(expected[name]), (work_id, name)


def test_quote_offsets_point_into_the_work(local_run: Run) -> None:
    quotes = read(local_run.out, "quotes").to_pylist()
    assert quotes
    texts: dict[str, str] = {}
    for quote in quotes:
        work_id = quote["work_id"]
        if work_id not in texts:
            texts[work_id] = (local_run.source / work_id).read_text(encoding="utf-8")
        text = texts[work_id]
        assert text[quote["text_start"] : quote["text_end"]] == quote["text"]
        assert quote["start"] <= quote["text_start"] <= quote["text_end"] <= quote["end"]


def test_works_totals_agree_with_the_detail_tables(local_run: Run) -> None:
    works = {row["work_id"]: row for row in read(local_run.out, "works").to_pylist()}
    quotes = read(local_run.out, "quotes").to_pylist()
    characters = read(local_run.out, "characters").to_pylist()
    for work_id, row in works.items():
        assert row["quotes"] == sum(1 for q in quotes if q["work_id"] == work_id)
        assert row["characters"] == sum(1 for c in characters if c["work_id"] == work_id)
        assert row["path"] == str(local_run.source / work_id)
        assert 50 < row["word_count"] < 300


def test_an_existing_folder_needs_resume(local_run: Run) -> None:
    before = sorted(p.relative_to(local_run.out) for p in local_run.out.rglob("*"))
    result = ficlens("corpus", "run", str(local_run.source), "--out", str(local_run.out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(local_run.out) in lines[0] and "--resume" in lines[0]
    assert sorted(p.relative_to(local_run.out) for p in local_run.out.rglob("*")) == before


def test_a_missing_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    result = ficlens("corpus", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "nope" in result.stderr
    assert not (tmp_path / "out").exists()


def test_jsonl_input_with_declared_metadata_and_bad_records(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "w1", "text": story(2), "fandoms": ["Clockwork City"], "rating": "M"}),
        json.dumps({"id": 2, "text": story(3), "tags": ["Fluff", "Markets"]}),
        "{not json",
        json.dumps({"text": "no id here"}),
        json.dumps({"id": "w1", "text": story(4)}),  # a second work under an id already used
        json.dumps({"id": "w5", "text": "   "}),
    ]
    source = tmp_path / "corpus.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = ficlens(
        "corpus", "run", str(source), "--out", str(out), "--workers", "1",
        "--disable", "tokens",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    works = {row["work_id"]: row for row in read(out, "works").to_pylist()}
    assert sorted(works) == ["2", "w1"]
    assert "Clockwork City" in works["w1"]["declared_fandoms"]
    assert works["w1"]["declared_rating"] == "Mature"
    assert {"Fluff", "Markets"} <= set(works["2"]["declared_tags"])
    assert works["w1"]["path"] is None
    failures = {row["work_id"]: row for row in read(out, "failures").to_pylist()}
    assert sorted(failures) == ["corpus.jsonl:3", "corpus.jsonl:4", "w1", "w5"]
    assert "not JSON" in failures["corpus.jsonl:3"]["error"]
    assert failures["corpus.jsonl:4"]["error"] == "no id"
    assert "duplicate id" in failures["w1"]["error"]
    assert "empty" in failures["w5"]["error"]


def test_parquet_input(tmp_path: Path) -> None:
    source = tmp_path / "corpus.parquet"
    table = pa.table(
        {
            "id": ["a", "b", "c"],
            "text": [story(0), story(5), None],
            "fandoms": [["Harbour Lights"], None, None],
        }
    )
    pq.write_table(table, source)
    out = tmp_path / "out"
    result = ficlens(
        "corpus", "run", str(source), "--out", str(out), "--workers", "1",
        "--disable", "tokens",
    )  # fmt: skip
    assert result.returncode == 1
    assert sorted(read(out, "works").column("work_id").to_pylist()) == ["a", "b"]
    assert read(out, "failures").to_pylist()[0]["error"] == "no text"


def test_a_parquet_input_without_text_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), source)
    result = ficlens("corpus", "run", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "no text column" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 6)
    command = [sys.executable, "-m", "ficlens.cli", "corpus", "run", str(tmp_path / "in")]
    command += ["--out", str(tmp_path / "out"), "--workers", "1", "--disable", "tokens"]
    leader, follower = pty.openpty()
    env = cli_env() | {"TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    screen = seen.decode("utf-8", "replace")
    assert process.returncode == 0, screen
    assert "analysing" in screen and "words/s" in screen and "ETA" in screen
    assert "6 works analysed" in screen
    assert process.stdout.read() == b""  # standard output carries nothing

    quiet = ficlens("corpus", "run", str(tmp_path / "in"), "--out", str(tmp_path / "out2"),
                    "--workers", "1", "--disable", "tokens")  # fmt: skip
    assert quiet.returncode == 0
    assert "analysing" not in quiet.stderr and "ETA" not in quiet.stderr
    assert quiet.stderr.strip().splitlines() == [quiet.stderr.strip()]  # the summary line only


def test_shards_split_the_corpus_between_runs(tmp_path: Path) -> None:
    ids = write_corpus(tmp_path / "in", 10)
    seen: list[list[str]] = []
    for k in range(2):
        out = tmp_path / f"out-{k}"
        result = ficlens("corpus", "run", str(tmp_path / "in"), "--out", str(out),
                         "--workers", "1", "--disable", "tokens", "--shard", f"{k}/2")  # fmt: skip
        assert result.returncode == 0, result.stderr
        seen.append(read(out, "works").column("work_id").to_pylist())
    assert sorted(seen[0] + seen[1]) == sorted(ids)
    assert not set(seen[0]) & set(seen[1])
    assert seen[0] and seen[1]  # ten ids in two shards: both have some (crc32 spreads them)
    # Resuming a shard's folder as another shard is refused: it is another input.
    other = ficlens("corpus", "run", str(tmp_path / "in"), "--out", str(tmp_path / "out-0"),
                    "--shard", "1/2", "--resume")  # fmt: skip
    assert other.returncode == 1 and "another input" in other.stderr


def test_a_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    result = ficlens("corpus", "run", str(tmp_path), "--out", str(tmp_path / "o"),
                     "--shard", "2/2")  # fmt: skip
    assert result.returncode == 2 and "--shard" in result.stderr
    assert not (tmp_path / "o").exists()
