"""Content fingerprints: an exact hash of the normalised text."""

from __future__ import annotations

import hashlib

from newsdesk.text.words import words


def content_hash(title: str | None, text: str) -> str:
    """SHA-1 of the lower-cased word sequence of title and body."""
    return hashlib.sha1(" ".join(words(f"{title or ''}\n{text}")).encode("utf-8")).hexdigest()
