"""Speed, scaling and memory of ``ficlens corpus run``, and a projection to a million works.

The corpus: the PDNC novels (``../shared/eval/pdnc``, read with ``ficlens.eval.data``) cut
into fic-sized works at paragraph breaks, each as long as a size drawn uniformly from
``--min-work`` to ``--max-work`` words (2,000 to 20,000; seeded, so every run cuts the same
corpus), taking the novels in turn, until ``--words`` words in all. The works are written
as UTF-8 files to a temporary folder (never kept) and analysed with the full pipeline.

Measured, each configuration in a fresh Python process (``run_corpus`` as the command runs
it, Parquet written to a temporary folder):

* local engine with 1 worker and with 2 workers, Ray (``--ray local``, 2 CPUs) with 2 actors;
* words/s over the whole run (wall time, start-up included) and in the steady state: the
  words of the works that finished after every worker had finished its first, over the time
  from then to the end (start-up and the first work's warm-up left out);
* peak resident memory of each worker (its own ``ru_maxrss``) and of the driver;
* the driver's CPU time per work from its first result to its last (taking the results in
  and writing Parquet; imports, start-up and shutdown left out): the most works a second
  one driver can take;
* words per CPU-second of the workers (their own CPU time per work): what a core does
  when it is not shared, the same with 1 and 2 workers if nothing is lost to contention;
* scaling 1 -> 2 workers: steady-state words/s with 2 over with 1 (goal: at least 1.8);
  on a machine others use too, the load average says how many cores there were to have.

The projection for 1,000,000 works of 5,000 words on 100 nodes of 16 cores: one worker a
core, start-up paid once, each core analysing at (a) the steady-state wall-clock rate per
worker of the 2-worker run (this machine's parallel efficiency and its other users
included) or (b) the workers' words per CPU-second (a core to itself, as on dedicated
nodes). It reports the driver's limit too: one Ray run over the cluster has one driver,
which takes at most 1 / (its CPU per work, measured in the Ray run) works a second;
sharded runs (``--shard K/100``, one local run per node) have one driver per node. The
driver's CPU per work includes what it spends whatever the rate (Ray's own threads), spread
here over few works a second: it overstates the cost per work, so the limit is a floor.

The machine is shared: the load average before each run is shown.

    PYTHONPATH=. python bench/bench_corpus.py [--data DIR] [--words 200000]
        [--configs local1,local2,ray2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOAL_SCALING = 1.8
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

PROJECT_WORKS = 1_000_000
PROJECT_WORDS_PER_WORK = 5_000
PROJECT_NODES = 100
PROJECT_CORES = 16


def build_corpus(
    root: Path, target: Path, words: int, min_work: int, max_work: int, seed: int = 7
) -> dict:
    """Cut the PDNC novels into works under ``target``; what was made."""
    from ficlens.eval.data import load_pdnc

    rng = random.Random(seed)
    novels = [(doc.name, _PARAGRAPH_BREAK.split(doc.text)) for doc in load_pdnc(root)]
    cursor = dict.fromkeys((name for name, _ in novels), 0)
    total = 0
    sizes: list[int] = []
    while total < words and novels:
        for name, paragraphs in list(novels):
            if total >= words:
                break
            want = rng.randint(min_work, max_work)
            start = cursor[name]
            piece: list[str] = []
            have = 0
            i = start
            while i < len(paragraphs) and have < want:
                piece.append(paragraphs[i])
                have += len(paragraphs[i].split())
                i += 1
            cursor[name] = i
            if have < min_work:  # the end of the novel: too short for a fic
                novels.remove((name, paragraphs))
                continue
            folder = target / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"work-{len(sizes):05d}.txt").write_text("\n\n".join(piece), "utf-8")
            sizes.append(have)
            total += have
    return {
        "works": len(sizes),
        "words": total,
        "min_work_words": min(sizes, default=0),
        "max_work_words": max(sizes, default=0),
        "mean_work_words": round(total / len(sizes)) if sizes else 0,
    }


def run_one(source: str, engine: str, workers: int) -> dict:
    """One configuration, in this (fresh) process."""
    import resource

    from ficlens.corpus import RunSummary, run_corpus
    from ficlens.corpus.worker import WorkResult

    finished: list[tuple[float, int, str]] = []  # (time, words, worker)
    worker_cpu: list[float] = []  # CPU seconds the workers spent per work
    driver_cpu_at: list[float] = []  # the driver's CPU time at each result

    def on_result(result: WorkResult, summary: RunSummary) -> None:
        driver_cpu_at.append(time.process_time())
        finished.append((time.perf_counter(), result.words, result.worker))
        worker_cpu.append(result.cpu_seconds)

    with tempfile.TemporaryDirectory(prefix="ficlens-bench-out-") as out:
        cpu0 = time.process_time()
        t0 = time.perf_counter()  # the clock starts before the workers do
        summary = run_corpus(
            source,
            Path(out) / "run",
            workers=workers,
            ray="local" if engine == "ray" else None,
            on_result=on_result,
        )
        wall = time.perf_counter() - t0
        cpu_end = time.process_time()
        driver_cpu = cpu_end - cpu0
        # Per work: from the first result to the last, so that imports, start-up and
        # shutting the engine down (Ray's takes a while) are left out.
        working_cpu = driver_cpu_at[-1] - driver_cpu_at[0] if driver_cpu_at else 0.0
    # Steady state: from the moment every worker has finished one work.
    seen: set[str] = set()
    steady_from = None
    for k, (_, _, worker) in enumerate(finished):
        seen.add(worker)
        if len(seen) == workers:
            steady_from = k
            break
    steady_words = steady_seconds = 0.0
    if steady_from is not None and steady_from + 1 < len(finished):
        steady_words = sum(w for _, w, _ in finished[steady_from + 1 :])
        steady_seconds = finished[-1][0] - finished[steady_from][0]
    works = summary.analysed + summary.failed
    return {
        "engine": engine,
        "workers": workers,
        "works": works,
        "failed": summary.failed,
        "words": summary.words,
        "wall_seconds": wall,
        "words_per_second": summary.words / wall if wall else 0.0,
        "steady_words_per_second": steady_words / steady_seconds if steady_seconds else 0.0,
        "first_result_seconds": finished[0][0] - t0 if finished else None,
        "words_per_worker_cpu_second": summary.words / sum(worker_cpu) if sum(worker_cpu) else 0,
        "worker_peak_rss_mib": sorted(kib / 1024 for kib in summary.peak_rss_kib.values()),
        "driver_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "driver_cpu_seconds": driver_cpu,
        "driver_cpu_ms_per_work": 1000 * working_cpu / (works - 1) if works > 1 else None,
    }


def measure(source: Path, engine: str, workers: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, __file__, "--run-one", str(source), engine, str(workers)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{engine} x{workers} failed:\n{out.stderr[-3000:]}")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["load_average_before"] = load
    return row


def project(runs: dict[str, dict]) -> dict:
    """1M works x 5,000 words on 100 nodes x 16 cores, from the measured rates."""
    base = runs.get("local2") or runs.get("local1")
    if not base or not base["steady_words_per_second"]:
        return {}
    cores = PROJECT_NODES * PROJECT_CORES
    words = PROJECT_WORKS * PROJECT_WORDS_PER_WORK
    start = base["first_result_seconds"] or 0
    # Two rates a core: the wall-clock one measured here (with whatever else ran on the
    # machine), and the CPU one (a core of its own, as on a dedicated cluster node).
    wall_rate = base["steady_words_per_second"] / base["workers"]
    cpu_rate = base["words_per_worker_cpu_second"] or wall_rate
    wall_seconds = words / (wall_rate * cores) + start
    cpu_seconds = words / (cpu_rate * cores) + start
    # One Ray run over the cluster has one driver; sharded local runs have one a node.
    ray_run = next((run for name, run in runs.items() if name.startswith("ray")), base)
    ray_ms = ray_run["driver_cpu_ms_per_work"] or 0
    single_driver = 1000 / ray_ms if ray_ms else float("inf")
    local_ms = base["driver_cpu_ms_per_work"] or 0
    node_driver = 1000 / local_ms if local_ms else float("inf")
    return {
        "cores": cores,
        "words_per_second_per_core_wall": wall_rate,
        "words_per_second_per_core_cpu": cpu_rate,
        "compute_hours_wall_rate": wall_seconds / 3600,
        "compute_hours_cpu_rate": cpu_seconds / 3600,
        "works_per_second_needed": PROJECT_WORKS / cpu_seconds,
        "single_driver_works_per_second": single_driver,
        "single_driver_hours": max(cpu_seconds, PROJECT_WORKS / single_driver) / 3600,
        "node_driver_works_per_second": node_driver,
        "sharded_hours": max(cpu_seconds, PROJECT_WORKS / PROJECT_NODES / node_driver) / 3600,
    }


def format_table(result: dict) -> str:
    corpus = result["corpus"]
    lines = [
        f"corpus: {corpus['works']} works, {corpus['words']:,} words "
        f"({corpus['min_work_words']:,}-{corpus['max_work_words']:,}, "
        f"mean {corpus['mean_work_words']:,} a work), from the PDNC novels",
        f"machine: {result['cpus']} CPUs, Python {result['python']}",
        "",
        f"{'run':8} {'words/s':>9} {'steady':>9} {'wall s':>7} {'1st s':>6} "
        f"{'w/cpu-s':>8} {'worker MiB':>12} {'driver MiB':>10} {'drv ms/work':>11} {'load':>5}",
    ]
    for name, run in result["runs"].items():
        rss = "/".join(f"{v:.0f}" for v in run["worker_peak_rss_mib"])
        lines.append(
            f"{name:8} {run['words_per_second']:9,.0f} {run['steady_words_per_second']:9,.0f} "
            f"{run['wall_seconds']:7.1f} {run['first_result_seconds'] or 0:6.1f} "
            f"{run['words_per_worker_cpu_second']:8,.0f} {rss:>12} "
            f"{run['driver_peak_rss_mib']:10.0f} {run['driver_cpu_ms_per_work'] or 0:11.1f} "
            f"{run['load_average_before']:5.2f}"
        )
    if result.get("scaling"):
        ok = "met" if result["scaling"] >= GOAL_SCALING else "NOT met"
        lines += ["", f"scaling 1 -> 2 workers (steady state): {result['scaling']:.2f}x  "
                  f"goal >= {GOAL_SCALING}x: {ok}"]  # fmt: skip
    p = result.get("projection")
    if p:
        lines += [
            "",
            f"projection, {PROJECT_WORKS:,} works x {PROJECT_WORDS_PER_WORK:,} words on "
            f"{PROJECT_NODES} nodes x {PROJECT_CORES} cores ({p['cores']:,} workers):",
            f"  at the wall-clock rate per worker measured here "
            f"({p['words_per_second_per_core_wall']:,.0f} words/s): "
            f"{p['compute_hours_wall_rate']:.2f} h",
            f"  at the CPU rate, a core each ({p['words_per_second_per_core_cpu']:,.0f} words/s):"
            f" {p['compute_hours_cpu_rate']:.2f} h ({p['works_per_second_needed']:,.0f} works/s)",
            f"  one Ray run (its one driver takes {p['single_driver_works_per_second']:,.0f} "
            f"works/s): {p['single_driver_hours']:.2f} h",
            f"  one local run per node (--shard K/100; a driver each, "
            f"{p['node_driver_works_per_second']:,.0f} works/s): {p['sharded_hours']:.2f} h",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="evaluation data folder (default: find_eval_root())")
    parser.add_argument("--words", type=int, default=200_000, help="words in the corpus")
    parser.add_argument("--min-work", type=int, default=2_000, help="fewest words a work")
    parser.add_argument("--max-work", type=int, default=20_000, help="most words a work")
    parser.add_argument(
        "--configs", default="local1,local2,ray2", help="runs: local<N>, ray<N> (comma-separated)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--run-one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        source, engine, workers = args.run_one
        print(json.dumps(run_one(source, engine, int(workers))))
        return 0
    from ficlens.eval.data import find_eval_root

    root = find_eval_root(args.data)
    if root is None:
        print("error: evaluation data not found (set FICLENS_EVAL_DATA or pass --data)",
              file=sys.stderr)  # fmt: skip
        return 2
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="ficlens-bench-corpus-") as tmp:
        source = Path(tmp) / "corpus"
        corpus = build_corpus(root, source, args.words, args.min_work, args.max_work)
        runs: dict[str, dict] = {}
        for config in configs:
            match = re.fullmatch(r"(local|ray)(\d+)", config)
            if not match:
                parser.error(f"unknown configuration {config!r}")
            runs[config] = measure(source, match.group(1), int(match.group(2)))
    result = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "corpus": corpus,
        "runs": runs,
    }
    if runs.get("local1") and runs.get("local2") and runs["local1"]["steady_words_per_second"]:
        result["scaling"] = (
            runs["local2"]["steady_words_per_second"] / runs["local1"]["steady_words_per_second"]
        )
    result["projection"] = project(runs)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
