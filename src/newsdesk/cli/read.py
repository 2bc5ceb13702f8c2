"""``stories``, ``review``, ``clip``, ``search`` and ``export``: reading what was collected."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import SINCE_HELP, err, fail, out, since, state
from newsdesk.ids import MAX_ID

if TYPE_CHECKING:
    from newsdesk.models import Article


class ReviewFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


class ClipFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def stories(
    ctx: typer.Context,
    since_: str | None = typer.Option(
        None,
        "--since",
        help=SINCE_HELP + " Default: the last 24 h, or every story when those hold none.",
        show_default=False,
    ),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many stories."),
    language: str | None = typer.Option(None, "--language", help="Only stories with an article in it."),
    outlet: str | None = typer.Option(None, "--outlet", help="Only stories this outlet covered (domain)."),
    entity: str | None = typer.Option(
        None, "--entity", help="Only stories naming this person, organisation or place (any spelling)."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Stories ranked as on the front page: by outlets, then languages, then recency."""
    from newsdesk.enrich.entities.romanise import name_key
    from newsdesk.present.flags import language_flag
    from newsdesk.store import browse

    app_state = state(ctx)
    lang = app_state.settings.reader_lang
    _ = app_state.interface.gettext
    start = since(since_ or "24h")
    filters = browse.StoryFilters(start, language, outlet, entity, name_key(entity) if entity else "")
    with app_state.store.session() as session:
        found = browse.story_views(session, filters, limit)
        if not found and since_ is None:
            filters.since = None
            found = browse.story_views(session, filters, limit)
            if found:
                err.print(_("no stories in the last 24 hours: showing every story (choose with --since)"))
    if as_json:
        data = [
            {
                "id": s.id,
                "headline": s.headline(lang),
                "first_seen": s.first_seen.isoformat(),
                "last_seen": s.last_seen.isoformat(),
                "articles": [
                    {
                        "id": a.id,
                        "outlet": a.outlet,
                        "language": a.language,
                        "title": a.title,
                        "url": a.url,
                        "copy_of": a.copy_of,
                    }
                    for a in s.articles
                ],
            }
            for s in found
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(
            _("no stories in this period (try --since 7d or --since all)") if since_ else _("no stories yet")
        )
        return
    from rich.table import Table

    from newsdesk.present.dates import medium_datetime

    table = Table(_("story"), _("headline"), _("articles"), _("outlets"), _("last seen"))
    for s in found:
        outlets = list(dict.fromkeys(f"{language_flag(a.language)} {a.outlet}" for a in s.articles))
        table.add_row(
            str(s.id),
            s.headline(lang),
            str(len(s.articles)),
            ", ".join(outlets),
            medium_datetime(s.last_seen, lang),
        )
    out.print(table)


def review(
    ctx: typer.Context,
    story_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The story's id (see `newsdesk stories`)."),
    fmt: ReviewFormat = typer.Option(ReviewFormat.text, "--format", help="Output format."),
) -> None:
    """The press review of one story: who covered it, when, and the clippings."""
    from newsdesk.present.render import render_review
    from newsdesk.present.review import build_review
    from newsdesk.store import queries

    app_state = state(ctx)
    with app_state.store.session() as session:
        found = queries.story(session, story_id)
    if found is None:
        fail(app_state.interface.gettext("no story #%(id)d") % {"id": story_id})
    settings = app_state.settings
    typer.echo(render_review(build_review(found, settings.reader_lang, settings.flags), fmt.value), nl=False)


def clip(
    ctx: typer.Context,
    article_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The article's id."),
    fmt: ClipFormat = typer.Option(ClipFormat.text, "--format", help="Output format."),
) -> None:
    """The clipping of one article, as the clipping format prescribes."""
    from newsdesk.present.clipping import build_clipping
    from newsdesk.present.render import render_clipping
    from newsdesk.store import queries

    app_state = state(ctx)
    settings = app_state.settings
    with app_state.store.session() as session:
        found = queries.article_and_headline(session, article_id, settings.reader_lang)
    if found is None:
        fail(app_state.interface.gettext("no article #%(id)d") % {"id": article_id})
    article, headline = found
    clipping = build_clipping(article, headline, settings.reader_lang, settings.flags)
    typer.echo(render_clipping(clipping, fmt.value), nl=False)


def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help='Words to find; "quoted phrases" and OR work.'),
    limit: int = typer.Option(20, "--limit", min=1, max=10_000, help="At most this many results."),
    language: str | None = typer.Option(None, "--language", help="Only articles in this language."),
    outlet: str | None = typer.Option(None, "--outlet", help="Only this outlet's articles (its domain)."),
    since_: str | None = typer.Option(None, "--since", help=SINCE_HELP, show_default=False),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Full-text search over titles, ledes and bodies, best matches first, with snippets (the same
    search as the web's). Every word is searched as written (operators other than OR and "quotes" are
    not passed on); a query that cannot be run at all is refused with exit code 2."""
    from rich.text import Text

    from newsdesk.present.flags import language_flag
    from newsdesk.store import browse, queries

    start = since(since_)
    app_state = state(ctx)
    with app_state.store.session() as session:
        try:
            hits = browse.search(session, query, language=language, outlet=outlet, since=start, limit=limit)
        except queries.SearchError as exc:
            fail(str(exc), code=2)
    if as_json:
        data = [
            {
                "id": h.article_id,
                "title": h.title,
                "outlet": h.outlet,
                "language": h.language,
                "published": h.published.isoformat() if h.published else None,
                "snippet": h.snippet.replace(browse.MARK_START, "[").replace(browse.MARK_END, "]"),
                "score": round(h.score, 4),
                "story_id": h.story_id,
            }
            for h in hits
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not hits:
        out.print(Text(app_state.interface.gettext("nothing found for %(query)s") % {"query": repr(query)}))
        return
    for h in hits:
        out.print(
            Text.assemble(
                (f"#{h.article_id}", "bold"), f" {language_flag(h.language)} {h.outlet}  {h.title or ''}"
            )
        )
        snippet = Text("    ")
        for i, part in enumerate(
            h.snippet.replace(browse.MARK_END, browse.MARK_START).split(browse.MARK_START)
        ):
            snippet.append(part, style="bold yellow" if i % 2 else None)
        out.print(snippet)


EXPORT_FIELDS = [
    "id",
    "url",
    "canonical_url",
    "outlet",
    "title",
    "lede",
    "byline",
    "published",
    "collected",
    "language",
    "reading_time",
    "word_count",
    "text",
    "story_id",
    "copy_of",
    "keywords",
    "entities",
    "quotes",
]


def _with_entities(session, articles: Iterable[Article], batch: int = 200) -> Iterator[Article]:  # noqa: ANN001
    """The articles with their entities, quotes and keywords attached, a batch at a time."""
    from newsdesk.store import entities

    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == batch:
            entities.attach(session, chunk)
            yield from chunk
            chunk = []
    entities.attach(session, chunk)
    yield from chunk


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format"),
    since_: str | None = typer.Option(None, "--since", help=SINCE_HELP + " Default: all."),
) -> None:
    """Every article with its metadata, text, story id, the original it copies (wire copies),
    keywords, entities and quotes (offsets into the text), to standard output; CSV cells hold the
    last three as JSON."""
    from newsdesk.present.whosaid import article_entity_rows, article_quote_dicts
    from newsdesk.store import queries

    start = since(since_)
    writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_FIELDS) if fmt is ExportFormat.csv else None
    if writer:
        writer.writeheader()
    with state(ctx).store.session() as session:
        for a in _with_entities(session, queries.iter_articles(session, start)):
            row = {
                "id": a.id,
                "url": a.url,
                "canonical_url": a.canonical_url,
                "outlet": a.outlet,
                "title": a.title,
                "lede": a.lede,
                "byline": a.byline,
                "published": a.published.isoformat() if a.published else None,
                "collected": a.collected.isoformat(),
                "language": a.language,
                "reading_time": a.reading_time,
                "word_count": a.word_count,
                "text": a.text,
                "story_id": a.story_id,
                "copy_of": a.copy_of,
                "keywords": [k.text for k in a.keywords or []],
                "entities": [asdict(e) for e in article_entity_rows(a)],
                "quotes": article_quote_dicts(a),
            }
            if writer:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                        for k, v in row.items()
                    }
                )
            else:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
