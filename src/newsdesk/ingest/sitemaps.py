"""Read XML sitemaps: sitemap indexes, url sets, Google News sitemaps, gzip, plain-text lists."""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
import zlib
from datetime import datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from newsdesk.ingest.textutil import absolute_http_url, parse_datetime

# The sitemaps protocol caps a sitemap at 50 MB uncompressed.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


class SitemapError(ValueError):
    """The document is not a readable sitemap."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"broken gzip data: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes uncompressed")
    return data


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in element.iter():
        if child is not element and _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _text_sitemap(content: bytes) -> list[tuple[str, datetime | None]]:
    text = content.decode("utf-8", errors="replace")
    urls = [absolute_http_url(line.strip(), None) for line in text.splitlines() if line.strip()]
    if not urls or any(u is None for u in urls):
        raise SitemapError("not a sitemap (neither XML nor a list of URLs)")
    return [(u, None) for u in urls if u]


def parse_sitemap(content: bytes) -> tuple[list[tuple[str, datetime | None]], list[str]]:
    """Page URLs with their dates, and child sitemap URLs, of one sitemap document.

    A page's date is its Google News ``publication_date`` when present, else
    its ``lastmod``. Gzip input is decompressed. Raises SitemapError on
    anything unreadable.
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content)
    if not content.strip():
        raise SitemapError("empty document")
    if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _text_sitemap(content), []
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException as exc:
        raise SitemapError(f"refused unsafe XML ({type(exc).__name__})") from exc
    except (ET.ParseError, ValueError, RecursionError) as exc:
        raise SitemapError(f"malformed XML: {exc}") from exc
    kind = _local(root.tag)
    pages: list[tuple[str, datetime | None]] = []
    children: list[str] = []
    if kind == "sitemapindex":
        for item in root:
            if _local(item.tag) == "sitemap":
                url = absolute_http_url(_child_text(item, "loc"), None)
                if url:
                    children.append(url)
    elif kind == "urlset":
        for item in root:
            if _local(item.tag) != "url":
                continue
            url = absolute_http_url(_child_text(item, "loc"), None)
            if url:
                when = parse_datetime(_child_text(item, "publication_date")) or parse_datetime(
                    _child_text(item, "lastmod")
                )
                pages.append((url, when))
    else:
        raise SitemapError(f"not a sitemap (root element is <{kind}>)")
    return pages, children
