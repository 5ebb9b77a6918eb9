"""The fandom knowledge base: the bundled files' shape, user files, and their errors."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from ficlens.errors import InputError
from ficlens.meaning.fandoms import term_weight
from ficlens.meaning.knowledge import (
    KB_ENV,
    fandom_key,
    load_knowledge_base,
    read_file,
    use_knowledge_files,
)

DATA = Path(__file__).resolve().parents[2] / "ficlens" / "data" / "fandoms"

# A made-up fandom for the user-file tests: nothing in the bundled base names it.
USER_FANDOM = {
    "name": "The Lantern Keepers (Web Series)",
    "medium": "web",
    "aliases": ["Lantern Keepers", "TLK-web"],
    "characters": [
        {"name": "Orla Vesk", "aliases": ["Orlie"]},
        {"name": "Tamsin Quillfeather", "aliases": []},
    ],
    "terms": ["Lanternhold", "Wick Guild"],
}


@pytest.fixture(scope="module")
def bundled():
    return load_knowledge_base(use_env=False)


def test_the_bundled_base_covers_the_large_fandoms_across_media(bundled) -> None:
    assert len(bundled.fandoms) >= 60
    media = {fandom.medium for fandom in bundled.fandoms}
    assert {"film", "tv", "books", "anime-manga", "games", "rpf"} <= media
    names = {fandom.name for fandom in bundled.fandoms}
    for expected in (
        "Harry Potter - J. K. Rowling",
        "Marvel Cinematic Universe",
        "Supernatural (TV 2005)",
        "Sherlock (TV)",
        "Star Wars - All Media Types",
        "Star Trek",
        "Doctor Who",
        "Naruto",
        "僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia",
        "Haikyuu!!",
        "原神 | Genshin Impact (Video Game)",
        "Good Omens (TV)",
        "방탄소년단 | Bangtan Boys | BTS",
        "One Direction (Band)",
        "Teen Wolf (TV)",
        "The Lord of the Rings - J. R. R. Tolkien",
        "Merlin (TV)",
        "Critical Role (Web Series)",
    ):
        assert expected in names


def test_every_bundled_fandom_has_a_name_characters_and_telling_terms(bundled) -> None:
    for fandom in bundled.fandoms:
        assert fandom.name.strip(), fandom
        assert len(fandom.characters) >= 4, fandom.name
        assert len(fandom.terms) >= 2, fandom.name
        # Terms are there to tell the fandom apart: at least one must weigh something.
        assert max(term_weight(term) for term in fandom.terms) >= 0.2, fandom.name
        canonicals = [character.canonical for character in fandom.characters]
        assert len(canonicals) == len(set(canonicals)), fandom.name


def test_no_duplicate_fandom_names(bundled) -> None:
    keys = [fandom_key(fandom.name) for fandom in bundled.fandoms]
    assert len(keys) == len(set(keys))


def test_aliases_do_not_collide_across_fandoms_unless_marked_ambiguous(bundled) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for fandom in bundled.fandoms:
        names = [fandom.name, *fandom.aliases]
        for sub_name, sub_aliases in fandom.subfandoms:
            names += [sub_name, *sub_aliases]
        for name in names:
            owners[fandom_key(name)].add(fandom.name)
    by_name = {fandom.name: fandom for fandom in bundled.fandoms}
    for key, fandoms in owners.items():
        if len(fandoms) > 1:
            for name in fandoms:
                assert key in by_name[name].ambiguous, (key, sorted(fandoms))


def test_canonical_character_names_are_ao3s(bundled) -> None:
    characters = {
        (fandom.name, character.canonical)
        for fandom in bundled.fandoms
        for character in fandom.characters
    }
    assert ("Sherlock (TV)", "John Watson") in characters
    assert ("Harry Potter - J. K. Rowling", "Hermione Granger") in characters
    assert ("Star Trek", "James T. Kirk") in characters


def test_declared_names_map_to_the_ao3_name(bundled) -> None:
    def names(written: str) -> set[str]:
        return {name for _, name in bundled.lookup(written)}

    assert names("Sherlock (BBC)") == {"Sherlock (TV)"}
    assert names("BBC Sherlock") == {"Sherlock (TV)"}
    assert names("HP") == {"Harry Potter - J. K. Rowling"}
    assert names("bnha") == {"僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia"}
    # A subfandom keeps its own AO3 name.
    assert names("Star Trek: The Original Series") == {"Star Trek: The Original Series"}
    # Unknown qualifiers fall back to the bare name.
    assert names("Merlin (BBC series 1-5)") == {"Merlin (TV)"}
    # An ambiguous alias gives every candidate.
    assert names("ST") == {"Star Trek", "Stranger Things (TV 2016)"}
    assert names("The Quiet Orchard Chronicles") == set()


def write(tmp_path: Path, name: str, content: str | dict) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_adds_fandoms(tmp_path: Path) -> None:
    path = write(tmp_path, "kb.json", {"fandoms": [USER_FANDOM]})
    kb = load_knowledge_base([path], use_env=False)
    assert kb.fandoms[-1].name == USER_FANDOM["name"]
    assert kb.fandoms[-1].origin == str(path)
    assert [name for _, name in kb.lookup("lantern keepers")] == [USER_FANDOM["name"]]
    assert len(kb.fandoms) == len(load_knowledge_base(use_env=False).fandoms) + 1


def test_user_files_come_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    first = write(tmp_path, "one.json", {"fandoms": [USER_FANDOM]})
    other = dict(USER_FANDOM, name="Another Made-Up Fandom", aliases=["AMUF"])
    second = write(tmp_path, "two.json", {"fandoms": [other]})
    monkeypatch.setenv(KB_ENV, os.pathsep.join([str(first), str(second)]))
    names = [fandom.name for fandom in load_knowledge_base().fandoms]
    assert names[-2:] == [USER_FANDOM["name"], "Another Made-Up Fandom"]
    assert USER_FANDOM["name"] not in [f.name for f in load_knowledge_base(use_env=False).fandoms]


def test_a_user_fandom_replaces_a_bundled_one_of_the_same_name(tmp_path: Path) -> None:
    replacement = dict(USER_FANDOM, name="Sherlock (TV)", aliases=["Consulting Detective Show"])
    kb = load_knowledge_base([write(tmp_path, "kb.json", {"fandoms": [replacement]})])
    sherlocks = [fandom for fandom in kb.fandoms if fandom.name == "Sherlock (TV)"]
    assert len(sherlocks) == 1
    assert sherlocks[0].characters[0].canonical == "Orla Vesk"


def test_use_knowledge_files_sets_and_restores_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(KB_ENV, raising=False)
    path = write(tmp_path, "kb.json", {"fandoms": [USER_FANDOM]})
    restore = use_knowledge_files([path])
    assert os.environ[KB_ENV] == str(path)
    assert load_knowledge_base().fandoms[-1].name == USER_FANDOM["name"]
    restore()
    assert KB_ENV not in os.environ


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "Expected `object`"),
        ({}, "missing required field `fandoms`"),
        ({"fandoms": [], "fandom": []}, "unknown field `fandom`"),
        ({"fandoms": [{"name": "X", "medium": "tv", "characters": "Harry"}]}, "characters"),
        ({"fandoms": [{"name": "X", "medium": "opera"}]}, "medium"),
        ({"fandoms": [{"name": "X", "medium": "tv", "colour": "red"}]}, "colour"),
        ({"fandoms": [{"name": " ", "medium": "tv"}]}, "empty name"),
        ({"fandoms": [{"name": "X", "medium": "tv", "characters": [{"name": ""}]}]}, "character"),
    ],
)
def test_a_malformed_user_file_is_one_line_naming_the_file(tmp_path, content, problem) -> None:
    path = write(tmp_path, "bad.json", content)
    with pytest.raises(InputError) as caught:
        load_knowledge_base([path], use_env=False)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_a_missing_user_file_is_an_input_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(KB_ENV, str(tmp_path / "nowhere.json"))
    with pytest.raises(InputError, match=r"nowhere\.json: cannot read knowledge base"):
        load_knowledge_base()
    with pytest.raises(InputError):
        use_knowledge_files()


def test_read_file_reads_the_bundled_files_too() -> None:
    total = sum(len(read_file(path)) for path in sorted(DATA.glob("*.json")))
    assert total == len(load_knowledge_base(use_env=False).fandoms)
