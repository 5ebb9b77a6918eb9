"""Rating, archive warnings and category, suggested the way a cautious AO3 wrangler would.

- Rating on AO3's scale: a strong swear word ("fuck", "shit") makes Teen And Up
  Audiences, as do repeated violence, an on-page death and sex that is only talked about
  or remembered; mild swearing ("damn", "bloody hell") alone stays General Audiences;
  graphic gore (blood pouring, bones breaking) or sexual scenes that stop short of the
  explicit make Mature; explicit sexual content makes Explicit. Declared tags that mark
  sexual content (Smut, Sexual Content) count too. With nothing of the kind: General
  Audiences.
- Archive warnings need the thing on the page: Graphic Depictions Of Violence wants
  repeated gore (spilled entrails, a skull split open), Major Character Death a main or
  secondary character dying in the story's present (not a remembered death, not "he
  almost died", and not someone who speaks afterwards); Rape/Non-Con and Underage Sex
  want their explicit words. Otherwise No Archive Warnings Apply.
- Category from the romantic relationships and the characters' genders: F/M, M/M, F/F;
  Multi when there are several kinds or a poly relationship; Gen with no romance. An
  unknown gender gives no category (it is not Other).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ficlens.document import Document, Mention
from ficlens.meaning.cues import Cue, CueReader, distinct_evidence
from ficlens.model import Character, Evidence, Relationship, Tag
from ficlens.nlp.names import given_name_gender

RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit")
_MAX_EVIDENCE = 3
# Deaths whose victim is the subject before the cue ("Arthur died").
_SUBJECT_DEATHS = re.compile(
    r"^(?:died|dies|is dead|was dead|lay dead|fell dead|dropped dead|stopped breathing|"
    r"breathed \w+ last|last breath|passed away|(?:was|were) gone)",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:was|were|been|got|be|is|are)\s+$", re.I)


def suggest_rating(
    doc: Document, reader: CueReader, declared: Iterable[tuple[str, list[Evidence]]] = ()
) -> Tag:
    """The inferred rating, with the sentences that call for it.

    ``declared`` holds the ratings implied by declared marker tags (Smut: Explicit) with
    their evidence.
    """
    levels: list[list[tuple[float, Evidence | None]]] = [[], [], [], []]

    def lift(level: int, cues: list[Cue], at: int, base: float) -> None:
        if len(cues) >= at:
            confidence = min(0.9, base + 0.1 * (len(cues) - at))
            levels[level].extend((confidence, reader.evidence(c)) for c in cues)

    # A scene is narrated in the story's present; sex talked about or remembered ("we
    # slept together once", "fuck you" as an insult) is a reference: Teen And Up at most.
    sexual = _not_negated(reader, "sexual_explicit") + _not_negated(reader, "sexual_mature")
    explicit = [c for c in sexual if c.kind == "sexual_explicit" and _in_scene(c)]
    mature = [c for c in sexual if c.kind == "sexual_mature" and _in_scene(c)]
    mentioned = [c for c in sexual if not _in_scene(c)]
    # Gore that happens is shown; a threat or a fear of it ("I'll break every bone in your
    # body") is not graphic: Teen And Up at most.
    gore = reader.happened("gore")
    threatened = [c for c in _not_negated(reader, "gore") if c.hypothetical]
    strong = reader.find("swear_strong")  # a swear word is one, whatever the sentence
    lift(3, explicit, 2, 0.6)
    lift(2, explicit, 1, 0.5)
    lift(2, mature, 2, 0.5)
    lift(2, gore, 2, 0.55)
    lift(2, strong, 12, 0.5)  # language that never lets up
    lift(1, strong, 1, 0.6)
    lift(1, reader.happened("violence"), 3, 0.5)
    lift(1, gore, 1, 0.5)
    lift(1, threatened, 1, 0.5)
    lift(1, mature, 1, 0.5)
    lift(1, mentioned, 1, 0.5)
    lift(1, [cue for cue, _ in on_page_deaths(doc, reader)], 1, 0.5)
    for name, evidence in declared:
        if name in RATINGS:
            level = levels[RATINGS.index(name)]
            level.extend([(0.8, e) for e in evidence] or [(0.8, None)])
    for level in (3, 2, 1):
        if levels[level]:
            confidence = max(c for c, _ in levels[level])
            evidence = _unique(e for _, e in levels[level] if e is not None)
            return Tag(RATINGS[level], "rating", "inferred", round(confidence, 2), evidence)
    return Tag(RATINGS[0], "rating", "inferred", 0.6, [])


def archive_warnings(doc: Document, reader: CueReader) -> list[Tag]:
    """Inferred archive warnings, or No Archive Warnings Apply."""
    tags: list[Tag] = []
    gore = reader.happened("gore")
    violence = reader.happened("violence")
    if len(gore) >= 2 and (violence or len(gore) >= 4):
        confidence = min(0.85, 0.5 + 0.1 * (len(gore) - 2))
        tags.append(_tag("Graphic Depictions Of Violence", "warning", confidence, reader, gore))
    died = [d for d in on_page_deaths(doc, reader) if d[1].role in ("main", "secondary")]
    if died:
        confidence = 0.7 if any(c.role == "main" for _, c in died) else 0.6
        tags.append(
            _tag("Major Character Death", "warning", confidence, reader, [d for d, _ in died])
        )
    nonconsent = [c for c in reader.happened("nonconsent") if c.quote is None]
    if nonconsent:
        tags.append(_tag("Rape/Non-Con", "warning", 0.5, reader, nonconsent))
    sexual = _not_negated(reader, "sexual_explicit") + _not_negated(reader, "sexual_mature")
    ages = reader.find("underage_age")
    near = [
        a
        for a in ages
        if any(abs(a.sentence.paragraph - s.sentence.paragraph) <= 3 for s in sexual)
    ]
    if len(sexual) >= 2 and near:
        tags.append(_tag("Underage Sex", "warning", 0.4, reader, near + sexual))
    if not tags:
        tags.append(Tag("No Archive Warnings Apply", "warning", "inferred", 0.7, []))
    return tags


def on_page_deaths(doc: Document, reader: CueReader) -> list[tuple[Cue, Character]]:
    """Deaths told in the story's present, each with the character who dies."""
    return [(cue, c) for cue, c in deaths(doc, reader) if not cue.past and c.role != "mentioned"]


def past_deaths(doc: Document, reader: CueReader) -> list[tuple[Cue, Character]]:
    """Deaths before the story's present ("her brother had died in the spring")."""
    return [(cue, c) for cue, c in deaths(doc, reader) if cue.past or c.role == "mentioned"]


def deaths(doc: Document, reader: CueReader) -> list[tuple[Cue, Character]]:
    """Every narrated death that happened, with its victim (past deaths included)."""
    characters = {c.id: c for c in doc.analysis.characters}
    mentions = [m for m in doc.mentions if m.character is not None and not m.in_quote]
    starts = [m.start for m in mentions]
    found = []
    for cue in reader.happened("death"):
        if cue.quote is not None:
            continue  # told in dialogue, not shown
        lo = bisect.bisect_left(starts, cue.sentence.start)
        hi = bisect.bisect_left(starts, cue.sentence.end)
        in_sentence = mentions[lo:hi]
        words = doc.text[cue.start : cue.end]
        victim = None
        if _SUBJECT_DEATHS.match(words) or (
            _PASSIVE.search(doc.text[cue.sentence.start : cue.start])
        ):
            before = [m for m in in_sentence if m.end <= cue.start]
            if before and _can_die(doc.text, before[-1], cue.start):
                victim = before[-1].character
        elif words.lower() == "lifeless":
            before = [m for m in in_sentence if m.end <= cue.start]
            if before and re.match(r"^['’]s\s+$", doc.text[before[-1].end : cue.start]):
                victim = before[-1].character
        else:  # "Mordred killed Arthur"
            after = [m for m in in_sentence if m.start >= cue.end]
            if after and len(doc.text[cue.end : after[0].start].split()) <= 1:
                victim = after[0].character
        # Someone who speaks afterwards did not die ("for a moment she thought he was dead").
        if victim in characters and not any(
            q.speaker == victim and q.start > cue.end and q.speech for q in doc.analysis.quotes
        ):
            found.append((cue, characters[victim]))
    return found


def _can_die(text: str, mention: Mention, cue_start: int) -> bool:
    """The mention is the subject of a death a few words on ("Arthur had died"), not a
    possessor ("Harry's phone was dead", "his phone died")."""
    if mention.kind == "pronoun" and mention.text.lower() not in ("he", "she", "they"):
        return False
    between = text[mention.end : cue_start]
    return not re.match(r"^['’]s?\s", between) and len(between.split()) <= 4


def categories(
    relationships: list[Relationship],
    characters: list[Character],
    hints: dict[str, str] | None = None,
    pairs: dict[frozenset[str], str] | None = None,
) -> list[Tag]:
    """AO3 categories from the romantic relationships and the partners' genders (from
    their pronouns, else from ``hints`` such as "her husband", else their given name);
    ``pairs`` tells the genders of a couple ("FM", "MM", "FF") where neither is known.

    The romances on the page decide (a remembered one only when there is none on the
    page). A pair whose genders are not both known gives no category: "Other" is AO3's
    category for genders outside F and M, which pronouns he and she never show, so an
    unknown gender is not Other. Multi, as on AO3, wants romances of different kinds
    (F/M and M/M) or a poly relationship (three people each romantic with the others);
    a love triangle of one kind is that kind.
    """
    hints = hints or {}
    genders = {c.id: c.gender or hints.get(c.id) or _gender_of_name(c) for c in characters}
    romantic = [r for r in relationships if r.kind == "romantic"]
    if not romantic:
        return [Tag("Gen", "category", "inferred", 0.6, [])]
    on_page = [r for r in romantic if r.on_page]
    found: dict[str, list[Evidence]] = {}
    for relationship in on_page or romantic:
        pair = "".join(sorted(genders.get(i) or "?" for i in relationship.characters))
        if "?" in pair and pairs:
            pair = pairs.get(frozenset(relationship.characters), pair)
        category = {"FM": "F/M", "MM": "M/M", "FF": "F/F"}.get(pair)
        if category is not None:
            found.setdefault(category, []).extend(relationship.evidence[:1])
    tags = [
        Tag(category, "category", "inferred", 0.7, evidence[:_MAX_EVIDENCE])
        for category, evidence in sorted(found.items())
    ]
    poly = _poly(on_page or romantic)
    if len(found) > 1 or poly:
        evidence = [e for r in (poly or on_page or romantic) for e in r.evidence[:1]]
        tags.append(Tag("Multi", "category", "inferred", 0.5, evidence[:_MAX_EVIDENCE]))
    return tags


def _poly(romantic: list[Relationship]) -> list[Relationship]:
    """The romances of three people who are each romantic with the other two, if any."""
    pairs = {frozenset(r.characters): r for r in romantic}
    people = sorted({c for r in romantic for c in r.characters})
    for i, a in enumerate(people):
        for j, b in enumerate(people[i + 1 :], i + 1):
            if frozenset((a, b)) not in pairs:
                continue
            for c in people[j + 1 :]:
                ac, bc = frozenset((a, c)), frozenset((b, c))
                if ac in pairs and bc in pairs:
                    return [pairs[frozenset((a, b))], pairs[ac], pairs[bc]]
    return []


def _gender_of_name(character: Character) -> str | None:
    """The gender a common given name suggests, when the pronouns did not tell."""
    for word in (character.canonical or character.name).split():
        gender = given_name_gender(word.strip(".,"))
        if gender:  # the first word that is a given name ("Captain Elena Voss")
            return gender
    return None


def _not_negated(reader: CueReader, kind: str) -> list[Cue]:
    """Cues that count for the rating: the content is on the page even when it is wanted."""
    return [c for c in reader.find(kind) if not c.negated]


def _in_scene(cue: Cue) -> bool:
    """A sexual cue that is part of a scene: narrated, and not remembered."""
    return cue.quote is None and not cue.past


def _tag(name: str, type_: str, confidence: float, reader: CueReader, cues: list[Cue]) -> Tag:
    evidence = _unique(reader.evidence(c) for c in cues)
    return Tag(name, type_, "inferred", round(confidence, 2), evidence)  # type: ignore[arg-type]


def _unique(evidence: Iterable[Evidence]) -> list[Evidence]:
    ordered = sorted(evidence, key=lambda e: (e.start, e.end))
    return distinct_evidence(ordered, _MAX_EVIDENCE)
