"""Export a stored work: JSON (the analysis format, with the text), EPUB 3, or HTML.

The EPUB is written by hand with zipfile: ``mimetype`` first and uncompressed, then
``META-INF/container.xml``, an OPF package (Dublin Core metadata, every tag as a
``dc:subject``), a navigation document, an AO3-style title page and one XHTML file per
chapter. All text goes through ``_escape``, which also drops characters XML forbids.
"""

from __future__ import annotations

import html
import re
import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO

from ficlens.errors import FicError
from ficlens.library.records import StoredWork
from ficlens.model import Analysis, Chapter, to_json

FORMATS = ("json", "epub", "html")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")
_LANGUAGES = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "deutsch": "de",
    "german": "de",
    "italiano": "it",
    "italian": "it",
    "português": "pt",
    "portuguese": "pt",
    "русский": "ru",
    "russian": "ru",
    "中文": "zh",
    "chinese": "zh",
    "日本語": "ja",
    "japanese": "ja",
}
_STYLE = """body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2 { font-family: sans-serif; }
dl.tags dt { font-weight: bold; margin-top: 0.4em; }
dl.tags dd { margin-left: 1.5em; }
blockquote.userstuff, div.notes { font-style: italic; margin: 1em 1.5em; }
hr.scene-break { border: none; text-align: center; margin: 1.5em 0; }
hr.scene-break::after { content: "* * *"; }
"""


def export_work(stored: StoredWork, format: str) -> bytes:
    if format == "json":
        return (to_json(stored.analysis, include_text=True) + "\n").encode("utf-8")
    if format == "epub":
        return epub(stored)
    if format == "html":
        return standalone_html(stored.analysis).encode("utf-8")
    raise FicError(f"unknown export format {format!r} (formats are {', '.join(FORMATS)})")


def _escape(text: str) -> str:
    return html.escape(_XML_INVALID.sub("", text), quote=True)


@dataclass
class _Section:
    title: str
    body: str  # XHTML fragment


def title_of(analysis: Analysis) -> str:
    return analysis.work.title or "Untitled"


def language_code(analysis: Analysis) -> str:
    language = (analysis.work.declared.language or "").strip()
    if re.fullmatch(r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        return language
    return _LANGUAGES.get(language.casefold(), "en")


def subjects(analysis: Analysis) -> list[str]:
    """Every tag of the work, declared ones first, each once."""
    declared = analysis.work.declared
    values = [
        *declared.fandoms,
        *([declared.rating] if declared.rating else []),
        *declared.warnings,
        *declared.categories,
        *declared.relationships,
        *declared.characters,
        *declared.tags,
        *(fandom.name for fandom in analysis.fandoms),
        *(relationship.notation for relationship in analysis.relationships),
        *(tag.name for tag in analysis.tags),
    ]
    seen: dict[str, str] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip().casefold(), value.strip())
    return list(seen.values())


def _tag_rows(analysis: Analysis) -> list[tuple[str, list[str]]]:
    """The AO3 title page's tag block: declared values, or else the inferred ones."""
    declared = analysis.work.declared

    def inferred(tag_type: str) -> list[str]:
        return [tag.name for tag in analysis.tags if tag.type == tag_type]

    work = analysis.work
    stats = [f"Words: {work.word_count:,}"]
    if work.published:
        stats.insert(0, f"Published: {work.published}")
    if work.updated:
        stats.insert(1, f"Updated: {work.updated}")
    planned = work.chapters_planned if work.chapters_planned else "?"
    stats.append(f"Chapters: {len(work.chapters)}/{planned}")
    rows = [
        ("Rating", [declared.rating] if declared.rating else inferred("rating")),
        ("Archive Warning", declared.warnings or inferred("warning")),
        ("Category", declared.categories or inferred("category")),
        ("Fandom", declared.fandoms or [f.name for f in analysis.fandoms]),
        ("Relationship", declared.relationships or [r.notation for r in analysis.relationships]),
        (
            "Characters",
            declared.characters
            or [
                c.canonical or c.name
                for c in analysis.characters
                if c.role != "mentioned" and not c.described
            ],
        ),
        ("Additional Tags", declared.tags or inferred("freeform")),
        ("Language", [declared.language] if declared.language else []),
        ("Series", declared.series),
        ("Stats", [" ".join(stats)]),
    ]
    return [(label, values) for label, values in rows if values]


def _title_page(analysis: Analysis) -> _Section:
    work = analysis.work
    parts = ['<dl class="tags">']
    for label, values in _tag_rows(analysis):
        parts.append(f"<dt>{_escape(label)}:</dt><dd>{_escape(', '.join(values))}</dd>")
    parts.append("</dl>")
    parts.append(f"<h1>{_escape(title_of(analysis))}</h1>")
    if work.authors:
        parts.append(f'<p class="byline">by {_escape(", ".join(work.authors))}</p>')
    if work.summary:
        parts.append("<h2>Summary</h2>")
        parts.append(f'<blockquote class="userstuff">{_paragraphs(work.summary)}</blockquote>')
    front = [n for n in work.notes if n.chapter is None and n.kind in ("author-note", "dedication")]
    if front:
        parts.append("<h2>Notes</h2>")
        parts.append(
            '<blockquote class="userstuff">'
            + "".join(_paragraphs(note.text) for note in front)
            + "</blockquote>"
        )
    return _Section("Preface", "\n".join(parts))


def _paragraphs(text: str) -> str:
    """Plain text to <p> elements: blank lines part paragraphs, lines inside one join."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "".join(f"<p>{_escape(block)}</p>" for block in blocks if block)


def _chapter(analysis: Analysis, chapter: Chapter, number: int) -> _Section:
    text = analysis.text or ""
    title = chapter.title or f"Chapter {number}"
    parts = [f"<h2>{_escape(title)}</h2>"]
    notes = [n for n in analysis.work.notes if n.chapter == chapter.index]
    first = chapter.paragraphs[0].start if chapter.paragraphs else chapter.end
    before = [n for n in notes if n.start < first and n.kind not in ("title",)]
    after = [n for n in notes if n.start >= first]
    if before:
        parts.append(
            '<div class="notes">' + "".join(_paragraphs(n.text) for n in before) + "</div>"
        )
    breaks = sorted(chapter.scene_breaks)
    for paragraph in chapter.paragraphs:
        while breaks and breaks[0] < paragraph.start:
            breaks.pop(0)
            parts.append('<hr class="scene-break"/>')
        content = " ".join(text[paragraph.start : paragraph.end].split())
        if content:
            parts.append(f"<p>{_escape(content)}</p>")
    if after:
        parts.append('<div class="notes">' + "".join(_paragraphs(n.text) for n in after) + "</div>")
    return _Section(title, "\n".join(parts))


def sections(analysis: Analysis) -> list[_Section]:
    """The title page, then one section per chapter."""
    chapters = analysis.work.chapters
    if not chapters:
        text = analysis.text or ""
        return [_title_page(analysis), _Section(title_of(analysis), _paragraphs(text))]
    return [_title_page(analysis)] + [
        _chapter(analysis, chapter, number) for number, chapter in enumerate(chapters, start=1)
    ]


def _xhtml(title: str, body: str, lang: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{_escape(title)}</title>\n'
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def epub(stored: StoredWork) -> bytes:
    analysis = stored.analysis
    work = analysis.work
    lang = language_code(analysis)
    title = title_of(analysis)
    book_id = uuid.uuid5(uuid.NAMESPACE_URL, f"ficlens:{analysis.source.sha256}")
    parts = sections(analysis)
    files = [
        ("title.xhtml" if i == 0 else f"chapter-{i:03d}.xhtml", part)
        for i, part in enumerate(parts)
    ]
    modified = (
        stored.updated_at
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stored.updated_at)
        else "2000-01-01T00:00:00Z"
    )
    metadata = [
        f'<dc:identifier id="bookid">urn:uuid:{book_id}</dc:identifier>',
        f"<dc:title>{_escape(title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        *(f"<dc:creator>{_escape(author)}</dc:creator>" for author in work.authors),
        *([f"<dc:description>{_escape(work.summary)}</dc:description>"] if work.summary else []),
        *(f"<dc:subject>{_escape(subject)}</dc:subject>" for subject in subjects(analysis)),
        *([f"<dc:source>{_escape(work.url)}</dc:source>"] if work.url else []),
        *(
            [f"<dc:date>{work.published}</dc:date>"]
            if work.published and _DATE.match(work.published)
            else []
        ),
        f'<meta property="dcterms:modified">{modified}</meta>',
    ]
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        *(
            f'<item id="s{i}" href="{name}" media-type="application/xhtml+xml"/>'
            for i, (name, _) in enumerate(files)
        ),
    ]
    spine = [f'<itemref idref="s{i}"/>' for i in range(len(files))]
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
        f' unique-identifier="bookid" xml:lang="{lang}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(metadata)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + "\n</manifest>\n<spine>\n"
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )
    nav_items = "\n".join(
        f'<li><a href="{name}">{_escape(part.title)}</a></li>' for name, part in files
    )
    nav = _xhtml(
        title,
        f'<nav epub:type="toc" id="toc">\n<h1>{_escape(title)}</h1>\n'
        f"<ol>\n{nav_items}\n</ol>\n</nav>",
        lang,
    )
    container = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        '<rootfiles><rootfile full-path="OEBPS/content.opf"'
        ' media-type="application/oebps-package+xml"/></rootfiles>\n</container>\n'
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first, stored uncompressed, so readers can sniff it.
        archive.writestr(
            zipfile.ZipInfo("mimetype", date_time=(2000, 1, 1, 0, 0, 0)),
            "application/epub+zip",
            compress_type=zipfile.ZIP_STORED,
        )
        entries = [
            ("META-INF/container.xml", container),
            ("OEBPS/content.opf", opf),
            ("OEBPS/nav.xhtml", nav),
            ("OEBPS/style.css", _STYLE),
            *((f"OEBPS/{name}", _xhtml(part.title, part.body, lang)) for name, part in files),
        ]
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def standalone_html(analysis: Analysis) -> str:
    """A clean reading copy: one HTML file with the title page and every chapter."""
    lang = language_code(analysis)
    body = "\n".join(
        f'<section id="{"preface" if i == 0 else f"chapter-{i}"}">\n{part.body}\n</section>'
        for i, part in enumerate(sections(analysis))
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_escape(title_of(analysis))}</title>\n<style>\n{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
