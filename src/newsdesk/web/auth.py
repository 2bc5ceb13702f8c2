"""Who is asking, and whether they may change things.

Reading needs no log-in. Changing feeds, saved searches or tokens needs a user
(a session cookie from the log-in form, or an API token) when the server listens
beyond loopback or ``web.require_login`` is set. Forms always carry a CSRF token;
browser requests from other sites are refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store import users
from newsdesk.text.messages import N_
from newsdesk.web.passwords import new_secret, secret_hash, verify_nobody, verify_password
from newsdesk.web.security import CSRF_FIELD, CSRF_HEADER, cross_site, csrf_valid
from newsdesk.web.state import web_state

SESSION_COOKIE = "newsdesk_session"
_UNKNOWN = object()


class LoginRequired(Exception):
    """A page form needs a user: the handler sends the browser to the log-in page."""


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    return value[7:].strip() if value[:7].lower() == "bearer " else None


def current_user(request: Request) -> users.UserRecord | None:
    """The user behind an API token or a session cookie (looked up once per request)."""
    known = getattr(request.state, "user", _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    token, cookie = _bearer(request), request.cookies.get(SESSION_COOKIE)
    user = None
    if token or cookie:
        kind = users.API if token else users.SESSION
        with web_state(request).store.session() as session:
            user = users.user_for_token(session, secret_hash(token or cookie or ""), kind, datetime.now(UTC))
    request.state.user = user
    return user


def api_writer(request: Request) -> users.UserRecord | None:
    """Dependency of API calls that change state."""
    user = current_user(request)
    if _bearer(request) is not None:
        if user is None:
            raise HTTPException(401, "invalid or expired API token", headers={"WWW-Authenticate": "Bearer"})
        return user
    if cross_site(request):
        raise HTTPException(403, N_("cross-site request refused"))
    if user is not None:
        if not csrf_valid(request, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, "the X-CSRF-Token header must match the CSRF cookie")
        return user
    if web_state(request).require_login:
        raise HTTPException(401, "log in or send an API token", headers={"WWW-Authenticate": "Bearer"})
    return None


async def form_checked(request: Request) -> None:
    """Dependency of every page form: same site, and the CSRF token matches its cookie."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if cross_site(request) or not csrf_valid(request, submitted if isinstance(submitted, str) else None):
        raise HTTPException(
            403, N_("the form's CSRF token is missing or wrong; reload the page and try again")
        )


async def form_writer(request: Request) -> users.UserRecord | None:
    """Dependency of page forms that change state: a checked form, and a user when required."""
    await form_checked(request)
    user = await run_in_threadpool(current_user, request)
    if user is None and web_state(request).require_login:
        raise LoginRequired
    return user


class LoginThrottled(Exception):
    """Too many failed log-ins for a name or from a client: ``wait`` seconds before the next try."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"too many failed log-ins: try again in {wait} s")
        self.wait = wait


def authenticate(request: Request, name: str, password: str) -> users.UserRecord | None:
    """The user a name and password log in, else None. Raises LoginThrottled, before any
    password is checked, while the name or the client address waits after failed log-ins."""
    web = web_state(request)
    keys = web.logins.keys(name, request.client.host if request.client else None)
    if wait := web.logins.retry_after(keys):
        raise LoginThrottled(wait)
    with web.store.session() as session:
        user = users.find_user(session, name)
    if user is None:
        verify_nobody(password)  # the same work whether or not the name exists
    elif not verify_password(user.password_hash, password):
        user = None
    if user is None:
        web.logins.failed(keys)
    else:
        web.logins.succeeded(keys)
    return user


def start_session(request: Request, response: Response, user: users.UserRecord) -> None:
    """Issue a session cookie for a user who has just logged in."""
    secret = new_secret()
    now = datetime.now(UTC)
    hours = web_state(request).settings.web.session_hours
    with web_state(request).store.session() as session:
        users.purge_expired(session, now)
        users.add_token(
            session, user.id, users.SESSION, secret_hash(secret), now, expires=now + timedelta(hours=hours)
        )
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(request: Request, response: Response) -> None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with web_state(request).store.session() as session:
            users.remove_session(session, secret_hash(cookie))
    response.delete_cookie(SESSION_COOKIE)


def new_api_token(request: Request, user: users.UserRecord, name: str) -> str:
    """Create an API token for a user; the secret is shown once and only its hash is kept."""
    secret = new_secret()
    with web_state(request).store.session() as session:
        users.add_token(session, user.id, users.API, secret_hash(secret), datetime.now(UTC), name=name)
    return secret
