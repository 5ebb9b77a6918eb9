"""The JSON API under ``/api/``: works, one work, search, analyse; its OpenAPI schema and a
plain description page (no interactive docs that would need a CDN).

Errors are JSON too: ``{"error": "..."}`` with the HTTP status; a malformed search query
is a 400 that also gives the ``position`` of the problem in the query.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ficlens import __version__
from ficlens.errors import InputError
from ficlens.model import SCHEMA, json_schema, to_builtins
from ficlens.read import load_bytes
from ficlens.web.analyse import analyse_loaded, read_submission
from ficlens.web.library import SORTS
from ficlens.web.security import check_origin, check_write_token
from ficlens.web.state import stored_work, web_state
from ficlens.web.templating import render

MAX_LIMIT = 100


def _json(data: Any, status_code: int = 200) -> Response:
    return Response(
        msgspec.json.encode(data), status_code=status_code, media_type="application/json"
    )


def _int(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise HTTPException(400, f"{name} must be a whole number from 0 to {maximum}")
    return int(raw)


async def _search(request: Request, query: str) -> Response:
    from ficlens.library import QueryError

    sort = request.query_params.get("sort", "relevance")
    if sort not in SORTS:
        raise HTTPException(400, f"sort must be one of {', '.join(SORTS)}")
    limit = _int(request, "limit", 20, MAX_LIMIT)
    offset = _int(request, "offset", 0, 10_000_000)
    try:
        result = await web_state(request).search(query, sort=sort, limit=limit, offset=offset)
    except QueryError as error:
        return _json({"error": error.message, "position": error.position}, 400)
    return _json(msgspec.to_builtins(result))


async def works(request: Request) -> Response:
    """All works, newest first or as sorted; paginated with limit/offset."""
    return await _search(request, "")


async def search(request: Request) -> Response:
    return await _search(request, request.query_params.get("q", ""))


async def work(request: Request) -> Response:
    stored = await stored_work(request)
    with_text = request.query_params.get("text") in ("1", "true", "yes")
    return _json(
        {
            "id": stored.id,
            "path": stored.path,
            "added_at": stored.added_at,
            "updated_at": stored.updated_at,
            "analysis": to_builtins(stored.analysis, include_text=with_text),
        }
    )


async def delete(request: Request) -> Response:
    check_origin(request)
    check_write_token(request)
    work_id = request.path_params["work_id"]
    state = web_state(request)
    deleted = await state.call(lambda library: library.delete(work_id))
    state.changed()
    if not deleted:
        raise HTTPException(404, f"there is no work {work_id} in the library")
    return _json({"deleted": work_id})


async def analyse(request: Request) -> Response:
    """Analyse the body: raw text or file bytes, a multipart ``file``/``text``, or JSON."""
    state = web_state(request)
    check_origin(request)
    check_write_token(request)
    content_type = request.headers.get("content-type", "")
    filename: str | None = None
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data, filename, _ = await read_submission(request, state.max_upload)
    elif content_type.startswith("application/json"):
        try:
            payload = msgspec.json.decode(await request.body())
        except msgspec.DecodeError as error:
            raise HTTPException(400, f"the body is not valid JSON: {error}") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            raise HTTPException(400, 'the JSON body must be {"text": "..."}')
        data = payload["text"].encode("utf-8")
    else:
        data = await request.body()
    filename = filename or request.query_params.get("filename") or None
    try:
        loaded = load_bytes(data, path=filename, max_bytes=state.max_upload)
    except InputError as error:
        return _json({"error": f"{filename or 'the request body'}: {error.reason}"}, 400)
    analysis = await run_in_threadpool(analyse_loaded, state, loaded)
    with_text = request.query_params.get("text") in ("1", "true", "yes")
    body: dict[str, Any] = {"analysis": to_builtins(analysis, include_text=with_text)}
    if request.query_params.get("add") in ("1", "true", "yes"):
        added = await state.call(lambda library: library.add(loaded, analysis))
        state.changed()
        body["work_id"] = added.work_id
        body["status"] = added.status
    return _json(body)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_schema())


async def analysis_schema(request: Request) -> Response:
    return JSONResponse(json_schema())


async def description(request: Request) -> Response:
    return render(request, "api.html", {"schema": openapi_schema()})


def _parameter(name: str, kind: str, description: str, where: str = "query") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": {"type": kind},
    }


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API (written out: the API is small)."""
    paging = [
        _parameter("sort", "string", f"one of {', '.join(SORTS)}"),
        _parameter("limit", "integer", f"works per page (at most {MAX_LIMIT}, default 20)"),
        _parameter("offset", "integer", "works to skip"),
    ]
    work_id = _parameter("work_id", "integer", "the work's id in the library", "path")
    search_result = {
        "description": "total, works (summaries) and facets (value and count per facet)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Search"}}},
    }
    error = {
        "description": "an error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    text_flag = _parameter("text", "boolean", "include the analysed text")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ficlens",
            "version": __version__,
            "description": f"The library and analyses of ficlens. Analyses follow {SCHEMA}.",
        },
        "paths": {
            "/api/works": {
                "get": {
                    "summary": "List the works in the library",
                    "parameters": paging,
                    "responses": {"200": search_result},
                }
            },
            "/api/works/{work_id}": {
                "get": {
                    "summary": "One work: its stored analysis",
                    "parameters": [work_id, text_flag],
                    "responses": {
                        "200": {"description": "id, path, added_at, updated_at, analysis"},
                        "404": error,
                    },
                },
                "delete": {
                    "summary": "Delete a work (needs the token when served beyond loopback)",
                    "parameters": [work_id],
                    "responses": {"200": {"description": "deleted"}, "403": error, "404": error},
                },
            },
            "/api/search": {
                "get": {
                    "summary": "Search in the library's query language",
                    "parameters": [
                        _parameter("q", "string", 'e.g. fandom:"Merlin" -tag:angst words:>1000'),
                        *paging,
                    ],
                    "responses": {"200": search_result, "400": error},
                }
            },
            "/api/analyse": {
                "post": {
                    "summary": "Analyse a story (text, HTML or EPUB), optionally adding it",
                    "parameters": [
                        _parameter("add", "boolean", "also add it to the library"),
                        _parameter("filename", "string", "the name to report and store"),
                        text_flag,
                    ],
                    "requestBody": {
                        "description": "the file's bytes (text/plain, application/octet-stream),"
                        ' a multipart form with "file" or "text", or JSON {"text": "..."};'
                        " at most 20 MB",
                        "content": {
                            "text/plain": {"schema": {"type": "string"}},
                            "application/octet-stream": {"schema": {"type": "string"}},
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"text": {"type": "string"}},
                                    "required": ["text"],
                                }
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "analysis (and work_id, status when added)",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Analysed"}
                                }
                            },
                        },
                        "400": error,
                        "403": error,
                        "413": error,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "position": {"type": "integer"},
                    },
                    "required": ["error"],
                },
                "Search": {
                    "type": "object",
                    "properties": {
                        "total": {"type": "integer"},
                        "works": {"type": "array", "items": {"type": "object"}},
                        "facets": {"type": "object"},
                    },
                },
                "Analysed": {
                    "type": "object",
                    "properties": {
                        "analysis": {
                            "type": "object",
                            "description": f"{SCHEMA}; its JSON Schema: /api/schema.json",
                        },
                        "work_id": {"type": "integer"},
                        "status": {"type": "string"},
                    },
                    "required": ["analysis"],
                },
            }
        },
    }
