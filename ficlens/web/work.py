"""The work page: metadata and tags (declared and inferred told apart, inferred with their
confidence), summary and notes, characters with their roles, relationships in AO3
notation and similar works; and deleting a work.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ficlens.model import Analysis, Evidence
from ficlens.web.analysis import evidence_link
from ficlens.web.security import CSRF_FIELD, check_csrf, check_write_token
from ficlens.web.state import stored_work, web_state
from ficlens.web.templating import render

METADATA_NOTES = frozenset(
    {"title", "byline", "summary", "rating", "fandom", "pairing", "characters", "tags"}
)
ROLE_ORDER = {"main": 0, "secondary": 1, "mentioned": 2, None: 3}


class TagValue(NamedTuple):
    name: str
    source: str  # "declared" or "inferred"
    confidence: float | None  # None when declared
    evidence: str | None = None  # the reader's address of the passage that shows it


def tag_groups(analysis: Analysis, work_id: int | None = None) -> list[tuple[str, list[TagValue]]]:
    """(group title, values) like AO3's tag block, declared values first.

    Declared values come from the story's own metadata; inferred tags carry a confidence
    and, for a stored work, a link to the passage that is their first evidence.
    """
    declared = analysis.work.declared
    groups: dict[str, list[TagValue]] = {
        "Rating": [],
        "Archive Warnings": [],
        "Categories": [],
        "Fandoms": [],
        "Relationships": [],
        "Characters": [],
        "Additional Tags": [],
    }

    def put(
        group: str,
        name: str,
        source: str,
        confidence: float | None,
        evidence: list[Evidence] | None = None,
    ) -> None:
        if all(existing.name.casefold() != name.casefold() for existing in groups[group]):
            link = evidence_link(work_id, evidence[0]) if evidence else None
            groups[group].append(TagValue(name, source, confidence, link))

    if declared.rating:
        put("Rating", declared.rating, "declared", None)
    for name in declared.warnings:
        put("Archive Warnings", name, "declared", None)
    for name in declared.categories:
        put("Categories", name, "declared", None)
    for name in declared.fandoms:
        put("Fandoms", name, "declared", None)
    for name in declared.relationships:
        put("Relationships", name, "declared", None)
    for name in declared.characters:
        put("Characters", name, "declared", None)
    for name in declared.tags:
        put("Additional Tags", name, "declared", None)
    type_group = {
        "rating": "Rating",
        "warning": "Archive Warnings",
        "category": "Categories",
        "freeform": "Additional Tags",
    }
    for tag in sorted(analysis.tags, key=lambda t: (t.source != "declared", -t.confidence)):
        confidence = None if tag.source == "declared" else tag.confidence
        group = type_group.get(tag.type, "Additional Tags")
        put(group, tag.name, tag.source, confidence, tag.evidence)
    for fandom in analysis.fandoms:
        confidence = None if fandom.source == "declared" else fandom.confidence
        put("Fandoms", fandom.name, fandom.source, confidence, fandom.evidence)
    for relationship in sorted(analysis.relationships, key=lambda r: -r.score):
        put(
            "Relationships",
            relationship.notation,
            "inferred",
            relationship.score,
            relationship.evidence,
        )
    return [(title, values) for title, values in groups.items() if values]


def work_context(stored: Any, similar: list[Any]) -> dict[str, Any]:
    analysis: Analysis = stored.analysis
    # Lines that only declare metadata are shown as tags above, not again as notes.
    notes = [n for n in analysis.work.notes if n.kind not in METADATA_NOTES]
    return {
        "stored": stored,
        "analysis": analysis,
        "work": analysis.work,
        "tag_groups": tag_groups(analysis, stored.id),
        "notes": notes,
        "characters": sorted(
            analysis.characters, key=lambda c: (ROLE_ORDER.get(c.role, 3), -c.mentions)
        ),
        "similar": similar,
        "source_url": web_url(analysis.work.url),
    }


def web_url(url: str | None) -> str | None:
    """The URL if it is a plain web address: never a ``javascript:`` or ``data:`` link."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


async def work_page(request: Request) -> Response:
    stored = await stored_work(request)
    similar = await web_state(request).similar(stored.id, 5)
    context = work_context(stored, similar)
    context["added"] = request.query_params.get("added")
    return render(request, "work.html", context)


async def delete_work(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    check_write_token(request, str(form.get("token") or "") or None)
    stored = await stored_work(request)
    state = web_state(request)
    await state.call(lambda library: library.delete(stored.id))
    state.changed()
    return RedirectResponse("/?deleted=1", status_code=303)
