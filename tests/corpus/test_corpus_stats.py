"""``ficlens corpus stats``: figures on a run built by hand, and on a real run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus_helpers import Run, ficlens

from ficlens.corpus.rows import failure_row
from ficlens.corpus.stats import corpus_stats
from ficlens.corpus.tables import SCHEMAS
from ficlens.corpus.worker import WorkResult
from ficlens.corpus.writer import CorpusWriter
from ficlens.errors import InputError


def _row(table: str, **values: Any) -> dict[str, Any]:
    """A row of ``table`` with every column the schema asks for (zero, empty or None)."""
    row: dict[str, Any] = {}
    for field in SCHEMAS[table]:
        if field.nullable:
            row[field.name] = None
        elif pa.types.is_list(field.type):
            row[field.name] = []
        elif pa.types.is_string(field.type):
            row[field.name] = ""
        elif pa.types.is_boolean(field.type):
            row[field.name] = False
        else:
            row[field.name] = 0
    row.update(values)
    return row


def _work(
    work_id: str,
    fandoms: list[str],
    words: int,
    characters: list[tuple[str, str | None, int, int]],
    quotes: list[tuple[str, str | None]],
    tags: list[tuple[str, str]],
    pairs: list[tuple[str, str]],
) -> WorkResult:
    rows = {
        "works": [
            _row("works", work_id=work_id, fandoms=fandoms, word_count=words, quotes=len(quotes))
        ],
        "characters": [
            _row(
                "characters",
                work_id=work_id,
                character_id=name,
                name=name,
                gender=gender,
                quotes=n,
                words_spoken=spoken,
            )
            for name, gender, n, spoken in characters
        ],
        "quotes": [
            _row("quotes", work_id=work_id, quote_id=i, style=style, speech=True, speaker=who)
            for i, (style, who) in enumerate(quotes)
        ],
        "tags": [_row("tags", work_id=work_id, name=t, type=kind) for t, kind in tags],
        "relationships": [
            _row("relationships", work_id=work_id, notation=n, kind=k) for n, k in pairs
        ],
    }
    return WorkResult(work_id, rows, words, failed=False)


@pytest.fixture
def built_run(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    works = [
        _work(
            "w1", ["Alpha"], 1000,
            [("Ann", "F", 3, 30), ("Bo", "M", 1, 10)],
            [("double", "Ann"), ("double", "Ann"), ("double", "Bo"), ("single", None)],
            [("Fluff", "freeform"), ("Angst", "freeform"), ("Mature", "rating")],
            [("Ann/Bo", "romantic")],
        ),
        _work(
            "w2", ["Alpha", "Beta"], 3000,
            [("Ann", "F", 2, 20), ("Cy", None, 0, 0)],
            [("double", "Ann"), ("double", "Ann")],
            [("Fluff", "freeform"), ("Angst", "freeform")],
            [("Ann/Bo", "romantic"), ("Ann & Cy", "platonic")],
        ),
        _work(
            "w3", [], 2000,
            [("Dee", "M", 4, 40)],
            [("dash", "Dee")] * 4,
            [("Fluff", "freeform")],
            [],
        ),
    ]  # fmt: skip
    with CorpusWriter(out, input_label="built", part_works=2) as writer:
        for result in works:
            writer.add(result)
        writer.add(
            WorkResult("bad", {"failures": [failure_row("bad", None, "x", "input")]}, 0, True)
        )
    return out


def test_stats_of_a_run_built_by_hand(built_run: Path) -> None:
    stats = corpus_stats(built_run, top=5)
    assert stats["works"] == 3 and stats["failures"] == 1 and stats["words"] == 6000
    assert stats["failures_by_kind"] == {"input": 1}
    assert stats["fandoms"] == [
        {"fandom": "Alpha", "works": 2},
        {"fandom": "(none)", "works": 1},
        {"fandom": "Beta", "works": 1},
    ]
    assert stats["top_characters"]["Alpha"][0] == {"character": "Ann", "works": 2, "quotes": 5}
    assert [c["character"] for c in stats["top_characters"]["Alpha"]] == ["Ann", "Bo", "Cy"]
    assert stats["top_characters"]["(none)"] == [{"character": "Dee", "works": 1, "quotes": 4}]
    assert stats["top_relationships"]["Alpha"][0] == {
        "relationship": "Ann/Bo",
        "kind": "romantic",
        "works": 2,
    }
    tags = {row["tag"]: row["works"] for row in stats["tags"]}
    assert tags == {"Fluff": 3, "Angst": 2, "Mature": 1}
    assert stats["tag_pairs"] == [{"tags": ["Angst", "Fluff"], "works": 2, "jaccard": 0.6667}]
    by_gender = {row["gender"]: row for row in stats["dialogue_by_gender"]}
    assert by_gender["F"]["words_spoken"] == 50 and by_gender["F"]["share"] == 0.5
    assert by_gender["M"]["words_spoken"] == 50 and by_gender["M"]["characters"] == 2
    assert by_gender["(unknown)"]["characters"] == 1
    quotes = stats["quotes"]
    assert quotes["total"] == 10 and quotes["speech"] == 10 and quotes["attributed"] == 9
    assert quotes["per_1000_words"] == round(10 / 6, 2)
    assert quotes["per_work_median"] == 4 and quotes["per_work_max"] == 4
    assert quotes["styles"] == {"double": 5, "dash": 4, "single": 1}


def test_stats_of_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not the output"):
        corpus_stats(tmp_path)
    result = ficlens("corpus", "stats", str(tmp_path))
    assert result.returncode == 1 and result.stderr.count("\n") == 1


def test_stats_command_on_a_real_run(local_run: Run) -> None:
    result = ficlens("corpus", "stats", str(local_run.out), "--json", "--top", "3")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    works = pq.read_table(local_run.out / "works")
    quotes = pq.read_table(local_run.out / "quotes")
    assert stats["works"] == works.num_rows == len(local_run.ids)
    assert stats["failures"] == len(local_run.bad)
    assert stats["quotes"]["total"] == quotes.num_rows
    assert stats["words"] == sum(works.column("word_count").to_pylist())
    assert len(stats["fandoms"]) <= 3
    shares = [row["share"] for row in stats["dialogue_by_gender"]]
    assert shares and abs(sum(shares) - 1) < 0.01
    text = ficlens("corpus", "stats", str(local_run.out))
    assert text.returncode == 0
    assert f"{len(local_run.ids)} works" in text.stdout
    assert "Dialogue by character gender" in text.stdout
