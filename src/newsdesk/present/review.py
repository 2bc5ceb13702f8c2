"""The press review of one story: who covered it, when, and how."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, tzinfo

from newsdesk.i18n import translations
from newsdesk.models import Article, StoryView
from newsdesk.present.clipping import Clipping, build_clipping
from newsdesk.present.dates import short_date, short_time
from newsdesk.present.evidence import evidence_lines
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
    # The earliest article whose text this one reprints (None: an original); why it is in the story
    # (the membership's evidence, None for articles placed before it was kept) and that in words.
    copy_of: int | None = None
    evidence: dict | None = None
    why: list[str] = field(default_factory=list)


@dataclass
class CopyGroup:
    """One text carried by several outlets: the original and its wire copies in the story."""

    original_id: int
    outlet: str | None
    title: str | None
    copies: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # every outlet carrying it, the original's first

    @property
    def carried_by(self) -> int:
        return len(self.outlets)

    def to_dict(self) -> dict:
        return {**asdict(self), "carried_by": self.carried_by}


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
    # Texts carried by several outlets (wire copies), in order of their originals.
    copies: list[CopyGroup] = field(default_factory=list)

    @property
    def first_reported_by(self) -> str | None:
        """The outlet of the earliest original (a wire copy never reports first)."""
        return next((e.outlet for e in self.entries if e.copy_of is None), None)

    @property
    def independent_reports(self) -> int:
        """How many articles are not wire copies of another."""
        return sum(1 for e in self.entries if e.copy_of is None)

    def to_dict(self) -> dict:
        data = asdict(replace(self, clippings=[], copies=[]))  # those by their own to_dict
        data["first_reported_by"] = self.first_reported_by
        data["independent_reports"] = self.independent_reports
        data["copies"] = [g.to_dict() for g in self.copies]
        data["clippings"] = [c.to_dict() for c in self.clippings]
        for entry in data["entries"]:  # machine output stays English
            entry["why"] = evidence_lines(entry["evidence"])
        return data


def copy_groups(articles: list[Article]) -> list[CopyGroup]:
    """The story's texts carried by several outlets: each original with its copies, in order."""
    by_id = {a.id: a for a in articles}
    position = {a.id: i for i, a in enumerate(articles)}
    groups: dict[int, CopyGroup] = {}
    for article in articles:
        if article.copy_of is None:
            continue
        group = groups.get(article.copy_of)
        if group is None:
            original = by_id.get(article.copy_of)
            group = groups[article.copy_of] = CopyGroup(
                article.copy_of,
                original.outlet if original else None,
                original.title if original else None,
                outlets=[original.outlet] if original else [],
            )
        group.copies.append(article.id or 0)
        if article.outlet not in group.outlets:
            group.outlets.append(article.outlet)
    return sorted(groups.values(), key=lambda g: position.get(g.original_id, -1))


def review_clippings(
    story: StoryView, reader_language: str, flags: dict[str, str] | None = None, tz: tzinfo | None = None
) -> list[Clipping]:
    """The clipping of each of the story's articles, in the review's order."""
    headline = story.headline(reader_language)
    return [build_clipping(article, headline, reader_language, flags, tz) for article in story.articles]


def build_review(
    story: StoryView,
    reader_language: str,
    flags: dict[str, str] | None = None,
    tz: tzinfo | None = None,
    clippings: bool = True,
) -> PressReview:
    """Articles in order of publication (collection time when a date is missing); without
    ``clippings``, the review's clippings are left empty (``review_clippings`` makes them)."""
    headline = story.headline(reader_language)
    interface = translations(reader_language)
    entries, outlets, languages = [], [], []
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
                copy_of=article.copy_of,
                evidence=article.evidence,
                why=evidence_lines(article.evidence, interface),
            )
        )
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
        clippings=review_clippings(story, reader_language, flags, tz) if clippings else [],
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
        copies=copy_groups(story.articles),
    )


def _date_span(first: datetime, last: datetime, language: str, tz: tzinfo | None) -> str:
    start, end = short_date(first, language, tz), short_date(last, language, tz)
    return start if start == end else f"{start} – {end}"
