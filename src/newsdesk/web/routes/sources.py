"""The sources page: outlets and feeds with their health; add and remove feeds; OPML in and out."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from newsdesk.ingest.feeds import FeedError
from newsdesk.pipeline.subscribe import add_feed, export_opml, import_opml
from newsdesk.store import browse
from newsdesk.store import feeds as feed_store
from newsdesk.web.auth import form_writer
from newsdesk.web.render import page, redirect
from newsdesk.web.state import valid_language, web_state

router = APIRouter(include_in_schema=False)

RATE_DAYS = 7
NOTES = {
    "added": "Feed added.",
    "exists": "That feed was already subscribed.",
    "removed": "Feed removed; its articles stay.",
    "imported": "OPML imported.",
}
MAX_OPML_BYTES = 5 * 1024 * 1024


def _sources(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    now = datetime.now(UTC)
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
            "note": NOTES.get(request.query_params.get("done", "")),
            "error": error,
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
    web = web_state(request)
    try:
        sub = add_feed(
            web.store, web.settings, url.strip(), outlet.strip() or None, valid_language(language), check
        )
    except FeedError as exc:
        return _sources(request, str(exc), 400)
    return redirect("/sources?done=" + ("added" if sub.created else "exists"))


@router.post("/sources/feeds/{feed_id}/delete", dependencies=[Depends(form_writer)])
def remove(request: Request, feed_id: int) -> Response:
    with web_state(request).store.session() as session:
        if not feed_store.remove_feed(session, str(feed_id)):
            raise HTTPException(404, f"no feed #{feed_id}")
    return redirect("/sources?done=removed")


@router.post("/sources/opml", dependencies=[Depends(form_writer)])
def import_file(request: Request, file: UploadFile = File(...)) -> Response:
    data = file.file.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        return _sources(request, "the OPML file is too large", 413)
    try:
        import_opml_bytes(request, data)
    except (ValueError, OSError) as exc:
        return _sources(request, f"not a usable OPML file: {exc}", 400)
    return redirect("/sources?done=imported")


def import_opml_bytes(request: Request, data: bytes) -> tuple[int, int]:
    """Subscribe to the feeds of an uploaded OPML document: (feeds, new ones)."""
    web = web_state(request)
    with tempfile.TemporaryDirectory(prefix="newsdesk-opml-") as folder:
        path = Path(folder) / "upload.opml"
        path.write_bytes(data)
        subs = import_opml(web.store, web.settings, path)
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
