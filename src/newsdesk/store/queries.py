"""Reading articles, stories and search results back for presentation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import entities, schema
from newsdesk.store.convert import article_from_row

# The statements a story page runs are built once: building a SELECT with its joins cost more than
# running it (0.3-0.6 ms each in SQLAlchemy, against tens of microseconds in SQLite); each run binds
# its values.
_ARTICLES = (
    select(schema.Article, schema.Outlet.domain, schema.Membership.story_id, schema.Membership.evidence)
    .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
    .outerjoin(schema.Membership, schema.Membership.article_id == schema.Article.id)
)
_STORY_MEMBERS = _ARTICLES.where(schema.Membership.story_id == bindparam("story_id"))
_ONE_ARTICLE = _ARTICLES.where(schema.Article.id == bindparam("article_id"))
_STORY_ROW = select(
    schema.Story.id, schema.Story.first_seen, schema.Story.last_seen, schema.Story.keywords
).where(schema.Story.id == bindparam("story_id"))
_HEADLINES = select(
    schema.StoryHeadline.story_id, schema.StoryHeadline.language, schema.StoryHeadline.title
).where(schema.StoryHeadline.story_id.in_(bindparam("story_ids", expanding=True)))
_STORYLINE_OF = select(schema.Story.storyline_id).where(schema.Story.id == bindparam("story_id"))


def _articles(session: Session, where, order=None) -> list[models.Article]:  # noqa: ANN001
    query = _ARTICLES.where(where)
    return _article_rows(session, query if order is None else query.order_by(*order))


def _article_rows(session: Session, query: Select, params: dict | None = None) -> list[models.Article]:
    """The articles a query of ``_ARTICLES`` reads."""
    return [
        article_from_row(row, domain, story_id, evidence)
        for row, domain, story_id, evidence in session.execute(query, params)
    ]


def article(session: Session, article_id: int) -> models.Article | None:
    """One article with its entities, quotes and keywords."""
    found = _article_rows(session, _ONE_ARTICLE, {"article_id": article_id})
    entities.attach(session, found)
    return found[0] if found else None


def article_and_headline(
    session: Session, article_id: int, language: str
) -> tuple[models.Article, str | None] | None:
    """An article (with entities, quotes, keywords) and its story's headline in ``language`` (else
    the story's main headline; None without a story): what a clipping is made of."""
    found = article(session, article_id)
    if found is None:
        return None
    if found.story_id is None:
        return found, None
    titles = headlines(session, [found.story_id]).get(found.story_id, {})
    return found, titles.get(language) or titles.get("*")


def story_articles(session: Session, story_ids: list[int]) -> dict[int, list[models.Article]]:
    """The articles of these stories (with their text, without entities), in order of article id."""
    found: dict[int, list[models.Article]] = {}
    for start in range(0, len(story_ids), 500):
        chunk = story_ids[start : start + 500]
        for item in _articles(session, schema.Membership.story_id.in_(chunk), (schema.Article.id,)):
            found.setdefault(item.story_id or 0, []).append(item)
    return found


def headlines(session: Session, story_ids: list[int]) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(story_ids), 500):
        rows = session.execute(_HEADLINES, {"story_ids": story_ids[start : start + 500]})
        for story_id, language, title in rows:
            result[story_id][language] = title
    return result


def storyline(session: Session, story_id: int) -> list[models.StorylineEntry]:
    """The stories of ``story_id``'s storyline, the first first (empty: it belongs to none)."""
    line = session.scalar(_STORYLINE_OF, {"story_id": story_id})
    if line is None:
        return []
    rows = session.execute(
        select(
            schema.Story.id,
            schema.Story.first_seen,
            schema.Story.last_seen,
            schema.Story.article_count,
            schema.Story.outlet_count,
        )
        .where(schema.Story.storyline_id == line)
        .order_by(schema.Story.first_seen, schema.Story.id)
    ).all()
    titles = headlines(session, [r.id for r in rows])
    return [
        models.StorylineEntry(
            r.id, titles.get(r.id, {}), r.first_seen, r.last_seen, r.article_count, r.outlet_count
        )
        for r in rows
    ]


def publication_order(item: models.Article) -> tuple[datetime, int]:
    return (item.when, item.id or 0)


def story(session: Session, story_id: int) -> models.StoryView | None:
    """One story with its articles (each with entities, quotes and keywords), the story's
    entities, quotes and keywords."""
    row = session.execute(_STORY_ROW, {"story_id": story_id}).first()
    if row is None:
        return None
    members = _article_rows(session, _STORY_MEMBERS, {"story_id": story_id})
    members.sort(key=publication_order)
    # The story's quotes are its articles' quotes: read once for both.
    quotes = entities.story_quotes(session, story_id)
    entities.attach(session, members, quotes)
    return models.StoryView(
        id=row.id,
        headlines=headlines(session, [row.id]).get(row.id, {}),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        articles=members,
        entities=entities.story_entities(session, story_id),
        quotes=quotes,
        keywords=entities.keywords_of(row.keywords),
        storyline=storyline(session, story_id),
    )


def published_since(since: datetime) -> ColumnElement[bool]:
    """Articles published at ``since`` or later; one without a publication date counts from when it
    was collected (the meaning of every ``--since`` and ``period``, see ``newsdesk.periods``). Written
    as two indexed conditions rather than ``coalesce`` so that both indexes serve it."""
    return or_(
        schema.Article.published >= since,
        and_(schema.Article.published.is_(None), schema.Article.collected >= since),
    )


# The same condition for hand-written SQL, over the articles aliased ``a`` and a ``:since`` parameter.
PUBLISHED_SINCE_SQL = "(a.published >= :since OR (a.published IS NULL AND a.collected >= :since))"


def _selection(since: datetime | None, unannotated: bool = False):  # noqa: ANN202
    where = schema.Article.id > 0
    if since is not None:
        where = where & published_since(since)
    if unannotated:
        where = where & schema.Article.annotated.is_(None)
    return where


def article_batch(
    session: Session, after_id: int, since: datetime | None, limit: int, unannotated: bool = False
) -> list[models.Article]:
    """Up to ``limit`` articles with ids above ``after_id`` (published since a time; with
    ``unannotated`` only those whose entities were never computed), in id order."""
    rows = session.execute(
        select(schema.Article, schema.Outlet.domain, schema.Membership.story_id)
        .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
        .outerjoin(schema.Membership, schema.Membership.article_id == schema.Article.id)
        .where(_selection(since, unannotated) & (schema.Article.id > after_id))
        .order_by(schema.Article.id)
        .limit(limit)
    ).all()
    return [article_from_row(row, domain, story_id) for row, domain, story_id in rows]


def count_articles(session: Session, since: datetime | None, unannotated: bool = False) -> int:
    """How many articles ``article_batch`` goes through."""
    return session.scalar(select(func.count(schema.Article.id)).where(_selection(since, unannotated))) or 0


def iter_articles(session: Session, since: datetime | None, batch: int = 500) -> Iterator[models.Article]:
    """Every article (published since a time), in id order, in batches."""
    last_id = 0
    while True:
        found = article_batch(session, last_id, since, batch)
        if not found:
            return
        yield from found
        last_id = found[-1].id or 0


_FTS_SPECIAL = re.compile(r'["*^():]')
# Control characters (NUL among them) and lone surrogates: never part of a word, and neither SQLite's
# query parser nor PostgreSQL accepts every one of them.
_UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Words and phrases one search may hold: each is a term of the full-text query.
MAX_SEARCH_TERMS = 64


class SearchError(ValueError):
    """A search that cannot be run; the message says why and starts with ``search:``."""


def search_text(query: str) -> str:
    """The user's query with control characters and lone surrogates turned into spaces."""
    return _UNSEARCHABLE.sub(" ", query)


def fts_query(query: str) -> str:
    """Turn a user's words into a safe FTS5 query: every word must match,
    quoted phrases are kept, ``OR`` between two words is honoured (repeated,
    leading and trailing ``OR`` are dropped). Operators and punctuation are never
    passed on, so no query is a syntax error. Raises SearchError past
    ``MAX_SEARCH_TERMS`` words and phrases."""
    terms: list[str] = []
    for token in re.findall(r'"[^"]*"?|\S+', search_text(query)):
        if token == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        word = " ".join(_FTS_SPECIAL.sub(" ", token).split())
        if word:
            terms.append(f'"{word}"')
    while terms and terms[-1] == "OR":
        terms.pop()
    words = len(terms) - terms.count("OR")
    if words > MAX_SEARCH_TERMS:
        raise SearchError(f"search: at most {MAX_SEARCH_TERMS} words and phrases (this query has {words})")
    return " ".join(terms)
