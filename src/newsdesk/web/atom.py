"""Atom 1.0 documents (RFC 4287) for stories, a story's articles and searches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from newsdesk.urls import safe_url

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"

ET.register_namespace("", ATOM)


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    summary: str | None = None
    author: str | None = None
    language: str | None = None


def _stamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


def _child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot hold."""
    return "".join(c for c in text if c in "\t\n\r" or c >= " ")


def _link(parent: ET.Element, href: str, **attrs: str) -> None:
    """A ``<link>``, only to an http(s) address (or a path on this site)."""
    target = safe_url(href)
    if target:
        _child(parent, "link", href=target, **attrs)


def atom_feed(feed_id: str, title: str, self_url: str, alternate: str, entries: list[Entry]) -> bytes:
    """An Atom feed; its ``updated`` is the newest entry's (or now when there are none)."""
    root = ET.Element(f"{{{ATOM}}}feed")
    _child(root, "id", feed_id)
    _child(root, "title", title)
    updated = max((e.updated for e in entries), default=datetime.now(UTC))
    _child(root, "updated", _stamp(updated))
    _link(root, self_url, rel="self", type="application/atom+xml")
    _link(root, alternate, rel="alternate", type="text/html")
    _child(root, "generator", "newsdesk")
    for item in entries:
        entry = _child(root, "entry")
        if item.language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", item.language)
        _child(entry, "id", item.id)
        _child(entry, "title", item.title or "(untitled)", type="text")
        _link(entry, item.link, rel="alternate")
        _child(entry, "updated", _stamp(item.updated))
        if item.author:
            _child(_child(entry, "author"), "name", item.author)
        if item.summary:
            _child(entry, "summary", item.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
