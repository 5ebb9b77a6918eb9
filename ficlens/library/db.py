"""A small database class over sqlite3 and psycopg: plain SQL, one placeholder style.

SQL is written once with ``?`` placeholders and SQLite's syntax where the two agree; the
PostgreSQL connection rewrites the placeholders. Where the dialects differ (full-text
search, identity columns) the caller asks ``db.dialect``. The schema lives in versioned SQL
files under ``migrations/<dialect>/NNNN_name.sql``; ``migrate`` applies the ones newer than
the ``schema_version`` table says, each in its own transaction.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

Dialect = Literal["sqlite", "postgresql"]

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseError(Exception):
    """Any failure of the database itself, with the driver's message."""


def default_path() -> Path:
    """The XDG default: ``${XDG_DATA_HOME:-~/.local/share}/ficlens/library.sqlite3``."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "ficlens" / "library.sqlite3"


def resolve_url(url: str | None) -> tuple[Dialect, str]:
    """(dialect, target): a SQLite file path or a PostgreSQL connection URL."""
    if url is None:
        url = os.environ.get("FICLENS_DB") or str(default_path())
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql", url
    if url.startswith("sqlite:///"):
        return "sqlite", url.removeprefix("sqlite:///") or ":memory:"
    if url.startswith("sqlite://"):
        return "sqlite", url.removeprefix("sqlite://") or ":memory:"
    if "://" in url:
        raise ValueError(f"unsupported database URL {url!r}: use a path or postgresql://...")
    return "sqlite", url


class Database:
    """One connection; ``transaction()`` groups writes, everything else autocommits.

    A lock serialises its use, so threads (a web server's workers) may share one: a
    transaction holds the lock from BEGIN to COMMIT, so no other thread's statement can
    land inside it.
    """

    def __init__(self, url: str | None = None) -> None:
        self.dialect, target = resolve_url(url)
        self.target = target
        self._depth = 0
        self._lock = threading.RLock()
        if self.dialect == "sqlite":
            if target != ":memory:":
                Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
            try:
                # isolation_level=None: we issue BEGIN/COMMIT ourselves.
                self._conn: Any = sqlite3.connect(
                    os.path.expanduser(target), isolation_level=None, check_same_thread=False
                )
                self._conn.execute("PRAGMA foreign_keys = ON")
                self._conn.execute("PRAGMA busy_timeout = 10000")
                if target != ":memory:":
                    # WAL lets the web app read while an import writes.
                    self._conn.execute("PRAGMA journal_mode = WAL")
                    # In WAL mode NORMAL is safe from corruption (a power cut may lose the
                    # last commits, never the library), and a commit need not wait for fsync.
                    self._conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error as error:
                raise DatabaseError(f"cannot open {target}: {error}") from error
        else:
            import psycopg

            try:
                self._conn = psycopg.connect(target, autocommit=True)
            except psycopg.Error as error:
                raise DatabaseError(f"cannot connect to PostgreSQL: {error}") from error

    # -- statements ------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        if self.dialect == "postgresql":
            return sql.replace("%", "%%").replace("?", "%s")
        return sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            with self._lock:
                return self._conn.execute(self._sql(sql), tuple(params))
        except Exception as error:
            if _is_driver_error(error):
                raise DatabaseError(str(error).strip().splitlines()[0]) from error
            raise

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            with self._lock:
                if self.dialect == "sqlite":
                    self._conn.executemany(sql, rows)
                else:
                    with self._conn.cursor() as cursor:
                        cursor.executemany(self._sql(sql), rows)
        except Exception as error:
            if _is_driver_error(error):
                raise DatabaseError(str(error).strip().splitlines()[0]) from error
            raise

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return [tuple(row) for row in self.execute(sql, params).fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All or nothing; nested calls join the outer transaction."""
        with self._lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[Database]:
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.execute("BEGIN")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            # If the connection is gone, the server has rolled back already.
            with suppress(DatabaseError):
                self.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.execute("COMMIT")
        except DatabaseError:
            # A failed COMMIT (a busy database) leaves the transaction open: end it.
            with suppress(DatabaseError):
                self.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._conn.close()

    # -- schema ------------------------------------------------------------------------

    def schema_version(self) -> int:
        if self.dialect == "sqlite":
            exists = self.scalar(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            )
        else:
            exists = self.scalar("SELECT to_regclass('schema_version') IS NOT NULL")
        if not exists:
            return 0
        return int(self.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"))

    def migrate(self) -> int:
        """Apply pending migrations; returns the schema version now in force."""
        current = self.schema_version()
        for version, sql in migrations(self.dialect):
            if version <= current:
                continue
            with self.transaction():
                for statement in split_statements(sql, self.dialect):
                    self.execute(statement)
                self.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version, now()),
                )
            current = version
        return current


def migrations(dialect: Dialect) -> list[tuple[int, str]]:
    """(version, SQL) of every migration file for ``dialect``, in order."""
    folder = resources.files("ficlens.library") / "migrations" / dialect
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(sql: str, dialect: Dialect) -> list[str]:
    """A script as single statements (SQLite triggers hold ';' inside BEGIN ... END)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    if dialect == "postgresql":
        return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
    statements, pending = [], ""
    for line in lines:
        pending += line + "\n"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_driver_error(error: Exception) -> bool:
    if isinstance(error, sqlite3.Error):
        return True
    module = type(error).__module__
    return module.startswith("psycopg")
