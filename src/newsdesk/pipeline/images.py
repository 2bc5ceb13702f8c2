"""Fetching the lead images of new articles and keeping them as thumbnails (``[images]``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from newsdesk.ingest.fetcher import fetch_many
from newsdesk.ingest.images import Thumbnail, thumbnail
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import images as image_store


def fetch_thumbnails(store: Store, settings: Settings) -> int:
    """Fetch up to ``images.per_round`` lead images not tried yet, through the same guarded client as
    pages (address rules, per-host pace, the ``images.max_bytes`` cap), and keep each as a
    thumbnail or with the reason there is none; how many thumbnails were kept. Nothing when
    ``images.enabled`` is off."""
    rules = settings.images
    if not rules.enabled:
        return 0
    with store.session() as session:
        wanted = image_store.to_fetch(session, rules.per_round)
    if not wanted:
        return 0
    fetch = replace(settings.fetch, max_bytes=rules.max_bytes)
    results = fetch_many([url for _, url in wanted], fetch, kind="image")
    found: list[tuple[int, Thumbnail]] = []
    for (article_id, _), result in zip(wanted, results, strict=True):
        if result.error or not result.content:
            found.append((article_id, Thumbnail(None, None, error=result.error or "empty answer")))
        else:
            found.append((article_id, thumbnail(result.content, rules.width, rules.max_pixels)))
    with store.session() as session:
        image_store.save(session, found, datetime.now(UTC))
    return sum(1 for _, thumb in found if thumb.data)
