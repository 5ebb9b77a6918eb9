"""The analysis page: the character network, the arc, the dialogue share, tags and evidence.

The same page shows a stored work (``/works/{id}/analysis``, evidence linked to the
highlighted passage in the reader) and a story just analysed on the analyse page (not
stored, so the evidence is quoted in place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from ficlens.model import Analysis, Evidence, Tag
from ficlens.web import charts
from ficlens.web.state import stored_work
from ficlens.web.templating import render

EVIDENCE_CHARS = 240  # a longer passage is cut in the list; the reader shows it whole


@dataclass
class TagRow:
    name: str
    type: str
    source: str
    confidence: float
    evidence: list[tuple[str, str | None]]  # (excerpt, reader link or None)


def evidence_excerpt(evidence: Evidence) -> str:
    text = " ".join(evidence.text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def evidence_link(work_id: int | None, evidence: Evidence) -> str | None:
    if work_id is None:
        return None
    return f"/works/{work_id}/read?hl={evidence.start}-{evidence.end}#hl"


def tag_rows(tags: list[Tag], work_id: int | None) -> list[TagRow]:
    """Tags declared first, then inferred by confidence; each with its linked evidence."""
    ordered = sorted(tags, key=lambda t: (t.source != "declared", -t.confidence, t.name))
    return [
        TagRow(
            t.name,
            t.type,
            t.source,
            t.confidence,
            [(evidence_excerpt(e), evidence_link(work_id, e)) for e in t.evidence],
        )
        for t in ordered
    ]


def analysis_context(analysis: Analysis, work_id: int | None) -> dict[str, Any]:
    """What the analysis template needs, for a stored work or an unsaved analysis."""
    names = {c.id: c.name for c in analysis.characters}
    return {
        "analysis": analysis,
        "work_id": work_id,
        "network": Markup(charts.network_svg(analysis)),
        "arc": Markup(charts.arc_svg(analysis.arc)),
        "dialogue": Markup(charts.dialogue_share_svg(analysis)),
        "tags": tag_rows(analysis.tags, work_id),
        "relationships": [
            (
                r,
                [names.get(m, m) for m in r.characters],
                [(evidence_excerpt(e), evidence_link(work_id, e)) for e in r.evidence],
            )
            for r in sorted(analysis.relationships, key=lambda r: -r.score)
        ],
        "fandoms": [
            (f, [(evidence_excerpt(e), evidence_link(work_id, e)) for e in f.evidence])
            for f in analysis.fandoms
        ],
        "speaking": sum(1 for q in analysis.quotes if q.speech),
        "attributed": sum(1 for q in analysis.quotes if q.speech and q.speaker),
    }


async def analysis_page(request: Request) -> Response:
    stored = await stored_work(request)
    context = analysis_context(stored.analysis, stored.id)
    return render(request, "analysis.html", {"stored": stored, "unsaved": False, **context})
