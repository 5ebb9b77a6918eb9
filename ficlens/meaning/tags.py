"""Stage ``tags``: AO3 tags a fan would give the story, each with how sure ficlens is and why.

The vocabulary is ``ficlens/data/tags.json``: AO3's ratings, archive warnings and
categories, and the common additional (freeform) tags, each with its synonyms ("h/c" and
"hurt-comfort" are Hurt/Comfort).

Declared tags (``analysis.work.declared``) come first, with ``source`` "declared" and
confidence 1: each is kept exactly as the author wrote it and, when the vocabulary knows
it under another name, followed by a second declared Tag with the vocabulary's name (and
type: a declared "Gen" is the category Gen). Their evidence is the place in the notes
that declares them. Vocabulary tags an author names in passing in the summary or a note
("there's hurt/comfort ahead", "a modern AU"; not "no smut") are declared too, under the
vocabulary's name, with confidence 0.8.

Inferred tags follow, with ``source`` "inferred": one rating, the archive warnings (or No
Archive Warnings Apply, never next to another warning), the categories
(``ficlens.meaning.rating``), then freeform tags read off the cues
(``ficlens.meaning.cues``: only cues that happened count, so "he wanted to kiss him" is
Pining, not Kissing) and the relationships. Each rule asks for enough cues that one stray
word does not make a tag; the confidence grows with the count. An inferred tag the story
also declares is not listed twice: the declared tag keeps its place and gains the
inferred evidence (``merge_inferred``), so the inferred rating is missing exactly when
ficlens agrees with the declared one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ficlens.document import Document
from ficlens.meaning.cues import (
    Cue,
    CueReader,
    distinct_evidence,
    evidence_span,
    vocabulary_data,
)
from ficlens.meaning.rating import (
    archive_warnings,
    categories,
    deaths,
    on_page_deaths,
    past_deaths,
    suggest_rating,
)
from ficlens.meaning.relationships import (
    histories,
    pair_genders,
    pronoun_genders,
    relation_genders,
)
from ficlens.model import Evidence, Tag

_MAX_EVIDENCE = 3
_TYPE_ORDER = {"rating": 0, "warning": 1, "category": 2, "freeform": 3}
# Notes that may declare a tag, by the kind of tag.
_NOTE_KINDS = {
    "rating": ("rating",),
    "warning": ("warning", "tags"),
    "category": ("pairing", "tags", "warning"),
    "freeform": ("tags", "warning", "pairing", "summary", "author-note"),
}


@dataclass(frozen=True)
class VocabularyTag:
    name: str
    type: str  # rating, warning, category, freeform
    synonyms: tuple[str, ...]
    rating: str | None = None  # the rating a declared sexual-content marker implies


@functools.cache
def vocabulary() -> tuple[VocabularyTag, ...]:
    """The controlled vocabulary, as shipped in ``ficlens/data/tags.json``."""
    return tuple(
        VocabularyTag(t["name"], t["type"], tuple(t["synonyms"]), t.get("rating"))
        for t in vocabulary_data()["tags"]
    )


def _key(name: str) -> str:
    return re.sub(r"[\s_.\-]+", " ", name.lower().replace("’", "'")).strip()


@functools.cache
def _index() -> dict[str, VocabularyTag]:
    index: dict[str, VocabularyTag] = {}
    for tag in vocabulary():
        for synonym in tag.synonyms:
            index.setdefault(_key(synonym), tag)
    for tag in vocabulary():  # a name beats another tag's synonym
        index[_key(tag.name)] = tag
    return index


def normalise(name: str) -> VocabularyTag | None:
    """The vocabulary tag that ``name`` (a tag as a person writes it) stands for, if any."""
    return _index().get(_key(name))


def tags_stage(doc: Document) -> None:
    """Pipeline stage: fill ``Analysis.tags`` (declared ones first, then inferred)."""
    reader = CueReader.of(doc)
    declared = declared_tags(doc)
    markers = [
        (entry.rating, t.evidence)
        for t in declared
        if (entry := normalise(t.name)) is not None and entry.rating
    ]
    analysis = doc.analysis
    hints = {**pronoun_genders(doc), **relation_genders(doc, reader)}
    known = {c.id: c.gender or hints.get(c.id) for c in analysis.characters}
    romantic = [frozenset(r.characters) for r in analysis.relationships if r.kind == "romantic"]
    couples = pair_genders(doc, romantic, {k: g for k, g in known.items() if g})
    inferred = [
        suggest_rating(doc, reader, markers),
        *archive_warnings(doc, reader),
        *categories(analysis.relationships, analysis.characters, hints, couples),
        *freeform_tags(doc, reader),
    ]
    analysis.tags = declared + merge_inferred(declared, inferred)


NO_WARNINGS = "No Archive Warnings Apply"


def merge_inferred(declared: list[Tag], inferred: list[Tag]) -> list[Tag]:
    """The inferred tags to list after the declared ones.

    A tag is listed once: an inferred tag that the story declares too (the same name and
    type) is folded into the declared one, which gains its evidence from the story (the
    declared tag stays first-hand; ficlens agreeing adds no entry). And No Archive Warnings
    Apply is not suggested next to an archive warning, declared or inferred: an author who
    warns for a death has not written a story without warnings.
    """
    by_name = {(t.name.lower(), t.type): t for t in declared}
    warned = any(t.type == "warning" and t.name != NO_WARNINGS for t in declared + inferred)
    kept: list[Tag] = []
    for tag in inferred:
        if tag.type == "warning" and tag.name == NO_WARNINGS and warned:
            continue
        same = by_name.get((tag.name.lower(), tag.type))
        if same is None:
            kept.append(tag)
            continue
        limit = len(same.evidence) + _MAX_EVIDENCE
        same.evidence = distinct_evidence([*same.evidence, *tag.evidence], limit)
        same.confidence = max(same.confidence, tag.confidence)
    return kept


def declared_tags(doc: Document) -> list[Tag]:
    """The tags the story declares, as written and mapped to the vocabulary."""
    declared = doc.analysis.work.declared
    written: list[tuple[str, str]] = []
    if declared.rating:
        written.append((declared.rating, "rating"))
    written += [(w, "warning") for w in declared.warnings]
    written += [(c, "category") for c in declared.categories]
    written += [(t, "freeform") for t in declared.tags]
    tags: list[Tag] = []
    names: set[tuple[str, str]] = set()

    def add(name: str, type_: str, evidence: list[Evidence]) -> None:
        if (name.lower(), type_) not in names:
            names.add((name.lower(), type_))
            tags.append(Tag(name, type_, "declared", 1.0, evidence))  # type: ignore[arg-type]

    for name, type_ in written:
        entry = normalise(name)
        if entry is not None and entry.type != "freeform":
            type_ = entry.type  # a declared "Gen" is a category, "Major Character Death" a warning
        as_written = declared.rating_as_written if type_ == "rating" else name
        evidence = _declared_evidence(doc, as_written or name, type_)
        add(name, type_, evidence)
        if entry is not None and entry.name != name:
            add(entry.name, entry.type, evidence)
    # Tags named in passing in the summary or an author's note ("there's hurt/comfort
    # ahead", "modern AU"): declared too, under the vocabulary's name, a little less sure.
    for entry, evidence in tags_in_notes(doc):
        if (entry.name.lower(), entry.type) not in names:
            names.add((entry.name.lower(), entry.type))
            tags.append(Tag(entry.name, entry.type, "declared", 0.8, [evidence]))  # type: ignore[arg-type]
    return sorted(tags, key=lambda t: _TYPE_ORDER[t.type])


# Single words that are fan-fiction jargon, safe to read as tags in an author's prose
# (unlike "sad", "death" or "family", which are ordinary words there; "one-shot" is left
# out: "this started as a one-shot" says it is not one).
_JARGON = frozenset(
    """angst angsty fluff fluffy smut pwp h/c au slowburn slow-burn crackfic sickfic whump
    hurt/comfort hurt-comfort fix-it post-canon pre-canon pre-slash preslash bromance mcd
    non-con noncon""".split()
)
_NOTE_PROSE = ("summary", "author-note", "end-note")
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|without|never|zero|isn['’]t|won['’]t|nor)\W+(?:\w+\W+)?$", re.I
)


@functools.cache
def _prose_terms() -> re.Pattern[str]:
    terms = set()
    for entry in vocabulary():
        if entry.type in ("rating", "category"):
            continue
        for term in (entry.name, *entry.synonyms):
            term = term.lower()
            if " " in term.strip() or term in _JARGON:
                terms.add(term)
    ordered = sorted(terms, key=len, reverse=True)  # "modern au" before "au"
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
    return re.compile(r"(?<![\w/-])(?:" + body + r")(?![\w/-])", re.I)


def tags_in_notes(doc: Document) -> list[tuple[VocabularyTag, Evidence]]:
    """Vocabulary tags an author names in the summary or a note, unless negated ("no
    smut")."""
    found = []
    for note in doc.analysis.work.notes:
        if note.kind not in _NOTE_PROSE:
            continue
        for match in _prose_terms().finditer(note.text):
            if _NEGATED_BEFORE.search(note.text[max(0, match.start() - 30) : match.start()]):
                continue
            entry = normalise(match.group())
            if entry is not None:
                start = note.start + match.start()
                found.append((entry, evidence_span(doc.text, start, start + len(match.group()))))
    return found


def _declared_evidence(doc: Document, name: str, type_: str) -> list[Evidence]:
    """Where the notes declare ``name``: the words themselves inside a note."""
    pattern = re.compile(r"(?<!\w)" + re.escape(name).replace(r"\ ", r"\s+") + r"(?!\w)", re.I)
    for note in doc.analysis.work.notes:
        if note.kind in _NOTE_KINDS[type_]:
            match = pattern.search(note.text)
            if match:
                start = note.start + match.start()
                return [evidence_span(doc.text, start, start + len(match.group()))]
    if type_ != "freeform":
        # Written otherwise ("Warnings: none"): the note that declares it.
        for note in doc.analysis.work.notes:
            if note.kind == _NOTE_KINDS[type_][0]:
                return [evidence_span(doc.text, note.start, note.end)]
    return []


def freeform_tags(doc: Document, reader: CueReader) -> list[Tag]:
    """Additional tags inferred from the cues and the relationships."""
    rules = _Rules(doc, reader)
    return [tag for rule in _RULES if (tag := rule(rules)) is not None]


class _Rules:
    """What the freeform rules read, computed once."""

    def __init__(self, doc: Document, reader: CueReader) -> None:
        self.doc = doc
        self.reader = reader
        self.words = max(doc.analysis.work.word_count, 1)
        self.relationships = doc.analysis.relationships
        self.romantic = [r for r in self.relationships if r.kind == "romantic" and r.on_page]
        self.length = max((p.end for p in doc.analysis.paragraphs()), default=len(doc.text))
        self.story_start = min((p.start for p in doc.analysis.paragraphs()), default=0)

    def cues(self, *kinds: str) -> list[Cue]:
        return self.reader.happened(*kinds)

    def tag(self, name: str, confidence: float, cues: list[Cue] | list[Evidence]) -> Tag:
        spans = (self.reader.evidence(c) if isinstance(c, Cue) else c for c in cues)
        evidence = distinct_evidence(spans, _MAX_EVIDENCE)
        return Tag(name, "freeform", "inferred", round(min(confidence, 0.95), 2), evidence)

    def where(self, cue: Cue) -> float:
        """How far into the story a cue is, from 0 to 1."""
        return (cue.start - self.story_start) / max(1, self.length - self.story_start)

    def per_thousand(self, count: int) -> float:
        return count * 1000 / self.words


def _grow(count: int, at: int, base: float = 0.5, step: float = 0.1) -> float:
    return base + step * (count - at)


def _kissing(r: _Rules) -> Tag | None:
    kisses = [c for c in r.cues("kiss") if not c.past]  # a remembered kiss is not on the page
    return r.tag("Kissing", _grow(len(kisses), 1, 0.6), kisses) if kisses else None


def _hugs(r: _Rules) -> Tag | None:
    hugs = r.cues("hug")
    return r.tag("Hugs", _grow(len(hugs), 1, 0.55), hugs) if hugs else None


def _crying(r: _Rules) -> Tag | None:
    tears = r.cues("cry")
    return r.tag("Crying", _grow(len(tears), 1, 0.5), tears) if tears else None


def _love_confessions(r: _Rules) -> Tag | None:
    said = r.cues("confession")
    return r.tag("Love Confessions", _grow(len(said), 1, 0.65), said) if said else None


def _grief(r: _Rules) -> Tag | None:
    grief = r.cues("grief")
    if len(grief) >= 2 or (grief and deaths(r.doc, r.reader)):
        return r.tag("Grief/Mourning", _grow(len(grief), 1, 0.5), grief)
    return None


def _character_death(r: _Rules) -> Tag | None:
    died = on_page_deaths(r.doc, r.reader)
    if died:
        return r.tag("Character Death", 0.6 + 0.1 * (len(died) > 1), [c for c, _ in died])
    return None


def _past_death(r: _Rules) -> Tag | None:
    past = [c for c, _ in past_deaths(r.doc, r.reader)]
    return r.tag("Past Character Death", 0.5, past) if past else None


def _violence(r: _Rules) -> Tag | None:
    violence = r.cues("violence")
    if len(violence) >= 3:
        return r.tag("Violence", _grow(len(violence), 3, 0.5, 0.05), violence)
    return None


def _injury(r: _Rules) -> Tag | None:
    hurt = r.cues("injury")
    return r.tag("Injury", _grow(len(hurt), 2), hurt) if len(hurt) >= 2 else None


def _sick_fic(r: _Rules) -> Tag | None:
    sick = r.cues("sickness")
    return r.tag("Sick Fic", _grow(len(sick), 3), sick) if len(sick) >= 3 else None


def _nightmares(r: _Rules) -> Tag | None:
    dreams = [c for c in r.reader.find("nightmare") if not c.negated]
    return r.tag("Nightmares", _grow(len(dreams), 1, 0.6), dreams) if dreams else None


def _hurt_comfort(r: _Rules) -> Tag | None:
    hurt = r.cues("injury", "sickness", "nightmare", "cry")
    comfort = r.cues("comfort")
    if len(hurt) >= 2 and comfort:
        return r.tag("Hurt/Comfort", _grow(len(hurt) + len(comfort), 3), comfort + hurt)
    return None


def _sad(r: _Rules) -> list[Cue]:
    return r.cues("sadness", "cry", "grief") + [c for c, _ in deaths(r.doc, r.reader)]


def _happy(r: _Rules) -> list[Cue]:
    return r.cues("happiness", "warmth", "kiss", "humour")


def _angst(r: _Rules) -> Tag | None:
    sad = _sad(r)
    if len(sad) >= 4 and r.per_thousand(len(sad)) >= 6 and len(sad) >= 0.6 * len(_happy(r)):
        return r.tag("Angst", _grow(len(sad), 4, 0.5, 0.05), sad)
    return None


def _fluff(r: _Rules) -> Tag | None:
    happy = _happy(r)
    sad = _sad(r)
    dark = r.cues("violence", "death", "injury")
    calm = len(sad) <= len(happy) / 4 and len(dark) <= 1
    if len(happy) >= 6 and r.per_thousand(len(happy)) >= 15 and calm:
        return r.tag("Fluff", _grow(len(happy), 6, 0.5, 0.03), happy)
    return None


def _domestic_fluff(r: _Rules) -> Tag | None:
    home = r.cues("domestic")
    if len(home) >= 3 and _fluff(r) is not None:
        return r.tag("Domestic Fluff", _grow(len(home), 3), home)
    return None


def _romance(r: _Rules) -> Tag | None:
    if r.romantic:
        best = max(r.romantic, key=lambda x: x.score)
        return r.tag("Romance", 0.5 + 0.4 * best.score, best.evidence)
    return None


def _established(r: _Rules) -> Tag | None:
    if not r.romantic or r.cues("first"):
        return None
    settled = r.cues("established")
    if settled:
        return r.tag("Established Relationship", _grow(len(settled), 1, 0.5), settled)
    return None


def _first_kiss(r: _Rules) -> Tag | None:
    kisses = r.cues("kiss")
    if not kisses or not r.romantic:
        return None
    said = r.cues("first")
    if said:
        return r.tag("First Kiss", 0.75, said)
    if r.cues("established"):
        return None
    first = kisses[0]
    longing = [c for c in r.reader.find("kiss") if c.hypothetical and c.start < first.start]
    longing += [c for c in r.cues("pining", "confession") if c.start < first.start]
    if r.where(first) >= 0.5 and longing:
        return r.tag("First Kiss", 0.5, [first, *longing])
    return None


def _friends_to_lovers(r: _Rules) -> Tag | None:
    return _history_tag(r, "friends", "Friends to Lovers")


def _enemies_to_lovers(r: _Rules) -> Tag | None:
    return _history_tag(r, "enemies", "Enemies to Lovers")


def _history_tag(r: _Rules, history: str, name: str) -> Tag | None:
    for relationship in r.romantic:
        if histories(r.doc).get(frozenset(relationship.characters)) == history:
            return r.tag(name, 0.5, relationship.evidence)
    return None


def _pining(r: _Rules) -> Tag | None:
    wishes = [
        c
        for kind in ("kiss", "romance")
        for c in r.reader.find(kind)
        if c.hypothetical and not c.negated
    ]
    pining = r.cues("pining")
    if len(pining) >= 2 or (pining and wishes) or len(wishes) >= 2:
        return r.tag("Pining", _grow(len(pining) + len(wishes), 2), pining + wishes)
    return None


def _slow_burn(r: _Rules) -> Tag | None:
    kisses = r.cues("kiss")
    if r.words >= 15_000 and r.romantic and kisses and r.where(kisses[0]) >= 0.75:
        return r.tag("Slow Burn", 0.5, kisses[:1])
    return None


def _friendship(r: _Rules) -> Tag | None:
    friends = [x for x in r.relationships if x.kind == "platonic" and x.on_page]
    spoken = r.cues("friendship")
    if friends and spoken:
        return r.tag("Friendship", _grow(len(spoken), 1, 0.55), spoken)
    return None


def _family(r: _Rules) -> Tag | None:
    family = [x for x in r.relationships if x.kind == "family" and x.on_page]
    if family:
        return r.tag("Family", 0.5 + 0.1 * len(family), [e for x in family for e in x.evidence])
    return None


def _humor(r: _Rules) -> Tag | None:
    funny = r.cues("humour")
    if len(funny) >= 4 and r.per_thousand(len(funny)) >= 8:
        return r.tag("Humor", _grow(len(funny), 4, 0.45, 0.05), funny)
    return None


def _banter(r: _Rules) -> Tag | None:
    teasing = r.cues("banter")
    spoken = sum(q.speech for q in r.doc.analysis.quotes)
    if len(teasing) >= 3 and spoken >= 6:
        return r.tag("Banter", _grow(len(teasing), 3), teasing)
    return None


def _simple(name: str, kind: str, at: int, base: float = 0.55) -> Callable[[_Rules], Tag | None]:
    """A tag that needs ``at`` cues of one kind (that are not negated)."""

    def rule(r: _Rules) -> Tag | None:
        found = [c for c in r.reader.find(kind) if not c.negated]
        return r.tag(name, _grow(len(found), at, base), found) if len(found) >= at else None

    return rule


def _swearing(r: _Rules) -> Tag | None:
    strong = r.reader.find("swear_strong")
    if strong:
        return r.tag("Swearing", _grow(len(strong), 1, 0.6), strong)
    return None


def _post_canon(r: _Rules) -> Tag | None:
    setting = r.doc.analysis.work.declared.setting or ""
    if re.search(r"\b(?:after|post|following)\b", setting, re.I):
        notes = [n for n in r.doc.analysis.work.notes if n.kind == "setting"]
        evidence = [evidence_span(r.doc.text, n.start, n.end) for n in notes]
        return r.tag("Post-Canon", 0.6, evidence)
    return None


_RULES: tuple[Callable[[_Rules], Tag | None], ...] = (
    _romance,
    _established,
    _first_kiss,
    _kissing,
    _love_confessions,
    _pining,
    _slow_burn,
    _friends_to_lovers,
    _enemies_to_lovers,
    _hugs,
    _crying,
    _hurt_comfort,
    _angst,
    _fluff,
    _domestic_fluff,
    _grief,
    _character_death,
    _past_death,
    _violence,
    _injury,
    _sick_fic,
    _nightmares,
    _friendship,
    _family,
    _humor,
    _banter,
    _simple("Jealousy", "jealousy", 1),
    _simple("Protectiveness", "protect", 2),
    _simple("Fake/Pretend Relationship", "fake", 1, 0.6),
    _simple("Alcohol", "alcohol", 2),
    _simple("Christmas", "christmas", 2),
    _simple("Bed Sharing", "bedshare", 1),
    _simple("Panic Attacks", "panic", 1, 0.6),
    _swearing,
    _post_canon,
)
