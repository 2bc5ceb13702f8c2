"""Stores for the alert tests: articles, stories, entities and quotes written directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.models import Article
from newsdesk.settings import Settings, load_settings
from newsdesk.store import Store, schema
from newsdesk.store.articles import add_memberships, insert_article, refresh_outlet_counts

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def alert_config(folder: Path, smtp_port: int = 0, extra: str = "") -> Path:
    """Settings for delivering to 127.0.0.1: private addresses allowed, retries at once."""
    config = folder / "newsdesk.toml"
    config.write_text(
        "[fetch]\nallow_private = true\nconnect_timeout = 5.0\n"
        "[alerts]\nretry_seconds = 0.0\nmax_attempts = 3\ntimeout = 5.0\n"
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port or 25}\nsecurity = "none"\n' + extra,
        encoding="utf-8",
    )
    return config


def settings_for(folder: Path, db: Path, **alerts: object) -> Settings:
    settings = load_settings(config=alert_config(folder), db=str(db), reader_lang="en")
    return replace(settings, alerts=replace(settings.alerts, **alerts))


def add_article(
    store: Store,
    story_id: int,
    outlet: str,
    title: str,
    text: str = "",
    language: str = "en",
    when: datetime | None = None,
) -> int:
    """Store an article as a member of a story (made when new); its id."""
    when = when or NOW - timedelta(hours=2)
    with store.session() as session:
        number = session.query(schema.Article).count() + 1
        url = f"https://{outlet}/news/{number}"
        article = Article(
            url=url,
            canonical_url=url,
            outlet=outlet,
            title=title,
            lede=None,
            byline=None,
            published=when,
            collected=when,
            paragraphs=[text or title],
            language=language,
        )
        article.id = insert_article(session, article, None)
        add_memberships(session, [(article, story_id, 0.9, None)], when)
        refresh_outlet_counts(session, [story_id])
        if session.get(schema.StoryHeadline, (story_id, "*")) is None:
            session.add(
                schema.StoryHeadline(story_id=story_id, language="*", title=title, article_id=article.id)
            )
        return article.id


def name_entity(store: Store, article_id: int, name: str, quote: str | None = None) -> None:
    """Say that an article names ``name`` (an entity), and that it said ``quote`` there."""
    with store.session() as session:
        key = "person:" + "-".join(name.lower().split())
        entity = session.query(schema.Entity).filter_by(key=key).one_or_none()
        if entity is None:
            entity = schema.Entity(key=key, name=name, type="PERSON", aliases=f'["{name}"]', fallback=False)
            session.add(entity)
            session.flush()
        mention = schema.Mention(
            article_id=article_id,
            entity_id=entity.id,
            text=name,
            start=0,
            end=len(name),
            type="PERSON",
            source="spacy",
            confidence=0.9,
        )
        session.add(mention)
        session.flush()
        if quote:
            session.add(
                schema.Quote(
                    article_id=article_id,
                    speaker=name,
                    speaker_mention_id=mention.id,
                    speaker_entity_id=entity.id,
                    text=quote,
                    start=0,
                    end=len(quote),
                    direct=True,
                )
            )
