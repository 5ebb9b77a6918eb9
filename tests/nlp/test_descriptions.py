"""The descriptions stage: people the narration brings on without a name ("a girl",
"the old man"), on short original stories written for these tests."""

from __future__ import annotations

from ficlens.document import Document
from ficlens.nlp.descriptions import NARRATED_PREFIX
from ficlens.pipeline import analyze_text

# The girl is never named; the only woman named is the teacher the boy is late for.
FENCE = """\
Abel ran down the lane with his satchel bouncing, late again for Miss Prynne's class.

A girl sat on the fence by the mill. She was small and brown, and her feet were bare.

"What you run for?" she asked.

"Because I'm late," Abel said.

"I knows," she said. The girl laughed at him and swung her heels.

"You don't know anything," he said.

"I knows you're a-feared of her," she said.
"""

# Two strangers, one old and one young; "the old man" is the first of them again.
PLATFORM = """\
An old man with a cane came along the platform, and behind him a young man carrying two \
cases. Nell watched them from the bench.

"Is this the train for Dover?" the old man asked her.

"It is," said Nell.

The young man set the cases down. He said nothing at all.
"""

# Descriptions that bring no one on: what someone already there is, or words in a quote.
NOBODY = """\
Tobias was a tall man with a crooked nose. He walked like a girl on a tightrope.

"A man could starve waiting here," Tobias said.

The young man Corwin looked up from his ledger and shrugged.
"""


def _before_speakers_described(document: Document) -> dict[str, list[str]]:
    """Described character id -> the texts of its mentions."""
    out: dict[str, list[str]] = {}
    for mention in document.mentions:
        if mention.kind == "description" and mention.character is not None:
            out.setdefault(mention.character, []).append(mention.text)
    return out


def test_a_girl_and_the_girl_are_one_person(before_speakers) -> None:
    document = before_speakers(FENCE)
    described = _before_speakers_described(document)
    assert list(described.values()) == [["A girl", "The girl"]]
    (girl_id,) = described
    assert girl_id.startswith(NARRATED_PREFIX)
    girl = next(c for c in document.analysis.characters if c.id == girl_id)
    assert girl.gender == "F"
    assert girl.described


def test_she_is_the_girl_not_the_woman_named(before_speakers) -> None:
    document = before_speakers(FENCE)
    (girl_id,) = _before_speakers_described(document)
    she = [m for m in document.mentions if m.text == "she" and not m.in_quote]
    assert she and all(m.character == girl_id for m in she)


def test_the_unnamed_girl_speaks_her_lines() -> None:
    analysis = analyze_text(FENCE)
    by_id = {c.id: c for c in analysis.characters}
    speakers = [by_id[q.speaker].name if q.speaker else None for q in analysis.quotes]
    assert speakers == ["the girl", "Abel", "the girl", "Abel", "the girl"]
    assert by_id[analysis.quotes[0].speaker].described


def test_an_old_man_and_a_young_man_are_two(before_speakers) -> None:
    document = before_speakers(PLATFORM)
    described = _before_speakers_described(document)
    assert sorted(described.values()) == [
        ["An old man", "the old man"],
        ["a young man", "The young man"],
    ]


def test_the_old_man_asks_and_the_silent_young_man_is_dropped() -> None:
    analysis = analyze_text(PLATFORM)
    by_id = {c.id: c for c in analysis.characters}
    assert by_id[analysis.quotes[0].speaker].name == "the old man"
    # The young man neither speaks nor is spoken to: no character of the story.
    assert [c.name for c in analysis.characters if c.described] == ["the old man"]


def test_a_predicate_a_comparison_a_quote_or_a_name_brings_no_one_on(before_speakers) -> None:
    document = before_speakers(NOBODY)
    assert _before_speakers_described(document) == {}
    assert not any(c.described for c in document.analysis.characters)
