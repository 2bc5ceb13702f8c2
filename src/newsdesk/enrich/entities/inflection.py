"""Case endings on names: ``Путина``, ``Путіна``, ``Obamovi``, ``Merkels``, ``Obamának`` are Putin,
Obama, Merkel.

Russian, Ukrainian, Czech, Polish, Hungarian… put case endings on names, and German a genitive
``-s``. A name written so has, besides its own key, candidate base keys: the word without an
ending, or with the nominative ending put back (``Москвы`` → ``Москва``). The linker takes a
candidate only when it is *attested*: written so in a language that does not inflect names, or
given as the dictionary form by a model. Names seen in no other form keep their own key.
"""

from __future__ import annotations

from functools import lru_cache

from newsdesk.enrich.entities.romanise import romanise, token_key
from newsdesk.enrich.entities.text import base_language

# fmt: off
_SLAVIC_CYRILLIC = (
    "ами", "ями", "ого", "его", "ому", "ему", "ою", "ею", "ом", "ем", "ой", "ей", "ым", "им", "ых", "их",
    "ах", "ях", "ов", "ев", "ів", "їв", "ові", "еві", "ий", "ій", "ый", "ії", "ої", "а", "я", "у", "ю",
    "е", "и", "ы", "і", "ї",
)
_SLAVIC_LATIN = (
    "ovi", "ové", "ová", "ovou", "ou", "em", "ům", "ách", "ech", "ích", "ých", "ými", "ého", "ému", "ém",
    "ým", "u", "y", "e", "ě", "a", "i",
    "ie", "owi", "iem", "ą", "ę",
)
_HUNGARIAN = (
    "nak", "nek", "ban", "ben", "ba", "be", "ra", "re", "ról", "ről", "tól", "től", "nál", "nél",
    "hoz", "hez", "höz", "val", "vel", "nal", "nel", "ért", "on", "en", "ön", "ot", "et", "öt",
    "at", "t", "n", "i",
)
# fmt: on
ENDINGS: dict[str, tuple[str, ...]] = {
    "ru": _SLAVIC_CYRILLIC,
    "uk": _SLAVIC_CYRILLIC,
    "be": _SLAVIC_CYRILLIC,
    "bg": _SLAVIC_CYRILLIC,
    "cs": _SLAVIC_LATIN,
    "sk": _SLAVIC_LATIN,
    "pl": _SLAVIC_LATIN,
    "sl": _SLAVIC_LATIN,
    "hr": _SLAVIC_LATIN,
    "hu": _HUNGARIAN,
    "de": ("s", "es", "ns"),
}
# Nominative endings a stem may take back (Москвы → Москв + а), adjectives' and plurals' too
# (Южной Африке → Южная Африка, Соединенных Штатов → Соединенные Штаты, Новой Зеландии).
_RESTORED = {
    "ru": ("а", "я", "ь", "й", "ая", "ый", "ий", "ое", "ые", "ы", "и"),
    "uk": ("а", "я", "ь", "й", "ий", "і", "и", "ія"),
    "cs": ("a", "é", "y", "á", "ý"),
    "sk": ("a", "é", "y", "á", "ý"),
    "pl": ("a",),
}
_MIN_STEM = 3


def inflects(language: str | None) -> bool:
    """Whether names take case endings in ``language``."""
    return base_language(language) in ENDINGS


@lru_cache(maxsize=65536)
def base_candidates(word: str, language: str) -> tuple[str, ...]:
    """Keys the word may have in its base form, most likely first (its own key excluded)."""
    code = base_language(language)
    endings = ENDINGS.get(code)
    if not endings:
        return ()
    lower = word.lower().split("-")[0] if code == "hu" and "-" in word else word.lower()
    own = token_key(romanise(word, code))
    out: list[str] = []
    forms = [lower] if lower != word.lower() else []
    for ending in endings:
        if lower.endswith(ending) and len(lower) - len(ending) >= _MIN_STEM:
            stem = lower[: -len(ending)]
            forms.append(stem)
            forms.extend(stem + end for end in _RESTORED.get(code, ()))
    for form in forms:
        key = token_key(romanise(form, code))
        if key and key != own and key not in out:
            out.append(key)
    return tuple(out)
