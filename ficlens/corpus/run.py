"""A corpus run: stream the works, skip those already done, analyse the rest, commit parts."""

from __future__ import annotations

import os
import shutil
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ficlens.corpus.inputs import WorkInput, check_input, iter_works
from ficlens.corpus.worker import WorkResult, failed_result
from ficlens.corpus.writer import CorpusWriter

if TYPE_CHECKING:
    from ficlens.corpus.local import LocalEngine
    from ficlens.corpus.ray_engine import RayEngine

    Engine = LocalEngine | RayEngine

DEFAULT_PART_WORKS = 100


@dataclass
class RunSummary:
    out: Path
    engine: str
    analysed: int = 0  # works analysed in this run
    failed: int = 0  # works recorded in failures in this run
    skipped: int = 0  # works already done by an earlier run (--resume)
    words: int = 0
    seconds: float = 0.0
    parts: int = 0
    peak_rss_kib: dict[str, int] = field(default_factory=dict)  # worker -> peak memory

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        skipped = f", {self.skipped:,} already done" if self.skipped else ""
        return (
            f"{self.analysed:,} works analysed, {self.failed:,} failed{skipped}; "
            f"{self.words:,} words in {self.seconds:.1f} s ({self.words_per_second:,.0f} words/s)"
            f" on {self.engine}; {self.parts} part(s) written to {self.out}"
        )


Progress = Callable[[WorkResult, RunSummary], None]


def run_corpus(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    workers: int | None = None,
    ray: str | None = None,
    resume: bool = False,
    part_works: int = DEFAULT_PART_WORKS,
    disable: Iterable[str] = (),
    on_result: Progress | None = None,
    shard: tuple[int, int] | None = None,
) -> RunSummary:
    """Analyse every work of the corpus at ``source`` into Parquet tables under ``out``.

    ``ray`` is None for the local process pool of ``workers`` processes, otherwise a Ray
    address (``auto``, ``local`` or ``HOST:PORT``; ``workers`` then caps the actors).
    ``shard=(k, n)`` takes only the works whose id hashes to ``k`` of ``n`` (0-based): n runs,
    one a machine, each into its own folder, share a corpus without a common driver.
    Raises ``InputError`` (one line) for a bad input or output folder, before any work.
    """
    check_input(source)
    label = str(Path(source).resolve())
    if shard is not None:
        k, n = shard
        if not 0 <= k < n:
            raise ValueError(f"shard {k}/{n}: K must be from 0 to N-1")
        label += f" shard {k}/{n}"
    fresh = not Path(out).exists()
    with CorpusWriter(out, input_label=label, resume=resume, part_works=part_works) as writer:
        try:
            engine = _engine(workers, ray, disable)
        except BaseException:
            writer.release()
            if fresh:  # nothing was done: leave nothing behind
                shutil.rmtree(out, ignore_errors=True)
            raise
        summary = RunSummary(out=Path(out), engine=engine.describe())
        started = time.perf_counter()
        try:
            works = iter_works(source)
            if shard is not None:
                works = (w for w in works if in_shard(w.work_id, *shard))
            for result in engine.map(_todo(works, writer, summary)):
                writer.add(result)
                if result.failed:
                    summary.failed += 1
                else:
                    summary.analysed += 1
                    summary.words += result.words
                if result.worker:
                    previous = summary.peak_rss_kib.get(result.worker, 0)
                    summary.peak_rss_kib[result.worker] = max(previous, result.peak_rss_kib)
                summary.seconds = time.perf_counter() - started
                if on_result is not None:
                    on_result(result, summary)
        except KeyboardInterrupt:
            writer.flush()  # what finished is complete: keep it for --resume
            raise
        finally:
            engine.close()
        writer.flush()
        summary.seconds = time.perf_counter() - started
        summary.parts = writer.parts_written
    return summary


def in_shard(work_id: str, k: int, n: int) -> bool:
    """Whether ``work_id`` belongs to shard ``k`` of ``n`` (a stable hash, not Python's)."""
    return zlib.crc32(work_id.encode("utf-8", "surrogatepass")) % n == k


def _todo(
    works: Iterator[WorkInput], writer: CorpusWriter, summary: RunSummary
) -> Iterator[WorkInput]:
    """The works not done yet. Another work under an id already seen is one failure row
    (once per id, whichever run meets it first), so every id is in the tables once."""
    seen: set[str] = set()
    for work in works:
        if work.work_id in seen:
            if work.work_id in writer.duplicates:
                summary.skipped += 1
            else:
                result = failed_result(work, "duplicate id: another work has it", "input")
                writer.add(result, duplicate=True)
                summary.failed += 1
            continue
        seen.add(work.work_id)
        if work.work_id in writer.done:
            summary.skipped += 1
            continue
        yield work


def _engine(workers: int | None, ray: str | None, disable: Iterable[str]) -> Engine:
    if ray is not None:
        from ficlens.corpus.ray_engine import RayEngine

        return RayEngine(ray, actors=workers, disable=disable)
    from ficlens.corpus.local import LocalEngine

    return LocalEngine(workers, disable=disable)
