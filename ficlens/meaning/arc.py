"""The emotional arc: how the story's mood moves from its first paragraph to its last.

How it is read:

* Valence: every story paragraph (``Analysis.paragraphs()``: dialogue included, author's
  notes excluded, since they are not paragraphs) is split into sentences and each sentence
  scored with VADER's compound score (-1..1; the lexicon ships in the ``vaderSentiment``
  package, nothing is downloaded). A paragraph's valence is the mean of its sentences'
  scores: scoring a long paragraph whole would saturate VADER's compound towards +-1.
* Narrative time: a paragraph sits at the middle of its words, as a share (0..1) of the
  story's words, so a long paragraph takes more of the story's time than a one-line reply.
* Smoothing: a Gaussian kernel average over narrative time, each paragraph weighted by its
  words, with a width of ``BANDWIDTH`` of the story (so the window grows with the story).
* ``Arc.series``: the smoothed curve sampled at ``SERIES_POINTS`` (20) evenly spaced
  points, the middles of 20 equal slices of the story; a story with fewer paragraphs gets
  one point per paragraph. Values are in -1..1 (means of compound scores), rounded to 3
  decimals. No paragraphs: empty series, no shape, no ending.
* ``Arc.shape``: the series read as a zigzag: a move counts when the curve goes up or down
  by at least ``max(MIN_MOVE, MOVE_SHARE * range)`` from its last turning point. A curve
  whose whole range is under ``STEADY_RANGE`` is "steady". Moves alternate; more than
  three are merged (the smallest with its neighbours) until three are left. The shape
  names the moves: "rise", "fall", "rise-fall", "fall-rise", "rise-fall-rise",
  "fall-rise-fall".
* ``Arc.ending``: the ending is the last ``ENDING_SHARE`` (15%) of the words, at most
  ``ENDING_MAX_WORDS`` (2,000) and at least the last two paragraphs, read sentence by
  sentence: its mean score, its shift (mean minus the mean of the rest of the story, since
  narrators differ in how warm their ordinary prose reads), and the shares of clearly
  positive and clearly negative sentences (``|score| >= CLEAR``, 0.3). In this order:
  "happy": the end is positive (mean >= ``HAPPY``, 0.08), its negative sentences are fewer
  than half its positive ones and it does not fall below the rest (shift > -``SHIFT``,
  0.04); a mild happy end (mean < 0.16) after a dark story (the rest's mean <= ``DARK``,
  -0.12) is "bittersweet". "sad": the end is negative (mean <= ``SAD``, -0.08) with
  positive sentences fewer than half its negative ones, or it sinks below the rest
  (shift <= -0.04) without being positive (mean < 0.08). "bittersweet": both feelings are
  strong at the end (each share >= ``MIXED``, 0.2), or a positive end after a dark story.
  "open": anything else, an ending that settles nothing either way.
* The thresholds were set on texts outside the evaluation stories: the bundled samples,
  the stories in tests/meaning/test_arc.py and the endings of the 14 PDNC novels (known
  happy or sad endings: Persuasion, Sense and Sensibility, The Awakening, Dorian Gray...).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ficlens.document import Document
from ficlens.model import Arc

SERIES_POINTS = 20
BANDWIDTH = 0.08  # kernel sigma, as a share of the story's words
STEADY_RANGE = 0.1
MIN_MOVE = 0.1
MOVE_SHARE = 0.35
ENDING_SHARE = 0.15
ENDING_MAX_WORDS = 2000  # a novel's ending is its last pages, not its last 15%
SHIFT = 0.04
CLEAR = 0.3
MAX_SENTENCE_WORDS = 60
HAPPY = 0.08
SAD = -0.08
MIXED = 0.2
DARK = -0.12

# A sentence ends at . ! ? (or an ellipsis) followed by space, optionally after closing
# quotation marks; good enough for valence, which only needs sentence-sized pieces.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
_WORD = re.compile(r"\S+")


@dataclass
class _Paragraph:
    position: float  # narrative time of its middle, 0..1
    words: int
    scores: list[float]  # compound score of each sentence

    @property
    def valence(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    # Imported and built once per process: the lexicon loads in about 10 ms.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_scores(text: str) -> list[float]:
    """VADER compound score of each sentence of ``text`` (empty pieces skipped).

    A sentence longer than ``MAX_SENTENCE_WORDS`` is scored in pieces of that many words:
    VADER's time grows with the square of a sentence's length, and unpunctuated text
    (verse, run-on prose) would otherwise take minutes.
    """
    analyzer = _analyzer()
    scores = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        for k in range(0, len(words), MAX_SENTENCE_WORDS):
            piece = " ".join(words[k : k + MAX_SENTENCE_WORDS])
            scores.append(analyzer.polarity_scores(piece)["compound"])
    return scores


def _read_paragraphs(texts: list[str]) -> list[_Paragraph]:
    counts = [len(_WORD.findall(t)) for t in texts]
    total = sum(counts) or 1
    out = []
    seen = 0
    for text, words in zip(texts, counts, strict=True):
        if not words:
            continue
        out.append(_Paragraph((seen + words / 2) / total, words, sentence_scores(text)))
        seen += words
    return out


def _smooth(paragraphs: list[_Paragraph], at: list[float]) -> list[float]:
    """The word-weighted Gaussian kernel average of paragraph valence at each time in ``at``."""
    curve = []
    for t in at:
        num = den = 0.0
        for p in paragraphs:
            weight = p.words * math.exp(-0.5 * ((p.position - t) / BANDWIDTH) ** 2)
            num += weight * p.valence
            den += weight
        curve.append(num / den if den > 0 else 0.0)
    return curve


def sample_times(paragraph_count: int) -> list[float]:
    """Where the series is sampled: the middles of ``n`` equal slices of the story."""
    n = min(SERIES_POINTS, paragraph_count)
    return [(k + 0.5) / n for k in range(n)]


def shape_of(series: list[float]) -> str | None:
    """The name of the curve's shape (see the module docstring)."""
    if not series:
        return None
    spread = max(series) - min(series)
    if spread < STEADY_RANGE:
        return "steady"
    threshold = max(MIN_MOVE, MOVE_SHARE * spread)
    moves = _zigzag(series, threshold)
    while len(moves) > 3:
        # Merge the smallest move with its neighbours: the three become one move in the
        # direction of the neighbours (their sum, since moves alternate in sign).
        i = min(range(len(moves)), key=lambda k: abs(moves[k]))
        lo, hi = max(0, i - 1), min(len(moves), i + 2)
        moves[lo:hi] = [sum(moves[lo:hi])]
    if not moves:
        return "steady"
    return "-".join("rise" if m > 0 else "fall" for m in moves)


def _zigzag(series: list[float], threshold: float) -> list[float]:
    """Signed moves between turning points, each at least ``threshold`` high."""
    moves: list[float] = []
    high = low = series[0]
    pivot = extreme = series[0]
    direction = 0
    for value in series[1:]:
        if direction == 0:
            # No move yet: the first one starts at the lowest or highest point so far.
            high, low = max(high, value), min(low, value)
            if value - low >= threshold:
                direction, pivot, extreme = 1, low, value
            elif high - value >= threshold:
                direction, pivot, extreme = -1, high, value
        elif direction * (value - extreme) > 0:
            extreme = value
        elif direction * (extreme - value) >= threshold:  # turned back far enough
            moves.append(extreme - pivot)
            pivot, extreme, direction = extreme, value, -direction
    if direction != 0:
        moves.append(extreme - pivot)
    return moves


def ending_of(paragraphs: list[_Paragraph]) -> str | None:
    """ "happy", "sad", "bittersweet" or "open" (see the module docstring)."""
    if not paragraphs:
        return None
    total = sum(p.words for p in paragraphs)
    size = min(ENDING_SHARE * total, ENDING_MAX_WORDS)
    tail: list[_Paragraph] = []
    words = 0
    for p in reversed(paragraphs):
        if words >= size and len(tail) >= 2:
            break
        tail.append(p)
        words += p.words
    rest = paragraphs[: len(paragraphs) - len(tail)]
    scores = [s for p in tail for s in p.scores]
    if not scores:
        return "open"
    mean = sum(scores) / len(scores)
    positive = sum(s >= CLEAR for s in scores) / len(scores)
    negative = sum(s <= -CLEAR for s in scores) / len(scores)
    rest_scores = [s for p in rest for s in p.scores]
    rest_mean = sum(rest_scores) / len(rest_scores) if rest_scores else 0.0
    shift = mean - rest_mean if rest_scores else 0.0
    if mean >= HAPPY and negative < positive / 2 and shift > -SHIFT:
        return "happy" if rest_mean > DARK or mean >= 2 * HAPPY else "bittersweet"
    if mean <= SAD and positive < negative / 2:
        return "sad"
    if shift <= -SHIFT and mean < HAPPY:
        return "sad"  # the ending sinks below the story's own level
    if positive >= MIXED and negative >= MIXED:
        return "bittersweet"
    if mean > 0 and positive > negative and rest_mean <= DARK:
        return "bittersweet"
    return "open"


def arc_of(paragraph_texts: list[str]) -> Arc:
    """The arc of a story given as its paragraphs' texts, in reading order."""
    paragraphs = _read_paragraphs(paragraph_texts)
    if not paragraphs:
        return Arc()
    series = [round(v, 3) for v in _smooth(paragraphs, sample_times(len(paragraphs)))]
    return Arc(series=series, shape=shape_of(series), ending=ending_of(paragraphs))


_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(series: list[float]) -> str:
    """The series as block characters, scaled to its own range (a flat curve sits midway)."""
    if not series:
        return ""
    low, high = min(series), max(series)
    if high - low < STEADY_RANGE / 2:
        return _BLOCKS[3] * len(series)
    top = len(_BLOCKS) - 1
    return "".join(_BLOCKS[round((v - low) / (high - low) * top)] for v in series)


def describe(arc: Arc) -> str:
    """One line for the text report: sparkline, shape, ending and the valence range."""
    if not arc.series:
        return "no story paragraphs"
    return (
        f"{sparkline(arc.series)}  {arc.shape}, ending {arc.ending} "
        f"(valence {min(arc.series):+.2f} to {max(arc.series):+.2f})"
    )


def arc_stage(document: Document) -> None:
    """Fills ``Analysis.arc`` from the story paragraphs (notes are not paragraphs)."""
    text = document.text
    document.analysis.arc = arc_of([text[p.start : p.end] for p in document.analysis.paragraphs()])
