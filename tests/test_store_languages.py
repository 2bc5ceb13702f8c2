"""The languages the filters offer: one per language with a headline, read along the index."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from newsdesk.store import Store, browse, schema


def test_languages_are_the_distinct_headline_languages_without_the_wildcard(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'languages.db'}")
    now = datetime(2025, 12, 3, tzinfo=UTC)
    with store.session() as session:
        for story_id, languages in {1: ["en", "fr", "*"], 2: ["uk", "en"], 3: ["de"], 4: []}.items():
            session.add(schema.Story(id=story_id, first_seen=now, last_seen=now))
            for language in languages:
                session.add(schema.StoryHeadline(story_id=story_id, language=language, title="t"))
        session.flush()
        assert browse.languages(session) == ["de", "en", "fr", "uk"]
        plan = " ".join(
            str(row)
            for row in session.execute(
                text("EXPLAIN QUERY PLAN SELECT min(language) FROM story_headlines WHERE language > 'a'")
            )
        )
    assert "ix_story_headlines_language" in plan
    store.close()


def test_no_headline_no_language(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    with store.session() as session:
        assert browse.languages(session) == []
    store.close()
