"""Meaning (relationships, tags, rating, warnings, category, fandoms, arc) measured on the
short original stories in ``ficlens/eval/stories``, against ``labels.json`` beside them.

The stories were written for this check from issue 4's text alone: each contains, or
pointedly does not contain, specific relationships, tags, ratings, warnings and fandoms.
Every story is read with ``load_path`` and analysed with the full default pipeline.

How a figure is computed (every family is micro-averaged over the stories):

* Names are compared leniently through the characters' names: a name is a set of
  lower-case word tokens ("the" and honorifics such as "Mrs" dropped), and two names
  match when one set holds the other ("Sherlock" matches "Sherlock Holmes"; "John Watson"
  does not match "John Smith"). A predicted relationship's side matches a labelled name
  when the character's name, its canonical name or any alias does (the sides of its
  notation too). A predicted pair matches a labelled pair in either order, one to one.
* ``relationships`` (by pair): tp = labelled pairs found; fn = labelled pairs missed; fp =
  predicted pairs that match neither a labelled pair nor one of the story's
  ``relationships_optional`` (background pairs nobody is marked for or against).
* ``relationship kind``: the same with the kind required to agree (a pair found with the
  wrong kind is one fp and one fn). ``on_page``: accuracy over the labelled pairs found.
* ``freeform tags``: predictions are the tags of type ``freeform`` (declared or inferred).
  tp = labelled ``tags`` suggested, fn = labelled ``tags`` not suggested, fp = suggested
  tags the story lists in ``tags_absent``. Other suggestions are not judged (the labels do
  not list every tag that could apply); their number is reported as ``unjudged``. Tag
  names are compared case-folded, with "&" read as "and" and everything but letters and
  digits dropped ("Hurt/Comfort" = "hurt comfort").
* ``rating``: accuracy of the tag of type ``rating`` (a declared one first, else the most
  confident); no rating is wrong.
* ``warnings``, ``category``: precision and recall of the tags of those types against the
  complete labelled sets (names compared like tags).
* ``fandoms``: precision and recall of ``Analysis.fandoms`` against the complete labelled
  list; a labelled fandom may list several acceptable names. Fandom names are compared by
  their core: each "|"-separated alternative, case-folded, with a trailing parenthesis
  ("(TV)") and a trailing " - Author" dropped and only letters and digits kept.
  "Original Work" is AO3's name for no fandom and is not counted.
* ``arc ending``: accuracy of ``Analysis.arc.ending``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficlens.errors import FicError, InputError
from ficlens.eval.data import find_named, print_report
from ficlens.eval.quotes import Counts
from ficlens.model import Analysis, Character, Relationship

STORIES = Path(__file__).resolve().parent / "stories"
LABELS_FILE = "labels.json"
KINDS = ("romantic", "platonic", "family", "antagonistic")
ENDINGS = ("happy", "sad", "bittersweet", "open")
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")
WARNINGS = (
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
    "No Archive Warnings Apply",
    "Creator Chose Not To Use Archive Warnings",
)
CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
NO_FANDOM = "Original Work"
# Families reported as precision/recall, then those reported as accuracy, in report order.
PR_FAMILIES = (
    "relationships",
    "relationship kind",
    "freeform tags",
    "warnings",
    "category",
    "fandoms",
)
ACCURACY_FAMILIES = ("on_page", "rating", "arc ending")


# ----------------------------------------------------------------------------------- labels


@dataclass
class GoldRelationship:
    pair: str  # AO3 notation
    kind: str
    on_page: bool

    @property
    def names(self) -> tuple[str, str]:
        return split_pair(self.pair)


@dataclass
class StoryLabels:
    name: str  # the story's file name
    fandoms: list[list[str]]  # each labelled fandom with its acceptable names
    relationships: list[GoldRelationship]
    relationships_optional: list[str]
    tags: list[str]
    tags_absent: list[str]
    rating: str
    warnings: list[str]
    category: list[str]
    ending: str


def split_pair(notation: str) -> tuple[str, str]:
    """The two names of an AO3 pair ("A/B" or "A & B")."""
    parts = re.split(r"\s*/\s*|\s+&\s+", notation.strip(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"not a pair in AO3 notation: {notation!r}")
    return parts[0], parts[1]


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{what} must be a list of names")
    return value


def _story_labels(name: str, raw: Any) -> StoryLabels:
    if not isinstance(raw, dict):
        raise ValueError("labels must be an object")
    expected = {
        "fandoms",
        "relationships",
        "relationships_optional",
        "tags",
        "tags_absent",
        "rating",
        "warnings",
        "category",
        "ending",
    }
    if set(raw) != expected:
        missing, extra = expected - set(raw), set(raw) - expected
        raise ValueError(
            "keys differ: "
            + "; ".join(
                part
                for part in (
                    f"missing {', '.join(sorted(missing))}" if missing else "",
                    f"unknown {', '.join(sorted(extra))}" if extra else "",
                )
                if part
            )
        )
    if not isinstance(raw["fandoms"], list):
        raise ValueError("fandoms must be a list")
    fandoms = [
        [f] if isinstance(f, str) else _strings(f, "a fandom's names") for f in raw["fandoms"]
    ]
    relationships = []
    for item in raw["relationships"]:
        if not isinstance(item, dict) or set(item) != {"pair", "kind", "on_page"}:
            raise ValueError("a relationship needs exactly pair, kind and on_page")
        if item["kind"] not in KINDS:
            raise ValueError(f"unknown relationship kind {item['kind']!r}")
        if not isinstance(item["on_page"], bool):
            raise ValueError("on_page must be true or false")
        rel = GoldRelationship(item["pair"], item["kind"], item["on_page"])
        rel.names  # noqa: B018 (checks the notation)
        romantic = "/" in item["pair"]
        if romantic != (item["kind"] == "romantic"):
            raise ValueError(f"{item['pair']!r}: '/' is for romantic pairs, '&' for others")
        relationships.append(rel)
    optional = _strings(raw["relationships_optional"], "relationships_optional")
    for pair in optional:
        split_pair(pair)
    if raw["rating"] not in RATINGS:
        raise ValueError(f"unknown rating {raw['rating']!r}")
    if raw["ending"] not in ENDINGS:
        raise ValueError(f"unknown ending {raw['ending']!r}")
    warnings = _strings(raw["warnings"], "warnings")
    if not warnings or any(w not in WARNINGS for w in warnings):
        raise ValueError(f"warnings must be AO3 archive warnings: {warnings}")
    category = _strings(raw["category"], "category")
    if not category or any(c not in CATEGORIES for c in category):
        raise ValueError(f"category must be AO3 categories: {category}")
    tags = _strings(raw["tags"], "tags")
    absent = _strings(raw["tags_absent"], "tags_absent")
    both = {tag_key(t) for t in tags} & {tag_key(t) for t in absent}
    if both:
        raise ValueError(f"tags both present and absent: {', '.join(sorted(both))}")
    return StoryLabels(
        name=name,
        fandoms=fandoms,
        relationships=relationships,
        relationships_optional=optional,
        tags=tags,
        tags_absent=absent,
        rating=raw["rating"],
        warnings=warnings,
        category=category,
        ending=raw["ending"],
    )


def label_problems(folder: str | Path = STORIES) -> list[str]:
    """Everything wrong with a stories folder's labels, one line each (empty when sound)."""
    folder = Path(folder)
    path = folder / LABELS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: cannot read the labels: {exc}"]
    stories = raw.get("stories") if isinstance(raw, dict) else None
    if not isinstance(stories, dict):
        return [f"{path}: no 'stories' object"]
    problems = []
    on_disk = {p.name for p in folder.glob("*.txt")}
    for name in sorted(on_disk - set(stories)):
        problems.append(f"{folder / name}: story has no labels")
    for name in sorted(set(stories) - on_disk):
        problems.append(f"{path}: labels for a story that does not exist: {name}")
    for name, item in stories.items():
        try:
            _story_labels(name, item)
        except ValueError as exc:
            problems.append(f"{path}: {name}: {exc}")
    return problems


def load_labels(folder: str | Path = STORIES) -> list[StoryLabels]:
    """The labels of every story in ``folder``, sorted by name; InputError when unsound."""
    folder = Path(folder)
    problems = label_problems(folder)
    if problems:
        raise InputError(str(folder / LABELS_FILE), problems[0].split(": ", 1)[-1])
    raw = json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))
    return [_story_labels(name, raw["stories"][name]) for name in sorted(raw["stories"])]


# ------------------------------------------------------------------------------ comparison


_HONORIFICS = frozenset("the mr mrs ms miss mx dr sir madam madame lady lord".split())


def name_tokens(name: str) -> frozenset[str]:
    """A name as a set of case-folded word tokens, without "the" and honorifics ("Mrs")."""
    words = re.findall(r"\w+", name.casefold().replace("’", "'").replace("'", ""))
    kept = frozenset(w for w in words if w not in _HONORIFICS)
    return kept or frozenset(words)


def names_match(a: str, b: str) -> bool:
    """One name's tokens hold the other's ("Sherlock" and "Sherlock Holmes")."""
    ta, tb = name_tokens(a), name_tokens(b)
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def tag_key(name: str) -> str:
    """A tag name for comparison: case-folded, "&" as "and", letters and digits only."""
    return re.sub(r"[\W_]+", "", name.casefold().replace("&", "and"))


def fandom_cores(name: str) -> set[str]:
    """The comparable cores of a fandom name (one per "|"-separated alternative)."""
    cores = set()
    for part in name.split("|"):
        part = re.sub(r"\s*\([^)]*\)\s*$", "", part.strip())
        part = re.split(r"\s+-\s+", part)[0]
        core = re.sub(r"[\W_]+", "", part.casefold())
        if core:
            cores.add(core)
    return cores


@dataclass
class PredictedPair:
    notation: str
    kind: str
    on_page: bool
    sides: tuple[list[str], list[str]]  # every name each side is known by


def predicted_pairs(analysis: Analysis) -> list[PredictedPair]:
    characters = {c.id: c for c in analysis.characters}
    return [_predicted(rel, characters) for rel in analysis.relationships]


def _predicted(rel: Relationship, characters: dict[str, Character]) -> PredictedPair:
    try:
        written = list(split_pair(rel.notation))
    except ValueError:
        written = [rel.notation, rel.notation]
    sides: list[list[str]] = []
    for k in range(2):
        names = [written[k]]
        character = characters.get(rel.characters[k]) if k < len(rel.characters) else None
        if character is not None:
            names += [character.name, *character.aliases]
            if character.canonical:
                names.append(character.canonical)
        sides.append(names)
    return PredictedPair(rel.notation, rel.kind, rel.on_page, (sides[0], sides[1]))


def pair_matches(gold: str, pred: PredictedPair) -> bool:
    a, b = split_pair(gold)
    side0, side1 = pred.sides

    def hit(name: str, side: list[str]) -> bool:
        return any(names_match(name, n) for n in side)

    return (hit(a, side0) and hit(b, side1)) or (hit(a, side1) and hit(b, side0))


# ----------------------------------------------------------------------------------- report


@dataclass
class Finding:
    """A miss or a false alarm in one family of one story."""

    family: str
    story: str
    kind: str  # "missed", "false alarm" or "wrong"
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        return f"{self.kind.upper():11} {self.family:17} {self.story}: {self.detail}"


@dataclass
class StoryResult:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    accuracy: dict[str, tuple[int, int]] = field(default_factory=dict)  # (correct, total)
    findings: list[Finding] = field(default_factory=list)
    unjudged_tags: list[str] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0


def compare(labels: StoryLabels, analysis: Analysis) -> StoryResult:
    """Compare one story's analysis with its labels."""
    result = StoryResult(labels.name, words=analysis.work.word_count)
    _relationships(labels, analysis, result)
    _tags(labels, analysis, result)
    _typed_set(result, "warnings", labels.warnings, _tag_names(analysis, "warning"), key=tag_key)
    _typed_set(result, "category", labels.category, _tag_names(analysis, "category"), key=tag_key)
    _fandoms(labels, analysis, result)
    rating = _rating(analysis)
    _accuracy(result, "rating", labels.rating, rating)
    _accuracy(result, "arc ending", labels.ending, analysis.arc.ending)
    return result


def _add(result: StoryResult, family: str, finding: str, detail: str) -> None:
    counts = result.counts.setdefault(family, Counts())
    if finding == "missed":
        counts.fn += 1
    else:
        counts.fp += 1
    result.findings.append(Finding(family, result.name, finding, detail))


def _relationships(labels: StoryLabels, analysis: Analysis, result: StoryResult) -> None:
    preds = predicted_pairs(analysis)
    for family in ("relationships", "relationship kind"):
        result.counts[family] = Counts()
    result.accuracy["on_page"] = (0, 0)
    used: set[int] = set()
    for gold in labels.relationships:
        hit = next(
            (i for i, p in enumerate(preds) if i not in used and pair_matches(gold.pair, p)),
            None,
        )
        if hit is None:
            _add(result, "relationships", "missed", f"{gold.pair} ({gold.kind})")
            _add(result, "relationship kind", "missed", f"{gold.pair} ({gold.kind})")
            continue
        used.add(hit)
        pred = preds[hit]
        result.counts["relationships"].tp += 1
        if pred.kind == gold.kind:
            result.counts["relationship kind"].tp += 1
        else:
            detail = f"{gold.pair}: expected {gold.kind}, got {pred.kind} ({pred.notation})"
            _add(result, "relationship kind", "missed", detail)
            result.counts["relationship kind"].fp += 1
        correct, total = result.accuracy["on_page"]
        if pred.on_page == gold.on_page:
            correct += 1
        else:
            result.findings.append(
                Finding(
                    "on_page",
                    result.name,
                    "wrong",
                    f"{gold.pair}: expected on_page={gold.on_page}, got {pred.on_page}",
                )
            )
        result.accuracy["on_page"] = (correct, total + 1)
    for i, pred in enumerate(preds):
        if i in used or any(pair_matches(o, pred) for o in labels.relationships_optional):
            continue
        detail = f"{pred.notation} ({pred.kind})"
        _add(result, "relationships", "false alarm", detail)
        _add(result, "relationship kind", "false alarm", detail)


def _tag_names(analysis: Analysis, kind: str) -> list[str]:
    return [t.name for t in analysis.tags if t.type == kind]


def _tags(labels: StoryLabels, analysis: Analysis, result: StoryResult) -> None:
    family = "freeform tags"
    result.counts[family] = Counts()
    predicted = {tag_key(name): name for name in _tag_names(analysis, "freeform")}
    for tag in labels.tags:
        if tag_key(tag) in predicted:
            result.counts[family].tp += 1
        else:
            _add(result, family, "missed", tag)
    absent = {tag_key(t) for t in labels.tags_absent}
    present = {tag_key(t) for t in labels.tags}
    for key, name in sorted(predicted.items()):
        if key in absent:
            _add(result, family, "false alarm", name)
        elif key not in present:
            result.unjudged_tags.append(name)


def _typed_set(
    result: StoryResult, family: str, gold: list[str], pred: list[str], *, key: Any
) -> None:
    result.counts[family] = Counts()
    pred_keys = {key(p): p for p in pred}
    gold_keys = {key(g): g for g in gold}
    for k, name in gold_keys.items():
        if k in pred_keys:
            result.counts[family].tp += 1
        else:
            _add(result, family, "missed", name)
    for k, name in pred_keys.items():
        if k not in gold_keys:
            _add(result, family, "false alarm", name)


def _fandoms(labels: StoryLabels, analysis: Analysis, result: StoryResult) -> None:
    family = "fandoms"
    result.counts[family] = Counts()
    preds = [f.name for f in analysis.fandoms if tag_key(f.name) != tag_key(NO_FANDOM)]
    used: set[int] = set()
    for names in labels.fandoms:
        wanted = set().union(*(fandom_cores(n) for n in names))
        hit = next(
            (i for i, p in enumerate(preds) if i not in used and fandom_cores(p) & wanted),
            None,
        )
        if hit is None:
            _add(result, family, "missed", names[0])
        else:
            used.add(hit)
            result.counts[family].tp += 1
    for i, name in enumerate(preds):
        if i not in used:
            _add(result, family, "false alarm", name)


def _rating(analysis: Analysis) -> str | None:
    ratings = [t for t in analysis.tags if t.type == "rating"]
    if not ratings:
        return None
    return max(ratings, key=lambda t: (t.source == "declared", t.confidence)).name


def _accuracy(result: StoryResult, family: str, gold: str, pred: str | None) -> None:
    ok = pred is not None and tag_key(pred) == tag_key(gold)
    result.accuracy[family] = (int(ok), 1)
    if not ok:
        result.findings.append(
            Finding(family, result.name, "wrong", f"expected {gold}, got {pred or 'nothing'}")
        )


@dataclass
class MeaningReport:
    stories: list[StoryResult]
    failed: list[str] = field(default_factory=list)  # one-line errors of unreadable stories

    @property
    def name(self) -> str:
        return "stories"

    def counts(self, family: str) -> Counts:
        out = Counts()
        for s in self.stories:
            out = out + s.counts.get(family, Counts())
        return out

    def accuracy(self, family: str) -> tuple[int, int]:
        correct = sum(s.accuracy.get(family, (0, 0))[0] for s in self.stories)
        total = sum(s.accuracy.get(family, (0, 0))[1] for s in self.stories)
        return correct, total

    def findings(self, limit: int) -> list[Finding]:
        """Up to ``limit`` misses and ``limit`` false alarms (or wrong answers) per family."""
        out: list[Finding] = []
        for family in (*PR_FAMILIES, *ACCURACY_FAMILIES):
            for kind in ("missed", "false alarm", "wrong"):
                items = [
                    f
                    for s in self.stories
                    for f in s.findings
                    if f.family == family and f.kind == kind
                ]
                out += items[:limit]
        return out

    def to_dict(self) -> dict[str, Any]:
        families: dict[str, Any] = {}
        for family in PR_FAMILIES:
            families[family] = self.counts(family).to_dict()
        for family in ACCURACY_FAMILIES:
            correct, total = self.accuracy(family)
            families[family] = {
                "correct": correct,
                "total": total,
                "accuracy": round(correct / total, 4) if total else 0.0,
            }
        return {
            "method": "see ficlens/eval/meaning.py",
            "stories": len(self.stories),
            "words": sum(s.words for s in self.stories),
            "seconds": round(sum(s.seconds for s in self.stories), 3),
            "families": families,
            "failed": self.failed,
            "unjudged_tags": sum(len(s.unjudged_tags) for s in self.stories),
            "documents": [
                {
                    "name": s.name,
                    "words": s.words,
                    "findings": len(s.findings),
                    "seconds": round(s.seconds, 3),
                }
                for s in self.stories
            ],
        }

    def format_table(self, *, per_document: bool = True) -> str:
        header = f"{'family':20} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"
        lines = [header, "-" * len(header)]
        for family in PR_FAMILIES:
            c = self.counts(family)
            lines.append(
                f"{family:20} {c.tp:4d} {c.fp:4d} {c.fn:4d} "
                f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            )
        for family in ACCURACY_FAMILIES:
            correct, total = self.accuracy(family)
            share = correct / total if total else 0.0
            lines.append(f"{family:20} accuracy {correct}/{total} = {share:.3f}")
        unjudged = sum(len(s.unjudged_tags) for s in self.stories)
        lines.append(
            f"{len(self.stories)} stories, {sum(s.words for s in self.stories):,} words, "
            f"{sum(s.seconds for s in self.stories):.1f} s analysing; "
            f"{unjudged} suggested tags not judged by the labels"
        )
        if per_document:
            lines.append("")
            lines.append(f"{'story':44} {'findings':>8}")
            for s in self.stories:
                lines.append(f"{s.name[:44]:44} {len(s.findings):8d}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------- evaluation


def evaluate(folder: str | Path = STORIES, *, doc: str | None = None) -> MeaningReport:
    """Analyse every labelled story in ``folder`` (or only ``doc``) and compare."""
    from ficlens.pipeline import Pipeline
    from ficlens.read import load_path

    folder = Path(folder)
    labels = load_labels(folder)
    if doc is not None:
        labels = [_find_story(labels, doc)]
    pipeline = Pipeline()
    results = []
    failed: list[str] = []
    for item in labels:
        t0 = time.perf_counter()
        try:
            analysis = pipeline.analyze_loaded(load_path(folder / item.name))
        except FicError as error:  # one unreadable story does not stop the others
            failed.append(str(error))
            continue
        seconds = time.perf_counter() - t0
        result = compare(item, analysis)
        result.seconds = seconds
        results.append(result)
    return MeaningReport(results, failed)


def _find_story(labels: list[StoryLabels], name: str) -> StoryLabels:
    stem = name.removesuffix(".txt")
    for item in labels:
        if item.name.removesuffix(".txt") == stem:
            return item
    return find_named(labels, name)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ficlens.eval.meaning``: print the meaning figures on the bundled stories."""
    parser = argparse.ArgumentParser(
        prog="ficlens eval meaning",
        description="Evaluate relationships, tags, rating, warnings, category, fandoms and "
        "the arc's ending on the labelled original stories.",
    )
    parser.add_argument(
        "--data", help="the stories folder with its labels.json (default: the bundled one)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="also list up to N misses and N false alarms per family",
    )
    parser.add_argument("--doc", help="only this story (file name, or a unique part of it)")
    parser.add_argument("--summary", action="store_true", help="the totals only")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.data or STORIES, doc=args.doc)
    except (InputError, KeyError) as exc:
        print(f"error: {exc if isinstance(exc, InputError) else exc.args[0]}", file=sys.stderr)
        return 2
    for error in report.failed:
        print(f"ficlens: error: {error}", file=sys.stderr)
    findings = report.findings(args.errors) if args.errors else []
    print_report(report, findings, as_json=args.json, summary=args.summary)
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
