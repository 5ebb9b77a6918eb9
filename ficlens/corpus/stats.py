"""``ficlens corpus stats DIR``: summary tables of a corpus run, for researchers.

Read straight from the Parquet tables, a batch at a time and only the columns needed, so
a run of any size is summarised in bounded memory (plus one small entry a work: its
fandoms). What is counted:

* fandoms: works per fandom (a crossover counts in each of its fandoms; a work with no
  fandom is under ``(none)``);
* top characters per fandom: by the number of works they appear in, then by quotes; a
  character is named by their canon name when the fandom stage knows it, else by name;
* top relationships per fandom: by works, keyed by AO3 notation and kind;
* tags: works per tag; co-occurrence of freeform tags among the most frequent ones, as the
  number of works with both and their Jaccard index (both / either);
* dialogue by gender: characters, speech quotes and words spoken per character gender,
  and each gender's share of all words spoken by a character;
* quotes: totals, the share of speech quotes with a speaker, quotes per 1,000 words, the
  distribution of quotes per work, and quotation styles.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from ficlens.corpus.writer import META
from ficlens.errors import FicError, InputError

NO_FANDOM = "(none)"
NO_GENDER = "(unknown)"


def _batches(out: Path, table: str, columns: list[str]) -> Iterator[dict[str, list[Any]]]:
    import pyarrow.dataset as ds

    folder = out / table
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return
    dataset = ds.dataset(folder, format="parquet")
    present = [name for name in columns if name in dataset.schema.names]
    for batch in dataset.to_batches(columns=present, batch_size=65_536):
        data = batch.to_pydict()
        for name in columns:
            data.setdefault(name, [None] * batch.num_rows)
        yield data


def corpus_stats(out: str | Path, top: int = 10) -> dict[str, Any]:
    """The summary of the run in ``out`` (see the module docstring) as JSON-ready data."""
    out = Path(out)
    if not (out / META / "run.json").is_file():
        raise InputError(str(out), "is not the output of a ficlens corpus run")

    fandoms_of: dict[str, tuple[str, ...]] = {}
    fandom_works: Counter[str] = Counter()
    words = 0
    quote_counts: list[int] = []
    speech = attributed = 0
    columns = ["work_id", "fandoms", "word_count", "quotes"]
    for data in _batches(out, "works", columns):
        for work_id, fandoms, word_count, quotes in zip(*(data[c] for c in columns), strict=True):
            names = tuple(dict.fromkeys(fandoms or ())) or (NO_FANDOM,)
            fandoms_of[work_id] = names
            fandom_works.update(names)
            words += word_count or 0
            quote_counts.append(quotes or 0)

    failures: Counter[str] = Counter()
    for data in _batches(out, "failures", ["kind"]):
        failures.update(data["kind"])

    # characters: per fandom, works they appear in and quotes; genders over all
    character_works: dict[str, Counter[str]] = defaultdict(Counter)
    character_quotes: dict[str, Counter[str]] = defaultdict(Counter)
    gender_rows: dict[str, Counter[str]] = defaultdict(Counter)
    columns = ["work_id", "name", "canonical", "gender", "quotes", "words_spoken"]
    for data in _batches(out, "characters", columns):
        for work_id, name, canonical, gender, quotes, spoken in zip(
            *(data[c] for c in columns), strict=True
        ):
            key = canonical or name
            for fandom in fandoms_of.get(work_id, (NO_FANDOM,)):
                character_works[fandom][key] += 1
                character_quotes[fandom][key] += quotes or 0
            bucket = gender_rows[gender or NO_GENDER]
            bucket["characters"] += 1
            bucket["quotes"] += quotes or 0
            bucket["words_spoken"] += spoken or 0

    relationship_works: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for data in _batches(out, "relationships", ["work_id", "notation", "kind"]):
        seen: set[tuple[str, str, str]] = set()
        for work_id, notation, kind in zip(
            data["work_id"], data["notation"], data["kind"], strict=True
        ):
            if (work_id, notation, kind) in seen:
                continue
            seen.add((work_id, notation, kind))
            for fandom in fandoms_of.get(work_id, (NO_FANDOM,)):
                relationship_works[fandom][(notation, kind)] += 1

    tag_works: Counter[tuple[str, str]] = Counter()
    for data in _batches(out, "tags", ["work_id", "name", "type"]):
        tag_works.update(set(zip(data["work_id"], data["name"], data["type"], strict=True)))
    tag_counts: Counter[tuple[str, str]] = Counter()
    for (_, name, kind), n in tag_works.items():
        tag_counts[(name, kind)] += n
    freeform = Counter({name: n for (name, kind), n in tag_counts.items() if kind == "freeform"})
    pairs = _cooccurrence(out, {name for name, _ in _ranked(freeform)[: max(30, 3 * top)]})

    styles: Counter[str] = Counter()
    for data in _batches(out, "quotes", ["style", "speech", "speaker"]):
        styles.update(data["style"])
        for is_speech, speaker in zip(data["speech"], data["speaker"], strict=True):
            if is_speech:
                speech += 1
                attributed += speaker is not None
    total_quotes = sum(quote_counts)
    spoken_total = sum(bucket["words_spoken"] for bucket in gender_rows.values())

    return {
        "works": len(fandoms_of),
        "failures": sum(failures.values()),
        "failures_by_kind": dict(_ranked(failures)),
        "words": words,
        "fandoms": [{"fandom": f, "works": n} for f, n in _ranked(fandom_works)[:top]],
        "top_characters": {
            fandom: [
                {"character": name, "works": n, "quotes": character_quotes[fandom][name]}
                for name, n in sorted(
                    counts.items(), key=lambda kv: (-kv[1], -character_quotes[fandom][kv[0]], kv[0])
                )[:top]
            ]
            for fandom, counts in _by_fandom(character_works, fandom_works, top)
        },
        "top_relationships": {
            fandom: [
                {"relationship": notation, "kind": kind, "works": n}
                for (notation, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[
                    :top
                ]
            ]
            for fandom, counts in _by_fandom(relationship_works, fandom_works, top)
        },
        "tags": [
            {"tag": name, "type": kind, "works": n}
            for (name, kind), n in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))[
                : top * 2
            ]
        ],
        "tag_pairs": [
            {
                "tags": [a, b],
                "works": n,
                "jaccard": round(n / (freeform[a] + freeform[b] - n), 4),
            }
            for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "dialogue_by_gender": [
            {
                "gender": gender,
                "characters": bucket["characters"],
                "quotes": bucket["quotes"],
                "words_spoken": bucket["words_spoken"],
                "share": round(bucket["words_spoken"] / spoken_total, 4) if spoken_total else 0.0,
            }
            for gender, bucket in sorted(gender_rows.items(), key=lambda kv: -kv[1]["words_spoken"])
        ],
        "quotes": {
            "total": total_quotes,
            "speech": speech,
            "attributed": attributed,
            "attributed_share": round(attributed / speech, 4) if speech else 0.0,
            "per_1000_words": round(1000 * total_quotes / words, 2) if words else 0.0,
            "per_work_mean": round(statistics.fmean(quote_counts), 2) if quote_counts else 0.0,
            "per_work_median": statistics.median(quote_counts) if quote_counts else 0,
            "per_work_max": max(quote_counts, default=0),
            "styles": dict(_ranked(styles)),
        },
    }


def _by_fandom(
    counts: dict[str, Counter[Any]], fandom_works: Counter[str], top: int
) -> list[tuple[str, Counter[Any]]]:
    """The ``top`` fandoms with the most works that have any counts, in that order."""
    return [(f, counts[f]) for f, _ in _ranked(fandom_works) if counts.get(f)][:top]


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most first; ties by name, so the output does not depend on the order of the parts."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _cooccurrence(out: Path, wanted: set[str]) -> Counter[tuple[str, str]]:
    """Works that have both of two ``wanted`` freeform tags, for every such pair."""
    per_work: dict[str, set[str]] = defaultdict(set)
    for data in _batches(out, "tags", ["work_id", "name", "type"]):
        for work_id, name, kind in zip(data["work_id"], data["name"], data["type"], strict=True):
            if kind == "freeform" and name in wanted:
                per_work[work_id].add(name)
    pairs: Counter[tuple[str, str]] = Counter()
    for names in per_work.values():
        pairs.update(combinations(sorted(names), 2))
    return pairs


def stats_command(out: str, *, as_json: bool, top: int) -> int:
    """Print the summary (rich tables, or JSON); the exit status."""
    from rich.console import Console

    err = Console(stderr=True)
    try:
        summary = corpus_stats(out, top=top)
    except FicError as error:
        err.print(f"ficlens: error: {error}", soft_wrap=True, highlight=False, markup=False)
        return 1
    if as_json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_stats(summary, Console())
    return 0


def print_stats(summary: dict[str, Any], console: Any) -> None:
    """The summary as rich tables."""
    from rich.table import Table

    quotes = summary["quotes"]
    console.print(
        f"[bold]{summary['works']:,} works[/], {summary['words']:,} words, "
        f"{summary['failures']:,} failed; {quotes['total']:,} quotes "
        f"({quotes['per_1000_words']} per 1,000 words), {quotes['speech']:,} speech, "
        f"{quotes['attributed_share']:.0%} of speech attributed",
        highlight=False,
    )

    def table(title: str, headers: list[str], rows: list[list[Any]]) -> None:
        if not rows:
            return
        grid = Table(title=title, title_justify="left")
        for header in headers:
            grid.add_column(header, justify="left" if header[0].isupper() else "right")
        for row in rows:
            grid.add_row(*(f"{cell:,}" if isinstance(cell, int) else str(cell) for cell in row))
        console.print(grid)

    table("Fandoms", ["Fandom", "works"], [[r["fandom"], r["works"]] for r in summary["fandoms"]])
    for fandom, rows in summary["top_characters"].items():
        table(
            f"Top characters: {fandom}",
            ["Character", "works", "quotes"],
            [[r["character"], r["works"], r["quotes"]] for r in rows],
        )
    for fandom, rows in summary["top_relationships"].items():
        table(
            f"Top relationships: {fandom}",
            ["Relationship", "Kind", "works"],
            [[r["relationship"], r["kind"], r["works"]] for r in rows],
        )
    table(
        "Tags",
        ["Tag", "Type", "works"],
        [[r["tag"], r["type"], r["works"]] for r in summary["tags"]],
    )
    table(
        "Freeform tags found together",
        ["Tags", "works", "jaccard"],
        [[" + ".join(r["tags"]), r["works"], f"{r['jaccard']:.2f}"] for r in summary["tag_pairs"]],
    )
    table(
        "Dialogue by character gender",
        ["Gender", "characters", "quotes", "words spoken", "share"],
        [
            [r["gender"], r["characters"], r["quotes"], r["words_spoken"], f"{r['share']:.1%}"]
            for r in summary["dialogue_by_gender"]
        ],
    )
    table(
        "Quotation styles",
        ["Style", "quotes"],
        [[style, n] for style, n in quotes["styles"].items()],
    )
