"""End to end in a real browser: Playwright driving Debian's Chromium, headless.

The browser is never downloaded: ``.ci/run`` installs Debian's ``chromium``; these tests skip
when ``/usr/bin/chromium`` or the ``playwright`` package is missing. Screenshots are kept in
``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.web.server import BackgroundServer
from tests.support import REPO
from tests.web_support import KREMLIN_FR, copy_of, demo_db, hostile_db, make_app, seed_db, steering_demo_db

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
TRUMP_ROW = 'tr.speaker-row:has(th.speaker:text-is("Donald Trump"))'

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent (apt-get install chromium; the browser is never downloaded)",
)


@pytest.fixture(scope="module")
def stores() -> dict[str, Path]:
    """Built before the browser starts (collecting runs its own event loop)."""
    return {"seed": seed_db(), "hostile": hostile_db(), "demo": demo_db(), "steering": steering_demo_db()}


@pytest.fixture(scope="module")
def browser(stores: dict[str, Path]) -> Iterator[sync_api.Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seed_url(stores: dict[str, Path]) -> Iterator[str]:
    with BackgroundServer(make_app(stores["seed"], lang="en")) as server:
        yield server.url


def _shot(page: sync_api.Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _watch_errors(page: sync_api.Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_seed_front_page_story_search_and_clipping(browser: sync_api.Browser, seed_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = _watch_errors(page)
    page.goto(seed_url + "/")
    _shot(page, "01-front-page")
    rows = page.locator(".story-row")
    assert rows.count() == 2
    kremlin = page.locator(".story-row", has_text="Witkoff")
    sync_api.expect(kremlin).to_have_count(1)
    sync_api.expect(kremlin.locator(".outlets")).to_have_text("3 outlets")

    kremlin.locator("a.headline").click()
    page.wait_for_url(re.compile(r"/stories/\d+"))
    sync_api.expect(page.locator(".outlet-coverage")).to_have_count(3)
    outlets = sorted(page.locator(".outlet-coverage").evaluate_all("els => els.map(e => e.dataset.outlet)"))
    assert outlets == ["infobrics.org", "presse-exemple.fr", "wire-example.com"]
    sync_api.expect(page.locator("svg.timeline")).to_be_visible()
    _shot(page, "02-story-en")
    matrix = page.locator("table.quote-matrix")
    sync_api.expect(matrix).to_be_visible()
    trump = matrix.locator(TRUMP_ROW)
    sync_api.expect(trump.locator("td:not(.empty)")).to_have_count(3)
    sync_api.expect(trump.locator('td[data-outlet="presse-exemple.fr"] q')).to_contain_text("pagaille")
    sync_api.expect(page.locator("a.entity-name", has_text="Yuri Ushakov")).to_have_attribute(
        "title", re.compile("Iouri Ouchakov")
    )
    page.locator("section.who-said-what").screenshot(path=str(ARTIFACTS / "02-who-said-what.png"))

    page.select_option("select[name=lang]", "fr")  # the switch submits itself
    sync_api.expect(page.locator("h1.story-title")).to_have_text(KREMLIN_FR)
    first = page.locator("details.entry").first
    sync_api.expect(page.locator("article.clipping")).to_have_count(0)  # read when an entry is opened
    with page.expect_response(re.compile(r"/articles/\d+/clipping$")) as fetched:
        first.locator(":scope > summary").click(position={"x": 5, "y": 5})  # not "Why is this here?"
    assert fetched.value.ok
    sync_api.expect(first.locator(".story-headline")).to_contain_text(KREMLIN_FR)
    sync_api.expect(page.locator("article.clipping")).to_have_count(1)
    first.locator(":scope > summary").click(position={"x": 5, "y": 5})  # closed, then opened again:
    first.locator(":scope > summary").click(position={"x": 5, "y": 5})  # read once
    sync_api.expect(first.locator("article.clipping")).to_have_count(1)
    why = first.locator("details.why")
    why.locator("summary").click()
    sync_api.expect(why.locator("li").first).to_be_visible()  # the evidence, on demand
    _shot(page, "03-story-fr")

    page.keyboard.press("/")
    sync_api.expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("Ushakov")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Ushakov"))
    sync_api.expect(page.locator("mark", has_text="Ushakov").first).to_be_visible()
    _shot(page, "04-search-ushakov")

    page.locator(".hit", has_text="infobrics.org").locator("a.title").click()
    page.wait_for_url(re.compile(r"/articles/\d+"))
    header = page.locator(".clipping-header")
    sync_api.expect(header).to_contain_text("infobrics.org")
    sync_api.expect(header).to_contain_text("6min")
    sync_api.expect(page.locator(".clipping .story-headline")).to_contain_text(KREMLIN_FR)
    sync_api.expect(page.locator(".clipping .dateline")).to_have_text("Thursday, December 4, 2025")
    _shot(page, "05-infobrics-clipping")
    assert errors == []
    page.close()


def test_keyboard_shortcuts(browser: sync_api.Browser, seed_url: str) -> None:
    page = browser.new_page()
    page.goto(seed_url + "/")
    page.keyboard.press("j")
    sync_api.expect(page.locator(".story-row.selected")).to_have_count(1)
    first = page.locator(".story-row").nth(0)
    sync_api.expect(first).to_have_class(re.compile("selected"))
    page.keyboard.press("j")
    sync_api.expect(page.locator(".story-row").nth(1)).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    sync_api.expect(first).to_have_class(re.compile("selected"))
    page.keyboard.press("?")
    sync_api.expect(page.locator("#help-dialog")).to_be_visible()
    _shot(page, "06-help")
    page.keyboard.press("Escape")
    sync_api.expect(page.locator("#help-dialog")).to_be_hidden()
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/stories/\d+"))
    page.close()


def test_phone_and_no_javascript(browser: sync_api.Browser, seed_url: str) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(seed_url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    _shot(page, "07-phone-front-page")
    page.locator("a.headline", has_text="Witkoff").click()
    page.wait_for_url(re.compile(r"/stories/\d+"))
    sync_api.expect(page.locator("table.quote-matrix thead")).to_be_hidden()  # a list on a phone
    trump = page.locator(TRUMP_ROW)
    sync_api.expect(trump.locator("td")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    _shot(page, "07-phone-story")
    page.goto(seed_url + "/sources")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    title = page.locator("section.feeds td.url").first.bounding_box()
    assert title is not None and title["width"] > 250  # a line of its own, not a column of letters
    sync_api.expect(page.locator("section.feeds thead")).to_be_hidden()
    _shot(page, "07-phone-sources")
    phone.close()
    plain = browser.new_context(java_script_enabled=False)
    page = plain.new_page()
    page.goto(seed_url + "/?lang=fr")
    sync_api.expect(page.locator("a.headline", has_text=KREMLIN_FR)).to_be_visible()
    page.locator("a.headline", has_text=KREMLIN_FR).click()
    sync_api.expect(page.locator(".outlet-coverage")).to_have_count(3)
    entry = page.locator("details.entry").first
    entry.locator(":scope > summary").click(position={"x": 5, "y": 5})
    link = entry.locator(".clipping-slot a")
    sync_api.expect(link).to_be_visible()  # without scripts, the clipping is a link away
    _shot(page, "08-story-without-javascript")
    link.click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    sync_api.expect(page.locator("article.clipping .story-headline")).to_contain_text(KREMLIN_FR)
    plain.close()


def test_hostile_content_runs_no_script(browser: sync_api.Browser, stores: dict[str, Path]) -> None:
    with BackgroundServer(make_app(stores["hostile"], lang="en")) as server:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "/?period=all")
        links = page.locator("a.headline").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        articles = page.request.get(server.url + "/api/v1/articles").json()["articles"]
        paths = ["/?period=all", "/search?q=hostile", *links] + [f"/articles/{a['id']}" for a in articles]
        for number, path in enumerate(paths):
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            for link in page.locator("a").all():
                href = (link.get_attribute("href") or "").strip().lower()
                assert not href.startswith("javascript:"), (path, href)
            for item in page.locator("details").all():
                item.evaluate("el => el.open = true")
            page.mouse.move(5, 5)
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            _shot(page, f"09-hostile-{number}")
        page.goto(server.url + "/?period=all")
        sync_api.expect(page.locator("a.headline").first).to_contain_text("<script>window.__pwned")
        assert dialogs == []
        page.close()


def test_an_analyst_merges_two_stories_and_splits_one(
    browser: sync_api.Browser, stores: dict[str, Path], tmp_path: Path
) -> None:
    """On loopback, the story page's forms: merge story 4 (the German report of the port strike)
    into story 2, split two articles out into a new story; the history lists both."""
    db = copy_of(stores["steering"], tmp_path)
    with BackgroundServer(make_app(db, lang="en")) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = _watch_errors(page)
        page.goto(server.url + "/stories/2")
        sync_api.expect(page.locator(".outlet-coverage")).to_have_count(4)
        merge = page.locator("form.merge-form")
        merge.locator("input[name=other]").fill("4")
        merge.locator("input[name=note]").fill("the same strike")
        merge.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/stories/2\?done=\d+"))
        sync_api.expect(page.locator(".steering .note")).to_contain_text("merged #4 into #2")
        sync_api.expect(page.locator(".outlet-coverage")).to_have_count(5)
        sync_api.expect(page.locator('.outlet-coverage[data-outlet="tagesblick.example"]')).to_have_count(1)
        _shot(page, "10-story-merged")
        moved = page.request.get(server.url + "/api/v1/stories/4", max_redirects=0)
        assert moved.status == 307 and moved.headers["location"].endswith("/api/v1/stories/2")

        split = page.locator("form.split-form")
        split.locator('input[name=article][value="7"]').check()
        split.locator('input[name=article][value="9"]').check()
        split.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/stories/2\?done=\d+"))
        done = page.locator(".steering .note")
        sync_api.expect(done).to_contain_text("split #7, #9 out of #2 into #")
        sync_api.expect(page.locator(".outlet-coverage")).to_have_count(3)
        history = page.locator("ol.history li")
        sync_api.expect(history).to_have_count(2)
        sync_api.expect(history.first).to_contain_text("local")
        sync_api.expect(history.first).to_contain_text("the same strike")
        _shot(page, "11-story-split")

        new_story = re.search(r"into #(\d+)", done.inner_text())
        assert new_story is not None
        page.goto(f"{server.url}/stories/{new_story.group(1)}")
        outlets = page.locator(".outlet-coverage").evaluate_all("els => els.map(e => e.dataset.outlet)")
        assert sorted(outlets) == ["eldiario-sur.example", "tagesblick.example"]
        sync_api.expect(page.locator("ol.history li")).to_have_count(1)
        assert errors == []
        page.close()
