"""Importing pages from files: HTML (plain or gzipped), folders, JSON Lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.ingest.archives import ImportFailure, ImportRecord, iter_import_records
from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import ProcessStats, WorkItem, load_clusterer, process_batch
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import pages as page_store


@dataclass
class ImportStats:
    records: int = 0
    failures: list[str] = field(default_factory=list)
    processed: ProcessStats = field(default_factory=ProcessStats)


def _work_item(store: Store, record: ImportRecord, now: datetime) -> WorkItem | None:
    page = RawPage(
        url=record.url,
        html=record.html or "",
        outlet=record.outlet,
        collected=now,
        feed_language=record.language,
    )
    if record.html:
        with store.session() as session:
            page_id = page_store.save_raw_page(session, page, now)
        return None if page_id is None else WorkItem(page_id, page)
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
    return WorkItem(None, page, extracted)


def import_paths(
    store: Store,
    settings: Settings,
    paths: Iterable[Path],
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> ImportStats:
    """Import files; every batch is processed and committed as it fills."""
    stats = ImportStats()
    clusterer = load_clusterer(store, settings)
    batch: list[WorkItem] = []

    def flush() -> None:
        if batch:
            stats.processed.add(process_batch(store, clusterer, batch, settings))
            if progress:
                progress(len(batch))
            batch.clear()

    for item in iter_import_records(paths):
        if isinstance(item, ImportFailure):
            stats.failures.append(f"{item.source}: {item.reason}")
            continue
        stats.records += 1
        work = _work_item(store, item, datetime.now(UTC))
        if work is None:
            stats.processed.duplicates += 1
            continue
        batch.append(work)
        if len(batch) >= batch_size:
            flush()
    flush()
    return stats
