"""A digest: the press review of a period's stories in one document, for reading away from the screen.

Each story shows its headline in the reader's language, its coverage (outlets, languages, articles, who
reported first and when), a timeline of articles per hour stacked by outlet, who said what (one quote per
speaker, the most widely quoted first) and who is named. Rendered as Markdown, HTML (one self-contained
page, also the body of an e-mail) or PDF (the HTML, printed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from newsdesk.models import StoryView
from newsdesk.present.charts import timeline
from newsdesk.present.dates import medium_datetime
from newsdesk.present.review import PressReview, build_review
from newsdesk.present.whosaid import QuoteCell

SPEAKERS_PER_STORY = 5
ENTITIES_PER_STORY = 8


@dataclass
class SpeakerLine:
    """A speaker and one of their quotes, with how many outlets quoted them."""

    speaker: str
    outlet: str
    quote: QuoteCell
    outlets: int


@dataclass
class DigestStory:
    """One story of a digest: its press review and what the digest shows of it."""

    review: PressReview
    first_reported: str
    last_reported: str
    chart: Markup
    speakers: list[SpeakerLine] = field(default_factory=list)
    named: list[str] = field(default_factory=list)


@dataclass
class Digest:
    """The stories of a period, in the reader's language."""

    title: str
    reader_language: str
    since: str
    until: str
    followed: bool
    stories: list[DigestStory] = field(default_factory=list)


def _speakers(review: PressReview, limit: int) -> list[SpeakerLine]:
    lines = []
    for row in review.who_said_what:
        quoted = [(outlet, cells) for outlet, cells in row.outlets.items() if cells]
        if not quoted:
            continue
        # The reader's language first when an outlet quoted them in it, else the first outlet.
        outlet, cells = next(
            ((o, c) for o, c in quoted if c[0].language == review.reader_language), quoted[0]
        )
        lines.append(SpeakerLine(row.speaker, outlet, cells[0], len(quoted)))
    lines.sort(key=lambda line: -line.outlets)
    return lines[:limit]


def digest_story(story: StoryView, lang: str, flags: dict[str, str] | None = None) -> DigestStory:
    """What a digest shows of one story (read with its articles, quotes and entities)."""
    review = build_review(story, lang, flags)
    points = [(a.outlet, a.when) for a in story.articles]
    first = min((t for _, t in points), default=story.first_seen)
    last = max((t for _, t in points), default=story.last_seen)
    named = [row.name for row in review.story_entities if not row.fallback][:ENTITIES_PER_STORY]
    return DigestStory(
        review=review,
        first_reported=medium_datetime(first, lang),
        last_reported=medium_datetime(last, lang),
        chart=timeline(points, review.outlets, lambda t: medium_datetime(t, lang), lang),
        speakers=_speakers(review, SPEAKERS_PER_STORY),
        named=named,
    )


def build_digest(
    stories: list[StoryView],
    lang: str,
    since: datetime,
    until: datetime,
    *,
    title: str = "",
    followed: bool = False,
    flags: dict[str, str] | None = None,
) -> Digest:
    """A digest of ``stories`` (in the order given) for the period ``since``–``until``; ``followed``
    says they are the reader's followed stories rather than the period's most covered."""
    return Digest(
        title=title or "newsdesk",
        reader_language=lang,
        since=medium_datetime(since, lang),
        until=medium_datetime(until, lang),
        followed=followed,
        stories=[digest_story(story, lang, flags) for story in stories],
    )
