"""The quote detector, one phenomenon at a time, on short snippets written for these tests.

Every snippet opens with a line of narration so that the layout stage sees a story, not
front matter. ``find`` also checks the span invariants that every quote must keep.
"""

from __future__ import annotations

import pytest

from ficlens.model import Quote
from ficlens.pipeline import analyze_text

DOUBLE_MARKS = '"“”„‟«»'
SINGLE_MARKS = "'‘’‚‛"
MARKS_OF_STYLE = {
    "double": '"',
    "single": "'",
    "curly-double": "“”„‟",
    "curly-single": "‘’‚‛",
    "guillemet": "«»",
}


def check_quote(quote: Quote, text: str) -> None:
    """The invariants of one quote: offsets, marks and clean content."""
    assert 0 <= quote.start <= quote.text_start <= quote.text_end <= quote.end <= len(text)
    assert quote.text == text[quote.text_start : quote.text_end]
    assert quote.text == quote.text.strip(), f"spaces kept around {quote.text!r}"
    assert quote.text, "an empty quote"
    marked = quote.style != "dash" and (
        quote.continues is None or text[quote.start] in DOUBLE_MARKS + SINGLE_MARKS
    )
    if marked:
        # A marked quote starts at its opening mark, and the mark is not in its text.
        # (A part that continues over a paragraph break may start without one.)
        assert text[quote.start] in MARKS_OF_STYLE[quote.style], (quote, text[quote.start])
        family = DOUBLE_MARKS if text[quote.start] in DOUBLE_MARKS else SINGLE_MARKS
        assert quote.text[0] not in family, f"opening mark kept in {quote.text!r}"
        assert text[quote.start + 1 : quote.text_start].strip() == "", quote
        between = text[quote.text_end : quote.end]
        assert between.strip() == "" or between.strip()[0] in family, (quote, between)


def find(text: str) -> list[Quote]:
    quotes = analyze_text(text).quotes
    for quote in quotes:
        check_quote(quote, text)
    assert [q.id for q in quotes] == list(range(len(quotes)))
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    return quotes


def texts(quotes: list[Quote]) -> list[str]:
    return [q.text for q in quotes]


def by_text(quotes: list[Quote], content: str) -> Quote:
    matches = [q for q in quotes if q.text == content]
    assert len(matches) == 1, (content, texts(quotes))
    return matches[0]


# --- double quotation marks -----------------------------------------------------------


def test_straight_double_quotes() -> None:
    text = (
        "Gwen put the kettle on.\n\n"
        '"Bread and cheese will do," she said. "Unless you want soup."\n\n'
        'Arthur frowned at her. "Soup is for invalids."'
    )
    quotes = find(text)
    assert texts(quotes) == [
        "Bread and cheese will do,",
        "Unless you want soup.",
        "Soup is for invalids.",
    ]
    assert all(q.style == "double" and q.speech for q in quotes)
    assert all(text[q.start] == '"' and text[q.end - 1] == '"' for q in quotes)
    assert [q.paragraph for q in quotes] == [1, 1, 2]
    assert quotes[2].continues is None


def test_curly_double_quotes() -> None:
    text = (
        "Gwen put the kettle on.\n\n"
        "“Bread and cheese will do,” she said. “Unless you want soup.”\n\n"
        "Arthur frowned at her. “Soup is for invalids.”"
    )
    quotes = find(text)
    assert texts(quotes) == [
        "Bread and cheese will do,",
        "Unless you want soup.",
        "Soup is for invalids.",
    ]
    assert all(q.style == "curly-double" and q.speech for q in quotes)
    assert all(text[q.start] == "“" and text[q.end - 1] == "”" for q in quotes)


def test_apostrophes_inside_and_outside_double_quotes_open_nothing() -> None:
    text = (
        "The kitchen was a ruin.\n\n"
        "\"Don't touch Arthur's sword,\" said Merlin. \"Feed 'em first. The dogs' bowls are "
        'empty."\n\n'
        "The dogs' bowls sat by Arthur's boots until four o'clock, and 'em dogs didn't care."
    )
    quotes = find(text)
    assert texts(quotes) == [
        "Don't touch Arthur's sword,",
        "Feed 'em first. The dogs' bowls are empty.",
    ]
    assert all(q.nested_in is None for q in quotes)


# --- single quotation marks and apostrophes -------------------------------------------

BRITISH_STRAIGHT = (
    "The kitchen was a ruin.\n\n"
    "'I don't know what you mean,' Merlin said. 'It's Arthur's fault, as usual.'\n\n"
    "Gwen laughed. 'Be back by four o'clock, and feed 'em first.'\n\n"
    "'The dogs' bowls are empty again,' said Arthur. 'Somethin' has been at them.'\n\n"
    "The dogs' bowls sat by the door, and Arthur's boots sat in them."
)
BRITISH_CURLY = (
    "The kitchen was a ruin.\n\n"
    "‘I don’t know what you mean,’ Merlin said. ‘It’s Arthur’s fault, as usual.’\n\n"
    "Gwen laughed. ‘Be back by four o’clock, and feed ’em first.’\n\n"
    "‘The dogs’ bowls are empty again,’ said Arthur. ‘Somethin’ has been at them.’\n\n"
    "The dogs’ bowls sat by the door, and Arthur’s boots sat in them."
)


@pytest.mark.parametrize(
    ("text", "style", "apostrophe"),
    [(BRITISH_STRAIGHT, "single", "'"), (BRITISH_CURLY, "curly-single", "’")],
    ids=["straight", "curly"],
)
def test_single_quote_dialogue_is_told_apart_from_apostrophes(
    text: str, style: str, apostrophe: str
) -> None:
    quotes = find(text)
    a = apostrophe
    assert texts(quotes) == [
        f"I don{a}t know what you mean,",
        f"It{a}s Arthur{a}s fault, as usual.",
        f"Be back by four o{a}clock, and feed {a}em first.",
        f"The dogs{a} bowls are empty again,",
        f"Somethin{a} has been at them.",
    ]
    assert all(q.style == style and q.speech and q.nested_in is None for q in quotes)
    assert [q.paragraph for q in quotes] == [1, 1, 2, 3, 3]
    # The narration paragraph with its possessives holds no quote.
    assert not [q for q in quotes if q.paragraph == 4]


@pytest.mark.parametrize(
    "text",
    [
        "The kitchen was a ruin.\n\n"
        "'You've got somethin' on your face,' Merlin said.\n\n"
        "'I was only thinkin',' said Arthur. 'Leave 'em be.'\n\n"
        "He looked at the dogs' bowls. 'Whose turn is it? The boys'?'",
        "The kitchen was a ruin.\n\n"
        "‘You’ve got somethin’ on your face,’ Merlin said.\n\n"
        "‘I was only thinkin’,’ said Arthur. ‘Leave ’em be.’\n\n"
        "He looked at the dogs’ bowls. ‘Whose turn is it? The boys’?’",
    ],
    ids=["straight", "curly"],
)
def test_apostrophe_just_before_the_closing_single_mark(text: str) -> None:
    # A dropped g or a plural possessive at the end of a quote: the quote runs on to the
    # mark that follows the apostrophe, not to the apostrophe itself.
    quotes = find(text)
    a = "’" if "‘" in text else "'"
    assert texts(quotes) == [
        f"You{a}ve got somethin{a} on your face,",
        f"I was only thinkin{a},",
        f"Leave {a}em be.",
        f"Whose turn is it? The boys{a}?",
    ]


def test_dialogue_that_opens_the_story_is_story_not_a_note() -> None:
    # "not mine" in a line of dialogue is not a disclaimer ("I don't own ... not mine").
    text = (
        "'I don't know what you mean,' Merlin said. 'It's Arthur's fault, not mine.'\n\n"
        "Gwen laughed. 'Be back by four o'clock, and feed 'em first.'\n\n"
        "'The dogs' bowls are empty again,' said Arthur."
    )
    doc = analyze_text(text)
    assert doc.work.notes == []
    assert texts(doc.quotes)[:2] == [
        "I don't know what you mean,",
        "It's Arthur's fault, not mine.",
    ]


# --- em-dash dialogue -----------------------------------------------------------------

DASH_STORY = (
    "The snow had started before dawn.\n\n"
    "—You'll catch cold out here —Crowley said.\n\n"
    "—I am an angel —Aziraphale pointed out—. I don't catch cold.\n\n"
    "Crowley rolled his eyes and said nothing at all.\n\n"
    "—Suit yourself."
)


def test_dash_dialogue_with_a_tag_set_off_by_dashes() -> None:
    quotes = find(DASH_STORY)
    assert texts(quotes) == [
        "You'll catch cold out here",
        "I am an angel",
        "I don't catch cold.",
        "Suit yourself.",
    ]
    assert all(q.style == "dash" and q.speech for q in quotes)
    angel, cold = quotes[1], quotes[2]
    assert angel.paragraph == cold.paragraph == 2
    assert cold.continues == angel.id
    assert angel.continues is None and quotes[0].continues is None
    assert quotes[3].continues is None
    for first in (quotes[0], angel, quotes[3]):
        assert DASH_STORY[first.start] == "—"
    # The tag is narration, outside both parts.
    tag = DASH_STORY.index("Aziraphale pointed out")
    assert angel.end <= tag and cold.start > tag


def test_dash_dialogue_with_spaced_and_squeezed_dashes() -> None:
    text = (
        "It was snowing in Camelot.\n\n"
        "—Hello, — said Merlin, — how are you?\n\n"
        "—Fine,—said Arthur.\n\n"
        "—Cold —Gwen said."
    )
    quotes = find(text)
    assert texts(quotes) == ["Hello,", "how are you?", "Fine,", "Cold"]
    assert quotes[1].continues == quotes[0].id
    assert quotes[2].continues is None and quotes[3].continues is None


def test_dash_lines_keep_every_sentence_of_speech() -> None:
    text = (
        "The snow had started before dawn.\n\n"
        "—Angel. They're soaked. You walked here in slippers. I offered you boots.\n\n"
        "—That was different. That was Scotland.\n\n"
        "—Did you? —He sounded surprised.\n\n"
        "—Well —he said—. It was Scotland all over again."
    )
    quotes = find(text)
    assert texts(quotes) == [
        "Angel. They're soaked. You walked here in slippers. I offered you boots.",
        "That was different. That was Scotland.",
        "Did you?",
        "Well",
        "It was Scotland all over again.",
    ]
    assert quotes[4].continues == quotes[3].id


# --- nested quotations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outer", "inner"),
    [
        (
            "The hall was cold.\n\n\"She said 'never', Arthur.\"\n\nHe sighed.",
            "She said 'never', Arthur.",
            "never",
        ),
        (
            "The hall was cold.\n\n“She said ‘never’, Arthur.”\n\nHe sighed.",
            "She said ‘never’, Arthur.",
            "never",
        ),
        (
            "The hall was cold.\n\n"
            "'He told me \"leave it alone\" and walked off,' said Merlin.\n\n"
            "'Nobody listens to Gaius,' said Arthur. 'Nobody.'\n\n"
            "'I do,' Gwen said.",
            'He told me "leave it alone" and walked off,',
            "leave it alone",
        ),
    ],
    ids=["double-single", "curly", "single-double"],
)
def test_nested_quote(text: str, outer: str, inner: str) -> None:
    quotes = find(text)
    parent, child = by_text(quotes, outer), by_text(quotes, inner)
    assert parent.speech is True and parent.nested_in is None
    assert child.nested_in == parent.id
    assert child.speech is False
    assert parent.start < child.start < child.end < parent.end
    assert parent.paragraph == child.paragraph


def test_nested_quote_inside_a_split_quote() -> None:
    text = (
        "The hall was cold.\n\n"
        'Gwen folded her arms. "She said \'never\', Arthur," she told him. "And she meant it."'
    )
    quotes = find(text)
    assert texts(quotes) == ["She said 'never', Arthur,", "never", "And she meant it."]
    assert quotes[1].nested_in == quotes[0].id
    assert quotes[2].continues == quotes[0].id and quotes[2].nested_in is None


# --- speech over several paragraphs ---------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("'", "'")],
    ids=["straight", "curly", "single"],
)
def test_speech_over_several_paragraphs(opening: str, closing: str) -> None:
    text = (
        "Gaius set down his book.\n\n"
        f"{opening}When I was young, the winters were longer and the fires were smaller.\n\n"
        f"{opening}We burned whatever we could find. Chairs, mostly.\n\n"
        f"{opening}So do not tell me about cold, Merlin.{closing}\n\n"
        f"Merlin said nothing. {opening}Fine.{closing}"
    )
    quotes = find(text)
    assert texts(quotes) == [
        "When I was young, the winters were longer and the fires were smaller.",
        "We burned whatever we could find. Chairs, mostly.",
        "So do not tell me about cold, Merlin.",
        "Fine.",
    ]
    first, second, third, fine = quotes
    assert [q.paragraph for q in quotes] == [1, 2, 3, 4]
    assert first.continues is None
    assert second.continues == first.id and third.continues == first.id
    assert fine.continues is None
    # An unclosed part ends with its paragraph and has no closing mark.
    assert first.end == first.text_end and text[third.end - 1] == closing
    assert all(q.speech for q in quotes)


def test_speech_over_several_paragraphs_after_a_split_first_paragraph() -> None:
    # Every later part names the FIRST part, also when the first paragraph is itself split
    # by a beat.
    text = (
        "Gaius set down his book.\n\n"
        '"When I was small," Arthur said, "there was a woman in the kitchens.\n\n'
        '"She told me stories about the lake.\n\n'
        '"I believed her for years."\n\n'
        "Merlin said nothing."
    )
    quotes = find(text)
    assert texts(quotes) == [
        "When I was small,",
        "there was a woman in the kitchens.",
        "She told me stories about the lake.",
        "I believed her for years.",
    ]
    first = quotes[0]
    assert [q.continues for q in quotes[1:]] == [first.id] * 3


# --- a quotation split by a narration beat --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'The flat was quiet.\n\n"I think," he said, "we should go."',
        "The flat was quiet.\n\n“I think,” he said, “we should go.”",
    ],
)
def test_quote_split_by_a_beat(text: str) -> None:
    quotes = find(text)
    assert texts(quotes) == ["I think,", "we should go."]
    assert quotes[1].continues == quotes[0].id
    assert quotes[0].continues is None


def test_two_speakers_in_one_paragraph_are_not_one_quote() -> None:
    text = 'The common room was loud.\n\n"Are you coming?" asked Ron. "Yes," said Hermione.'
    quotes = find(text)
    assert texts(quotes) == ["Are you coming?", "Yes,"]
    assert quotes[1].continues is None


def test_cut_off_speech_resumed_after_a_beat() -> None:
    text = 'The flat was quiet.\n\n"I was going to say—" he began, "—that it was my fault."'
    quotes = find(text)
    assert texts(quotes) == ["I was going to say—", "—that it was my fault."]
    assert quotes[1].continues == quotes[0].id


# --- sloppy typing --------------------------------------------------------------------


def test_stray_spaces_inside_the_marks() -> None:
    text = (
        "The library was empty.\n\n"
        '" Hello there." Hermione looked up. "You are late. "\n\n'
        '"Who, me? " Ron asked.'
    )
    quotes = find(text)
    assert texts(quotes) == ["Hello there.", "You are late.", "Who, me?"]
    hello = quotes[0]
    assert text[hello.start] == '"' and hello.text_start == hello.start + 2
    assert text[quotes[1].end - 1] == '"'


def test_missing_spaces_around_the_marks() -> None:
    text = (
        "The library was empty.\n\n"
        '"Are you coming, Ron? "She blinked. "Well?"\n\n'
        '"What did you think would happen?"he asked. "Honestly."\n\n'
        'Harry said,"Fine."'
    )
    quotes = find(text)
    assert texts(quotes) == [
        "Are you coming, Ron?",
        "Well?",
        "What did you think would happen?",
        "Honestly.",
        "Fine.",
    ]
    assert all(q.speech for q in quotes)
    for narration in ("She blinked", "he asked", "Harry said"):
        assert not any(narration in q.text for q in quotes)


@pytest.mark.parametrize(
    ("opening", "earlier"),
    [
        ('"', ""),
        ("“", ""),
        ("'", "'Are you coming?' asked Ron.\n\n'In a minute,' said Hermione. 'Let me finish.'\n\n"),
    ],
    ids=["straight", "curly", "single"],
)
def test_unbalanced_mark_does_not_swallow_the_story(opening: str, earlier: str) -> None:
    text = (
        "The library was empty.\n\n"
        f"{earlier}"
        f"Ron pointed at the door. {opening}We should go before Filch comes back and\n\n"
        "Hermione ignored him and turned another page of Ron's book.\n\n"
        "Outside, the snow kept falling, and the owls' tower was dark.\n\n"
        "Nobody said a word until midnight, not even Ron."
    )
    doc = analyze_text(text)
    for quote in doc.quotes:
        check_quote(quote, text)
    paragraphs = doc.paragraphs()
    unbalanced = next(
        i for i, p in enumerate(paragraphs) if text[p.start : p.end].startswith("Ron pointed")
    )
    assert unbalanced + 4 == len(paragraphs)
    after = [q for q in doc.quotes if q.paragraph > unbalanced]
    assert after == [], texts(after)
    last = doc.quotes[-1]
    assert last.paragraph == unbalanced
    assert last.text == "We should go before Filch comes back and"
    assert last.end <= paragraphs[unbalanced].end


# --- speech or not --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ('That night they watched "Casablanca" again, because John lost the remote.', "Casablanca"),
        ("That night they watched “Casablanca” again, because John lost the remote.", "Casablanca"),
        ('His "plan" involved a ladder, two umbrellas and Mrs Hudson.', "plan"),
        ("His “plan” involved a ladder, two umbrellas and Mrs Hudson.", "plan"),
        ('He meant to say "sorry" but the word would not come.', "sorry"),
        ("He meant to say “sorry” but the word would not come.", "sorry"),
        ('John called it a "date", which Sherlock did not.', "date"),
        (
            'Sherlock had read "The Hound of the Baskervilles" twice.',
            "The Hound of the Baskervilles",
        ),
        ('The sign on the door read "Private" in red letters.', "Private"),
    ],
)
def test_quotes_nobody_speaks(sentence: str, quoted: str) -> None:
    text = f"The flat was quiet.\n\n{sentence}\n\nOutside it rained."
    quotes = find(text)
    assert texts(quotes) == [quoted]
    assert quotes[0].speech is False


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ('"No," she said.', "No,"),
        ('He said, "Fine."', "Fine."),
        ("He said, “Fine.”", "Fine."),
        ('"Right."', "Right."),
        ('She nodded. "Good."', "Good."),
        ('He whispered "sorry" and left the room.', "sorry"),
        ('She shouted "Fire!" and everyone ran.', "Fire!"),
    ],
)
def test_short_dialogue_is_still_speech(sentence: str, quoted: str) -> None:
    text = f"The flat was quiet.\n\n{sentence}\n\nOutside it rained."
    quotes = find(text)
    assert texts(quotes) == [quoted]
    assert quotes[0].speech is True
