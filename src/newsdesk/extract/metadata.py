"""Article metadata from the page: JSON-LD, Open Graph, meta tags and the byline element."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsdesk.extract.bylines import clean_authors, clean_byline
from newsdesk.extract.dates import has_time, parse_local_datetime, with_offset_from
from newsdesk.extract.jsonld import read_jsonld
from newsdesk.extract.text import clean_text, words
from newsdesk.extract.titles import choose_title, strip_site_name, url_sections
from newsdesk.text.languages import language_code
from newsdesk.urls import outlet_domain, safe_url

__all__ = ["PageMetadata", "clean_byline", "read_metadata", "strip_site_name"]

_BYLINE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[@itemprop='author']",
    "//*[@rel='author']",
)
_ALL_MATCHES = {"//*[@itemprop='author']", "//*[@rel='author']"}  # one element per author
_H1_XPATHS = ("//article//h1", "//main//h1", "//h1")
_MAX_H1S = 5
# dates, handles and widget separators: a block with more than a byline
_NOT_A_BYLINE_RE = re.compile(r"\d|@|\||•")
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "citation_publication_date",
)
_OTHER_DATE_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "byl")
_INVERTED_AUTHOR_KEYS = ("citation_author", "dc.creator", "dcterms.creator")  # "Last, First"


@dataclass
class PageMetadata:
    """What the page itself says about the article (every field may be missing)."""

    canonical_url: str | None = None
    title: str | None = None
    lede: str | None = None
    byline: str | None = None
    published: datetime | None = None
    site_name: str | None = None
    language: str | None = None
    headings: tuple[str, ...] = ()
    # The page's lead image (og:image, twitter:image), an absolute http(s) address.
    image: str | None = None


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Collect the article's metadata from a parsed page."""
    meta = _meta_values(tree)
    ld = read_jsonld(tree)
    site_name = (
        clean_text(meta.get("og:site_name")) or ld.publisher or clean_text(meta.get("application-name"))
    )
    outlets = [
        site_name,
        ld.publisher,
        clean_text(meta.get("application-name")),
        clean_text(meta.get("twitter:site")),
        _host_label(url),
        outlet_domain(url),
    ]
    site_names = [name for name in outlets if name]
    h1s = _texts(tree, _H1_XPATHS, _MAX_H1S)
    h1 = h1s[0] if h1s else None
    page_title = _first_text(tree, "//head/title") or _first_text(tree, "//title")
    title = choose_title(
        meta.get("og:title"),
        ld.headline,
        h1s,
        meta.get("twitter:title"),
        page_title,
        site_names,
        [section for section in (meta.get("article:section"), ld.section) if section] + url_sections(url),
    )
    lede = (
        ld.description
        or clean_text(meta.get("og:description"))
        or clean_text(meta.get("description"))
        or clean_text(meta.get("twitter:description"))
    )
    structured = _structured_authors(tree, ld.authors, site_names)
    return PageMetadata(
        canonical_url=_canonical(tree, meta, ld.url, url),
        title=title,
        lede=lede,
        byline=_choose_byline(_byline_element(tree, site_names), structured),
        published=_published(tree, meta, ld.date_published, ld.date_modified),
        site_name=site_name,
        language=language_code(tree.get("lang"))
        or language_code(ld.language)
        or language_code(meta.get("content-language"))
        or language_code(meta.get("og:locale")),
        headings=tuple(t for t in (h1, clean_text(meta.get("og:title")), ld.headline, page_title) if t),
        image=_lead_image(meta, url),
    )


def _lead_image(meta: dict[str, str], url: str) -> str | None:
    """The page's declared lead image as an absolute http(s) address, else None."""
    for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"):
        value = (meta.get(key) or "").strip()
        if value:
            return safe_url(urljoin(url, value)) or None
    return None


def _host_label(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    return labels[-2] if len(labels) >= 2 else None


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), content)
    return values


def _texts(tree: HtmlElement, xpaths: tuple[str, ...], limit: int) -> list[str]:
    """The first ``limit`` different non-empty texts of the elements the xpaths find, in order."""
    texts: list[str] = []
    for xpath in xpaths:
        for element in tree.xpath(xpath):
            text = clean_text(element.text_content())
            if text and text not in texts:
                texts.append(text)
                if len(texts) == limit:
                    return texts
    return texts


def _first_text(tree: HtmlElement, xpath: str) -> str | None:
    for element in tree.xpath(xpath):
        text = clean_text(element.text_content())
        if text:
            return text
    return None


def _canonical(tree: HtmlElement, meta: dict[str, str], ld_url: str | None, url: str) -> str | None:
    candidates = [link.get("href") for link in tree.xpath("//link[@href]") if _is_canonical(link)]
    candidates += [meta.get("og:url"), ld_url]
    for candidate in candidates:
        href = (candidate or "").strip()
        if not href:
            continue
        absolute = urljoin(url, href) if url else href
        if absolute.startswith(("http://", "https://")):
            return absolute
    return None


def _is_canonical(link: HtmlElement) -> bool:
    return "canonical" in (link.get("rel") or "").lower().split()


def _meta_all(tree: HtmlElement, key: str) -> list[str]:
    """Every value of a repeated meta tag (one ``citation_author`` per author), in page order."""
    values = []
    for element in tree.iter("meta"):
        names = (element.get(attribute) for attribute in ("property", "name", "itemprop"))
        if any(name and name.strip().lower() == key for name in names) and element.get("content"):
            values.append(element.get("content"))
    return values


def _structured_authors(tree: HtmlElement, ld_authors: list[str], site_names: list[str]) -> list[str]:
    """The authors the page states for machines: JSON-LD, else the first author meta tag that
    names a person (all its tags, in order)."""
    authors = clean_authors(ld_authors, site_names)
    for key in _AUTHOR_KEYS + _INVERTED_AUTHOR_KEYS:
        if authors:
            break
        values = [
            value for value in _meta_all(tree, key) if not value.strip().startswith(("http://", "https://"))
        ]
        authors = clean_authors(values, site_names, inverted=key in _INVERTED_AUTHOR_KEYS)
    return authors


def _byline_element(tree: HtmlElement, site_names: list[str]) -> str | None:
    """The byline printed on the page: the first ``byline`` block, or the first author element
    with the author elements beside it (same parent: one per co-author)."""
    for xpath in _BYLINE_XPATHS:
        elements = [element for element in tree.xpath(xpath) if not _is_aside(element)]
        first: HtmlElement | None = None
        found: list[str] = []
        for element in elements:
            if xpath in _ALL_MATCHES and any(ancestor in elements for ancestor in element.iterancestors()):
                continue  # an author's name inside the author element already read
            if first is not None and element.getparent() is not first.getparent():
                continue
            content = element.get("content") if element.tag == "meta" else element.text_content()
            text = clean_byline(content)
            if not text or _NOT_A_BYLINE_RE.search(" ".join(_strip_addresses(text))):
                continue
            names = clean_authors([text], site_names)
            if _uncapitalised(" ".join(names)):
                continue
            if names and xpath not in _ALL_MATCHES:
                return ", ".join(names)
            if names and first is None:
                first = element
            found += [name for name in names if name not in found]
        if found:
            return ", ".join(found)
    return None


def _uncapitalised(name: str) -> bool:
    """No capital in a name written in a cased script ("domena publiczna"): a credit or a label."""
    return any(ch.islower() for ch in name) and not any(ch.isupper() for ch in name)


def _is_aside(element: HtmlElement) -> bool:
    """The element is in a figure (a photo credit) or among the readers' comments."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("figure", "figcaption"):
            return True
        if "comment" in f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower():
            return True
    return False


def _strip_addresses(text: str) -> list[str]:
    """The byline's words without e-mail addresses (which ``clean_authors`` turns into names)."""
    return [token for token in text.split() if not re.fullmatch(r"\S+@\S+\.\w+", token)]


def _choose_byline(element: str | None, structured: list[str]) -> str | None:
    """The page's byline element when it is a clean line naming every structured author once
    (it is then richer, e.g. with the author's role), else the structured authors."""
    if element and structured:
        element_words = words(element)

        def hits(name: str) -> int:
            part = words(name)
            return sum(element_words[i : i + len(part)] == part for i in range(len(element_words)))

        return element if all(hits(name) == 1 for name in structured) else ", ".join(structured)
    return element or ", ".join(structured) or None


def _published(
    tree: HtmlElement, meta: dict[str, str], ld_date: str | None, ld_modified: str | None
) -> datetime | None:
    """The publication date: the first the page states; one given without an offset gets the
    offset the page states elsewhere (another tag, JSON-LD, a ``<time>``), else UTC."""
    candidates = [ld_date] + [meta.get(key) for key in _DATE_KEYS]
    candidates += tree.xpath("//*[@itemprop='datePublished']/@datetime")
    candidates += tree.xpath("//article//time/@datetime") or tree.xpath("//time[@pubdate]/@datetime")
    others = [ld_modified] + [meta.get(key) for key in _OTHER_DATE_KEYS] + tree.xpath("//time/@datetime")
    for index, candidate in enumerate(candidates):
        parsed = parse_local_datetime(candidate)
        if parsed is None:
            continue
        if parsed.tzinfo is not None:
            return parsed
        timed = None if has_time(candidate) else _timed_same_day(parsed, candidates[index + 1 :])
        if timed is not None:
            return timed  # a day only: a full time another publication tag gives for that day is better
        rest = [parse_local_datetime(value) for value in candidates[index + 1 :] + others]
        return with_offset_from(parsed, [other for other in rest if other is not None])
    return None


def _timed_same_day(day: datetime, values: list[str | None]) -> datetime | None:
    """The first of ``values`` with a time of day and an offset that falls on ``day``."""
    for value in values:
        other = parse_local_datetime(value)
        if other is not None and other.tzinfo is not None and has_time(value) and other.date() == day.date():
            return other
    return None
