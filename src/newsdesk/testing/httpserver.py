"""A small threaded HTTP server on 127.0.0.1 for tests and the demo.

It serves a folder (text files get ``{{BASE}}`` replaced by the server's own
base URL) and programmable routes: fixed statuses, slow or oversized answers,
redirects, custom headers, ETag/Last-Modified revalidation and gzip.

    with FixtureServer(folder) as server:
        server.add_route("/slow", Route(body="late", delay=2.0))
        fetch(server.url + "/slow")
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TEXT_SUFFIXES = {".xml", ".rss", ".atom", ".html", ".htm", ".opml", ".txt", ".json", ".css", ".js", ".csv"}
EXTRA_TYPES = {
    ".opml": "text/x-opml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
BASE_MARK = "{{BASE}}"


@dataclass
class Route:
    """A programmed answer for one path.

    A text ``body`` may contain ``{{BASE}}``; ``size`` sends that many filler bytes
    instead of ``body``; ``delay`` sleeps before answering; ``redirect_to``
    answers with ``status`` (302 unless set otherwise) and a ``Location``;
    ``etag``/``last_modified`` make the route answer 304 to a matching
    conditional request; ``gzip`` compresses the body; ``send_length=False``
    omits Content-Length (the body then ends when the connection closes);
    ``reason`` replaces the status line's standard reason phrase.
    """

    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    size: int | None = None
    redirect_to: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    send_length: bool = True
    reason: str | None = None


@dataclass
class RequestLog:
    """One request as the server saw it."""

    time: float
    method: str
    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FixtureServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: tests and the demo read results, not access logs."""

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        path = urlsplit(self.path).path
        owner._log(RequestLog(time.monotonic(), self.command, self.path, dict(self.headers.items())))
        route = owner.routes.get(self.path) or owner.routes.get(path)
        try:
            if route is not None:
                self._send_route(route, send_body)
            else:
                self._send_file(path, send_body)
        except (ConnectionError, TimeoutError):
            pass  # the client went away (timeouts, size caps): nothing to do

    def _send_route(self, route: Route, send_body: bool) -> None:
        owner = self.server.owner
        if route.delay:
            time.sleep(route.delay)
        if route.redirect_to is not None:
            status = route.status if 300 <= route.status < 400 else 302
            self.send_response(status)
            self.send_header("Location", owner.substitute(route.redirect_to))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self._not_modified(route.etag, route.last_modified):
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.end_headers()
            return
        if route.size is not None:
            body = b"x" * route.size
        else:
            raw = route.body
            body = owner.substitute(raw).encode("utf-8") if isinstance(raw, str) else raw
        self._send_body(
            route.status,
            body,
            route.content_type,
            route.headers,
            send_body,
            compress=route.gzip,
            send_length=route.send_length,
            etag=route.etag,
            last_modified=route.last_modified,
            reason=route.reason,
        )

    def _send_file(self, path: str, send_body: bool) -> None:
        owner = self.server.owner
        target = owner.resolve(path)
        if target is None:
            self._send_body(404, b"not found\n", "text/plain; charset=utf-8", {}, send_body)
            return
        data = target.read_bytes()
        suffix = target.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            data = data.replace(BASE_MARK.encode(), owner.url.encode())
        ctype = EXTRA_TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send_body(200, data, ctype, {}, send_body)

    def _not_modified(self, etag: str | None, last_modified: str | None) -> bool:
        inm = self.headers.get("If-None-Match")
        if etag and inm:
            return etag in [tag.strip() for tag in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        return bool(last_modified and ims and ims.strip() == last_modified)

    def _send_body(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str],
        send_body: bool,
        *,
        compress: bool = False,
        send_length: bool = True,
        etag: str | None = None,
        last_modified: str | None = None,
        reason: str | None = None,
    ) -> None:
        if compress:
            body = gzip.compress(body)
        if reason is None:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
        self.send_response(status, reason)
        if content_type:
            self.send_header("Content-Type", content_type)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        for name, value in headers.items():
            self.send_header(name, value)
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            view = memoryview(body)
            for start in range(0, len(body), 64 * 1024):
                self.wfile.write(view[start : start + 64 * 1024])


class FixtureServer:
    """Serve ``folder`` (optional) and programmed routes on 127.0.0.1, in a background thread."""

    def __init__(self, folder: str | Path | None = None, host: str = "127.0.0.1", port: int = 0):
        self.folder = Path(folder).resolve() if folder is not None else None
        self.routes: dict[str, Route] = {}
        self.requests: list[RequestLog] = []
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return self.url + "/" + path.lstrip("/")

    def substitute(self, text: str) -> str:
        """Replace ``{{BASE}}`` with this server's base URL."""
        return text.replace(BASE_MARK, self.url)

    def add_route(self, path: str, route: Route | None = None, **options: Any) -> str:
        """Program ``path`` (a Route or Route's keyword options); returns its absolute URL."""
        self.routes[path] = route if route is not None else Route(**options)
        return self.url_for(path)

    def redirect_loop(self, first: str, second: str) -> str:
        """Make two paths redirect to each other; returns the URL of the first."""
        self.add_route(first, redirect_to=self.url_for(second))
        self.add_route(second, redirect_to=self.url_for(first))
        return self.url_for(first)

    def requests_for(self, path: str) -> list[RequestLog]:
        """Requests received for ``path`` (query string ignored), oldest first."""
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    def resolve(self, path: str) -> Path | None:
        """The file under the served folder for a URL path, or None (never outside the folder)."""
        if self.folder is None:
            return None
        relative = unquote(path).lstrip("/")
        target = (self.folder / relative).resolve()
        if target != self.folder and self.folder not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _log(self, entry: RequestLog) -> None:
        with self._lock:
            self.requests.append(entry)

    def start(self) -> FixtureServer:
        """Start serving in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fixture-http",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
