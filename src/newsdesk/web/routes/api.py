"""The JSON REST API under ``/api/v1`` (documented at ``/openapi.json``)."""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from enum import StrEnum

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.ingest.feeds import FeedError
from newsdesk.pipeline.subscribe import OpmlTooBig
from newsdesk.present.render import render_clipping
from newsdesk.store import browse, searches
from newsdesk.store import feeds as feed_store
from newsdesk.web import schemas, views
from newsdesk.web.auth import api_writer
from newsdesk.web.routes.sources import import_opml_bytes, opml_response, subscribe
from newsdesk.web.state import (
    MAX_INT,
    Offset,
    RecordId,
    checked_period,
    reader_language,
    since_for,
    valid_language,
    web_state,
)

router = APIRouter(prefix="/api/v1")

PERIOD = Depends(checked_period)
LANG = Query(
    None,
    description="The reader's language (default: the language cookie, else Accept-Language, else the "
    "server's setting)",
)


class ClipFormat(StrEnum):
    json = "json"
    text = "text"
    md = "md"
    html = "html"


def _lang(request: Request) -> str:
    return reader_language(request)[0]


@router.get("/stories", response_model=schemas.StoryList, tags=["stories"])
async def stories(
    request: Request,
    period: str | None = PERIOD,
    language: str | None = Query(None, description="Only stories with an article in this language"),
    outlet: str | None = Query(None, description="Only stories an outlet covered (its domain)"),
    entity: str | None = Query(None, description="Only stories whose articles name this"),
    lang: str | None = LANG,
    limit: int = Query(30, ge=1, le=200),
    offset: Offset = 0,
) -> schemas.StoryList:
    """Stories ranked by number of outlets, then languages, then recency."""
    reader = _lang(request)
    web = web_state(request)
    listing = views.story_listing(web.store, period, language, outlet, entity, limit, offset, reads=web.reads)
    return schemas.StoryList(
        period=listing.period,
        widened=listing.widened,
        reader_language=reader,
        total=listing.total,
        offset=offset,
        limit=limit,
        stories=[schemas.StorySummary(**vars(row), headline=row.headline(reader)) for row in listing.rows],
    )


@router.get("/stories/{story_id}", response_model=schemas.ReviewOut, tags=["stories"])
async def story(request: Request, story_id: RecordId, lang: str | None = LANG) -> Response:
    """A story's press review: articles in order of publication with their clippings, who said what
    (the quote matrix), who is named (the entities) and the keywords."""
    web = web_state(request)
    lang = _lang(request)

    def read() -> bytes | None:
        found = views.cached_review(web.reads, web.store, web.settings, story_id, lang)
        if found is None:
            return None
        review = schemas.ReviewOut(
            **{**found.with_clippings(web.settings).to_dict(), "keywords": found.keywords},
            entities=found.entities,
            quote_matrix=found.matrix,
        )
        return review.model_dump_json(by_alias=True).encode()

    # Kept as JSON while the store is unchanged: neither rebuilt nor checked again per request.
    body = web.reads.get(("review json", story_id, lang), read)
    if body is None:
        if (survivor := views.merged_into(web.store, story_id)) is not None:
            # Temporary: a merge can be undone.
            return RedirectResponse(str(request.url.replace(path=f"/api/v1/stories/{survivor}")), 307)
        raise HTTPException(404, f"no story #{story_id}")
    return Response(body, media_type="application/json")


@router.get("/articles", response_model=schemas.ArticleList, tags=["articles"])
async def articles(
    request: Request,
    story_id: int | None = Query(
        None, ge=1, le=MAX_INT, description="Only this story's articles, in order of publication"
    ),
    outlet: str | None = None,
    language: str | None = None,
    period: str | None = PERIOD,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> schemas.ArticleList:
    """Articles without their text, newest first."""
    with web_state(request).store.session() as session:
        rows = browse.article_rows(
            session,
            story_id=story_id,
            outlet=outlet,
            language=valid_language(language),
            since=since_for(period),
            limit=limit,
            offset=offset,
        )
    return schemas.ArticleList(offset=offset, limit=limit, articles=rows)


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, tags=["articles"])
async def article(request: Request, article_id: RecordId, lang: str | None = LANG) -> schemas.ArticleDetail:
    """One article: metadata, text paragraphs and its story's headline."""
    web = web_state(request)
    found = views.article_page(web.store, web.settings, article_id, _lang(request))
    if found is None:
        raise HTTPException(404, f"no article #{article_id}")
    a = found.article
    fields = {f.name for f in dataclass_fields(schemas.ArticleDetail)}
    return schemas.ArticleDetail(
        **{key: getattr(a, key) for key in fields if hasattr(a, key)}, story_headline=found.clipping.headline
    )


@router.get(
    "/articles/{article_id}/clipping",
    response_model=schemas.ClippingOut,
    tags=["articles"],
    responses={200: {"content": {"text/plain": {}, "text/markdown": {}, "text/html": {}}}},
)
async def clipping(
    request: Request, article_id: RecordId, format: ClipFormat = ClipFormat.json, lang: str | None = LANG
) -> schemas.ClippingOut | Response:
    """An article's clipping (docs/clipping-format): JSON fields, or rendered as text, Markdown or HTML."""
    web = web_state(request)
    clip = views.clipping_for(web.store, web.settings, article_id, _lang(request))
    if clip is None:
        raise HTTPException(404, f"no article #{article_id}")
    if format is ClipFormat.json:
        return schemas.ClippingOut(**clip.to_dict())
    media = {"text": "text/plain", "md": "text/markdown", "html": "text/html"}[format.value]
    return PlainTextResponse(render_clipping(clip, format.value), media_type=f"{media}; charset=utf-8")


@router.get("/search", response_model=schemas.SearchResults, tags=["search"])
async def search(
    request: Request,
    q: str = Query(..., min_length=1, description='Words; "quoted phrases" and OR work'),
    language: str | None = None,
    outlet: str | None = None,
    period: str | None = PERIOD,
    limit: int = Query(20, ge=1, le=100),
    offset: Offset = 0,
) -> schemas.SearchResults:
    """Full-text search over titles, ledes and texts, best first, with highlighted snippets."""
    web = web_state(request)
    hits = views.search_hits(web.store, q, language, outlet, period, limit + 1, offset, reads=web.reads)
    return schemas.SearchResults(
        query=q,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if len(hits) > limit else None,
        hits=[
            schemas.SearchHitOut(
                **{**vars(h), "snippet": views.plain(h.snippet)},
                snippet_html=str(views.highlight(h.snippet)),
            )
            for h in hits[:limit]
        ],
    )


@router.get("/feeds", response_model=list[schemas.FeedOut], tags=["feeds"])
def feeds(request: Request) -> list[schemas.FeedOut]:
    """Every subscribed feed with its health."""
    with web_state(request).store.session() as session:
        return [schemas.FeedOut.model_validate(f) for f in feed_store.list_feeds(session)]


@router.get("/feeds/{feed_id}", response_model=schemas.FeedOut, tags=["feeds"])
def feed(request: Request, feed_id: RecordId) -> schemas.FeedOut:
    """One feed with its health: ``status`` is ``checking`` while the first check of a feed just
    added runs, then ``new`` (ready for its first poll) or ``check failed`` (the reason in
    ``last_error``)."""
    with web_state(request).store.session() as session:
        found = feed_store.get_feed(session, feed_id)
    if found is None:
        raise HTTPException(404, f"no feed #{feed_id}")
    return schemas.FeedOut.model_validate(found)


@router.post("/feeds", response_model=schemas.FeedCreated, status_code=201, tags=["feeds"])
def create_feed(
    request: Request, body: schemas.FeedIn, _user: object = Depends(api_writer)
) -> schemas.FeedCreated:
    """Subscribe to a feed (a site's page works too: its feed is discovered). A URL that can never
    be fetched (not http(s), a refused address) is refused with 422. With ``check`` (the default)
    the feed is stored at once with status ``checking`` and checked in the background: follow it
    with ``GET /api/v1/feeds/{id}``."""
    try:
        sub = subscribe(request, body.url, body.outlet, body.language, body.check)
    except FeedError as exc:
        raise HTTPException(422, str(exc)) from exc
    return schemas.FeedCreated(
        created=sub.created, note=sub.note, feed=schemas.FeedOut.model_validate(sub.feed)
    )


@router.delete("/feeds/{feed_id}", status_code=204, tags=["feeds"])
def delete_feed(request: Request, feed_id: RecordId, _user: object = Depends(api_writer)) -> Response:
    """Unsubscribe from a feed (its articles stay)."""
    with web_state(request).store.session() as session:
        if not feed_store.remove_feed(session, str(feed_id)):
            raise HTTPException(404, f"no feed #{feed_id}")
    return Response(status_code=204)


@router.get(
    "/opml", tags=["feeds"], response_class=Response, responses={200: {"content": {"text/x-opml": {}}}}
)
def opml_export(request: Request) -> Response:
    """Every subscription as OPML."""
    return opml_response(request)


@router.post("/opml", response_model=schemas.OpmlImported, tags=["feeds"])
def opml_import(
    request: Request,
    document: bytes = Body(..., media_type="text/x-opml", description="An OPML document"),
    _user: object = Depends(api_writer),
) -> schemas.OpmlImported:
    """Subscribe to every feed of an OPML document (at most ``web.max_opml_feeds``: a longer one is
    refused with 413 and nothing is imported)."""
    try:
        count, created = import_opml_bytes(request, document)
    except OpmlTooBig as exc:
        raise HTTPException(413, str(exc)) from exc
    except (ValueError, OSError) as exc:
        raise HTTPException(422, f"not a usable OPML document: {exc}") from exc
    return schemas.OpmlImported(feeds=count, created=created)


def _saved_out(saved: searches.SavedSearch) -> schemas.SavedSearchOut:
    return schemas.SavedSearchOut(**asdict(saved), atom=f"/feeds/searches/{saved.id}.atom")


@router.get("/searches", response_model=list[schemas.SavedSearchOut], tags=["search"])
def saved_searches(request: Request) -> list[schemas.SavedSearchOut]:
    """Saved searches, each with its Atom feed."""
    with web_state(request).store.session() as session:
        return [_saved_out(s) for s in searches.list_searches(session)]


@router.post("/searches", response_model=schemas.SavedSearchOut, status_code=201, tags=["search"])
def save_search(
    request: Request, body: schemas.SavedSearchIn, _user: object = Depends(api_writer)
) -> schemas.SavedSearchOut:
    """Save a search under a name."""
    with web_state(request).store.session() as session:
        saved = searches.save_search(
            session, body.name, body.query, datetime.now(UTC), valid_language(body.language), body.outlet
        )
    return _saved_out(saved)


@router.delete("/searches/{search_id}", status_code=204, tags=["search"])
def delete_search(request: Request, search_id: RecordId, _user: object = Depends(api_writer)) -> Response:
    with web_state(request).store.session() as session:
        if not searches.remove_search(session, search_id):
            raise HTTPException(404, f"no saved search #{search_id}")
    return Response(status_code=204)
