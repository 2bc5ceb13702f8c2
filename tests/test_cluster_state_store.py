"""The clustering state in the store: a batch writes the header and the stories it touched; a
store holding an earlier version's one-piece state opens and is rewritten in pieces."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk.models import RawPage
from newsdesk.pipeline.process import ClustererCache, load_clusterer, process_pending
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import articles as article_store
from newsdesk.store import pages as page_store
from newsdesk.stories import retrieval
from newsdesk.stories.clustering import OnlineClusterer
from tests.support import store_at_revision
from tests.test_clustering import V2_STATE

TOPICS = [
    "The city council voted to extend the tram line to the northern suburbs by 2029. Councillors "
    "approved the budget for new rails, depots and twelve low-floor trams after a long debate.",
    "Heavy rain flooded the river valley and forced hundreds of families out of their homes. "
    "Firefighters evacuated villages by boat as the water rose above the dykes overnight.",
    "The national football team won the championship final after a penalty shoot-out in Lisbon. "
    "The goalkeeper saved two kicks and the captain lifted the trophy in front of the fans.",
]


def _page(i: int, topic: str) -> RawPage:
    body = "".join(f"<p>{topic}</p>" for _ in range(3))
    html = f'<html lang="en"><body><article><h1>{topic[:50]} ({i})</h1>{body}</article></body></html>'
    return RawPage(url=f"https://site{i}.example/news/{i}", html=html, outlet=f"site{i}.example")


def _collect(store: Store, settings: Settings, pages: list[RawPage]) -> None:
    with store.session() as session:
        for page in pages:
            page_store.save_raw_page(session, page, datetime.now(UTC))
    process_pending(store, settings)


def _rows(store: Store) -> dict[int, tuple[bytes, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT story_id, data, updated FROM cluster_stories")).all()
    return {story_id: (data, str(updated)) for story_id, data, updated in rows}


def test_a_batch_rewrites_only_the_stories_it_touched(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    settings = replace(Settings(db=store.url), extract_workers=0)
    _collect(store, settings, [_page(i, topic) for i, topic in enumerate(TOPICS)])
    before = _rows(store)
    assert len(before) == 3
    _collect(store, settings, [_page(9, TOPICS[1])])  # one more article on the flood defences
    after = _rows(store)
    changed = {story_id for story_id in after if after[story_id] != before.get(story_id)}
    assert len(changed) == 1 and after.keys() == before.keys()
    # What the store holds rebuilds the clusterer as the run left it.
    clusterer = load_clusterer(store, settings)
    assert clusterer.live_stories == 3 and not clusterer.take_changes().stories
    store.close()


def test_a_store_with_a_one_piece_state_opens_and_is_rewritten_in_pieces(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with store_at_revision(db, "0004") as connection:
        connection.execute(
            text("INSERT INTO cluster_state (id, data, updated) VALUES (1, :data, '2025-12-03 07:00:00')"),
            {"data": V2_STATE.read_bytes()},
        )
    store = Store(f"sqlite:///{db}")
    settings = replace(Settings(db=store.url), extract_workers=0)
    # The old stories are a year older than today's article: keep them all the same.
    settings = replace(settings, cluster=replace(settings.cluster, window_days=None))
    restored = load_clusterer(store, settings)
    assert restored.live_stories == 5  # the stories of the old state
    _collect(store, settings, [_page(1, TOPICS[0])])
    rows = _rows(store)
    assert len(rows) == 6  # the five old stories written out, and the new one
    with store.engine.connect() as connection:
        header = connection.execute(text("SELECT data FROM cluster_state")).scalar_one()
    assert header[:4] == b"NDCH"
    assert load_clusterer(store, settings).live_stories == 6
    store.close()


def test_a_run_saves_the_centroid_index_and_the_next_load_takes_it_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retrieval, "INDEX_FROM", 2)  # the index from two live stories on
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    settings = replace(Settings(db=store.url), extract_workers=0)
    _collect(store, settings, [_page(i, topic) for i, topic in enumerate(TOPICS)])
    with store.session() as session:
        saved = article_store.load_cluster_index(session)
    assert saved is not None
    clusterer = load_clusterer(store, settings)
    finder = clusterer._candidates
    assert finder.semantic is not None and finder.semantic.to_bytes() in saved
    # A run that stores nothing leaves the saved index as it was.
    process_pending(store, settings)
    with store.session() as session:
        assert article_store.load_cluster_index(session) == saved


def test_a_kept_clusterer_is_taken_up_only_while_the_store_holds_its_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    settings = replace(Settings(db=store.url), extract_workers=0)
    loads: list[int] = []
    real = OnlineClusterer.load_parts.__func__  # type: ignore[attr-defined]

    def counted(cls, *args, **kwargs):  # noqa: ANN001, ANN202
        loads.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(OnlineClusterer, "load_parts", classmethod(counted))
    cache = ClustererCache()

    def collect(pages: list[RawPage], kept: ClustererCache | None) -> None:
        with store.session() as session:
            for page in pages:
                page_store.save_raw_page(session, page, datetime.now(UTC))
        process_pending(store, settings, cache=kept)

    collect([_page(i, topic) for i, topic in enumerate(TOPICS)], cache)
    collect([_page(9, TOPICS[1])], cache)
    assert loads == []  # the first run started the state, the second took up the kept clusterer
    collect([_page(10, TOPICS[2])], None)  # another writer (an import) between two runs
    assert len(loads) == 1
    collect([_page(11, TOPICS[0])], cache)
    assert len(loads) == 2  # the store's state is no longer the kept one: loaded again
    # What the kept clusterer did is what a loaded one would do: the same stories.
    kept = cache.clusterer
    assert kept is not None
    loaded = load_clusterer(store, settings)
    assert loaded.dump_header() == kept.dump_header() == cache.header
    with store.session() as session:
        story_of = dict(session.execute(text("SELECT article_id, story_id FROM memberships")).all())
    assert len(story_of) == 6 and len(set(story_of.values())) == 3
