"""EPUB input: AO3's and FanFicFare's EPUBs, and any other EPUB as chapters of paragraphs.

The container names the OPF package; the OPF gives the metadata (dc:title, dc:creator,
dc:subject, dc:description, dc:source, dc:date, calibre:series) and the spine, the
reading order of the content documents. The documents are then read in that order:

- AO3's EPUBs are its HTML download converted by calibre, so they carry the same preface,
  chapters and afterword, which ``ficlens.read.html.ao3_story`` reads;
- FanFicFare's have a title page of "Label: value" lines and one file per chapter whose
  ``h3`` is the chapter's title;
- anything else: a document's leading heading is its chapter heading.

Safety: the archive is read entry by entry with the total uncompressed size capped (no
zip bombs); XML with entity declarations is refused (no entity expansion bombs; expat
never fetches external entities); encrypted (DRM) content is refused with a clear reason.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import unquote
from xml.etree import ElementTree

from ficlens.errors import InputError
from ficlens.model import Work
from ficlens.read.base import MAX_BYTES, Loaded, make_source
from ficlens.read.html import ao3_story
from ficlens.read.markup import Element, decode_html, paragraphs, parse_html
from ficlens.read.metadata import (
    LABEL_FIELDS,
    add_unique,
    apply_field,
    fill_missing,
    iso_date,
    rating_of,
    split_items,
)
from ficlens.read.story import Story, StoryChapter, render_story

_CONTAINER = "META-INF/container.xml"
_DC = "{http://purl.org/dc/elements/1.1/}"
_OPF = "{http://www.idpf.org/2007/opf}"
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
# Font obfuscation (IDPF, Adobe) also lists files in encryption.xml; that is not DRM.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
# dc:subject values that say what the book is, not what is in it.
_NOT_TAGS = {"fanworks", "fanfiction", "fan fiction", "fanfic", "in-progress", "completed"}
# FanFicFare's title-page labels, and its page kinds that are not story.
_FFF_SKIP = {"fff_tocpage", "fff_logpage", "fff_coverpage"}
_LABEL_LINE = re.compile(r"^(?P<label>[A-Z][A-Za-z0-9 ]{1,24}):\s*(?P<value>.*)$")


class _Archive:
    """A zip read entry by entry, with the uncompressed total held under the limit."""

    def __init__(self, data: bytes, path: str | None, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.read_so_far = 0
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise InputError(
                path, "corrupt or truncated EPUB (not a readable ZIP archive)"
            ) from None
        except NotImplementedError as error:  # "zip file version 6.3": a newer zip format
            raise InputError(path, f"EPUB uses an unsupported ZIP feature ({error})") from None

    def fail(self, reason: str) -> InputError:
        return InputError(self.path, reason)

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise self.fail(f"EPUB is missing {name}")
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise self.fail("EPUB is encrypted (DRM): its content cannot be read")
        left = self.limit - self.read_so_far
        try:
            with self.zip.open(info) as entry:
                # The sizes in the archive may lie; the bounded read is the real guard.
                content = entry.read(left + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise self.fail(f"corrupt or truncated EPUB ({name}: {_short(error)})") from None
        except NotImplementedError:
            raise self.fail(f"EPUB uses an unsupported compression method ({name})") from None
        except RuntimeError as error:  # zipfile's "File ... is encrypted"
            raise self.fail(f"EPUB is encrypted: {_short(error)}") from None
        self.read_so_far += len(content)
        if len(content) > left:
            raise self.fail(f"EPUB unpacks to more than {_size(self.limit)} (refused)")
        return content

    def xml(self, name: str) -> ElementTree.Element:
        content = self.read(name)
        if _ENTITY_DECLARATION.search(content):
            raise self.fail(f"EPUB's {name} declares XML entities (refused for safety)")
        try:
            return ElementTree.fromstring(content)
        except ElementTree.ParseError as error:
            raise self.fail(f"EPUB's {name} is not well-formed XML ({error})") from None


@dataclass
class _Document:
    name: str
    root: Element

    @property
    def body(self) -> Element:
        return self.root.find("body") or self.root


def read_epub(data: bytes, path: str | None, max_bytes: int = MAX_BYTES) -> Loaded:
    archive = _Archive(data, path, max_bytes)
    _refuse_drm(archive)
    opf_name = _package_name(archive)
    package = archive.xml(opf_name)
    work = _opf_metadata(package)
    documents, encodings, repairs = _spine_documents(archive, package, opf_name)

    found = ao3_story(_joined(documents))
    if found is not None:
        story, ao3_work = found
        fill_missing(ao3_work, work)
        work = ao3_work
    else:
        fanficfare = _fanficfare_story(documents)
        if fanficfare is not None:
            story, page = fanficfare
            fill_missing(page, work)
            work = page
        else:
            story = _plain_story(documents)
        story.title = work.title
        story.authors = list(work.authors)
        if work.summary and not story.summary:
            story.summary = work.summary.split("\n\n")
    if not story.has_text():
        raise InputError(path, "EPUB with no story text in its content documents")
    encoding = max(encodings, key=encodings.count)  # the documents' usual one
    return Loaded(render_story(story), make_source(data, path, "epub", encoding, repairs), work)


def _refuse_drm(archive: _Archive) -> None:
    # Adobe ADEPT and others keep their licence in rights.xml, Apple FairPlay in sinf.xml.
    for licence in ("META-INF/rights.xml", "META-INF/sinf.xml"):
        if licence in archive.names:
            raise archive.fail(f"EPUB is encrypted (DRM): it has a licence file ({licence})")
    if "META-INF/encryption.xml" not in archive.names:
        return
    encryption = archive.xml("META-INF/encryption.xml")
    for data in encryption.iter():
        if not data.tag.endswith("EncryptionMethod"):
            continue
        if data.attrib.get("Algorithm", "") not in _FONT_OBFUSCATION:
            raise archive.fail("EPUB is encrypted (DRM): its content cannot be read")


def _package_name(archive: _Archive) -> str:
    if _CONTAINER not in archive.names:
        opfs = sorted(name for name in archive.names if name.lower().endswith(".opf"))
        if len(opfs) == 1:
            return opfs[0]  # a sloppy writer left out the container; the package is plain
        raise archive.fail(f"EPUB has no {_CONTAINER} (so no package file)")
    container = archive.xml(_CONTAINER)
    for rootfile in container.iter():
        if rootfile.tag.endswith("rootfile") and rootfile.attrib.get("full-path"):
            name = rootfile.attrib["full-path"]
            if name not in archive.names:
                raise archive.fail(f"EPUB is missing its package file {name}")
            return name
    raise archive.fail(f"EPUB's {_CONTAINER} names no package (OPF) file")


def _opf_metadata(package: ElementTree.Element) -> Work:
    work = Work()
    metadata = package.find(f"{_OPF}metadata")
    if metadata is None:
        metadata = package.find("metadata")
    if metadata is None:
        return work
    subjects: list[str] = []
    for item in metadata:
        tag = item.tag.replace(_DC, "dc:")
        text = " ".join((item.text or "").split())
        if tag == "dc:title":
            work.title = work.title or text or None
        elif tag == "dc:creator" and _is_author(item):
            if text:
                add_unique(work.authors, text)
        elif tag == "dc:subject":
            subjects.extend(split_items(text))
        elif tag == "dc:description" and text:
            # calibre and FanFicFare write the summary as (escaped) HTML.
            work.summary = "\n\n".join(paragraphs(parse_html(item.text or ""))) or None
        elif tag == "dc:source" and text:
            work.url = work.url or text
        elif tag == "dc:identifier" and text.startswith(("http://", "https://", "URL:")):
            work.url = work.url or text.removeprefix("URL:")
        elif tag == "dc:date" and text:
            _date(work, item, text)
        elif tag == "dc:language" and text:
            work.declared.language = work.declared.language or text
        elif tag.endswith("meta") and item.attrib.get("name") == "calibre:series":
            index = metadata.find(f"{tag}[@name='calibre:series_index']")
            part = index.attrib.get("content", "") if index is not None else ""
            name = item.attrib.get("content", "").strip()
            number = re.sub(r"\.0+$", "", part)
            if name:
                add_unique(work.declared.series, f"{name} (part {number})" if number else name)
    for subject in subjects:
        if subject.lower() in _NOT_TAGS:
            continue
        if rating_of(subject) and len(subject) > 2:
            work.declared.rating = work.declared.rating or rating_of(subject)
            work.declared.rating_as_written = work.declared.rating_as_written or subject
            continue
        add_unique(work.declared.tags, subject)
    return work


def _is_author(creator: ElementTree.Element) -> bool:
    role = creator.attrib.get(f"{_OPF}role") or creator.attrib.get("role")
    return role in (None, "aut")


def _date(work: Work, item: ElementTree.Element, text: str) -> None:
    event = item.attrib.get(f"{_OPF}event") or item.attrib.get("event") or ""
    date = iso_date(text)
    if event == "modification":
        work.updated = work.updated or date
    elif event in ("", "publication", "original-publication"):
        work.published = work.published or date


def _spine_documents(
    archive: _Archive, package: ElementTree.Element, opf_name: str
) -> tuple[list[_Document], list[str], list[str]]:
    """The spine's content documents in reading order, their encodings, the repairs made."""
    base = posixpath.dirname(opf_name)
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in package.iter():
        if item.tag.endswith("}item") or item.tag == "item":
            href = unquote(item.attrib.get("href", "").split("#")[0])
            name = posixpath.normpath(posixpath.join(base, href)) if href else ""
            manifest[item.attrib.get("id", "")] = (
                name,
                item.attrib.get("media-type", ""),
                item.attrib.get("properties", ""),
            )
    spine = [
        ref.attrib.get("idref", "")
        for ref in package.iter()
        if ref.tag.endswith("}itemref") or ref.tag == "itemref"
    ]
    documents: list[_Document] = []
    encodings: list[str] = []
    repairs: list[str] = []
    for idref in spine:
        if idref not in manifest:
            continue
        name, media_type, properties = manifest[idref]
        if media_type not in _HTML_TYPES or "nav" in properties.split():
            continue
        decoded = decode_html(archive.read(name)) if name else None
        if decoded is None:
            continue
        document = _Document(name, parse_html(decoded.text))
        if not _is_table_of_contents(document.body):
            documents.append(document)
            encodings.append(decoded.encoding)
            repairs.extend(r for r in decoded.repairs if r not in repairs)
    if not documents:
        raise archive.fail("EPUB has no content documents in its spine")
    return documents, encodings, repairs


def _is_table_of_contents(body: Element) -> bool:
    """A page that is mostly links (an EPUB 2 contents page in the spine) is not story."""
    links = [a for a in body.find_all("a") if a.attrs.get("href")]
    if len(links) < 3:
        return False
    linked = sum(len(a.text()) for a in links)
    return linked >= 0.7 * len(body.text())


def _joined(documents: list[_Document]) -> Element:
    """All the documents' bodies in reading order, as one tree."""
    return Element("#root", {}, [document.body for document in documents])


def _fanficfare_story(documents: list[_Document]) -> tuple[Story, Work] | None:
    """FanFicFare's layout: a title page of labels, then a document per chapter."""
    title_page = next(
        (d for d in documents if "fff_titlepage" in d.body.classes or _label_count(d) >= 3),
        None,
    )
    if title_page is None:
        return None
    page = Work()
    _title_page(title_page, page)
    story = Story()
    for document in documents:
        if document is title_page or document.body.classes & _FFF_SKIP:
            continue
        heading = document.body.find("h3") or _first_heading(document.body)
        text = paragraphs(document.body)
        title = heading.text() if heading is not None else None
        if title and text and text[0] == title:
            text = text[1:]
        if text:
            story.chapters.append(StoryChapter(heading=title, paragraphs=text))
    return story, page


def _title_page(document: _Document, work: Work) -> None:
    """The "Label: value" lines of FanFicFare's title page; a value may run on (Summary)."""
    label: str | None = None
    values: list[str] = []

    def flush() -> None:
        if label:
            if label in ("summary", "authors", "title", "url", "series"):
                items = values
            elif label == "rating":
                items = values[:1]
            else:
                items = [item for value in values for item in split_items(value)]
            apply_field(work, label, items)

    heading = document.body.find("h3") or document.body.find("h1")
    if heading is not None:
        # "<a href=story>Title</a> by <a href=author>Name</a>, <a ...>Other</a>"
        links = heading.find_all("a")
        if links:
            work.title = links[0].text() or None
            work.url = links[0].attrs.get("href") or None
        work.authors = [name for name in (link.text() for link in links[1:]) if name]
    for line in paragraphs(document.body):
        match = _LABEL_LINE.match(line)
        name = LABEL_FIELDS.get(match.group("label").lower()) if match else None
        if match and name:
            flush()
            label, values = name, [match.group("value")] if match.group("value") else []
        elif label:
            values.append(line)
    flush()


def _label_count(document: _Document) -> int:
    lines = paragraphs(document.body)[:40]
    return sum(
        1
        for line in lines
        if (match := _LABEL_LINE.match(line)) and match.group("label").lower() in LABEL_FIELDS
    )


def _plain_story(documents: list[_Document]) -> Story:
    story = Story()
    for document in documents:
        heading = _first_heading(document.body)
        text = paragraphs(document.body)
        title = heading.text() if heading is not None else None
        if title and text and text[0] == title:
            text = text[1:]
        elif title:
            title = None  # the heading is not at the top: it is part of the text
        if text:
            story.chapters.append(StoryChapter(heading=title, paragraphs=text))
    return story


def _first_heading(body: Element) -> Element | None:
    return next((e for e in body.iter() if e.tag in ("h1", "h2", "h3")), None)


def _size(limit: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= scale:
            return f"{limit / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{limit} bytes"


def _short(error: BaseException) -> str:
    return str(error).splitlines()[0][:80] if str(error) else type(error).__name__
