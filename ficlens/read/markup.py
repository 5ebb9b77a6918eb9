"""HTML and XHTML as a small element tree, and that tree as plain-text paragraphs.

The standard library's ``html.parser`` is lenient (broken, unclosed and mis-nested markup
still reads) and never fetches or expands DTD entities, so it serves for both the HTML of
AO3 downloads and the XHTML inside EPUBs. The tree is deliberately small: a tag, its
attributes, its children. ``paragraphs`` renders an element the way a reader sees it: one
paragraph per block (``<p>``, ``<div>``, headings, list items) and per ``<br>`` line,
whitespace collapsed, entities decoded, scripts and styles dropped, ``<hr>`` a scene break.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ficlens.read.decode import DecodeError, decode_bytes, repair_mojibake, unicode_codec

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Content that is never text a reader sees.
_HIDDEN = frozenset({"script", "style", "head", "template", "noscript", "svg", "math"})
_BLOCK = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup html li main nav ol p pre
    section summary table tbody thead tfoot tr ul""".split()
)
# An open <p> is closed by the start of any of these (HTML's implied end tags).
_CLOSES_P = _BLOCK - {"body", "html"}
_SELF_CLOSING_LISTS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}}
_WHITESPACE = re.compile(r"\s+")
_MAX_DEPTH = 200
SCENE_BREAK = "* * *"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")

    def elements(self) -> Iterator[Element]:
        """The child elements (not text)."""
        return (child for child in self.children if isinstance(child, Element))

    def iter(self) -> Iterator[Element]:
        """This element and all its descendants, in document order."""
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(list(element.elements())))

    def find(self, tag: str) -> Element | None:
        return next((e for e in self.iter() if e.tag == tag), None)

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag]

    def text(self) -> str:
        """The element's visible text on one line, whitespace collapsed."""
        return " ".join(paragraphs(self, scene_breaks=False))


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack: list[Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "p" or tag in _CLOSES_P:
            self._close_open("p", stop_at={"div", "blockquote", "td", "li", "body"})
        if tag in _SELF_CLOSING_LISTS:
            for sibling in _SELF_CLOSING_LISTS[tag]:
                self._close_open(sibling, stop_at={"ul", "ol", "dl", "table"})
        element = Element(tag, {name.lower(): value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        # Old pages leave tags open by the thousand (<font> per paragraph); past a sane
        # depth an element stays empty and its content goes to its parent, which keeps
        # every walk over the tree within Python's recursion limit.
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML's <br/>, <div/>: an element with no content.
        element = Element(tag.lower(), {name.lower(): value or "" for name, value in attrs})
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        # A stray end tag (no matching open element) is ignored, as browsers do.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_open(self, tag: str, stop_at: set[str]) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            current = self.stack[depth].tag
            if current == tag:
                del self.stack[depth:]
                return
            if current in stop_at:
                return


def parse_html(text: str) -> Element:
    """The element tree of an HTML or XHTML document (or fragment); never raises."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def paragraphs(element: Element, *, scene_breaks: bool = True) -> list[str]:
    """The element's visible text as paragraphs: one string per block or ``<br>`` line."""
    out: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _WHITESPACE.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            out.append(text)

    def walk(node: Element, preformatted: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                if preformatted and "\n" in child:
                    *lines, last = child.split("\n")
                    for piece in lines:
                        line.append(piece)
                        flush()
                    line.append(last)
                else:
                    line.append(child)
                continue
            tag = child.tag
            if tag in _HIDDEN:
                continue
            if tag == "br":
                flush()
            elif tag == "hr":
                flush()
                if scene_breaks:
                    out.append(SCENE_BREAK)
            elif tag in _BLOCK:
                flush()
                walk(child, preformatted or tag == "pre")
                flush()
            elif tag in ("td", "th"):
                line.append(" ")
                walk(child, preformatted)
                line.append(" ")
            elif tag == "img":
                continue
            else:
                walk(child, preformatted)

    walk(element, element.tag == "pre")
    flush()
    return out


# --- bytes to text: the charset the document declares, else detection --------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["'](?P<charset>[A-Za-z0-9._:-]+)""")
# As browsers do (WHATWG encoding standard): these labels mean windows-1252.
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "iso-8859-1", "latin1", "us-ascii", "cp1252"}


@dataclass
class DecodedHtml:
    text: str
    encoding: str
    repairs: list[str]


def decode_html(data: bytes) -> DecodedHtml:
    """Decode an HTML document: byte-order mark, then its declared charset, then detection.

    A declared charset that the bytes contradict (a page saved as cp1252 that still says
    UTF-8) falls back to the same detection as plain text. Raises DecodeError.
    """
    declared = None if unicode_codec(data) else _declared_charset(data[:4096])
    if declared:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            text = text.removeprefix("\ufeff")
            text, repaired = repair_mojibake(text)
            return DecodedHtml(text, declared, ["mojibake"] if repaired else [])
    decoded = decode_bytes(data)
    return DecodedHtml(decoded.text.removeprefix("\ufeff"), decoded.encoding, decoded.repairs)


def _declared_charset(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group("charset").decode("ascii").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "ascii", "iso8859-1") else name


__all__ = [
    "SCENE_BREAK",
    "DecodeError",
    "DecodedHtml",
    "Element",
    "decode_html",
    "paragraphs",
    "parse_html",
]
