"""A work that kills the worker process reading it (as running out of memory would)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ficlens.corpus.inputs import WorkInput


@dataclass
class WorkerKillingWork(WorkInput):
    def load(self) -> tuple[Any, Any]:
        os._exit(3)
