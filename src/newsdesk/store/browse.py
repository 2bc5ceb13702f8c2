"""Read queries for browsing: ranked story lists, filtered search, light article lists, sources.

They read only the columns a listing needs (no body text, no embeddings), so the
web pages stay fast on large stores.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, Select, case, distinct, func, select, text
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.convert import decompress_html, with_offset
from newsdesk.store.entities import entities_named
from newsdesk.store.queries import (
    PUBLISHED_SINCE_SQL,
    fts_query,
    headlines,
    publication_order,
    published_since,
    search_text,
    story_articles,
)

# Highlight marks around matched words in search snippets (Unicode private use characters).
MARK_START, MARK_END = "\ue000", "\ue001"


@dataclass
class StoryRow:
    """One story of a listing, with what its row shows."""

    id: int
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlet_count: int
    language_count: int
    headlines: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)

    def headline(self, language: str) -> str:
        return self.headlines.get(language) or self.headlines.get("*") or ""


@dataclass
class ArticleRow:
    """An article without its text: enough for a list or a feed entry."""

    id: int
    url: str
    title: str | None
    lede: str | None
    outlet: str
    language: str | None
    published: datetime | None
    collected: datetime
    story_id: int | None
    reading_time: int

    @property
    def when(self) -> datetime:
        return self.published or self.collected


@dataclass
class Hit:
    """A search result; the snippet marks matches with ``MARK_START`` / ``MARK_END``."""

    article_id: int
    title: str | None
    outlet: str
    language: str | None
    published: datetime | None
    collected: datetime
    snippet: str
    score: float
    story_id: int | None


@dataclass
class OutletRow:
    id: int
    domain: str
    name: str | None
    articles: int
    recent: int
    last_article: datetime | None


@dataclass
class StoryFilters:
    """What a story listing is narrowed to; ``None`` leaves a filter out.

    ``mentions`` is a name: stories with an entity so named (see ``entities_named``; ``mention_key``
    is the name's spelling key, e.g. "usakov" for "Uschakow"), else, when no entity is so named,
    stories whose articles hold the words."""

    since: datetime | None = None
    language: str | None = None
    outlet: str | None = None
    mentions: str | None = None
    mention_key: str = ""
    entity_ids: list[int] | None = field(default=None, repr=False)  # resolved once, on first use


def _story_where(session: Session, query: Select, filters: StoryFilters) -> Select:
    if filters.since is not None:
        query = query.where(schema.Story.last_seen >= filters.since)
    if filters.language:
        query = query.where(
            select(schema.Membership.article_id)
            .join(schema.Article, schema.Article.id == schema.Membership.article_id)
            .where(schema.Membership.story_id == schema.Story.id, schema.Article.language == filters.language)
            .exists()
        )
    if filters.outlet:
        query = query.where(
            select(schema.Membership.article_id)
            .join(schema.Article, schema.Article.id == schema.Membership.article_id)
            .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
            .where(schema.Membership.story_id == schema.Story.id, schema.Outlet.domain == filters.outlet)
            .exists()
        )
    if filters.mentions:
        query = query.where(_naming(session, filters))
    return query


def _naming(session: Session, filters: StoryFilters) -> ColumnElement[bool]:
    """Stories with a mention of an entity named ``filters.mentions``; full text when none is."""
    if filters.entity_ids is None:
        filters.entity_ids = entities_named(session, filters.mentions or "", filters.mention_key)
    if not filters.entity_ids:
        return schema.Story.id.in_(_stories_mentioning(session, filters.mentions or ""))
    members = (
        select(schema.Membership.story_id)
        .join(schema.Mention, schema.Mention.article_id == schema.Membership.article_id)
        .where(schema.Mention.entity_id.in_(filters.entity_ids))
    )
    return schema.Story.id.in_(members)


def _stories_mentioning(session: Session, words: str, limit: int = 5000) -> list[int]:
    """Stories with an article whose title, lede or text holds these words (full-text)."""
    match = fts_query(words)
    if not match:
        return []
    if session.get_bind().dialect.name == "sqlite":
        sql = (
            "SELECT DISTINCT m.story_id FROM articles_fts "
            "JOIN memberships m ON m.article_id = articles_fts.rowid WHERE articles_fts MATCH :q LIMIT :limit"
        )
        return list(session.scalars(text(sql), {"q": match, "limit": limit}))
    sql = (
        f"SELECT DISTINCT m.story_id FROM articles a JOIN memberships m ON m.article_id = a.id "
        f"WHERE {_PG_VECTOR} @@ websearch_to_tsquery('simple', :q) LIMIT :limit"
    )
    return list(session.scalars(text(sql), {"q": search_text(words), "limit": limit}))


def count_stories(session: Session, filters: StoryFilters) -> int:
    """How many stories a listing with these filters holds."""
    query = _story_where(session, select(func.count()).select_from(schema.Story), filters)
    return session.scalar(query) or 0


def story_rows(session: Session, filters: StoryFilters, limit: int = 30, offset: int = 0) -> list[StoryRow]:
    """Stories ranked by number of outlets, then of languages, then recency, with their rows' details."""
    # A correlated count keeps the plan on the stories' last_seen index: only the period's stories count.
    languages = (
        select(func.count(distinct(schema.Article.language)))
        .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
        .where(schema.Membership.story_id == schema.Story.id)
        .scalar_subquery()
        .label("languages")
    )
    query = (
        select(
            schema.Story.id,
            schema.Story.first_seen,
            schema.Story.last_seen,
            schema.Story.article_count,
            schema.Story.outlet_count,
            languages,
        )
        .order_by(schema.Story.outlet_count.desc(), languages.desc(), schema.Story.last_seen.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = [StoryRow(*row) for row in session.execute(_story_where(session, query, filters))]
    _fill_details(session, rows)
    return rows


def story_views(session: Session, filters: StoryFilters, limit: int = 30) -> list[models.StoryView]:
    """The stories of ``story_rows`` (the same ranking as the front page) with their articles (text,
    no entities), each in order of publication: what the command line's lists and digests read."""
    rows = story_rows(session, filters, limit)
    members = story_articles(session, [row.id for row in rows])
    return [
        models.StoryView(
            row.id,
            row.headlines,
            row.first_seen,
            row.last_seen,
            sorted(members.get(row.id, []), key=publication_order),
        )
        for row in rows
    ]


def _fill_details(session: Session, rows: list[StoryRow]) -> None:
    """Headlines, languages, outlets (in order of publication) and article times of each row."""
    by_id = {row.id: row for row in rows}
    if not by_id:
        return
    for story_id, titles in headlines(session, list(by_id)).items():
        by_id[story_id].headlines = titles
    members = session.execute(
        select(
            schema.Membership.story_id,
            schema.Article.published,
            schema.Article.collected,
            schema.Article.language,
            schema.Outlet.domain,
        )
        .join(schema.Article, schema.Article.id == schema.Membership.article_id)
        .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
        .where(schema.Membership.story_id.in_(list(by_id)))
    ).all()
    for story_id, published, collected, language, domain in sorted(members, key=lambda m: m[1] or m[2]):
        row = by_id[story_id]
        row.times.append(published or collected)
        if language and language not in row.languages:
            row.languages.append(language)
        if domain not in row.outlets:
            row.outlets.append(domain)


def article_rows(
    session: Session,
    *,
    story_id: int | None = None,
    outlet: str | None = None,
    language: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ArticleRow]:
    """Articles, newest collected first (in order of publication within a story)."""
    query = (
        select(
            schema.Article.id,
            schema.Article.url,
            schema.Article.title,
            schema.Article.lede,
            schema.Outlet.domain,
            schema.Article.language,
            schema.Article.published,
            schema.Article.published_offset,
            schema.Article.collected,
            schema.Membership.story_id,
            schema.Article.reading_time,
        )
        .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
        .outerjoin(schema.Membership, schema.Membership.article_id == schema.Article.id)
    )
    if story_id is not None:
        query = query.where(schema.Membership.story_id == story_id)
        order = [func.coalesce(schema.Article.published, schema.Article.collected), schema.Article.id]
    else:
        order = [schema.Article.collected.desc(), schema.Article.id.desc()]
    if outlet:
        query = query.where(schema.Outlet.domain == outlet)
    if language:
        query = query.where(schema.Article.language == language)
    if since is not None:
        query = query.where(published_since(since))
    rows = session.execute(query.order_by(*order).limit(limit).offset(offset)).all()
    return [
        ArticleRow(
            id=r.id,
            url=r.url,
            title=r.title,
            lede=r.lede,
            outlet=r.domain,
            language=r.language,
            published=with_offset(r.published, r.published_offset),
            collected=r.collected,
            story_id=r.story_id,
            reading_time=r.reading_time,
        )
        for r in rows
    ]


_PG_VECTOR = (
    "(setweight(to_tsvector('simple', coalesce(a.title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(a.lede, '')), 'B') || "
    "to_tsvector('simple', coalesce(a.text, '')))"
)
_SEARCH = (
    "SELECT a.id, a.title, o.domain, a.language, a.published, a.published_offset, a.collected, "
    "{snippet} AS snip, {rank} AS rank, m.story_id FROM {source} JOIN outlets o ON o.id = a.outlet_id "
    "LEFT JOIN memberships m ON m.article_id = a.id WHERE {match}{filters} "
    "ORDER BY rank DESC, a.id DESC LIMIT :limit OFFSET :offset"
)
# On SQLite the page of hits is chosen first, by rank alone, and only its rows are read and given a
# snippet: ``snippet()`` in the ranking query ran for every match before the sort (5,400 matches of
# "government" over 100,000 articles: 45 ms, against 10 ms so; docs/web.md).
_SQLITE_SEARCH = (
    "WITH top AS (SELECT articles_fts.rowid AS id, -bm25(articles_fts, 5.0, 2.0, 1.0) AS rank "
    "FROM articles_fts{joins} WHERE articles_fts MATCH :q{filters} "
    "ORDER BY rank DESC, articles_fts.rowid DESC LIMIT :limit OFFSET :offset) "
    "SELECT a.id, a.title, o.domain, a.language, a.published, a.published_offset, a.collected, "
    f"snippet(articles_fts, -1, '{MARK_START}', '{MARK_END}', '…', 24) AS snip, top.rank, m.story_id "
    "FROM top JOIN articles_fts ON articles_fts.rowid = top.id JOIN articles a ON a.id = top.id "
    "JOIN outlets o ON o.id = a.outlet_id LEFT JOIN memberships m ON m.article_id = a.id "
    "WHERE articles_fts MATCH :q ORDER BY top.rank DESC, a.id DESC"
)
_SQLITE_FILTER_JOINS = " JOIN articles a ON a.id = articles_fts.rowid"
_SQLITE_OUTLET_JOIN = " JOIN outlets o ON o.id = a.outlet_id"
_PG_SEARCH = dict(
    snippet="ts_headline('simple', coalesce(a.lede, '') || ' ' || a.text, "
    "websearch_to_tsquery('simple', :q), "
    f"'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, FragmentDelimiter=…')",
    rank=f"ts_rank({_PG_VECTOR}, websearch_to_tsquery('simple', :q))",
    source="articles a",
    match=f"{_PG_VECTOR} @@ websearch_to_tsquery('simple', :q)",
)


def _utc(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return schema.UTCDateTime().process_result_value(value, None)


def search(
    session: Session,
    query: str,
    *,
    language: str | None = None,
    outlet: str | None = None,
    since: datetime | None = None,
    limit: int = 20,
    offset: int = 0,
    id_range: tuple[int, int] | None = None,
) -> list[Hit]:
    """Full-text search with filters, best first; snippets carry highlight marks. ``id_range``
    (after, upto) keeps the articles whose id is above ``after`` and at most ``upto``."""
    match = fts_query(query)
    if not match:
        return []
    sqlite = session.get_bind().dialect.name == "sqlite"
    params: dict[str, object] = {
        "q": match if sqlite else search_text(query),
        "limit": limit,
        "offset": offset,
    }
    filters = ""
    if language:
        filters += " AND a.language = :language"
        params["language"] = language
    if outlet:
        filters += " AND o.domain = :outlet"
        params["outlet"] = outlet
    if since is not None:
        filters += f" AND {PUBLISHED_SINCE_SQL}"
        params["since"] = schema.UTCDateTime().process_bind_param(since, None)
    if id_range is not None:
        filters += " AND a.id > :after AND a.id <= :upto"
        params["after"], params["upto"] = id_range
    if sqlite:
        joins = (_SQLITE_FILTER_JOINS if filters else "") + (_SQLITE_OUTLET_JOIN if outlet else "")
        sql = _SQLITE_SEARCH.format(joins=joins, filters=filters)
    else:
        sql = _SEARCH.format(filters=filters, **_PG_SEARCH)
    return [
        Hit(
            article_id=r[0],
            title=r[1],
            outlet=r[2],
            language=r[3],
            published=with_offset(_utc(r[4]), r[5]),
            collected=_utc(r[6]),  # type: ignore[arg-type]
            snippet=r[7] or "",
            score=float(r[8]),
            story_id=r[9],
        )
        for r in session.execute(text(sql), params).all()
    ]


def raw_page_html(session: Session, article_id: int) -> str | None:
    """The HTML the article was extracted from, when it was kept."""
    data = session.scalar(
        select(schema.RawPage.html_compressed)
        .join(schema.Article, schema.Article.raw_page_id == schema.RawPage.id)
        .where(schema.Article.id == article_id)
    )
    return decompress_html(data) if data else None


def languages(session: Session) -> list[str]:
    """The languages stories have headlines in.

    Read by skipping along the language index, one lookup per language (a recursive query:
    the next language is the smallest one above the last), where ``DISTINCT`` reads every
    headline: 0.8 against 13 ms over 125,000 headlines."""
    headline = schema.StoryHeadline
    found = (
        select(func.min(headline.language).label("language"))
        .where(headline.language != "*")
        .cte("found", recursive=True)
    )
    following = (
        select(func.min(headline.language))
        .where(headline.language > found.c.language, headline.language != "*")
        .scalar_subquery()
    )
    found = found.union_all(select(following).where(found.c.language.is_not(None)))
    rows = session.scalars(select(found.c.language).where(found.c.language.is_not(None)))
    return sorted(rows)


def outlet_domains(session: Session) -> list[str]:
    return list(session.scalars(select(schema.Outlet.domain).order_by(schema.Outlet.domain)))


class ChangeWatch:
    """Whether the store may have changed since the last look, for caches of small read results.

    On SQLite, ``PRAGMA data_version`` on a connection of the watch's own: its value changes whenever
    another connection (this process's or another's, such as ``newsdesk import``) commits, and reading
    it costs microseconds. Other databases have no such number: ``version`` is None, meaning "read again".
    """

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if path and path != ":memory:" and not path.startswith("file:"):
            self._connection = sqlite3.connect(path, timeout=30, check_same_thread=False)

    def version(self) -> int | None:
        """A number that differs from the last one whenever the store changed; None when unknown."""
        if self._connection is None:
            return None
        with self._lock:
            try:
                return self._connection.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def outlets(session: Session, since: datetime) -> list[OutletRow]:
    """Every outlet with its article count, articles since a time, and its newest article."""
    recent = func.sum(case((schema.Article.collected >= since, 1), else_=0))
    rows = session.execute(
        select(
            schema.Outlet.id,
            schema.Outlet.domain,
            schema.Outlet.name,
            func.count(schema.Article.id),
            recent,
            func.max(schema.Article.collected),
        )
        .outerjoin(schema.Article, schema.Article.outlet_id == schema.Outlet.id)
        .group_by(schema.Outlet.id)
        .order_by(schema.Outlet.domain)
    ).all()
    return [OutletRow(r[0], r[1], r[2], r[3], r[4] or 0, r[5]) for r in rows]


def feed_article_counts(session: Session, since: datetime) -> dict[int, int]:
    """Articles collected per feed since a time."""
    rows = session.execute(
        select(schema.Article.feed_id, func.count())
        .where(schema.Article.collected >= since, schema.Article.feed_id.is_not(None))
        .group_by(schema.Article.feed_id)
    ).all()
    return {feed_id: count for feed_id, count in rows}
