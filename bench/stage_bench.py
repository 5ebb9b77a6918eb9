"""What the stage benchmarks (bench_fandoms.py, bench_tags.py, bench_arc.py) share: the
text they time, their options, and how a stage's time compares with the whole pipeline's.

The text: the first ``--words`` words of a PDNC novel (OliverTwist by default, from
FICLENS_EVAL_DATA or ../shared/eval), cut at a paragraph break; without the data, the
bundled sample stories repeated until long enough.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ficlens.eval.data import find_eval_root  # noqa: E402

WORD = re.compile(r"\S+")


def source_text(words: int, novel: str) -> tuple[str, str]:
    """The text to time and its name."""
    root = find_eval_root()
    path = root / "pdnc" / "data" / novel / "novel_text.txt" if root else None
    if path is not None and path.is_file():
        text, name = path.read_text(encoding="utf-8"), novel
    else:
        samples = sorted((REPO / "ficlens" / "samples").glob("*.txt"))
        text, name = "\n\n".join(p.read_text(encoding="utf-8") for p in samples), "samples"
    while len(WORD.findall(text)) < words:
        text = text + "\n\n" + text
    cut = list(WORD.finditer(text))[words - 1].end()
    end = text.find("\n\n", cut)
    return text[: end if end > 0 else len(text)], name


def stage_parser(description: str) -> argparse.ArgumentParser:
    """The options every stage benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--novel", default="OliverTwist")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pipeline-rate",
        type=float,
        default=12_000.0,
        help="words/s of the whole pipeline, to express the stage's share of it",
    )
    parser.add_argument("--json", action="store_true")
    return parser


def share_of_pipeline(seconds: float, words: int, pipeline_rate: float) -> float:
    """The stage's share of a pipeline that runs at ``pipeline_rate`` words/s."""
    return round(seconds / (words / pipeline_rate + seconds), 4)
