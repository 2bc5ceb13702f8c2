"""Importing pages from files: HTML (plain or gzipped), folders, JSON Lines.

An import is processed as ``fetch`` processes what it collects: every HTML record is first saved
as a raw page, then ``process_pending`` has the pending pages prepared by the worker pool and
clusters and commits them in order; the records that come with their text already extracted
(``{url, title, text}``) are not pages and go through the same pool after them, read from the
files a second time rather than held in memory. Killed at any point, the import keeps what it
committed; importing again skips what is stored and takes up the pages still pending.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.ingest.archives import ImportFailure, ImportRecord, iter_import_records
from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import BATCH_SIZE, ProcessStats, WorkItem, process_pending
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import pages as page_store

SAVE_CHUNK = 64  # raw pages saved per transaction


@dataclass
class ImportStats:
    records: int = 0
    failures: list[str] = field(default_factory=list)
    processed: ProcessStats = field(default_factory=ProcessStats)


def _raw_page(record: ImportRecord, now: datetime) -> RawPage:
    return RawPage(
        url=record.url,
        html=record.html or "",
        outlet=record.outlet,
        collected=now,
        feed_language=record.language,
    )


def _text_item(record: ImportRecord, now: datetime) -> WorkItem:
    """A record imported with its text: an item extracted already, with no raw page."""
    paragraphs = [p.strip() for p in (record.text or "").split("\n") if p.strip()]
    extracted = Extracted(
        url=record.url,
        canonical_url=record.url,
        title=record.title,
        lede=record.lede,
        byline=record.byline,
        published=record.published,
        paragraphs=paragraphs,
        page_language=record.language,
    )
    return WorkItem(None, _raw_page(record, now), extracted)


def _save_pages(
    store: Store, paths: list[Path], stats: ImportStats, progress: Callable[[str, int], None] | None
) -> int:
    """Read every record, save the HTML ones as raw pages (``SAVE_CHUNK`` a transaction) and count
    the rest; the number of records that came with their text."""
    texts = 0
    chunk: list[RawPage] = []

    def save() -> None:
        with store.session() as session:
            for page in chunk:
                if page_store.save_raw_page(session, page, page.collected or datetime.now(UTC)) is None:
                    stats.processed.duplicates += 1  # this URL was imported or fetched before
        if progress:
            progress("records", len(chunk))
        chunk.clear()

    for record in iter_import_records(paths):
        if isinstance(record, ImportFailure):
            stats.failures.append(f"{record.source}: {record.reason}")
            continue
        stats.records += 1
        if not record.html:
            texts += 1
            if progress:
                progress("records", 1)
            continue
        chunk.append(_raw_page(record, datetime.now(UTC)))
        if len(chunk) >= SAVE_CHUNK:
            save()
    if chunk:
        save()
    return texts


def _text_items(store: Store, paths: list[Path], stats: ImportStats) -> Iterator[WorkItem]:
    """The records of ``paths`` that came with their text, as work items, lazily; those whose URL
    is stored already are counted as duplicates without being enriched again (importing a file
    again after an interruption costs only what was left)."""

    def unknown(chunk: list[ImportRecord]) -> Iterator[WorkItem]:
        with store.session() as session:
            known = page_store.known_urls(session, (r.url for r in chunk))
        for record in chunk:
            if record.url in known:
                stats.processed.duplicates += 1
            else:
                yield _text_item(record, datetime.now(UTC))

    chunk: list[ImportRecord] = []
    for record in iter_import_records(paths):
        if isinstance(record, ImportRecord) and not record.html:
            chunk.append(record)
            if len(chunk) >= SAVE_CHUNK:
                yield from unknown(chunk)
                chunk = []
    if chunk:
        yield from unknown(chunk)


def import_paths(
    store: Store,
    settings: Settings,
    paths: Iterable[Path],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, int], None] | None = None,
) -> ImportStats:
    """Import files: save their pages, then process them (with every page still pending, such as
    those of an interrupted import) and the text records through the worker pool.

    ``progress(kind, n)`` is called with ``"records"`` as records are read and ``"articles"`` as
    batches are committed."""
    paths = list(paths)
    stats = ImportStats()
    texts = _save_pages(store, paths, stats, progress)
    stats.processed.add(
        process_pending(
            store,
            settings,
            batch_size,
            progress=(lambda n: progress("articles", n)) if progress else None,
            then=_text_items(store, paths, stats) if texts else (),
        )
    )
    return stats
