"""The analyst has the last word: merge, split, move, rename, lock and undo, with an audit trail.

Each action is one transaction: it checks its input, changes the stories
(``newsdesk.store.steering``), refreshes what depends on their members (counts, times, outlets,
headlines, entities and keywords) and records itself, with what it changed, in the audit trail.
Clustering takes the actions up before its next batch (:func:`catch_up`): a merged story's
clustering row feeds the story it was merged into, a story whose members changed is clustered
again from them, a locked story takes no new article. See docs/steering.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from gettext import NullTranslations
from typing import Any

from sqlalchemy.orm import Session

from newsdesk.pipeline.entities import relink_stories
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import articles as article_store
from newsdesk.store import steering as steering_store
from newsdesk.store.steering import (
    ActionRecord,
    Changes,
    Move,
    Refused,
    SteeringError,
    UnknownArticle,
    UnknownStory,
)
from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer
from newsdesk.stories.labels import headlines as story_headlines
from newsdesk.text.messages import N_

__all__ = [
    "ActionRecord",
    "Refused",
    "SteeringError",
    "UnknownArticle",
    "UnknownStory",
    "action_dict",
    "catch_up",
    "describe",
    "history",
    "lock",
    "merge",
    "move",
    "refresh_headlines",
    "rename",
    "split",
    "undo",
]

MAX_HEADLINE = 1000
MAX_NOTE = 2000
MAX_WHO = 128  # the audit trail's column
LISTED = 8  # articles named in an action's one-line description
_LANGUAGE = re.compile(r"^(\*|[a-z]{2,3})$")


@dataclass
class Plan:
    """What an action will do: the story it is about, its changes and the action it undoes."""

    story_id: int
    changes: Changes
    undoes: int | None = None


Build = Callable[[Session, datetime], Plan]


# ----------------------------------------------------------------- actions


def merge(
    store: Store, settings: Settings, story_id: int, others: Sequence[int], who: str, note: str | None = None
) -> ActionRecord:
    """Merge ``others`` into ``story_id``: their articles join it and they are removed."""

    def build(session: Session, _now: datetime) -> Plan:
        if not others:
            raise SteeringError(N_("name at least one story to merge into it"))
        if story_id in others:
            raise SteeringError(N_("cannot merge story #%(id)d with itself"), id=story_id)
        if len(set(others)) != len(others):
            raise SteeringError(N_("a story is named twice"))
        target = _open_story(session, story_id)
        moves = []
        for other in others:
            state = _open_story(session, other)
            pins = steering_store.stories_of(session, state.members)
            moves += [Move(a, other, target.id, pins[a][1]) for a in state.members]
        return Plan(story_id, _emptying(session, moves))

    return _act(store, settings, who, "merge", note, build)


def split(
    store: Store,
    settings: Settings,
    story_id: int,
    article_ids: Sequence[int],
    who: str,
    note: str | None = None,
) -> ActionRecord:
    """Take articles (and their copies) out of a story into a new story of their own."""

    def build(session: Session, now: datetime) -> Plan:
        if not article_ids:
            raise SteeringError(N_("name at least one article to split out"))
        source = _open_story(session, story_id)
        for article_id in article_ids:
            _check_in_story(session, article_id, story_id)
        leaving = _with_copies(session, article_ids, lambda story: story == story_id)
        if set(source.members) <= set(leaving):
            raise SteeringError(
                N_("a split must leave story #%(id)d at least one article (merge or move instead)"),
                id=story_id,
            )
        new_id = steering_store.next_story_id(session)
        pins = steering_store.stories_of(session, leaving)
        changes = Changes(
            created=[steering_store.new_snapshot(new_id, now)],
            moves=[Move(a, story_id, new_id, pins[a][1]) for a in sorted(leaving)],
        )
        return Plan(story_id, changes)

    return _act(store, settings, who, "split", note, build)


def move(
    store: Store, settings: Settings, article_id: int, story_id: int, who: str, note: str | None = None
) -> ActionRecord:
    """Move an article (and its copies) to another story; a story it leaves empty is removed."""

    def build(session: Session, _now: datetime) -> Plan:
        target = _open_story(session, story_id)
        source = _story_of(session, article_id)
        if source == story_id:
            raise SteeringError(
                N_("article #%(article)d is in story #%(story)d already"), article=article_id, story=story_id
            )
        _open_story(session, source)
        moving = _with_copies(session, [article_id], lambda story: story != target.id)
        pins = steering_store.stories_of(session, moving)
        moves = [Move(a, pins[a][0], target.id, pins[a][1]) for a in sorted(moving)]
        return Plan(story_id, _emptying(session, moves))

    return _act(store, settings, who, "move", note, build)


def rename(
    store: Store,
    settings: Settings,
    story_id: int,
    title: str,
    language: str,
    who: str,
    note: str | None = None,
) -> ActionRecord:
    """Name a story's headline in a language (``*``: for languages without their own); the
    labeller leaves a named headline as it is."""
    title = " ".join(title.split())
    language = language.strip().lower()

    def build(session: Session, _now: datetime) -> Plan:
        if not title:
            raise SteeringError(N_("the headline is empty"))
        if len(title) > MAX_HEADLINE:
            raise SteeringError(N_("the headline is longer than %(max)d characters"), max=MAX_HEADLINE)
        if not _LANGUAGE.match(language):
            raise SteeringError(
                N_("not a language code: %(code)s (e.g. en, fr, or * for any)"), code=repr(language)
            )
        steering_store.story_state(session, story_id)
        before = steering_store.headline(session, story_id, language)
        after = [title, before[1] if before else None, True]
        return Plan(story_id, Changes(headlines=[[story_id, language, before, after]]))

    return _act(store, settings, who, "rename", note, build)


def lock(
    store: Store,
    settings: Settings,
    story_id: int,
    who: str,
    note: str | None = None,
    locked: bool = True,
) -> ActionRecord:
    """Lock a story (no new articles join it; its members and headlines stay), or unlock it."""

    def build(session: Session, _now: datetime) -> Plan:
        state = steering_store.story_state(session, story_id)
        if state.locked == locked:
            raise Refused(
                N_("story #%(id)d is locked already")
                if locked
                else N_("story #%(id)d is not locked already"),
                id=story_id,
            )
        return Plan(story_id, Changes(locks=[[story_id, state.locked, locked]]))

    return _act(store, settings, who, "lock" if locked else "unlock", note, build)


def undo(
    store: Store,
    settings: Settings,
    who: str,
    story_id: int | None = None,
    action_id: int | None = None,
    note: str | None = None,
) -> ActionRecord:
    """Undo an action exactly: the one named, else the last one in force (touching ``story_id``
    when given). Refused when a later action in force touched the same stories (undo it first)."""

    def build(session: Session, _now: datetime) -> Plan:
        target = _action_to_undo(session, story_id, action_id)
        later = steering_store.later_actions(session, target)
        if later:
            raise Refused(
                N_("action #%(later)d changed the same stories after #%(action)d: undo it first"),
                later=later[-1],
                action=target.id,
            )
        created = target.changes.created
        returning = {m.article_id for m in target.changes.moves}
        removed = []
        for story in created:
            members = set(steering_store.story_state(session, story["id"]).members)
            if members <= returning:
                removed.append(steering_store.snapshot(session, story["id"]))
        return Plan(target.story_id, target.changes.inverse(removed), undoes=target.id)

    return _act(store, settings, who, "undo", note, build)


def history(store: Store, story_id: int | None = None) -> list[ActionRecord]:
    """The audit trail of a story (every action without one), oldest first; UnknownStory for a
    story that neither exists nor ever did."""
    with store.session() as session:
        found = steering_store.history(session, story_id)
        if story_id is not None and not found:
            steering_store.story_state(session, story_id)
        return found


# ----------------------------------------------------------------- checks


def _open_story(session: Session, story_id: int) -> steering_store.StoryState:
    """A story whose members may change: it exists and is not locked."""
    state = steering_store.story_state(session, story_id)
    if state.locked:
        raise Refused(N_("story #%(id)d is locked: unlock it first"), id=story_id)
    return state


def _story_of(session: Session, article_id: int) -> int:
    found = steering_store.stories_of(session, [article_id]).get(article_id)
    if found is None:
        if not article_store.article_exists(session, article_id):
            raise UnknownArticle(N_("no article #%(id)d"), id=article_id)
        raise SteeringError(N_("article #%(id)d is in no story"), id=article_id)
    return found[0]


def _check_in_story(session: Session, article_id: int, story_id: int) -> None:
    source = _story_of(session, article_id)
    if source != story_id:
        raise SteeringError(
            N_("article #%(article)d is not in story #%(story)d (it is in story #%(source)d)"),
            article=article_id,
            story=story_id,
            source=source,
        )


def _with_copies(session: Session, article_ids: Sequence[int], where: Callable[[int], bool]) -> set[int]:
    """The articles with their copies that are in a story ``where`` accepts and not locked."""
    found = set(article_ids)
    copies = steering_store.stories_of(session, steering_store.copies_of(session, found))
    for copy, (story, _) in copies.items():
        if where(story) and not steering_store.story_state(session, story).locked:
            found.add(copy)
    return found


def _emptying(session: Session, moves: list[Move]) -> Changes:
    """The changes of these moves, with the stories they leave empty removed."""
    removed = []
    for source in sorted({m.source for m in moves}):
        members = set(steering_store.story_state(session, source).members)
        if members <= {m.article_id for m in moves if m.source == source}:
            removed.append(steering_store.snapshot(session, source))
    return Changes(moves=moves, removed=removed)


def _action_to_undo(session: Session, story_id: int | None, action_id: int | None) -> ActionRecord:
    if action_id is None:
        found = steering_store.last_undoable(session, story_id)
        if found is None:
            raise (
                Refused(N_("nothing to undo in story #%(id)d"), id=story_id)
                if story_id is not None
                else Refused(N_("nothing to undo"))
            )
        return found
    found = steering_store.get_action(session, action_id)
    if found is None:
        raise SteeringError(N_("no action #%(id)d"), id=action_id)
    if found.action == "undo":
        raise Refused(
            N_("action #%(id)d is an undo: to do #%(undoes)s again, repeat it"),
            id=action_id,
            undoes=found.undoes,
        )
    if found.undone_by is not None:
        raise Refused(N_("action #%(id)d was undone already (by #%(by)s)"), id=action_id, by=found.undone_by)
    if story_id is not None and story_id not in found.stories:
        raise SteeringError(N_("action #%(id)d did not touch story #%(story)s"), id=action_id, story=story_id)
    return found


# ----------------------------------------------------------------- doing


def _act(
    store: Store,
    settings: Settings,
    who: str,
    action: str,
    note: str | None,
    build: Build,
) -> ActionRecord:
    """Check and make an action's changes, refresh the stories they touch and record the action,
    in one transaction."""
    note, who = (note or "").strip() or None, who.strip()
    if not who or len(who) > MAX_WHO:
        raise SteeringError(N_("who acts must be named in 1 to %(max)d characters"), max=MAX_WHO)
    if note and len(note) > MAX_NOTE:
        raise SteeringError(N_("the note is longer than %(max)d characters"), max=MAX_NOTE)
    now = datetime.now(UTC)
    with store.session() as session:
        steering_store.take_write_lock(session)
        plan = build(session, now)
        steering_store.apply_changes(session, plan.changes)
        _refresh(session, settings, plan.changes.stories)
        return steering_store.record(
            session, who, action, plan.story_id, plan.changes, note, now, plan.undoes
        )


def _refresh(session: Session, settings: Settings, story_ids: set[int]) -> None:
    """Counts, times, outlets, headlines, entities and keywords of the touched stories that remain."""
    alive = steering_store.existing_stories(session, story_ids)
    steering_store.refresh_spans(session, alive)
    article_store.refresh_outlet_counts(session, alive)
    refresh_headlines(session, alive)
    relink_stories(session, alive, settings.entities)


def refresh_headlines(session: Session, story_ids: set[int]) -> None:
    """Choose the stories' headlines again from their members (a headline an analyst named stays)."""
    headlines: dict[int, dict[str, tuple[str, int]]] = {}
    for story_id, members in article_store.stories_members(session, story_ids).items():
        chosen = story_headlines([(m.title, m.language, m.embedding) for m in members])
        rows: dict[str, tuple[str, int]] = {}
        for language, title in chosen.items():
            article_id = next(
                (
                    m.article_id
                    for m in members
                    if m.title == title and (language == "*" or m.language == language)
                ),
                members[0].article_id,
            )
            rows[language] = (title, article_id)
        headlines[story_id] = rows
    article_store.replace_all_headlines(session, headlines)


# ----------------------------------------------------------------- clustering


def catch_up(session: Session, clusterer: OnlineClusterer) -> None:
    """Take into the clusterer the actions recorded since it last did (call inside the batch's
    transaction, once it writes): a merged story's row feeds the story it went into; the stories
    whose members or lock changed are made again from their members (a locked one has none); no
    story an action touched moves its article on a second chance."""
    steering_store.take_write_lock(session)
    actions = steering_store.actions_after(session, clusterer.edits_applied)
    if not actions:
        return
    regrouped: set[int] = set()
    for action in actions:
        for story_id in action.stories:  # an article in a story the analyst touched stays there
            clusterer.keep_in_place(story_id)
        if action.action == "merge":
            for story in action.changes.removed:
                clusterer.alias(story["id"], action.story_id)
        else:
            regrouped |= action.changes.regrouped
        clusterer.reserve_ids(max(action.stories) + 1)
    members = steering_store.clustering_members(session, regrouped)
    for story_id in sorted(regrouped):
        clusterer.rebuild(story_id, [cluster_doc(a, a.id or 0) for a in members.get(story_id, [])])
    clusterer.edits_applied = actions[-1].id


def cluster_doc(article, key: int) -> ClusterDoc:  # noqa: ANN001
    """An article as the clusterer sees it."""
    return ClusterDoc(
        key=key,
        title=article.title or "",
        text=article.lede_and_text,
        language=article.language,
        when=article.when,
        outlet=article.outlet,
        embedding=article.embedding,
    )


# ----------------------------------------------------------------- telling


def describe(action: ActionRecord, t: NullTranslations | None = None) -> str:
    """What an action did, in a line: in English (the audit trail's JSON), else in the language of
    the translations ``t``."""
    t = t or NullTranslations()
    changes = action.changes
    moved = sorted({m.article_id for m in changes.moves})
    articles = ", ".join(f"#{a}" for a in moved[:LISTED]) + (" …" if len(moved) > LISTED else "")
    story = action.story_id
    if action.action == "merge":
        merged = ", ".join(f"#{s['id']}" for s in changes.removed)
        return t.gettext("merged %(merged)s into #%(story)d (articles %(articles)s)") % {
            "merged": merged,
            "story": story,
            "articles": articles,
        }
    if action.action == "split":
        new = changes.created[0]["id"] if changes.created else "?"
        return t.gettext("split %(articles)s out of #%(story)d into #%(new)s") % {
            "articles": articles,
            "story": story,
            "new": new,
        }
    if action.action == "move":
        first = changes.moves[0] if changes.moves else None
        if first is None:
            return t.gettext("moved %(articles)s to #%(story)d") % {"articles": articles, "story": story}
        return t.gettext("moved %(articles)s from #%(source)d to #%(story)d") % {
            "articles": articles,
            "source": first.source,
            "story": story,
        }
    if action.action == "rename":
        _, language, _, after = changes.headlines[0]
        return t.gettext("renamed (%(language)s): %(headline)s") % {
            "language": language,
            "headline": after[0],
        }
    if action.action == "lock":
        return t.gettext("locked #%(story)d") % {"story": story}
    if action.action == "unlock":
        return t.gettext("unlocked #%(story)d") % {"story": story}
    return t.gettext("undid #%(action)s") % {"action": action.undoes}


def action_dict(action: ActionRecord) -> dict[str, Any]:
    """An action as JSON: who, when, what (a line and the changes, before and after), the note."""
    return {
        "id": action.id,
        "at": action.at.isoformat(),
        "who": action.who,
        "action": action.action,
        "story_id": action.story_id,
        "stories": action.stories,
        "summary": describe(action),
        "note": action.note,
        "undoes": action.undoes,
        "undone_by": action.undone_by,
        "changes": json.loads(action.changes.to_json()),
    }
