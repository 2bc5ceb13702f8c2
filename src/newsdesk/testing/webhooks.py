"""A webhook receiver on 127.0.0.1 for tests: it keeps every POST, answers the statuses it is
given first (then 200), and counts notifications once per ``X-Newsdesk-Delivery`` id, as a
receiver that deduplicates does.

    with WebhookReceiver(fail=[500]) as receiver:
        ...  # deliver to receiver.url
        assert len(receiver.unique) == 1
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def document(self) -> Any:
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        receiver = self.server.receiver
        with receiver.lock:
            receiver.requests.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = receiver.fail.pop(0) if receiver.fail else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: WebhookReceiver


class WebhookReceiver:
    def __init__(self, fail: list[int] | None = None) -> None:
        self.fail = list(fail or [])
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    @property
    def unique(self) -> dict[str, Received]:
        """The notifications received, once each (the first try that answered 2xx is not known here:
        every request with a delivery id counts once)."""
        found: dict[str, Received] = {}
        for request in self.requests:
            found.setdefault(request.headers.get("x-newsdesk-delivery", ""), request)
        return found

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
