"""Plain renderings of library results for the command line: text lines and JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ficlens.library.records import SearchResult, WorkSummary


def summary_to_builtins(work: WorkSummary) -> dict[str, Any]:
    return dataclasses.asdict(work)


def search_json(result: SearchResult) -> str:
    return (
        json.dumps(
            {
                "total": result.total,
                "works": [summary_to_builtins(work) for work in result.works],
                "facets": {
                    key: [{"value": v.value, "count": v.count} for v in values]
                    for key, values in result.facets.items()
                },
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def work_lines(work: WorkSummary) -> list[str]:
    """Three or four lines a reader scans: title and stats, tags, reasons, summary."""
    status = {True: "complete", False: "in progress", None: ""}[work.complete]
    stats = ", ".join(
        part for part in (work.rating or "Not Rated", f"{work.words:,} words", status) if part
    )
    by = f" by {', '.join(work.authors)}" if work.authors else ""
    lines = [f"#{work.id}  {work.title or 'Untitled'}{by}  [{stats}]"]
    tags = " | ".join(
        part
        for part in (
            ", ".join(work.fandoms),
            ", ".join(work.relationships),
            ", ".join(work.warnings),
            ", ".join(work.tags),
        )
        if part
    )
    if tags:
        lines.append(f"    {tags}")
    if work.reasons:
        score = f"{work.score:.2f}: " if work.score is not None else ""
        lines.append(f"    {score}{'; '.join(work.reasons)}")
    if work.summary:
        lines.append(f"    {work.summary}")
    return lines


def search_text(result: SearchResult, offset: int = 0) -> str:
    lines: list[str] = []
    for work in result.works:
        lines += work_lines(work)
    shown = len(result.works)
    if shown and shown < result.total:
        lines.append(f"{offset + 1}-{offset + shown} of {result.total} works")
    else:
        lines.append(f"{result.total} work{'s' if result.total != 1 else ''}")
    return "\n".join(lines) + "\n"


def works_json(works: list[WorkSummary]) -> str:
    return json.dumps([summary_to_builtins(w) for w in works], ensure_ascii=False, indent=2) + "\n"


def works_text(works: list[WorkSummary]) -> str:
    if not works:
        return "no similar works\n"
    return "\n".join(line for work in works for line in work_lines(work)) + "\n"
