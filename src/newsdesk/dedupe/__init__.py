"""Deduplication: the same article reached twice (two feeds, a tracking URL, a
republished copy) is stored once."""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.dedupe.fingerprint import content_hash
from newsdesk.models import Article

__all__ = ["content_hash", "deduplicate", "fingerprint"]


def fingerprint(articles: Iterable[Article]) -> list[str]:
    """Set every article's ``content_hash`` (title and body), the key that finds the same
    text at another URL, and return the hashes: done before the stored hashes are looked
    up and ``deduplicate`` compares them."""
    digests = []
    for article in articles:
        article.content_hash = content_hash(article.title, article.text)
        digests.append(article.content_hash)
    return digests


def deduplicate(
    articles: Iterable[Article], stored_urls: set[str], stored_hashes: set[str]
) -> tuple[list[Article], list[Article]]:
    """Split fingerprinted articles into ``(new, duplicates)`` by canonical URL and content
    hash, against what is stored and within the batch itself (first one wins)."""
    seen_urls, seen_hashes = set(stored_urls), set(stored_hashes)
    new: list[Article] = []
    duplicates: list[Article] = []
    for article in articles:
        if article.content_hash is None:
            raise ValueError(f"{article.url}: no content hash (fingerprint the articles first)")
        if article.canonical_url in seen_urls or article.content_hash in seen_hashes:
            duplicates.append(article)
            continue
        seen_urls.add(article.canonical_url)
        seen_hashes.add(article.content_hash)
        new.append(article)
    return new, duplicates
