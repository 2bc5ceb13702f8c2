"""Sitemaps as subscriptions: added with ``feeds add`` (directly or from robots.txt), polled by
``fetch`` (only new entries, index → changed children, conditional GET), and the outlet of a
feed discovered from a home page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.cli.demo import demo_site
from newsdesk.models import Feed, FeedEntry, RawPage
from newsdesk.store import Store, queries
from newsdesk.store import feeds as feed_store
from newsdesk.store import pages as page_store
from newsdesk.testing.httpserver import FixtureServer
from tests.support import Cli, write_config

NOW = datetime.now(UTC).replace(microsecond=0)
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'

TEXTS = {
    "en": "The harbour authority said on Monday that the two container cranes damaged in the storm "
    "are working again after engineers replaced their control cabins, and that ships held at anchor "
    "will be unloaded in the order they arrived over the next four days.",
    "fr": "Le conseil municipal a voté lundi soir le budget des écoles après un long débat sur la "
    "rénovation des cantines, et le maire a promis que les travaux commenceraient avant la rentrée "
    "pour que les élèves puissent déjeuner dans des salles enfin chauffées.",
}


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _article(language: str, n: int) -> str:
    """An article page with neither a title nor a date of its own: the sitemap's are used."""
    body = "".join(f"<p>{TEXTS[language]} ({n}.{k})</p>" for k in range(3))
    return f'<html lang="{language}"><body><article>{body}</article></body></html>'


def _serve_articles(server: FixtureServer, paths: dict[str, str]) -> None:
    for n, (path, language) in enumerate(paths.items()):
        server.add_route(path, body=_article(language, n), content_type="text/html; charset=utf-8")


def _urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc><lastmod>{_iso(d)}</lastmod></url>" for p, d in entries)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def _news_url(path: str, language: str, title: str, when: datetime) -> str:
    return (
        f"<url><loc>{{{{BASE}}}}{path}</loc><news:news><news:publication><news:name>Harbour Daily"
        f"</news:name><news:language>{language}</news:language></news:publication>"
        f"<news:publication_date>{_iso(when)}</news:publication_date><news:title>{title}</news:title>"
        "</news:news></url>"
    )


def _news_sitemap() -> str:
    urls = _news_url("/news/cranes", "en", "Harbour cranes back at work", NOW - timedelta(hours=2))
    urls += _news_url("/news/cantines", "fr", "Le budget des écoles est voté", NOW - timedelta(minutes=30))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {NEWS_NS}>{urls}</urlset>'


def _cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "s.db", write_config(tmp_path), lang="en")


def _feeds(cli: Cli) -> dict[str, dict]:
    return {f["url"]: f for f in json.loads(cli("feeds", "list", "--json").stdout)}


def _articles(tmp_path: Path) -> dict[str, object]:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        with store.session() as session:
            return {a.url.split("/", 3)[-1]: a for a in queries.iter_articles(session, None)}
    finally:
        store.close()


def test_plain_and_news_sitemaps_added_and_polled(http_server: FixtureServer, tmp_path: Path) -> None:
    plain = http_server.add_route(
        "/sitemap.xml",
        body=_urlset(
            [
                ("/plain/one", NOW - timedelta(hours=1)),
                ("/plain/two", NOW - timedelta(hours=3)),
                ("/plain/old", NOW - timedelta(days=10)),  # before the first poll's 48 hours
            ]
        ),
        content_type="application/xml",
    )
    news = http_server.add_route("/news-sitemap.xml", body=_news_sitemap(), content_type="application/xml")
    _serve_articles(
        http_server,
        {
            "/plain/one": "en",
            "/plain/two": "fr",
            "/plain/old": "en",
            "/news/cranes": "en",
            "/news/cantines": "fr",
        },
    )
    cli = _cli(tmp_path)
    assert "added: sitemap #" in cli("feeds", "add", plain).stdout
    assert "added: sitemap #" in cli("feeds", "add", news).stdout
    cli("fetch")
    feeds = _feeds(cli)
    assert [feeds[url]["kind"] for url in (plain, news)] == ["sitemap", "sitemap"]
    assert feeds[news]["status"] == "ok" and feeds[news]["title"] == "Harbour Daily"
    assert "sitemap" in cli("feeds", "list").stdout
    assert http_server.requests_for("/plain/old") == []
    articles = _articles(tmp_path)
    assert sorted(articles) == ["news/cantines", "news/cranes", "plain/one", "plain/two"]
    cranes, cantines = articles["news/cranes"], articles["news/cantines"]
    assert (cranes.title, cranes.language) == ("Harbour cranes back at work", "en")
    assert (cantines.title, cantines.language) == ("Le budget des écoles est voté", "fr")
    assert cranes.published == NOW - timedelta(hours=2)
    assert articles["plain/one"].published == NOW - timedelta(hours=1)  # lastmod, when that is all


def test_the_entry_language_is_the_language_hint(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'hint.db'}")
    with store.session() as session:
        feed, _ = feed_store.add_feed(session, "https://multi.example/news.xml", NOW, language="en")
        for url, language in (("https://multi.example/fr", "fr"), ("https://multi.example/x", None)):
            entry = FeedEntry(url, language=language)
            page_store.save_raw_page(
                session, RawPage(url, "<html></html>", feed_id=feed.id, entry=entry), NOW
            )
        ids = page_store.pending_order(session, NOW, 5)
        pages = [page for _, page in page_store.pages_by_id(session, ids)]
    store.close()
    assert {p.url: p.feed_language for p in pages} == {
        "https://multi.example/fr": "fr",
        "https://multi.example/x": "en",
    }


def test_index_children_and_a_second_poll_take_only_new_entries(
    http_server: FixtureServer, tmp_path: Path
) -> None:
    def index(today_lastmod: datetime) -> str:
        children = [("/sm-today.xml", today_lastmod), ("/sm-archive.xml", NOW - timedelta(days=30))]
        items = "".join(
            f"<sitemap><loc>{{{{BASE}}}}{p}</loc><lastmod>{_iso(d)}</lastmod></sitemap>" for p, d in children
        )
        return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'

    today = [("/a", NOW - timedelta(hours=2)), ("/b", NOW - timedelta(hours=1))]
    url = http_server.add_route("/index.xml", body=index(NOW - timedelta(hours=1)), etag='"v1"')
    http_server.add_route("/sm-today.xml", body=_urlset(today))
    http_server.add_route("/sm-archive.xml", body=_urlset([("/archived", NOW - timedelta(days=30))]))
    _serve_articles(http_server, {p: "en" for p in ("/a", "/b", "/c", "/late", "/archived")})
    cli = _cli(tmp_path)
    cli("feeds", "add", url)
    cli("fetch")
    assert http_server.requests_for("/sm-archive.xml") == []  # unchanged since before the first window
    assert sorted(_articles(tmp_path)) == ["a", "b"]

    # Later: one new entry, and one listed late with a date well before the last poll's newest.
    later = [*today, ("/c", NOW - timedelta(minutes=5)), ("/late", NOW - timedelta(hours=5))]
    http_server.add_route("/index.xml", body=index(NOW - timedelta(minutes=5)), etag='"v2"')
    http_server.add_route("/sm-today.xml", body=_urlset(later))
    cli("fetch", "--all")
    assert sorted(_articles(tmp_path)) == ["a", "b", "c"]
    assert [len(http_server.requests_for(p)) for p in ("/a", "/b", "/c", "/late")] == [1, 1, 1, 0]
    assert len(http_server.requests_for("/sm-today.xml")) == 2

    # Unchanged: the index answers 304 to the conditional request and no child is fetched.
    cli("fetch", "--all")
    assert http_server.requests_for("/index.xml")[-1].headers.get("If-None-Match") == '"v2"'
    assert len(http_server.requests_for("/sm-today.xml")) == 2
    assert _feeds(cli)[url]["status"] == "not modified"


def test_a_sitemap_added_unchecked_is_recognised_on_its_first_poll(
    http_server: FixtureServer, tmp_path: Path
) -> None:
    url = http_server.add_route("/sitemap.txt", body="{{BASE}}/plain/one\n")
    _serve_articles(http_server, {"/plain/one": "en"})
    cli = _cli(tmp_path)
    cli("feeds", "add", "--no-check", url)
    assert _feeds(cli)[url]["kind"] == "feed"
    cli("fetch")
    assert _feeds(cli)[url]["kind"] == "sitemap"
    assert sorted(_articles(tmp_path)) == ["plain/one"]


def test_home_pages_lead_to_their_feed_else_to_a_sitemap_named_by_robots_txt(
    http_server: FixtureServer, tmp_path: Path
) -> None:
    http_server.add_route(
        "/robots.txt",
        body="User-agent: *\nDisallow: /private/\n\nSitemap: {{BASE}}/missing.xml\n"
        "Sitemap: {{BASE}}/sitemap.xml\nSitemap: {{BASE}}/news-sitemap.xml\n",
    )
    http_server.add_route("/sitemap.xml", body=_urlset([("/plain/one", NOW)]), content_type="application/xml")
    news = http_server.add_route("/news-sitemap.xml", body=_news_sitemap(), content_type="application/xml")
    http_server.add_route("/home/", body="<html><body><p>Welcome</p></body></html>", content_type="text/html")
    http_server.add_route(
        "/with-feed/",
        body='<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>',
        content_type="text/html",
    )
    feed = http_server.add_route(
        "/feed.xml",
        body='<rss version="2.0"><channel><title>T</title><link>https://harbour-daily.example/</link>'
        "<item><link>{{BASE}}/news/cranes</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    cli = _cli(tmp_path)
    added = cli("feeds", "add", http_server.url_for("/home/"))
    assert "robots.txt" in added.stderr and "added: sitemap #" in added.stdout
    cli("feeds", "add", http_server.url_for("/with-feed/"))  # the feed is preferred to the sitemaps
    feeds = _feeds(cli)
    assert sorted(feeds) == sorted([news, feed])  # the Google News sitemap of the three named
    assert (feeds[news]["kind"], feeds[feed]["kind"]) == ("sitemap", "feed")
    assert feeds[feed]["outlet"] == "harbour-daily.example"


def test_a_feed_discovered_on_a_home_page_belongs_to_the_channels_site(tmp_path: Path) -> None:
    with FixtureServer(demo_site()) as server:
        cli = _cli(tmp_path)
        added = cli("feeds", "add", server.url_for("/northwire/"))
        assert "feed discovered on the page" in added.stderr
        (listed,) = _feeds(cli).values()
    assert listed["url"] == server.url_for("/northwire/feed.xml")
    assert listed["outlet"] == "northwire.example"
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    with store.session() as session:
        (feed,) = feed_store.list_feeds(session)
    store.close()
    assert isinstance(feed, Feed) and feed.site_url == "https://northwire.example/"
