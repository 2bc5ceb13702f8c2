"""``extract_page``: one collected page → clean text and metadata."""

from __future__ import annotations

from datetime import UTC

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsdesk.extract.body import extract_paragraphs, strip_header_lines
from newsdesk.extract.boilerplate import drop_boilerplate
from newsdesk.extract.errors import ExtractionError, NotAnArticle
from newsdesk.extract.metadata import PageMetadata, clean_byline, read_metadata, strip_site_name
from newsdesk.extract.pagekind import ARTICLE, declared_kind, listing_reason
from newsdesk.extract.quality import PageText
from newsdesk.extract.text import clean_text, strip_markup, word_equivalent
from newsdesk.models import Extracted, FeedEntry, RawPage

MIN_BODY_WORDS = 20  # fewer words than this is a menu, a stub or an error page, not an article
# (50 characters of Chinese or Japanese: see ``word_equivalent``)


def parse_page(page: RawPage) -> HtmlElement:
    """Parse the page's HTML once into an lxml tree, or raise ExtractionError."""
    if not page.html or not page.html.strip():
        raise ExtractionError(page.url, "empty page")
    tree = load_html(page.html)
    if tree is None:
        raise ExtractionError(page.url, "the HTML could not be parsed")
    return tree


def extract_page(page: RawPage) -> Extracted:
    """Extract an article's metadata and main text; the feed entry fills missing fields.

    Raises NotAnArticle for a home page, a section front or another list of links (see
    ``pagekind``), and ExtractionError when the page has no main text.
    """
    url = page.final_url or page.url
    tree = parse_page(page)
    meta = read_metadata(tree, url)
    _fill_from_entry(meta, page.entry)
    kind = declared_kind(tree)
    page_text = PageText.of(tree)
    paragraphs = drop_boilerplate(extract_paragraphs(tree, url, page_text))
    if not paragraphs:
        raise _no_article(page.url, kind, "no main text found")
    body = strip_header_lines(paragraphs, meta, meta.lede, tree)
    if not body.paragraphs:
        raise _no_article(page.url, kind, "the main text is only the page's header")
    reason = listing_reason(tree, url, body.paragraphs, kind, page_text)
    if reason:
        raise NotAnArticle(page.url, reason)
    count = sum(word_equivalent(paragraph) for paragraph in body.paragraphs)
    if count < MIN_BODY_WORDS:
        raise _no_article(page.url, kind, f"too little main text ({count:.0f} words), not an article")
    return Extracted(
        url=page.url,
        canonical_url=meta.canonical_url,
        title=meta.title,
        lede=body.lede,
        byline=meta.byline,
        published=meta.published,
        paragraphs=body.paragraphs,
        site_name=meta.site_name,
        page_language=meta.language,
        image_url=meta.image,
    )


def _no_article(url: str, kind: str | None, reason: str) -> ExtractionError:
    """A page without article text: not an article when it declares itself a site or a list
    (skipped for good), else an extraction failure (tried again later)."""
    if kind and kind != ARTICLE:
        return NotAnArticle(url, f"not an article: {kind}; {reason}")
    return ExtractionError(url, reason)


def _fill_from_entry(meta: PageMetadata, entry: FeedEntry | None) -> None:
    """Use the feed's title, summary, date and author where the page has none."""
    if entry is None:
        return
    if not meta.title and entry.title:
        title = clean_text(strip_markup(entry.title))
        meta.title = strip_site_name(title, [meta.site_name]) if title and meta.site_name else title
    if not meta.lede:
        meta.lede = strip_markup(entry.summary)
    if meta.published is None and entry.published is not None:
        published = entry.published
        meta.published = published if published.tzinfo else published.replace(tzinfo=UTC)
    if not meta.byline:
        meta.byline = clean_byline(entry.author)
