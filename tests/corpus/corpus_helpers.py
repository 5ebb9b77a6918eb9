"""Helpers for the corpus tests: running ``ficlens`` as a user does, and what a run made.

(A module of its own, not conftest.py: test folders here are not packages, and several
have a conftest.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def ficlens(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``ficlens ARGS`` in a fresh process, as a user runs it (stderr is not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "ficlens.cli", *args],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=timeout,
    )


@dataclass
class Run:
    source: Path
    out: Path
    ids: list[str]  # the works that should be analysed
    bad: list[str]  # the works that should fail
    result: subprocess.CompletedProcess[str]
