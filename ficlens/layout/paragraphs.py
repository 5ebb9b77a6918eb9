"""Split a text into paragraphs with exact offsets.

Fan fiction arrives in two shapes. Most of it is one paragraph per line (with or without
blank lines between, as pasted from FFN or AO3). Older fics, Project Gutenberg texts and
e-mail-era archives are hard-wrapped: a paragraph is several lines of similar width,
separated from the next by a blank line or an indented first line. We decide the shape
once per text from its line widths, then split. Line endings stay as they are (``\\n``,
``\\r\\n`` or a lone ``\\r``); offsets always point into the text as given.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ficlens.model import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line that begins a labelled header entry ("Rating: T", "A/N: ..."); these are one
# per line even in a hard-wrapped text.
_LABEL_LINE = re.compile(r"^\s*[(\[]?\s*[A-Z][A-Za-z'’/. ]{0,24}:\s")


@dataclass(frozen=True)
class Line:
    start: int  # first character of the line
    end: int  # one past the last character before the line break
    indent: int  # leading whitespace characters
    length: int  # visible length (without leading/trailing whitespace)

    @property
    def blank(self) -> bool:
        return self.length == 0


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(_line(text, pos, match.start()))
        pos = match.end()
    if pos < len(text) or not lines:
        lines.append(_line(text, pos, len(text)))
    return lines


def _line(text: str, start: int, end: int) -> Line:
    raw = text[start:end]
    stripped = raw.lstrip()
    indent = len(raw) - len(stripped)
    return Line(start, end, indent, len(stripped.rstrip()))


def is_hard_wrapped(lines: list[Line]) -> bool:
    """True when most lines inside multi-line blocks are wrapped at a common width."""
    inner: list[int] = []  # widths of lines that are followed by another non-blank line
    for current, following in itertools.pairwise(lines):
        if not current.blank and not following.blank:
            inner.append(current.indent + current.length)
    if len(inner) < 3:
        return False
    widths = sorted(inner)
    width = widths[int(len(widths) * 0.9)]
    if width > 110 or width < 30:
        return False
    near_margin = sum(1 for w in inner if w >= width * 0.7)
    return near_margin >= 0.7 * len(inner)


def split_paragraphs(text: str, lines: list[Line] | None = None) -> list[Span]:
    """Paragraph spans, each from its first to its last non-space character."""
    lines = split_lines(text) if lines is None else lines
    wrapped = is_hard_wrapped(lines)
    margin = _wrap_width(lines) if wrapped else 0
    spans: list[Span] = []
    first: Line | None = None
    last: Line | None = None
    for line in lines:
        if line.blank:
            if first is not None and last is not None:
                spans.append(_span(first, last))
            first = last = None
            continue
        if (
            first is not None
            and last is not None
            and (not wrapped or _starts_new_paragraph(text, last, line, margin))
        ):
            spans.append(_span(first, last))
            first = None
        if first is None:
            first = line
        last = line
    if first is not None and last is not None:
        spans.append(_span(first, last))
    return spans


def _span(first: Line, last: Line) -> Span:
    return Span(first.start + first.indent, last.start + last.indent + last.length)


def _wrap_width(lines: list[Line]) -> int:
    widths = sorted(line.indent + line.length for line in lines if not line.blank)
    return widths[int(len(widths) * 0.9)] if widths else 0


def _starts_new_paragraph(text: str, previous: Line, line: Line, margin: int) -> bool:
    """Inside a block of a hard-wrapped text: does ``line`` begin a new paragraph?"""
    if line.indent > previous.indent:
        return True  # first-line indent
    line_text = text[line.start + line.indent : line.start + line.indent + line.length]
    if _LABEL_LINE.match(line_text):
        return True  # header entries ("Rating: T") each begin a paragraph
    # Inside a wrapped paragraph only its last line falls well short of the margin, so a
    # short line means the paragraph (or a heading, or a verse line) ended there.
    return previous.indent + previous.length < margin * 0.6
