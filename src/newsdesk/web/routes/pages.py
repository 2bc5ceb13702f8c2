"""Reading pages: stories (the front page), a story's press review, an article, search, help."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from newsdesk.present.flags import language_flag
from newsdesk.store import browse, searches
from newsdesk.store import images as image_store
from newsdesk.web import views
from newsdesk.web.rawtext import page_text
from newsdesk.web.render import fragment, page, redirect, translator
from newsdesk.web.state import (
    MAX_INT,
    RecordId,
    checked_period,
    reader_language,
    web_state,
)

router = APIRouter(include_in_schema=False)


def _choices(request: Request) -> dict[str, object]:
    web = web_state(request)
    languages, outlets = web.choices.get()
    language_options, outlet_options = web.choices.options(
        lambda code: language_flag(code, web.settings.flags)
    )
    return {
        "languages": languages,
        "outlets": outlets,
        "language_options": language_options,
        "outlet_options": outlet_options,
    }


@router.get("/", response_class=HTMLResponse)
async def stories(
    request: Request,
    period: str | None = Depends(checked_period),
    language: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    page_number: int = Query(1, alias="page", ge=1, le=1000),
) -> HTMLResponse:
    """The front page: stories ranked by outlets, languages and recency."""
    web = web_state(request)
    size = web.settings.web.page_size
    offset = (page_number - 1) * size
    lang, _ = reader_language(request)
    listing = views.story_listing(
        web.store, period, language, outlet, entity, size, offset, reader_lang=lang, reads=web.reads
    )
    if listing.rows_html is None:  # rendered once and kept with the listing (one cache entry)
        listing.rows_html = fragment(request, "_story_rows.html", {"listing": listing})
    return page(
        request,
        "stories.html",
        {
            "listing": listing,
            "rows_html": listing.rows_html,
            "page_number": page_number,
            "has_next": page_number * size < listing.total,
            "filters": {"language": language or "", "outlet": outlet or "", "entity": entity or ""},
            **_choices(request),
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story(
    request: Request, story_id: RecordId, done: int | None = Query(None, ge=1, le=MAX_INT)
) -> Response:
    """A story's press review, with the analyst's panel (merge, split, move, rename, lock, undo,
    history); a story merged into another leads to that one."""
    web = web_state(request)
    lang, _ = reader_language(request)
    review = views.cached_review(web.reads, web.store, web.settings, story_id, lang)
    if review is None:
        if (survivor := views.merged_into(web.store, story_id)) is not None:
            return redirect(f"/stories/{survivor}")
        raise HTTPException(404, translator(request).gettext("no story #%(id)d") % {"id": story_id})
    steer = web.reads.get(
        ("steering", story_id, done, lang), lambda: views.story_steering(web.store, story_id, done, lang)
    )
    if review.coverage_html is None:  # rendered once and kept with the review (one cache entry)
        review.coverage_html = fragment(request, "_coverage.html", {"page": review})
    context = {"page": review, "review": review.review, "steer": steer, "coverage_html": review.coverage_html}
    return page(request, "story.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article(request: Request, article_id: RecordId) -> HTMLResponse:
    """An article's clipping, metadata and the text of the page it came from."""
    web = web_state(request)
    lang, _ = reader_language(request)
    found = views.article_page(web.store, web.settings, article_id, lang)
    if found is None:
        raise HTTPException(404, translator(request).gettext("no article #%(id)d") % {"id": article_id})
    raw = page_text(found.raw_html) if found.raw_html else None
    return page(
        request,
        "article.html",
        {"found": found, "c": found.clipping, "a": found.article, "raw": raw, "thumbnails": found.thumbnails},
    )


@router.get("/articles/{article_id}/clipping", response_class=HTMLResponse)
async def article_clipping(request: Request, article_id: RecordId) -> HTMLResponse:
    """An article's clipping alone, as HTML for a page to insert: the story page shows its articles'
    titles and reads a clipping when it is opened (``static/app.js``; without scripts, each title
    links to its article's page). Kept while the store is unchanged."""
    web = web_state(request)
    lang, _ = reader_language(request)

    def render() -> Markup | None:
        found = views.article_clipping(web.store, web.settings, article_id, lang)
        if found is None:
            return None
        return fragment(request, "_clipping.html", {"c": found.clipping, "thumbnails": found.thumbnails})

    html = web.reads.get(("clipping", article_id, lang), render)
    if html is None:
        raise HTTPException(404, translator(request).gettext("no article #%(id)d") % {"id": article_id})
    return HTMLResponse(html, headers={"Vary": "Accept-Language, Cookie"})


@router.get("/articles/{article_id}/image")
async def article_image(request: Request, article_id: RecordId) -> Response:
    """An article's lead image as the thumbnail newsdesk keeps (never the outlet's own file)."""
    web = web_state(request)
    with web.store.session() as session:
        found = image_store.thumbnail(session, article_id) if web.settings.images.enabled else None
    if found is None:
        raise HTTPException(
            404, translator(request).gettext("no image for article #%(id)d") % {"id": article_id}
        )
    content_type, data = found
    return Response(data, media_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    q: str = "",
    language: str | None = None,
    outlet: str | None = None,
    period: str | None = Depends(checked_period),
    page_number: int = Query(1, alias="page", ge=1, le=1000),
) -> HTMLResponse:
    """Full-text search with filters, highlighted snippets and pages."""
    web = web_state(request)
    size = web.settings.web.page_size
    lang, _ = reader_language(request)
    hits: list[browse.Hit] = []
    hits_html = None
    offset = (page_number - 1) * size
    if q.strip():
        hits = views.search_hits(web.store, q, language, outlet, period, size + 1, offset, reads=web.reads)
    if q:  # as the page shows them: once per search, reader language and minute (times are relative)
        key = ("search hits", q, language, outlet, period, size, offset, lang, views.this_minute())
        hits_html = web.reads.get(
            key,
            lambda: fragment(
                request, "_search_hits.html", {"q": q, "hits": hits[:size], "highlight": views.highlight}
            ),
        )

    def read_saved() -> list[searches.SavedSearch]:
        with web.store.session() as session:
            return searches.list_searches(session)

    saved = web.reads.get("saved searches", read_saved)  # kept while the store is unchanged
    return page(
        request,
        "search.html",
        {
            "q": q,
            "hits_html": hits_html,
            "has_next": len(hits) > size,
            "page_number": page_number,
            "filters": {"language": language or "", "outlet": outlet or "", "period": period or "all"},
            "saved": saved,
            **_choices(request),
        },
    )


@router.get("/help", response_class=HTMLResponse)
async def help_page(request: Request) -> HTMLResponse:
    """Keyboard shortcuts and what each page shows."""
    return page(request, "help.html")
