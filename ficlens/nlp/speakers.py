"""Stage ``speakers``: who says each quotation, and to whom.

Evidence in order of strength:

1. an explicit tag next to the quotation: "said Merlin", "Merlin said", "cut in Spock",
   before it ("Merlin said, ...") or after it, in any order (one that leads into the
   quotation is its own, whatever the narration after it says); the subject of the clause
   for "Brenda saw he was tired and said"; "was Mary's answer"; "broken by Willoughby, who
   said"; or at the end of the paragraph before ("...and said quietly", "Lucy continued.");
   a tag that only describes its speaker ("said a tinker", or a household role used as a
   name: "said nanny") makes a character of the description, who speaks unless the
   description tells a gender ("said the man"), and whom the ranker weighs against the
   named candidates; unless it names one: "the doctor" is the story's one Dr, "her aunt"
   its one Aunt, "said her husband" (when "her" is Mrs Griffin) Mr Griffin; or it is
   someone the narration brought on ("a girl sat on the fence", then "said the girl"),
   who is that described person;
2. an anaphoric tag ("he asked finally", or a description that tells a gender), resolved
   to the conversation's participant of that gender (the one described, when there is
   none), or else to the latest character of that gender; never, in a first-person story,
   to the narrator, nor ("said his step-son") to the one the possessive is;
3. an action beat in the same paragraph ("John grinned." before or after the quote);
4. the part of a split quotation or a multi-paragraph speech takes its first part's
   speaker;
5. turn-taking: in a conversation, an unattributed quotation goes to whoever spoke the
   turn before the last one, never to a character it addresses by name (the vocative
   rule).

Addressees are the characters a quotation addresses by name, else the other participant
of the conversation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from ficlens.document import Document, Mention, Tokens
from ficlens.model import Character, Quote
from ficlens.nlp.coref import PRONOUN_GENDER
from ficlens.nlp.descriptions import NARRATED_PREFIX
from ficlens.nlp.lexicon import FEMALE_NOUNS, MALE_NOUNS, SPEECH_VERBS
from ficlens.nlp.names import parse
from ficlens.nlp.ranker import DESCRIBED_PREFIX, POSSESSIVES, Choice, SpeakerRanker, choices

# How many tokens of narration next to a quotation may hold its tag.
_TAG_REACH = 6
# A gap of more than this many narration-only paragraphs ends a conversation.
_CONVERSATION_GAP = 2

_PENDING = "?"  # "?M": an anaphoric tag whose pronoun is resolved later


class _Hit(NamedTuple):
    """What a rule found: the speaker (or a pending pronoun), how, and for a described
    speaker ("said the tinker") the description; for "said his step-son", the character
    "his" is, who is not the one speaking."""

    speaker: str | None
    how: str
    phrase: str | None = None
    owner: str | None = None
    narrated: str | None = None  # the narration's described person the phrase is


CONFIDENCE = {
    "explicit": 0.95,
    "anaphoric": 0.8,
    "epithet": 0.6,  # "said the old gentleman", read as "he said"
    "described": 0.6,  # "said the solicitor": someone the story may never name
    "beat": 0.7,
    "continued": None,  # that of the first part
    "turn": 0.55,
    "guess": 0.3,
}


@dataclass
class _Turn:
    quote: Quote
    speaker: str | None = None
    how: str | None = None
    addressed: tuple[str, ...] = ()  # characters named as vocatives inside the quote
    pronoun: str | None = None  # "M"/"F": the gender of an anaphoric tag ("he said")
    confidence: float | None = None  # set by the ranker; else the rule's confidence
    # "said the tinker": the described speaker's character (made for the ranker to weigh)
    described: str | None = None
    # "he said", resolved by coreference: whose turn it is among the men of the conversation
    participant: str | None = None
    # "said his step-son": whoever "his" is does not speak this line
    owner: str | None = None


class SpeakersStage:
    """Pipeline stage: set speaker, addressees and confidence on every spoken quote.

    The hand rules attribute first; the learned ranker (``ficlens.nlp.ranker``), when its
    model is bundled and ``use_ranker`` is on, then re-decides every turn among nearby
    candidates, reading the rules' picks as clues.
    """

    def __init__(self, *, use_ranker: bool = True) -> None:
        self.ranker = SpeakerRanker.bundled() if use_ranker else None

    def __call__(self, doc: Document) -> None:
        turns = attribute_by_rules(doc)
        if self.ranker is not None:
            rank_turns(doc, turns, self.ranker)
        apply_turns(doc, turns)


def speakers_stage(doc: Document) -> None:
    """The stage with the bundled ranker (built on first use)."""
    global _DEFAULT_STAGE
    if _DEFAULT_STAGE is None:
        _DEFAULT_STAGE = SpeakersStage()
    _DEFAULT_STAGE(doc)


_DEFAULT_STAGE: SpeakersStage | None = None


def rank_turns(doc: Document, turns: dict[int, _Turn], ranker: SpeakerRanker) -> None:
    """Let the ranker pick each turn's speaker, in reading order; parts follow their first."""

    def decide(choice: Choice) -> str:
        speaker, probability = ranker.rank(choice)
        turn = turns[choice.quote_id]
        if speaker != turn.speaker:
            turn.how = "ranked"
        turn.confidence = round(probability, 3)
        return speaker

    choices(doc, turns, decide)
    for turn in sorted(turns.values(), key=lambda t: t.quote.start):
        root = turns.get(turn.quote.continues) if turn.quote.continues is not None else None
        if root is not None and root.speaker is not None:
            turn.speaker, turn.how, turn.confidence = root.speaker, "continued", root.confidence


def attribute_by_rules(doc: Document) -> dict[int, _Turn]:
    """Each spoken quotation's turn, with the speaker the hand rules give it (or None)."""
    assert doc.tokens is not None
    quotes = doc.analysis.quotes
    characters = {c.id: c for c in doc.analysis.characters}
    mentions = doc.mentions
    mention_starts = [m.start for m in mentions]
    turns = {q.id: _Turn(q) for q in quotes if q.speech}
    for turn in turns.values():
        turn.addressed = _vocatives(turn.quote, mentions, mention_starts)
    descriptions: dict[str, list[_Turn]] = {}

    # 1-3: tags and beats, in the narration of each quotation's paragraph.
    for turn in turns.values():
        if turn.quote.continues is not None:
            continue
        found = _explicit(doc, turn.quote, mentions, mention_starts, characters)
        if found is not None:
            turn.speaker, turn.how, turn.owner = found.speaker, found.how, found.owner
            if found.narrated is not None:
                # "said the girl" after "a girl sat on the fence": the one the narration
                # brought on, read like any described speaker.
                turn.described = found.narrated
                if turn.speaker is None:
                    turn.speaker, turn.how = found.narrated, "described"
            elif found.phrase is not None:
                descriptions.setdefault(found.phrase, []).append(turn)
            if turn.how == "epithet" and turn.speaker in characters:
                # "said her husband": Mr Griffin, by name, as surely as a tag naming him.
                turn.described, turn.how = turn.speaker, "explicit"
            if turn.speaker and turn.speaker.startswith(_PENDING):
                turn.pronoun = turn.speaker[len(_PENDING) : len(_PENDING) + 1]
            elif turn.how == "anaphoric" and turn.speaker in characters:
                turn.pronoun = characters[turn.speaker].gender  # as coreference agreed
    _described_characters(doc, descriptions)
    characters = {c.id: c for c in doc.analysis.characters}  # with the described ones

    # 4-5: continuations and turn-taking, in reading order.
    _conversations(doc, turns, characters)
    # Last resort: the character the narration named last, marked as a guess.
    for turn in sorted(turns.values(), key=lambda t: t.quote.start):
        if turn.speaker is None:
            root = turns.get(turn.quote.continues) if turn.quote.continues is not None else None
            if root is not None and root.speaker is not None:
                turn.speaker, turn.how = root.speaker, "continued"
                continue
            guess = _last_named_other(doc, turn.quote, "", set(turn.addressed))
            if guess is not None:
                turn.speaker, turn.how = guess, "guess"
    return turns


def apply_turns(doc: Document, turns: dict[int, _Turn]) -> None:
    """Write the turns' speakers onto the quotes, then addressees and speech counts."""
    quotes = doc.analysis.quotes
    for quote in quotes:
        turn = turns.get(quote.id)
        if turn is None or turn.speaker is None:
            continue
        quote.speaker = turn.speaker
        root = turns.get(quote.continues) if quote.continues is not None else None
        how = turn.how or "guess"
        quote.confidence = turn.confidence or (
            (root.quote.confidence if how == "continued" and root else CONFIDENCE.get(how))
            or CONFIDENCE["guess"]
        )
    _addressees(turns)
    _count_speech(doc.analysis.characters, quotes)
    # Described people who neither speak nor are spoken to are no characters of the story.
    spoken = {q.speaker for q in quotes} | {a for q in quotes for a in q.addressees}
    silent = {c.id for c in doc.analysis.characters if c.described and c.id not in spoken}
    doc.analysis.characters[:] = [c for c in doc.analysis.characters if c.id not in silent]
    for mention in doc.mentions:
        if mention.character in silent:
            mention.character = None


def _vocatives(quote: Quote, mentions: list[Mention], starts: list[int]) -> tuple[str, ...]:
    lo = bisect.bisect_left(starts, quote.text_start)
    hi = bisect.bisect_left(starts, quote.text_end)
    return tuple(
        dict.fromkeys(
            m.character
            for m in mentions[lo:hi]
            if m.kind == "name" and m.character is not None and _is_vocative(m, quote)
        )
    )


# Words that may stand between a vocative and the comma or quote edge before it: "My dear
# Mr. Bennet, ...", "Oh, Harry!", "Good morning, Miss Price."
_VOCATIVE_LEAD = re.compile(
    r"(?:\b(?:my|dear|dearest|oh|o|ah|poor|good|old|young|little|darling|sweet|hello|hi|"
    r"hey|morning|evening|night|goodnight|goodbye|bye|afternoon|thank\s+you|thanks|yes|no|"
    r"well|now|come)\s*)+$",
    re.IGNORECASE,
)


def _is_vocative(mention: Mention, quote: Quote) -> bool:
    """A name set off by commas or quote edges inside the quotation: "Arthur, wait"."""
    text = quote.text
    i = mention.start - quote.text_start
    j = mention.end - quote.text_start
    before = text[:i].rstrip()
    after = text[j:].lstrip()
    if not before and after in ("", "."):
        return False  # a bare name is an answer ("Who?" - "Bingley."), not a call
    lead = _VOCATIVE_LEAD.search(before)
    if lead is not None and (after[:1] in (",", "!", "?", ".", ";", "") or not after):
        before = before[: lead.start()].rstrip()
    opens = not before or before[-1] in ",.!?;—–-"
    closes = not after or after[0] in ",.!?;—–-"
    return opens and closes


def _explicit(
    doc: Document,
    quote: Quote,
    mentions: list[Mention],
    starts: list[int],
    characters: dict[str, Character],
) -> _Hit | None:
    """A tag next to the quotation, or a beat in its paragraph."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    if _introduced(doc, quote):
        # 'Milly said, "Are you in town?" Babs said, "Got a light?"': a tag that leads
        # into the quotation is its tag, whatever the narration after it says (that
        # leads into the next one, or is another act: "..., and Tony would say").
        hit = _tag_before(doc, quote, mentions, starts, characters)
        if hit:
            return hit
    # Narration after the quotation, up to the next quotation in the paragraph.
    after_quote = _next_quote_start(doc, quote)
    i = tokens.index_at(quote.end - 1)
    window = []
    while i < len(tokens) and len(window) < _TAG_REACH and tokens.start[i] < after_quote:
        if tokens.start[i] >= quote.end:
            window.append(i)
        i += 1
    hit = _tag_in(doc, window, mentions, starts, characters, quote) or _answer_tag(
        doc, quote, mentions, starts, after_quote
    )
    if hit:
        return hit
    # Narration before it: "Merlin said, ..." / "He turned to her and said: ..."
    hit = _tag_before(doc, quote, mentions, starts, characters)
    if hit:
        return hit
    before_quote = _previous_quote_end(doc, quote)
    if before_quote == _paragraph_span(doc, quote)[0] and quote.paragraph > 0:
        # "Here Anne spoke--" / "Mrs Croft said:" ending the paragraph before.
        hit = _lead_in(doc, quote, mentions, starts, characters)
        if hit:
            return hit
    # A beat: the first character the paragraph's narration names, before or after.
    para_lo, para_hi = _paragraph_span(doc, quote)
    lo = bisect.bisect_left(starts, para_lo)
    hi = bisect.bisect_left(starts, para_hi)
    for mention in mentions[lo:hi]:
        if mention.in_quote or mention.character is None:
            continue
        if _inside_any_quote(doc, mention.start, quote.paragraph):
            continue
        if text[mention.end : mention.end + 3].lstrip()[:2] in ("'s", "’s"):
            continue  # a possessive: "Arthur's hand" is not Arthur acting
        return _Hit(mention.character, "beat")
    return None


def _tag_before(
    doc: Document,
    quote: Quote,
    mentions: list[Mention],
    starts: list[int],
    characters: dict[str, Character],
) -> _Hit | None:
    """A tag in the narration just before the quotation, in its paragraph."""
    tokens = doc.tokens
    assert tokens is not None
    before_quote = _previous_quote_end(doc, quote)
    i = tokens.index_at(quote.start) - 1
    window = []
    while i >= 0 and len(window) < _TAG_REACH + 2 and tokens.end[i] > before_quote:
        if tokens.end[i] <= quote.start:
            window.append(i)
        i -= 1
    window.reverse()
    hit = _tag_in(doc, window, mentions, starts, characters, quote)
    if hit is not None or not window:
        return hit
    # "Miss Crawford had only time to say, in a pleasant manner, ...": the verb is in
    # reach but its subject is further back. The sentence's last speech verb, read with
    # everything of the sentence before it (not the sentence's earlier verbs).
    first = window[0]
    i = first - 1
    while i >= 0 and tokens.end[i] > before_quote and window[-1] - i < 40:
        first = i
        if tokens.sent_start[i]:
            break
        i -= 1
    window = list(range(first, window[-1] + 1))
    verbs = [k for k, t in enumerate(window) if _word(doc, t) in SPEECH_VERBS]
    if not verbs:
        return None
    window = window[verbs[-2] + 1 :] if len(verbs) > 1 else window
    return _tag_in(doc, window, mentions, starts, characters, quote)


def _word(doc: Document, k: int) -> str:
    """Token ``k``, in lower case."""
    tokens = doc.tokens
    assert tokens is not None
    return doc.text[tokens.start[k] : tokens.end[k]].lower()


def _introduced(doc: Document, quote: Quote) -> bool:
    """The narration right before the quotation ends with a speech verb and a comma or
    colon ('Milly said, "', 'asked quietly: "'): a tag leading into it."""
    lead = doc.text[_previous_quote_end(doc, quote) : quote.start].rstrip()
    if not lead.endswith((",", ":")):
        return False
    last = [w.strip(",;:").lower() for w in lead.split()[-2:]]
    return any(w in SPEECH_VERBS for w in last)


# "...," was Mary's answer. / "...," was his reply.
_ANSWER_VERB = re.compile(r"[\s,]*(?:was|were|came)\s+", re.IGNORECASE)
_ANSWER_NOUN = re.compile(
    r"(?:\w+\s+)?(?:answer|reply|rejoinder|response|retort|remark|observation|comment|"
    r"reasoning|question|exclamation|cry|greeting|advice|thought|verdict|explanation)s?\b",
    re.IGNORECASE,
)


def _answer_tag(
    doc: Document, quote: Quote, mentions: list[Mention], starts: list[int], limit: int
) -> _Hit | None:
    """A possessive tag after the quotation: "was Mary's answer", "was his reply"."""
    text = doc.text
    verb = _ANSWER_VERB.match(text, quote.end, limit)
    if verb is None:
        return None
    at = verb.end()
    pronoun = re.match(r"(his|her)\s+", text[at:limit], re.IGNORECASE)
    if pronoun is not None:
        if _ANSWER_NOUN.match(text, at + pronoun.end(), limit):
            return _Hit(f"{_PENDING}{PRONOUN_GENDER[pronoun.group(1).lower()]}:", "anaphoric")
        return None
    mention = _mention_at(mentions, starts, at)
    if mention is None or mention.character is None or mention.kind == "pronoun":
        return None
    owner = re.match(r"['’]s\s+", text[mention.end : limit])
    if owner is not None and _ANSWER_NOUN.match(text, mention.end + owner.end(), limit):
        return _Hit(mention.character, "explicit")
    return None


_LEAD_IN_WORDS = 6


def _relative_antecedent(
    doc: Document, window: list[int], position: int, mentions: list[Mention], starts: list[int]
) -> _Hit | None:
    """ "broken by Willoughby, who said": the one "who" stands for, whatever stands before
    him ("by", "at")."""
    tokens = doc.tokens
    assert tokens is not None

    def word(k: int) -> str:
        return doc.text[tokens.start[k] : tokens.end[k]].lower()

    k = position - 1
    while k >= 0 and tokens.tag[window[k]] == "RB":
        k -= 1  # "who then said"
    if k < 1 or word(window[k]) != "who":
        return None
    k -= 1
    if word(window[k]) == "," and k >= 1:
        k -= 1
    mention = _mention_at(mentions, starts, tokens.start[window[k]])
    if mention is None or mention.character is None or mention.in_quote:
        return None
    if mention.kind == "pronoun":
        return None
    return _Hit(mention.character, "explicit")


def _lead_in(
    doc: Document,
    quote: Quote,
    mentions: list[Mention],
    starts: list[int],
    characters: dict[str, Character],
) -> _Hit | None:
    """A narration paragraph that ends by introducing the next one's speech."""
    tokens = doc.tokens
    assert tokens is not None
    previous = doc.analysis.paragraphs()[quote.paragraph - 1]
    tail = doc.text[previous.start : previous.end].rstrip()
    # "...and said:" / "...and said quietly" / "...and said, compressing his lips": the
    # paragraph stops short of a full stop with a speech verb among its last words.
    open_ended = not tail.endswith((".", "!", "?", '"', "”", "'", "’", ")", ";"))
    last_words = [w.strip(",;:").lower() for w in tail.split()[-_LEAD_IN_WORDS:]]
    if (
        not tail.endswith((":", "--", "—", ",", "–"))
        and not (open_ended and any(w in SPEECH_VERBS for w in last_words))
        and not _GOES_ON.search(tail)
    ):
        return None
    if any(
        q.paragraph == quote.paragraph - 1 and q.end >= previous.end - 3
        for q in doc.analysis.quotes
    ):
        return None  # the previous paragraph ends in a quotation of its own
    i = tokens.index_at(previous.end - 1)
    window = []
    while i >= 0 and tokens.start[i] >= previous.start and len(window) < _TAG_REACH + 4:
        window.append(i)
        if tokens.sent_start[i]:
            break
        i -= 1
    window.reverse()
    hit = _tag_in(doc, window, mentions, starts, characters, quote)
    if hit:
        return hit
    if window and _ends_with_speech_verb(doc, window):
        # "Willoughby, who, rousing himself ..., started up and said:" - the subject of
        # the sentence, however far back it is.
        hit = _sentence_subject(doc, window[-1], mentions, starts)
        if hit:
            return hit
    lo = bisect.bisect_left(starts, tokens.start[window[0]]) if window else 0
    hi = bisect.bisect_left(starts, previous.end)
    for mention in mentions[lo:hi]:  # "Here Anne spoke--": the sentence's first character
        if not mention.in_quote and mention.character is not None:
            return _Hit(mention.character, "beat")
    return None


# "Lucy continued." / "Mrs. Norris fetched breath, and went on again.": a paragraph that
# ends by saying someone speaks on leads into the next one's speech.
_GOES_ON = re.compile(
    r"\b(?:continued|resumed|proceeded|went\s+on|goes\s+on)(?:\s+again)?\.$", re.IGNORECASE
)


def _ends_with_speech_verb(doc: Document, window: list[int]) -> bool:
    """The last words before the closing mark are a speech verb ("and said, quietly:")."""
    tokens = doc.tokens
    assert tokens is not None
    words = [doc.text[tokens.start[k] : tokens.end[k]].lower() for k in window[-_LEAD_IN_WORDS:]]
    return any(word in SPEECH_VERBS for word in words)


def _clause_subject(
    doc: Document, verb: int, mentions: list[Mention], starts: list[int]
) -> _Hit | None:
    """The subject of the clause that "and <verb>" continues: the first character named,
    or "he"/"she", after the last comma or semicolon before it ("When the door opened,
    Ron stood up and said"), else in the sentence."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    first = verb
    while first > 0 and not tokens.sent_start[first] and verb - first < 80:
        if _word(doc, first - 1) in (",", ";"):
            break
        first -= 1
    paragraph = tokens.paragraph[verb]
    quoted = [(q.start, q.end) for q in doc.analysis.quotes if q.paragraph == paragraph]
    for start in dict.fromkeys((first, _sentence_of(tokens, tokens.start[verb]))):
        for k in range(start, verb):
            if any(lo <= tokens.start[k] < hi for lo, hi in quoted):
                continue
            word = _word(doc, k)
            mention = _mention_at(mentions, starts, tokens.start[k])
            if word in ("he", "she"):
                if mention is not None and mention.character is not None:
                    return _Hit(mention.character, "anaphoric")
                return _Hit(f"{_PENDING}{PRONOUN_GENDER[word]}:", "anaphoric")
            if (
                mention is not None
                and mention.kind == "name"
                and mention.character is not None
                and not _after_preposition(doc, k)
                and text[mention.end : mention.end + 3].lstrip()[:2] not in ("'s", "’s")
            ):
                return _Hit(mention.character, "explicit")
    return None


def _sentence_subject(
    doc: Document, last: int, mentions: list[Mention], starts: list[int]
) -> _Hit | None:
    """The first character the sentence ending at token ``last`` names as a subject."""
    tokens = doc.tokens
    assert tokens is not None
    first = last
    while first > 0 and not tokens.sent_start[first] and last - first < 80:
        first -= 1
    text = doc.text
    lo = bisect.bisect_left(starts, tokens.start[first])
    hi = bisect.bisect_left(starts, tokens.end[last])
    for mention in mentions[lo:hi]:
        if mention.in_quote or mention.character is None:
            continue
        word = mention.text.lower()
        if mention.kind == "pronoun" and word not in ("he", "she"):
            continue
        if _after_preposition(doc, tokens.index_at(mention.start)):
            continue
        if text[mention.end : mention.end + 3].lstrip()[:2] in ("'s", "’s"):
            continue
        return _Hit(mention.character, "anaphoric" if mention.kind == "pronoun" else "explicit")
    return None


def _tag_in(
    doc: Document,
    window: list[int],
    mentions: list[Mention],
    starts: list[int],
    characters: dict[str, Character],
    quote: Quote,
) -> _Hit | None:
    """A speech verb in the window with its subject next to it."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    for position, i in enumerate(window):
        word = text[tokens.start[i] : tokens.end[i]].lower()
        if word not in SPEECH_VERBS and not _phrasal_tag(doc, window, position, word):
            continue
        # The subject: a character or pronoun right after the verb ("said Merlin"), or
        # the first one before it in its clause ("Spock turned to Uhura and said"), never
        # one behind a preposition ("to Uhura").
        antecedent = _relative_antecedent(doc, window, position, mentions, starts)
        if antecedent is not None:
            return antecedent
        if position > 0 and _word(doc, i - 1) == "and":
            # "Brenda saw he was out of temper and said": whoever does the first verb of
            # the clause, not the nearest "he" of a clause inside it.
            subject = _clause_subject(doc, i, mentions, starts)
            if subject is not None:
                return subject
        after = window[position + 1 : position + 4]
        before = [
            k for k in window[max(0, position - 8) : position] if not _after_preposition(doc, k)
        ]
        for k in [*before[::-1][:3], *after, *before[::-1][3:]]:
            mention = _mention_at(mentions, starts, tokens.start[k])
            pronoun = text[tokens.start[k] : tokens.end[k]].lower()
            if pronoun == "i.":
                pronoun = "i"  # spaCy keeps "said I." together, as it would an initial
            if pronoun in ("he", "she"):
                # As coreference resolved it; else against the conversation, once turns
                # are known.
                if mention is not None and mention.character is not None:
                    return _Hit(mention.character, "anaphoric")
                return _Hit(f"{_PENDING}{PRONOUN_GENDER[pronoun]}:", "anaphoric")
            if mention is not None and mention.kind in ("pronoun", "description"):
                # "pressed her hand and replied": "her" is no subject; "said the man" is
                # read as a description, below.
                continue
            if mention is not None and mention.character is not None and not mention.in_quote:
                return _Hit(mention.character, "explicit")
            if pronoun == "i" and not (mention is not None and mention.in_quote):
                # "I said": the first-person narrator, when coreference found one.
                return _Hit(doc.narrator, "explicit") if doc.narrator else None
        role = _role_name(doc, window, position)
        if role is not None:
            return _Hit(None, "epithet", role)  # "said nanny": her name in this house
        if _epithet_next_to(doc, window, position):
            # "said the beadle", "the old gentleman said": someone described, not named;
            # not whoever the paragraph happens to name first. A description that tells
            # the gender ("the old gentleman") is read like "he said": often it is the
            # named man of the conversation.
            relative = _relative_of(doc, window, position, mentions, starts, characters)
            if relative is not None:
                return _Hit(relative, "epithet")
            gender = _epithet_gender(doc, window, position)
            speaker = f"{_PENDING}{gender}:" if gender else None
            phrase = _epithet_phrase(doc, window, position)
            owner = (
                _possessor(doc, window, position, mentions, starts)
                if phrase is not None and phrase.split()[0] in ("his", "her")
                else None
            )
            narrated = next(
                (
                    m.character
                    for k in [
                        *window[position + 1 : position + 6],
                        *window[max(0, position - 5) : position],
                    ]
                    if (m := _mention_at(mentions, starts, tokens.start[k])) is not None
                    and m.kind == "description"
                ),
                None,
            )
            return _Hit(speaker, "epithet", phrase, owner, narrated)
    return None


# "said his wife": the kin word, the sex it names, and the titles that person goes by.
_SPOUSES_AND_PARENTS = {"wife": "F", "mother": "F", "husband": "M", "father": "M"}
_FAMILY_TITLES = {
    "F": frozenset({"mrs", "lady", "madame", "mme", "frau", "signora", "señora"}),
    "M": frozenset({"mr", "sir", "lord", "monsieur", "herr", "signor", "señor"}),
}


def _relative_of(
    doc: Document,
    window: list[int],
    position: int,
    mentions: list[Mention],
    starts: list[int],
    characters: dict[str, Character],
) -> str | None:
    """ "said his wife" when "his" is Mr Bennet: the one Mrs Bennet of the story.

    The possessive is read as coreference resolved it; the relative is the one other
    character of that family name under a title of the right sex ("her husband" of Mrs
    Griffin is Mr Griffin, "his mother" of Henry Tilney is Mrs Tilney).
    """
    tokens = doc.tokens
    assert tokens is not None

    def word(k: int) -> str:
        return doc.text[tokens.start[k] : tokens.end[k]].lower()

    after = window[position + 1 : position + 3]
    before = window[max(0, position - 2) : position]
    for pair in (after, before):
        if (
            len(pair) == 2
            and word(pair[0]) in ("his", "her")
            and word(pair[1]) in (_SPOUSES_AND_PARENTS)
        ):
            possessive, kin = pair
            break
    else:
        return None
    mention = _mention_at(mentions, starts, tokens.start[possessive])
    owner = characters.get(mention.character or "") if mention is not None else None
    if owner is None:
        return None
    surnames = {parse(n).surname for n in (owner.name, *owner.aliases)} - {None}
    sex = _SPOUSES_AND_PARENTS[word(kin)]
    found = [
        c.id
        for c in characters.values()
        if c.id != owner.id
        and not c.described
        and any(
            (parts := parse(n)).surname in surnames and parts.title in _FAMILY_TITLES[sex]
            for n in (c.name, *c.aliases)
        )
    ]
    return found[0] if len(found) == 1 else None


def _possessor(
    doc: Document, window: list[int], position: int, mentions: list[Mention], starts: list[int]
) -> str | None:
    """The character a description's "his" or "her" is, as coreference resolved it
    ("said his step-son", "her sister replied")."""
    tokens = doc.tokens
    assert tokens is not None
    after = window[position + 1 : position + 2]
    before = window[max(0, position - 5) : position][::-1]
    for k in (*after, *before):
        if doc.text[tokens.start[k] : tokens.end[k]].lower() in ("his", "her"):
            mention = _mention_at(mentions, starts, tokens.start[k])
            return mention.character if mention is not None else None
    return None


# A described speaker ("said the tinker") may be someone the story names elsewhere ("the
# old gentleman" is Mr Brownlow) or somebody it never names. Each description becomes a
# character of its own, one per description and document; the ranker weighs it against
# the named candidates, and it stays only if it is given some quotation.
_ARTICLES = frozenset({"the", "a", "an", "this", "that"})
_PHRASE_OPENERS = _ARTICLES | POSSESSIVES
_DESCRIBING_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "VBN", "HYPH"})


def _epithet_phrase(doc: Document, window: list[int], position: int) -> str | None:
    """The description next to a speech verb, article first: "the old gentleman"."""
    tokens = doc.tokens
    assert tokens is not None

    def word(k: int) -> str:
        return doc.text[tokens.start[k] : tokens.end[k]].lower()

    after = window[position + 1 : position + 6]
    if after and word(after[0]) in _PHRASE_OPENERS:
        words = [after[0]]
        for k in after[1:]:
            if tokens.tag[k] not in _DESCRIBING_TAGS:
                break
            words.append(k)
    else:
        before = window[max(0, position - 5) : position]
        articles = [n for n, k in enumerate(before) if word(k) in _PHRASE_OPENERS]
        if not articles:
            return None
        words = before[articles[-1] :]
        if any(tokens.tag[k] not in _DESCRIBING_TAGS for k in words[1:]):
            return None
    while len(words) > 1 and tokens.tag[words[-1]] not in ("NN", "NNS"):
        words.pop()
    if len(words) < 2 or not all(
        word(k).replace("-", "").isalpha() for k in words if word(k) != "-"
    ):
        return None
    # "his step-son": the hyphen's tokens are one word.
    return " ".join(doc.text[tokens.start[words[0]] : tokens.end[words[-1]]].lower().split())


def _described_characters(doc: Document, descriptions: dict[str, list[_Turn]]) -> None:
    """A character for each description of a speaker, its turns pointing at it. Those
    left over from an earlier run over the same document go first."""
    characters = doc.analysis.characters
    characters[:] = [
        c
        for c in characters
        if not c.id.startswith(DESCRIBED_PREFIX) or c.id.startswith(NARRATED_PREFIX)
    ]
    by_key: dict[tuple[bool, str], list[str]] = {}
    for phrase in descriptions:
        # Without its article, "a tinker" is "the tinker"; "her aunt" stays a relation.
        determiner, _, rest = phrase.partition(" ") if " " in phrase else ("", "", phrase)
        by_key.setdefault((determiner in POSSESSIVES, rest), []).append(phrase)
    titled = _titled_characters(characters)
    # "said nanny" where the story also writes "Nanny": that character.
    one_word = {c.name.lower(): c.id for c in characters if " " not in c.name}
    for n, ((possessive, key), phrases) in enumerate(by_key.items()):
        head = key.split()[-1]
        linkable = head in _KIN_TITLES if possessive else head not in _GENERIC_TITLES
        named = (titled.get(head) or one_word.get(head)) if linkable else None
        if named is not None:
            # "the parson" is Parson Tringham, "the doctor" Dr Archie, "her aunt" Aunt
            # Juley: the only character whose name has that title. That is the rules'
            # pick too, as sure as a name, before any reading of "she" the description's
            # sex would suggest.
            for phrase in phrases:
                for turn in descriptions[phrase]:
                    turn.described = named
                    if turn.speaker is None or turn.speaker.startswith(_PENDING):
                        turn.speaker, turn.how = named, "explicit"
                        turn.pronoun = None
            continue
        gender = "M" if head in MALE_NOUNS else "F" if head in FEMALE_NOUNS else None
        ordered = sorted(phrases, key=lambda p: -len(descriptions[p]))
        character = Character(
            id=f"{DESCRIBED_PREFIX}{n}",
            name=ordered[0],
            aliases=ordered[1:],
            gender=gender,
            described=True,
        )
        characters.append(character)
        for phrase in phrases:
            for turn in descriptions[phrase]:
                turn.described = character.id
                if turn.speaker is None:
                    # "said the solicitor": a description that tells no gender cannot be
                    # read as "he said"; the one described speaks, not whoever's turn it is.
                    turn.speaker, turn.how = character.id, "described"


# Titles that are also plain nouns ("the lady", "his master") name no one in particular.
_GENERIC_TITLES = frozenset({"lady", "lord", "master", "mistress", "miss", "sir", "madam"})
# Titles a relation goes by ("Aunt Juley"): "her aunt" may be that one.
_KIN_TITLES = frozenset(
    {
        "aunt",
        "auntie",
        "uncle",
        "cousin",
        "grandmother",
        "grandfather",
        "grandma",
        "grandpa",
        "granny",
        "gran",
    }
)
_TITLE_WORDS = {"dr": "doctor", "prof": "professor", "capt": "captain", "sgt": "sergeant"}


def _titled_characters(characters: list[Character]) -> dict[str, str]:
    """Title word ("doctor", "parson", "captain") -> the one named character it opens."""
    owners: dict[str, set[str]] = {}
    for character in characters:
        for name in (character.name, *character.aliases):
            words = name.replace(".", " ").split()
            if len(words) >= 2 and words[0][:1].isupper():
                word = words[0].lower()
                owners.setdefault(_TITLE_WORDS.get(word, word), set()).add(character.id)
    return {word: next(iter(ids)) for word, ids in owners.items() if len(ids) == 1}


def _epithet_gender(doc: Document, window: list[int], position: int) -> str | None:
    """The gender the description next to a speech verb tells, if any."""
    tokens = doc.tokens
    assert tokens is not None
    near = [
        *window[position + 1 : position + 5],
        *reversed(window[max(0, position - 4) : position]),
    ]
    for k in near:
        word = doc.text[tokens.start[k] : tokens.end[k]].lower()
        if word in MALE_NOUNS or (word.endswith("man") and not word.endswith("woman")):
            return "M" if word.isalpha() else None
        if word in FEMALE_NOUNS or word.endswith("woman"):
            return "F"
    return None


# Two-word tags: "cut in", "pointed out", "broke in", "went on".
_PHRASAL = {
    "cut": "in",
    "pointed": "out",
    "broke": "in",
    "put": "in",
    "spoke": "up",
    "went": "on",
    "chimed": "in",
    "piped": "up",
    "called": "out",
    "burst": "out",
}
_PREPOSITIONS = frozenset(
    {
        "to",
        "at",
        "with",
        "toward",
        "towards",
        "from",
        "for",
        "of",
        "on",
        "upon",
        "by",
        "about",
        "behind",
        "beside",
        "after",
    }
)


def _phrasal_tag(doc: Document, window: list[int], position: int, word: str) -> bool:
    tokens = doc.tokens
    assert tokens is not None
    particle = _PHRASAL.get(word)
    if particle is None or position + 1 >= len(window):
        return False
    k = window[position + 1]
    return doc.text[tokens.start[k] : tokens.end[k]].lower() == particle


def _after_preposition(doc: Document, k: int) -> bool:
    tokens = doc.tokens
    assert tokens is not None
    if k == 0:
        return False
    j = k - 1
    if doc.text[tokens.start[j] : tokens.end[j]].lower() in ("the", "a", "an") and j > 0:
        j -= 1
    return doc.text[tokens.start[j] : tokens.end[j]].lower() in _PREPOSITIONS


_DETERMINERS = frozenset({"the", "a", "an", "another", "his", "her", "their", "my", "one", "some"})


# Household roles that a story may use as a name, in lower case and without an article:
# "said nanny", "mother said".
_ROLE_NAMES = frozenset(
    "nanny nurse mother father mummy daddy mum dad mama papa granny grandma grandpa cook "
    "matron".split()
)


def _role_name(doc: Document, window: list[int], position: int) -> str | None:
    """A lower-case role word used as a name next to the speech verb, if there is one."""
    tokens = doc.tokens
    assert tokens is not None

    def word(k: int) -> str:
        return doc.text[tokens.start[k] : tokens.end[k]]

    after = window[position + 1 : position + 2]
    if after and word(after[0]) in _ROLE_NAMES:
        return word(after[0])
    # "nanny said", but not "the nanny said" or "her old nurse said"
    if (
        position >= 1
        and word(window[position - 1]) in _ROLE_NAMES
        and (position < 2 or not word(window[position - 2]).isalpha())
    ):
        return word(window[position - 1])
    return None


def _epithet_next_to(doc: Document, window: list[int], position: int) -> bool:
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    after = window[position + 1 : position + 2]
    if after and text[tokens.start[after[0]] : tokens.end[after[0]]].lower() in _DETERMINERS:
        return True
    before = window[max(0, position - 4) : position]
    if before and tokens.tag[before[-1]] in ("NN", "NNS"):
        return any(text[tokens.start[k] : tokens.end[k]].lower() in _DETERMINERS for k in before)
    return False


def _mention_at(mentions: list[Mention], starts: list[int], offset: int) -> Mention | None:
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0 and mentions[k].start <= offset < mentions[k].end:
        return mentions[k]
    return None


def _by_gender(
    gender: str,
    quote: Quote,
    doc: Document,
    characters: dict[str, Character],
    exclude: str | None = None,
) -> str | None:
    """The character of this gender most salient just before the quotation: in the
    nearest sentence of narration that names one, the first named (the subject, as a
    rule: "Jock stopped to talk to Beaver. 'Well,' he said")."""
    tokens = doc.tokens
    assert tokens is not None
    best: Mention | None = None
    best_sentence = -1
    for mention in doc.mentions_before(quote.start):
        if quote.paragraph - mention.paragraph > 4:
            break
        if mention.in_quote or mention.character is None:
            continue
        character = characters.get(mention.character)
        if character is None or character.gender != gender or character.id == exclude:
            continue
        sentence = _sentence_of(tokens, mention.start)
        if best is not None and sentence != best_sentence:
            break  # the nearest sentence with a candidate is done
        best, best_sentence = mention, sentence
    return best.character if best is not None else None


def _sentence_of(tokens: Tokens, offset: int) -> int:
    """The index of the token that starts the sentence holding ``offset``."""
    i = min(tokens.index_at(offset), len(tokens) - 1)
    while i > 0 and not tokens.sent_start[i]:
        i -= 1
    return i


def _next_quote_start(doc: Document, quote: Quote) -> int:
    for other in doc.analysis.quotes[quote.id + 1 :]:
        if other.paragraph != quote.paragraph:
            break
        if other.nested_in is None:
            return other.start
    return _paragraph_span(doc, quote)[1]


def _previous_quote_end(doc: Document, quote: Quote) -> int:
    for other in reversed(doc.analysis.quotes[: quote.id]):
        if other.paragraph != quote.paragraph:
            break
        if other.nested_in is None:
            return other.end
    return _paragraph_span(doc, quote)[0]


def _paragraph_span(doc: Document, quote: Quote) -> tuple[int, int]:
    paragraphs = doc.analysis.paragraphs()
    span = paragraphs[quote.paragraph]
    return span.start, span.end


def _inside_any_quote(doc: Document, offset: int, paragraph: int) -> bool:
    return any(q.start <= offset < q.end for q in doc.analysis.quotes if q.paragraph == paragraph)


def _conversations(
    doc: Document, turns: dict[int, _Turn], characters: dict[str, Character]
) -> None:
    """Continuations and turn-taking over the sequence of spoken turns."""
    ordered = sorted(turns.values(), key=lambda t: t.quote.start)
    history: list[_Turn] = []  # attributed first parts of utterances, in this conversation
    last_paragraph = -10
    for turn in ordered:
        quote = turn.quote
        if quote.paragraph - last_paragraph > _CONVERSATION_GAP + 1:
            history = []
        last_paragraph = quote.paragraph
        if quote.continues is not None:
            root = turns.get(quote.continues)
            if root is not None and root.speaker is not None:
                turn.speaker, turn.how = root.speaker, "continued"
            continue
        if (
            turn.how == "epithet"
            and _unnamed(turn) is not None
            and turn.pronoun is not None
            and _participant_of_gender(turn.pronoun, turn, history, characters, doc.narrator)
            is None
        ):
            # "said the man" with no man in the conversation: someone new, not the man
            # the narration happened to name last.
            turn.speaker, turn.how = turn.described, "described"
        elif turn.speaker is not None and turn.speaker.startswith(_PENDING):
            turn.speaker = _resolve_pronoun(turn, history, doc, characters)
        elif turn.how == "anaphoric" and turn.pronoun is not None:
            # Coreference chose; the conversation's own reading is a second opinion.
            turn.participant = _participant_of_gender(
                turn.pronoun, turn, history, characters, doc.narrator
            )
        if turn.speaker is None:
            turn.speaker, turn.how = _take_turn(turn, history, doc=doc, characters=characters)
        if turn.speaker is not None and turn.speaker in turn.addressed and turn.how != "explicit":
            # The vocative rule: nobody calls themselves by name. A tag that names the
            # speaker outweighs it ('"Mary Datchet," said Mary': she gives her name).
            if _unnamed(turn) is not None:
                # '"Hey Daniel," called the postman': not Daniel, so the one described.
                turn.speaker, turn.how = turn.described, "described"
            else:
                turn.speaker, turn.how = _take_turn(
                    turn, history, exclude=turn.speaker, doc=doc, characters=characters
                )
        if turn.speaker is not None and (
            not history
            or history[-1].quote.paragraph != quote.paragraph
            or history[-1].speaker != turn.speaker
        ):
            history.append(turn)


def _unnamed(turn: _Turn) -> str | None:
    """The character a tag describes ("said the postman"), when the story never names it."""
    described = turn.described
    return described if described is not None and described.startswith(DESCRIBED_PREFIX) else None


def _resolve_pronoun(
    turn: _Turn, history: list[_Turn], doc: Document, characters: dict[str, Character]
) -> str | None:
    """ "he said" in a conversation: the participant of that gender whose turn it is."""
    assert turn.speaker is not None
    gender, _, resolved = turn.speaker[len(_PENDING) :].partition(":")
    return _participant_of_gender(gender, turn, history, characters, doc.narrator) or (
        resolved or _by_gender(gender, turn.quote, doc, characters, exclude=turn.owner)
    )


def _participant_of_gender(
    gender: str,
    turn: _Turn,
    history: list[_Turn],
    characters: dict[str, Character],
    narrator: str | None = None,
) -> str | None:
    """The participant of the conversation of that gender whose turn it is, if any."""
    participants: list[str] = []
    for earlier in reversed(history[-6:]):
        if earlier.speaker and earlier.speaker not in participants:
            participants.append(earlier.speaker)
    # "he said" in a first-person story is never the one who says "I"; "said his
    # step-son" is not whoever "his" is.
    same = [
        p
        for p in participants
        if characters[p].gender == gender and p != narrator and p != turn.owner
    ]
    if len(same) >= 2 and history:
        # Two men talking: "he said" is the one who did not speak last.
        return next((p for p in same if p != history[-1].speaker), same[0])
    if len(same) == 1 and (
        not history
        or history[-1].speaker != same[0]
        or turn.quote.paragraph == history[-1].quote.paragraph
    ):
        return same[0]
    return None


def _take_turn(
    turn: _Turn,
    history: list[_Turn],
    exclude: str | None = None,
    doc: Document | None = None,
    characters: dict[str, Character] | None = None,
) -> tuple[str | None, str | None]:
    """Who speaks next in a conversation: the one spoken to, or the one before last."""
    previous = history[-1] if history else None
    if previous is not None and previous.quote.paragraph == turn.quote.paragraph:
        return previous.speaker, "continued"  # same paragraph, same speaker
    blocked = {exclude, *turn.addressed} - {None}
    if previous is not None:
        for addressed in previous.addressed:
            if addressed != previous.speaker and addressed not in blocked:
                return addressed, "turn"  # "Arthur, come here." - "Why?"
    seen: list[str] = []
    for earlier in reversed(history):
        if earlier.speaker and earlier.speaker not in seen:
            seen.append(earlier.speaker)
        if len(seen) == 2:
            break
    if len(seen) == 2 and seen[1] not in blocked:
        return seen[1], "turn"
    candidates = [s for s in seen if s not in blocked and (not previous or s != previous.speaker)]
    if candidates:
        return candidates[0], "turn"
    if blocked and previous is not None and previous.speaker not in blocked:
        return previous.speaker, "turn"  # the vocative rule: the same speaker goes on
    if previous is not None and previous.speaker and characters is not None and doc:
        # One voice known so far: the other is whoever the narration last brought on.
        other = _last_named_other(doc, turn.quote, previous.speaker, blocked)
        if other is not None:
            return other, "turn"
    return None, None


def _last_named_other(doc: Document, quote: Quote, speaker: str, blocked: set[str]) -> str | None:
    """The character last named in narration before the quotation, other than ``speaker``."""
    for mention in doc.mentions_before(quote.start):
        if quote.paragraph - mention.paragraph > 3:
            break
        if mention.in_quote or mention.character in (None, speaker) or mention.character in blocked:
            continue
        return mention.character
    return None


def _addressees(turns: dict[int, _Turn]) -> None:
    ordered = sorted(turns.values(), key=lambda t: t.quote.start)
    for n, turn in enumerate(ordered):
        quote = turn.quote
        if quote.speaker is None:
            continue
        named = [c for c in turn.addressed if c != quote.speaker]
        if named:
            quote.addressees = named
            continue
        # Otherwise the other side of the conversation: the nearest other speaker.
        for neighbour in (*reversed(ordered[max(0, n - 3) : n]), *ordered[n + 1 : n + 3]):
            other = neighbour.quote.speaker
            if (
                other
                and other != quote.speaker
                and abs(neighbour.quote.paragraph - quote.paragraph) <= 3
            ):
                quote.addressees = [other]
                break


def _count_speech(characters: list[Character], quotes: list[Quote]) -> None:
    by_id = {c.id: c for c in characters}
    for character in characters:
        character.quotes = 0
        character.words_spoken = 0
    for quote in quotes:
        character = by_id.get(quote.speaker or "")
        if character is None:
            continue
        if quote.continues is None:
            character.quotes += 1
        character.words_spoken += len(quote.text.split())
