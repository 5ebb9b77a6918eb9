"""Analyse a new story: paste text or upload a file, see its analysis, optionally keep it.

The upload goes through the same readers as ``ficlens analyze`` (format sniffed from the
content), so a bad file gets the same one-line reason, shown on the page with a 400.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ficlens.errors import InputError
from ficlens.model import Analysis
from ficlens.read import Loaded, load_bytes
from ficlens.web.analysis import analysis_context
from ficlens.web.security import CSRF_FIELD, check_csrf, check_write_token
from ficlens.web.state import WebState, web_state
from ficlens.web.templating import render

ACCEPTED = ".txt,.md,.text,.html,.htm,.epub,text/plain,text/html,application/epub+zip"


async def read_submission(request: Request, limit: int) -> tuple[bytes, str | None, dict[str, str]]:
    """The story's bytes and file name (None when pasted) and the other form fields."""
    form = await request.form(max_part_size=limit)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return await upload.read(), upload.filename, fields
    return fields.get("text", "").encode("utf-8"), None, fields


def analyse_loaded(state: WebState, loaded: Loaded) -> Analysis:
    """Run the whole pipeline (in a worker thread; one analysis at a time)."""
    with state.pipeline_lock:
        return state.pipeline().analyze_loaded(loaded)


async def analyse_form(request: Request) -> Response:
    return render(request, "analyse.html", {"error": None, "accepted": ACCEPTED, "text": ""})


async def analyse_submit(request: Request) -> Response:
    state = web_state(request)
    data, filename, fields = await read_submission(request, state.max_upload)
    check_csrf(request, fields.get(CSRF_FIELD))
    check_write_token(request, fields.get("token"))
    add = fields.get("add") == "1"
    try:
        if not data.strip():
            raise InputError(filename or "pasted text", "paste a story or choose a file first")
        loaded = load_bytes(data, path=filename, max_bytes=state.max_upload)
    except InputError as error:
        message = f"{filename or 'pasted text'}: {error.reason}"
        context = {"error": message, "accepted": ACCEPTED, "text": fields.get("text", "")}
        return render(request, "analyse.html", context, status_code=400)
    analysis = await run_in_threadpool(analyse_loaded, state, loaded)
    if add:
        added = await state.call(lambda library: library.add(loaded, analysis))
        state.changed()
        return RedirectResponse(f"/works/{added.work_id}?added={added.status}", status_code=303)
    context = analysis_context(analysis, None)
    return render(request, "analysis.html", {"stored": None, "unsaved": True, **context})
