"""Processing stored pages: batches, worker extraction, failures, duplicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.models import FeedEntry, RawPage
from newsdesk.pipeline import process
from newsdesk.pipeline.process import process_pending
from newsdesk.settings import Settings
from newsdesk.store import Store, queries
from newsdesk.store import pages as page_store

TOPICS = ["tram line", "flood defences", "school budget", "harbour dredging", "bus depot"]


def _page(i: int) -> RawPage:
    topic = TOPICS[i % len(TOPICS)]
    body = "".join(
        f"<p>Councillors in district {i} debated the {topic} on Monday evening. Paragraph {k} adds that the "
        f"vote on the {topic} was postponed to next month after residents asked for more time to comment.</p>"
        for k in range(4)
    )
    html = (
        f'<html lang="en"><body><article><h1>District {i} and the {topic}</h1>{body}</article></body></html>'
    )
    return RawPage(url=f"https://council.example/news/{i}", html=html, outlet="council.example")


@pytest.mark.parametrize(
    ("workers", "warm"),
    [(0, False), (1, False), (1, True)],
    ids=["inline", "worker-process", "worker-process-models-loaded"],
)
def test_every_pending_page_is_processed_across_batches(
    tmp_path: Path, workers: int, warm: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the models loaded already, every batch goes to the workers; else the first is prepared here.
    monkeypatch.setattr(process, "embedding_model_loaded", lambda: warm)
    settings = replace(Settings(db=str(tmp_path / "p.db")), extract_workers=workers)
    store = Store(settings.db_url)
    now = datetime.now(UTC)
    with store.session() as session:
        for i in range(70):
            page_store.save_raw_page(session, _page(i), now)
        page_store.save_raw_page(
            session, RawPage(url="https://council.example/empty", html="<html></html>"), now
        )
        copy = replace(_page(3), url="https://council.example/news/3?utm_source=rss")
        page_store.save_raw_page(session, copy, now)
    stats = process_pending(store, settings, batch_size=16)
    assert (stats.stored, stats.failed, stats.duplicates) == (70, 1, 1)
    with store.session() as session:
        assert len(list(queries.iter_articles(session, None))) == 70
        assert [status for _, status, _, _ in page_store.failed_pages(session)] == ["failed"]
    assert process_pending(store, settings).stored == 0  # nothing left pending


def _processed(folder: Path, name: str, save_order: list[int]) -> list[tuple[str, int | None]]:
    """Save the pages in ``save_order`` (as responses come back) and process them: each
    article's URL and story, in article id order."""
    store = Store(f"sqlite:///{folder / name}.db")
    settings = replace(Settings(db=store.url), extract_workers=0)
    fetched = datetime.now(UTC)
    with store.session() as session:
        for i in save_order:
            page = replace(
                _page(i), entry=FeedEntry(url=_page(i).url, published=datetime(2025, 12, 3, i, tzinfo=UTC))
            )
            page_store.save_raw_page(session, page, fetched)
    process_pending(store, settings, batch_size=4)
    with store.session() as session:
        rows = [(a.url, a.story_id) for a in sorted(queries.iter_articles(session, None), key=lambda a: a.id)]
    store.close()
    return rows


def test_pages_are_processed_in_publication_order_whatever_came_back_first(tmp_path: Path) -> None:
    in_order = _processed(tmp_path, "a", list(range(10)))
    shuffled = _processed(tmp_path, "b", [7, 2, 9, 0, 5, 3, 8, 1, 6, 4])
    assert [url for url, _ in in_order] == [_page(i).url for i in range(10)]
    assert shuffled == in_order  # same article ids, same stories


def _batch_sizes(store: Store, settings: Settings, batch_size: int, spread: int = 0) -> list[int]:
    order = process._pending_order(store, settings)
    return [len(batch) for batch in process._pending_batches(store, order, batch_size, spread=spread)]


def test_a_short_run_is_cut_into_two_batches_per_worker(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    settings = Settings(db=store.url)
    with store.session() as session:
        for i in range(150):
            page_store.save_raw_page(session, _page(i), datetime.now(UTC))
    assert _batch_sizes(store, settings, 64, spread=2) == [38, 38, 38, 36]
    assert _batch_sizes(store, settings, 64) == [64, 64, 22]
    store.close()


def test_a_longer_run_is_cut_into_a_multiple_of_the_workers(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    settings = Settings(db=store.url)
    with store.session() as session:
        for i in range(299):
            page_store.save_raw_page(session, _page(i), datetime.now(UTC))
    # Not 64, 64, 64, 64 and 43 (one worker alone at the end) but six.
    assert _batch_sizes(store, settings, 64, spread=2) == [50, 50, 50, 50, 50, 49]
    store.close()


def test_each_local_worker_has_a_second_batch_queued() -> None:
    pool, parallel, ahead = process._worker_pool(replace(Settings(), extract_workers=2))
    assert pool is not None
    pool.shutdown()
    assert (parallel, ahead) == (2, 4)
    assert process._worker_pool(replace(Settings(), extract_workers=0)) == (None, 0, 0)
