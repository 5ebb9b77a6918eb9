"""The fandoms stage: declared and inferred fandoms with evidence, and canonical names.

The stories here are short original scenes written for these tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ficlens.document import Document, Mention
from ficlens.meaning.fandoms import fandoms_stage, rarity
from ficlens.meaning.knowledge import KB_ENV, load_knowledge_base
from ficlens.model import Analysis, Character, Source
from ficlens.pipeline import Pipeline

SAMPLES = Path(__file__).resolve().parents[2] / "ficlens" / "samples"
HP = "Harry Potter - J. K. Rowling"

BAKER_STREET = """\
The Long Afternoon

Rain ran down the windows of 221B all afternoon. Sherlock Holmes lay on the sofa with his
hands steepled under his chin, and John Watson sat in his armchair pretending to read the
paper.

"You're staring," Sherlock said.

"I'm reading," said John.

"You have read the same line four times. Lestrade hasn't rung, has he?"

John folded the paper. "No. Mrs Hudson says the whole of Baker Street has gone quiet."

Sherlock sat up. "Then we shall have to go out and find something."
"""

COMMON_ROOM = """\
Harry pushed open the portrait hole and climbed into the Gryffindor common room. Hermione was
already by the fire, buried in a book about Transfiguration, and Ron was losing at chess to
Neville.

"Where've you been?" Ron asked.

"Hagrid's," said Harry. "He's got something in a crate that keeps biting."

Hermione looked up. "If it's another dragon, I'm telling Professor McGonagall."
"""

CROSSOVER = """\
The TARDIS landed in the middle of the Great Hall with a wheezing groan. The Doctor stepped
out, straightened his bow tie and beamed at the students staring from the long tables.

"Hogwarts!" the Doctor said. "I have always wanted to see Hogwarts."

Hermione Granger stood up at the Gryffindor table. "Who are you?"

"Just the Doctor. That blue box is my TARDIS. Time Lord, bigger on the inside, all that."

Albus Dumbledore came down from the staff table. "Doctor," Dumbledore said warmly. "We have
been expecting you."
"""

ORCHARD = """\
John walked up the lane with a basket of apples on his arm. Mary was waiting at the gate of
the cottage, her sleeves rolled up and flour on her hands.

"You took your time," Mary said.

"The ladder broke," John said. "I had to mend it before I could reach the top branches."

Mary laughed and took the basket from him. "Come in. The kettle's on, and the pie won't bake
itself."
"""

KETTLE = """\
John put the kettle on and waited for the water to boil. Outside, a car went past and
splashed the pavement.

"Tea?" John called.

"Please," Sherlock said from the other room.
"""

SICKBAY = """\
Jim found Bones in sickbay, glaring at a tricorder as if it had insulted him.

"It's only a scratch," Jim said.

"I'm a doctor, not a fortune teller," said Bones. "Sit down before you fall down."

Bones ran the scanner over him twice and scowled at the readings. Jim sat.

Spock appeared in the doorway. "Captain, Starfleet Command requests your report," said Spock.

"Tell them I'm busy, Spock," Jim said.

Spock looked at Bones. Bones looked at Spock. Neither of them said a word.
"""

HAWKINS = """\
Steve Harrington parked outside the Byers house and killed the engine. Eddie Munson was
already on the porch, guitar case at his feet.

"They say the Upside Down is quiet tonight," Eddie said.

"Nothing in Hawkins is ever quiet," said Steve.
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    # The later meaning stages are not this module's business.
    return Pipeline(disable=["relationships", "arc"])


def canonical(analysis: Analysis) -> dict[str, str | None]:
    return {character.name: character.canonical for character in analysis.characters}


def check_evidence(analysis: Analysis) -> None:
    text = analysis.text
    assert text is not None
    for fandom in analysis.fandoms:
        for evidence in fandom.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


def test_a_baker_street_scene_is_sherlock(pipeline) -> None:
    analysis = pipeline(BAKER_STREET)
    check_evidence(analysis)
    assert [f.name for f in analysis.fandoms] == ["Sherlock (TV)"]
    fandom = analysis.fandoms[0]
    assert fandom.source == "inferred"
    assert 0.5 <= fandom.confidence < 1.0
    cited = {evidence.text for evidence in fandom.evidence}
    assert {"Sherlock Holmes", "John Watson"} <= cited
    assert "Baker Street" in cited or "221B" in cited
    names = canonical(analysis)
    assert names["Sherlock Holmes"] == "Sherlock Holmes"
    assert names["John Watson"] == "John Watson"
    assert names["Mrs Hudson"] == "Mrs. Hudson"


def test_a_hogwarts_scene_is_harry_potter_with_canonical_names(pipeline) -> None:
    analysis = pipeline(COMMON_ROOM)
    check_evidence(analysis)
    assert [(f.name, f.source) for f in analysis.fandoms] == [(HP, "inferred")]
    assert analysis.fandoms[0].confidence > 0.9
    cited = {evidence.text for evidence in analysis.fandoms[0].evidence}
    assert {"Hermione", "Gryffindor"} <= cited
    names = canonical(analysis)
    assert names["Harry"] == "Harry Potter"
    assert names["Ron"] == "Ron Weasley"
    assert names["Hermione"] == "Hermione Granger"


def test_a_crossover_gives_both_fandoms(pipeline) -> None:
    analysis = pipeline(CROSSOVER)
    check_evidence(analysis)
    found = {f.name: f for f in analysis.fandoms}
    assert set(found) == {"Doctor Who", HP}
    assert all(f.source == "inferred" and 0.5 <= f.confidence <= 1 for f in found.values())
    confidences = [f.confidence for f in analysis.fandoms]
    assert confidences == sorted(confidences, reverse=True)
    # Each fandom cites its own clues, not the other's.
    assert "TARDIS" in {e.text for e in found["Doctor Who"].evidence}
    assert "Hogwarts" in {e.text for e in found[HP].evidence}
    assert "TARDIS" not in {e.text for e in found[HP].evidence}
    names = canonical(analysis)
    assert "Albus Dumbledore" in names.values()
    assert "The Doctor (Doctor Who)" in names.values()


def test_an_original_story_with_a_john_and_a_mary_has_no_fandom(pipeline) -> None:
    analysis = pipeline(ORCHARD)
    assert {c.name for c in analysis.characters} >= {"John", "Mary"}
    assert analysis.fandoms == []
    assert all(character.canonical is None for character in analysis.characters)


def test_a_declared_fandom_is_kept_and_names_its_characters(pipeline) -> None:
    analysis = pipeline("Fandom: Sherlock (BBC)\nRating: G\n\n" + KETTLE)
    check_evidence(analysis)
    assert len(analysis.fandoms) == 1
    fandom = analysis.fandoms[0]
    assert (fandom.name, fandom.source, fandom.confidence) == ("Sherlock (TV)", "declared", 1.0)
    # The evidence is the name as the story writes it.
    assert [e.text for e in fandom.evidence] == ["Sherlock (BBC)"]
    assert fandom.evidence[0].start == analysis.text.index("Sherlock (BBC)")
    # The story alone would not say Sherlock; the declaration names John.
    assert canonical(analysis)["John"] == "John Watson"
    assert canonical(pipeline(KETTLE))["John"] is None


def test_an_unknown_declared_fandom_is_kept_as_written(pipeline) -> None:
    analysis = pipeline("Fandom: The Quiet Orchard Chronicles\n\n" + ORCHARD)
    assert [(f.name, f.source) for f in analysis.fandoms] == [
        ("The Quiet Orchard Chronicles", "declared")
    ]
    assert all(character.canonical is None for character in analysis.characters)


def test_nicknames_and_surnames_find_star_trek_names(pipeline) -> None:
    analysis = pipeline(SICKBAY)
    assert [f.name for f in analysis.fandoms] == ["Star Trek"]
    names = canonical(analysis)
    assert names["Jim"] == "James T. Kirk"
    assert names["Bones"] == "Leonard McCoy"
    assert names["Spock"] == "Spock"


@pytest.mark.parametrize(
    ("story", "expected"),
    [(SICKBAY, "Star Trek"), (HAWKINS, "Stranger Things (TV 2016)")],
)
def test_an_ambiguous_declared_alias_is_settled_by_the_story(pipeline, story, expected) -> None:
    analysis = pipeline("Fandom: ST\n\n" + story)
    first = analysis.fandoms[0]
    assert (first.name, first.source) == (expected, "declared")
    # The declared fandom is not inferred a second time.
    assert [f.name for f in analysis.fandoms].count(expected) == 1


def test_the_samples_get_their_fandoms_declared_and_from_the_story_alone(pipeline) -> None:
    expected = {
        "doctorwho_proper_cup_of_tea.txt": ("Doctor Who", "Doctor Who"),
        "goodomens_first_snow.txt": ("Good Omens (TV)", "Good Omens (TV)"),
        "hp_library_after_curfew.txt": (HP, HP),
        "merlin_kitchen_disaster.txt": ("Merlin (TV)", "Merlin (TV)"),
        "merlin_the_long_night.txt": ("Merlin (TV)", "Merlin (TV)"),
        "sherlock_baker_street_rain.txt": ("Sherlock (TV)", "Sherlock (TV)"),
        "startrek_falling_lights.txt": ("Star Trek: The Original Series", "Star Trek"),
    }
    for path in sorted(SAMPLES.glob("*.txt")):
        declared, inferred = expected[path.name]
        analysis = pipeline(path.read_text(encoding="utf-8"))
        check_evidence(analysis)
        assert [(f.name, f.source) for f in analysis.fandoms] == [(declared, "declared")]
        named = [c for c in analysis.characters if c.role == "main"]
        assert named and all(c.canonical for c in named), path.name
        # Without its notes the story still tells its fandom.
        story = "\n\n".join(analysis.text[p.start : p.end] for p in analysis.paragraphs())
        alone = pipeline(story)
        assert [(f.name, f.source) for f in alone.fandoms] == [(inferred, "inferred")], path.name


def test_a_user_knowledge_base_from_the_environment(pipeline, tmp_path, monkeypatch) -> None:
    kb = {
        "fandoms": [
            {
                "name": "The Lantern Keepers (Web Series)",
                "medium": "web",
                "characters": [{"name": "Orla Vesk"}, {"name": "Tamsin Quillfeather"}],
                "terms": ["Lanternhold", "Wick Guild"],
            }
        ]
    }
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(kb), encoding="utf-8")
    story = (
        "Orla Vesk climbed the stairs of Lanternhold with the last lamp of the night.\n\n"
        '"The Wick Guild will want an answer," Orla said.\n\n'
        '"Then they can wait for morning," said Tamsin.\n'
    )
    assert pipeline(story).fandoms == []
    monkeypatch.setenv(KB_ENV, str(path))
    analysis = pipeline(story)
    assert [f.name for f in analysis.fandoms] == ["The Lantern Keepers (Web Series)"]
    assert canonical(analysis)["Tamsin"] == "Tamsin Quillfeather"


# The stage on hand-built documents: the characters stage's reading is given.


def document(text: str, *names: str) -> Document:
    analysis = Analysis(source=Source(None, "text", "utf-8"), text_length=len(text), text=text)
    doc = Document(text=text, analysis=analysis)
    for i, name in enumerate(names):
        analysis.characters.append(Character(id=f"c{i}", name=name))
        at = text.index(name)
        doc.mentions.append(Mention(at, at + len(name), name, "name", 0, character=f"c{i}"))
    doc.mentions.sort(key=lambda mention: mention.start)
    return doc


def test_more_clues_give_more_confidence() -> None:
    kb = load_knowledge_base(use_env=False)
    two = document("Harry and Ron walked up to Hogwarts.", "Harry", "Ron")
    three = document(
        "Harry and Ron walked up to Hogwarts with Hermione.", "Harry", "Ron", "Hermione"
    )
    fandoms_stage(two, kb)
    fandoms_stage(three, kb)
    assert [f.name for f in two.analysis.fandoms] == [HP]
    assert three.analysis.fandoms[0].confidence > two.analysis.fandoms[0].confidence


def test_ordinary_words_and_common_names_are_not_enough() -> None:
    kb = load_knowledge_base(use_env=False)
    # Real words that some fandom uses as terms, and common names that some fandom has.
    doc = document(
        "Sam and Dean sat by the creepers on the barricade; it was a quirk of the pack.",
        "Sam",
        "Dean",
    )
    fandoms_stage(doc, kb)
    assert doc.analysis.fandoms == []
    assert rarity("John") < rarity("Hermione") < rarity("Aziraphale")


def test_a_full_name_that_differs_is_not_the_fandom_character() -> None:
    kb = load_knowledge_base(use_env=False)
    doc = document("Gabriel Oak and Miss Watson met at Hogwarts.", "Gabriel Oak", "Miss Watson")
    doc.analysis.work.declared.fandoms = ["Pokemon", "Sherlock (TV)"]
    fandoms_stage(doc, kb)
    assert [f.name for f in doc.analysis.fandoms] == [
        "Pocket Monsters | Pokemon - All Media Types",
        "Sherlock (TV)",
    ]
    assert [c.canonical for c in doc.analysis.characters] == [None, None]


# The command line: ficlens analyze --kb FILE.


def test_analyze_takes_a_knowledge_base_file(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from ficlens.cli import main

    monkeypatch.delenv(KB_ENV, raising=False)
    kb = {
        "fandoms": [
            {
                "name": "Made-Up Quiz Show (TV)",
                "medium": "tv",
                "aliases": ["MUQS"],
                "characters": [{"name": "Perpetua Ballantyne-Oakes"}],
                "terms": ["Golden Buzzer of Doom"],
            }
        ]
    }
    good = tmp_path / "good.json"
    good.write_text(json.dumps(kb), encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Fandom: MUQS\n\n" + ORCHARD, encoding="utf-8")

    result = CliRunner().invoke(main, ["analyze", "--kb", str(good), "--json", str(story)])
    assert result.exit_code == 0, result.output
    fandoms = json.loads(result.stdout)["fandoms"]
    assert [(f["name"], f["source"]) for f in fandoms] == [("Made-Up Quiz Show (TV)", "declared")]
    assert KB_ENV not in os.environ  # --kb lasts one command

    without = CliRunner().invoke(main, ["analyze", "--json", str(story)])
    assert [f["name"] for f in json.loads(without.stdout)["fandoms"]] == ["MUQS"]


def test_analyze_stops_on_a_bad_knowledge_base_file(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from ficlens.cli import main

    monkeypatch.delenv(KB_ENV, raising=False)
    bad = tmp_path / "bad.json"
    bad.write_text('{"fandoms": [{"name": "X"}]}', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(ORCHARD, encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", "--kb", str(bad), "--json", str(story)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0] and "medium" in lines[0]
    # The same file named in FICLENS_KB.
    monkeypatch.setenv(KB_ENV, str(bad))
    result = CliRunner().invoke(main, ["analyze", str(story)])
    assert result.exit_code == 1
    assert str(bad) in result.stderr


def test_real_places_and_period_words_need_a_character() -> None:
    kb = load_knowledge_base(use_env=False)
    text = (
        "Mr Pennywhistle took a hansom from Baker Street to Scotland Yard, and a second "
        "hansom home again."
    )
    doc = document(text, "Mr Pennywhistle")
    fandoms_stage(doc, kb)
    assert doc.analysis.fandoms == []
    with_holmes = document(text + " Sherlock Holmes was waiting.", "Sherlock Holmes")
    fandoms_stage(with_holmes, kb)
    # The hansom cab is Conan Doyle's, not the BBC's: a clue only one of them has decides.
    assert [f.name for f in with_holmes.analysis.fandoms] == [
        "Sherlock Holmes - Arthur Conan Doyle"
    ]
    cited = {e.text for e in with_holmes.analysis.fandoms[0].evidence}
    assert {"Sherlock Holmes", "Baker Street", "hansom"} <= cited


def test_a_given_name_comes_before_a_nickname_reading() -> None:
    kb = load_knowledge_base(use_env=False)
    # "Steve" could be short for Stephen (Strange); it is Steve Rogers first.
    doc = document("Steve waited while Tony and Jim argued.", "Steve", "Tony", "Jim")
    doc.analysis.work.declared.fandoms = ["MCU"]
    fandoms_stage(doc, kb)
    assert [(f.name, f.source) for f in doc.analysis.fandoms] == [
        ("Marvel Cinematic Universe", "declared")
    ]
    assert [c.canonical for c in doc.analysis.characters] == ["Steve Rogers", "Tony Stark", None]


def test_clues_two_fandoms_share_go_to_the_larger_with_less_confidence() -> None:
    kb = load_knowledge_base(use_env=False)
    shared = "Sherlock Holmes and John Watson walked down Baker Street."
    doc = document(shared, "Sherlock Holmes", "John Watson")
    fandoms_stage(doc, kb)
    # The BBC series and Conan Doyle's stories both have these two on Baker Street.
    [tied] = doc.analysis.fandoms
    assert tied.name == "Sherlock (TV)"
    assert tied.confidence <= 0.75
    # Molly Hooper is only the series'.
    doc = document(
        shared + " Molly Hooper waved.", "Sherlock Holmes", "John Watson", "Molly Hooper"
    )
    fandoms_stage(doc, kb)
    [sure] = doc.analysis.fandoms
    assert sure.name == "Sherlock (TV)"
    assert sure.confidence > 0.9


CAMELOT_HUNT = """\
Merlin trudged after Arthur through the woods outside Camelot, carrying the prince's
pack, the prince's crossbow and, somehow, the prince's lunch.

"Keep up, Merlin," Arthur said.

"I am keeping up. You're the one who keeps stopping to look heroic."

Arthur threw an apple at him. "Gwen packed us pie. Don't you dare drop it."

By the stream they found the herbs Gaius had asked for, and Merlin picked them while
Arthur pretended to keep watch.
"""


@pytest.mark.parametrize("written", ["BBC's Merlin", "Merlin BBC 2008", "Merlin (BBC)"])
def test_a_declared_fandom_the_story_also_points_to_is_listed_once(pipeline, written) -> None:
    analysis = pipeline(f"Fandom: {written}\n\n" + CAMELOT_HUNT)
    check_evidence(analysis)
    # The story alone says Merlin (TV); declared, it is the same fandom, listed once.
    assert [(f.name, f.source) for f in pipeline(CAMELOT_HUNT).fandoms] == [
        ("Merlin (TV)", "inferred")
    ]
    assert [(f.name, f.source) for f in analysis.fandoms] == [("Merlin (TV)", "declared")]
    evidence = analysis.fandoms[0].evidence
    assert evidence[0].text == written, "the declaration comes first"
    story_start = analysis.text.index("Merlin trudged")
    assert any(e.start >= story_start for e in evidence), "and the story's clues follow"


def test_a_declared_fandom_with_other_words_than_qualifiers_is_not_merged(pipeline) -> None:
    analysis = pipeline("Fandom: Merlin x Robin Hood\n\n" + CAMELOT_HUNT)
    names = [(f.name, f.source) for f in analysis.fandoms]
    # A crossover named in one line is not taken for one of its fandoms.
    assert names == [("Merlin x Robin Hood", "declared"), ("Merlin (TV)", "inferred")]
