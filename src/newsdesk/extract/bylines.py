"""Author names as pages give them, tidied into person bylines.

Pages put more than names where the author goes: the outlet itself ("n-tv NACHRICHTEN",
"Deutsche Welle (www.dw.com)"), an e-mail address, a user id, the text of the follow buttons
next to the name ("Twitter", "Follow", "Tips meg"), library-style "Last, First". These helpers
keep the persons, in the page's order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from newsdesk.extract.text import clean_text, words

MAX_BYLINE_CHARS = 120
_BYLINE_PREFIX_RE = re.compile(r"^(?:by|par|von|por|di|door|av|af|przez|от|автор)\b[:\s]*", re.IGNORECASE)
_PART_SEPARATOR_RE = re.compile(r"\s*(?:[,;]|\s\|\s|\s/\s)\s*")
_EMAIL_RE = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DOMAIN_RE = re.compile(r"\(?\b(?:https?://)?(?:[\w-]+\.)+(?:[a-z]{2,6}|[A-Z]{2,6})\b(?:/\S*)?\)?")
# what a share or contact widget prints next to the name
_WIDGET_WORDS = {
    "twitter", "facebook", "instagram", "linkedin", "mastodon", "bluesky", "youtube", "tiktok",
    "whatsapp", "telegram", "xing", "rss", "follow", "folgen", "suivre", "seguir", "segui", "volgen",
    "følg", "följ", "seuraa", "obserwuj", "sledovat", "email", "e-mail", "mail", "contact", "kontakt",
    "kontakta", "profil", "profile", "bio",
}  # fmt: skip
_WIDGET_PHRASES = (("tips", "meg"), ("tipsa", "mig"), ("send", "tips"), ("more", "from"), ("mehr", "von"))
_GLUED_WIDGET_RE = re.compile(
    r"(?<=[a-zà-öø-ÿ])(?=(?:Follow|Twitter|Facebook|Instagram|LinkedIn|E-Mail|Email|Folgen|Suivre|Seguir)\b)"
)
_TRAILING_PUNCTUATION = " ,;:|-–—·•()[]<>"


def clean_byline(value: str | None) -> str | None:
    """Tidy a printed byline: entities decoded, whitespace collapsed, a leading "By" dropped;
    too long → None."""
    text = clean_text(html.unescape(value)) if value else None
    if not text:
        return None
    text = _BYLINE_PREFIX_RE.sub("", text).strip(" ,;|-–—")
    if not text or len(text) > MAX_BYLINE_CHARS or not words(text):
        return None
    return text


def clean_authors(
    values: Iterable[str | None], outlets: Iterable[str | None], inverted: bool = False
) -> list[str]:
    """The person bylines among ``values``, in order, each once.

    A value may hold several names separated by commas, semicolons or bars. ``outlets`` are the
    publisher's names (site name, publisher, host): a value that is one of them is not a byline.
    ``inverted`` values come from citation meta tags, written "Last, First".
    """
    keys = outlet_keys(outlets)
    authors: list[str] = []
    for value in values:
        text = clean_byline(value)
        if not text:
            continue
        parts = []
        for piece in text.split(";") if inverted else [text]:
            uninverted = _uninvert(piece) if inverted else None
            parts += [uninverted] if uninverted else _PART_SEPARATOR_RE.split(piece)
        for part in parts:
            name = clean_author(part, keys)
            if name and name not in authors:
                authors.append(name)
    return authors


def clean_author(part: str, outlet_keys: list[list[str]]) -> str | None:
    """One author: e-mail address, domain and widget text removed; None when what is left is no
    person (empty, a number, the outlet)."""
    text = _strip_email(part)
    if text is None:
        return None
    text = _strip_domain(text)
    if text is None:
        return None
    text = _cut_widget_text(_GLUED_WIDGET_RE.sub(" ", text)).strip(_TRAILING_PUNCTUATION)
    tokens = words(text)
    if not tokens or not any(ch.isalpha() for ch in text) or is_outlet(text, outlet_keys):
        return None
    return text


def is_outlet(name: str, outlet_keys: list[list[str]], extra_words: int = 2) -> bool:
    """True when ``name`` is the outlet: its words are a name of the outlet (spaces ignored), or
    that name followed by at most ``extra_words`` more words ("n-tv NACHRICHTEN", "BBC News")."""
    tokens = _outlet_key(name)
    joined = "".join(tokens)
    for key in outlet_keys:
        if joined == "".join(key):
            return True
        if tokens[: len(key)] == key and len(tokens) - len(key) <= extra_words:
            return True
    return False


def outlet_keys(names: Iterable[str | None]) -> list[list[str]]:
    """Word sequences ``is_outlet`` compares with."""
    return [key for key in (_outlet_key(name) for name in names if name) if key]


def _outlet_key(name: str) -> list[str]:
    text = name.strip().removeprefix("@")
    text = re.sub(r"^(?:https?://)?(?:www\.)?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\.[a-z]{2,6}$", "", text, flags=re.IGNORECASE)  # "Le Monde.fr", "MDR.DE"
    return words(text)


def _strip_email(text: str) -> str | None:
    """The name beside an e-mail address, or the name the address spells (dieter.kuckelkorn@…);
    None when there is neither."""
    match = _EMAIL_RE.search(text)
    if not match:
        return text
    rest = clean_text((text[: match.start()] + " " + text[match.end() :]).strip(_TRAILING_PUNCTUATION))
    if rest and any(ch.isalpha() for ch in rest):
        return rest
    local = match.group(0).removeprefix("mailto:").split("@", 1)[0]
    pieces = [piece for piece in re.split(r"[._-]", local) if piece]
    if 2 <= len(pieces) <= 3 and all(piece.isalpha() and len(piece) >= 2 for piece in pieces):
        return " ".join(piece.capitalize() for piece in pieces)
    return None


def _strip_domain(text: str) -> str | None:
    """A domain in a name: "(www.dw.com)" after a name glosses the outlet (None); otherwise the
    name is what comes before it ("Markus Steinrisser Motorsport-Magazin.com Redakteur")."""
    match = _DOMAIN_RE.search(text)
    if not match:
        return text
    if match.group(0).startswith("("):
        return None
    before = text[: match.start()].strip(_TRAILING_PUNCTUATION)
    if not before or not before.split()[-1][:1].isupper():
        return None  # nothing before, or a phrase ("… for NJ.com") rather than a name
    return before


def _cut_widget_text(text: str) -> str:
    tokens = text.split()
    folded = [token.strip(_TRAILING_PUNCTUATION).casefold() for token in tokens]
    for index in range(1, len(tokens)):
        if folded[index] in _WIDGET_WORDS or tuple(folded[index : index + 2]) in _WIDGET_PHRASES:
            return " ".join(tokens[:index])
    return text


def _uninvert(name: str) -> str | None:
    """ "Kuckelkorn, Dieter" → "Dieter Kuckelkorn"; None when ``name`` is not written that way
    ("Jane Roe, John Doe" is two names: a surname is one word, or two before a single given name)."""
    pieces = [piece.strip() for piece in name.split(",")]
    if len(pieces) != 2 or not all(piece[:1].isupper() for piece in pieces):
        return None
    last, first = pieces
    last_words, first_words = len(last.split()), len(first.split())
    if (last_words == 1 and first_words <= 3) or (last_words == 2 and first_words == 1):
        return f"{first} {last}"
    return None
