"""The JSON API and the Atom feeds, with httpx against the application, over the seed fixture and the demo."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from newsdesk.testing.httpserver import FixtureServer
from tests.support import require_shared
from tests.web_support import KREMLIN_FR, TestClient, client, copy_of, demo_db, seed_db


@pytest.fixture(scope="module")
def demo() -> TestClient:
    return client(demo_db())


@pytest.fixture(scope="module")
def seed() -> TestClient:
    return client(seed_db())


def _stories(api: TestClient, **params: str) -> list[dict]:
    response = api.get("/api/v1/stories", params={"period": "all", **params})
    assert response.status_code == 200, response.text
    return response.json()["stories"]


def _kremlin(api: TestClient, **params: str) -> dict:
    return next(s for s in _stories(api, **params) if "infobrics.org" in s["outlets"])


def test_openapi_documents_the_api(demo: TestClient) -> None:
    schema = demo.get("/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/clipping",
        "/api/v1/search",
        "/api/v1/feeds",
        "/api/v1/feeds/{feed_id}",
        "/api/v1/opml",
        "/feeds/stories.atom",
        "/feeds/search.atom",
        "/feeds/stories/{story_id}.atom",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/feeds"])
    assert "delete" in schema["paths"]["/api/v1/feeds/{feed_id}"]
    assert not any(p.startswith(("/sources", "/login", "/search/saved")) for p in paths)
    shapes = schema["components"]["schemas"]
    review = shapes["ReviewOut"]["properties"]
    assert {"entities", "quote_matrix", "keywords"} <= set(review)
    assert review["entities"]["items"]["$ref"].endswith("/EntitySummary")
    assert review["keywords"]["items"]["$ref"].endswith("/Keyword")
    assert {"id", "name", "type", "aliases", "fallback", "outlets"} <= set(
        shapes["EntitySummary"]["properties"]
    )
    assert {"outlets", "rows"} <= set(shapes["QuoteMatrix"]["properties"])
    assert "speaker" in shapes["SpeakerQuotes"]["properties"]
    assert {"text", "article_id", "outlet", "language"} <= set(shapes["QuoteView"]["properties"])


def test_stories_are_ranked_by_outlets_then_languages(demo: TestClient) -> None:
    stories = _stories(demo)
    assert len(stories) >= 5
    keys = [(s["outlet_count"], s["language_count"]) for s in stories]
    assert keys == sorted(keys, reverse=True)
    top = stories[0]
    assert top["outlet_count"] == len(top["outlets"]) >= 4
    assert top["headline"] and top["first_seen"] <= top["last_seen"]


def test_story_filters(demo: TestClient) -> None:
    german = _stories(demo, language="de")
    assert german and all("de" in s["languages"] for s in german)
    harbour = _stories(demo, outlet="harbour-times.example")
    every = _stories(demo)
    assert len(harbour) < len(every)
    assert harbour and all("harbour-times.example" in s["outlets"] for s in harbour)
    named = {s["id"] for s in _stories(demo, entity="Saltmere")}
    hits = demo.get("/api/v1/search", params={"q": "Saltmere", "limit": 100}).json()["hits"]
    assert named == {h["story_id"] for h in hits}
    assert len(named) < len(every)
    response = demo.get("/api/v1/stories", params={"period": "fortnight"})
    assert response.status_code == 422


def test_headline_follows_the_reader_language(demo: TestClient) -> None:
    top = _stories(demo)[0]
    for lang in ("fr", "de", "es", "en"):
        story = next(s for s in _stories(demo, lang=lang) if s["id"] == top["id"])
        if lang in story["headlines"]:
            assert story["headline"] == story["headlines"][lang]


def test_story_is_a_press_review(demo: TestClient) -> None:
    top = _stories(demo)[0]
    review = demo.get(f"/api/v1/stories/{top['id']}", params={"lang": "de"}).json()
    published = [e["published"] for e in review["entries"] if e["published"]]
    assert published == sorted(published)
    assert review["first_reported_by"] == review["entries"][0]["outlet"]
    assert len(review["clippings"]) == len(review["entries"]) == top["article_count"]
    assert review["reader_language"] == "de"
    ids = {e["article_id"] for e in review["entries"]}
    assert review["entities"] and all(set(e["outlets"]) <= set(review["outlets"]) for e in review["entities"])
    matrix = review["quote_matrix"]
    assert set(matrix["outlets"]) <= set(review["outlets"])
    cells = [q for row in matrix["rows"] for quotes in row["outlets"].values() for q in quotes]
    assert all(q["article_id"] in ids for q in cells)
    assert demo.get("/api/v1/stories/999999").status_code == 404


def test_articles_and_article(demo: TestClient) -> None:
    listed = demo.get("/api/v1/articles", params={"limit": 100}).json()["articles"]
    assert len(listed) >= 20
    french = demo.get("/api/v1/articles", params={"language": "fr"}).json()["articles"]
    assert french and all(a["language"] == "fr" for a in french)
    story_id = listed[0]["story_id"]
    members = demo.get("/api/v1/articles", params={"story_id": story_id}).json()["articles"]
    assert all(a["story_id"] == story_id for a in members)
    detail = demo.get(f"/api/v1/articles/{listed[0]['id']}").json()
    assert detail["paragraphs"] and detail["canonical_url"] and detail["word_count"] > 0
    assert demo.get("/api/v1/articles/999999").status_code == 404


def test_clipping_formats(demo: TestClient) -> None:
    article_id = demo.get("/api/v1/articles").json()["articles"][0]["id"]
    data = demo.get(f"/api/v1/articles/{article_id}/clipping").json()
    assert data["article_id"] == article_id
    assert data["header"].endswith(f"#{article_id}")
    text = demo.get(f"/api/v1/articles/{article_id}/clipping", params={"format": "text"})
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.split("\n\n")[0] == data["header"]
    assert text.text.rstrip().endswith(data["outlet"])
    markdown = demo.get(f"/api/v1/articles/{article_id}/clipping", params={"format": "md"})
    assert markdown.status_code == 200 and data["outlet"] in markdown.text


def test_search_with_filters_and_pages(demo: TestClient) -> None:
    found = demo.get("/api/v1/search", params={"q": "Saltmere"}).json()
    assert len(found["hits"]) >= 3
    first = found["hits"][0]
    assert "<mark>" in first["snippet_html"] and "\ue000" not in first["snippet"]
    languages = {h["language"] for h in found["hits"]}
    assert len(languages) > 1
    only = demo.get("/api/v1/search", params={"q": "Saltmere", "language": "de"}).json()["hits"]
    assert only and all(h["language"] == "de" for h in only)
    page1 = demo.get("/api/v1/search", params={"q": "Saltmere", "limit": 1}).json()
    page2 = demo.get("/api/v1/search", params={"q": "Saltmere", "limit": 1, "offset": 1}).json()
    assert page1["next_offset"] == 1 and page1["hits"][0]["article_id"] != page2["hits"][0]["article_id"]
    assert demo.get("/api/v1/search", params={"q": "zzzzqqq"}).json()["hits"] == []


def test_feeds_create_list_delete_and_opml(tmp_path: Path) -> None:
    api = client(copy_of(demo_db(), tmp_path))
    before = api.get("/api/v1/feeds").json()
    assert len(before) == 5 and all(f["status"] for f in before)
    with FixtureServer(tmp_path) as server:
        (tmp_path / "feed.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>'
            "<item><title>a</title><link>https://t.example/a</link></item></channel></rss>",
            "utf-8",
        )
        (tmp_path / "page.html").write_text("<html><body><p>No feed here.</p></body></html>", "utf-8")
        created = api.post("/api/v1/feeds", json={"url": server.url_for("feed.xml"), "language": "en"})
        not_a_feed = api.post("/api/v1/feeds", json={"url": server.url_for("page.html")})
        assert created.json()["feed"]["status"] == not_a_feed.json()["feed"]["status"] == "checking"
        assert api.app.state.web.checks.wait(60)  # the first checks run in the background
    assert created.status_code == not_a_feed.status_code == 201, created.text
    failed = api.get(f"/api/v1/feeds/{not_a_feed.json()['feed']['id']}").json()
    assert failed["status"] == "check failed" and "page.html" in failed["last_error"]
    feed = api.get(f"/api/v1/feeds/{created.json()['feed']['id']}").json()
    assert created.json()["created"] and feed["language"] == "en" and feed["status"] == "new"
    again = api.post("/api/v1/feeds", json={"url": feed["url"], "check": False})
    assert again.status_code == 201 and not again.json()["created"]
    assert api.post("/api/v1/feeds", json={"url": "http://127.0.0.1:9/none", "check": True}).status_code in (
        201,
        422,
    )
    opml = api.get("/api/v1/opml")
    assert opml.headers["content-type"].startswith("text/x-opml")
    assert opml.text.count("xmlUrl=") >= 6
    assert api.delete(f"/api/v1/feeds/{feed['id']}").status_code == 204
    assert api.delete(f"/api/v1/feeds/{feed['id']}").status_code == 404
    imported = api.post("/api/v1/opml", content=opml.text, headers={"content-type": "text/x-opml"})
    assert imported.status_code == 200, imported.text
    assert imported.json()["feeds"] >= 6 and imported.json()["created"] >= 1
    bad = api.post("/api/v1/opml", content=b"<html>not opml", headers={"content-type": "text/x-opml"})
    assert bad.status_code == 422


def test_saved_searches_have_feeds(demo: TestClient) -> None:
    saved = demo.post("/api/v1/searches", json={"name": "port strike", "query": "Saltmere", "language": "en"})
    assert saved.status_code == 201
    body = saved.json()
    assert body["atom"] == f"/feeds/searches/{body['id']}.atom"
    assert any(s["id"] == body["id"] for s in demo.get("/api/v1/searches").json())
    feed = feedparser.parse(demo.get(body["atom"]).content)
    assert feed.feed.title == "newsdesk: port strike"
    assert feed.entries and all(e.get("language", "en") == "en" for e in feed.entries)
    assert demo.delete(f"/api/v1/searches/{body['id']}").status_code == 204
    assert demo.get(body["atom"]).status_code == 404


def test_atom_feeds(demo: TestClient) -> None:
    stories = feedparser.parse(demo.get("/feeds/stories.atom", params={"period": "all"}).content)
    assert not stories.bozo, stories.bozo_exception
    assert len(stories.entries) == len(_stories(demo))
    assert stories.entries[0].link.startswith("http://127.0.0.1/stories/")
    story_id = _stories(demo)[0]["id"]
    one = demo.get(f"/feeds/stories/{story_id}.atom")
    assert one.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(one.content)
    assert not parsed.bozo and len(parsed.entries) == _stories(demo)[0]["article_count"]
    search = feedparser.parse(demo.get("/feeds/search.atom", params={"q": "Saltmere"}).content)
    assert not search.bozo and len(search.entries) >= 3
    assert demo.get("/feeds/stories/999999.atom").status_code == 404


# The seed fixture: the Kremlin talks reported by three outlets, read by a French reader.


def test_seed_kremlin_story(seed: TestClient) -> None:
    kremlin = _kremlin(seed, lang="fr")
    assert sorted(kremlin["outlets"]) == ["infobrics.org", "presse-exemple.fr", "wire-example.com"]
    assert kremlin["headline"] == KREMLIN_FR
    review = seed.get(f"/api/v1/stories/{kremlin['id']}", params={"lang": "fr"}).json()
    assert review["headline"] == KREMLIN_FR
    assert len(review["clippings"]) == 3
    assert all(c["headline"] == KREMLIN_FR for c in review["clippings"])


SEED_OUTLETS = ["infobrics.org", "presse-exemple.fr", "wire-example.com"]


def test_seed_kremlin_entities_quotes_and_keywords(seed: TestClient) -> None:
    kremlin = _kremlin(seed, lang="fr")
    review = seed.get(f"/api/v1/stories/{kremlin['id']}", params={"lang": "fr"}).json()
    names = [e["name"] for e in review["entities"]]
    for wanted in ("Putin", "Witkoff", "Kushner", "Kremlin", "Ushakov"):
        assert len([n for n in names if wanted in n]) == 1, (wanted, names)
    ushakov = next(e for e in review["entities"] if "Ushakov" in e["name"])
    assert {"Iouri Ouchakov", "Ushakov"} <= set(ushakov["aliases"])
    assert sorted(ushakov["outlets"]) == SEED_OUTLETS and ushakov["type"] == "PERSON"
    matrix = review["quote_matrix"]
    assert sorted(matrix["outlets"]) == SEED_OUTLETS
    rows = {row["speaker"]: row for row in matrix["rows"]}
    assert sorted(rows["Yuri Ushakov"]["outlets"]) == SEED_OUTLETS
    mess = next(row for row in matrix["rows"] if "Trump" in row["speaker"])
    assert sorted(mess["outlets"]) == SEED_OUTLETS
    said = {outlet: quotes[0] for outlet, quotes in mess["outlets"].items()}
    assert "mess" in said["wire-example.com"]["text"] and "mess" in said["infobrics.org"]["text"]
    assert "pagaille" in said["presse-exemple.fr"]["text"] and said["presse-exemple.fr"]["language"] == "fr"
    assert review["keywords"] and 0 < review["keywords"][0]["score"] <= 1
    assert any("Kremlin" in k["text"] for k in review["keywords"])


@pytest.mark.parametrize("name", ["Ushakov", "Ouchakov", "Iouri Ouchakov", "Uschakow"])
def test_seed_entity_filter_finds_the_kremlin_story_by_any_spelling(seed: TestClient, name: str) -> None:
    kremlin = _kremlin(seed)
    assert [s["id"] for s in _stories(seed, entity=name)] == [kremlin["id"]]


def test_seed_entity_filter_matches_linked_entities_not_text(seed: TestClient) -> None:
    kremlin, every = _kremlin(seed), _stories(seed)
    derby = next(s for s in every if s["id"] != kremlin["id"])
    assert (
        seed.get("/api/v1/search", params={"q": "Uschakow"}).json()["hits"] == []
    )  # no article spells it so
    assert _stories(seed, entity="EU") == []  # whole words: not "Reuters", "Europe"
    assert [s["id"] for s in _stories(seed, entity="derby")] == [
        derby["id"]
    ]  # no entity: the words in the text


def test_seed_search_and_infobrics_clipping(seed: TestClient) -> None:
    hits = seed.get("/api/v1/search", params={"q": "Ushakov"}).json()["hits"]
    assert hits and any("<mark>Ushakov</mark>" in h["snippet_html"] for h in hits)
    infobrics = next(h for h in hits if h["outlet"] == "infobrics.org")
    text = seed.get(f"/api/v1/articles/{infobrics['article_id']}/clipping", params={"format": "text"}).text
    example = require_shared("seed", "clipping-example.txt").read_text("utf-8")
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    want = [" ".join(b.split()) for b in re.split(r"\n\s*\n", example.strip())]
    assert blocks[0].split()[1:4] == ["infobrics.org", "6min", "🇬🇧"]
    assert blocks[1] == KREMLIN_FR
    assert blocks[2:] == want[2:]
