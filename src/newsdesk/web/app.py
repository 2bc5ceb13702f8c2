"""The application factory: one FastAPI app over one store."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response

from newsdesk import __version__
from newsdesk.present.clipping import NNBSP
from newsdesk.present.dates import medium_datetime, short_date
from newsdesk.present.flags import language_flag
from newsdesk.present.links import install_link_filters
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.auth import LoginRequired
from newsdesk.web.charts import swatch
from newsdesk.web.render import page, redirect
from newsdesk.web.routes import account, api, feeds, pages, saved, sources
from newsdesk.web.security import LOOPBACK_NAMES, SecurityHeaders, is_loopback, safe_url
from newsdesk.web.state import WebState

HERE = Path(__file__).parent
DESCRIPTION = (
    "Stories, press reviews, clippings, search and feeds of a newsdesk store. Reading is open; "
    "changes need a user's API token (`Authorization: Bearer …`) when the server listens beyond loopback."
)


def _templates(settings: Settings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["flag"] = lambda code: language_flag(code, settings.flags)
    env.filters["when"] = lambda value, lang: medium_datetime(value, lang) if value else ""
    env.filters["day"] = lambda value, lang: short_date(value, lang) if value else ""
    install_link_filters(env)
    env.globals["swatch"] = swatch
    env.globals["nnbsp"] = NNBSP
    return templates


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/feeds/", "/openapi"))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if not _wants_html(request):
        return await http_exception_handler(request, exc)
    context = {"status": exc.status_code, "detail": exc.detail}
    return page(request, "error.html", context, exc.status_code)


async def _login_required(request: Request, exc: LoginRequired) -> Response:
    target = request.headers.get("referer", "/") if request.method != "GET" else str(request.url.path)
    return redirect("/login?next=" + quote(safe_url(target) or "/"))


def create_app(
    settings: Settings,
    store: Store | None = None,
    *,
    require_login: bool | None = None,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The web application over a store (opened from the settings when not given).

    ``require_login`` defaults to true when ``settings.web.host`` is beyond loopback or
    ``web.require_login`` is set. ``allowed_hosts`` limits the Host header (against DNS
    rebinding); it defaults to loopback names for a loopback server."""
    store = store or Store(settings.db_url)
    loopback = is_loopback(settings.web.host)
    if require_login is None:
        require_login = settings.web.require_login or not loopback
    if allowed_hosts is None and loopback:
        allowed_hosts = [name.strip("[]") for name in LOOPBACK_NAMES]
    app = FastAPI(
        title="newsdesk",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.web = WebState(settings, store, require_login, _templates(settings))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (pages, sources, saved, account, api, feeds):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(LoginRequired, _login_required)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app
