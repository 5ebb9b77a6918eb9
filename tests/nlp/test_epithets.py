"""Unnamed speakers ("said the keeper") become characters; their lines get a speaker."""

from __future__ import annotations

from ficlens.nlp.names import parse
from ficlens.pipeline import analyze_text

PARK = """\
The gate of the park stood open. A keeper in a green coat came running down the path.

"Has it come this way?" gasped the keeper.

"Has what?" asked Bellamy.

"The goat!" cried the keeper. "It has eaten the bandstand!"

The old woman at the tea stall laughed. "Not this way, love," the old woman said. She \
went back to her urn. The keeper ran on, and Bellamy sighed the long sigh of a man whose \
afternoon was ruined.
"""


def test_a_description_that_speaks_is_a_character_with_its_lines() -> None:
    analysis = analyze_text(PARK)
    by_name = {c.name: c for c in analysis.characters}
    assert {"the keeper", "the old woman", "Bellamy"} <= set(by_name)
    assert "the long sigh" not in by_name  # a cognate object, not a speaker
    assert by_name["the old woman"].gender == "F"
    assert by_name["the keeper"].mentions >= 3
    names = {c.id: c.name for c in analysis.characters}
    said = {q.text: names.get(q.speaker or "") for q in analysis.quotes if q.speech}
    assert said["Has it come this way?"] == "the keeper"
    assert said["Has what?"] == "Bellamy"
    assert said["The goat!"] == "the keeper"
    assert said["Not this way, love,"] == "the old woman"


def test_a_wife_called_by_her_husbands_name_does_not_take_his_given_name() -> None:
    assert parse("Mrs John Dashwood").given is None
    assert parse("Mrs John Dashwood").surname == "Dashwood"
    assert parse("Mrs Anne Elliot").given == "Anne"
