"""The sources page: outlets and feeds with their health; add and remove feeds; OPML in and out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from newsdesk.ingest.feeds import FeedError
from newsdesk.pipeline.subscribe import (
    OpmlTooBig,
    Subscription,
    add_feed,
    add_feed_to_check,
    export_opml,
    import_opml_document,
)
from newsdesk.store import browse
from newsdesk.store import feeds as feed_store
from newsdesk.text.messages import N_
from newsdesk.web.auth import form_writer
from newsdesk.web.limits import too_large
from newsdesk.web.render import page, redirect, translator
from newsdesk.web.state import RecordId, valid_language, web_state

router = APIRouter(include_in_schema=False)

RATE_DAYS = 7
NOTES = {
    "added": N_("Feed added."),
    "checking": N_(
        "Feed added; it is being checked in the background. Reload this page to see the result "
        "in its status: “new” when it is ready for its first fetch, “check failed” with the reason "
        "when it could not be read (it is tried again on each fetch; remove it if it can never work)."
    ),
    "exists": N_("That feed was already subscribed."),
    "removed": N_("Feed removed; its articles stay."),
    "imported": N_("OPML imported."),
}


def _sources(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    now = datetime.now(UTC)
    _ = translator(request).gettext
    note = NOTES.get(request.query_params.get("done", ""))
    with web_state(request).store.session() as session:
        feeds = feed_store.list_feeds(session)
        rates = browse.feed_article_counts(session, now - timedelta(days=RATE_DAYS))
        outlets = browse.outlets(session, now - timedelta(days=RATE_DAYS))
    return page(
        request,
        "sources.html",
        {
            "feeds": feeds,
            "rates": {feed_id: count / RATE_DAYS for feed_id, count in rates.items()},
            "outlets": outlets,
            "rate_days": RATE_DAYS,
            "note": _(note) if note else None,
            "error": error,
            "feed_statuses": {status: _(shown) for status, shown in feed_store.STATUS_LABELS.items()},
        },
        status,
    )


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request) -> HTMLResponse:
    return _sources(request)


@router.post("/sources/feeds", dependencies=[Depends(form_writer)])
def add(
    request: Request,
    url: str = Form(...),
    outlet: str = Form(""),
    language: str = Form(""),
    check: bool = Form(False),
) -> Response:
    try:
        sub = subscribe(request, url, outlet.strip() or None, language, check)
    except FeedError as exc:
        return _sources(request, translator(request).gettext("Not added: %(reason)s") % {"reason": exc}, 422)
    done = "exists" if not sub.created else "checking" if check else "added"
    return redirect("/sources?done=" + done)


def subscribe(
    request: Request, url: str, outlet: str | None, language: str | None, check: bool
) -> Subscription:
    """Add a feed from the web: refused at once (FeedError) when it can never be fetched; with
    ``check``, stored with status ``checking`` and checked in the background, never in the request."""
    web = web_state(request)
    language = valid_language(language)
    if not check:
        return add_feed(web.store, web.settings, url, outlet, language, check=False)
    sub = add_feed_to_check(web.store, web.settings, url, outlet, language)
    if sub.created:
        web.checks.submit(sub.feed.id, sub.feed.url)
        sub.note = f"checking in the background: see GET /api/v1/feeds/{sub.feed.id}"
    return sub


@router.post("/sources/feeds/{feed_id}/delete", dependencies=[Depends(form_writer)])
def remove(request: Request, feed_id: RecordId) -> Response:
    with web_state(request).store.session() as session:
        if not feed_store.remove_feed(session, str(feed_id)):
            raise HTTPException(404, translator(request).gettext("no feed #%(id)d") % {"id": feed_id})
    return redirect("/sources?done=removed")


@router.post("/sources/opml", dependencies=[Depends(form_writer)])
def import_file(request: Request, file: UploadFile = File(...)) -> Response:
    _ = translator(request).gettext
    limit = web_state(request).settings.web.max_body_bytes
    data = file.file.read(limit + 1)  # the whole request is capped already; the file is too
    if len(data) > limit:
        reason = too_large(limit).detail
        return _sources(request, _("The OPML file is too large: %(reason)s") % {"reason": reason}, 413)
    try:
        import_opml_bytes(request, data)
    except OpmlTooBig as exc:
        return _sources(request, _("Not imported: %(reason)s") % {"reason": exc}, 413)
    except (ValueError, OSError) as exc:
        return _sources(request, _("not a usable OPML file: %(reason)s") % {"reason": exc}, 400)
    return redirect("/sources?done=imported")


def import_opml_bytes(request: Request, data: bytes) -> tuple[int, int]:
    """Subscribe to the feeds of an uploaded OPML document: (feeds, new ones). Raises OpmlTooBig
    past ``web.max_body_bytes`` or ``web.max_opml_feeds``."""
    web = web_state(request)
    subs = import_opml_document(web.store, web.settings, data)
    return len(subs), sum(s.created for s in subs)


@router.get("/sources/opml")
def export(request: Request) -> Response:
    return opml_response(request)


def opml_response(request: Request) -> Response:
    return Response(
        export_opml(web_state(request).store),
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="newsdesk-feeds.opml"'},
    )
