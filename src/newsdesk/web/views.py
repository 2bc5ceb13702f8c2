"""View models: store results shaped for the pages, the API and the feeds."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from newsdesk.enrich.entities.romanise import name_key
from newsdesk.i18n import translations
from newsdesk.models import Article, EntitySummary, Keyword, QuoteMatrix, StoryView
from newsdesk.pipeline.steering import ActionRecord, describe
from newsdesk.present.charts import sparkline, timeline
from newsdesk.present.clipping import Clipping, build_clipping
from newsdesk.present.dates import medium_datetime
from newsdesk.present.review import PressReview, ReviewEntry, build_review, review_clippings
from newsdesk.settings import Settings
from newsdesk.store import Store, browse, queries
from newsdesk.store import images as image_store
from newsdesk.store import steering as steering_store
from newsdesk.web.state import ReadCache, since_for, valid_language

DEFAULT_PERIOD = "24h"


def this_minute() -> int:
    """The minute now, for the keys of reads that are kept at most a minute (a period's start and
    the relative times shown move with the clock)."""
    return int(time.time() // 60)


@dataclass
class StoryListing:
    """One page of ranked stories and what it was asked for."""

    rows: list[browse.StoryRow]
    total: int
    period: str
    widened: bool
    filters: browse.StoryFilters
    sparks: dict[int, Markup] = field(default_factory=dict)
    # The rows as the front page shows them, rendered by the first request that shows them
    # (routes/pages.py).
    rows_html: Markup | None = None


def story_listing(
    store: Store,
    period: str | None,
    language: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    limit: int = 30,
    offset: int = 0,
    reader_lang: str | None = None,
    reads: ReadCache | None = None,
) -> StoryListing:
    """Ranked stories of a period (checked by ``state.checked_period``). With no period chosen, an empty
    last 24 h widens to every story. The sparklines are labelled in ``reader_lang``. With ``reads``,
    the listing is kept while the store is unchanged and for at most a minute (the period's start
    moves with the clock)."""
    if reads is not None:
        key = (
            "listing",
            period,
            language,
            outlet,
            entity,
            limit,
            offset,
            reader_lang,
            this_minute(),
        )
        return reads.get(
            key, lambda: story_listing(store, period, language, outlet, entity, limit, offset, reader_lang)
        )
    chosen = period or None
    now = datetime.now(UTC)
    filters = browse.StoryFilters(
        since_for(chosen or DEFAULT_PERIOD, now),
        valid_language(language),
        outlet or None,
        entity or None,
        name_key(entity) if entity else "",
    )
    widened = False
    with store.session() as session:
        rows = browse.story_rows(session, filters, limit, offset)
        if not rows and chosen is None and offset == 0:
            filters.since, widened = None, True
            rows = browse.story_rows(session, filters, limit, offset)
        total = browse.count_stories(session, filters)
    listing = StoryListing(rows, total, "all" if widened else chosen or DEFAULT_PERIOD, widened, filters)
    for row in rows:
        start = filters.since or row.first_seen
        end = now if filters.since else row.last_seen
        listing.sparks[row.id] = sparkline(row.times, start, end, language=reader_lang)
    return listing


def search_hits(
    store: Store,
    query: str,
    language: str | None,
    outlet: str | None,
    period: str | None,
    limit: int,
    offset: int,
    reads: ReadCache | None = None,
) -> list[browse.Hit]:
    """Full-text search hits (see ``browse.search``); with ``reads``, kept while the store is unchanged
    and for at most a minute (a period's start moves with the clock)."""
    if reads is not None:
        key = ("search", query, language, outlet, period, limit, offset, this_minute())
        return reads.get(key, lambda: search_hits(store, query, language, outlet, period, limit, offset))
    with store.session() as session:
        return browse.search(
            session,
            query,
            language=valid_language(language),
            outlet=outlet or None,
            since=since_for(period),
            limit=limit,
            offset=offset,
        )


@dataclass
class OutletCoverage:
    """One outlet's articles in a story; their clippings are read when opened (``article_clipping``)."""

    outlet: str
    index: int
    items: list[ReviewEntry]


@dataclass
class ReviewPage:
    """A story's press review with what the page adds: the timeline, the coverage by outlet, the quote
    matrix (only the outlets that quote someone, in order of publication), the entities, the keywords."""

    review: PressReview
    timeline: Markup
    coverage: list[OutletCoverage]
    matrix: QuoteMatrix = field(default_factory=QuoteMatrix)
    entities: list[EntitySummary] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    # The outlets' section of the page, rendered by the first request that shows it (routes/pages.py).
    coverage_html: Markup | None = None
    # The story read, kept until the review's clippings are asked for (``with_clippings``): the page
    # shows none of them, the API all.
    story: StoryView | None = field(default=None, repr=False)

    def with_clippings(self, settings: Settings) -> PressReview:
        """The review with every article's clipping, made on first use."""
        if self.story is not None:
            self.review.clippings = review_clippings(self.story, self.review.reader_language, settings.flags)
            self.story = None
        return self.review


def review_page(store: Store, settings: Settings, story_id: int, reader_lang: str) -> ReviewPage | None:
    """A story's press review with its timeline chart, each outlet's articles, who said what and who
    is named."""
    with store.session() as session:
        story = queries.story(session, story_id)
    return None if story is None else _review_page(story, settings, reader_lang)


def _thumbnails(session: Session, settings: Settings, article_ids: list[int]) -> set[int]:
    return image_store.with_thumbnails(session, article_ids) if settings.images.enabled else set()


def cached_review(
    reads: ReadCache, store: Store, settings: Settings, story_id: int, reader_lang: str
) -> ReviewPage | None:
    """``review_page``, kept while the store is unchanged."""
    return reads.get(
        ("review", story_id, reader_lang), lambda: review_page(store, settings, story_id, reader_lang)
    )


def _review_page(story: StoryView, settings: Settings, lang: str) -> ReviewPage:
    review = build_review(story, lang, settings.flags, clippings=False)
    coverage: dict[str, OutletCoverage] = {}
    for entry in review.entries:
        slot = coverage.setdefault(entry.outlet, OutletCoverage(entry.outlet, len(coverage), []))
        slot.items.append(entry)
    points = [(a.outlet, a.when) for a in story.articles]
    chart = timeline(points, list(coverage), lambda t: medium_datetime(t, lang), lang)
    matrix = QuoteMatrix.build(story.quotes, review.outlets)
    matrix.outlets = [o for o in matrix.outlets if any(o in row.outlets for row in matrix.rows)]
    return ReviewPage(
        review, chart, list(coverage.values()), matrix, story.entities, story.keywords, story=story
    )


@dataclass
class StorySteering:
    """The story page's steering panel: the lock, the audit trail (each action with its line) and
    the action just done (``?done=``), when it touched this story."""

    locked: bool
    history: list[tuple[ActionRecord, str]]
    done: str | None = None

    @property
    def undoable(self) -> bool:
        """Whether an action on the story is still in force (and may be undone)."""
        return any(a.action != "undo" and a.undone_by is None for a, _ in self.history)


def story_steering(
    store: Store, story_id: int, done: int | None = None, lang: str | None = None
) -> StorySteering:
    """The lock and the audit trail of a story, and what action ``done`` did, in the reader's
    language."""
    with store.session() as session:
        locked = bool(steering_store.story_locked(session, story_id))
        trail = steering_store.history(session, story_id)
    t = translations(lang)
    just_done = next((describe(a, t) for a in trail if a.id == done), None)
    return StorySteering(locked, [(a, describe(a, t)) for a in trail], just_done)


def merged_into(store: Store, story_id: int) -> int | None:
    """The story a removed story's articles went to: merged into it by an analyst, or moved there by
    the clusterer's second chance (followed while that one is gone too), else None."""
    seen: set[int] = set()
    with store.session() as session:
        survivor = _went_to(session, story_id)
        while survivor is not None and survivor not in seen:
            seen.add(survivor)
            if steering_store.existing_stories(session, [survivor]):
                return survivor
            survivor = _went_to(session, survivor)
    return None


def _went_to(session: Session, story_id: int) -> int | None:
    merged = steering_store.merged_into(session, story_id)
    return merged if merged is not None else steering_store.moved_to(session, story_id)


@dataclass
class ArticlePage:
    clipping: Clipping
    article: Article
    raw_html: str | None
    thumbnails: set[int] = field(default_factory=set)


def article_clipping(
    store: Store, settings: Settings, article_id: int, reader_lang: str
) -> ArticlePage | None:
    """An article's clipping and its stored metadata, without the page it was extracted from."""
    with store.session() as session:
        found = queries.article_and_headline(session, article_id, reader_lang)
        if found is None:
            return None
        article, headline = found
        thumbnails = _thumbnails(session, settings, [article_id])
    clipping = build_clipping(article, headline, reader_lang, settings.flags)
    return ArticlePage(clipping, article, None, thumbnails)


def article_page(store: Store, settings: Settings, article_id: int, reader_lang: str) -> ArticlePage | None:
    """An article's clipping, its stored metadata and the page it was extracted from."""
    page = article_clipping(store, settings, article_id, reader_lang)
    if page is not None:
        with store.session() as session:
            page.raw_html = browse.raw_page_html(session, article_id)
    return page


def clipping_for(store: Store, settings: Settings, article_id: int, reader_lang: str) -> Clipping | None:
    page = article_clipping(store, settings, article_id, reader_lang)
    return page.clipping if page else None


def highlight(snippet: str) -> Markup:
    """A search snippet as HTML: the text escaped, matched words in ``<mark>``."""
    out = escape(snippet)
    return Markup(str(out).replace(browse.MARK_START, "<mark>").replace(browse.MARK_END, "</mark>"))


def plain(snippet: str) -> str:
    return snippet.replace(browse.MARK_START, "").replace(browse.MARK_END, "")
