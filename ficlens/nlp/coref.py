"""Stage ``coref``: resolve he/she/him/her/his/hers to characters, and learn genders.

Gender first: a character's pronoun is the one that follows their name when they are the
only character in the sentence ("Merlin stared at the pot. He ..."). Then each
third-person pronoun in narration goes to the most salient character of its gender:
recently mentioned, preferably as the subject of a sentence. Inside quotations "I" and
"you" are the speaker and the addressee; the speakers stage handles those.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from ficlens.document import Document, Mention, Tokens
from ficlens.model import Character
from ficlens.nlp.lexicon import SPEECH_VERBS
from ficlens.nlp.names import given_name_gender, normalise

PRONOUN_GENDER = {
    "he": "M",
    "him": "M",
    "his": "M",
    "himself": "M",
    "she": "F",
    "her": "F",
    "hers": "F",
    "herself": "F",
}
# How far back (in paragraphs) a pronoun may look for its character.
_WINDOW = 3
_SUBJECT_WORDS = 4  # a sentence's subject stands among its first words ("Then he looked")
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "hers", "their"})
_OVERRIDE_NAME = 3  # unanimous "he"/"she" votes that outweigh a given name's gender


def coref_stage(doc: Document) -> None:
    """Pipeline stage: add resolved pronoun mentions and set each character's gender."""
    assert doc.tokens is not None
    quote_spans = sorted((q.text_start, q.text_end) for q in doc.analysis.quotes)
    pronouns = _pronouns(doc, quote_spans)
    narrator = _narrator(doc, quote_spans)
    if narrator is not None:
        doc.narrator = narrator[0].id
        if narrator[0] not in doc.analysis.characters:
            doc.analysis.characters.append(narrator[0])
    characters = {c.id: c for c in doc.analysis.characters}
    _learn_genders(doc, pronouns, characters)
    resolved = resolve_pronouns(doc.mentions, pronouns, characters, doc.tokens)
    doc.mentions = sorted([*doc.mentions, *resolved], key=lambda m: m.start)
    counts = Counter(m.character for m in doc.mentions)
    for character in characters.values():
        character.mentions = counts.get(character.id, 0)
    if narrator is not None:
        # "I" counts as a mention of the narrator, but stays out of ``doc.mentions``: the
        # narrator is the speaker of "I said" tags, not a candidate for every beat.
        narrator[0].mentions += len(narrator[1])
    _renumber(doc)


# First-person narration: "I", "me", "my" outside quotations, often enough to be the
# story's voice rather than an aside ("I have said that Oliver...").
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
_NARRATOR_MIN = 5
_NARRATOR_SHARE = 0.005  # of the narration's tokens
NARRATOR_ID = "narrator"


def _narrator(
    doc: Document, quote_spans: list[tuple[int, int]]
) -> tuple[Character, list[Mention]] | None:
    """The first-person narrator as a character, with its mentions, when the story has one."""
    tokens = doc.tokens
    assert tokens is not None
    starts = [s for s, _ in quote_spans]
    narration = 0
    found = []
    for i, tag in enumerate(tokens.tag):
        k = bisect.bisect_right(starts, tokens.start[i]) - 1
        if k >= 0 and quote_spans[k][0] <= tokens.start[i] < quote_spans[k][1]:
            continue
        narration += 1
        word = doc.text[tokens.start[i] : tokens.end[i]]
        if tag in ("PRP", "PRP$") and word.lower() in _FIRST_PERSON:
            found.append(
                Mention(tokens.start[i], tokens.end[i], word, "pronoun", tokens.paragraph[i])
            )
    if len(found) < max(_NARRATOR_MIN, narration * _NARRATOR_SHARE):
        return None
    named = _named_narrator(doc)
    for mention in found:
        mention.character = named.id if named is not None else NARRATOR_ID
    if named is not None:
        return named, found
    return Character(id=NARRATOR_ID, name="Narrator", aliases=["I"]), found


def _named_narrator(doc: Document) -> Character | None:
    """The named character who is the narrator: others call them by name in dialogue, but
    the narration, which says "I", almost never names them ("Pip, come here"). Failing
    that, the one others keep speaking to by name in lines the narrator does not speak."""
    in_quotes: Counter[str] = Counter()
    in_narration: Counter[str] = Counter()
    for mention in doc.mentions:
        if mention.character is not None and mention.kind != "pronoun":
            (in_quotes if mention.in_quote else in_narration)[mention.character] += 1
    fits = [
        (count, cid)
        for cid, count in in_quotes.items()
        if count >= 3 and in_narration[cid] <= count * 0.2
    ]
    if fits:
        best = max(fits)[1]
        return next((c for c in doc.analysis.characters if c.id == best), None)
    addressed = _most_addressed_in_replies(doc)
    if addressed is None:
        return None
    best, surface = addressed
    character = next((c for c in doc.analysis.characters if c.id == best), None)
    if character is None or not in_narration[best] or character.name == surface:
        return character
    # "Rudolf" is called so in dialogue, while the narration names "Prince Rudolf", an
    # ancestor the clustering joined to him: the narrator is a character of their own,
    # under the name others call them, with the lines that call them so.
    narrator = Character(id=NARRATOR_ID, name=surface, aliases=["I"], gender=character.gender)
    for mention in doc.mentions:
        if mention.character == best and mention.in_quote and normalise(mention.text) == surface:
            mention.character = NARRATOR_ID
    character.aliases = [a for a in character.aliases if a != surface]
    return narrator


# Punctuation that closes a name spoken to someone: "Do take it, Rudolf -- to please me."
_VOCATIVE_AFTER = (",", ".", "!", "?", "--", "—", ";", '"', "”", "'", "’")
# What opens a name spoken to someone: a line's start, a comma, "My dear", "Oh".
_VOCATIVE_OPENS = re.compile(r"(?:^|[,\"“'‘.!?—]|--|\b(?:[Dd]ear|[Oo]h|O))\s*$")
# A character must be called by name this often, in lines the narrator does not speak.
_ADDRESSED_MIN = 2


def _most_addressed_in_replies(doc: Document) -> tuple[str, str] | None:
    """The character others keep calling by name ("I think, Watson, that...") in lines
    the narrator does not speak, whom the narrator never calls so, and whom the narration
    seldom makes the subject of a sentence.

    Others speak to the narrator by name, but the narration, which says "I", does not
    name them: this holds even when a namesake ("Prince Rudolf", an ancestor) is named in
    the narration and shares the narrator's name. Someone the narrator speaks to by name
    ('"My dear Holmes," said I') is someone else.
    """
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    speaks = _narrator_lines(doc)
    line_starts = sorted(q.text_start for q in doc.analysis.quotes)
    addressed: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)  # how each is called
    by_narrator: set[str] = set()
    subject: Counter[str] = Counter()
    for mention in doc.mentions:
        if mention.character is None or mention.kind == "pronoun":
            continue
        if not mention.in_quote:
            k = tokens.index_at(mention.end - 1) + 1
            if k < len(tokens) and tokens.tag[k] in ("VBD", "VBZ", "MD"):
                subject[mention.character] += 1  # "Holmes stared", "Pip will"
            continue
        if not _vocative(text, mention.start, mention.end):
            continue
        line = bisect.bisect_right(line_starts, mention.start) - 1
        if line >= 0 and line_starts[line] in speaks:
            by_narrator.add(mention.character)
        else:
            addressed[mention.character] += 1
            surfaces[mention.character][normalise(mention.text)] += 1
    fits = [
        (count, cid)
        for cid, count in addressed.items()
        if count >= _ADDRESSED_MIN and cid not in by_narrator and 2 * subject[cid] <= count
    ]
    if not fits:
        return None
    best = max(fits)[1]
    return best, surfaces[best].most_common(1)[0][0]


def _vocative(text: str, start: int, end: int) -> bool:
    """Is the name at text[start:end] spoken to: "Rudolf!", "Oh, Rudolf, how good"?"""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 3].lstrip()
    return bool(_VOCATIVE_OPENS.search(before)) and after.startswith(_VOCATIVE_AFTER)


_TAG_WINDOW = 6  # tokens on either side of a line where its "I said" tag may be


def _narrator_lines(doc: Document) -> set[int]:
    """Start offsets of the quotations tagged "I said", "said I", "I answered": the
    narrator's own lines. The tag sits right before or after the line, with no other
    line between."""
    tokens = doc.tokens
    assert tokens is not None
    spans = sorted((q.text_start, q.text_end) for q in doc.analysis.quotes)
    found = set()
    for n, (start, end) in enumerate(spans):
        after = tokens.index_at(end)
        before = tokens.index_at(start) - 1
        limit_after = spans[n + 1][0] if n + 1 < len(spans) else len(doc.text)
        limit_before = spans[n - 1][1] if n > 0 else 0
        window = [
            k
            for k in range(after, min(after + _TAG_WINDOW, len(tokens)))
            if tokens.start[k] < limit_after
        ] + [
            k
            for k in range(before, max(before - _TAG_WINDOW, -1), -1)
            if tokens.end[k] <= start and tokens.start[k] >= limit_before
        ]
        paragraph = tokens.paragraph[min(tokens.index_at(start), len(tokens) - 1)]
        words = {
            k: doc.text[tokens.start[k] : tokens.end[k]]
            for k in window
            if tokens.paragraph[k] == paragraph
        }
        for k, word in words.items():
            if word != "I":
                continue
            if any(
                words.get(v, "").lower() in SPEECH_VERBS and tokens.tag[v].startswith("VB")
                for v in (k - 1, k + 1, k + 2)
            ):
                found.add(start)
                break
    return found


def _renumber(doc: Document) -> None:
    """Most-mentioned first, now that pronouns count: "c0" is the lead."""
    # Described people keep their ids: the speakers stage knows them by their prefix.
    ordered = sorted(doc.analysis.characters, key=lambda c: (c.described, -c.mentions))
    new_ids = {c.id: c.id if c.described else f"c{n}" for n, c in enumerate(ordered)}
    if doc.narrator is not None:
        doc.narrator = new_ids[doc.narrator]
    for character in ordered:
        character.id = new_ids[character.id]
    for mention in doc.mentions:
        if mention.character is not None:
            mention.character = new_ids.get(mention.character)
    doc.analysis.characters = ordered


def _pronouns(doc: Document, quote_spans: list[tuple[int, int]]) -> list[Mention]:
    tokens = doc.tokens
    assert tokens is not None
    starts = [s for s, _ in quote_spans]
    found = []
    for i, tag in enumerate(tokens.tag):
        if tag not in ("PRP", "PRP$"):
            continue
        word = doc.text[tokens.start[i] : tokens.end[i]]
        if word.lower() not in PRONOUN_GENDER:
            continue
        k = bisect.bisect_right(starts, tokens.start[i]) - 1
        in_quote = k >= 0 and quote_spans[k][0] <= tokens.start[i] < quote_spans[k][1]
        found.append(
            Mention(tokens.start[i], tokens.end[i], word, "pronoun", tokens.paragraph[i], in_quote)
        )
    return found


def _learn_genders(
    doc: Document, pronouns: list[Mention], characters: dict[str, Character]
) -> None:
    """Vote on each character's gender from the pronouns that follow their name."""
    tokens = doc.tokens
    assert tokens is not None
    sentence_starts = [tokens.start[i] for i, s in enumerate(tokens.sent_start) if s]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in doc.mentions:
        if not mention.in_quote:
            by_sentence[bisect.bisect_right(sentence_starts, mention.start)].append(mention)
    subjects = _sentence_subjects(
        sorted([*doc.mentions, *(p for p in pronouns if not p.in_quote)], key=lambda m: m.start),
        tokens,
    )
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for pronoun in pronouns:
        # Only subject pronouns vote: in "Jim smiled at her", "her" is someone else.
        if pronoun.in_quote or pronoun.text.lower() not in ("he", "she"):
            continue
        sentence = bisect.bisect_right(sentence_starts, pronoun.start)
        for candidate_sentence in (sentence, sentence - 1):
            named = [m for m in by_sentence.get(candidate_sentence, []) if m.start < pronoun.start]
            if not named:
                continue
            # The one character named, as the subject of the sentence: in "She talked with
            # General Tilney, and she...", "she" is no vote for him.
            head = subjects.get(named[0].start)
            if (
                len({m.character for m in named}) == 1
                and head is not None
                and head.kind != "pronoun"
            ):
                votes[named[0].character][PRONOUN_GENDER[pronoun.text.lower()]] += 1
            break
    for character in characters.values():
        if character.gender is not None:
            continue
        (gender, count), (_, second), *_ = [*votes[character.id].most_common(), ("", 0), ("", 0)]
        decisive = count >= 2 * second and (count >= 2 or not second)
        # "Mary" is a woman unless every pronoun says otherwise: the votes are noisy (one
        # "he" after "Mary wished to say something." is her father, who speaks next).
        by_name = _given_name_gender(character)
        if by_name and not (gender != by_name and count >= _OVERRIDE_NAME and not second):
            character.gender = by_name
        elif decisive and count:
            character.gender = gender


def _given_name_gender(character: Character) -> str | None:
    """The gender every one-word name of the character has as a given name, if any."""
    genders = {
        given_name_gender(name)
        for name in (character.name, *character.aliases)
        if len(name.split()) == 1
    }
    genders.discard(None)
    return genders.pop() if len(genders) == 1 else None


def resolve_pronouns(
    names: list[Mention],
    pronouns: list[Mention],
    characters: dict[str, Character],
    tokens: Tokens | None = None,
) -> list[Mention]:
    """Each narration pronoun goes to the latest character of its gender nearby.

    With ``tokens``, "he" and "she" prefer the subject: when the latest mention of the
    gender stands in a sentence whose subject is of that gender too, the subject is meant
    ("Aziraphale looked down. Then he looked at Crowley. 'Well,' he said": Aziraphale).
    """
    names = sorted((m for m in names if not m.in_quote), key=lambda m: m.start)
    subject_of = _sentence_subjects(sorted([*names, *pronouns], key=lambda m: m.start), tokens)
    resolved: list[Mention] = []
    last: dict[str, Mention] = {}  # gender -> the last mention of that gender (incl. pronouns)
    subject: dict[str, Mention] = {}  # gender -> the subject of the sentence of that mention
    name_index = 0

    def saw(mention: Mention, gender: str) -> None:
        last[gender] = mention
        head = subject_of.get(mention.start)
        if head is not None and head is not mention:
            subject[gender] = head
        else:
            subject.pop(gender, None)

    for pronoun in pronouns:
        while name_index < len(names) and names[name_index].start < pronoun.start:
            mention = names[name_index]
            character = characters.get(mention.character or "")
            gender = character.gender if character else None
            if gender:
                saw(mention, gender)
            name_index += 1
        if pronoun.in_quote:
            continue
        gender = PRONOUN_GENDER[pronoun.text.lower()]
        antecedent = last.get(gender)
        if antecedent is None or pronoun.paragraph - antecedent.paragraph > _WINDOW:
            continue
        head = subject.get(gender)
        if (
            pronoun.text.lower() in ("he", "she")
            and head is not None
            and head.character is not None
            and characters.get(head.character) is not None
            and characters[head.character].gender == gender
            and subject_of.get(pronoun.start) is not head
        ):
            antecedent = head
        pronoun.character = antecedent.character
        resolved.append(pronoun)
        saw(pronoun, gender)
    return resolved


def _sentence_subjects(mentions: list[Mention], tokens: Tokens | None) -> dict[int, Mention]:
    """Mention start -> the subject of its sentence: its first mention, if that opens the
    sentence (within its first few words, before any verb) and is no possessive ("Then he
    looked at Crowley": "he"; not "McCoy's bottle went around"). Empty without tokens."""
    if tokens is None or not len(tokens):
        return {}
    sentence_starts = [i for i, s in enumerate(tokens.sent_start) if s]
    offsets = [tokens.start[i] for i in sentence_starts]
    out: dict[int, Mention] = {}
    current = -1
    head: Mention | None = None
    for mention in mentions:
        sentence = bisect.bisect_right(offsets, mention.start) - 1
        if sentence == current:
            if head is not None:
                out[mention.start] = head
            continue
        current = sentence
        first = sentence_starts[sentence] if sentence >= 0 else 0
        k = tokens.index_at(mention.start)
        opening = range(first, min(k, first + _SUBJECT_WORDS))
        head = (
            mention
            if k - first < _SUBJECT_WORDS
            and not any(tokens.tag[i].startswith("VB") for i in opening)
            and mention.text.lower() not in _POSSESSIVE_PRONOUNS
            and not (k + 1 < len(tokens) and tokens.tag[k + 1] == "POS")
            else None
        )
        if head is not None:
            out[mention.start] = head
    return out
