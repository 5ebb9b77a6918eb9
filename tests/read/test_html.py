"""HTML input: AO3 downloads (metadata, rendered text, layout of it), other HTML, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficlens.cli import main
from ficlens.document import Document
from ficlens.errors import InputError
from ficlens.model import Analysis, Declared, Work
from ficlens.pipeline import Pipeline
from ficlens.read import Loaded, load_bytes, load_path
from ficlens.read.markup import decode_html, paragraphs, parse_html
from ficlens.read.metadata import merge_source_work
from ficlens.read.sniff import sniff_format

FIXTURES = Path(__file__).parent / "fixtures"
AO3 = FIXTURES / "ao3_lighthouse.html"
CP1252 = FIXTURES / "cp1252_winter_market.html"


@pytest.fixture(scope="module")
def ao3() -> Loaded:
    return load_path(AO3)


@pytest.fixture(scope="module")
def ao3_analysis(ao3: Loaded) -> Analysis:
    # Layout and quotes only: the merge happens right after layout, whatever runs later.
    return Pipeline(disable=["tokens"]).analyze_loaded(ao3)


def reason_for(data: bytes, name: str = "fic.html") -> str:
    with pytest.raises(InputError) as info:
        load_bytes(data, path=name)
    assert str(info.value).startswith(f"{name}: ")
    assert "\n" not in str(info.value)
    return info.value.reason


# --- AO3 downloads: what the source declares ----------------------------------------------


def test_ao3_download_is_recognised_from_its_content(ao3: Loaded) -> None:
    assert ao3.source.format == "ao3-html"
    assert ao3.source.encoding == "utf-8"
    # Renamed, it is still an AO3 download: the name plays no part.
    renamed = load_bytes(AO3.read_bytes(), path="story.txt")
    assert renamed.source.format == "ao3-html"
    assert renamed.text == ao3.text


def test_ao3_every_tags_field(ao3: Loaded) -> None:
    work = ao3.work
    assert work is not None
    declared = work.declared
    assert declared.rating == "Teen And Up Audiences"
    assert declared.rating_as_written == "Teen And Up Audiences"
    assert declared.warnings == ["No Archive Warnings Apply"]
    assert declared.categories == ["F/M", "Gen"]
    assert declared.fandoms == ["Original Work"]
    assert declared.relationships == ["Maren Holt/Tobias Quill"]
    assert declared.characters == ["Maren Holt", "Tobias Quill", "Old Ansel"]
    assert declared.tags == ["Slow Burn", "Lighthouses", "Hurt/Comfort"]
    assert declared.language == "English"
    assert declared.series == ["Tides & Ledgers (part 2)"]
    assert declared.collections == ["Coastal Fest 2021"]


def test_ao3_title_byline_summary_and_stats(ao3: Loaded) -> None:
    work = ao3.work
    assert work is not None
    assert work.title == "The Lighthouse Keeper's Ledger"
    assert work.authors == ["saltwaterquill"]
    assert work.summary == (
        "Maren keeps the light on Gannet Rock and a ledger of every ship that passes.\n\n"
        "One night a ship passes that is not in any register."
    )
    assert work.url == "http://archiveofourown.org/works/4815162"
    assert work.published == "2021-03-07"
    assert work.updated == "2021-04-18"
    assert work.word_count == 1402
    assert work.chapters_planned == 3
    assert work.complete is False  # 2 of 3 chapters


def test_ao3_rendered_text_has_no_markup_and_decoded_entities(ao3: Loaded) -> None:
    text = ao3.text
    for leftover in ("<", ">", "&ldquo;", "&#39;", "&mdash;", "document.title", "font-family"):
        assert leftover not in text
    assert "“You’ll wear the wick out,” said Old Ansel" in text
    # Preface boilerplate and the afterword's request for comments are not the story.
    assert "Posted originally" not in text
    assert "drop by the archive" not in text
    assert "See the end of" not in text


def test_ao3_rendered_text_in_reading_order(ao3: Loaded) -> None:
    text = ao3.text
    order = [
        "Title: The Lighthouse Keeper's Ledger",
        "Author: saltwaterquill",
        "Summary: Maren keeps the light",
        "Notes: Written for Coastal Fest",
        "Chapter 1: The Ledger",
        "Chapter Summary: A ship with no name.",
        "Chapter Notes: This chapter is short",
        "The fog came in at four",
        "* * *",
        "At midnight a ship slid past",
        "Notes: Gannet Rock is made up",
        "Chapter 2: The Visitor",
        "Chapter Notes: Tobias arrives!",
        "Tobias Quill came up the steps",
        "Notes: Thank you for reading.",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_ao3_layout_finds_chapters_and_notes(ao3: Loaded, ao3_analysis: Analysis) -> None:
    text = ao3.text
    work = ao3_analysis.work
    assert [c.title for c in work.chapters] == ["Chapter 1: The Ledger", "Chapter 2: The Visitor"]
    first, second = work.chapters
    assert [text[p.start : p.end][:20] for p in first.paragraphs] == [
        "The fog came in at f",
        "“You’ll wear the wic",
        "“Then I’ll trim it,”",
        "At midnight a ship s",
    ]
    assert len(second.paragraphs) == 4
    assert len(first.scene_breaks) == 1
    assert text[first.scene_breaks[0] :].startswith("* * *")
    kinds = [(note.kind, note.chapter) for note in work.notes]
    assert kinds == [
        ("title", None),
        ("byline", None),
        ("summary", None),
        ("author-note", None),
        ("summary", 0),
        ("author-note", 0),
        ("end-note", 0),
        ("author-note", 1),
        ("end-note", 1),
    ]
    for note in work.notes:
        assert note.text == text[note.start : note.end]
    assert all(text[q.start : q.end].startswith("“") for q in ao3_analysis.quotes)
    assert len(ao3_analysis.quotes) >= 5


def test_merged_analysis_has_the_declared_metadata(ao3_analysis: Analysis) -> None:
    work = ao3_analysis.work
    assert ao3_analysis.source.format == "ao3-html"
    assert work.title == "The Lighthouse Keeper's Ledger"
    assert work.authors == ["saltwaterquill"]
    assert work.summary is not None and work.summary.startswith("Maren keeps the light")
    assert work.summary.endswith("not in any register.")  # both paragraphs, not one
    assert work.declared.fandoms == ["Original Work"]
    assert work.declared.relationships == ["Maren Holt/Tobias Quill"]
    assert work.declared.rating == "Teen And Up Audiences"
    assert work.declared.series == ["Tides & Ledgers (part 2)"]
    assert work.url == "http://archiveofourown.org/works/4815162"
    assert (work.published, work.updated, work.complete, work.chapters_planned) == (
        "2021-03-07",
        "2021-04-18",
        False,
        3,
    )
    assert work.word_count == 1402


def test_source_wins_and_notes_add_to_declared_lists() -> None:
    # A note in the text declares more tags: the source's come first, the note's follow.
    html = AO3.read_text(encoding="utf-8").replace(
        "<p>Tobias Quill came up", "<p>Warnings: swearing, slow burn</p>\n<p>Tobias Quill came up"
    )
    loaded = load_bytes(html.encode("utf-8"), path="x.html")
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    tags = analysis.work.declared.tags
    assert tags[:3] == ["Slow Burn", "Lighthouses", "Hurt/Comfort"]
    assert "Swearing" in tags
    assert [t.lower() for t in tags].count("slow burn") == 1


def test_single_chapter_download_has_no_heading() -> None:
    html = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
    <div id="preface"><div class="meta"><dl class="tags">
    <dt>Rating:</dt><dd><a href="#">Explicit</a></dd>
    <dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
    <dt>Stats:</dt><dd>Published: 2019-12-01 Words: 30 Chapters: 1/1</dd></dl>
    <h1>one small thing</h1><div class="byline">by <a rel="author" href="#">anon_a</a>,
    <a rel="author" href="#">anon b</a></div></div></div>
    <div id="chapters" class="userstuff"><div class="userstuff">
    <p>She counted the stairs twice.</p><p>There were always thirteen.</p>
    </div></div><div id="afterword"><p class="message">Please comment.</p></div>
    </body></html>"""
    loaded = load_bytes(html.encode(), path="one.html")
    assert loaded.source.format == "ao3-html"
    assert loaded.work is not None
    assert loaded.work.authors == ["anon_a", "anon b"]
    assert loaded.work.complete is True
    assert loaded.work.declared.rating == "Explicit"
    assert "Chapter" not in loaded.text
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    assert analysis.work.title == "one small thing"
    (chapter,) = analysis.work.chapters
    paras = [loaded.text[p.start : p.end] for p in chapter.paragraphs]
    assert paras == ["She counted the stairs twice.", "There were always thirteen."]


# --- other HTML ------------------------------------------------------------------------


def test_cp1252_meta_charset() -> None:
    loaded = load_path(CP1252)
    assert loaded.source.format == "html"
    assert loaded.source.encoding == "cp1252"
    assert loaded.work is None
    assert "crèpes from the café" in loaded.text
    assert "“Careful,” said the baker. “They’re hot.”" in loaded.text
    assert "Ines laughed – she always" in loaded.text
    assert "awnings & the lanterns" in loaded.text
    assert "<" not in loaded.text


def test_declared_charset_that_the_bytes_contradict_falls_back_to_detection() -> None:
    data = "<html><head><meta charset='utf-8'></head><body><p>Café – “yes”.</p></body></html>"
    decoded = decode_html(data.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert "Café – “yes”." in decoded.text


def test_generic_html_paragraphs_breaks_and_headings() -> None:
    html = b"""<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
    <h2>Chapter One</h2><p>First   line<br>second line</p><div>A div&nbsp;paragraph</div>
    <p>&nbsp;</p><script>var x = 1;</script><p>Last <em>one</em>.</p></body></html>"""
    loaded = load_bytes(html, path="page.html")
    assert loaded.source.format == "html"
    assert loaded.text == (
        "Chapter One\n\nFirst line\n\nsecond line\n\nA div paragraph\n\nLast one.\n"
    )


def test_broken_html_still_reads() -> None:
    html = b"<html><body><p>Unclosed <b>bold<p>Next</i> para</div><p>Third &amp more"
    loaded = load_bytes(html, path="broken.html")
    assert loaded.text == "Unclosed bold\n\nNext para\n\nThird & more\n"


def test_html_fragment_without_html_tag_is_sniffed_as_html() -> None:
    assert sniff_format(b"<div id='preface'><p>Hi</p></div>") == "html"
    assert sniff_format(b"<p>Once upon a time</p>") == "html"
    assert sniff_format(b"<Author's note> Enjoy!\n") == "text"


def test_paragraphs_of_a_table_and_a_list() -> None:
    root = parse_html("<table><tr><td>a</td><td>b</td></tr></table><ul><li>x<li>y</ul>")
    assert paragraphs(root) == ["a b", "x", "y"]


# --- errors ------------------------------------------------------------------------------


def test_html_without_story_text() -> None:
    data = b"<!DOCTYPE html><html><head><title>Fic</title></head><body><div></div></body></html>"
    assert reason_for(data) == "HTML file with no story text (no paragraphs outside the markup)"


def test_ao3_download_without_chapter_text() -> None:
    data = AO3.read_bytes()
    start = data.index(b'<div id="chapters"')
    end = data.index(b'<div id="afterword"')
    assert reason_for(data[:start] + data[end:]) == "AO3 download with no chapter text"


# --- the command line ----------------------------------------------------------------------


def test_cli_analyze_ao3_html_json() -> None:
    result = CliRunner().invoke(main, ["analyze", str(AO3), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["format"] == "ao3-html"
    assert data["work"]["title"] == "The Lighthouse Keeper's Ledger"
    assert data["work"]["declared"]["characters"] == ["Maren Holt", "Tobias Quill", "Old Ansel"]
    assert len(data["work"]["chapters"]) == 2
    names = {c["name"] for c in data["characters"]}
    assert {"Maren", "Tobias Quill"} <= names
    # The fandoms stage ran after the merge: it saw the declared fandom.
    assert {"name": "Original Work", "source": "declared"}.items() <= data["fandoms"][0].items()


def test_declared_metadata_is_merged_before_the_later_stages(ao3: Loaded) -> None:
    seen: dict[str, object] = {}
    pipeline = Pipeline(disable=["tokens"])

    def quotes_spy(document: Document) -> None:
        seen["title"] = document.analysis.work.title
        seen["fandoms"] = list(document.analysis.work.declared.fandoms)

    pipeline._stages[pipeline.names.index("quotes")] = quotes_spy
    pipeline.analyze_loaded(ao3)
    assert seen == {"title": "The Lighthouse Keeper's Ledger", "fandoms": ["Original Work"]}


def test_cli_bad_html_one_line_error_and_exit_status(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"<html><body><p>   </p></body></html>")
    result = CliRunner().invoke(main, ["analyze", str(empty), str(CP1252), "--json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [
        f"ficlens: error: {empty}: HTML file with no story text (no paragraphs outside the markup)"
    ]
    # The good file is still analysed.
    assert json.loads(result.stdout)["source"]["format"] == "html"


def test_merge_source_over_layout() -> None:
    layout = Work(
        title="Guessed Title",
        authors=["guessed"],
        summary="guessed summary",
        declared=Declared(
            rating="Mature",
            rating_as_written="M",
            tags=["Angst", "fluff"],
            fandoms=["Merlin"],
            setting="post-series",
        ),
        word_count=120,
    )
    source = Work(
        title="Real Title",
        authors=["real_author"],
        declared=Declared(rating="Teen And Up Audiences", tags=["Fluff", "Rain"]),
        complete=True,
        word_count=130,
    )
    merge_source_work(layout, source)
    assert (layout.title, layout.authors, layout.summary) == (
        "Real Title",
        ["real_author"],
        "guessed summary",  # the source had none: the layout's reading stays
    )
    assert layout.declared.rating == "Teen And Up Audiences"
    assert layout.declared.rating_as_written is None  # written with the rating it came with
    assert layout.declared.tags == ["Fluff", "Rain", "Angst"]
    assert layout.declared.fandoms == ["Merlin"]
    assert layout.declared.setting == "post-series"
    assert (layout.complete, layout.word_count) == (True, 130)
    # The source's objects are not shared with the analysis.
    layout.declared.tags.append("x")
    assert source.declared.tags == ["Fluff", "Rain"]


def test_long_sentence_chapter_title_is_still_a_chapter() -> None:
    title = "Chapter 2: In which a stranger climbs the steps, asks for a ship, and is told no."
    html = AO3.read_text(encoding="utf-8").replace("Chapter 2: The Visitor", title)
    loaded = load_bytes(html.encode("utf-8"), path="long.html")
    analysis = Pipeline(disable=["tokens"]).analyze_loaded(loaded)
    chapters = analysis.work.chapters
    assert len(chapters) == 2
    assert chapters[1].title is not None
    assert chapters[1].title.startswith("Chapter 2: In which a stranger climbs")
    assert len(chapters[1].paragraphs) == 4


def test_labels_written_as_headings() -> None:
    html = AO3.read_text(encoding="utf-8").replace("<p>Summary</p>", "<h2>Summary</h2>")
    html = html.replace("<p>Chapter Notes</p>", "<h3>Chapter Notes:</h3>")
    loaded = load_bytes(html.encode("utf-8"), path="h.html")
    assert loaded.text == load_path(AO3).text


def test_a_preface_id_alone_is_not_ao3() -> None:
    html = b"""<html><body><div id="preface"><p>A word before.</p></div>
    <div><p>The story itself.</p></div></body></html>"""
    loaded = load_bytes(html, path="book.html")
    assert loaded.source.format == "html"
    assert loaded.text == "A word before.\n\nThe story itself.\n"
