"""The ``newsdesk`` command line: a thin layer over the library."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperGroup

from newsdesk import __version__
from newsdesk.cli import (
    alerts,
    collect,
    demo,
    digest,
    entities,
    evaluate,
    feeds,
    models,
    read,
    serve,
    story,
    users,
    worker,
)
from newsdesk.cli.common import AppState, fail
from newsdesk.settings import config_path, load_settings

# Options of the whole program that may also follow the command: `newsdesk demo --lang fr`.
GLOBAL_OPTIONS = ("--db", "--lang", "--config")


def hoist_global_options(group: TyperGroup, ctx: typer.Context, args: list[str]) -> list[str]:
    """The arguments with ``--db``, ``--lang`` and ``--config`` moved before the command when they
    follow it, unless the command has an option of that name (``feeds add --lang`` is the feed's)."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in GLOBAL_OPTIONS else 1
    command = group.get_command(ctx, args[i]) if i < len(args) else None
    j = i + 1
    while isinstance(command, TyperGroup) and j < len(args) and not args[j].startswith("-"):
        command = command.get_command(ctx, args[j])
        j += 1
    if command is None:
        return args
    own = {name for param in command.params for name in param.opts}
    moved: list[str] = []
    kept: list[str] = []
    k = i
    while k < len(args):
        token = args[k]
        if token == "--":
            kept.extend(args[k:])
            break
        name = token.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and name not in own:
            step = 1 if "=" in token else 2
            moved.extend(args[k : k + step])
            k += step
            continue
        kept.append(token)
        k += 1
    return args[:i] + moved + kept


class RootGroup(TyperGroup):
    """The ``newsdesk`` group: global options are accepted after the command too."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, ctx, args))


app = typer.Typer(
    cls=RootGroup,
    help="newsdesk: a self-hosted, multilingual news monitor. Feeds in; stories and clippings out.\n\n"
    "--db, --lang and --config may also follow the command: newsdesk demo --lang fr.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsdesk {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database file or URL (env NEWSDESK_DB). Only commands that write create a missing file.",
        show_default=False,
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="The reader's language, e.g. fr or pt-BR (env NEWSDESK_LANG; default from the locale).",
    ),
    config: Path | None = typer.Option(None, "--config", help="TOML settings file (env NEWSDESK_CONFIG)."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    try:
        settings = load_settings(config=config, db=db, reader_lang=lang)
    except ValueError as exc:
        fail(str(exc), code=2)
    ctx.obj = AppState(settings, config_path(config)[0])


app.add_typer(feeds.app, name="feeds")
app.add_typer(alerts.app, name="alerts")
app.add_typer(evaluate.app, name="eval")
app.add_typer(users.app, name="user")
app.add_typer(models.app, name="models")
app.add_typer(story.app, name="story")
app.command("fetch")(collect.fetch)
app.command("run")(collect.run)
app.command("import")(collect.import_)
app.command("stories")(read.stories)
app.command("review")(read.review)
app.command("clip")(read.clip)
app.command("search")(read.search)
app.command("export")(read.export)
app.command("digest")(digest.digest)
app.command("entities")(entities.entities)
app.command("quotes")(entities.quotes)
app.command("reprocess")(entities.reprocess_)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)


def main() -> None:
    app()
