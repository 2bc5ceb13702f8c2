"""Running the application: in the foreground (``newsdesk serve``) or in a background thread."""

from __future__ import annotations

import base64
import os
import pickle
import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from newsdesk.settings import Settings

# The settings of ``newsdesk serve`` handed to its worker processes (pickled, base64): each builds its own
# application, store connections and feed-check threads from them.
SETTINGS_VARIABLE = "NEWSDESK_SERVE_SETTINGS"


def run(app: FastAPI, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted (Ctrl-C): in this process, or in ``workers`` processes sharing the port,
    each with the application built anew from ``app``'s settings (see ``worker_app``)."""
    options = dict(host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
    if workers <= 1:
        uvicorn.run(app, **options)
        return
    os.environ[SETTINGS_VARIABLE] = base64.b64encode(pickle.dumps(app.state.web.settings)).decode("ascii")
    uvicorn.run("newsdesk.web.server:worker_app", factory=True, workers=workers, **options)


def worker_app() -> FastAPI:
    """The application of one worker process of ``newsdesk serve --workers N``: the log-in rule and the
    allowed hosts follow from the settings, as for one process (``serve`` has put its options in them)."""
    from newsdesk.web import create_app

    settings = pickle.loads(base64.b64decode(os.environ[SETTINGS_VARIABLE]))
    if not isinstance(settings, Settings):
        raise RuntimeError(f"{SETTINGS_VARIABLE} does not hold newsdesk settings")
    return create_app(settings)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class BackgroundServer:
    """The application on a loopback port in a thread (tests, the demo, the benchmark).

    with BackgroundServer(app) as server:
        httpx.get(server.url + "/api/v1/stories")
    """

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port or free_port(host)
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level="warning", server_header=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="newsdesk-web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
