"""``newsdesk feeds``: subscriptions and their health."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from newsdesk.cli.common import counted, err, fail, out, private_hint, state

if TYPE_CHECKING:
    from gettext import NullTranslations

    from newsdesk.models import Feed

app = typer.Typer(help="Add, list, import and export feeds.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    url: str = typer.Argument(
        ..., help="A feed (RSS, Atom, JSON Feed), a sitemap or sitemap index, or a site's home page."
    ),
    outlet: str | None = typer.Option(None, "--outlet", help="The outlet's domain, e.g. lemonde.fr."),
    lang: str | None = typer.Option(None, "--lang", help="The feed's language when it does not say."),
    no_check: bool = typer.Option(False, "--no-check", help="Add without fetching the URL first."),
) -> None:
    """Subscribe to a feed or a sitemap (a site's home page works too: its feed is discovered, else a
    sitemap named by its robots.txt). A URL that can never be fetched (not http(s), a refused
    address) is refused with exit code 2; one whose check failed for a reason that may pass (a 404, a
    timeout) is added, saying so."""
    from newsdesk.ingest.feeds import FeedError
    from newsdesk.pipeline.subscribe import FeedRefused, add_feed, address_problem

    app_state = state(ctx)
    if problem := address_problem(url.strip(), app_state.settings.fetch, check_host=not no_check):
        _refused(problem, app_state.config)  # before the store is created
    try:
        sub = add_feed(
            app_state.open_store(create=True), app_state.settings, url, outlet, lang, check=not no_check
        )
    except FeedRefused as exc:
        _refused(str(exc), app_state.config)
    except FeedError as exc:
        fail(str(exc) + (f"\n{hint}" if (hint := private_hint([str(exc)], app_state.config)) else ""))
    if sub.note:
        err.print(sub.note)
    verb = "added" if sub.created else "already subscribed"
    kind = "sitemap " if sub.feed.kind == "sitemap" else ""
    outlet_note = f" ({sub.feed.outlet})" if sub.feed.outlet else ""
    out.print(f"{verb}: {kind}#{sub.feed.id} {sub.feed.url}{outlet_note}")


def _refused(problem: str, config: Path) -> NoReturn:
    hint = private_hint([problem], config)
    fail(f"not added: {problem}" + (f"\n{hint}" if hint else ""), code=2)


@app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Subscribe to every feed of an OPML file. A file larger than ``web.max_body_bytes`` or listing
    more than ``web.max_opml_feeds`` feeds is refused whole (exit 2), as the web's import refuses it."""
    from newsdesk.pipeline.subscribe import OpmlTooBig, import_opml

    app_state = state(ctx)
    try:
        subs = import_opml(app_state.open_store(create=True), app_state.settings, file)
    except OpmlTooBig as exc:
        fail(str(exc), code=2)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    created = sum(s.created for s in subs)
    out.print(f"{file}: {counted(len(subs), 'feed')}, {created} new")


@app.command("export")
def export(ctx: typer.Context) -> None:
    """Write every subscription as OPML to standard output."""
    from newsdesk.pipeline.subscribe import export_opml

    typer.echo(export_opml(state(ctx).store), nl=False)


@app.command("remove")
def remove(ctx: typer.Context, feed: str = typer.Argument(..., help="Feed id or URL.")) -> None:
    """Unsubscribe from a feed (its articles stay)."""
    from newsdesk.store import feeds as feed_store

    with state(ctx).store.session() as session:
        removed = feed_store.remove_feed(session, feed)
    if removed is None:
        fail(f"no feed {feed!r} (see `newsdesk feeds list`)")
    name = removed.title or removed.outlet
    out.print(f"removed #{removed.id}" + (f" {name}" if name else "") + f" <{removed.url}>")


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value else None


def _status(feed: Feed, interface: NullTranslations) -> str:
    """The feed's status in the reader's language, with the time its host asked to wait until (429
    or 503)."""
    from newsdesk.cli.collect import _clock
    from newsdesk.store.feeds import STATUS_LABELS

    status = interface.gettext(STATUS_LABELS.get(feed.status, feed.status))
    if feed.host_wait_until is None:
        return status
    wait = interface.gettext("rate-limited by host until %(time)s") % {"time": _clock(feed.host_wait_until)}
    return wait if feed.status == "rate-limited" else f"{status}; {wait}"


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """Feeds with their status, last fetch and last error, and the time until which a host
    that answered 429 or 503 asked not to be asked."""
    from datetime import UTC, datetime

    from rich.table import Table

    from newsdesk.present.dates import medium_datetime
    from newsdesk.store import feeds as feed_store

    app_state = state(ctx)
    interface, lang = app_state.interface, app_state.settings.reader_lang
    _ = interface.gettext
    with app_state.store.session() as session:
        feeds = feed_store.list_feeds(session, datetime.now(UTC))
    if as_json:
        rows = [
            {
                "id": f.id,
                "url": f.url,
                "kind": f.kind,
                "outlet": f.outlet,
                "title": f.title,
                "language": f.language,
                "status": f.status,
                "last_fetch": _iso(f.last_fetch),
                "last_success": _iso(f.last_success),
                "last_error": f.last_error,
                "error_count": f.error_count,
                "next_fetch": _iso(f.next_fetch),
                "host_wait_until": _iso(f.host_wait_until),
                "articles": f.article_count,
            }
            for f in feeds
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not feeds:
        out.print(_("no feeds yet: add one with `newsdesk feeds add URL`"))
        return
    headers = (
        "id",
        _("outlet"),
        _("url"),
        _("kind"),
        _("status"),
        _("last fetch"),
        _("articles"),
        _("last error"),
    )
    table = Table(*headers, expand=False)
    for f in feeds:
        table.add_row(
            str(f.id),
            f.outlet or "",
            f.url,
            f.kind,
            _status(f, interface),
            medium_datetime(f.last_fetch, lang) if f.last_fetch else _("never"),
            str(f.article_count),
            f.last_error or "",
        )
    out.print(table)
