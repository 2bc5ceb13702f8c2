"""The application factory: one FastAPI app over one store."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response

from newsdesk import __version__
from newsdesk.i18n.jinja import enable_i18n
from newsdesk.present.charts import swatch
from newsdesk.present.clipping import NNBSP
from newsdesk.present.dates import medium_datetime, relative_time, short_date
from newsdesk.present.flags import language_flag
from newsdesk.present.links import install_link_filters
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store.queries import SearchError
from newsdesk.text.messages import N_
from newsdesk.web.auth import LoginRequired
from newsdesk.web.checks import FeedChecks
from newsdesk.web.limits import BodyLimit
from newsdesk.web.marks import language_mark
from newsdesk.web.render import page, redirect, translator
from newsdesk.web.routes import account, alerts, api, feeds, pages, saved, sources, steering
from newsdesk.web.security import LOOPBACK_NAMES, SecurityHeaders, is_loopback, safe_url
from newsdesk.web.state import WebState, with_selected
from newsdesk.web.throttle import LoginThrottle

HERE = Path(__file__).parent
# The reasons Starlette gives for the errors it raises itself, shown translated on the error page.
STATUS_REASONS = (N_("Not Found"), N_("Method Not Allowed"), N_("Bad Request"), N_("Forbidden"))
DESCRIPTION = (
    "Stories, press reviews, clippings, search and feeds of a newsdesk store. Reading is open; "
    "changes need a user's API token (`Authorization: Bearer …`) when the server listens beyond loopback."
)


def _templates(settings: Settings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["flag"] = lambda code: language_flag(code, settings.flags)
    # The same few languages on every row of every page: each one is rendered once.
    env.filters["langmark"] = functools.lru_cache(maxsize=1024)(
        lambda code: language_mark(code, settings.flags)
    )
    env.filters["selected"] = with_selected
    env.filters["when"] = lambda value, lang: medium_datetime(value, lang) if value else ""
    env.filters["day"] = lambda value, lang: short_date(value, lang) if value else ""
    env.filters["ago"] = lambda value, lang: relative_time(value, lang) if value else ""
    enable_i18n(env)
    install_link_filters(env)
    env.globals["swatch"] = swatch
    env.globals["nnbsp"] = NNBSP
    return templates


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/feeds/", "/openapi"))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if not _wants_html(request):
        return await http_exception_handler(request, exc)
    detail = translator(request).gettext(exc.detail) if isinstance(exc.detail, str) else exc.detail
    context = {"status": exc.status_code, "detail": detail}
    return page(request, "error.html", context, exc.status_code)


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A page asked with a bad parameter: an id that is no id (``/stories/abc``, ``/articles/0``)
    names nothing, so the page is the HTML 404; another bad parameter is a 422 page with the reason.
    The API and the feeds answer JSON, as documented."""
    if not _wants_html(request):
        return await request_validation_exception_handler(request, exc)
    errors = exc.errors()
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return await _http_error(request, StarletteHTTPException(404, f"nothing at {request.url.path}"))
    reasons = "; ".join(f"{error['loc'][-1]}: {error['msg']}" for error in errors if error.get("loc"))
    return await _http_error(request, StarletteHTTPException(422, reasons or "bad request"))


async def _search_error(request: Request, exc: SearchError) -> Response:
    """A search that cannot be run is the asker's error (400), with the reason."""
    return await _http_error(request, StarletteHTTPException(400, str(exc)))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.web.checks.close()
    app.state.web.reads.close()


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
        lifespan=_lifespan,
    )
    web = settings.web
    app.state.web = WebState(
        settings,
        store,
        require_login,
        _templates(settings),
        FeedChecks(store, settings),
        LoginThrottle(web.login_free_attempts, web.login_max_wait),
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (pages, sources, saved, account, api, feeds, alerts):
        app.include_router(module.router)
    app.include_router(steering.api)
    app.include_router(steering.forms)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(SearchError, _search_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(BodyLimit, limit=web.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
