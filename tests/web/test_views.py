"""The pieces behind the pages: the reader's cutting of the text, tag groups, the charts
and the filter links, on the analyses of the test stories."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from ficlens.library import FacetValue
from ficlens.model import Analysis, Arc, Evidence, Relationship, Span, Tag
from ficlens.read import Loaded
from ficlens.web import charts
from ficlens.web.library import facet_links, filter_term
from ficlens.web.reader import Block, Piece, block_html, build_chapter, chapter_of, parse_span
from ficlens.web.work import tag_groups, web_url

SVG = "{http://www.w3.org/2000/svg}"
Stories = dict[str, tuple[Loaded, Analysis]]


def test_the_reader_cuts_nothing_out_and_adds_nothing(stories: Stories) -> None:
    for _, analysis in stories.values():
        text = analysis.text or ""
        paragraphs = iter(analysis.paragraphs())
        for chapter in analysis.work.chapters:
            view = build_chapter(analysis, chapter.index)
            for block in view.body:
                if block.kind != "paragraph":
                    continue
                span = next(paragraphs)
                assert "".join(p.text for p in block.pieces) == text[span.start : span.end]
            for block in view.before + view.after:
                assert "".join(p.text for p in block.pieces).strip() in text


def test_each_quotation_is_one_run_with_its_speaker(stories: Stories) -> None:
    _, analysis = stories["starfall_exam"]
    names = {c.id: c.name for c in analysis.characters}
    view = build_chapter(analysis, 0)
    marked = [
        (p.text, p.speaker) for b in view.body for p in b.pieces if p.quote and p.quote.speech
    ]
    expected = [
        (analysis.text[q.start : q.end], names.get(q.speaker))
        for q in analysis.quotes
        if q.speech and q.nested_in is None
    ]
    assert marked == expected
    # The margin names every speaker of a paragraph once, in order.
    for block in view.body:
        speakers = [p.speaker for p in block.pieces if p.starts_quote and p.speaker]
        assert [name for name, _ in block.speakers] == list(dict.fromkeys(speakers))


def test_a_highlight_across_a_quotation_splits_it(stories: Stories) -> None:
    _, analysis = stories["starfall_exam"]
    text = analysis.text or ""
    inside = [q for q in analysis.quotes if "\n" not in text[q.start - 5 : q.start]]
    quote = next(q for q in inside if q.speech and q.speaker)
    highlight = Span(quote.start - 5, quote.start + 4)
    view = build_chapter(analysis, 0, highlight)
    pieces = [p for b in view.body for p in b.pieces]
    lit = [p for p in pieces if p.highlighted]
    assert "".join(p.text for p in lit) == analysis.text[highlight.start : highlight.end]
    assert lit[0].anchor and not any(p.anchor for p in lit[1:])
    assert [p.quote is not None for p in lit] == [False, True]
    assert sum(p.anchor for p in pieces) == 1


def test_scene_breaks_keep_their_place(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_tea"]
    view = build_chapter(analysis, 0)
    kinds = [b.kind for b in view.body]
    assert kinds.count("scene-break") == 1
    after_break = view.body[kinds.index("scene-break") + 1]
    assert after_break.pieces[0].text.startswith("Later, when the lamp was lit")
    assert view.body[kinds.index("scene-break")].pieces[0].text == "* * *"


def test_notes_sit_before_or_after_their_chapter(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_tea"]
    first, second = build_chapter(analysis, 0), build_chapter(analysis, 1)
    assert any(b.label == "author note" for b in first.before)
    assert any("Thank you for reading" in b.pieces[0].text for b in second.after)
    assert not second.before or all(
        "Written for a friend" not in b.pieces[0].text for b in second.before
    )


def test_spans_and_chapters_from_the_address(stories: Stories) -> None:
    assert parse_span("10-20") == Span(10, 20)
    for bad in ("", "20-10", "a-b", "10", "-5-3", "5-5"):
        assert parse_span(bad) is None
    _, analysis = stories["harbour_lights_tea"]
    second = analysis.work.chapters[1]
    assert chapter_of(analysis, second.start + 1) == 1
    assert chapter_of(analysis, 0) == 0
    assert chapter_of(analysis, analysis.text_length + 10) == 1


def test_tag_groups_tell_declared_from_inferred(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_wreck"]
    analysis = Analysis(**{**analysis.__dict__})
    analysis.tags = [
        Tag("Angst", "freeform", "declared"),
        Tag("Grief/Mourning", "freeform", "inferred", 0.73, [Evidence(0, 5, "Title")]),
        Tag("Major Character Death", "warning", "inferred", 0.61),
    ]
    groups = dict(tag_groups(analysis))
    additional = groups["Additional Tags"]
    assert ("Angst", "declared", None, None) in additional
    # Evidence is linked only for a stored work, which the reader can open.
    assert ("Grief/Mourning", "inferred", 0.73, None) in additional
    assert additional.index(("Angst", "declared", None, None)) < additional.index(
        ("Grief/Mourning", "inferred", 0.73, None)
    )
    assert groups["Archive Warnings"] == [("Major Character Death", "inferred", 0.61, None)]
    assert groups["Rating"] == [("Mature", "declared", None, None)]
    stored = dict(tag_groups(analysis, 12))["Additional Tags"]
    assert ("Grief/Mourning", "inferred", 0.73, "/works/12/read?hl=0-5#hl") in stored
    # A declared tag repeated by the tags stage is listed once.
    assert [name for name, *_ in additional].count("Angst") == 1


def test_only_web_addresses_become_links() -> None:
    assert web_url("https://archiveofourown.org/works/1") == "https://archiveofourown.org/works/1"
    assert web_url("javascript:alert(1)") is None
    assert web_url("data:text/html,hi") is None
    assert web_url(None) is None


def test_the_network_sizes_nodes_and_styles_romance_apart(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_tea"]
    analysis = Analysis(**{**analysis.__dict__, "relationships": []})
    wren, tobias = analysis.characters[0], analysis.characters[1]
    drawn = ET.fromstring(charts.network_svg(analysis))
    circles = {
        g.get("data-character"): float(g.find(f"{SVG}circle").get("r"))
        for g in drawn.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    assert set(circles) == {c.id for c in analysis.characters}
    bigger, smaller = sorted((wren, tobias), key=lambda c: -c.mentions)
    assert circles[bigger.id] >= circles[smaller.id]
    edges = [e for e in drawn.iter(f"{SVG}line") if "edge" in (e.get("class") or "")]
    talking = charts.interactions(analysis)
    assert len([e for e in edges if e.find(f"{SVG}title") is not None]) == len(talking)
    assert not any("romantic" in e.get("class") for e in edges if e.find(f"{SVG}title") is not None)

    romance = Analysis(**{**analysis.__dict__})
    pair = Relationship([wren.id, tobias.id], "romantic", "Wren/Tobias", score=0.9)
    romance.relationships = [pair]
    drawn = ET.fromstring(charts.network_svg(romance))
    styled = [
        e
        for e in drawn.iter(f"{SVG}line")
        if e.find(f"{SVG}title") is not None and "romantic" in e.get("class")
    ]
    assert len(styled) == 1
    assert "Wren/Tobias" in styled[0].find(f"{SVG}title").text


def test_chart_text_is_escaped(stories: Stories) -> None:
    _, analysis = stories["starfall_exam"]
    odd = Analysis(**{**analysis.__dict__})
    odd.characters = [
        type(c)(**{**c.__dict__, "name": f'<img src=x onerror="{c.name}">'})
        for c in analysis.characters
    ]
    for svg in (charts.network_svg(odd), charts.dialogue_share_svg(odd)):
        assert "<img" not in svg
        ET.fromstring(svg)  # still well-formed


def test_the_arc_chart_follows_the_series() -> None:
    series = [-0.5, -0.1, 0.2, 0.6, 0.3]
    drawn = ET.fromstring(charts.arc_svg(Arc(series, "fall-rise", "happy")))
    assert drawn.get("aria-label") == "Emotional arc: fall-rise, happy ending"
    path = drawn.find(f"{SVG}path").get("d")
    points = [tuple(map(float, p[1:].split(","))) for p in path.split()]
    assert len(points) == len(series)
    ys = [y for _, y in points]
    # Higher valence is drawn higher (smaller y).
    assert sorted(range(5), key=lambda i: ys[i]) == sorted(range(5), key=lambda i: -series[i])
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    empty = ET.fromstring(charts.arc_svg(Arc()))
    assert "not measured" in empty.get("aria-label")


def test_dialogue_shares_add_up(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_tea"]
    drawn = ET.fromstring(charts.dialogue_share_svg(analysis))
    shares = [
        int(t.text.rstrip("%")) for t in drawn.iter(f"{SVG}text") if t.text and t.text.endswith("%")
    ]
    speaking = [c for c in analysis.characters if c.words_spoken]
    assert len(shares) == len(speaking)
    assert abs(sum(shares) - 100) <= len(shares)


def test_filter_links_rewrite_only_the_query() -> None:
    assert filter_term("fandom", "Merlin (BBC)") == 'fandom:"Merlin (BBC)"'
    assert filter_term("tag", 'Say "hi"') == 'tag:"Say hi"'
    facets = {"fandom": [FacetValue("Merlin (BBC)", 4)], "tag": [FacetValue("Angst", 2)]}
    groups = dict(facet_links("kiss", "words", facets))
    link = groups["Fandoms"][0]
    assert (link.value, link.count, link.state) == ("Merlin (BBC)", 4, "")
    include = parse_qs(urlsplit(link.include).query)
    assert include == {"q": ['kiss fandom:"Merlin (BBC)"'], "sort": ["words"]}
    exclude = parse_qs(urlsplit(link.exclude).query)
    assert exclude["q"] == ['kiss -fandom:"Merlin (BBC)"']
    excluded = dict(facet_links('kiss -tag:"Angst"', "relevance", {"tag": []}))
    angst = excluded["Additional Tags"][0]
    assert (angst.value, angst.count, angst.state) == ("Angst", 0, "excluded")
    assert parse_qs(urlsplit(angst.remove).query) == {"q": ["kiss"]}


def test_block_html_escapes_text_and_names(stories: Stories) -> None:
    _, analysis = stories["harbour_lights_tea"]
    quote = next(q for q in analysis.quotes if q.speech)
    block = Block(
        "paragraph",
        [
            Piece('<b onclick="x()">bold</b> & '),
            Piece('"<i>hi</i>"', quote=quote, speaker='Ann "<A>"', colour=3, starts_quote=True),
            Piece("lit", highlighted=True, anchor=True),
        ],
    )
    html = str(block_html(block))
    assert "<b" not in html and "<i>" not in html and "<A>" not in html
    assert html.startswith(
        '<span class="narr">&lt;b onclick=&#34;x()&#34;&gt;bold&lt;/b&gt; &amp; '
    )
    assert 'class="q sp3" data-speaker="Ann &#34;&lt;A&gt;&#34;"' in html
    lit = '<mark class="evidence" id="hl" tabindex="-1"><span class="narr">lit</span></mark>'
    assert html.endswith(lit)
