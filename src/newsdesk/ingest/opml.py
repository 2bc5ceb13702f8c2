"""Read and write OPML subscription lists (OPML 1.0 / 2.0).

Outlines with an ``xmlUrl`` are feeds; outlines without one that contain
others are categories (nested categories are joined with ``/``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


@dataclass
class OpmlFeed:
    """One feed of an OPML list."""

    title: str | None
    xml_url: str
    html_url: str | None = None
    language: str | None = None
    category: str | None = None


class OpmlError(ValueError):
    """The OPML document cannot be read; the message names the source."""


def _attr(element: ET.Element, name: str) -> str | None:
    """Attribute by case-insensitive name, stripped; None when absent or empty."""
    lowered = name.lower()
    for key, value in element.attrib.items():
        if key.lower() == lowered or key.lower().endswith("}" + lowered):
            value = value.strip()
            return value or None
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _walk(element: ET.Element, path: list[str]) -> Iterator[OpmlFeed]:
    for child in element:
        if _local(child.tag) != "outline":
            continue
        label = _attr(child, "text") or _attr(child, "title")
        xml_url = _attr(child, "xmlUrl")
        if xml_url:
            category = "/".join(path) or (_attr(child, "category") or "").strip("/") or None
            yield OpmlFeed(
                title=label,
                xml_url=xml_url,
                html_url=_attr(child, "htmlUrl"),
                language=_attr(child, "language"),
                category=category,
            )
            yield from _walk(child, path)
        else:
            yield from _walk(child, [*path, label] if label else path)


def parse_opml(content: bytes, source: str = "") -> list[OpmlFeed]:
    """The feeds listed in an OPML document, in document order.

    Raises OpmlError (naming ``source``) on malformed or unsafe XML or a
    document that is not OPML.
    """
    name = source or "OPML document"
    if not content or not content.strip():
        raise OpmlError(f"{name}: empty document")
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException as exc:
        raise OpmlError(f"{name}: refused unsafe XML ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise OpmlError(f"{name}: malformed XML: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise OpmlError(f"{name}: unreadable XML: {exc}") from exc
    if _local(root.tag) != "opml":
        raise OpmlError(f"{name}: not OPML (root element is <{_local(root.tag) or root.tag}>)")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError(f"{name}: OPML has no <body>")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for feed in _walk(body, []):
        if feed.xml_url not in seen:
            seen.add(feed.xml_url)
            feeds.append(feed)
    return feeds


def write_opml(feeds: Iterable[OpmlFeed], title: str = "newsdesk feeds") -> str:
    """An OPML 2.0 document listing ``feeds``, grouped in category outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    groups: dict[tuple[str, ...], ET.Element] = {(): body}

    def group(path: tuple[str, ...]) -> ET.Element:
        if path not in groups:
            parent = group(path[:-1])
            groups[path] = ET.SubElement(parent, "outline", text=path[-1], title=path[-1])
        return groups[path]

    for feed in feeds:
        path = tuple(part for part in (feed.category or "").split("/") if part.strip())
        attrs = {"type": "rss", "text": feed.title or feed.xml_url, "xmlUrl": feed.xml_url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        if feed.language:
            attrs["language"] = feed.language
        ET.SubElement(group(path), "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
