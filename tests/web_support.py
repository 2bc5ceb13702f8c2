"""Stores for the web tests, built once per test run: the seed fixture, the demo site, a hostile page."""

from __future__ import annotations

import atexit
import json
import shutil
import sqlite3
import tempfile
import warnings
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from fastapi import FastAPI
from sqlalchemy import select

from newsdesk.cli.demo import demo_site
from newsdesk.models import Article, ArticleQuote, EntityMention, Keyword
from newsdesk.settings import load_settings
from newsdesk.store import Store, queries, schema
from newsdesk.store import entities as entity_store
from newsdesk.store.articles import insert_article
from newsdesk.testing.httpserver import FixtureServer
from newsdesk.web import create_app
from tests.support import Cli, require_shared, write_config

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's notice about its HTTP library
    from fastapi.testclient import TestClient

BASE_URL = "http://127.0.0.1"
KREMLIN_FR = "Poutine rencontre Witkoff et Kushner au Kremlin"
_ROOT = Path(tempfile.mkdtemp(prefix="newsdesk-web-tests-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)
_BUILT: dict[str, Path] = {}

HOSTILE_TITLE = "<script>window.__pwned = 'title'</script>Hostile headline"
HOSTILE_TEXT = [
    "An image: <img src=x onerror=\"window.__pwned = 'img'\"> in the text.",
    "A link: <a href=\"javascript:window.__pwned = 'link'\">click me</a> in the text.",
    "Plain words about hostile markup so the search finds it.",
]
HOSTILE_URL = "javascript:window.__pwned='href'"
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned='entity'\">Evil Name"
HOSTILE_QUOTE = "<script>window.__pwned='quote'</script> a hostile quote"
HOSTILE_KEYWORD = "<b onmouseover=\"window.__pwned='keyword'\">keyword</b>"


def _collect(name: str, site: Path, extra: str = "") -> Path:
    """Collect a folder's feeds (its ``feeds.opml``) from a local server into a new store (``extra``:
    more settings)."""
    if name in _BUILT:
        return _BUILT[name]
    folder = _ROOT / name
    folder.mkdir()
    db = folder / f"{name}.db"
    with FixtureServer(site) as server:
        opml = folder / "feeds.opml"
        opml.write_text(server.substitute((site / "feeds.opml").read_text("utf-8")), "utf-8")
        cli = Cli(db, write_config(folder, extra), lang="fr")
        cli("feeds", "import", str(opml))
        cli("fetch")
    _BUILT[name] = db
    return db


def seed_db() -> Path:
    """The seed fixture (``../shared/seed/site``) collected into a store; skips when it is absent."""
    return _collect("seed", require_shared("seed", "site"))


def demo_db() -> Path:
    """The bundled demo site collected into a store."""
    return _collect("demo", demo_site())


# Stories met through the first encoder and shared names only, as before the cross-lingual vector.
MONOLINGUAL = "[cluster]\ncrosslingual = false\n"


def steering_demo_db() -> Path:
    """The demo collected with ``MONOLINGUAL`` settings: its German port-strike report is a story of its
    own (story 4), next to the port strike's other reports (story 2), which the steering tests merge."""
    return _collect("demo-monolingual", demo_site(), MONOLINGUAL)


def hostile_db() -> Path:
    """A store holding an article built to run script if anything rendered it as HTML."""
    if "hostile" in _BUILT:
        return _BUILT["hostile"]
    folder = _ROOT / "hostile"
    folder.mkdir()
    records = folder / "hostile.jsonl"
    text = "\n\n".join(HOSTILE_TEXT)
    record = {"url": "https://hostile.example/story", "title": HOSTILE_TITLE, "text": text}
    records.write_text(json.dumps(record) + "\n", "utf-8")
    db = folder / "hostile.db"
    cli = Cli(db, write_config(folder), lang="en")
    cli("import", str(records))
    store = Store(f"sqlite:///{db}")
    with store.session() as session:
        insert_article(
            session,
            Article(
                url=HOSTILE_URL,
                canonical_url=HOSTILE_URL,
                outlet="hostile.example",
                title="<img src=x onerror=\"window.__pwned='second'\">Second hostile article",
                lede="<svg onload=\"window.__pwned='svg'\"></svg>",
                byline="<b onmouseover=\"window.__pwned='byline'\">bold</b>",
                published=None,
                collected=datetime.now(UTC),
                paragraphs=["Hostile markup in a paragraph <script>window.__pwned='p'</script>."],
                language="en",
            ),
            None,
        )
    _hostile_annotations(store)
    store.close()
    _BUILT["hostile"] = db
    return db


def _hostile_annotations(store: Store) -> None:
    """A hostile entity (name and alias), quote (speaker and text) and keyword in the hostile story."""
    with store.session() as session:
        article_id, story_id = session.execute(
            select(schema.Membership.article_id, schema.Membership.story_id)
        ).first()
        article = queries.article(session, article_id)
        assert article is not None
        article.mentions = [EntityMention(HOSTILE_NAME, 0, 5, "PERSON", "spacy", 0.9)]
        article.quotes = [ArticleQuote(HOSTILE_QUOTE, 10, 20, HOSTILE_NAME, direct=True, speaker_mention=0)]
        entity_store.save_annotations(session, article, datetime.now(UTC))
        entity = SimpleNamespace(key="person:evil", name=HOSTILE_NAME, type="PERSON", aliases=[HOSTILE_NAME])
        ids = entity_store.upsert_entities(session, [entity])
        mention = session.scalar(select(schema.Mention.id).where(schema.Mention.text == HOSTILE_NAME))
        entity_store.point_mentions(session, {mention: ids["person:evil"]})
        entity_store.refresh_speakers(session, [article_id])
        entity_store.save_story_keywords(session, story_id, [Keyword(HOSTILE_KEYWORD, 1.0)])


def copy_of(db: Path, folder: Path) -> Path:
    """A private copy of a built store, for a test that changes it."""
    target = folder / db.name
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return target


def make_app(db: Path, lang: str = "fr", web: dict[str, object] | None = None, **options: object) -> FastAPI:
    """The web application over a store, as ``newsdesk serve`` builds it (``web``: changed web settings)."""
    settings = load_settings(config=write_config(db.parent), db=str(db), reader_lang=lang)
    settings = replace(settings, web=replace(settings.web, **(web or {})))
    return create_app(settings, **options)  # type: ignore[arg-type]


def client(db: Path, lang: str = "fr", web: dict[str, object] | None = None, **options: object) -> TestClient:
    """An httpx client talking to the application in-process."""
    return TestClient(make_app(db, lang, web, **options), base_url=BASE_URL)
