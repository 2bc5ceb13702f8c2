"""Turn trafilatura's output tree (p, head, list, quote, table …) into paragraphs."""

from __future__ import annotations

from lxml.etree import _Element

from newsdesk.extract.text import clean_text

_BLOCK_TAGS = {"p", "head", "list", "item", "quote", "table", "row", "code", "div", "body"}


def tree_paragraphs(body: _Element) -> list[str]:
    """Paragraphs of an extracted body, in document order.

    Lists give one paragraph per item, tables one per row (cells joined by " | "),
    and line breaks inside a block start a new paragraph.
    """
    paragraphs: list[str] = []
    _collect(body, paragraphs)
    return paragraphs


def _collect(element: _Element, out: list[str]) -> None:
    if element.tag == "table":
        for row in element.iter("row"):
            cells = [clean_text(_inline_text(cell)) for cell in row.iter("cell")]
            line = " | ".join(cell for cell in cells if cell)
            if line:
                out.append(line)
        return
    if any(child.tag in _BLOCK_TAGS for child in element):
        segments = [element.text or ""]
        for child in element:
            if child.tag in _BLOCK_TAGS:
                _flush(segments, out)
                _collect(child, out)
                segments = [child.tail or ""]
            elif child.tag == "lb":
                _flush(segments, out)
                segments = [child.tail or ""]
            else:
                segments.append(_inline_text(child))
                segments.append(child.tail or "")
        _flush(segments, out)
        return
    segments = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            _flush(segments, out)
            segments = []
        else:
            segments.append(_inline_text(child))
        segments.append(child.tail or "")
    _flush(segments, out)


def _flush(segments: list[str], out: list[str]) -> None:
    text = clean_text("".join(segments))
    if text:
        out.append(text)


def _inline_text(element: _Element) -> str:
    """Text of an inline element; nested line breaks become spaces."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "lb" else "")
        parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
