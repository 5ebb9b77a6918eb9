"""Stage ``descriptions``: the people the narration brings on without a name.

"A girl stood in the road. [...] 'What you run for?' she asked." The girl has no name, but
she is the one who asks: a reader takes "a girl" as someone new, "the girl" after it as
the same one, and "she" as her while she is the woman in view. This stage reads those
descriptions in the narration as mentions of described characters, so that coreference
and the speakers stage can weigh them beside the named ones.

A description is a determiner, up to three modifiers and a noun that names a person
("a tall man", "the old woman", "this cheery-looking girl"). An indefinite one ("a girl")
brings on someone new; a definite one ("the girl") is the latest of that noun brought on
nearby. A description that predicates ("he was a tall man") or compares ("like a girl")
is no mention: it says what someone already there is. Described characters who never
speak nor are spoken to are dropped again by the speakers stage.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ficlens.document import Document, Mention
from ficlens.model import Character
from ficlens.nlp.lexicon import FEMALE_NOUNS, MALE_NOUNS

# Described characters of the narration: "dn0", "dn1"... Their ids open with the prefix
# of all described speakers ("d"), which the speakers stage and its ranker know them by.
NARRATED_PREFIX = "dn"

_INDEFINITE = frozenset({"a", "an"})
_DEFINITE = frozenset({"the", "this", "that"})
# Relations ("the mother") and ranks ("the king") are someone's, and mostly named.
_PERSON_NOUNS = frozenset(
    """
    man boy gentleman lad fellow youth stranger woman girl lady lass maid
    """.split()
)
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "VBN", "HYPH"})
_MAX_MODIFIERS = 3
# Words before a description that make it say what someone is, not bring someone on.
_PREDICATING = frozenset(
    """
    is was were are am be been being 's became become becomes seemed seems remained
    as like than such quite rather what not
    """.split()
)
# "The girl" this many paragraphs after "a girl" is still she.
_REACH = 30


@dataclass
class _Described:
    character: Character
    head: str
    modifiers: str
    paragraph: int
    phrases: list[str] = field(default_factory=list)


def descriptions_stage(doc: Document) -> None:
    """Pipeline stage: add the narration's described people as characters and mentions."""
    tokens = doc.tokens
    assert tokens is not None
    text = doc.text
    quote_spans = sorted((q.text_start, q.text_end) for q in doc.analysis.quotes)
    quote_starts = [s for s, _ in quote_spans]
    taken = [(m.start, m.end) for m in doc.mentions]
    taken_starts = [s for s, _ in taken]
    described: list[_Described] = []
    found: list[Mention] = []

    def word(k: int) -> str:
        return text[tokens.start[k] : tokens.end[k]]

    for i in range(len(tokens) - 1):
        determiner = word(i).lower()
        indefinite = determiner in _INDEFINITE
        if not indefinite and determiner not in _DEFINITE:
            continue
        j = i + 1
        while j < len(tokens) and j - i <= _MAX_MODIFIERS and tokens.tag[j] in _MODIFIER_TAGS:
            j += 1
        if j >= len(tokens) or tokens.paragraph[j] != tokens.paragraph[i]:
            continue
        head = word(j)
        if head not in _PERSON_NOUNS or not tokens.tag[j].startswith("NN"):
            continue
        if j + 1 < len(tokens) and tokens.tag[j + 1] == "NNP":
            continue  # "the young man Wickham": a name follows
        if i > 0 and word(i - 1).lower() in _PREDICATING:
            continue
        start, end = tokens.start[i], tokens.end[j]
        k = bisect.bisect_right(quote_starts, start) - 1
        if k >= 0 and quote_spans[k][0] <= start < quote_spans[k][1]:
            continue  # in a quotation: the speaker's words, not the narration's
        m = bisect.bisect_right(taken_starts, end) - 1
        if m >= 0 and taken[m][1] > start:
            continue  # part of a name ("the Old Man" as a title)
        paragraph = tokens.paragraph[i]
        modifiers = " ".join(word(n).lower() for n in range(i + 1, j))
        if not indefinite:
            entity = _antecedent(described, head, modifiers, paragraph)
            if entity is None:
                # "The young man" with no one brought on before: most often a named man.
                continue
        else:
            gender = "M" if head in MALE_NOUNS else "F" if head in FEMALE_NOUNS else None
            character = Character(
                id=f"{NARRATED_PREFIX}{len(described)}",
                name=" ".join(w for w in ("the", modifiers, head) if w),
                gender=gender,
                described=True,
            )
            entity = _Described(character, head, modifiers, paragraph)
            described.append(entity)
        entity.paragraph = paragraph
        phrase = text[start:end]
        if phrase.lower() not in entity.phrases:
            entity.phrases.append(phrase.lower())
        found.append(
            Mention(start, end, phrase, "description", paragraph, False, entity.character.id)
        )
    for entity in described:
        entity.character.aliases = [p for p in entity.phrases if p != entity.character.name]
        doc.analysis.characters.append(entity.character)
    doc.mentions = sorted([*doc.mentions, *found], key=lambda m: m.start)


def _antecedent(
    described: list[_Described], head: str, modifiers: str, paragraph: int
) -> _Described | None:
    """The described person "the old man" refers back to, if one was brought on nearby."""
    for entity in reversed(described):
        if paragraph - entity.paragraph > _REACH:
            continue
        if entity.head == head and (not modifiers or modifiers == entity.modifiers):
            return entity
    return None
