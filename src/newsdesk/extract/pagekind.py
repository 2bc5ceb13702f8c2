"""Pages that are not articles: home pages, section fronts and other lists of teasers.

A page is skipped as "not an article" only on two kinds of evidence together: what it declares
(Open Graph ``og:type`` ``website``, or JSON-LD ``WebSite``/``CollectionPage``/``ItemList``/
``SearchResultsPage`` and no article type) and what its body is (mostly teasers: paragraphs
each under a headline that links to another page, or mostly link texts). A page declaring an
article type is never skipped, and a real article that carries ``og:type website`` keeps its
body of running text, so it is kept. A page that declares nothing is skipped only when its body
is nothing but teasers for at least three other pages.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from lxml.html import HtmlElement

from newsdesk.extract.jsonld import ARTICLE_TYPES, jsonld_types
from newsdesk.extract.quality import PageText
from newsdesk.extract.standfirst import find_block
from newsdesk.extract.text import words

ARTICLE = "article"
_LISTING_TYPES = ("website", "collectionpage", "itemlist", "searchresultspage")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HEADLINE_WORDS = 3  # a link of fewer words is a menu item or a "more", not a teaser's headline
_TEASER_PARAGRAPHS = 2  # a teaser's container holds at most this many paragraphs
_MIN_TEASERS = 2  # distinct pages the teasers of a declared listing link to
_MIN_TEASERS_UNDECLARED = 3


def declared_kind(tree: HtmlElement) -> str | None:
    """``"article"`` when the page declares an article (og:type ``article``, a JSON-LD article type);
    a description of the declaration when it declares a site or a list (``"og:type website"``);
    None when it declares neither."""
    og_types = [value.strip().lower() for value in tree.xpath("//meta[@property='og:type']/@content")]
    types = jsonld_types(tree)
    if types & ARTICLE_TYPES or any(value.startswith("article") for value in og_types):
        return ARTICLE
    if "website" in og_types:
        return "og:type website"
    listing = next((name for name in _LISTING_TYPES if name in types), None)
    return f"JSON-LD {listing}" if listing else None


def listing_reason(
    tree: HtmlElement, url: str, paragraphs: list[str], declared: str | None, page: PageText
) -> str | None:
    """Why the page is a list of other pages rather than an article (None for an article):
    its body is mostly teasers or link texts, and it declares itself a site or a list (or, when it
    declares nothing, every paragraph of its body is a teaser)."""
    if declared == ARTICLE or not paragraphs:
        return None
    counts = [len(words(p)) for p in paragraphs]
    total = sum(counts) or 1
    if declared and sum(_linked_words(p, page.link_texts) for p in paragraphs) * 2 >= total:
        return f"not an article: {declared} and its text is mostly links"
    own = {_address(url, url)}
    targets: set[str] = set()
    teaser_words = other_words = 0
    # a declared listing needs half of its words in teasers, an undeclared page all of them
    allowed = total // 2 if declared else 0
    for paragraph, count in zip(paragraphs, counts, strict=True):
        block = find_block(tree, paragraph)
        target = _teaser_target(block, url, own) if block is not None else None
        if target:
            targets.add(target)
            teaser_words += count
        else:
            other_words += count
            if other_words > allowed:
                return None
    if declared and len(targets) >= _MIN_TEASERS and teaser_words * 2 >= total:
        return f"not an article: {declared} and its text is teasers for {len(targets)} other pages"
    if not declared and len(targets) >= _MIN_TEASERS_UNDECLARED and teaser_words >= total:
        return f"not an article: its text is teasers for {len(targets)} other pages"
    return None


def _linked_words(paragraph: str, link_texts: set[str]) -> int:
    """How many of the paragraph's words are the page's link texts (a menu flattened into one
    paragraph is all of them); at most the paragraph's words."""
    linked = sum(len(words(text)) * paragraph.count(text) for text in link_texts if text in paragraph)
    return min(linked, len(words(paragraph)))


def _teaser_target(block: HtmlElement, url: str, own: set[str]) -> str | None:
    """The page that the headline of the teaser holding ``block`` links to, if ``block`` is in a
    small container (or one inside another) next to a heading that links elsewhere."""
    node = block
    for _ in range(2):
        parent = node.getparent()
        if parent is None or len(parent.findall(".//p")) > _TEASER_PARAGRAPHS:
            return None
        for child in parent:
            if child is node or not isinstance(child.tag, str):
                continue
            headings = [child] if child.tag in _HEADINGS else list(child.iter(*_HEADINGS))
            links = [a for heading in headings for a in heading.iter("a")]
            if child.tag == "a":
                links.append(child)
            for link in links:
                target = _address(url, link.get("href"))
                if target and target not in own and len(words(link.text_content())) >= _HEADLINE_WORDS:
                    return target
        node = parent
    return None


def _address(base: str, href: str | None) -> str | None:
    """The absolute address of a link, without its fragment or a final slash; None for none."""
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    return urldefrag(urljoin(base, href.strip()))[0].rstrip("/")
