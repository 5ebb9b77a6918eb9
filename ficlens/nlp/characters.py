"""Stage ``characters``: find every character under all their names.

Two steps. Mentions: spaCy's PERSON entities, plus the names spaCy misses in fiction
(runs of proper nouns that are never tagged as places or organisations, "Captain X",
"Mrs X", "the Professor", names addressed inside quotes). Clusters: names are grouped
into characters by their parts: a full name anchors a character; a given name, surname,
title + surname or nickname joins the one character it fits, and stays apart when two
characters fit it ("Elliot" when the text shows Anne and Elizabeth Elliot).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ficlens.document import Document, Mention, Tokens
from ficlens.model import Character
from ficlens.nlp.lexicon import SPEECH_VERBS
from ficlens.nlp.names import (
    GREETINGS,
    KINSHIP,
    NOT_NAMES,
    RANK_TITLES,
    TITLES,
    NameParts,
    given_name_gender,
    nicknames,
    normalise,
    parse,
    same_given,
)

_PROPER = frozenset({"NNP", "NNPS"})
_NOT_PERSON = frozenset(
    {
        "GPE",
        "LOC",
        "ORG",
        "FAC",
        "NORP",
        "WORK_OF_ART",
        "PRODUCT",
        "EVENT",
        "LANGUAGE",
        "LAW",
        "DATE",
        "TIME",
    }
)
_CAPITALISED = re.compile(r"^[A-Z][\w'’.-]*$")
# A name several characters share goes to one of them named this recently (paragraphs).
_RECENT_PARAGRAPHS = 3
_COPULAS = frozenset({"was", "were", "had", "did", "became", "seemed", "lay", "stood"})
_CONNECTORS = frozenset({"de", "van", "von", "der", "den", "du", "da", "di", "le", "la", "St."})
# Tags that show a word is not a noun: "Revising" (VBG), "Tell" (VB), "Well" (UH, RB).
_NOT_NOUN_TAGS = frozenset(
    "VB VBD VBG VBN VBP VBZ MD UH RB RBR RBS IN DT CC WP WRB WDT PRP PRP$".split()
)
# Personal pronouns are never part of a name: "said I. He started" is no "I. He".
_PRONOUN_WORDS = frozenset("i he she it we they you me him us them".split())
# Before a word of a kind, not a person's name: "a Time Lord", "every Weasley".
_INDEFINITE = frozenset({"a", "an", "another", "every", "each", "any", "no"})
# Before a thing's name more than a person's: "the Upside Down", "my Cloak", "Harry's Cloak".
_DEFINITE = frozenset({"the", "my", "your", "his", "her", "its", "our", "their"})
# How common in English a word must be (Zipf scale) to be taken for an ordinary word
# when it starts a sentence ("Tell", "Ask"), if the text never uses it as a name.
_COMMON_ZIPF = 5.0
# Courtesy titles of a man: "Mr Crawford" is any man of the family not otherwise titled.
# A titled name with no other sign of a person is one if the text uses it at least once
# per this many tokens (some 25,000 words): a passing "Mr Sike" in a novel is no one.
_TOKENS_PER_TITLED_USE = 30_000
_COURTESY_M = frozenset({"mr", "master", "monsieur", "herr", "signor", "señor"})


@dataclass
class _Surface:
    """What the text tells about one spelling of a name."""

    count: int = 0
    person: int = 0  # times spaCy called it a PERSON
    other: int = 0  # times spaCy called it a place, organisation, date...
    speech_adjacent: int = 0  # next to a verb of speech: "said Gwaine"
    acts: int = 0  # followed by a verb in the past tense: "Merlin stared"
    addressed: int = 0  # called by name inside a quotation: "Merlin, wait!"
    kind: int = 0  # after "a", "every": "a Time Lord" is one of a kind, not a person
    definite: int = 0  # after "the", "my": "the Upside Down" (a person rarely is "the X")
    in_quote_only: bool = True
    spans: list[tuple[int, int, int, bool]] = field(default_factory=list)  # start, end, para, q


def characters_stage(doc: Document) -> None:
    """Pipeline stage: fill ``doc.mentions`` (names) and the analysis's characters."""
    assert doc.tokens is not None
    quote_spans = sorted((q.text_start, q.text_end) for q in doc.analysis.quotes)
    surfaces, ordinary = _collect_surfaces(doc.text, doc.tokens, quote_spans)
    titled_uses = 1 + len(doc.tokens) // _TOKENS_PER_TITLED_USE
    accepted = {name: s for name, s in surfaces.items() if _is_person(name, s, titled_uses)}
    # A full name used once ("Hermione Granger") is a person if a part of it is.
    known = {word for name in accepted for word in parse(name).words}
    for name, surface in surfaces.items():
        parts = parse(name)
        if (
            name not in accepted
            and parts.given
            and parts.surname
            and surface.other == 0
            and (parts.given in known or parts.surname in known)
        ):
            accepted[name] = surface
    for name in list(accepted):
        last = name.split()[-1]
        if not last.endswith("s"):
            continue
        # "the Miss Steeles", "the Dashwoods": a family, not a person; but "Sikes" beside
        # a stray "Mr Sike" is the man himself.
        singular = sum(s.count for other, s in accepted.items() if other.split()[-1] == last[:-1])
        if singular > accepted[name].count:
            del accepted[name]
    found = cluster_names({name: s.count for name, s in accepted.items()})
    clusters = found.groups
    characters: list[Character] = []
    owner: dict[str, list[int]] = dict(found.shared)  # surface -> candidate clusters
    for index, names in enumerate(clusters):
        for name in names:
            owner[name] = [index]
    mentions = _find_all(doc, accepted, quote_spans, ordinary)
    _assign(mentions, owner, [sum(accepted[n].count for n in names) for names in clusters])
    mentions = sorted(
        [*mentions, *_office_mentions(doc, clusters, quote_spans, {m.start for m in mentions})],
        key=lambda m: m.start,
    )
    for index, names in enumerate(clusters):
        # The fullest name ("Mrs Norris" over "Norris"); then the one the text uses most.
        ranked = sorted(names, key=lambda n: (*_fullness(n), -accepted[n].count, n))
        characters.append(
            Character(
                id=f"c{index}",
                name=ranked[0],
                aliases=sorted(
                    (n for n in names if n != ranked[0]), key=lambda n: -accepted[n].count
                ),
            )
        )
    counts = Counter(m.character for m in mentions)
    for character in characters:
        character.mentions = counts.get(character.id, 0)
        character.gender = _title_gender(character)
    # Most-mentioned first; ids follow that order so "c0" is the lead.
    order = sorted(range(len(characters)), key=lambda i: -characters[i].mentions)
    renumber = {characters[i].id: f"c{n}" for n, i in enumerate(order)}
    characters = [characters[i] for i in order]
    for character in characters:
        character.id = renumber[character.id]
    for mention in mentions:
        if mention.character is not None:
            mention.character = renumber[mention.character]
    doc.mentions = [m for m in mentions if m.character is not None]
    doc.analysis.characters = [c for c in characters if c.mentions]


# Offices a lowercase "the general" may stand for, when one character holds it; words
# that are as often plain nouns ("officer", "agent", "private") are left out.
_OFFICES = {
    "dr": "doctor",
    "doctor": "doctor",
    "professor": "professor",
    "prof": "professor",
    "captain": "captain",
    "capt": "captain",
    "colonel": "colonel",
    "col": "colonel",
    "major": "major",
    "general": "general",
    "admiral": "admiral",
    "commander": "commander",
    "lieutenant": "lieutenant",
    "lt": "lieutenant",
    "sergeant": "sergeant",
    "sgt": "sergeant",
    "inspector": "inspector",
    "detective": "detective",
    "constable": "constable",
    "judge": "judge",
    "reverend": "reverend",
    "rev": "reverend",
    "vicar": "vicar",
    "parson": "parson",
    "bishop": "bishop",
    "governor": "governor",
}
_OFFICE_WORD = re.compile(
    r"\b[Tt]he\s+(" + "|".join(sorted(set(_OFFICES.values()))) + r")\b(?!\s+[A-Z])"
)


def _office_mentions(
    doc: Document,
    clusters: list[list[str]],
    quote_spans: list[tuple[int, int]],
    taken: set[int],
) -> list[Mention]:
    """ "the general" where General Tilney is the story's only general: a mention of him.

    A reader takes the office for the one person who holds it; with two doctors, or none,
    "the doctor" names nobody in particular and is left alone."""
    assert doc.tokens is not None
    holders: dict[str, set[int]] = defaultdict(set)
    for index, names in enumerate(clusters):
        for name in names:
            title = parse(name).title
            if title in _OFFICES:
                holders[_OFFICES[title]].add(index)
    sole = {office: next(iter(found)) for office, found in holders.items() if len(found) == 1}
    if not sole:
        return []
    starts = [s for s, _ in quote_spans]
    found = []
    for match in _OFFICE_WORD.finditer(doc.text):
        office = match.group(1)
        start, end = match.span(1)
        if office not in sole or start in taken:
            continue
        k = bisect.bisect_right(starts, start) - 1
        in_quote = k >= 0 and quote_spans[k][0] <= start < quote_spans[k][1]
        paragraph = doc.tokens.paragraph[min(doc.tokens.index_at(start), len(doc.tokens) - 1)]
        found.append(
            Mention(start, end, match.group(1), "title", paragraph, in_quote, f"c{sole[office]}")
        )
    return found


def _name_pattern(name: str) -> str:
    """A normalised name as the text may spell it: "Mr Elliot" matches "Mr. Elliot" and
    a line break between the words; "O'Brien" matches a curly apostrophe."""
    words = []
    for word in name.split():
        escaped = re.escape(word).replace("'", "['’]")
        if word.lower() in TITLES:
            escaped += r"\.?"
        words.append(escaped)
    return r"\s+".join(words)


def _fullness(name: str) -> tuple[int, bool]:
    """Sort key: more words first; a title counts only beside a single name ("Mrs Norris"
    over "Norris"; "Edward Ferrars" and "Mr Edward Ferrars" go by how often they occur)."""
    parts = parse(name)
    return -len(parts.words), parts.title is None and len(parts.words) <= 1


def _find_all(
    doc: Document,
    accepted: dict[str, _Surface],
    quote_spans: list[tuple[int, int]],
    ordinary: _OrdinaryWords,
) -> list[Mention]:
    """Every occurrence of an accepted name in the story, whatever spaCy tagged it there
    ("said the Mouse" where the tagger read a common noun), except an ordinary word that
    only opens a sentence ("Good morning" beside Captain Good)."""
    tokens = doc.tokens
    assert tokens is not None
    if not accepted:
        return []
    # Longest names first, so "Anne Elliot" wins over "Anne"; spaces match line breaks. A
    # name shouted in capitals ("TOM!") is the name too.
    shouted = {name.upper() for name in accepted if sum(ch.isalpha() for ch in name) >= 3}
    alternatives = sorted({*accepted, *shouted}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w'’])(?:" + "|".join(_name_pattern(n) for n in alternatives) + r")(?![\w])"
    )
    starts = [s for s, _ in quote_spans]
    paragraphs = doc.analysis.paragraphs()
    mentions = []
    for index, para in enumerate(paragraphs):
        for match in pattern.finditer(doc.text, para.start, para.end):
            if " " not in match.group():
                i = tokens.index_at(match.start())
                if ordinary.opens_with(i) or (
                    ordinary.initial(i) and match.group().lower() in NOT_NAMES
                ):
                    continue
            k = bisect.bisect_right(starts, match.start()) - 1
            in_quote = k >= 0 and quote_spans[k][0] <= match.start() < quote_spans[k][1]
            mentions.append(
                Mention(match.start(), match.end(), match.group(), "name", index, in_quote)
            )
    return mentions


def _collect_surfaces(
    text: str, tokens: Tokens, quote_spans: list[tuple[int, int]]
) -> tuple[dict[str, _Surface], _OrdinaryWords]:
    """Every run of proper nouns (with its title) and every PERSON entity, by spelling;
    and the text's reading of which capitalised words are ordinary ones."""
    surfaces: dict[str, _Surface] = defaultdict(_Surface)
    quote_starts = [s for s, _ in quote_spans]

    def inside_quote(offset: int) -> bool:
        i = bisect.bisect_right(quote_starts, offset) - 1
        return i >= 0 and quote_spans[i][0] <= offset < quote_spans[i][1]

    # The label of every token inside an entity ("the Ministry": "Ministry" is an ORG).
    entity_at: dict[int, tuple[int, str]] = {}
    for start, end, label in tokens.entities:
        k = tokens.index_at(start)
        while k < len(tokens) and tokens.start[k] < end:
            entity_at.setdefault(tokens.start[k], (end, label))
            k += 1
    n = len(tokens)
    ordinary = _OrdinaryWords(text, tokens, {s for s, _ in quote_spans}, entity_at)
    i = 0
    seen: set[tuple[int, int]] = set()
    while i < n:
        start = tokens.start[i]
        word = text[start : tokens.end[i]]
        is_title = word.lower().rstrip(".") in TITLES and _CAPITALISED.match(word)
        if not is_title and ordinary.opens_with(i):
            i += 1  # "Revising took all weekend", "Tell Hoseok": the name, if any, follows
            continue
        if (tokens.tag[i] in _PROPER and _CAPITALISED.match(word)) or is_title:
            j = i + 1
            while (
                j < n
                and tokens.paragraph[j] == tokens.paragraph[i]
                and (
                    (
                        tokens.tag[j] in _PROPER
                        and _CAPITALISED.match(text[tokens.start[j] : tokens.end[j]])
                    )
                    or (
                        text[tokens.start[j] : tokens.end[j]] in _CONNECTORS
                        and j + 1 < n
                        and tokens.tag[j + 1] in _PROPER
                    )
                    or _hyphen_joins(text, tokens, j)
                )
            ):
                j += 1
            if is_title and j == i + 1:
                # A title alone: a name only as "the Professor" or said to someone.
                before = text[max(0, start - 4) : start].lower()
                if not (before.endswith("the ") or inside_quote(start)):
                    i += 1
                    continue
            end = tokens.end[j - 1]
            _add(text, surfaces, start, end, tokens, i, j, inside_quote(start), entity_at)
            seen.add((start, end))
            i = j
            continue
        i += 1
    # A capitalised word next to a verb of speech is a name whatever its tag
    # ("Rosalind said", where the tagger read a common noun); so is the surname of a full
    # name right after one ("said Good", of Captain John Good, read as an adjective).
    surnames = {name.split()[-1] for name in surfaces if " " in name}
    for i in range(n):
        if text[tokens.start[i] : tokens.end[i]].lower() not in SPEECH_VERBS:
            continue
        for k in (i - 1, i + 1):
            if not 0 <= k < n or tokens.paragraph[k] != tokens.paragraph[i]:
                continue
            word = text[tokens.start[k] : tokens.end[k]]
            if (
                (tokens.tag[k] in ("NN", "NNS") or (k == i + 1 and word in surnames))
                and _CAPITALISED.match(word)
                and not inside_quote(tokens.start[k])
                and (k == i + 1 or tokens.sent_start[k])
                and not ordinary.opens_with(k)
            ):
                _add(
                    text,
                    surfaces,
                    tokens.start[k],
                    tokens.end[k],
                    tokens,
                    k,
                    k + 1,
                    inside_quote(tokens.start[k]),
                    entity_at,
                    surname=word in surnames,
                )
    for start, end, label in tokens.entities:
        if label != "PERSON":
            continue
        i = tokens.index_at(start)
        j = tokens.index_at(end - 1) + 1
        while i < j and ordinary.opens_with(i):
            i += 1  # "Tell Hoseok" read as one PERSON: Hoseok
        if i < j and (tokens.start[i], end) not in seen:
            start = tokens.start[i]
            _add(text, surfaces, start, end, tokens, i, j, inside_quote(start), entity_at)
    return surfaces, ordinary


class _OrdinaryWords:
    """Capitalised words that open a sentence but are ordinary English words, not names.

    At the start of a sentence every word has a capital, and the tagger often calls it a
    proper noun ("Revising for the exam...", "Tell Hoseok I said hello"). The text itself
    tells them apart: a name is used as a name in mid-sentence somewhere, while an
    ordinary word shows up in lower case, or tagged as a verb, adverb or interjection; a
    very common English word counts as ordinary when the text never uses it as a name.
    A known given name ("Will", "Rose") is always a possible name.
    """

    def __init__(
        self,
        text: str,
        tokens: Tokens,
        quote_openings: set[int],
        entity_at: dict[int, tuple[int, str]],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.quote_openings = quote_openings
        self.named: set[str] = set()  # used as a name in mid-sentence
        self.common: set[str] = set()  # in lower case, or tagged as no noun
        for i in range(len(tokens)):
            word = text[tokens.start[i] : tokens.end[i]]
            lower = word.lower()
            if word.islower() or tokens.tag[i] in _NOT_NOUN_TAGS:
                self.common.add(lower)
            elif (
                tokens.tag[i] in _PROPER or entity_at.get(tokens.start[i], (0, ""))[1] == "PERSON"
            ) and not self.initial(i):
                self.named.add(lower)
        self._read_again_in_lower_case(entity_at)

    def _read_again_in_lower_case(self, entity_at: dict[int, tuple[int, str]]) -> None:
        """Ask the tagger what a word at a sentence start is without its capital.

        The capital alone makes the tagger say NNP ("Revising, Mina decided, ..."); in
        lower case it reads a gerund or a verb. A name in lower case stays a noun, so
        only other readings (and a gerund read as a noun: "-ing") count. Only words the
        text never shows otherwise are asked about, a few sentences per text.
        """
        tokens, text = self.tokens, self.text
        asked: dict[str, list[str]] = {}
        for i in range(len(tokens)):
            word = text[tokens.start[i] : tokens.end[i]]
            lower = word.lower()
            if (
                not word[:1].isupper()
                or not word.isalpha()
                or len(word) < 3
                or len(asked.get(lower, ())) >= 2
                or lower in self.common
                or lower in self.named
                or lower in NOT_NAMES
                or lower in TITLES
                or given_name_gender(lower)
                or lower in nicknames()
                or not (
                    tokens.tag[i] in _PROPER
                    or entity_at.get(tokens.start[i], (0, ""))[1] == "PERSON"
                )
                or not self.initial(i)
            ):
                continue
            end = i + 1
            while (
                end < len(tokens)
                and end - i < 12
                and tokens.paragraph[end] == tokens.paragraph[i]
                and not tokens.sent_start[end]
            ):
                end += 1
            sentence = text[tokens.start[i] : tokens.end[end - 1]]
            asked.setdefault(lower, []).append(lower + sentence[len(word) :])
        if not asked:
            return
        from ficlens.nlp.language import load_language

        nlp = load_language()
        keys = [lower for lower, sentences in asked.items() for _ in sentences]
        docs = [nlp.make_doc(s) for sentences in asked.values() for s in sentences]
        # The tagger alone, called directly: the shared pipeline is left as it is for
        # whoever else is using it.
        tagged = nlp.get_pipe("tagger").pipe(nlp.get_pipe("tok2vec").pipe(docs))
        for lower, sdoc in zip(keys, tagged, strict=True):
            tag = sdoc[0].tag_ if len(sdoc) else "NNP"
            if tag in _NOT_NOUN_TAGS or (lower.endswith("ing") and tag == "NN"):
                self.common.add(lower)

    def initial(self, i: int) -> bool:
        """Does token ``i`` open a sentence or a quotation?"""
        tokens, text = self.tokens, self.text
        k = i
        while True:
            if tokens.sent_start[k] or tokens.start[k] in self.quote_openings:
                return True
            if k == 0 or tokens.paragraph[k - 1] != tokens.paragraph[k]:
                return True
            before = text[tokens.start[k - 1] : tokens.end[k - 1]]
            # After a full stop the tagger missed ("a very big  ought.  Whatever Harriet"):
            # abbreviations ("Mr.", "T.") keep their stop inside the token.
            if before in ("“", "‘", "(", ".", "!", "?"):
                return True
            if any(ch.isalnum() for ch in before):
                return False
            k -= 1

    def opens_with(self, i: int) -> bool:
        """Is token ``i`` an ordinary word opening a sentence, so no part of a name?"""
        word = self.text[self.tokens.start[i] : self.tokens.end[i]]
        if not word[:1].isupper() or not word.isalpha():
            return False
        return self.initial(i) and _ordinary(word.lower(), self.named, self.common)


def _ordinary(lower: str, named: set[str], common: set[str]) -> bool:
    if lower in named or given_name_gender(lower) or lower in nicknames():
        return False
    return lower in common or _zipf(lower) >= _COMMON_ZIPF


@functools.cache
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # loads its word list on first use

    return zipf_frequency(word, "en")


def _shouted_word(word: str) -> bool:
    """A common word in capitals, as a heading runs into the text ("Mrs. Todd LATER,
    THERE WAS..."): no part of a name."""
    lower = word.lower()
    return (
        len(word) > 1
        and word.isupper()
        and word.isalpha()
        and not given_name_gender(lower)
        and _zipf(lower) >= _COMMON_ZIPF
    )


def _hyphen_joins(text: str, tokens: Tokens, j: int) -> bool:
    """ "Grant-Menzies": a hyphen with no space around it, between two proper nouns."""
    return (
        text[tokens.start[j] : tokens.end[j]] == "-"
        and 0 < j < len(tokens) - 1
        and tokens.end[j - 1] == tokens.start[j]
        and tokens.end[j] == tokens.start[j + 1]
        and tokens.tag[j + 1] in _PROPER
    )


def _add(
    text: str,
    surfaces: dict[str, _Surface],
    start: int,
    end: int,
    tokens: Tokens,
    i: int,
    j: int,
    in_quote: bool,
    entity_at: dict[int, tuple[int, str]],
    *,
    surname: bool = False,
) -> None:
    """Count one use of a name (``surname``: it ends a full name of the text, so even a
    word that is usually none, "Good" of Captain John Good, is one here)."""
    raw = text[start:end]
    name = normalise(raw)
    if (
        not name
        or not name[0].isupper()
        or (name.lower() in NOT_NAMES and not surname)
        or name.lower() in GREETINGS
        or any(ch.isdigit() for ch in name)
        or "&" in name
        or any(w.islower() and w not in _CONNECTORS for w in name.split()[1:])
        or _has_pronoun(name)
        or any(_shouted_word(w) for w in name.split()[1:])
    ):
        return  # not a name: "Mary to Anne", "Fred and George"
    # Trim the span to the normalised name (a possessive or a trailing full stop).
    offset = raw.replace("’", "'").find(name.split()[0])
    if offset > 0:
        start += offset
    end = start + len(name) if text[start : start + len(name)].replace("’", "'") == name else end
    surface = surfaces[name]
    surface.count += 1
    label = entity_at.get(tokens.start[i], (None, None))[1] if i < len(tokens) else None
    if label == "PERSON":
        surface.person += 1
    elif label in _NOT_PERSON:
        surface.other += 1
    near = [
        text[tokens.start[k] : tokens.end[k]].lower()
        for k in (i - 1, i - 2, j, j + 1)
        if 0 <= k < len(tokens)
    ]
    # A word of speech read as a common noun is no speech: "Hoarse staccato cries".
    if any(
        text[tokens.start[k] : tokens.end[k]].lower() in SPEECH_VERBS
        and tokens.tag[k] not in ("NN", "NNS")
        for k in (i - 1, i - 2, j, j + 1)
        if 0 <= k < len(tokens)
    ):
        surface.speech_adjacent += 1
    if j < len(tokens) and tokens.tag[j] == "VBD" and near[2:3] and near[2] not in _COPULAS:
        surface.acts += 1
    if in_quote and j < len(tokens) and _addressed(text, tokens, i, j):
        surface.addressed += 1
    if not in_quote:
        surface.in_quote_only = False
    before = [
        text[tokens.start[k] : tokens.end[k]]
        for k in (i - 1, i - 2)
        if 0 <= k < len(tokens) and tokens.paragraph[k] == tokens.paragraph[i]
    ]
    if before and (before[0] in _INDEFINITE or before[0] in ("A", "An", "Another", "Every")):
        surface.kind += 1
    elif before and (
        before[0].lower() in _DEFINITE
        or tokens.tag[i - 1] == "POS"
        or (tokens.tag[i - 1].startswith("JJ") and before[1:] and before[1].lower() == "the")
    ):
        surface.definite += 1
    surface.spans.append((start, end, tokens.paragraph[i] if i < len(tokens) else 0, in_quote))


def _has_pronoun(name: str) -> bool:
    """Is a word of ``name`` a personal pronoun ("I. He")? A regnal number after a name
    ("Charles I") is no pronoun."""
    words = [w.rstrip(".").lower() for w in name.split()]
    if len(words) > 1 and words[-1] == "i":
        words = words[:-1]
    return any(w in _PRONOUN_WORDS for w in words)


def _addressed(text: str, tokens: Tokens, i: int, j: int) -> bool:
    """Is the name at tokens i..j spoken to: "Merlin, wait!" or "Come here, Merlin."?"""
    after = text[tokens.start[j] : tokens.end[j]]
    before = text[tokens.start[i - 1] : tokens.end[i - 1]] if i > 0 else ""
    if tokens.sent_start[i] or before in ('"', "“", "'", "‘"):
        return after == ","
    return before == "," and after in (",", ".", "!", "?", '"', "”", "'", "’")


def _is_person(name: str, surface: _Surface, titled_uses: int = 1) -> bool:
    """Weigh what spaCy says against how the text uses the name.

    spaCy's entity labels are often wrong for fan-fiction names (Merlin, Gwaine), so a
    name that speaks ("said Merlin"), acts ("Merlin stared") or is addressed ("Merlin,
    wait!") counts as a person against the labels.
    """
    parts = parse(name)
    if surface.in_quote_only and name.lower() in KINSHIP:
        # "Mum, she took two!", "Uncle, the salt?": said to a relative, not a name; the
        # narration calling someone so ("said Gran") makes it one, as "Uncle Abel" is.
        return False
    if surface.kind and 2 * surface.kind >= surface.count and not surface.speech_adjacent:
        return False  # "being a Time Lord": one of a kind, not a person
    if (
        not parts.title
        and surface.definite == surface.count
        and not surface.speech_adjacent + surface.addressed
        and 2 * surface.acts < surface.count
    ):
        # "the Upside Down", "my Cloak": a person is "the X" only when they speak or keep
        # acting ("the Demogorgon lunged"); a verb after a thing now and then is no sign.
        return False
    if parts.title_only:
        return surface.count >= 2 or surface.speech_adjacent > 0
    if surface.speech_adjacent >= 2 or (surface.speech_adjacent and surface.acts):
        return True  # places do not speak
    evidence = surface.person + 3 * surface.speech_adjacent + surface.acts + surface.addressed
    if surface.other >= evidence and (surface.other or surface.count < titled_uses):
        return False  # a place, an organisation, a date
    if parts.title and parts.title not in ("st", "saint"):
        # A title makes a person of a name that nothing else speaks for, if the text
        # keeps using it ("General Tilney", whom spaCy leaves unlabelled and the text
        # never shows speaking by that name); once or twice, it is a passing remark.
        return True
    if surface.count >= 2:
        return evidence > 0
    # Named once: only if the text shows a person (spaCy's label alone is too weak).
    return surface.speech_adjacent + surface.addressed > 0


@dataclass
class Clusters:
    """Names grouped into characters, and the names two or more characters share."""

    groups: list[list[str]]
    shared: dict[str, list[int]]  # a name -> the groups it may belong to


def cluster_names(counts: dict[str, int]) -> Clusters:
    """Group spellings of names into characters.

    A name with a given name and a surname ("Anne Elliot") anchors a character; longer
    forms of it join it ("Sir Walter Elliot" takes "Walter Elliot"). Shorter names join
    the one anchor they fit. A name that fits several anchors joins one only when that
    character clearly dominates the text; otherwise it is shared, and each of its
    mentions goes to whichever of those characters was mentioned last.
    """
    parsed = {name: parse(name) for name in counts}
    # Fuller names first; among equals, titled ones ("Mrs Palmer", "Mr Palmer") before the
    # bare name ("Palmer") so that the bare name can see it fits both.
    order = sorted(
        counts, key=lambda n: (-len(parsed[n].words), parsed[n].title is None, -counts[n], n)
    )
    groups: list[list[str]] = []
    anchors: list[NameParts] = []  # the fullest name of each group
    shared: dict[str, list[int]] = {}
    for name in order:
        parts = parsed[name]
        matches = [k for k, anchor in enumerate(anchors) if _fits(parts, anchor)]
        if parts.title and parts.surname and not parts.given and matches:
            family = [k for k, anchor in enumerate(anchors) if anchor.surname == parts.surname]
            man = _only_man(parts, matches, family, anchors, groups, parsed)
            if man is not None:
                groups[man].append(name)
                continue
            if len(family) > 1:
                # "Mrs Musgrove" or "Miss Dashwood" in a text with several Musgroves or
                # Dashwoods: the family name with a title is a person of its own.
                groups.append([name])
                anchors.append(parts)
                continue
        if len(matches) > 1 and parts.title is None and len(parts.words) == 1:
            matches = _drop_titled_women(parts.words[0], matches, anchors)
        if len(matches) == 1:
            groups[matches[0]].append(name)
            continue
        if len(matches) > 1:
            # How often each candidate goes by names holding this one: for a bare given
            # name, "John Andrew" 20 times against "John Beaver" 12 makes "John" shared,
            # however often Beaver is called "Beaver".
            word = parts.words[0] if len(parts.words) == 1 and parts.title is None else None
            weight = {
                k: sum(counts[n] for n in groups[k] if word is None or word in parsed[n].words)
                for k in matches
            }
            ranked = sorted(matches, key=lambda k: -weight[k])
            if (
                len({anchors[k].surname for k in matches if anchors[k].surname}) <= 1
                and len({anchors[k].given for k in matches if anchors[k].given}) <= 1
            ):
                # "Marianne Dashwood" and "Miss Marianne" may well be one person: no two
                # of the candidates contradict each other, so join the most mentioned.
                groups[ranked[0]].append(name)
                continue
            if counts[name] >= 3 * weight[ranked[0]]:
                # "Fanny" 3,000 times, "Fanny Price" and "Fanny Ward" a few: the bare name
                # goes with the fuller name the text uses most; with no clear one it is a
                # character of its own and the full names are asides.
                if weight[ranked[0]] > weight[ranked[1]]:
                    groups[ranked[0]].append(name)
                else:
                    groups.append([name])
                    anchors.append(parts)
                continue
            if weight[ranked[0]] >= 4 * weight[ranked[1]]:
                groups[ranked[0]].append(name)
            else:
                shared[name] = ranked
            continue
        groups.append([name])
        anchors.append(parts)
    return Clusters(groups, shared)


def _only_man(
    parts: NameParts,
    matches: list[int],
    family: list[int],
    anchors: list[NameParts],
    groups: list[list[str]],
    parsed: dict[str, NameParts],
) -> int | None:
    """The one man of a family that "Mr Crawford" names, if the family has only one.

    "Mr Crawford" beside Henry and Mary Crawford (and "Miss Crawford") is Henry: the
    women cannot be him. Beside two men of the name (a father and a son, "Tom" and
    "Edmund Bertram") or one whose sex the names do not tell, it stays a person of its
    own. A man under another title ("Admiral Crawford") does not fit "Mr" at all.
    """
    if len(family) < 2 or parts.title not in _COURTESY_M:
        return None
    men = [k for k in matches if anchors[k].given and anchors[k].gender == "M"]
    if len(matches) != 1 or len(men) != 1:
        return None
    # Every other bearer of the name must be a woman or carry another title, so that no
    # unnamed man of the family is left for "Mr X" to mean.
    for k in family:
        if k == men[0]:
            continue
        other = anchors[k]
        if other.gender != "F" and not (other.title and other.title != parts.title):
            return None
    titled_men = [
        k
        for k in family
        if anchors[k].title and anchors[k].title != parts.title and anchors[k].gender != "F"
    ]
    if not titled_men and any(
        parsed[n].title == parts.title and parsed[n].given for n in groups[men[0]]
    ):
        # "Mr James Morland" is how a text tells a son from the father it calls "Mr
        # Morland"; with no other man of the family in sight ("General Tilney"), the
        # unnamed father is who "Mr Morland" is.
        return None
    return men[0]


def _drop_titled_women(word: str, matches: list[int], anchors: list[NameParts]) -> list[int]:
    """A bare surname in narration names a man ("said Beaver"), not the woman the text
    calls "Mrs Beaver" or "Lady Beaver": leave out anchors that are that word under a
    woman's title, when another anchor remains. A woman by given name alone ("Dana
    Scully") stays a candidate."""
    kept = [
        k
        for k in matches
        if not (
            anchors[k].title is not None
            and TITLES.get(anchors[k].title) == "F"
            and (anchors[k].words == (word,) or anchors[k].surname == word)
        )
    ]
    return kept or matches


def _fits(short: NameParts, full: NameParts) -> bool:
    """Can ``short`` name the same person as ``full``?"""
    if short.surface == full.surface:
        return True
    if short.gender and full.gender and short.gender != full.gender:
        return False
    if short.title_only:
        return full.title == short.title
    if full.title_only:
        return False
    if full.given and not full.surname and not full.title:
        # A bare name ("Spock") may be a given name or a surname: "Mister Spock" fits.
        word = full.given
        if short.given and short.surname:
            return False
        # Two bare names are one person if one is the other's nickname ("Gwen", "Guinevere").
        return word == short.surname or (
            short.given is not None
            and (same_given(short.given, word) or same_given(word, short.given))
        )
    if short.given and short.surname:
        # Both full names: the same given and surname, or one is the other plus a middle.
        if full.title in RANK_TITLES and short.title != full.title:
            # "Tom Bertram" is not "Sir Thomas Bertram": the son, not the father.
            return full.given == short.given and full.surname == short.surname
        # Either may be the nickname ("Jack Durbeyfield" and "John Durbeyfield", whichever
        # the text happens to show first).
        return (
            full.given is not None
            and (same_given(short.given, full.given) or same_given(full.given, short.given))
            and full.surname == short.surname
        )
    if short.surname and not short.given:  # "Mr Elliot", "Captain Wentworth"
        if full.surname != short.surname:
            return False
        # "Mr Elliot" is not "Sir Walter Elliot"; "Captain Kirk" may be "James T. Kirk".
        return not (short.title and full.title and short.title != full.title)
    if short.given and not short.surname:  # "Anne", "Jim", "Sir Walter", or a bare surname
        word = short.given
        if short.title in RANK_TITLES and full.title != short.title:
            return False  # "Sir John" is Sir John Middleton, not John Willoughby
        if full.title in RANK_TITLES and not short.title:
            return full.given == word  # "Tom" is not "Sir Thomas", though Tom is a Thomas
        if full.given and same_given(word, full.given):
            return True
        return not short.title and full.surname == word
    return False


def _assign(mentions: list[Mention], owner: dict[str, list[int]], weights: list[int]) -> None:
    """Give each mention its character. A name several characters share ("Charles")
    goes to the one mentioned in the last few paragraphs, else to the one the text
    mentions most."""
    last_seen: dict[int, int] = {}  # character index -> paragraph of its last mention
    shouted = {name.upper(): name for name in owner}
    for mention in mentions:
        name = normalise(mention.text)
        candidates = owner.get(name) or owner.get(shouted.get(name.upper(), ""), [])
        if not candidates:
            continue
        if len(candidates) == 1:
            chosen = candidates[0]
        else:
            recent = [
                k
                for k in candidates
                if mention.paragraph - last_seen.get(k, -100) <= _RECENT_PARAGRAPHS
            ]
            if recent:
                chosen = max(recent, key=lambda k: last_seen[k])
            else:
                # A character the text keeps calling by full name ("Charles Hayter") is
                # being told apart from the one the bare name means ("Charles"); a full
                # name met once or twice ("Lady Mary Grierson") is an aside, not a claim.
                # A bare title ("the Admiral") is the one the story talks of most.
                regular = [k for k in candidates if weights[k] > 2] or candidates
                pick = max if parse(mention.text).title_only else min
                chosen = pick(regular, key=lambda k: weights[k])
        mention.character = f"c{chosen}"
        if len(candidates) == 1 or len(mention.text.split()) > 1:
            last_seen[chosen] = mention.paragraph
        else:
            last_seen.setdefault(chosen, mention.paragraph)


def _title_gender(character: Character) -> str | None:
    votes = Counter(parse(n).gender for n in [character.name, *character.aliases])
    votes.pop(None, None)
    if not votes:
        return None
    (gender, count), *rest = votes.most_common()
    return gender if not rest or rest[0][1] < count else None
