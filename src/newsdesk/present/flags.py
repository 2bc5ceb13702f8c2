"""The flag shown for an article's language (a fixed table, overridable in settings)."""

from __future__ import annotations

UNKNOWN_FLAG = "\U0001f3f3"

# Language → the country whose flag readers most associate with it.
LANGUAGE_COUNTRY = {
    "ar": "SA",
    "bg": "BG",
    "bn": "BD",
    "ca": "AD",
    "cs": "CZ",
    "da": "DK",
    "de": "DE",
    "el": "GR",
    "en": "GB",
    "es": "ES",
    "et": "EE",
    "fa": "IR",
    "fi": "FI",
    "fr": "FR",
    "ga": "IE",
    "he": "IL",
    "hi": "IN",
    "hr": "HR",
    "hu": "HU",
    "hy": "AM",
    "id": "ID",
    "is": "IS",
    "it": "IT",
    "ja": "JP",
    "ka": "GE",
    "kk": "KZ",
    "ko": "KR",
    "lt": "LT",
    "lv": "LV",
    "mk": "MK",
    "ms": "MY",
    "nb": "NO",
    "nl": "NL",
    "nn": "NO",
    "no": "NO",
    "pl": "PL",
    "pt": "PT",
    "ro": "RO",
    "ru": "RU",
    "sk": "SK",
    "sl": "SI",
    "sq": "AL",
    "sr": "RS",
    "sv": "SE",
    "th": "TH",
    "tr": "TR",
    "uk": "UA",
    "ur": "PK",
    "vi": "VN",
    "zh": "CN",
    "ha": "NG",
    "sw": "KE",
    "az": "AZ",
    "be": "BY",
    "bs": "BA",
    "mt": "MT",
}


def country_flag(country: str) -> str:
    """``FR`` → 🇫🇷 (regional indicator symbols)."""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in country.upper()[:2])


def language_flag(language: str | None, overrides: dict[str, str] | None = None) -> str:
    """The flag emoji for a language code; unknown languages get a white flag."""
    if not language:
        return UNKNOWN_FLAG
    code = language.lower()
    if overrides and code in overrides:
        return overrides[code]
    country = LANGUAGE_COUNTRY.get(code)
    return country_flag(country) if country else UNKNOWN_FLAG
