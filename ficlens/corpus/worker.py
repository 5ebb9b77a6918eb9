"""What a worker does with one work: read it, analyse it, turn the analysis into rows.

Shared by the local process pool and the Ray actors, so both engines give the same rows.
A failure of one work (unreadable input, an exception in a stage) is returned as a
``failures`` row, never raised: one bad work never stops a run.
"""

from __future__ import annotations

import os
import resource
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.rows import Rows, analysis_rows, failure_row
from ficlens.errors import FicError

if TYPE_CHECKING:  # imported in the worker only: it loads spaCy
    from ficlens.pipeline import Pipeline

# Native thread pools would fight the other workers for the same cores.
_SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class WorkResult:
    work_id: str
    rows: Rows  # table name -> rows; a failed work has only a "failures" row
    words: int  # words analysed (0 for a failure), for words/s
    failed: bool
    worker: str = ""  # which worker analysed it (process id, host)
    peak_rss_kib: int = 0  # that worker's peak resident memory so far
    cpu_seconds: float = 0.0  # CPU time the worker spent on it


def single_threaded() -> None:
    """Keep native libraries to one thread in this process (call before importing spaCy)."""
    for name in _SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")


def build_pipeline(disable: Iterable[str] = ()) -> Pipeline:
    """The worker's one pipeline (spaCy loads here, once per worker process)."""
    from ficlens.pipeline import Pipeline

    pipeline = Pipeline(disable=tuple(disable))
    # A first short text pays for the lazy parts of loading before the first real work.
    pipeline('"Come in," said Ann.\n\nTom did not move.')
    return pipeline


def analyze_work(pipeline: Pipeline, work: WorkInput) -> WorkResult:
    """Read and analyse ``work``; its rows, or a ``failures`` row when it cannot be done."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    path = work.path or work.origin  # a record's FILE:LINE
    try:
        loaded, declared = work.load()
        if declared is not None:
            analysis = pipeline(loaded.text, loaded.source, declared_work=declared)
        else:
            analysis = pipeline.analyze_loaded(loaded)
    except FicError as error:
        return _failed(work, path, getattr(error, "reason", None) or str(error), "input")
    except RecursionError:
        return _failed(work, path, "RecursionError: the text nests too deeply", "error")
    except Exception as error:  # one work's bug must not stop the corpus
        return _failed(work, path, f"{type(error).__name__}: {error}", "error")
    rows = analysis_rows(work.work_id, analysis, time.perf_counter() - started)
    try:
        check_rows(rows)
    except Exception as error:  # a value a stage set that the tables cannot hold
        return _failed(work, path, f"the analysis does not fit the tables: {error}", "error")
    result = WorkResult(work.work_id, rows, len(loaded.text.split()), failed=False)
    result.cpu_seconds = time.process_time() - cpu_started
    return _stamp(result)


def check_rows(rows: Rows) -> None:
    """Raise if ``rows`` do not fit the table schemas: one odd value must fail its own
    work here, in the worker, not the whole part when the driver writes it."""
    from ficlens.corpus.tables import check_table

    for name, table_rows in rows.items():
        check_table(name, table_rows)


def failed_result(work: WorkInput, error: str, kind: str = "error") -> WorkResult:
    """A ``failures`` row for a work the engine could not get analysed at all."""
    row = failure_row(work.work_id, work.path or work.origin, error, kind)
    return WorkResult(work.work_id, {"failures": [row]}, 0, failed=True)


def _failed(work: WorkInput, path: str | None, error: str, kind: str) -> WorkResult:
    row = failure_row(work.work_id, path, error, kind)
    return _stamp(WorkResult(work.work_id, {"failures": [row]}, 0, failed=True))


def _stamp(result: WorkResult) -> WorkResult:
    result.worker = f"{socket.gethostname()}:{os.getpid()}"
    result.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result
