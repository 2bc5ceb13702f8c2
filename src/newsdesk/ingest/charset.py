"""Decoding fetched or saved documents (pages and feeds) to text, by one rule.

Order: a byte-order mark; the declared charsets (Content-Type, then an XML declaration or
``<meta charset>``), each tried strictly; UTF-8, strictly; UTF-8 with a few stray bytes
replaced when nearly all of it is UTF-8; then a guess (charset_normalizer), where text whose
guess is in Latin script is read as Windows-1252. A declaration that does not fit the bytes
is passed over, never obeyed with replacement characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# An XML document without a BOM starts with "<?" in its own encoding (XML 1.0, appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# How much of a document the guess reads.
_GUESS_SAMPLE = 64 * 1024
# Characters that are not letters of any script: they say nothing about the script of a guess.
_NEUTRAL = ("P", "S", "Z", "N", "C")


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip())
    except LookupError:
        return None
    # Documents that declare ASCII or Latin-1 are in practice Windows-1252.
    return "cp1252" if codec.name in ("ascii", "latin-1", "iso8859-1") else codec.name


def declared_charsets(data: bytes, content_type: str | None = None) -> list[str]:
    """The charsets a document declares, strongest first, without repeats: a BOM (or the
    wide start of an XML document), the Content-Type, an XML declaration, a ``<meta>`` tag."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return [name]
    found: list[str | None] = [name for start, name in _WIDE_STARTS if data.startswith(start)]
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        found.append(_known(match.group(1)) if match else None)
    head = data[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            found.append(_known(match.group(1).decode("ascii", "ignore")))
    return list(dict.fromkeys(name for name in found if name))


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """A fetched or saved document (page or feed) as text, by the rule of this module; never fails."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace")
    tried = set()
    for name in [*declared_charsets(content, content_type), "utf-8"]:
        if name in tried:
            continue
        tried.add(name)
        try:
            return content.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    if _mostly_utf8(content):
        return content.decode("utf-8", errors="replace")
    return _guess(content)


def _mostly_utf8(content: bytes) -> bool:
    """Whether UTF-8 with a few stray bytes: its valid non-ASCII characters outnumber, at least
    twice over, the bytes that do not decode (text in a legacy charset makes valid UTF-8 sequences
    only by rare chance)."""
    text = content.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    valid = sum(1 for char in text if char > "\x7f") - stray
    return valid >= 2 * stray


def _is_latin(text: str) -> bool:
    """Whether the non-ASCII letters of ``text`` are mostly of the Latin script."""
    letters = [c for c in text if c > "\x7f" and not unicodedata.category(c).startswith(_NEUTRAL)]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return not letters or latin * 2 > len(letters)


def _guess(content: bytes) -> str:
    """Undeclared (or wrongly declared) text in a legacy charset: charset_normalizer's guess,
    except that Latin-script text is read as Windows-1252 (detection cannot tell the
    Latin charsets apart on short texts, and Windows-1252 is by far the most used)."""
    sample = content[:_GUESS_SAMPLE]
    wide_ok = b"\x00" in content[:4096]  # UTF-16/32 without a BOM always has NUL bytes
    for match in from_bytes(sample):
        name = match.encoding
        if not wide_ok and name.replace("_", "").replace("-", "").lower().startswith(("utf16", "utf32")):
            continue
        if _is_latin(str(match)):
            break
        try:
            return content.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode("cp1252", errors="replace")
