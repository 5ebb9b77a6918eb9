"""Speed of the arc stage (VADER valence, smoothing, shape, ending) on a 100,000-word text.

The text: the first ``--words`` words of a PDNC novel (OliverTwist by default, from
FICLENS_EVAL_DATA or ../shared/eval), cut at a paragraph break; without the data, the
bundled evaluation stories repeated until long enough. The layout stage finds the story
paragraphs once; then the arc is computed from them ``--repeat`` times (the first run also
loads VADER's lexicon) and the best time is reported, as words/s and as a share of the
time the whole pipeline would take at ``--pipeline-rate`` words/s.

    PYTHONPATH=. python bench/bench_arc.py [--words 100000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ficlens.eval.data import find_eval_root  # noqa: E402
from ficlens.meaning.arc import arc_of  # noqa: E402
from ficlens.pipeline import Pipeline  # noqa: E402

_WORD = re.compile(r"\S+")


def source_text(words: int, novel: str) -> tuple[str, str]:
    root = find_eval_root()
    path = root / "pdnc" / "data" / novel / "novel_text.txt" if root else None
    if path is None or not path.is_file():
        candidates = list(root.glob(f"**/{novel}/novel_text.txt")) if root else []
        path = candidates[0] if candidates else None
    if path is not None:
        text, name = path.read_text(encoding="utf-8"), novel
    else:
        stories = sorted((REPO / "ficlens" / "eval" / "stories").glob("*.txt"))
        text, name = "\n\n".join(p.read_text(encoding="utf-8") for p in stories), "stories"
    while len(_WORD.findall(text)) < words:
        text = text + "\n\n" + text
    cut = list(_WORD.finditer(text))[words - 1].end()
    brk = text.find("\n\n", cut)
    return text[: brk if brk > 0 else len(text)], name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--novel", default="OliverTwist")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipeline-rate", type=float, default=12_000.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    text, name = source_text(args.words, args.novel)
    analysis = Pipeline(disable=("tokens",))(text)
    paragraphs = [text[p.start : p.end] for p in analysis.paragraphs()]
    words = sum(len(_WORD.findall(p)) for p in paragraphs)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        arc = arc_of(paragraphs)
        times.append(time.perf_counter() - t0)
    best = min(times)
    pipeline_seconds = words / args.pipeline_rate
    result = {
        "text": name,
        "paragraphs": len(paragraphs),
        "words": words,
        "best_seconds": round(best, 3),
        "first_seconds": round(times[0], 3),
        "words_per_second": round(words / best),
        "share_of_pipeline": round(best / (pipeline_seconds + best), 4),
        "shape": arc.shape,
        "ending": arc.ending,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"arc on {name}: {words:,} words in {len(paragraphs):,} paragraphs: "
        f"best {best:.3f} s of {args.repeat} (first, lexicon load included, "
        f"{times[0]:.3f} s) = {words / best:,.0f} words/s; "
        f"{100 * result['share_of_pipeline']:.1f}% of a pipeline running at "
        f"{args.pipeline_rate:,.0f} words/s; shape {arc.shape}, ending {arc.ending}"
    )


if __name__ == "__main__":
    main()
