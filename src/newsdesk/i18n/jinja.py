"""Translations in Jinja2 templates, chosen per render: environments are shared by every request.

An environment gets the ``jinja2.ext.i18n`` extension once (``enable_i18n``, English by default);
each render passes ``template_callables(language)`` in its context, which ``{% trans %}``, ``_()``,
``gettext()``, ``ngettext()`` and ``pgettext()`` (a word whose translation depends on what it
qualifies) read before the environment's globals. Nothing shared changes per request, so concurrent
renders in different languages cannot see each other's."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from newsdesk.i18n import interface_language, translations


def _formatted(context: Context, result: str, variables: dict[str, Any]) -> str:
    """A translation as Jinja2's new-style gettext leaves it: trusted in autoescaped templates (its
    arguments escaped), always ``%``-formatted with the keyword arguments."""
    if context.eval_ctx.autoescape:
        result = Markup(result)
    return result % variables


def _gettext(func: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        return _formatted(context, func(message), variables)

    return gettext


def _ngettext(func: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        return _formatted(context, func(singular, plural, num), {"num": num, **variables})

    return ngettext


def _pgettext(func: Callable[[str, str], str]) -> Callable[..., str]:
    @pass_context
    def pgettext(context: Context, message_context: str, message: str, **variables: Any) -> str:
        return _formatted(context, func(message_context, message), variables)

    return pgettext


@lru_cache(maxsize=16)
def _callables(language: str) -> dict[str, Callable[..., str]]:
    found = translations(language)
    return {
        "gettext": _gettext(found.gettext),
        "ngettext": _ngettext(found.ngettext),
        "pgettext": _pgettext(found.pgettext),
    }


def template_callables(language: str | None) -> dict[str, Callable[..., str]]:
    """The ``gettext``, ``ngettext`` and ``pgettext`` of a render's context, in a reader language's
    interface."""
    return _callables(interface_language(language))


def enable_i18n(env: Environment) -> None:
    """Add ``{% trans %}`` and ``_()`` to an environment, in English unless a render says otherwise."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    english = template_callables(None)
    env.globals.update(english)
    env.newstyle_gettext = True  # type: ignore[attr-defined]
