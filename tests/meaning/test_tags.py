"""Tags: the controlled vocabulary, declared tags kept as written and mapped, and freeform
tags inferred from cues, each with evidence that slices the text.

The stories are short original texts written for these tests. The pipeline runs once for
the module, without the fandom stage (the invented names stay as written).
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from meaning_stories import PINING, ROMANCE

from ficlens.meaning import tags as tags_module
from ficlens.meaning.tags import normalise, vocabulary
from ficlens.model import Analysis, Tag
from ficlens.pipeline import Pipeline

HURT = """\
Theo Ward limped through the door of the flat at two in the morning with a bandage around
his wrist and blood on his sleeve.

Sam Okafor was off the sofa before the door had closed. "What happened?"

"Fell off my bike," said Theo. "It's nothing. A sprain."

"Your wrist is twice the size it should be," Sam said. He made Theo sit down, and he
unwound the bandage and winced at the bruise underneath.

Theo's eyes filled with tears. He tried to blink them away and failed.

"Hey. It's okay," Sam said gently. "I've got you." He held Theo close until the shaking
stopped, and then he made tea, and Theo fell asleep on his shoulder before it was cool
enough to drink.
"""

GRIEF = """\
The funeral was on a Tuesday, which Clara Bright thought was a stupid day for a funeral.
Her brother Daniel Bright had hated Tuesdays.

Daniel had died in a car crash three weeks before, on a wet road outside Leeds. Clara
still had his last text message on her phone.

At the graveside, Clara cried until her throat hurt. Her friend Asha Malik stood beside
her and held her hand, and did not say anything, which was the kindest thing anyone did
all day.

"I keep thinking he'll call," Clara said afterwards, in the car park.

"I know," said Asha.

"It's so stupid. I miss him so much it feels like being ill."

Asha put her arms around her, and Clara wept into her coat, and the grief came up out of
her like water out of a well. The guilt came with it: the argument they'd had at
Christmas, the apology she never made.

Later, Asha drove her home and made her tea, and sat with her on the sofa until it was
dark, and Clara cried again, quietly, and was not alone.
"""

DECLARED = (
    "Title: Tea at Midnight\nAuthor: quietlamp\nRating: T\n"
    "Tags: h/c, hurt-comfort, Fluff, slow-burn, sickfic, Tea\nWarnings: none\n\n" + HURT
)

DOMESTIC = """\
Sunday mornings belonged to pancakes. Ben Hollis had made them every Sunday for the six
years he and his husband, Arlo Finch, had lived in the narrow yellow house on Dove Lane.

Arlo came down to the kitchen in Ben's old jumper, yawning, and wrapped his arms around
Ben from behind.

"Morning," Arlo mumbled into his shoulder.

"Morning, sleepyhead." Ben smiled and flipped a pancake. "Coffee's on."

Arlo kissed the back of his neck and went to pour two mugs. The radio was playing
something soft. Outside, the rain tapped at the window, and the kitchen was warm and
smelled of butter.

They ate on the sofa under a blanket, plates balanced on their knees, while Arlo read the
crossword clues aloud and Ben laughed at every wrong answer.

"Happy anniversary," Ben said, when the plates were empty.

Arlo grinned. "You remembered."

"I always remember." Ben kissed him, slow and fond. "Six years, love."

"Six years," said Arlo, and leaned his head on Ben's shoulder, content.
"""

FIRST_KISS = """\
Jess Moreno had been in love with her best friend for most of university, and she had
never said a word about it.

Kit Lawson was impossible to say things to. Kit talked too fast and laughed too loud and
stole chips off Jess's plate, and every time Jess opened her mouth to confess, Kit started
another story.

On the last night of term they sat on the library roof, where they were definitely not
allowed to be, and watched the city lights.

"I'm going to miss this," Kit said.

"Me too," said Jess. She wished she could hold Kit's hand. She wanted to kiss her so badly
it hurt.

"Jess?"

"Yeah?"

"Are you ever going to kiss me, or do I have to do it myself?"

Jess stared at her. Kit was smiling, nervous and bright.

So Jess kissed her. It was clumsy and cold and perfect, their first kiss, and when they
broke apart Kit was laughing.

"Finally," Kit said, and kissed her again.
"""

ENEMIES = """\
Captain Rhea Stone and Commander Tavi Marr had hated each other since the academy. On the
bridge of the Meridian they argued about everything: the course, the coffee, the correct
way to address an admiral.

"You're reckless," Tavi said.

"You're a coward," Rhea snapped, and Tavi glared at her across the console.

When the engines failed over Kessa Four, it was Rhea who shouted at Tavi to get to the
escape pod, and Tavi who refused to leave without her.

They spent nine hours in the pod, knee to knee, with nothing to do but talk. Somewhere in
the fifth hour, Rhea stopped arguing. Somewhere in the seventh, Tavi took her hand.

When the rescue ship's lights finally swept over them, Rhea kissed Tavi, hard and sure,
before either of them could think better of it.

"I still think you're reckless," Tavi said afterwards.

"I know," said Rhea, and kissed her again.
"""

STORIES = {
    "hurt": HURT,
    "pining": PINING,
    "grief": GRIEF,
    "romance": ROMANCE,
    "declared": DECLARED,
    "domestic": DOMESTIC,
    "first_kiss": FIRST_KISS,
    "enemies": ENEMIES,
}


@cache
def analysed(name: str) -> Analysis:
    return Pipeline(disable=["fandoms", "arc"])(STORIES[name])


def inferred(name: str) -> dict[str, Tag]:
    return {t.name: t for t in analysed(name).tags if t.source == "inferred"}


def test_vocabulary_has_the_common_ao3_tags_with_unique_names() -> None:
    entries = vocabulary()
    freeform = [t for t in entries if t.type == "freeform"]
    assert len(freeform) >= 40
    names = [t.name for t in entries]
    assert len(names) == len(set(names))
    assert {t.type for t in entries} == {"rating", "warning", "category", "freeform"}
    for wanted in (
        "Angst",
        "Fluff",
        "Hurt/Comfort",
        "Established Relationship",
        "First Kiss",
        "Kissing",
        "Love Confessions",
        "Crying",
        "Grief/Mourning",
        "Hugs",
        "Friendship",
        "Humor",
        "Violence",
        "Character Death",
        "Alternate Universe",
        "Post-Canon",
        "Romance",
        "Pining",
        "Slow Burn",
        "Nightmares",
        "Injury",
        "Sick Fic",
        "Fake/Pretend Relationship",
        "Domestic Fluff",
        "Family",
        "Banter",
        "Jealousy",
        "Protectiveness",
    ):
        assert wanted in names, wanted
    ratings = [t.name for t in entries if t.type == "rating"]
    assert ratings[:4] == ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]


def test_no_synonym_stands_for_two_tags() -> None:
    owners = Counter(s.lower() for t in vocabulary() for s in set(x.lower() for x in t.synonyms))
    assert [s for s, n in owners.items() if n > 1] == []


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("h/c", "Hurt/Comfort"),
        ("hurt-comfort", "Hurt/Comfort"),
        ("Hurt/Comfort", "Hurt/Comfort"),
        ("HURT COMFORT", "Hurt/Comfort"),
        ("slow-burn", "Slow Burn"),
        ("modern AU", "Alternate Universe - Modern Setting"),
        ("mcd", "Major Character Death"),
        ("slash", "M/M"),
        ("fluffy", "Fluff"),
    ],
)
def test_synonyms_map_to_the_vocabulary(written: str, name: str) -> None:
    entry = normalise(written)
    assert entry is not None and entry.name == name


def test_unknown_tags_map_to_nothing() -> None:
    assert normalise("Tea") is None
    assert normalise("Arthur is a prat") is None


def test_inferred_tags_are_vocabulary_tags() -> None:
    names = {t.name for t in vocabulary()}
    for story in STORIES:
        for tag in analysed(story).tags:
            if tag.source == "inferred":
                assert tag.name in names, tag
                assert tag.type == normalise(tag.name).type, tag  # type: ignore[union-attr]


@pytest.mark.parametrize("story", sorted(STORIES))
def test_every_tag_has_evidence_that_slices_the_text(story: str) -> None:
    text = STORIES[story]
    analysis = analysed(story)
    for tag in analysis.tags:
        assert 0 < tag.confidence <= 1, tag
        for evidence in tag.evidence:
            assert text[evidence.start : evidence.end] == evidence.text, tag
        if tag.type == "freeform" and tag.source == "inferred":
            assert tag.evidence, tag
    types = [t.type for t in analysis.tags if t.source == "inferred"]
    assert types.count("rating") == 1
    assert types == sorted(types, key=["rating", "warning", "category", "freeform"].index)


def test_declared_tags_are_kept_as_written_and_mapped() -> None:
    analysis = analysed("declared")
    declared = [(t.name, t.type) for t in analysis.tags if t.source == "declared"]
    written = analysis.work.declared.tags
    assert len(written) == 6
    for name in written:  # as the notes declare them ("H/c", "Hurt-comfort", "Tea")
        assert (name, "freeform") in declared, name
    assert declared.count(("Hurt/Comfort", "freeform")) == 1, "two spellings, mapped once"
    assert ("Slow Burn", "freeform") in declared
    assert ("Sick Fic", "freeform") in declared
    assert sum(name.lower() == "tea" for name, _ in declared) == 1, "kept, not mapped"
    assert ("Teen And Up Audiences", "rating") in declared
    assert ("No Archive Warnings Apply", "warning") in declared
    text = STORIES["declared"]
    for tag in analysis.tags:
        if tag.source == "declared":
            assert tag.confidence == 1.0
            assert tag.evidence, tag
    first = next(t for t in analysis.tags if t.name.lower() == "h/c")
    assert [e.text for e in first.evidence] == ["h/c"]
    assert text.index("Tags:") < first.evidence[0].start < text.index("Warnings:")
    mapped = next(t for t in analysis.tags if t.name == "Hurt/Comfort" and t.source == "declared")
    # ficlens finds hurt/comfort in the story too: one tag, the declared one, whose
    # evidence goes on from the note into the story.
    assert mapped.evidence[0] == first.evidence[0]
    assert len(mapped.evidence) > 1
    assert all(e.start > text.index("Warnings:") for e in mapped.evidence[1:])
    assert not [t for t in analysis.tags if t.name == "Hurt/Comfort" and t.source == "inferred"]


def test_tags_named_in_an_authors_note_are_declared_unless_negated() -> None:
    text = (
        "Title: Snowed In\n\n"
        "A/N: Pure fluff, a modern AU of sorts. No smut, sorry!\n\n"
        "Dana Reyes shovelled the path while Lee Park made cocoa.\n\n"
        '"Done," Dana said.\n\n"Cocoa," said Lee.\n'
    )
    analysis = Pipeline(disable=["fandoms", "arc"])(text)
    declared = {t.name: t for t in analysis.tags if t.source == "declared"}
    assert {"Fluff", "Alternate Universe - Modern Setting"} <= set(declared)
    assert "Smut" not in declared and "Alternate Universe" not in declared
    assert declared["Fluff"].confidence < 1
    (evidence,) = declared["Alternate Universe - Modern Setting"].evidence
    assert text[evidence.start : evidence.end] == evidence.text == "modern AU"
    # Not a sexual-content marker, so the suggested rating stays general.
    assert next(t for t in analysis.tags if t.type == "rating").name == "General Audiences"


def test_an_injury_with_tears_and_comfort_is_hurt_comfort() -> None:
    tags = inferred("hurt")
    assert {"Hurt/Comfort", "Injury", "Crying"} <= set(tags)
    assert not {"Kissing", "Romance", "Character Death"} & set(tags)
    assert tags["Hurt/Comfort"].confidence > 0.5


def test_a_wanted_kiss_is_pining_not_kissing() -> None:
    tags = inferred("pining")
    assert "Pining" in tags
    assert not {"Kissing", "Romance", "First Kiss", "Love Confessions"} & set(tags)
    assert any("kiss" in e.text for e in tags["Pining"].evidence)


def test_a_funeral_is_grief_and_angst_not_fluff() -> None:
    tags = inferred("grief")
    assert {"Grief/Mourning", "Crying", "Angst", "Friendship"} <= set(tags)
    assert "Fluff" not in tags
    assert "Major Character Death" not in tags, "a death before the story is no warning"


def test_a_confession_and_kisses() -> None:
    tags = inferred("romance")
    assert {"Kissing", "Love Confessions", "Romance", "Family", "Hugs"} <= set(tags)
    assert any("love you" in e.text for e in tags["Love Confessions"].evidence)
    assert all("kiss" in e.text for e in tags["Kissing"].evidence)
    assert "Angst" not in tags


def test_a_married_couple_at_breakfast_is_established_and_domestic() -> None:
    tags = inferred("domestic")
    assert {"Established Relationship", "Domestic Fluff", "Fluff", "Kissing", "Romance"} <= set(
        tags
    )
    assert not {"First Kiss", "Angst", "Pining"} & set(tags)
    # "his husband, Arlo": a man, even where the pronouns did not say so.
    categories = [t.name for t in analysed("domestic").tags if t.type == "category"]
    assert categories == ["M/M"]


def test_a_long_wanted_kiss_that_finally_happens_is_a_first_kiss() -> None:
    tags = inferred("first_kiss")
    assert {"First Kiss", "Kissing", "Pining", "Romance"} <= set(tags)
    assert "Established Relationship" not in tags
    assert any("first kiss" in e.text for e in tags["First Kiss"].evidence)
    (pair,) = [r for r in analysed("first_kiss").relationships if r.kind == "romantic"]
    assert analysed("first_kiss").main_pairing == pair.notation == "Kit Lawson/Jess Moreno"
    assert any(e.text == "So Jess kissed her." for e in pair.evidence)


def test_rivals_who_kiss_in_the_end_are_enemies_to_lovers() -> None:
    tags = inferred("enemies")
    assert {"Enemies to Lovers", "Kissing", "Romance"} <= set(tags)
    assert "Friends to Lovers" not in tags
    (pair,) = [r for r in analysed("enemies").relationships if r.kind == "romantic"]
    assert pair.notation == "Tavi Marr/Rhea Stone", "ranks dropped, ordered by family name"
    assert "Friends to Lovers" not in inferred("romance")


def test_the_stage_runs_on_a_story_with_nobody_in_it() -> None:
    analysis = Pipeline(disable=["fandoms", "arc"])("The sea was grey. The wind was cold.\n")
    names = [t.name for t in analysis.tags]
    assert names == ["General Audiences", "No Archive Warnings Apply", "Gen"]
    assert tags_module.freeform_tags.__doc__


ICE = """\
Owen Pike and his brother Rory Pike crossed the frozen lake at dawn. Rory went first, as he
always did.

"Careful," Owen said. "It's thin by the reeds."

"I know," said Rory.

The ice cracked under Rory with a sound like a gunshot. Owen threw himself flat and reached,
and caught his sleeve, and lost it. Rory went under. When the men from the village came with
ropes, Rory was dead. He died in the black water, and Owen knelt on the shore with his
brother's body in his arms, screaming his name.
"""

SNOW = """\
Owen Pike sat by the window and watched the snow. His brother Rory Pike came in with two
mugs of cocoa.

"Move up," said Rory.

"Make me," said Owen, and they both laughed, and watched the snow together until dark.
"""


def warning_names(analysis: Analysis) -> list[tuple[str, str]]:
    return [(t.name, t.source) for t in analysis.tags if t.type == "warning"]


@pytest.mark.parametrize(
    ("notes", "story", "warning"),
    [
        ("", ICE, ("Major Character Death", "inferred")),
        ("A/N: heavy warning for mcd in this one, sorry.\n\n", SNOW, None),
        ("Warnings: Major Character Death\n\n", SNOW, ("Major Character Death", "declared")),
    ],
)
def test_no_archive_warnings_apply_never_stands_next_to_a_warning(
    notes: str, story: str, warning: tuple[str, str] | None
) -> None:
    analysis = Pipeline(disable=["fandoms", "arc"])(notes + story)
    found = warning_names(analysis)
    assert any(name == "Major Character Death" for name, _ in found), found
    if warning is not None:
        assert warning in found
    assert "No Archive Warnings Apply" not in {name for name, _ in found}


def test_a_quiet_story_still_gets_no_archive_warnings_apply() -> None:
    analysis = Pipeline(disable=["fandoms", "arc"])(SNOW)
    assert warning_names(analysis) == [("No Archive Warnings Apply", "inferred")]


def test_an_inferred_tag_equal_to_a_declared_one_is_listed_once() -> None:
    text = "Rating: G\nCategory: Gen\nWarnings: none\n\n" + SNOW
    analysis = Pipeline(disable=["fandoms", "arc"])(text)
    keys = [(t.name, t.type) for t in analysis.tags]
    assert len(keys) == len(set(keys)), keys
    by_key = {(t.name, t.type): t for t in analysis.tags}
    for key in (
        ("General Audiences", "rating"),
        ("Gen", "category"),
        ("No Archive Warnings Apply", "warning"),
    ):
        assert by_key[key].source == "declared", key
        assert by_key[key].confidence == 1.0
    # The declared tag is shown where the notes declare it.
    rating = by_key[("General Audiences", "rating")]
    assert rating.evidence and rating.evidence[0].start < text.index("Owen")
    # Where ficlens disagrees, both stay: a declared G over a story with a death.
    disagree = Pipeline(disable=["fandoms", "arc"])("Rating: G\n\n" + ICE)
    ratings = [(t.name, t.source) for t in disagree.tags if t.type == "rating"]
    assert ratings[0] == ("General Audiences", "declared")
    assert len(ratings) == 2 and ratings[1][1] == "inferred"
