"""Throughput of layout + quote detection (``analyze_text``) on the PDNC novels.

One process on one core (pinned when the platform allows): for each novel, one warm-up run,
then the best of ``--repeat`` timed runs of ``analyze_text(text)`` with the language stages
(spaCy tokens and everything after them) switched off; ``bench_analyze.py`` times the whole
pipeline. Words are whitespace-split tokens. The goal to compare against is 300,000 words/s.

When ``analyze_text`` accepts ``disable=``, the layout alone is timed too (with the quote
stage disabled) and the quote stage's share is the difference.

    PYTHONPATH=. python bench/bench_layout.py [--data DIR] [--repeat 3] [--novel NAME] [--json]
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ficlens.eval.data import find_eval_root, load_pdnc
from ficlens.pipeline import analyze_text

GOAL_WORDS_PER_SECOND = 300_000


def pin_to_one_core() -> int | None:
    """Pin this process to one CPU (the first it may use); the CPU, or None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs after one warm-up run, garbage collector paused."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
    return best


# Everything but layout and quotes: the language stages (through "tokens") and the arc,
# which needs only the layout.
_NOT_TIMED = ["tokens", "arc"]


def supports_disable() -> bool:
    return "disable" in inspect.signature(analyze_text).parameters


def bench(
    root: Path, repeat: int = 3, novel: str | None = None, quote_stage: str = "quotes"
) -> dict:
    """Time ``analyze_text`` on each PDNC novel; returns a JSON-ready dict."""
    docs = load_pdnc(root)
    if novel:
        docs = [d for d in docs if novel.lower() in d.name.lower()]
    split = supports_disable()
    rows = []
    for doc in docs:
        words = len(doc.text.split())
        seconds = best_time(lambda d=doc: analyze_text(d.text, disable=_NOT_TIMED), repeat)
        row = {
            "novel": doc.name,
            "chars": len(doc.text),
            "words": words,
            "seconds": seconds,
            "words_per_second": words / seconds if seconds else float("inf"),
        }
        if split:
            layout = best_time(
                lambda d=doc: analyze_text(d.text, disable=[*_NOT_TIMED, quote_stage]),
                repeat,
            )
            row["layout_seconds"] = layout
            row["quotes_seconds"] = max(0.0, seconds - layout)
            row["layout_words_per_second"] = words / layout if layout else float("inf")
        rows.append(row)
    words = sum(r["words"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    total: dict = {
        "words": words,
        "seconds": seconds,
        "words_per_second": words / seconds if seconds else float("inf"),
    }
    if split and rows:
        layout = sum(r["layout_seconds"] for r in rows)
        total["layout_seconds"] = layout
        total["quotes_seconds"] = max(0.0, seconds - layout)
        total["layout_words_per_second"] = words / layout if layout else float("inf")
    return {
        "python": sys.version.split()[0],
        "repeat": repeat,
        "stage_split": split,
        "goal_words_per_second": GOAL_WORDS_PER_SECOND,
        "novels": rows,
        "total": total,
    }


def format_table(result: dict) -> str:
    split = result["stage_split"]
    head = f"{'novel':32} {'words':>9} {'seconds':>9} {'words/s':>11}"
    if split:
        head += f" {'layout s':>9} {'quotes s':>9} {'layout w/s':>11}"
    lines = [head, "-" * len(head)]

    def line(name: str, r: dict) -> str:
        s = f"{name[:32]:32} {r['words']:9,d} {r['seconds']:9.3f} {r['words_per_second']:11,.0f}"
        if split:
            s += (
                f" {r['layout_seconds']:9.3f} {r['quotes_seconds']:9.3f}"
                f" {r['layout_words_per_second']:11,.0f}"
            )
        return s

    for r in result["novels"]:
        lines.append(line(r["novel"], r))
    lines.append("-" * len(head))
    lines.append(line("TOTAL", result["total"]))
    goal = result["goal_words_per_second"]
    rate = result["total"]["words_per_second"]
    lines.append(
        f"goal {goal:,} words/s: {'met' if rate >= goal else 'not met'} ({rate / goal:.2f}x)"
    )
    if not split:
        lines.append("(analyze_text has no disable= parameter: layout and quotes not split)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="evaluation data folder (default: find_eval_root())")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per novel (best kept)")
    parser.add_argument("--novel", help="only novels whose name contains this")
    parser.add_argument(
        "--quote-stage",
        default="quotes",
        help="stage name to pass to disable= for the layout-only timing",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one core")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    root = find_eval_root(args.data)
    if root is None:
        print(
            "error: evaluation data not found (set FICLENS_EVAL_DATA or pass --data)",
            file=sys.stderr,
        )
        return 2
    cpu = None if args.no_pin else pin_to_one_core()
    result = bench(root, args.repeat, args.novel, args.quote_stage)
    result["cpu"] = cpu
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
