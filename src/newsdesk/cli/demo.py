"""``newsdesk demo``: the whole path, offline, on the bundled sample site."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.collect import fetch_once, report
from newsdesk.cli.common import counted, err, out, state
from newsdesk.cli.serve import serve_store, with_web
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.store import Store


def demo_site() -> Path:
    """The bundled sample site: outlets in several languages, feeds and article pages."""
    return Path(str(files("newsdesk.demo") / "site"))


def demo_settings(settings: Settings, db_path: Path) -> Settings:
    """Settings for collecting from the local demo server: loopback allowed, no politeness delay."""
    fetch = replace(settings.fetch, allow_private=True, per_host_delay=0.0, per_host_concurrency=8)
    return replace(settings, db=str(db_path), fetch=fetch)


def demo(
    ctx: typer.Context,
    keep: Path | None = typer.Option(
        None, "--keep", help="Keep the demo database in this folder instead of a temporary one."
    ),
    serve: bool = typer.Option(False, "--serve", help="Then open the demo store in the web interface."),
    port: int | None = typer.Option(
        None, "--port", help="The web interface's port with --serve (default 8000)."
    ),
) -> None:
    """Collect the bundled sample site from a local server into a fresh store and show the result
    (with --serve, in the web interface too). Add --lang fr (or de, es…) to read it as a French reader."""
    from newsdesk.pipeline.subscribe import import_opml
    from newsdesk.store import Store
    from newsdesk.testing.httpserver import FixtureServer

    app_state = state(ctx)
    base = app_state.settings
    with tempfile.TemporaryDirectory(prefix="newsdesk-demo-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        settings = demo_settings(base, folder / "newsdesk-demo.db")
        store = Store(settings.db_url)
        with FixtureServer(demo_site()) as server:
            opml = folder / "feeds.opml"
            opml.write_text(server.substitute((demo_site() / "feeds.opml").read_text("utf-8")), "utf-8")
            subs = import_opml(store, settings, opml)
            err.print(
                f"demo: serving the sample site at {server.url}; {counted(len(subs), 'feed')}; "
                f"store {settings.db}"
            )
            report(*fetch_once(store, settings), app_state.config)
        show_summary(store, settings)
        if serve:
            serve_store(store, with_web(settings, None, port, False))
        store.close()
        if keep:
            err.print(f"demo store kept: {settings.db} (use --db {settings.db})")


def show_summary(store: Store, settings: Settings) -> None:
    """Print the stories, the press review of the widest one and one clipping."""
    from newsdesk.present.clipping import build_clipping
    from newsdesk.present.render import render_clipping, render_review
    from newsdesk.present.review import build_review
    from newsdesk.store import browse, queries

    lang = settings.reader_lang
    with store.session() as session:
        found = browse.story_views(session, browse.StoryFilters(), limit=1000)
    out.rule("Stories")
    for s in found:
        outlets = ", ".join(dict.fromkeys(a.outlet for a in s.articles))
        out.print(f"#{s.id} {s.headline(lang)}  [{counted(len(s.articles), 'article')}: {outlets}]")
    if not found:
        return
    top = found[0]
    out.rule(f"Press review of story #{top.id}")
    with store.session() as session:
        review = build_review(queries.story(session, top.id) or top, lang, settings.flags)
    out.print(render_review(review, "text"))
    other = found[1] if len(found) > 1 else top
    article = other.articles[0]
    out.rule(f"Clipping of article #{article.id}")
    clipping = build_clipping(article, other.headline(lang), lang, settings.flags)
    out.print(render_clipping(clipping, "text"))
