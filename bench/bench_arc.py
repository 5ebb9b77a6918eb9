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

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stage_bench import WORD, share_of_pipeline, source_text, stage_parser

from ficlens.meaning.arc import arc_of
from ficlens.pipeline import Pipeline


def main() -> None:
    parser = stage_parser(__doc__.split("\n")[0])
    args = parser.parse_args()

    text, name = source_text(args.words, args.novel)
    analysis = Pipeline(disable=("tokens",))(text)
    paragraphs = [text[p.start : p.end] for p in analysis.paragraphs()]
    words = sum(len(WORD.findall(p)) for p in paragraphs)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        arc = arc_of(paragraphs)
        times.append(time.perf_counter() - t0)
    best = min(times)
    result = {
        "text": name,
        "paragraphs": len(paragraphs),
        "words": words,
        "best_seconds": round(best, 3),
        "first_seconds": round(times[0], 3),
        "words_per_second": round(words / best),
        "share_of_pipeline": share_of_pipeline(best, words, args.pipeline_rate),
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
