"""Speed of the fandoms stage (knowledge-base matching, inference, canonical names).

Two figures:

* knowledge base: reading and indexing the bundled files (all caches cleared first), the
  cost the first story of a process pays;
* the stage: the first ``--words`` words of a PDNC novel (OliverTwist by default, from
  FICLENS_EVAL_DATA or ../shared/eval), cut at a paragraph break; without the data, the
  bundled sample stories repeated until long enough. The stages before it (layout to roles)
  run once; then ``fandoms_stage`` runs ``--repeat`` times on that document and the best
  time is reported, as words/s and as a share of the time the whole pipeline would take at
  ``--pipeline-rate`` words/s.

    PYTHONPATH=. python bench/bench_fandoms.py [--words 100000] [--repeat 3] [--json]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stage_bench import WORD, share_of_pipeline, source_text, stage_parser

from ficlens.document import Document
from ficlens.meaning import fandoms, knowledge
from ficlens.model import Analysis, Source
from ficlens.pipeline import STAGES

_BEFORE = ("layout", "quotes", "tokens", "characters", "coref", "speakers", "roles")


def main() -> None:
    parser = stage_parser(__doc__.split("\n")[0])
    args = parser.parse_args()

    t0 = time.perf_counter()
    knowledge._bundled.cache_clear()
    knowledge._load.cache_clear()
    fandoms._index.cache_clear()
    kb = knowledge.load_knowledge_base(use_env=False)
    fandoms._index(kb)
    fandoms.rarity("Aziraphale")  # wordfreq loads its English list on first use
    load_seconds = time.perf_counter() - t0

    text, name = source_text(args.words, args.novel)
    words = len(WORD.findall(text))
    source = Source(path=None, format="text", encoding="utf-8")
    analysis = Analysis(source=source, text_length=len(text), text=text)
    document = Document(text=text, analysis=analysis)
    for stage in STAGES:
        if stage.name in _BEFORE:
            stage.build()(document)
    times = []
    for _ in range(args.repeat):
        analysis.fandoms = []
        t0 = time.perf_counter()
        fandoms.fandoms_stage(document, kb)
        times.append(time.perf_counter() - t0)
    best = min(times)
    result = {
        "text": name,
        "words": words,
        "characters": len(analysis.characters),
        "fandoms_in_base": len(kb.fandoms),
        "knowledge_base_load_seconds": round(load_seconds, 3),
        "best_seconds": round(best, 3),
        "words_per_second": round(words / best),
        "share_of_pipeline": share_of_pipeline(best, words, args.pipeline_rate),
        "fandoms": [(f.name, f.source, f.confidence) for f in analysis.fandoms],
    }
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(
        f"knowledge base: {len(kb.fandoms)} fandoms read and indexed in {load_seconds:.3f} s; "
        f"fandoms on {name}: {words:,} words, {len(analysis.characters)} characters: best "
        f"{best:.3f} s of {args.repeat} = {words / best:,.0f} words/s; "
        f"{100 * result['share_of_pipeline']:.1f}% of a pipeline running at "
        f"{args.pipeline_rate:,.0f} words/s; fandoms found: {result['fandoms'] or 'none'}"
    )


if __name__ == "__main__":
    main()
