"""Random small libraries and random queries, for checking search against brute force.

Everything is drawn from a seeded generator over small invented pools (names, tags,
fandoms, words), so that filters overlap often and every facet has ties and gaps.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from library_works import Spec, build

from ficlens.library import Library
from ficlens.library.facets import FACET_KEYS, VALUES_PER_FACET
from ficlens.model import Analysis, Character, Relationship, Tag
from ficlens.read import Loaded

FANDOMS = ["Tin Orchard", "Salt Harbour Chronicles", "The Glass Forest"]
NAMES = [
    ("Odile Varga", ["Odile", "Varga"]),
    ("Bram Tollis", ["Bram"]),
    ("Sefa Quill", ["Sefa", "Quill"]),
    ("Maro Linde", ["Maro"]),
    ("Ivo Brask", ["Ivo", "Brask"]),
]
TAGS = ["Angst", "Fluff", "Hurt/Comfort", "h/c", "Slow Burn", "Found Family", "Rain", "Maps"]
RATINGS = [None, "General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
WARNINGS = [
    "No Archive Warnings Apply",
    "Major Character Death",
    "Graphic Depictions Of Violence",
    "Creator Chose Not To Use Archive Warnings",
]
CATEGORIES = ["Gen", "M/M", "F/F", "F/M", "Multi"]
AUTHORS = ["tallowick", "fernlight", "quaywright", "moss_and_ink"]
WORDS = "lantern harbour kettle orchard ember quiet storm ferry linen copper gull".split()


def random_spec(rng: random.Random, number: int) -> Spec:
    fandom = rng.randrange(len(FANDOMS))
    cast = [
        Character(
            f"c{i}",
            f"{NAMES[i][0]}",
            aliases=list(NAMES[i][1]),
            role=rng.choice(["main", "secondary", "mentioned"]),
        )
        for i in rng.sample(range(len(NAMES)), rng.randint(0, 4))
    ]
    relationships, inferred_relationships = [], []
    for _ in range(rng.randint(0, 2)):
        if len(cast) < 2:
            break
        a, b = rng.sample(cast, 2)
        romantic = rng.random() < 0.5
        notation = f"{a.name}/{b.name}" if romantic else f"{a.name} & {b.name}"
        if rng.random() < 0.5:
            relationships.append(notation)
        else:
            kind = "romantic" if romantic else "platonic"
            inferred_relationships.append(
                Relationship([a.id, b.id], kind, notation, score=rng.random())
            )
    inferred = [
        Tag(rng.choice(TAGS), "freeform", "inferred", 0.6) for _ in range(rng.randint(0, 2))
    ]
    if rng.random() < 0.3:
        inferred.append(Tag(rng.choice(WARNINGS[1:3]), "warning", "inferred", 0.7))
    if rng.random() < 0.3:
        inferred.append(Tag(rng.choice(CATEGORIES), "category", "inferred", 0.7))
    text = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."
        for _ in range(rng.randint(1, 3))
    )
    day = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Spec(
        key=f"random{number}",
        text=f"{text}\n\nWork {number}.\n",
        title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).title(),
        authors=rng.sample(AUTHORS, rng.randint(0, 2)),
        summary=" ".join(rng.choice(WORDS) for _ in range(5)) if rng.random() < 0.7 else None,
        fandoms=[FANDOMS[fandom]] if rng.random() < 0.8 else [],
        inferred_fandoms=[rng.choice(FANDOMS)] if rng.random() < 0.3 else [],
        relationships=relationships,
        inferred_relationships=inferred_relationships,
        characters=cast,
        declared_characters=[c.name for c in cast if rng.random() < 0.3],
        tags=rng.sample(TAGS, rng.randint(0, 3)),
        inferred=inferred,
        rating=rng.choice(RATINGS),
        warnings=rng.sample(WARNINGS, rng.randint(0, 2)),
        categories=rng.sample(CATEGORIES, rng.randint(0, 2)),
        words=rng.choice([0, rng.randint(1, 20_000)]),
        complete=rng.choice([None, True, False]),
        published=day if rng.random() < 0.7 else None,
        updated=day if rng.random() < 0.2 else None,
    )


def random_work(rng: random.Random, number: int) -> tuple[Loaded, Analysis]:
    spec = random_spec(rng, number)
    return build(spec, path=f"/random/{spec.key}.txt")


def random_query(rng: random.Random) -> str:
    def name() -> str:
        full, aliases = rng.choice(NAMES)
        return rng.choice([full, *aliases])

    terms = [
        lambda: f'fandom:"{rng.choice(FANDOMS).split()[-1]}"',
        lambda: f"fandom:{rng.choice(['har', 'or', 'ss f', 'tin'])}",
        lambda: f'character:"{name()}"',
        lambda: f'pair:"{name()}/{name()}"',
        lambda: f'rel:"{name()} & {name()}"',
        lambda: f'relationship:"{name()}"',
        lambda: f'tag:"{rng.choice(TAGS)}"',
        lambda: f'category:"{rng.choice(CATEGORIES)}"',
        lambda: f"rating:{rng.choice(['', '<', '<=', '>', '>='])}{rng.choice('GTME')}",
        lambda: 'rating:"Not Rated"',
        lambda: f"warning:{rng.choice(['none', 'mcd', 'violence', 'cntw'])}",
        lambda: f"words:{rng.choice(['>', '<', '>=', '<='])}{rng.randint(0, 20_000)}",
        lambda: f"words:{rng.randint(0, 5000)}-{rng.randint(5000, 20_000)}",
        lambda: f"complete:{rng.choice(['yes', 'no'])}",
        lambda: f"author:{rng.choice(AUTHORS)[:4]}",
        lambda: rng.choice(WORDS),
        lambda: f'"{rng.choice(WORDS)} {rng.choice(WORDS)}"',
    ]
    chosen = []
    for _ in range(rng.randint(0, 3)):
        term = rng.choice(terms)()
        chosen.append(f"-{term}" if rng.random() < 0.3 else term)
    if rng.random() < 0.25:
        chosen.append(f"source:{rng.choice(['declared', 'inferred'])}")
    if rng.random() < 0.5:
        chosen.append(f"sort:{rng.choice(['relevance', 'words', 'date', 'title'])}")
    rng.shuffle(chosen)
    return " ".join(chosen)


def brute_force_facets(library: Library, work_ids: set[int], source: str | None) -> dict:
    """Facet counts over ``work_ids`` from the raw tables, one row at a time."""
    db = library.db
    values = {int(i): (f, v) for i, f, v in db.all("SELECT id, facet, value FROM facet_values")}
    counted: Counter[tuple[str, str]] = Counter()
    for work_id, value_id, declared, inferred in db.all(
        "SELECT work_id, value_id, declared, inferred FROM work_facets"
    ):
        carried = {None: True, "declared": declared == 1, "inferred": inferred == 1}[source]
        if int(work_id) in work_ids and carried:
            counted[values[int(value_id)]] += 1
    found: dict[str, list[tuple[str, int]]] = {key: [] for key in FACET_KEYS}
    for (facet, value), count in counted.items():
        if facet in found:
            found[facet].append((value, count))
    for key, entries in found.items():
        entries.sort(key=lambda entry: (-entry[1], entry[0].casefold()))
        found[key] = entries[:VALUES_PER_FACET]
    return found


def as_pairs(facets: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    return {key: [(f.value, f.count) for f in values] for key, values in facets.items()}
