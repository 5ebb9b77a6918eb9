"""The library page: the works, a search box in the library's query language, AO3-style
filters built from the facets (include or exclude each value), sorting and pages.

The whole state of a search is in the URL (``?q=...&sort=...&page=...``), so a search can
be bookmarked; the filter links only rewrite ``q``. A malformed query shows the library's
own message, pointing at the problem, with a 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from starlette.requests import Request
from starlette.responses import Response

from ficlens.web.state import LibraryUnavailable, web_state
from ficlens.web.templating import render, render_fragment

PAGE_SIZE = 20
SORTS = ("relevance", "words", "date", "title")
# The facets in the order of AO3's sidebar; each facet key is also the query language's filter.
FACETS: tuple[tuple[str, str], ...] = (
    ("rating", "Ratings"),
    ("warning", "Warnings"),
    ("category", "Categories"),
    ("fandom", "Fandoms"),
    ("character", "Characters"),
    ("relationship", "Relationships"),
    ("tag", "Additional Tags"),
)
FACET_VALUES_SHOWN = 12


@dataclass
class FacetLink:
    value: str
    count: int
    include: str  # URL of the search with this value required
    exclude: str  # ... and with it excluded
    state: str  # "included", "excluded" or ""
    remove: str  # ... and with this value's filter taken out of the query


def filter_term(facet: str, value: str) -> str:
    """The query-language filter for one facet value, e.g. ``fandom:"Merlin (BBC)"``."""
    return f'{facet}:"{value.replace(chr(34), "")}"'


def search_url(query: str, sort: str) -> str:
    url = "/?q=" + quote_plus(query.strip())
    return url if sort == "relevance" else f"{url}&sort={sort}"


def facet_links(query: str, sort: str, facets: dict[str, list[Any]]) -> list[tuple[str, list]]:
    """The sidebar: per facet, its values with counts and include/exclude links; values the
    query already filters on stay listed (an excluded value has no count left)."""
    groups: list[tuple[str, list[FacetLink]]] = []
    for key, title in FACETS:
        links: list[FacetLink] = []
        shown: set[str] = set()
        for facet_value in facets.get(key, [])[:FACET_VALUES_SHOWN]:
            links.append(_facet_link(query, sort, key, facet_value.value, facet_value.count))
            shown.add(facet_value.value)
        for match in re.finditer(rf'(?:^|\s)-?{key}:"([^"]*)"', query):
            if match.group(1) not in shown:
                links.append(_facet_link(query, sort, key, match.group(1), 0))
                shown.add(match.group(1))
        if links:
            groups.append((title, links))
    return groups


def _facet_link(query: str, sort: str, key: str, value: str, count: int) -> FacetLink:
    term = filter_term(key, value)
    state = "excluded" if f"-{term}" in query else "included" if term in query else ""
    without = " ".join(query.replace(f"-{term}", " ").replace(term, " ").split())
    return FacetLink(
        value,
        count,
        search_url(f"{query} {term}", sort),
        search_url(f"{query} -{term}", sort),
        state,
        search_url(without, sort),
    )


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def library_page(request: Request) -> Response:
    query = request.query_params.get("q", "")
    sort = request.query_params.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = page_number(request.query_params.get("page"))
    context: dict[str, Any] = {
        "query": query,
        "sort": sort,
        "sorts": SORTS,
        "page": page,
        "error": None,
        "error_at": None,
        "result": None,
        "sidebar": "",
        "pages": 0,
    }
    state = web_state(request)
    try:
        result = await state.search(
            query, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    except LibraryUnavailable as error:
        context["error"] = str(error)
        return render(request, "library.html", context, status_code=503)
    except ValueError as error:
        from ficlens.library import QueryError

        if not isinstance(error, QueryError):
            raise
        context["error"] = error.message
        context["error_at"] = error.position
        return render(request, "library.html", context, status_code=400)
    context["result"] = result
    # The sidebar depends only on the query and the sort, not on the page: made once.
    key = ("sidebar", query, sort)
    sidebar = state.cache.get(key)
    if sidebar is None:
        links = facet_links(query, sort, result.facets)
        sidebar = render_fragment("filters.html", {"facets": links})
        state.cache.put(key, sidebar)
    context["sidebar"] = sidebar
    context["pages"] = max(1, -(-result.total // PAGE_SIZE))
    return render(request, "library.html", context)
