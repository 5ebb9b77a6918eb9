"""Throughput of the HTML and EPUB readers (bytes to rendered text and metadata, no analysis).

Builds a synthetic long work in AO3's HTML download layout and in FanFicFare's EPUB
layout (``--chapters`` chapters of ``--paragraphs`` paragraphs, 25 words each), then
times ``load_bytes`` on each: the best of ``--repeat`` runs. Words are whitespace-split
tokens of the rendered text.

    PYTHONPATH=. python bench/bench_read.py [--chapters 200] [--paragraphs 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ficlens.read import load_bytes

PARAGRAPH = (
    "<p>&ldquo;The harbour lights were out again,&rdquo; she said, and he looked up from "
    "the ledger where every ship was written in a careful, slanted hand.</p>\n"
)
PREFACE = """<div id="preface"><div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="#">Teen And Up Audiences</a></dd>
<dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
<dt>Additional Tags:</dt><dd><a href="#">Slow Burn</a>, <a href="#">Lighthouses</a></dd>
<dt>Stats:</dt><dd>Published: 2021-03-07 Words: 500,000 Chapters: 200/200</dd></dl>
<h1>Ledger</h1><div class="byline">by <a rel="author" href="#">someone</a></div>
<p>Summary</p><blockquote class="userstuff"><p>A long one.</p></blockquote></div></div>"""
XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
    '<head><title>t</title></head><body class="{cls}">{body}</body></html>'
)


def ao3_html(chapters: int, paragraphs: int) -> bytes:
    body = "".join(
        f'<div class="meta group"><h2 class="heading">Chapter {i}: Part {i}</h2></div>\n'
        f'<div class="userstuff">{PARAGRAPH * paragraphs}</div>\n'
        for i in range(1, chapters + 1)
    )
    page = (
        '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Ledger</title></head><body>'
        f'{PREFACE}<div id="chapters" class="userstuff">{body}</div></body></html>'
    )
    return page.encode("utf-8")


def fanficfare_epub(chapters: int, paragraphs: int) -> bytes:
    title_page = (
        '<h3><a href="https://example.org/s/1">Ledger</a> by <a href="#">someone</a></h3><div>'
        "<b>Category:</b> Original<br /><b>Genre:</b> Drama<br /><b>Rating:</b> T<br />"
        "<b>Summary:</b> A long one.<br /></div>"
    )
    files = {"title_page.xhtml": XHTML.format(cls="fff_titlepage", body=title_page)}
    for i in range(1, chapters + 1):
        body = f'<h3 class="fff_chapter_title">Chapter {i}</h3>' + PARAGRAPH * paragraphs
        files[f"file{i:04d}.xhtml"] = XHTML.format(cls="fff_chapter", body=body)
    manifest = "".join(
        f'<item id="f{n}" href="{name}" media-type="application/xhtml+xml"/>'
        for n, name in enumerate(files)
    )
    spine = "".join(f'<itemref idref="f{n}"/>' for n in range(len(files)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Ledger</dc:title>'
        f"</metadata><manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        for name, content in files.items():
            archive.writestr(f"OEBPS/{name}", content)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--paragraphs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = {
        "ao3-html": ao3_html(args.chapters, args.paragraphs),
        "fanficfare-epub": fanficfare_epub(args.chapters, args.paragraphs),
    }
    for name, data in inputs.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            loaded = load_bytes(data, path=name)
            best = min(best, time.perf_counter() - start)
        words = len(loaded.text.split())
        print(
            f"{name}: {len(data) / 1e6:.1f} MB in, {words:,} words out, "
            f"best of {args.repeat}: {best:.2f} s, {words / best:,.0f} words/s"
        )


if __name__ == "__main__":
    main()
