"""EPUB input: AO3's and FanFicFare's layouts, other EPUBs, and every way an EPUB is bad.

The EPUBs are built here from small documents written for these tests, in the layouts
AO3 (calibre's conversion of its HTML download) and FanFicFare write.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens.cli import main
from ficlens.errors import InputError
from ficlens.pipeline import Pipeline
from ficlens.read import load_bytes, load_path
from ficlens.read.epub import read_epub
from ficlens.read.sniff import sniff_format

CONTAINER = b"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def opf(metadata: str, files: list[str], *, version: str = "2.0") -> bytes:
    manifest = "\n".join(
        f'<item id="f{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(files)
    )
    spine = "\n".join(f'<itemref idref="f{i}"/>' for i in range(len(files)))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    {metadata}
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    {manifest}
  </manifest>
  <spine toc="ncx">{spine}</spine>
</package>""".encode()


def xhtml(body: str, *, body_class: str = "") -> bytes:
    attr = f' class="{body_class}"' if body_class else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>
<link href="style.css" rel="stylesheet" type="text/css"/></head>
<body{attr}>{body}</body></html>""".encode()


def make_epub(entries: dict[str, bytes], *, mimetype: bool = True) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        for name, content in entries.items():
            archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def epub_with(
    files: dict[str, bytes], metadata: str = "", extra: dict[str, bytes] | None = None
) -> bytes:
    entries = {"META-INF/container.xml": CONTAINER}
    entries["OEBPS/content.opf"] = opf(metadata, list(files))
    entries.update({f"OEBPS/{name}": content for name, content in files.items()})
    entries.update(extra or {})
    return make_epub(entries)


# --- AO3: calibre's conversion of the HTML download, split into files ---------------------

AO3_OPF_METADATA = """
<dc:title>Paper Boats</dc:title>
<dc:creator opf:role="aut" opf:file-as="inkwellwren">inkwellwren</dc:creator>
<dc:contributor opf:role="bkp">calibre (5.0) [https://calibre-ebook.com]</dc:contributor>
<dc:description>&lt;p&gt;Two sisters race paper boats down the gutter after a storm.&lt;/p&gt;
&lt;p&gt;Only one boat comes back.&lt;/p&gt;</dc:description>
<dc:publisher>Archive of Our Own</dc:publisher>
<dc:date>2022-06-02T00:00:00+00:00</dc:date>
<dc:language>en</dc:language>
<dc:subject>Fanworks</dc:subject>
<dc:subject>General Audiences</dc:subject>
<dc:subject>Original Work</dc:subject>
<dc:subject>Sisters</dc:subject>
<meta name="calibre:series" content="Rainy Day Stories"/>
<meta name="calibre:series_index" content="3.0"/>
"""

AO3_PREFACE = """<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>Paper Boats</b><br/>Posted originally on the
<a href="https://archiveofourown.org/">Archive of Our Own</a> at
<a href="https://archiveofourown.org/works/1123581">https://archiveofourown.org/works/1123581</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="#">General Audiences</a></dd>
<dt>Archive Warning:</dt><dd><a href="#">No Archive Warnings Apply</a></dd>
<dt>Category:</dt><dd><a href="#">Gen</a></dd>
<dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
<dt>Characters:</dt><dd><a href="#">Ada Finch</a>, <a href="#">Bea Finch</a></dd>
<dt>Additional Tags:</dt><dd><a href="#">Sisters</a>, <a href="#">Rain</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Series:</dt><dd>Part 3 of <a href="#">Rainy Day Stories</a></dd>
<dt>Stats:</dt><dd>Published: 2022-05-20 Completed: 2022-06-02 Words: 212 Chapters: 2/2</dd>
</dl>
<h1>Paper Boats</h1>
<div class="byline">by <a rel="author" href="#">inkwellwren</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>Two sisters race paper boats down the gutter after a
storm.</p><p>Only one boat comes back.</p></blockquote>
</div></div>"""

AO3_CHAPTER_1 = """<div id="chapters" class="userstuff"><div class="meta group">
<h2 class="heading">Chapter 1: Launch</h2>
<p>Chapter Notes</p><blockquote class="userstuff"><p>For my sister.</p></blockquote>
</div>
<div class="userstuff">
<p>Ada folded the boats from the back pages of the parish newsletter.</p>
<p>&#8220;Mine&#8217;s faster,&#8221; said Bea, and set hers on the water first.</p>
</div></div>"""

# calibre's split repeats the ancestors in the next file, without their ids.
AO3_CHAPTER_2 = """<div class="userstuff"><div class="meta group">
<h2 class="heading">Chapter 2: The Drain</h2>
</div>
<div class="userstuff">
<p>The gutter ran fast and brown past the baker's and the post office.</p>
<p>&#8220;Where does it go?&#8221; Ada asked.</p>
<p>Bea did not know, and for once she said so.</p>
</div>
<div class="meta" id="endnotes2"><p>Chapter End Notes</p>
<blockquote class="userstuff"><p>No boats were harmed.</p></blockquote></div>
</div>"""

AO3_AFTERWORD = """<div id="afterword"><h2 class="toc-heading">Afterword</h2>
<div class="meta"><div id="endnotes"><p>End Notes</p>
<blockquote class="userstuff"><p>Thanks for reading!</p></blockquote></div></div>
<p class="message">Please drop by the archive and comment.</p></div>"""


def ao3_epub() -> bytes:
    files = {
        "Paper_Boats_split_000.xhtml": xhtml(AO3_PREFACE),
        "Paper_Boats_split_001.xhtml": xhtml(AO3_CHAPTER_1),
        "Paper_Boats_split_002.xhtml": xhtml(AO3_CHAPTER_2),
        "Paper_Boats_split_003.xhtml": xhtml(AO3_AFTERWORD),
    }
    return epub_with(files, AO3_OPF_METADATA)


def test_ao3_epub_metadata() -> None:
    loaded = load_bytes(ao3_epub(), path="paper_boats.epub")
    assert loaded.source.format == "epub"
    work = loaded.work
    assert work is not None
    assert work.title == "Paper Boats"
    assert work.authors == ["inkwellwren"]
    assert work.summary == (
        "Two sisters race paper boats down the gutter after a storm.\n\nOnly one boat comes back."
    )
    assert work.url == "https://archiveofourown.org/works/1123581"
    assert (work.published, work.updated, work.complete) == ("2022-05-20", "2022-06-02", True)
    assert work.word_count == 212
    declared = work.declared
    assert declared.rating == "General Audiences"
    assert declared.categories == ["Gen"]
    assert declared.characters == ["Ada Finch", "Bea Finch"]
    assert declared.tags == ["Sisters", "Rain"]  # not the OPF's jumble of subjects
    assert declared.series == ["Rainy Day Stories (part 3)"]


def test_ao3_epub_text_and_layout() -> None:
    loaded = load_bytes(ao3_epub(), path="paper_boats.epub")
    text = loaded.text
    assert "<" not in text and "&#" not in text
    assert "“Mine’s faster,” said Bea" in text
    assert "Please drop by" not in text
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    chapters = analysis.work.chapters
    assert [c.title for c in chapters] == ["Chapter 1: Launch", "Chapter 2: The Drain"]
    assert [len(c.paragraphs) for c in chapters] == [2, 3]
    assert text[chapters[1].paragraphs[-1].start :].startswith("Bea did not know")
    kinds = [(n.kind, n.chapter) for n in analysis.work.notes]
    assert ("author-note", 0) in kinds
    assert kinds.count(("end-note", 1)) == 2  # the chapter's and the work's end notes
    assert analysis.work.title == "Paper Boats"
    assert analysis.work.declared.fandoms == ["Original Work"]


# --- FanFicFare ------------------------------------------------------------------------

FFF_METADATA = """
<dc:identifier id="fanficfare-uid">fanficfare-uid:example.org-u77-s901</dc:identifier>
<dc:title id="id">Stars Over Ashford</dc:title>
<dc:creator opf:role="aut">Pell Marrow</dc:creator>
<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:date opf:event="publication">2018-02-11</dc:date>
<dc:date opf:event="modification">2018-09-30</dc:date>
<meta name="calibre:series" content="Ashford Nights"/>
<meta name="calibre:series_index" content="1.00"/>
<dc:description>&lt;p&gt;Nell and Cass climb the water tower to watch a meteor
shower.&lt;/p&gt;</dc:description>
<dc:subject>FanFiction</dc:subject>
<dc:subject>Ashford Academy</dc:subject>
<dc:subject>Friendship</dc:subject>
<dc:subject>Completed</dc:subject>
<dc:publisher>example.org</dc:publisher>
<dc:source>https://example.org/s/901/1/Stars-Over-Ashford</dc:source>
"""

FFF_TITLE_PAGE = """<h3><a href="https://example.org/s/901/1/Stars-Over-Ashford">Stars Over
Ashford</a> by <a class="authorlink" href="https://example.org/u/77">Pell Marrow</a></h3>
<div>
<b>Category:</b> Ashford Academy<br />
<b>Genre:</b> Friendship, Hurt/Comfort<br />
<b>Language:</b> English<br />
<b>Characters:</b> Nell Oduya, Cass Brennan<br />
<b>Relationships:</b> Nell Oduya &amp; Cass Brennan<br />
<b>Status:</b> Completed<br />
<b>Published:</b> 2018-02-11<br />
<b>Updated:</b> 2018-09-30<br />
<b>Packaged:</b> 2023-01-04 10:12:55<br />
<b>Rating:</b> K+<br />
<b>Warnings:</b> None<br />
<b>Chapters:</b> 2<br />
<b>Words:</b> 4,310<br />
<b>Publisher:</b> example.org<br />
<b>Summary:</b> <p>Nell and Cass climb the water tower to watch a meteor shower.</p>
<p>Cass is afraid of heights.</p><br />
</div>"""

FFF_TOC = """<div><h3>Table of Contents</h3>
<a href="file0001.xhtml">1. The Tower</a><br /><a href="file0002.xhtml">Falling</a><br /></div>"""

FFF_CHAPTER_1 = """<h3 class="fff_chapter_title">1. The Tower</h3>
<div class="storytext"><p>The ladder was colder than Nell expected.</p>
<p>&#8220;Don&#8217;t look down,&#8221; Cass said, looking down.</p></div>"""

FFF_CHAPTER_2 = """<h3 class="fff_chapter_title">Falling</h3>
<div><p>The first meteor cut the sky in half.</p><hr/>
<p>Later neither of them could say who had grabbed whose hand.</p></div>"""


def fanficfare_epub() -> bytes:
    files = {
        "title_page.xhtml": xhtml(FFF_TITLE_PAGE, body_class="fff_titlepage"),
        "toc_page.xhtml": xhtml(FFF_TOC, body_class="fff_tocpage"),
        "file0001.xhtml": xhtml(FFF_CHAPTER_1, body_class="fff_chapter"),
        "file0002.xhtml": xhtml(FFF_CHAPTER_2, body_class="fff_chapter"),
    }
    return epub_with(files, FFF_METADATA)


def test_fanficfare_epub_metadata() -> None:
    work = load_bytes(fanficfare_epub(), path="stars.epub").work
    assert work is not None
    assert work.title == "Stars Over Ashford"
    assert work.authors == ["Pell Marrow"]
    assert work.summary == (
        "Nell and Cass climb the water tower to watch a meteor shower.\n\n"
        "Cass is afraid of heights."
    )
    assert work.url == "https://example.org/s/901/1/Stars-Over-Ashford"
    assert (work.published, work.updated, work.complete) == ("2018-02-11", "2018-09-30", True)
    assert work.word_count == 4310
    assert work.chapters_planned is None
    declared = work.declared
    assert declared.fandoms == ["Ashford Academy"]
    assert declared.tags == ["Friendship", "Hurt/Comfort"]
    assert declared.characters == ["Nell Oduya", "Cass Brennan"]
    assert declared.relationships == ["Nell Oduya & Cass Brennan"]
    assert (declared.rating, declared.rating_as_written) == ("General Audiences", "K+")
    assert declared.warnings == ["No Archive Warnings Apply"]  # what "None" means on AO3
    assert declared.language == "English"
    assert declared.series == ["Ashford Nights (part 1)"]


def test_fanficfare_epub_chapters() -> None:
    loaded = load_bytes(fanficfare_epub(), path="stars.epub")
    text = loaded.text
    assert "Table of Contents" not in text
    assert "Packaged" not in text
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    chapters = analysis.work.chapters
    # A title that is not a numbered heading gets one, so the layout sees the chapter.
    assert [c.title for c in chapters] == ["1. The Tower", "Chapter 2: Falling"]
    assert [len(c.paragraphs) for c in chapters] == [2, 2]
    assert len(chapters[1].scene_breaks) == 1
    assert analysis.work.summary is not None
    assert analysis.work.summary.endswith("afraid of heights.")
    assert analysis.work.declared.relationships == ["Nell Oduya & Cass Brennan"]
    assert [n.kind for n in analysis.work.notes][:3] == ["title", "byline", "summary"]


def test_fanficfare_table_title_page() -> None:
    table = """<h3><a href="https://example.org/s/5">Tide</a> by <a href="#">Ro</a></h3>
<table class="full">
<tr><td><b>Category:</b></td><td>Harbour Tales</td></tr>
<tr><td><b>Rating:</b></td><td>T</td></tr>
<tr><td><b>Status:</b></td><td>In-Progress</td></tr>
<tr><td><b>Warnings:</b></td><td>Language, Major Character Death</td></tr>
<tr><td colspan="2"><b>Series:</b> Harbour Tales [2]</td></tr>
<tr><td colspan="2"><b>Summary:</b> A short one.</td></tr>
</table>"""
    chapter = "<h3>Chapter 1</h3><p>The tide came in.</p><p>It went out.</p>"
    files = {
        "title_page.xhtml": xhtml(table, body_class="fff_titlepage"),
        "file0001.xhtml": xhtml(chapter, body_class="fff_chapter"),
    }
    work = load_bytes(epub_with(files, "<dc:title>Tide</dc:title>"), path="t.epub").work
    assert work is not None
    assert work.authors == ["Ro"]  # from the title page: the OPF names no creator
    assert work.declared.fandoms == ["Harbour Tales"]
    assert work.declared.rating == "Teen And Up Audiences"
    assert work.complete is False
    # An archive warning is a warning; what else a site warns of is a tag.
    assert work.declared.warnings == ["Major Character Death"]
    assert work.declared.tags == ["Language"]
    assert work.declared.series == ["Harbour Tales (part 2)"]
    assert work.summary == "A short one."
    assert work.url == "https://example.org/s/5"


# --- other EPUBs -------------------------------------------------------------------------


def test_plain_epub_chapters_from_headings() -> None:
    files = {
        "one.xhtml": xhtml("<h1>Prologue</h1><p>It began with a key.</p>"),
        "two.xhtml": xhtml("<h2>The Door</h2><p>The key fit.</p><p>The door opened.</p>"),
    }
    meta = (
        "<dc:title>Keys</dc:title><dc:creator>M. Reyes</dc:creator><dc:subject>Mystery</dc:subject>"
    )
    loaded = load_bytes(epub_with(files, meta), path="keys.epub")
    assert loaded.work is not None
    assert loaded.work.declared.tags == ["Mystery"]
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    assert [c.title for c in analysis.work.chapters] == ["Prologue", "Chapter 2: The Door"]
    assert [len(c.paragraphs) for c in analysis.work.chapters] == [1, 2]
    assert analysis.work.title == "Keys"
    assert analysis.work.authors == ["M. Reyes"]


def test_contents_page_in_the_spine_is_not_story() -> None:
    contents = "".join(f'<p><a href="c{i}.xhtml">Chapter {i}</a></p>' for i in range(1, 4))
    files = {
        "toc.xhtml": xhtml(f"<h1>Contents</h1>{contents}"),
        "c1.xhtml": xhtml("<h1>Chapter 1</h1><p>Rain again.</p>"),
    }
    loaded = load_bytes(epub_with(files, "<dc:title>Rain</dc:title>"), path="r.epub")
    assert "Contents" not in loaded.text
    assert loaded.text.endswith("Chapter 1\n\nRain again.\n")


def test_epub_is_recognised_by_container_without_mimetype(tmp_path: Path) -> None:
    entries = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf("<dc:title>X</dc:title>", ["a.xhtml"]),
        "OEBPS/a.xhtml": xhtml("<p>Only text.</p>"),
    }
    data = make_epub(entries, mimetype=False)
    assert sniff_format(data) == "epub"
    path = tmp_path / "renamed.zip"
    path.write_bytes(data)
    assert load_path(path).text.endswith("Only text.\n")


def test_font_obfuscation_is_not_drm() -> None:
    encryption = b"""<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
    xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
    <enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData>
    </enc:EncryptedData></encryption>"""
    data = epub_with(
        {"a.xhtml": xhtml("<p>Text.</p>")}, extra={"META-INF/encryption.xml": encryption}
    )
    assert load_bytes(data, path="f.epub").text.endswith("Text.\n")


# --- bad EPUBs ---------------------------------------------------------------------------


def reason_for(data: bytes, name: str = "bad.epub") -> str:
    with pytest.raises(InputError) as info:
        load_bytes(data, path=name)
    assert str(info.value) == f"{name}: {info.value.reason}"
    assert "\n" not in str(info.value)
    return info.value.reason


def test_zip_that_is_not_an_epub() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert reason_for(buffer.getvalue()) == "not a text file: ZIP archive"


def test_truncated_epub() -> None:
    data = ao3_epub()
    assert reason_for(data[: len(data) // 2]) == (
        "corrupt or truncated EPUB (not a readable ZIP archive)"
    )


def test_corrupt_entry() -> None:
    data = bytearray(fanficfare_epub())
    # Damage the compressed bytes of the first chapter.
    start = data.index(b"OEBPS/file0001.xhtml") + len("OEBPS/file0001.xhtml") + 10
    data[start : start + 40] = bytes(40)
    assert reason_for(bytes(data)).startswith("corrupt or truncated EPUB (OEBPS/")


def test_missing_package_file() -> None:
    data = make_epub({"META-INF/container.xml": CONTAINER, "OEBPS/a.xhtml": b"<p>x</p>"})
    assert reason_for(data) == "EPUB is missing its package file OEBPS/content.opf"


def test_container_without_rootfile() -> None:
    data = make_epub({"META-INF/container.xml": b"<?xml version='1.0'?><container/>"})
    assert reason_for(data) == "EPUB's META-INF/container.xml names no package (OPF) file"


def test_missing_content_document() -> None:
    entries = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf("<dc:title>X</dc:title>", ["gone.xhtml"]),
    }
    assert reason_for(make_epub(entries)) == "EPUB is missing OEBPS/gone.xhtml"


def test_empty_spine() -> None:
    entries = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": opf("", [])}
    assert reason_for(make_epub(entries)) == "EPUB has no content documents in its spine"


def test_epub_without_story_text() -> None:
    data = epub_with({"cover.xhtml": xhtml('<div><img src="cover.jpg" alt="cover"/></div>')})
    assert reason_for(data) == "EPUB with no story text in its content documents"


def test_drm_encrypted_epub() -> None:
    encryption = b"""<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
    xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
    <enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData>
    </enc:EncryptedData></encryption>"""
    data = epub_with(
        {"a.xhtml": b"\x8f\x12\x00garbled"}, extra={"META-INF/encryption.xml": encryption}
    )
    assert reason_for(data) == "EPUB is encrypted (DRM): its content cannot be read"
    rights = epub_with({"a.xhtml": b"x"}, extra={"META-INF/rights.xml": b"<rights/>"})
    assert reason_for(rights) == (
        "EPUB is encrypted (DRM): it has a licence file (META-INF/rights.xml)"
    )


def test_xml_entity_declarations_are_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<package xmlns="http://www.idpf.org/2007/opf"><metadata>&b;</metadata></package>"""
    entries = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": bomb}
    assert reason_for(make_epub(entries)) == (
        "EPUB's OEBPS/content.opf declares XML entities (refused for safety)"
    )


def test_malformed_opf() -> None:
    entries = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": b"<package><meta"}
    assert reason_for(make_epub(entries)).startswith(
        "EPUB's OEBPS/content.opf is not well-formed XML"
    )


def test_zip_bomb_is_capped_at_the_limit() -> None:
    # 60 MB of spaces compress to a few tens of KB; reading stops at the 50 MB limit.
    data = epub_with({"a.xhtml": b"<p>" + b" " * (60 * 1024 * 1024) + b"</p>"})
    assert len(data) < 1024 * 1024
    assert reason_for(data) == "EPUB unpacks to more than 50 MB (refused)"


def test_the_cap_counts_every_entry() -> None:
    chapter = xhtml("<p>" + "word " * 4000 + "</p>")  # about 20 KB each
    data = epub_with({f"c{i}.xhtml": chapter for i in range(5)})
    assert read_epub(data, "x.epub", max_bytes=200 * 1024).text
    with pytest.raises(InputError) as info:
        read_epub(data, "x.epub", max_bytes=64 * 1024)
    assert info.value.reason == "EPUB unpacks to more than 64 KB (refused)"


def test_cli_bad_epub_one_line_error_and_nonzero_exit(tmp_path: Path) -> None:
    bad = tmp_path / "bad.epub"
    bad.write_bytes(ao3_epub()[:500])
    good = tmp_path / "good.epub"
    good.write_bytes(fanficfare_epub())
    result = CliRunner().invoke(
        main, ["analyze", str(bad), str(good), "--json", "--disable", "tokens"]
    )
    assert result.exit_code == 1
    assert f"ficlens: error: {bad}: corrupt or truncated EPUB" in result.stderr
    assert len([line for line in result.stderr.splitlines() if "error:" in line]) == 1
    assert '"format": "epub"' in result.stdout or '"format":"epub"' in result.stdout


def test_ao3_epub_with_classes_renamed_by_the_converter() -> None:
    # calibre may replace class names with its own ("calibre3"); ids and words remain.
    def renamed(html: str) -> bytes:
        return xhtml(re.sub(r'class="[^"]*"', 'class="calibre3"', html))

    files = {
        "part0.xhtml": renamed(AO3_PREFACE),
        "part1.xhtml": renamed(AO3_CHAPTER_1),
        "part2.xhtml": renamed(AO3_CHAPTER_2),
        "part3.xhtml": renamed(AO3_AFTERWORD),
    }
    loaded = load_bytes(epub_with(files, AO3_OPF_METADATA), path="renamed.epub")
    reference = load_bytes(ao3_epub(), path="paper_boats.epub")
    assert loaded.text == reference.text
    assert loaded.work == reference.work
