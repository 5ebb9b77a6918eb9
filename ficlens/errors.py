"""Errors that ficlens reports to its user as one line, without a traceback."""

from __future__ import annotations


class FicError(Exception):
    """An expected failure. ``str(error)`` is a complete one-line message."""


class InputError(FicError):
    """A file that cannot be read as a story: names the file and the reason."""

    def __init__(self, path: str | None, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path or '<stdin>'}: {reason}")
