"""Find the feeds an HTML page advertises with ``<link rel="alternate">``."""

from __future__ import annotations

import lxml.html
from lxml import etree

from newsdesk.ingest.textutil import absolute_http_url

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
}


def discover_feed_links(html: str | bytes, base_url: str) -> list[str]:
    """Absolute URLs of the feeds linked from ``html``, in document order, without repeats.

    Honours ``<base href>``; ignores links that are not http(s).
    """
    if not html:
        return []
    try:
        if isinstance(html, str):
            # lxml refuses str input that carries an XML encoding declaration
            html = html.encode("utf-8")
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return []
    base = base_url
    for element in root.iter("base"):
        href = element.get("href")
        if href:
            base = absolute_http_url(href, base_url) or base_url
            break
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = absolute_http_url(link.get("href"), base)
        if url and url not in found:
            found.append(url)
    return found
