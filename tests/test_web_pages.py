"""The HTML pages, read without JavaScript: stories, story, article, search, sources, help."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from newsdesk.web.security import CSRF_COOKIE
from tests.support import Cli, write_config
from tests.web_support import KREMLIN_FR, TestClient, client, copy_of, demo_db, seed_db


@pytest.fixture(scope="module")
def demo() -> TestClient:
    return client(demo_db())


@pytest.fixture(scope="module")
def seed() -> TestClient:
    return client(seed_db())


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _story_links(html: str) -> list[tuple[str, str]]:
    return [
        (m[0], unescape(m[1]))
        for m in re.findall(r'<a class="headline" data-open href="/stories/(\d+)">([^<]*)</a>', html)
    ]


def test_front_page_lists_stories_with_their_rows(demo: TestClient) -> None:
    html = demo.get("/", params={"period": "all"}).text
    links = _story_links(html)
    assert len(links) >= 5
    assert html.count('class="story-row"') == len(links)
    assert html.count('<svg class="spark"') == len(links)
    assert "🇫🇷" in html and "🇩🇪" in html
    assert re.search(r"\d médias", html)  # the interface in the reader's language, French
    assert "premier article <time" in html and "dernier <time" in html


def test_front_page_widens_an_empty_day_and_filters(demo: TestClient) -> None:
    default = demo.get("/").text
    everything = demo.get("/", params={"period": "all"}).text
    if "Nothing in the last 24 hours" in default:
        assert _story_links(default) == _story_links(everything)
    german = _story_links(demo.get("/", params={"period": "all", "language": "de"}).text)
    assert german and len(german) <= len(_story_links(everything))
    assert _story_links(demo.get("/", params={"period": "24h", "outlet": "nowhere.example"}).text) == []


def test_reader_language_switch_is_remembered(seed: TestClient) -> None:
    english = seed.get("/", params={"period": "all", "lang": "en"})
    assert english.cookies.get("newsdesk_lang") == "en"
    assert KREMLIN_FR not in english.text
    french = seed.get("/", params={"period": "all", "lang": "fr"})
    assert KREMLIN_FR in [title for _, title in _story_links(french.text)]
    assert 'lang="fr"' in french.text
    again = seed.get("/", params={"period": "all"})
    assert KREMLIN_FR in again.text  # from the cookie


def test_story_page_is_a_press_review(seed: TestClient) -> None:
    front = seed.get("/", params={"period": "all", "lang": "fr"}).text
    story_id = next(i for i, title in _story_links(front) if title == KREMLIN_FR)
    html = seed.get(f"/stories/{story_id}", params={"lang": "fr"}).text
    assert f'<h1 class="story-title">{KREMLIN_FR}</h1>' in html
    outlets = re.findall(r'<li class="outlet-coverage" data-outlet="([^"]+)"', html)
    assert sorted(outlets) == ["infobrics.org", "presse-exemple.fr", "wire-example.com"]
    first = re.search(r'publié d\'abord par <strong class="first-reported">([^<]+)</strong>', html)
    assert first and first.group(1) == outlets[0]
    assert '<svg class="timeline"' in html and "Articles par heure et par média" in html
    assert html.count('<details class="entry"') == 3
    # The clippings are read when an entry is opened; without scripts, each entry links to its article.
    assert '<article class="clipping"' not in html
    slots = re.findall(
        r'<div class="clipping-slot" data-clipping="/articles/(\d+)/clipping">(.*?)</div>', html
    )
    assert len(slots) == 3
    assert all(
        f'<a href="/articles/{i}">La coupure, sur la page de l\'article</a>' in link for i, link in slots
    )
    assert '<section class="who-said-what"' in html and '<section class="entities"' in html
    derby_id = next(i for i, title in _story_links(front) if title != KREMLIN_FR)
    derby = seed.get(f"/stories/{derby_id}").text
    assert "Qui a dit quoi" not in derby and '<section class="entities"' not in derby  # none stored
    assert seed.get("/stories/999999").status_code == 404


SEED_OUTLETS = ["infobrics.org", "presse-exemple.fr", "wire-example.com"]


def _kremlin_page(seed: TestClient, lang: str = "en") -> str:
    front = seed.get("/", params={"period": "all", "lang": "fr"}).text
    story_id = next(i for i, title in _story_links(front) if title == KREMLIN_FR)
    return seed.get(f"/stories/{story_id}", params={"lang": lang}).text


def _matrix_rows(html: str) -> dict[str, dict[str, str]]:
    """The quote matrix: speaker → outlet → the cell's text (empty cells left out)."""
    table = html[html.index('<table class="quote-matrix">') :]
    table = table[: table.index("</table>")]
    rows = {}
    for speaker, cells in re.findall(r'<th scope="row" class="speaker">([^<]*)</th>(.*?)</tr>', table, re.S):
        found = re.findall(r'<td data-outlet="([^"]+)">(.*?)</td>', cells, re.S)
        rows[unescape(speaker)] = {outlet: _text(cell) for outlet, cell in found}
    return rows


def test_story_page_shows_who_said_what(seed: TestClient) -> None:
    html = _kremlin_page(seed)
    assert '<a href="#who-said-what">Who said what</a>' in html
    columns = re.findall(r'<th scope="col">([^<]+)</th>', html[html.index('class="quote-matrix"') :])
    assert sorted(columns[1:4]) == SEED_OUTLETS and columns[0] == "Speaker"
    rows = _matrix_rows(html)
    assert sorted(rows["Yuri Ushakov"]) == SEED_OUTLETS
    trump = rows["Donald Trump"]
    assert sorted(trump) == SEED_OUTLETS
    assert "a mess that's not easy to settle" in trump["wire-example.com"]
    assert "mess that's not easy to settle" in trump["infobrics.org"]
    assert "pagaille qui n'est pas facile à régler" in trump["presse-exemple.fr"]  # the outlet's language
    cell = re.search(r'<td data-outlet="presse-exemple.fr">(.*?)</td>', html, re.S)
    assert cell and '<p class="quote" lang="fr">' in cell.group(1)
    links = set(re.findall(r'<a class="source" href="/articles/(\d+)"', html))
    outlets = re.findall(r'<a data-open href="/articles/(\d+)"', html)
    assert links == set(outlets) and len(links) == 3


def test_story_page_shows_entities_and_keywords(seed: TestClient) -> None:
    html = _kremlin_page(seed)
    names = [
        unescape(n)
        for n in re.findall(r'<a class="entity-name" href="[^"]*" title="[^"]*">([^<]*)</a>', html)
    ]
    for wanted in ("Putin", "Witkoff", "Kushner", "Kremlin", "Ushakov"):
        assert len([n for n in names if wanted in n]) == 1, (wanted, names)
    ushakov = re.search(
        r'href="/\?entity=Yuri%20Ushakov&amp;period=all" title="([^"]*)">Yuri Ushakov</a>', html
    )
    assert ushakov and "Iouri Ouchakov" in unescape(ushakov.group(1))
    row = html[html.index('<tr class="entity" data-entity-id') :]
    row = row[: row.index("</tr>")]
    assert '<td class="type">person</td>' in row
    assert re.findall(r'<span class="count-outlet">([^ ]+) \d+</span>', row) and all(
        o in row for o in SEED_OUTLETS
    )
    assert re.search(r'<small class="fallback"', html)  # some places only the fallback rules found
    assert '<details class="more-entities">' in html  # beyond the first 25
    keywords = [
        unescape(k) for k in re.findall(r'<a class="keyword" href="/search\?q=[^"]+">([^<]+)</a>', html)
    ]
    assert "Kremlin" in keywords


@pytest.mark.parametrize("name", ["Ushakov", "Ouchakov"])
def test_front_page_entity_filter(seed: TestClient, name: str) -> None:
    every = _story_links(seed.get("/", params={"period": "all", "lang": "fr"}).text)
    assert len(every) == 2
    found = _story_links(seed.get("/", params={"period": "all", "lang": "fr", "entity": name}).text)
    assert [title for _, title in found] == [KREMLIN_FR]
    html = seed.get("/", params={"period": "all", "entity": "Yuri Ushakov"}).text  # the entity list's link
    assert len(_story_links(html)) == 1


def test_article_page_shows_clipping_metadata_and_raw_text(seed: TestClient) -> None:
    hits = seed.get("/api/v1/search", params={"q": "Ushakov"}).json()["hits"]
    article_id = next(h["article_id"] for h in hits if h["outlet"] == "infobrics.org")
    html = seed.get(f"/articles/{article_id}", params={"lang": "fr"}).text
    assert f"#{article_id}</a>" in html and "6min" in html and "🇬🇧" in html
    assert f'<p class="story-headline">\u202f{KREMLIN_FR}</p>' in html
    assert "Thursday, December 4, 2025" in html
    assert re.search(r'<a class="original" href="https?://[^"]+"', html)
    assert "Métadonnées extraites" in html and "URL canonique" in html
    raw = re.search(r'<pre class="raw-text">(.*?)</pre>', html, re.S)
    assert raw and "cookies" in unescape(raw.group(1)).lower()  # the page's banner, left out of the clipping
    clipping = html.split('<section class="metadata">')[0]
    assert "cookies" not in _text(clipping).lower()


def test_a_clipping_is_a_fragment_read_when_its_entry_is_opened(tmp_path: Path) -> None:
    """``/articles/{id}/clipping``: the clipping the story page inserts, in the reader's language, the
    same as on the article's page; kept until the store changes; 404 for an unknown article."""
    db = copy_of(seed_db(), tmp_path)
    http = client(db)
    front = http.get("/", params={"period": "all", "lang": "fr"}).text
    story_id = next(i for i, title in _story_links(front) if title == KREMLIN_FR)
    story = http.get(f"/stories/{story_id}").text
    article_id = re.findall(r'data-clipping="/articles/(\d+)/clipping"', story)[0]
    answer = http.get(f"/articles/{article_id}/clipping")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in answer.headers and "Cookie" in answer.headers["vary"]
    fragment = answer.text
    assert fragment.startswith('<article class="clipping" lang="') and "<html" not in fragment
    assert f'id="article-{article_id}"' in fragment
    assert f'<p class="story-headline">\u202f{KREMLIN_FR}</p>' in fragment
    page = http.get(f"/articles/{article_id}").text
    assert fragment.strip() in page  # the article page's clipping, the same
    assert http.get(f"/articles/{article_id}/clipping").text == fragment  # kept
    english = http.get(f"/articles/{article_id}/clipping", params={"lang": "en"}).text
    assert KREMLIN_FR not in english and '<p class="story-headline">' in english
    Cli(db, write_config(tmp_path))("story", "rename", story_id, "Un autre titre", "--language", "en")
    renamed = http.get(f"/articles/{article_id}/clipping", params={"lang": "en"}).text
    assert "Un autre titre" in renamed  # a commit empties what was kept
    assert http.get("/articles/99999/clipping").status_code == 404


def test_search_page_highlights_and_pages(demo: TestClient) -> None:
    html = demo.get("/search", params={"q": "Saltmere"}).text
    assert "<mark>Saltmere</mark>" in html
    assert html.count('class="hit"') >= 3
    assert "/feeds/search.atom?q=Saltmere" in html
    assert "Aucun résultat" in demo.get("/search", params={"q": "zzzzqqq"}).text
    blank = _text(demo.get("/search", params={"q": "   "}).text)
    assert "Aucun résultat" in blank and "None" not in blank.split()
    small = client(demo_db(), web={"page_size": 2})
    first = small.get("/search", params={"q": "Saltmere"}).text
    assert first.count('class="hit"') == 2 and 'rel="next" href="/search?q=Saltmere&amp;page=2"' in first
    second = small.get("/search", params={"q": "Saltmere", "page": 2}).text
    assert "page 2" in second and 'rel="prev"' in second
    assert set(re.findall(r'href="/articles/(\d+)"', first)).isdisjoint(
        re.findall(r'href="/articles/(\d+)"', second)
    )


def test_saved_search_from_the_page(demo: TestClient) -> None:
    form = demo.get("/search", params={"q": "Lyra"})
    token = demo.cookies.get(CSRF_COOKIE) or form.cookies.get(CSRF_COOKIE)
    saved = demo.post(
        "/search/saved", data={"q": "Lyra", "name": "comet", "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    html = demo.get("/search").text
    assert ">comet</a>" in html and re.search(r"/feeds/searches/\d+\.atom", html)


def test_sources_page_add_and_remove(tmp_path: Path) -> None:
    web = client(copy_of(demo_db(), tmp_path))
    html = web.get("/sources").text
    assert html.count('class="feed status-') == 5
    assert "articles/jour" in html and "northwire.example" in html
    token = web.cookies.get(CSRF_COOKIE)
    added = web.post(
        "/sources/feeds",
        data={"url": "https://feeds.example/rss.xml", "outlet": "feeds.example", "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"] == "/sources?done=added"
    html = web.get("/sources?done=added").text
    assert "Flux ajouté." in html and "https://feeds.example/rss.xml" in html
    last = max(int(i) for i in re.findall(r'action="/sources/feeds/(\d+)/delete"', html))
    removed = web.post(f"/sources/feeds/{last}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert removed.status_code == 303
    assert "https://feeds.example/rss.xml" not in web.get("/sources").text
    exported = web.get("/sources/opml")
    assert exported.text.count("xmlUrl=") == 5
    imported = web.post(
        "/sources/opml",
        data={"csrf_token": token},
        files={"file": ("feeds.opml", exported.text.replace("northwire", "northwire-two"), "text/x-opml")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert web.get("/sources").text.count('class="feed status-') == 6
    broken = web.post(
        "/sources/opml", data={"csrf_token": token}, files={"file": ("x.opml", b"nope", "text/x-opml")}
    )
    assert broken.status_code == 400 and "fichier OPML inutilisable" in broken.text


def test_help_and_errors_are_pages(demo: TestClient) -> None:
    help_page = demo.get("/help").text
    for key in ("<kbd>j</kbd>", "<kbd>k</kbd>", "<kbd>o</kbd>", "<kbd>/</kbd>", "<kbd>?</kbd>"):
        assert key in help_page
    missing = demo.get("/no/such/page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert demo.get("/static/app.js").status_code == 200
    assert demo.get("/static/style.css").status_code == 200


@pytest.mark.parametrize(
    "path", ["/stories/abc", "/articles/0", "/stories/99999999999999999999", "/stories/1.5"]
)
def test_a_bad_id_is_the_html_404_page(demo: TestClient, path: str) -> None:
    answer = demo.get(path)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "<h1>404</h1>" in answer.text and "Retour" in answer.text  # the reader is French


def test_a_bad_page_parameter_is_a_422_page_and_the_api_still_answers_json(demo: TestClient) -> None:
    answer = demo.get("/", params={"page": "0"})
    assert answer.status_code == 422 and "page:" in answer.text and "<h1>422</h1>" in answer.text
    api = demo.get("/api/v1/stories/abc")
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["path", "story_id"]


def test_pages_need_no_script(demo: TestClient) -> None:
    """Everything a page shows is in its HTML or a link away; the one script adds shortcuts and reads a
    story's clippings in place."""
    html = demo.get("/", params={"period": "all"}).text
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "<noscript>" in html


def test_demo_serve_opens_the_demo_in_the_web_interface(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, object] = {}

    def fake_run(app, host: str, port: int, workers: int = 1) -> None:  # noqa: ANN001 - stands in for Uvicorn
        seen.update(
            host=host,
            port=port,
            workers=workers,
            front=TestClient(app, base_url="http://127.0.0.1").get("/").text,
        )

    monkeypatch.setattr("newsdesk.web.server.run", fake_run)  # imported when serving
    cli = Cli(tmp_path / "unused.db", write_config(tmp_path), lang="en")
    result = cli("demo", "--serve", "--port", "8123")
    assert "http://127.0.0.1:8123/" in result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123 and seen["workers"] == 1
    assert len(_story_links(str(seen["front"]))) >= 5
