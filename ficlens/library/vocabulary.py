"""Names as the library compares them: normalised names, AO3 ratings and warnings, tag synonyms.

Tag synonyms belong with the tag vocabulary, which the tags stage ships in
``ficlens/data/tags.json``; the library only reads it. Until that file exists (or when it
names no synonyms) a few of the abbreviations readers type most stand in for it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def norm(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, one space between words."""
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", text).strip()


RATINGS: tuple[str, ...] = (
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
)
# Rank for comparisons (rating:<=T); "Not Rated" has none and never compares.
RATING_RANK: dict[str, int] = {name: rank for rank, name in enumerate(RATINGS, start=1)}
_RATING_WORDS: dict[str, str] = {
    "g": "General Audiences",
    "general": "General Audiences",
    "general audiences": "General Audiences",
    "t": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "m": "Mature",
    "mature": "Mature",
    "e": "Explicit",
    "explicit": "Explicit",
    "nr": "Not Rated",
    "not rated": "Not Rated",
    "unrated": "Not Rated",
}


def rating_name(value: str) -> str | None:
    """AO3's name for a rating written as G/T/M/E or in full; None if it is none of them."""
    return _RATING_WORDS.get(norm(value).replace("-", " "))


NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
WARNINGS: tuple[str, ...] = (
    CHOSE_NOT_TO_WARN,
    "Graphic Depictions Of Violence",
    "Major Character Death",
    NO_WARNINGS,
    "Rape/Non-Con",
    "Underage Sex",
)
_WARNING_WORDS: dict[str, str] = {
    "cntw": CHOSE_NOT_TO_WARN,
    "choose not to warn": CHOSE_NOT_TO_WARN,
    "chose not to warn": CHOSE_NOT_TO_WARN,
    "violence": "Graphic Depictions Of Violence",
    "graphic violence": "Graphic Depictions Of Violence",
    "mcd": "Major Character Death",
    "death": "Major Character Death",
    "character death": "Major Character Death",
    "rape": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "underage": "Underage Sex",
    "underage sex": "Underage Sex",
}
_WARNING_WORDS.update({norm(name): name for name in WARNINGS})


def warning_name(value: str) -> str | None:
    """AO3's archive warning for a short or full name; None if it names none."""
    return _WARNING_WORDS.get(norm(value))


# Stand-ins for ficlens/data/tags.json: canonical tag -> what readers also write.
_FALLBACK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Hurt/Comfort": ("h/c", "hurt comfort", "hurt-comfort", "hurtcomfort"),
    "Alternate Universe": ("au", "alt universe", "alternative universe"),
    "Out of Character": ("ooc",),
    "Work In Progress": ("wip",),
    "Fluff": ("fluffy",),
    "Angst": ("angsty",),
    "Friends to Lovers": ("friends2lovers", "friends-to-lovers"),
    "Enemies to Lovers": ("enemies2lovers", "enemies-to-lovers"),
    "Slow Burn": ("slowburn", "slow-burn"),
    "Plot What Plot/Porn Without Plot": ("pwp", "porn without plot"),
    "Post-Canon": ("post canon", "postcanon"),
    "Pre-Canon": ("pre canon", "precanon"),
}


@cache
def tag_synonym_groups() -> dict[str, frozenset[str]]:
    """Every known normalised tag name -> the normalised names of its whole synonym group."""
    groups: list[set[str]] = []
    for canonical, synonyms in {**_FALLBACK_SYNONYMS, **_shipped_synonyms()}.items():
        groups.append({norm(canonical), *(norm(s) for s in synonyms)})
    index: dict[str, set[str]] = {}
    for group in groups:
        # Two groups that share a name are one group (the shipped file may extend ours).
        merged = set(group)
        for name in group:
            merged |= index.get(name, set())
        for name in merged:
            index[name] = merged
    return {name: frozenset(group) for name, group in index.items()}


def tag_variants(value: str) -> list[str]:
    """The normalised names a tag query matches: the name and all its synonyms."""
    name = norm(value)
    return sorted(tag_synonym_groups().get(name, {name}))


def _shipped_synonyms() -> dict[str, tuple[str, ...]]:
    """Synonyms from ficlens/data/tags.json, in whichever of the plain shapes it uses.

    Accepted: {"synonyms": {"alias": "Canonical"}} or {"synonyms": {"Canonical": [..]}},
    and tag entries {"name": "Canonical", "synonyms"|"aliases": [...]} listed under
    "tags" or as the top-level list. Anything else yields nothing.
    """
    try:
        data: Any = json.loads(
            (resources.files("ficlens.data") / "tags.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return {}
    found: dict[str, list[str]] = {}

    def add(canonical: Any, synonyms: Any) -> None:
        if not isinstance(canonical, str):
            return
        if isinstance(synonyms, str):
            synonyms = [synonyms]
        if isinstance(synonyms, list):
            found.setdefault(canonical, []).extend(s for s in synonyms if isinstance(s, str))

    if isinstance(data, dict):
        synonyms = data.get("synonyms")
        if isinstance(synonyms, dict):
            for key, value in synonyms.items():
                if isinstance(value, str):
                    add(value, [key])
                else:
                    add(key, value)
        entries = data.get("tags")
        if isinstance(entries, dict):
            entries = [
                {"name": name, **value} if isinstance(value, dict) else {"name": name}
                for name, value in entries.items()
            ]
    else:
        entries = data
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict):
                add(entry.get("name"), entry.get("synonyms", entry.get("aliases", [])))
    return {name: tuple(values) for name, values in found.items()}


# PostgreSQL's English stop words (Snowball): free-text search drops them on both backends
# so that SQLite and PostgreSQL find the same works; keywords for similarity skip them too.
STOPWORDS: frozenset[str] = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()
)
