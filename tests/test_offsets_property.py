"""Every offset ficlens reports points into the analysed text, whatever the text.

``assert_offsets`` walks every span kind of an ``Analysis``; the sample and CLI tests use
it too.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficlens.errors import InputError
from ficlens.model import Analysis, Span
from ficlens.pipeline import analyze_text
from ficlens.read import Loaded, load_bytes


def _inside(span_start: int, span_end: int, length: int) -> bool:
    return 0 <= span_start <= span_end <= length


def assert_offsets(analysis: Analysis, text: str) -> None:
    """Every span in ``analysis`` is a well-formed range of ``text`` and says what it holds."""
    n = len(text)
    assert analysis.text_length == n
    work = analysis.work

    # Notes: exact text, in the text, not overlapping one another.
    for note in work.notes:
        assert _inside(note.start, note.end, n), note
        assert note.text == text[note.start : note.end], note
        assert note.chapter is None or 0 <= note.chapter < len(work.chapters), note
    ordered_notes = sorted(work.notes, key=lambda note: note.start)
    for before, after in itertools.pairwise(ordered_notes):
        assert before.end <= after.start, (before, after)

    # Chapters, headings, paragraphs and scene breaks.
    paragraphs: list[Span] = []
    previous_chapter_end = 0
    for index, chapter in enumerate(work.chapters):
        assert chapter.index == index
        assert _inside(chapter.start, chapter.end, n), chapter
        assert chapter.start >= previous_chapter_end, (index, chapter.start, previous_chapter_end)
        previous_chapter_end = chapter.end
        if chapter.heading is not None:
            heading = chapter.heading
            assert _inside(heading.start, heading.end, n), heading
            assert chapter.start <= heading.start, (chapter.start, heading)
            if chapter.paragraphs:
                assert heading.end <= chapter.paragraphs[0].start, heading
        for paragraph in chapter.paragraphs:
            assert _inside(paragraph.start, paragraph.end, n), paragraph
            assert paragraph.start < paragraph.end, f"empty paragraph {paragraph}"
            assert text[paragraph.start : paragraph.end].strip(), f"blank paragraph {paragraph}"
            assert chapter.start <= paragraph.start and paragraph.end <= chapter.end, paragraph
        for scene_break in chapter.scene_breaks:
            assert 0 <= scene_break < n, scene_break
            assert chapter.start <= scene_break < chapter.end, (scene_break, chapter)
        assert chapter.scene_breaks == sorted(chapter.scene_breaks)
        paragraphs.extend(chapter.paragraphs)
    assert analysis.paragraphs() == paragraphs
    for before, after in itertools.pairwise(paragraphs):
        assert before.end <= after.start, (
            f"paragraphs out of order or overlapping: {before} {after}"
        )
    for note in work.notes:
        for paragraph in paragraphs:
            overlap = min(note.end, paragraph.end) - max(note.start, paragraph.start)
            assert overlap <= 0, f"note {note.kind} {note.start}-{note.end} overlaps {paragraph}"
    assert work.word_count >= 0

    # Quotes: exact text, inside their paragraph, marks outside the text, links backwards.
    ids = [quote.id for quote in analysis.quotes]
    assert ids == list(range(len(ids)))
    for quote in analysis.quotes:
        assert _inside(quote.start, quote.end, n), quote
        assert quote.start <= quote.text_start <= quote.text_end <= quote.end, quote
        assert quote.text == text[quote.text_start : quote.text_end], quote
        assert quote.text == quote.text.strip(), quote
        assert 0 <= quote.paragraph < len(paragraphs), quote
        paragraph = paragraphs[quote.paragraph]
        assert paragraph.start <= quote.start and quote.end <= paragraph.end, (quote, paragraph)
        if quote.continues is not None:
            assert 0 <= quote.continues < quote.id, quote
        if quote.nested_in is not None:
            parent = analysis.quotes[quote.nested_in]
            assert parent.start <= quote.start and quote.end <= parent.end, (quote, parent)


# Text that looks like fan fiction often enough to reach every layout and quote rule.
_FRAGMENTS = st.sampled_from(
    [
        "Chapter 1\n",
        "Chapter Two: The Long Night\n",
        "Prologue\n",
        "A/N: ",
        "(A/N: ",
        "Author's Note:\n\n",
        "Summary: ",
        "Disclaimer: I don't own ",
        "Title: ",
        "by ",
        "* * *\n",
        "~*~*~\n",
        "xXx\n",
        "Rating: T\n",
        "Pairing: Merlin/Arthur\n",
        "Warnings: none\n",
        "(Set after series 3)\n",
        "\n\n",
        "\r\n\r\n",
        '"Hello," he said. ',
        "'Don't,' she said. ",
        "—No —he said—. Go. ",
        "“Yes,” ",
        "‘Right,’ ",
        "the dogs' bowls ",
        "o'clock ",
        " 'em ",
        "I",
        "II\n",
        "1.\n",
    ]
)
_CHARS = st.sampled_from(
    [
        *list("abcdefghijklmnopqrstuvwxyzAEIMOSTW      "),
        "\n",
        "\n",
        "\r\n",
        "\r",
        *list("\"'“”‘’—–-.,!?;:()*~/"),
    ]
)
_TEXT = st.lists(st.one_of(_CHARS, _FRAGMENTS), max_size=200).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_every_span_is_in_the_text(text: str) -> None:
    analysis = analyze_text(text)
    assert_offsets(analysis, text)


# Found by longer runs of the property test above; kept so that they are always tried.
REGRESSIONS = [
    # A lone opening mark ends a paragraph: the next quote must not continue itself.
    pytest.param(
        'Merlin ran to the door.\n\nArthur shouted, "\n\n"Stop, you idiot!" he said.',
        id="quote-continues-itself",
    ),
    pytest.param('"\n"a', id="quote-continues-itself-minimal"),
    # A parenthesised end note over several paragraphs must not be taken twice.
    pytest.param(
        "Merlin ran to the stables.\n\n(A/N: short one today.\n\nMore soon.\n\nA/N: sorry!)",
        id="overlapping-end-notes",
    ),
    pytest.param(
        "aChapter 1\nAuthor's Note:\n\naChapter 1\na(A/N: A/N: ", id="overlapping-notes-minimal"
    ),
]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_every_span_is_in_the_text_regressions(text: str) -> None:
    assert_offsets(analyze_text(text), text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_every_span_is_in_any_unicode_text(text: str) -> None:
    analysis = analyze_text(text)
    assert_offsets(analysis, text)


_BYTES = st.one_of(
    st.binary(max_size=400),
    _TEXT.flatmap(
        lambda text: st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]).map(
            lambda codec: text.encode(codec, "replace")
        )
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BYTES)
def test_load_bytes_reads_or_refuses(data: bytes) -> None:
    try:
        loaded = load_bytes(data)
    except InputError as error:
        assert str(error).strip() and "\n" not in str(error)
        return
    assert isinstance(loaded, Loaded)
    assert loaded.text.strip()
    assert loaded.source.size == len(data)
    assert_offsets(analyze_text(loaded.text, loaded.source), loaded.text)


def test_assert_offsets_catches_a_bad_span() -> None:
    text = 'Merlin ran.\n\n"Stop," said Arthur.'
    analysis = analyze_text(text)
    assert_offsets(analysis, text)
    analysis.quotes[0].text_end += 1  # now the quote's text no longer matches its slice
    try:
        assert_offsets(analysis, text)
    except AssertionError:
        pass
    else:
        raise AssertionError("assert_offsets missed a bad quote span")
