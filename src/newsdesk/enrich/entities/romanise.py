"""Romanisation and a spelling-tolerant key for names.

``Yury Ushakov``, ``Yuri Ushakov``, ``Iouri Ouchakov`` (French), ``Juri Uschakow`` (German)
and ``Юрий Ушаков`` all get the key ``iuri usakov``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from newsdesk.enrich.entities.text import base_language

# Applied in order to a lower-case ASCII token. Coarse on purpose: the key only decides
# which spellings may be the same name; the rest of the linking decides whether they are.
_KEY_RULES: tuple[tuple[str, str], ...] = (
    (r"[^a-z]", ""),
    (r"dzh", "j"),  # Джо, Джонсон (Russian and Ukrainian for J)
    (r"tsch|tch|sch|ch|sh|zh|sz|cz", "s"),  # Ouchakov, Uschakow, Ushakov; Zhukov, Joukov
    (r"kh", "h"),
    (r"ph", "f"),
    (r"ck|q", "k"),
    (r"c(?![eiy])", "k"),  # Ricardo, Рикардо; Marc, Марк
    (r"x", "ks"),
    (r"z", "s"),
    (r"w", "v"),
    (r"ou", "u"),  # Ouchakov, Poutine
    (r"[yj]", "i"),  # Yury, Juri, Iouri
    (r"gu(?=[ei])", "g"),  # Sergueï
    (r"(.)\1+", r"\1"),  # Witkoff, Zelenskyy, Yuriy → one letter
    (r"(?<=[^aeiou])e$", ""),  # Poutine → putin
)
_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _KEY_RULES)
# Russian and Ukrainian write an English W before a vowel as У: Уотфорд, Уэльс, Уильям.
_CYRILLIC_W = re.compile(r"(?<!\w)[Уу](?=[эоаиеЭОАИЕ])")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=65536)
def romanise(text: str, language: str | None = None) -> str:
    """Latin letters for any script; Ukrainian in the Ukrainian national (press) system."""
    if text.isascii():
        return text
    text = _CYRILLIC_W.sub("W", text)
    if base_language(language) == "uk" and re.search("[\u0400-\u04ff]", text):
        from translitua import translit

        text = translit(text)
    return anyascii(text)


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The key of one romanised word (see the module's docstring)."""
    key = token.lower()
    for pattern, repl in _COMPILED:
        key = pattern.sub(repl, key)
    return key


def name_tokens(text: str, language: str | None = None) -> list[str]:
    """The romanised words of a name, apostrophes and hyphens kept inside words."""
    return _TOKEN.findall(romanise(text, language))


_VOWELS = re.compile(r"[aeiou]+")


@lru_cache(maxsize=65536)
def consonant_key(key: str) -> str:
    """A coarser key for one word's key: its first letter (any vowel as ``a``), then its
    consonants (c as k, h dropped). Transliterations between scripts differ mostly in vowels
    and h: ``Watford`` and ``Уотфорд``, ``Obeid`` and ``Обейда`` have the same."""
    if not key:
        return key
    key = key.replace("c", "k")
    head = "a" if key[0] in "aeiou" else key[0]
    return re.sub(r"(.)\1+", r"\1", head + _VOWELS.sub("", key[1:].replace("h", "")))


def raw_tokens(text: str) -> list[str]:
    """The words of a name as written (not romanised)."""
    return _TOKEN.findall(text)


def name_key(text: str, language: str | None = None) -> str:
    """The key of a whole name: the keys of its words, space-separated."""
    return " ".join(k for k in (token_key(t) for t in name_tokens(text, language)) if k)
