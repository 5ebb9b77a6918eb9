"""The app in a real browser: Playwright driving Debian's chromium against a real server.

Screenshots of each page are saved under the test run's temporary folder (printed at the
end of the session). Skipped, with the reason, when chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import SCREENSHOT_DIRS, STORIES

CHROMIUM = os.environ.get("FICLENS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no browser: {CHROMIUM} is not installed (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(library_db: tuple[Path, dict[str, int]]) -> Iterator[str]:
    """``ficlens serve`` in a thread over the test library; yields its address."""
    import uvicorn

    from ficlens.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(str(library_db[0])), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    SCREENSHOT_DIRS.append(folder)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except sync_api.Error as error:
            pytest.skip(f"chromium does not start: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_library_search_work_reader_analysis(page, screenshots: Path) -> None:
    expect = sync_api.expect
    page.goto("/")
    expect(page.locator("li.blurb")).to_have_count(3)
    page.screenshot(path=screenshots / "library.png", full_page=True)

    # Search with an exclusion, typed into the search box.
    page.fill("#q", 'fandom:"Harbour Lights" -tag:Angst')
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")
    expect(page.locator("li.blurb")).to_have_count(1)
    expect(page.locator("li.blurb h3 a")).to_have_text(
        'Tea at the <script>alert("lighthouse")</script> Point'
    )
    page.screenshot(path=screenshots / "search.png", full_page=True)

    # An exclusion from the sidebar.
    page.goto("/")
    page.get_by_label("Exclude Starfall Academy").click()
    expect(page.locator("li.blurb")).to_have_count(2)

    # Open a work.
    page.goto("/")
    page.get_by_role("link", name="The Starfall Examination").click()
    expect(page.locator("h1")).to_have_text("The Starfall Examination")
    expect(page.locator("section.characters")).to_contain_text("Juniper Vale")
    page.screenshot(path=screenshots / "work.png", full_page=True)

    # The reader: dialogue marked by speaker, by colour and by name.
    page.get_by_role("link", name="Read", exact=True).click()
    felix = page.locator('.q[data-speaker="Felix Ambrose"]')
    expect(felix.first).to_be_visible()
    assert felix.count() >= 2
    assert felix.first.get_attribute("title") == "Felix Ambrose"
    expect(page.locator(".who").first).to_be_visible()
    colours = {
        page.locator(f'.q[data-speaker="{name}"]').first.evaluate(
            "e => getComputedStyle(e).borderBottomColor"
        )
        for name in ("Felix Ambrose", "Juniper Vale")
    }
    assert len(colours) == 2  # each speaker has a colour of their own
    page.screenshot(path=screenshots / "reader.png", full_page=True)

    # Dim the narration (in place, with JavaScript).
    narration = page.locator(".narr").first
    before = float(narration.evaluate("e => getComputedStyle(e).opacity"))
    page.get_by_role("button", name="Dim narration").click()
    expect(page.locator("body")).to_have_class("reading dim")
    after = float(narration.evaluate("e => getComputedStyle(e).opacity"))
    assert after < before
    page.screenshot(path=screenshots / "reader-dimmed.png", full_page=True)

    # The analysis page and its SVG charts.
    page.goto(page.url.split("/read")[0] + "/analysis")
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(3)
    expect(page.locator('svg[aria-label="Character network"] g.node')).to_have_count(2)
    assert page.locator('svg[aria-label^="Emotional arc"] path.arc').count() == 1
    page.screenshot(path=screenshots / "analysis.png", full_page=True)


def test_paste_a_story_and_get_its_analysis(page, screenshots: Path) -> None:
    expect = sync_api.expect
    page.goto("/analyse")
    page.fill("#text", (STORIES / "harbour_lights_wreck.txt").read_text(encoding="utf-8"))
    page.get_by_role("button", name="Analyse").click()
    expect(page.locator("h1")).to_contain_text("What the Tide Took")
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("#characters")).to_contain_text("Marguerite Osei")
    page.screenshot(path=screenshots / "analysed.png", full_page=True)


def test_the_highlighted_evidence_is_scrolled_to(page, screenshots: Path, stories) -> None:
    expect = sync_api.expect
    _, analysis = stories["harbour_lights_tea"]
    start = analysis.text.index("There's always another storm")
    page.goto("/")
    page.get_by_role("link", name='Tea at the <script>alert("lighthouse")</script> Point').click()
    work_url = page.url
    page.goto(f"{work_url}/read?hl={start}-{start + 28}#hl")
    mark = page.locator("mark#hl")
    expect(mark).to_have_text("There's always another storm")
    expect(mark).to_be_in_viewport()
    page.screenshot(path=screenshots / "evidence.png")
    # The story's markup was shown as text, never run.
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
