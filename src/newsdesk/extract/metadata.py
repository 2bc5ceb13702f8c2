"""Article metadata from the page: JSON-LD, Open Graph, meta tags and the byline element."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsdesk.extract.dates import parse_datetime
from newsdesk.extract.jsonld import read_jsonld
from newsdesk.extract.text import clean_text, words

_TITLE_SEPARATORS_RE = re.compile(r"\s+(?:\||-|–|—|·|•|::|//|»|:)\s+")
_BYLINE_PREFIX_RE = re.compile(r"^(?:by|par|von|por|di|door|av|af|przez|от|автор)\b[:\s]*", re.IGNORECASE)
_BYLINE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[@itemprop='author']",
    "//*[@rel='author']",
)
_MAX_BYLINE_CHARS = 120
# dates, handles, e-mail addresses and widget separators: a block with more than a byline
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
)
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")


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


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Collect the article's metadata from a parsed page."""
    meta = _meta_values(tree)
    ld = read_jsonld(tree)
    site_name = (
        clean_text(meta.get("og:site_name")) or ld.publisher or clean_text(meta.get("application-name"))
    )
    h1 = _first_text(tree, "//article//h1") or _first_text(tree, "//h1")
    page_title = _first_text(tree, "//head/title") or _first_text(tree, "//title")
    title = _choose_title(
        [meta.get("og:title"), ld.headline, h1, meta.get("twitter:title"), page_title],
        site_name,
        url,
        h1,
    )
    lede = (
        ld.description
        or clean_text(meta.get("og:description"))
        or clean_text(meta.get("description"))
        or clean_text(meta.get("twitter:description"))
    )
    structured_author = ", ".join(ld.authors) or _meta_author(meta)
    return PageMetadata(
        canonical_url=_canonical(tree, meta, ld.url, url),
        title=title,
        lede=lede,
        byline=_choose_byline(_byline_element(tree), structured_author),
        published=_published(tree, meta, ld.date_published),
        site_name=site_name,
        language=normalise_language(tree.get("lang"))
        or normalise_language(ld.language)
        or normalise_language(meta.get("content-language"))
        or normalise_language(meta.get("og:locale")),
        headings=tuple(t for t in (h1, clean_text(meta.get("og:title")), ld.headline, page_title) if t),
    )


def normalise_language(code: str | None) -> str | None:
    """``en-US`` / ``fr_FR`` / ``EN`` → ``en``; anything else → None."""
    if not code:
        return None
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return base if 2 <= len(base) <= 3 and base.isalpha() else None


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove a leading or trailing site-name segment (``Title | Site``) from a title."""
    parts = _TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    names = [words(name) for name in site_names if words(name)]
    joined = ["".join(name) for name in names]

    def is_site(segment: str) -> bool:
        seg = words(segment)
        return bool(seg) and (seg in names or "".join(seg) in joined)

    if is_site(parts[-1]):
        stripped = _cut_last_separator(title)
    elif is_site(parts[0]):
        stripped = _cut_first_separator(title)
    else:
        return title
    return stripped if words(stripped) else title


def _cut_last_separator(title: str) -> str:
    matches = list(_TITLE_SEPARATORS_RE.finditer(title))
    return title[: matches[-1].start()].strip()


def _cut_first_separator(title: str) -> str:
    match = _TITLE_SEPARATORS_RE.search(title)
    return title[match.end() :].strip() if match else title


def _choose_title(
    candidates: list[str | None], site_name: str | None, url: str, h1: str | None
) -> str | None:
    site_names = [name for name in (site_name, _host_label(url)) if name]
    for candidate in candidates:
        text = clean_text(candidate)
        if not text:
            continue
        text = strip_site_name(text, site_names)
        if h1 and len(words(h1)) >= 2 and words(text)[: len(words(h1))] == words(h1):
            return h1  # the <title> is the headline plus a suffix we do not know
        return text
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


def _meta_author(meta: dict[str, str]) -> str | None:
    for key in _AUTHOR_KEYS:
        value = clean_text(meta.get(key))
        if value and not value.startswith(("http://", "https://")):
            return value
    return None


def _byline_element(tree: HtmlElement) -> str | None:
    for xpath in _BYLINE_XPATHS:
        for element in tree.xpath(xpath):
            content = element.get("content") if element.tag == "meta" else element.text_content()
            text = clean_byline(content)
            if text and not _NOT_A_BYLINE_RE.search(text):
                return text
    return None


def clean_byline(value: str | None) -> str | None:
    """Tidy a printed byline: whitespace collapsed, a leading "By" dropped; too long → None."""
    text = clean_text(value)
    if not text:
        return None
    text = _BYLINE_PREFIX_RE.sub("", text).strip(" ,;|-–—")
    if not text or len(text) > _MAX_BYLINE_CHARS or not words(text):
        return None
    return text


def _choose_byline(element: str | None, structured: str | None) -> str | None:
    """The page's byline element when it is a clean line naming the structured author once
    (it is then richer, e.g. with the author's role), else the structured author."""
    if element and structured:
        first = words(structured.split(",")[0])
        element_words = words(element)
        hits = sum(element_words[i : i + len(first)] == first for i in range(len(element_words)))
        return element if hits == 1 else structured
    return element or structured


def _published(tree: HtmlElement, meta: dict[str, str], ld_date: str | None) -> datetime | None:
    candidates = [ld_date] + [meta.get(key) for key in _DATE_KEYS]
    candidates += tree.xpath("//*[@itemprop='datePublished']/@datetime")
    candidates += tree.xpath("//article//time/@datetime") or tree.xpath("//time[@pubdate]/@datetime")
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    return None
