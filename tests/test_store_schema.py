"""The models of ``store/schema.py`` and the migrations describe the same schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from newsdesk.store import Store
from newsdesk.store.database import MIGRATIONS
from newsdesk.store.schema import Base


def _differences(url: str) -> list:
    """What the migrated store and the models disagree on (the full-text index, which SQLite
    makes and the models do not declare, aside)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    return [d for d in found if not (d[0] == "remove_table" and d[1].name.startswith("articles_fts"))]


def test_the_migrations_make_the_models_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).close()
    assert _differences(url) == []


def test_story_steering_migrates_down_and_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0008")
        tables = set(inspect(engine).get_table_names())
        assert not {"story_actions", "story_action_stories"} & tables
        assert "locked" not in {c["name"] for c in inspect(engine).get_columns("stories")}
    finally:
        engine.dispose()
    Store(url).close()
    assert _differences(url) == []
