"""Text from outside (titles, URLs, reason phrases, names, quotes, file names) prints as text, never as
Rich markup, in every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from newsdesk.cli import collect as collect_cli
from newsdesk.cli.common import err, out
from newsdesk.cli.main import app
from newsdesk.store import Store, schema
from newsdesk.testing.httpserver import FixtureServer
from tests.support import Cli, write_config

# Closes a tag never opened (MarkupError), styles, links to a script, an emoji code.
MARKUP = "[/] [bold red]x [link=javascript:x]y[/link] :fire:"

FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {MARKUP}</title>
<link>{{{{BASE}}}}/</link><language>en</language>
<item><title>Harbour cranes stand idle {MARKUP}</title><link>{{{{BASE}}}}/article.html</link>
<pubDate>Mon, 09 Mar 2026 08:00:00 +0000</pubDate></item>
</channel></rss>"""

QUOTED = "The port must reopen [/] [bold red]now[/], before the backlog grows"

ARTICLE = f"""<!DOCTYPE html><html lang="en"><head><title>Harbour cranes stand idle {MARKUP}</title>
<meta name="author" content="[bold]Ann[/] Lee"></head><body><article>
<h1>Harbour cranes stand idle {MARKUP}</h1>
<p>Container ships queued outside the port on Tuesday as dock workers stayed away for a second day,
demanding a pay rise that keeps pace with prices. The harbour authority said forty vessels were waiting.</p>
<p>“{QUOTED},” said Maria Lopez, the harbour director.</p>
<p>Union leaders said talks with the port operators had broken down overnight and that the strike would
continue until a new offer was put on the table. Operators called the demands unaffordable.</p>
<p>Shipping lines began diverting cargo to neighbouring ports, where managers reported longer queues and
warned that the backlog could take weeks to clear once work resumed at the harbour.</p>
</article></body></html>"""

HOME = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed[/]x.xml"></head></html>'


@pytest.fixture
def server():
    with FixtureServer() as srv:
        srv.add_route("/home.html", body=HOME, content_type="text/html; charset=utf-8")
        srv.add_route("/feed[/]x.xml", body=FEED, content_type="application/rss+xml")
        srv.add_route("/article.html", body=ARTICLE, content_type="text/html; charset=utf-8")
        srv.add_route("/broken.xml", status=500, reason=MARKUP, body="down")
        yield srv


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for console in (out, err):  # wide enough that no line or table cell wraps
        monkeypatch.setattr(console, "_width", 250)
    return Cli(tmp_path / "x.db", write_config(tmp_path), lang="en")


def subscribe(cli: Cli, server: FixtureServer) -> None:
    """Subscribe to the page advertising the feed ``/feed[/]x.xml`` and to the broken feed."""
    added = cli("feeds", "add", server.url + "/home.html")
    assert f"{server.url}/feed[/]x.xml" in added.stdout
    assert f"{server.url}/feed[/]x.xml" in added.stderr  # "feed discovered on the page: …"
    cli("feeds", "add", "--no-check", server.url + "/broken.xml")


def collect(cli: Cli, server: FixtureServer, *command: str):  # noqa: ANN201
    """Poll both feeds with ``command`` (``fetch`` or ``run``): the broken feed's reason is printed."""
    result = cli(*command)
    assert "2 feeds polled (1 with errors)" in result.stdout
    assert f"feed: {server.url}/broken.xml: HTTP 500 {MARKUP}" in result.stderr
    return result


def no_traceback(*outputs: str) -> None:
    assert not any("Traceback" in text for text in outputs)


def test_collecting_commands_print_outside_text_as_text(
    cli: Cli, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stop(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(collect_cli.time, "sleep", stop)  # `run` stops after its first round
    subscribe(cli, server)
    ran = collect(cli, server, "run")
    fetched = collect(cli, server, "fetch", "--all")

    listing = cli("feeds", "list").stdout
    assert f"{server.url}/feed[/]x.xml" in listing
    assert f"HTTP 500 {MARKUP}" in listing
    assert json.loads(cli("feeds", "list", "--json").stdout)[0]["title"] == f"Feed {MARKUP}"

    removed = cli("feeds", "remove", "1").stdout
    assert f"Feed {MARKUP}" in removed and f"<{server.url}/feed[/]x.xml>" in removed
    missing = cli("feeds", "remove", "[/]x", ok=False)
    assert missing.exit_code == 1 and "error: no feed '[/]x'" in missing.stderr
    refused = cli("feeds", "add", "javascript:[/][bold]x", ok=False)
    assert refused.exit_code == 2 and "not added: URL 'javascript:[/][bold]x' refused" in refused.stderr
    no_traceback(ran.stdout, ran.stderr, fetched.stderr, listing, removed, missing.stderr, refused.stderr)


def test_reading_commands_print_outside_text_as_text(cli: Cli, server: FixtureServer, tmp_path: Path) -> None:
    subscribe(cli, server)
    assert "1 article stored" in collect(cli, server, "fetch").stdout
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.session() as session:  # an outlet and an entity named in markup, as an older store may hold
        session.execute(update(schema.Outlet).values(domain="[dim]outlet[/]"))
        session.execute(
            update(schema.Entity)
            .where(schema.Entity.name == "Maria Lopez")
            .values(
                name="[bold]Maria[/] Lopez", aliases='["[bold]Maria[/] Lopez", "[/]Lopez"]', fallback=True
            )
        )
    store.close()
    headline = f"Harbour cranes stand idle {MARKUP}"

    stories = cli("stories", "--since", "all").stdout
    assert headline in stories and "[dim]outlet[/]" in stories
    found = cli("search", "harbour").stdout
    assert f"#1 🇬🇧 [dim]outlet[/]  {headline}" in found and "reopen [/] [bold red]now[/]" in found
    entities = cli("entities").stdout
    assert "[bold]Maria[/] Lopez (fallback)" in entities and "[/]Lopez" in entities
    quotes = cli("quotes").stdout
    assert "[bold]Maria[/] Lopez said  [dim]outlet[/] #1 story 1" in quotes
    assert f"“{QUOTED}”" in quotes
    review = cli("review", "1").stdout
    clip = cli("clip", "1").stdout
    assert headline in review and headline in clip
    no_traceback(stories, found, entities, quotes, review, clip)


def test_import_of_a_file_named_in_markup_with_a_failing_record(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "[bold]x[" / "].jsonl"  # a name cannot hold "/": the path reads ".../[bold]x[/].jsonl"
    path.parent.mkdir()
    records = [
        {"url": "https://news.example/harbour.html", "html": ARTICLE},
        {"url": "javascript:[/]alert(1)", "title": "t", "text": "x"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = cli("import", str(path), ok=False)
    assert result.exit_code in (0, 1)  # a failed record may or may not fail the command; never a crash
    assert "1 article stored" in result.stdout
    assert f"failed: {path}" in result.stderr and "javascript:[/]alert(1)" in result.stderr
    no_traceback(result.stdout, result.stderr)


def test_user_names_print_as_text(cli: Cli) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app, [*cli.base, "user", "add", "[bold]ed[/]", "--password-stdin"], input="correct horse battery\n"
    )
    assert added.exit_code == 0, added.output
    assert "user [bold]ed[/] added" in added.stdout
    assert "[bold]ed[/]" in cli("user", "list").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["review", "99999999999999999999999"],
        ["clip", "0"],
        ["entities", "--story", "99999999999999999999"],
        ["quotes", "--story", "-3"],
    ],
)
def test_an_id_out_of_range_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "news.db"
    Store(f"sqlite:///{db}").close()
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
