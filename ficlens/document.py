"""The working state of one text in the pipeline.

``Analysis`` is the result, the public JSON contract. ``Document`` is what stages pass
along while they work: the text, the analysis they are filling in, and intermediate
readings (tokens, name mentions) that later stages need but nobody outside does.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from ficlens.model import Analysis


@dataclass
class Tokens:
    """spaCy's reading of the story paragraphs, flattened to one entry per token.

    Offsets are into the document text. ``entities`` are (start, end, label) character
    spans of named entities.
    """

    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)  # Penn Treebank tags: NNP, PRP, VBD...
    sent_start: list[bool] = field(default_factory=list)
    paragraph: list[int] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.start)

    def index_at(self, offset: int) -> int:
        """Index of the first token that ends after ``offset``."""
        return bisect.bisect_right(self.end, offset)


@dataclass
class Mention:
    """A place where the text names or refers to a character."""

    start: int
    end: int
    text: str
    kind: str  # "name", "title" (the Professor), "pronoun", "vocative"
    paragraph: int
    in_quote: bool = False
    character: str | None = None  # character id once resolved


@dataclass
class Document:
    text: str
    analysis: Analysis
    tokens: Tokens | None = None
    mentions: list[Mention] = field(default_factory=list)  # sorted by start
    narrator: str | None = None  # the first-person narrator's character id, if any
    _starts: tuple[int, list[int]] | None = field(default=None, repr=False, compare=False)

    def _mention_starts(self) -> list[int]:
        if self._starts is None or self._starts[0] != id(self.mentions):
            self._starts = (id(self.mentions), [m.start for m in self.mentions])
        return self._starts[1]

    def mentions_before(self, offset: int) -> Iterator[Mention]:
        """Mentions that start before ``offset``, the nearest first."""
        k = bisect.bisect_left(self._mention_starts(), offset)
        for i in range(k - 1, -1, -1):
            yield self.mentions[i]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions that start in ``[start, end)``, in reading order."""
        starts = self._mention_starts()
        return self.mentions[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
