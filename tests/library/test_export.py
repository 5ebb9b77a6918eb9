"""Export: JSON is the analysis with its text; EPUB 3 is a valid package; HTML reads alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from library_works import Spec, build

from ficlens.errors import FicError
from ficlens.library import Library, open_library
from ficlens.model import from_json, to_builtins

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}

TWO_CHAPTERS = Spec(
    key="tin",
    title="Tea & <Biscuits>",
    authors=["crumb", "D&D fan"],
    summary='A kettle, a tin, and "no biscuits left".',
    text=(
        "Chapter 1: The Kettle\n\n"
        "The kettle was <older> than the house & everyone in it.\n\n"
        "* * *\n\n"
        "Later, nobody mentioned the <script>kettle</script>.\n\n"
        "Chapter 2: The Tin\n\n"
        '"Empty again," said Mrs Hughes, and put the tin back.\n'
    ),
    fandoms=["Original Work"],
    tags=["Fluff", "Tea & Biscuits"],
    rating="General Audiences",
    words=40,
    published="2024-02-29",
)


@pytest.fixture
def stored(library: Library) -> int:
    return library.add(*build(TWO_CHAPTERS)).work_id


def test_json_export_is_the_analysis_with_its_text(library: Library, stored: int) -> None:
    exported = from_json(library.export(stored, "json"))
    original = library.get(stored)
    assert original is not None
    assert exported.text == TWO_CHAPTERS.text
    assert to_builtins(exported, include_text=True) == to_builtins(
        original.analysis, include_text=True
    )


def _epub(library: Library, work_id: int) -> zipfile.ZipFile:
    return zipfile.ZipFile(BytesIO(library.export(work_id, "epub")))


def test_epub_package_structure(library: Library, stored: int) -> None:
    book = _epub(library, stored)
    first = book.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip"
    container = ElementTree.fromstring(book.read("META-INF/container.xml"))
    opf_path = container.find(".//c:rootfile", NS).get("full-path")
    opf = ElementTree.fromstring(book.read(opf_path))
    assert opf.get("version") == "3.0"
    metadata = opf.find("opf:metadata", NS)
    assert metadata.find("dc:title", NS).text == "Tea & <Biscuits>"
    assert [e.text for e in metadata.findall("dc:creator", NS)] == ["crumb", "D&D fan"]
    assert metadata.find("dc:language", NS).text == "en"
    assert metadata.find("dc:description", NS).text == TWO_CHAPTERS.summary
    assert metadata.find("dc:date", NS).text == "2024-02-29"
    identifier = metadata.find("dc:identifier", NS)
    assert identifier.get("id") == opf.get("unique-identifier")
    subjects = {e.text for e in metadata.findall("dc:subject", NS)}
    assert {"Original Work", "Fluff", "Tea & Biscuits", "General Audiences"} <= subjects
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS)
    assert modified is not None and modified.text.endswith("Z")
    # Every manifest item is in the archive; the spine names manifest items only.
    base = opf_path.rsplit("/", 1)[0] + "/"
    items = {i.get("id"): i for i in opf.find("opf:manifest", NS)}
    for item in items.values():
        assert base + item.get("href") in book.namelist()
    spine = [ref.get("idref") for ref in opf.find("opf:spine", NS)]
    assert set(spine) <= set(items)
    assert [i for i in items.values() if i.get("properties") == "nav"]
    # A title page, then one XHTML file per chapter, each well-formed XML.
    chapters = [items[idref].get("href") for idref in spine]
    assert chapters == ["title.xhtml", "chapter-001.xhtml", "chapter-002.xhtml"]
    for name in chapters:
        ElementTree.fromstring(book.read(base + name))
    nav = ElementTree.fromstring(book.read(base + "nav.xhtml"))
    links = [a.get("href") for a in nav.iter("{http://www.w3.org/1999/xhtml}a")]
    assert links == chapters


def test_epub_text_is_escaped_and_complete(library: Library, stored: int) -> None:
    book = _epub(library, stored)
    chapter = ElementTree.fromstring(book.read("OEBPS/chapter-001.xhtml"))
    paragraphs = ["".join(p.itertext()) for p in chapter.iter("{http://www.w3.org/1999/xhtml}p")]
    assert paragraphs == [
        "The kettle was <older> than the house & everyone in it.",
        "Later, nobody mentioned the <script>kettle</script>.",
    ]
    assert list(chapter.iter("{http://www.w3.org/1999/xhtml}script")) == []
    assert len(list(chapter.iter("{http://www.w3.org/1999/xhtml}hr"))) == 1  # the scene break
    title_page = book.read("OEBPS/title.xhtml").decode()
    assert "Fluff, Tea &amp; Biscuits" in title_page
    assert "<h1>Tea &amp; &lt;Biscuits&gt;</h1>" in title_page


def _epubcheck() -> list[str] | None:
    """The epubcheck command; Debian's is a jar, which runs through java -jar here
    (its binfmt launcher needs a kernel feature containers often lack)."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    real = os.path.realpath(found)
    if real.endswith(".jar"):
        java = shutil.which("java")
        return [java, "-jar", real] if java else None
    return [found]


@pytest.mark.skipif(_epubcheck() is None, reason="epubcheck (Debian package) is not installed")
def test_epubcheck_accepts_the_epub(tmp_path: Path) -> None:
    # Once, on SQLite: the EPUB does not depend on the backend, and the JVM is slow to start.
    with open_library(str(tmp_path / "library.sqlite3")) as library:
        work_id = library.add(*build(TWO_CHAPTERS)).work_id
        target = tmp_path / "book.epub"
        target.write_bytes(library.export(work_id, "epub"))
    checked = subprocess.run(
        [*_epubcheck(), str(target)], capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_html_export_is_one_readable_page(library: Library, stored: int) -> None:
    page = library.export(stored, "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Tea &amp; &lt;Biscuits&gt;</title>" in page
    assert "&lt;script&gt;kettle&lt;/script&gt;" in page and "<script>" not in page
    assert page.count("<section") == 3


def test_export_of_a_missing_work_or_format_is_an_error(library: Library, stored: int) -> None:
    with pytest.raises(FicError, match="no work with id 999"):
        library.export(999, "epub")
    with pytest.raises(FicError, match="unknown export format"):
        library.export(stored, "pdf")
