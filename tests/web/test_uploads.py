"""Uploading the formats people have: an AO3 HTML download and an EPUB, read by content."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from starlette.testclient import TestClient
from web_helpers import csrf_of

from ficlens.web import create_app

UPLOADS = Path(__file__).resolve().parent / "uploads"


def small_epub() -> bytes:
    """A minimal EPUB 2: container, package document and one chapter."""
    opf = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>Lanterns on the Canal</dc:title>
    <dc:creator>bargeandbell</dc:creator>
    <dc:identifier id="uid">lanterns-1</dc:identifier>
    <dc:language>en</dc:language>
  </metadata>
  <manifest><item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>"""
    chapter = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head><body>
<h2>Chapter 1</h2>
<p>Nell Marsh lit the lanterns one by one along the towpath.</p>
<p>"You missed one," said Arlo Finch from the barge.</p>
<p>"I never miss," Nell said, and lit it.</p>
</body></html>"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
    media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr("OEBPS/chapter1.xhtml", chapter)
    return buffer.getvalue()


def test_an_ao3_download_is_added_and_read_as_text(tmp_path: Path) -> None:
    data = (UPLOADS / "ao3_orchard.html").read_bytes()
    with TestClient(create_app(str(tmp_path / "lib.sqlite3"))) as client:
        csrf = csrf_of(client)
        added = client.post(
            "/analyse",
            data={"csrf": csrf, "add": "1"},
            files={"file": ("orchard.html", data, "text/html")},
            follow_redirects=False,
        )
        assert added.status_code == 303
        work_url = added.headers["location"].split("?")[0]
        work = client.get(work_url).text
        assert "<h1>The Orchard Ledger</h1>" in work
        assert "pearandplum" in work
        # AO3's own tags are declared tags.
        for tag in ("Orchard Keepers", "Apples", "General Audiences"):
            assert re.search(rf'class="tag declared"><span class="name">{tag}</span>', work)
        reader = client.get(f"{work_url}/read").text
        story = reader.split('<section class="chapter"')[1]
        assert "Hester counts" not in story  # the summary is not story text
        assert "<script>" not in reader.split("</head>")[1]
        assert "<b>Thirty-eight" not in story
        assert re.search(r'data-speaker="Owen Pike"[^>]*>[^<]*Thirty-nine', story)
        assert re.search(r'data-speaker="Hester Lamb"[^>]*>[^<]*forty', story)


def test_an_epub_is_analysed_through_the_api(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "lib.sqlite3"))) as client:
        response = client.post("/api/analyse?filename=lanterns.epub", content=small_epub())
        assert response.status_code == 200
        analysis = response.json()["analysis"]
        assert analysis["source"]["format"] == "epub"
        assert analysis["work"]["title"] == "Lanterns on the Canal"
        assert analysis["work"]["authors"] == ["bargeandbell"]
        assert {"Nell Marsh", "Arlo Finch"} <= {c["name"] for c in analysis["characters"]}


def test_a_broken_epub_gets_a_one_line_reason(tmp_path: Path) -> None:
    broken = small_epub()[:200]
    with TestClient(create_app(str(tmp_path / "lib.sqlite3"))) as client:
        csrf = csrf_of(client)
        page = client.post("/analyse", data={"csrf": csrf}, files={"file": ("broken.epub", broken)})
        assert page.status_code == 400
        message = re.search(r'<p class="error" role="alert">([^<]*)</p>', page.text)
        assert message and message.group(1).startswith("broken.epub: ")
        assert "\n" not in message.group(1)
