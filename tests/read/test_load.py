"""Loading files, bytes and stdin: sniffing, dispatch, Source fields and user-facing errors."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import random
import sys
import zipfile
from pathlib import Path

import pytest

import ficlens.read
from ficlens.errors import InputError
from ficlens.model import Source
from ficlens.read import MAX_BYTES, READERS, Loaded, load_bytes, load_path
from ficlens.read.sniff import sniff_format

SENTENCE = "Merlin said, “Don’t — please.”\r\nArthur didn’t answer.\r\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reason_for(path: str | os.PathLike[str], **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        load_path(path, **kwargs)
    return info.value.reason


# --- successful loads -------------------------------------------------------------------


def test_load_utf8_file(tmp_path: Path) -> None:
    data = SENTENCE.encode("utf-8")
    path = write(tmp_path, "fic.txt", data)
    loaded = load_path(str(path))
    assert isinstance(loaded, Loaded)
    assert loaded.text == SENTENCE
    assert loaded.source == Source(
        path=str(path),
        format="text",
        encoding="utf-8",
        repairs=[],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_load_accepts_pathlike_and_reports_it_as_str(tmp_path: Path) -> None:
    path = write(tmp_path, "fic.md", b"# Chapter 1\n\nShe *ran*.\n")
    loaded = load_path(path)
    assert loaded.source.path == str(path)
    assert loaded.source.format == "text"  # Markdown is plain text


def test_crlf_is_preserved_exactly(tmp_path: Path) -> None:
    text = "One.\r\nTwo.\r\n\r\nThree.\rFour.\n"
    loaded = load_path(write(tmp_path, "crlf.txt", text.encode("utf-8")))
    assert loaded.text == text
    # Offsets into the loaded text are offsets into what the file says.
    assert loaded.text.index("Three") == text.index("Three") == 14


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16"),
        (SENTENCE.encode("utf-16-be"), "utf-16-be"),
        (SENTENCE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be", "cp1252"],
)
def test_load_other_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    loaded = load_path(write(tmp_path, "fic.txt", data))
    assert loaded.text == SENTENCE
    assert loaded.source.encoding == encoding
    assert loaded.source.size == len(data)
    assert loaded.source.sha256 == hashlib.sha256(data).hexdigest()


def test_repairs_are_recorded_in_source(tmp_path: Path) -> None:
    data = "He didnâ€™t say &quot;yes&quot;.\n".encode()
    loaded = load_path(write(tmp_path, "fic.txt", data))
    assert loaded.text == 'He didn’t say "yes".\n'
    assert loaded.source.repairs == ["mojibake", "html-entities"]
    # The hash is of the raw bytes, not of the repaired text.
    assert loaded.source.sha256 == hashlib.sha256(data).hexdigest()


def test_load_bytes_without_path() -> None:
    loaded = load_bytes(b"Hello.\n")
    assert loaded.source.path is None
    assert loaded.text == "Hello.\n"


class FakeStdin:
    """What sys.stdin looks like to the reader: a text stream with a binary ``buffer``."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SENTENCE.encode("cp1252")
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    loaded = load_path("-")
    assert loaded.text == SENTENCE
    assert loaded.source.path is None
    assert loaded.source.encoding == "cp1252"
    assert loaded.source.sha256 == hashlib.sha256(data).hexdigest()


def test_stdin_errors_name_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    with pytest.raises(InputError) as info:
        load_path("-")
    assert str(info.value) == "<stdin>: empty file"


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"x" * 2048))
    with pytest.raises(InputError) as info:
        load_path("-", max_bytes=1024)
    assert info.value.reason == "input is over the 1 KB limit"


# --- refused input ----------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError) as info:
        load_path(path)
    assert info.value.reason == "empty file"
    assert str(info.value) == f"{path}: empty file"


@pytest.mark.parametrize(
    "data",
    [b"  \r\n\t\n ", " \n\u3000\n".encode("utf-16"), codecs.BOM_UTF8 + b"\n\n"],
    ids=["ascii", "utf16", "bom"],
)
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    assert reason_for(write(tmp_path, "blank.txt", data)) == "empty file (only whitespace)"


def test_bom_only_file_is_empty(tmp_path: Path) -> None:
    assert reason_for(write(tmp_path, "bom.txt", codecs.BOM_UTF8)) == "empty file"


def test_png(tmp_path: Path) -> None:
    assert reason_for(write(tmp_path, "cover.txt", PNG)) == "binary file (looks like a PNG image)"


def test_random_binary(tmp_path: Path) -> None:
    data = random.Random(1).randbytes(10_000)
    assert reason_for(write(tmp_path, "noise.bin", data)).startswith("binary file")


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 50
    reason = reason_for(write(tmp_path, "controls.bin", data))
    assert reason == "binary file (contains control characters)"


def test_pdf(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    assert reason_for(write(tmp_path, "fic.pdf", data)) == "not a text file: PDF document"


def make_zip(tmp_path: Path, name: str, entries: list[tuple[str, bytes]]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, content in entries:
            compress = zipfile.ZIP_STORED if entry == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(entry, content, compress_type=compress)
    return path


def test_zip(tmp_path: Path) -> None:
    path = make_zip(tmp_path, "fics.zip", [("chapter1.txt", b"Once upon a time.\n")])
    assert sniff_format(path.read_bytes()) == "zip"
    assert reason_for(path) == "not a text file: ZIP archive"


def test_epub(tmp_path: Path) -> None:
    entries = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", b"<?xml version='1.0'?><container/>"),
        ("OEBPS/chapter1.xhtml", b"<html><body><p>Once.</p></body></html>"),
    ]
    path = make_zip(tmp_path, "fic.epub", entries)
    assert sniff_format(path.read_bytes()) == "epub"
    # The EPUB reader (tests/read/test_epub.py) says what is wrong with this one.
    assert reason_for(path) == "EPUB's META-INF/container.xml names no package (OPF) file"


def test_html(tmp_path: Path) -> None:
    data = b"<!DOCTYPE html>\n<html><head><title>Fic</title></head><body><p>Hi</p></body></html>"
    loaded = load_path(write(tmp_path, "fic.html", data))
    assert (loaded.text, loaded.source.format) == ("Hi\n", "html")


def test_directory(tmp_path: Path) -> None:
    assert reason_for(tmp_path) == "is a directory"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        load_path(path)
    assert info.value.reason == "no such file"
    assert info.value.path == str(path)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", b"Hello.\n")
    path.chmod(0)
    assert reason_for(path) == "permission denied"


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same mapping as above, for when the tests run as root.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ficlens.read, "open", refuse, raising=False)
    assert reason_for(write(tmp_path, "secret.txt", b"Hello.\n")) == "permission denied"


def test_file_over_a_small_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", b"word " * 1000)
    assert reason_for(path, max_bytes=1024) == "file is 4.9 KB, over the 1 KB limit"
    # Exactly at the limit is fine.
    assert load_path(path, max_bytes=5000).source.size == 5000


def test_file_over_the_default_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(80 * 1024 * 1024)  # sparse: nothing is written or read
    assert reason_for(path) == "file is 80.0 MB, over the 50 MB limit"
    assert MAX_BYTES == 50 * 1024 * 1024


def test_load_bytes_over_the_limit() -> None:
    with pytest.raises(InputError) as info:
        load_bytes(b"abc" * 100, path="x.txt", max_bytes=100)
    assert str(info.value) == "x.txt: file is 300 bytes, over the 100 bytes limit"


# --- sniffing and dispatch --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"Chapter 1\n\nIt was a dark night.", "text"),
        (b"<Author's note> Enjoy!\n", "text"),
        ("Hello".encode("utf-16"), "text"),
        (b"<?xml version='1.0'?>\n<!-- saved -->\n<html lang='en'>", "html"),
        ("<!doctype html><p>x".encode("utf-16-le"), "html"),
        (b"%PDF-1.4", "pdf"),
        (PNG, "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"GIF89a\x01\x00", "image"),
        (b"\x1f\x8b\x08\x00", "archive"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"text\x00with NUL bytes", "binary"),
    ],
)
def test_sniff_format(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt


def test_readers_are_dispatched_by_format(monkeypatch: pytest.MonkeyPatch) -> None:
    # A later HTML reader only has to register itself.
    def read_html(data: bytes, path: str | None) -> Loaded:
        source = Source(path=path, format="ao3-html", encoding="utf-8", size=len(data))
        return Loaded("Story text", source)

    monkeypatch.setitem(READERS, "html", read_html)
    loaded = load_bytes(b"<!DOCTYPE html><html><body>Story text</body></html>", path="f.html")
    assert loaded.text == "Story text"
    assert loaded.source.format == "ao3-html"


def test_formats_without_a_reader_get_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(READERS, "text")
    with pytest.raises(InputError) as info:
        load_bytes(b"Plain text.\n", path="a.txt")
    assert info.value.reason == "text input is not supported (plain text)"
