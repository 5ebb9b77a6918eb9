"""Words that look like names but name nobody (``ficlens.nlp.characters``, ``names``).

Short original stories in the manner of fan fiction, each with words a tagger takes for
names: greetings said to someone ("Goodnight"), what a family calls its members ("Mum",
"Hyung"), verbs that open a sentence ("Revising", "Tell Hoseok"), kinds of being ("a Time
Lord") and "Nobody". The assertions are what a careful reader knows: who the people are,
and that these words are none of them.
"""

from __future__ import annotations

from functools import cache

from ficlens.document import Document
from ficlens.layout import layout_stage
from ficlens.model import Analysis, Character, Source
from ficlens.nlp.characters import _collect_surfaces, _is_person, _Surface
from ficlens.nlp.names import normalise
from ficlens.nlp.quotes import quotes_stage
from ficlens.nlp.tokens import TokensStage
from ficlens.pipeline import analyze_text

PIER = (
    "Morning came grey over the harbour. Jude Calloway was already on the pier with two "
    "coffees when Wren Abbott stumbled down the steps, still half asleep.\n\n"
    '"Morning," Jude said, and held out a cup.\n\n'
    '"Hey Jude," Wren said. "You\'re a saint."\n\n'
    "Jude laughed. They sat on the edge of the pier with their legs over the water and "
    "watched the boats go out.\n\n"
    '"Goodnight, was it?" Jude asked. "You left the party early."\n\n'
    '"Goodnight is a strong word," Wren said. "I slept on the floor."\n\n'
    "Nobody else was up. Nobody came down the steps for an hour, and Jude did not mind.\n\n"
    '"Morning, you two!" called a fisherman from his boat.\n\n'
    '"Morning!" Wren called back, and Jude waved.'
)

KITCHEN = (
    "The farmhouse kitchen was warm and loud. Priya Nair stood at the stove while her "
    "cousins argued over the last of the bread.\n\n"
    '"Gran, tell them to share," Priya said.\n\n'
    '"Share," said Gran, without looking up from her knitting.\n\n'
    '"Mum, she took two," shouted little Rohan.\n\n'
    '"Uncle, can you pass the salt?" Priya asked.\n\n'
    "Uncle Abel passed the salt and winked at her. Uncle Abel had been winking at her "
    "since she was four.\n\n"
    '"Gramps is asleep in the chair again," Rohan said.\n\n'
    '"Let Gramps sleep," said Gran.\n\n'
    '"Hyung, wait for me," Rohan called to his brother when the boys ran out.'
)

LIBRARY = (
    "Revising took the whole of Sunday. Revising, Mina decided, was a punishment "
    "invented by teachers who hated weekends.\n\n"
    '"Tell Hoseok to wait," she said to her roommate, and ran for the bus.\n\n'
    "Hoseok was waiting in the library anyway. He waved when he saw her.\n\n"
    '"You look terrible," Hoseok said.\n\n'
    '"Thanks," Mina said.'
)

CONSOLE = (
    "The Doctor stood at the console. Being a Time Lord meant never having to say "
    "sorry, or so the Doctor claimed.\n\n"
    '"The last Time Lord," Rose Tyler said. "That\'s you."\n\n'
    '"That\'s me," the Doctor said.\n\n'
    'Rose looked at the Doctor. "Is it safe?"'
)

GATE = (
    "Dustin crossed into the Upside Down at midnight. The Upside Down swallowed the "
    "light of his torch.\n\n"
    '"The Upside Down is real," Dustin said. "I told you."\n\n'
    '"Nobody said it wasn\'t," Steve said, and rolled his eyes.\n\n'
    "Nobody answered when Dustin called again. Steve waited by the gate."
)

BAKERY = (
    "Daniel Bright opened the bakery at five, as he had every morning for twenty years.\n\n"
    "Ivy came in at six, shaking the rain from her umbrella.\n\n"
    '"Morning Daniel," she said.\n\n'
    '"Morning Ivy." Daniel slid a tray of rolls into the oven. "You\'re early."\n\n'
    '"Tell Daniel I said happy birthday," her mother had said on the phone, so Ivy did.\n\n'
    "Daniel laughed. Daniel always laughed when Ivy's mother was mentioned.\n\n"
    '"Hey Daniel," called the postman from the door. "Parcel for you."\n\n'
    "Daniel wiped his hands and went to sign for it."
)

STORIES = {
    "pier": PIER,
    "kitchen": KITCHEN,
    "library": LIBRARY,
    "console": CONSOLE,
    "gate": GATE,
    "bakery": BAKERY,
}


@cache
def analysed(key: str) -> Analysis:
    return analyze_text(STORIES[key])


def names_of(character: Character) -> set[str]:
    return {character.name, *character.aliases}


def everyone(analysis: Analysis) -> set[str]:
    return {name for c in analysis.characters for name in names_of(c)}


def who(analysis: Analysis, name: str) -> Character:
    found = [c for c in analysis.characters if name in names_of(c)]
    listing = [(c.name, c.aliases) for c in analysis.characters]
    assert len(found) == 1, f"{name!r} names {len(found)} characters: {listing}"
    return found[0]


# --- greetings ------------------------------------------------------------------------


def test_greetings_are_not_characters() -> None:
    analysis = analysed("pier")
    named = everyone(analysis)
    for word in ("Goodnight", "Morning", "Hey", "Hey Jude", "Nobody"):
        assert word not in named, f"{word!r} taken for a character: {named}"
    assert who(analysis, "Jude").name == "Jude Calloway"
    assert who(analysis, "Wren").name == "Wren Abbott"
    named_people = [c.name for c in analysis.characters if not c.described]
    assert len(named_people) == 2, named_people
    # The greeting from the boat is the fisherman's, whom the story never names.
    greeting = next(q for q in analysis.quotes if q.text.startswith("Morning, you two"))
    speaker = next(c for c in analysis.characters if c.id == greeting.speaker)
    assert speaker.described and speaker.name == "a fisherman"


def test_a_greeting_run_into_a_name_is_not_part_of_it() -> None:
    assert normalise("Hey Jude") == "Jude"
    assert normalise("Morning Wren") == "Wren"
    assert normalise("Goodnight Mina") == "Mina"
    # A greeting alone stays what it is (and is then no name), and so does a real name.
    assert normalise("Morning") == "Morning"
    assert normalise("Hayley Jude") == "Hayley Jude"


def test_a_given_name_greeted_joins_its_full_name() -> None:
    # "Morning Daniel", "Tell Daniel", "Hey Daniel" are Daniel greeted or talked of; taken
    # for names of their own they made "Daniel" fit two people and split him from
    # "Daniel Bright".
    analysis = analysed("bakery")
    daniel = who(analysis, "Daniel")
    assert daniel.name == "Daniel Bright"
    assert daniel.gender == "M"
    assert who(analysis, "Ivy").id != daniel.id
    named = everyone(analysis)
    for false in ("Morning Daniel", "Tell Daniel", "Hey Daniel", "Morning Ivy"):
        assert false not in named, named
    # Besides the two of them, only the postman, who speaks but is never named.
    names = sorted(c.name for c in analysis.characters)
    assert names == ["Daniel Bright", "Ivy", "the postman"], names


# --- kinship words --------------------------------------------------------------------


def test_kinship_words_said_only_in_dialogue_are_not_characters() -> None:
    analysis = analysed("kitchen")
    named = everyone(analysis)
    for word in ("Mum", "Hyung", "Gramps", "Uncle", "Share"):
        assert word not in named, f"{word!r} taken for a character: {named}"


def test_a_kinship_title_before_a_name_is_a_character() -> None:
    # "Uncle Abel passed the salt": a title with a name, a person on the page.
    abel = who(analysed("kitchen"), "Uncle Abel")
    assert abel.gender == "M"
    assert abel.role != "mentioned"


def test_a_kinship_word_the_narration_calls_someone_by_is_a_character() -> None:
    # '"Share," said Gran': the narrator names her so; she speaks twice.
    analysis = analysed("kitchen")
    gran = who(analysis, "Gran")
    assert gran.quotes >= 1
    assert gran.id != who(analysis, "Priya").id


def test_kinship_in_dialogue_alone_is_weighed_against_the_narration() -> None:
    # The same counts of use, once only inside quotes and once also in the narration.
    said_to = _Surface(count=3, person=3, addressed=2, in_quote_only=True)
    narrated = _Surface(count=3, person=3, addressed=2, speech_adjacent=1, in_quote_only=False)
    assert not _is_person("Mum", said_to)
    assert _is_person("Mum", narrated)
    # A name that is no kinship word, said only in dialogue, is still a person.
    assert _is_person("Rohan", said_to)


# --- verbs at the start of a sentence -------------------------------------------------


def test_an_imperative_before_a_name_is_not_part_of_it() -> None:
    analysis = analysed("library")
    named = everyone(analysis)
    assert "Tell Hoseok" not in named, named
    hoseok = who(analysis, "Hoseok")
    assert hoseok.quotes >= 1
    assert hoseok.id != who(analysis, "Mina").id


def _surfaces(text: str) -> set[str]:
    source = Source(path=None, format="text", encoding="utf-8", size=len(text))
    analysis = Analysis(source=source, text_length=len(text), text=text)
    doc = Document(text=text, analysis=analysis)
    layout_stage(doc)
    quotes_stage(doc)
    TokensStage(processes=1)(doc)
    assert doc.tokens is not None
    spans = sorted((q.text_start, q.text_end) for q in analysis.quotes)
    return set(_collect_surfaces(text, doc.tokens, spans)[0])


def test_a_gerund_opening_sentences_is_no_name_candidate() -> None:
    # "Revising took the whole of Sunday. Revising, Mina decided, ...": the tagger calls
    # the capitalised gerund a proper noun; in lower case it reads a verb.
    surfaces = _surfaces(LIBRARY)
    assert "Revising" not in surfaces, surfaces
    assert "Tell Hoseok" not in surfaces, surfaces
    assert {"Mina", "Hoseok"} <= surfaces


def test_a_name_opening_sentences_is_still_a_name() -> None:
    # Only ever at the start of a sentence, and no ordinary word: a name all the same.
    text = (
        "Zorvan climbed down from the wagon. Zorvan was tired.\n\n"
        '"We camp here," Zorvan told the drivers.'
    )
    assert "Zorvan" in _surfaces(text)


# --- kinds of being, fandom places, nobody --------------------------------------------


def test_a_kind_of_being_is_not_a_character() -> None:
    analysis = analysed("console")
    named = everyone(analysis)
    assert "Time Lord" not in named, named
    assert "Lord" not in named
    assert who(analysis, "Doctor").id != who(analysis, "Rose Tyler").id


def test_nobody_is_nobody() -> None:
    analysis = analysed("gate")
    named = everyone(analysis)
    assert "Nobody" not in named, named
    assert "Upside Down" not in named, named
    assert "Dustin" in named


def test_a_name_that_only_ever_follows_the_is_a_person_only_if_it_speaks_or_acts() -> None:
    # "the Upside Down" four times, which spaCy once called a person: a place.
    place = _Surface(count=4, person=1, definite=4, in_quote_only=False)
    assert not _is_person("Upside Down", place)
    # "said the Mock Turtle": a character known only with "the", who speaks.
    speaker = _Surface(count=4, person=1, definite=4, speech_adjacent=2, in_quote_only=False)
    assert _is_person("Mock Turtle", speaker)
    # "a Time Lord" twice and once with "the": one of a kind.
    kind = _Surface(count=3, person=1, acts=1, kind=2, definite=1, in_quote_only=False)
    assert not _is_person("Time Lord", kind)
    # "the Cloak", "my Cloak", which spaCy called a person three times and which once
    # "folded": an object; a creature that keeps acting ("the Demogorgon lunged") is not.
    thing = _Surface(count=4, person=3, acts=1, definite=4, in_quote_only=False)
    assert not _is_person("Cloak", thing)
    creature = _Surface(count=4, person=1, acts=3, definite=4, in_quote_only=False)
    assert _is_person("Demogorgon", creature)
