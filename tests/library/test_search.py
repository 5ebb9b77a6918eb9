"""Search over a small library, on SQLite and on PostgreSQL: filters, exclusions, aliases,
synonyms, free text, sorting, paging, facets, and errors that point at the problem."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from library_fixtures import BACKENDS, postgres_schema_url
from library_works import SPECS, build

from ficlens.library import Library, QueryError, open_library


@pytest.fixture(scope="module", params=BACKENDS)
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Library]:
    """The five stories, stored once per backend; the tests here only read."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([str(tmp_path_factory.mktemp("search") / "lib.sqlite3")])
    else:
        urls = postgres_schema_url(request.getfixturevalue("postgres_url"))
    with open_library(next(urls)) as library:
        for spec in SPECS.values():
            library.add(*build(spec))
        yield library
    next(urls, None)  # drops the PostgreSQL schema


def titles(library: Library, query: str, **options: object) -> set[str]:
    return {work.title for work in library.search(query, limit=100, **options).works}


def keys(library: Library, query: str) -> set[str]:
    by_title = {spec.title: key for key, spec in SPECS.items()}
    return {by_title[title] for title in titles(library, query)}


ALL = set(SPECS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ('fandom:"star trek"', {"lanterns", "vulcan"}),
        ('-fandom:"star trek"', ALL - {"lanterns", "vulcan"}),
        ("fandom:who", {"tardis"}),  # an inferred fandom is searchable too
        ("character:Bones", {"lanterns", "vulcan"}),
        ('character:"Leonard McCoy"', {"lanterns", "vulcan"}),
        ("character:Arthur", {"kitchen"}),
        ('pair:"Jim/Spock"', {"lanterns"}),
        ('pair:"Spock/Kirk"', {"lanterns"}),
        ('pair:"Kirk/McCoy"', set()),  # they are friends in "vulcan", not a pairing
        ('rel:"Bones & Jim"', {"vulcan"}),
        ('rel:"Jim & Spock"', set()),
        ('relationship:"Sherlock/John"', {"tea"}),
        ("pair:Sherlock", {"tea"}),
        ("tag:h/c", {"lanterns", "vulcan"}),
        ('tag:"hurt/comfort"', {"lanterns", "vulcan"}),
        ("-tag:h/c", ALL - {"lanterns", "vulcan"}),
        ("tag:angst", {"kitchen", "tea"}),
        ("tag:angst source:declared", {"tea"}),
        ("tag:angst source:inferred", {"kitchen"}),
        ("source:inferred", {"kitchen", "tardis"}),
        ("category:M/M", {"lanterns", "tea"}),
        ("rating:T", {"lanterns"}),
        ("rating:teen", {"lanterns"}),
        ("rating:<=T", {"lanterns", "kitchen"}),
        ("rating:>=Mature", {"tea", "vulcan"}),
        ("-rating:E", ALL - {"vulcan"}),
        ("warning:none", ALL - {"tea"}),
        ("warning:mcd", {"tea"}),
        ("warning:mcd source:declared", {"tea"}),
        ("warning:mcd source:inferred", set()),
        ('-warning:"Major Character Death"', ALL - {"tea"}),
        ("words:>1000", {"lanterns", "tea", "vulcan"}),
        ("words:1000-3000", {"lanterns", "vulcan"}),
        ("words:<1k", {"kitchen", "tardis"}),
        ("words:5,000", {"tea"}),
        ("author:quillfeather", {"lanterns", "tea"}),
        ("author:QUILL", {"lanterns", "tea"}),
        ("-author:quillfeather", ALL - {"lanterns", "tea"}),
        ("complete:yes", {"lanterns", "tea"}),
        ("complete:no", {"kitchen"}),
        ("lantern", {"lanterns"}),  # stemmed: lantern finds lanterns
        ("KETTLE", {"tea"}),
        ('"kettle whistled"', {"tea"}),
        ('"whistled kettle"', set()),
        ("-lanterns", ALL - {"lanterns"}),
        ("despairs", {"kitchen"}),  # in the summary only
        ("water -desert", set()),
        ("the", ALL),  # a lone stop word filters nothing, on both backends
        ('pair:"Jim/Spock" -tag:angst rating:<=T words:>500', {"lanterns"}),
        ("fandom:merlin -tag:angst", set()),
    ],
)
def test_query_finds_exactly(filled: Library, query: str, expected: set[str]) -> None:
    assert keys(filled, query) == expected


def test_sorting(filled: Library) -> None:
    by_words = [work.words for work in filled.search("", sort="words").works]
    assert by_words == sorted(by_words, reverse=True) == [5000, 3000, 1200, 800, 150]
    by_title = [work.title for work in filled.search("sort:title").works]
    assert by_title == sorted(by_title, key=lambda t: t.casefold().removeprefix("the "))
    # The query's sort: wins over the argument.
    assert [w.words for w in filled.search("sort:words", sort="title").works] == by_words
    dated = [w.title for w in filled.search('fandom:"star trek" sort:date').works]
    assert dated == ["Stars over the Forge", "The Lanterns of Veltra"]  # 2022 before 2021


def test_relevance_puts_the_title_match_first(filled: Library) -> None:
    titles_in_order = [work.title for work in filled.search("kitchen").works]
    # "kitchen" is in a title and in another story's text; the title weighs more.
    assert titles_in_order[0] == "Smoke in the Lower Kitchens"
    assert set(titles_in_order) == {"Smoke in the Lower Kitchens", "Biscuits"}


def test_paging_and_totals(filled: Library) -> None:
    first = filled.search("", sort="words", limit=2)
    second = filled.search("", sort="words", limit=2, offset=2)
    assert first.total == second.total == 5
    assert len(first.works) == len(second.works) == 2
    assert {w.id for w in first.works}.isdisjoint(w.id for w in second.works)


def test_summaries_carry_what_a_result_list_shows(filled: Library) -> None:
    (work,) = filled.search('pair:"Jim/Spock"').works
    assert work.title == "The Lanterns of Veltra"
    assert work.authors == ["quillfeather"]
    assert work.fandoms == ["Star Trek: The Original Series"]
    assert work.rating == "Teen And Up Audiences"
    assert work.relationships == ["James T. Kirk/Spock"]
    assert work.tags == ["Hurt/Comfort", "Shore Leave"]
    assert work.warnings == ["No Archive Warnings Apply"]
    assert work.words == 1200 and work.complete is True
    assert work.published == "2021-03-04" and work.updated == "2021-05-01"
    assert work.summary and "\n" not in work.summary


def test_facets_count_the_current_result_set(filled: Library) -> None:
    everything = filled.search("", limit=1)
    fandoms = {f.value: f.count for f in everything.facets["fandom"]}
    assert fandoms["Star Trek: The Original Series"] == 2
    assert fandoms["Doctor Who"] == 1
    assert set(everything.facets) == {
        "fandom",
        "character",
        "relationship",
        "tag",
        "rating",
        "warning",
        "category",
    }
    trek = filled.search('fandom:"star trek"')
    assert {f.value: f.count for f in trek.facets["rating"]} == {
        "Teen And Up Audiences": 1,
        "Explicit": 1,
    }
    characters = {f.value: f.count for f in trek.facets["character"]}
    assert characters["Leonard McCoy"] == 2
    assert "John Watson" not in characters
    assert {f.value for f in trek.facets["category"]} == {"M/M"}
    # Counts come sorted, most common first.
    counts = [f.count for f in everything.facets["tag"]]
    assert counts == sorted(counts, reverse=True)
    declared_only = filled.search("source:declared tag:angst")
    assert {f.value for f in declared_only.facets["tag"]} == {"Angst", "Grief"}


def test_mentioned_characters_are_not_facets(filled: Library) -> None:
    result = filled.search("fandom:sherlock")
    assert {f.value for f in result.facets["character"]} == {"John Watson"}


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('tag:"hurt', "unclosed quote", 4),
        ('dragons "out of', "unclosed quote", 8),
        ("fandom:merlin colour:blue", "unknown filter 'colour:'", 14),
        ("words:>lots", "not a number", 7),
        ("words:5000-1000", "runs backwards", 6),
        ("rating:PG-ish", "unknown rating", 7),
        ("complete:maybe", "complete:", 9),
        ("sort:kudos", "unknown sort", 5),
        ("tag:", "needs a value", 4),
        ("angst -", "nothing to exclude", 6),
        ('pair:"A & B"', "use rel:", 5),
        ("warning:spiders", "unknown archive warning", 8),
    ],
)
def test_malformed_queries_say_where(
    filled: Library, query: str, message: str, position: int
) -> None:
    with pytest.raises(QueryError) as caught:
        filled.search(query)
    assert message in caught.value.message
    assert caught.value.position == position
    assert isinstance(caught.value, ValueError)


def test_odd_text_never_reaches_sql_as_syntax(filled: Library) -> None:
    for query in ['"a ""b"', "NEAR(x y)", "x* OR y", "%_\\", "'; DROP TABLE works; --", "ü:)"]:
        # A clear refusal (QueryError) is fine; an SQL error would escape and fail the test.
        with contextlib.suppress(QueryError):
            assert filled.search(query).total >= 0
    assert filled.count() == 5


def test_both_backends_give_the_same_results(tmp_path, postgres_url: str) -> None:
    queries = [
        "",
        "tag:h/c",
        "-fandom:merlin sort:words",
        "kettle",
        'pair:"Jim/Spock"',
        "rating:<=M",
        "warning:none sort:title",
    ]
    urls = postgres_schema_url(postgres_url)
    results = []
    for url in (str(tmp_path / "same.sqlite3"), next(urls)):
        with open_library(url) as library:
            for spec in SPECS.values():
                library.add(*build(spec))
            found = [library.search(q, sort="words") for q in queries]
            results.append([([w.title for w in f.works], f.total, f.facets) for f in found])
    next(urls, None)
    assert results[0] == results[1]


def _counted(works: list, attribute: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for work in works:
        values = getattr(work, attribute)
        for value in [values] if isinstance(values, str) else values or []:
            counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.mark.parametrize(
    "query",
    ["", "-tag:angst", '-fandom:"star trek"', "rating:<=T", "tag:h/c", "fandom:who", "kettle"],
)
def test_facet_counts_agree_with_the_works_found(filled: Library, query: str) -> None:
    # The whole library, more than half of it (counted through the rest), and less.
    result = filled.search(query, limit=100)
    for facet, attribute in (("fandom", "fandoms"), ("rating", "rating"), ("warning", "warnings")):
        found = {f.value: f.count for f in result.facets[facet]}
        assert found == _counted(result.works, attribute), (facet, query)


def test_facet_counts_follow_deletes_and_updates(library: Library) -> None:
    ids = {key: library.add(*build(spec)).work_id for key, spec in SPECS.items()}
    library.delete(ids["vulcan"])
    changed = SPECS["lanterns"]
    library.add(*build(type(changed)(**{**changed.__dict__, "text": changed.text + "\nMore.\n"})))
    result = library.search("", limit=100)
    fandoms = {f.value: f.count for f in result.facets["fandom"]}
    assert fandoms == _counted(result.works, "fandoms")
    assert fandoms["Star Trek: The Original Series"] == 1
    assert "Explicit" not in {f.value for f in result.facets["rating"]}
