"""Small text helpers shared by the ingest parsers: HTML to text, dates, URLs, languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

_SPACES = re.compile(r"\s+")
_TAG_HINT = re.compile(r"<[a-zA-Z/!]|&[#a-zA-Z]")
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed"}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
}


def clean_space(text: str | None) -> str | None:
    """Collapse runs of whitespace; None for empty text."""
    if text is None:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None


def html_to_text(markup: str | None) -> str | None:
    """Plain text of an HTML fragment (scripts and styles dropped, whitespace collapsed)."""
    if not markup:
        return None
    if not _TAG_HINT.search(markup):
        return clean_space(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError, TypeError):
        return clean_space(markup)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element.tag.lower() in _DROP:
            element.drop_tree()
        elif element.tag.lower() in _BLOCKS:
            element.tail = " " + (element.tail or "")
    return clean_space(root.text_content())


def absolute_http_url(value: str | None, base: str | None) -> str | None:
    """``value`` made absolute against ``base``; None unless the result is http(s)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        url = urljoin(base, value) if base else value
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def normalize_language(value: str | None) -> str | None:
    """A language tag tidied up: ``en_US `` → ``en-US``; None when empty or not tag-like."""
    if not value or not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", tag):
        return None
    head, *rest = tag.split("-")
    return "-".join([head.lower(), *rest])


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 / RFC 822 date as an aware datetime (UTC when no zone is given)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
