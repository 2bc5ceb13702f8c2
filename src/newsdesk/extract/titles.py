"""The article's headline: which of the page's titles to trust, with the site's name and the
section cut off."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.extract.bylines import is_outlet, outlet_keys
from newsdesk.extract.text import NO_SPACE_SCRIPT, clean_text, same_words, starts_with_words, words

_TITLE_SEPARATORS_RE = re.compile(
    r"\s+(?:\||-|–|—|·|•|::|//|»|:)\s+"  # "Title | Site", "Site - Title"
    r"|\s*[|｜]\s*|\s*：\s*"  # a bar without spaces, a full-width colon: "タイトル：朝日新聞デジタル"
    # a dash or underscore without spaces next to Chinese or Japanese: "标题-新华网", "标题_新华网"
    rf"|(?<={NO_SPACE_SCRIPT.pattern})\s*[-_－—–]\s*|\s*[-_－—–]\s*(?={NO_SPACE_SCRIPT.pattern})"
)
_MAX_SECTION_WORDS = 4


def choose_title(
    og_title: str | None,
    ld_headline: str | None,
    h1s: list[str],
    twitter_title: str | None,
    page_title: str | None,
    site_names: list[str],
    sections: list[str],
) -> str | None:
    """The headline: the visible ``h1`` when the ``<title>`` or the JSON-LD headline confirms it
    (a divergent ``og:title`` is often a teaser for social media or a search-engine title); else
    the first of og:title, JSON-LD headline, h1, twitter:title, ``<title>``, without site name
    or section."""
    headlines = [h1 for h1 in h1s if _is_headline_sized(h1)]
    for h1 in headlines:
        if _title_confirms(page_title, h1, site_names, sections):
            return h1
    for h1 in headlines:
        if _ld_confirms(ld_headline, h1):
            return h1
    h1 = h1s[0] if h1s else None
    for candidate in (og_title, ld_headline, h1, twitter_title, page_title):
        text = clean_text(candidate)
        if not text:
            continue
        text = strip_title(text, site_names, sections)
        if h1 and len(words(h1)) >= 2 and starts_with_words(text, h1):
            return h1  # the title is the headline plus a suffix we do not know
        return text
    return None


def strip_site_name(title: str, site_names: Iterable[str | None]) -> str:
    """Remove a leading or trailing site-name segment (``Title | Site``, ``Site - Title``)."""
    return strip_title(title, site_names, [])


def strip_title(title: str, site_names: Iterable[str | None], sections: Iterable[str | None]) -> str:
    """Remove the site's name (``Title | MDR.DE``, ``タイトル：朝日新聞デジタル``) and a leading
    section (``Politik | Title``) from a title. The site is named by ``site_names`` (og:site_name,
    publisher, host), the section by ``sections`` (article:section, the URL's folders)."""
    site_keys = outlet_keys(site_names)
    section_keys = outlet_keys(sections)
    for _ in range(3):  # "Section | Title | Site": at most one cut at each end, and a section
        parts = _TITLE_SEPARATORS_RE.split(title)
        if len(parts) < 2:
            break
        if is_outlet(parts[-1], site_keys, extra_words=0):
            stripped = _cut_last_separator(title)
        elif is_outlet(parts[0], site_keys, extra_words=0) or (
            len(words(parts[0])) <= _MAX_SECTION_WORDS and is_outlet(parts[0], section_keys, extra_words=0)
        ):
            stripped = _cut_first_separator(title)
        else:
            break
        if not words(stripped):
            break
        title = stripped
    return title


def url_sections(url: str) -> list[str]:
    """The folders of a URL's path (``/politik/ausland/123.html`` → politik, ausland): the names
    a site's sections go by."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.IGNORECASE).split("?", 1)[0]
    folders = [folder for folder in path.split("/")[:-1] if folder]
    return [folder.replace("-", " ") for folder in folders if not folder.isdigit()]


def _title_confirms(page_title: str | None, h1: str, site_names: list[str], sections: list[str]) -> bool:
    """The ``<title>`` is the h1, or the h1 plus other segments (site, section)."""
    text = clean_text(page_title)
    if not text:
        return False
    stripped = strip_title(text, site_names, sections)
    if same_words(stripped, h1) or starts_with_words(stripped, h1):
        return True
    return any(same_words(part, h1) for part in _TITLE_SEPARATORS_RE.split(text)) and len(h1) >= max(
        len(part) for part in _TITLE_SEPARATORS_RE.split(text)
    )


def _ld_confirms(ld_headline: str | None, h1: str) -> bool:
    """The JSON-LD headline is the h1, or one of them the other cut short."""
    if not ld_headline:
        return False
    if same_words(ld_headline, h1):
        return True
    shorter = min(ld_headline, h1, key=lambda text: len(words(text)))
    return len(words(shorter)) >= 4 and (
        starts_with_words(h1, ld_headline) or starts_with_words(ld_headline, h1)
    )


def _is_headline_sized(text: str) -> bool:
    """Two words at least (six characters in scripts written without spaces): not a logo or a letter."""
    return len(words(text)) >= 2 or len(NO_SPACE_SCRIPT.findall(text)) >= 6


def _cut_last_separator(title: str) -> str:
    matches = list(_TITLE_SEPARATORS_RE.finditer(title))
    return title[: matches[-1].start()].strip()


def _cut_first_separator(title: str) -> str:
    match = _TITLE_SEPARATORS_RE.search(title)
    return title[match.end() :].strip() if match else title
