"""Computing named entities, quotes and keywords again for stored articles.

From each article's stored text, one batch per transaction: an interrupted run keeps every
batch already committed (``unannotated`` then picks up the articles never done; ``after_id``
resumes past the last committed id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from newsdesk.enrich import annotate
from newsdesk.pipeline.entities import save_batch
from newsdesk.settings import Settings
from newsdesk.store import Store, queries


@dataclass
class ReprocessStats:
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    last_id: int = 0


def count_reprocess(store: Store, since: datetime | None, unannotated: bool = False) -> int:
    """How many articles ``reprocess`` would go through."""
    with store.session() as session:
        return queries.count_articles(session, since, unannotated)


def reprocess(
    store: Store,
    settings: Settings,
    since: datetime | None = None,
    *,
    unannotated: bool = False,
    stats: ReprocessStats | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> ReprocessStats:
    """Enrich stored articles (collected since a time) with entities, quotes and keywords again,
    in id order, and link the entities of their stories; one transaction per batch. Runs even
    when ``entities.enabled`` is off (that switch is for collecting).

    ``stats`` is updated as batches are committed (its ``last_id``, 0 by default, is where the
    run starts), so a caller interrupting the run knows where to resume."""
    options = replace(settings.entities, enabled=True)
    stats = stats or ReprocessStats()
    while True:
        with store.session() as session:
            batch = queries.article_batch(session, stats.last_id, since, batch_size, unannotated)
        if not batch:
            return stats
        annotate(batch, options)
        with store.session() as session:
            save_batch(session, batch, options, datetime.now(UTC), replace=True)
        stats.articles += len(batch)
        stats.mentions += sum(len(a.mentions or []) for a in batch)
        stats.quotes += sum(len(a.quotes or []) for a in batch)
        stats.last_id = batch[-1].id or stats.last_id
        if progress:
            progress(len(batch))
