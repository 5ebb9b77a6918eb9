"""The reader: a stored work chapter by chapter, every quotation tied to its speaker.

Everything is cut out of the stored text by the stored offsets; nothing is re-analysed.
A speaker is shown by a colour and, never colour alone, by the name in the margin and
on hover. ``?hl=START-END`` highlights a passage (the evidence of a tag) and opens the
chapter it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from ficlens.model import Analysis, Character, Quote, Span
from ficlens.web.state import stored_work
from ficlens.web.templating import render

PALETTE_SIZE = 10  # colours in static/style.css (.sp0 ... .sp9)


@dataclass
class Piece:
    """A run of text with one look: inside one quotation or none, highlighted or not."""

    text: str
    quote: Quote | None = None
    speaker: str | None = None  # the speaker's name, for the hover title
    colour: int | None = None
    starts_quote: bool = False
    highlighted: bool = False
    anchor: bool = False  # the first highlighted piece: the target of #hl


@dataclass
class Block:
    kind: Literal["paragraph", "scene-break", "note"]
    pieces: list[Piece] = field(default_factory=list)
    speakers: list[tuple[str, int]] = field(default_factory=list)  # (name, colour) for the margin
    label: str | None = None  # the note's kind


@dataclass
class ChapterView:
    index: int
    title: str
    before: list[Block]  # notes before the story text
    body: list[Block]
    after: list[Block]  # notes after it


def speaker_colours(analysis: Analysis) -> dict[str, int]:
    """A colour index per character, in the order the analysis lists them."""
    return {c.id: i % PALETTE_SIZE for i, c in enumerate(analysis.characters)}


def chapter_title(analysis: Analysis, index: int) -> str:
    chapter = analysis.work.chapters[index]
    if chapter.title:
        return chapter.title
    if chapter.heading and analysis.text:
        return analysis.text[chapter.heading.start : chapter.heading.end].strip()
    return f"Chapter {index + 1}" if len(analysis.work.chapters) > 1 else "The story"


def parse_span(value: str | None) -> Span | None:
    """``"120-180"`` -> Span(120, 180); anything else -> None."""
    if not value:
        return None
    start, _, end = value.partition("-")
    if not (start.isdigit() and end.isdigit()) or int(start) >= int(end):
        return None
    return Span(int(start), int(end))


def chapter_of(analysis: Analysis, offset: int) -> int:
    """The chapter an offset falls in (front matter counts as the first, end notes the last)."""
    chapters = analysis.work.chapters
    for chapter in chapters:
        if offset < chapter.end:
            return chapter.index
    return max(len(chapters) - 1, 0)


def pieces_of(
    text: str,
    start: int,
    end: int,
    quotes: list[Quote],
    names: dict[str, str],
    colours: dict[str, int],
    highlight: Span | None,
) -> list[Piece]:
    """Cut ``text[start:end]`` where quotations and the highlight begin and end."""
    cuts = {start, end}
    for quote in quotes:
        cuts.update((max(quote.start, start), min(quote.end, end)))
    if highlight and highlight.start < end and highlight.end > start:
        cuts.update((max(highlight.start, start), min(highlight.end, end)))
    points = sorted(cuts)
    pieces: list[Piece] = []
    for left, right in pairwise(points):
        quote = next((q for q in quotes if q.start <= left < q.end), None)
        speaker = quote.speaker if quote and quote.speech else None
        pieces.append(
            Piece(
                text=text[left:right],
                quote=quote,
                speaker=names.get(speaker) if speaker else None,
                colour=colours.get(speaker) if speaker else None,
                starts_quote=quote is not None and quote.start == left,
                highlighted=highlight is not None and highlight.start <= left < highlight.end,
            )
        )
    return pieces


def build_chapter(analysis: Analysis, index: int, highlight: Span | None = None) -> ChapterView:
    """The blocks of one chapter: its notes apart, paragraphs and scene breaks in order."""
    text = analysis.text or ""
    chapters = analysis.work.chapters
    chapter = chapters[index]
    characters: dict[str, Character] = {c.id: c for c in analysis.characters}
    names = {cid: c.name for cid, c in characters.items()}
    colours = speaker_colours(analysis)
    first_paragraph = sum(len(c.paragraphs) for c in chapters[:index])
    # Only outermost quotations are marked: a quote inside a quote has its parent's speaker.
    by_paragraph: dict[int, list[Quote]] = {}
    for quote in analysis.quotes:
        if quote.nested_in is None:
            by_paragraph.setdefault(quote.paragraph, []).append(quote)

    before: list[Block] = []
    after: list[Block] = []
    for note in analysis.work.notes:
        belongs = note.chapter == index or (note.chapter is None and index == 0)
        if not belongs:
            continue
        block = Block(
            "note",
            pieces_of(text, note.start, note.end, [], names, colours, highlight),
            label=note.kind.replace("-", " "),
        )
        (before if note.start < chapter.start else after).append(block)

    items: list[tuple[int, Block]] = []
    for number, paragraph in enumerate(chapter.paragraphs, start=first_paragraph):
        quotes = sorted(by_paragraph.get(number, []), key=lambda q: q.start)
        block = Block(
            "paragraph",
            pieces_of(text, paragraph.start, paragraph.end, quotes, names, colours, highlight),
        )
        for quote in quotes:
            if quote.speech and quote.speaker in names:
                entry = (names[quote.speaker], colours[quote.speaker])
                if entry not in block.speakers:
                    block.speakers.append(entry)
        items.append((paragraph.start, block))
    for offset in chapter.scene_breaks:
        line_end = text.find("\n", offset)
        marker = text[offset : line_end if line_end >= 0 else len(text)].strip()
        items.append((offset, Block("scene-break", [Piece(marker or "* * *")])))
    items.sort(key=lambda item: item[0])

    view = ChapterView(index, chapter_title(analysis, index), before, [b for _, b in items], after)
    _mark_anchor([*view.before, *view.body, *view.after])
    return view


def block_html(block: Block) -> Markup:
    """The HTML of a block's pieces, every piece of text escaped.

    Written out here rather than in a template macro: a long chapter has thousands of
    pieces, and this is the reader page's hot loop.
    """
    parts: list[str] = []
    for piece in block.pieces:
        text = escape(piece.text)
        if piece.quote is not None and piece.quote.speech:
            look = "unknown" if piece.colour is None else f"sp{piece.colour}"
            speaker = escape(piece.speaker or "")
            title = speaker or "speaker unknown"
            html = f'<span class="q {look}" data-speaker="{speaker}" title="{title}">{text}</span>'
        elif piece.quote is not None:
            html = f'<span class="q-other">{text}</span>'
        else:
            html = f'<span class="narr">{text}</span>'
        if piece.highlighted:
            anchor = ' id="hl" tabindex="-1"' if piece.anchor else ""
            html = f'<mark class="evidence"{anchor}>{html}</mark>'
        parts.append(html)
    return Markup("".join(parts))


def _mark_anchor(blocks: list[Block]) -> None:
    for block in blocks:
        for piece in block.pieces:
            if piece.highlighted:
                piece.anchor = True
                return


async def reader_page(request: Request) -> Response:
    stored = await stored_work(request)
    analysis: Analysis = stored.analysis
    context = {
        "stored": stored,
        "analysis": analysis,
        "chapter": None,
        "chapters": [],
        "colours": speaker_colours(analysis),
        "dim": request.query_params.get("dim") == "1",
        "block_html": block_html,
    }
    if not analysis.work.chapters or not analysis.text:
        return render(request, "reader.html", context)
    highlight = parse_span(request.query_params.get("hl"))
    requested = request.query_params.get("chapter", "")
    if requested.isdigit() and int(requested) < len(analysis.work.chapters):
        index = int(requested)
    elif highlight is not None:
        index = chapter_of(analysis, highlight.start)
    else:
        index = 0
    context["chapter"] = build_chapter(analysis, index, highlight)
    context["chapters"] = [
        (c.index, chapter_title(analysis, c.index)) for c in analysis.work.chapters
    ]
    return render(request, "reader.html", context)
