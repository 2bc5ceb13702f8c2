"""Alert rules on the web: the page (list, add, remove, the delivery log), the API under
``/api/v1/alerts`` and each rule's Atom feed.

A rule's targets can carry secrets (a webhook URL is often one), so reading rules needs a user
wherever changing them does; a rule's Atom feed holds only what it detected and is open like the
other feeds.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.alerts.make import new_rule, params_from_fields
from newsdesk.alerts.rules import KINDS, STORY_CHANGES, Rule, RuleError, describe, rule_document
from newsdesk.store import alerts as alert_store
from newsdesk.web import schemas
from newsdesk.web.atom import MEDIA_TYPE, Entry, atom_feed
from newsdesk.web.auth import LoginRequired, api_writer, current_user, form_writer
from newsdesk.web.render import page, redirect, translator
from newsdesk.web.state import RecordId, web_state

router = APIRouter()
LOG_ROWS = 50


def _owner_id(request: Request) -> int | None:
    user = current_user(request)
    return user.id if user else None


async def page_reader(request: Request) -> None:
    """Dependency of the alert pages: a user when log-in is required."""
    if web_state(request).require_login and await run_in_threadpool(current_user, request) is None:
        raise LoginRequired


def api_reader(request: Request) -> None:
    """Dependency of the API's alert reads: a user (token) when log-in is required."""
    if web_state(request).require_login and current_user(request) is None:
        raise HTTPException(401, "log in or send an API token", headers={"WWW-Authenticate": "Bearer"})


def _add(request: Request, rule: Rule) -> Rule:
    with web_state(request).store.session() as session:
        return alert_store.add_rule(session, rule, _owner_id(request), datetime.now(UTC))


# --- the page ----------------------------------------------------------------------------------


def _alerts_page(
    request: Request, error: str | None = None, added: Rule | None = None, status: int = 200
) -> HTMLResponse:
    _ = translator(request).gettext
    with web_state(request).store.session() as session:
        rules = alert_store.list_rules(session)
        log = alert_store.delivery_log(session, limit=LOG_ROWS)
    context = {
        "rules": [(rule, describe(rule, translator(request))) for rule in rules],
        "log": log,
        "kinds": KINDS,
        "story_changes": STORY_CHANGES,
        "error": error,
        "added": added,
        "note": _("Rule removed.") if request.query_params.get("done") == "removed" else None,
    }
    return page(request, "alerts.html", context, status)


@router.get(
    "/alerts", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(page_reader)]
)
def alerts_page(request: Request) -> HTMLResponse:
    return _alerts_page(request)


def _number(request: Request, text: str, kind: type[int] | type[float]) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        message = translator(request).gettext("%(value)s is not a number") % {"value": repr(text)}
        raise RuleError(message) from None


@router.post("/alerts", include_in_schema=False, dependencies=[Depends(form_writer)])
def add_from_form(
    request: Request,
    name: str = Form(...),
    kind: str = Form(...),
    text: str = Form(""),
    story: str = Form(""),
    language: str = Form(""),
    outlet: str = Form(""),
    on: str = Form(""),
    every: str = Form(""),
    outlets: str = Form(""),
    languages: str = Form(""),
    outlet_set: str = Form(""),
    language_set: str = Form(""),
    multiple: str = Form(""),
    min_articles: str = Form(""),
    hours: str = Form(""),
    webhook: str = Form(""),
    email: str = Form(""),
    email_language: str = Form(""),
    quiet_hours: str = Form(""),
    timezone: str = Form(""),
) -> Response:
    """Add a rule from the page's form; the page then shows the webhooks' secrets once."""
    settings = web_state(request).settings
    try:
        params = params_from_fields(
            kind,
            text=text.strip() or None,
            story=_number(request, story, int),  # type: ignore[arg-type]
            language=language.strip(),
            outlet=outlet.strip(),
            on=on,
            every=_number(request, every, int),  # type: ignore[arg-type]
            outlets=_number(request, outlets, int),  # type: ignore[arg-type]
            languages=_number(request, languages, int),  # type: ignore[arg-type]
            outlet_set=outlet_set,
            language_set=language_set,
            multiple=_number(request, multiple, float),
            min_articles=_number(request, min_articles, int),  # type: ignore[arg-type]
            hours=_number(request, hours, float),
        )
        rule = new_rule(
            name,
            kind,
            params,
            settings,
            webhooks=webhook.split(),
            emails=email.split(),
            email_language=email_language.strip() or None,
            quiet_hours=quiet_hours.strip() or None,
            timezone=timezone.strip() or None,
        )
        added = _add(request, rule)
    except RuleError as exc:
        t = translator(request)
        error = t.gettext("Not added: %(reason)s") % {"reason": exc.reason(t)}
        return _alerts_page(request, error, status=422)
    return _alerts_page(request, added=added)


@router.post("/alerts/{rule_id}/delete", include_in_schema=False, dependencies=[Depends(form_writer)])
def remove_from_form(request: Request, rule_id: RecordId) -> Response:
    with web_state(request).store.session() as session:
        if not alert_store.remove_rule(session, rule_id):
            raise HTTPException(404, translator(request).gettext("no alert rule #%(id)d") % {"id": rule_id})
    return redirect("/alerts?done=removed")


# --- the Atom feed -----------------------------------------------------------------------------


@router.get(
    "/feeds/alerts/{rule_id}.atom",
    response_class=Response,
    tags=["atom"],
    responses={200: {"content": {"application/atom+xml": {}}}},
)
def rule_feed(request: Request, rule_id: RecordId) -> Response:
    """What an alert rule detected, newest first."""
    with web_state(request).store.session() as session:
        rule = alert_store.find_rule(session, rule_id)
        events = alert_store.rule_events(session, rule_id, limit=LOG_ROWS) if rule else []
    if rule is None:
        raise HTTPException(404, f"no alert rule #{rule_id}")
    base = str(request.base_url).rstrip("/")
    entries = [
        Entry(
            id=f"{base}/feeds/alerts/{rule_id}.atom#{event.id}",
            title=event.title,
            link=event.payload.get("link")
            or (f"{base}/stories/{event.payload['story_id']}" if event.payload.get("story_id") else base),
            updated=event.detected,
            summary=event.payload.get("summary") or None,
        )
        for event in events
    ]
    body = atom_feed(str(request.url), f"newsdesk: {rule.name}", str(request.url), f"{base}/alerts", entries)
    return Response(body, media_type=MEDIA_TYPE)


# --- the API -----------------------------------------------------------------------------------


def _rule_out(rule: Rule, secrets: bool = False) -> schemas.AlertRuleOut:
    return schemas.AlertRuleOut.model_validate(rule_document(rule, secrets))


@router.get(
    "/api/v1/alerts",
    response_model=list[schemas.AlertRuleOut],
    tags=["alerts"],
    dependencies=[Depends(api_reader)],
)
def rules(request: Request) -> list[schemas.AlertRuleOut]:
    """Every alert rule with its targets (without their secrets)."""
    with web_state(request).store.session() as session:
        return [_rule_out(r) for r in alert_store.list_rules(session)]


@router.post("/api/v1/alerts", response_model=schemas.AlertRuleOut, status_code=201, tags=["alerts"])
def create_rule(
    request: Request, body: schemas.AlertRuleIn, _user: object = Depends(api_writer)
) -> schemas.AlertRuleOut:
    """Add a rule. Webhooks and e-mail addresses obey the address rules of feeds (422 otherwise);
    the answer holds the webhooks' signing secrets, shown this once."""
    settings = web_state(request).settings
    try:
        rule = new_rule(
            body.name,
            body.kind,
            body.params,
            settings,
            webhooks=body.webhooks,
            emails=body.emails,
            secret=body.secret,
            email_language=body.email_language,
            quiet_hours=body.quiet_hours,
            timezone=body.timezone,
        )
        return _rule_out(_add(request, rule), secrets=True)
    except RuleError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get(
    "/api/v1/alerts/log",
    response_model=list[schemas.DeliveryOut],
    tags=["alerts"],
    dependencies=[Depends(api_reader)],
)
def log(
    request: Request,
    rule: int | None = Query(None, ge=1, le=2**31 - 1, description="Only this rule's deliveries"),
    limit: int = Query(LOG_ROWS, ge=1, le=1000),
) -> list[schemas.DeliveryOut]:
    """The delivery log: each try, newest first."""
    with web_state(request).store.session() as session:
        return [schemas.DeliveryOut.model_validate(r) for r in alert_store.delivery_log(session, rule, limit)]


@router.get(
    "/api/v1/alerts/{rule_id}",
    response_model=schemas.AlertRuleOut,
    tags=["alerts"],
    dependencies=[Depends(api_reader)],
)
def rule(request: Request, rule_id: RecordId) -> schemas.AlertRuleOut:
    with web_state(request).store.session() as session:
        found = alert_store.find_rule(session, rule_id)
    if found is None:
        raise HTTPException(404, f"no alert rule #{rule_id}")
    return _rule_out(found)


@router.delete("/api/v1/alerts/{rule_id}", status_code=204, tags=["alerts"])
def delete_rule(request: Request, rule_id: RecordId, _user: object = Depends(api_writer)) -> Response:
    """Remove a rule with its events and deliveries."""
    with web_state(request).store.session() as session:
        if not alert_store.remove_rule(session, rule_id):
            raise HTTPException(404, f"no alert rule #{rule_id}")
    return Response(status_code=204)
