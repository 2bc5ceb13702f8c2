"""The web interface in the reader's language: ``?lang=`` over the cookie over ``Accept-Language`` over
settings; languages without a catalog read English; concurrent requests keep their own language."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsdesk.i18n import INTERFACE_LANGUAGES
from newsdesk.i18n.accept import accepted_languages, best_language
from tests.web_support import TestClient, client, demo_db

# A string of the page in each language: the navigation's "Stories" and the "Read in" switch.
NAV = {
    "en": ('<a href="/">Stories</a>', "Read in"),
    "fr": ('<a href="/">Sujets</a>', "Lire en"),
    "de": ('<a href="/">Themen</a>', "Lesen auf"),
    "es": ('<a href="/">Temas</a>', "Leer en"),
    "ru": ('<a href="/">Сюжеты</a>', "Язык чтения"),
    "uk": ('<a href="/">Сюжети</a>', "Мова читання"),
}


def _in(language: str, html: str) -> bool:
    return all(text in html for text in NAV[language])


@pytest.fixture
def web() -> TestClient:
    """A client with no cookie yet, the settings' reader language English."""
    return client(demo_db(), lang="en")


def test_accept_language_header_is_parsed() -> None:
    header = "de-CH, fr;q=0.8, en;q=0.9, *;q=0.1, es;q=0, nonsense;;q=x"
    assert accepted_languages(header) == ["de-CH", "en", "fr"]
    assert best_language("pt-BR, es;q=0.5, fr;q=0.7", INTERFACE_LANGUAGES) == "fr"
    assert best_language("pt-BR, *", INTERFACE_LANGUAGES) is None
    assert best_language(None, INTERFACE_LANGUAGES) is None


def test_accept_language_chooses_the_interface(web: TestClient) -> None:
    german = web.get("/help", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert _in("de", german.text) and '<html lang="de">' in german.text
    assert "Accept-Language" in german.headers["vary"]
    assert "newsdesk_lang" not in german.cookies  # only a choice is remembered
    assert _in("en", web.get("/help").text)  # no header: the settings' language


def test_lang_parameter_and_cookie_override_the_header(web: TestClient) -> None:
    german = {"Accept-Language": "de"}
    chosen = web.get("/help", params={"lang": "fr"}, headers=german)
    assert _in("fr", chosen.text) and chosen.cookies.get("newsdesk_lang") == "fr"
    assert _in("fr", web.get("/help", headers=german).text)  # the cookie, over the header
    assert _in("ru", web.get("/help", params={"lang": "ru"}, headers=german).text)


def test_a_language_without_catalog_reads_english(web: TestClient) -> None:
    html = web.get("/", params={"lang": "pt", "period": "all"}, headers={"Accept-Language": "de"}).text
    assert _in("en", html) and '<html lang="pt">' in html  # headlines and dates still follow pt
    assert re.search(r"\d outlets", html)


def test_lists_show_relative_times_with_the_date_in_a_title(web: TestClient) -> None:
    html = web.get("/", params={"lang": "fr", "period": "all"}).text
    seen = re.findall(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', html)
    assert seen and all(text.startswith("il y a ") for _, _, text in seen)
    assert all(not re.search(r"\d\d:\d\d:\d\d", title) for _, title, _ in seen)  # no seconds
    assert "premier article <time" in html and re.search(r"\d médias", html)


def test_story_page_counts_in_russian(web: TestClient) -> None:
    front = web.get("/", params={"lang": "ru", "period": "all"}).text
    counts = re.findall(r'<span class="outlets" title="[^"]*">(\d+) (\w+)</span>', front)
    words = {"1": "издание", "2": "издания", "3": "издания", "4": "издания", "5": "изданий"}
    assert counts and all(word == words.get(n, word) for n, word in counts)
    story_id = re.search(r'href="/stories/(\d+)"', front).group(1)
    story = web.get(f"/stories/{story_id}").text
    assert "Издания в порядке публикации" in story


def test_concurrent_requests_keep_their_own_language(web: TestClient) -> None:
    """The templates' environment is shared: a render in one language never shows another's words,
    pages read on the event loop (``/``, ``/help``) and in worker threads (``/sources``) alike."""
    asks = [(path, language) for _ in range(6) for path in ("/", "/help", "/sources") for language in NAV]

    def fetch(ask: tuple[str, str]) -> tuple[str, str]:
        path, language = ask
        return language, web.get(path, headers={"Accept-Language": language}).text

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, asks))
    for language, html in answers:
        assert _in(language, html), language
        assert not any(_in(other, html) for other in NAV if other != language), language
