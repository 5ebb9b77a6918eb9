"""People the story never names but lets speak: "said the keeper", "the old woman cried".

A definite description that is the subject of a speech tag is somebody; ficlens makes a
character of it ("the keeper"), so its lines, beats and turns have a speaker. Every later
"the keeper" in the narration is a mention of the same character. Descriptions that merely
vary a named character's name ("the detective" for Sherlock) are left to the speaker
ranker's context for now: linking them is a later refinement.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from ficlens.document import Document, Mention
from ficlens.model import Character
from ficlens.nlp.lexicon import SPEECH_VERBS

# Heads that look like people in a tag but are not ("said the voice" is a someone, but
# "said the other" and "said the latter" point back at a named character).
_NOT_PEOPLE = frozenset(
    """
    other others latter former first second third last same one rest whole voice voices
    thing things way door time day night moment words word answer reply note letter sign
    paper card message book story news silence
    """.split()
)
# A head noun's gender, for "he said" after "said the keeper".
_MALE = frozenset(
    """
    man boy gentleman lad fellow father son brother uncle husband king prince lord sir
    policeman waiter butler footman landlord master monk priest squire duke earl baron
    grandfather nephew youth groom bridegroom sailor soldier
    """.split()
)
_FEMALE = frozenset(
    """
    woman girl lady lass mother daughter sister aunt wife queen princess maid housemaid
    landlady mistress nun nurse grandmother niece bride governess duchess countess widow
    """.split()
)
_MAX_WORDS = 4  # "the old gentleman in the white waistcoat" is cut to its first noun run
_ARTICLE = re.compile(r"the\s+", re.IGNORECASE)


def find_epithets(doc: Document, quote_spans: list[tuple[int, int]]) -> dict[str, int]:
    """Descriptions ("the keeper") that are the subject of a speech tag, with their counts."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    starts = [s for s, _ in quote_spans]

    def inside(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and quote_spans[k][0] <= offset < quote_spans[k][1]

    def word(i: int) -> str:
        return text[tokens.start[i] : tokens.end[i]]

    found: Counter[str] = Counter()
    n = len(tokens)
    for i in range(n):
        if word(i).lower() not in SPEECH_VERBS or inside(tokens.start[i]):
            continue
        # '"...," said the keeper': the description follows a verb that follows the quote
        # ("Tom sighed the long sigh" is no tag).
        after_quote = i > 0 and not word(i - 1)[-1:].isalnum()
        if after_quote and i + 2 < n and word(i + 1).lower() == "the":
            phrase = _noun_run(doc, i + 2, forward=True)
            if phrase:
                found[phrase] += 1
                continue
        # "the keeper said": it ends right before the verb.
        phrase = _noun_run(doc, i - 1, forward=False)
        if phrase:
            found[phrase] += 1
    return dict(found)


def _noun_run(doc: Document, i: int, *, forward: bool) -> str | None:
    """ "the [adjectives] noun" starting after "the" (forward) or ending at ``i``."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    n = len(tokens)
    if not 0 <= i < n:
        return None
    if forward:
        j = i
        while j < n and j - i < _MAX_WORDS and tokens.tag[j] in ("JJ", "NN", "NNP", "VBN"):
            j += 1
        # The run ends at its last noun: "the old keeper" not "the old".
        while j > i and tokens.tag[j - 1] not in ("NN", "NNP"):
            j -= 1
        if j == i or (j < n and tokens.tag[j] in ("NNS", "NNPS", "POS")):
            return None
        first, last = i, j - 1
        if first > 0 and text[tokens.start[first - 1] : tokens.end[first - 1]].lower() != "the":
            return None
        the = first - 1
    else:
        last = i
        if tokens.tag[last] not in ("NN", "NNP"):
            return None
        first = last
        while (
            first - 1 >= 0
            and last - first < _MAX_WORDS - 1
            and tokens.tag[first - 1] in ("JJ", "NN", "NNP", "VBN")
        ):
            first -= 1
        the = first - 1
        if the < 0 or text[tokens.start[the] : tokens.end[the]].lower() != "the":
            return None
        if tokens.paragraph[the] != tokens.paragraph[last]:
            return None
    head = text[tokens.start[last] : tokens.end[last]].lower()
    if head in _NOT_PEOPLE or not head.isalpha():
        return None
    words = text[tokens.start[the] : tokens.end[last]].split()
    return " ".join(["the", *(w.lower() if w[0].islower() else w for w in words[1:])])


def epithet_characters(
    doc: Document,
    quote_spans: list[tuple[int, int]],
    known_names: set[str],
    first_id: int,
) -> tuple[list[Character], list[Mention]]:
    """Characters for the descriptions that speak, and all their mentions in narration."""
    epithets = {
        phrase: count
        for phrase, count in find_epithets(doc, quote_spans).items()
        if phrase.split(" ", 1)[1].lower() not in known_names
    }
    if not epithets:
        return [], []
    starts = [s for s, _ in quote_spans]
    characters: list[Character] = []
    mentions: list[Mention] = []
    paragraphs = doc.analysis.paragraphs()
    paragraph_starts = [p.start for p in paragraphs]
    for n, phrase in enumerate(sorted(epithets, key=lambda p: (-epithets[p], p))):
        character = Character(id=f"c{first_id + n}", name=phrase, gender=_gender(phrase))
        rest = r"\s+".join(re.escape(w) for w in phrase.split()[1:])
        pattern = re.compile(rf"\b[Tt]he\s+{rest}\b(?!['’]s\b)")
        for match in pattern.finditer(doc.text):
            k = bisect.bisect_right(starts, match.start()) - 1
            if k >= 0 and quote_spans[k][0] <= match.start() < quote_spans[k][1]:
                continue
            p = bisect.bisect_right(paragraph_starts, match.start()) - 1
            if p < 0 or match.start() >= paragraphs[p].end:
                continue  # in a note or heading, not the story
            mentions.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(),
                    "epithet",
                    p,
                    character=character.id,
                )
            )
            character.mentions += 1
        if character.mentions:
            characters.append(character)
    return characters, mentions


def _gender(phrase: str) -> str | None:
    head = phrase.split()[-1].lower()
    if head in _MALE or (head.endswith("man") and head not in ("woman",)):
        return "M" if not head.endswith("woman") else "F"
    if head in _FEMALE or head.endswith("woman"):
        return "F"
    return None
