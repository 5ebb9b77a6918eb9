"""The output folder of a corpus run: Parquet parts committed atomically, and resume.

Layout of ``DIR``::

    works/part-00000.parquet  characters/...  quotes/...  relationships/...  tags/...
    failures/...              (one part of every table per committed batch of works)
    _ficlens/run.json         the run: schema version, input, ficlens version
    _ficlens/lock             held (flock) while a run writes here
    _ficlens/committed/part-NNNNN.json   the work ids a part holds: the commit record
    _ficlens/staging/part-NNNNN/         a part being written

A part is committed in three steps, so that a run killed at any moment (even by SIGKILL)
leaves nothing a reader can mistake for data: (1) every table's file is written into the
staging folder, fsynced; (2) the commit record is written to a temporary name, fsynced and
renamed (the commit point); (3) the staged files are renamed into the table folders. On
``--resume``, a staged part without a commit record is deleted (its works are redone) and
one with a record is finished (step 3 again). Finished parts are never rewritten; the
ids in the commit records are the works that are done. Readers skip the ``_ficlens``
folder (names starting with ``_`` are hidden to pyarrow, DuckDB, Spark and polars).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow.parquet as pq

from ficlens import __version__
from ficlens.corpus.rows import Row
from ficlens.corpus.tables import CORPUS_SCHEMA, TABLES, to_table
from ficlens.corpus.worker import WorkResult
from ficlens.errors import InputError

META = "_ficlens"
PART = "part-{:05d}"


def part_name(number: int) -> str:
    return PART.format(number)


@dataclass
class _Pending:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in TABLES})
    works: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    chars: int = 0


class CorpusWriter:
    """Collects finished works and commits them as parts; knows which works are done.

    Memory is bounded by the part size: at most ``part_works`` works, or their rows for
    about ``part_chars`` characters of text, are held before a part is written.
    """

    def __init__(
        self,
        out: str | os.PathLike[str],
        *,
        input_label: str,
        resume: bool = False,
        part_works: int = 100,
        part_chars: int = 50_000_000,
    ) -> None:
        self.out = Path(out)
        self.part_works = max(1, part_works)
        self.part_chars = part_chars
        self.meta = self.out / META
        self._pending = _Pending()
        self._lock: IO[str] | None = None
        self.done: set[str] = set()  # ids of committed works and failures
        # ids met twice, whose "duplicate id" failure row is written or waiting
        self.duplicates: set[str] = set()
        self.parts_written = 0
        self._open(input_label, resume)

    # -- opening and recovery --------------------------------------------------------------

    def _open(self, input_label: str, resume: bool) -> None:
        out = self.out
        if out.exists() and not out.is_dir():
            raise InputError(str(out), "exists and is not a folder")
        existing = out.is_dir() and any(out.iterdir())
        if existing and not resume:
            raise InputError(
                str(out), "exists and is not empty (use --resume to go on with its run)"
            )
        run_file = self.meta / "run.json"
        if existing and not run_file.is_file():
            raise InputError(str(out), "is not the output of a ficlens corpus run")
        out.mkdir(parents=True, exist_ok=True)
        (self.meta / "committed").mkdir(parents=True, exist_ok=True)
        (self.meta / "staging").mkdir(exist_ok=True)
        self._take_lock()
        if run_file.is_file():
            run = json.loads(run_file.read_text(encoding="utf-8"))
            if run.get("schema") != CORPUS_SCHEMA:
                raise InputError(str(out), f"was written with schema {run.get('schema')}")
            if run.get("input") != input_label:
                raise InputError(str(out), f"holds a run over another input ({run.get('input')})")
        else:
            record = {"schema": CORPUS_SCHEMA, "input": input_label, "ficlens": __version__}
            _atomic_write(run_file, json.dumps(record, indent=2).encode())
        for name in TABLES:
            (out / name).mkdir(exist_ok=True)
        self._recover()

    def _take_lock(self) -> None:
        handle = open(self.meta / "lock", "a", encoding="utf-8")  # noqa: SIM115 - held open
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise InputError(str(self.out), "another run is writing there") from None
        self._lock = handle

    def _recover(self) -> None:
        committed = self.meta / "committed"
        numbers: list[int] = []
        for record_file in sorted(committed.iterdir()):
            if record_file.suffix != ".json" or not record_file.name.startswith("part-"):
                record_file.unlink()  # a commit record that never got its final name
                continue
            record = json.loads(record_file.read_bytes())
            numbers.append(int(record["part"]))
            self.done.update(record["works"])
            self.done.update(record["failures"])
            self.duplicates.update(record.get("duplicates", ()))
        committed_names = {part_name(n) for n in numbers}
        for staged in sorted((self.meta / "staging").iterdir()):
            if staged.name in committed_names:
                self._publish(staged.name)  # committed but not all renamed: finish it
            else:
                shutil.rmtree(staged)  # never committed: its works are redone
        for name in TABLES:
            for part in (self.out / name).iterdir():
                if part.name.removesuffix(".parquet") not in committed_names:
                    part.unlink()  # cannot happen with the order above; never trust it
        self._next = max(numbers, default=-1) + 1

    # -- writing ---------------------------------------------------------------------------

    def add(self, result: WorkResult, *, duplicate: bool = False) -> None:
        """Take a finished work; writes a part when enough works are waiting.

        ``duplicate``: the failure row of a second work under an id; it does not make
        the id done (the first work under it may not be).
        """
        pending = self._pending
        for name, rows in result.rows.items():
            pending.rows[name].extend(rows)
        if duplicate:
            pending.duplicates.append(result.work_id)
            self.duplicates.add(result.work_id)
        else:
            (pending.failures if result.failed else pending.works).append(result.work_id)
        for row in result.rows.get("works", ()):
            pending.chars += int(row.get("text_length") or 0)
        if len(pending.works) + len(pending.failures) + len(
            pending.duplicates
        ) >= self.part_works or (pending.chars >= self.part_chars):
            self.flush()

    def flush(self) -> None:
        """Commit the waiting works as one part of every table."""
        pending = self._pending
        if not pending.works and not pending.failures and not pending.duplicates:
            return
        name = part_name(self._next)
        staged = self.meta / "staging" / name
        staged.mkdir()
        for table in TABLES:
            _write_parquet(staged / f"{table}.parquet", to_table(table, pending.rows[table]))
        _fsync_dir(staged)
        record = {
            "part": self._next,
            "works": pending.works,
            "failures": pending.failures,
            "duplicates": pending.duplicates,
        }
        _atomic_write(self.meta / "committed" / f"{name}.json", json.dumps(record).encode())
        self._publish(name)
        self.done.update(pending.works)
        self.done.update(pending.failures)
        self._pending = _Pending()
        self._next += 1
        self.parts_written += 1

    def _publish(self, name: str) -> None:
        staged = self.meta / "staging" / name
        for table in TABLES:
            source = staged / f"{table}.parquet"
            if source.exists():
                os.replace(source, self.out / table / f"{name}.parquet")
                _fsync_dir(self.out / table)
        shutil.rmtree(staged, ignore_errors=True)

    def close(self) -> None:
        """Commit what is waiting and let go of the folder."""
        self.flush()
        self.release()

    def release(self) -> None:
        """Let go of the folder without committing (what is waiting is redone on resume)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> CorpusWriter:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if kind is None:
            self.close()
        else:
            self.release()


def _write_parquet(path: Path, table: object) -> None:
    with open(path, "wb") as handle:
        pq.write_table(table, handle, compression="zstd")
        handle.flush()
        os.fsync(handle.fileno())


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
