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

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ficlens.document import Document  # noqa: E402
from ficlens.eval.data import find_eval_root  # noqa: E402
from ficlens.meaning import fandoms, knowledge  # noqa: E402
from ficlens.model import Analysis, Source  # noqa: E402
from ficlens.pipeline import STAGES  # noqa: E402

_WORD = re.compile(r"\S+")
_BEFORE = ("layout", "quotes", "tokens", "characters", "coref", "speakers", "roles")


def source_text(words: int, novel: str) -> tuple[str, str]:
    root = find_eval_root()
    path = root / "pdnc" / "data" / novel / "novel_text.txt" if root else None
    if path is not None and path.is_file():
        text, name = path.read_text(encoding="utf-8"), novel
    else:
        samples = sorted((REPO / "ficlens" / "samples").glob("*.txt"))
        text, name = "\n\n".join(p.read_text(encoding="utf-8") for p in samples), "samples"
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
    parser.add_argument("--pipeline-rate", type=float, default=10_000.0)
    parser.add_argument("--json", action="store_true")
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
    words = len(_WORD.findall(text))
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
    pipeline_seconds = words / args.pipeline_rate
    result = {
        "text": name,
        "words": words,
        "characters": len(analysis.characters),
        "fandoms_in_base": len(kb.fandoms),
        "knowledge_base_load_seconds": round(load_seconds, 3),
        "best_seconds": round(best, 3),
        "words_per_second": round(words / best),
        "share_of_pipeline": round(best / (pipeline_seconds + best), 4),
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
