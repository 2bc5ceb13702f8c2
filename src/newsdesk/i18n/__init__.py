"""The interface in the reader's language: gettext catalogs for the web, the exports and the CLI.

English is the source language; ``INTERFACE_LANGUAGES`` have a catalog under ``locale/``. Any other
reader language (``pt``, say) keeps its headlines and dates but reads the interface in English.
See docs/i18n.md for adding a string or a language."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

DOMAIN = "newsdesk"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
INTERFACE_LANGUAGES = ("en", "fr", "de", "es", "ru", "uk")


def interface_language(language: str | None) -> str:
    """The catalog a reader language reads: ``fr-CA`` → ``fr``; one without a catalog → ``en``."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return base if base in INTERFACE_LANGUAGES else SOURCE_LANGUAGE


@lru_cache(maxsize=len(INTERFACE_LANGUAGES))
def _catalog(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translations(language: str | None) -> gettext.NullTranslations:
    """The interface's translations for a reader language, read once per process (untranslated
    strings stay in English)."""
    return _catalog(interface_language(language))
