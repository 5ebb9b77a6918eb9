"""The ``ficlens`` command line: output format, inputs, errors and exit statuses."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from test_offsets_property import assert_offsets

from ficlens import __version__
from ficlens.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ficlens" / "samples"
KITCHEN = SAMPLES / "merlin_kitchen_disaster.txt"
SHERLOCK = SAMPLES / "sherlock_baker_street_rain.txt"
DOCTOR = SAMPLES / "doctorwho_proper_cup_of_tea.txt"

TOP_LEVEL = {
    "schema",
    "ficlens_version",
    "source",
    "text_length",
    "work",
    "quotes",
    "characters",
    "relationships",
    "fandoms",
    "tags",
    "arc",
    "main_pairing",
    "text",
}
WORK_KEYS = {
    "title",
    "authors",
    "summary",
    "notes",
    "declared",
    "chapters",
    "word_count",
    "url",
    "published",
    "updated",
    "complete",
    "chapters_planned",
}

# A short story in Windows-1252: curly quotes, an apostrophe, an e acute and a dash.
CP1252_STORY = (
    "Gwen set the basket down on the table in the café by the gate.\n\n"
    "“Bread, cheese, and no more excuses,” she said. “Arthur’s waiting.”\n\n"
    "Merlin sighed — it was going to be a long day.\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


def invoke(*args: str | os.PathLike[str], input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, [os.fspath(arg) for arg in args], input=input)


def json_lines(output: str) -> list[dict[str, Any]]:
    lines = output.splitlines()
    assert lines and all(line.strip() for line in lines), output[:200]
    return [json.loads(line) for line in lines]


def schema() -> dict[str, Any]:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- analyze --json -------------------------------------------------------------------


def test_json_output_has_exactly_the_documented_keys() -> None:
    result = invoke("analyze", KITCHEN, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    doc = json.loads(result.stdout)  # one object (pretty-printed for a single input)
    assert set(doc) == TOP_LEVEL
    assert doc["schema"] == "ficlens/analysis/1"
    assert doc["ficlens_version"] == __version__
    assert doc["text"] is None
    assert set(doc["work"]) == WORK_KEYS
    data = KITCHEN.read_bytes()
    assert doc["source"]["path"] == str(KITCHEN)
    assert doc["source"]["encoding"] == "utf-8"
    assert doc["source"]["size"] == len(data)
    assert doc["source"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert doc["text_length"] == len(data.decode("utf-8"))
    assert doc["work"]["title"] == "Too Many Cooks"
    assert doc["work"]["word_count"] > 300
    assert len(doc["quotes"]) > 10


def test_with_text_includes_the_text_and_every_span_slices_from_it() -> None:
    result = invoke("analyze", DOCTOR, "--json", "--with-text")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    text = doc["text"]
    assert text == DOCTOR.read_text(encoding="utf-8")
    assert doc["text_length"] == len(text)
    assert doc["quotes"]
    for quote in doc["quotes"]:
        assert quote["text"] == text[quote["text_start"] : quote["text_end"]]
        assert quote["start"] <= quote["text_start"] <= quote["text_end"] <= quote["end"]
    for note in doc["work"]["notes"]:
        assert note["text"] == text[note["start"] : note["end"]]


def test_json_round_trips_into_the_model() -> None:
    from ficlens.model import from_json

    result = invoke("analyze", SHERLOCK, "--json", "--with-text")
    assert result.exit_code == 0, result.output
    analysis = from_json(result.stdout)
    assert analysis.text is not None
    assert_offsets(analysis, analysis.text)


@pytest.mark.parametrize("path", [KITCHEN, SHERLOCK, DOCTOR], ids=lambda p: p.stem)
def test_json_validates_against_the_schema(path: Path) -> None:
    result = invoke("analyze", path, "--json", "--with-text")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    the_schema = schema()
    validator_class = jsonschema.validators.validator_for(the_schema)
    validator_class.check_schema(the_schema)
    validator = validator_class(the_schema)
    validator.validate(doc)
    # The schema has teeth: a wrongly typed field fails.
    doc["quotes"][0]["speech"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)


def test_schema_command_prints_the_schema() -> None:
    the_schema = schema()
    assert the_schema["$id"] == "ficlens/analysis/1"
    jsonschema.validators.validator_for(the_schema).check_schema(the_schema)


def test_several_files_give_json_lines_in_order() -> None:
    paths = [KITCHEN, SHERLOCK, DOCTOR]
    result = invoke("analyze", *paths, "--json")
    assert result.exit_code == 0, result.output
    docs = json_lines(result.stdout)
    assert len(docs) == 3
    assert [doc["source"]["path"] for doc in docs] == [str(p) for p in paths]
    assert [doc["work"]["title"] for doc in docs] == [
        "Too Many Cooks",
        "Rain on Baker Street",
        "A Proper Cup of Tea",
    ]
    assert all(set(doc) == TOP_LEVEL for doc in docs)


def test_dash_reads_standard_input() -> None:
    result = invoke("analyze", "-", "--json", input=KITCHEN.read_bytes())
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["source"]["path"] is None
    assert doc["work"]["title"] == "Too Many Cooks"
    assert doc["source"]["size"] == KITCHEN.stat().st_size


def test_output_file_gets_the_json_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("analyze", KITCHEN, "--json", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["work"]["title"] == "Too Many Cooks"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_output_file_gets_the_text_report(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = invoke("analyze", KITCHEN, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    report = out.read_text(encoding="utf-8")
    assert "Too Many Cooks" in report
    assert "\x1b[" not in report


def test_text_report_mentions_title_and_word_count() -> None:
    result = invoke("analyze", KITCHEN)
    assert result.exit_code == 0, result.output
    json_result = invoke("analyze", KITCHEN, "--json")
    words = json.loads(json_result.stdout)["work"]["word_count"]
    assert "Too Many Cooks" in result.stdout
    assert f"{words:,}" in result.stdout or str(words) in result.stdout
    assert "hazelnutwizard" in result.stdout


# --- bad inputs -----------------------------------------------------------------------


def test_bad_files_fail_one_line_each_and_good_files_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short relative names; long ones have their own test
    empty = Path("empty.txt")
    empty.write_bytes(b"")
    image = Path("cover.png")
    image.write_bytes(PNG_BYTES)
    missing = Path("missing.txt")
    windows = Path("windows.txt")
    windows.write_bytes(CP1252_STORY.encode("cp1252"))

    result = invoke("analyze", empty, KITCHEN, image, missing, windows, "--json", "--with-text")
    assert result.exit_code == 1, result.output

    docs = json_lines(result.stdout)
    assert [doc["source"]["path"] for doc in docs] == [str(KITCHEN), str(windows)]
    cp1252 = docs[1]
    assert cp1252["source"]["encoding"] == "cp1252"
    assert cp1252["text"] == CP1252_STORY
    assert [q["text"] for q in cp1252["quotes"]] == [
        "Bread, cheese, and no more excuses,",
        "Arthur’s waiting.",
    ]

    lines = result.stderr.splitlines()
    for path, reason in [(empty, "empty"), (image, "PNG"), (missing, "no such file")]:
        naming = [line for line in lines if str(path) in line]
        assert len(naming) == 1, (path, lines)
        assert reason.lower() in naming[0].lower(), naming[0]
    for good in (KITCHEN, windows):
        assert not any(str(good) in line for line in lines)
    assert "Traceback" not in result.stderr


def test_error_for_a_long_path_stays_on_one_line(tmp_path: Path) -> None:
    # stderr is not a terminal here: an 80-column wrap would split the message.
    missing = tmp_path / ("a_rather_long_folder_name_" * 4) / "the_story_that_is_not_there.txt"
    result = invoke("analyze", missing, "--json")
    assert result.exit_code == 1
    naming = [line for line in result.stderr.splitlines() if str(missing) in line]
    assert len(naming) == 1, result.stderr
    assert "no such file" in naming[0]


@pytest.mark.parametrize("name", ["[Merlin] draft [wip].txt", "old[/b]/story.txt"])
def test_error_message_shows_a_path_with_brackets_as_it_is(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fic file names often carry [fandom] tags; they are not console markup.
    monkeypatch.chdir(tmp_path)
    result = invoke("analyze", name, KITCHEN, "--json")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert [line for line in result.stderr.splitlines() if name in line] == [
        f"ficlens: error: {name}: no such file"
    ]
    assert len(json_lines(result.stdout)) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["analyze", "--json"],
        ["analyze", "--bogus-option", str(KITCHEN)],
        ["analyze", "--disable", "bogus", str(KITCHEN)],
        ["analyze", "--max-size", "0", str(KITCHEN)],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_with_status_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""


def test_disable_a_stage() -> None:
    result = invoke("analyze", KITCHEN, "--json", "--disable", "quotes")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["quotes"] == []
    assert doc["work"]["title"] == "Too Many Cooks"


def test_max_size_refuses_a_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Merlin ran. " * 200_000, encoding="utf-8")  # about 2.3 MB
    result = invoke("analyze", big, "--max-size", "1", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert str(big) in result.stderr and "limit" in result.stderr


# --- a real process -------------------------------------------------------------------


def test_python_m_ficlens_in_a_real_process_keeps_stdout_clean() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    # Make rich believe stderr is a terminal, so that the progress display is drawn.
    env["FORCE_COLOR"] = "1"
    env["TTY_COMPATIBLE"] = "1"
    paths = sorted(SAMPLES.glob("*.txt"))
    process = subprocess.run(
        [sys.executable, "-m", "ficlens.cli", "analyze", *map(str, paths), "--json"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr.decode(errors="replace")
    stdout = process.stdout.decode("utf-8")
    assert "\x1b" not in stdout and "\r" not in stdout
    docs = json_lines(stdout)
    assert [doc["source"]["path"] for doc in docs] == [str(p) for p in paths]
    assert all(doc["schema"] == "ficlens/analysis/1" for doc in docs)
