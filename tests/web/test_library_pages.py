"""The pages over a real SQLite library: library and search, work, reader, analysis, API."""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient
from web_helpers import STORIES, build_library, csrf_of, svgs

from ficlens.model import Analysis
from ficlens.read import Loaded
from ficlens.web import create_app
from ficlens.web.state import ResultCache

TITLES = {
    "harbour_lights_tea": 'Tea at the <script>alert("lighthouse")</script> Point',
    "harbour_lights_wreck": "What the Tide Took",
    "starfall_exam": "The Starfall Examination",
}


def listed_titles(page: str) -> set[str]:
    """The titles of the works a library page lists."""
    return {unescape(t) for t in re.findall(r'<h3><a href="/works/\d+">([^<]*)</a>', page)}


def test_the_library_lists_every_work(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert listed_titles(page.text) == set(TITLES.values())
    assert "3 works" in page.text
    # Each blurb carries what AO3's does: fandom, rating, relationship, tags, words.
    assert "Harbour Lights" in page.text and "Starfall Academy" in page.text
    assert "Mature" in page.text and "General Audiences" in page.text
    assert "Wren/Tobias" in page.text
    assert "Friendship" in page.text


def test_search_with_an_exclusion(client: TestClient) -> None:
    page = client.get("/", params={"q": 'fandom:"Harbour Lights" -tag:Angst'})
    assert page.status_code == 200
    assert listed_titles(page.text) == {TITLES["harbour_lights_tea"]}
    # The query stays in the box, so the URL is the whole search.
    assert 'value="fandom:&#34;Harbour Lights&#34; -tag:Angst"' in page.text


def test_facet_links_include_and_exclude(client: TestClient) -> None:
    page = client.get("/").text
    assert "Fandoms" in page and "Ratings" in page
    exclude = re.search(r'<a class="exclude" href="([^"]+)"[^>]*aria-label="Exclude Starfall', page)
    include = re.search(r'<a class="include" href="([^"]+)"[^>]*aria-label="Include Starfall', page)
    assert exclude and include
    excluded = client.get(unescape(exclude.group(1))).text
    assert listed_titles(excluded) == {TITLES["harbour_lights_tea"], TITLES["harbour_lights_wreck"]}
    included = client.get(unescape(include.group(1))).text
    assert listed_titles(included) == {TITLES["starfall_exam"]}
    query = parse_qs(urlsplit(unescape(exclude.group(1))).query)["q"][0]
    assert query == '-fandom:"Starfall Academy"'
    # The sidebar shows the value as excluded on the filtered page.
    assert 'class="facet excluded"' in excluded
    remove = re.search(r'<a class="remove" href="([^"]+)"', excluded)
    assert remove
    assert listed_titles(client.get(unescape(remove.group(1))).text) == set(TITLES.values())


def test_sorting_and_pages(client: TestClient) -> None:
    page = client.get("/", params={"sort": "title"}).text
    titles = [unescape(t) for t in re.findall(r'<h3><a href="/works/\d+">([^<]*)</a>', page)]
    assert titles == sorted(titles, key=lambda t: t.removeprefix("The ").lower())
    assert '<option value="title" selected>' in page
    assert 'rel="next"' not in page  # three works fit on one page


def test_a_malformed_query_shows_the_library_message(client: TestClient) -> None:
    page = client.get("/", params={"q": "words:>lots"})
    assert page.status_code == 400
    assert "That search cannot be run:" in page.text
    assert "Traceback" not in page.text
    assert "<mark>" in page.text  # the problem is pointed at
    api = client.get("/api/search", params={"q": "words:>lots"})
    assert api.status_code == 400
    body = api.json()
    assert body["error"] and isinstance(body["position"], int)
    assert 0 <= body["position"] < len("words:>lots")


def test_the_work_page(client: TestClient, work_ids: dict[str, int]) -> None:
    page = client.get(f"/works/{work_ids['harbour_lights_tea']}")
    assert page.status_code == 200
    text = page.text
    assert "&lt;script&gt;" in text and "<script>alert" not in text
    assert "saltandsparrow" in text
    # Declared tags are marked as declared; the summary of tags groups them like AO3.
    assert re.search(r'class="tag declared"><span class="name">Fluff</span>', text)
    assert re.search(r'class="tag declared"><span class="name">Teen And Up Audiences', text)
    assert "Wren/Tobias" in text
    # Characters with their roles; notes apart; links to the reader and the analysis.
    assert re.search(r'data-role="main"><th scope="row">Wren Halloway', text)
    assert "Written for a friend" in text
    assert "&lt;b&gt;Enjoy!&lt;/b&gt;" in text
    assert f'href="/works/{work_ids["harbour_lights_tea"]}/read"' in text
    assert "Similar works" in text


def test_inferred_tags_show_their_confidence(
    client: TestClient, work_ids: dict[str, int], stories: dict[str, tuple[Loaded, Analysis]]
) -> None:
    _, analysis = stories["harbour_lights_tea"]
    inferred = [t for t in analysis.tags if t.source == "inferred"]
    if not inferred:
        pytest.skip("the tags stage inferred nothing for this story")
    text = client.get(f"/works/{work_ids['harbour_lights_tea']}").text
    tag = inferred[0]
    pattern = rf'class="tag inferred"><span class="name">{re.escape(tag.name)}</span>\s*'
    assert re.search(pattern + r'<span class="source">inferred · \d+%', text)


def test_similar_works_are_listed(client: TestClient, work_ids: dict[str, int]) -> None:
    text = client.get(f"/works/{work_ids['harbour_lights_tea']}").text
    similar = text.split("Similar works", 1)[1]
    # The other story of the same fandom is the most similar.
    assert TITLES["harbour_lights_wreck"] in similar


def test_the_reader_marks_every_line_with_its_speaker(
    client: TestClient, work_ids: dict[str, int], stories: dict[str, tuple[Loaded, Analysis]]
) -> None:
    work_id = work_ids["harbour_lights_tea"]
    _, analysis = stories["harbour_lights_tea"]
    page = client.get(f"/works/{work_id}/read")
    assert page.status_code == 200
    text = page.text
    names = {c.id: c.name for c in analysis.characters}
    chapter_end = analysis.work.chapters[0].end
    expected = [
        (q.text, names[q.speaker])
        for q in analysis.quotes
        if q.speech and q.speaker and q.end <= chapter_end and q.nested_in is None
    ]
    assert expected
    marked = re.findall(
        r'<span class="q sp\d" data-speaker="([^"]*)" title="[^"]*">([^<]*)</span>', text
    )
    spoken = {(unescape(line).strip("\"'“”"), speaker) for speaker, line in marked}
    for line, speaker in expected:
        assert (line, speaker) in spoken
    # The names are in the margin too, not only the colour.
    assert '<span class="who"><span class="sp' in text
    # Notes are apart from the story; the scene break is kept.
    assert '<p class="note" data-kind="author note">' in text
    assert 'class="scene-break"' in text
    assert "The Storm" in text and "Chapter 2: The Morning" in text  # the chapter menu


def test_the_reader_opens_other_chapters(client: TestClient, work_ids: dict[str, int]) -> None:
    work_id = work_ids["harbour_lights_tea"]
    first = client.get(f"/works/{work_id}/read").text
    second = client.get(f"/works/{work_id}/read", params={"chapter": "1"}).text
    assert "hammering the point" in first and "hammering the point" not in second
    assert "flat and silver" in second and "flat and silver" not in first
    assert "Thank you for reading" in second  # the end note, after the last chapter
    assert 'rel="prev"' in second and 'rel="next"' in first


def test_the_reader_highlights_a_passage_in_its_chapter(
    client: TestClient, work_ids: dict[str, int], stories: dict[str, tuple[Loaded, Analysis]]
) -> None:
    work_id = work_ids["harbour_lights_tea"]
    _, analysis = stories["harbour_lights_tea"]
    assert analysis.text is not None
    start = analysis.text.index("Don't jinx it")
    end = start + len("Don't jinx it")
    page = client.get(f"/works/{work_id}/read", params={"hl": f"{start}-{end}"}).text
    assert "flat and silver" in page  # chapter 2 was opened for it
    marked = re.search(r'<mark class="evidence" id="hl" tabindex="-1">(.*?)</mark>', page)
    assert marked
    assert unescape(re.sub(r"<[^>]+>", "", marked.group(1))) == "Don't jinx it"


def test_dim_narration_without_javascript(client: TestClient, work_ids: dict[str, int]) -> None:
    page = client.get(f"/works/{work_ids['starfall_exam']}/read", params={"dim": "1"}).text
    assert '<body class="reading dim">' in page
    assert 'aria-pressed="true"' in page


def test_the_analysis_page_draws_its_charts(client: TestClient, work_ids: dict[str, int]) -> None:
    page = client.get(f"/works/{work_ids['harbour_lights_tea']}/analysis")
    assert page.status_code == 200
    charts = svgs(page.text)
    assert [c.get("aria-label", "").split(":")[0] for c in charts] == [
        "Character network",
        "Emotional arc",
        "Dialogue share per character",
    ]
    network = charts[0]
    ns = "{http://www.w3.org/2000/svg}"
    labels = {t.text for t in network.iter(f"{ns}text")}
    assert {"Wren Halloway", "Tobias"} <= labels


def test_evidence_links_open_the_highlighted_passage(
    client: TestClient, work_ids: dict[str, int]
) -> None:
    work_id = work_ids["harbour_lights_tea"]
    page = client.get(f"/works/{work_id}/analysis").text
    links = re.findall(rf'href="(/works/{work_id}/read\?hl=\d+-\d+#hl)"', page)
    if not links:
        pytest.skip("no tag or relationship of this story has evidence yet")
    reader = client.get(unescape(links[0]).split("#")[0]).text
    assert 'id="hl"' in reader


def test_missing_works_are_404(client: TestClient) -> None:
    for path in ("/works/999999", "/works/999999/read", "/works/999999/analysis"):
        page = client.get(path)
        assert page.status_code == 404
        assert "no work 999999" in page.text
    assert client.get("/api/works/999999").status_code == 404


def test_api_works_work_and_search(client: TestClient, work_ids: dict[str, int]) -> None:
    listing = client.get("/api/works").json()
    assert listing["total"] == 3
    assert {w["id"] for w in listing["works"]} == set(work_ids.values())
    assert set(listing["facets"]) >= {"fandom", "rating", "tag"}
    one = client.get(f"/api/works/{work_ids['starfall_exam']}").json()
    assert one["id"] == work_ids["starfall_exam"]
    assert one["analysis"]["work"]["title"] == TITLES["starfall_exam"]
    assert one["analysis"]["text"] is None
    with_text = client.get(f"/api/works/{work_ids['starfall_exam']}?text=1").json()
    assert with_text["analysis"]["text"] == (STORIES / "starfall_exam.txt").read_text()
    found = client.get("/api/search", params={"q": '-fandom:"Harbour Lights"'}).json()
    assert [w["title"] for w in found["works"]] == [TITLES["starfall_exam"]]
    assert client.get("/api/works?limit=1").json()["works"].__len__() == 1
    assert client.get("/api/works?limit=lots").status_code == 400


def test_add_from_the_analyse_page_and_delete(
    tmp_path: Path, stories: dict[str, tuple[Loaded, Analysis]]
) -> None:
    with TestClient(create_app(str(tmp_path / "own.sqlite3"))) as client:
        csrf = csrf_of(client)
        text = (STORIES / "starfall_exam.txt").read_text()
        added = client.post(
            "/analyse", data={"text": text, "csrf": csrf, "add": "1"}, follow_redirects=False
        )
        assert added.status_code == 303
        location = added.headers["location"]
        assert re.fullmatch(r"/works/\d+\?added=imported", location)
        work_page = client.get(location).text
        assert "Added to the library." in work_page
        work_id = int(location.split("/")[2].split("?")[0])
        assert client.get("/api/works").json()["total"] == 1
        # Deleting needs the form's CSRF token.
        assert client.post(f"/works/{work_id}/delete", data={}).status_code == 403
        deleted = client.post(
            f"/works/{work_id}/delete", data={"csrf": csrf}, follow_redirects=False
        )
        assert deleted.status_code == 303
        assert client.get(f"/works/{work_id}").status_code == 404
        assert client.get("/api/works").json()["total"] == 0
        # The API adds and deletes too.
        made = client.post("/api/analyse?add=1", content=text.encode()).json()
        assert made["status"] == "imported"
        assert client.delete(f"/api/works/{made['work_id']}").json() == {"deleted": made["work_id"]}
        assert client.delete(f"/api/works/{made['work_id']}").status_code == 404


def test_an_unopenable_library_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with TestClient(create_app(str(blocker / "library.sqlite3"))) as client:
        page = client.get("/")
        assert page.status_code == 503
        assert "cannot open the library" in page.text
        assert "Traceback" not in page.text


def test_changes_made_elsewhere_show_at_once(
    tmp_path: Path, stories: dict[str, tuple[Loaded, Analysis]]
) -> None:
    """Searches are cached, but a commit by another process empties the cache."""
    path = tmp_path / "shared.sqlite3"
    first = {k: v for k, v in stories.items() if k != "starfall_exam"}
    build_library(path, first)
    with TestClient(create_app(str(path))) as client:
        assert len(listed_titles(client.get("/").text)) == 2
        assert len(listed_titles(client.get("/").text)) == 2  # from the cache
        build_library(path, {"starfall_exam": stories["starfall_exam"]})  # another connection
        page = client.get("/").text
        assert listed_titles(page) == set(TITLES.values())
        assert "Starfall Academy" in page.split('class="filters"')[1]  # the facets too


def test_the_cache_forgets_old_and_least_used_entries() -> None:
    cache = ResultCache(seconds=60, entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    stale = ResultCache(seconds=0.0)
    stale.put("a", 1)
    time.sleep(0.01)
    assert stale.get("a") is None


def test_a_work_with_no_story_text(tmp_path: Path) -> None:
    """Only notes: every page still renders, the reader says there is nothing to read."""
    with TestClient(create_app(str(tmp_path / "own.sqlite3"))) as client:
        notes = b"Title: Only Notes\nAuthor: someone\nRating: G\n"
        made = client.post("/api/analyse?add=1", content=notes).json()
        assert made["analysis"]["work"]["chapters"] == []
        work_id = made["work_id"]
        for path in ("", "/analysis", "/read"):
            assert client.get(f"/works/{work_id}{path}").status_code == 200
        assert "This work has no story text to show." in client.get(f"/works/{work_id}/read").text


def test_a_cached_page_whose_facets_were_dropped_gets_them_again(
    library_db: tuple[Path, dict[str, int]],
) -> None:
    import anyio

    from ficlens.web.state import WebState

    state = WebState(library_url=str(library_db[0]))
    try:
        first = anyio.run(lambda: state.search("", sort="title", limit=2, offset=0))
        assert first.facets["fandom"]
        state.cache._data.pop(("facets", ""))  # as if the cache had dropped it
        again = anyio.run(lambda: state.search("", sort="title", limit=2, offset=0))
        assert again.facets == first.facets
        assert [w.id for w in again.works] == [w.id for w in first.works]
    finally:
        state.close()


def test_every_facet_link_finds_the_works_it_counts(client: TestClient) -> None:
    """Including a value from the sidebar lists exactly as many works as its count says."""
    page = client.get("/").text
    links = re.findall(
        r'<a class="include" href="([^"]+)"[^>]*aria-label="Include ([^"]+)">\+</a>\s*'
        r'<a class="exclude"[^>]*>−</a>\s*'
        r'<span class="value">[^<]*</span> <span class="count">\((\d+)\)</span>',
        page,
    )
    assert len(links) >= 10
    for href, value, count in links:
        found = client.get(unescape(href))
        assert found.status_code == 200, (value, found.text[-400:])
        assert len(listed_titles(found.text)) == int(count), unescape(value)
