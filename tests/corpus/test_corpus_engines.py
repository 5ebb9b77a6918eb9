"""The local engine: one pipeline per worker, bounded in-flight work, a dying worker."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest
from corpus_stories import story
from crashing import WorkerKillingWork

from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.local import DIED, LocalEngine
from ficlens.corpus.rows import analysis_rows
from ficlens.corpus.worker import check_rows
from ficlens.pipeline import Pipeline


def test_a_worker_that_dies_fails_only_its_own_work() -> None:
    works = [WorkInput(f"w{i}", text=story(i)) for i in range(6)]
    works.insert(2, WorkerKillingWork("killer", text="unused"))
    engine = LocalEngine(2, disable=("tokens",))
    try:
        results = {result.work_id: result for result in engine.map(works)}
    finally:
        engine.close()
    assert sorted(results) == sorted(work.work_id for work in works)
    assert results["killer"].failed
    assert results["killer"].rows["failures"][0]["error"] == DIED
    assert not any(results[f"w{i}"].failed for i in range(6))


def test_the_input_is_pulled_as_workers_free_up_not_all_at_once() -> None:
    pulled: list[int] = []
    taken_when_done: list[int] = []

    def works() -> Iterator[WorkInput]:
        for i in range(12):
            pulled.append(i)
            yield WorkInput(f"w{i}", text=story(i))

    engine = LocalEngine(1, disable=("tokens",))
    try:
        for _ in engine.map(works()):
            taken_when_done.append(len(pulled))
    finally:
        engine.close()
    assert len(taken_when_done) == 12
    # one worker: never more than two works in flight, so at most 3 pulled per result
    for done, taken in enumerate(taken_when_done, 1):
        assert taken <= done + 2


def test_the_pool_processes_do_every_work() -> None:
    engine = LocalEngine(2, disable=("tokens",))
    try:
        results = list(engine.map(WorkInput(f"w{i}", text=story(i)) for i in range(10)))
    finally:
        engine.close()
    workers = {result.worker for result in results}
    assert 1 <= len(workers) <= 2  # the same two processes did every work


def test_rows_that_do_not_fit_the_tables_fail_their_own_work_only() -> None:
    rows = analysis_rows("w", Pipeline(disable=("tokens",))(story(1)))
    check_rows(rows)  # what the pipeline gives fits
    rows["quotes"][0]["style"] = None  # a stage that forgot a value the schema requires
    with pytest.raises(ValueError, match=r"quotes\.style"):
        check_rows(rows)
    rows["quotes"][0]["style"] = 3  # or set one of the wrong type
    with pytest.raises(pa.ArrowException):
        check_rows(rows)
