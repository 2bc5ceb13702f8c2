"""The error raised when a page yields no article."""

from __future__ import annotations


class ExtractionError(Exception):
    """A page could not be turned into an article; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot extract {url}: {reason}")
        self.url = url
        self.reason = reason


class NotAnArticle(ExtractionError):
    """The page is a home page, a section front or another list of links, not an article: it is
    recorded as skipped, not failed, and never retried."""
