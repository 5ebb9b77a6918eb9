"""One analysed work as rows of the corpus tables (plain Python, no Arrow: workers run it).

Every row carries ``work_id``, the corpus's id of the work, so the tables join on it. The
columns and their meaning are documented with the schemas in ``ficlens.corpus.tables``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from ficlens.model import Analysis

Row = dict[str, Any]
Rows = dict[str, list[Row]]  # table name -> its rows for one work

# The tables an analysed work has rows in (``failures`` holds the works that have none).
ANALYSIS_TABLES = ("works", "characters", "quotes", "relationships", "tags")


def analysis_rows(work_id: str, analysis: Analysis, seconds: float = 0.0) -> Rows:
    """The rows ``analysis`` of the work ``work_id`` adds to each corpus table."""
    names = {character.id: character.name for character in analysis.characters}
    work = analysis.work
    declared = work.declared
    speech = [quote for quote in analysis.quotes if quote.speech]
    rating_tags = [tag.name for tag in analysis.tags if tag.type == "rating"]
    works_row: Row = {
        "work_id": work_id,
        "path": analysis.source.path,
        "format": analysis.source.format,
        "encoding": analysis.source.encoding,
        "repairs": list(analysis.source.repairs),
        "size_bytes": analysis.source.size,
        "sha256": analysis.source.sha256 or None,
        "text_length": analysis.text_length,
        "title": work.title,
        "authors": list(work.authors),
        "summary": work.summary,
        "word_count": work.word_count,
        "chapters": len(work.chapters),
        "paragraphs": sum(len(chapter.paragraphs) for chapter in work.chapters),
        "notes": len(work.notes),
        "quotes": len(analysis.quotes),
        "speech_quotes": len(speech),
        "dialogue_words": sum(_words(quote.text) for quote in speech),
        "attributed_quotes": sum(1 for quote in speech if quote.speaker is not None),
        "characters": len(analysis.characters),
        "fandoms": [fandom.name for fandom in analysis.fandoms],
        "rating": rating_tags[0] if rating_tags else declared.rating,
        "warnings": [tag.name for tag in analysis.tags if tag.type == "warning"],
        "categories": [tag.name for tag in analysis.tags if tag.type == "category"],
        "main_pairing": getattr(analysis, "main_pairing", None),
        "declared_fandoms": list(declared.fandoms),
        "declared_rating": declared.rating,
        "declared_relationships": list(declared.relationships),
        "declared_characters": list(declared.characters),
        "declared_tags": list(declared.tags),
        "language": declared.language,
        "url": work.url,
        "published": work.published,
        "updated": work.updated,
        "complete": work.complete,
        "arc_shape": analysis.arc.shape,
        "arc_ending": analysis.arc.ending,
        "arc": [float(value) for value in analysis.arc.series],
        "ficlens_version": analysis.ficlens_version,
        "seconds": seconds,
    }
    characters = [
        {
            "work_id": work_id,
            "character_id": character.id,
            "name": character.name,
            "canonical": character.canonical,
            "aliases": list(character.aliases),
            "gender": character.gender,
            "role": character.role,
            "mentions": character.mentions,
            "quotes": character.quotes,
            "words_spoken": character.words_spoken,
            "described": character.described,
        }
        for character in analysis.characters
    ]
    chapter_of = _chapter_of_paragraph(analysis)
    quotes = [
        {
            "work_id": work_id,
            "quote_id": quote.id,
            "start": quote.start,
            "end": quote.end,
            "text_start": quote.text_start,
            "text_end": quote.text_end,
            "paragraph": quote.paragraph,
            "chapter": chapter_of(quote.paragraph),
            "style": quote.style,
            "speech": quote.speech,
            "continues": quote.continues,
            "nested_in": quote.nested_in,
            "speaker": quote.speaker,
            "speaker_name": names.get(quote.speaker) if quote.speaker else None,
            "addressees": list(quote.addressees),
            "confidence": quote.confidence,
            "words": _words(quote.text),
            "text": quote.text,
        }
        for quote in analysis.quotes
    ]
    relationships = [
        {
            "work_id": work_id,
            "characters": list(relationship.characters),
            "names": [names.get(cid, cid) for cid in relationship.characters],
            "kind": relationship.kind,
            "notation": relationship.notation,
            "on_page": relationship.on_page,
            "score": float(relationship.score),
            "evidence": len(relationship.evidence),
        }
        for relationship in analysis.relationships
    ]
    tags = [
        {
            "work_id": work_id,
            "name": tag.name,
            "type": tag.type,
            "source": tag.source,
            "confidence": float(tag.confidence),
        }
        for tag in analysis.tags
    ]
    return {
        "works": [works_row],
        "characters": characters,
        "quotes": quotes,
        "relationships": relationships,
        "tags": tags,
    }


def failure_row(work_id: str, path: str | None, error: str, kind: str) -> Row:
    """A ``failures`` row; ``error`` is made one line (a corpus table is read line by line)."""
    return {
        "work_id": work_id,
        "path": path,
        "kind": kind,
        "error": " ".join(error.split()) or kind,
    }


def _words(text: str) -> int:
    return len(text.split())


def _chapter_of_paragraph(analysis: Analysis) -> Callable[[int], int | None]:
    """paragraph index -> chapter index, by the running paragraph counts of the chapters."""
    ends: list[int] = []
    total = 0
    for chapter in analysis.work.chapters:
        total += len(chapter.paragraphs)
        ends.append(total)
    indices = [chapter.index for chapter in analysis.work.chapters]

    def chapter_of(paragraph: int) -> int | None:
        k = bisect.bisect_right(ends, paragraph)
        return indices[k] if paragraph >= 0 and k < len(indices) else None

    return chapter_of
