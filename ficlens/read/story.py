"""A story taken out of structured markup, and its rendering as the text ficlens analyses.

The HTML and EPUB readers know exactly what is a summary, a note, a chapter heading and
the story itself; the analysis works on plain text and finds that structure again with
the layout parser. So the rendering writes each part in the shape the layout parser
reads unambiguously: labelled notes ("Summary: ...", "Chapter Notes: ...", end notes as
"Notes: ..." after the chapter's text), "Chapter N: Title" headings, one paragraph per
line with a blank line between. A note's paragraphs are joined on one line, because the
layout takes a labelled note to be one paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Headings the layout parser recognises as they are; any other chapter title gets a
# "Chapter N: " in front.
_NUMBERED_HEADING = re.compile(
    r"^(?:chapter|chap\.?|ch\.?|part|book|volume|act|section|prologue|epilogue|interlude|"
    r"coda|afterword|foreword)\b|^\d{1,3}[.:)]?(?:\s|$)|^[IVXLC]{1,6}[.:)]?(?:\s|$)",
    re.IGNORECASE,
)
# The layout parser reads a heading's title as a sentence (and so not a heading) when it
# is long or ends like one, and a line over 90 characters as no heading at all; such
# titles are shortened in the heading line only.
_MAX_TITLE_WORDS = 12
_MAX_HEADING_CHARS = 80


@dataclass
class StoryChapter:
    heading: str | None = None  # as the source gives it: "Chapter 2: Snow", "Prologue"
    summary: list[str] = field(default_factory=list)  # paragraphs
    notes: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)


@dataclass
class Story:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chapters: list[StoryChapter] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)

    def has_text(self) -> bool:
        return any(chapter.paragraphs for chapter in self.chapters)


def render_story(story: Story) -> str:
    """The story as plain text in the shape ``ficlens.layout`` reads (see the docstring)."""
    blocks: list[str] = []
    if story.title:
        blocks.append(f"Title: {story.title}")
    if story.authors:
        label = "Author" if len(story.authors) == 1 else "Authors"
        blocks.append(f"{label}: {', '.join(story.authors)}")
    _note(blocks, "Summary", story.summary)
    _note(blocks, "Notes", story.notes)
    numbered = len(story.chapters) > 1 or any(c.heading for c in story.chapters)
    for number, chapter in enumerate(story.chapters, start=1):
        if numbered:
            blocks.append(chapter_heading(number, chapter.heading))
        _note(blocks, "Chapter Summary", chapter.summary)
        _note(blocks, "Chapter Notes", chapter.notes)
        blocks.extend(chapter.paragraphs)
        _note(blocks, "Notes", chapter.end_notes)
    _note(blocks, "Notes", story.end_notes)
    return "\n\n".join(blocks) + "\n"


def chapter_heading(number: int, title: str | None) -> str:
    """A heading line the layout parser takes for one: "Chapter 3: The Long Night"."""
    title = " ".join((title or "").split())
    if not title:
        return f"Chapter {number}"
    if not _NUMBERED_HEADING.match(title):
        title = f"Chapter {number}: {title}"
    words = title.split()
    if len(words) > _MAX_TITLE_WORDS or len(title) > _MAX_HEADING_CHARS:
        while len(words) > 1 and (
            len(words) > _MAX_TITLE_WORDS or len(" ".join(words)) >= _MAX_HEADING_CHARS
        ):
            words.pop()
        title = " ".join(words) + "…"
    return title.rstrip(".,;") or f"Chapter {number}"


def _note(blocks: list[str], label: str, paragraphs: list[str]) -> None:
    text = " ".join(p for p in paragraphs if p)
    if text:
        blocks.append(f"{label}: {text}")
