"""Deduplication: the same article reached twice (two feeds, a tracking URL, a
republished copy) is stored once."""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.dedupe.fingerprint import content_hash
from newsdesk.models import Article

__all__ = ["content_hash", "deduplicate"]


def deduplicate(
    articles: Iterable[Article], stored_urls: set[str], stored_hashes: set[str]
) -> tuple[list[Article], list[Article]]:
    """Split articles into ``(new, duplicates)`` by canonical URL and content hash,
    against what is stored and within the batch itself (first one wins)."""
    seen_urls, seen_hashes = set(stored_urls), set(stored_hashes)
    new: list[Article] = []
    duplicates: list[Article] = []
    for article in articles:
        digest = article.content_hash or content_hash(article.title, article.text)
        article.content_hash = digest
        if article.canonical_url in seen_urls or digest in seen_hashes:
            duplicates.append(article)
            continue
        seen_urls.add(article.canonical_url)
        seen_hashes.add(digest)
        new.append(article)
    return new, duplicates
