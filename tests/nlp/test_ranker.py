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


def test_the_bundled_model_is_a_tree_ensemble_over_these_features() -> None:
    ranker = SpeakerRanker.bundled()
    assert ranker is not None, "ficlens/data/speaker_ranker.json is missing"
    assert ranker.trees >= 50 and ranker.depth >= 2
    splits = np.isfinite(ranker.threshold)  # leaves compare with infinity
    used = set(ranker.feature[splits].tolist())
    assert used <= set(range(len(FEATURES)))
    # The trees split on many clues, not one or two.
    assert len(used) > len(FEATURES) // 2


def test_a_model_file_of_another_format_or_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="speaker-ranker"):
        SpeakerRanker.load({"format": "something/else", "trees": []})
    with pytest.raises(ValueError, match="retrain"):
        SpeakerRanker.load({"format": MODEL_FORMAT, "features": ["old"], "trees": []})
    empty = SpeakerRanker.load({"format": MODEL_FORMAT, "trees": []})
    assert empty.scores(np.ones((3, len(FEATURES)))).tolist() == [0.0, 0.0, 0.0]


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


def test_a_bare_reply_reads_the_tags_around_it_by_parity(doc) -> None:
    # "There's always addressing." follows Tobias's tagged line two turns back and
    # Marguerite's one turn back: the even tag is the speaker's, the odd one the other's.
    turns = speakers.attribute_by_rules(doc)
    names = {c.id: c.name for c in doc.analysis.characters}
    by_text = {doc.analysis.quotes[c.quote_id].text: c for c in choices(doc, turns)}
    reply = by_text["There's always addressing."]
    clue = {
        names[c]: dict(zip(FEATURES, v, strict=True))
        for c, v in zip(reply.candidates, reply.vectors, strict=True)
    }
    assert clue["Tobias"]["tags_even"] > 0 and clue["Tobias"]["tags_odd"] == 0
    assert clue["Marguerite"]["tags_odd"] > 0 and clue["Marguerite"]["tags_even"] == 0
    assert clue["Marguerite"]["prev_tag_odd"] == 1.0 and clue["Tobias"]["prev_tag_odd"] == 0.0
    assert clue["Tobias"]["tagged_in_conversation"] == 1.0


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


def _marked_examples(seed: int, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Choices of four candidates whose gold one alone has the explicit-tag clue."""
    rng = np.random.default_rng(seed)
    marker = FEATURES.index("rule_explicit")
    examples = []
    for _ in range(count):
        x = rng.random((4, len(FEATURES)))
        x[:, marker] = 0.0
        gold = int(rng.integers(4))
        x[gold, marker] = 1.0
        y = np.zeros(4)
        y[gold] = 1.0
        examples.append((x, y))
    return examples


def test_fit_learns_which_feature_marks_the_speaker() -> None:
    from ficlens.eval.train_speakers import fit

    ranker = SpeakerRanker(fit(_marked_examples(7, 200), rounds=30))
    right = sum(
        ranker.rank(Choice(0, ["a", "b", "c", "d"], x.tolist()))[0] == "abcd"[int(y.argmax())]
        for x, y in _marked_examples(8, 50)
    )
    assert right == 50


def test_the_numpy_walk_scores_as_lightgbm_does() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    from ficlens.eval.train_speakers import PARAMETERS
    from ficlens.nlp.ranker import flatten_lightgbm

    examples = _marked_examples(3, 300)
    rng = np.random.default_rng(4)
    for x, y in examples:  # a second, noisier clue, so the trees split on more than one
        x[:, 0] = y * 0.5 + rng.random(len(y))
    x = np.vstack([e[0] for e in examples])
    data = lightgbm.Dataset(x, np.concatenate([e[1] for e in examples]), group=[4] * 300)
    booster = lightgbm.train(dict(PARAMETERS), data, num_boost_round=20)
    ranker = SpeakerRanker(flatten_lightgbm(booster.dump_model()))
    probe = np.random.default_rng(5).random((40, len(FEATURES)))
    assert np.allclose(ranker.scores(probe), booster.predict(probe), atol=1e-5)


def test_training_without_the_evaluation_data_is_a_one_line_error(tmp_path, capsys) -> None:
    from ficlens.eval.train_speakers import main

    out = tmp_path / "model.json"
    assert main(["--data", str(tmp_path / "missing"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "evaluation data not found" in err
    assert not out.exists()


def test_held_out_folds_keep_each_novel_alone_and_group_the_excerpts() -> None:
    from ficlens.eval.data import EvalDoc
    from ficlens.eval.train_speakers import Prepared, folds

    def prepared(corpus: str, name: str) -> Prepared:
        return Prepared(EvalDoc(corpus=corpus, name=name, text=""), None, [])  # type: ignore[arg-type]

    docs = [prepared("pdnc", f"novel{k}") for k in range(3)]
    docs += [prepared("litbank", f"excerpt{k}") for k in range(12)]
    found = folds(docs, litbank_folds=5)
    assert found[:3] == [[0], [1], [2]]
    excerpts = found[3:]
    assert len(excerpts) == 5 and sorted(k for f in excerpts for k in f) == list(range(3, 15))
    assert {len(f) for f in excerpts} <= {2, 3}
    # Fewer excerpts than groups: each its own fold; no LitBank at all: novels only.
    assert folds(docs[:5], litbank_folds=5)[3:] == [[3], [4]]
    assert folds(docs[:3]) == [[0], [1], [2]]
