"""The article's main text: trafilatura's extraction, as clean paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from newsdesk.extract.metadata import PageMetadata
from newsdesk.extract.paragraphs import tree_paragraphs
from newsdesk.extract.quality import PageText, body_doubt, prose_words
from newsdesk.extract.standfirst import find_block, is_standfirst
from newsdesk.extract.text import same_words, starts_with_words, words

_URL_RE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_MAX_LEADING = 6  # header lines are only looked for among the first paragraphs
_SHORT_LINE_WORDS = 14


@dataclass
class Body:
    """Body paragraphs, and the lede once checked against them."""

    paragraphs: list[str]
    lede: str | None


def extract_paragraphs(tree: HtmlElement, url: str | None, page: PageText | None = None) -> list[str]:
    """Main-text paragraphs of a parsed page, as trafilatura finds them (comments excluded).

    The fast pass (trafilatura's own heuristics) is the best and quickest on most pages. When
    its result is in doubt (``body_doubt``: too short, hardly any sentence ends, mostly link
    texts, or a small part of the page's main run of text), the full pass (compared with
    readability and jusText) is run too and kept when it passes the same check, or else when
    it holds more prose. ``page`` is the page's ``PageText`` when the caller has read it already.
    """
    paragraphs = _trafilatura_paragraphs(tree, url, fast=True)
    page = page or PageText.of(tree)
    if body_doubt(paragraphs, page) is None:
        return paragraphs
    retry = _trafilatura_paragraphs(tree, url, fast=False)
    if retry and body_doubt(retry, page) is None:
        return retry
    return max((paragraphs, retry), key=_prose_and_length)


def _prose_and_length(paragraphs: list[str]) -> tuple[float, int]:
    return prose_words(paragraphs), sum(len(p) for p in paragraphs)


def _trafilatura_paragraphs(tree: HtmlElement, url: str | None, fast: bool) -> list[str]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
    )
    if document is None or document.body is None:
        return []
    return tree_paragraphs(document.body)


def strip_header_lines(
    paragraphs: list[str], meta: PageMetadata, lede: str | None, tree: HtmlElement
) -> Body:
    """Drop the page's header (title, standfirst, byline, dateline, URL) from the top of the body.

    A lede that merely copies the opening paragraph is no standfirst: the paragraph
    stays in the body and the lede is dropped, so the text is never shown twice. So does a
    lede that copies the only paragraph left.
    """
    paragraphs = list(paragraphs)
    checked = 0
    while paragraphs and checked < _MAX_LEADING:
        checked += 1
        first = paragraphs[0]
        if _is_title(first, meta) or _is_url(first) or _is_byline_or_dateline(first, meta):
            paragraphs.pop(0)
            continue
        if lede and _is_excerpt(lede, first):
            return Body(paragraphs, None)  # the description is the opening paragraph's first words
        if lede and (same_words(first, lede) or _is_truncated_copy(lede, first)):
            if len(paragraphs) == 1:
                return Body(paragraphs, None)  # the description is all the text there is: it is the body
            block = find_block(tree, first)
            if block is not None and not is_standfirst(block):
                return Body(paragraphs, None)
            paragraphs.pop(0)
            if len(words(first)) > len(words(lede)):
                lede = first  # the description was cut short; the page has it whole
            continue
        break
    return Body(paragraphs, lede)


def _is_title(text: str, meta: PageMetadata) -> bool:
    return any(same_words(text, heading) for heading in (meta.title, *meta.headings))


def _is_url(text: str) -> bool:
    return bool(_URL_RE.match(text))


def _is_truncated_copy(lede: str, paragraph: str) -> bool:
    """The lede is the paragraph cut short with an ellipsis."""
    stripped = lede.rstrip(" .…")
    if not lede.rstrip().endswith(("…", "...")) or len(words(stripped)) < 8:
        return False
    return starts_with_words(paragraph, " ".join(words(stripped)[:-1]))


def _is_excerpt(lede: str, paragraph: str) -> bool:
    """The lede is the paragraph's first sentence(s), complete: the page's own excerpt."""
    if lede.rstrip().endswith(("…", "...")):
        return False
    lede_words = words(lede)
    return len(words(paragraph)) > len(lede_words) >= 8 and starts_with_words(paragraph, lede)


def _is_byline_or_dateline(text: str, meta: PageMetadata) -> bool:
    tokens = words(text)
    if not tokens or len(tokens) > _SHORT_LINE_WORDS:
        return False
    if meta.byline and same_words(text, meta.byline):
        return True
    if meta.byline:
        name = words(meta.byline.split(",")[0])
        if len(name) >= 2 and _contains(tokens, name):
            return True
    if meta.published is not None:
        year = str(meta.published.year)
        day = str(meta.published.day)
        if year in tokens and (day in tokens or day.zfill(2) in tokens):
            return True
    return False


def _contains(tokens: list[str], part: list[str]) -> bool:
    return any(tokens[i : i + len(part)] == part for i in range(len(tokens) - len(part) + 1))
