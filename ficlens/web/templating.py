"""Rendering pages: one Jinja2 environment (autoescape always on) and the error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ficlens import __version__
from ficlens.web.security import CSRF_COOKIE, csrf_token

TEMPLATES = Path(__file__).parent / "templates"

# Autoescape on for every template: story text, notes and names are untrusted.
_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def _words(count: int | None) -> str:
    return f"{count or 0:,}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


_environment.filters["words"] = _words
_environment.filters["percent"] = _percent
_environment.globals["version"] = __version__


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page, with the CSRF token its forms need (the cookie is set when it is new)."""
    token = csrf_token(request)
    body = _environment.get_template(template).render(
        request=request,
        csrf=token,
        url_with=lambda **changes: url_with(request, **changes),
        needs_token=request.app.state.web.token is not None,
        **context,
    )
    response = HTMLResponse(body, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def render_fragment(template: str, context: dict[str, Any]) -> Markup:
    """A piece of a page (no request, no CSRF token), to cache and put in a page."""
    return Markup(_environment.get_template(template).render(**context))


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status_code)
