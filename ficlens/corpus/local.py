"""The local engine: a pool of worker processes, each holding one pipeline.

Workers start with ``forkserver`` (``spawn`` where there is none) and build their
``Pipeline`` once, in the pool's initializer; a work is then only a path or a text sent
over a pipe. At most ``2 x workers`` works are in flight, so the input streams and memory
stays bounded. If a worker process dies (killed, out of memory, a crash in native code),
the works that were in flight are retried one at a time in a fresh pool, so only the work
that kills its worker again is recorded as failed.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.worker import (
    WorkResult,
    analyze_work,
    build_pipeline,
    failed_result,
    single_threaded,
)

_PIPELINE = None  # the worker process's pipeline, built by _init_worker
_PR_SET_PDEATHSIG = 1
DIED = "the worker process died while analysing it"


def _init_worker(disable: tuple[str, ...]) -> None:
    global _PIPELINE
    _die_with_parent()
    single_threaded()
    _PIPELINE = build_pipeline(disable)


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent goes (a killed run leaves no orphans)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _analyze(work: WorkInput) -> WorkResult:
    return analyze_work(_PIPELINE, work)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Imported once in the fork server, shared by every worker forked from it.
        context.set_forkserver_preload(["ficlens.corpus.worker"])
        return context
    return multiprocessing.get_context("spawn")


class LocalEngine:
    """Analyses works on ``workers`` local processes; results come back as they finish."""

    def __init__(self, workers: int | None = None, disable: Iterable[str] = ()) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.disable = tuple(disable)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=_init_worker,
            initargs=(self.disable,),
        )

    def describe(self) -> str:
        return f"{self.workers} local worker process{'es' if self.workers > 1 else ''}"

    def map(self, works: Iterable[WorkInput]) -> Iterator[WorkResult]:
        """Every work's result, in the order they finish."""
        pending = iter(works)
        in_flight: dict[Future[WorkResult], WorkInput] = {}
        limit = 2 * self.workers
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < limit:
                work = next(pending, None)
                if work is None:
                    exhausted = True
                else:
                    in_flight[self._executor.submit(_analyze, work)] = work
            if not in_flight:
                return
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                work = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    in_flight[future] = work  # a suspect, retried below
                except Exception as error:  # e.g. a result that cannot be pickled
                    yield failed_result(work, f"{type(error).__name__}: {error}")
            if broken:
                suspects = list(in_flight.values())
                in_flight.clear()
                yield from self._retry_alone(suspects)

    def _retry_alone(self, suspects: list[WorkInput]) -> Iterator[WorkResult]:
        """After a worker died: each suspect on its own, so only the culprit fails."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()
        for work in suspects:
            try:
                yield self._executor.submit(_analyze, work).result()
            except BrokenProcessPool:
                yield failed_result(work, DIED)
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
