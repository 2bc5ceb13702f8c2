"""The interface in a French browser: Playwright driving Debian's Chromium with a French locale (its
``Accept-Language``), then the "Read in" switch (see test_web_browser.py for the browser's setup)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.web.server import BackgroundServer
from tests.test_web_browser import browser, pytestmark, stores, sync_api  # noqa: F401 - its fixtures and skip
from tests.web_support import make_app


@pytest.fixture(scope="module")
def english_server(stores: dict[str, Path]) -> Iterator[str]:  # noqa: F811
    """A server whose settings read English: only the browser asks for French."""
    with BackgroundServer(make_app(stores["seed"], lang="en")) as server:
        yield server.url


def test_a_french_browser_reads_the_interface_in_french(
    browser: sync_api.Browser,  # noqa: F811
    english_server: str,
) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(english_server + "/?period=all")
    sync_api.expect(page.locator("html")).to_have_attribute("lang", "fr")
    sync_api.expect(page.locator("header.site nav a").first).to_have_text("Sujets")
    sync_api.expect(page.locator("h1")).to_have_text("Sujets")
    seen = page.locator(".story-row time").first
    sync_api.expect(seen).to_have_text(re.compile(r"^il y a "))
    assert not re.search(r"\d\d:\d\d:\d\d", seen.get_attribute("title") or "")
    page.locator("select[name=lang]").select_option("de")  # the switch submits itself
    sync_api.expect(page.locator("h1")).to_have_text("Themen")
    page.goto(english_server + "/help")  # the choice is kept in a cookie, over the browser's French
    sync_api.expect(page.locator("h1")).to_have_text("Tastenkürzel")
    context.close()
