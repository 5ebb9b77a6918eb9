"""Stage ``relationships``: who is what to whom, in AO3 notation, with the sentences that show it.

For every pair of characters the stage gathers what a reader would notice:

- co-presence: the scenes and paragraphs they share;
- conversation: quotations one says to the other (``Quote.speaker``/``addressees``);
- cues tied to the pair (``ficlens.meaning.cues``): affection (kiss, "in love with",
  cradling a cheek), warmth (hugs), conflict (punch, shout at, insult, "I hate you";
  a quarrel, "argued", weighs half: friends bicker too), and relation words: family
  ("her sister Emma", "Tom's grandson"), partners ("her husband, Robert"), friends ("his
  best friend"). A verb cue is tied to the first
  character of its clause and the nearest other one after it in the same sentence (the
  subject and the object, pronouns resolved by coreference; an object pronoun left alone
  goes to the nearest other person of its gender in the lines before); a relation word to
  its possessor and the person it names; "I love you" to the speaker and the one spoken
  to. Characters the fandom stage gave the same canonical name count as one person.

Then one kind per pair, conservatively: family when a family word ties them; romantic
only on affection cues (talking, even hugging, is not romance); antagonistic when
conflict outweighs warmth; platonic for friends and for people who talk or hug. A pair is
off the page (``on_page`` false) when one of them is only mentioned, or when everything
that ties them is remembered or past ("her late husband", "he had kissed her once").
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ficlens.document import Document, Mention
from ficlens.meaning.cues import Cue, CueReader, cue_span, distinct_evidence, evidence_span
from ficlens.meaning.rating import deaths
from ficlens.model import Character, Evidence, Quote, Relationship

# How much one cue of each kind says about a pair.
_WEIGHTS = {
    "kiss": 1.0,
    "romance": 1.0,
    "confession": 1.5,
    "partner_noun": 1.5,
    "romance_weak": 0.5,
    "warmth": 0.5,
    "conflict": 0.6,
    "quarrel": 0.3,
    "dialogue_conflict": 1.0,
    "family_noun": 2.0,
    "friendship": 1.0,
}
_ROMANTIC = ("kiss", "romance", "confession", "partner_noun", "romance_weak")
_PLATONIC = ("friendship", "warmth")
_CONFLICT = ("conflict", "quarrel", "dialogue_conflict")
# A pair becomes romantic at this much affection; one kiss or one "lover" is enough,
# a held hand is not.
_ROMANCE_AT = 1.0
# Conflict needs to be sustained: two friends trading a shove are not enemies. Hostility
# (an insult, a glare, a punch) weighs twice a quarrel: friends argue about the pizza
# and stay friends, so it takes six quarrels and no warmth to make enemies.
_CONFLICT_AT = 1.7  # three hostile cues, or "I hate you" and one more
# Quotations exchanged before two people count as talking to each other.
_TALK_AT = 2
# The main pairing scores this much above the next romantic pair.
_STANDS_OUT = 1.5
_MAX_EVIDENCE = 5

# Between a possessor and a relation word: "Tom's little sister", "her late husband".
_RELATION_GAP = re.compile(
    r"^(?:['’]s?)?\s+(?P<adjectives>(?:(?:little|big|older|younger|elder|eldest|baby|twin|kid|"
    r"late|dead|beloved|dear|new|ex-?|former|own|long-suffering|estranged|best|oldest|"
    r"closest|old|dearest|only|favourite|favorite|childhood|real)\s+)*)$",
    re.I,
)
_COPULA = re.compile(
    r"^\s+(?:is|was|were|are|had\s+been|has\s+been|became|'s|’s)\s+(?:also\s+|still\s+|once\s+)?$",
    re.I,
)
_PLURAL_SUBJECT = re.compile(r"^\s+and\s+$", re.I)
_REACH = 300  # characters around a cue where its people are looked for
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:and|but|then|while|as|when)\s")
# The subject of a clause that is the two people of the scene together.
_THEY = re.compile(
    r"^\s*(?:(?:and|but|so|then)\s+)?(?:they|the\s+two\s+of\s+them|both\s+of\s+them)\s+"
    r"(?:[\w'’]+\s+){0,3}$",
    re.I,
)
_ONCE = re.compile(r"\bhad\s+been\b|\bonce\b", re.I)
_OBJECT_PRONOUN = re.compile(r"^\s+(him|her|them)\b", re.I)
_PRONOUN_GENDER = {"him": "M", "his": "M", "her": "F", "hers": "F"}
_GONE = re.compile(r"\b(?:late|dead|former|ex-?)\s", re.I)
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their"})
_NOUN_GENDERS = {
    "M": frozenset(
        """husband husbands boyfriend boyfriends fiancé fiance brother father dad daddy son
        grandson grandfather grandpa gramps grandad granddad uncle nephew""".split()
    ),
    "F": frozenset(
        """wife girlfriend girlfriends fiancée fiancee sister mother mum mom mummy mommy
        daughter granddaughter grandmother grandma gran granny nan nana nanna aunt auntie
        aunty niece""".split()
    ),
}
_VOCATIVES = frozenset(
    """mum mom mam mummy mommy ma mother dad daddy da papa father gran granny grandma grandpa
    grandad granddad gramps nan nana nanna auntie aunty uncle son""".split()
)


@dataclass
class _Tie:
    cue: Cue
    weight: float
    gone: bool = False  # "her late husband": the tie is real but no longer on the page


@dataclass
class _Pair:
    ties: dict[str, list[_Tie]] = field(default_factory=lambda: defaultdict(list))
    said: list[Quote] = field(default_factory=list)  # quotations one says to the other
    paragraphs: int = 0
    scenes: int = 0

    def merge(self, other: _Pair) -> None:
        for kind, ties in other.ties.items():
            self.ties[kind].extend(ties)
        self.said += other.said
        self.paragraphs += other.paragraphs
        self.scenes = max(self.scenes, other.scenes)

    def weight(self, kinds: tuple[str, ...]) -> float:
        return sum(t.weight for kind in kinds for t in self.ties.get(kind, []))

    def of(self, kinds: tuple[str, ...]) -> list[_Tie]:
        return sorted((t for k in kinds for t in self.ties.get(k, [])), key=lambda t: t.cue.start)


def relationships_stage(doc: Document) -> None:
    """Pipeline stage: fill ``Analysis.relationships`` and ``Analysis.main_pairing``."""
    analysis = doc.analysis
    characters = {c.id: c for c in analysis.characters}
    if len(characters) < 2:
        return
    reader = CueReader.of(doc)
    people, same = _people(analysis.characters)
    pairs: dict[frozenset[str], _Pair] = defaultdict(_Pair)
    for key, pair in read_pairs(doc, reader).items():
        merged = frozenset(same[i] for i in key)
        if len(merged) == 2:
            pairs[merged].merge(pair)
    # Who died before the story's present: a tie to them is off the page.
    dead = {same[c.id] for cue, c in deaths(doc, reader) if cue.past or c.role == "mentioned"}
    relationships = []
    for key, pair in pairs.items():
        if any(people[i].name.lower() in _VOCATIVES for i in key):
            continue  # "Gran" as a character is a way of addressing someone, not a person
        if any(people[i].described for i in key):
            continue  # "a tinker" who says a line or two is nobody's pairing
        a, b = sorted(key)
        relationship = judge(pair, people[a], people[b], doc.text, dead)
        if relationship is not None:
            relationships.append(relationship)
    relationships.sort(key=lambda r: (-r.score, r.notation))
    analysis.relationships = relationships
    analysis.main_pairing = main_pairing(relationships)
    reader.memo["histories"] = {
        frozenset(r.characters): _history(pairs[frozenset(r.characters)])
        for r in relationships
        if r.kind == "romantic"
    }


def histories(doc: Document) -> dict[frozenset[str], str]:
    """How each romantic pair came together, where the story shows it: "friends" (friends
    before any romance) or "enemies" (sustained conflict before any romance)."""
    return CueReader.of(doc).memo.get("histories", {})


def _history(pair: _Pair) -> str:
    romance = pair.of(_ROMANTIC)
    if not romance:
        return ""
    start = romance[0].cue.start
    friends = [t for t in pair.of(("friendship",)) if t.cue.start < start]
    enemies = [t for t in pair.of(_CONFLICT) if t.cue.start < start]
    if sum(t.weight for t in enemies) >= _CONFLICT_AT:
        return "enemies"
    return "friends" if friends else ""


def _people(characters: list[Character]) -> tuple[dict[str, Character], dict[str, str]]:
    """One Character per person: characters the fandom knowledge base gave the same
    canonical name (two clusters of "Crowley") count as one, the most mentioned speaking
    for both, with the most present role and any known gender."""
    groups: dict[str, list[Character]] = defaultdict(list)
    for character in characters:
        groups[_bare(display_name(character)).lower()].append(character)
    people: dict[str, Character] = {}
    same: dict[str, str] = {}
    rank = {"main": 0, "secondary": 1, "mentioned": 2, None: 3}
    for group in groups.values():
        lead = group[0]
        people[lead.id] = dataclasses.replace(
            lead,
            role=min((c.role for c in group), key=lambda role: rank[role]),
            gender=next((c.gender for c in group if c.gender), None),
        )
        for character in group:
            same[character.id] = lead.id
    return people, same


def read_pairs(doc: Document, reader: CueReader) -> dict[frozenset[str], _Pair]:
    """Everything that ties each pair of characters, keyed by the pair's ids."""
    pairs: dict[frozenset[str], _Pair] = defaultdict(_Pair)
    known = {c.id for c in doc.analysis.characters}
    _co_presence(doc, pairs)
    narrated: dict[int, set[str]] = defaultdict(set)
    for mention in doc.mentions:
        if mention.character is not None and not mention.in_quote:
            narrated[mention.paragraph].add(mention.character)
    for quote in doc.analysis.quotes:
        if quote.speech and quote.speaker in known:
            listeners = quote.addressees
            if not listeners:
                # Nobody named as spoken to: the one other person in the paragraph.
                others = narrated[quote.paragraph] - {quote.speaker}
                listeners = list(others) if len(others) == 1 else []
            for addressee in listeners:
                if addressee != quote.speaker and addressee in known:
                    pairs[frozenset((quote.speaker, addressee))].said.append(quote)
    ties = _Ties(doc, reader)
    for kind in ("kiss", "romance", "romance_weak", "warmth", "conflict", "quarrel"):
        for cue in reader.find(kind):
            pair = ties.actors(cue) if cue.happened else None
            if pair is not None:
                pairs[pair].ties[kind].append(_Tie(cue, _WEIGHTS[kind]))
    for kind in ("partner_noun", "family_noun", "friendship"):
        for cue in reader.find(kind):
            if not cue.happened:
                continue  # "pretending to be his boyfriend", "if she were his sister"
            found = ties.related(cue)
            if found is not None:
                pair, gone = found
                pairs[pair].ties[kind].append(_Tie(cue, _WEIGHTS[kind], gone))
    for kind in ("confession", "dialogue_conflict"):
        for cue in reader.find(kind):
            pair = ties.speaker_and_listener(cue)
            if pair is not None and cue.happened:
                pairs[pair].ties[kind].append(_Tie(cue, _WEIGHTS[kind]))
    for cue in reader.find("family_noun"):
        if cue.quote is not None and _is_vocative(doc.text, cue):
            pair = ties.speaker_and_listener(cue)
            if pair is not None:
                pairs[pair].ties["family_noun"].append(_Tie(cue, _WEIGHTS["family_noun"]))
    return pairs


def relation_genders(doc: Document, reader: CueReader) -> dict[str, str]:
    """Genders that relation words give ("her husband, Robert": Robert is a man), for the
    characters whose pronouns did not tell."""
    ties = _Ties(doc, reader)
    found: dict[str, str] = {}
    for kind in ("partner_noun", "family_noun"):
        for cue in reader.find(kind):
            word = doc.text[cue.start : cue.end].lower()
            gender = next((g for g, words in _NOUN_GENDERS.items() if word in words), None)
            if gender and cue.happened and ties.related(cue) and ties.last_relative:
                found.setdefault(ties.last_relative, gender)
    return found


_THIRD_PERSON = re.compile(r"\b(?:(he|him|his|himself)|(she|her|hers|herself))\b", re.I)


def pronoun_genders(doc: Document) -> dict[str, str]:
    """Genders from the pronouns nobody else explains, for characters whose own pronouns
    coreference left open: after "Rosa came home and found Sam asleep", "She sat beside
    him" is Rosa when Sam is a man. A paragraph votes for the one character of unknown
    gender in it (named or speaking there or in the paragraph before) with each narration
    pronoun of a gender that none of the others there has; two votes, two to one, decide.
    """
    known = {c.id: c.gender for c in doc.analysis.characters if c.gender}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for around, pronouns in _pronouns_by_paragraph(doc):
        unknown = [c for c in around if c not in known]
        if len(unknown) != 1:
            continue
        explained = {known[c] for c in around if c in known}
        for gender, count in pronouns.items():
            if gender not in explained:
                votes[unknown[0]][gender] += count
    found = {}
    for character, counter in votes.items():
        (gender, count), *rest = [*counter.most_common(), ("", 0)]
        if count >= 2 and count >= 2 * rest[0][1]:
            found[character] = gender
    return found


def pair_genders(
    doc: Document, pairs: Iterable[frozenset[str]], genders: dict[str, str]
) -> dict[frozenset[str], str]:
    """What the pronouns say of two people together when neither gender is known: "FM"
    when both she and he go unexplained where they are (only one can be each), "MM" or
    "FF" when only one kind does, four times over. ``genders`` are the genders known."""
    paragraphs = _pronouns_by_paragraph(doc)
    found: dict[frozenset[str], str] = {}
    for pair in pairs:
        if len(pair) != 2 or any(c in genders for c in pair):
            continue
        total: Counter[str] = Counter()
        for around, pronouns in paragraphs:
            others = around - pair
            if not pair <= around or any(o not in genders for o in others):
                continue
            explained = {genders[o] for o in others}
            for gender, count in pronouns.items():
                if gender not in explained:
                    total[gender] += count
        men, women = total["M"], total["F"]
        if men >= 2 and women >= 2:
            found[pair] = "FM"
        elif men >= 4 and not women:
            found[pair] = "MM"
        elif women >= 4 and not men:
            found[pair] = "FF"
    return found


def _pronouns_by_paragraph(doc: Document) -> list[tuple[set[str], Counter[str]]]:
    """For each story paragraph: the characters there (named or speaking in it or in the
    paragraph before) and its narration's third-person pronouns counted by gender."""
    characters = {c.id for c in doc.analysis.characters}
    present: dict[int, set[str]] = defaultdict(set)
    for mention in doc.mentions:
        if mention.character in characters:
            present[mention.paragraph].add(mention.character)  # type: ignore[arg-type]
    for quote in doc.analysis.quotes:
        if quote.speaker in characters:
            present[quote.paragraph].add(quote.speaker)  # type: ignore[arg-type]
    quotes = sorted((q.start, q.end) for q in doc.analysis.quotes)
    quote_starts = [start for start, _ in quotes]
    found = []
    for index, paragraph in enumerate(doc.analysis.paragraphs()):
        pronouns: Counter[str] = Counter()
        for match in _THIRD_PERSON.finditer(doc.text, paragraph.start, paragraph.end):
            k = bisect.bisect_right(quote_starts, match.start()) - 1
            if k >= 0 and quotes[k][0] <= match.start() < quotes[k][1]:
                continue  # "I told her" in dialogue may be anyone
            pronouns["M" if match.group(1) else "F"] += 1
        found.append((present.get(index, set()) | present.get(index - 1, set()), pronouns))
    return found


def judge(
    pair: _Pair,
    a: Character,
    b: Character,
    text: str,
    dead: set[str] | frozenset[str] = frozenset(),
) -> Relationship | None:
    """The pair's relationship, or None when nothing ties them beyond sharing a room."""
    family = pair.weight(("family_noun",))
    romance = pair.weight(_ROMANTIC)
    conflict = pair.weight(_CONFLICT)
    warmth = pair.weight(_PLATONIC)
    talk = len(pair.said)
    if family and not pair.ties.get("partner_noun"):
        kind, ties = "family", pair.of(("family_noun",))
    elif romance >= _ROMANCE_AT:
        kind, ties = "romantic", pair.of(_ROMANTIC)
    elif conflict >= _CONFLICT_AT and conflict > warmth:
        kind, ties = "antagonistic", pair.of(_CONFLICT)
    elif warmth or talk >= _TALK_AT:
        kind, ties = "platonic", pair.of(_PLATONIC)
    else:
        return None
    # Cues say most; talk and shared paragraphs and scenes add a little.
    strength = sum(t.weight for t in ties) + 0.15 * min(talk, 10)
    strength += 0.05 * min(pair.paragraphs, 10) + 0.05 * min(pair.scenes, 5)
    score = round(1 - math.exp(-strength / 2), 3)
    evidence = _evidence(ties, text)
    if not evidence:
        evidence = [evidence_span(text, q.start, q.end) for q in pair.said[:3]]
    # Off the page: one of them never appears, or all that ties them is past.
    remembered = all(t.gone or t.cue.past for t in ties) and not talk
    gone = (a.id in dead or b.id in dead) and not talk
    on_page = a.role != "mentioned" and b.role != "mentioned" and not (ties and remembered)
    on_page = on_page and not gone
    return Relationship(
        characters=[a.id, b.id],
        kind=kind,  # type: ignore[arg-type]
        notation=notation(a, b, romantic=kind == "romantic"),
        on_page=on_page,
        score=score,
        evidence=evidence,
    )


def main_pairing(relationships: list[Relationship]) -> str | None:
    """The romantic relationship on the page that clearly leads, if one does."""
    romantic = sorted(
        (r for r in relationships if r.kind == "romantic" and r.on_page), key=lambda r: -r.score
    )
    if not romantic:
        return None
    if len(romantic) == 1 or romantic[0].score >= _STANDS_OUT * romantic[1].score:
        return romantic[0].notation
    return None


def display_name(character: Character) -> str:
    """The name a relationship tag uses: the fandom's canonical name when known, without
    a disambiguation ("Crowley (Good Omens)" is Crowley in a relationship tag); else the
    story's fullest name without a rank ("Captain Rhea Stone" is Rhea Stone)."""
    if character.canonical:
        return _bare(character.canonical)
    words = _bare(character.name).split()
    while len(words) > 2 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    return " ".join(words)


def _bare(name: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name


_TITLES = frozenset(
    """mr mrs ms miss mx dr doctor sir lady lord captain capt professor prof prince princess
    king queen sergeant sgt detective inspector agent commander lieutenant lt general
    colonel major admiral father sister brother aunt uncle madam dame saint st""".split()
)


def sort_key(name: str) -> tuple[str, str]:
    """AO3 order: by family name when both names are full names, else by the name as written."""
    words = [w for w in re.sub(r"\s*\(.*?\)\s*$", "", name).split()]
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    if len(words) > 1:
        return (words[-1].lower(), " ".join(words[:-1]).lower())
    return (name.lower(), "")


def notation(a: Character, b: Character, *, romantic: bool) -> str:
    """``A/B`` for a romantic pair, ``A & B`` otherwise, in AO3's canonical order."""
    names = [display_name(a), display_name(b)]
    full = all(len(sort_key(n)[1]) > 0 for n in names)
    names.sort(key=sort_key if full else lambda n: (n.lower(), ""))
    return ("/" if romantic else " & ").join(names)


def _evidence(ties: list[_Tie], text: str) -> list[Evidence]:
    # A spoken cue is shown by its quotation, a narrated one by its sentence.
    spans = [evidence_span(text, *cue_span(tie.cue)) for tie in ties]
    return distinct_evidence(spans, _MAX_EVIDENCE)


def _co_presence(doc: Document, pairs: dict[frozenset[str], _Pair]) -> None:
    """Count the paragraphs and scenes each pair shares (named or speaking in them)."""
    in_paragraph: dict[int, set[str]] = defaultdict(set)
    for mention in doc.mentions:
        if mention.character is not None:
            in_paragraph[mention.paragraph].add(mention.character)
    for quote in doc.analysis.quotes:
        if quote.speaker:
            in_paragraph[quote.paragraph].add(quote.speaker)
    in_scene: dict[tuple[int, int], set[str]] = defaultdict(set)
    index = 0
    for chapter in doc.analysis.work.chapters:
        breaks = sorted(chapter.scene_breaks)
        scene_of_break = 0
        for paragraph in chapter.paragraphs:
            while scene_of_break < len(breaks) and breaks[scene_of_break] < paragraph.start:
                scene_of_break += 1
            in_scene[(chapter.index, scene_of_break)].update(in_paragraph.get(index, ()))
            index += 1
    for people in in_paragraph.values():
        for pair in _pairs_of(people):
            pairs[pair].paragraphs += 1
    for people in in_scene.values():
        for pair in _pairs_of(people):
            pairs[pair].scenes += 1


def _pairs_of(people: set[str]) -> list[frozenset[str]]:
    ordered = sorted(people)
    return [frozenset((x, y)) for i, x in enumerate(ordered) for y in ordered[i + 1 :]]


def _is_vocative(text: str, cue: Cue) -> bool:
    """ "Mum, ..." or "..., Dad." inside a quotation: the word names the one spoken to."""
    quote = cue.quote
    assert quote is not None
    if text[cue.start : cue.end].lower() not in _VOCATIVES:
        return False
    before = text[quote.text_start : cue.start]
    after = text[cue.end : quote.text_end]
    opening = not before.strip() and re.match(r"^\s*[,!]", after)
    closing = re.search(r",\s*$", before) and re.match(r"^\s*[.!?,]?\s*$", after)
    return bool(opening or closing)


class _Ties:
    """Ties cues to the characters they are about, through the document's mentions."""

    def __init__(self, doc: Document, reader: CueReader) -> None:
        self.doc = doc
        self.text = doc.text
        self.reader = reader
        self.mentions = [m for m in doc.mentions if m.character is not None]
        self.starts = [m.start for m in self.mentions]
        self.quotes = sorted((q for q in doc.analysis.quotes if q.speech), key=lambda q: q.start)
        self.genders = {c.id: c.gender for c in doc.analysis.characters}
        self.last_relative: str | None = None  # who the last relation word named

    def in_sentence(self, cue: Cue) -> list[Mention]:
        """Resolved narration mentions in the cue's sentence (mentions in quotes are not
        the people of the narration)."""
        # Within reach of the cue: a run-on "sentence" may be pages long.
        lo = bisect.bisect_left(self.starts, max(cue.sentence.start, cue.start - _REACH))
        hi = bisect.bisect_left(self.starts, min(cue.sentence.end, cue.end + _REACH))
        return [m for m in self.mentions[lo:hi] if not m.in_quote]

    def actors(self, cue: Cue) -> frozenset[str] | None:
        """Subject and object of a verb cue: the first character of the cue's clause and
        the nearest other character after the cue ("Mira pulled Jonah close and kissed
        him", "..., and Nora kissed him back"), or two joined by "and" before it ("Sarah
        and Tom argued")."""
        if cue.quote is not None:
            return None  # told in dialogue: who did what to whom is the speaker's story
        mentions = self.in_sentence(cue)
        before = [m for m in mentions if m.end <= cue.start]
        both = self._they(cue, before)
        if both is not None:
            return both
        # A mention inside the cue is its object ("cradled his cheek").
        after = [
            m
            for m in mentions
            if m.start >= cue.start and not _far(self.text[cue.end : max(cue.end, m.start)])
        ]
        if not before:
            people = _distinct(after)
            if len(people) >= 2 and re.match(
                r"^\s*(?:and|with)\s+$", self.text[after[0].end : _first_of(after, people[1]).start]
            ):
                return frozenset(people[:2])
            return None
        # "Sarah and Tom kissed", "had hated each other"
        last = before[-1]
        if len(before) >= 2 and before[-2].character != last.character:
            between = self.text[before[-2].end : last.start]
            if re.match(r"^\s*and\s+$", between, re.I) and not after:
                return frozenset((before[-2].character, last.character))  # type: ignore[arg-type]
        clause_start = max(cue.sentence.start, cue.start - _REACH)
        for match in _CLAUSE_BREAK.finditer(self.text, clause_start, cue.start):
            clause_start = match.end()
        in_clause = [m for m in before if m.start >= clause_start]
        subject = (in_clause or before)[0]
        for mention in after:
            if mention.character != subject.character:
                return frozenset((subject.character, mention.character))  # type: ignore[arg-type]
        # The object is the subject (a pronoun resolved to the nearest name), or a pronoun
        # coreference left open: the other person is the nearest different one before
        # ("Mira pulled Jonah close and kissed him").
        if not after and _OBJECT_PRONOUN.match(self.text[cue.end : cue.end + 12]):
            for mention in reversed(before):
                if mention.character != subject.character:
                    return frozenset((subject.character, mention.character))  # type: ignore[arg-type]
        if after:
            for mention in reversed(before):
                if mention.character != after[0].character:
                    return frozenset((mention.character, after[0].character))  # type: ignore[arg-type]
        # Alone in the sentence ("So Jess kissed her."): an object pronoun is the nearest
        # other character of its gender in the lines before.
        word = after[0].text if after and after[0].kind == "pronoun" else None
        if word is None and (found := _OBJECT_PRONOUN.match(self.text[cue.end : cue.end + 12])):
            word = found.group(1)
        if word is not None:
            other = self._earlier_other(cue, subject.character, _PRONOUN_GENDER.get(word.lower()))
            if other is not None:
                return frozenset((subject.character, other))  # type: ignore[arg-type]
        return None

    def _they(self, cue: Cue, before: list[Mention]) -> frozenset[str] | None:
        """ "They argued", "the two of them had been friends": the two people of the scene,
        when the narration of this paragraph and the one before names exactly two."""
        clause_start = max(cue.sentence.start, cue.start - _REACH)
        for match in _CLAUSE_BREAK.finditer(self.text, clause_start, cue.start):
            clause_start = match.end()
        if any(m.start >= clause_start for m in before):
            return None
        if not _THEY.match(self.text[clause_start : cue.start]):
            return None
        paragraph = cue.sentence.paragraph
        k = bisect.bisect_left(self.starts, cue.start)
        named: set[str] = set()
        for mention in reversed(self.mentions[max(0, k - 60) : k]):
            if mention.paragraph < paragraph - 1:
                break
            if not mention.in_quote and mention.kind != "pronoun":
                named.add(mention.character)  # type: ignore[arg-type]
        for mention in self.mentions[k : k + 60]:  # the rest of the paragraph
            if mention.paragraph > paragraph:
                break
            if not mention.in_quote and mention.kind != "pronoun":
                named.add(mention.character)  # type: ignore[arg-type]
        return frozenset(named) if len(named) == 2 else None

    def _earlier_other(self, cue: Cue, subject: str | None, gender: str | None) -> str | None:
        k = bisect.bisect_left(self.starts, cue.sentence.start)
        others: list[str] = []
        for mention in reversed(self.mentions[max(0, k - 40) : k]):
            if mention.paragraph < cue.sentence.paragraph - 3:
                break
            if mention.in_quote or mention.character in (subject, None):
                continue
            known = self.genders.get(mention.character)  # type: ignore[arg-type]
            if gender is None or known is None or known == gender:
                return mention.character
            if mention.character not in others:
                others.append(mention.character)  # type: ignore[arg-type]
        # Genders disagree, but there is only one other person about: the pronoun's
        # gender was probably misread.
        return others[0] if len(others) == 1 else None

    def related(self, cue: Cue) -> tuple[frozenset[str], bool] | None:
        """The possessor and the person named by a relation word: "her sister Emma",
        "Emma, Tom's sister", "Emma was his sister", "Sarah and Tom were friends"."""
        self.last_relative = None
        if cue.quote is not None:
            return None
        mentions = self.in_sentence(cue)
        text = self.text
        possessor = None
        for mention in reversed([m for m in mentions if m.end <= cue.start]):
            gap = _RELATION_GAP.match(text[mention.end : cue.start])
            is_possessive = text[mention.end : mention.end + 2] in ("'s", "’s") or (
                mention.text.lower() in _POSSESSIVE_PRONOUNS and mention.kind == "pronoun"
            )
            if gap and is_possessive:
                possessor = mention
            break
        if possessor is None:
            both = self._they(cue, [m for m in mentions if m.end <= cue.start])
            if both is not None:
                return both, bool(_ONCE.search(text[cue.sentence.start : cue.start]))
            return self._plural_subject(cue, mentions)
        gone = bool(_GONE.search(text[possessor.end : cue.start] + " "))
        # The relative: named right after ("her sister Emma", "her husband, Robert") ...
        for mention in mentions:
            if mention.start >= cue.end:
                if re.match(r"^,?\s+$|^,\s*$", text[cue.end : mention.start]):
                    return self._pair(possessor, mention, gone)
                break
        # ... or just before, in apposition or with a copula ("Emma, her sister";
        # "Emma was her sister").
        earlier = [m for m in mentions if m.end <= possessor.start]
        if earlier:
            between = text[earlier[-1].end : possessor.start]
            if re.match(r"^,\s*$", between) or _COPULA.match(between):
                return self._pair(possessor, earlier[-1], gone)
        return None

    def _plural_subject(
        self, cue: Cue, mentions: list[Mention]
    ) -> tuple[frozenset[str], bool] | None:
        """ "Sarah and Tom were friends", "Emma and Jack had been lovers"."""
        before = [m for m in mentions if m.end <= cue.start]
        if len(before) < 2:
            return None
        first, second = before[-2], before[-1]
        if first.character == second.character:
            return None
        if not _PLURAL_SUBJECT.match(self.text[first.end : second.start]):
            return None
        verb = self.text[second.end : cue.start]
        if not re.match(
            r"^\s+(?:are|were|had\s+been|have\s+been|became|become|stayed|remained)\s+"
            r"(?:\w+\s+){0,2}$",
            verb,
            re.I,
        ):
            return None
        gone = bool(re.search(r"\bhad\s+been\b|\bonce\b", verb, re.I))
        return frozenset((first.character, second.character)), gone  # type: ignore[arg-type]

    def _pair(
        self, possessor: Mention, relative: Mention, gone: bool
    ) -> tuple[frozenset[str], bool] | None:
        if possessor.character == relative.character:
            return None
        self.last_relative = relative.character
        return frozenset((possessor.character, relative.character)), gone  # type: ignore[arg-type]

    def speaker_and_listener(self, cue: Cue) -> frozenset[str] | None:
        """A spoken cue ("I love you", "I hate you", "Mum, ...") ties the speaker to the one
        spoken to: the quotation's addressee, else the other side of the conversation."""
        quote = cue.quote
        if quote is None or not quote.speech:
            return None
        first = quote
        if quote.continues is not None:
            first = next((q for q in self.quotes if q.id == quote.continues), quote)
        speaker = first.speaker or quote.speaker
        if speaker is None:
            return None
        for addressee in first.addressees or quote.addressees:
            if addressee != speaker:
                return frozenset((speaker, addressee))
        listener = self._other_side(first, speaker)
        return frozenset((speaker, listener)) if listener else None

    def _other_side(self, quote: Quote, speaker: str) -> str | None:
        position = next((i for i, q in enumerate(self.quotes) if q.id == quote.id), None)
        if position is None:
            return None
        for step in (-1, 1, -2, 2):
            k = position + step
            if 0 <= k < len(self.quotes):
                other = self.quotes[k]
                if abs(other.paragraph - quote.paragraph) <= 2 and other.speaker not in (
                    None,
                    speaker,
                ):
                    return other.speaker
        return None


def _distinct(mentions: list[Mention]) -> list[str]:
    seen: list[str] = []
    for mention in mentions:
        if mention.character is not None and mention.character not in seen:
            seen.append(mention.character)
    return seen


def _first_of(mentions: list[Mention], character: str) -> Mention:
    return next(m for m in mentions if m.character == character)


def _far(between: str) -> bool:
    """An object too far from its verb to be its object (a new clause has begun)."""
    return len(between.split()) > 6 or bool(
        re.search(r"[;:.!?]|,\s+(?:and|but|while|as)\b", between)
    )
