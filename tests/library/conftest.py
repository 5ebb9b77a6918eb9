"""Library fixtures: a real SQLite file per test, and a real PostgreSQL server per session.

PostgreSQL comes from $FICLENS_TEST_POSTGRES_URL when set; otherwise the fixture looks for
Debian's server binaries (on PATH or in /usr/lib/postgresql/*/bin), runs initdb into a
temporary folder (as the ``postgres`` user when run as root, since initdb refuses root),
starts the server on 127.0.0.1 on a free port and stops it at the end of the session.
Each test gets its own schema. Without a server the PostgreSQL tests skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from library_fixtures import (
    BACKENDS,
    as_server_user,
    binaries,
    free_port,
    postgres_schema_url,
)

from ficlens.library import Library, open_library


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("FICLENS_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    folder = binaries()
    if folder is None:
        pytest.skip(
            "PostgreSQL tests need a server: set FICLENS_TEST_POSTGRES_URL or install "
            "Debian's postgresql package (initdb and pg_ctl not found)"
        )
    if os.geteuid() == 0:
        try:
            import pwd

            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run initdb as")
    data = tempfile.mkdtemp(prefix="ficlens-pg-")
    if os.geteuid() == 0:
        os.chown(data, user.pw_uid, user.pw_gid)
    port = free_port()
    initdb = os.path.join(folder, "initdb")
    pg_ctl = os.path.join(folder, "pg_ctl")
    try:
        subprocess.run(
            as_server_user(
                [
                    initdb,
                    "-D",
                    data,
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--locale=C",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-h 127.0.0.1 -p {port} -k {data} -F"
        subprocess.run(
            as_server_user(
                [pg_ctl, "-D", data, "-o", options, "-l", f"{data}/log", "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        shutil.rmtree(data, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {error} {detail.decode()[-300:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_server_user([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        time.sleep(0.1)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty library, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "library.sqlite3")
        return
    base = request.getfixturevalue("postgres_url")
    yield from postgres_schema_url(base)


@pytest.fixture
def library(library_url: str) -> Iterator[Library]:
    with open_library(library_url) as opened:
        yield opened
