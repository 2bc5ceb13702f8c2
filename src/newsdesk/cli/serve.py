"""``newsdesk serve``: the web application over the store."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import err, state
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.store import Store


def serve_store(store: Store, settings: Settings) -> None:
    """Serve the web application over a store until Ctrl-C, saying where and who may change things."""
    from newsdesk.store import users
    from newsdesk.web import create_app
    from newsdesk.web.server import run

    app = create_app(settings, store)
    web = settings.web
    with store.session() as session:
        has_users = users.count_users(session) > 0
    if app.state.web.require_login:
        note = (
            "changes need a log-in"
            if has_users
            else "changes need a log-in: create a user with `newsdesk user add`"
        )
    else:
        note = "listening on loopback: changes need no log-in"
    shown = f"[{web.host}]" if ":" in web.host else web.host
    err.print(f"newsdesk: http://{shown}:{web.port}/ ({note}); Ctrl-C stops")
    if web.workers > 1:
        err.print(f"newsdesk: {web.workers} worker processes")
    run(app, web.host, web.port, web.workers)


def with_web(
    settings: Settings, host: str | None, port: int | None, require_login: bool, workers: int | None = None
) -> Settings:
    """The settings with the command line's host, port, log-in choice and worker processes applied."""
    web = replace(
        settings.web,
        host=host or settings.web.host,
        port=port if port is not None else settings.web.port,
        require_login=settings.web.require_login or require_login,
        workers=workers if workers is not None else settings.web.workers,
    )
    return replace(settings, web=web)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port to listen on (default 8000)."),
    require_login: bool = typer.Option(
        False, "--require-login", help="Ask for a log-in before any change even on loopback."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes answering requests (default: web.workers, 1); each counts failed log-ins on its own.",
    ),
) -> None:
    """Serve the web interface, the JSON API and the Atom feeds over the store (a new, empty one when
    there is none yet: feeds can be added in the browser)."""
    from newsdesk.store.database import sqlite_file
    from newsdesk.web.security import is_loopback

    app_state = state(ctx)
    settings = with_web(app_state.settings, host, port, require_login, workers)
    if not is_loopback(settings.web.host):
        err.print("listening beyond loopback: reading is open to the network; put TLS in front of it")
    path = sqlite_file(settings.db_url)
    if path is not None and not path.exists():
        err.print(f"no store at {path} yet: serving a new, empty one")
    serve_store(app_state.open_store(create=True), settings)
