"""The store on PostgreSQL: migrations, articles, stories and search (skipped without a server)."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import WorkItem, load_clusterer, process_batch
from newsdesk.settings import Settings
from newsdesk.store import Store, browse, queries

URL = os.environ.get("NEWSDESK_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="NEWSDESK_TEST_POSTGRES_URL is not set (no PostgreSQL to test)"
)


@pytest.fixture
def pg_store():
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")
    import sqlalchemy as sa

    schema = f"newsdesk_test_{uuid.uuid4().hex[:8]}"
    base = URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    store = Store(f"{base}?options=-csearch_path%3D{schema}")
    yield store
    store.close()
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _item(url: str, title: str, paragraphs: list[str], hours: int) -> WorkItem:
    published = datetime(2025, 12, 3, 6, 0, tzinfo=timezone(timedelta(hours=3))) + timedelta(hours=hours)
    extracted = Extracted(url=url, canonical_url=url, title=title, paragraphs=paragraphs, published=published)
    return WorkItem(
        None, RawPage(url=url, html="", outlet="wire.example", collected=datetime.now(UTC)), extracted
    )


def test_pipeline_store_on_postgresql(pg_store: Store, tmp_path) -> None:
    settings = replace(Settings(db=pg_store.url), embed_batch=8)
    clusterer = load_clusterer(pg_store, settings)
    talks = [
        "Russian presidential aide Yury Ushakov said the talks with Steve Witkoff and Jared Kushner at the "
        "Kremlin lasted five hours and that territorial issues were discussed.",
        "Ushakov told reporters that some American proposals were acceptable to Moscow "
        "while others were not.",
    ]
    stats = process_batch(
        pg_store,
        clusterer,
        [
            _item("https://wire.example/a", "Putin meets Witkoff and Kushner in the Kremlin", talks, 0),
            _item("https://wire.example/b", "Kremlin talks on Ukraine plan last five hours", talks[::-1], 2),
        ],
        settings,
    )
    assert stats.stored == 2
    with pg_store.session() as session:
        hits = browse.search(session, "Ushakov")
        story = queries.story(session, 1)
        article = queries.article(session, hits[0].article_id)
        languages = browse.languages(session)
    assert {h.article_id for h in hits} == {1, 2}
    assert f"{browse.MARK_START}Ushakov{browse.MARK_END}" in hits[0].snippet
    assert story is not None and len(story.articles) == 2
    assert article is not None and article.published.utcoffset() == timedelta(hours=3)
    assert languages == ["en"]


def test_story_steering_on_postgresql(pg_store: Store) -> None:
    from newsdesk.pipeline import steering

    settings = replace(Settings(db=pg_store.url), embed_batch=8)
    clusterer = load_clusterer(pg_store, settings)
    harbour = ["Dock workers in Saltmere walked out on Monday, halting container traffic at the port."]
    baking = ["A young baker from Lyon won the regional contest for the best baguette on Sunday."]
    process_batch(
        pg_store,
        clusterer,
        [
            _item("https://wire.example/strike", "Port strike halts Saltmere", harbour, 0),
            _item("https://wire.example/bread", "Baker wins baguette contest", baking, 1),
        ],
        settings,
    )
    merged = steering.merge(pg_store, settings, 1, [2], "analyst", "test")
    split = steering.split(pg_store, settings, 1, [2], "analyst")
    new_story = split.changes.created[0]["id"]
    assert new_story == 3
    steering.lock(pg_store, settings, new_story, "analyst")
    with pg_store.session() as session:
        assert [a.id for a in queries.story(session, new_story).articles] == [2]
    process_batch(
        pg_store,
        clusterer,
        [_item("https://wire.example/bread-2", "Baker wins baguette contest", baking, 2)],
        settings,
    )
    with pg_store.session() as session:
        assert [a.id for a in queries.story(session, new_story).articles] == [2]
    for _ in range(3):
        steering.undo(pg_store, settings, "analyst")
    with pg_store.session() as session:
        assert [a.id for a in queries.story(session, 2).articles] == [2]
    trail = steering.history(pg_store)
    assert [a.action for a in trail] == ["merge", "split", "lock", "undo", "undo", "undo"]
    assert trail[0].id == merged.id and trail[0].undone_by == trail[-1].id
