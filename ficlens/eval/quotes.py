"""Quote detection measured against PDNC and LitBank gold quotations.

How a figure is computed:

* Predictions are the spans of the quotes the detector marks as speech (by default
  ``analyze_text(doc.text).quotes`` with ``speech=True``; ``start``/``end`` include the marks).
* Paragraph normalisation, applied to gold and predictions alike: every span is cut at each
  blank-line paragraph break inside it, and each piece is compared on its own. PDNC already
  gives one span per paragraph for a speech that runs over several paragraphs, except a few
  inset letters and poems; a detector reports such a speech as one quote per paragraph too.
* Cores: whitespace, quotation marks (" ' “ ” ‘ ’ « ») and dashes (— – -) are stripped from both
  ends of every piece (PDNC spans exclude the marks, LitBank spans and ficlens quotes include
  them). Pieces with an empty core are dropped.
* Matching is one-to-one, greedy by largest overlap. A pair matches (lenient, the headline)
  when the cores overlap by at least half the longer core. A pair matches exactly when both
  core boundaries are within 2 characters (PDNC gold is sometimes off by a few characters).
  Exact matching is its own one-to-one matching, so exact tp <= lenient tp.
* tp/fp/fn are summed over documents for the corpus figures (micro averages).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficlens.eval.data import (
    EvalDoc,
    add_common_arguments,
    find_eval_root,
    find_named,
    load_corpus,
    print_report,
)

SpanT = tuple[int, int]
Detector = Callable[[str], Iterable[Any]]

_STRIP = frozenset(" \t\r\n\f\v\u00a0\"'“”‘’«»—–-")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
LENIENT_SHARE = 0.5
EXACT_TOLERANCE = 2


# ---------------------------------------------------------------------------- normalisation


def core(text: str, start: int, end: int) -> SpanT:
    """The span with whitespace, quotation marks and dashes stripped from both ends."""
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def normalise(text: str, spans: Iterable[SpanT]) -> list[SpanT]:
    """Spans cut at paragraph breaks, reduced to their cores, empties dropped, sorted."""
    out: list[SpanT] = []
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        piece_start = start
        for m in _PARAGRAPH_BREAK.finditer(text, start, end):
            out.append(core(text, piece_start, m.start()))
            piece_start = m.end()
        out.append(core(text, piece_start, end))
    return sorted({s for s in out if s[1] > s[0]})


# --------------------------------------------------------------------------------- matching


def overlap(a: SpanT, b: SpanT) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def lenient_ok(pred: SpanT, gold: SpanT) -> bool:
    """Cores overlap by at least half the longer one."""
    return overlap(pred, gold) >= LENIENT_SHARE * max(pred[1] - pred[0], gold[1] - gold[0])


def exact_ok(pred: SpanT, gold: SpanT) -> bool:
    """Both boundaries within ``EXACT_TOLERANCE`` characters."""
    return abs(pred[0] - gold[0]) <= EXACT_TOLERANCE and abs(pred[1] - gold[1]) <= EXACT_TOLERANCE


def _overlapping_pairs(
    preds: Sequence[SpanT], golds: Sequence[SpanT]
) -> list[tuple[int, int, int]]:
    """(overlap, pred index, gold index) for every overlapping pair; golds sorted by start."""
    starts = [g[0] for g in golds]
    reach: list[int] = []  # reach[j]: the largest end among golds[0..j]
    for g in golds:
        reach.append(max(g[1], reach[-1]) if reach else g[1])
    pairs = []
    for i, p in enumerate(preds):
        j = bisect_left(starts, p[1]) - 1  # last gold starting before p ends
        while j >= 0 and reach[j] > p[0]:
            ov = overlap(p, golds[j])
            if ov > 0:
                pairs.append((ov, i, j))
            j -= 1
    return pairs


def match(
    preds: Sequence[SpanT],
    golds: Sequence[SpanT],
    accept: Callable[[SpanT, SpanT], bool] = lenient_ok,
) -> list[tuple[int, int]]:
    """One-to-one matching, greedy by largest overlap, among pairs that ``accept``.

    Returns (pred index, gold index) pairs. ``golds`` must be sorted by start.
    """
    candidates = [
        (ov, i, j) for ov, i, j in _overlapping_pairs(preds, golds) if accept(preds[i], golds[j])
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return sorted(pairs)


# ---------------------------------------------------------------------------------- reports


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocResult:
    """The comparison for one document (spans are normalised cores)."""

    corpus: str
    name: str
    text: str = field(repr=False)
    gold: list[SpanT]
    pred: list[SpanT]
    gold_types: list[str | None]  # quote type of each normalised gold piece
    pairs: list[tuple[int, int]]  # lenient matches (pred index, gold index)
    exact_pairs: list[tuple[int, int]]
    seconds: float = 0.0

    @property
    def lenient(self) -> Counts:
        tp = len(self.pairs)
        return Counts(tp, len(self.pred) - tp, len(self.gold) - tp)

    @property
    def exact(self) -> Counts:
        tp = len(self.exact_pairs)
        return Counts(tp, len(self.pred) - tp, len(self.gold) - tp)

    def recall_by_type(self) -> dict[str, tuple[int, int]]:
        """Gold quote type -> (matched, total), lenient."""
        matched = {j for _, j in self.pairs}
        out: dict[str, list[int]] = {}
        for j, kind in enumerate(self.gold_types):
            row = out.setdefault(kind or "-", [0, 0])
            row[0] += j in matched
            row[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "name": self.name,
            "gold": len(self.gold),
            "predicted": len(self.pred),
            "lenient": self.lenient.to_dict(),
            "exact": self.exact.to_dict(),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class ErrorItem:
    """A missed gold span or a spurious prediction, with context."""

    corpus: str
    doc: str
    kind: str  # "missed" (gold not found) or "spurious" (prediction not in the gold)
    start: int
    end: int
    text: str  # the (core) span, shortened when long
    context: str  # ~60 characters either side, the span in [[ ]]
    nearest: str | None  # best-overlapping span of the other side, if any, e.g. a boundary error

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        head = f"{self.kind.upper():8} {self.doc} [{self.start}:{self.end}]"
        near = f"\n         nearest other side: {self.nearest}" if self.nearest else ""
        return f"{head}\n         {self.context}{near}"


def _flat(s: str) -> str:
    return s.replace("\r", "").replace("\n", "↵")


def _shorten(s: str, width: int = 160) -> str:
    return s if len(s) <= width else s[: width // 2 - 2] + " … " + s[-(width // 2 - 2) :]


def _context(text: str, span: SpanT, width: int = 60) -> str:
    start, end = span
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return _flat(f"{left}[[{_shorten(text[start:end])}]]{right}")


@dataclass
class QuoteReport:
    docs: list[DocResult]

    def corpora(self) -> list[str]:
        return sorted({d.corpus for d in self.docs})

    def total(self, corpus: str | None = None, *, exact: bool = False) -> Counts:
        """Micro-averaged counts over a corpus (or all documents)."""
        out = Counts()
        for d in self.docs:
            if corpus is None or d.corpus == corpus:
                out = out + (d.exact if exact else d.lenient)
        return out

    def recall_by_type(self, corpus: str | None = None) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = {}
        for d in self.docs:
            if corpus is None or d.corpus == corpus:
                for kind, (m, n) in d.recall_by_type().items():
                    row = out.setdefault(kind, [0, 0])
                    row[0] += m
                    row[1] += n
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def to_dict(self) -> dict[str, Any]:
        corpora = {}
        for c in self.corpora():
            docs = [d for d in self.docs if d.corpus == c]
            corpora[c] = {
                "documents": len(docs),
                "gold": sum(len(d.gold) for d in docs),
                "predicted": sum(len(d.pred) for d in docs),
                "lenient": self.total(c).to_dict(),
                "exact": self.total(c, exact=True).to_dict(),
                "recall_by_type": {
                    k: {"matched": m, "total": n, "recall": round(m / n, 4) if n else 0.0}
                    for k, (m, n) in self.recall_by_type(c).items()
                },
                "seconds": round(sum(d.seconds for d in docs), 3),
            }
        return {
            "method": {
                "normalisation": "split at blank-line paragraph breaks; strip whitespace, "
                "quotation marks and dashes from both ends",
                "lenient": f"overlap >= {LENIENT_SHARE} * longer core, one-to-one, greedy",
                "exact": f"both core boundaries within {EXACT_TOLERANCE} characters",
            },
            "corpora": corpora,
            "documents": [d.to_dict() for d in self.docs],
        }

    def format_table(self, *, per_document: bool = True) -> str:
        """A plain-text table: one row per document (optional), then per corpus."""
        header = (
            f"{'document':44} {'gold':>6} {'pred':>6} {'tp':>6} {'fp':>6} {'fn':>6} "
            f"{'P':>6} {'R':>6} {'F1':>6} {'exF1':>6}"
        )
        lines = [header, "-" * len(header)]

        def row(label: str, gold: int, pred: int, c: Counts, e: Counts) -> str:
            return (
                f"{label[:44]:44} {gold:6d} {pred:6d} {c.tp:6d} {c.fp:6d} {c.fn:6d} "
                f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {e.f1:6.3f}"
            )

        for c in self.corpora():
            docs = [d for d in self.docs if d.corpus == c]
            if per_document:
                for d in docs:
                    lines.append(row(f"{c}/{d.name}", len(d.gold), len(d.pred), d.lenient, d.exact))
            lines.append(
                row(
                    f"== {c} (micro, {len(docs)} docs)",
                    sum(len(d.gold) for d in docs),
                    sum(len(d.pred) for d in docs),
                    self.total(c),
                    self.total(c, exact=True),
                )
            )
            by_type = self.recall_by_type(c)
            if len(by_type) > 1:
                lines.append(
                    "   recall by gold type: "
                    + ", ".join(f"{k} {m}/{n} = {m / n:.3f}" for k, (m, n) in by_type.items() if n)
                )
            if per_document:
                lines.append("")
        lines.append(
            "P/R/F1: lenient (core overlap >= half the longer core); "
            "exF1: both core boundaries within 2 characters"
        )
        return "\n".join(lines)

    def errors(self, doc_name: str | None = None, limit: int = 20) -> list[ErrorItem]:
        """Up to ``limit`` missed gold spans and ``limit`` spurious predictions, longest first.

        ``doc_name`` picks one document (exact name, else a unique case-insensitive
        substring); None looks at all of them.
        """
        docs = self.docs if doc_name is None else [self.find_doc(doc_name)]
        missed: list[ErrorItem] = []
        spurious: list[ErrorItem] = []
        for d in docs:
            matched_p = {i for i, _ in d.pairs}
            matched_g = {j for _, j in d.pairs}
            for j, g in enumerate(d.gold):
                if j not in matched_g:
                    missed.append(self._item(d, "missed", g, d.pred))
            for i, p in enumerate(d.pred):
                if i not in matched_p:
                    spurious.append(self._item(d, "spurious", p, d.gold))
        missed.sort(key=lambda e: -(e.end - e.start))
        spurious.sort(key=lambda e: -(e.end - e.start))
        return missed[:limit] + spurious[:limit]

    def find_doc(self, name: str) -> DocResult:
        return find_named(self.docs, name)

    @staticmethod
    def _item(d: DocResult, kind: str, span: SpanT, others: list[SpanT]) -> ErrorItem:
        best = max(others, key=lambda o: overlap(span, o), default=None)
        nearest = None
        if best is not None and overlap(span, best) > 0:
            nearest = f"[{best[0]}:{best[1]}] {_flat(_shorten(d.text[best[0] : best[1]], 120))}"
        return ErrorItem(
            corpus=d.corpus,
            doc=d.name,
            kind=kind,
            start=span[0],
            end=span[1],
            text=_flat(_shorten(d.text[span[0] : span[1]])),
            context=_context(d.text, span),
            nearest=nearest,
        )


# ------------------------------------------------------------------------------- evaluation


def default_detector(text: str) -> list[SpanT]:
    """Spans (marks included) of the quotes ``analyze_text`` marks as speech.

    Only layout and quote detection run: the language stages do not change quote spans.
    """
    from ficlens.pipeline import analyze_text

    analysis = analyze_text(text, disable=("tokens",))
    return [(q.start, q.end) for q in analysis.quotes if q.speech]


def _as_span(item: Any) -> SpanT:
    if isinstance(item, tuple | list):
        return int(item[0]), int(item[1])
    return int(item.start), int(item.end)


def evaluate_doc(doc: EvalDoc, detect: Detector | None = None) -> DocResult:
    """Compare one document's detected quotes with its gold quotes."""
    detect = detect or default_detector
    t0 = time.perf_counter()
    raw_pred = [_as_span(q) for q in detect(doc.text)]
    seconds = time.perf_counter() - t0
    gold_pieces: dict[SpanT, str | None] = {}
    for q in doc.quotes:
        for piece in normalise(doc.text, [(q.start, q.end)]):
            gold_pieces.setdefault(piece, q.type)
    gold = sorted(gold_pieces)
    pred = normalise(doc.text, raw_pred)
    return DocResult(
        corpus=doc.corpus,
        name=doc.name,
        text=doc.text,
        gold=gold,
        pred=pred,
        gold_types=[gold_pieces[g] for g in gold],
        pairs=match(pred, gold, lenient_ok),
        exact_pairs=match(pred, gold, exact_ok),
        seconds=seconds,
    )


def evaluate_quotes(docs: Iterable[EvalDoc], detect: Detector | None = None) -> QuoteReport:
    """Evaluate a detector (text -> quotes or (start, end) spans) on the documents.

    ``detect`` defaults to ``analyze_text`` keeping the quotes with ``speech=True``.
    """
    return QuoteReport([evaluate_doc(doc, detect) for doc in docs])


def run(
    root: str | Path | None = None,
    corpus: str = "all",
    *,
    doc: str | None = None,
    detect: Detector | None = None,
) -> QuoteReport:
    """Load a corpus (``pdnc``, ``litbank`` or ``all``) and evaluate the detector on it.

    ``root`` defaults to ``find_eval_root()``; ``doc`` keeps only the document with that
    name (or the single one whose name contains it).
    """
    base = find_eval_root(root)
    if base is None:
        where = root if root is not None else "FICLENS_EVAL_DATA or ../shared/eval"
        raise FileNotFoundError(f"evaluation data not found ({where})")
    docs = load_corpus(base, corpus)
    if doc is not None:
        exact = [d for d in docs if d.name == doc]
        docs = exact or [d for d in docs if doc.lower() in d.name.lower()]
        if not docs:
            raise KeyError(f"no document named {doc!r} in {corpus}")
    return evaluate_quotes(docs, detect)


def error_patterns(items: Iterable[ErrorItem]) -> Counter[str]:
    """Rough counts of error kinds (for a quick look at what a detector gets wrong)."""
    out: Counter[str] = Counter()
    for e in items:
        out[f"{e.kind}{' (boundary)' if e.nearest else ''}"] += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ficlens.eval.quotes``: print the quote-detection figures."""
    parser = argparse.ArgumentParser(
        prog="ficlens eval quotes", description="Evaluate quote detection."
    )
    add_common_arguments(
        parser,
        errors_help="also list up to N missed and N spurious quotes, longest first",
        corpus=True,
        quiet=False,
    )
    args = parser.parse_args(argv)
    try:
        report = run(args.data, args.corpus, doc=args.doc)
    except (FileNotFoundError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    errors = report.errors(None, args.errors) if args.errors else []
    print_report(report, errors, as_json=args.json, summary=args.summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
