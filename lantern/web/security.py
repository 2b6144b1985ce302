"""Security headers, the Content Security Policy and the request-size limit, as ASGI middleware.

Every response, pages and errors alike, carries the same headers; the policy
allows scripts and styles only from Lantern's own static files (no inline
script, no CDN), and no page may be framed by another site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "MAX_BODY_BYTES",
    "BodySizeLimit",
    "SecurityHeaders",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Only Lantern's own files run or style a page; nothing inline, nothing framed,
#: forms post only back to Lantern, and plugins are off.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)

#: Case-record pages must not be kept by shared computers' browser caches.
_NO_STORE = (b"cache-control", b"no-store")

#: The largest request body accepted: a long case note is tens of kilobytes; a
#: megabyte leaves room for any real form while refusing floods early.
MAX_BODY_BYTES = 1_000_000


class SecurityHeaders:
    """Adds the security headers (and no-store, except for static files) to every response."""

    def __init__(self, app: ASGIApp, *, static_prefix: str = "/static/") -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith(self.static_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"cache-control" or is_static
                ]
                headers.extend(_HEADERS)
                if not is_static:
                    headers.append(_NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """Refuses a request body larger than `limit` bytes with 413, before it is read in full."""

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await _too_large(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise RequestTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except RequestTooLarge:
            await _too_large(send)


class RequestTooLarge(Exception):
    """A body without a declared length grew past the limit while it was being read."""


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send) -> None:
    body = (
        b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Too much to send'
        b"</title></head><body><main><h1>Too much to send</h1><p>What you sent is larger than"
        b" Lantern accepts (1 MB). Shorten it and try again. Nothing was saved.</p>"
        b'<p><a href="/">Go to the start page</a></p></main></body></html>'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *_HEADERS,
                _NO_STORE,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
