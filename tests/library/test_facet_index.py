"""The in-memory search index against brute force, on SQLite and PostgreSQL: random
libraries and random queries give the same works, in the same order, as the search in SQL
alone, and facet counts equal a count over the raw tables; the index follows adds,
deletes and updates, also by another process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from random_library import (
    as_pairs,
    brute_force_facets,
    random_query,
    random_work,
)

from ficlens.library import Library, open_library
from ficlens.library.facet_index import LibraryIndex, index_for
from ficlens.library.query import parse
from ficlens.library.search import MAX_LIMIT, search_in_sql
from ficlens.library.store import replace_analysis

QUERIES_PER_LIBRARY = 150
HERE = Path(__file__).resolve().parent


def check(library: Library, query: str, *, limit: int = 10, offset: int = 0) -> None:
    """Index search == SQL search (works, order, total); facets == brute force."""
    found = library.search(query, limit=limit, offset=offset)
    parsed = parse(query)
    sort = parsed.sort or "relevance"
    expected = search_in_sql(
        library.db, parsed, sort=sort, limit=limit, offset=offset, with_facets=False
    )
    assert found.total == expected.total, query
    assert [w.id for w in found.works] == [w.id for w in expected.works], query
    every = search_in_sql(library.db, parsed, limit=MAX_LIMIT, with_facets=False)
    assert len(every.works) == found.total, query
    hits = {w.id for w in every.works}
    assert as_pairs(found.facets) == brute_force_facets(library, hits, parsed.source), query


def fill(library: Library, rng: random.Random, count: int, first: int = 0) -> LibraryIndex:
    """Add random works; returns the library's index, read, so that search uses it."""
    for number in range(first, first + count):
        library.add(*random_work(rng, number))
    index = index_for(library.db)
    assert index is not None
    index.current()
    return index


@pytest.mark.parametrize("seed", [1, 2])
def test_random_queries_agree_with_sql_and_brute_force(library: Library, seed: int) -> None:
    rng = random.Random(seed)
    fill(library, rng, 70)
    for _ in range(QUERIES_PER_LIBRARY):
        check(library, random_query(rng), limit=rng.randint(1, 12), offset=rng.randint(0, 6))


def test_the_index_follows_adds_deletes_and_updates(library: Library) -> None:
    rng = random.Random(7)
    index = fill(library, rng, 30)
    queries = ["", "-tag:angst", "warning:none", "rating:<=T source:declared", "harbour"]
    for query in queries:
        check(library, query)
    refreshes = index.refreshes
    for query in queries:
        library.search(query)
    assert index.refreshes == refreshes  # nothing changed, nothing read again

    fill(library, rng, 10, first=30)
    ids = sorted(w.id for w in library.search("", limit=100).works)
    assert len(ids) == 40
    for work_id in ids[::4]:
        assert library.delete(work_id)
    # The same path with new content updates the work in place.
    loaded, analysis = random_work(random.Random(99), 5)
    assert library.add(loaded, analysis).status == "updated"
    for query in queries:
        check(library, query)
    assert library.search("").total == 30
    assert index.refreshes > refreshes


def test_a_work_stored_again_in_the_same_second_is_seen(library: Library) -> None:
    index = fill(library, random.Random(13), 8)
    work = library.search("", sort="title", limit=1).works[0]
    stored = library.get(work.id)
    assert stored is not None
    before = library.db.one("SELECT updated_at, sha256 FROM works WHERE id = ?", (work.id,))
    analysis = stored.analysis
    analysis.work.declared.tags = ["Rain", "Maps", "Ink Stains"]
    analysis.work.declared.fandoms = ["The Glass Forest"]
    with library.db.transaction():
        replace_analysis(library.db, work.id, analysis)
        # As if it happened within the second of the first store: the same signature.
        library.db.execute(
            "UPDATE works SET updated_at = ? WHERE id = ?", (before[0] if before else "", work.id)
        )
    assert library.db.one("SELECT updated_at, sha256 FROM works WHERE id = ?", (work.id,)) == before
    assert "Ink Stains" in {f.value for f in library.search("").facets["tag"]}
    check(library, "")
    check(library, "tag:rain")
    assert index.refreshes >= 2


def test_the_index_sees_another_process_write(library: Library, library_url: str) -> None:
    rng = random.Random(11)
    fill(library, rng, 12)
    check(library, "")
    doomed = library.search("", sort="title", limit=1).works[0].id
    script = (
        "import random, sys\n"
        "from random_library import random_work\n"
        "from ficlens.library import open_library\n"
        "with open_library(sys.argv[1]) as library:\n"
        "    for number in range(100, 105):\n"
        "        library.add(*random_work(random.Random(number), number))\n"
        "    assert library.delete(int(sys.argv[2]))\n"
    )
    paths = [str(HERE), str(HERE.parents[1]), os.environ.get("PYTHONPATH", "")]
    subprocess.run(
        [sys.executable, "-c", script, library_url, str(doomed)],
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)},
    )
    assert library.search("").total == 12 + 5 - 1
    assert doomed not in {w.id for w in library.search("", limit=100).works}
    for query in ["", "warning:none", "-fandom:orchard sort:words", "tag:h/c"]:
        check(library, query)


def test_libraries_on_one_database_share_one_index(library_url: str) -> None:
    with open_library(library_url) as first, open_library(library_url) as second:
        assert index_for(first.db) is index_for(second.db)
        fill(first, random.Random(3), 5)
        assert second.search("").total == 5
        fill(second, random.Random(4), 3, first=5)
        assert first.search("").total == 8
        check(first, "")


def test_the_index_is_read_from_the_second_search_on(library: Library) -> None:
    # One search (the command line) is answered in SQL and never reads the index.
    for number in range(6):
        library.add(*random_work(random.Random(number), number))
    index = index_for(library.db)
    assert index is not None
    assert library.search("warning:none").total >= 0
    time.sleep(0.3)
    assert index.refreshes == 0
    # The next one starts reading it in the background; until then search is in SQL.
    check(library, "-tag:fluff")
    deadline = time.monotonic() + 60
    while index.refreshes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert index.refreshes == 1
    assert index.ready() is not None
    check(library, "-tag:fluff")


def test_an_in_memory_library_searches_in_sql() -> None:
    with open_library(":memory:") as library:
        assert index_for(library.db) is None
        rng = random.Random(5)
        for number in range(20):
            library.add(*random_work(rng, number))
        for _ in range(30):
            check(library, random_query(rng))
