"""Character alias clustering measured against PDNC's character alias sets (B-cubed).

How the figure is computed, for one novel:

* Names are normalised as in ``ficlens.eval.speakers.normalise_name``: curly apostrophes
  become straight, full stops become spaces ("Mr." -> "mr"), runs of whitespace collapse,
  case is folded.
* Items: the normalised names in the gold alias sets (``character_info.csv``: each
  character's aliases, plus its main name) that occur in the novel text at least once. A
  name occurs when one of the original (unnormalised) strings that normalise to it is found
  in the text case-sensitively, as a whole word (no letter, digit or underscore touching it
  on either side). A normalised name belonging to several gold characters is ambiguous and
  is dropped (PDNC: "mr last" in A Handful of Dust, "mrs harville" in Persuasion).
* Gold cluster of an item: the items of its gold character.
* Predicted cluster of an item: the normalised names (name and aliases) of the predicted
  character that holds it; when several do, the one with the most ``mentions``, then the one
  listed first. An item no predicted character holds is a singleton: its cluster is itself.
* B-cubed, over the items: precision = mean of |pred ∩ gold| / |pred ∩ items|, recall = mean
  of |pred ∩ gold| / |gold| (every cluster holds its own item, so no denominator is 0);
  F1 = 2PR / (P + R).
* Over novels: micro = the same means over the items of all novels pooled; macro = the mean
  of the novels' precisions, recalls and F1s.

A prediction with no characters scores precision 1 and a recall of the mean 1/|gold|: the
floor any real clustering should beat.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficlens.eval.data import (
    EvalDoc,
    GoldCharacter,
    add_common_arguments,
    find_named,
    print_report,
)
from ficlens.eval.speakers import (
    Analyse,
    Progress,
    default_analyse,
    load_docs,
    name_set,
    normalise_name,
    stderr_progress,
)
from ficlens.model import Character


def occurs(text: str, name: str) -> bool:
    """Whether ``name`` stands in ``text`` as a whole word (case-sensitive)."""
    if not name:
        return False
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not _wordish(before) and not _wordish(after):
            return True
        start = text.find(name, start + 1)
    return False


def _wordish(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def gold_items(text: str, characters: Sequence[GoldCharacter]) -> dict[str, str]:
    """Normalised gold name -> gold character id, for the unambiguous names found in the text."""
    owners: dict[str, set[str]] = {}
    originals: dict[str, set[str]] = {}
    for c in characters:
        for original in (c.name, *c.aliases):
            original = original.strip()
            norm = normalise_name(original)
            if norm:
                owners.setdefault(norm, set()).add(c.id)
                originals.setdefault(norm, set()).add(original)
    return {
        norm: next(iter(ids))
        for norm, ids in owners.items()
        if len(ids) == 1 and any(occurs(text, o) for o in sorted(originals[norm]))
    }


def predicted_clusters(
    items: Iterable[str], characters: Sequence[Character]
) -> dict[str, tuple[str | None, frozenset[str]]]:
    """Item -> (id of the predicted character holding it or None, that character's names)."""
    names = [name_set(c.name, c.aliases) for c in characters]
    holders: dict[str, list[int]] = {}
    for index, ns in enumerate(names):
        for n in ns:
            holders.setdefault(n, []).append(index)
    out: dict[str, tuple[str | None, frozenset[str]]] = {}
    for item in items:
        found = holders.get(item)
        if not found:
            out[item] = (None, frozenset({item}))
            continue
        best = max(found, key=lambda i: (characters[i].mentions, -i))
        out[item] = (characters[best].id, frozenset(names[best]))
    return out


def b_cubed(
    gold_of: Mapping[str, str], pred_of: Mapping[str, frozenset[str]]
) -> tuple[list[float], list[float]]:
    """Per-item B-cubed precision and recall (in the order of ``gold_of``).

    ``gold_of``: item -> gold label; ``pred_of``: item -> its predicted cluster (a set of
    names, which may hold names that are not items; each holds its own item).
    """
    items = set(gold_of)
    gold_clusters: dict[str, set[str]] = {}
    for item, label in gold_of.items():
        gold_clusters.setdefault(label, set()).add(item)
    precision, recall = [], []
    for item, label in gold_of.items():
        pred = pred_of[item] & items
        gold = gold_clusters[label]
        both = len(pred & gold)
        precision.append(both / len(pred))
        recall.append(both / len(gold))
    return precision, recall


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


@dataclass
class DocResult:
    corpus: str
    name: str
    gold_of: dict[str, str]  # item -> gold character id
    pred_char: dict[str, str | None]  # item -> predicted character id (None: a singleton)
    pred_of: dict[str, frozenset[str]]  # item -> predicted cluster (names)
    precisions: list[float]
    recalls: list[float]
    gold_names: dict[str, str] = field(default_factory=dict)  # gold id -> main name
    pred_names: dict[str, str] = field(default_factory=dict)  # predicted id -> name
    predicted_characters: int = 0
    seconds: float = 0.0

    @property
    def items(self) -> int:
        return len(self.gold_of)

    @property
    def covered(self) -> int:
        """Items some predicted character holds."""
        return sum(v is not None for v in self.pred_char.values())

    @property
    def precision(self) -> float:
        return _mean(self.precisions)

    @property
    def recall(self) -> float:
        return _mean(self.recalls)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "name": self.name,
            "items": self.items,
            "gold_characters": len(set(self.gold_of.values())),
            "predicted_characters": self.predicted_characters,
            "items_covered": self.covered,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "seconds": round(self.seconds, 3),
        }

    def split(self) -> list[tuple[str, list[list[str]]]]:
        """Gold characters whose items fall in several predicted clusters: (gold name, groups)."""
        out = []
        by_gold: dict[str, dict[str, list[str]]] = {}
        for item, gold in self.gold_of.items():
            key = self.pred_char[item] or f"={item}"
            by_gold.setdefault(gold, {}).setdefault(key, []).append(item)
        for gold, groups in by_gold.items():
            if len(groups) > 1:
                out.append((self.gold_names.get(gold, gold), sorted(map(sorted, groups.values()))))
        out.sort(key=lambda x: (-len(x[1]), x[0]))
        return out

    def merged(self) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """Predicted characters holding items of several gold characters."""
        out = []
        by_pred: dict[str, dict[str, list[str]]] = {}
        for item, pred in self.pred_char.items():
            if pred is not None:
                by_pred.setdefault(pred, {}).setdefault(self.gold_of[item], []).append(item)
        for pred, groups in by_pred.items():
            if len(groups) > 1:
                rows = sorted((self.gold_names.get(g, g), sorted(i)) for g, i in groups.items())
                out.append((self.pred_names.get(pred, pred), rows))
        out.sort(key=lambda x: (-len(x[1]), x[0]))
        return out


@dataclass
class CharacterReport:
    docs: list[DocResult]

    def micro(self) -> tuple[float, float, float]:
        p = _mean([x for d in self.docs for x in d.precisions])
        r = _mean([x for d in self.docs for x in d.recalls])
        return p, r, _f1(p, r)

    def macro(self) -> tuple[float, float, float]:
        return (
            _mean([d.precision for d in self.docs]),
            _mean([d.recall for d in self.docs]),
            _mean([d.f1 for d in self.docs]),
        )

    def to_dict(self) -> dict[str, Any]:
        micro, macro = self.micro(), self.macro()
        return {
            "method": {
                "items": "normalised gold alias names found in the text (case-sensitive, whole "
                "word), names shared by several gold characters dropped",
                "predicted_cluster": "names of the predicted character holding the item, "
                "else the item alone",
                "b_cubed": "P = mean |pred & gold| / |pred & items|, "
                "R = mean |pred & gold| / |gold|",
                "micro": "items of all novels pooled",
                "macro": "mean of the novels' P, R and F1",
            },
            "documents": len(self.docs),
            "items": sum(d.items for d in self.docs),
            "micro": dict(zip(("precision", "recall", "f1"), map(_r4, micro), strict=True)),
            "macro": dict(zip(("precision", "recall", "f1"), map(_r4, macro), strict=True)),
            "per_document": [d.to_dict() for d in self.docs],
        }

    def format_table(self, *, per_document: bool = True) -> str:
        header = (
            f"{'document':40} {'items':>6} {'gold':>5} {'pred':>5} {'cover':>6} "
            f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}"
        )
        lines = [header, "-" * len(header)]
        if per_document:
            for d in self.docs:
                lines.append(
                    f"{(d.corpus + '/' + d.name)[:40]:40} {d.items:6d} "
                    f"{len(set(d.gold_of.values())):5d} {d.predicted_characters:5d} "
                    f"{d.covered:6d} {d.precision:6.3f} {d.recall:6.3f} {d.f1:6.3f}"
                )
        items = sum(d.items for d in self.docs)
        for label, (p, r, f) in (("micro", self.micro()), ("macro", self.macro())):
            lines.append(
                f"{'== ' + label + f' ({len(self.docs)} docs)':40} {items:6d} {'':5} {'':5} "
                f"{sum(d.covered for d in self.docs):6d} {p:6.3f} {r:6.3f} {f:6.3f}"
            )
        lines.append(
            "items: gold alias names found in the text; gold: gold characters with items; "
            "pred: predicted characters; cover: items a predicted character holds"
        )
        return "\n".join(lines)

    def find_doc(self, name: str) -> DocResult:
        return find_named(self.docs, name)

    def errors(self, doc: str | None = None, limit: int = 20) -> list[str]:
        """Up to ``limit`` split gold characters and ``limit`` merged predicted characters
        per document, largest first, as printable lines."""
        docs = self.docs if doc is None else [self.find_doc(doc)]
        lines = []
        for d in docs:
            for gold, groups in d.split()[:limit]:
                parts = " | ".join(", ".join(g) for g in groups)
                lines.append(f"SPLIT   {d.name}: {gold}: {parts}")
            for pred, rows in d.merged()[:limit]:
                parts = " | ".join(f"{g}: {', '.join(i)}" for g, i in rows)
                lines.append(f"MERGED  {d.name}: {pred}: {parts}")
        return lines


def _r4(x: float) -> float:
    return round(x, 4)


def evaluate_prediction(
    doc: EvalDoc, characters: Sequence[Character], seconds: float = 0.0
) -> DocResult:
    """Score predicted characters against one document's gold alias sets."""
    gold_of = gold_items(doc.text, doc.characters)
    clusters = predicted_clusters(gold_of, characters)
    pred_of = {item: names for item, (_, names) in clusters.items()}
    precisions, recalls = b_cubed(gold_of, pred_of)
    return DocResult(
        corpus=doc.corpus,
        name=doc.name,
        gold_of=gold_of,
        pred_char={item: pid for item, (pid, _) in clusters.items()},
        pred_of=pred_of,
        precisions=precisions,
        recalls=recalls,
        gold_names={c.id: c.name for c in doc.characters},
        pred_names={c.id: c.name for c in characters},
        predicted_characters=len(characters),
        seconds=seconds,
    )


def evaluate_characters(
    docs: Iterable[EvalDoc],
    analyse: Analyse | None = None,
    *,
    progress: Progress | None = None,
) -> CharacterReport:
    """B-cubed alias clustering of ``analyse(doc.text).characters`` (default ``analyze_text``)."""
    analyse = analyse or default_analyse
    docs = list(docs)
    results = []
    for n, doc in enumerate(docs, 1):
        t0 = time.perf_counter()
        analysis = analyse(doc.text)
        result = evaluate_prediction(doc, analysis.characters, time.perf_counter() - t0)
        results.append(result)
        if progress is not None:
            progress(
                f"[{n}/{len(docs)}] {doc.corpus}/{doc.name}: {len(doc.text.split()):,} words, "
                f"{result.items} names, B3 F1 {result.f1:.3f} ({result.seconds:.1f} s)"
            )
    return CharacterReport(results)


def run(
    root: str | Path | None = None,
    *,
    doc: str | None = None,
    analyse: Analyse | None = None,
    progress: Progress | None = None,
) -> CharacterReport:
    """Evaluate alias clustering on the PDNC novels (or the one named ``doc``)."""
    return evaluate_characters(load_docs(root, "pdnc", doc), analyse, progress=progress)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ficlens.eval.characters``: print the alias-clustering figures."""
    parser = argparse.ArgumentParser(
        prog="ficlens eval characters",
        description="Evaluate character alias clustering (B-cubed) on PDNC.",
    )
    add_common_arguments(
        parser,
        errors_help="also list up to N split and N merged characters per novel",
        corpus=False,
        quiet=True,
    )
    args = parser.parse_args(argv)
    try:
        docs = load_docs(args.data, "pdnc", args.doc)
    except (FileNotFoundError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    report = evaluate_characters(docs, progress=None if args.quiet else stderr_progress)
    errors = report.errors(None, args.errors) if args.errors else []
    print_report(report, errors, as_json=args.json, summary=args.summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
