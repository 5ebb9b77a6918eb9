"""Search: a parsed query becomes one SQL condition over ``works w``, the same on SQLite
and PostgreSQL except for free text (FTS5 there, tsvector here). Each filter is an
uncorrelated ``w.id IN (SELECT work_id ...)``: both databases evaluate it once, from the
index on the name, instead of once per work.

Filters match through the names stored with each work: a character by any of its names,
a relationship by its members' names in any order, a tag by any name in its synonym group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ficlens.library.db import Database
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


def _order(compiled: Compiled, sort: str) -> tuple[str, list[Any]]:
    if sort == "relevance" and compiled.rank:
        return f"{compiled.rank}, w.id", compiled.rank_params
    if sort == "words":
        return "w.words DESC, w.id", []
    if sort == "title":
        return "w.title_sort, w.id", []
    # date, and relevance without free text: the newest first
    return "w.sort_date DESC, w.id DESC", []


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
    if field_name == "fandom":
        scope, scope_params = _scope("f", source)
        return (
            "w.id IN (SELECT f.work_id FROM fandoms f"
            f" WHERE f.name_norm LIKE ? ESCAPE '\\'{scope})",
            [_like(norm(value)), *scope_params],
            True,
        )
    if field_name == "character":
        names = _query_names(value)
        if source is None:
            return (
                f"w.id IN (SELECT cn.work_id FROM character_names cn"
                f" WHERE cn.name_norm IN {_in(names)})",
                names,
                True,
            )
        return (
            "w.id IN (SELECT cn.work_id FROM character_names cn JOIN characters c"
            " ON c.work_id = cn.work_id AND c.char_key = cn.char_key"
            f" WHERE cn.name_norm IN {_in(names)} AND c.source = ?)",
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
            "w.id IN (SELECT t.work_id FROM tags t"
            f" WHERE t.name_norm IN {_in(names)}{kind}{scope})",
            [*names, *scope_params],
            True,
        )
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
    if field_name == "author":
        return (
            "w.id IN (SELECT a.work_id FROM authors a WHERE a.name_norm LIKE ? ESCAPE '\\')",
            [_like(norm(value))],
            False,
        )
    if field_name == "complete":
        return "w.complete = ?", [int(value)], False
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
    sql = (
        f"w.id IN (SELECT r.work_id FROM relationships r {' '.join(joins)}"
        f" WHERE 1 = 1{conditions}{scope})"
    )
    return sql, [*params, *scope_params]
