"""Tell what kind of file some bytes are, before anything tries to decode them.

``sniff`` looks at magic numbers and the first few KB only (plus one scan for NUL bytes),
so it is cheap on large files. The format decides which reader handles the bytes; the
detail lets the user know why a file was refused.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from ficlens.read.decode import unicode_codec


@dataclass(frozen=True)
class Sniffed:
    """The sniffed format and a short description for messages.

    For binary formats ``detail`` reads "looks like a PNG image" or "contains NUL bytes";
    for documents it names the document ("PDF document").
    """

    format: str
    detail: str


# Formats that are binary data rather than some kind of document.
BINARY_FORMATS = frozenset({"image", "media", "archive", "executable", "binary"})
# Documents that are not plain text and that no reader is planned for.
DOCUMENT_FORMATS = frozenset({"pdf", "rtf", "doc", "docx", "odt", "zip"})

_TEXT = Sniffed("text", "plain text")

# (magic prefix, format, detail), tried in order.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image", "looks like a PNG image"),
    (b"\xff\xd8\xff", "image", "looks like a JPEG image"),
    (b"GIF87a", "image", "looks like a GIF image"),
    (b"GIF89a", "image", "looks like a GIF image"),
    (b"II*\x00", "image", "looks like a TIFF image"),
    (b"MM\x00*", "image", "looks like a TIFF image"),
    (b"%PDF-", "pdf", "PDF document"),
    (b"{\\rtf", "rtf", "RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", "Microsoft Office document (.doc)"),
    (b"\x1f\x8b", "archive", "looks like a gzip archive"),
    (b"\xfd7zXZ\x00", "archive", "looks like an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "looks like a 7-Zip archive"),
    (b"Rar!\x1a\x07", "archive", "looks like a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "archive", "looks like a Zstandard archive"),
    (b"\x7fELF", "executable", "looks like an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "executable", "looks like a Mach-O executable"),
    (b"SQLite format 3\x00", "binary", "looks like an SQLite database"),
    (b"OggS", "media", "looks like an Ogg audio/video file"),
    (b"fLaC", "media", "looks like a FLAC audio file"),
    (b"\x1a\x45\xdf\xa3", "media", "looks like a Matroska/WebM video"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_ID3 = re.compile(rb"ID3[\x02-\x04]\x00")
_RIFF_KINDS = {
    b"WEBP": ("image", "looks like a WebP image"),
    b"WAVE": ("media", "looks like a WAV audio file"),
    b"AVI ": ("media", "looks like an AVI video"),
}

_HEAD = 4096  # bytes read for the HTML check
_LEADING_JUNK = re.compile(r"\A(?:\s+|<\?xml[^>]*>|<!--.*?-->)*", re.DOTALL)
# A document, or a fragment saved without <html> (a page's body, "<div id=preface>").
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|h[1-6])[\s>/]", re.IGNORECASE
)


def sniff_format(data: bytes) -> str:
    """The format name of ``data``: "text", "html", "epub", "zip", "pdf", "image", "binary"...

    Others: "docx", "odt", "doc", "rtf", "archive", "media", "executable".
    """
    return sniff(data).format


def sniff(data: bytes) -> Sniffed:
    """Format and detail of ``data``; see ``sniff_format`` for the format names."""
    for magic, fmt, detail in _MAGIC:
        if data.startswith(magic):
            return Sniffed(fmt, detail)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if _BZIP2.match(data):
        return Sniffed("archive", "looks like a bzip2 archive")
    if _ID3.match(data):
        return Sniffed("media", "looks like an MP3 audio file")
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return Sniffed(*_RIFF_KINDS[data[8:12]])
    if data[4:8] == b"ftyp":
        return Sniffed("media", "looks like an MP4/QuickTime video")
    codec = unicode_codec(data)
    # NULs never occur in text, except as the high bytes of UTF-16/32.
    if codec in (None, "utf-8-sig") and b"\x00" in data:
        return Sniffed("binary", "contains NUL bytes")
    if _is_html(data, codec):
        return Sniffed("html", "HTML document")
    return _TEXT


def _sniff_zip(data: bytes) -> Sniffed:
    # EPUB requires its first entry to be an uncompressed "mimetype" file holding the media
    # type; OpenDocument borrowed the convention. The local file header is 30 bytes, then
    # the name, the extra field and the data.
    first_name, first_data = b"", b""
    if len(data) >= 30:
        name_len, extra_len = struct.unpack_from("<HH", data, 26)
        first_name = data[30 : 30 + name_len]
        start = 30 + name_len + extra_len
        first_data = data[start : start + 64]
    if first_name == b"mimetype":
        if first_data.startswith(b"application/epub+zip"):
            return Sniffed("epub", "EPUB book")
        if first_data.startswith(b"application/vnd.oasis.opendocument.text"):
            return Sniffed("odt", "OpenDocument text (.odt)")
    # Some EPUB writers get the mimetype entry wrong; the container file is mandatory, and
    # its name (stored uncompressed in the zip's headers) is EPUB's alone.
    if b"META-INF/container.xml" in data:
        return Sniffed("epub", "EPUB book")
    if b"word/document.xml" in data:
        return Sniffed("docx", "Word document (.docx)")
    return Sniffed("zip", "ZIP archive")


def _is_html(data: bytes, codec: str | None) -> bool:
    head = data[:_HEAD]
    if codec in (None, "utf-8-sig"):
        # Tags are ASCII, so any ASCII-compatible reading of the head will do.
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    else:
        text = head.decode(codec, errors="ignore")
    text = text.removeprefix("\ufeff")
    junk = _LEADING_JUNK.match(text)
    return bool(_HTML_START.match(text, junk.end() if junk else 0))
