"""The works of a corpus, streamed one at a time from a folder tree, a JSONL or a Parquet file.

* A folder: every supported file under it (``SUFFIXES``; hidden files and folders are
  skipped), in sorted order; a work's id is its path relative to the folder (``/``-separated).
* A ``.jsonl`` file: one JSON object a line with ``id`` (a string or number) and ``text``;
  any of ``METADATA_FIELDS`` it also has (``title``, ``authors``, ``fandoms``,
  ``relationships``, ``characters``, ``tags``, ``rating``, ``warnings``, ...) is what the
  work declares, laid over what the text itself declares.
* A ``.parquet`` file: the same columns, read a batch at a time.

Nothing is held beyond the work being handed out: a million-work corpus streams. A record
that cannot be used (bad JSON, no id or text) comes out as a ``WorkInput`` with ``problem``
set, so it becomes a row in ``failures`` rather than stopping the run.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficlens.errors import InputError
from ficlens.read import MAX_BYTES, Loaded, load_bytes, load_path

SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"})
RECORD_SUFFIXES = frozenset({".jsonl", ".parquet"})

# Record keys that declare metadata, as read.metadata's labels name them.
METADATA_FIELDS = (
    "title",
    "authors",
    "summary",
    "fandoms",
    "relationships",
    "characters",
    "tags",
    "rating",
    "warnings",
    "categories",
    "language",
    "series",
    "collections",
    "url",
    "published",
    "updated",
)


@dataclass
class WorkInput:
    """One work to analyse: a file to read, or a text with what it declares."""

    work_id: str
    path: str | None = None  # a file to read (folder input)
    text: str | None = None  # the text itself (JSONL/Parquet input)
    metadata: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why the record cannot be analysed at all
    origin: str | None = None  # FILE:LINE of a record, for messages
    data: bytes | None = None  # the file's bytes, read ahead where workers cannot see the file

    def load(self) -> tuple[Loaded, Any]:
        """The work's text and Source, and the ``Work`` its metadata declares (or None)."""
        if self.problem is not None:
            raise InputError(self.origin or self.work_id, self.problem)
        if self.path is not None:
            if self.data is not None:
                loaded = load_bytes(self.data, path=self.path)
            else:
                loaded = load_path(self.path)
            return loaded, getattr(loaded, "work", None)
        data = (self.text or "").encode("utf-8", "surrogatepass")
        loaded = load_bytes(data, path=None, max_bytes=MAX_BYTES)
        return loaded, declared_work(self.metadata)


def with_bytes(work: WorkInput, max_bytes: int = MAX_BYTES) -> WorkInput:
    """``work`` with its file's bytes read here, for a worker on another machine.

    A file that cannot be read here, or is too big, is left to the worker, whose
    ``load_path`` then gives the usual one-line reason.
    """
    if work.path is None or work.data is not None:
        return work
    try:
        if os.path.getsize(work.path) > max_bytes:
            return work
        with open(work.path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return work
    return dataclasses.replace(work, data=data)


def declared_work(metadata: dict[str, Any]) -> Any:
    """A ``Work`` holding what a record declares, or None when it declares nothing."""
    if not any(metadata.get(name) for name in METADATA_FIELDS):
        return None
    from ficlens.model import Work
    from ficlens.read.metadata import apply_field

    work = Work()
    for name in METADATA_FIELDS:
        value = metadata.get(name)
        if value is None or value == "" or value == []:
            continue
        items = [str(item) for item in value] if isinstance(value, list) else [str(value)]
        apply_field(work, name, items)
    return work


def check_input(path: str | os.PathLike[str]) -> Path:
    """``path`` if it is a corpus input; otherwise an ``InputError`` saying why."""
    source = Path(path)
    if not source.exists():
        raise InputError(str(source), "no such file or folder")
    if source.is_dir():
        return source
    if source.suffix.lower() not in RECORD_SUFFIXES:
        raise InputError(str(source), "a corpus is a folder, a .jsonl or a .parquet file")
    if source.suffix.lower() == ".parquet":
        columns = _parquet_columns(source)
        missing = [name for name in ("id", "text") if name not in columns]
        if missing:
            raise InputError(str(source), f"no {' or '.join(missing)} column")
    return source


def iter_works(path: str | os.PathLike[str]) -> Iterator[WorkInput]:
    """The works of the corpus at ``path``, streamed in a stable order."""
    source = check_input(path)
    if source.is_dir():
        return _folder_works(source)
    if source.suffix.lower() == ".jsonl":
        return _jsonl_works(source)
    return _parquet_works(source)


def count_works(path: str | os.PathLike[str]) -> int:
    """How many works ``iter_works`` will give (for a progress bar's total)."""
    source = check_input(path)
    if source.is_dir():
        return sum(1 for _ in _folder_files(source))
    if source.suffix.lower() == ".jsonl":
        with open(source, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    import pyarrow.parquet as pq

    return pq.ParquetFile(source).metadata.num_rows


def _folder_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(folder) / name


def _folder_works(root: Path) -> Iterator[WorkInput]:
    for file in _folder_files(root):
        yield WorkInput(work_id=file.relative_to(root).as_posix(), path=str(file))


def _jsonl_works(source: Path) -> Iterator[WorkInput]:
    with open(source, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            origin = f"{source}:{number}"
            try:
                record = json.loads(raw)
            except (UnicodeDecodeError, ValueError) as error:
                yield _bad(f"{source.name}:{number}", origin, f"not JSON ({error})")
                continue
            if not isinstance(record, dict):
                yield _bad(f"{source.name}:{number}", origin, "not a JSON object")
                continue
            yield _record_work(record, f"{source.name}:{number}", origin)


def _parquet_works(source: Path) -> Iterator[WorkInput]:
    import pyarrow.parquet as pq

    file = pq.ParquetFile(source)
    wanted = [name for name in ("id", "text", *METADATA_FIELDS) if name in file.schema.names]
    number = 0
    # Small batches: a batch of long texts is held whole while it is handed out.
    for batch in file.iter_batches(batch_size=64, columns=wanted):
        for record in batch.to_pylist():
            number += 1
            yield _record_work(record, f"{source.name}:{number}", f"{source}:row {number}")


def _record_work(record: dict[str, Any], fallback_id: str, origin: str) -> WorkInput:
    raw_id = record.get("id")
    if raw_id is None or isinstance(raw_id, bool) or str(raw_id).strip() == "":
        return _bad(fallback_id, origin, "no id")
    work_id = str(raw_id)
    text = record.get("text")
    if not isinstance(text, str):
        return _bad(work_id, origin, "no text" if text is None else "text is not a string")
    metadata = {name: record[name] for name in METADATA_FIELDS if record.get(name) is not None}
    return WorkInput(work_id=work_id, text=text, metadata=metadata, origin=origin)


def _bad(work_id: str, origin: str, problem: str) -> WorkInput:
    return WorkInput(work_id=work_id, problem=problem, origin=origin)


def _parquet_columns(source: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.ParquetFile(source).schema.names)
    except Exception as error:  # pyarrow raises several kinds for a file that is not Parquet
        raise InputError(str(source), f"not a Parquet file ({error})") from None
