"""Decoding fetched or saved pages to text: BOM, declared charset, UTF-8, then a guess."""

from __future__ import annotations

import codecs
import re

from trafilatura.utils import detect_encoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip())
    except LookupError:
        return None
    # HTML pages that declare ASCII or Latin-1 are in practice Windows-1252.
    return "cp1252" if codec.name in ("ascii", "latin-1", "iso8859-1") else codec.name


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the Content-Type, a BOM, an XML declaration or a ``<meta>`` tag."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
        if match and _known(match.group(1)):
            return _known(match.group(1))
    head = data[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            name = _known(match.group(1).decode("ascii", "ignore"))
            if name:
                return name
    return None


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """Page bytes as text; never fails.

    Order: byte-order mark, the Content-Type charset, an XML declaration or
    ``<meta charset>``, then UTF-8, then a statistical guess (undecodable
    bytes are replaced as a last resort).
    """
    charset = declared_charset(content, content_type)
    if charset:
        try:
            return content.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    wide_ok = b"\x00" in content[:4096]  # UTF-16/32 without a BOM always has NUL bytes
    for guess in detect_encoding(content):
        if not wide_ok and guess.replace("_", "").replace("-", "").lower().startswith(("utf16", "utf32")):
            continue
        try:
            return content.decode(guess)
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode("cp1252", errors="replace")
