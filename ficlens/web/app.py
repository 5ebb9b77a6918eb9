"""The Starlette application: routes, error pages, the token cookie and the upload limit."""

from __future__ import annotations

import hmac
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ficlens.web import analyse, analysis, api, library, reader, work
from ficlens.web.security import (
    MAX_UPLOAD_BYTES,
    TOKEN_COOKIE,
    ASGIApp,
    BodyLimit,
    Forbidden,
    Receive,
    Scope,
    SecurityHeaders,
    Send,
    UploadTooLarge,
    is_loopback,
    new_token,
)
from ficlens.web.state import LibraryUnavailable, WebState
from ficlens.web.templating import error_page

STATIC = Path(__file__).parent / "static"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status_code: int, title: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status_code)
    return error_page(request, status_code, title, message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: "Not found", 400: "Bad request", 405: "Not allowed"}
    return _error(request, exc.status_code, titles.get(exc.status_code, "Error"), exc.detail)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return _error(request, 403, "Not allowed", str(exc))


async def _too_large(request: Request, exc: Exception) -> Response:
    return _error(request, 413, "Too large", str(exc))


async def _unavailable(request: Request, exc: Exception) -> Response:
    return _error(request, 503, "No library", str(exc))


async def _server_error(request: Request, exc: Exception) -> Response:
    # Never a stack trace in the page; the server's log has it.
    return _error(request, 500, "Something went wrong", "an internal error; see the server log")


class TokenLogin:
    """ASGI middleware: ``?token=...`` on any page sets the token cookie and leaves the
    address without it, so the token is given once and not kept in the history."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or b"token=" not in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.query_params.get("token")
        expected = scope["app"].state.web.token
        if token is None or expected is None or request.method != "GET":
            await self.app(scope, receive, send)
            return
        if not hmac.compare_digest(token, expected):
            response = PlainTextResponse("that is not this server's token", status_code=403)
        else:
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(params)}" if params else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        await response(scope, receive, send)


def create_app(
    library_url: str | None = None,
    *,
    token: str | None = None,
    library_object: Any = None,
    max_upload: int = MAX_UPLOAD_BYTES,
) -> Starlette:
    """The web app over the library at ``library_url`` (see ``ficlens.library.open_library``).

    ``token``: when set, every writing request must carry it (``ficlens serve`` sets one
    when bound beyond loopback). ``library_object``: an already open library to serve.
    """
    state = WebState(
        library_url=library_url, token=token, max_upload=max_upload, library_object=library_object
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.close()

    routes = [
        Route("/", library.library_page, name="library"),
        Route("/works/{work_id:int}", work.work_page, name="work"),
        Route("/works/{work_id:int}/read", reader.reader_page, name="reader"),
        Route("/works/{work_id:int}/analysis", analysis.analysis_page, name="analysis"),
        Route("/works/{work_id:int}/delete", work.delete_work, methods=["POST"]),
        Route("/analyse", analyse.analyse_form, methods=["GET"], name="analyse"),
        Route("/analyse", analyse.analyse_submit, methods=["POST"]),
        Route("/api/", api.description, name="api"),
        Route("/api/openapi.json", api.openapi),
        Route("/api/schema.json", api.analysis_schema),
        Route("/api/works", api.works),
        Route("/api/works/{work_id:int}", api.work, methods=["GET"]),
        Route("/api/works/{work_id:int}", api.delete, methods=["DELETE"]),
        Route("/api/search", api.search),
        Route("/api/analyse", api.analyse, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TokenLogin),
            Middleware(BodyLimit, limit=max_upload),
        ],
        exception_handlers={
            HTTPException: _http_error,
            Forbidden: _forbidden,
            UploadTooLarge: _too_large,
            LibraryUnavailable: _unavailable,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.web = state
    return app


def app_from_environment() -> Starlette:
    """The app for each worker process of ``ficlens serve --workers N`` (uvicorn starts
    workers from an import string, so the settings travel in the environment)."""
    return create_app(
        os.environ.get(_DB_VARIABLE) or None, token=os.environ.get(_TOKEN_VARIABLE) or None
    )


_DB_VARIABLE = "FICLENS_SERVE_DB"
_TOKEN_VARIABLE = "FICLENS_SERVE_TOKEN"


def serve(
    library_url: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    workers: int = 1,
    echo: Callable[[str], None] = print,
) -> None:
    """Open the library and serve the app until interrupted (``ficlens serve``).

    Bound beyond loopback, writes need a token: the given one, or a new one, printed in
    the address to open. ``workers`` > 1 serves from that many processes.
    """
    import uvicorn

    if token is None and not is_loopback(host):
        token = new_token()
    app = create_app(library_url, token=token)
    app.state.web.library()  # fail now, with the reason, not on the first page
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    echo(f"ficlens: serving the library at {address}" + (f"?token={token}" if token else ""))
    if token:
        echo("ficlens: changes need the token (opening that address once sets it).")
    if workers <= 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    app.state.web.close()
    os.environ[_DB_VARIABLE] = library_url or ""
    os.environ[_TOKEN_VARIABLE] = token or ""
    uvicorn.run(
        "ficlens.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
