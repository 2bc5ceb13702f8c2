"""Content fingerprints: an exact hash of the normalised text."""

from __future__ import annotations

import hashlib
import re

_TOKEN = re.compile(r"\w+", re.UNICODE)


def content_hash(title: str | None, text: str) -> str:
    """SHA-1 of the lower-cased word sequence of title and body."""
    words = _TOKEN.findall(f"{title or ''}\n{text}".lower())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
