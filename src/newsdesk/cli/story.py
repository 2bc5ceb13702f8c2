"""``newsdesk story``: the analyst's word on stories (merge, split, move, rename, lock, undo, history)."""

from __future__ import annotations

import json
from typing import Any

import typer

from newsdesk.cli.common import fail, out, state
from newsdesk.ids import MAX_ID

app = typer.Typer(
    help="Merge, split, move, rename and lock stories; undo; the audit trail (docs/steering.md).",
    no_args_is_help=True,
)

WHO = typer.Option(None, "--as", help="Who acts, for the audit trail (default: the system user name).")
NOTE = typer.Option(None, "--note", help="Why, for the audit trail.")
STORY = typer.Argument(..., min=1, max=MAX_ID, help="The story.")


def _who(name: str | None) -> str:
    """The name the audit trail records: ``--as``, else the system user's name."""
    if name and name.strip():
        return name.strip()
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _run(ctx: typer.Context, who: str | None, action: str, *args: Any, **options: Any) -> None:
    """Do an action of ``newsdesk.pipeline.steering`` on the store as ``--as`` (else the system
    user); print what it did, or the reason it was refused (exit 1)."""
    from newsdesk.pipeline import steering

    app_state = state(ctx)
    try:
        record = getattr(steering, action)(
            app_state.store, app_state.settings, *args, who=_who(who), **options
        )
    except steering.SteeringError as exc:
        fail(exc.reason(app_state.interface))
    out.print(f"#{record.id}: {steering.describe(record, app_state.interface)}")


@app.command("merge")
def merge(
    ctx: typer.Context,
    story: int = typer.Argument(..., min=1, max=MAX_ID, help="The story that stays."),
    others: list[int] = typer.Argument(..., min=1, max=MAX_ID, help="The stories merged into it."),
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Merge stories into one: the others' articles join STORY and the others are removed."""
    _run(ctx, who, "merge", story, others, note=note)


@app.command("split")
def split(
    ctx: typer.Context,
    story: int = typer.Argument(..., min=1, max=MAX_ID, help="The story the articles leave."),
    articles: list[int] = typer.Argument(..., min=1, max=MAX_ID, help="The articles that make a new story."),
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Split articles (and their copies) out of a story into a new story; they never return to it."""
    _run(ctx, who, "split", story, articles, note=note)


@app.command("move")
def move(
    ctx: typer.Context,
    article: int = typer.Argument(..., min=1, max=MAX_ID, help="The article to move."),
    story: int = typer.Argument(..., min=1, max=MAX_ID, help="The story it goes to."),
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Move an article (and its copies) to another story; a story left empty is removed."""
    _run(ctx, who, "move", article, story, note=note)


@app.command("rename")
def rename(
    ctx: typer.Context,
    story: int = STORY,
    title: str = typer.Argument(..., help="Its headline."),
    language: str | None = typer.Option(
        None, "--language", "-l", help="The headline's language; * for any (default: the reader's, --lang)."
    ),
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Name a story's headline in a language; later clustering leaves it as it is."""
    from newsdesk.text.languages import base_language

    lang = language or base_language(state(ctx).settings.reader_lang) or "*"
    _run(ctx, who, "rename", story, title, lang, note=note)


@app.command("lock")
def lock(
    ctx: typer.Context,
    story: int = STORY,
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Lock a story: it takes no new articles, its articles and headlines stay as they are."""
    _run(ctx, who, "lock", story, note=note)


@app.command("unlock")
def unlock(
    ctx: typer.Context,
    story: int = STORY,
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Unlock a story: clustering may add articles to it again."""
    _run(ctx, who, "lock", story, note=note, locked=False)


@app.command("undo")
def undo(
    ctx: typer.Context,
    story: int | None = typer.Argument(
        None, min=1, max=MAX_ID, help="Undo the last action on this story (default: any)."
    ),
    action: int | None = typer.Option(
        None, "--action", min=1, max=MAX_ID, help="Undo this action (its number in the history)."
    ),
    who: str | None = WHO,
    note: str | None = NOTE,
) -> None:
    """Undo the last action (on STORY when given), or the one named with --action."""
    _run(ctx, who, "undo", story_id=story, action_id=action, note=note)


@app.command("history")
def history(
    ctx: typer.Context,
    story: int | None = typer.Argument(None, min=1, max=MAX_ID, help="The story (default: every action)."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """The audit trail: who did what to the story, when and why, oldest first."""
    from rich.table import Table
    from rich.text import Text

    from newsdesk.pipeline.steering import SteeringError, action_dict, describe, history

    try:
        records = history(state(ctx).store, story)
    except SteeringError as exc:
        fail(exc.reason(state(ctx).interface))
    if as_json:
        typer.echo(json.dumps([action_dict(r) for r in records], ensure_ascii=False, indent=2))
        return
    t = state(ctx).interface
    _ = t.gettext
    if not records:
        none = (
            _("no actions yet on story #%(id)d") % {"id": story} if story is not None else _("no actions yet")
        )
        out.print(none)
        return
    table = Table(
        "#", _("when (UTC)"), _("who"), _("action"), _("what"), _("note"), _("undone by"), expand=False
    )
    for r in records:
        table.add_row(
            str(r.id),
            r.at.strftime("%Y-%m-%d %H:%M:%S"),
            Text(r.who),
            r.action,
            Text(describe(r, t)),
            Text(r.note or ""),
            f"#{r.undone_by}" if r.undone_by else "",
        )
    out.print(table)
