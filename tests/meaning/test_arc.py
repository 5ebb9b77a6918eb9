"""The emotional arc: valence per paragraph, smoothed, sampled; shape and ending rules."""

from __future__ import annotations

import pytest

from ficlens.meaning.arc import (
    MAX_SENTENCE_WORDS,
    SERIES_POINTS,
    arc_of,
    sentence_scores,
    shape_of,
    sparkline,
)
from ficlens.pipeline import Pipeline

HAPPY_ENDING = [
    "The bakery had been failing for a year. Rent was late, the oven was broken, and Odile "
    "lay awake most nights afraid she would lose everything her mother had built.",
    '"We can\'t keep going like this," her brother said. "I\'m sorry. It\'s hopeless."',
    "She did not argue. She was too tired and too sad to argue.",
    "Then, on a cold Monday, a food writer came in out of the rain, ate three almond "
    "croissants, and went away without a word.",
    "On Saturday the queue went round the block. People laughed and chatted in the sun, "
    "and the whole street smelled of warm bread and sugar.",
    '"This is wonderful," her brother said, hugging her. "You did it. I\'m so proud of you."',
    "Odile laughed until she cried happy tears. It was the best day of her life, and she "
    "knew, with a lovely bright certainty, that there would be many more good days to come.",
]

GRIEF_ENDING = [
    "Every morning Anselm walked his old dog Pepper down to the harbour and back.",
    "They had done it for twelve years. Pepper liked the gulls and the fish market, and "
    "Anselm liked the quiet, and the two of them were content.",
    "In March the vet said the word cancer and Anselm sat in the car park for an hour, "
    "unable to turn the key.",
    "Pepper died in April, in her basket by the stove, while he stroked her ears.",
    "Anselm buried her under the apple tree and wept, alone, in the rain.",
    "The house was terribly quiet afterward. He could not bear the empty basket, and he "
    "could not bear to move it. Grief sat on his chest like a stone.",
    "He stopped walking to the harbour. He stopped answering the phone. Nothing mattered, "
    "and the lonely, miserable days went on without her, grey and cold and hopeless.",
]


def test_a_clearly_happy_story_ends_happy() -> None:
    arc = arc_of(HAPPY_ENDING)
    assert arc.ending == "happy"
    assert arc.series[-1] > arc.series[0]


def test_a_grief_stricken_story_ends_sad() -> None:
    arc = arc_of(GRIEF_ENDING)
    assert arc.ending == "sad"
    assert arc.series[-1] < 0
    assert arc.series[-1] < arc.series[0]


def test_series_length_and_range() -> None:
    short = arc_of(HAPPY_ENDING)
    assert len(short.series) == len(HAPPY_ENDING)  # fewer paragraphs than points
    long_story = (HAPPY_ENDING + GRIEF_ENDING) * 3
    arc = arc_of(long_story)
    assert len(arc.series) == SERIES_POINTS
    for series in (short.series, arc.series):
        assert all(-1.0 <= v <= 1.0 for v in series)
    # Varied feeling gives a curve that moves.
    assert max(arc.series) - min(arc.series) > 0.05


def test_no_paragraphs_no_arc() -> None:
    arc = arc_of([])
    assert arc.series == [] and arc.shape is None and arc.ending is None
    blank = arc_of(["   ", "\n"])
    assert blank.series == []


def test_dialogue_counts() -> None:
    # All the feeling is in what people say: it must reach the curve.
    lines = [
        '"I love this place," said Juno. "It is beautiful and I am so happy here."',
        '"Me too," said Kit. "Best summer ever. Thank you for bringing me."',
    ]
    arc = arc_of(lines)
    assert all(v > 0.2 for v in arc.series)


NOTE_STORY = """A/N: Ugh, this week was awful and horrible and I hate everything, I'm so sad and \
angry and miserable, sorry for the terrible delay!!

The garden was quiet in the early morning. Wren filled the watering can at the tap and \
walked between the rows of beans.

The tomatoes were nearly ripe. She counted eleven red ones and three green.

A blackbird watched her from the fence. She finished the beans, rinsed the can and went \
back inside for breakfast.

A/N: Thanks for reading! Kudos and comments are lovely and make my day wonderful!!
"""


def test_authors_notes_do_not_count() -> None:
    pipeline = Pipeline(disable=("tokens",))  # layout, quotes and the arc: no language model
    with_notes = pipeline(NOTE_STORY)
    assert with_notes.work.notes, "the layout stage should find the notes"
    story_only = NOTE_STORY.split("\n\n")[1:-1]
    bare = pipeline("\n\n".join(story_only) + "\n")
    assert with_notes.arc.series == bare.arc.series
    assert with_notes.arc.ending == bare.arc.ending
    # And the notes' strong feeling would have shown: the story itself is near neutral.
    assert all(abs(v) < 0.2 for v in with_notes.arc.series)


@pytest.mark.parametrize(
    ("series", "shape"),
    [
        ([0.05, 0.06, 0.04, 0.05, 0.07, 0.05], "steady"),
        ([-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3], "rise"),
        ([0.3, 0.2, 0.0, -0.2, -0.3], "fall"),
        ([0.2, 0.0, -0.3, -0.1, 0.2, 0.3], "fall-rise"),
        ([-0.2, 0.1, 0.3, 0.1, -0.3], "rise-fall"),
        ([-0.3, 0.0, 0.3, 0.0, -0.3, 0.0, 0.3], "rise-fall-rise"),
        ([0.3, 0.0, -0.3, 0.0, 0.3, 0.0, -0.3], "fall-rise-fall"),
        # Small wiggles on a long climb are still a rise.
        ([-0.4, -0.35, -0.38, -0.2, -0.22, 0.0, -0.02, 0.2, 0.18, 0.4], "rise"),
    ],
)
def test_shapes(series: list[float], shape: str) -> None:
    assert shape_of(series) == shape


def test_shape_merges_many_moves_into_at_most_three() -> None:
    zigzag = [(-0.4 if k % 2 else 0.4) + 0.01 * k for k in range(12)]
    shape = shape_of(zigzag)
    assert shape is not None and 1 <= shape.count("-") + 1 <= 3


def test_sentences_are_scored_one_by_one_and_long_ones_in_pieces() -> None:
    scores = sentence_scores("I love you. I hate this awful place! Is it raining?")
    assert len(scores) == 3
    assert scores[0] > 0.3 and scores[1] < -0.3 and scores[2] == 0.0
    run_on = " ".join(["and the boat went on"] * 50)  # 250 words, no full stop
    assert len(sentence_scores(run_on)) == -(-250 // MAX_SENTENCE_WORDS)


def test_sparkline_follows_the_series() -> None:
    line = sparkline([-0.3, 0.0, 0.3])
    assert len(line) == 3 and line[0] < line[1] < line[2]
    assert len(set(sparkline([0.01, 0.02, 0.01]))) == 1  # flat stays flat
    assert sparkline([]) == ""
