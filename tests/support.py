"""Helpers shared by the tests: where the shared fixtures live, running the CLI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine
from typer.testing import CliRunner

from newsdesk.cli.main import app
from newsdesk.enrich.entities import Mention
from newsdesk.store.database import MIGRATIONS

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the repository (or ``NEWSDESK_SHARED``)."""
    return Path(os.environ.get("NEWSDESK_SHARED", REPO.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """A path under ``../shared``, or skip the test with the reason."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared fixtures and evaluation data live beside the repository)")
    return path


def write_config(folder: Path, extra: str = "") -> Path:
    """Settings for collecting from a local test server: loopback allowed, no delays (``extra``: more
    settings, TOML)."""
    config = folder / "newsdesk.toml"
    config.write_text(
        "[fetch]\nallow_private = true\nper_host_delay = 0.0\nper_host_concurrency = 8\n"
        "connect_timeout = 10.0\nread_timeout = 10.0\n" + extra,
        encoding="utf-8",
    )
    return config


class Cli:
    """Runs ``newsdesk`` in-process against one database and config."""

    def __init__(self, db: Path, config: Path, lang: str = "fr") -> None:
        self.base = ["--db", str(db), "--config", str(config), "--lang", lang]
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True):  # noqa: ANN204
        result = self.runner.invoke(app, [*self.base, *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"newsdesk {' '.join(args)} failed:\n{result.output}"
        return result


@contextmanager
def seed_collected(folder: Path, lang: str = "fr") -> Iterator[Cli]:
    """Collect the seed fixture site (``../shared/seed/site``) into a store in ``folder``, served
    locally as its feeds describe it and kept served while the block runs; skip when it is absent."""
    from newsdesk.testing.httpserver import FixtureServer

    site = require_shared("seed", "site")
    with FixtureServer(site) as server:
        opml = folder / "feeds.opml"
        opml.write_text(server.substitute((site / "feeds.opml").read_text("utf-8")), "utf-8")
        cli = Cli(folder / "seed.db", write_config(folder), lang=lang)
        cli("feeds", "import", str(opml))
        cli("fetch")
        yield cli


@contextmanager
def store_at_revision(path: Path, revision: str) -> Iterator[Connection]:
    """A SQLite store migrated up to ``revision`` only (a store an earlier release made), open
    for the caller to fill in one transaction."""
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            yield connection
    finally:
        engine.dispose()


def spacy_mention(text: str, name: str, type_: str) -> Mention:
    """A model's mention of the first ``name`` in ``text``."""
    start = text.index(name)
    return Mention(name, start, start + len(name), type_, "spacy", 0.8, "X")
