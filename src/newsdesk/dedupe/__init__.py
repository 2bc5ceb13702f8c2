"""Deduplication: the same article reached twice (two feeds, a tracking URL, a
republished copy) is stored once; a wire copy (another outlet reprinting its text) is stored
and marked a copy of the earliest article of its group (``newsdesk.dedupe.copies``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsdesk.dedupe.copies import CopyIndex, CopyMatch, Signature, signature
from newsdesk.dedupe.fingerprint import content_hash
from newsdesk.models import Article
from newsdesk.settings import CopySettings

__all__ = ["CopyIndex", "CopyMatch", "content_hash", "deduplicate", "fingerprint", "mark_copies", "sign"]


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


def sign(articles: Iterable[Article], settings: CopySettings) -> None:
    """Set every article's ``copy_signature`` (of its standfirst and body, never its headline);
    None for a text too short to tell a copy, or with copies switched off."""
    for article in articles:
        found = signature(article.lede_and_text, settings) if settings.enabled else None
        article.copy_signature = found.to_bytes() if found else None


def mark_copies(articles: Sequence[Article], index: CopyIndex) -> list[CopyMatch | None]:
    """Compare stored articles (with ids, signed), in order, with the index and each other: set the
    ``copy_of`` of each copy, and return where each stands (None: it copies nothing). An article
    earlier than its group's original becomes the group's original (``CopyMatch.replaced``)."""
    found: list[CopyMatch | None] = []
    for article in articles:
        if article.id is None or article.copy_signature is None:
            found.append(None)
            continue
        match = index.place(
            article.id, Signature.from_bytes(article.copy_signature), article.published, article.collected
        )
        article.copy_of = match.copy_of if match else None
        found.append(match)
    return found
