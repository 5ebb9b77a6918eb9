"""HTML input: AO3's downloads ("ao3-html") and any other HTML page ("html").

An AO3 download has a fixed layout: ``div#preface`` (the ``dl.tags`` of tags and stats,
the ``h1`` title, ``div.byline``, "Summary" and "Notes" blockquotes), ``div#chapters``
(per chapter an ``h2.heading``, "Chapter Summary"/"Chapter Notes" blockquotes, the text
in ``div.userstuff`` and "Chapter End Notes"), then ``div#afterword`` ("End Notes").
``ao3_story`` walks that layout; it relies on the ids, the labels and the order rather
than on exact nesting, so the same code reads AO3 EPUBs, whose converter splits the page
into files and may rename classes. Any other HTML is read as paragraphs.
"""

from __future__ import annotations

import re

from ficlens.errors import InputError
from ficlens.model import Work
from ficlens.read.base import Loaded, make_source
from ficlens.read.markup import SCENE_BREAK, Element, decode_html, paragraphs, parse_html
from ficlens.read.metadata import AO3_LABEL_FIELDS, apply_field, split_items
from ficlens.read.story import Story, StoryChapter, render_story

# The paragraph labels AO3 puts before a blockquote, and what the blockquote then is.
_BLOCK_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "chapter summary": "chapter-summary",
    "chapter notes": "chapter-notes",
    "chapter end notes": "chapter-end-notes",
    "end notes": "end-notes",
}
_CHAPTER_HEADING = re.compile(r"^(?:chapter\s+\d+|\d+\.)", re.IGNORECASE)
_WORK_URL = re.compile(r"/works/\d+")
# Markers of AO3's layout: a structural element is walked into, never read as story text.
_STRUCTURE_IDS = {"preface", "chapters", "afterword", "endnotes"}
_STRUCTURE_CLASSES = {"meta", "byline", "heading", "toc-heading", "endnote-link", "message"}


def read_html(data: bytes, path: str | None) -> Loaded:
    """Read an HTML file: an AO3 download when it has AO3's layout, else plain paragraphs."""
    decoded = decode_html(data)
    root = parse_html(decoded.text)
    found = ao3_story(root)
    if found is not None:
        story, work = found
        if not story.has_text():
            raise InputError(path, "AO3 download with no chapter text")
        source = make_source(data, path, "ao3-html", decoded.encoding, decoded.repairs)
        return Loaded(render_story(story), source, work)
    body = root.find("body") or root
    blocks = paragraphs(body)
    if not any(block != SCENE_BREAK for block in blocks):
        raise InputError(path, "HTML file with no story text (no paragraphs outside the markup)")
    source = make_source(data, path, "html", decoded.encoding, decoded.repairs)
    return Loaded("\n\n".join(blocks) + "\n", source, None)


def is_ao3_layout(root: Element) -> bool:
    """AO3's layout: a dl of AO3's tag labels, or both its preface and chapters ids.

    (A book's "preface" id alone is not enough.)"""
    ids: set[str] = set()
    for element in root.iter():
        if element.tag == "dl" and _is_tags_list(element):
            return True
        ids.add(element.id)
    return {"preface", "chapters"} <= ids


def ao3_story(root: Element) -> tuple[Story, Work] | None:
    """The story and the metadata of an AO3 download; None when ``root`` is not one."""
    if not is_ao3_layout(root):
        return None
    walker = _Ao3Walker()
    walker.walk(root)
    return walker.story, walker.work


class _Ao3Walker:
    def __init__(self) -> None:
        self.story = Story()
        self.work = Work()
        self.region = "preface"  # then "chapters", then "afterword"

    def walk(self, element: Element) -> None:
        pending: str | None = None  # the label paragraph just seen ("Summary")
        for child in element.children:
            if isinstance(child, str):
                if child.strip() and self.region == "chapters":
                    self._chapter().paragraphs.extend(paragraphs(Element("p", {}, [child])))
                continue
            pending = self._visit(child, pending)

    def _visit(self, element: Element, pending: str | None) -> str | None:
        """Handle one element; return the label it is, when it labels the next blockquote."""
        tag, classes = element.tag, element.classes
        if tag in ("head", "script", "style", "title"):
            return None
        if element.id in ("preface", "chapters", "afterword"):
            self.region = element.id
            self.walk(element)
            return None
        if tag == "dl" and ("tags" in classes or _is_tags_list(element)):
            self._tags(element)
            return None
        if tag == "h1" and self.region == "preface":
            self.story.title = self.work.title = self.work.title or element.text() or None
            return None
        if "byline" in classes:
            if self.region == "preface" and not self.story.authors:
                self._byline(element)
            return None
        if tag in ("h2", "h3", "h4"):
            # Exports modelled on AO3's (ficlens's own among them) label with headings.
            label = _BLOCK_LABELS.get(element.text().lower().rstrip(":"))
            if label:
                return label
            if tag == "h2":
                self._heading(element)
                return None
        if "message" in classes:
            if self.region == "preface":
                self._url(element)
            return None
        if "endnote-link" in classes:
            return None
        if tag in ("p", "div") and _is_short(element):
            # The same parts recognised by their words, for when a converter (calibre)
            # has renamed the classes.
            text = element.text()
            label = _BLOCK_LABELS.get(text.lower().rstrip(":"))
            if label and tag == "p":
                return label
            if text.startswith(("See the end of the", "Please drop by the")):
                return None
            if self.region == "preface" and not _has_structure(element):
                if self.story.title and not self.story.authors and text.startswith("by "):
                    self._byline(element)
                elif "Posted originally" in text:
                    self._url(element)
                return None
        if tag == "blockquote" and pending:
            self._labelled(pending, paragraphs(element))
            return None
        if self.region == "chapters" and _is_content(element):
            self._chapter().paragraphs.extend(paragraphs(element))
        elif _has_structure(element):
            self.walk(element)
        return None

    def _chapter(self) -> StoryChapter:
        if not self.story.chapters:
            self.story.chapters.append(StoryChapter())
        return self.story.chapters[-1]

    def _tags(self, dl: Element) -> None:
        label: str | None = None
        for item in dl.elements():
            if item.tag == "dt":
                label = item.text().lower().rstrip(": ")
            elif item.tag == "dd" and label:
                name = AO3_LABEL_FIELDS.get(label)
                if name in ("stats", "series", "language", "rating") or name is None:
                    values = [item.text()] if name != "rating" else _items(item)
                else:
                    values = _items(item)
                if name:
                    apply_field(self.work, name, values)
                label = None

    def _byline(self, element: Element) -> None:
        links = [a.text() for a in element.find_all("a") if "author" in a.attrs.get("rel", "")]
        names = links or split_items(re.sub(r"^\s*by\s+", "", element.text(), flags=re.I))
        self.story.authors = [name for name in names if name]
        self.work.authors = list(self.story.authors)

    def _heading(self, element: Element) -> None:
        text = element.text()
        if "toc-heading" in element.classes or text.lower() in ("preface", "afterword"):
            if text.lower() == "afterword":
                self.region = "afterword"
            return
        if "heading" in element.classes or _CHAPTER_HEADING.match(text):
            self.region = "chapters"
            self.story.chapters.append(StoryChapter(heading=text or None))
        elif self.region == "chapters":
            self._chapter().paragraphs.append(text)

    def _url(self, element: Element) -> None:
        for link in element.find_all("a"):
            href = link.attrs.get("href", "")
            if _WORK_URL.search(href):
                self.work.url = self.work.url or href
                return

    def _labelled(self, label: str, text: list[str]) -> None:
        if label == "summary" and self.region == "chapters":
            label = "chapter-summary"
        if label == "chapter-summary":
            self._chapter().summary.extend(text)
        elif label == "chapter-notes":
            self._chapter().notes.extend(text)
        elif label == "chapter-end-notes":
            self._chapter().end_notes.extend(text)
        elif label == "end-notes":
            self.region = "afterword"
            self.story.end_notes.extend(text)
        elif label == "summary":
            self.story.summary.extend(text)
            self.work.summary = self.work.summary or "\n\n".join(text) or None
        elif label == "notes":
            self.story.notes.extend(text)


def _is_short(element: Element) -> bool:
    """A line or two of markup (a label, a byline), not a block of story to scan."""
    return len(element.children) <= 12 and not any(
        child.tag in ("p", "div", "blockquote", "dl") for child in element.elements()
    )


def _items(dd: Element) -> list[str]:
    """The tags in a dd: its links' texts, or its text split at commas."""
    links = [a.text() for a in dd.find_all("a")]
    return [link for link in links if link] or split_items(dd.text())


def _is_tags_list(dl: Element) -> bool:
    labels = {dt.text().lower().rstrip(": ") for dt in dl.elements() if dt.tag == "dt"}
    return len(labels & {"rating", "fandom", "fandoms", "stats", "archive warning"}) >= 2


def _has_structure(element: Element) -> bool:
    for inner in element.iter():
        if inner.id in _STRUCTURE_IDS or inner.id.startswith("endnotes"):
            return True
        if inner.classes & _STRUCTURE_CLASSES or inner.tag in ("dl", "h1", "h2"):
            return True
        if inner.tag == "blockquote" and inner is not element:
            return True
    return False


def _is_content(element: Element) -> bool:
    """Chapter text: AO3's div.userstuff that holds no AO3 layout, or an unmarked block."""
    if "userstuff" in element.classes and element.tag == "div" and element.id != "chapters":
        return not any(
            inner.classes & {"meta", "heading", "byline"} or inner.id in _STRUCTURE_IDS
            for inner in element.iter()
        )
    return not _has_structure(element)
