"""A cap on request bodies: a declared Content-Length over it, or streamed bytes past it, end in 413."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large(limit: int) -> HTTPException:
    """The 413 answer for a body over ``limit`` bytes, naming the limit and its setting."""
    return HTTPException(413, f"request body larger than {limit} bytes (web.max_body_bytes)")


class BodyLimit:
    """Refuses request bodies larger than ``limit`` bytes.

    The check is made when the application reads the body: a Content-Length over the limit is
    refused before a byte is read, and a body sent without one (chunked) is counted as it
    arrives and refused as soon as it passes the limit, so at most ``limit`` bytes are ever held.
    The 413 goes through the application's error handlers (an HTML page or JSON with the reason)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:
                raise too_large(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise too_large(self.limit)
            return message

        await self.app(scope, limited, send)
