"""Library scale: import throughput and search latency on a synthetic library (SQLite).

The library is generated, not analysed: ``--works`` synthetic works (default 100,000), each
an ``Analysis`` built directly from a seeded random generator: one of 40 fandoms, 2-6 of
that fandom's 15 characters (with aliases), 0-2 relationships among them, 2-8 of 300
freeform tags (a few with synonyms), a rating, warnings, a category, 1-3 chapters of
~150-400 words drawn from a 4,000-word vocabulary, and a word count of 500-150,000. Works
are stored through ``Library.add``, one transaction each, as ``ficlens import`` stores them
after the analysis, so the import figure is the storage cost per work (the analysis itself
is measured by bench_analyze.py).

Search: a fixed set of queries (free text, phrases, filters through aliases and synonyms,
exclusions, ranges, sorts), each run ``--repeat`` times after one warm-up, through
``Library.search`` with facets and again without; the figures are p50 and p95 of the
per-call wall times in milliseconds, over all queries, and the slowest queries.

Search reads an in-memory index of the library (``ficlens/library/facet_index.py``),
read from the second search of a process on and refreshed after each change; the search
figures are taken with it read. ``first_search_ms`` is the first search of a process (in
SQL alone, as ``ficlens search`` runs), ``index_build_ms`` reading the index,
``refresh_after_add_ms`` and ``refresh_after_delete_ms`` a search right after one work is
added and after it is deleted again (the library ends as it began, but for that work's id).

    PYTHONPATH=. python bench/bench_library.py [--works 100000] [--db PATH] [--keep]
        [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ficlens import __version__
from ficlens.library import open_library
from ficlens.library.facet_index import index_for
from ficlens.model import (
    Analysis,
    Chapter,
    Character,
    Declared,
    Fandom,
    Relationship,
    Source,
    Span,
    Tag,
    Work,
)
from ficlens.read import Loaded

RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]
WARNINGS = ["No Archive Warnings Apply", "Major Character Death", "Graphic Depictions Of Violence"]
CATEGORIES = ["Gen", "M/M", "F/M", "F/F", "Multi"]
QUERIES = [
    "",
    "harbour",
    "lantern kettle",
    '"silver harbour"',
    "fandom:fandom07",
    "-fandom:fandom07",
    "character:Aldo",
    'pair:"Aldo/Bram"',
    'rel:"Bram & Cato"',
    "tag:h/c",
    "tag:angst -tag:fluff",
    "rating:<=T",
    "warning:none",
    "-warning:mcd rating:E",
    "words:>10000",
    "words:1000-5000 complete:yes",
    "fandom:fandom03 tag:angst -rating:E sort:words",
    "harbour -tag:fluff sort:date",
    "author:writer12",
    "source:inferred tag:fluff",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghiklmnoprstuvwy"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 9))))
    return [*sorted(words), "harbour", "lantern", "kettle", "silver"]


def make_work(i: int, rng: random.Random, words: list[str], fandoms: list[dict]) -> Loaded:
    fandom = rng.choice(fandoms)
    cast = rng.sample(fandom["characters"], rng.randint(2, 6))
    chapters, parts, offset = [], [], 0
    for index in range(rng.randint(1, 3)):
        start = offset
        paragraphs = []
        for _ in range(rng.randint(3, 8)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(15, 50)))
            sentence = sentence.capitalize() + ".\n\n"
            paragraphs.append(Span(offset, offset + len(sentence) - 2))
            parts.append(sentence)
            offset += len(sentence)
        chapters.append(Chapter(index, f"Chapter {index + 1}", start, offset, None, paragraphs))
    text = "".join(parts)
    data = f"{i}\n{text}".encode()
    source = Source(
        path=f"/bench/work{i}.txt",
        format="text",
        encoding="utf-8",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    characters = [
        Character(f"c{n}", name, aliases=list(aliases), role="main" if n < 2 else "secondary")
        for n, (name, aliases) in enumerate(cast)
    ]
    relationships = []
    for _ in range(rng.randint(0, 2)):
        a, b = rng.sample(characters, 2)
        romantic = rng.random() < 0.5
        notation = f"{a.name}/{b.name}" if romantic else f"{a.name} & {b.name}"
        kind = "romantic" if romantic else "platonic"
        relationships.append(Relationship([a.id, b.id], kind, notation, score=rng.random()))
    tags = [Tag(rng.choice(TAGS), "freeform", "declared") for _ in range(rng.randint(2, 6))]
    tags += [Tag(rng.choice(TAGS), "freeform", "inferred", 0.6) for _ in range(rng.randint(0, 2))]
    declared = Declared(
        fandoms=[fandom["name"]],
        rating=rng.choice(RATINGS),  # type: ignore[arg-type]
        warnings=[rng.choice(WARNINGS)],
        relationships=[r.notation for r in relationships[:1]],
        categories=[rng.choice(CATEGORIES)],
    )
    work = Work(
        title=" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).title(),
        authors=[f"writer{rng.randint(0, 5000)}"],
        summary=" ".join(rng.choice(words) for _ in range(20)),
        declared=declared,
        chapters=chapters,
        word_count=rng.randint(500, 150_000),
        complete=rng.random() < 0.6,
        published=f"20{rng.randint(10, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )
    analysis = Analysis(
        source=source,
        text_length=len(text),
        ficlens_version=__version__,
        work=work,
        characters=characters,
        relationships=relationships,
        fandoms=[Fandom(fandom["name"], "declared")],
        tags=tags,
        text=text,
    )
    return Loaded(text, source), analysis


NAMES = (
    "Aldo Bram Cato Dara Enzo Fern Gale Hale Ines Jory Kael Lior Mira Nell Oren Pia Quin Rhea"
    " Sol Tova Ugo Vera Wren Xan Yara Zeno".split()
)
TAGS = ["Angst", "Fluff", "Hurt/Comfort", "h/c", "Slow Burn", "Alternate Universe"] + [
    f"Tag {n:03d}" for n in range(294)
]


def build(db: str, count: int, seed: int) -> float:
    rng = random.Random(seed)
    words = vocabulary(rng, 4000)
    fandoms = []
    for f in range(40):
        cast = []
        for n in range(15):
            given = NAMES[(f + n) % len(NAMES)]
            family = rng.choice(words).title()
            cast.append((f"{given} {family}", (given, family)))
        fandoms.append({"name": f"Fandom{f:02d}", "characters": cast})
    started = time.perf_counter()
    with open_library(db) as library:
        for i in range(count):
            library.add(*make_work(i, rng, words, fandoms))
            if i and i % 10000 == 0:
                rate = i / (time.perf_counter() - started)
                print(f"  {i:,} works stored ({rate:,.0f}/s)", file=sys.stderr)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return round((time.perf_counter() - started) * 1000, 1)


def index_figures(db: str, seed: int) -> dict[str, float]:
    """The first search of a process (in SQL), reading the index, then a search after one
    work is added and after it is deleted (the index catches up)."""
    rng = random.Random(seed + 1)
    words = vocabulary(rng, 4000)
    cast = [(f"{given} Vent", (given, "Vent")) for given in NAMES[:6]]
    fandoms = [{"name": "Fandom00", "characters": cast}]
    with open_library(db) as library:
        index = index_for(library.db)
        assert index is not None
        figures = {
            "first_search_ms": timed(lambda: library.search("")),
            "index_build_ms": timed(index.current),
        }
        added = library.add(*make_work(10**9, rng, words, fandoms)).work_id
        figures["refresh_after_add_ms"] = timed(lambda: library.search(""))
        library.delete(added)
        figures["refresh_after_delete_ms"] = timed(lambda: library.search(""))
    return figures


def measure(db: str, repeat: int, facets: bool) -> tuple[list[float], dict[str, float]]:
    times: list[float] = []
    slowest: dict[str, float] = {}
    with open_library(db) as library:
        index = index_for(library.db)
        assert index is not None
        index.current()  # read now, not in the background while searches are timed
        for query in QUERIES:
            library.search(query, facets=facets)  # warm-up
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                library.search(query, facets=facets)
                runs.append((time.perf_counter() - started) * 1000)
            times += runs
            slowest[query] = statistics.median(runs)
    return times, slowest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--db", help="Library file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="Keep the library file")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ficlens-bench-")
    db = args.db or os.path.join(folder, "library.sqlite3")
    existing = os.path.exists(db)
    seconds = None if existing else build(db, args.works, args.seed)
    with open_library(db) as library:
        works = library.count()
    size = os.path.getsize(db)
    figures: dict[str, object] = {"works": works, "db_mib": round(size / 2**20, 1)}
    if seconds is not None:
        figures["import_works_per_s"] = round(args.works / seconds, 1)
        figures["import_s"] = round(seconds, 1)
    figures.update(index_figures(db, args.seed))
    for facets in (True, False):
        times, per_query = measure(db, args.repeat, facets)
        key = "with_facets" if facets else "without_facets"
        figures[key] = {
            "p50_ms": round(percentile(times, 0.5), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "slowest": {
                q or "(empty)": round(ms, 1)
                for q, ms in sorted(per_query.items(), key=lambda item: -item[1])[:4]
            },
        }
    if not args.keep and not args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        os.rmdir(folder)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
