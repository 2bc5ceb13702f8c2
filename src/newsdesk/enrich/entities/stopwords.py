"""Stop words per language, read from the lists the ``yake`` package ships (34 languages)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from newsdesk.enrich.entities.text import base_language

_FILE_NAMES = {"cs": "cz"}


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """Lower-case stop words of ``language``; empty when there is no list for it."""
    code = base_language(language)
    if not code:
        return frozenset()
    try:
        folder = resources.files("yake") / "core" / "StopwordsList"
        raw = (folder / f"stopwords_{_FILE_NAMES.get(code, code)}.txt").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return frozenset(word.strip().lower() for word in text.split() if word.strip())


@lru_cache(maxsize=64)
def name_stopwords(language: str | None) -> frozenset[str]:
    """Stop words of ``language`` and of English: what a name's words are read without (names in
    any language hold English ones: "Centers for Disease Control")."""
    return stopwords(language) | stopwords("en")
