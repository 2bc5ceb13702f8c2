"""The analyst's word on stories, from the web: the API under ``/api/v1/stories/{id}/…`` and the
story page's forms. Changes need a user beyond loopback (as feeds do); the audit trail names the
user, or ``local`` on loopback without one. See docs/steering.md."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from newsdesk.pipeline import steering
from newsdesk.pipeline.steering import ActionRecord, SteeringError
from newsdesk.store import steering as steering_store
from newsdesk.store import users
from newsdesk.text.languages import base_language
from newsdesk.text.messages import N_
from newsdesk.web import schemas
from newsdesk.web.auth import api_writer, form_writer
from newsdesk.web.render import redirect, translator
from newsdesk.web.state import MAX_INT, RecordId, reader_language, web_state

api = APIRouter(prefix="/api/v1/stories", tags=["steering"])
forms = APIRouter(prefix="/stories", include_in_schema=False)

LOCAL = "local"  # who acts on loopback without logging in
_NUMBERS = re.compile(r"[\s,;]+")

Writer = users.UserRecord | None
WRITER = Depends(api_writer)


def _who(user: Writer) -> str:
    return user.name if user is not None else LOCAL


def _language(request: Request, asked: str | None) -> str:
    """The headline's language: as asked, else the reader's."""
    return (asked or "").strip() or base_language(reader_language(request)[0]) or "*"


def _done(
    request: Request,
    user: Writer,
    action: Callable[..., ActionRecord],
    *args: Any,
    page: bool = False,
    **options: Any,
) -> ActionRecord:
    """Do an action of ``newsdesk.pipeline.steering`` as this user; a refusal is the asker's error
    (4xx with the reason: in English for the API, in the reader's language on a ``page``)."""
    web = web_state(request)
    try:
        return action(web.store, web.settings, *args, who=_who(user), **options)
    except SteeringError as exc:
        raise HTTPException(exc.status, exc.reason(translator(request)) if page else str(exc)) from exc


def _api(
    request: Request, user: Writer, action: Callable[..., ActionRecord], *args: Any, **options: Any
) -> schemas.ActionOut:
    """An API call's action, answered with the action as the audit trail keeps it."""
    return _action_out(_done(request, user, action, *args, **options))


def _action_out(record: ActionRecord) -> schemas.ActionOut:
    return schemas.ActionOut(**steering.action_dict(record))


# ----------------------------------------------------------------- the API


@api.post("/{story_id}/merge", response_model=schemas.ActionOut)
def merge(
    request: Request, story_id: RecordId, body: schemas.MergeIn, user: Writer = WRITER
) -> schemas.ActionOut:
    """Merge the stories of ``stories`` into this one: their articles join it, they are removed."""
    return _api(request, user, steering.merge, story_id, body.stories, note=body.note)


@api.post("/{story_id}/split", response_model=schemas.ActionOut)
def split(
    request: Request, story_id: RecordId, body: schemas.SplitIn, user: Writer = WRITER
) -> schemas.ActionOut:
    """Split ``articles`` (and their copies) out of this story into a new story (``changes.created``)."""
    return _api(request, user, steering.split, story_id, body.articles, note=body.note)


@api.post("/{story_id}/move", response_model=schemas.ActionOut)
def move(
    request: Request, story_id: RecordId, body: schemas.MoveIn, user: Writer = WRITER
) -> schemas.ActionOut:
    """Move ``article`` (and its copies) into this story; a story it leaves empty is removed."""
    return _api(request, user, steering.move, body.article, story_id, note=body.note)


@api.post("/{story_id}/rename", response_model=schemas.ActionOut)
def rename(
    request: Request, story_id: RecordId, body: schemas.RenameIn, user: Writer = WRITER
) -> schemas.ActionOut:
    """Name the story's headline in ``language`` (default: the reader's; ``*``: any language
    without its own headline). Clustering leaves a named headline as it is."""
    language = _language(request, body.language)
    return _api(request, user, steering.rename, story_id, body.title, language, note=body.note)


@api.post("/{story_id}/lock", response_model=schemas.ActionOut)
def lock(
    request: Request, story_id: RecordId, body: schemas.NoteIn | None = None, user: Writer = WRITER
) -> schemas.ActionOut:
    """Lock the story: no new article joins it, its articles and headlines stay."""
    return _api(request, user, steering.lock, story_id, note=body.note if body else None)


@api.post("/{story_id}/unlock", response_model=schemas.ActionOut)
def unlock(
    request: Request, story_id: RecordId, body: schemas.NoteIn | None = None, user: Writer = WRITER
) -> schemas.ActionOut:
    """Unlock the story: clustering may add articles to it again."""
    return _api(request, user, steering.lock, story_id, note=body.note if body else None, locked=False)


@api.post("/{story_id}/undo", response_model=schemas.ActionOut)
def undo(
    request: Request, story_id: RecordId, body: schemas.UndoIn | None = None, user: Writer = WRITER
) -> schemas.ActionOut:
    """Undo the last action on this story still in force, or ``action`` (which must have touched
    it). Refused (409) when a later action changed the same stories: undo that one first."""
    body = body or schemas.UndoIn()
    return _api(request, user, steering.undo, story_id=story_id, action_id=body.action, note=body.note)


@api.get("/{story_id}/history", response_model=list[schemas.ActionOut])
def history(request: Request, story_id: RecordId) -> list[schemas.ActionOut]:
    """The audit trail of the story (stories merged into it included), oldest first: who did what,
    when, why, and what changed, before and after."""
    try:
        trail = steering.history(web_state(request).store, story_id)
    except SteeringError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    return [_action_out(r) for r in trail]


# ----------------------------------------------------------------- the story page's forms


def _ids(request: Request, text: str, what: str) -> list[int]:
    """Numbers typed in a form field (spaces or commas between them); ``what`` names the field (a
    message of the catalogs), in the reader's language in the errors."""
    t = translator(request)
    named = {"what": t.gettext(what)}
    try:
        numbers = [int(part) for part in _NUMBERS.split(text.strip()) if part]
    except ValueError:
        raise HTTPException(400, t.gettext("%(what)s: give numbers, e.g. 12 or 12, 14") % named) from None
    if not numbers:
        raise HTTPException(400, t.gettext("%(what)s: give at least one number") % named)
    if any(n < 1 or n > MAX_INT for n in numbers):
        raise HTTPException(400, t.gettext("%(what)s: no such id") % named)
    return numbers


def _form_done(
    request: Request,
    page_story: int,
    user: Writer,
    action: Callable[..., ActionRecord],
    *args: Any,
    **options: Any,
) -> Response:
    """Do a form's action and show the result: this story, else the story the action is about
    (when this one is gone)."""
    record = _done(request, user, action, *args, page=True, **options)
    with web_state(request).store.session() as session:
        remains = page_story in steering_store.existing_stories(session, [page_story])
    return redirect(f"/stories/{page_story if remains else record.story_id}?done={record.id}#steering")


FORM_WRITER = Depends(form_writer)


@forms.post("/{story_id}/merge")
def merge_form(
    request: Request,
    story_id: RecordId,
    other: str = Form(...),
    note: str = Form(""),
    user: Writer = FORM_WRITER,
) -> Response:
    others = _ids(request, other, N_("stories to merge"))
    return _form_done(request, story_id, user, steering.merge, story_id, others, note=note)


@forms.post("/{story_id}/split")
def split_form(
    request: Request,
    story_id: RecordId,
    article: list[int] = Form([]),
    note: str = Form(""),
    user: Writer = FORM_WRITER,
) -> Response:
    return _form_done(request, story_id, user, steering.split, story_id, article, note=note)


@forms.post("/{story_id}/move")
def move_form(
    request: Request,
    story_id: RecordId,
    article: int = Form(..., ge=1, le=MAX_INT),
    target: str = Form(...),
    note: str = Form(""),
    user: Writer = FORM_WRITER,
) -> Response:
    into = _ids(request, target, N_("story to move to"))
    if len(into) != 1:
        raise HTTPException(400, translator(request).gettext("story to move to: give one story"))
    return _form_done(request, story_id, user, steering.move, article, into[0], note=note)


@forms.post("/{story_id}/rename")
def rename_form(
    request: Request,
    story_id: RecordId,
    title: str = Form(...),
    language: str = Form(""),
    note: str = Form(""),
    user: Writer = FORM_WRITER,
) -> Response:
    lang = _language(request, language)
    return _form_done(request, story_id, user, steering.rename, story_id, title, lang, note=note)


@forms.post("/{story_id}/lock")
def lock_form(
    request: Request,
    story_id: RecordId,
    locked: bool = Form(True),
    note: str = Form(""),
    user: Writer = FORM_WRITER,
) -> Response:
    return _form_done(request, story_id, user, steering.lock, story_id, note=note, locked=locked)


@forms.post("/{story_id}/undo")
def undo_form(
    request: Request, story_id: RecordId, note: str = Form(""), user: Writer = FORM_WRITER
) -> Response:
    return _form_done(request, story_id, user, steering.undo, story_id=story_id, note=note)
