"""Writing one analysis into the library's tables, and reading works back.

A work is stored whole: the row in ``works`` (with the full analysis JSON and the text) and
the rows search and the web app read without re-analysis: chapters, characters and their
names, quotes, relationships and the names of their members, fandoms, tags and the
features similar-works ranking compares. Declared and inferred values are separate rows,
told apart by ``source``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ficlens.library.db import Database, now
from ficlens.library.records import Added, StoredWork
from ficlens.library.vocabulary import RATING_RANK, STOPWORDS, norm, tag_variants
from ficlens.model import Analysis, Character, Evidence, from_json, to_json

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_KEYWORD = re.compile(r"[^\W\d_]{3,}")
_PARENS = re.compile(r"\s*\([^)]*\)\s*$")  # AO3 disambiguation: "Spock (Star Trek)"
_TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. sir lady lord captain capt. commander professor"
    " prof. doctor king queen prince princess".split()
)
KEYWORDS_PER_WORK = 20
CHILD_TABLES = (
    "work_facets",
    "features",
    "tags",
    "fandoms",
    "relationships",  # relationship_names go with it (ON DELETE CASCADE)
    "quotes",
    "character_names",
    "characters",
    "chapters",
    "authors",
    "work_texts",
)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def name_variants(name: str) -> set[str]:
    """Normalised forms a name is found by: itself, without AO3's "(Fandom)", its first
    word (without a title) and its last word: "Captain James T. Kirk" -> kirk, james."""
    base = _PARENS.sub("", name).strip() or name
    found = {norm(name), norm(base)}
    words = norm(base).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    if len(words) > 1:
        found.update({words[0], words[-1], " ".join(words)})
    return {variant for variant in found if variant}


def character_names(character: Character) -> set[str]:
    names = set()
    for name in (character.name, character.canonical, *character.aliases):
        if name:
            names |= name_variants(name)
    return names


class _FacetEntries(dict[tuple[str, str], list]):
    """(facet, normalised value) -> [value as shown, declared?, inferred?] for one work."""

    def add(self, facet: str, value: str | None, source: str) -> None:
        if not value or not norm(value):
            return
        entry = self.setdefault((facet, norm(value)), [value, 0, 0])
        entry[1 if source == "declared" else 2] = 1


@dataclass
class _Member:
    display: str  # canonical name for features
    names: set[str]


class _People:
    """The work's characters, found by id or by any of their names."""

    def __init__(self, characters: list[Character]) -> None:
        self.by_id = {character.id: character for character in characters}
        self.names = {character.id: character_names(character) for character in characters}

    def find(self, name_or_id: str) -> Character | None:
        if name_or_id in self.by_id:
            return self.by_id[name_or_id]
        wanted = norm(_PARENS.sub("", name_or_id).strip() or name_or_id)
        # Prefer a character whose own name is meant, then one with it as an alias.
        for character in self.by_id.values():
            if wanted in {norm(character.name), norm(character.canonical or "")}:
                return character
        for character_id, names in self.names.items():
            if wanted in names:
                return self.by_id[character_id]
        return None

    def member(self, name_or_id: str) -> _Member:
        character = self.find(name_or_id)
        if character is None:
            return _Member(name_or_id, name_variants(name_or_id))
        display = character.canonical or character.name
        own = name_variants(name_or_id) if name_or_id not in self.by_id else set()
        return _Member(display, own | self.names[character.id])


def split_relationship(notation: str) -> tuple[list[str], str]:
    """Member names and kind of an AO3 relationship tag: "A/B" romantic, "A & B" platonic."""
    if "/" in notation:
        return [part.strip() for part in notation.split("/") if part.strip()], "romantic"
    return [part.strip() for part in notation.split("&") if part.strip()], "platonic"


def store_analysis(db: Database, analysis: Analysis, path: str | None) -> Added:
    """Insert or update the work of ``analysis``; the caller holds the transaction."""
    sha = analysis.source.sha256
    existing = db.one("SELECT id FROM works WHERE sha256 = ?", (sha,))
    if existing:
        return Added(int(existing[0]), "skipped")
    stamp = now()
    row = _work_row(analysis, path, stamp)
    previous = db.one("SELECT id FROM works WHERE path = ?", (path,)) if path else None
    if previous:
        work_id = int(previous[0])
        _delete_children(db, work_id)
        columns = [column for column in row if column != "added_at"]
        db.execute(
            f"UPDATE works SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [row[column] for column in columns] + [work_id],
        )
        status = "updated"
    else:
        work_id = int(
            db.scalar(
                f"INSERT INTO works ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
                " RETURNING id",
                list(row.values()),
            )
        )
        status = "imported"
    _insert_children(db, work_id, analysis)
    return Added(work_id, status)  # type: ignore[arg-type]


def replace_analysis(db: Database, work_id: int, analysis: Analysis) -> None:
    """Put a new analysis of a stored work in place (reanalyze); keeps id, path, added_at."""
    path = db.scalar("SELECT path FROM works WHERE id = ?", (work_id,))
    row = _work_row(analysis, path, now())
    del row["added_at"]
    _delete_children(db, work_id)
    db.execute(
        f"UPDATE works SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
        [*row.values(), work_id],
    )
    _insert_children(db, work_id, analysis)


def delete_work(db: Database, work_id: int) -> bool:
    if not db.one("SELECT 1 FROM works WHERE id = ?", (work_id,)):
        return False
    _delete_children(db, work_id)
    db.execute("DELETE FROM works WHERE id = ?", (work_id,))
    return True


def load_work(db: Database, work_id: int) -> StoredWork | None:
    row = db.one(
        "SELECT w.id, t.analysis, t.text, w.path, w.added_at, w.updated_at"
        " FROM works w JOIN work_texts t ON t.work_id = w.id WHERE w.id = ?",
        (work_id,),
    )
    if row is None:
        return None
    analysis = from_json(row[1])
    analysis.text = row[2]
    return StoredWork(
        id=int(row[0]), analysis=analysis, path=row[3], added_at=row[4], updated_at=row[5]
    )


def _delete_children(db: Database, work_id: int) -> None:
    # Explicit deletes rather than trusting ON DELETE CASCADE alone: an update keeps the
    # works row and replaces everything hanging off it.
    _unindex(db, work_id)
    db.execute(
        "UPDATE facet_values SET works = works - 1"
        " WHERE id IN (SELECT value_id FROM work_facets WHERE work_id = ?)",
        (work_id,),
    )
    for table in CHILD_TABLES:
        db.execute(f"DELETE FROM {table} WHERE work_id = ?", (work_id,))


def _index(db: Database, work_id: int) -> None:
    """Add the stored work to the full-text index (after works and work_texts rows)."""
    if db.dialect == "sqlite":
        db.execute(
            "INSERT INTO works_fts (rowid, title, summary, notes, text)"
            " SELECT w.id, w.title, w.summary, w.notes, t.text"
            " FROM works w JOIN work_texts t ON t.work_id = w.id WHERE w.id = ?",
            (work_id,),
        )
    else:
        db.execute(
            "UPDATE works SET search ="
            " setweight(to_tsvector('english', coalesce(works.title, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(works.summary, '')), 'B')"
            " || setweight(to_tsvector('english', works.notes), 'C')"
            " || setweight(to_tsvector('english', t.text), 'D')"
            " FROM work_texts t WHERE t.work_id = works.id AND works.id = ?",
            (work_id,),
        )


def _unindex(db: Database, work_id: int) -> None:
    """Take the work out of the full-text index (before its rows change or go)."""
    if db.dialect == "sqlite":
        # A contentless FTS5 table forgets a row given exactly the values it indexed.
        db.execute(
            "INSERT INTO works_fts (works_fts, rowid, title, summary, notes, text)"
            " SELECT 'delete', w.id, w.title, w.summary, w.notes, t.text"
            " FROM works w JOIN work_texts t ON t.work_id = w.id WHERE w.id = ?",
            (work_id,),
        )
    else:
        db.execute("UPDATE works SET search = NULL WHERE id = ?", (work_id,))


def _work_row(analysis: Analysis, path: str | None, stamp: str) -> dict[str, object]:
    work = analysis.work
    rating = work.declared.rating or _best_inferred(analysis, "rating")
    notes = "\n".join(note.text for note in work.notes if note.kind not in ("title", "summary"))
    date = work.updated or work.published or stamp[:10]
    return {
        "path": path,
        "sha256": analysis.source.sha256,
        "format": analysis.source.format,
        "title": work.title,
        "title_sort": _title_sort(work.title),
        "authors": ", ".join(work.authors),
        "summary": work.summary,
        "notes": notes,
        "rating": rating,
        "rating_rank": RATING_RANK.get(rating or ""),
        "words": work.word_count,
        "chapters": len(work.chapters),
        "complete": None if work.complete is None else int(work.complete),
        "published": work.published,
        "updated": work.updated,
        "sort_date": date,
        "language": work.declared.language,
        "url": work.url,
        "ficlens_version": analysis.ficlens_version,
        "added_at": stamp,
        "updated_at": stamp,
    }


def _title_sort(title: str | None) -> str:
    key = norm(title or "")
    for article in ("the ", "a ", "an "):
        if key.startswith(article) and len(key) > len(article):
            return key[len(article) :]
    return key


def _best_inferred(analysis: Analysis, tag_type: str) -> str | None:
    found = [tag for tag in analysis.tags if tag.type == tag_type]
    return max(found, key=lambda tag: tag.confidence).name if found else None


def _evidence(evidence: Iterable[Evidence]) -> str:
    return json.dumps(
        [{"start": e.start, "end": e.end, "text": e.text} for e in evidence], ensure_ascii=False
    )


def _insert_children(db: Database, work_id: int, analysis: Analysis) -> None:
    work = analysis.work
    text = analysis.text or ""
    db.execute(
        "INSERT INTO work_texts (work_id, analysis, text) VALUES (?, ?, ?)",
        (work_id, to_json(analysis, include_text=False, indent=0), text),
    )
    _index(db, work_id)
    db.executemany(
        "INSERT INTO authors (work_id, position, name, name_norm) VALUES (?, ?, ?, ?)",
        [(work_id, i, name, norm(name)) for i, name in enumerate(work.authors)],
    )
    db.executemany(
        "INSERT INTO chapters (work_id, idx, title, start_offset, end_offset, words)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                work_id,
                chapter.index,
                chapter.title,
                chapter.start,
                chapter.end,
                sum(word_count(text[p.start : p.end]) for p in chapter.paragraphs),
            )
            for chapter in work.chapters
        ],
    )
    db.executemany(
        "INSERT INTO quotes (work_id, quote_id, start_offset, end_offset, text, speech, speaker,"
        " addressees, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                work_id,
                q.id,
                q.start,
                q.end,
                q.text,
                int(q.speech),
                q.speaker,
                json.dumps(q.addressees),
                q.confidence,
            )
            for q in analysis.quotes
        ],
    )
    features: dict[str, tuple[str, float]] = {}
    facets = _FacetEntries()
    people = _People(analysis.characters)
    _insert_characters(db, work_id, analysis, people, features, facets)
    _insert_relationships(db, work_id, analysis, people, features, facets)
    _insert_fandoms(db, work_id, analysis, features, facets)
    _insert_tags(db, work_id, analysis, features, facets)
    rating = work.declared.rating or _best_inferred(analysis, "rating")
    facets.add("rating", rating, "declared" if work.declared.rating else "inferred")
    _insert_facets(db, work_id, facets)
    for term, weight in keywords(analysis).items():
        features[f"word:{term}"] = (term, weight)
    db.executemany(
        "INSERT INTO features (work_id, feature, label, weight) VALUES (?, ?, ?, ?)",
        [(work_id, key, label, weight) for key, (label, weight) in features.items()],
    )


def _insert_characters(
    db: Database,
    work_id: int,
    analysis: Analysis,
    people: _People,
    features: dict[str, tuple[str, float]],
    facets: _FacetEntries,
) -> None:
    rows: list[tuple[object, ...]] = []
    names: list[tuple[object, ...]] = []
    matched: set[str] = set()
    declared_rows = []
    for i, declared in enumerate(dict.fromkeys(analysis.work.declared.characters)):
        character = people.find(declared)
        found = name_variants(declared)
        if character is not None:
            matched.add(character.id)
            found |= people.names[character.id]
        declared_rows.append((f"declared-{i}", declared, found))
    for character in analysis.characters:
        # A declared character stands for the one the analysis found (one facet entry);
        # nobody browses a library for "a tinker".
        facet = (
            character.id not in matched
            and character.role != "mentioned"
            and not character.described
        )
        rows.append(
            (
                work_id,
                character.id,
                character.name,
                character.canonical,
                character.gender,
                character.role,
                character.mentions,
                character.quotes,
                character.words_spoken,
                "inferred",
                int(facet),
            )
        )
        names += [(work_id, character.id, name) for name in sorted(people.names[character.id])]
        if facet:
            display = character.canonical or character.name
            features[f"character:{norm(display)}"] = (display, 1.0)
            facets.add("character", display, "inferred")
    for key, declared, found in declared_rows:
        rows.append((work_id, key, declared, None, None, None, 0, 0, 0, "declared", 1))
        names += [(work_id, key, name) for name in sorted(found)]
        features[f"character:{norm(declared)}"] = (declared, 1.0)
        facets.add("character", declared, "declared")
    db.executemany(
        "INSERT INTO characters (work_id, char_key, name, canonical, gender, role, mentions,"
        " quotes, words_spoken, source, facet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT INTO character_names (work_id, char_key, name_norm) VALUES (?, ?, ?)", names
    )


def _insert_relationships(
    db: Database,
    work_id: int,
    analysis: Analysis,
    people: _People,
    features: dict[str, tuple[str, float]],
    facets: _FacetEntries,
) -> None:
    entries: list[tuple[str, str, str, list[str], bool, float, str]] = []
    for notation in dict.fromkeys(analysis.work.declared.relationships):
        members, kind = split_relationship(notation)
        entries.append((notation, kind, "declared", members, True, 1.0, "[]"))
    for relationship in analysis.relationships:
        entries.append(
            (
                relationship.notation,
                relationship.kind,
                "inferred",
                list(relationship.characters) or split_relationship(relationship.notation)[0],
                relationship.on_page,
                relationship.score,
                _evidence(relationship.evidence),
            )
        )
    for notation, kind, source, member_names, on_page, score, evidence in entries:
        members = [people.member(name) for name in member_names]
        relationship_id = db.scalar(
            "INSERT INTO relationships (work_id, notation, notation_norm, kind, source, on_page,"
            " score, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (work_id, notation, norm(notation), kind, source, int(on_page), score, evidence),
        )
        db.executemany(
            "INSERT INTO relationship_names (relationship_id, member, name_norm) VALUES (?, ?, ?)",
            [
                (relationship_id, index, name)
                for index, member in enumerate(members)
                for name in sorted(member.names)
            ],
        )
        # The same pair in either order, declared or inferred, is one feature.
        joiner = "/" if kind == "romantic" else " & "
        key = joiner.join(sorted(norm(member.display) for member in members))
        features[f"relationship:{key}"] = (notation, 1.0)
        facets.add("relationship", notation, source)


def _insert_fandoms(
    db: Database,
    work_id: int,
    analysis: Analysis,
    features: dict[str, tuple[str, float]],
    facets: _FacetEntries,
) -> None:
    rows: dict[tuple[str, str], tuple[object, ...]] = {}
    # The fandoms stage maps declared names to AO3's ("Merlin (BBC)" is "Merlin (TV)");
    # the names as written stand in only when it did not run.
    mapped = any(fandom.source == "declared" for fandom in analysis.fandoms)
    for name in [] if mapped else analysis.work.declared.fandoms:
        rows.setdefault(
            (norm(name), "declared"), (work_id, name, norm(name), "declared", 1.0, "[]")
        )
    for fandom in analysis.fandoms:
        key = (norm(fandom.name), fandom.source)
        rows.setdefault(
            key,
            (
                work_id,
                fandom.name,
                key[0],
                fandom.source,
                fandom.confidence,
                _evidence(fandom.evidence),
            ),
        )
    db.executemany(
        "INSERT INTO fandoms (work_id, name, name_norm, source, confidence, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        list(rows.values()),
    )
    for row in rows.values():
        features[f"fandom:{row[2]}"] = (str(row[1]), 1.0)
        facets.add("fandom", str(row[1]), str(row[3]))


def _insert_tags(
    db: Database,
    work_id: int,
    analysis: Analysis,
    features: dict[str, tuple[str, float]],
    facets: _FacetEntries,
) -> None:
    declared = analysis.work.declared
    rows: dict[tuple[str, str, str], tuple[object, ...]] = {}

    def add(name: str, type_: str, source: str, confidence: float, evidence: str) -> None:
        key = (type_, norm(name), source)
        if key[1]:
            rows.setdefault(key, (work_id, name, key[1], type_, source, confidence, evidence))

    if declared.rating:
        add(declared.rating, "rating", "declared", 1.0, "[]")
    for name in declared.warnings:
        add(name, "warning", "declared", 1.0, "[]")
    for name in declared.categories:
        add(name, "category", "declared", 1.0, "[]")
    for name in declared.tags:
        add(name, "freeform", "declared", 1.0, "[]")
    for tag in analysis.tags:
        add(tag.name, tag.type, tag.source, tag.confidence, _evidence(tag.evidence))
    db.executemany(
        "INSERT INTO tags (work_id, name, name_norm, type, source, confidence, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        list(rows.values()),
    )
    for (type_, name_norm, source), row in rows.items():
        if type_ in _TAG_FACETS:
            facets.add(_TAG_FACETS[type_], str(row[1]), source)
        if type_ == "freeform":
            # Synonyms are one feature: "h/c" and "Hurt/Comfort" are the same tag.
            features[f"tag:{tag_variants(name_norm)[0]}"] = (str(row[1]), 1.0)


_TAG_FACETS = {"freeform": "tag", "warning": "warning", "category": "category"}


def _insert_facets(db: Database, work_id: int, facets: _FacetEntries) -> None:
    rows = []
    for (facet, value_norm), (value, declared, inferred) in facets.items():
        db.execute(
            "INSERT INTO facet_values (facet, value_norm, value, works) VALUES (?, ?, ?, 0)"
            " ON CONFLICT (facet, value_norm) DO NOTHING",
            (facet, value_norm, value),
        )
        value_id = db.scalar(
            "SELECT id FROM facet_values WHERE facet = ? AND value_norm = ?", (facet, value_norm)
        )
        rows.append((work_id, value_id, declared, inferred))
    db.executemany(
        "INSERT INTO work_facets (work_id, value_id, declared, inferred) VALUES (?, ?, ?, ?)",
        rows,
    )
    db.execute(
        "UPDATE facet_values SET works = works + 1"
        " WHERE id IN (SELECT value_id FROM work_facets WHERE work_id = ?)",
        (work_id,),
    )


def keywords(analysis: Analysis) -> dict[str, float]:
    """The story's most frequent content words (term frequency relative to the top one)."""
    text = analysis.text or ""
    counts: Counter[str] = Counter()
    for paragraph in analysis.paragraphs():
        for match in _KEYWORD.finditer(text, paragraph.start, paragraph.end):
            word = match.group().lower()
            if word not in STOPWORDS:
                counts[word] += 1
    top = counts.most_common(KEYWORDS_PER_WORK)
    if not top:
        return {}
    highest = top[0][1]
    return {word: round(count / highest, 4) for word, count in top}


def absolute(path: str | None) -> str | None:
    return os.path.abspath(path) if path else None
