"""The learned speaker ranker: its bundled model, its features, and its training."""

from __future__ import annotations

import numpy as np
import pytest

from ficlens.nlp import speakers
from ficlens.nlp.ranker import FEATURES, MODEL_FORMAT, Choice, SpeakerRanker, choices

STORY = """\
The kitchen was cold when Marguerite came down. Tobias was already at the stove.

"You're up early," Tobias said.

"I couldn't sleep," said Marguerite. "Tobias, is there addressing?"

"There's always addressing."

She laughed and took the cup he held out. "You spoil me."

"Somebody has to."

"Tobias, you are impossible."
"""


@pytest.fixture(scope="module")
def doc(before_speakers):
    return before_speakers(STORY)


def test_the_bundled_model_has_a_weight_for_every_feature() -> None:
    ranker = SpeakerRanker.bundled()
    assert ranker is not None, "ficlens/data/speaker_ranker.json is missing"
    assert ranker.weights.shape == (len(FEATURES),)
    assert np.count_nonzero(ranker.weights) > len(FEATURES) // 4


def test_a_model_file_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="speaker-ranker"):
        SpeakerRanker.load({"format": "something/else", "weights": {}})
    assert SpeakerRanker.load({"format": MODEL_FORMAT, "weights": {}}).weights.sum() == 0


def test_candidates_include_the_rules_pick_and_mark_the_vocative(doc) -> None:
    turns = speakers.attribute_by_rules(doc)
    found = choices(doc, turns)
    names = {c.id: c.name for c in doc.analysis.characters}
    by_text = {doc.analysis.quotes[c.quote_id].text: c for c in found}
    addressing = by_text["Tobias, you are impossible."]
    tobias = next(i for i, c in enumerate(addressing.candidates) if names[c] == "Tobias")
    vocative = FEATURES.index("vocative")
    assert addressing.vectors[tobias][vocative] == 1.0
    for choice in found:
        turn = turns[choice.quote_id]
        if turn.speaker in names:
            assert turn.speaker in choice.candidates
        assert all(len(v) == len(FEATURES) for v in choice.vectors)


def test_rules_alone_and_with_the_ranker_attribute_every_line(doc) -> None:
    for use_ranker in (False, True):
        for quote in doc.analysis.quotes:
            quote.speaker = None
        speakers.SpeakersStage(use_ranker=use_ranker)(doc)
        names = {c.id: c.name for c in doc.analysis.characters}
        said = {q.text: names.get(q.speaker or "") for q in doc.analysis.quotes if q.speech}
        assert said["You're up early,"] == "Tobias"
        assert said["I couldn't sleep,"] == "Marguerite"
        assert said["Tobias, is there addressing?"] == "Marguerite"
        assert said["There's always addressing."] == "Tobias"
        assert all(0 < (q.confidence or 0) <= 1 for q in doc.analysis.quotes if q.speaker)


def test_fit_learns_which_feature_marks_the_speaker() -> None:
    from ficlens.eval.train_speakers import fit

    rng = np.random.default_rng(7)
    marker = FEATURES.index("rule_explicit")
    examples = []
    for _ in range(200):
        x = rng.random((4, len(FEATURES))) * 0.1
        gold = int(rng.integers(4))
        x[gold, marker] = 1.0
        y = np.zeros(4)
        y[gold] = 1.0
        examples.append((x, y))
    weights = fit(examples, steps=150)
    assert weights["rule_explicit"] > 1.0
    ranker = SpeakerRanker(weights)
    x = np.zeros((3, len(FEATURES)))
    x[2, marker] = 1.0
    assert ranker.rank(Choice(0, ["a", "b", "c"], x.tolist()))[0] == "c"


def test_training_without_the_evaluation_data_is_a_one_line_error(tmp_path, capsys) -> None:
    from ficlens.eval.train_speakers import main

    out = tmp_path / "model.json"
    assert main(["--data", str(tmp_path / "missing"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "evaluation data not found" in err
    assert not out.exists()
