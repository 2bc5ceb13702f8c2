"""Linking across batches: each committed batch links the stories it touched again, over the
mentions stored for their earlier members, and entities meet by key across stories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import WorkItem, load_clusterer, process_batch
from newsdesk.settings import EntitySettings, Settings
from newsdesk.store import Store, schema
from newsdesk.store import entities as entity_store

TALKS = [
    "Russian President Vladimir Putin met U.S. special envoy Steve Witkoff at the Kremlin in Moscow on "
    "Tuesday. Kremlin aide Yuri Ushakov told reporters that territorial issues were discussed.",
    '"Some American proposals are acceptable to Moscow, while others are not," Ushakov told reporters.',
]
SURNAME_ONLY = [
    "The Kremlin talks with Witkoff and Kushner on the Ukraine plan lasted five hours, officials said.",
    '"Territorial issues were discussed specifically," Ushakov said after the Kremlin talks.',
]


def _item(url: str, title: str, paragraphs: list[str], hours: int) -> WorkItem:
    published = datetime(2025, 12, 3, 6, 0, tzinfo=timezone(timedelta(hours=3))) + timedelta(hours=hours)
    extracted = Extracted(url=url, canonical_url=url, title=title, paragraphs=paragraphs, published=published)
    page = RawPage(url=url, html="", outlet=url.split("/")[2], collected=datetime.now(UTC))
    return WorkItem(None, page, extracted)


def test_a_later_batch_relinks_the_story_and_reuses_entities(tmp_path: Path) -> None:
    settings = replace(Settings(db=str(tmp_path / "inc.db")), embed_batch=8)
    store = Store(settings.db_url)
    clusterer = load_clusterer(store, settings)
    title = "Putin's aide Ushakov on five-hour Kremlin talks with Witkoff and Kushner"
    process_batch(store, clusterer, [_item("https://wire.example/a", title, TALKS, 0)], settings)
    with store.session() as session:
        first = {e.key: e.id for e in entity_store.entities(session)}
    assert "person:iuri-usakov" in first

    # the second batch names Ushakov by his surname only: re-linked with the stored full name
    process_batch(store, clusterer, [_item("https://other.example/b", title, SURNAME_ONLY, 2)], settings)
    with store.session() as session:
        story_ids = set(session.scalars(select(schema.Membership.story_id)))
        assert len(story_ids) == 1, "both articles should be one story"
        ushakov = [e for e in entity_store.entities(session) if e.key == "person:iuri-usakov"]
        assert len(ushakov) == 1 and ushakov[0].id == first["person:iuri-usakov"]
        assert ushakov[0].articles == 2 and set(ushakov[0].outlets) == {"wire.example", "other.example"}
        speakers = {
            q.speaker_entity_id for q in entity_store.story_quotes(session, story_ids.pop()) if q.direct
        }
        assert speakers == {ushakov[0].id}
        unused = session.scalar(
            select(func.count(schema.Entity.id)).where(
                ~select(schema.Mention.id).where(schema.Mention.entity_id == schema.Entity.id).exists()
            )
        )
        assert unused == 0
        assert (
            session.scalar(select(func.count(schema.Mention.id)).where(schema.Mention.entity_id.is_(None)))
            == 0
        )
    store.close()


def test_entities_can_be_switched_off(tmp_path: Path) -> None:
    settings = replace(Settings(db=str(tmp_path / "off.db")), entities=EntitySettings(enabled=False))
    store = Store(settings.db_url)
    process_batch(
        store, load_clusterer(store, settings), [_item("https://wire.example/a", "Talks", TALKS, 0)], settings
    )
    with store.session() as session:
        assert session.scalar(select(func.count(schema.Mention.id))) == 0
        assert session.scalar(select(schema.Article.annotated)) is None
    store.close()


FR_TALKS = [
    "Le président russe Vladimir Poutine a reçu l'émissaire américain Steve Witkoff au Kremlin mardi. "
    "Le conseiller Iouri Ouchakov a évoqué les questions territoriales.",
    "L'Autorité de la concurrence n'a pas souhaité commenter.",
]


def _competition_vectors(calls: list[list[str]]):
    """Name vectors for the test: the two names of the competition authority point one way, any
    other name its own."""
    import numpy as np

    def vectors(names):
        calls.append(list(names))
        out = np.zeros((len(names), len(names) + 1), dtype=np.float32)
        for i, name in enumerate(names):
            out[i, 0 if "Competition" in name or "concurrence" in name else i + 1] = 1.0
        return out

    return vectors


def test_a_story_links_names_translated_between_its_languages_unless_switched_off(
    tmp_path: Path, monkeypatch
) -> None:
    import newsdesk.pipeline.entities as pipeline_entities

    english = TALKS + ["The Competition Commission declined to comment."]
    french_title = "Ouchakov : cinq heures de pourparlers au Kremlin entre Poutine, Witkoff et Kushner"
    title = "Putin's aide Ushakov on five-hour Kremlin talks with Witkoff and Kushner"
    for switched_on in (True, False):
        calls: list[list[str]] = []
        monkeypatch.setattr(
            pipeline_entities, "name_vectors", lambda calls=calls: _competition_vectors(calls)
        )
        settings = replace(
            Settings(db=str(tmp_path / f"tr-{switched_on}.db")),
            entities=EntitySettings(translated_names=switched_on),
        )
        store = Store(settings.db_url)
        clusterer = load_clusterer(store, settings)
        items = [
            _item("https://wire.example/a", title, english, 0),
            _item("https://presse.example/b", french_title, FR_TALKS, 1),
        ]
        process_batch(store, clusterer, items, settings)
        with store.session() as session:
            assert len(set(session.scalars(select(schema.Membership.story_id)))) == 1
            found = [
                e.aliases
                for e in entity_store.entities(session)
                if any("Competition" in a or "concurrence" in a for a in e.aliases)
            ]
        store.close()
        if switched_on:
            assert found == [["Competition Commission", "Autorité de la concurrence"]] or found == [
                ["Autorité de la concurrence", "Competition Commission"]
            ], found
        else:
            assert len(found) == 2 and calls == [], found
