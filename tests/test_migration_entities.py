"""A store made before entities and quotes (revision 0002) upgrades on open, keeps its articles,
and ``newsdesk reprocess`` then fills their entities, quotes and keywords."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from newsdesk.store.database import MIGRATIONS
from tests.support import Cli, store_at_revision, write_config

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()

TEXTS = [
    "Kremlin aide Yuri Ushakov told reporters the talks with Steve Witkoff lasted five hours.\n"
    '"Some American proposals are acceptable to Russia, while others are not," Ushakov said.',
    "Iouri Ouchakov a reçu Steve Witkoff au Kremlin.\n"
    "« Certaines propositions sont acceptables », a déclaré Iouri Ouchakov à la presse.",
]


def _old_store(path: Path) -> None:
    """A SQLite store at revision 0002 holding two articles of one story."""
    with store_at_revision(path, "0002") as connection:
        connection.execute(text("INSERT INTO outlets (id, domain) VALUES (1, 'wire.example')"))
        connection.execute(
            text(
                "INSERT INTO stories (id, first_seen, last_seen, article_count, outlet_count) "
                "VALUES (1, '2025-12-03 06:00:00', '2025-12-03 07:00:00', 2, 1)"
            )
        )
        for n, (body, language) in enumerate(zip(TEXTS, ("en", "fr"), strict=True), start=1):
            connection.execute(
                text(
                    "INSERT INTO articles (id, url, canonical_url, outlet_id, title, collected, language, "
                    "word_count, reading_time, text) VALUES (:id, :url, :url, 1, :title, "
                    "'2025-12-03 07:00:00', :language, 30, 1, :text)"
                ),
                {
                    "id": n,
                    "url": f"https://wire.example/{n}",
                    "title": f"Talks {n}",
                    "language": language,
                    "text": body,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO memberships (article_id, story_id, similarity, joined) "
                    "VALUES (:id, 1, 1.0, '2025-12-03 07:00:00')"
                ),
                {"id": n},
            )


def test_old_store_upgrades_and_reprocess_fills_entities(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_store(db)
    cli = Cli(db, write_config(tmp_path), lang="en")

    rows = [json.loads(line) for line in cli("export").stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, 2]
    assert all(r["entities"] == [] and r["quotes"] == [] for r in rows)
    assert json.loads(cli("entities", "--json").stdout) == []
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert {"entities", "mentions", "quotes"} <= set(inspect(connection).get_table_names())
    engine.dispose()
    assert json.loads(cli("search", "Ushakov", "--json").stdout)  # full-text search still indexed

    result = cli("reprocess", "--missing")
    assert "2 articles enriched" in result.stdout
    entities = json.loads(cli("entities", "--json").stdout)
    ushakov = next(e for e in entities if e["name"] == "Yuri Ushakov")
    assert ushakov["articles"] == 2 and "Iouri Ouchakov" in ushakov["aliases"]
    quotes = json.loads(cli("quotes", "--story", "1", "--json").stdout)
    assert {q["speaker_entity_id"] for q in quotes if q["direct"]} == {ushakov["id"]}
    assert "0 articles enriched" in cli("reprocess", "--missing").stdout
    review = json.loads(cli("review", "1", "--format", "json").stdout)
    assert review["who_said_what"][0]["speaker"] == "Yuri Ushakov" and review["keywords"]
