"""The Ray engine against a real local Ray cluster: the same rows as the local engine.

The session fixture starts the cluster with ``ray.init(address="local", num_cpus=2)``: a
real GCS, raylet and worker processes on this machine (Ray binds them to the machine's
own address; 127.0.0.1 is what it resolves to where there is no other interface), with
no dashboard and a small object store. ``ficlens corpus run --ray ADDRESS`` then connects
to it from its own process, as it would to a remote cluster's head, and
``ray.shutdown()`` stops exactly the processes the fixture started.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus_helpers import REPO, Run, ficlens
from corpus_stories import story
from crashing import WorkerKillingWork

from ficlens.corpus.inputs import WorkInput
from ficlens.corpus.ray_engine import DIED, RayEngine
from ficlens.corpus.tables import TABLES

ray = pytest.importorskip(
    "ray", reason="Ray is not installed (pip install 'ficlens[ray]'); Ray engine tests skipped"
)

UNSTABLE = {"seconds"}


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    saved = os.environ.get("PYTHONPATH")
    # The cluster's workers import ficlens (and this folder's helpers): give them the
    # checkout, whatever their cwd.
    here = str(Path(__file__).resolve().parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), here, saved]))
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=80 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def _rows(out: Path, table: str) -> list[dict]:
    rows = [
        {k: v for k, v in row.items() if k not in UNSTABLE}
        for row in pq.read_table(out / table).to_pylist()
    ]
    return sorted(rows, key=lambda row: repr(sorted(row.items())))


def test_ray_engine_gives_the_same_rows_as_the_local_one(
    ray_address: str, local_run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = ficlens(
        "corpus", "run", str(local_run.source), "--out", str(out), "--ray", ray_address,
        "--workers", "2", "--part-size", "10",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # the two bad files
    assert "on 2 Ray actors" in result.stderr
    for table in TABLES:
        assert _rows(out, table) == _rows(local_run.out, table), table
    assert len(list((out / "works").glob("*.parquet"))) == 4  # 32 works in parts of 10


def test_ray_run_resumes_like_a_local_one(ray_address: str, local_run: Run) -> None:
    result = ficlens(
        "corpus", "run", str(local_run.source), "--out", str(local_run.out), "--ray",
        ray_address, "--resume",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 works analysed, 0 failed, 32 already done" in result.stderr


def test_an_unreachable_cluster_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text('"Hello," said Ann.\n', encoding="utf-8")
    out = tmp_path / "out"
    result = ficlens("corpus", "run", str(tmp_path / "in"), "--out", str(out),
                     "--ray", "127.0.0.1:1", timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "127.0.0.1:1" in result.stderr
    assert not out.exists()


def test_an_actor_that_dies_fails_only_its_own_work(ray_address: str) -> None:
    # The fixture made this process the cluster's driver, so the engine uses it as is.
    works = [WorkInput(f"w{i}", text=story(i)) for i in range(5)]
    works.insert(1, WorkerKillingWork("killer", text="unused"))
    engine = RayEngine(actors=2, disable=("tokens",))
    try:
        results = {result.work_id: result for result in engine.map(works)}
    finally:
        engine.close()
    assert ray.is_initialized()  # closing the engine left the fixture's cluster alone
    assert sorted(results) == sorted(work.work_id for work in works)
    assert results["killer"].failed
    assert results["killer"].rows["failures"][0]["error"] == DIED
    assert not any(results[f"w{i}"].failed for i in range(5))
