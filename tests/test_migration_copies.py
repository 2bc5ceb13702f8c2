"""Revision 0010 (wire copies, membership evidence): the migrated schema is the models' schema, and
a store of the revision before upgrades on open with its articles originals and without evidence."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from newsdesk.store import Store, queries
from newsdesk.store.database import migrate
from newsdesk.store.schema import Base
from tests.support import store_at_revision


def test_the_migrations_make_the_models_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'head.db'}")
    try:
        migrate(engine)
        with engine.connect() as connection:
            changes = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    # The full-text index's tables are made by hand (SQLite FTS5): no model describes them.
    assert [c for c in changes if "articles_fts" not in str(c)] == []


def test_a_store_before_copies_upgrades_with_originals_and_no_evidence(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with store_at_revision(path, "0009") as connection:
        connection.execute(text("INSERT INTO outlets (id, domain) VALUES (1, 'wire.example')"))
        connection.execute(
            text(
                "INSERT INTO stories (id, first_seen, last_seen, article_count, outlet_count) "
                "VALUES (1, '2025-12-03 06:00:00', '2025-12-03 06:00:00', 1, 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO articles (id, url, canonical_url, outlet_id, title, collected, language, "
                "word_count, reading_time, text) VALUES (1, 'https://wire.example/1', "
                "'https://wire.example/1', 1, 'Talks', '2025-12-03 06:00:00', 'en', 3, 1, 'Some words here')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO memberships (article_id, story_id, similarity, joined) "
                "VALUES (1, 1, 1.0, '2025-12-03 06:00:00')"
            )
        )
    store = Store(f"sqlite:///{path}")
    try:
        with store.session() as session:
            story = queries.story(session, 1)
        assert story is not None and len(story.articles) == 1
        article = story.articles[0]
        assert article.copy_of is None and article.evidence is None and article.copy_signature is None
    finally:
        store.close()
