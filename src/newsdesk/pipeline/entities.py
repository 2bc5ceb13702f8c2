"""Saving named entities, quotes and keywords, and linking entities incrementally.

When a batch is committed, each new article first takes the names its story's other articles
hold (stored, or in the batch) where it has none (``enrich.entities.propagate.story_names``);
then every story it touched is linked again over all its members (the mentions stored for
earlier members and the new ones, with story ids), in the batch's transaction. Entities are
upserted by their deterministic keys, so the same name in another story or a later batch meets
the same row; mentions and quote speakers are re-pointed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from newsdesk.enrich.annotate import link_articles, to_entity_mention, to_mention
from newsdesk.enrich.entities import Mention, combine_keywords
from newsdesk.enrich.entities.propagate import story_names
from newsdesk.enrich.entities.translations import name_vectors
from newsdesk.models import Article, Keyword
from newsdesk.settings import EntitySettings
from newsdesk.store import entities as entity_store


def save_batch(
    session: Session,
    articles: Sequence[Article],
    settings: EntitySettings,
    now: datetime,
    replace: bool = False,
) -> None:
    """Store the mentions, quotes and keywords of a batch's articles (with ``replace``, instead
    of those stored before) and link the entities of the stories they are in."""
    annotated = [a for a in articles if a.id is not None and a.mentions is not None]
    previous: set[int] = set()
    if replace and annotated:
        previous = entity_store.clear_annotations(session, [a.id for a in annotated if a.id is not None])
    stories = {a.story_id for a in annotated if a.story_id is not None}
    take_story_names(session, annotated, stories)
    entity_store.save_all_annotations(session, annotated, now)
    relink_stories(session, stories, settings, previous)


def take_story_names(session: Session, articles: Sequence[Article], story_ids: Iterable[int]) -> None:
    """Complete each article's mentions with the names its story's other articles hold: those
    stored, and those of the other articles of ``articles`` in the same story."""
    story_ids = set(story_ids)
    if not story_ids:
        return
    batch = {a.id for a in articles}
    earlier: dict[int, list[Mention]] = defaultdict(list)
    for member in entity_store.story_mentions(session, story_ids):
        if member.article_id not in batch and member.story_id is not None:
            earlier[member.story_id].extend(to_mention(m) for m in member.mentions)
    found = story_names(
        [(a.text, a.language, a.story_id, [to_mention(m) for m in a.mentions or ()]) for a in articles],
        earlier,
    )
    for article, mentions in zip(articles, found, strict=True):
        article.mentions = [to_entity_mention(m) for m in mentions]


def relink_stories(
    session: Session, story_ids: Iterable[int], settings: EntitySettings, previous: Iterable[int] = ()
) -> None:
    """Link the stored mentions of these stories' members again (translated names too, by their
    cross-lingual vectors, unless ``settings.translated_names`` is off) and save the result;
    refresh the stories' keywords. ``previous``: entities that may have lost mentions (checked
    too)."""
    story_ids = sorted(set(story_ids))
    if not story_ids:
        entity_store.refresh_entities(session, previous)
        return
    members = entity_store.story_mentions(session, story_ids)
    current = {
        mention_id: mention.entity_id
        for member in members
        for mention_id, mention in zip(member.ids, member.mentions, strict=True)
    }
    linking = link_articles(
        [(m.mentions, m.language, m.story_id) for m in members],
        name_vectors() if settings.translated_names else None,
    )
    ids = entity_store.upsert_entities(session, linking.entities)
    entity_of = {
        mention_id: ids[key[:255]] if key else None
        for member, keys in zip(members, linking.links, strict=True)
        for mention_id, key in zip(member.ids, keys, strict=True)
    }
    before = entity_store.point_mentions(session, entity_of, current)
    entity_store.refresh_speakers(session, [m.article_id for m in members])
    entity_store.refresh_entities(session, before | set(ids.values()) | set(previous))
    keywords = entity_store.stories_member_keywords(session, story_ids)
    entity_store.save_all_story_keywords(
        session,
        {
            story_id: [
                Keyword(k.text, k.score)
                for k in combine_keywords(keywords.get(story_id, []), settings.keywords)
            ]
            for story_id in story_ids
        },
    )
