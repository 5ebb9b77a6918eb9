"""The search query language, modelled on AO3's filters.

    free words "a quoted phrase"          title, summary, notes and text
    fandom:Merlin  character:Jim  author:ruth
    pair:"Jim/Spock"   (romantic)         rel:"Kirk & McCoy"  (platonic)
    relationship:"A/B" (either, by separator)
    tag:h/c  category:M/M  warning:none  warning:mcd
    rating:T  rating:<=T  rating:Explicit
    words:>1000  words:1000-5000  words:<=2k
    complete:yes|no  source:declared|inferred  sort:relevance|words|date|title

Any term can be excluded with a leading ``-`` (``-tag:angst``, ``-"bad end"``). Values with
spaces go in double quotes. ``parse`` turns a query into ``Term``s or raises
``QueryError`` with a message and the 0-based offset of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ficlens.library.vocabulary import (
    NO_WARNINGS,
    RATING_RANK,
    rating_name,
    warning_name,
)

SORTS = ("relevance", "words", "date", "title")
SOURCES = ("declared", "inferred")
# Filter names as written -> the field they filter.
FILTERS: dict[str, str] = {
    "fandom": "fandom",
    "character": "character",
    "char": "character",
    "pair": "pair",
    "ship": "pair",
    "rel": "rel",
    "relationship": "relationship",
    "tag": "tag",
    "category": "category",
    "rating": "rating",
    "warning": "warning",
    "words": "words",
    "author": "author",
    "complete": "complete",
    "source": "source",
    "sort": "sort",
}
_KEY = re.compile(r"([A-Za-z_]+):")
_COMPARISON = re.compile(r"^(<=|>=|<|>|=)?\s*(.+)$")
_NUMBER = re.compile(r"^(\d[\d,]*)(k)?$", re.IGNORECASE)
_YES = {"yes", "y", "true", "1", "complete", "completed"}
_NO = {"no", "n", "false", "0", "incomplete", "wip", "in progress"}


class QueryError(ValueError):
    """A query the language cannot read: ``message`` says why, ``position`` where."""

    def __init__(self, message: str, position: int) -> None:
        self.message = message
        self.position = position
        super().__init__(f"{message} (at position {position + 1})")


@dataclass(frozen=True)
class Term:
    """One term of a query: free text (``field == "text"``) or a filter."""

    field: str
    value: Any  # str, or the parsed value: (low, high), (op, rank), bool, (names, kind)
    negated: bool
    position: int
    raw: str


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    sort: str | None = None
    source: str | None = None  # restricts fandom/character/relationship/tag filters

    @property
    def text_terms(self) -> list[Term]:
        return [term for term in self.terms if term.field == "text"]

    @property
    def filters(self) -> list[Term]:
        return [term for term in self.terms if term.field != "text"]


def parse(query: str) -> Query:
    """Read a query; raises QueryError pointing at the first problem."""
    parsed = Query()
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        start = i
        negated = query[i] == "-"
        if negated:
            i += 1
            if i >= n or query[i].isspace():
                raise QueryError("nothing to exclude after '-'", start)
        key_match = _KEY.match(query, i)
        if key_match and not query.startswith("//", key_match.end()):
            key = key_match.group(1).lower()
            if key not in FILTERS:
                known = ", ".join(sorted({*FILTERS} - {"char", "ship"}))
                raise QueryError(f"unknown filter '{key}:' (filters are {known})", i)
            value_at = key_match.end()
            value, i = _value(query, value_at)
            if not value.strip():
                raise QueryError(f"'{key}:' needs a value", value_at)
            term = _filter(FILTERS[key], value.strip(), negated, start, value_at, query[start:i])
            if term.field == "sort":
                parsed.sort = term.value
            elif term.field == "source":
                parsed.source = term.value
            else:
                parsed.terms.append(term)
            continue
        value, i = _value(query, i)
        if value.strip():
            parsed.terms.append(Term("text", value.strip(), negated, start, query[start:i]))
    return parsed


def _value(query: str, i: int) -> tuple[str, int]:
    """A quoted string or a bare run up to whitespace; returns it and the offset after it."""
    if i < len(query) and query[i] == '"':
        end = query.find('"', i + 1)
        if end < 0:
            raise QueryError("unclosed quote", i)
        return query[i + 1 : end], end + 1
    end = i
    while end < len(query) and not query[end].isspace():
        end += 1
    return query[i:end], end


def _filter(name: str, value: str, negated: bool, start: int, at: int, raw: str) -> Term:
    def term(parsed: Any) -> Term:
        return Term(name, parsed, negated, start, raw)

    if name in ("sort", "source") and negated:
        raise QueryError(f"'{name}:' cannot be excluded with '-'", start)
    if name == "sort":
        if value.lower() not in SORTS:
            raise QueryError(f"unknown sort '{value}' (sorts are {', '.join(SORTS)})", at)
        return term(value.lower())
    if name == "source":
        if value.lower() not in SOURCES:
            raise QueryError(f"source: is 'declared' or 'inferred', not '{value}'", at)
        return term(value.lower())
    if name == "words":
        return term(_words(value, at))
    if name == "rating":
        return term(_rating(value, at))
    if name == "complete":
        lowered = value.lower()
        if lowered in _YES:
            return term(True)
        if lowered in _NO:
            return term(False)
        raise QueryError(f"complete: is 'yes' or 'no', not '{value}'", at)
    if name == "warning":
        if value.lower() in ("none", "no", "no warnings"):
            return term(NO_WARNINGS)
        warning = warning_name(value)
        if warning is None:
            raise QueryError(f"unknown archive warning '{value}'", at)
        return term(warning)
    if name in ("pair", "rel", "relationship"):
        return term(_relationship(name, value, at))
    return term(value)


def _words(value: str, at: int) -> tuple[int | None, int | None]:
    """(low, high), inclusive; None for an open end."""
    if "-" in value and not value.startswith(("<", ">", "=")):
        low_text, _, high_text = value.partition("-")
        low = _number(low_text, at)
        high = _number(high_text, at + len(low_text) + 1)
        if low > high:
            raise QueryError(f"words: range {value} runs backwards", at)
        return low, high
    match = _COMPARISON.match(value)
    assert match  # the pattern accepts any non-empty value
    op, number_text = match.group(1) or "=", match.group(2)
    number = _number(number_text, at + len(value) - len(number_text))
    return {
        "=": (number, number),
        "<": (None, number - 1),
        "<=": (None, number),
        ">": (number + 1, None),
        ">=": (number, None),
    }[op]


def _number(text: str, at: int) -> int:
    match = _NUMBER.match(text.strip())
    if not match:
        raise QueryError(f"'{text}' is not a number of words", at)
    number = int(match.group(1).replace(",", ""))
    return number * 1000 if match.group(2) else number


def _rating(value: str, at: int) -> tuple[str, str]:
    """(operator, AO3 rating name)."""
    match = _COMPARISON.match(value)
    assert match
    op, name_text = match.group(1) or "=", match.group(2)
    name = rating_name(name_text)
    if name is None:
        raise QueryError(
            f"unknown rating '{name_text}' (ratings are G, T, M, E or their full names)",
            at + len(value) - len(name_text),
        )
    if op != "=" and name not in RATING_RANK:
        raise QueryError(f"'{name}' cannot be compared", at)
    return op, name


def _relationship(name: str, value: str, at: int) -> tuple[list[str], str | None]:
    """(member names, kind): kind is "romantic", "platonic", or None for either."""
    has_slash, has_amp = "/" in value, "&" in value
    if has_slash and has_amp:
        raise QueryError("a relationship is 'A/B' or 'A & B', not both", at)
    if name == "pair" and has_amp:
        raise QueryError("pair: is for romantic pairings (A/B); use rel: for 'A & B'", at)
    if name == "rel" and has_slash:
        raise QueryError("rel: is for platonic relationships (A & B); use pair: for 'A/B'", at)
    separator = "/" if has_slash else "&"
    names = [part.strip() for part in value.split(separator)]
    if any(not part for part in names):
        raise QueryError(f"a name is missing in '{value}'", at)
    if name == "pair":
        kind: str | None = "romantic"
    elif name == "rel":
        kind = "platonic"
    else:
        kind = "romantic" if has_slash else "platonic" if has_amp else None
    return names, kind
