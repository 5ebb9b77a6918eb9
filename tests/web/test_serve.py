"""``ficlens serve``: the real command, in a child process."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "ficlens.cli", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def exposed(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app bound to every address: (its loopback URL, the line it printed)."""
    port = _free_port()
    server = _serve("--db", str(tmp_path / "lib.sqlite3"), "--host", "0.0.0.0", "--port", str(port))
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"the server did not start: {server.stderr.read()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", line
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_bound_beyond_loopback_writes_need_the_printed_token(exposed: tuple[str, str]) -> None:
    base, line = exposed
    address = r"ficlens: serving the library at http://0\.0\.0\.0:\d+/\?token=(\S+)\n"
    printed = re.fullmatch(address, line)
    assert printed, line
    token = printed.group(1)
    story = b'"Hello," said Mara Quinn. "Goodbye," said Dev Okafor.'
    refused = httpx.post(f"{base}/api/analyse?add=1", content=story)
    assert refused.status_code == 403
    assert "token" in refused.json()["error"]
    allowed = httpx.post(
        f"{base}/api/analyse?add=1",
        content=story,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert allowed.status_code == 200
    assert allowed.json()["status"] == "imported"
    # Reading needs no token.
    assert httpx.get(f"{base}/api/works").json()["total"] == 1


def test_a_library_that_cannot_be_opened_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    server = _serve("--db", str(blocker / "lib.sqlite3"), "--port", str(_free_port()))
    out, err = server.communicate(timeout=60)
    assert server.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ficlens: error: cannot open the library")
    assert out == ""
