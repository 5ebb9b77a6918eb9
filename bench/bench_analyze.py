"""Speed and memory of the whole ``ficlens analyze`` pipeline on a 100,000-word novel text.

The text: the first 100,000 whitespace-separated words of a PDNC novel (OliverTwist by
default), cut at the first paragraph break (a blank line) after the 100,000th word; when the
novel is too short the next novels are appended, a blank line between them. It is written to
a temporary UTF-8 file and analysed the way ``ficlens analyze`` does it: ``load_path`` then
``Pipeline().analyze_loaded`` (reading and decoding included, printing the report not).

Measured, each in a fresh Python process so that nothing is imported or cached beforehand:

* model load: the time to import ``ficlens.pipeline`` and build the default ``Pipeline()``
  (best of ``--load-repeat`` processes), and separately the first ``analyze_text`` call on
  a short text (a stage may load its model lazily) and the process start to that point;
* throughput: one warm-up analysis of the first ``--warmup-words`` words, then the best of
  ``--repeat`` analyses of the whole text; words/s = whitespace words / best seconds (wall
  time; the CPU time of the best run, in the analysing process and in the workers it reaped
  during the run, is shown too, and the load average before the runs, since other work on
  the machine slows the wall time);
* peak memory: ``ru_maxrss`` of the analysing process (``RUSAGE_SELF``) and of the worker
  processes it started and waited for (``RUSAGE_CHILDREN``), and of the loading process.

Goals to compare against: >= 10,000 words/s and model load < 2 s on a 2-core machine.

    PYTHONPATH=. python bench/bench_analyze.py [--data DIR] [--novel OliverTwist]
        [--words 100000] [--repeat 2] [--load-repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL_WORDS_PER_SECOND = 10_000
GOAL_LOAD_SECONDS = 2.0
_WORD = re.compile(r"\S+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")

LOAD_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from ficlens.pipeline import Pipeline, analyze_text
pipeline = Pipeline()
t1 = time.perf_counter()
analyze_text('"Come in," said Ann. Tom did not move.\\n\\n"It is late," he said.')
t2 = time.perf_counter()
print(json.dumps({"load_seconds": t1 - t0, "first_call_seconds": t2 - t1,
                  "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def cut_words(text: str, words: int) -> str:
    """``text`` up to the first paragraph break after its ``words``-th word (or all of it)."""
    for n, m in enumerate(_WORD.finditer(text), 1):
        if n == words:
            brk = _PARAGRAPH_BREAK.search(text, m.end())
            return text[: brk.start()] if brk else text
    return text


def build_text(root: Path, novel: str = "OliverTwist", words: int = 100_000) -> tuple[str, str]:
    """The benchmark text and a description of where it came from."""
    from ficlens.eval.data import load_pdnc

    docs = load_pdnc(root)
    names = [d.name for d in docs]
    if novel not in names:
        raise KeyError(f"no PDNC novel {novel!r} (have {', '.join(names)})")
    start = names.index(novel)
    ordered = docs[start:] + docs[:start]
    parts: list[str] = []
    used: list[str] = []
    have = 0
    for doc in ordered:
        need = words - have
        piece = cut_words(doc.text.strip("\n"), need)
        parts.append(piece)
        used.append(doc.name)
        have += len(piece.split())
        if have >= words:
            break
    label = f"{' + '.join(used)}, first {words:,} words to a paragraph break"
    return "\n\n".join(parts), label


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _kib_to_mib(maxrss: int) -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def measure_load(repeat: int) -> dict:
    """Import + ``Pipeline()`` in fresh processes; best of ``repeat``."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET],
            capture_output=True,
            text=True,
            env=_env(),
            cwd=REPO,
            check=True,
        )
        wall = time.perf_counter() - t0
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["process_seconds"] = wall
        runs.append(row)
    best = min(runs, key=lambda r: r["load_seconds"])
    return {
        "load_seconds": best["load_seconds"],
        "first_call_seconds": best["first_call_seconds"],
        "process_seconds": min(r["process_seconds"] for r in runs),
        "load_runs": [round(r["load_seconds"], 4) for r in runs],
        "maxrss_mib": _kib_to_mib(max(r["maxrss"] for r in runs)),
    }


def worker(path: str, repeat: int, warmup_words: int) -> dict:
    """Runs in its own process: warm up, then time ``repeat`` analyses of the file."""
    import gc
    import resource

    from ficlens.pipeline import Pipeline
    from ficlens.read import load_path

    text = Path(path).read_text(encoding="utf-8")
    words = len(text.split())
    pipeline = Pipeline()
    t0 = time.perf_counter()
    pipeline(cut_words(text, warmup_words))
    warmup = time.perf_counter() - t0

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    times: list[float] = []
    cpu_times: list[tuple[float, float]] = []  # (this process, workers reaped during the run)
    analysis = None
    for _ in range(repeat):
        gc.collect()
        c0, w0, t0 = time.process_time(), children_cpu(), time.perf_counter()
        analysis = pipeline.analyze_loaded(load_path(path))
        times.append(time.perf_counter() - t0)
        cpu_times.append((time.process_time() - c0, children_cpu() - w0))
    best = min(times)
    return {
        "words": words,
        "chars": len(text),
        "warmup_seconds": warmup,
        "runs": times,
        "seconds": best,
        "words_per_second": words / best if best else float("inf"),
        "cpu_seconds": cpu_times[times.index(best)][0],
        "children_cpu_seconds": cpu_times[times.index(best)][1],
        "quotes": len(analysis.quotes) if analysis else 0,
        "characters": len(analysis.characters) if analysis else 0,
        "maxrss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def measure_throughput(text: str, repeat: int, warmup_words: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="ficlens-bench-") as tmp:
        path = Path(tmp) / "bench.txt"
        path.write_text(text, encoding="utf-8")
        out = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                str(path),
                "--repeat",
                str(repeat),
                "--warmup-words",
                str(warmup_words),
            ],
            capture_output=True,
            text=True,
            env=_env(),
            cwd=REPO,
        )
    if out.returncode != 0:
        raise RuntimeError(f"the analysing process failed:\n{out.stderr[-4000:]}")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["maxrss_self_mib"] = _kib_to_mib(row.pop("maxrss_self"))
    row["maxrss_children_mib"] = _kib_to_mib(row.pop("maxrss_children"))
    return row


def _versions() -> dict:
    out = {"python": sys.version.split()[0]}
    try:
        import spacy

        out["spacy"] = spacy.__version__
    except ImportError:
        out["spacy"] = None
    return out


def bench(
    root: Path,
    novel: str = "OliverTwist",
    words: int = 100_000,
    repeat: int = 2,
    load_repeat: int = 3,
    warmup_words: int = 5_000,
) -> dict:
    text, label = build_text(root, novel, words)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    load = measure_load(load_repeat)
    throughput = measure_throughput(text, repeat, warmup_words)
    return {
        **_versions(),
        "cpus": cpus,
        "load_average": loadavg,  # 1-minute, before the runs: other work skews the timings
        "text": label,
        "repeat": repeat,
        "warmup_words": warmup_words,
        "goal_words_per_second": GOAL_WORDS_PER_SECOND,
        "goal_load_seconds": GOAL_LOAD_SECONDS,
        "load": load,
        "throughput": throughput,
    }


def format_table(r: dict) -> str:
    load, tp = r["load"], r["throughput"]
    rate = tp["words_per_second"]
    load_ok = load["load_seconds"] < r["goal_load_seconds"]
    cpu = (tp["cpu_seconds"] + tp["children_cpu_seconds"]) or float("inf")

    def goal(ok: bool) -> str:
        return "met" if ok else "NOT met"

    rows = [
        ("text", r["text"]),
        ("size", f"{tp['words']:,} words, {tp['chars']:,} characters"),
        ("machine", f"{r['cpus']} CPUs, Python {r['python']}, spaCy {r['spacy'] or '-'}"),
        ("load average before", "-" if r["load_average"] is None else f"{r['load_average']:.2f}"),
        (
            "model load (import + Pipeline())",
            f"{load['load_seconds']:.2f} s  best of {len(load['load_runs'])}"
            f"  goal < {r['goal_load_seconds']:g} s: {goal(load_ok)}",
        ),
        ("  first call on a short text", f"{load['first_call_seconds']:.2f} s"),
        ("  process start to first result", f"{load['process_seconds']:.2f} s"),
        (
            f"throughput (best of {r['repeat']})",
            f"{rate:,.0f} words/s  ({tp['seconds']:.2f} s)"
            f"  goal >= {r['goal_words_per_second']:,}: "
            f"{goal(rate >= r['goal_words_per_second'])}",
        ),
        ("  runs", ", ".join(f"{t:.2f} s" for t in tp["runs"])),
        (
            "  CPU time of the best run",
            f"{tp['cpu_seconds']:.2f} s here + {tp['children_cpu_seconds']:.2f} s in workers"
            f" ({tp['words'] / cpu:,.0f} words per CPU-second)",
        ),
        (f"  warm-up ({r['warmup_words']:,} words)", f"{tp['warmup_seconds']:.2f} s"),
        ("  found", f"{tp['quotes']:,} quotes, {tp['characters']:,} characters"),
        ("peak memory, analysing process", f"{tp['maxrss_self_mib']:,.0f} MiB"),
        ("peak memory, its worker processes", f"{tp['maxrss_children_mib']:,.0f} MiB"),
        ("peak memory, loading process", f"{load['maxrss_mib']:,.0f} MiB"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:{width}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="evaluation data folder (default: find_eval_root())")
    parser.add_argument("--novel", default="OliverTwist", help="PDNC novel to start from")
    parser.add_argument("--words", type=int, default=100_000, help="words in the text")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs (best kept)")
    parser.add_argument("--load-repeat", type=int, default=3, help="fresh processes for load")
    parser.add_argument("--warmup-words", type=int, default=5_000, help="words in the warm-up")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--worker", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat, args.warmup_words)))
        return 0
    from ficlens.eval.data import find_eval_root

    root = find_eval_root(args.data)
    if root is None:
        print(
            "error: evaluation data not found (set FICLENS_EVAL_DATA or pass --data)",
            file=sys.stderr,
        )
        return 2
    result = bench(root, args.novel, args.words, args.repeat, args.load_repeat, args.warmup_words)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
