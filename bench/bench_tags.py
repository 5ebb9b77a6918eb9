"""Speed of the relationships and tags stages on a 100,000-word text.

The text: the first ``--words`` words of a PDNC novel (OliverTwist by default, from
FICLENS_EVAL_DATA or ../shared/eval), cut at a paragraph break; without the data, the
bundled sample stories repeated until long enough. The stages they need (layout to roles)
run once; then the relationships stage and the tags stage run ``--repeat`` times on that
document, the cues read afresh each time, and the best times are reported, as words/s
and as a share of the time the whole pipeline would take at ``--pipeline-rate`` words/s.

    PYTHONPATH=. python bench/bench_tags.py [--words 100000] [--repeat 3] [--json]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stage_bench import WORD, share_of_pipeline, source_text, stage_parser

from ficlens.document import Document
from ficlens.meaning.cues import CueReader
from ficlens.meaning.relationships import relationships_stage
from ficlens.meaning.tags import tags_stage
from ficlens.model import Analysis, Source
from ficlens.pipeline import Pipeline


def best_of(repeat: int, doc: Document) -> tuple[float, float]:
    """Best seconds of the relationships stage and of the tags stage after it, each time on
    a document whose cues are read afresh (the two stages share one cue reader)."""
    times = []
    for _ in range(repeat):
        CueReader._last = None  # forget the cues read in the previous round
        t0 = time.perf_counter()
        relationships_stage(doc)
        t1 = time.perf_counter()
        tags_stage(doc)
        times.append((t1 - t0, time.perf_counter() - t1))
    return min(t for t, _ in times), min(t for _, t in times)


def main() -> None:
    parser = stage_parser(__doc__.split("\n")[0])
    args = parser.parse_args()

    text, name = source_text(args.words, args.novel)
    before = Pipeline(disable=("fandoms", "relationships", "arc"))
    analysis = Analysis(
        source=Source(path=None, format="text", encoding="utf-8"), text_length=len(text), text=text
    )
    doc = Document(text=text, analysis=analysis)
    for run in before._stages:  # the stages up to roles, keeping the working document
        run(doc)
    words = len(WORD.findall(text))
    relationships, tags = best_of(args.repeat, doc)
    result = {
        "text": name,
        "words": words,
        "characters": len(analysis.characters),
        "relationships": len(analysis.relationships),
        "tags": len(analysis.tags),
        "relationships_seconds": round(relationships, 3),
        "tags_seconds": round(tags, 3),
        "words_per_second": round(words / (relationships + tags)),
        "share_of_pipeline": share_of_pipeline(relationships + tags, words, args.pipeline_rate),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
