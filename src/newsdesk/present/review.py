"""The press review of one story: who covered it, when, and how."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, tzinfo

from newsdesk.models import StoryView
from newsdesk.present.clipping import Clipping, build_clipping
from newsdesk.present.dates import short_date, short_time
from newsdesk.present.flags import language_flag
from newsdesk.present.whosaid import EntityRow, SpeakerRow, speaker_rows, story_entity_rows


@dataclass
class ReviewEntry:
    article_id: int
    when: str
    published: str | None
    outlet: str
    flag: str
    language: str | None
    title: str | None
    lede: str | None
    url: str


@dataclass
class StorylineItem:
    """A story of the reviewed story's storyline (``current``: the reviewed story itself)."""

    story_id: int
    headline: str
    first_seen: str
    last_seen: str
    dates: str
    articles: int
    outlets: int
    current: bool


@dataclass
class PressReview:
    story_id: int
    headline: str
    reader_language: str
    first_seen: str
    last_seen: str
    outlets: list[str]
    languages: list[str]
    entries: list[ReviewEntry] = field(default_factory=list)
    clippings: list[Clipping] = field(default_factory=list)
    # "Who said what": speaker × outlet, each quote in its outlet's language; the story's
    # entities with their mentions per outlet; its keywords.
    who_said_what: list[SpeakerRow] = field(default_factory=list)
    story_entities: list[EntityRow] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # The developing story it is part of, in order (empty: it is part of none).
    storyline: list[StorylineItem] = field(default_factory=list)

    @property
    def first_reported_by(self) -> str | None:
        return self.entries[0].outlet if self.entries else None

    def to_dict(self) -> dict:
        data = asdict(replace(self, clippings=[]))  # the clippings once, by their own to_dict
        data["first_reported_by"] = self.first_reported_by
        data["clippings"] = [c.to_dict() for c in self.clippings]
        return data


def build_review(
    story: StoryView, reader_language: str, flags: dict[str, str] | None = None, tz: tzinfo | None = None
) -> PressReview:
    """Articles in order of publication (collection time when a date is missing)."""
    headline = story.headline(reader_language)
    entries, clippings, outlets, languages = [], [], [], []
    for article in story.articles:
        when = article.when.astimezone(tz)
        entries.append(
            ReviewEntry(
                article_id=article.id or 0,
                when=f"{short_date(when, reader_language)} {short_time(when, reader_language)}",
                published=article.published.isoformat() if article.published else None,
                outlet=article.outlet,
                flag=language_flag(article.language, flags),
                language=article.language,
                title=article.title,
                lede=article.lede,
                url=article.canonical_url or article.url,
            )
        )
        clippings.append(build_clipping(article, headline, reader_language, flags, tz))
        if article.outlet not in outlets:
            outlets.append(article.outlet)
        if article.language and article.language not in languages:
            languages.append(article.language)
    return PressReview(
        story_id=story.id,
        headline=headline,
        reader_language=reader_language,
        first_seen=story.first_seen.isoformat(),
        last_seen=story.last_seen.isoformat(),
        outlets=outlets,
        languages=languages,
        entries=entries,
        clippings=clippings,
        who_said_what=speaker_rows(story.quotes, outlets),
        story_entities=story_entity_rows(story.entities),
        keywords=[k.text for k in story.keywords],
        storyline=[
            StorylineItem(
                story_id=item.story_id,
                headline=item.headline(reader_language),
                first_seen=item.first_seen.isoformat(),
                last_seen=item.last_seen.isoformat(),
                dates=_date_span(item.first_seen, item.last_seen, reader_language, tz),
                articles=item.articles,
                outlets=item.outlets,
                current=item.story_id == story.id,
            )
            for item in story.storyline
        ],
    )


def _date_span(first: datetime, last: datetime, language: str, tz: tzinfo | None) -> str:
    start, end = short_date(first, language, tz), short_date(last, language, tz)
    return start if start == end else f"{start} – {end}"
