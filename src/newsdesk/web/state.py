"""What every request handler reaches: settings, the store, the templates and the login rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from newsdesk.settings import Settings
from newsdesk.store import Store

PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30), "all": None}
LANG_COOKIE = "newsdesk_lang"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


@dataclass
class WebState:
    settings: Settings
    store: Store
    require_login: bool
    templates: Jinja2Templates


def web_state(request: Request) -> WebState:
    return request.app.state.web


def since_for(period: str | None, now: datetime | None = None) -> datetime | None:
    """The start of a period (``24h``, ``7d``, ``30d``); ``all`` or unknown → no limit."""
    length = PERIODS.get(period or "all")
    return (now or datetime.now(UTC)) - length if length else None


def valid_language(code: str | None) -> str | None:
    """A language code such as ``fr`` or ``pt-BR``, else None."""
    return code if code and _LANGUAGE.match(code) else None


def reader_language(request: Request) -> tuple[str, bool]:
    """The reader's language (``lang`` parameter, else cookie, else settings), and whether it was
    just chosen (and must be remembered in a cookie)."""
    chosen = valid_language(request.query_params.get("lang"))
    if chosen:
        return chosen, chosen != request.cookies.get(LANG_COOKIE)
    cookie = valid_language(request.cookies.get(LANG_COOKIE))
    return cookie or web_state(request).settings.reader_lang, False
