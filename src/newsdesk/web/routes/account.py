"""Logging in and out, and a user's API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.store import users
from newsdesk.web.auth import (
    LoginRequired,
    LoginThrottled,
    authenticate,
    current_user,
    end_session,
    form_checked,
    form_writer,
    new_api_token,
    start_session,
)
from newsdesk.web.render import page, redirect, translator
from newsdesk.web.security import safe_url
from newsdesk.web.state import RecordId, web_state

router = APIRouter(include_in_schema=False)


def _next(target: str | None) -> str:
    """Only a path on this site may follow a log-in."""
    url = safe_url(target)
    return url if url.startswith("/") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the usual name
    return page(request, "login.html", {"next": _next(next), "error": None})


@router.post("/login", dependencies=[Depends(form_checked)])
def login(
    request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("/")
) -> Response:  # noqa: A002
    try:
        user = authenticate(request, name, password)
    except LoginThrottled as exc:
        error = translator(request).ngettext(
            "Too many failed log-ins: try again in %(num)d second.",
            "Too many failed log-ins: try again in %(num)d seconds.",
            exc.wait,
        ) % {"num": exc.wait}
        refused = page(request, "login.html", {"next": _next(next), "error": error}, 429)
        refused.headers["Retry-After"] = str(exc.wait)
        return refused
    if user is None:
        return page(
            request,
            "login.html",
            {"next": _next(next), "error": translator(request).gettext("Unknown name or wrong password.")},
            401,
        )
    response = redirect(_next(next))
    start_session(request, response, user)
    return response


@router.post("/logout", dependencies=[Depends(form_checked)])
def logout(request: Request) -> Response:
    response = redirect("/")
    end_session(request, response)
    return response


def _signed_in(request: Request) -> users.UserRecord:
    user = current_user(request)
    if user is None:
        raise LoginRequired
    return user


@router.get("/account", response_class=HTMLResponse)
def account(request: Request) -> HTMLResponse:
    user = _signed_in(request)
    with web_state(request).store.session() as session:
        tokens = users.list_tokens(session, user.id)
    return page(request, "account.html", {"tokens": tokens, "new_token": None})


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=[Depends(form_writer)])
def create_token(request: Request, name: str = Form(...)) -> HTMLResponse:
    user = _signed_in(request)
    secret = new_api_token(request, user, name.strip()[:128] or "token")
    with web_state(request).store.session() as session:
        tokens = users.list_tokens(session, user.id)
    return page(request, "account.html", {"tokens": tokens, "new_token": secret})


@router.post("/account/tokens/{token_id}/delete", dependencies=[Depends(form_writer)])
def delete_token(request: Request, token_id: RecordId) -> Response:
    user = _signed_in(request)
    with web_state(request).store.session() as session:
        if not users.remove_token(session, token_id, user.id):
            raise HTTPException(404, translator(request).gettext("no token #%(id)d") % {"id": token_id})
    return redirect("/account")
