"""What keeps the web app safe to run: the write token, CSRF protection and the upload limit.

- Bound to a loopback address, anyone who can reach the app is the user at this machine.
  Bound elsewhere, every writing endpoint (upload, add, delete) needs the token set at
  start-up: an ``Authorization: Bearer`` header, or a cookie set by opening any page
  with ``?token=...`` once.
- Forms carry a double-submit CSRF token (a random cookie repeated in a hidden field),
  and every unsafe request from another origin is refused (``Origin`` and
  ``Sec-Fetch-Site``), which also covers the JSON API.
- Request bodies over the limit (20 MB by default) are refused with 413 before they are
  read whole, whatever their ``Content-Length`` says.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CSRF_COOKIE = "ficlens_csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "ficlens_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Forbidden(Exception):
    """A request refused for a reason the user can act on; ``str`` is that reason."""


class UploadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the upload is over the {limit // (1024 * 1024)} MB limit")


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the app on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: its cookie, or a new one the response will set."""
    token = request.cookies.get(CSRF_COOKIE) or request.state.__dict__.get("new_csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def check_origin(request: Request) -> None:
    """Refuse an unsafe request sent by a page of another site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise Forbidden("cross-site requests cannot change the library")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise Forbidden("requests from another origin cannot change the library")


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose CSRF field does not repeat this browser's cookie."""
    check_origin(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise Forbidden("the form has expired or came from another site; reload the page")


def check_write_token(request: Request, submitted: str | None = None) -> None:
    """Refuse a write when the app needs a token and the request does not carry it."""
    expected: str | None = request.app.state.web.token
    if expected is None:
        return
    header = request.headers.get("authorization", "")
    candidates = [
        header[7:] if header.lower().startswith("bearer ") else None,
        request.cookies.get(TOKEN_COOKIE),
        submitted,
    ]
    if not any(c and hmac.compare_digest(c, expected) for c in candidates):
        raise Forbidden(
            "this server needs its access token to change the library: open it once with "
            "?token=... or send 'Authorization: Bearer ...'"
        )


class BodyLimit:
    """ASGI middleware: no request body over ``limit`` bytes is read."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        # A body declared too large is refused on the first read, before any of it arrives.
        received = limit + 1 if declared.isdigit() and int(declared) > limit else 0

        async def counting_receive() -> Message:
            nonlocal received
            if received > limit:
                raise UploadTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise UploadTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)


# Defence in depth behind the escaping: no script, style or frame from anywhere else, and
# no inline script at all, so even a missed escape could not run anything.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware: the headers above on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
