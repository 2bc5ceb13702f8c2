"""What a rule is: its kind and parameters, its targets, the events it detects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from gettext import NullTranslations
from typing import Any

from newsdesk.text.messages import N_

SEARCH, ENTITY, SPEAKER, STORY, COVERAGE, BREAKING, SILENCE = (
    "search",
    "entity",
    "speaker",
    "story",
    "coverage",
    "breaking",
    "silence",
)
KINDS = (SEARCH, ENTITY, SPEAKER, STORY, COVERAGE, BREAKING, SILENCE)
# Rules whose events are about stories (the others' are about articles and quotes).
STORY_KINDS = (STORY, COVERAGE, BREAKING, SILENCE)
WEBHOOK, EMAIL = "webhook", "email"
STORY_CHANGES = ("outlet", "language", "articles")

# The defaults of each kind's parameters (docs/alerts.md#rule-kinds).
DEFAULTS: dict[str, dict[str, Any]] = {
    SEARCH: {"query": "", "language": None, "outlet": None},
    ENTITY: {"name": ""},
    SPEAKER: {"name": ""},
    STORY: {"story_id": 0, "on": list(STORY_CHANGES), "every": 10},
    COVERAGE: {"outlets": None, "languages": None, "outlet_set": [], "language_set": []},
    BREAKING: {"multiple": 3.0, "min_articles": 5, "window_hours": 1.0, "baseline_hours": 24.0},
    SILENCE: {"outlet": "", "outlets": 5, "hours": 6.0},
}
_QUIET = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class RuleError(ValueError):
    """A rule that cannot be made as asked; the message says why, in English (the API, the logs).
    Made of a catalog message (marked with ``N_``) and its named values, ``reason(t)`` says it in
    the language of the translations ``t``."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message, self.values = message, values
        super().__init__(message % values if values else message)

    def reason(self, t: NullTranslations) -> str:
        """The message in the language of ``t``."""
        return t.gettext(self.message) % self.values if self.values else t.gettext(self.message)


@dataclass
class Target:
    kind: str
    address: str
    secret: str | None = None
    language: str | None = None
    id: int | None = None


@dataclass
class Rule:
    name: str
    kind: str
    params: dict[str, Any]
    targets: list[Target] = field(default_factory=list)
    quiet_hours: str | None = None
    timezone: str | None = None
    language: str | None = None
    owner: str | None = None
    enabled: bool = True
    id: int | None = None
    created: datetime | None = None
    start_id: int = 0
    cursor: int = 0
    evaluated: datetime | None = None


@dataclass
class Event:
    """Something a rule detected. ``key`` names it for good: the same event has the same key at
    every evaluation, so it is recorded (and delivered) once."""

    key: str
    title: str
    summary: str = ""
    link: str | None = None
    story_id: int | None = None
    articles: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """What is kept with the event and sent (JSON)."""
        return {
            "title": self.title,
            "summary": self.summary,
            "link": self.link,
            "story_id": self.story_id,
            "articles": self.articles,
            "details": self.details,
        }


@dataclass
class Outcome:
    """How one try of a delivery went."""

    ok: bool
    status: int | None = None
    error: str | None = None
    elapsed: float = 0.0


# The type of each parameter (the others are strings, or None where their default is None).
_INTS = ("story_id", "every", "outlets", "languages", "min_articles")
_FLOATS = ("multiple", "hours", "window_hours", "baseline_hours")
_LISTS = ("on", "outlet_set", "language_set")
MAX_TEXT = 1000


def _typed(name: str, value: Any) -> Any:
    """A parameter as its type (a JSON body may give a number as a string); RuleError if it is not."""
    try:
        if name in _INTS:
            if isinstance(value, bool) or float(value) != int(float(value)):
                raise ValueError
            return int(float(value))
        if name in _FLOATS:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
    except (TypeError, ValueError):
        raise RuleError(
            N_("%(name)s must be a number, not %(value)s"), name=name, value=repr(value)
        ) from None
    if name in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(N_("%(name)s must be a list of strings"), name=name)
        return [v.strip() for v in value if v.strip()]
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise RuleError(
            N_("%(name)s must be a string of at most %(max)d characters"), name=name, max=MAX_TEXT
        )
    return " ".join(value.split())


def checked_params(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """A kind's parameters: the defaults with ``given`` (None values left out) over them, each of its
    type; raises RuleError when the kind is unknown or a parameter is unknown, missing, of the wrong
    type or out of range."""
    if kind not in DEFAULTS:
        raise RuleError(
            N_("unknown rule kind %(kind)s (one of %(kinds)s)"), kind=repr(kind), kinds=", ".join(KINDS)
        )
    unknown = set(given) - set(DEFAULTS[kind])
    if unknown:
        raise RuleError(N_("%(kind)s rules take no %(params)s"), kind=kind, params=", ".join(sorted(unknown)))
    typed = {k: _typed(k, v) for k, v in given.items() if v is not None}
    params = {**DEFAULTS[kind], **typed}
    if kind == SEARCH and not params["query"]:
        raise RuleError(N_("a search rule needs a query"))
    if kind in (ENTITY, SPEAKER) and not params["name"]:
        raise RuleError(
            N_("an entity rule needs a name") if kind == ENTITY else N_("a speaker rule needs a name")
        )
    if kind == STORY:
        if params["story_id"] < 1:
            raise RuleError(N_("a story rule needs the story's id"))
        if not params["on"] or set(params["on"]) - set(STORY_CHANGES):
            raise RuleError(
                N_("a followed story alerts on %(changes)s (one or more)"), changes=", ".join(STORY_CHANGES)
            )
    if kind == COVERAGE and not (params["outlets"] or params["languages"]):
        raise RuleError(N_("a coverage rule needs a number of outlets or of languages (or both)"))
    if kind == SILENCE and not params["outlet"]:
        raise RuleError(N_("a silence rule needs the outlet that stays silent"))
    for name in _INTS[1:] + _FLOATS:
        if params.get(name) is not None and params[name] <= 0:
            raise RuleError(N_("%(name)s must be above 0"), name=name)
    return params


def checked_quiet_hours(text: str | None) -> str | None:
    """``22:00-07:00`` as given (None for none); raises RuleError for anything else."""
    if not text:
        return None
    if not _QUIET.match(text.strip()):
        raise RuleError(
            N_("quiet hours %(text)s: write them as HH:MM-HH:MM, e.g. 22:00-07:00"), text=repr(text)
        )
    return text.strip()


def rule_document(rule: Rule, secrets: bool = False) -> dict[str, Any]:
    """A rule as the API and ``alerts list --json`` give it; the webhooks' secrets only when asked."""
    return {
        "id": rule.id,
        "name": rule.name,
        "kind": rule.kind,
        "description": describe(rule),
        "params": rule.params,
        "owner": rule.owner,
        "quiet_hours": rule.quiet_hours,
        "timezone": rule.timezone,
        "enabled": rule.enabled,
        "created": rule.created,
        "evaluated": rule.evaluated,
        "targets": [
            {
                "kind": t.kind,
                "address": t.address,
                "language": t.language,
                "secret": t.secret if secrets else None,
            }
            for t in rule.targets
        ],
        "atom": f"/feeds/alerts/{rule.id}.atom",
    }


def describe(rule: Rule, t: NullTranslations | None = None) -> str:
    """One line saying what a rule watches: in English (the API's and JSON's ``description``), else
    in the language of the translations ``t``."""
    t = t or NullTranslations()
    p = rule.params
    if rule.kind == SEARCH:
        filters = "".join(
            ", " + t.gettext(label) % {key: p[key]}
            for key, label in (("language", N_("language %(language)s")), ("outlet", N_("outlet %(outlet)s")))
            if p.get(key)
        )
        return t.gettext("new articles matching %(query)s") % {"query": repr(p["query"])} + filters
    if rule.kind == ENTITY:
        return t.gettext("new articles naming %(name)s") % {"name": p["name"]}
    if rule.kind == SPEAKER:
        return t.gettext("new quotes by %(name)s") % {"name": p["name"]}
    if rule.kind == STORY:
        return t.gettext("story #%(id)d: new %(changes)s (articles every %(every)d)") % {
            "id": p["story_id"],
            "changes": ", ".join(p["on"]),
            "every": p["every"],
        }
    if rule.kind == COVERAGE:
        outlets, languages = p["outlets"], p["languages"]
        counts = [
            t.ngettext("%(num)d outlet", "%(num)d outlets", outlets) % {"num": outlets} if outlets else "",
            t.ngettext("%(num)d language", "%(num)d languages", languages) % {"num": languages}
            if languages
            else "",
        ]
        if all(counts):
            reach = t.gettext("%(outlets)s or %(languages)s") % {"outlets": counts[0], "languages": counts[1]}
        else:
            reach = next((c for c in counts if c), "")
        line = t.gettext("a story reaches %(count)s") % {"count": reach}
        if p["outlet_set"] or p["language_set"]:
            line += " " + t.gettext("within %(set)s") % {
                "set": ", ".join(p["outlet_set"] + p["language_set"])
            }
        return line
    if rule.kind == BREAKING:
        return t.ngettext(
            "a story's last %(window)s h bring at least %(num)d article and %(multiple)s times its hourly "
            "rate of the %(baseline)s h before",
            "a story's last %(window)s h bring at least %(num)d articles and %(multiple)s times its hourly "
            "rate of the %(baseline)s h before",
            p["min_articles"],
        ) % {
            "window": f"{p['window_hours']:g}",
            "num": p["min_articles"],
            "multiple": f"{p['multiple']:g}",
            "baseline": f"{p['baseline_hours']:g}",
        }
    return t.ngettext(
        "%(outlet)s silent %(hours)s h after a story reached %(num)d outlet",
        "%(outlet)s silent %(hours)s h after a story reached %(num)d outlets",
        p["outlets"],
    ) % {"outlet": p["outlet"], "hours": f"{p['hours']:g}", "num": p["outlets"]}
