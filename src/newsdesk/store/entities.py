"""Named entities, mentions, quotes and keywords: writing them and reading them back.

Offsets of mentions and quotes are into ``articles.text`` (the body, paragraphs joined by "\\n").
Entities are keyed by the linker's deterministic key, so the same name met in two batches or two
stories is one row; see docs/entities.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement, Row, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.database import insert_ids

MAX_ALIASES = 40


class EntityLike(Protocol):
    key: str
    name: str
    type: str
    aliases: list[str]


@dataclass
class StoredMentions:
    """The stored mentions of one story member, in text order, with their row ids."""

    article_id: int
    language: str | None
    story_id: int | None
    ids: list[int]
    mentions: list[models.EntityMention]


def _keywords_json(keywords: Sequence[models.Keyword] | None) -> str | None:
    if keywords is None:
        return None
    return json.dumps([[k.text, k.score] for k in keywords], ensure_ascii=False)


def _keywords(data: str | None) -> list[models.Keyword]:
    return [models.Keyword(text, score) for text, score in json.loads(data)] if data else []


# --- writing -----------------------------------------------------------------------------------


def save_annotations(session: Session, article: models.Article, now: datetime) -> None:
    """Store an article's mentions, quotes and keywords (``article.id`` set, mentions computed)."""
    save_all_annotations(session, [article], now)


def save_all_annotations(session: Session, articles: Sequence[models.Article], now: datetime) -> None:
    """Store the mentions, quotes and keywords of articles (``id`` set, mentions computed; the
    others are left out): a statement per table for them all."""
    annotated = [a for a in articles if a.id is not None and a.mentions is not None]
    if not annotated:
        return
    mentions = [
        {
            "article_id": article.id,
            "entity_id": None,
            "text": m.text[:512],
            "start": m.start,
            "end": m.end,
            "type": m.type,
            "source": m.source,
            "confidence": m.confidence,
            "label": m.label or None,
            "lemma": m.lemma,
        }
        for article in annotated
        for m in article.mentions or ()
    ]
    mention_ids = insert_ids(session, schema.Mention.__table__, mentions)
    quotes_rows = []
    first = 0  # the article's first mention in mention_ids
    for article in annotated:
        count = len(article.mentions or ())
        own = mention_ids[first : first + count]
        first += count
        for q in article.quotes or ():
            quotes_rows.append(
                {
                    "article_id": article.id,
                    "speaker": (q.speaker or None) and q.speaker[:512],
                    "speaker_mention_id": (own[q.speaker_mention] if q.speaker_mention is not None else None),
                    "speaker_entity_id": None,
                    "text": q.text,
                    "cue": (q.cue or None) and q.cue[:128],
                    "start": q.start,
                    "end": q.end,
                    "direct": q.direct,
                    "speaker_start": q.speaker_start,
                    "speaker_end": q.speaker_end,
                }
            )
    if quotes_rows:
        session.execute(insert(schema.Quote.__table__), quotes_rows)
    table = schema.Article.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("article"))
        .values(keywords=bindparam("new_keywords"), annotated=bindparam("new_annotated")),
        [
            {"article": a.id, "new_keywords": _keywords_json(a.keywords), "new_annotated": now}
            for a in annotated
        ],
    )


def clear_annotations(session: Session, article_ids: Sequence[int]) -> set[int]:
    """Delete the quotes and mentions of these articles (before computing them again);
    returns the entities those mentions pointed to."""
    entity_ids = set(
        session.scalars(
            select(schema.Mention.entity_id).where(
                schema.Mention.article_id.in_(article_ids) & schema.Mention.entity_id.is_not(None)
            )
        )
    )
    session.execute(delete(schema.Quote).where(schema.Quote.article_id.in_(article_ids)))
    session.execute(delete(schema.Mention).where(schema.Mention.article_id.in_(article_ids)))
    return entity_ids


def story_mentions(session: Session, story_ids: Iterable[int]) -> list[StoredMentions]:
    """The stored mentions of every member of these stories, article by article."""
    ids = list(set(story_ids))
    members = session.execute(
        select(schema.Membership.article_id, schema.Article.language, schema.Membership.story_id)
        .join(schema.Article, schema.Article.id == schema.Membership.article_id)
        .where(schema.Membership.story_id.in_(ids))
        .order_by(schema.Membership.article_id)
    ).all()
    found = {a: StoredMentions(a, lang, story, [], []) for a, lang, story in members}
    # Plain rows, not ORM objects: a batch's stories hold thousands of mentions.
    rows = session.execute(
        select(*schema.Mention.__table__.columns)
        .where(schema.Mention.article_id.in_(list(found)))
        .order_by(schema.Mention.id)
    )
    for row in rows:
        item = found[row.article_id]
        item.ids.append(row.id)
        item.mentions.append(_mention(row))
    return list(found.values())


def _mention(row: schema.Mention | Row, entity: str | None = None) -> models.EntityMention:
    return models.EntityMention(
        row.text,
        row.start,
        row.end,
        row.type,
        row.source,
        row.confidence,
        row.label or "",
        row.lemma,
        row.entity_id,
        entity,
    )


def _latin(text: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


def upsert_entities(session: Session, entities: Sequence[EntityLike]) -> dict[str, int]:
    """Insert or update entities by key; returns their ids by key.

    An existing entity keeps its name unless the new one is Latin-script and the old is not
    (known names, ``alias:``/``country:``, always take the linker's); a specific type replaces
    OTHER; aliases are merged, those already known first. New entities are inserted in one
    statement, in the order met; changed ones updated in another."""
    table = schema.Entity.__table__
    keys = [e.key[:255] for e in entities]
    wanted = list(dict.fromkeys(keys))
    stored: dict[str, int] = {}  # key: id
    rows: dict[str, dict] = {}  # key: name, type and aliases, as they will be stored
    for start in range(0, len(wanted), 500):
        found = session.execute(
            select(table.c.id, table.c.key, table.c.name, table.c.type, table.c.aliases).where(
                table.c.key.in_(wanted[start : start + 500])
            )
        )
        for id_, key, name, type_, aliases in found:
            stored[key] = id_
            rows[key] = {"name": name, "type": type_, "aliases": aliases}
    before = {key: dict(row) for key, row in rows.items()}
    new: list[str] = []
    for entity, key in zip(entities, keys, strict=True):
        row = rows.get(key)
        if row is None:
            rows[key] = {
                "name": entity.name[:512],
                "type": entity.type,
                "aliases": json.dumps(entity.aliases[:MAX_ALIASES], ensure_ascii=False),
            }
            new.append(key)
            continue
        known = key.startswith(("alias:", "country:"))
        if known or (_latin(entity.name) and not _latin(row["name"])):
            row["name"] = entity.name[:512]
        if row["type"] == "OTHER":
            row["type"] = entity.type
        aliases = json.loads(row["aliases"] or "[]")
        aliases += [a for a in entity.aliases if a not in aliases]
        row["aliases"] = json.dumps(aliases[:MAX_ALIASES], ensure_ascii=False)
    ids = dict(stored)
    if new:
        inserted = insert_ids(session, table, [{"key": key, "fallback": True, **rows[key]} for key in new])
        ids.update(zip(new, inserted, strict=True))
    changed = [
        {
            "entity": stored[key],
            "new_name": row["name"],
            "new_type": row["type"],
            "new_aliases": row["aliases"],
        }
        for key, row in rows.items()
        if key in stored and row != before[key]
    ]
    if changed:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("entity"))
            .values(name=bindparam("new_name"), type=bindparam("new_type"), aliases=bindparam("new_aliases")),
            changed,
        )
    return ids


def point_mentions(
    session: Session, entity_of: Mapping[int, int | None], current: Mapping[int, int | None] | None = None
) -> set[int]:
    """Point mentions (by id) to entities; returns the entities they pointed to before.
    ``current``: the entity each of these mentions points to now, when the caller read it
    already (otherwise it is read here).

    Only the mentions whose entity changes are written, in one executemany by primary key."""
    if current is None:
        ids = list(entity_of)
        read: dict[int, int | None] = {}
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(schema.Mention.id, schema.Mention.entity_id).where(
                    schema.Mention.id.in_(ids[start : start + 500])
                )
            )
            read.update((mention_id, entity_id) for mention_id, entity_id in rows)
        current = read
    before = {entity_id for entity_id in current.values() if entity_id is not None}
    changed = [
        {"mention": mention_id, "new_entity": entity_id}
        for mention_id, entity_id in entity_of.items()
        if mention_id in current and current[mention_id] != entity_id
    ]
    if changed:
        table = schema.Mention.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("mention")).values(entity_id=bindparam("new_entity")),
            changed,
        )
    return before


def refresh_speakers(session: Session, article_ids: Sequence[int]) -> None:
    """Each quote's speaker entity is the entity of the mention naming its speaker."""
    entity = (
        select(schema.Mention.entity_id)
        .where(schema.Mention.id == schema.Quote.speaker_mention_id)
        .scalar_subquery()
    )
    for start in range(0, len(article_ids), 500):
        session.execute(
            update(schema.Quote)
            .where(schema.Quote.article_id.in_(article_ids[start : start + 500]))
            .values(speaker_entity_id=entity)
        )


def refresh_entities(session: Session, entity_ids: Iterable[int]) -> None:
    """Mark entities found only by the fallback rules; delete those no mention points to."""
    ids = list(set(entity_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        model_found = exists().where(
            (schema.Mention.entity_id == schema.Entity.id) & (schema.Mention.source != "fallback")
        )
        session.execute(
            update(schema.Entity).where(schema.Entity.id.in_(chunk)).values(fallback=~model_found)
        )
        used = exists().where(schema.Mention.entity_id == schema.Entity.id)
        session.execute(delete(schema.Entity).where(schema.Entity.id.in_(chunk) & ~used))


def stories_member_keywords(
    session: Session, story_ids: Iterable[int]
) -> dict[int, list[list[models.Keyword]]]:
    """The stored keywords of these stories' members (those with any), in order of article id."""
    ids = sorted(set(story_ids))
    found: dict[int, list[list[models.Keyword]]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(schema.Membership.story_id, schema.Article.keywords)
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
            .where(schema.Membership.story_id.in_(ids[start : start + 500]))
            .order_by(schema.Article.id)
        )
        for story_id, data in rows:
            found.setdefault(story_id, []).append(_keywords(data))
    return found


def save_story_keywords(session: Session, story_id: int, keywords: Sequence[models.Keyword]) -> None:
    save_all_story_keywords(session, {story_id: keywords})


def save_all_story_keywords(session: Session, keywords: Mapping[int, Sequence[models.Keyword]]) -> None:
    """Set stories' keywords, ``{story id: keywords}``, in one statement."""
    if not keywords:
        return
    table = schema.Story.__table__
    session.execute(
        update(table).where(table.c.id == bindparam("story")).values(keywords=bindparam("new_keywords")),
        [{"story": story_id, "new_keywords": _keywords_json(found)} for story_id, found in keywords.items()],
    )


# --- reading -----------------------------------------------------------------------------------


def attach(
    session: Session,
    articles: Sequence[models.Article],
    known_quotes: Sequence[models.QuoteView] | None = None,
) -> None:
    """Fill the mentions (with their entities' names), quotes and keywords of stored articles;
    ``known_quotes``, when given, are their quotes as ``quotes`` reads them (not read again)."""
    by_id = {a.id: a for a in articles if a.id is not None}
    if not by_id:
        return
    ids = list(by_id)
    for article_id, data, annotated in session.execute(_ANNOTATIONS, {"ids": ids}):
        article = by_id[article_id]
        article.keywords = _keywords(data) if annotated else None
        article.mentions = [] if annotated else None
        article.quotes = [] if annotated else None
    # Plain rows, not ORM objects: a story's articles hold hundreds of mentions.
    for row in session.execute(_ARTICLE_MENTIONS, {"ids": ids}):
        found = by_id[row.article_id].mentions
        if found is not None:
            found.append(_mention(row, row.entity_name))
    if known_quotes is None:
        known_quotes = [models.QuoteView(*row) for row in session.execute(_ARTICLE_QUOTES, {"ids": ids})]
    for quote in known_quotes:
        if quote.article_id not in by_id:
            continue
        found_quotes = by_id[quote.article_id].quotes
        if found_quotes is not None:
            found_quotes.append(
                models.ArticleQuote(
                    quote.text,
                    quote.start,
                    quote.end,
                    quote.speaker,
                    cue=quote.cue,
                    direct=quote.direct,
                    speaker_entity_id=quote.speaker_entity_id,
                    speaker_entity=quote.speaker_entity,
                )
            )


_MENTION_COLUMNS = tuple(
    getattr(schema.Mention, name)
    for name in ("id", "article_id", "text", "start", "end", "type", "source", "confidence", "label", "lemma")
) + (schema.Mention.entity_id,)

# The statements a story page runs are built once, their values bound at each run: building a SELECT
# with its joins cost more than running it (see ``queries``).
_ANNOTATIONS = select(schema.Article.id, schema.Article.keywords, schema.Article.annotated).where(
    schema.Article.id.in_(bindparam("ids", expanding=True))
)
_ARTICLE_MENTIONS = (
    select(*_MENTION_COLUMNS, schema.Entity.name.label("entity_name"))
    .outerjoin(schema.Entity, schema.Entity.id == schema.Mention.entity_id)
    .where(schema.Mention.article_id.in_(bindparam("ids", expanding=True)))
    .order_by(schema.Mention.id)
)
_QUOTES = (
    # The columns of models.QuoteView, in its order.
    select(
        schema.Quote.speaker,
        schema.Quote.speaker_entity_id,
        schema.Quote.article_id,
        schema.Outlet.domain,
        schema.Article.language,
        schema.Quote.text,
        schema.Quote.cue,
        schema.Quote.start,
        schema.Quote.end,
        schema.Quote.direct,
        schema.Membership.story_id,
        schema.Entity.name,
    )
    .join(schema.Article, schema.Article.id == schema.Quote.article_id)
    .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
    .outerjoin(schema.Membership, schema.Membership.article_id == schema.Article.id)
    .outerjoin(schema.Entity, schema.Entity.id == schema.Quote.speaker_entity_id)
    .order_by(
        func.coalesce(schema.Article.published, schema.Article.collected),
        schema.Article.id,
        schema.Quote.start,
    )
)
_ARTICLE_QUOTES = _QUOTES.where(schema.Quote.article_id.in_(bindparam("ids", expanding=True)))
_STORY_QUOTES = _QUOTES.where(schema.Membership.story_id == bindparam("story_id"))


def quotes(session: Session, where: ColumnElement[bool] | None = None) -> list[models.QuoteView]:
    """Stored quotes (matching ``where``) with their article's outlet, language and story, in
    order of the article's publication, then of the text."""
    query = _QUOTES if where is None else _QUOTES.where(where)
    return [models.QuoteView(*row) for row in session.execute(query)]


def story_quotes(session: Session, story_id: int) -> list[models.QuoteView]:
    """The quotes of a story's articles."""
    return [models.QuoteView(*row) for row in session.execute(_STORY_QUOTES, {"story_id": story_id})]


def speaker_quotes(
    session: Session, name: str, key: str = "", story_id: int | None = None
) -> list[models.QuoteView]:
    """Quotes whose speaker is an entity named ``name`` (see ``entities_named``), or whose unresolved
    speaker holds ``name`` as whole words."""
    named = entities_named(session, name, key)
    where = schema.Quote.speaker_entity_id.in_(named) if named else None
    # Unresolved speakers: a substring scan picks candidates, whole words decide ("EU" is not "Reuters").
    pattern = f"%{' '.join(name.split())}%"
    loose = schema.Quote.speaker_entity_id.is_(None) & schema.Quote.speaker.ilike(pattern)
    where = loose if where is None else or_(where, loose)
    if story_id is not None:
        where = where & (schema.Membership.story_id == story_id)
    words = _words(name)
    return [
        q
        for q in quotes(session, where)
        if q.speaker_entity_id in named or _holds(words, _words(q.speaker or ""))
    ]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _holds(words: list[str], within: list[str]) -> bool:
    """Whether ``words`` appear in ``within`` one after the other."""
    size = len(words)
    return any(within[i : i + size] == words for i in range(len(within) - size + 1))


def entities_named(session: Session, name: str, key: str = "") -> list[int]:
    """Entities whose name or an alias holds ``name`` as whole words, in any case ("Ushakov",
    "Ouchakov", "Yuri Ushakov"), or whose key holds the spelling key ``key`` as whole words
    ("usakov" for "Uschakow"). "EU" is not "Reuters"."""
    words = _words(name)
    if not words:
        return []
    key_words = key.split()
    # A substring scan of the entities (not of the articles) picks candidates; plain LIKE is
    # case-insensitive for ASCII in SQLite and more than twice as fast as ILIKE's lower().
    sqlite = session.get_bind().dialect.name == "sqlite"
    pattern = f"%{' '.join(name.split())}%"
    columns = (schema.Entity.name, schema.Entity.aliases)
    where = or_(*(c.like(pattern) if sqlite else c.ilike(pattern) for c in columns))
    if key_words:
        where = or_(where, schema.Entity.key.like(f"%{'-'.join(key_words)}%"))
    found = []
    rows = session.execute(
        select(schema.Entity.id, schema.Entity.name, schema.Entity.aliases, schema.Entity.key).where(where)
    )
    for entity_id, entity_name, aliases, entity_key in rows:
        forms = [entity_name, *json.loads(aliases or "[]")]
        by_key = bool(key_words) and _holds(key_words, entity_key.partition(":")[2].split("-"))
        if by_key or any(_holds(words, _words(form)) for form in forms):
            found.append(entity_id)
    return sorted(found)


# Counted by the database per (entity, outlet); an article has one outlet, so the distinct articles of
# an entity add up over its outlets.
_ENTITY_COUNTS = (
    select(
        schema.Mention.entity_id,
        schema.Outlet.domain,
        func.count(),
        func.count(schema.Mention.article_id.distinct()),
        schema.Entity.fallback,
    )
    .join(schema.Entity, schema.Entity.id == schema.Mention.entity_id)
    .join(schema.Article, schema.Article.id == schema.Mention.article_id)
    .join(schema.Outlet, schema.Outlet.id == schema.Article.outlet_id)
    .group_by(schema.Mention.entity_id, schema.Outlet.domain, schema.Entity.fallback)
)
_STORY_ENTITY_COUNTS = _ENTITY_COUNTS.join(
    schema.Membership, schema.Membership.article_id == schema.Article.id
).where(schema.Membership.story_id == bindparam("story_id"))
_ENTITY_ROWS = select(
    schema.Entity.id,
    schema.Entity.key,
    schema.Entity.name,
    schema.Entity.type,
    schema.Entity.aliases,
    schema.Entity.fallback,
).where(schema.Entity.id.in_(bindparam("ids", expanding=True)))


def entities(
    session: Session, story_id: int | None = None, limit: int | None = None
) -> list[models.EntitySummary]:
    """Entities with their mentions, articles and mentions per outlet (of one story, or of the
    whole store): those a model found first, then those only the fallback rules found (marked
    ``fallback``), each the most mentioned first."""
    query, params = (
        (_ENTITY_COUNTS, None) if story_id is None else (_STORY_ENTITY_COUNTS, {"story_id": story_id})
    )
    mentions: dict[int, int] = defaultdict(int)
    articles: dict[int, int] = defaultdict(int)
    outlets: dict[int, dict[str, int]] = defaultdict(dict)
    guessed: set[int] = set()
    for entity_id, outlet, count, distinct_articles, fallback in session.execute(query, params):
        mentions[entity_id] += count
        articles[entity_id] += distinct_articles
        outlets[entity_id][outlet] = count
        if fallback:
            guessed.add(entity_id)
    # confident entities first: those a model found, then those only the fallback rules found
    ranked = sorted(mentions, key=lambda e: (e in guessed, -articles[e], -mentions[e], e))[:limit]
    rows = {
        row.id: row
        for start in range(0, len(ranked), 500)
        for row in session.execute(_ENTITY_ROWS, {"ids": ranked[start : start + 500]})
    }
    return [
        models.EntitySummary(
            id=e,
            key=rows[e].key,
            name=rows[e].name,
            type=rows[e].type,
            aliases=json.loads(rows[e].aliases or "[]"),
            fallback=rows[e].fallback,
            mentions=mentions[e],
            articles=articles[e],
            outlets=dict(sorted(outlets[e].items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for e in ranked
    ]


def story_entities(session: Session, story_id: int) -> list[models.EntitySummary]:
    """The entities of one story with counts by outlet, those in the most articles first."""
    return entities(session, story_id)


def quote_matrix(session: Session, story_id: int) -> models.QuoteMatrix:
    """Who said what in a story: speaker × outlet, each quote in its outlet's language."""
    return models.QuoteMatrix.build(story_quotes(session, story_id))


def story_keywords(session: Session, story_id: int) -> list[models.Keyword]:
    """The stored keywords of a story."""
    return _keywords(session.scalar(select(schema.Story.keywords).where(schema.Story.id == story_id)))


def keywords_of(data: str | None) -> list[models.Keyword]:
    """Keywords as stored in ``stories.keywords`` or ``articles.keywords`` (JSON), read back."""
    return _keywords(data)
