"""Assemble a story's layout: front matter, chapters, notes between them, end matter.

The text is cut into paragraphs, each paragraph is recognised as a heading, a scene break,
a note or story, and the story paragraphs are grouped under their chapter headings. Notes
are only taken where authors put them (before the story, around chapter headings, after
the story) and only with evidence, so that a note never swallows story text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ficlens.layout import declared as declare
from ficlens.layout.markers import Heading, is_scene_break, parse_heading
from ficlens.layout.notes import (
    NoteGuess,
    author_voice_score,
    byline,
    is_bare_by,
    labelled_note,
    looks_like_title,
    unlabelled_note,
)
from ficlens.layout.paragraphs import split_paragraphs
from ficlens.model import Chapter, Declared, Note, NoteKind, Span, Work

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Explicit author's-note labels: a note even in the middle of a chapter.
_MID_STORY_NOTE = re.compile(
    r"^[\s(\[*_~]*(?:A/N|A\.N\.|AN:|Author'?’?s? Notes?\s*:)", re.IGNORECASE
)


@dataclass
class _Para:
    span: Span
    text: str
    heading: Heading | None = None
    scene_break: bool = False


@dataclass
class _Builder:
    text: str
    notes: list[Note] = field(default_factory=list)
    declared: Declared = field(default_factory=Declared)
    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def add_note(
        self,
        kind: NoteKind,
        paras: list[_Para],
        chapter: int | None,
        guess: NoteGuess | None = None,
    ) -> None:
        start, end = paras[0].span.start, paras[-1].span.end
        self.notes.append(Note(kind, start, end, self.text[start:end], chapter))
        value = guess.value if guess and guess.value else ""
        if len(paras) > 1 or not value:
            # The label stood alone or the note runs on: its value is all of its text.
            value = (
                "\n\n".join(p.text for p in paras[1:])
                if guess and guess.label_only
                else ("\n\n".join([value or paras[0].text, *(p.text for p in paras[1:])]))
            )
        self._declare(kind, value.strip(), guess)

    def _declare(self, kind: NoteKind, value: str, guess: NoteGuess | None) -> None:
        if kind == "title" and value:
            self.titles.append(value)
        elif kind == "byline" and value:
            self.authors.extend(declare.split_list(value))
        elif kind == "summary" and value:
            self.summaries.append(value)
        elif kind in ("author-note", "end-note", "disclaimer", "dedication"):
            for fandom in declare.fandoms_in_voice(value):
                declare.add_fandom(self.declared, fandom)
        elif kind == "setting" and value:
            self.declared.setting = value
        if kind in ("rating", "warning", "fandom", "pairing", "characters", "tags"):
            declare.apply_note(self.declared, kind, value)


def build_work(text: str) -> Work:
    """The layout of one story: notes, declared metadata, chapters and paragraphs."""
    paras = [_classify(text, span) for span in split_paragraphs(text)]
    _roman_one_headings(paras)
    builder = _Builder(text)
    first_heading = next((i for i, p in enumerate(paras) if p.heading), len(paras))

    chapters: list[Chapter] = []
    body_start = _front_matter(builder, paras[:first_heading])
    if body_start < first_heading:
        chapters.append(_chapter(builder, len(chapters), None, paras[body_start:first_heading]))
    heading_positions = [i for i, p in enumerate(paras) if p.heading]
    for n, position in enumerate(heading_positions):
        until = heading_positions[n + 1] if n + 1 < len(heading_positions) else len(paras)
        chapters.append(
            _chapter(builder, len(chapters), paras[position], paras[position + 1 : until])
        )
    _mark_last_notes_as_end_notes(builder, chapters)

    work = Work(
        title=builder.titles[0] if builder.titles else None,
        authors=_unique(builder.authors),
        summary="\n\n".join(builder.summaries) or None,
        notes=sorted(builder.notes, key=lambda note: note.start),
        declared=builder.declared,
        chapters=chapters,
    )
    work.word_count = sum(
        len(_WORD.findall(text, p.start, p.end)) for c in chapters for p in c.paragraphs
    )
    return work


def _classify(text: str, span: Span) -> _Para:
    chunk = text[span.start : span.end]
    para = _Para(span, chunk)
    if len(chunk) <= 90:
        if is_scene_break(chunk):
            para.scene_break = True
        else:
            para.heading = parse_heading(chunk)
    return para


def _roman_one_headings(paras: list[_Para]) -> None:
    """A lone "I" is the pronoun, unless "II" follows as a heading: then it is part one."""
    if not any(p.heading and p.heading.title in ("II", "II.") for p in paras):
        return
    for para in paras:
        if para.text.strip() in ("I", "I.") and para.heading is None:
            para.heading = Heading(para.text.strip(), "number")
            break


def _front_matter(builder: _Builder, paras: list[_Para]) -> int:
    """Record the notes before the story; return the index where the story begins."""
    i = 0
    while i < len(paras):
        para = paras[i]
        if para.scene_break:
            i += 1
            continue
        if (
            i == 0
            and labelled_note(para.text) is None
            and looks_like_title(para.text)
            and _followed_by_matter(paras, 1)
        ):
            builder.add_note("title", [para], None, NoteGuess("title", None, para.text))
            i += 1
            continue
        if name := byline(para.text):
            builder.add_note("byline", [para], None, NoteGuess("byline", "by", name))
            i += 1
            continue
        if is_bare_by(para.text) and i + 1 < len(paras) and len(paras[i + 1].text) < 60:
            builder.add_note(
                "byline", paras[i : i + 2], None, NoteGuess("byline", "by", "", label_only=True)
            )
            i += 2
            continue
        taken = _take_note(builder, paras, i, chapter=None, front=True)
        if not taken:
            return i
        i += taken
    return i


def _followed_by_matter(paras: list[_Para], i: int) -> bool:
    """Is paragraph i header material (a byline, a label, a heading) rather than story?"""
    if i >= len(paras):
        return False
    para = paras[i]
    return bool(
        para.heading
        or para.scene_break
        or byline(para.text)
        or is_bare_by(para.text)
        or labelled_note(para.text)
        or unlabelled_note(para.text, front=True)
    )


def _take_note(
    builder: _Builder,
    paras: list[_Para],
    i: int,
    *,
    chapter: int | None,
    front: bool,
    kind_override: NoteKind | None = None,
) -> int:
    """Record the note that starts at paragraph i; return how many paragraphs it covers."""
    para = paras[i]
    guess = labelled_note(para.text) or unlabelled_note(para.text, front=front)
    if guess is None:
        return 0
    covered = [para]
    j = i + 1
    if guess.label_only and j < len(paras) and not (paras[j].heading or paras[j].scene_break):
        covered.append(paras[j])  # "Author's Note:" on its own line: the body follows
        j += 1
    if para.text.lstrip().startswith("(") and not _closes_parenthesis(covered):
        # "(A/N ..." runs on until its closing parenthesis, within a few paragraphs.
        k = j
        while k < len(paras) and k < j + 4 and not paras[k].heading:
            if _closes_parenthesis([*covered, *paras[j : k + 1]]):
                covered.extend(paras[j : k + 1])
                j = k + 1
                break
            k += 1
    if guess.kind in ("author-note",):
        # An author's note runs on over paragraphs that keep talking about the fic.
        while (
            j < len(paras)
            and not (paras[j].heading or paras[j].scene_break)
            and (labelled_note(paras[j].text) is None and author_voice_score(paras[j].text) >= 3)
        ):
            covered.append(paras[j])
            j += 1
    builder.add_note(kind_override or guess.kind, covered, chapter, guess)
    return j - i


def _closes_parenthesis(paras: list[_Para]) -> bool:
    joined = "".join(p.text for p in paras)
    return joined.count(")") >= joined.count("(")


def _chapter(builder: _Builder, index: int, heading: _Para | None, paras: list[_Para]) -> Chapter:
    title = heading.heading.title if heading and heading.heading else None
    i = 0
    # Leading notes and a chapter title on its own line ("Chapter 1" / "The Beginning").
    while i < len(paras):
        para = paras[i]
        if para.scene_break:
            i += 1
            continue
        if (
            heading
            and heading.heading
            and heading.heading.label != "markdown"
            and title == heading.heading.title
            and i == 0
            and _bare_number_title(title)
            and looks_like_title(para.text)
            and len(para.text.split()) <= 8
            and len(paras) > 1
        ):
            title = f"{title}: {para.text.strip()}"
            i += 1
            continue
        taken = _take_note(builder, paras, i, chapter=index, front=index == 0 and heading is None)
        if not taken:
            break
        i += taken
    body_start = i
    body_end = _trailing_notes_start(paras, body_start)
    chapter = Chapter(
        index=index, title=title, start=0, end=0, heading=heading.span if heading else None
    )
    i = body_start
    while i < body_end:
        para = paras[i]
        if para.scene_break:
            if chapter.paragraphs:
                chapter.scene_breaks.append(para.span.start)
            i += 1
        elif _MID_STORY_NOTE.match(para.text):
            i += _take_note(builder, paras, i, chapter=index, front=False) or 1
        else:
            chapter.paragraphs.append(para.span)
            i += 1
    if chapter.scene_breaks and chapter.paragraphs:
        last = chapter.paragraphs[-1].end
        chapter.scene_breaks = [b for b in chapter.scene_breaks if b < last]
    i = max(i, body_end)  # a note in the body may have run on past where the tail began
    while i < len(paras):
        if paras[i].scene_break:
            i += 1
            continue
        taken = _take_note(builder, paras, i, chapter=index, front=False)
        i += taken or 1
    spans = chapter.paragraphs
    chapter.start = heading.span.start if heading else (spans[0].start if spans else 0)
    chapter.end = spans[-1].end if spans else (heading.span.end if heading else 0)
    return chapter


def _bare_number_title(title: str | None) -> bool:
    """ "Chapter 3" or "IV" with nothing after the number."""
    return bool(title) and len(title.split()) <= 2


def _trailing_notes_start(paras: list[_Para], start: int) -> int:
    """Index from which the rest of the chapter is notes (and breaks) only."""
    note_from: int | None = None
    continues = False
    for i in range(start, len(paras)):
        para = paras[i]
        if para.scene_break:
            continue
        guess = labelled_note(para.text) or unlabelled_note(para.text, front=False)
        if guess is not None:
            if note_from is None:
                note_from = i
            continues = guess.label_only or guess.kind == "author-note"
        elif continues and note_from is not None and author_voice_score(para.text) >= 1:
            continues = True
        else:
            note_from = None
            continues = False
    return len(paras) if note_from is None else note_from


def _mark_last_notes_as_end_notes(builder: _Builder, chapters: list[Chapter]) -> None:
    """Author's notes after a chapter's story are its end notes (AO3's "End Notes")."""
    for note in builder.notes:
        if note.kind != "author-note" or note.chapter is None:
            continue
        chapter = chapters[note.chapter]
        if chapter.paragraphs and note.start >= chapter.paragraphs[-1].end:
            note.kind = "end-note"


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
