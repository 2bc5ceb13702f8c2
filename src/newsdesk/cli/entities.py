"""``entities``, ``quotes`` and ``reprocess``: who is named and who said what."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.collect import WAIT_HELP, writing
from newsdesk.cli.common import SINCE_HELP, counted, fail, out, progress_bar, since, state
from newsdesk.ids import MAX_ID

if TYPE_CHECKING:
    from newsdesk.models import EntitySummary, QuoteView


def _outlets(counts: dict[str, int]) -> str:
    return ", ".join(f"{outlet} {n}" for outlet, n in counts.items())


def entity_dict(entity: EntitySummary) -> dict:
    """An entity as ``newsdesk entities --json`` prints it."""
    return {
        "id": entity.id,
        "key": entity.key,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "fallback": entity.fallback,
        "mentions": entity.mentions,
        "articles": entity.articles,
        "outlets": entity.outlets,
    }


def entities(
    ctx: typer.Context,
    story: int | None = typer.Option(
        None, "--story", min=1, max=MAX_ID, help="Only the entities of this story."
    ),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many entities."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Named entities: canonical name, type, aliases, mentions by outlet, the most covered first."""
    from rich.table import Table
    from rich.text import Text

    from newsdesk.store import entities as entity_store
    from newsdesk.store import schema

    app_state = state(ctx)
    _ = app_state.interface.gettext
    with app_state.store.session() as session:
        if story is not None and session.get(schema.Story, story) is None:
            fail(_("no story #%(id)d") % {"id": story})
        found = entity_store.entities(session, story, limit)
    if as_json:
        typer.echo(json.dumps([entity_dict(e) for e in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(_("no entities (collect articles, or run `newsdesk reprocess` for older ones)"))
        return
    table = Table(_("entity"), _("type"), _("articles"), _("mentions by outlet"), _("also written"))
    fallback = " (" + _("fallback") + ")"
    for e in found:
        name = Text.assemble(e.name, (fallback, "dim")) if e.fallback else e.name
        others = ", ".join(a for a in e.aliases if a != e.name)
        table.add_row(name, e.type, str(e.articles), _outlets(e.outlets), others)
    out.print(table)


def quotes(
    ctx: typer.Context,
    story: int | None = typer.Option(
        None, "--story", min=1, max=MAX_ID, help="Only the quotes of this story."
    ),
    speaker: str | None = typer.Option(
        None, "--speaker", help="Only this speaker's quotes (any spelling or alias), across stories."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Who said what: quotes with their speaker, cue and outlet, in order of publication."""
    from newsdesk.enrich.entities.romanise import name_key
    from newsdesk.store import entities as entity_store
    from newsdesk.store import schema

    app_state = state(ctx)
    _ = app_state.interface.gettext
    with app_state.store.session() as session:
        if story is not None and session.get(schema.Story, story) is None:
            fail(_("no story #%(id)d") % {"id": story})
        if speaker:
            found = entity_store.speaker_quotes(session, speaker, name_key(speaker), story)
        elif story is not None:
            found = entity_store.story_quotes(session, story)
        else:
            found = entity_store.quotes(session)
    if as_json:
        typer.echo(json.dumps([q.to_dict() for q in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(_("no quotes found"))
        return
    for q in found:
        _print_quote(q, _("story %(id)s"))


def _print_quote(quote: QuoteView, story: str) -> None:
    """A quote and where it was found; ``story`` is the words for its story (``story %(id)s``)."""
    from rich.text import Text

    marks = ("“", "”") if quote.direct else ("", "")
    where = f"{quote.outlet} #{quote.article_id} " + story % {"id": quote.story_id or "-"}
    out.print(Text.assemble((quote.speaker_name or "?", "bold"), f" {quote.cue or ''}  ", (where, "dim")))
    out.print(f"    {marks[0]}{quote.text}{marks[1]}")


def reprocess_(
    ctx: typer.Context,
    since_: str | None = typer.Option(None, "--since", help=SINCE_HELP + " Default: all."),
    missing: bool = typer.Option(False, "--missing", help="Only articles never enriched with entities."),
    after: int = typer.Option(0, "--after", help="Start after this article id (to resume)."),
    wait: float | None = typer.Option(None, "--wait", min=0.0, help=WAIT_HELP),
) -> None:
    """Compute entities, quotes and keywords again for stored articles, one batch per transaction.

    Holds the store's writer lock, as ``import`` and ``fetch`` do: it rewrites the entities of
    stories they may be linking at the same time."""
    from newsdesk.pipeline.reprocess import ReprocessStats, count_reprocess, reprocess

    app_state = state(ctx)
    store, when = app_state.store, since(since_)
    stats = ReprocessStats(last_id=after)
    with writing(app_state, "reprocess", wait):
        try:
            with progress_bar() as progress:
                task = progress.add_task("articles", total=count_reprocess(store, when, missing))
                reprocess(
                    store,
                    app_state.settings,
                    when,
                    unannotated=missing,
                    stats=stats,
                    progress=lambda n: progress.advance(task, n),
                )
        except KeyboardInterrupt:
            again = " ".join(
                filter(None, ["--since " + since_ if since_ else "", "--missing" if missing else ""])
            )
            fail(
                "interrupted: the batches done are kept; "
                f"`newsdesk reprocess {again} --after {stats.last_id}` goes on",
                code=130,
            )
    out.print(
        f"{counted(stats.articles, 'article')} enriched: {counted(stats.mentions, 'mention')}, "
        f"{counted(stats.quotes, 'quote')}" + (f" (last id {stats.last_id})" if stats.articles else "")
    )
