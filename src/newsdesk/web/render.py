"""Rendering pages: the template context every page shares, cookies, redirects and links."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from newsdesk.i18n import INTERFACE_LANGUAGES, translations
from newsdesk.i18n.jinja import template_callables
from newsdesk.web.auth import current_user
from newsdesk.web.security import CSRF_COOKIE, csrf_token
from newsdesk.web.state import LANG_COOKIE, reader_language, web_state

YEAR = 365 * 24 * 3600


def with_params(request: Request, **changes: Any) -> str:
    """The current path with some query parameters changed (``None`` removes one)."""
    params = {key: value for key, value in request.query_params.items() if key != "lang"}
    params.update({key: value for key, value in changes.items()})
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return request.url.path + ("?" + urlencode(kept) if kept else "")


def reader_languages(request: Request, current: str) -> list[str]:
    """The languages offered in the reader's language switch: those of the interface and of the
    stored articles."""
    web = web_state(request)
    found, _ = web.choices.get()
    return sorted({current, web.settings.reader_lang, *INTERFACE_LANGUAGES, *found})


def translator(request: Request) -> NullTranslations:
    """The interface's translations in the reader's language, for messages made in Python."""
    return translations(reader_language(request)[0])


def page(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a page with the shared context; remember a newly chosen reader language and CSRF token."""
    web = web_state(request)
    token, new_token = csrf_token(request)
    lang, lang_chosen = reader_language(request)
    shared = {
        "csrf_token": token,
        "reader_lang": lang,
        "reader_languages": reader_languages(request, lang),
        "user": current_user(request),
        "login_required": web.require_login,
        "with_params": lambda **changes: with_params(request, **changes),
        **template_callables(lang),
    }
    response = web.templates.TemplateResponse(
        request, template, {**shared, **(context or {})}, status_code=status
    )
    secure = request.url.scheme == "https"
    if new_token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure)
    if lang_chosen:
        response.set_cookie(LANG_COOKIE, lang, max_age=YEAR, samesite="lax", secure=secure)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def fragment(request: Request, template: str, context: dict[str, Any]) -> Markup:
    """A part of a page rendered on its own, in the reader's language, for a page to include: it must
    not depend on who reads it (no user, no CSRF token), so that it may be kept for every reader."""
    lang, _ = reader_language(request)
    shared = {"reader_lang": lang, **template_callables(lang)}
    return Markup(web_state(request).templates.get_template(template).render({**shared, **context}))


def redirect(url: str) -> RedirectResponse:
    """After a form: see the result with a GET (303)."""
    return RedirectResponse(url, status_code=303)
