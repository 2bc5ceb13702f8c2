"""The ``newsdesk`` command line: a thin layer over the library."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk import __version__
from newsdesk.cli import collect, demo, entities, evaluate, feeds, read, serve, users, worker
from newsdesk.cli.common import AppState, fail
from newsdesk.settings import load_settings

app = typer.Typer(
    help="newsdesk: a self-hosted, multilingual news monitor. Feeds in; stories and clippings out.",
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
        None, "--db", help="Database file or URL (env NEWSDESK_DB).", show_default=False
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="The reader's language (env NEWSDESK_LANG; default from the locale)."
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
    ctx.obj = AppState(settings)


app.add_typer(feeds.app, name="feeds")
app.add_typer(evaluate.app, name="eval")
app.add_typer(users.app, name="user")
app.command("fetch")(collect.fetch)
app.command("run")(collect.run)
app.command("import")(collect.import_)
app.command("stories")(read.stories)
app.command("review")(read.review)
app.command("clip")(read.clip)
app.command("search")(read.search)
app.command("export")(read.export)
app.command("entities")(entities.entities)
app.command("quotes")(entities.quotes)
app.command("reprocess")(entities.reprocess_)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)


def main() -> None:
    app()
