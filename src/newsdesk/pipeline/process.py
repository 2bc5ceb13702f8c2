"""Processing: extract → enrich → dedupe → stories → store, one batch per transaction.

A batch is committed whole (articles, memberships, headlines, entities, quotes,
keywords, the clusterer's state and the raw pages' status together), so an interrupted run loses nothing
already stored and the next run takes up the pages still pending.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import chain, islice
from typing import Any, NamedTuple, Protocol

from newsdesk.dedupe import CopyIndex, CopyMatch, deduplicate, fingerprint, mark_copies, sign
from newsdesk.dedupe.copies import Signature, order_key
from newsdesk.enrich import enrich, load_models
from newsdesk.enrich.embeddings import embedding_model_loaded
from newsdesk.extract import ExtractionError, NotAnArticle, extract_page
from newsdesk.models import Article, Extracted, RawPage
from newsdesk.pipeline.entities import relink_stories
from newsdesk.pipeline.entities import save_batch as save_entities
from newsdesk.pipeline.second_chance import apply_moves
from newsdesk.pipeline.steering import catch_up, cluster_doc, refresh_headlines
from newsdesk.pipeline.storylines import link_storylines
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import articles as article_store
from newsdesk.store import pages as page_store
from newsdesk.store import steering as steering_store
from newsdesk.stories.clustering import Moved, OnlineClusterer

FIRST_BATCH = 16
# Pages per batch at most: small enough that committing starts soon and the last commit is short.
BATCH_SIZE = 32
# Batches per worker extracted by one process while this one loads the models (about the
# pages one process extracts in that time).
EARLY_BATCHES_PER_WORKER = 6
PARENT_CHECK_SECONDS = 0.5  # how soon a worker notices that the process it serves is gone


@dataclass
class WorkItem:
    """A page to process: stored raw page (id) or an imported record."""

    page_id: int | None
    page: RawPage
    extracted: Extracted | None = None


@dataclass
class ProcessStats:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    new_stories: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # pages that are not articles (home pages, section fronts)
    copies: int = 0  # articles stored as wire copies of an earlier one
    moved: int = 0  # articles that started a story, moved to another later (second chance)

    def add(self, other: ProcessStats) -> None:
        self.copies += other.copies
        self.moved += other.moved
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.new_stories += other.new_stories
        self.errors.extend(other.errors)
        self.skipped += other.skipped


@dataclass
class ClustererCache:
    """The clusterer a long-running command (``run``) keeps from one :func:`process_pending` to
    the next, and the state header it saved last. It is taken up again only while the store
    holds that very header: another writer (an ``import`` between two rounds) or a batch that
    failed means the state is loaded from the store again."""

    clusterer: OnlineClusterer | None = None
    header: bytes | None = None

    def take(self, store: Store) -> OnlineClusterer | None:
        """The kept clusterer if the store's state is still the one it saved (else None); the
        cache is empty afterwards until :meth:`keep`."""
        clusterer, header = self.clusterer, self.header
        self.clusterer = self.header = None
        if clusterer is None or header is None:
            return None
        with store.session() as session:
            stored = article_store.load_cluster_header(session)
        return clusterer if stored == header else None

    def keep(self, clusterer: OnlineClusterer) -> None:
        """Keep the clusterer after a run that ended well (its state is the store's)."""
        self.clusterer, self.header = clusterer, clusterer.dump_header()


def load_clusterer(store: Store, settings: Settings) -> OnlineClusterer:
    """The clusterer as the last committed batch left it."""
    with store.session() as session:
        state = article_store.load_cluster_state(session)
        index = article_store.load_cluster_index(session) if state else None
    window, threshold = settings.cluster.window_days, settings.cluster.threshold
    if state:
        header, stories = state
        return OnlineClusterer.load_parts(
            header, stories, window_days=window, threshold=threshold, index=index
        )
    return OnlineClusterer(window_days=window, threshold=threshold)


def save_clusterer_index(store: Store, clusterer: OnlineClusterer) -> None:
    """Keep the clusterer's centroid indexes for the next :func:`load_clusterer` (nothing while
    it has none: under 10,000 live stories it scans instead)."""
    snapshot = clusterer.index_snapshot()
    if snapshot is None:
        return
    with store.session() as session:
        article_store.save_cluster_index(session, snapshot, datetime.now(UTC))


def load_copy_index(store: Store, settings: Settings) -> CopyIndex:
    """The wire-copy index over the signed articles collected in the last ``copies.window_days``."""
    index = CopyIndex(settings.copies)
    since = datetime.now(UTC) - timedelta(days=settings.copies.window_days)
    with store.session() as session:
        rows = article_store.copy_rows(session, since)
        loaded = {row.article_id for row in rows}
        originals = {row.copy_of for row in rows if row.copy_of is not None} - loaded
        times = article_store.article_times(session, originals)
    for row in rows:
        index.add(row.article_id, Signature.from_bytes(row.signature), row.collected, row.copy_of)
        if row.copy_of is None:
            index.know_original(row.article_id, order_key(row.published, row.collected, row.article_id))
    for original, (published, collected) in times.items():
        index.know_original(original, order_key(published, collected, original))
    return index


def _copy_steps(session, new: Sequence[Article], matches: Sequence[CopyMatch | None]) -> dict[int, int]:  # noqa: ANN001
    """Record the batch's copies in order (a group's new original takes over its members), and
    return, for each copy and new original, the article whose story it follows."""
    follows: dict[int, int] = {}
    for article, match in zip(new, matches, strict=True):
        if match is None or article.id is None:
            continue
        if match.replaced is not None:
            article_store.replace_original(session, match.replaced, article.id)
            follows[article.id] = match.replaced
        elif match.copy_of is not None:
            article_store.set_copy_of(session, article.id, match.copy_of)
            follows[article.id] = match.copy_of
    return follows


class Extraction(NamedTuple):
    """One item's extraction: the text, or why there is none (``skipped`` when the page is not
    an article, which is recorded and never retried, unlike a failure)."""

    extracted: Extracted | None
    error: str | None
    skipped: bool = False


def extract_items(items: Sequence[WorkItem]) -> list[Extraction]:
    """Extract every item that needs it: ``(extracted, None)`` or ``(None, error)``.

    A plain function over plain data, so that it can run in a worker process."""
    results: list[Extraction] = []
    for item in items:
        if item.extracted is not None:
            results.append(Extraction(item.extracted, None))
            continue
        try:
            results.append(Extraction(extract_page(item.page), None))
        except NotAnArticle as exc:
            results.append(Extraction(None, exc.reason, skipped=True))
        except ExtractionError as exc:
            results.append(Extraction(None, str(exc)))
        except Exception as exc:  # a page must never stop the others
            results.append(
                Extraction(
                    None, f"{item.page.url}: extraction failed unexpectedly: {type(exc).__name__}: {exc}"
                )
            )
    return results


def _apply_extraction(
    items: Sequence[WorkItem], results: Sequence[Extraction], stats: ProcessStats
) -> tuple[list[WorkItem], list[tuple[int, str]], list[tuple[int, str]]]:
    """The items ready for enrichment, the failed pages and the skipped ones (page id, reason)."""
    ready: list[WorkItem] = []
    failures: list[tuple[int, str]] = []
    skipped: list[tuple[int, str]] = []
    for item, (extracted, error, not_article) in zip(items, results, strict=True):
        if extracted is not None:
            item.extracted = extracted
            ready.append(item)
            continue
        if not_article:
            stats.skipped += 1
            if item.page_id is not None:
                skipped.append((item.page_id, error or "not an article"))
            continue
        stats.failed += 1
        stats.errors.append(error or f"{item.page.url}: no text")
        if item.page_id is not None:
            failures.append((item.page_id, error or "no text"))
    return ready, failures, skipped


@dataclass
class Prepared:
    """A batch after extraction and enrichment, before anything is stored: plain, picklable
    data, so that it can be prepared in a worker process. ``page_ids[i]`` is the raw page
    of ``articles[i]`` (``None`` for imported records)."""

    articles: list[Article]
    page_ids: list[int | None]
    failures: list[tuple[int, str]]
    stats: ProcessStats
    skipped: list[tuple[int, str]] = field(default_factory=list)  # pages that are not articles


def prepare_batch(
    items: Sequence[WorkItem], settings: Settings, extraction: Sequence[Extraction] | None = None
) -> Prepared:
    """Extract and enrich a batch (language, reading time, embeddings, and named entities,
    quotes and keywords when enabled) and sign it for the wire-copy index; no database access.
    ``extraction``: the batch's ``extract_items`` result, when it was extracted already.

    A plain function over plain data, so that it can run in a worker process while an
    earlier batch is clustered and committed."""
    stats = ProcessStats()
    extraction = extract_items(items) if extraction is None else extraction
    ready, failures, skipped = _apply_extraction(items, extraction, stats)
    articles = enrich(
        [(i.page, i.extracted) for i in ready],  # type: ignore[misc]
        batch_size=settings.embed_batch,
        entities=settings.entities,
        crosslingual=settings.cluster.crosslingual,
    )
    sign(articles, settings.copies)
    return Prepared(articles, [i.page_id for i in ready], failures, stats, skipped)


def commit_batch(
    store: Store,
    clusterer: OnlineClusterer,
    batch: Prepared,
    settings: Settings,
    copies: CopyIndex | None = None,
) -> ProcessStats:
    """Deduplicate, mark wire copies, cluster and store a prepared batch in a single transaction.
    A copy joins the story of the article it copies. ``copies``: the wire-copy index kept across
    batches (``load_copy_index``; loaded for this batch when None).

    If the transaction fails the clusterer and the copy index are ahead of the store: reload them
    with ``load_clusterer`` and ``load_copy_index`` before processing more."""
    stats, now = batch.stats, datetime.now(UTC)
    page_ids = {id(a): page_id for a, page_id in zip(batch.articles, batch.page_ids, strict=True)}
    digests = fingerprint(batch.articles)
    with store.session() as session:
        urls, hashes = article_store.existing_keys(
            session, (a.canonical_url for a in batch.articles), digests
        )
    new, duplicates = deduplicate(batch.articles, urls, hashes)
    if copies is None and settings.copies.enabled:
        copies = load_copy_index(store, settings)
    with store.session() as session:
        ids = article_store.insert_articles(session, [(a, page_ids[id(a)]) for a in new])
        catch_up(session, clusterer)  # the analyst's actions since the last batch, before clustering
        for article, article_id in zip(new, ids, strict=True):
            article.id = article_id
        matches = mark_copies(new, copies) if copies is not None else [None] * len(new)
        follows = _copy_steps(session, new, matches)
        stories = article_store.stories_of(session, set(follows.values()))
        # A copy follows its original, except into a story the analyst locked.
        locked = article_store.locked_stories(session, stories.values())
        members: list[tuple[Article, int, float, dict | None]] = []
        moves: list[Moved] = []
        started: set[int] = set()  # the stories this batch starts
        for article, match in zip(new, matches, strict=True):
            doc = cluster_doc(article, article.id or 0)
            followed = stories.get(follows.get(article.id or 0, 0))
            if match is not None and followed is not None and followed not in locked:
                assignment = clusterer.follow(doc, followed, match.to_dict())
            else:
                assignment = clusterer.add(doc)
                if match is not None and assignment.evidence is not None:
                    assignment.evidence.copy = match.to_dict()
            article.story_id = assignment.story_id
            stories[article.id or 0] = assignment.story_id
            for moved in assignment.moves:  # a copy coming later follows the article where it went
                stories[int(moved.key)] = moved.target
            moves += assignment.moves
            stats.new_stories += int(assignment.new_story)
            if assignment.new_story:
                started.add(assignment.story_id)
            stats.copies += int(article.copy_of is not None)
            evidence = assignment.evidence.to_dict() if assignment.evidence else None
            members.append((article, assignment.story_id, assignment.similarity, evidence))
        article_store.add_memberships(session, members, now)
        shifted = apply_moves(session, moves)
        for article in new:
            article.story_id = shifted.placed.get(article.id or 0, article.story_id)
        touched = ({story_id for _, story_id, _, _ in members} | shifted.targets) - shifted.removed
        steering_store.refresh_spans(session, shifted.targets)
        stats.new_stories -= len(shifted.removed & started)
        stats.moved += len(shifted.placed)
        refresh_headlines(session, touched)
        save_entities(session, new, settings.entities, now)
        if shifted.targets:
            relink_stories(session, shifted.targets, settings.entities)
        article_store.refresh_outlet_counts(session, touched)
        link_storylines(session, touched, settings.storylines)
        changes = clusterer.take_changes()
        article_store.save_cluster_state(session, changes.header, changes.stories, changes.removed, now)
        statuses = [(page_ids[id(a)], page_store.DONE, None) for a in new]
        statuses += [
            (page_ids[id(a)], page_store.DUPLICATE, f"same article as {a.canonical_url}") for a in duplicates
        ]
        statuses += [(page_id, page_store.SKIPPED, reason) for page_id, reason in batch.skipped]
        page_store.mark_statuses(session, [row for row in statuses if row[0] is not None])
        for page_id, error in batch.failures:
            page_store.mark_failed(session, page_id, error, now, settings.fetch.retry_after_minutes)
    stats.stored = len(new)
    stats.duplicates = len(duplicates)
    return stats


def process_batch(
    store: Store,
    clusterer: OnlineClusterer,
    items: Sequence[WorkItem],
    settings: Settings,
    copies: CopyIndex | None = None,
) -> ProcessStats:
    """Process one batch: prepare it, then commit it in a single transaction."""
    return commit_batch(store, clusterer, prepare_batch(items, settings), settings, copies)


def _pending_order(store: Store, settings: Settings) -> list[int]:
    """The pages waiting when the run starts, in publication order (see ``pending_order``)."""
    with store.session() as session:
        return page_store.pending_order(session, datetime.now(UTC), settings.fetch.max_attempts)


def _pending_batches(
    store: Store, order: Sequence[int], batch_size: int, spread: int = 0
) -> Iterator[list[WorkItem]]:
    """Batches of the pages of ``order``, each page once per run. Pages saved during the run
    wait for the next one.

    With ``spread`` workers, the run is cut into batches of about equal size (at most
    ``batch_size``, never under ``FIRST_BATCH`` pages), at least two per worker and as many
    as a multiple of the workers, so that no worker is left with a long last batch alone."""
    size = batch_size
    if spread:
        count = max(2 * spread, -(-len(order) // batch_size))
        count = -(-count // spread) * spread
        size = min(batch_size, max(FIRST_BATCH, -(-len(order) // count)))
    for start in range(0, len(order), size):
        with store.session() as session:
            rows = page_store.pages_by_id(session, order[start : start + size])
        if rows:
            yield [WorkItem(pid, page) for pid, page in rows]


def _in_batches(items: Iterable[WorkItem], size: int) -> Iterator[list[WorkItem]]:
    """``items`` cut into batches of ``size``, lazily."""
    batch: list[WorkItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _without_html(items: Sequence[WorkItem]) -> list[WorkItem]:
    """Extracted items without their page's HTML, which enrichment does not read (less to send)."""
    return [WorkItem(i.page_id, replace(i.page, html=""), i.extracted) for i in items]


class PendingBatch(Protocol):
    """A batch being prepared elsewhere: a process pool's future or a Celery task's."""

    def result(self, timeout: float | None = None) -> Prepared: ...


class BatchExecutor(Protocol):
    """What ``process_pending`` needs of a pool: a process pool, or the distributed engine's executor."""

    def submit(self, fn: Callable[..., Prepared], /, *args: Any) -> PendingBatch: ...

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...


def _start_worker(parent: int, nice: int) -> None:
    """Start a worker process: it lowers its CPU priority by ``nice`` (so that interactive work,
    the web server above all, is served first while it works), and it leaves as soon as the
    process that started it is gone (killed, say), instead of waiting for batches that will
    never come, forever."""
    if nice > 0 and hasattr(os, "nice"):
        os.nice(min(nice, 19))

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="newsdesk-parent-watch", daemon=True).start()


def _local_pool(workers: int, nice: int = 0) -> ProcessPoolExecutor:
    """``workers`` local processes, forked on Linux (sharing what this process has loaded), each
    at ``nice`` lower a priority and leaving when this process is gone."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), nice)
    )


def _worker_pool(settings: Settings) -> tuple[BatchExecutor | None, int, int]:
    """Who prepares the batches ahead of the one being committed, how many at once, and how
    many batches are handed to them ahead of it.

    With ``[workers] broker`` set, Celery workers (``newsdesk.pipeline.distributed``),
    ``batches_ahead`` at a time. Otherwise ``extract_workers`` local processes, each with a
    second batch queued, so that a worker done early never waits for a slower batch before it
    to be committed. On Linux they are forked, so they start with the models this process has
    loaded (shared copy-on-write) instead of loading their own; they run only extraction and
    enrichment, never the store or the console."""
    if settings.workers.broker:
        from newsdesk.pipeline.distributed import CeleryExecutor

        ahead = max(1, settings.workers.batches_ahead)
        return CeleryExecutor(settings.workers), ahead, ahead
    workers = settings.extract_workers
    if workers <= 0:
        return None, 0, 0
    return _local_pool(workers, settings.extract_nice), workers, 2 * workers


def process_pending(
    store: Store,
    settings: Settings,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    clusterer: OnlineClusterer | None = None,
    then: Iterable[WorkItem] = (),
    cache: ClustererCache | None = None,
) -> ProcessStats:
    """Process every stored page waiting for extraction (and failed ones due for a retry),
    then the items of ``then`` (records imported with their text, not stored as raw pages),
    read lazily, through the same workers.

    With ``settings.extract_workers`` = N > 0, the next 2N batches are handed to N worker
    processes, which prepare them (extract and enrich) while the current one is clustered and
    committed here; with ``settings.workers.broker`` set, by Celery workers (``batches_ahead`` at a
    time). Batches are committed in page order whatever finishes first, so the stories do
    not depend on the number of workers.

    Local workers are forked once this process has loaded the models, so that they share
    them. While it loads them (some seconds), one process forked before extracts the first
    batches, so that the time is not lost; a run of ``FIRST_BATCH`` pages or fewer is prepared
    here, with only the models it needs. With workers on other machines, the first batch is
    prepared here while they take the next ones.

    At the end, when articles were stored, the clusterer's centroid indexes (if it has them)
    are saved for the next run to load instead of building them again. With a ``cache``, the
    clusterer of the previous call is taken up when the store's state is still the one it left
    (:class:`ClustererCache`), instead of being loaded again, and kept for the next call."""
    clusterer = clusterer or (cache.take(store) if cache else None) or load_clusterer(store, settings)
    total = _process(store, settings, batch_size, progress, clusterer, then)
    if total.stored:
        save_clusterer_index(store, clusterer)
    if cache is not None:
        cache.keep(clusterer)
    return total


def _process(
    store: Store,
    settings: Settings,
    batch_size: int,
    progress: Callable[[int], None] | None,
    clusterer: OnlineClusterer,
    then: Iterable[WorkItem],
) -> ProcessStats:
    """The batches of :func:`process_pending`, prepared and committed."""
    copies: CopyIndex | None = None  # loaded with the first batch to commit
    total = ProcessStats()
    order = _pending_order(store, settings)
    pool, parallel, ahead_count = _worker_pool(settings)
    local = isinstance(pool, ProcessPoolExecutor)
    cold = local and not embedding_model_loaded()
    if cold and len(order) <= FIRST_BATCH and not then:
        pool.shutdown()  # type: ignore[union-attr]  # nothing forked yet: a short run is prepared here
        pool, cold = None, False
    batches = chain(
        _pending_batches(store, order, batch_size, spread=parallel), _in_batches(then, batch_size)
    )
    ahead: deque[tuple[list[WorkItem], PendingBatch]] = deque()
    early: deque[tuple[list[WorkItem], Future[list[Extraction]]]] = deque()
    extractor: ProcessPoolExecutor | None = None

    def submit_next() -> None:
        if early:
            batch, extracting = early.popleft()
            try:
                extraction: list[Extraction] | None = extracting.result()
            except Exception:  # noqa: BLE001 - the extractor is gone: the worker extracts it again
                extraction = None
            items = batch if extraction is None else _without_html(batch)
            ahead.append((batch, pool.submit(prepare_batch, items, settings, extraction)))  # type: ignore[union-attr]
            return
        batch = next(batches, None)
        if pool and batch is not None:
            ahead.append((batch, pool.submit(prepare_batch, batch, settings)))

    def commit(items: list[WorkItem], prepared: Prepared) -> None:
        nonlocal copies
        if copies is None and settings.copies.enabled:
            copies = load_copy_index(store, settings)
        total.add(commit_batch(store, clusterer, prepared, settings, copies))
        if copies is not None:
            copies.prune(datetime.now(UTC) - timedelta(days=settings.copies.window_days))
        if progress:
            progress(len(items))

    try:
        if pool is None:
            for items in batches:
                commit(items, prepare_batch(items, settings))
            return total
        if cold:
            extractor = _local_pool(1, settings.extract_nice)
            for batch in islice(batches, EARLY_BATCHES_PER_WORKER * parallel):
                early.append((batch, extractor.submit(extract_items, batch)))
            load_models(settings.entities, settings.cluster.crosslingual)
            # What is loaded now lives as long as the process: kept out of the collector's passes,
            # so that no collection here or in the workers touches (and copies) its memory again.
            gc.collect()
            gc.freeze()
        elif not local:
            # Workers on other machines: the first batch is prepared here meanwhile, so that
            # committing starts without waiting for them.
            first = next(batches, None)
            if first is None:
                return total
            prepared = prepare_batch(first, settings)
            for _ in range(ahead_count):
                submit_next()
            commit(first, prepared)
        for _ in range(ahead_count):
            submit_next()
        while ahead:
            items, future = ahead.popleft()
            submit_next()
            commit(items, future.result())
    finally:
        for executor in (extractor, pool):
            if executor:
                executor.shutdown(wait=False, cancel_futures=True)
    return total
