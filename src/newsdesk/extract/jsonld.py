"""Article metadata from JSON-LD blocks (schema.org NewsArticle and kin, wherever it is nested:
a list, an ``@graph``, a ``WebPage``'s ``mainEntity``; ``{"@id": …}`` references resolved)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from newsdesk.extract.text import clean_text

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "liveblogposting",
    "blogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}


@dataclass
class JsonLdArticle:
    """The fields newsdesk reads from the page's article object."""

    headline: str | None = None
    description: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    language: str | None = None
    url: str | None = None
    section: str | None = None


def read_jsonld(tree: HtmlElement) -> JsonLdArticle:
    """Read the first article-typed JSON-LD object of the page (empty when there is none)."""
    nodes = list(_nodes(tree))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    article = next((node for node in nodes if _is_article(node)), None)
    if article is None:
        return JsonLdArticle()

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(item) for item in value]
        reference = value.get("@id") if isinstance(value, dict) and set(value) <= {"@id", "@type"} else None
        return by_id.get(reference, value) if isinstance(reference, str) else value

    return JsonLdArticle(
        headline=_text(article.get("headline")) or _text(article.get("name")),
        description=_text(article.get("description")),
        date_published=_text(article.get("datePublished")) or _text(article.get("dateCreated")),
        date_modified=_text(article.get("dateModified")),
        authors=_names(resolve(article.get("author"))),
        publisher=next(iter(_names(resolve(article.get("publisher")))), None),
        language=_text(article.get("inLanguage")),
        url=_url(article.get("url")) or _url(article.get("mainEntityOfPage")),
        section=_text(article.get("articleSection")),
    )


def _nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type]"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document that may be the article: the top ones, those of an
    ``@graph`` and a page's ``mainEntity`` (at any depth)."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            nested = data.get(key)
            if nested is not None:
                yield from _flatten(nested)


def _is_article(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list):
        return False
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].lower() in ARTICLE_TYPES for t in types)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return clean_text(value) if isinstance(value, str) else None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _person_name(item) if isinstance(item, dict) else _text(item)
        if name and name not in names:
            names.append(name)
    return names


def _person_name(item: dict[str, Any]) -> str | None:
    given, family = _text(item.get("givenName")), _text(item.get("familyName"))
    return _text(item.get("name")) or (f"{given} {family}" if given and family else None)


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _text(value)
    return text if text and text.startswith(("http://", "https://")) else None


def jsonld_types(tree: HtmlElement) -> set[str]:
    """The schema.org types the page's JSON-LD declares (lower case, without the vocabulary's URL)."""
    types: set[str] = set()
    for node in _nodes(tree):
        declared = node.get("@type")
        names = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
        for name in names:
            if isinstance(name, str):
                types.add(name.rsplit("/", 1)[-1].lower())
    return types
