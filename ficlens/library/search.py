"""Search: a parsed query becomes a set of matching works, a page of them in order, and
facet counts over the set.

With the in-memory index (``facet_index``: a SQLite file or PostgreSQL, from the second
search of a process on) each term becomes a boolean mask over work ids: ratings, word
counts, completion, archive warnings and fandoms are read from the index's arrays; names,
tags, authors and free text are looked up in SQL (an indexed lookup that returns the ids
it finds), and the masks are combined in numpy. The page is ordered by each work's
position in the sort order, kept in the index, and facets are counted from the mask.
Without the index (an in-memory SQLite database, or before the index is read) the same
query runs as one SQL condition over ``works w``: ``compile_query``, which also defines
what every term means for both paths. Each filter there is an uncorrelated
``w.id IN (SELECT work_id ...)``: both databases evaluate it once, from the index on the
name, instead of once per work.

Filters match through the names stored with each work: a character by any of its names,
a relationship by its members' names in any order, a tag by any name in its synonym group.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ficlens.library.db import Database
from ficlens.library.facet_index import ORDERS, IndexState, index_for
from ficlens.library.facets import facets
from ficlens.library.query import SORTS, Query, QueryError, Term, parse
from ficlens.library.records import SearchResult
from ficlens.library.summaries import summaries
from ficlens.library.vocabulary import NO_WARNINGS, RATING_RANK, STOPWORDS, norm, tag_variants

_WORDS = re.compile(r"\w+")
MAX_LIMIT = 1000


@dataclass
class Compiled:
    """``FROM works w <join> WHERE <where> ORDER BY <order>``, each with its parameters."""

    join: str = ""
    join_params: list[Any] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    where_params: list[Any] = field(default_factory=list)
    rank: str | None = None  # relevance expression, smaller is better
    rank_params: list[Any] = field(default_factory=list)
    source: str | None = None

    def condition(self) -> str:
        return " AND ".join(self.where) if self.where else "1 = 1"

    def hits(self) -> tuple[str, list[Any]]:
        """A SELECT of the matching work ids."""
        sql = f"SELECT w.id FROM works w {self.join} WHERE {self.condition()}"
        return sql, self.join_params + self.where_params


def search(
    db: Database,
    query: str = "",
    *,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResult:
    parsed = parse(query)
    sort = parsed.sort or sort
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' (sorts are {', '.join(SORTS)})", 0)
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    index = index_for(db)
    state = index.ready() if index is not None else None
    if state is None:
        return search_in_sql(
            db, parsed, sort=sort, limit=limit, offset=offset, with_facets=with_facets
        )
    matched, ranked = _match(db, parsed, state, scored=sort == "relevance")
    page = _page(state, matched, ranked, sort, limit, offset)
    found = state.facets(state.counts(matched, parsed.source)) if with_facets else {}
    return SearchResult(
        total=int(np.count_nonzero(matched)), works=summaries(db, page), facets=found
    )


def search_in_sql(
    db: Database,
    parsed: Query,
    *,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResult:
    """The search in SQL alone (no in-memory index): what the index must agree with."""
    compiled = compile_query(parsed, db.dialect)
    hits_sql, hits_params = compiled.hits()
    total = int(db.scalar(f"SELECT COUNT(*) FROM ({hits_sql}) AS hits", hits_params))
    order, order_params = _order(compiled, sort)
    rows = db.all(
        f"SELECT w.id FROM works w {compiled.join} WHERE {compiled.condition()}"
        f" ORDER BY {order} LIMIT ? OFFSET ?",
        [*hits_params, *order_params, limit, offset],
    )
    works = summaries(db, [int(row[0]) for row in rows])
    found = (
        facets(db, hits_sql, hits_params, total=total, source=compiled.source)
        if with_facets
        else {}
    )
    return SearchResult(total=total, works=works, facets=found)


# -- with the in-memory index ------------------------------------------------------------

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
# source: on its own: works that have some value of that source.
_ANY_OF_SOURCE = (
    "SELECT t.work_id FROM tags t WHERE t.source = ?"
    " UNION SELECT f.work_id FROM fandoms f WHERE f.source = ?"
    " UNION SELECT r.work_id FROM relationships r WHERE r.source = ?"
)


def _match(
    db: Database, query: Query, state: IndexState, *, scored: bool
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """The mask of matching works and, for relevance, (ids, scores) of the free-text
    matches (smaller scores first)."""
    matched = state.present.copy()
    scoped = False
    for term in query.filters:
        found, uses_source = _term_mask(db, term, query.source, state)
        scoped |= uses_source
        matched &= ~found if term.negated else found
    if query.source and not scoped:
        matched &= state.mask(_ids(db, _ANY_OF_SOURCE, [query.source] * 3))
    negative = [
        " ".join(w) for w in (text_words(t.value) for t in query.text_terms if t.negated) if w
    ]
    positive = [
        " ".join(w) for w in (text_words(t.value) for t in query.text_terms if not t.negated) if w
    ]
    sqlite = db.dialect == "sqlite"
    for phrase in negative:
        if sqlite:
            excluded = _ids(
                db, "SELECT rowid FROM works_fts WHERE works_fts MATCH ?", [_fts5_phrase(phrase)]
            )
        else:
            # NOT (search @@ q) keeps neither the works that match nor those with no search
            # vector (NULL): exclude both.
            excluded = _ids(
                db,
                "SELECT w.id FROM works w"
                " WHERE (w.search @@ phraseto_tsquery('english', ?)) IS NOT FALSE",
                [phrase],
            )
        matched &= ~state.mask(excluded)
    if not positive:
        return matched, None
    if sqlite:
        params: list[Any] = [" AND ".join(_fts5_phrase(p) for p in positive)]
        score = "bm25(works_fts, 10.0, 5.0, 2.0, 1.0)"
        source = (
            f"SELECT rowid{f', {score}' if scored else ''} FROM works_fts WHERE works_fts MATCH ?"
        )
    else:
        tsquery = " && ".join("phraseto_tsquery('english', ?)" for _ in positive)
        score = f"-ts_rank(w.search, ({tsquery}))"
        source = (
            f"SELECT w.id{f', {score}' if scored else ''} FROM works w"
            f" WHERE w.search @@ ({tsquery})"
        )
        params = [*positive, *positive] if scored else list(positive)
    if not scored:
        return matched & state.mask(_ids(db, source, params)), None
    rows = db.all(source, params)
    ids = np.fromiter((int(row[0]) for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((float(row[1]) for row in rows), dtype=np.float64, count=len(rows))
    return matched & state.mask(ids), (ids, scores)


def _term_mask(
    db: Database, term: Term, source: str | None, state: IndexState
) -> tuple[np.ndarray, bool]:
    """(the works a filter matches, before negation; whether source: restricts it)."""
    name, value = term.field, term.value
    present = state.present
    if name == "rating":
        op, rating = value
        if op == "=" and rating in RATING_RANK:
            return present & (state.rating_rank == RATING_RANK[rating]), False
        if op == "=":
            code = state.ratings.get(rating, -2)  # -2: no work has it
            return present & (state.rating_code == code), False
        known = state.rating_rank >= 0  # a work with no rating matches no comparison
        return present & known & _COMPARE[op](state.rating_rank, RATING_RANK[rating]), False
    if name == "words":
        low, high = value
        found = present.copy()
        if low is not None:
            found &= state.words >= low
        if high is not None:
            found &= state.words <= high
        return found, False
    if name == "complete":
        return present & (state.complete == int(value)), False
    if name == "warning":
        if value == NO_WARNINGS:
            # No archive warning applies: the work carries no warning but that one.
            others = state.values_where("warning", lambda v: v != norm(NO_WARNINGS))
            return present & ~state.works_with(others, source), True
        wanted = norm(value)
        return state.works_with(state.values_where("warning", lambda v: v == wanted), source), True
    if name == "fandom" and norm(value):
        # LIKE '%value%' over the normalised names, here over the index's fandom values
        # (the same names, one per normalised form, with the sources that give them).
        wanted = norm(value)
        return state.works_with(state.values_where("fandom", lambda v: wanted in v), source), True
    select, params, uses_source = _member_select(term, source)
    return state.mask(_ids(db, select, params)), uses_source


def _ids(db: Database, select: str, params: list[Any]) -> np.ndarray:
    """The first column of ``select``'s rows, as integers."""
    rows = db.all(select, params)
    return np.fromiter((int(row[0]) for row in rows), dtype=np.int64, count=len(rows))


def _page(
    state: IndexState,
    matched: np.ndarray,
    ranked: tuple[np.ndarray, np.ndarray] | None,
    sort: str,
    limit: int,
    offset: int,
) -> list[int]:
    """Ids of the matching works from ``offset`` to ``offset + limit`` in ``sort`` order."""
    wanted = offset + limit
    if limit == 0:
        return []
    if sort == "relevance" and ranked is not None:
        ids, scores = ranked
        inside = (ids >= 0) & (ids < state.size)
        ids, scores = ids[inside], scores[inside]
        keep = matched[ids]
        ids, scores = ids[keep], scores[keep]
        # By score, then id: the order the SQL search gives.
        return ids[np.lexsort((ids, scores))[offset:wanted]].tolist()
    rank = state.rank("date" if sort == "relevance" else sort)
    candidates = np.flatnonzero(matched)
    ranks = rank[candidates]
    if wanted < len(ranks):
        # Only the first ``wanted`` need sorting.
        first = np.argpartition(ranks, wanted - 1)[:wanted]
        first = first[np.argsort(ranks[first])]
    else:
        first = np.argsort(ranks)
    return candidates[first[offset:wanted]].tolist()


# -- in SQL --------------------------------------------------------------------------------


def _order(compiled: Compiled, sort: str) -> tuple[str, list[Any]]:
    if sort == "relevance" and compiled.rank:
        return f"{compiled.rank}, w.id", compiled.rank_params
    # date, and relevance without free text: the newest first
    return ORDERS.get(sort, ORDERS["date"]), []


def compile_query(query: Query, dialect: str) -> Compiled:
    compiled = Compiled(source=query.source)
    _free_text(compiled, query.text_terms, dialect)
    scoped = False
    for term in query.filters:
        sql, params, uses_source = _filter(term, query.source)
        scoped |= uses_source
        if term.negated:
            sql = _negate(sql)
        compiled.where.append(sql)
        compiled.where_params.extend(params)
    if query.source and not scoped:
        # source: on its own: works that have some value of that source.
        compiled.where.append(
            "(w.id IN (SELECT t.work_id FROM tags t WHERE t.source = ?)"
            " OR w.id IN (SELECT f.work_id FROM fandoms f WHERE f.source = ?)"
            " OR w.id IN (SELECT r.work_id FROM relationships r WHERE r.source = ?))"
        )
        compiled.where_params.extend([query.source] * 3)
    return compiled


def _negate(sql: str) -> str:
    """Exclusion. A membership test flips to its opposite, which both databases run as a
    set lookup; anything else is wrapped so that an unknown value (NULL) counts as no match.
    """
    for positive, negative in (("w.id IN (", "w.id NOT IN ("), ("w.id NOT IN (", "w.id IN (")):
        if sql.startswith(positive) and _closes_at_end(sql, len(positive) - 1):
            return negative + sql[len(positive) :]
    return f"NOT COALESCE(({sql}), FALSE)"


def _closes_at_end(sql: str, opening: int) -> bool:
    """Whether the parenthesis at ``opening`` closes at the very end of ``sql``."""
    depth = 0
    for i in range(opening, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[i], 0)
        if depth == 0:
            return i == len(sql) - 1
    return False


def text_words(value: str) -> list[str]:
    """The words of a free-text term; a lone stop word is dropped (PostgreSQL drops it)."""
    words = _WORDS.findall(value.lower())
    if len(words) == 1 and words[0] in STOPWORDS:
        return []
    return words


def _free_text(compiled: Compiled, terms: list[Term], dialect: str) -> None:
    positive = [" ".join(w) for w in (text_words(t.value) for t in terms if not t.negated) if w]
    negative = [" ".join(w) for w in (text_words(t.value) for t in terms if t.negated) if w]
    if dialect == "sqlite":
        for phrase in negative:
            compiled.where.append(
                "w.id NOT IN (SELECT rowid FROM works_fts WHERE works_fts MATCH ?)"
            )
            compiled.where_params.append(_fts5_phrase(phrase))
        if positive:
            # bm25 weights: title, summary, notes, text (smaller score is better).
            compiled.join = (
                "JOIN (SELECT rowid AS id, bm25(works_fts, 10.0, 5.0, 2.0, 1.0) AS score"
                " FROM works_fts WHERE works_fts MATCH ?) fts ON fts.id = w.id"
            )
            compiled.join_params = [" AND ".join(_fts5_phrase(p) for p in positive)]
            compiled.rank = "fts.score"
        return
    for phrase in negative:
        compiled.where.append("NOT (w.search @@ phraseto_tsquery('english', ?))")
        compiled.where_params.append(phrase)
    if positive:
        tsquery = " && ".join("phraseto_tsquery('english', ?)" for _ in positive)
        compiled.where.append(f"w.search @@ ({tsquery})")
        compiled.where_params.extend(positive)
        compiled.rank = f"-ts_rank(w.search, ({tsquery}))"
        compiled.rank_params = list(positive)


def _fts5_phrase(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _in(values: list[str]) -> str:
    return "(" + ", ".join("?" for _ in values) + ")"


def _scope(alias: str, source: str | None) -> tuple[str, list[Any]]:
    return (f" AND {alias}.source = ?", [source]) if source else ("", [])


def _filter(term: Term, source: str | None) -> tuple[str, list[Any], bool]:
    """(SQL condition, parameters, whether it is restricted by source:)."""
    field_name, value = term.field, term.value
    if field_name in _MEMBER_FILTERS:
        select, params, scoped = _member_select(term, source)
        return f"w.id IN ({select})", params, scoped
    if field_name == "warning":
        # Through the facet tables: their (value, work) index answers without reading tags.
        scope = f" AND wf.{source} = 1" if source else ""
        if value == NO_WARNINGS:
            # No archive warning applies: the work carries no warning but that one.
            return (
                "w.id NOT IN (SELECT wf.work_id FROM work_facets wf"
                " WHERE wf.value_id IN (SELECT v.id FROM facet_values v"
                f" WHERE v.facet = 'warning' AND v.value_norm <> ?){scope})",
                [norm(NO_WARNINGS)],
                True,
            )
        return (
            "w.id IN (SELECT wf.work_id FROM work_facets wf"
            " WHERE wf.value_id IN (SELECT v.id FROM facet_values v"
            f" WHERE v.facet = 'warning' AND v.value_norm = ?){scope})",
            [norm(value)],
            True,
        )
    if field_name == "rating":
        op, name = value
        if op == "=" and name in RATING_RANK:
            return "w.rating_rank = ?", [RATING_RANK[name]], False  # indexed
        if op == "=":
            return "w.rating = ?", [name], False
        return f"w.rating_rank {op} ?", [RATING_RANK[name]], False
    if field_name == "words":
        low, high = value
        parts, params = [], []
        if low is not None:
            parts.append("w.words >= ?")
            params.append(low)
        if high is not None:
            parts.append("w.words <= ?")
            params.append(high)
        return " AND ".join(parts), params, False
    if field_name == "complete":
        return "w.complete = ?", [int(value)], False
    raise QueryError(f"'{field_name}:' cannot be searched", term.position)  # pragma: no cover


_MEMBER_FILTERS = (
    "fandom",
    "character",
    "pair",
    "rel",
    "relationship",
    "tag",
    "category",
    "author",
)


def _member_select(term: Term, source: str | None) -> tuple[str, list[Any], bool]:
    """(SELECT of the ids of the works a name filter matches, parameters, whether it is
    restricted by source:). Such a filter matches the works ``w.id IN (SELECT ...)``."""
    field_name, value = term.field, term.value
    if field_name == "fandom":
        scope, scope_params = _scope("f", source)
        return (
            f"SELECT f.work_id FROM fandoms f WHERE f.name_norm LIKE ? ESCAPE '\\'{scope}",
            [_like(norm(value)), *scope_params],
            True,
        )
    if field_name == "character":
        names = _query_names(value)
        if source is None:
            return (
                f"SELECT cn.work_id FROM character_names cn WHERE cn.name_norm IN {_in(names)}",
                names,
                True,
            )
        return (
            "SELECT cn.work_id FROM character_names cn JOIN characters c"
            " ON c.work_id = cn.work_id AND c.char_key = cn.char_key"
            f" WHERE cn.name_norm IN {_in(names)} AND c.source = ?",
            [*names, source],
            True,
        )
    if field_name in ("pair", "rel", "relationship"):
        return (*_relationship(value, source), True)
    if field_name in ("tag", "category"):
        scope, scope_params = _scope("t", source)
        names = tag_variants(value) if field_name == "tag" else [norm(value)]
        kind = " AND t.type = 'category'" if field_name == "category" else ""
        return (
            f"SELECT t.work_id FROM tags t WHERE t.name_norm IN {_in(names)}{kind}{scope}",
            [*names, *scope_params],
            True,
        )
    if field_name == "author":
        return (
            "SELECT a.work_id FROM authors a WHERE a.name_norm LIKE ? ESCAPE '\\'",
            [_like(norm(value))],
            False,
        )
    raise QueryError(f"'{field_name}:' cannot be searched", term.position)  # pragma: no cover


def _query_names(name: str) -> list[str]:
    """What a name typed in a query matches: itself, and itself without "(Fandom)"."""
    plain = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip() or name
    return sorted({norm(name), norm(plain)})


def _relationship(value: tuple[list[str], str | None], source: str | None) -> tuple[str, list]:
    names, kind = value
    joins, params = [], []
    for i, name in enumerate(names):
        variants = _query_names(name)
        distinct = "".join(f" AND m{i}.member <> m{j}.member" for j in range(i))
        joins.append(
            f"JOIN relationship_names m{i} ON m{i}.relationship_id = r.id"
            f" AND m{i}.name_norm IN {_in(variants)}{distinct}"
        )
        params.extend(variants)
    conditions = ""
    if kind == "romantic":
        conditions += " AND r.kind = 'romantic'"
    elif kind == "platonic":
        conditions += " AND r.kind <> 'romantic'"
    scope, scope_params = _scope("r", source)
    sql = f"SELECT r.work_id FROM relationships r {' '.join(joins)} WHERE 1 = 1{conditions}{scope}"
    return sql, [*params, *scope_params]
