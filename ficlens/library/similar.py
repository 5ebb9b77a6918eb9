"""Similar works: TF-IDF-weighted cosine over the features stored with each work.

Features are shared fandoms, characters, relationships (either order, declared or
inferred), freeform tags and the story's most frequent content words; each kind has a
weight, and rarer features count more (inverse document frequency over the library).
"""

from __future__ import annotations

import math
from collections import defaultdict

from ficlens.library.db import Database
from ficlens.library.records import WorkSummary
from ficlens.library.summaries import summaries

KIND_WEIGHTS = {"fandom": 1.0, "character": 1.0, "relationship": 2.0, "tag": 1.0, "word": 0.5}
CANDIDATES = 200


def similar(db: Database, work_id: int, limit: int = 5) -> list[WorkSummary]:
    own = {f: (label, w) for f, label, w in _features(db, [work_id]).get(work_id, [])}
    if not own or limit <= 0:
        return []
    total = int(db.scalar("SELECT COUNT(*) FROM works"))
    df = _document_frequencies(db, list(own))
    # Words every other work uses cost a scan and say little: they only refine the score.
    common = max(100, total // 10)
    seeds = [f for f in own if not f.startswith("word:") or df.get(f, 0) <= common]
    if not seeds:
        return []
    marks = ", ".join("?" for _ in seeds)
    partial: dict[int, float] = defaultdict(float)
    for other, feature, weight in db.all(
        f"SELECT work_id, feature, weight FROM features WHERE feature IN ({marks})"
        " AND work_id <> ?",
        [*seeds, work_id],
    ):
        partial[int(other)] += _value(feature, weight, df, total) * _value(
            feature, own[feature][1], df, total
        )
    ranked = sorted(partial, key=lambda other: (-partial[other], other))[:CANDIDATES]
    if not ranked:
        return []
    features = _features(db, ranked)
    df.update(
        _document_frequencies(db, sorted({f for rows in features.values() for f, _, _ in rows}))
    )
    own_vector = {f: _value(f, w, df, total) for f, (_, w) in own.items()}
    own_norm = math.sqrt(sum(v * v for v in own_vector.values()))
    scored = []
    for other in ranked:
        vector = {f: _value(f, w, df, total) for f, _, w in features.get(other, [])}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        dot = sum(v * vector.get(f, 0.0) for f, v in own_vector.items())
        if dot > 0 and norm > 0:
            scored.append((dot / (own_norm * norm), other, sorted(set(own) & set(vector))))
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:limit]
    works = {work.id: work for work in summaries(db, [other for _, other, _ in scored])}
    result = []
    for score, other, shared in scored:
        work = works[other]
        work.score = round(score, 4)
        work.reasons = reasons([(f, own[f][0]) for f in shared])
        result.append(work)
    return result


def reasons(shared: list[tuple[str, str]]) -> list[str]:
    """Why two works are alike, from their shared (feature, label) pairs."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for feature, label in shared:
        by_kind[feature.split(":", 1)[0]].append(label)
    found = []
    for label in by_kind["relationship"]:
        found.append(f"shares {'pairing' if '/' in label else 'relationship'} {label}")
    for label in by_kind["fandom"]:
        found.append(f"same fandom {label}")
    for kind, one, many in (("character", "character", "characters"), ("tag", "tag", "tags")):
        labels = by_kind[kind]
        if len(labels) == 1:
            found.append(f"shares {one} {labels[0]}")
        elif labels:
            found.append(f"{len(labels)} {many} in common")
    if len(by_kind["word"]) >= 3:
        found.append("similar wording")
    return found


def _value(feature: str, weight: float, df: dict[str, int], total: int) -> float:
    kind = feature.split(":", 1)[0]
    idf = math.log((1 + total) / (1 + df.get(feature, 0))) + 1.0
    return KIND_WEIGHTS.get(kind, 1.0) * weight * idf


def _features(db: Database, ids: list[int]) -> dict[int, list[tuple[str, str, float]]]:
    marks = ", ".join("?" for _ in ids)
    found: dict[int, list[tuple[str, str, float]]] = defaultdict(list)
    for work_id, feature, label, weight in db.all(
        f"SELECT work_id, feature, label, weight FROM features WHERE work_id IN ({marks})", ids
    ):
        found[int(work_id)].append((feature, label, float(weight)))
    return found


def _document_frequencies(db: Database, features: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(features), 500):
        chunk = features[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for feature, count in db.all(
            f"SELECT feature, COUNT(*) FROM features WHERE feature IN ({marks}) GROUP BY feature",
            chunk,
        ):
            found[feature] = int(count)
    return found
