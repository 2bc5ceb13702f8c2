"""Atom feeds: the ranked stories, one story's articles, a search and a saved search."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from newsdesk.store import browse, queries, searches
from newsdesk.web import views
from newsdesk.web.atom import MEDIA_TYPE, Entry, atom_feed
from newsdesk.web.state import RecordId, checked_period, reader_language, valid_language, web_state

router = APIRouter(prefix="/feeds", tags=["atom"])
ENTRIES = 50
ATOM_RESPONSE = {200: {"content": {"application/atom+xml": {}}}}


def _atom(request: Request, title: str, alternate: str, entries: list[Entry]) -> Response:
    base = str(request.base_url).rstrip("/")
    body = atom_feed(str(request.url), title, str(request.url), base + alternate, entries)
    return Response(body, media_type=MEDIA_TYPE)


def _article_entries(request: Request, rows: list[browse.ArticleRow]) -> list[Entry]:
    base = str(request.base_url).rstrip("/")
    return [
        Entry(
            id=f"{base}/articles/{r.id}",
            title=r.title or "",
            link=f"{base}/articles/{r.id}",
            updated=r.when,
            summary=r.lede,
            author=r.outlet,
            language=r.language,
        )
        for r in rows
    ]


@router.get("/stories.atom", response_class=Response, responses=ATOM_RESPONSE)
def stories(
    request: Request,
    period: str | None = Depends(checked_period),
    language: str | None = None,
    outlet: str | None = None,
    lang: str | None = None,
) -> Response:
    """The ranked stories of a period (default 24h), headlines in the reader's language."""
    period = period or "24h"
    reader = reader_language(request)[0]
    listing = views.story_listing(web_state(request).store, period, language, outlet, None, ENTRIES)
    base = str(request.base_url).rstrip("/")
    entries = [
        Entry(
            id=f"{base}/stories/{row.id}",
            title=row.headline(reader),
            link=f"{base}/stories/{row.id}",
            updated=row.last_seen,
            summary=f"{row.outlet_count} outlets, {row.article_count} articles "
            f"({', '.join(row.languages)}): {', '.join(row.outlets)}",
        )
        for row in listing.rows
    ]
    return _atom(request, f"newsdesk: stories ({period})", "/", entries)


@router.get("/stories/{story_id}.atom", response_class=Response, responses=ATOM_RESPONSE)
def story(request: Request, story_id: RecordId, lang: str | None = None) -> Response:
    """One story's articles in order of publication."""
    with web_state(request).store.session() as session:
        rows = browse.article_rows(session, story_id=story_id, limit=500)
        headline = queries.headlines(session, [story_id]).get(story_id, {})
    if not rows:
        raise HTTPException(404, f"no story #{story_id}")
    reader = reader_language(request)[0]
    title = headline.get(reader) or headline.get("*") or f"story #{story_id}"
    return _atom(request, f"newsdesk: {title}", f"/stories/{story_id}", _article_entries(request, rows))


def _search_feed(request: Request, q: str, language: str | None, outlet: str | None, title: str) -> Response:
    with web_state(request).store.session() as session:
        hits = browse.search(
            session, q, language=valid_language(language), outlet=outlet or None, limit=ENTRIES
        )
    base = str(request.base_url).rstrip("/")
    entries = [
        Entry(
            id=f"{base}/articles/{h.article_id}",
            title=h.title or "",
            link=f"{base}/articles/{h.article_id}",
            updated=h.published or h.collected,
            summary=views.plain(h.snippet),
            author=h.outlet,
            language=h.language,
        )
        for h in hits
    ]
    entries.sort(key=lambda e: e.updated, reverse=True)
    return _atom(request, title, "/search?" + urlencode({"q": q}), entries)


@router.get("/search.atom", response_class=Response, responses=ATOM_RESPONSE)
def search(
    request: Request,
    q: str = Query(..., min_length=1),
    language: str | None = None,
    outlet: str | None = None,
) -> Response:
    """The best matches of a full-text search, newest first."""
    return _search_feed(request, q, language, outlet, f"newsdesk: search {q}")


@router.get("/searches/{search_id}.atom", response_class=Response, responses=ATOM_RESPONSE)
def saved_search(request: Request, search_id: RecordId) -> Response:
    """A saved search's feed."""
    with web_state(request).store.session() as session:
        saved = searches.get_search(session, search_id)
    if saved is None:
        raise HTTPException(404, f"no saved search #{search_id}")
    return _search_feed(request, saved.query, saved.language, saved.outlet, f"newsdesk: {saved.name}")
