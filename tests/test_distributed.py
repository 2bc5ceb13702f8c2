"""The distributed worker engine: batches prepared by a real Celery worker through Redis and RabbitMQ.

Each test uses its own queue (deleted afterwards) and a worker in a thread (solo pool), so runs in
parallel never share work. Skipped when the broker's URL is not set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.models import RawPage
from newsdesk.pipeline.process import ProcessStats, WorkItem, process_pending
from newsdesk.settings import Settings, WorkerSettings, load_settings
from newsdesk.store import Store, queries
from newsdesk.store import pages as page_store
from tests.test_store_postgres import pg_store  # noqa: F401  (the PostgreSQL store fixture)

pytestmark = pytest.mark.timeout(60)

BROKERS = {"redis": "NEWSDESK_TEST_REDIS_URL", "amqp": "NEWSDESK_TEST_AMQP_URL"}
PAGES = 12
BATCH = 4  # the first batch is prepared by the main process, the next two by the worker
EVENTS = [
    "A magnitude 6.1 earthquake struck the coast near Valparaiso, damaging houses and cutting power to "
    "thousands of homes while rescue teams searched collapsed buildings.",
    "The central bank raised its interest rate by half a point to fight inflation, and economists "
    "expect mortgage payments and consumer loans to become more expensive.",
    "The football club sacked its coach after a fifth defeat in a row, and the board said a new manager "
    "would be named before the derby against the city rivals.",
]


def _page(i: int) -> RawPage:
    """Page ``i``: one of three unrelated events, told a little differently by each outlet."""
    event = EVENTS[i % len(EVENTS)]
    body = "".join(
        f"<p>{event} Report {i}, paragraph {k}: officials will say more on Friday.</p>" for k in range(3)
    )
    title = event.split(",")[0]
    html = f'<html lang="en"><body><article><h1>{title} ({i})</h1>{body}</article></body></html>'
    # zero-padded: pages saved at one time are processed in URL order, here their number order
    return RawPage(url=f"https://wire{i:02d}.example/news/{i}", html=html, outlet=f"wire{i:02d}.example")


@pytest.fixture(params=sorted(BROKERS))
def engine(request: pytest.FixtureRequest) -> Iterator[WorkerSettings]:
    """Worker settings for one broker, with a queue of this test's own (deleted afterwards)."""
    variable = BROKERS[request.param]
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{variable} is not set (no {request.param} broker to test)")
    pytest.importorskip("celery", reason="Celery is not installed (pip install -e '.[distributed]')")
    from newsdesk.pipeline.celeryapp import make_app

    workers = WorkerSettings(
        broker=url, queue=f"newsdesk-test-{uuid.uuid4().hex[:12]}", batches_ahead=2, task_time_limit=20.0
    )
    yield workers
    app = make_app(workers)
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
        queue = app.amqp.queues[workers.queue].bind(connection.default_channel)
        queue.declare()  # so that the channel knows its bindings, and deletes them too
        queue.purge()
        queue.delete()
        queue.exchange.delete()
    app.close()


@contextmanager
def running_worker(workers: WorkerSettings) -> Iterator[None]:
    """A Celery worker (solo pool, concurrency 1) in a thread, taking tasks from this test's queue."""
    from celery.contrib.testing.worker import start_worker

    from newsdesk.pipeline.celeryapp import make_app

    app = make_app(workers)
    app.conf.broker_heartbeat = 2  # wakes the AMQP worker's loop every second, so that it stops soon
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=20, queues=[workers.queue]
    ):
        yield
    app.close()


def _store(folder: Path, name: str, store: Store | None = None) -> tuple[Store, Settings]:
    """A store (a new SQLite file unless given) holding the test pages, and settings for it."""
    store = store or Store(f"sqlite:///{folder / name}.db")
    settings = replace(Settings(db=store.url), extract_workers=0, embed_batch=8)
    now = datetime.now(UTC)
    with store.session() as session:
        for i in range(PAGES):
            page_store.save_raw_page(session, _page(i), now)
    return store, settings


def _stories(store: Store) -> list[tuple[str, int | None]]:
    with store.session() as session:
        return sorted((a.canonical_url, a.story_id) for a in queries.iter_articles(session, None))


def _failed(store: Store) -> dict[str, str | None]:
    with store.session() as session:
        return {url: error for url, _, error, _ in page_store.failed_pages(session)}


def test_worker_prepares_the_same_stories_as_local_processing(tmp_path: Path, engine: WorkerSettings) -> None:
    local_store, local_settings = _store(tmp_path, "local")
    local = process_pending(local_store, local_settings, batch_size=BATCH)
    store, settings = _store(tmp_path, "distributed")
    with running_worker(engine):
        distributed = process_pending(store, replace(settings, workers=engine), batch_size=BATCH)
    assert (distributed.stored, distributed.failed, distributed.new_stories) == (
        local.stored,
        local.failed,
        local.new_stories,
    )
    assert local.stored == PAGES
    assert _stories(store) == _stories(local_store)
    assert len({story for _, story in _stories(store)}) == local.new_stories > 1


def test_a_failing_task_fails_its_pages_only(
    tmp_path: Path, engine: WorkerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.pipeline import celeryapp

    doomed = {_page(i).url for i in range(BATCH, 2 * BATCH)}  # the first batch the worker gets
    real = celeryapp.prepare_batch

    def prepare_or_raise(items: Sequence[WorkItem], settings: Settings):  # noqa: ANN202
        if any(item.page.url in doomed for item in items):
            raise RuntimeError("the model server is down")
        return real(items, settings)

    monkeypatch.setattr(celeryapp, "prepare_batch", prepare_or_raise)
    store, settings = _store(tmp_path, "failing")
    with running_worker(engine):
        stats = process_pending(store, replace(settings, workers=engine), batch_size=BATCH)
    assert (stats.stored, stats.failed) == (PAGES - BATCH, BATCH)
    assert _failed(store) == dict.fromkeys(
        doomed, "worker task failed: RuntimeError: the model server is down"
    )
    assert len(_stories(store)) == PAGES - BATCH


def test_a_batch_without_result_in_time_fails_its_pages(tmp_path: Path, engine: WorkerSettings) -> None:
    store, settings = _store(tmp_path, "silent")
    quick = replace(engine, task_time_limit=1.0)  # and no worker listens on the queue
    stats: ProcessStats = process_pending(store, replace(settings, workers=quick), batch_size=BATCH)
    assert (stats.stored, stats.failed) == (BATCH, PAGES - BATCH)
    reasons = set(_failed(store).values())
    assert reasons == {"no result from the workers within 1 s"}
    assert process_pending(store, settings).stored == 0  # failed pages wait for their retry time


def test_worker_command_prepares_the_batches_of_a_run(
    tmp_path: Path, engine: WorkerSettings, request: pytest.FixtureRequest
) -> None:
    """``newsdesk worker`` in its own process; the run stores into PostgreSQL when there is one."""
    postgres = request.getfixturevalue("pg_store") if os.environ.get("NEWSDESK_TEST_POSTGRES_URL") else None
    config = tmp_path / "newsdesk.toml"
    config.write_text(f'[workers]\nbroker = "{engine.broker}"\ntask_time_limit = 15.0\n', encoding="utf-8")
    command = [sys.executable, "-m", "newsdesk", "--config", str(config), "worker"]
    worker = subprocess.Popen(
        [*command, "--pool", "solo", "--queue", engine.queue, "--loglevel", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "C_FORCE_ROOT": "1"},  # CI runs as root; Celery asks for this with pickle
    )
    try:
        store, settings = _store(tmp_path, "command", postgres)
        configured = load_settings(config=config, db=settings.db)
        assert configured.workers.broker == engine.broker
        run = replace(settings, workers=replace(configured.workers, queue=engine.queue))
        stats = process_pending(store, run, batch_size=BATCH)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate(timeout=5)
    assert (stats.stored, stats.failed) == (PAGES, 0), output
    assert worker.returncode == 0, output
    assert len(_stories(store)) == PAGES
