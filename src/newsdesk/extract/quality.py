"""Does an extracted body look like the article? Cheap signals that hold in any language.

Running prose has a sentence end every few dozen words, is not made of link texts, and holds
at least the page's largest run of text paragraphs; a navigation menu, an image caption or an
introduction taken alone fails one of these.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml.html import HtmlElement

from newsdesk.extract.text import clean_text, word_equivalent

MIN_CHARS = 250  # a body shorter than this has probably missed the article
MIN_ENDS_PER_100_WORDS = 1.0  # prose: a sentence ends every 15 to 40 words; a menu: hardly ever
MAX_LINKED_SHARE = 0.5  # of the body's words in paragraphs that are whole link texts
MIN_COVER = 0.5  # of the words of the page's main run of text paragraphs
SENTENCE_WORDS = 8  # a paragraph shorter than this is a heading or a label, not prose
_MAX_SENTENCE_WORDS = 40  # a paragraph counts as prose for at most this many words per sentence end
_LINK_WORDS = 25  # longer than a headline: no link text
_MIN_PROSE_CHARS = 20  # shorter than any sentence-like paragraph (8 words, or 20 CJK characters)

# Sentence ends: Latin-script punctuation before a space or the end (closing quotes allowed);
# the full stops of scripts that do not put a space after them (CJK, Devanagari, Arabic, Armenian,
# Ethiopic, Myanmar, Khmer) wherever they are.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？．।॥؟۔։።။។]")


def sentence_ends(text: str) -> int:
    """How many sentences end in ``text``."""
    return len(_SENTENCE_END.findall(text))


def is_sentence_like(text: str) -> bool:
    """A paragraph of running text: a few words and at least one sentence end."""
    return word_equivalent(text) >= SENTENCE_WORDS and sentence_ends(text) > 0


def prose_words(paragraphs: list[str]) -> float:
    """Words of running text in ``paragraphs``, at most 40 per sentence end in each, so that a
    long run of words without punctuation (a menu flattened into one block) counts for little."""
    total = 0.0
    for paragraph in paragraphs:
        count = word_equivalent(paragraph)
        if count >= SENTENCE_WORDS:
            total += min(count, _MAX_SENTENCE_WORDS * sentence_ends(paragraph))
    return total


class PageText:
    """What the page holds besides the extracted body: the words of its largest group of sibling
    text paragraphs (``p`` elements under one parent), and its link texts (read when first asked)."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        runs: dict[HtmlElement, float] = {}
        for p in tree.iter("p"):
            text = clean_text(p.text_content()) or ""
            if len(text) >= _MIN_PROSE_CHARS and is_sentence_like(text):
                parent = p.getparent()
                runs[parent] = runs.get(parent, 0.0) + word_equivalent(text)
        self.main_run_words = max(runs.values(), default=0.0)

    @classmethod
    def of(cls, tree: HtmlElement) -> PageText:
        """Read a parsed page once."""
        return cls(tree)

    @cached_property
    def link_texts(self) -> set[str]:
        """The texts of the page's links, whitespace collapsed."""
        return {text for a in self._tree.iter("a") if (text := clean_text(a.text_content()))}


def body_doubt(paragraphs: list[str], page: PageText) -> str | None:
    """Why ``paragraphs`` may not be the article (None when they look like it): too short, too
    few sentence ends, mostly link texts, or a small part of the page's main run of text."""
    if sum(len(p) for p in paragraphs) < MIN_CHARS:
        return "too short"
    count = sum(word_equivalent(p) for p in paragraphs)
    if 100 * sum(sentence_ends(p) for p in paragraphs) < MIN_ENDS_PER_100_WORDS * count:
        return "few sentence ends"
    # only short paragraphs can be whole link texts: the page's links are read when they could be half
    short = [(p, n) for p in paragraphs if (n := word_equivalent(p)) <= _LINK_WORDS]
    half = MAX_LINKED_SHARE * count
    if sum(n for _, n in short) >= half and sum(n for p, n in short if p in page.link_texts) >= half:
        return "mostly link texts"
    if page.main_run_words and prose_words(paragraphs) < MIN_COVER * page.main_run_words:
        return "a small part of the page's text"
    return None
