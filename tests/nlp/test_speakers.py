"""Who says each quotation, and to whom: the speakers stage on snippets written for these
tests, and on hand-checked lines of the bundled samples.

Every snippet opens with narration that introduces its people, so that the characters
stage knows them; where a reader could be misled by a naive rule (the first name in the
paragraph, strict alternation), the snippet puts that trap in on purpose.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ficlens.document import Document
from ficlens.model import Analysis, Character, Quote
from ficlens.nlp import speakers
from ficlens.nlp.speakers import SpeakersStage
from ficlens.pipeline import analyze_text

SAMPLES = Path(__file__).resolve().parent.parent.parent / "ficlens" / "samples"
SAMPLE_NAMES = sorted(path.stem for path in SAMPLES.glob("*.txt"))


@cache
def analysed(text: str) -> Analysis:
    analysis = analyze_text(text)
    check_speech_counts(analysis)
    return analysis


def check_speech_counts(analysis: Analysis) -> None:
    """Every speaker exists, and each character's counts are those of their quotes."""
    by_id = {c.id: c for c in analysis.characters}
    for quote in analysis.quotes:
        assert quote.speaker is None or quote.speaker in by_id, quote
        assert set(quote.addressees) <= set(by_id), quote
        if quote.speaker is not None:
            assert quote.confidence is not None and 0 < quote.confidence <= 1, quote
    for character in analysis.characters:
        theirs = [q for q in analysis.quotes if q.speaker == character.id]
        assert character.quotes == sum(q.continues is None for q in theirs), character
        assert character.words_spoken == sum(len(q.text.split()) for q in theirs), character


def flat(text: str) -> str:
    return " ".join(text.split())


def quote(analysis: Analysis, prefix: str) -> Quote:
    """The one quotation whose text starts with ``prefix`` (whitespace-insensitive)."""
    found = [q for q in analysis.quotes if flat(q.text).startswith(prefix)]
    assert len(found) == 1, (prefix, [q.text for q in analysis.quotes])
    return found[0]


def character(analysis: Analysis, name: str) -> Character:
    """The one character called ``name`` (as a word of their name or of an alias)."""
    found = [c for c in analysis.characters if name in words_of(c)]
    assert len(found) == 1, (name, [(c.name, c.aliases) for c in analysis.characters])
    return found[0]


def words_of(character: Character) -> set[str]:
    return {word for name in (character.name, *character.aliases) for word in name.split()}


def speaker_words(analysis: Analysis, q: Quote) -> set[str]:
    by_id = {c.id: c for c in analysis.characters}
    return words_of(by_id[q.speaker]) if q.speaker in by_id else set()


def assert_said(analysis: Analysis, prefix: str, name: str) -> Quote:
    q = quote(analysis, prefix)
    assert name in speaker_words(analysis, q), (
        f"{prefix!r} said by {sorted(speaker_words(analysis, q)) or None}, not {name}"
    )
    return q


# --- explicit tags ---------------------------------------------------------------------

TAG_INTRO = (
    "Jim, Spock and Uhura waited out the blizzard in the cold common room. Jim paced by the "
    "window. Spock stared at the dead fire. Uhura rubbed her hands together.\n\n"
)

# Each paragraph names another character in its narration first, so that only the tag,
# not "the first name in the paragraph", gives the right speaker.
TAGS = [
    ("said X", 'Uhura glanced at Jim. "We need more coal," said Spock.', "Spock"),
    ("X said", 'Uhura glanced at Jim. "We need more coal," Spock said.', "Spock"),
    ("X said, before", 'Uhura glanced at Jim. Spock said, "We need more coal."', "Spock"),
    ("X turned and said", 'Spock turned to Uhura and said, "We need more coal."', "Spock"),
    ("asked X", 'Spock frowned at Uhura. "Where did it all go?" asked Jim.', "Jim"),
    ("whispered X", 'Uhura looked at Spock. "I hate mice," whispered Jim.', "Jim"),
    (
        "cut in X quietly",
        'Jim rubbed his hands together. "Into the fire, logically," cut in Spock quietly.',
        "Spock",
    ),
    (
        "X pointed out",
        'Jim rubbed his hands together. "You burned it all last night," Uhura pointed out.',
        "Uhura",
    ),
    ("X murmured", 'Spock raised an eyebrow at Uhura. "I was cold," Jim murmured.', "Jim"),
    ("X growled", 'Uhura sighed at Jim. "We were all cold," Spock growled.', "Spock"),
    ("X hissed", 'Jim kicked the grate. "Stop it, both of you," Uhura hissed.', "Uhura"),
    (
        "X croaked",
        'Uhura tucked her scarf around Spock. "I can\'t feel my toes," Jim croaked.',
        "Jim",
    ),
    (
        "X squeaked",
        'Spock leaned towards Jim. "There\'s a mouse in the scuttle!" Uhura squeaked.',
        "Uhura",
    ),
    ("X whispered", 'Jim reached for the poker. "Don\'t move," Spock whispered.', "Spock"),
    ("X purred", 'Uhura watched Spock edge closer. "Here, mousey," Jim purred.', "Jim"),
    ("X apologised", 'Spock caught the mouse and Jim laughed. "Sorry," Uhura apologised.', "Uhura"),
    ("inquired X", 'Uhura nudged Jim. "Is it dead?" inquired Spock.', "Spock"),
    ("rejoined X", 'Spock looked at Jim. "Only stunned," rejoined Uhura.', "Uhura"),
    ("X interposed", 'Uhura frowned at Spock. "Let it go," Jim interposed.', "Jim"),
    ("X stated", 'Jim poked the grate. "It is a field mouse," Spock stated gravely.', "Spock"),
    ("hinted X", 'Spock looked at Uhura. "Cheese might help?" hinted Jim.', "Jim"),
    (
        "was X's answer",
        'Spock held the mouse out to Jim. "Not in my quarters," was Uhura\'s answer.',
        "Uhura",
    ),
    (
        "by X, who said",
        'Uhura glanced at Jim. The silence was broken by Spock, who said, "More coal."',
        "Spock",
    ),
    (
        "X pressed her hand and replied",
        'Uhura took Spock\'s sleeve; Jim pressed her hand and replied, "It stays with me."',
        "Jim",
    ),
]


@pytest.mark.parametrize(("paragraph", "name"), [t[1:] for t in TAGS], ids=[t[0] for t in TAGS])
def test_explicit_tag(paragraph: str, name: str) -> None:
    analysis = analysed(TAG_INTRO + paragraph)
    (q,) = [q for q in analysis.quotes if q.paragraph == 1]
    assert name in speaker_words(analysis, q), (paragraph, speaker_words(analysis, q))


def rules_said(before_speakers, text: str) -> dict[str, tuple[str | None, str | None]]:
    """Quotation text -> (speaker name, how) as the hand rules alone give them (the ranker
    could mend a rule's answer and hide what the rule did)."""
    doc = before_speakers(text)
    names = {c.id: c.name for c in doc.analysis.characters}
    turns = speakers.attribute_by_rules(doc)
    return {t.quote.text: (names.get(t.speaker or ""), t.how) for t in turns.values()}


def test_and_said_is_said_by_the_subject_of_its_clause_not_the_nearest_he(
    before_speakers,
) -> None:
    said = rules_said(
        before_speakers,
        "Tobias came in from the snow. Tobias stamped his boots on the mat and he blew on "
        "his hands.\n\nShe looked up from her book. Marguerite saw he was frozen and said, "
        '"Sit by the fire."\n\n"I will," Tobias said, and Marguerite smiled.\n',
    )
    # Her name, the clause's subject, is the tag: not the "he" nearer the verb.
    assert said["Sit by the fire."] == ("Marguerite", "explicit")
    assert said["I will,"] == ("Tobias", "explicit")


def test_a_subject_far_before_its_speech_verb_is_still_the_speaker(before_speakers) -> None:
    # "...and Molly had only time to say, in a pleasant manner, ...": her name is beyond
    # the few words read either side of the verb; the sentence's subject is hers.
    said = rules_said(
        before_speakers,
        "Tobias came in from the snow. His sister Molly looked up from her knitting, and "
        "Molly smiled at him.\n\n"
        "Tobias turned towards the stove; and Molly had only time to say, in a pleasant "
        'manner, "Mind the cat,"; when he trod on its tail.\n',
    )
    assert said["Mind the cat,"] == ("Molly", "explicit")


def test_a_paragraph_saying_someone_went_on_leads_into_their_speech(before_speakers) -> None:
    said = rules_said(
        before_speakers,
        'Tobias came in from the snow. "It is bitter out there," said Tobias.\n\n'
        '"Then sit by the fire," said Molly.\n\n'
        '"I will," said Tobias.\n\n'
        "Tobias stamped his boots on the mat, and went on.\n\n"
        '"The river has frozen right across."\n',
    )
    # Turn-taking alone would give it to Molly.
    assert said["The river has frozen right across."][0] == "Tobias"


def test_a_tag_leading_into_a_quote_wins_over_the_next_ones_tag() -> None:
    # The narration after the first quotation leads into the second: it is not its tag.
    analysis = analysed(
        TAG_INTRO + 'Jim said, "Is there more coal?" Uhura said, "Not a lump."\n\n'
        'Spock said, "Then we burn the chairs," and Jim laughed.\n\n'
    )
    assert_said(analysis, "Is there more coal?", "Jim")
    assert_said(analysis, "Not a lump.", "Uhura")
    assert_said(analysis, "Then we burn the chairs,", "Spock")


CAPITALISED_TAG = (
    "It was midnight in the morgue at Barts. Jim was sitting on the desk with his feet on "
    "the files. Jim swung his legs and he hummed to himself. Molly came in with a tray of "
    "samples. She stopped dead when she saw him.\n\n"
    '"What are you doing here?" Molly asked.\n\n'
    'Molly waited. "I don\'t know..." He mumbled, and looked at the ceiling.\n\n'
)


LEAD_IN = (
    "Jim, Spock and Uhura waited out the blizzard in the cold common room.\n\n"
    "Jim, who had been pacing by the window for the better part of an hour while the "
    "others played chess in silence, turned at last towards Uhura, and said quietly\n\n"
    '"We should sleep in shifts."\n\n'
    "Spock looked up from the board.\n\n"
    "Uhura laid her cards down and replied:\n\n"
    '"I will take the first."\n\n'
    "Jim looked at her. Spock moved a knight across the board towards Jim and said, "
    "without looking up\n\n"
    '"Check."\n\n'
)


def test_a_tag_that_ends_the_paragraph_before_gives_the_next_ones_speaker() -> None:
    # The subject is far from the verb ("Jim, who had been ..., turned ... and said"), and
    # the last name before "said" is the one he turned to.
    analysis = analysed(LEAD_IN)
    assert_said(analysis, "We should sleep in shifts.", "Jim")
    assert_said(analysis, "I will take the first.", "Uhura")
    assert_said(analysis, "Check.", "Spock")


def test_a_capitalised_tag_after_the_closing_mark() -> None:
    # "..." He mumbled: a tag, although it starts with a capital; Molly's beat comes first.
    analysis = analysed(CAPITALISED_TAG)
    assert_said(analysis, "What are you doing here?", "Molly")
    assert_said(analysis, "I don't know...", "Jim")


# --- action beats ----------------------------------------------------------------------

BEATS = (
    "The flat was warm for once. Sherlock stood at the window with his violin, and John came "
    "in from the rain with a bag of chips.\n\n"
    '"You\'re late," Sherlock said, without turning round.\n\n'
    '"Traffic on the Marylebone Road," said John.\n\n'
    'John grinned. "And I stopped for chips."\n\n'
    '"You always stop for chips," Sherlock said.\n\n'
    '"And you always eat half of them." Sherlock smiled down at him.\n\n'
)


def test_action_beats_before_and_after_the_quote() -> None:
    # Both beats break the alternation: the same person speaks twice running.
    analysis = analysed(BEATS)
    assert_said(analysis, "You're late", "Sherlock")
    assert_said(analysis, "Traffic on the Marylebone Road", "John")
    assert_said(analysis, "And I stopped for chips.", "John")
    assert_said(analysis, "You always stop for chips", "Sherlock")
    assert_said(analysis, "And you always eat half of them.", "Sherlock")


def test_explicit_tags_are_more_confident_than_beats() -> None:
    analysis = analysed(BEATS)
    tagged = quote(analysis, "You're late").confidence
    beat = quote(analysis, "And I stopped for chips.").confidence
    assert tagged is not None and beat is not None
    assert tagged > beat


# --- anaphoric tags --------------------------------------------------------------------

HARBOUR = (
    "Corran Vey came along the harbour wall at sunset. He had his hands in his pockets and "
    "his collar turned up against the wind. Ilsa Mardh was waiting for him by the lamp. She "
    "had been there for an hour, and her face said so.\n\n"
    '"You\'re late," said Ilsa.\n\n'
    '"The tide was wrong," Corran said.\n\n'
    "Ilsa turned back to the water. For a long time neither of them spoke, and the gulls "
    "wheeled and cried over the boats.\n\n"
    '"Are you still angry with me?" he asked finally.\n\n'
    '"Yes," she said. "But I\'ll get over it."\n\n'
)


def test_he_asked_finally_is_the_man_of_a_man_and_a_woman() -> None:
    # He spoke last as well: strict alternation would give the line to her.
    analysis = analysed(HARBOUR)
    assert character(analysis, "Corran").gender == "M"
    assert character(analysis, "Ilsa").gender == "F"
    q = assert_said(analysis, "Are you still angry with me?", "Corran")
    assert_said(analysis, "Yes", "Ilsa")
    assert q.addressees == [character(analysis, "Ilsa").id]


WIDOW = (
    "Martha had kept the lighthouse since the winter her husband drowned. Her neighbour "
    "Gideon still came up the cliff path every Saturday with the groceries.\n\n"
    '"You shouldn\'t be up here alone," Gideon said, setting the box on the table.\n\n'
    '"I have the gulls," Martha said.\n\n'
    "He unpacked the tins one by one while she filled the kettle. Out on the water a "
    "fishing boat turned for home.\n\n"
    '"Daniel would have hated the new lamp," she said suddenly.\n\n'
)


def test_she_said_suddenly_is_the_woman_though_she_spoke_last() -> None:
    analysis = analysed(WIDOW)
    assert_said(analysis, "Daniel would have hated the new lamp", "Martha")
    daniel = [c for c in analysis.characters if "Daniel" in words_of(c)]
    assert all(c.quotes == 0 for c in daniel)


FAIR = (
    "Mr Hale sat by the fire with his paper, and his daughters sat at the table. Mr Hale "
    "liked a quiet evening.\n\n"
    "Clara wanted to say something clever about the fair, but could not think what.\n\n"
    '"While Clara is thinking," he went on, "let us talk about the horses."\n\n'
)


def test_a_given_name_outweighs_a_stray_pronoun() -> None:
    # The "he" after Clara's sentence is her father: one vote does not make her a man.
    analysis = analysed(FAIR)
    assert character(analysis, "Clara").gender == "F"
    assert_said(analysis, "While Clara is thinking", "Hale")


MILL = (
    '"My dear, have you heard that the mill is let at last?" said his lady to him one '
    "morning.\n\n"
    "Mr Avery said that he had not. He turned a page of the paper.\n\n"
    '"But it is. Tom Pryce told me so himself."\n\n'
    "Mr Avery made no answer, and Tom Pryce, who had come in with the milk, made none "
    "either.\n\n"
    "Mrs Avery was not a patient woman. Mrs Avery rang for more tea, and Mrs Avery "
    "looked at her husband until he put the paper down.\n\n"
)


def test_she_said_with_only_men_nearby_goes_to_the_woman_of_the_story() -> None:
    # "said his lady" before she is named: only men are near, so the ranker must look
    # further for a woman, here the one the story later names most.
    analysis = analysed(MILL)
    assert_said(analysis, "My dear, have you heard", "Avery")
    q = quote(analysis, "My dear, have you heard")
    assert character(analysis, "Mrs").id == q.speaker


ASHDOWN = (
    "Edwin was reading by the window when Mrs Dale came in with the post.\n\n"
    '"Have you heard who has taken the mill?" said Mrs Dale.\n\n'
    '"No," said Edwin.\n\n'
    '"Ashdown."\n\n'
    '"And who is Ashdown?"\n\n'
    '"Nobody knows. That is the interesting part."\n\n'
)


def test_a_bare_name_answers_and_does_not_call() -> None:
    analysis = analysed(ASHDOWN)
    answer = assert_said(analysis, "Ashdown.", "Dale")
    assert answer.addressees == [character(analysis, "Edwin").id]
    assert_said(analysis, "And who is Ashdown?", "Edwin")


GRIFFINS = (
    "Mr Griffin was reading the paper by the fire. Mrs Griffin and her son Tom sat at the "
    "table over the last of the tea.\n\n"
    '"I shall go to London on Monday," said Tom.\n\n'
    '"To London! Whatever for?" said Mrs Griffin.\n\n'
    '"To find work, mother."\n\n'
    '"There is work enough here," said her husband, without lowering the paper.\n\n'
)


def test_her_husband_is_the_man_of_her_family_name() -> None:
    # "her" is Mrs Griffin, so "her husband" is Mr Griffin, though only Tom has spoken.
    analysis = analysed(GRIFFINS)
    q = quote(analysis, "There is work enough here")
    assert q.speaker == next(c.id for c in analysis.characters if c.name == "Mr Griffin")


PEAS = (
    "Lucy and Meg were shelling peas on the back step. Aunt Clem had gone in to lie down, "
    "and the garden was quiet.\n\n"
    '"I shall marry a sailor," said Meg.\n\n'
    '"You will not," said Lucy. "You are sick on the ferry."\n\n'
    '"Neither of you will marry anybody if those peas are not done by four," said her aunt '
    "from the window.\n\n"
)


MILK = (
    "Tom came in from the yard with the milk. Dan was mending a net by the fire, and did "
    "not look up. Tom set the pail down on the table. Then he looked at Dan for a long "
    "moment.\n\n"
    '"You never told me," he said.\n\n'
)


DATCHET = (
    "Katharine drew back the curtain. The girl on the step was shivering in the rain.\n\n"
    '"And who are you?" said Katharine.\n\n'
    '"Mary Datchet," said Mary. "I live on the top floor."\n\n'
)


@pytest.mark.parametrize(
    ("story", "prefix", "name"),
    [
        # "her aunt" is the story's one Aunt, not the woman whose turn it would be.
        pytest.param(PEAS, "Neither of you will marry", "Clem", id="her-aunt"),
        # "Then he looked at Dan": Dan is named last, but "he" has been Tom all along.
        pytest.param(MILK, "You never told me", "Tom", id="he-is-the-subject"),
        # She gives her own name: no call, and the tag outweighs the vocative rule.
        pytest.param(DATCHET, "Mary Datchet", "Mary", id="tag-over-vocative"),
    ],
)
def test_who_says_a_line_of_a_short_story(story: str, prefix: str, name: str) -> None:
    assert_said(analysed(story), prefix, name)


HOMECOMING = (
    "General Harrow came home on Friday, and Ellen had dreaded it all week.\n\n"
    '"So you are Ellen," said General Harrow.\n\n'
    '"Yes, sir," said Ellen.\n\n'
    'The general looked her over for a long moment. "You are very like your mother."\n\n'
)


def test_the_general_is_the_storys_one_general() -> None:
    # A lowercase office names its one holder: the beat is General Harrow's.
    analysis = analysed(HOMECOMING)
    assert_said(analysis, "You are very like your mother", "Harrow")
    assert character(analysis, "Harrow").mentions == 3


# --- turn-taking -----------------------------------------------------------------------

ARGUMENT = (
    "The kitchen at Grimmauld Place was cold, and {pair} had been arguing since breakfast.\n\n"
    '"You can\'t go out," Remus said.\n\n'
    '"Watch me," said {other}.\n\n'
    '"Dumbledore said no."\n\n'
    '"Dumbledore says a lot of things."\n\n'
    '"He says them for a reason."\n\n'
    '"Name one."\n\n'
    '"Every Death Eater in London knows your face."\n\n'
    "\"Then I'll wear a different one. That's rather the point of me.\"\n\n"
    '"That is not funny."\n\n'
    '"It\'s a little bit funny."\n\n'
    '"Please. Just for once, listen to me."\n\n'
    '"I always listen to you. I just don\'t agree."\n\n'
)
REMUS_LINES = [
    "You can't go out,",
    "Dumbledore said no.",
    "He says them for a reason.",
    "Every Death Eater in London knows your face.",
    "That is not funny.",
    "Please. Just for once, listen to me.",
]
OTHER_LINES = [
    "Watch me,",
    "Dumbledore says a lot of things.",
    "Name one.",
    "Then I'll wear a different one. That's rather the point of me.",
    "It's a little bit funny.",
    "I always listen to you. I just don't agree.",
]


def argument(other: str, pair: str = "Remus and {other}") -> str:
    return ARGUMENT.format(other=other, pair=pair.format(other=other))


@pytest.mark.parametrize(
    ("other", "pair"),
    [
        ("Tonks", "Remus and {other}"),
        # spaCy's small model tags "Tonks and Remus" and "said Tonks" as organisations;
        # whoever is the subject of "said" is a person all the same.
        ("Tonks", "{other} and Remus"),
        ("Sirius", "{other} and Remus"),
    ],
    ids=["Remus and Tonks", "Tonks and Remus", "Sirius and Remus"],
)
def test_an_untagged_argument_alternates(other: str, pair: str) -> None:
    analysis = analysed(argument(other, pair))
    spoken = [q for q in analysis.quotes if q.speech]
    assert len(spoken) == 12
    expected = [name for _ in range(6) for name in ("Remus", other)]
    got = [sorted(speaker_words(analysis, q)) for q in spoken]
    assert all(
        name in speaker_words(analysis, q) for q, name in zip(spoken, expected, strict=True)
    ), got


def test_a_two_person_conversation_addresses_the_other_person() -> None:
    analysis = analysed(argument("Tonks"))
    remus, tonks = character(analysis, "Remus"), character(analysis, "Tonks")
    for q in analysis.quotes:
        assert q.speaker in (remus.id, tonks.id), q
        other = tonks.id if q.speaker == remus.id else remus.id
        assert q.addressees == [other], q


def test_explicit_tags_are_more_confident_than_turn_taking() -> None:
    analysis = analysed(argument("Tonks"))
    tagged = [quote(analysis, "You can't go out"), quote(analysis, "Watch me")]
    untagged = [q for q in analysis.quotes if q not in tagged]
    assert all(q.confidence is not None for q in analysis.quotes)
    assert min(q.confidence or 0 for q in tagged) > max(q.confidence or 0 for q in untagged)


def test_quotes_and_words_spoken_are_counted() -> None:
    analysis = analysed(argument("Tonks"))
    remus, tonks = character(analysis, "Remus"), character(analysis, "Tonks")
    assert remus.quotes == len(REMUS_LINES) == 6
    assert tonks.quotes == len(OTHER_LINES) == 6
    assert remus.words_spoken == sum(len(line.split()) for line in REMUS_LINES) == 32
    assert tonks.words_spoken == sum(len(line.split()) for line in OTHER_LINES) == 36
    # Dumbledore is talked about, never heard.
    assert character(analysis, "Dumbledore").quotes == 0


# --- the vocative rule -----------------------------------------------------------------

VOCATIVE = (
    "Merlin was polishing the armour when Arthur came in from the training field, covered "
    "in mud.\n\n"
    '"Where\'s my breakfast?" Arthur asked.\n\n'
    '"On the table, where it always is," said Merlin.\n\n'
    '"Arthur, look at this. There\'s a dent in your breastplate the size of a fist."\n\n'
    '"That was Gwaine," Arthur said.\n\n'
)


def test_a_quote_that_calls_arthur_by_name_is_not_arthurs() -> None:
    # Alternation says Arthur; the vocative says Merlin, speaking twice running.
    analysis = analysed(VOCATIVE)
    arthur = character(analysis, "Arthur")
    q = quote(analysis, "Arthur, look at this.")
    assert q.speaker != arthur.id
    assert_said(analysis, "Arthur, look at this.", "Merlin")
    assert q.addressees == [arthur.id]


VOCATIVE_IN_TURN = (
    "Merlin was polishing the armour when Arthur came in from the training field, covered "
    "in mud.\n\n"
    '"Good morning," said Merlin.\n\n'
    '"Is it?" Arthur said.\n\n'
    '"Arthur, look at this."\n\n'
    '"What now?"\n\n'
)


def test_a_vocative_in_turn_names_the_addressee() -> None:
    analysis = analysed(VOCATIVE_IN_TURN)
    arthur, merlin = character(analysis, "Arthur"), character(analysis, "Merlin")
    q = quote(analysis, "Arthur, look at this.")
    assert q.speaker == merlin.id
    assert q.addressees == [arthur.id]
    assert quote(analysis, "What now?").speaker == arthur.id


# --- one speech in several pieces ------------------------------------------------------

SPEECH = (
    "The common room had emptied hours ago. Hermione sat by the fire with Ron, and Ron was "
    "pretending to read.\n\n"
    '"You\'re quiet," Ron said.\n\n'
    'Hermione put down her quill. "When I was eleven," Hermione said, "I read every book '
    "about Hogwarts I could find before I ever got here.\n\n"
    "\"I thought if I knew enough, nobody would notice I didn't belong.\n\n"
    '"It didn\'t work."\n\n'
    '"It did, though," said Ron.\n\n'
)


def test_a_speech_over_several_paragraphs_keeps_its_speaker() -> None:
    analysis = analysed(SPEECH)
    first = assert_said(analysis, "When I was eleven", "Hermione")
    for prefix in ("I read every book", "I thought if I knew enough", "It didn't work."):
        part = assert_said(analysis, prefix, "Hermione")
        assert part.continues == first.id
        assert part.confidence == first.confidence
    assert_said(analysis, "It did, though", "Ron")
    hermione = character(analysis, "Hermione")
    assert hermione.quotes == 1  # one utterance in four pieces


SPLIT = (
    "Merlin and Arthur lay on the hill above Camelot, watching the sky.\n\n"
    '"You\'re very quiet," said Merlin.\n\n'
    '"I think," Arthur said, "that you are the worst servant in the whole of Camelot."\n\n'
    '"Look." Merlin pointed at the sky. "A comet."\n\n'
    '"It\'s not a comet," said Arthur, squinting. "It\'s a bird."\n\n'
)


def test_a_quote_split_by_a_tag_or_a_beat_keeps_its_speaker() -> None:
    analysis = analysed(SPLIT)
    assert_said(analysis, "I think", "Arthur")
    assert_said(analysis, "that you are the worst servant", "Arthur")
    assert_said(analysis, "Look.", "Merlin")
    assert_said(analysis, "A comet.", "Merlin")
    assert_said(analysis, "It's not a comet", "Arthur")
    assert_said(analysis, "It's a bird.", "Arthur")
    assert quote(analysis, "that you are").continues == quote(analysis, "I think").id


# --- the bundled samples ---------------------------------------------------------------


@cache
def sample(name: str) -> Analysis:
    return analysed((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_most_spoken_quotes_of_a_sample_get_a_speaker(name: str) -> None:
    spoken = [q for q in sample(name).quotes if q.speech]
    assert spoken
    missing = [flat(q.text)[:40] for q in spoken if q.speaker is None]
    assert len(missing) <= 0.2 * len(spoken), missing


# Lines whose speaker no reader of the story would hesitate over: prefix -> speaker.
HAND_CHECKED = {
    "doctorwho_proper_cup_of_tea": [
        ("It’s not a lot to ask", "Donna"),
        ("We had tea on Cassius Four.", "Doctor"),
        ("Brilliant hats, though", "Doctor"),
        ("I can’t,", "Donna"),
        ("Was that a proper cup of tea?", "Doctor"),
        ("Donna! And the Doctor!", "Wilf"),
        ("Your nan’s old flask", "Wilf"),
        ("Shut up", "Donna"),
    ],
    "goodomens_first_snow": [
        ("Have you looked outside?", "Crowley"),
        ("I have been rather occupied, my dear.", "Aziraphale"),
        ("I am an angel", "Aziraphale"),
        ("I remember.", "Crowley"),
        ("Everything's still new, angel", "Crowley"),
        ("I woke up this morning because it was too quiet", "Crowley"),
        ("Your feet are wet", "Crowley"),
        ("It was Scotland all over again", "Aziraphale"),
    ],
    "hp_library_after_curfew": [
        ("Bloody hell", "Ron"),
        ("Hello there", "Nick"),
        ("Ah. Miss Granger.", "Nick"),
        ("Goblin Rebellion of 1612!", "Hermione"),
        ("Revising, obviously.", "Hermione"),
        ("Hermione.", "Ron"),
        ("There should be.", "Ron"),
        ("She'll get Filch", "Hermione"),
        ("Who's there? Who's in my library?", "Filch"),
        ("Did something happen?", "Harry"),
        ("Yeah, all right", "Harry"),
    ],
    "merlin_kitchen_disaster": [
        ("You can't even boil an egg", "Merlin"),
        ("I beg your pardon?", "Arthur"),
        ("Do you need anything, sire?", "Gwen"),
        ("Those are turnips.", "Gwen"),
        ("Chop 'em smaller, sire", "Gwen"),
        ("It's resting,", "Arthur"),
        ("Peasants,", "Merlin"),
        ("I'm doing eggs.", "Arthur"),
    ],
    "merlin_the_long_night": [
        ("It's not broken", "Arthur"),
        ("I know.", "Merlin"),
        ("Then stop looking at it like that.", "Arthur"),
        ("Told you", "Merlin"),
        ("I believed her for years.", "Arthur"),
        ("Morgana used to sit up with me", "Arthur"),
        ("Princess!", "Gwaine"),
        ("Kept him alive all night, eh?", "Gwaine"),
        ("Any time", "Merlin"),
    ],
    "sherlock_baker_street_rain": [
        ("Tea,", "Sherlock"),
        ("Mrs Hudson made the casserole", "Sherlock"),
        ("is all this in aid of?", "John"),
        ("No,", "Sherlock"),
        ("Then what the hell is?", "John"),
        ("Sorry,", "John"),
        ("It’s obvious", "Sherlock"),
        ("You absolute idiot", "John"),
        ("It’s a start.", "John"),
        ("I’ll take it.", "Sherlock"),
    ],
    "startrek_falling_lights": [
        ("It's a meteor shower, Jim", "McCoy"),
        ("It isn't just a meteor shower, Bones.", "Kirk"),
        ("I fail to see what support you require", "Spock"),
        ("This is a vacation, Mister Spock", "Kirk"),
        ("Well, Spock?", "Kirk"),
        ("I did not say I enjoyed myself, Doctor.", "Spock"),
        ("I calculate the odds", "Spock"),
    ],
}
# Lines ficlens still gets wrong: each is a known gap of the speakers stage (issue 3). They
# fail strictly, so a fix shows up as an unexpected pass and the entry must go.
KNOWN_WRONG = {
    ("hp_library_after_curfew", "Ah. Miss Granger."),
    ("hp_library_after_curfew", "Who's there? Who's in my"),
    ("hp_library_after_curfew", "Did something happen?"),
    # "he asked finally" after a paragraph about John that ends on Sherlock: the ranker
    # weighs the two near evenly (0.505), and retraining has tipped it either way.
    ("sherlock_baker_street_rain", "is all this in aid of?"),
}
HAND_CHECKED_CASES = [
    pytest.param(
        name,
        prefix,
        speaker,
        marks=[pytest.mark.xfail(strict=True, reason="known gap in speaker attribution")]
        if (name, prefix[:24]) in KNOWN_WRONG
        else [],
    )
    for name, lines in HAND_CHECKED.items()
    for prefix, speaker in lines
]


def test_every_sample_has_hand_checked_lines() -> None:
    assert sorted(HAND_CHECKED) == SAMPLE_NAMES


@pytest.mark.parametrize(
    ("name", "prefix", "speaker"),
    HAND_CHECKED_CASES,
    ids=[f"{case.values[0]}:{case.values[1][:24]}" for case in HAND_CHECKED_CASES],
)
def test_hand_checked_line_of_a_sample(name: str, prefix: str, speaker: str) -> None:
    assert_said(sample(name), prefix, speaker)


def test_a_description_that_tells_the_gender_is_read_like_a_pronoun() -> None:
    # Two women talk; "said the old gentleman" is the man in the room, not the woman whose
    # turn it would be.
    text = (
        "Mr Pellow dozed by the fire while Harriet and Jane sorted the post. Harriet frowned "
        "at a letter; she held it up for Jane.\n\n"
        '"Another bill," Harriet said. "Are you awake, Mr Pellow?"\n\n'
        '"And another," said Jane. She sighed.\n\n'
        '"Burn them all," said the old gentleman, without opening his eyes.\n'
    )
    analysis = analyze_text(text)
    names = {c.id: c.name for c in analysis.characters}
    said = {q.text: names.get(q.speaker or "") for q in analysis.quotes if q.speech}
    assert said["And another,"] == "Jane"
    assert said["Burn them all,"] == "Mr Pellow"


DESCRIBED = (
    "Marian and Joss reached the ford at dusk, and found a cart stuck in the mud.\n\n"
    '"Need a hand?" Joss called.\n\n'
    '"I would not say no to one," said a tinker, climbing down from the seat. "The mule '
    'has given up on me."\n\n'
    '"Mules do that," said Marian.\n\n'
    '"This one more than most," said the tinker.\n\n'
    "Dr Hobbs came down the lane with a lantern. Hobbs stopped to watch them push.\n\n"
    '"You will want the lantern," said the doctor.\n'
)


def test_a_speaker_the_story_never_names_is_a_described_character() -> None:
    analysis = analysed(DESCRIBED)
    names = {c.id: c.name for c in analysis.characters}
    tinker = quote(analysis, "This one more than most,")
    assert "tinker" in names[tinker.speaker or ""], names.get(tinker.speaker or "")
    assert quote(analysis, "I would not say no to one,").speaker == tinker.speaker
    # The doctor is the one character whose name has that title.
    assert_said(analysis, "You will want the lantern,", "Hobbs")
    # A described character is marked so, and stays only when it speaks.
    described = [c for c in analysis.characters if c.described]
    assert [c.name for c in described] == [names[tinker.speaker or ""]]
    assert all(c.quotes for c in described)
    # Nobody is paired with a passing tinker.
    assert not [r for r in analysis.relationships if tinker.speaker in r.characters]


SOLICITOR = (
    "Tom and Ada sat across the desk from the solicitor, a stack of deeds between them.\n\n"
    '"We only want the cottage," said Tom.\n\n'
    '"The cottage is entailed," said the solicitor.\n\n'
    '"Then what can we do?" asked Ada.\n\n'
    '"Wait, I am afraid," said the solicitor, and closed the file.\n'
)
NURSERY = (
    "Tom and Lucy were at tea in the nursery, and the rain ran down the window.\n\n"
    '"Can we go out after?" Tom asked.\n\n'
    '"Not in this," said nanny. "You would be drowned."\n\n'
    '"Then can we have the paints?" said Lucy.\n\n'
    '"If you wash your hands first," nanny said.\n'
)


# "said the solicitor" cannot be read as "he said", and "said nanny" is her name in the
# house; turn-taking would give these lines to the children or the clients, with the rules
# alone as with the ranker.
@pytest.mark.parametrize(
    ("story", "said"),
    [
        (
            SOLICITOR,
            {
                "We only want the cottage,": "Tom",
                "Then what can we do?": "Ada",
                "The cottage is entailed,": "the solicitor",
                "Wait, I am afraid,": "the solicitor",
            },
        ),
        (
            NURSERY,
            {
                "Can we go out after?": "Tom",
                "Then can we have the paints?": "Lucy",
                "Not in this,": "nanny",
                "If you wash your hands first,": "nanny",
            },
        ),
    ],
    ids=["the-solicitor", "nanny"],
)
@pytest.mark.parametrize("use_ranker", [False, True], ids=["rules", "ranker"])
def test_a_description_without_a_gender_or_a_role_as_a_name_speaks_for_itself(
    story: str, said: dict[str, str], use_ranker: bool, before_speakers
) -> None:
    found = speakers_of(before_speakers(story), use_ranker)
    assert {line: found.get(line) for line in said} == said


def speakers_of(document: Document, use_ranker: bool) -> dict[str, str | None]:
    """Each spoken line of a document analysed up to the speakers stage, and the name of
    whoever the stage (with or without the ranker) says speaks it."""
    SpeakersStage(use_ranker=use_ranker)(document)
    names = {c.id: c.name for c in document.analysis.characters}
    return {q.text: names.get(q.speaker or "") for q in document.analysis.quotes if q.speech}


BREAKFAST = (
    "Mr Harrow came down late to breakfast and found that the newspaper was gone from "
    "his place.\n\n"
    '"Who has taken the paper?" said Mr Harrow.\n\n'
    '"I have," said his step-son from behind it. "There is a piece about the mill."\n\n'
    '"Then read it out, and be quick."\n\n'
)


@pytest.mark.parametrize("use_ranker", [False, True], ids=["rules", "ranker"])
def test_said_his_step_son_is_not_whoever_his_is(use_ranker: bool, before_speakers) -> None:
    # "his" is Mr Harrow, the only man named: a reading of the tag as "he said" would give
    # him the line; his step-son is someone else, here never named.
    said = speakers_of(before_speakers(BREAKFAST), use_ranker)
    assert said["I have,"] == "his step-son"
    assert said["Then read it out, and be quick."] == "Mr Harrow"


STAIRS = (
    "Aunt Polly stood at the foot of the stairs with the broom in her hand. Tom was "
    "somewhere above, and very quiet.\n\n"
    '"TOM!"\n\n'
    "No answer came. She climbed three steps and listened.\n\n"
    '"TOM! I can hear you breathing up there!"\n\n'
    "Tom came down at last, very slowly, with jam on his chin.\n\n"
)


def test_a_name_shouted_in_capitals_is_called_not_calling() -> None:
    # "TOM!" names Tom as surely as "Tom!": a mention of him, and so not his line.
    analysis = analysed(STAIRS)
    tom = character(analysis, "Tom")
    assert tom.mentions == 5
    polly = character(analysis, "Polly")
    assert [q.speaker for q in analysis.quotes if q.speech] == [polly.id, polly.id]
