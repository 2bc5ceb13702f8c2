"""A rule's events in facts read from the store: plain functions, no database.

Article rules (search, entity, speaker) get the new articles or quotes that match; story rules get
the stories that new articles joined (and, for silence, the widely covered ones still recent), each
with all its members. Every event has a key that names it for good (see ``rules.Event``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsdesk.alerts.rules import BREAKING, COVERAGE, SILENCE, STORY, Event, Rule

# The articles an event about a story lists at most: the newest.
MAX_ARTICLES = 20


@dataclass
class ArticleFact:
    id: int
    title: str | None
    url: str
    outlet: str
    language: str | None
    when: datetime
    story_id: int | None = None

    def brief(self) -> dict[str, object]:
        """What an event says about an article."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "language": self.language,
            "time": self.when.isoformat(),
            "story_id": self.story_id,
        }


@dataclass
class QuoteFact:
    id: int
    speaker: str | None
    text: str
    article: ArticleFact


@dataclass
class StoryFacts:
    id: int
    headline: str
    members: list[ArticleFact] = field(default_factory=list)


def article_events(rule: Rule, articles: list[ArticleFact]) -> list[Event]:
    """One event per new article a search or entity rule matched."""
    what = rule.params.get("query") or rule.params.get("name")
    return [
        Event(
            key=f"article:{a.id}",
            title=a.title or a.url,
            summary=f"{a.outlet}: new article for {what}",
            link=a.url,
            story_id=a.story_id,
            articles=[a.brief()],
        )
        for a in articles
    ]


def quote_events(rule: Rule, quotes: list[QuoteFact]) -> list[Event]:
    """One event per new quote by the speaker."""
    return [
        Event(
            key=f"quote:{q.id}",
            title=f"{q.speaker or rule.params['name']}: “{q.text}”",
            summary=f"{q.article.outlet}: {q.article.title or q.article.url}",
            link=q.article.url,
            story_id=q.article.story_id,
            articles=[q.article.brief()],
            details={"speaker": q.speaker, "quote": q.text},
        )
        for q in quotes
    ]


def _story_event(
    story: StoryFacts, key: str, summary: str, members: list[ArticleFact], **details: object
) -> Event:
    newest = sorted(members, key=lambda a: (a.when, a.id), reverse=True)[:MAX_ARTICLES]
    return Event(
        key=f"story:{story.id}:{key}",
        title=story.headline or f"story #{story.id}",
        summary=summary,
        link=newest[0].url if newest else None,
        story_id=story.id,
        articles=[a.brief() for a in newest],
        details=dict(details),
    )


def followed_story_events(rule: Rule, story: StoryFacts) -> list[Event]:
    """A followed story's new outlets, new languages, and every ``every`` articles since the rule was
    made: an outlet or language is new when no article the rule had already seen (up to its cursor)
    came from it."""
    p = rule.params
    if story.id != int(p["story_id"]):
        return []
    seen = [a for a in story.members if a.id <= rule.cursor]
    fresh = sorted((a for a in story.members if a.id > rule.cursor), key=lambda a: a.id)
    events = []
    for change, attribute in (("outlet", "outlet"), ("language", "language")):
        if change not in p["on"]:
            continue
        known = {getattr(a, attribute) for a in seen}
        for article in fresh:
            value = getattr(article, attribute)
            if value and value not in known:
                known.add(value)
                events.append(_story_event(story, f"{change}:{value}", f"new {change}: {value}", [article]))
    if "articles" in p["on"]:
        every = int(p["every"])
        since_rule = [a for a in story.members if a.id > rule.start_id]
        reached = len(since_rule) // every * every
        if reached and len(since_rule) - len(fresh) < reached:
            events.append(
                _story_event(story, f"articles:{reached}", f"{reached} new articles", fresh, articles=reached)
            )
    return events


def _counted(values: set[str | None], within: list[str]) -> set[str]:
    return {v for v in values if v and (not within or v in within)}


def coverage_events(rule: Rule, story: StoryFacts) -> list[Event]:
    """Once per story, when it reaches ``outlets`` outlets or ``languages`` languages (counting only
    those of ``outlet_set`` and ``language_set`` when given)."""
    p = rule.params

    def covered(members: list[ArticleFact]) -> tuple[set[str], set[str], bool]:
        outlets = _counted({a.outlet for a in members}, p["outlet_set"])
        languages = _counted({a.language for a in members}, p["language_set"])
        enough = bool(p["outlets"] and len(outlets) >= p["outlets"]) or bool(
            p["languages"] and len(languages) >= p["languages"]
        )
        return outlets, languages, enough

    outlets, languages, enough = covered(story.members)
    if not enough or covered([a for a in story.members if a.id <= rule.start_id])[2]:
        return []  # not yet, or already before the rule was made
    summary = f"{len(outlets)} outlets, {len(languages)} languages"
    return [
        _story_event(story, "coverage", summary, [], outlets=sorted(outlets), languages=sorted(languages))
    ]


def article_rate(
    story: StoryFacts, now: datetime, window_hours: float, baseline_hours: float
) -> tuple[int, float]:
    """The story's articles in the last ``window_hours`` before ``now``, and its mean number of articles
    per ``window_hours`` over the ``baseline_hours`` before that window (article time: published, else
    collected)."""
    window_start = now - timedelta(hours=window_hours)
    baseline_start = window_start - timedelta(hours=baseline_hours)
    recent = sum(1 for a in story.members if window_start < a.when <= now)
    before = sum(1 for a in story.members if baseline_start < a.when <= window_start)
    return recent, before * window_hours / baseline_hours


def breaking_events(rule: Rule, story: StoryFacts, now: datetime) -> list[Event]:
    """Once per story, when its last window holds at least ``min_articles`` articles and more than
    ``multiple`` times its baseline rate (see ``article_rate``)."""
    p = rule.params
    recent, baseline = article_rate(story, now, p["window_hours"], p["baseline_hours"])
    if recent < p["min_articles"] or recent <= p["multiple"] * baseline:
        return []
    window_start = now - timedelta(hours=p["window_hours"])
    members = [a for a in story.members if a.when > window_start]
    summary = f"{recent} articles in {p['window_hours']:g} h (baseline {baseline:.2g})"
    return [_story_event(story, "breaking", summary, members, recent=recent, baseline=baseline)]


def reached(story: StoryFacts, outlets: int) -> datetime | None:
    """When the story reached ``outlets`` outlets: the time of the first article of its ``outlets``-th
    outlet, in order of article time; None while it has fewer."""
    first: dict[str, datetime] = {}
    for article in sorted(story.members, key=lambda a: (a.when, a.id)):
        first.setdefault(article.outlet, article.when)
    times = sorted(first.values())
    return times[outlets - 1] if len(times) >= outlets else None


def silence_events(rule: Rule, story: StoryFacts, now: datetime) -> list[Event]:
    """Once per story, when ``hours`` after it reached ``outlets`` outlets ``outlet`` has none of its
    articles."""
    p = rule.params
    outlet = str(p["outlet"])
    when = reached(story, int(p["outlets"]))
    if when is None or now < when + timedelta(hours=float(p["hours"])):
        return []
    if any(a.outlet == outlet for a in story.members):
        return []
    summary = f"{outlet} has not covered it {p['hours']:g} h after {p['outlets']} outlets did"
    return [_story_event(story, f"silence:{outlet}", summary, [], outlet=outlet, reached=when.isoformat())]


def story_events(rule: Rule, stories: list[StoryFacts], now: datetime) -> list[Event]:
    """The events of a story rule in the stories given."""
    found: list[Event] = []
    for story in stories:
        if rule.kind == STORY:
            found += followed_story_events(rule, story)
        elif rule.kind == COVERAGE:
            found += coverage_events(rule, story)
        elif rule.kind == BREAKING:
            found += breaking_events(rule, story, now)
        elif rule.kind == SILENCE:
            found += silence_events(rule, story, now)
    return found
