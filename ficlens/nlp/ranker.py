"""A learned ranker over candidate speakers, on top of the hand rules.

For each spoken quotation (not a continuation), the candidates are the characters the
narration names nearby, the recent speakers, and the rules' own pick. Each candidate is
described by a few dozen features (what the rules decided and how, distance and order of
mentions, turn-taking and the conversation's tags, vocatives, pronoun gender, salience); a
gradient-boosted tree ensemble trained to rank (LightGBM's lambdarank) scores them, and the
best one speaks.

The trees live in ``ficlens/data/speaker_ranker.json``. They are trained on the PDNC
novels and LitBank excerpts in ``../shared/eval`` by ``ficlens eval train-speakers``
(``ficlens/eval/train_speakers.py``), which also reports held-out accuracy.
Without the file, the stage falls back to the rules alone.
"""

from __future__ import annotations

import bisect
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ficlens.document import Document, Mention
from ficlens.nlp.descriptions import NARRATED_PREFIX

MODEL_FILE = "speaker_ranker.json"
DESCRIBED_PREFIX = "d"  # the id prefix of described speakers' characters ("the tinker")
MODEL_FORMAT = "ficlens/speaker-ranker/2"

_RULES = ("explicit", "anaphoric", "epithet", "beat", "turn", "guess", "continued", "described")
# How far (in paragraphs) a named character may be from the quotation to be a candidate.
_BACK, _AHEAD = 4, 1
_MAX_CANDIDATES = 10
_LOOK_BACK = 2000  # narration mentions searched for the last one of a pronoun's gender
# Previous turns further back than this many paragraphs belong to another conversation.
_GAP = 3
_WINDOW = 10  # turns either way in which a conversation's tags are read
_TAGGED = ("explicit", "anaphoric")

_BASE: tuple[str, ...] = (
    *(f"rule_{how}" for how in _RULES),
    "rule_any",
    "vocative",
    "named_in_quote",
    "prev1",
    "prev2",
    "prev3",
    "prev1_same_paragraph",
    "prev1_only_quotes",
    "prev2_only_quotes",
    "addressed_by_prev",
    "addressed_by_next",
    "next_tag_odd",
    "next_tag_even",
    "prev_tag_odd",
    "prev_tag_even",
    "tags_odd",
    "tags_even",
    "tagged_in_conversation",
    "narration_before_in_paragraph",
    "narration_after_in_paragraph",
    "first_in_paragraph",
    "subject_in_paragraph",
    "previous_paragraph",
    "previous_paragraph_last",
    "next_paragraph",
    "recency_0",
    "recency_1",
    "recency_2",
    "log_distance",
    "no_mention_before",
    "gender_match",
    "gender_mismatch",
    "salience",
    "speaker_share",
    "only_candidate_of_gender",
    "described",
    "described_here",
    "described_indefinite",
    "described_generic",
    "described_again",
    "described_by_title",
    "described_possessive",
    "narrated",
    "pronoun_participant",
)
# How the rules attributed the quotation decides how much each clue is worth (after an
# explicit tag the rules' pick is nearly always right; in a run of bare quotes the
# alternation matters most): the trees read it, and the size of the choice, beside the clues.
_SITUATIONS = ("explicit", "anaphoric", "beat", "turn", "guess", "epithet", "described", "none")
FEATURES: tuple[str, ...] = (
    *_BASE,
    *(f"situation_{situation}" for situation in _SITUATIONS),
    "candidates",
    "position",
)
_INDEX = {name: i for i, name in enumerate(_BASE)}
# Descriptions that say little about who it is ("the man") rather than what they are.
# "cried her aunt", "said my mother": a relation, described from someone else.
POSSESSIVES = frozenset({"his", "her", "their", "my"})
_GENERIC_NOUNS = frozenset(
    "man woman gentleman lady girl boy fellow person other stranger voice child youth lad "
    "creature figure visitor speaker".split()
)


@dataclass
class Choice:
    """The candidates of one quotation and their feature vectors."""

    quote_id: int
    candidates: list[str]
    vectors: list[list[float]]


class _Context:
    """What the features need of a document, computed once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        tokens = doc.tokens
        assert tokens is not None
        self.characters = {c.id: c for c in doc.analysis.characters}
        self.paragraphs = doc.analysis.paragraphs()
        narration = [m for m in doc.mentions if not m.in_quote and m.character is not None]
        # Mentions inside any quotation are not narration, whatever the mention says.
        spans = sorted((q.start, q.end) for q in doc.analysis.quotes if q.nested_in is None)
        quote_starts = [s for s, _ in spans]

        def inside(offset: int) -> bool:
            k = bisect.bisect_right(quote_starts, offset) - 1
            return k >= 0 and spans[k][0] <= offset < spans[k][1]

        self.narration = [m for m in narration if not inside(m.start)]
        self.narration_starts = [m.start for m in self.narration]
        self.by_paragraph: dict[int, list[Mention]] = {}
        for m in self.narration:
            self.by_paragraph.setdefault(m.paragraph, []).append(m)
        self.sentence_start_offsets = {
            tokens.start[i] for i in range(len(tokens)) if tokens.sent_start[i]
        }
        most = max((c.mentions for c in doc.analysis.characters), default=1)
        self.log_most = math.log1p(max(most, 1))
        self.quote_paragraphs = Counter(q.paragraph for q in doc.analysis.quotes if q.speech)
        self.described_turns: Counter[str] = Counter()

    def only_quotes(self, paragraph: int) -> bool:
        """The paragraph is speech and nothing else: no character named in its narration."""
        return paragraph not in self.by_paragraph and self.quote_paragraphs[paragraph] > 0


def choices(
    doc: Document, turns: dict[int, Any], decide: Callable[[Choice], str] | None = None
) -> list[Choice]:
    """The candidates and their features for every spoken quotation that starts a turn.

    ``turns`` maps quote ids to the speakers stage's turns (``speaker``, ``how``,
    ``addressed``, ``pronoun``, ``owner``) as the rules left them. With ``decide``, each
    quotation's speaker is set to its answer before the next quotation's features are
    read, so the turn-taking clues follow the decisions made so far (training reads the
    rules' picks).
    """
    context = _Context(doc)
    ordered = sorted(
        (t for t in turns.values() if t.quote.continues is None), key=lambda t: t.quote.start
    )
    context.described_turns.update(t.described for t in ordered if t.described)
    # What the tags say, before any decision overrides them.
    tags = [t.speaker if t.how in _TAGGED else None for t in ordered]
    out = []
    for n, turn in enumerate(ordered):
        history = _history(ordered, n)
        candidates = _candidates(context, turn, history)
        if not candidates:
            continue
        # The reply often names whoever spoke: "Yes, Anne."
        following = ordered[n + 1] if n + 1 < len(ordered) else None
        answered = (
            following.addressed
            if following is not None and following.quote.paragraph - turn.quote.paragraph <= 1
            else ()
        )
        anchor = _next_tagged(ordered, n)
        around = _tags_around(ordered, tags, n)
        vectors = [
            _features(context, turn, history, c, candidates, answered, anchor, around)
            for c in candidates
        ]
        choice = Choice(turn.quote.id, candidates, vectors)
        out.append(choice)
        if decide is not None:
            turn.speaker = decide(choice)
    return out


def _history(ordered: Sequence[Any], n: int) -> list[Any]:
    """The earlier turns of this conversation, nearest first (at most 20)."""
    out = []
    paragraph = ordered[n].quote.paragraph
    for earlier in reversed(ordered[max(0, n - 20) : n]):
        if paragraph - earlier.quote.paragraph > _GAP:
            break
        paragraph = earlier.quote.paragraph
        out.append(earlier)
    return out


def _next_tagged(ordered: Sequence[Any], n: int) -> tuple[str, int] | None:
    """The speaker of the next turn of this conversation that a tag names, and how many
    turns ahead it is: in a run of bare quotations, every other one is theirs."""
    paragraph = ordered[n].quote.paragraph
    for k in range(n + 1, min(len(ordered), n + 12)):
        later = ordered[k]
        if later.quote.paragraph - paragraph > _GAP:
            return None
        paragraph = later.quote.paragraph
        if later.how in ("explicit", "anaphoric") and later.speaker:
            return later.speaker, k - n
    return None


def _tags_around(
    ordered: Sequence[Any], tags: Sequence[str | None], n: int
) -> list[tuple[str, int]]:
    """The tagged turns of this conversation around turn ``n`` (at most ``_WINDOW`` turns
    either way), as (speaker, signed distance in turns): in a two-person exchange the tags
    at an even distance name this turn's speaker, those at an odd one the other."""
    out = []
    for step in (-1, 1):
        paragraph = ordered[n].quote.paragraph
        k = n + step
        while 0 <= k < len(ordered) and abs(k - n) <= _WINDOW:
            if abs(ordered[k].quote.paragraph - paragraph) > _GAP:
                break
            paragraph = ordered[k].quote.paragraph
            if tags[k]:
                out.append((tags[k], k - n))
            k += step
    return out


def _candidates(context: _Context, turn: Any, history: list[Any]) -> list[str]:
    quote = turn.quote
    found: list[str] = []
    if turn.speaker and turn.speaker in context.characters:
        found.append(turn.speaker)
    if turn.described in context.characters:
        found.append(turn.described)
    for earlier in history[:4]:
        if earlier.speaker in context.characters:
            found.append(earlier.speaker)
        found.extend(a for a in earlier.addressed if a in context.characters)
    for p in range(quote.paragraph - _BACK, quote.paragraph + _AHEAD + 1):
        found.extend(m.character for m in context.by_paragraph.get(p, ()))  # type: ignore[misc]
    # "said his step-son" is not said by whoever "his" is.
    owner = turn.owner
    unique = [c for c in dict.fromkeys(found) if c != owner][:_MAX_CANDIDATES]
    named = [c for c in unique if not c.startswith(DESCRIBED_PREFIX)]
    if turn.pronoun is not None and not any(
        _gender(context, c, True) == turn.pronoun for c in named
    ):
        # "said his lady" with only men named nearby: the woman last named, or the story's
        # lead one (the description, "his lady", is weighed beside them).
        found = _of_gender(context, turn.pronoun, quote.start)
        unique.extend(c for c in dict.fromkeys(found) if c and c not in unique and c != owner)
    called = set(turn.addressed) - ({turn.speaker} if turn.how == "explicit" else set())
    if called.issuperset(unique):
        return []  # '"TOM!"' with only Tom around: his name is called, not spoken by him
    return unique


def _gender(context: _Context, candidate: str, third_person: bool = False) -> str | None:
    """The candidate's gender; as the referent of a third-person tag ("he said", "said the
    man"), the first-person narrator has none that agrees."""
    if third_person and candidate == context.doc.narrator:
        return "I"
    character = context.characters.get(candidate)
    return character.gender if character is not None else None


def _of_gender(context: _Context, gender: str, before: int) -> tuple[str | None, str | None]:
    """The character of that gender the narration named last before ``before``, and the
    most mentioned one."""
    k = bisect.bisect_left(context.narration_starts, before) - 1
    stop = max(-1, k - _LOOK_BACK)
    last = None
    while k > stop and last is None:
        if _gender(context, context.narration[k].character, True) == gender:  # type: ignore[arg-type]
            last = context.narration[k].character
        k -= 1
    lead = max(
        (
            c
            for c in context.characters.values()
            if _gender(context, c.id, True) == gender and not c.described
        ),
        key=lambda c: c.mentions,
        default=None,
    )
    return last, lead.id if lead is not None else None


def _features(
    context: _Context,
    turn: Any,
    history: list[Any],
    candidate: str,
    candidates: list[str],
    answered: tuple[str, ...] = (),
    anchor: tuple[str, int] | None = None,
    around: Sequence[tuple[str, int]] = (),
) -> list[float]:
    f = [0.0] * len(_BASE)

    def put(name: str, value: float = 1.0) -> None:
        f[_INDEX[name]] = value

    quote = turn.quote
    paragraph = quote.paragraph
    if turn.speaker == candidate:
        put("rule_any")
        if turn.how in _RULES:
            put(f"rule_{turn.how}")
    if candidate in turn.addressed:
        put("vocative")
    lo, hi = quote.text_start, quote.text_end
    if any(
        m.character == candidate and lo <= m.start < hi and m.kind == "name"
        for m in context.doc.mentions_in(lo, hi)
    ):
        put("named_in_quote")

    speakers = [t.speaker for t in history]
    for k, name in enumerate(("prev1", "prev2", "prev3")):
        if k < len(speakers) and speakers[k] == candidate:
            put(name)
    if history and history[0].speaker == candidate:
        if history[0].quote.paragraph == paragraph:
            put("prev1_same_paragraph")
        if context.only_quotes(paragraph):
            put("prev1_only_quotes")
    if len(history) > 1 and history[1].speaker == candidate and context.only_quotes(paragraph):
        put("prev2_only_quotes")
    if history and candidate in history[0].addressed and history[0].speaker != candidate:
        put("addressed_by_prev")
    if candidate in answered:
        put("addressed_by_next")
    if anchor is not None and anchor[0] == candidate:
        put("next_tag_even" if anchor[1] % 2 == 0 else "next_tag_odd")
    before = [(who, d) for who, d in around if d < 0]
    if before and before[0][0] == candidate:
        put("prev_tag_even" if before[0][1] % 2 == 0 else "prev_tag_odd")
    mine = [d for who, d in around if who == candidate]
    if mine:
        put("tagged_in_conversation")
        put("tags_even", sum(1 / abs(d) for d in mine if d % 2 == 0))
        put("tags_odd", sum(1 / abs(d) for d in mine if d % 2 == 1))

    here = [m for m in context.by_paragraph.get(paragraph, ()) if m.character == candidate]
    if any(m.start < quote.start for m in here):
        put("narration_before_in_paragraph")
    if any(m.start >= quote.end for m in here):
        put("narration_after_in_paragraph")
    in_paragraph = context.by_paragraph.get(paragraph, ())
    if in_paragraph and in_paragraph[0].character == candidate:
        put("first_in_paragraph")
    if any(m.start in context.sentence_start_offsets for m in here):
        put("subject_in_paragraph")
    previous = context.by_paragraph.get(paragraph - 1, ())
    if any(m.character == candidate for m in previous):
        put("previous_paragraph")
    if previous and previous[-1].character == candidate:
        put("previous_paragraph_last")
    if any(m.character == candidate for m in context.by_paragraph.get(paragraph + 1, ())):
        put("next_paragraph")

    # Recency: the candidate's rank among the characters the narration named last.
    k = bisect.bisect_left(context.narration_starts, quote.start) - 1
    seen: list[str] = []
    distance = None
    while k >= 0 and len(seen) < 6:
        m = context.narration[k]
        if paragraph - m.paragraph > _BACK:
            break
        if m.character not in seen:
            seen.append(m.character)  # type: ignore[arg-type]
            if m.character == candidate:
                distance = quote.start - m.end
        k -= 1
    if candidate in seen:
        rank = seen.index(candidate)
        if rank < 3:
            put(f"recency_{rank}")
    if distance is None:
        put("no_mention_before")
    else:
        put("log_distance", math.log1p(max(distance, 0)) / 10)

    character = context.characters.get(candidate)
    gender = _gender(context, candidate, third_person=turn.pronoun is not None)
    if turn.pronoun is not None and gender is not None:
        put("gender_match" if gender == turn.pronoun else "gender_mismatch")
        same = [c for c in candidates if _gender(context, c, third_person=True) == turn.pronoun]
        if same == [candidate]:
            put("only_candidate_of_gender")
    if character is not None:
        put("salience", math.log1p(character.mentions) / context.log_most)
    if turn.participant == candidate:
        put("pronoun_participant")
    if turn.described == candidate and not candidate.startswith(DESCRIBED_PREFIX):
        put("described_by_title")  # "said the parson": Parson Tringham
    if candidate.startswith(NARRATED_PREFIX):
        # Someone the narration brought on ("a girl sat on the fence"): weighed apart
        # from a description that only a tag gives, since the narration shows them.
        put("narrated")
    elif candidate.startswith(DESCRIBED_PREFIX) and character is not None:
        # A described speaker ("said the tinker"): new to the story, or a named one?
        put("described")
        if turn.described == candidate:
            put("described_here")
        article = character.name.split()[0]
        if article in ("a", "an"):
            put("described_indefinite")
        if article in POSSESSIVES:
            put("described_possessive")  # "his wife": most often someone named
        if character.name.split()[-1] in _GENERIC_NOUNS:
            put("described_generic")
        if context.described_turns[candidate] > 1:
            put("described_again")
    if speakers:
        put("speaker_share", speakers.count(candidate) / len(speakers))
    situation = turn.how if turn.how in _SITUATIONS else "none"
    situation_flags = [float(s == situation) for s in _SITUATIONS]
    return [*f, *situation_flags, len(candidates), candidates.index(candidate)]


class SpeakerRanker:
    """A gradient-boosted tree ensemble scoring each candidate; ``rank`` picks one per
    quotation. The trees are LightGBM's (trained by ``ficlens eval train-speakers``), kept
    as flat arrays and walked here in NumPy, so running the ranker needs no LightGBM."""

    def __init__(self, trees: Sequence[dict[str, Sequence[float]]]) -> None:
        # All trees' nodes in flat arrays, numbered globally: a node's feature, the threshold
        # it is compared with (go left when <=), its children and a leaf's value. A leaf
        # points to itself both ways, so a walk of the deepest tree's depth ends on a leaf
        # in every tree without asking which nodes are leaves.
        feature, threshold, left, right, value, roots = [], [], [], [], [], []
        for tree in trees:
            offset = len(feature)
            roots.append(offset)
            for k, split in enumerate(tree["feature"]):
                leaf = split < 0
                feature.append(0 if leaf else int(split))
                threshold.append(math.inf if leaf else tree["threshold"][k])
                left.append(offset + (k if leaf else int(tree["left"][k])))
                right.append(offset + (k if leaf else int(tree["right"][k])))
                value.append(tree["value"][k] if leaf else 0.0)
        self.feature = np.array(feature, dtype=np.int64)
        self.threshold = np.array(threshold, dtype=np.float64)
        self.left = np.array(left, dtype=np.int64)
        self.right = np.array(right, dtype=np.int64)
        self.value = np.array(value, dtype=np.float64)
        self.roots = np.array(roots, dtype=np.int64)
        self.depth = max((_depth(t) for t in trees), default=0)
        self.trees = len(trees)

    @classmethod
    def load(cls, data: dict[str, Any]) -> SpeakerRanker:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a {MODEL_FORMAT} model")
        if list(data.get("features", FEATURES)) != list(FEATURES):
            raise ValueError("the model was trained on other features: retrain it")
        return cls(data["trees"])

    @classmethod
    def bundled(cls) -> SpeakerRanker | None:
        """The model shipped in the package, or None when there is none."""
        try:
            raw = resources.files("ficlens.data").joinpath(MODEL_FILE).read_text("utf-8")
        except FileNotFoundError:
            return None
        return cls.load(json.loads(raw))

    def scores(self, vectors: Sequence[Sequence[float]]) -> np.ndarray:
        """Each candidate's score: the sum of its leaf in every tree."""
        x = np.asarray(vectors, dtype=float)
        if not self.trees:
            return np.zeros(len(x))
        values = x.ravel()
        rows = (np.arange(len(x)) * x.shape[1])[None, :]
        node = np.repeat(self.roots[:, None], len(x), axis=1)  # (trees, candidates)
        for _ in range(self.depth):
            goes_left = values[rows + self.feature[node]] <= self.threshold[node]
            node = np.where(goes_left, self.left[node], self.right[node])
        return self.value[node].sum(axis=0)

    def probabilities(self, vectors: Sequence[Sequence[float]]) -> np.ndarray:
        """Softmax over the candidates."""
        raw = self.scores(vectors)
        exp = np.exp(raw - raw.max())
        return exp / exp.sum()

    def rank(self, choice: Choice) -> tuple[str, float]:
        probabilities = self.probabilities(choice.vectors)
        best = int(probabilities.argmax())
        return choice.candidates[best], float(probabilities[best])


def _depth(tree: dict[str, Sequence[float]]) -> int:
    """The number of splits on the longest path from the root."""
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, depth = stack.pop()
        if tree["feature"][node] < 0:
            deepest = max(deepest, depth)
        else:
            stack += [(int(tree["left"][node]), depth + 1), (int(tree["right"][node]), depth + 1)]
    return deepest


def flatten_lightgbm(dump: dict[str, Any]) -> list[dict[str, list[float]]]:
    """LightGBM's ``Booster.dump_model()`` as this module's flat trees (node 0 the root)."""
    return [_flatten_tree(info["tree_structure"]) for info in dump["tree_info"]]


def _flatten_tree(root: dict[str, Any]) -> dict[str, list[float]]:
    tree: dict[str, list[float]] = {
        key: [] for key in ("feature", "threshold", "left", "right", "value")
    }

    def add(node: dict[str, Any]) -> int:
        k = len(tree["feature"])
        for column in tree.values():
            column.append(0)
        if "split_feature" not in node:  # a leaf
            tree["feature"][k] = -1
            tree["value"][k] = round(float(node.get("leaf_value", 0.0)), 6)
            return k
        if node.get("decision_type", "<=") != "<=" or node.get("missing_type") == "Zero":
            raise ValueError(f"unsupported split {node.get('decision_type')!r}")
        tree["feature"][k] = int(node["split_feature"])
        tree["threshold"][k] = float(node["threshold"])
        tree["left"][k] = add(node["left_child"])
        tree["right"][k] = add(node["right_child"])
        return k

    add(root)
    return tree


def model_data(trees: list[dict[str, list[float]]], **about: Any) -> dict[str, Any]:
    """The JSON form of a trained model (``about``: how it was trained and how it scored)."""
    return {"format": MODEL_FORMAT, **about, "features": list(FEATURES), "trees": trees}
