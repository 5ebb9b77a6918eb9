"""What every reader shares: the size limit, the ``Loaded`` result and its ``Source``.

Kept apart from ``ficlens.read`` (the registry) so that the readers can import it
without importing the registry that imports them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from ficlens.model import Source, Work

MAX_BYTES: int = 50 * 1024 * 1024


@dataclass
class Loaded:
    """A story's text (every offset ficlens reports refers to it) and where it came from.

    ``work`` is what a structured source (AO3 HTML, EPUB) declares about the work: title,
    authors, summary, tags, dates. None for plain text, which declares nothing apart
    from what the layout reads in its notes.
    """

    text: str
    source: Source
    work: Work | None = None


# A reader turns the bytes of one format into a Loaded. It may raise InputError, or
# DecodeError, which load_bytes reports as the reason.
Reader = Callable[[bytes, str | None], Loaded]


def make_source(
    data: bytes, path: str | None, format: str, encoding: str, repairs: list[str]
) -> Source:
    """The Source for ``data`` as read by a reader: adds its size and SHA-256."""
    return Source(
        path=path,
        format=format,
        encoding=encoding,
        repairs=list(repairs),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
