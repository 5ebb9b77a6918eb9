"""The fandoms stage: declared and inferred fandoms, and the characters' canonical names.

Declared fandoms (from the notes or the source's metadata) are kept, under their AO3 name
when the knowledge base knows them, also around other qualifiers ("BBC's Merlin" is
Merlin (TV)); a declared fandom the story's clues point to as well is listed once, as
declared, with the clues added to its evidence. Other fandoms are inferred from evidence:
the story's characters matched against each fandom's characters, full names of fandom
characters and the fandom's distinctive terms found in the text. Each piece of evidence
weighs by how telling it is: a full name ("Hermione Granger") much, a rare single name
("Aziraphale") a fair amount, a common one ("John") or an ordinary word ("quirk") little,
by its frequency in English (wordfreq), and a character's clue by how much of the story
is theirs. Weights combine as independent clues (noisy-or); a fandom needs two clues, an
anchor (one of its characters, or two coined names such as Hogwarts and Gryffindor) and a
combined 0.5 to be reported, so a John and a Mary are not Sherlock and a hansom to
Scotland Yard is not Conan Doyle. A crossover gives several fandoms, each on clues the
others do not explain. Characters who match a character of a reported fandom get its
canonical AO3 name, unless their full name or gender says otherwise.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from wordfreq import zipf_frequency

from ficlens.document import Document
from ficlens.meaning.knowledge import (
    KnowledgeBase,
    KnownCharacter,
    fandom_key,
    load_knowledge_base,
)
from ficlens.model import Character, Evidence, Fandom
from ficlens.nlp.names import NameParts, given_name_gender, nicknames, parse, same_given

MIN_CONFIDENCE = 0.5  # to report an inferred fandom
MIN_CLUES = 2  # distinct clues of weight >= CLUE_WEIGHT
CLUE_WEIGHT = 0.1
ANCHOR_WEIGHT = 0.2  # a character clue this strong anchors a reading
COINED_WEIGHT = 0.5  # a proper-noun term this rare is a coinage ("Hogwarts"), not London
MAX_INFERRED = 5
TIE_FACTOR = 0.75  # the confidence of a fandom chosen over an equally likely one
MAX_EVIDENCE = 10  # spans per fandom
SPANS_PER_CLUE = 2

FULL_NAME_WEIGHT = 0.75
ALIAS_PHRASE_WEIGHT = 0.6  # a written alias of several words: "Mrs Hudson"
PHRASE_WEIGHT = 0.45  # a proper-noun term of several words: "Death Star", "Baker Street"
TITLE_BONUS = 0.15  # "Captain Kirk" says more than "Kirk"
# A bare given name ("Rupert", "Hermione") names many people; the file's own aliases and
# one-word names ("Aziraphale", "Spock") keep the weight of their rarity.
GIVEN_WEIGHT = 0.35

# Match tiers, best first: "Steve" is Steve Rogers before he is Stephen Strange.
FULL, ALIAS, GIVEN, NICKNAME, SURNAME = 1, 2, 3, 4, 5

_PLAIN_TITLES = frozenset(
    "mr mrs miss ms mx mister madam madame monsieur herr frau mademoiselle master mistress "
    "aunt auntie uncle cousin grandpa grandma granny grandfather grandmother father mother "
    "brother sister nurse".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Between two words, anything but spaces, hyphens or an abbreviation's full stop ends a
# phrase: "Baker. Street" is not Baker Street.
_JOINER = re.compile(r"[ \t\-]*|\.[ \t]+|\.|[ \t]*\n[ \t]*")


@functools.cache
def rarity(word: str) -> float:
    """How telling a single name or proper noun is, 0.05 (John, Will) to 0.7 (Aziraphale)."""
    zipf = zipf_frequency(word.lower(), "en")
    return round(min(0.7, max(0.05, (5.0 - zipf) / 3.0)), 3)


@functools.cache
def _common_word_weight(word: str) -> float:
    """A lower-case term: ordinary words ("quirk", "wand") say little, coinages more."""
    zipf = zipf_frequency(word.lower(), "en")
    return round(min(0.3, max(0.0, (4.0 - zipf) / 2.5)), 3)


def term_weight(term: str) -> float:
    """How telling a fandom term is: a rare proper noun much, an ordinary word little."""
    if any(c.isupper() for c in term) or any(c.isdigit() for c in term):
        if len(_WORD.findall(term)) > 1:
            # English frequency of "Death Star" is that of "death" and "star"; the name
            # is rarer than its words, a real place ("Baker Street") no rarer than a name.
            return max(rarity(term), PHRASE_WEIGHT)
        return rarity(term)
    return _common_word_weight(term)


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w.lower().replace("’", "'") for w in words)


@dataclass(frozen=True)
class _Phrase:
    """A fandom character's full name or a fandom term, looked for in the text."""

    fandom: int
    kind: str  # "character" or "term"
    target: int  # index of the character or term
    words: tuple[str, ...]  # as the knowledge base writes them
    case_sensitive: bool
    weight: float


@dataclass(frozen=True)
class _NameMatch:
    fandom: int
    character: int
    tier: int


@dataclass
class _Index:
    phrases: dict[tuple[str, ...], list[_Phrase]]
    prefixes: frozenset[tuple[str, ...]]  # of every phrase, so a scan stops early
    firsts: frozenset[str]  # first words of the phrases
    names: dict[str, list[_NameMatch]]  # lower-case name -> fandom characters


@functools.lru_cache(maxsize=8)
def _index(kb: KnowledgeBase) -> _Index:
    phrases: dict[tuple[str, ...], list[_Phrase]] = {}
    names: dict[str, list[_NameMatch]] = {}

    def add_phrase(phrase: _Phrase) -> None:
        phrases.setdefault(_key(phrase.words), []).append(phrase)

    def add_name(name: str, match: _NameMatch) -> None:
        key = " ".join(_key(_WORD.findall(name)))
        if key and match not in names.setdefault(key, []):
            names[key].append(match)

    for f, fandom in enumerate(kb.fandoms):
        for c, character in enumerate(fandom.characters):
            for full in character.full_names:
                words = tuple(_WORD.findall(full))
                add_phrase(_Phrase(f, "character", c, words, True, FULL_NAME_WEIGHT))
                add_name(full, _NameMatch(f, c, FULL))
            for alias in character.aliases:
                add_name(re.sub(r"^(?:the|The)\s+", "", alias), _NameMatch(f, c, ALIAS))
            if character.given:
                add_name(character.given, _NameMatch(f, c, GIVEN))
            if character.surname:
                add_name(character.surname, _NameMatch(f, c, SURNAME))
        for t, term in enumerate(fandom.terms):
            words = tuple(_WORD.findall(term))
            if words:
                weight = term_weight(term)
                case = any(ch.isupper() for ch in term)
                add_phrase(_Phrase(f, "term", t, words, case, weight))
    prefixes = frozenset(key[:n] for key in phrases for n in range(1, len(key) + 1))
    return _Index(phrases, prefixes, frozenset(key[0] for key in phrases), names)


@dataclass
class _Clue:
    label: str  # what it is: a canonical character name or a term
    weight: float
    kind: str = "character"  # or "proper" (a proper-noun term) or "common" (lower case)
    spans: list[tuple[int, int]] = field(default_factory=list)
    story_characters: set[str] = field(default_factory=set)


@dataclass
class _Reading:
    """What one fandom has going for it in one story."""

    clues: dict[tuple[str, object], _Clue] = field(default_factory=dict)

    def add(
        self,
        key: tuple[str, object],
        label: str,
        weight: float,
        spans: Iterable[tuple[int, int]] = (),
        story_character: str | None = None,
        kind: str = "character",
    ) -> None:
        clue = self.clues.setdefault(key, _Clue(label, weight, kind))
        clue.weight = max(clue.weight, weight)
        for span in spans:
            if span not in clue.spans:
                clue.spans.append(span)
        if story_character:
            clue.story_characters.add(story_character)

    def score(self, explained: set[object]) -> tuple[float, int, list[_Clue]]:
        """Combined confidence, number of telling clues (none without an anchor), and the
        clues, leaving out what another reported fandom already explains (the same story
        character or span).

        An anchor is a fandom character, or two coined names ("Hogwarts", "Gryffindor"):
        real places and ordinary words ("Scotland Yard", "hansom", "creepers") only back
        up a reading, since a Victorian novel has them too.
        """
        kept = [
            clue
            for clue in self.clues.values()
            if not (clue.story_characters & explained)
            and not any(span in explained for span in clue.spans)
        ]
        missing = 1.0
        for clue in kept:
            missing *= 1.0 - clue.weight
        telling = sum(1 for clue in kept if clue.weight >= CLUE_WEIGHT)
        anchored = any(c.kind == "character" and c.weight >= ANCHOR_WEIGHT for c in kept) or (
            sum(1 for c in kept if c.kind == "proper" and c.weight >= COINED_WEIGHT) >= 2
        )
        if not anchored:
            telling = 0
        return 1.0 - missing, telling, kept


def _phrases_in(text: str, index: _Index) -> Iterable[tuple[_Phrase, int, int]]:
    """Every knowledge-base phrase in the text, with its span."""
    words = list(_WORD.finditer(text))
    lowered = [m.group().lower().replace("’", "'") for m in words]
    firsts = index.firsts
    for i, first in enumerate(words):
        if lowered[i] not in firsts:  # most words start no phrase
            continue
        for n in range(1, len(words) - i + 1):
            key = tuple(lowered[i : i + n])
            if key not in index.prefixes:
                break
            if n > 1:
                gap = text[words[i + n - 2].end() : words[i + n - 1].start()]
                if not _JOINER.fullmatch(gap):
                    break
                if gap.startswith(".") and not _abbreviation(words[i + n - 2].group()):
                    break
            found = index.phrases.get(key)
            if not found:
                continue
            run = words[i : i + n]
            written = tuple(m.group().replace("’", "'") for m in run)
            for phrase in found:
                if phrase.case_sensitive and written != tuple(
                    w.replace("’", "'") for w in phrase.words
                ):
                    continue
                yield phrase, first.start(), run[-1].end()


def _term_kind(phrase: _Phrase) -> str:
    return "proper" if phrase.case_sensitive else "common"


def _term_key(term: str) -> str:
    words = [w.lower() for w in _WORD.findall(term) if w.lower() not in ("the", "a", "an")]
    return " ".join(re.sub(r"(?<=[a-z]{3})e?s$", "", w) for w in words)


def _abbreviation(word: str) -> bool:
    """ "T." in "James T. Kirk", "Mrs." in "Mrs. Hudson"."""
    return len(word) <= 3 and word[:1].isupper()


def _name_matches(name: str, index: _Index) -> list[tuple[_NameMatch, float]]:
    """Fandom characters a story name can be, each with the weight of that reading."""
    parts = parse(name)
    words = [w for w in parts.words if not re.fullmatch(r"[A-Z]\.?", w)]
    found: list[tuple[_NameMatch, float]] = []

    def look(key: str, tiers: tuple[int, ...], weight: float, as_tier: int = 0) -> None:
        for match in index.names.get(" ".join(_key(_WORD.findall(key))), []):
            if match.tier in tiers:
                found.append((replace(match, tier=as_tier) if as_tier else match, weight))

    # A rank ("Captain Kirk", "Professor McGonagall") says more than a courtesy or kin
    # title ("Miss Watson", "Aunt Polly").
    bonus = TITLE_BONUS if parts.title and parts.title not in _PLAIN_TITLES else 0.0
    # ... with a surname: "King James" or "Sir John" is a given name with a rank.
    if len(words) >= 2:
        look(" ".join(words), (FULL,), FULL_NAME_WEIGHT)
        look(" ".join(words), (ALIAS,), ALIAS_PHRASE_WEIGHT)
    if parts.title:
        # "Mrs Hudson", "the Doctor", "Captain Kirk" as the file writes them.
        look(parts.surface, (ALIAS,), ALIAS_PHRASE_WEIGHT)
    if len(words) == 1:
        word = words[0]
        weight = min(0.7, rarity(word) + bonus)
        look(word, (ALIAS,), weight)
        if parts.title not in ("mr", "mrs", "ms", "miss", "mister"):
            given_weight = min(rarity(word), GIVEN_WEIGHT)
            look(word, (GIVEN,), given_weight)
            for formal in nicknames().get(word.lower(), ()):  # "Jim" is James
                look(formal, (GIVEN,), min(given_weight, rarity(formal)), NICKNAME)
        look(word, (SURNAME,), weight)
    elif not words and parts.title:
        look(parts.title, (ALIAS,), rarity(parts.title))  # "the Doctor"
    return found


def _character_matches(
    character: Character, kb: KnowledgeBase, index: _Index
) -> list[tuple[_NameMatch, float]]:
    """Every fandom character a story character's names can be, each with its weight.

    A story character with a full name ("Gabriel Oak") only matches fandom characters
    whose given name and surname fit it, whichever single name ("Oak") matched.
    """
    names = list(dict.fromkeys((character.name, *character.aliases)))
    parsed = [parse(name) for name in names]
    full = [parts for parts in parsed if parts.given and parts.surname]
    # "Miss Watson" is not John Watson.
    gender = character.gender or next((p.gender for p in parsed if p.title and p.gender), None)
    found: list[tuple[_NameMatch, float]] = []
    for name in names:
        for match, weight in _name_matches(name, index):
            known = kb.fandoms[match.fandom].characters[match.character]
            if match.tier == FULL:
                found.append((match, weight))
                continue
            if full and not any(_fits(parts, known) for parts in full):
                continue
            known_gender = given_name_gender(known.given) if known.given else None
            if gender and known_gender and gender != known_gender:
                continue
            found.append((match, weight))
    return found


def _fits(parts: NameParts, known: KnownCharacter) -> bool:
    assert parts.given and parts.surname
    given, surname = parts.given.lower(), parts.surname.lower()
    given_fits = not known.givens or any(
        same_given(given, g) or same_given(g, given) for g in known.givens
    )
    return given_fits and (not known.surnames or surname in known.surnames)


def _name_spans(document: Document) -> dict[str, list[tuple[int, int]]]:
    """The first places each character is named, by character id."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in document.mentions:
        if m.character and m.kind in ("name", "vocative"):
            found = spans.setdefault(m.character, [])
            if len(found) < SPANS_PER_CLUE:
                found.append((m.start, m.end))
    return spans


def _character_spans(
    document: Document, character: Character, named: dict[str, list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    spans = list(named.get(character.id, ()))
    if not spans:  # no mentions recorded: the first place the name is written
        for name in (character.name, *character.aliases):
            at = document.text.find(name)
            if at >= 0:
                spans.append((at, at + len(name)))
                break
    return spans[:SPANS_PER_CLUE]


def _read_story(document: Document, kb: KnowledgeBase, index: _Index) -> dict[int, _Reading]:
    readings: dict[int, _Reading] = {}
    for phrase, start, end in _phrases_in(document.text, index):
        fandom = kb.fandoms[phrase.fandom]
        if phrase.kind == "character":
            label = fandom.characters[phrase.target].canonical
            key: tuple[str, object] = ("character", phrase.target)
        else:
            label = fandom.terms[phrase.target]
            key = ("term", _term_key(label))  # "the barricade", "Barricades": one clue
        reading = readings.setdefault(phrase.fandom, _Reading())
        clue = reading.clues.get(key)
        if clue is None or len(clue.spans) < SPANS_PER_CLUE:
            kind = "character" if phrase.kind == "character" else _term_kind(phrase)
            reading.add(key, label, phrase.weight, [(start, end)], kind=kind)

    most = max((c.mentions for c in document.analysis.characters), default=0)
    named = _name_spans(document)
    for character in document.analysis.characters:
        matches = _character_matches(character, kb, index)
        if not matches:
            continue
        spans = _character_spans(document, character, named)
        # A fandom's people are the story's people: a name that a novel's cast shares with
        # some fandom's minor character, said a few times, is chance.
        share = character.mentions / most if most else 1.0
        prominence = min(1.0, 0.3 + 1.4 * share)
        by_fandom: dict[int, list[tuple[_NameMatch, float]]] = {}
        for match, weight in matches:
            by_fandom.setdefault(match.fandom, []).append((match, weight))
        for f, fandom_matches in by_fandom.items():
            best_tier = min(m.tier for m, _ in fandom_matches)
            best = {m.character for m, _ in fandom_matches if m.tier == best_tier}
            weight = max(w for _, w in fandom_matches)
            if len(best) == 1:
                target = next(iter(best))
                key = ("character", target)
                label = kb.fandoms[f].characters[target].canonical
            else:  # "Weasley": one of several, still a clue for the fandom
                key = ("story-character", character.id)
                label = character.name
            reading = readings.setdefault(f, _Reading())
            reading.add(key, label, weight * prominence, spans, character.id)
    return readings


def _declared_spans(document: Document, written: str) -> list[tuple[int, int]]:
    """Where the story's notes write a declared fandom name."""
    pattern = re.compile(re.escape(written), re.IGNORECASE)
    for note in document.analysis.work.notes:
        found = pattern.search(document.text, note.start, note.end)
        if found:
            return [(found.start(), found.end())]
    found = pattern.search(document.text)
    return [(found.start(), found.end())] if found else []


def _evidence(document: Document, spans: Iterable[tuple[int, int]]) -> list[Evidence]:
    ordered = sorted(set(spans))[:MAX_EVIDENCE]
    return [Evidence(start, end, document.text[start:end]) for start, end in ordered]


def _explained_by(reading: _Reading | None) -> set[object]:
    explained: set[object] = set()
    if reading:
        for clue in reading.clues.values():
            explained |= clue.story_characters
            explained.update(clue.spans)
    return explained


# Words that qualify a fandom's name without naming another fandom: "BBC's Merlin",
# "Merlin BBC 2008", "the Sherlock TV show".
_QUALIFIERS = frozenset(
    """s bbc itv cw netflix hbo amazon disney abc nbc cbs fox tv television series show shows
    film films movie movies book books novel novels anime manga game games verse fandom
    universe cinematic all media types original reboot remake version adaptation cartoon
    animated comic comics webcomic""".split()
)


def _bare_key(name: str) -> str:
    """A fandom name without its qualifiers (broadcaster, medium, year)."""
    words = fandom_key(name).replace("'s ", " ").replace("'", " ").split()
    return " ".join(w for w in words if w not in _QUALIFIERS and not w.isdigit())


@functools.lru_cache(maxsize=8)
def _bare_names(kb: KnowledgeBase) -> dict[str, list[tuple[int, str]]]:
    """Each fandom name and alias of the base without its qualifiers, to the fandoms it
    may name ("merlin": Merlin (TV)) and the AO3 name it stands for."""
    names: dict[str, list[tuple[int, str]]] = {}
    for f, fandom in enumerate(kb.fandoms):
        written = [(fandom.name, fandom.name), *((a, fandom.name) for a in fandom.aliases)]
        for sub_name, sub_aliases in fandom.subfandoms:
            written += [(a, sub_name) for a in (sub_name, *sub_aliases)]
        for name, ao3_name in written:
            key = _bare_key(name)
            if key and (f, ao3_name) not in names.setdefault(key, []):
                names[key].append((f, ao3_name))
    return names


def declared_candidates(kb: KnowledgeBase, written: str) -> list[tuple[int, str]]:
    """The fandoms a declared name can stand for: the base's own names and aliases first,
    else the same words around other qualifiers ("BBC's Merlin", "Merlin BBC 2008" are
    Merlin (TV), whose alias "Merlin (BBC)" the base lists)."""
    found = kb.lookup(written)
    if found:
        return found
    key = _bare_key(written)
    return list(_bare_names(kb).get(key, [])) if key else []


def find_fandoms(document: Document, kb: KnowledgeBase) -> list[tuple[Fandom, int | None]]:
    """The story's fandoms, declared first, each with its knowledge-base index (or None)."""
    index = _index(kb)
    readings = _read_story(document, kb, index)
    found: list[tuple[Fandom, int | None]] = []
    explained: set[object] = set()
    taken: set[int] = set()

    def strength(f: int) -> float:
        return readings[f].score(set())[0] if f in readings else 0.0

    for written in document.analysis.work.declared.fandoms:
        candidates = declared_candidates(kb, written)
        chosen: tuple[int, str] | None = None
        if len({f for f, _ in candidates}) == 1:
            chosen = candidates[0]
        elif candidates:  # an ambiguous alias ("ST"): the story's own clues decide
            ranked = sorted(candidates, key=lambda c: -strength(c[0]))
            if strength(ranked[0][0]) >= MIN_CONFIDENCE:
                chosen = ranked[0]
        f, name = chosen if chosen else (None, written)
        if any(existing.name == name for existing, _ in found):
            continue
        spans = _declared_spans(document, written)
        reading = readings.get(f) if f is not None else None
        if reading is not None and _passes(score := reading.score(set())):
            # The story's own clues would have found it too: one entry, the declared one,
            # with the clues as further evidence.
            spans += [span for clue in score[2] for span in clue.spans[:SPANS_PER_CLUE]]
        fandom = Fandom(name, "declared", 1.0, _evidence(document, spans))
        found.append((fandom, f))
        if f is not None:
            taken.add(f)
            explained |= _explained_by(readings.get(f))

    inferred: list[tuple[Fandom, int | None]] = []
    for _ in range(MAX_INFERRED):
        best: tuple[float, int, list[_Clue]] | None = None
        for f, reading in readings.items():
            if f in taken:
                continue
            confidence, telling, clues = reading.score(explained)
            if not _passes((confidence, telling, clues)):
                continue
            if best is None or (confidence, -kb.fandoms[f].rank) > (
                best[0],
                -kb.fandoms[best[1]].rank,
            ):
                best = (confidence, f, clues)
        if best is None:
            break
        confidence, f, clues = best
        # Clues that fit another fandom just as well (Sherlock Holmes in the BBC series and
        # in Conan Doyle) leave the choice to size, and the confidence says so.
        now_explained = explained | _explained_by(readings[f])
        for rival, reading in readings.items():
            if rival == f or rival in taken:
                continue
            score = reading.score(explained)
            if (
                _passes(score)
                and score[0] >= confidence - 0.02
                and not _passes(reading.score(now_explained))
            ):
                confidence *= TIE_FACTOR
                break
        spans = [span for clue in clues for span in clue.spans[:SPANS_PER_CLUE]]
        fandom = Fandom(
            kb.fandoms[f].name,
            "inferred",
            round(min(confidence, 0.99), 3),
            _evidence(document, spans),
        )
        inferred.append((fandom, f))
        taken.add(f)
        explained = now_explained
    inferred.sort(key=lambda item: -item[0].confidence)
    return found + inferred


def _passes(score: tuple[float, int, list[_Clue]]) -> bool:
    return score[1] >= MIN_CLUES and score[0] >= MIN_CONFIDENCE


def name_characters(document: Document, kb: KnowledgeBase, fandoms: Iterable[int]) -> None:
    """Give each story character the canonical name of the one fandom character they
    clearly are, in the story's fandoms; a name that fits several is left alone."""
    index = _index(kb)
    allowed = set(fandoms)
    if not allowed:
        return
    for character in document.analysis.characters:
        matches = [
            (match, weight)
            for match, weight in _character_matches(character, kb, index)
            if match.fandom in allowed
        ]
        if not matches:
            continue
        best_tier = min(match.tier for match, _ in matches)
        canonical = {
            kb.fandoms[m.fandom].characters[m.character].canonical
            for m, _ in matches
            if m.tier == best_tier
        }
        if len(canonical) == 1:
            character.canonical = canonical.pop()


def fandoms_stage(document: Document, kb: KnowledgeBase | None = None) -> None:
    """Pipeline stage: fill ``Analysis.fandoms`` and ``Character.canonical``.

    ``kb`` defaults to the bundled knowledge base plus the files named in FICLENS_KB.
    """
    kb = kb or load_knowledge_base()
    found = find_fandoms(document, kb)
    document.analysis.fandoms = [fandom for fandom, _ in found]
    name_characters(document, kb, [f for _, f in found if f is not None])
