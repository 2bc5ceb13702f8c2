"""A language as a page shows it: its flag and, beside it, its code, readable without an emoji font."""

from __future__ import annotations

from markupsafe import Markup, escape

from newsdesk.present.flags import language_flag


def language_mark(code: str | None, overrides: dict[str, str] | None = None) -> Markup:
    """``<span class="lang">🇫🇷 <abbr>fr</abbr></span>``: the flag is decoration (hidden from screen
    readers), the code carries the meaning; nothing for an unknown language."""
    if not code:
        return Markup("")
    flag = language_flag(code, overrides)
    shown = f'<span class="flag" aria-hidden="true">{escape(flag)}</span>' if flag else ""
    return Markup(f'<span class="lang" title="{escape(code)}">{shown}<abbr>{escape(code)}</abbr></span>')
