"""Opening libraries: where the file goes, URL forms, migrations, one-statement splitting."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.library import open_library
from ficlens.library.db import Database, migrations, resolve_url, split_statements


def test_the_default_library_lives_in_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FICLENS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with open_library() as library:
        assert library.count() == 0
    assert (tmp_path / "data" / "ficlens" / "library.sqlite3").is_file()


def test_ficlens_db_overrides_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FICLENS_DB", str(tmp_path / "mine.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    open_library().close()
    assert (tmp_path / "mine.sqlite3").is_file()
    assert not (tmp_path / "data").exists()


def test_url_forms() -> None:
    assert resolve_url("lib.sqlite3") == ("sqlite", "lib.sqlite3")
    assert resolve_url("sqlite:////tmp/x.db") == ("sqlite", "/tmp/x.db")
    assert resolve_url("postgresql://u@h/db") == ("postgresql", "postgresql://u@h/db")
    with pytest.raises(ValueError, match="unsupported database URL"):
        resolve_url("mysql://h/db")


def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    path = str(tmp_path / "lib.sqlite3")
    db = Database(path)
    assert db.schema_version() == 0
    latest = max(version for version, _ in migrations("sqlite"))
    assert db.migrate() == latest
    assert db.migrate() == latest  # nothing left to apply
    assert db.all("SELECT version FROM schema_version") == [(v,) for v, _ in migrations("sqlite")]
    db.close()


def test_both_dialects_have_the_same_migrations_and_tables() -> None:
    sqlite, postgresql = migrations("sqlite"), migrations("postgresql")
    assert [v for v, _ in sqlite] == [v for v, _ in postgresql]

    def tables(sql: str, dialect: str) -> set[str]:
        return {
            s.split()[2]
            for s in split_statements(sql, dialect)  # type: ignore[arg-type]
            if s.upper().startswith("CREATE TABLE")
        }

    for (_, lite), (_, pg) in zip(sqlite, postgresql, strict=True):
        assert tables(lite, "sqlite") == tables(pg, "postgresql")


def test_sqlite_statements_split_around_trigger_bodies() -> None:
    script = (
        "CREATE TABLE a (x INTEGER);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
        "-- a comment; with a semicolon\n"
        "CREATE INDEX i ON a (x);\n"
    )
    statements = split_statements(script, "sqlite")
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
