"""The visible text of a stored page, shown beside the extraction for comparison."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError

_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
_BLOCKS = (
    *("p", "div", "li", "br", "tr", "blockquote", "figcaption"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
    *("section", "article", "header", "footer", "nav", "aside"),
)


def page_text(html: str) -> str:
    """Every visible line of a page, scripts and styles removed; never HTML."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
