"""The tokens stage: spaCy's reading, split over processes for long texts, and the entity
recogniser run only where a name may be."""

from __future__ import annotations

import pytest

from ficlens.document import Document
from ficlens.layout import layout_stage
from ficlens.model import Analysis, Source
from ficlens.nlp.language import load_language, may_name
from ficlens.nlp.tokens import TokensStage, _split, read_in_parts, read_paragraphs

STORY = """\
Wren kept the lighthouse alone until the winter Ezekiel Marsh rowed across from Tollan.

"You'll freeze out here," he said, shaking the sleet from his hat.

"I haven't yet." She set the kettle on. "Sit down before you drip on the charts."

He sat. The lamp turned overhead, and for a long time neither of them spoke.

"Captain Abernethy sent me," Ezekiel said at last. "He wants the keeper's log."

"Then the Captain can come for it himself."
"""


def _document(text: str) -> Document:
    source = Source(path=None, format="text", encoding="utf-8", size=len(text))
    doc = Document(text=text, analysis=Analysis(source=source, text_length=len(text), text=text))
    layout_stage(doc)
    return doc


def test_the_parts_read_in_other_processes_join_up_exactly_as_one_reading() -> None:
    text = STORY * 6  # long enough that each part holds several paragraphs
    doc = _document(text)
    paragraphs = [(p.start, text[p.start : p.end]) for p in doc.analysis.paragraphs()]
    alone = read_paragraphs(paragraphs)
    split = read_in_parts(paragraphs, 3)
    assert len(alone) > 300
    assert split == alone
    # Paragraph numbers run on across the parts, and offsets land on the words.
    assert split.paragraph == sorted(split.paragraph) and split.paragraph[-1] > 10
    k = split.index_at(text.rindex("Abernethy"))
    assert text[split.start[k] : split.end[k]] == "Abernethy"


def test_the_stage_reads_a_long_text_in_parts_and_a_short_one_in_one() -> None:
    text = STORY * 6
    alone, split = _document(text), _document(text)
    TokensStage(processes=1)(alone)
    TokensStage(processes=2, parallel_from=0)(split)
    assert split.tokens == alone.tokens


def test_split_gives_contiguous_parts_of_about_equal_length() -> None:
    paragraphs = [(10 * i, "x" * (1 + i % 4)) for i in range(40)]
    parts = _split(paragraphs, 2)
    assert len(parts) == 2
    assert [p for _, chunk in parts for p in chunk] == paragraphs
    assert parts[1][0] == len(parts[0][1])  # the second part's first paragraph number
    sizes = [sum(len(t) for _, t in chunk) for _, chunk in parts]
    assert abs(sizes[0] - sizes[1]) <= 4
    assert _split(paragraphs[:1], 2) == [(0, paragraphs[:1])]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He looked away.", False),
        ('"I don\'t know," she said.', False),
        ("Then the kettle boiled.", False),
        ("Ezekiel looked away.", True),  # a name opening the sentence
        ("The log is with the Captain.", True),
        ("she gave it to marsh.", False),  # nothing capitalised: nothing to recognise
    ],
)
def test_the_entity_recogniser_reads_only_sentences_that_may_name_someone(
    sentence: str, expected: bool
) -> None:
    doc = load_language()(sentence)
    assert [may_name(s) for s in doc.sents] == [expected]


def test_the_people_found_are_those_the_whole_recogniser_finds() -> None:
    nlp = load_language()
    doc = _document(STORY)
    TokensStage(processes=1)(doc)
    assert doc.tokens is not None
    people = {STORY[s:e] for s, e, label in doc.tokens.entities if label == "PERSON"}
    assert "Ezekiel" in people
    # The same model, its recogniser run over every sentence of every paragraph.
    with nlp.select_pipes(disable=["ficlens_names"]):
        nlp.enable_pipe("ner")
        try:
            everywhere = {
                e.text
                for p in doc.analysis.paragraphs()
                for e in nlp(STORY[p.start : p.end]).ents
                if e.label_ == "PERSON"
            }
        finally:
            nlp.disable_pipe("ner")
    assert people == everywhere
