"""Cue detection: the lexicons compile, and a cue is read in its sentence (negated,
hypothetical, past) the way a reader reads it. Snippets are written for these tests; the
stage runs on layout and quotes only, so no language model is needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ficlens.document import Document
from ficlens.layout import layout_stage
from ficlens.meaning.cues import (
    CueReader,
    compile_cue,
    distinct_evidence,
    evidence_span,
    lexicon,
    read_prefix,
    vocabulary_data,
    word_prefixes,
)
from ficlens.model import Analysis, Evidence, Source
from ficlens.nlp.quotes import quotes_stage


def reader_for(text: str) -> CueReader:
    analysis = Analysis(
        source=Source(path=None, format="text", encoding="utf-8"), text_length=len(text), text=text
    )
    doc = Document(text=text, analysis=analysis)
    layout_stage(doc)
    quotes_stage(doc)
    return CueReader(doc)


def only_cue(text: str, kind: str):
    cues = reader_for(text).find(kind)
    assert len(cues) == 1, (text, [(c.start, c.end) for c in cues])
    return cues[0]


def test_every_lexicon_compiles_and_matches_whole_words() -> None:
    kinds = lexicon()
    assert set(kinds) == set(vocabulary_data()["cues"])
    assert {"kiss", "warmth", "conflict", "family_noun", "swear_strong", "death"} <= set(kinds)
    kiss = kinds["kiss"]
    assert kiss.search("She kissed him.")
    assert not kiss.search("a kissable mouth"), "a cue matches whole words only"
    assert not kinds["hug"].search("a huge dog")


def test_placeholders_stand_for_pronouns_and_apostrophes_for_both_kinds() -> None:
    pattern = compile_cue(["cradled {his} cheek", "i'm here"])
    assert pattern.search("He cradled her cheek")
    assert pattern.search("she cradled their cheek")
    assert not pattern.search("he cradled the cheek")
    assert pattern.search("“I’m here,” she said")


@pytest.mark.parametrize(
    ("sentence", "negated", "hypothetical"),
    [
        ("Cal kissed him.", False, False),
        ("Cal didn't kiss him.", True, False),
        ("Cal did not kiss him at the station.", True, False),
        ("Cal never once kissed him.", True, False),
        ("Cal almost kissed him.", True, False),
        ("Cal refused to kiss him.", True, False),
        ("Cal wanted to kiss him.", False, True),
        ("Cal wanted to go home and kiss him.", False, True),
        ("If Cal kissed him, everything would change.", False, True),
        ("Cal thought about kissing him all week.", False, True),
        ("Cal was about to kiss him when the door opened.", False, True),
        ("Cal didn't want to kiss him.", True, True),
        # The negation is over: it does not govern the kiss.
        ("Cal didn't know why he kissed him.", False, False),
        ("Cal didn't hesitate, and kissed him.", False, False),
        ("Cal said nothing and kissed him.", False, False),
        ("Cal thought about it for a moment and kissed him.", False, False),
        ("Cal wondered whether to kiss him.", False, True),
    ],
)
def test_negation_and_hypotheticals(sentence: str, negated: bool, hypothetical: bool) -> None:
    cue = only_cue(sentence, "kiss")
    assert (cue.negated, cue.hypothetical) == (negated, hypothetical), sentence
    assert cue.happened == (not negated and not hypothetical)


def test_a_question_asks_whether_it_happened() -> None:
    cue = only_cue('"Did you kiss him?" Nell asked.', "kiss")
    assert cue.hypothetical and cue.quote is not None
    said = only_cue('"You kissed him," Nell said.', "kiss")
    assert said.happened and said.quote is not None


@pytest.mark.parametrize(
    ("sentence", "past"),
    [
        ("He had kissed her once, by the river.", True),
        ("He'd kissed her once, by the river.", True),
        ("She remembered how he used to hug her.", True),
        ("He kissed her years ago.", True),
        ("He kissed her by the river.", False),
    ],
)
def test_past_and_remembered(sentence: str, past: bool) -> None:
    kind = "hug" if "hug" in sentence else "kiss"
    cue = only_cue(sentence, kind)
    assert cue.past == past, sentence
    assert cue.happened, "a remembered kiss still happened"


def test_contracted_would_is_hypothetical_but_contracted_had_is_past() -> None:
    wish = only_cue("He'd kiss her if he could.", "kiss")
    assert wish.hypothetical and not wish.past
    done = only_cue("He'd kissed her before.", "kiss")
    assert done.past and not done.hypothetical


def test_read_prefix_stops_at_clause_boundaries() -> None:
    assert read_prefix("She did not cry; she ") == (False, False)
    assert read_prefix("She did not ") == (True, False)
    assert read_prefix("If only she could ") == (False, True)
    assert read_prefix("She wished for snow, but she ") == (False, False)


def test_cues_are_found_only_in_the_story_not_the_notes() -> None:
    text = (
        "Title: Hugs All Round\nAuthor: someone\nSummary: Lots of hugs.\n\n"
        "Ada hugged Ben at the gate.\n"
    )
    reader = reader_for(text)
    hugs = reader.find("hug")
    assert [text[c.start : c.end] for c in hugs] == ["hugged"]
    assert hugs[0].start > text.index("Ada") - 1


def test_evidence_is_the_sentence_and_slices_the_text() -> None:
    text = "Ada waved. Then she hugged Ben at the gate, laughing.\n\nBen went home."
    reader = reader_for(text)
    cue = reader.find("hug")[0]
    evidence = reader.evidence(cue)
    assert text[evidence.start : evidence.end] == evidence.text
    assert evidence.text == "Then she hugged Ben at the gate, laughing."


def test_evidence_of_a_spoken_cue_is_its_quotation() -> None:
    text = 'Ada turned at the gate. "I love you," she said to Ben.\n'
    reader = reader_for(text)
    cue = reader.find("confession")[0]
    evidence = reader.evidence(cue)
    assert evidence.text == '"I love you,"'
    assert text[evidence.start : evidence.end] == evidence.text


def test_evidence_span_trims_whitespace() -> None:
    text = "  one two  "
    span = evidence_span(text, 0, len(text))
    assert (span.start, span.end, span.text) == (2, 9, "one two")


SAMPLES = Path(__file__).resolve().parents[2] / "ficlens" / "samples"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_the_word_index_finds_what_a_full_scan_finds(sample: str) -> None:
    """The reader tries a lexicon only at words with the right first letters; that must
    lose nothing a plain search of every sentence finds."""
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    reader = reader_for(text)
    for kind, pattern in lexicon().items():
        assert word_prefixes(pattern) is not None, kind
        expected = [
            (m.start(), m.end())
            for sentence in reader.sentences
            for m in pattern.finditer(text, sentence.start, sentence.end)
        ]
        assert [(c.start, c.end) for c in reader.find(kind)] == expected, kind


def test_word_prefixes() -> None:
    assert word_prefixes(compile_cue(["kiss(?:es|ed)?", "snog"])) == {"kis", "sno"}
    assert word_prefixes(compile_cue(["i love you", "ma"])) == {"i", "ma"}
    assert word_prefixes(compile_cue([r"\w+ing"])) is None


def test_distinct_evidence_drops_overlaps_and_keeps_order() -> None:
    spans = [Evidence(10, 20, ""), Evidence(12, 15, ""), Evidence(0, 5, ""), Evidence(20, 30, "")]
    kept = distinct_evidence(spans, 5)
    assert [(e.start, e.end) for e in kept] == [(10, 20), (0, 5), (20, 30)]
    assert len(distinct_evidence(spans, 2)) == 2


def test_cue_offsets_slice_the_match() -> None:
    text = "Cal swore. 'Shit,' he said, and then, quieter, 'bloody hell.'\n"
    reader = reader_for(text)
    strong = reader.find("swear_strong")
    assert [text[c.start : c.end] for c in strong] == ["Shit"]
    mild = reader.find("swear_mild")
    assert all(re.fullmatch(r"\w+(?: \w+)?", text[c.start : c.end]) for c in mild)
    assert mild, "bloody hell is mild swearing"
