"""Cues: the words in a story that show what happens between people and what it is like.

A cue is a match of one of the lexicons in ``ficlens/data/tags.json`` (kiss, hug,
conflict, family words, crying, swearing...), found in the story paragraphs (never in the
notes) and read in its sentence:

- *negated* when a negation governs it ("he didn't kiss him", "she never once hugged
  her", "he almost kissed him": an almost-kiss is no kiss);
- *hypothetical* when it is wanted, imagined, conditional, planned or asked about ("he
  wanted to kiss him", "if she hugged her", "Did you kiss him?");
- *past* when it is remembered or told in the past perfect ("he had kissed her once",
  "she remembered how he used to hold her"): it happened, but not on the page.

Only cues that are neither negated nor hypothetical count as events (``Cue.happened``).
The relationships and tags stages share this module, so both read a sentence alike.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ficlens.document import Document
from ficlens.model import Evidence, Quote

_WORD = re.compile(r"\w+")
_REACH = 300  # characters of a cue's sentence read on either side of it
_SENTENCE_END = re.compile(r"[.!?…]")
_PLACEHOLDERS = {
    "{him}": r"(?:him|her|them|me|you|us|each\s+other|one\s+another)",
    "{his}": r"(?:his|her|their|my|your|our)",
}

# A clause ends at punctuation; negation also stops at "and"/"but" ("he didn't speak, and
# hugged her", "she didn't cry and hugged him"), a wish carries over "and" ("he wanted to
# go home and kiss him") but not over "and then" or "but".
_CLAUSE_PUNCT = re.compile(r"[,;:()\u2014\u2013\"“”]|\s-\s|\.\.\.|…")
_HYPOTHETICAL_STOP = re.compile(r"\b(?:but|then|so|until|because|while|instead)\b", re.I)
_NEGATION_STOP = re.compile(r"\b(?:and|but|then|so|until|because|while|or)\b", re.I)

_NEGATORS = re.compile(
    r"\b(?:not|never|no|nobody|none|neither|nor|without|almost|nearly|cannot)\b|n['’]t\b", re.I
)
# Words that may stand between a negator and what it negates ("didn't even try to kiss").
_NEGATION_GAP = frozenset(
    """even ever once really quite actually just yet so much dare dared to try tried get got
    bother bothered be been have let go need mean meant exactly again still always quite
    want wanted him her them me you us it one another each other manage managed""".split()
)
_REFUSALS = re.compile(
    r"\b(?:refus(?:e|es|ed|ing)\s+to|stopp(?:ed|ing)\s+(?:himself|herself|themselves|myself)"
    r"(?:\s+from)?|instead\s+of|resist(?:ed|ing)?\s+the\s+urge\s+to|fail(?:ed|s)?\s+to|"
    r"held\s+back\s+from|kept\s+(?:himself|herself|themselves)\s+from)\s+(?:\w+\s+){0,1}$",
    re.I,
)
# Wishes, plans and conditions carry over "and" ("he wanted to go home and kiss him") ...
_HYPOTHETICAL = re.compile(
    r"\b(?:wants?|wanted|wanting|wish(?:es|ed|ing)?|would|could|might|should|shall|will|"
    r"if|unless|imagin(?:e|es|ed|ing)|dream(?:s|ed|t|ing)?|fantasi[sz](?:e|es|ed|ing)|"
    r"long(?:s|ed|ing)?\s+to|hop(?:e|es|ed|ing)|tr(?:y|ies|ied|ying)\s+to|about\s+to|"
    r"going\s+to|gonna|plan(?:s|ned|ning)?\s+to|urge\s+to|desperate\s+to|"
    r"ach(?:e|es|ed|ing)\s+to|yearn(?:s|ed|ing)?\s+to|itch(?:ed|ing)?\s+to|meant\s+to|"
    r"supposed\s+to|ready\s+to|need(?:s|ed)?\s+to|mean(?:s|t)?\s+to)\b|['’](?:ll|d)\b",
    re.I,
)
# ... beliefs and doubts only over their own clause ("she thought about him and kissed
# him": the kiss happened).
_DOUBTFUL = re.compile(
    r"\b(?:whether|thought|think(?:ing)?\s+(?:about|of)|consider(?:s|ed|ing)?|maybe|"
    r"perhaps|as\s+if|as\s+though|let\s+me|can\s+i|may\s+i|fear(?:s|ed)?|afraid|"
    r"believed|assumed|seemed|pretend(?:s|ed|ing)?|in\s+case|wonder(?:s|ed|ing)?)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:had|used\s+to|remember(?:s|ed|ing)?|recall(?:s|ed|ing)?|memor(?:y|ies)|"
    r"years\s+ago|long\s+ago|in\s+the\s+past|back\s+then|back\s+when|"
    r"last\s+(?:year|summer|winter|spring|autumn|fall)|once\s+upon)\b",
    re.I,
)
_CONTRACTED_HAD = re.compile(r"['’]d\s+(?:\w+ly\s+|never\s+|once\s+|just\s+)?$", re.I)
_PARTICIPLE = re.compile(r"^\w+(?:ed|en|ught|elt|ept|ung|ewn)\b", re.I)
_AGO = re.compile(r"\b(?:years|months|weeks|decades|long)\s+ago\b|\bback\s+then\b", re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Cue:
    """One lexicon match in its sentence."""

    kind: str
    start: int
    end: int
    sentence: Sentence
    negated: bool = False
    hypothetical: bool = False
    past: bool = False
    quote: Quote | None = None  # the quotation the cue is spoken in, if any

    @property
    def happened(self) -> bool:
        """The cue tells of something that took place (on the page or before it)."""
        return not self.negated and not self.hypothetical


@functools.cache
def vocabulary_data() -> dict[str, Any]:
    """The parsed ``ficlens/data/tags.json``: ``tags`` (the vocabulary) and ``cues``."""
    raw = resources.files("ficlens.data").joinpath("tags.json").read_text(encoding="utf-8")
    return json.loads(raw)


def compile_cue(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regular expression for a cue lexicon (see the notes in tags.json)."""
    parts = []
    for pattern in patterns:
        for key, value in _PLACEHOLDERS.items():
            pattern = pattern.replace(key, value)
        pattern = pattern.replace(" ", r"\s+").replace("'", "['’]")
        parts.append(pattern)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


_STOP = ("stop", None)


def word_prefixes(pattern: re.Pattern[str], size: int = 3, limit: int = 500) -> set[str] | None:
    """The lowercase beginnings (up to ``size`` letters of its first word) that every match
    of ``pattern`` starts with, or None when they cannot be told (a match may start with
    anything). The reader tries a lexicon only where a word starts so: a dictionary look-up
    per candidate instead of a regular-expression attempt at every character."""
    try:  # the standard library's own regular-expression parser (private, hence guarded)
        from re import _constants as sre  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:
        return None

    found: set[str] = set()

    def expand(items: list, prefix: str) -> None:
        if len(found) > limit:
            raise OverflowError
        if len(prefix) >= size or not items:
            found.add(prefix)
            return
        op, arg = items[0]
        rest = items[1:]
        if op is sre.LITERAL or op is sre.IN:
            chars = [chr(arg)] if op is sre.LITERAL else _charset(arg, sre)
            if chars is None:
                found.add(prefix)
                return
            for char in chars:
                if char.isalnum() or char == "_":
                    expand(rest, prefix + char.lower())
                else:
                    found.add(prefix)  # the first word ends here
        elif op is sre.SUBPATTERN:
            expand(list(arg[3]) + rest, prefix)
        elif op is sre.BRANCH:
            for branch in arg[1]:
                expand(list(branch) + rest, prefix)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, item = arg
            if low == 0:
                expand(rest, prefix)
            if high >= 1:
                # Once through; a repeat cuts the prefix short there (a looser filter).
                expand(list(item) + (rest if high == 1 else [_STOP]), prefix)
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            expand(rest, prefix)
        else:  # a class such as \w or \s, or the stop mark
            found.add(prefix)

    try:
        expand(list(_parser.parse(pattern.pattern, pattern.flags)), "")
    except (OverflowError, RecursionError, AttributeError, TypeError, ValueError):
        return None  # another Python's parser, or too many beginnings: search everywhere
    return None if "" in found else found


def _charset(items: list, sre: object) -> list[str] | None:
    chars = []
    for kind, value in items:
        if kind is sre.LITERAL:  # type: ignore[attr-defined]
            chars.append(chr(value))
        elif kind is sre.RANGE and value[1] - value[0] < 12:  # type: ignore[attr-defined]
            chars.extend(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None
    return chars


@functools.cache
def lexicon() -> dict[str, re.Pattern[str]]:
    """Every cue kind's compiled pattern."""
    return {kind: compile_cue(patterns) for kind, patterns in vocabulary_data()["cues"].items()}


@functools.cache
def _lexicon_prefixes() -> dict[str, set[str] | None]:
    return {kind: word_prefixes(pattern) for kind, pattern in lexicon().items()}


def sentences(doc: Document) -> list[Sentence]:
    """The story's sentences (spaCy's, cut at paragraph ends), in reading order."""
    found: list[Sentence] = []
    tokens = doc.tokens
    paragraphs = doc.analysis.paragraphs()
    if tokens is None or not len(tokens):
        # No tokens (a hand-built document): split paragraphs at sentence punctuation.
        for index, para in enumerate(paragraphs):
            for match in re.finditer(
                r"\S.*?(?:[.!?…]+[\"'”’]*(?=\s|$)|$)", doc.text[para.start : para.end], re.S
            ):
                found.append(Sentence(para.start + match.start(), para.start + match.end(), index))
        return found
    para, starts, ends = tokens.paragraph, tokens.start, tokens.end
    firsts = [
        i for i, first in enumerate(tokens.sent_start) if first or i == 0 or para[i] != para[i - 1]
    ]
    firsts.append(len(tokens))
    return [Sentence(starts[a], ends[b - 1], para[a]) for a, b in itertools.pairwise(firsts)]


class CueReader:
    """Finds cues in one document; each kind is searched once and remembered.

    ``CueReader.of(doc)`` shares one reader between the stages that read the same document.
    """

    _last: CueReader | None = None

    @classmethod
    def of(cls, doc: Document) -> CueReader:
        """The reader of ``doc``, reused while the document's mentions stay the same."""
        last = cls._last
        if last is None or last.doc is not doc or last._mentions is not doc.mentions:
            last = cls(doc)
            cls._last = last
        return last

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.sentences = sentences(doc)
        self._sentence_starts = [s.start for s in self.sentences]
        quotes = sorted(doc.analysis.quotes, key=lambda q: q.text_start)
        self._quotes = quotes
        self._quote_starts = [q.text_start for q in quotes]
        self._found: dict[str, list[Cue]] = {}
        # What one stage read and the next may reuse (the relationships stage leaves the
        # cues that tie each pair here for the tags stage).
        self.memo: dict[str, Any] = {}
        self._words: dict[str, list[int]] | None = None
        self._mentions = doc.mentions
        self._names = [m for m in doc.mentions if m.kind != "pronoun"]
        self._mention_starts = [m.start for m in self._names]

    def find(self, kind: str) -> list[Cue]:
        """All cues of ``kind`` in the story, in reading order."""
        if kind not in self._found:
            pattern = lexicon()[kind]
            prefixes = _lexicon_prefixes()[kind]
            cues = []
            matches: list[re.Match[str]] = []
            if prefixes is None:
                if self.sentences:
                    first, last = self.sentences[0].start, self.sentences[-1].end
                    matches = list(pattern.finditer(self.text, first, last))
            else:
                reached = 0
                for at in self._starts(prefixes):
                    if at >= reached and (match := pattern.match(self.text, at)):
                        matches.append(match)
                        reached = match.end()
            for match in matches:
                # Matches in notes or across a sentence end are dropped.
                sentence = self.sentence_at(match.start())
                if sentence is not None and match.end() <= sentence.end:
                    cues.append(self._read(kind, match.start(), match.end(), sentence))
            self._found[kind] = cues
        return self._found[kind]

    def _word_index(self) -> dict[str, list[int]]:
        """Where the story's words start, by their first three letters (or the whole word
        when it is shorter)."""
        if self._words is None:
            index: dict[str, list[int]] = defaultdict(list)
            if self.sentences:
                first, last = self.sentences[0].start, self.sentences[-1].end
                for match in _WORD.finditer(self.text, first, last):
                    index[match.group()[:3].lower()].append(match.start())
            self._words = dict(index)
        return self._words

    def _starts(self, prefixes: set[str]) -> list[int]:
        """Offsets of the words that begin with one of ``prefixes``, in order."""
        index = self._word_index()
        keys = [p for p in prefixes if len(p) == 3]
        short = tuple(p for p in prefixes if len(p) < 3)
        if short:
            keys += [k for k in index if k.startswith(short)]
        return sorted({at for key in keys for at in index.get(key, ())})

    def happened(self, *kinds: str) -> list[Cue]:
        """The cues of these kinds that tell of something that took place."""
        return sorted(
            (cue for kind in kinds for cue in self.find(kind) if cue.happened),
            key=lambda c: c.start,
        )

    def quote_at(self, offset: int) -> Quote | None:
        k = bisect.bisect_right(self._quote_starts, offset) - 1
        # Nested quotations start later; look back a little for the innermost that holds it.
        for quote in reversed(self._quotes[max(0, k - 3) : k + 1]):
            if quote.text_start <= offset < quote.text_end:
                return quote
        return None

    def sentence_at(self, offset: int) -> Sentence | None:
        k = bisect.bisect_right(self._sentence_starts, offset) - 1
        if k >= 0 and self.sentences[k].start <= offset < self.sentences[k].end:
            return self.sentences[k]
        return None

    def evidence(self, cue: Cue) -> Evidence:
        """The cue's sentence as evidence (its quotation for a spoken cue)."""
        return evidence_span(self.text, *cue_span(cue))

    def _read(self, kind: str, start: int, end: int, sentence: Sentence) -> Cue:
        quote = self.quote_at(start)
        # The sentence before the cue, within reach (a "sentence" with no full stops in a
        # run-on text may be pages long).
        floor = max(sentence.start, start - _REACH)
        if quote is not None:
            floor = max(floor, quote.text_start)
        prefix = self._masked(floor, start)
        negated, hypothetical = read_prefix(prefix)
        had = _CONTRACTED_HAD.search(prefix) and _PARTICIPLE.search(self.text[start:end])
        if had:
            # "he'd kissed her": had, not would.
            hypothetical = read_prefix(_CONTRACTED_HAD.sub(" ", prefix))[1]
        if not hypothetical:
            stop = min(sentence.end, end + _REACH)
            if quote is not None:
                stop = min(stop, quote.text_end)
            # A question asks whether it happened ("Did you kiss him?").
            ending = _SENTENCE_END.search(self.text, end, stop)
            hypothetical = ending is not None and ending.group() == "?"
        past = bool(had) or self._past(prefix, end, sentence)
        return Cue(kind, start, end, sentence, negated, hypothetical, past, quote)

    def _masked(self, start: int, end: int) -> str:
        """``text[start:end]`` with character names blanked out: Will, May and Hope are
        people, not a wish."""
        chunk = list(self.text[start:end])
        k = bisect.bisect_left(self._mention_starts, start - 40)
        for mention in self._names[k:]:
            if mention.start >= end:
                break
            for i in range(max(mention.start, start), min(mention.end, end)):
                chunk[i - start] = "X" if not self.text[i].isspace() else " "
        return "".join(chunk)

    def _past(self, prefix: str, end: int, sentence: Sentence) -> bool:
        clause = _clause(prefix, _HYPOTHETICAL_STOP)
        words = clause.split()
        if re.search(
            r"\b(?:remember(?:s|ed|ing)?|recall(?:s|ed|ing)?|memor(?:y|ies))\b", prefix, re.I
        ):
            return True
        if _PAST.search(" ".join(words[-5:])):
            return True
        return bool(_AGO.search(self.text[end : min(sentence.end, end + _REACH)]))


def read_prefix(prefix: str) -> tuple[bool, bool]:
    """(negated, hypothetical) for a cue preceded by ``prefix`` in its sentence."""
    negation_clause = _clause(prefix, _NEGATION_STOP)
    negated = _negated(negation_clause)
    wish_clause = _clause(prefix, _HYPOTHETICAL_STOP)
    wish_words = " ".join(wish_clause.split()[-8:])
    doubt_words = " ".join(negation_clause.split()[-8:])
    return negated, bool(_HYPOTHETICAL.search(wish_words) or _DOUBTFUL.search(doubt_words))


def _clause(prefix: str, stop_words: re.Pattern[str]) -> str:
    """The end of ``prefix`` after its last clause boundary."""
    cut = 0
    for match in _CLAUSE_PUNCT.finditer(prefix):
        cut = match.end()
    for match in stop_words.finditer(prefix, cut):
        cut = match.end()
    return prefix[cut:]


def _negated(clause: str) -> bool:
    if _REFUSALS.search(clause):
        return True
    words = re.findall(r"[\w'’]+", clause.lower())
    # The negator must govern the cue: only small words and adverbs may stand between.
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if _NEGATORS.search(word):
            return True
        if word in _NEGATION_GAP or word.endswith("ly"):
            continue
        return False
    return False


def evidence_span(text: str, start: int, end: int) -> Evidence:
    """An Evidence for ``text[start:end]`` with surrounding whitespace trimmed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(start=start, end=end, text=text[start:end])


def cue_span(cue: Cue) -> tuple[int, int]:
    """What shows a cue: its quotation when spoken, else its sentence; either cut to a
    few hundred characters around the cue when longer (a run-on sentence)."""
    start, end = (
        (cue.quote.start, cue.quote.end) if cue.quote else (cue.sentence.start, cue.sentence.end)
    )
    return max(start, cue.start - _REACH), min(end, cue.end + _REACH)


def distinct_evidence(evidence: Iterable[Evidence], limit: int) -> list[Evidence]:
    """The first ``limit`` evidence spans, leaving out any that overlaps one already taken
    (a quotation inside a sentence already shown)."""
    taken: list[Evidence] = []
    for item in evidence:
        if not any(item.start < t.end and t.start < item.end for t in taken):
            taken.append(item)
            if len(taken) == limit:
                break
    return taken
