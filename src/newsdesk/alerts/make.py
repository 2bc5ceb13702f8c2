"""Making a rule from what a user asked (the command line, a web form, the API): one set of checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.alerts.email import email_problem
from newsdesk.alerts.quiet import zone
from newsdesk.alerts.rules import (
    BREAKING,
    COVERAGE,
    EMAIL,
    ENTITY,
    SEARCH,
    SILENCE,
    SPEAKER,
    STORY,
    WEBHOOK,
    Rule,
    RuleError,
    Target,
    checked_params,
    checked_quiet_hours,
)
from newsdesk.alerts.signing import new_secret
from newsdesk.pipeline.subscribe import address_problem
from newsdesk.settings import Settings, known_language
from newsdesk.store.queries import SearchError, fts_query
from newsdesk.text.messages import N_


def new_rule(
    name: str,
    kind: str,
    params: dict[str, Any],
    settings: Settings,
    *,
    webhooks: Sequence[str] = (),
    emails: Sequence[str] = (),
    secret: str | None = None,
    email_language: str | None = None,
    quiet_hours: str | None = None,
    timezone: str | None = None,
) -> Rule:
    """A rule checked whole, written in the reader's language; raises RuleError naming the first
    problem. Webhook URLs and e-mail addresses obey the address rules of feeds (no loopback or
    private address unless ``fetch.allow_private``); each webhook gets ``secret`` or a fresh one."""
    fetch = settings.fetch
    name = " ".join(name.split())
    if not name or len(name) > 255:
        raise RuleError(N_("a rule needs a name of 1 to 255 characters"))
    if email_language and not known_language(email_language):
        raise RuleError(
            N_("%(language)s is not a language newsdesk can write in (e.g. en, fr, pt-BR)"),
            language=repr(email_language),
        )
    zone(timezone)
    params = checked_params(kind, params)
    if kind == SEARCH:
        try:
            fts_query(params["query"])
        except SearchError as exc:
            raise RuleError(str(exc)) from None
    targets = []
    for url in webhooks:
        if problem := address_problem(url.strip(), fetch):
            raise RuleError(N_("webhook refused: %(reason)s"), reason=problem)
        targets.append(Target(WEBHOOK, url.strip(), secret or new_secret()))
    for address in emails:
        if problem := email_problem(address, fetch):
            raise RuleError(N_("e-mail refused: %(reason)s"), reason=problem)
        targets.append(Target(EMAIL, address.strip(), None, email_language))
    return Rule(
        name=name,
        kind=kind,
        params=params,
        targets=targets,
        quiet_hours=checked_quiet_hours(quiet_hours),
        timezone=timezone or None,
        language=settings.reader_lang,
    )


def csv(text: str | None) -> list[str]:
    """``a, b,c`` as ``["a", "b", "c"]``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def params_from_fields(
    kind: str,
    *,
    text: str | None = None,
    story: int | None = None,
    language: str | None = None,
    outlet: str | None = None,
    on: str | None = None,
    every: int | None = None,
    outlets: int | None = None,
    languages: int | None = None,
    outlet_set: str | None = None,
    language_set: str | None = None,
    multiple: float | None = None,
    min_articles: int | None = None,
    hours: float | None = None,
) -> dict[str, Any]:
    """A kind's parameters from the fields of a form or the options of a command: ``text`` is the
    search's query, the entity's or speaker's name, or the silent outlet; lists are comma-separated.
    Fields of other kinds are ignored; ``checked_params`` checks the rest."""
    by_kind: dict[str, dict[str, Any]] = {
        SEARCH: {"query": text, "language": language or None, "outlet": outlet or None},
        ENTITY: {"name": text},
        SPEAKER: {"name": text},
        STORY: {"story_id": story, "on": csv(on) or None, "every": every},
        COVERAGE: {
            "outlets": outlets,
            "languages": languages,
            "outlet_set": csv(outlet_set),
            "language_set": csv(language_set),
        },
        BREAKING: {"multiple": multiple, "min_articles": min_articles},
        SILENCE: {"outlet": text, "outlets": outlets, "hours": hours},
    }
    if kind not in by_kind:
        raise RuleError(
            N_("unknown rule kind %(kind)s (one of %(kinds)s)"), kind=repr(kind), kinds=", ".join(by_kind)
        )
    return by_kind[kind]
