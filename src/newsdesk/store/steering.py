"""An analyst's actions on stories, as rows: memberships moved, stories made and removed,
headlines named, locks, and the audit trail that records each action and undoes it.

An action's :class:`Changes` say what it changed, before and after, so that
:meth:`Changes.inverse` undoes it exactly. What an action means (merge, split, move…) is decided
in ``newsdesk.pipeline.steering``; here are the rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from gettext import NullTranslations
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from newsdesk import models
from newsdesk.store import schema
from newsdesk.store.articles import article_exists
from newsdesk.store.database import insert_ids
from newsdesk.store.queries import story_articles
from newsdesk.text.messages import N_

# A headline as kept in a change: [title, article id or None, named by an analyst].
Headline = list[Any]


class SteeringError(ValueError):
    """An action that cannot be done; the message names the input. ``status``: the HTTP status.

    The message is English (the API, the logs); made of a catalog message (marked with ``N_``) and
    its named values, ``reason(t)`` says it in the language of the translations ``t``."""

    status = 400

    def __init__(self, message: str, **values: Any) -> None:
        self.message, self.values = message, values
        super().__init__(message % values if values else message)

    def reason(self, t: NullTranslations) -> str:
        """The message in the language of ``t``."""
        return t.gettext(self.message) % self.values if self.values else t.gettext(self.message)


class UnknownStory(SteeringError):
    status = 404


class UnknownArticle(SteeringError):
    status = 404


class Refused(SteeringError):
    """The action conflicts with the stories as they are (a locked story, an undo out of turn)."""

    status = 409


@dataclass
class Move:
    """An article taken from one story to another, and whether its membership was pinned before
    and after."""

    article_id: int
    source: int
    target: int
    pinned_before: bool = False
    pinned_after: bool = True

    def inverse(self) -> Move:
        return Move(self.article_id, self.target, self.source, self.pinned_after, self.pinned_before)


@dataclass
class Changes:
    """What one action changed. Stories are made first, then articles moved, headlines and locks
    set, and the stories that were emptied removed; ``created`` and ``removed`` hold snapshots
    (:func:`snapshot`) from which a story is made again."""

    created: list[dict[str, Any]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    # [story id, language, headline before or None, headline after or None]
    headlines: list[list[Any]] = field(default_factory=list)
    # [story id, locked before, locked after]
    locks: list[list[Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stories(self) -> set[int]:
        """Every story the changes touch."""
        return self.regrouped | {row[0] for row in self.headlines}

    @property
    def regrouped(self) -> set[int]:
        """The stories whose members or lock changed (those clustering must take up again)."""
        found = {s["id"] for s in self.created} | {s["id"] for s in self.removed}
        found |= {m.source for m in self.moves} | {m.target for m in self.moves}
        return found | {row[0] for row in self.locks}

    def inverse(self, removed: list[dict[str, Any]]) -> Changes:
        """The changes that undo these; ``removed``: snapshots, taken now, of the stories these
        created that the undo removes (a story that took new articles since is kept)."""
        return Changes(
            created=list(self.removed),
            moves=[m.inverse() for m in reversed(self.moves)],
            headlines=[[story, lang, new, old] for story, lang, old, new in reversed(self.headlines)],
            locks=[[story, after, before] for story, before, after in reversed(self.locks)],
            removed=removed,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "created": self.created,
                "moves": [
                    [m.article_id, m.source, m.target, m.pinned_before, m.pinned_after] for m in self.moves
                ],
                "headlines": self.headlines,
                "locks": self.locks,
                "removed": self.removed,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Changes:
        data = json.loads(text)
        return cls(
            created=data.get("created", []),
            moves=[Move(*row) for row in data.get("moves", [])],
            headlines=data.get("headlines", []),
            locks=data.get("locks", []),
            removed=data.get("removed", []),
        )


@dataclass
class ActionRecord:
    """One entry of the audit trail."""

    id: int
    at: datetime
    who: str
    action: str
    story_id: int
    stories: list[int]
    note: str | None
    changes: Changes
    undoes: int | None = None
    undone_by: int | None = None


@dataclass
class StoryState:
    """What an action needs to know of a story: whether it is locked and its members."""

    id: int
    locked: bool
    members: list[int]


# ----------------------------------------------------------------- reading


def take_write_lock(session: Session) -> None:
    """Start writing now, so that the reads that follow see the store as the action will leave
    it: actions and the batches that cluster new articles then come one after the other."""
    table = schema.ClusterState.__table__
    session.execute(update(table).where(table.c.id == 1).values(updated=table.c.updated))


_STORY_LOCKED = select(schema.Story.locked).where(schema.Story.id == bindparam("story_id"))


def story_locked(session: Session, story_id: int) -> bool | None:
    """Whether a story is locked (no new article joins it); None when there is no such story."""
    locked = session.scalar(_STORY_LOCKED, {"story_id": story_id})
    return None if locked is None else bool(locked)


def story_state(session: Session, story_id: int) -> StoryState:
    """A story's lock and members (in article id order); UnknownStory when there is none."""
    locked = story_locked(session, story_id)
    if locked is None:
        raise UnknownStory(N_("no story #%(id)d"), id=story_id)
    members = session.scalars(
        select(schema.Membership.article_id)
        .where(schema.Membership.story_id == story_id)
        .order_by(schema.Membership.article_id)
    )
    return StoryState(story_id, locked, list(members))


def stories_of(session: Session, article_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """The story of each of these articles that is in one, and whether it is pinned there."""
    ids = sorted(set(article_ids))
    found: dict[int, tuple[int, bool]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(schema.Membership.article_id, schema.Membership.story_id, schema.Membership.pinned).where(
                schema.Membership.article_id.in_(ids[start : start + 500])
            )
        )
        found.update((article, (story, bool(pinned))) for article, story, pinned in rows)
    return found


def copies_of(session: Session, article_ids: Iterable[int]) -> set[int]:
    """The stored copies of these articles (wire copies: ``articles.copy_of`` names the article
    copied), which follow it when it is moved or split out. The one place copies are looked up:
    a store without that column has none."""
    column = getattr(schema.Article, "copy_of", None)
    ids = sorted(set(article_ids))
    if column is None or not ids:
        return set()
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(session.scalars(select(schema.Article.id).where(column.in_(ids[start : start + 500]))))
    return found - set(ids)


def next_story_id(session: Session) -> int:
    """An id no story has had: above every story, every live clustering record and every story an
    action named (a merged story's id stays its own, so that undoing the merge brings it back)."""
    highest = [
        session.scalar(select(func.max(schema.Story.id))),
        session.scalar(select(func.max(schema.ClusterStory.story_id))),
        session.scalar(select(func.max(schema.StoryActionStory.story_id))),
    ]
    return max(value or 0 for value in highest) + 1


def snapshot(session: Session, story_id: int) -> dict[str, Any]:
    """What makes a story again: its times, keywords, lock and headlines."""
    story = session.execute(
        select(
            schema.Story.first_seen, schema.Story.last_seen, schema.Story.keywords, schema.Story.locked
        ).where(schema.Story.id == story_id)
    ).first()
    if story is None:
        raise UnknownStory(N_("no story #%(id)d"), id=story_id)
    titles = schema.StoryHeadline
    rows = session.execute(
        select(titles.language, titles.title, titles.article_id, titles.named)
        .where(titles.story_id == story_id)
        .order_by(titles.language)
    )
    return {
        "id": story_id,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "keywords": story.keywords,
        "locked": bool(story.locked),
        "headlines": [
            [language, title, article_id, bool(named)] for language, title, article_id, named in rows
        ],
    }


def new_snapshot(story_id: int, now: datetime) -> dict[str, Any]:
    """The snapshot of a story about to be made (a split's): no headline, times set when it is filled."""
    return {
        "id": story_id,
        "first_seen": now.isoformat(),
        "last_seen": now.isoformat(),
        "keywords": None,
        "locked": False,
        "headlines": [],
    }


def headline(session: Session, story_id: int, language: str) -> Headline | None:
    """A story's headline in a language ("*": any), as kept in a change."""
    titles = schema.StoryHeadline
    row = session.execute(
        select(titles.title, titles.article_id, titles.named).where(
            titles.story_id == story_id, titles.language == language
        )
    ).first()
    return None if row is None else [row.title, row.article_id, bool(row.named)]


# ----------------------------------------------------------------- writing


def apply_changes(session: Session, changes: Changes) -> None:
    """Make the changes: stories made, articles moved, headlines and locks set, stories removed.
    Raises Refused when the stories are no longer as the changes expect."""
    for story in changes.created:
        _make_story(session, story)
    table = schema.Membership.__table__
    for move in changes.moves:
        moved = session.execute(
            update(table)
            .where(table.c.article_id == move.article_id, table.c.story_id == move.source)
            .values(story_id=move.target, pinned=move.pinned_after)
        ).rowcount
        if moved != 1:
            raise Refused(f"article #{move.article_id} is no longer in story #{move.source}")
    for story_id, language, _, after in changes.headlines:
        _set_headline(session, story_id, language, after)
    for story_id, _, after in changes.locks:
        session.execute(update(schema.Story).where(schema.Story.id == story_id).values(locked=after))
    for story in changes.removed:
        left = session.scalar(select(func.count()).select_from(table).where(table.c.story_id == story["id"]))
        if left:
            raise Refused(f"story #{story['id']} still has {left} articles")
        session.execute(delete(schema.Story).where(schema.Story.id == story["id"]))


def _make_story(session: Session, story: dict[str, Any]) -> None:
    if existing_stories(session, [story["id"]]):
        raise Refused(f"story #{story['id']} exists already")
    session.execute(
        insert(schema.Story.__table__).values(
            id=story["id"],
            first_seen=datetime.fromisoformat(story["first_seen"]),
            last_seen=datetime.fromisoformat(story["last_seen"]),
            article_count=0,
            outlet_count=0,
            keywords=story["keywords"],
            locked=story["locked"],
        )
    )
    for language, title, article_id, named in story["headlines"]:
        _set_headline(session, story["id"], language, [title, article_id, named])


def _set_headline(session: Session, story_id: int, language: str, value: Headline | None) -> None:
    table = schema.StoryHeadline.__table__
    session.execute(delete(table).where(table.c.story_id == story_id, table.c.language == language))
    if value is not None:
        title, article_id, named = value
        if article_id is not None and not article_exists(session, article_id):
            article_id = None
        session.execute(
            insert(table).values(
                story_id=story_id, language=language, title=title, article_id=article_id, named=named
            )
        )


def refresh_spans(session: Session, story_ids: Iterable[int]) -> None:
    """Count these stories' articles again and set their first and last times from them
    (publication, else collection, as when clustering)."""
    when = func.coalesce(schema.Article.published, schema.Article.collected)
    for story_id in sorted(set(story_ids)):
        count, first, last = session.execute(
            select(func.count(), func.min(when), func.max(when))
            .select_from(schema.Membership)
            .join(schema.Article, schema.Article.id == schema.Membership.article_id)
            .where(schema.Membership.story_id == story_id)
        ).one()
        values: dict[str, Any] = {"article_count": count}
        if count:
            values |= {"first_seen": first, "last_seen": last}
        session.execute(update(schema.Story).where(schema.Story.id == story_id).values(**values))


def existing_stories(session: Session, story_ids: Iterable[int]) -> set[int]:
    """Which of these stories exist."""
    ids = sorted(set(story_ids))
    return set(session.scalars(select(schema.Story.id).where(schema.Story.id.in_(ids)))) if ids else set()


def record(
    session: Session,
    who: str,
    action: str,
    story_id: int,
    changes: Changes,
    note: str | None,
    now: datetime,
    undoes: int | None = None,
) -> ActionRecord:
    """Add an action to the audit trail (with the stories it touched); an undo marks what it undid."""
    stories = sorted(changes.stories | {story_id})
    row = {
        "at": now,
        "who": who,
        "action": action,
        "story_id": story_id,
        "note": note,
        "changes": changes.to_json(),
        "undoes": undoes,
        "undone_by": None,
    }
    action_id = insert_ids(session, schema.StoryAction.__table__, [row])[0]
    session.execute(
        insert(schema.StoryActionStory.__table__), [{"action_id": action_id, "story_id": s} for s in stories]
    )
    if undoes is not None:
        session.execute(
            update(schema.StoryAction).where(schema.StoryAction.id == undoes).values(undone_by=action_id)
        )
    return ActionRecord(action_id, now, who, action, story_id, stories, note, changes, undoes)


# ----------------------------------------------------------------- the audit trail


def _records(session: Session, where: Any, order: Any, limit: int | None = None) -> list[ActionRecord]:
    query = select(schema.StoryAction).where(where).order_by(order)
    if limit:
        query = query.limit(limit)
    rows = list(session.scalars(query))
    links: dict[int, list[int]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        for action_id, story_id in session.execute(
            select(schema.StoryActionStory.action_id, schema.StoryActionStory.story_id)
            .where(schema.StoryActionStory.action_id.in_(ids[start : start + 500]))
            .order_by(schema.StoryActionStory.story_id)
        ):
            links.setdefault(action_id, []).append(story_id)
    return [
        ActionRecord(
            row.id,
            row.at,
            row.who,
            row.action,
            row.story_id,
            links.get(row.id, []),
            row.note,
            Changes.from_json(row.changes),
            row.undoes,
            row.undone_by,
        )
        for row in rows
    ]


def _touching(story_id: int) -> Any:
    return schema.StoryAction.id.in_(
        select(schema.StoryActionStory.action_id).where(schema.StoryActionStory.story_id == story_id)
    )


def history(session: Session, story_id: int | None = None) -> list[ActionRecord]:
    """The actions that touched a story (every action without one), oldest first."""
    where = _touching(story_id) if story_id is not None else schema.StoryAction.id > 0
    return _records(session, where, schema.StoryAction.id)


def get_action(session: Session, action_id: int) -> ActionRecord | None:
    found = _records(session, schema.StoryAction.id == action_id, schema.StoryAction.id)
    return found[0] if found else None


def last_undoable(session: Session, story_id: int | None = None) -> ActionRecord | None:
    """The newest action (touching a story, when given) that is no undo and was not undone."""
    where = (schema.StoryAction.action != "undo") & schema.StoryAction.undone_by.is_(None)
    if story_id is not None:
        where = where & _touching(story_id)
    found = _records(session, where, schema.StoryAction.id.desc(), limit=1)
    return found[0] if found else None


def later_actions(session: Session, action: ActionRecord) -> list[int]:
    """Actions after this one, still in force, that touched one of its stories: undo them first."""
    where = (
        (schema.StoryAction.id > action.id)
        & (schema.StoryAction.action != "undo")
        & schema.StoryAction.undone_by.is_(None)
        & schema.StoryAction.id.in_(
            select(schema.StoryActionStory.action_id).where(
                schema.StoryActionStory.story_id.in_(action.stories)
            )
        )
    )
    return list(session.scalars(select(schema.StoryAction.id).where(where).order_by(schema.StoryAction.id)))


def record_moved(session: Session, story_id: int, target_id: int, when: datetime) -> None:
    """Remember that a story was removed because its article moved to ``target_id``."""
    session.execute(delete(schema.StoryMoved).where(schema.StoryMoved.story_id == story_id))
    session.add(schema.StoryMoved(story_id=story_id, target_id=target_id, moved=when))


def moved_to(session: Session, story_id: int) -> int | None:
    """The story a removed story's article moved to (second chance), if any."""
    return session.scalar(select(schema.StoryMoved.target_id).where(schema.StoryMoved.story_id == story_id))


def merged_into(session: Session, story_id: int) -> int | None:
    """The story a removed story was merged into (by a merge still in force), if any."""
    where = (
        _touching(story_id)
        & (schema.StoryAction.action == "merge")
        & schema.StoryAction.undone_by.is_(None)
        & (schema.StoryAction.story_id != story_id)
    )
    found = _records(session, where, schema.StoryAction.id.desc(), limit=1)
    return found[0].story_id if found else None


def actions_after(session: Session, action_id: int) -> list[ActionRecord]:
    """Every action recorded after this id, in order (what clustering has not taken up yet)."""
    return _records(session, schema.StoryAction.id > action_id, schema.StoryAction.id)


def clustering_members(session: Session, story_ids: Iterable[int]) -> dict[int, list[models.Article]]:
    """The members of these stories that clustering may extend (existing, not locked), in article
    id order: what their clustering state is made again from."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    open_ids = session.scalars(
        select(schema.Story.id).where(schema.Story.id.in_(ids), schema.Story.locked.is_(False))
    )
    return story_articles(session, list(open_ids))
