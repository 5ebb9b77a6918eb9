"""Reading input: a path, stdin or bytes in; the story's text and its ``Source`` out.

``load_bytes`` sniffs the format from the content, then hands the bytes to the reader
registered for it in ``READERS``: plain text and Markdown (``decode``), HTML and AO3's
HTML downloads (``html``), EPUBs from AO3, FanFicFare and elsewhere (``epub``). Structured
sources also return the metadata they declare as ``Loaded.work``. Every failure is an
``InputError`` with a one-line reason, never a traceback.
"""

from __future__ import annotations

import os
import stat
import sys

from ficlens.errors import InputError
from ficlens.read.base import MAX_BYTES, Loaded, Reader, make_source
from ficlens.read.decode import DecodeError, decode_bytes
from ficlens.read.epub import read_epub
from ficlens.read.html import read_html
from ficlens.read.sniff import BINARY_FORMATS, DOCUMENT_FORMATS, Sniffed, sniff

__all__ = ["MAX_BYTES", "READERS", "Loaded", "load_bytes", "load_path", "make_source"]


def _read_text(data: bytes, path: str | None) -> Loaded:
    decoded = decode_bytes(data)
    return Loaded(decoded.text, make_source(data, path, "text", decoded.encoding, decoded.repairs))


# Keyed by the sniffed format; a reader names the exact format in Source.format
# ("html" sniffed may be read as "ao3-html").
READERS: dict[str, Reader] = {"text": _read_text, "html": read_html, "epub": read_epub}


def load_bytes(data: bytes, *, path: str | None = None, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read a story from ``data``; ``path`` is only used in the Source and in errors."""
    if len(data) > max_bytes:
        raise InputError(path, _too_big(len(data), max_bytes))
    if not data:
        raise InputError(path, "empty file")
    sniffed = sniff(data)
    reader = READERS.get(sniffed.format)
    if reader is None:
        raise InputError(path, _refusal(sniffed))
    try:
        loaded = reader(data, path)
    except DecodeError as error:
        raise InputError(path, str(error)) from error
    if not loaded.text or loaded.text.isspace():
        raise InputError(path, "empty file (only whitespace)" if loaded.text else "empty file")
    return loaded


def load_path(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read a story from a file; the path "-" reads the bytes of standard input."""
    if isinstance(path, str) and path == "-":
        return load_bytes(_read_stdin(max_bytes), path=None, max_bytes=max_bytes)
    name = os.fsdecode(path)
    return load_bytes(_read_file(name, max_bytes), path=name, max_bytes=max_bytes)


def _read_file(name: str, max_bytes: int) -> bytes:
    try:
        with open(name, "rb") as file:
            info = os.fstat(file.fileno())
            # Refuse a large regular file before reading it; for pipes and devices the
            # bounded read below is the only guard.
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise InputError(name, _too_big(info.st_size, max_bytes))
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except NotADirectoryError:
        raise InputError(name, "no such file (a parent is not a directory)") from None
    except PermissionError:
        # Windows reports opening a directory as a permission error.
        reason = "is a directory" if os.path.isdir(name) else "permission denied"
        raise InputError(name, reason) from None
    except OSError as error:
        raise InputError(name, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(name, f"file is over the {_size(max_bytes, limit=True)} limit")
    return data


def _read_stdin(max_bytes: int) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise InputError(None, "no standard input")
    try:
        buffer = getattr(stream, "buffer", None)
        # A text-only stdin (replaced by a StringIO) still yields its text as UTF-8.
        data = buffer.read(max_bytes + 1) if buffer is not None else stream.read().encode()
    except OSError as error:
        raise InputError(None, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(None, f"input is over the {_size(max_bytes, limit=True)} limit")
    return data


def _refusal(sniffed: Sniffed) -> str:
    if sniffed.format in BINARY_FORMATS:
        return f"binary file ({sniffed.detail})"
    if sniffed.format in DOCUMENT_FORMATS:
        return f"not a text file: {sniffed.detail}"
    return f"{sniffed.format} input is not supported ({sniffed.detail})"


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {_size(size)}, over the {_size(max_bytes, limit=True)} limit"


def _size(n: int, *, limit: bool = False) -> str:
    """'80.0 MB' for a size; a limit drops a trailing '.0' ('50 MB')."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            text = f"{n / scale:.1f}"
            return f"{text.removesuffix('.0') if limit else text} {unit}"
    return f"{n} bytes"
