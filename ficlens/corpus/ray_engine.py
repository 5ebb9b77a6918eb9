"""The Ray engine: actors that each hold one pipeline, on a Ray cluster of any size.

``address`` is ``auto`` (the cluster this machine belongs to, or ``RAY_ADDRESS``),
``local`` (start a Ray instance on this machine for the run), or a cluster's address
(``HOST:PORT`` of its head). One actor is started per CPU of the cluster (or ``actors``),
each with ``num_cpus=1``; it loads spaCy once and then analyses the works sent to it, two
at a time in flight per actor so that no actor waits for the driver. The driver reads
each file and sends its bytes, so the worker nodes need ficlens installed but not the
corpus; it writes the Parquet parts itself. An actor that dies (a node lost, out of
memory) is replaced and its works are tried once more; a work that fails twice so is
recorded in ``failures``.
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from ficlens.corpus.inputs import WorkInput, with_bytes
from ficlens.corpus.worker import (
    WorkResult,
    analyze_work,
    build_pipeline,
    failed_result,
    single_threaded,
)
from ficlens.errors import FicError

DIED = "the Ray actor died while analysing it"
_PER_ACTOR = 2  # works in flight per actor


class RayUnavailable(FicError):
    """Ray is not installed, or the cluster cannot be reached (one-line message)."""


class AnalyzerActor:
    """Holds one pipeline; made a Ray actor class by ``RayEngine``."""

    def __init__(self, disable: tuple[str, ...]) -> None:
        single_threaded()
        self.pipeline = build_pipeline(disable)

    def analyze(self, work: WorkInput) -> WorkResult:
        return analyze_work(self.pipeline, work)


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayUnavailable("Ray is not installed (pip install 'ficlens[ray]')") from None
    return ray


def _check_reachable(address: str) -> None:
    """Fail in seconds, in one line, where Ray would retry a dead address for minutes."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto" and other forms are Ray's to resolve
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {reason}") from None


class RayEngine:
    """Analyses works on a Ray cluster; results come back as they finish."""

    def __init__(
        self,
        address: str = "auto",
        actors: int | None = None,
        disable: Iterable[str] = (),
        object_store_memory: int | None = None,
    ) -> None:
        ray = _ray()
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False}
            if address == "local":
                options.update(address="local", num_cpus=actors)
                if object_store_memory:
                    options["object_store_memory"] = object_store_memory
            else:
                _check_reachable(address)
                options["address"] = address
            try:
                ray.init(**options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                message = " ".join(str(error).split())[:300]
                raise RayUnavailable(f"cannot reach the Ray cluster {address}: {message}") from None
            self._started = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.size = max(1, actors or cpus)
        self._actor_class = ray.remote(num_cpus=1, max_restarts=-1)(AnalyzerActor)
        self.disable = tuple(disable)
        self._actors = [self._new_actor() for _ in range(self.size)]

    def _new_actor(self) -> Any:
        return self._actor_class.remote(self.disable)

    def describe(self) -> str:
        return f"{self.size} Ray actor{'s' if self.size > 1 else ''}"

    def map(self, works: Iterable[WorkInput]) -> Iterator[WorkResult]:
        """Every work's result, in the order they finish."""
        ray = self._ray
        pending = iter(works)
        retry: deque[WorkInput] = deque()
        attempts: dict[str, int] = {}
        slots: deque[int] = deque(i for i in range(self.size) for _ in range(_PER_ACTOR))
        in_flight: dict[Any, tuple[int, WorkInput]] = {}
        exhausted = False
        solo: Any = None  # a retried work runs alone: if it kills its actor, only it fails
        while True:
            while slots and solo is None and (retry or not exhausted):
                if retry:
                    if in_flight:
                        break  # let the others finish first
                    work = retry.popleft()
                else:
                    work = next(pending, None)
                    if work is None:
                        exhausted = True
                        break
                index = slots.popleft()
                ref = self._actors[index].analyze.remote(with_bytes(work))
                in_flight[ref] = (index, work)
                if attempts.get(work.work_id):
                    solo = ref
            if not in_flight:
                return
            ready, rest = ray.wait(list(in_flight), num_returns=1)
            if rest:  # take every result that is in, not one per pass over thousands of refs
                more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
                ready += more
            for ref in ready:
                index, work = in_flight.pop(ref)
                slots.append(index)
                if ref is solo:
                    solo = None
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayActorError:
                    tries = attempts.get(work.work_id, 0) + 1
                    attempts[work.work_id] = tries
                    if tries >= 2:
                        attempts.pop(work.work_id, None)
                        yield failed_result(work, DIED)
                    else:
                        retry.append(work)
                except ray.exceptions.RayError as error:
                    message = str(error).strip().splitlines()
                    yield failed_result(work, f"Ray: {message[-1] if message else error}")

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started:
            self._ray.shutdown()
