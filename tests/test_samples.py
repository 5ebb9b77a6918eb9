"""The bundled sample stories: what ficlens/samples/README.md promises about each one."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from test_offsets_property import assert_offsets

from ficlens.model import Analysis, Quote
from ficlens.pipeline import analyze_text

SAMPLES = Path(__file__).resolve().parent.parent / "ficlens" / "samples"
SAMPLE_NAMES = sorted(path.stem for path in SAMPLES.glob("*.txt"))


@cache
def _analysed(name: str) -> tuple[str, Analysis]:
    text = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    return text, analyze_text(text)


def load(name: str) -> tuple[str, Analysis]:
    return _analysed(name)


def para_texts(text: str, analysis: Analysis) -> list[str]:
    return [text[p.start : p.end] for p in analysis.paragraphs()]


def quote_starting(analysis: Analysis, prefix: str) -> Quote:
    matches = [q for q in analysis.quotes if q.text.startswith(prefix)]
    assert len(matches) == 1, (prefix, [q.text for q in matches])
    return matches[0]


def quote_in_paragraph_starting(text: str, analysis: Analysis, prefix: str) -> list[Quote]:
    """The quotes of the one story paragraph that starts with ``prefix``."""
    paragraphs = analysis.paragraphs()
    indexes = [i for i, p in enumerate(paragraphs) if text[p.start : p.end].startswith(prefix)]
    assert len(indexes) == 1, prefix
    return [q for q in analysis.quotes if q.paragraph == indexes[0]]


def notes_of(analysis: Analysis, kind: str) -> list[str]:
    return [note.text for note in analysis.work.notes if note.kind == kind]


def normalise(value: str | None) -> str:
    return " ".join((value or "").split())


def test_all_seven_samples_are_here() -> None:
    assert len(SAMPLE_NAMES) == 7


# --- every sample ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_offsets(name: str) -> None:
    text, analysis = load(name)
    assert_offsets(analysis, text)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_story_does_not_begin_with_a_note(name: str) -> None:
    text, analysis = load(name)
    first = analysis.work.chapters[0].paragraphs[0]
    for note in analysis.work.notes:
        assert not (note.start <= first.start < note.end), (note.kind, note.text[:60])
    opening = text[first.start : first.end]
    assert not re.match(r"[\s(\[]*(?:A/?N\b|Author|Disclaimer|Summary|Rating)", opening)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_note_overlaps_a_paragraph(name: str) -> None:
    _, analysis = load(name)
    for note in analysis.work.notes:
        for paragraph in analysis.paragraphs():
            assert note.end <= paragraph.start or paragraph.end <= note.start, (note, paragraph)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_sizes(name: str) -> None:
    text, analysis = load(name)
    assert analysis.work.word_count > 300
    assert len(analysis.quotes) > 10
    # Story words only: close to a plain count over the story paragraphs, and notes
    # (every sample has some) are left out.
    story_words = sum(len(part.split()) for part in para_texts(text, analysis))
    assert abs(analysis.work.word_count - story_words) <= 0.02 * story_words
    assert analysis.work.word_count < len(text.split())


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_has_a_title_an_author_and_a_rating(name: str) -> None:
    _, analysis = load(name)
    work = analysis.work
    assert work.title
    assert len(work.authors) == 1
    assert work.declared.rating is not None
    assert work.declared.fandoms
    # The end A/N of each sample is a note after the story, not story text.
    last = analysis.paragraphs()[-1]
    assert any(note.start >= last.end for note in work.notes)


# --- merlin_kitchen_disaster ----------------------------------------------------------


def test_merlin_kitchen_front_matter() -> None:
    text, analysis = load("merlin_kitchen_disaster")
    work = analysis.work
    assert work.title == "Too Many Cooks"
    assert work.authors == ["hazelnutwizard"]
    assert work.declared.rating_as_written == "K+"
    assert work.declared.relationships == ["Merlin/Arthur"]
    assert work.summary == "In which Arthur learns to cook and Merlin regrets everything."
    assert notes_of(analysis, "disclaimer") == ["Disclaimer: I don't own Merlin, the BBC does."]
    assert [n.startswith("Beta'd by") for n in notes_of(analysis, "beta")] == [True]
    assert any(n.startswith("My first Merlin fic") for n in notes_of(analysis, "author-note"))
    assert para_texts(text, analysis)[0].startswith("It started, as most of Merlin's problems")
    assert [n[:4] for n in notes_of(analysis, "end-note")] == ["A/N:"]


def test_merlin_kitchen_scene_breaks() -> None:
    text, analysis = load("merlin_kitchen_disaster")
    assert len(analysis.work.chapters) == 1
    breaks = analysis.work.chapters[0].scene_breaks
    assert [text[b : text.index("\n", b)] for b in breaks] == ["* * *", "~*~*~*~"]


def test_merlin_kitchen_single_quotes_and_apostrophes() -> None:
    _, analysis = load("merlin_kitchen_disaster")
    texts = [q.text for q in analysis.quotes]
    for expected in [
        "You can't even boil an egg,",
        "Supper will be on the table at seven o' clock,",
        "Chop 'em smaller, sire, or they'll never cook through,",
        "No, no, no. Those are the dogs' bowls, Arthur.",
        "They've been licked clean. By dogs. That's what makes them the dogs' bowls.",
        "Well. You did try to feed me out of the dogs' bowls.",
    ]:
        assert expected in texts
    outer = [q for q in analysis.quotes if q.nested_in is None]
    assert all(q.style == "single" for q in outer)
    assert all(q.speech for q in outer)
    # Narration with apostrophes (Merlin's, o' clock, dogs') holds no quote.
    narration = quote_in_paragraph_starting(
        *load("merlin_kitchen_disaster"), "Supper was not on the table"
    )
    assert narration == []


def test_merlin_kitchen_nested_double_quote() -> None:
    _, analysis = load("merlin_kitchen_disaster")
    inner = quote_starting(analysis, "absolutely not")
    assert inner.text == "absolutely not"
    assert inner.style == "double" and inner.speech is False
    outer = analysis.quotes[inner.nested_in]
    assert outer.text.startswith("It's a sword, Arthur.") and outer.text.endswith("toasting bread.")


# --- merlin_the_long_night ------------------------------------------------------------


def test_merlin_long_night_chapters() -> None:
    text, analysis = load("merlin_the_long_night")
    chapters = analysis.work.chapters
    assert [c.title for c in chapters] == [
        "Prologue",
        "Chapter 1",
        "Chapter Two: The Long Night",
        "Chapter 3",
        "Epilogue",
    ]
    assert text[chapters[3].heading.start : chapters[3].heading.end] == "~Chapter 3~"
    openings = [
        "The storm came down off the hills",
        "Arthur's leg was not broken.",
        "The fever came on a little before midnight.",
        "Dawn came grey and washed-out,",
        "\"Gaius said 'never', Arthur,\" Merlin said",
    ]
    for chapter, opening in zip(chapters, openings, strict=True):
        first = chapter.paragraphs[0]
        assert text[first.start : first.end].startswith(opening), chapter.title
    breaks = [b for c in chapters for b in c.scene_breaks]
    assert len(breaks) == 1 and text.startswith("* * *", breaks[0])
    assert chapters[2].start <= breaks[0] < chapters[2].end


def test_merlin_long_night_declared() -> None:
    _, analysis = load("merlin_the_long_night")
    work = analysis.work
    declared = work.declared
    assert work.title == "What the Dark Keeps"
    assert work.authors == ["emrysinthewoods"]
    assert declared.rating == "Teen And Up Audiences"
    assert declared.rating_as_written == "T"
    assert declared.setting == "Set after series 3"
    assert declared.relationships == ["Merlin/Arthur"]
    # "Warnings: angst/minor injury/mild peril" is a slash list of three items.
    listed = {item.lower() for item in declared.warnings + declared.tags}
    assert {"angst", "minor injury", "mild peril"} <= listed


def test_merlin_long_night_notes_around_chapters() -> None:
    text, analysis = load("merlin_the_long_night")
    notes = analysis.work.notes
    front = [n for n in notes if n.kind == "author-note" and n.chapter is None]
    assert len(front) == 1 and "This started as a one-shot" in front[0].text
    after_heading = [n for n in notes if n.text.startswith("A/N: Short one")]
    assert [(n.kind, n.chapter) for n in after_heading] == [("author-note", 1)]
    before_heading = [n for n in notes if n.text.startswith("A/N: Nearly there")]
    assert [(n.kind, n.chapter) for n in before_heading] == [("end-note", 3)]
    end = [n for n in notes if n.text.startswith("A/N: And that's it")]
    assert [(n.kind, n.chapter) for n in end] == [("end-note", 4)]
    assert not any("A/N" in part for part in para_texts(text, analysis))


def test_merlin_long_night_speech_over_three_paragraphs() -> None:
    text, analysis = load("merlin_the_long_night")
    first = quote_starting(analysis, "When I was small,")
    parts = [
        quote_starting(analysis, "there was a woman in the kitchens"),
        quote_starting(analysis, "She told me once that if you got lost"),
        quote_starting(analysis, "I believed her for years."),
    ]
    assert first.continues is None
    assert [q.continues for q in parts] == [first.id] * 3
    assert [q.paragraph - first.paragraph for q in parts] == [0, 1, 2]
    assert all(q.speech for q in [first, *parts])
    # The third paragraph closes the speech; the narration after it holds no quote.
    assert text[parts[-1].end - 1] == '"'


def test_merlin_long_night_split_and_nested_quotes() -> None:
    _, analysis = load("merlin_the_long_night")
    thing = quote_starting(analysis, "Then it's a good thing,")
    fires = quote_starting(analysis, "that I'm excellent at fires.")
    assert fires.continues == thing.id
    outer = quote_starting(analysis, "Gaius said 'never', Arthur,")
    inner = [q for q in analysis.quotes if q.nested_in == outer.id]
    assert [(q.text, q.speech) for q in inner] == [("never", False)]
    assert outer.speech is True and outer.style == "double"


# --- sherlock_baker_street_rain -------------------------------------------------------


def test_sherlock_front_matter() -> None:
    text, analysis = load("sherlock_baker_street_rain")
    work = analysis.work
    assert work.title == "Rain on Baker Street"
    assert work.authors == ["quietlyconsulting"]
    assert work.declared.rating_as_written == "PG-13"
    assert work.declared.rating == "Teen And Up Audiences"
    assert work.declared.relationships == ["Sherlock/John"]
    assert {"swearing", "angst"} <= {t.lower() for t in work.declared.warnings + work.declared.tags}
    assert [n[:5] for n in notes_of(analysis, "beta")] == ["Beta:"]
    assert [n[:11] for n in notes_of(analysis, "dedication")] == ["Dedication:"]
    assert [n[:20] for n in notes_of(analysis, "disclaimer")] == ["I don’t own Sherlock"]
    assert any(n.startswith("AN: Set a little while") for n in notes_of(analysis, "author-note"))
    assert para_texts(text, analysis)[0] == (
        "It had been raining for four days, and John had been angry for considerably longer."
    )


def test_sherlock_scene_break_before_the_end_note_is_not_in_the_story() -> None:
    text, analysis = load("sherlock_baker_street_rain")
    breaks = analysis.work.chapters[0].scene_breaks
    assert len(breaks) == 1
    assert text.startswith("***\n\nThe last part of the plan", breaks[0])
    assert len(notes_of(analysis, "end-note")) == 1


def test_sherlock_quotes_nobody_speaks() -> None:
    text, analysis = load("sherlock_baker_street_rain")
    unspoken = {(q.text, q.paragraph) for q in analysis.quotes if not q.speech}
    words = {word for word, _ in unspoken}
    assert {"Casablanca", "plan", "sorry"} <= words
    # The title said aloud ("“Casablanca,” Sherlock said") is speech; the film watched is not.
    said = quote_starting(analysis, "Casablanca,")
    assert said.speech is True
    watched = quote_in_paragraph_starting(text, analysis, "They watched “Casablanca”")
    assert [(q.text, q.speech) for q in watched] == [("Casablanca", False)]
    plan = quote_in_paragraph_starting(text, analysis, "His “plan”")
    assert [(q.text, q.speech) for q in plan] == [("plan", False)]
    # Dialogue of one or two words stays speech.
    assert quote_starting(analysis, "It’s a plan,").speech is True
    assert all(q.speech for q in analysis.quotes if q.text in ("No,", "Mm.", "Yes,", "John,"))


def test_sherlock_curly_quotes_nested_and_split() -> None:
    _, analysis = load("sherlock_baker_street_rain")
    outer = [q for q in analysis.quotes if q.nested_in is None]
    assert all(q.style == "curly-double" for q in outer)
    inner = quote_starting(analysis, "not in my kitchen")
    assert inner.text == "not in my kitchen"
    assert inner.style == "curly-single" and inner.speech is False
    assert analysis.quotes[inner.nested_in].text.startswith("Mrs Hudson said ‘not in my kitchen’")
    think = quote_starting(analysis, "I think,")
    rest = quote_starting(analysis, "we should stay in.")
    assert rest.continues == think.id
    # Curly apostrophes stay inside the quotes.
    assert quote_starting(analysis, "You’re angry,").text == "You’re angry,"


# --- hp_library_after_curfew ----------------------------------------------------------


def test_hp_chapters_without_blank_lines() -> None:
    text, analysis = load("hp_library_after_curfew")
    assert "\n\n" not in text
    chapters = analysis.work.chapters
    assert [c.title for c in chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    # One paragraph a line: 7, 30 less a break, 13 less a break.
    assert [len(c.paragraphs) for c in chapters] == [7, 29, 12]
    assert all("\n" not in part for part in para_texts(text, analysis))
    breaks = [[text[b : text.index("\n", b)] for b in c.scene_breaks] for c in chapters]
    assert breaks == [[], ["xXx"], ["oOoOo"]]


def test_hp_notes() -> None:
    text, analysis = load("hp_library_after_curfew")
    work = analysis.work
    assert work.title == "Things You Find in the Library After Curfew"
    assert work.authors == ["xXmischief_managedXx"]
    assert work.declared.rating == "Teen And Up Audiences"
    assert work.declared.relationships == ["Ron & Hermione"]
    front = [n for n in work.notes if "I don't own Harry Potter" in n.text]
    assert len(front) == 1 and front[0].chapter is None
    assert front[0].text.startswith("(A/N:") and front[0].text.endswith("enjoy!!)")
    ends = [(n.chapter, n.text[:8]) for n in work.notes if n.kind == "end-note"]
    assert ends == [(0, "A/N: ooh"), (1, "A/N: aww"), (2, "A/N: and")]
    assert para_texts(text, analysis)[0].startswith("Ron Weasley was not")


def test_hp_sloppy_quotes() -> None:
    _text, analysis = load("hp_library_after_curfew")
    texts = [q.text for q in analysis.quotes]
    assert "Hello there," in texts  # " Hello there," with a stray space
    assert "Ron?" in texts  # "Ron? "She blinked
    assert "Did something happen?" in texts  # happen?"he asked
    assert "Ron, we'll be expelled, we'll—" in texts
    assert "Are you coming to the library later, Harry?" not in texts
    assert any(t.endswith("We were going to play a sort of revision game. Are you?") for t in texts)
    for narration in ("She blinked", "he asked suspiciously", "She smiled at him"):
        assert not any(narration in t for t in texts), narration
    nick = quote_starting(analysis, "Ah. Miss Granger.")
    assert nick.text.endswith("passed their exams.'")
    exams = quote_starting(analysis, "rest is for people")
    assert exams.nested_in == nick.id and exams.speech is False
    unspoken = {q.text for q in analysis.quotes if not q.speech and q.nested_in is None}
    assert unspoken == {"Hogwarts: A History", "panic"}


# --- startrek_falling_lights ----------------------------------------------------------


def test_startrek_hard_wrapped_layout() -> None:
    text, analysis = load("startrek_falling_lights")
    chapters = analysis.work.chapters
    assert [c.title for c in chapters] == ["Part I", "Part II", "Part III"]
    # Every story paragraph is one whole block between blank lines.
    blocks = {block.strip() for block in text.split("\n\n")}
    for part in para_texts(text, analysis):
        assert part in blocks, part[:60]
    assert [len(c.scene_breaks) for c in chapters] == [1, 1, 0]
    assert all(text.startswith("---\n", b) for c in chapters for b in c.scene_breaks)
    work = analysis.work
    assert normalise(work.summary) == (
        "Shore leave, a meteor shower, and a Vulcan who insists he is not enjoying himself."
    )
    disclaimer = notes_of(analysis, "disclaimer")
    assert len(disclaimer) == 1 and disclaimer[0].endswith("with a full\ntank.")
    assert work.declared.rating_as_written == "PG"
    assert work.declared.relationships == []
    assert para_texts(text, analysis)[0].startswith('"It\'s a meteor shower, Jim," McCoy said.')


def test_startrek_speech_over_three_wrapped_paragraphs() -> None:
    _text, analysis = load("startrek_falling_lights")
    first = quote_starting(analysis, "My granddad used to take me out")
    later = [
        quote_starting(analysis, "Every August."),
        quote_starting(analysis, "I asked him once what they were."),
        quote_starting(analysis, "He's been gone thirty years now."),
    ]
    assert first.continues is None
    assert [q.continues for q in later] == [first.id] * 3
    assert [q.paragraph - first.paragraph for q in later] == [0, 1, 2]
    assert later[1].text.endswith("with a medical degree.")
    assert later[2].text.endswith("Not on purpose, anyhow.")


def test_startrek_split_quotes_and_scare_quote() -> None:
    _, analysis = load("startrek_falling_lights")
    vacation = quote_starting(analysis, "A vacation,")
    assert quote_starting(analysis, "is not typically").continues == vacation.id
    grandfather = quote_starting(analysis, "Your grandfather's explanation,")
    assert quote_starting(analysis, "was\nscientifically inaccurate.").continues == grandfather.id
    medicinal = quote_starting(analysis, "medicinal")
    assert medicinal.text == "medicinal" and medicinal.speech is False
    assert quote_starting(analysis, "Well, Spock?").speech is True


def test_startrek_quote_split_by_a_long_beat() -> None:
    # "However," Spock went on, after a pause so slight that only someone who knew him well
    # would have noticed it, "I find I do not object to it." is one utterance in two parts.
    _, analysis = load("startrek_falling_lights")
    however = quote_starting(analysis, "However,")
    assert quote_starting(analysis, "I find I do not object to it.").continues == however.id


# --- goodomens_first_snow -------------------------------------------------------------


def test_goodomens_roman_numeral_chapters() -> None:
    text, analysis = load("goodomens_first_snow")
    chapters = analysis.work.chapters
    assert [c.title for c in chapters] == ["I", "II", "III"]
    assert para_texts(text, analysis)[0].startswith("Crowley woke at ten past three")
    breaks = [len(c.scene_breaks) for c in chapters]
    assert breaks == [1, 1, 0]
    assert analysis.work.declared.rating == "General Audiences"
    assert analysis.work.declared.relationships == ["Aziraphale/Crowley"]


def test_goodomens_dash_dialogue() -> None:
    text, analysis = load("goodomens_first_snow")
    assert all(q.style == "dash" and q.speech for q in analysis.quotes)
    angel = quote_starting(analysis, "I am an angel")
    cold = quote_starting(analysis, "I don't catch cold.")
    assert angel.text == "I am an angel" and cold.text == "I don't catch cold."
    assert cold.continues == angel.id and angel.continues is None
    assert text[angel.start] == "—"
    texts = [q.text for q in analysis.quotes]
    for tag in ("Aziraphale pointed out", "Crowley said", "he said at last", "He sounded"):
        assert not any(tag in t for t in texts), tag
    assert quote_starting(analysis, "Did you?").text == "Did you?"
    wondering = quote_starting(analysis, "I suppose I was wondering")
    assert quote_starting(analysis, "dull.").continues == wondering.id
    assert quote_starting(analysis, "whether you were happy here.").continues == wondering.id


@pytest.mark.parametrize(
    "line",
    [
        "Absolutely not. It's three in the morning and it's freezing and you're wearing slippers.",
        "That was different. That was Scotland.",
        "Same page for an hour. Cocoa gone cold. You only let cocoa go cold when you're "
        "worrying about something.",
        "Angel. They're soaked. You've been in slippers the whole time. I offered you boots.",
        "I think about that sometimes. How new everything was. How we didn't know what "
        "anything was called yet.",
    ],
    ids=["absolutely-not", "scotland", "cocoa", "boots", "sometimes"],
)
def test_goodomens_lines_of_speech_are_whole(line: str) -> None:
    # A line of dash dialogue with no tag is all speech, every sentence of it.
    _, analysis = load("goodomens_first_snow")
    assert line in [q.text for q in analysis.quotes]


# --- doctorwho_proper_cup_of_tea ------------------------------------------------------


def test_doctorwho_layout() -> None:
    text, analysis = load("doctorwho_proper_cup_of_tea")
    work = analysis.work
    assert work.title == "A Proper Cup of Tea"
    assert work.authors == ["bananas_and_tardis"]
    assert work.declared.relationships == []
    chapters = work.chapters
    assert [text[c.heading.start : c.heading.end] for c in chapters] == ["1.", "2.", "3."]
    assert [len(c.scene_breaks) for c in chapters] == [1, 1, 1]
    assert all(text.startswith("-x-x-", b) for c in chapters for b in c.scene_breaks)
    assert [n[:5] for n in notes_of(analysis, "beta")] == ["Beta:"]
    assert [n[:11] for n in notes_of(analysis, "dedication")] == ["Dedication:"]
    assert para_texts(text, analysis)[0].startswith("‘It’s not a lot to ask,’ said Donna")


def test_doctorwho_curly_single_quotes() -> None:
    _, analysis = load("doctorwho_proper_cup_of_tea")
    outer = [q for q in analysis.quotes if q.nested_in is None]
    assert all(q.style == "curly-single" for q in outer)
    texts = [q.text for q in analysis.quotes]
    for expected in [
        "It’s not a lot to ask,",
        "Because the star didn’t give me a headache. The tea did.",
        "Donna! And the Doctor! Well, I never. Look at you, sweetheart, you’ve caught the sun. "
        "Where’ve you been?",
        "Your nan’s old flask,",
        "I’m being thorough.",
    ]:
        assert expected in texts, expected
    sweetheart = quote_starting(analysis, "sweetheart")
    assert sweetheart.text == "sweetheart" and sweetheart.speech is False


def test_doctorwho_nested_quote() -> None:
    _, analysis = load("doctorwho_proper_cup_of_tea")
    inner = quote_starting(analysis, "knowing who you’re making it for")
    assert inner.text == "knowing who you’re making it for"
    assert inner.style == "curly-double" and inner.speech is False
    outer = analysis.quotes[inner.nested_in]
    assert outer.text == "Gramps said “knowing who you’re making it for”, Doctor,"


def test_doctorwho_speech_over_three_paragraphs() -> None:
    _, analysis = load("doctorwho_proper_cup_of_tea")
    first = quote_starting(analysis, "Your nan used to say")
    later = [
        quote_starting(analysis, "Whether they warmed the pot."),
        quote_starting(analysis, "She always remembered."),
        quote_starting(analysis, "So that’s my secret, Doctor"),
    ]
    assert [q.continues for q in later] == [first.id] * 3
    assert [q.paragraph - first.paragraph for q in later] == [0, 1, 2]
