"""Tell a standfirst (a block of its own next to the headline) from an opening paragraph.

Pages often repeat a text as their description: either a real standfirst, printed
between the headline and the article, or simply a copy of the article's first
paragraph. Only the page's structure tells them apart.
"""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement

from newsdesk.extract.text import words

_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# a container holding up to this many times the lede's words is a header block, not the article text
_HEADER_BLOCK_RATIO = 3


def find_block(tree: HtmlElement, text: str) -> HtmlElement | None:
    """The outermost element whose whole text is ``text`` (compared word by word), else None."""
    target = words(text)
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if not target or not first:
        return None
    # cheap filter in C: blocks whose text starts with the same first word (drop caps included)
    for element in _CANDIDATES(tree, first=first):
        if words(element.text_content()) == target:
            return element
    return None


_CANDIDATES = XPath(
    "//body//*[self::p or self::div or self::span or self::section or self::header or self::h2 or self::h3"
    " or self::h4 or self::h5 or self::h6 or self::strong or self::em or self::b or self::blockquote]"
    "[starts-with(normalize-space(), $first)]"
)


def is_standfirst(block: HtmlElement) -> bool:
    """True when a block stands apart from the article text: a sub-heading, right after
    the headline, or alone in a small header container; False when a text paragraph follows it."""
    if block.tag in _HEADINGS:
        return True
    previous = _sibling(block, forward=False)
    if previous is not None and (previous.tag == "h1" or previous.find(".//h1") is not None):
        return True
    following = _sibling(block, forward=True)
    if following is not None and following.tag == "p" and words(following.text_content()):
        return False
    parent = block.getparent()
    if parent is None:
        return True
    return len(words(parent.text_content())) <= _HEADER_BLOCK_RATIO * len(words(block.text_content()))


def _sibling(element: HtmlElement, forward: bool) -> HtmlElement | None:
    sibling = element.getnext() if forward else element.getprevious()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext() if forward else sibling.getprevious()
    return sibling
