"""The ficlens data model: one typed document that every pipeline stage reads and enriches.

Every ``start``/``end`` pair is a half-open character offset range into ``Analysis.text``,
the decoded input text named by ``Source.encoding`` (after the repairs listed in
``Source.repairs``), so ``text[start:end]`` is always the span.

The JSON form (``to_json``) is the public contract; ``SCHEMA`` names its version and
``json_schema()`` describes it. Fields that a later stage fills are present and empty
until that stage runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

SCHEMA = "ficlens/analysis/1"

NoteKind = Literal[
    "title",
    "byline",
    "author-note",
    "summary",
    "warning",
    "disclaimer",
    "setting",
    "rating",
    "fandom",
    "pairing",
    "characters",
    "tags",
    "beta",
    "dedication",
    "end-note",
]
NOTE_KINDS: tuple[str, ...] = NoteKind.__args__  # type: ignore[attr-defined]

QuoteStyle = Literal["double", "single", "curly-double", "curly-single", "guillemet", "dash"]

Rating = Literal["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]


@dataclass
class Span:
    """A half-open character range ``[start, end)`` into the analysed text."""

    start: int
    end: int


@dataclass
class Source:
    """Where the text came from and how its bytes became the analysed text."""

    path: str | None
    format: str  # "text" (plain text or Markdown); later readers add "ao3-html", "epub"
    encoding: str  # the codec the bytes were decoded with, e.g. "utf-8", "cp1252", "utf-16-le"
    repairs: list[str] = field(default_factory=list)  # e.g. "mojibake", "html-entities"
    size: int = 0  # bytes read
    sha256: str = ""


@dataclass
class Note:
    """Text around the story that is not the story: author's notes, summary, tags lines."""

    kind: NoteKind
    start: int
    end: int
    text: str  # exactly text[start:end]
    chapter: int | None = None  # index of the chapter the note sits in, None for front matter


@dataclass
class Declared:
    """Metadata the story states about itself (in notes or, later, in its source file)."""

    fandoms: list[str] = field(default_factory=list)
    rating: Rating | None = None  # mapped to AO3's scale
    rating_as_written: str | None = None  # "K+", "PG-13", "M", ...
    warnings: list[str] = field(default_factory=list)  # AO3 archive warnings
    relationships: list[str] = field(default_factory=list)  # AO3 notation: "A/B", "A & B"
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    setting: str | None = None
    categories: list[str] = field(default_factory=list)  # AO3: "M/M", "F/M", "Gen", ...
    language: str | None = None
    series: list[str] = field(default_factory=list)  # "Name (part 2)" as the source gives it
    collections: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    index: int
    title: str | None
    start: int
    end: int
    heading: Span | None = None  # the heading line, when the chapter has one
    paragraphs: list[Span] = field(default_factory=list)  # story paragraphs only, no notes
    scene_breaks: list[int] = field(default_factory=list)  # offsets of scene-break markers


@dataclass
class Work:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    notes: list[Note] = field(default_factory=list)
    declared: Declared = field(default_factory=Declared)
    chapters: list[Chapter] = field(default_factory=list)
    word_count: int = 0
    # What a structured source (AO3 HTML, EPUB) says of the work; None when it says nothing.
    url: str | None = None  # where the work was published
    published: str | None = None  # ISO date
    updated: str | None = None  # ISO date
    complete: bool | None = None
    chapters_planned: int | None = None  # AO3's "Chapters: 3/5" -> 5; None for "?"


@dataclass
class Quote:
    """One contiguous quotation as it stands in the text.

    ``start``/``end`` include the quotation marks; ``text`` is the content without them,
    exactly ``text[text_start:text_end]``. A quotation split by a narration beat or
    running over several paragraphs is several Quotes, each later part naming the
    first in ``continues``. A quotation inside another (she said 'never') names its
    parent in ``nested_in``.
    """

    id: int
    start: int
    end: int
    text: str
    text_start: int
    text_end: int
    speech: bool  # False for titles, scare quotes, mentioned words
    paragraph: int  # index into the flattened list of all chapters' paragraphs
    style: QuoteStyle
    continues: int | None = None
    nested_in: int | None = None  # id of the quotation this one is quoted inside
    speaker: str | None = None  # character id, filled by the speakers stage
    addressees: list[str] = field(default_factory=list)
    confidence: float | None = None  # of the speaker attribution


@dataclass
class Evidence:
    start: int
    end: int
    text: str


@dataclass
class Character:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None
    role: Literal["main", "secondary", "mentioned"] | None = None
    mentions: int = 0
    quotes: int = 0
    words_spoken: int = 0
    canonical: str | None = None
    # A speaker the text describes but never names ("said a tinker"): ``name`` is the
    # description.
    described: bool = False


@dataclass
class Relationship:
    characters: list[str]
    kind: Literal["romantic", "platonic", "family", "antagonistic"]
    notation: str
    on_page: bool = True
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Fandom:
    name: str
    source: Literal["declared", "inferred"]
    confidence: float = 1.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Tag:
    name: str
    type: Literal["rating", "warning", "category", "freeform"]
    source: Literal["declared", "inferred"]
    confidence: float = 1.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Arc:
    series: list[float] = field(default_factory=list)
    shape: str | None = None
    ending: str | None = None


@dataclass
class Analysis:
    """Everything ficlens knows about one story. Stages fill it in place."""

    source: Source
    text_length: int
    schema: str = SCHEMA
    ficlens_version: str = ""
    work: Work = field(default_factory=Work)
    quotes: list[Quote] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    fandoms: list[Fandom] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    arc: Arc = field(default_factory=Arc)
    main_pairing: str | None = None  # the romantic relationship that leads, in AO3 notation
    # The text the offsets refer to. Always set while stages run; serialised only on request.
    text: str | None = None

    def paragraphs(self) -> list[Span]:
        """All story paragraphs in reading order (``Quote.paragraph`` indexes this list)."""
        return [p for chapter in self.work.chapters for p in chapter.paragraphs]


def to_builtins(analysis: Analysis, *, include_text: bool = False) -> dict[str, Any]:
    """The analysis as JSON-ready builtins; the text itself only when asked for."""
    if not include_text:
        analysis = dataclasses.replace(analysis, text=None)
    return msgspec.to_builtins(analysis)


def to_json(analysis: Analysis, *, include_text: bool = False, indent: int = 2) -> str:
    raw = msgspec.json.encode(to_builtins(analysis, include_text=include_text))
    return msgspec.json.format(raw, indent=indent).decode() if indent else raw.decode()


def from_json(data: str | bytes) -> Analysis:
    """Load an analysis written by ``to_json`` (validates types on the way in)."""
    return msgspec.json.decode(data, type=Analysis)


def json_schema() -> dict[str, Any]:
    schema = msgspec.json.schema(Analysis)
    schema["$id"] = SCHEMA
    schema["title"] = "ficlens analysis"
    return schema
