"""The metadata a structured source declares, as a ``Work``; and its merge into the analysis.

AO3's preface (``dl.tags`` and the stats line), FanFicFare's title page ("Category: ...")
and an EPUB's OPF all say the same kind of thing in different words. The helpers here
turn each into the fields of ``Work`` and ``Declared``; ``merge_source_work`` then lays
what the source declares over what the layout parser found in the text.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ficlens.model import Declared, Rating, Work

# Ratings as sources write them: AO3's names, FanFiction.net's letters, film ratings.
_RATINGS: dict[str, Rating] = {
    "general audiences": "General Audiences",
    "general": "General Audiences",
    "g": "General Audiences",
    "k": "General Audiences",
    "k+": "General Audiences",
    "pg": "General Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "pg-13": "Teen And Up Audiences",
    "mature": "Mature",
    "m": "Mature",
    "r": "Mature",
    "explicit": "Explicit",
    "e": "Explicit",
    "ma": "Explicit",
    "nc-17": "Explicit",
    "not rated": "Not Rated",
}

_NO_WARNINGS = "No Archive Warnings Apply"
_ARCHIVE_WARNINGS = {
    name.lower(): name
    for name in (
        "Creator Chose Not To Use Archive Warnings",
        "Choose Not To Use Archive Warnings",
        "Graphic Depictions Of Violence",
        "Major Character Death",
        _NO_WARNINGS,
        "Rape/Non-Con",
        "Underage",
        "Underage Sex",
    )
} | {"none": _NO_WARNINGS, "no warnings": _NO_WARNINGS, "n/a": _NO_WARNINGS}

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters)\s*:\s*(\S+)", re.IGNORECASE)
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)(?=,\s*Part\s+\d+\s+of\s|$)", re.IGNORECASE)
_NUMBER = re.compile(r"\d[\d,. ]*")

# Kinds of metadata, by the labels AO3's dl.tags and FanFicFare's title page use
# (lower case, without the colon).
LABEL_FIELDS: dict[str, str] = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "fandoms",  # FanFicFare's "Category" is the fandom; AO3's is below
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
    "freeform": "tags",
    "freeform tags": "tags",
    "genre": "tags",
    "genres": "tags",
    "extra tags": "tags",
    "language": "language",
    "series": "series",
    "collections": "collections",
    "collection": "collections",
    "stats": "stats",
    "status": "status",
    "published": "published",
    "updated": "updated",
    "completed": "completed",
    "words": "words",
    "chapters": "chapters",
    "summary": "summary",
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "story url": "url",
    "source": "url",
    "ao3 categories": "categories",
}
# AO3's own "Category:" (F/M, M/M, Gen...) in dl.tags.
AO3_LABEL_FIELDS = {**LABEL_FIELDS, "category": "categories", "categories": "categories"}


def rating_of(written: str) -> Rating | None:
    """AO3's rating for a rating as a source writes it ("T", "Teen And Up Audiences")."""
    return _RATINGS.get(" ".join(written.lower().split()))


def iso_date(value: str) -> str | None:
    """ "2021-3-7" -> "2021-03-07"; None when the value does not start with a date."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def count(value: str) -> int | None:
    """12,345 or 12.345 or 12 345 -> 12345."""
    match = _NUMBER.search(value)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group())
    return int(digits) if digits else None


def apply_field(work: Work, name: str, items: list[str]) -> None:
    """Record one labelled value (already split into its items) on ``work``."""
    items = [" ".join(item.split()) for item in items if item and item.strip()]
    if not items:
        return
    declared = work.declared
    value = ", ".join(items)
    if name == "warnings":
        for item in items:
            apply_warning(declared, item)
    elif name in ("fandoms", "relationships", "characters", "tags", "categories"):
        for item in items:
            add_unique(getattr(declared, name), item)
    elif name == "collections":
        for item in items:
            add_unique(declared.collections, item)
    elif name == "rating":
        declared.rating_as_written = items[0]
        declared.rating = rating_of(items[0])
    elif name == "language":
        declared.language = value
    elif name == "series":
        apply_series(work, value)
    elif name == "stats":
        apply_stats(work, value)
    elif name == "status":
        status = value.lower()
        if "complete" in status:
            work.complete = True
        elif "progress" in status or "incomplete" in status or "abandon" in status:
            work.complete = False
    elif name in ("published", "updated"):
        setattr(work, name, iso_date(value) or getattr(work, name))
    elif name == "completed":
        work.updated = iso_date(value) or work.updated
        work.complete = True
    elif name == "words":
        work.word_count = count(value) or work.word_count
    elif name == "chapters":
        apply_chapters(work, value)
    elif name == "summary":
        work.summary = work.summary or "\n\n".join(items)
    elif name == "title":
        work.title = work.title or value
    elif name == "authors":
        for item in items:
            add_unique(work.authors, item)
    elif name == "url":
        work.url = work.url or value


def apply_warning(declared: Declared, item: str) -> None:
    """An AO3 archive warning is a warning; "None" is AO3's "No Archive Warnings Apply";
    anything else a site calls a warning ("Language", "Angst") is a tag."""
    known = _ARCHIVE_WARNINGS.get(item.lower())
    if known:
        add_unique(declared.warnings, known)
    else:
        add_unique(declared.tags, item)


def apply_series(work: Work, value: str) -> None:
    """AO3's "Part 2 of Name, Part 1 of Other" -> ["Name (part 2)", "Other (part 1)"];
    FanFicFare's "Name [2]" -> "Name (part 2)"."""
    parts = _SERIES_PART.findall(value)
    if not parts:
        bracketed = re.fullmatch(r"(.+?)\s*\[(\d+)\]", value.strip())
        if bracketed:
            parts = [(bracketed.group(2), bracketed.group(1))]
        else:
            add_unique(work.declared.series, value.strip())
    for number, name in parts:
        add_unique(work.declared.series, f"{name.strip()} (part {number})")


def apply_stats(work: Work, value: str) -> None:
    """AO3's stats: "Published: 2020-01-05 Updated: 2020-02-01 Words: 1,234 Chapters: 2/3"."""
    for label, item in _STAT.findall(value):
        apply_field(work, label.lower(), [item])


def apply_chapters(work: Work, value: str) -> None:
    """ "2/3" -> 3 planned, not complete; "3/3" -> complete; "2/?" -> unknown, not complete."""
    match = re.match(r"\s*(\d+)\s*/\s*(\d+|\?)", value)
    if not match:
        return
    written, planned = match.groups()
    work.chapters_planned = int(planned) if planned != "?" else None
    if work.complete is None or planned == "?":
        work.complete = planned != "?" and int(written) >= int(planned)


def split_items(value: str) -> list[str]:
    """A list a source writes on one line: "A, B, C" (AO3 tags never contain commas)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def add_unique(items: list[str], item: str) -> None:
    if item and item.lower() not in (existing.lower() for existing in items):
        items.append(item)


def fill_missing(work: Work, other: Work) -> None:
    """Complete ``work`` with what ``other`` says and ``work`` does not.

    A list is taken only where ``work`` has none: an EPUB's dc:subject lumps fandoms,
    characters and genres together, so a title page's lists are better left unmixed.
    """
    work.title = work.title or other.title
    work.summary = work.summary or other.summary
    work.url = work.url or other.url
    work.published = work.published or other.published
    work.updated = work.updated or other.updated
    if work.complete is None:
        work.complete = other.complete
    work.chapters_planned = work.chapters_planned or other.chapters_planned
    work.word_count = work.word_count or other.word_count
    work.authors = work.authors or list(other.authors)
    mine, theirs = work.declared, other.declared
    named = {
        item.lower()
        for name in ("fandoms", "warnings", "relationships", "characters", "categories")
        for item in getattr(mine, name)
    }
    for spec in fields(Declared):
        if isinstance(getattr(mine, spec.name), list) and not getattr(mine, spec.name):
            items = getattr(theirs, spec.name)
            if spec.name == "tags":
                items = [item for item in items if item.lower() not in named]
            setattr(mine, spec.name, list(items))
    if mine.rating is None and mine.rating_as_written is None:
        mine.rating, mine.rating_as_written = theirs.rating, theirs.rating_as_written
    mine.language = mine.language or theirs.language
    mine.setting = mine.setting or theirs.setting


def merge_source_work(analysed: Work, source: Work) -> None:
    """Lay what a source declares over the layout's reading of the text, in place.

    The source wins for the title, authors, summary, rating, dates, completeness and word
    count; declared lists are the source's first, then what the notes add. The layout's
    notes and chapters stay: their offsets are into the analysed text.
    """
    analysed.title = source.title or analysed.title
    if source.authors:
        analysed.authors = list(source.authors)
    analysed.summary = source.summary or analysed.summary
    for name in ("url", "published", "updated", "complete", "chapters_planned"):
        value = getattr(source, name)
        if value is not None:
            setattr(analysed, name, value)
    if source.word_count:
        analysed.word_count = source.word_count
    merged = Declared()
    _merge_declared(merged, source.declared)
    _merge_declared(merged, analysed.declared)
    analysed.declared = merged


def _merge_declared(into: Declared, other: Declared) -> None:
    for spec in fields(Declared):
        mine, theirs = getattr(into, spec.name), getattr(other, spec.name)
        if isinstance(mine, list):
            for item in theirs:
                add_unique(mine, item)
        elif spec.name == "rating_as_written":
            continue  # moves with the rating, below
        elif mine is None and theirs is not None:
            setattr(into, spec.name, theirs)
            if spec.name == "rating":
                into.rating_as_written = other.rating_as_written
    if into.rating is None and into.rating_as_written is None:
        into.rating_as_written = other.rating_as_written
