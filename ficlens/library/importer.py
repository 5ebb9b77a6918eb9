"""Importing files: expand paths, read, analyse and store each file in its own transaction.

A failure at any step (the reader's InputError, an exception in the analysis, a database
error) leaves nothing of that file in the library, is recorded as ``(path, reason)``, and
the batch goes on. A file whose content hash is already stored is skipped before it is
analysed, so re-importing a folder costs only reading and hashing.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator

from ficlens.errors import InputError
from ficlens.library.db import Database, DatabaseError
from ficlens.library.records import ImportSummary
from ficlens.library.store import absolute, store_analysis
from ficlens.pipeline import Pipeline
from ficlens.read import load_path

# Files in a folder with these extensions are clearly not stories and are passed over
# quietly (cover images, stylesheets, archives, databases...). Anything else is tried,
# and reported when it cannot be read.
NOT_STORIES = frozenset(
    """.png .jpg .jpeg .gif .webp .bmp .svg .ico .tif .tiff .heic .avif
    .mp3 .mp4 .m4a .m4v .wav .ogg .oga .flac .avi .mkv .mov .webm .wmv
    .zip .gz .tgz .bz2 .xz .zst .7z .rar .tar .iso .dmg
    .css .js .map .ttf .otf .woff .woff2 .eot
    .exe .dll .so .dylib .o .a .class .jar .pyc .pyo
    .db .sqlite .sqlite3 .sqlite3-wal .sqlite3-shm .lock .tmp .bak .part .crdownload
    .json .jsonl .xml .opf .ncx .csv .tsv .ini .cfg .toml .yaml .yml .lnk .url .torrent""".split()
)
_GLOB_CHARS = frozenset("*?[")


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files to import: files as given, folders recursively, globs expanded.

    Inside folders (and glob matches) hidden files and files that are clearly not stories
    are left out; a path that does not exist is passed on so its import reports it.
    """
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path)
        elif os.path.lexists(path) or not (_GLOB_CHARS & set(path)):
            yield path
        else:
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield path  # reported as "no such file"
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match)
                elif _story_candidate(match):
                    yield match


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(root, name)
            if _story_candidate(path):
                yield path


def _story_candidate(path: str) -> bool:
    name = os.path.basename(path)
    if name.startswith(".") or name in ("Thumbs.db", "desktop.ini"):
        return False
    return os.path.splitext(name)[1].lower() not in NOT_STORIES


def import_paths(
    db: Database,
    paths: Iterable[str],
    *,
    pipeline: Pipeline | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    for path in expand_paths(paths):
        if on_progress:
            on_progress(path)
        try:
            loaded = load_path(path)
        except InputError as error:
            summary.failed.append((path, error.reason))
            continue
        try:
            known = db.one("SELECT 1 FROM works WHERE sha256 = ?", (loaded.source.sha256,))
        except DatabaseError as error:
            summary.failed.append((path, f"database error: {error}"))
            continue
        if known:
            summary.skipped += 1
            continue
        if pipeline is None:
            pipeline = Pipeline()  # built on the first file that needs analysing
        try:
            analysis = pipeline.analyze_loaded(loaded)
        except Exception as error:  # one story that breaks a stage must not stop the batch
            summary.failed.append((path, f"analysis failed: {type(error).__name__}: {error}"))
            continue
        try:
            with db.transaction():
                added = store_analysis(db, analysis, absolute(path))
        except DatabaseError as error:
            summary.failed.append((path, f"database error: {error}"))
            continue
        except Exception as error:
            summary.failed.append((path, f"cannot store: {type(error).__name__}: {error}"))
            continue
        if added.status == "imported":
            summary.imported += 1
        elif added.status == "updated":
            summary.updated += 1
        else:
            summary.skipped += 1
    return summary
