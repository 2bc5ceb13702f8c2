"""An alert made in a French browser: follow the seed fixture's Kremlin-talks story on the alerts page,
a new article arrives, the rules run, and the delivery log shows it, in French (Playwright driving
Debian's Chromium; see test_web_browser.py for the browser's setup)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from newsdesk.settings import load_settings
from newsdesk.store import Store, schema
from newsdesk.testing.webhooks import WebhookReceiver
from newsdesk.web.app import create_app
from newsdesk.web.server import BackgroundServer
from tests.alert_support import alert_config
from tests.test_web_browser import ARTIFACTS, browser, pytestmark, stores, sync_api  # noqa: F401 - fixtures, skip
from tests.web_support import copy_of

KREMLIN_FR = "Poutine rencontre Witkoff et Kushner au Kremlin"


def _wire_text(db: Path) -> tuple[str, str]:
    """The wire's Kremlin-talks article (title, text): a new outlet reprints it."""
    store = Store(f"sqlite:///{db}")
    try:
        with store.session() as session:
            row = session.query(schema.Article).filter(schema.Article.url.contains("kremlin-talks")).one()
            return row.title or "", row.text
    finally:
        store.close()


def test_an_alert_made_in_french_delivers_and_shows_its_log(
    browser: sync_api.Browser,  # noqa: F811
    stores: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    db = copy_of(stores["seed"], tmp_path)
    config = alert_config(tmp_path)
    app = create_app(load_settings(config=config, db=str(db), reader_lang="en"))
    with WebhookReceiver() as receiver, BackgroundServer(app) as server:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.goto(server.url + "/?period=all")
        link = page.locator("a.headline", has_text=KREMLIN_FR)
        story_id = re.search(r"/stories/(\d+)", link.get_attribute("href") or "").group(1)  # type: ignore[union-attr]
        page.goto(server.url + "/alerts")
        sync_api.expect(page.locator("h1")).to_have_text("Alertes")  # the interface reads French
        form = page.locator("section.add-alert form")
        form.locator("input[name=name]").fill("Pourparlers du Kremlin")
        form.locator("select[name=kind]").select_option("story")
        form.locator("input[name=story]").fill(story_id)
        form.locator("input[name=webhook]").fill(receiver.url)
        form.locator("button[type=submit]").click()
        sync_api.expect(page.locator(".alert-rules tbody tr")).to_have_count(1)
        sync_api.expect(page.locator(".alert-rules tbody")).to_contain_text("Pourparlers du Kremlin")
        sync_api.expect(page.locator(".alert-log")).to_contain_text("Journal des envois")

        # A new outlet reprints the wire's report: it joins the story, the rule fires once.
        title, text = _wire_text(db)
        intro = "MOSCOW (Nouvelles Example) - Our correspondent reports from the Kremlin on Wednesday."
        record = {
            "url": "https://nouvelles.example/kremlin",
            "title": title,
            "text": intro + "\n" + text + "\nReporting by the Nouvelles Example desk.",
            "language": "en",
        }
        records = tmp_path / "new.jsonl"
        records.write_text(json.dumps(record) + "\n", encoding="utf-8")
        # In processes of their own, as a user runs them (Playwright's own loop runs in this one).
        base = [sys.executable, "-m", "newsdesk", "--db", str(db), "--config", str(config), "--lang", "en"]
        imported = subprocess.run([*base, "import", str(records)], capture_output=True, text=True, check=True)
        assert "1 article stored" in imported.stdout
        subprocess.run([*base, "alerts", "run"], capture_output=True, text=True, check=True)
        assert len(receiver.unique) == 1
        document = next(iter(receiver.unique.values())).document
        assert "Pourparlers du Kremlin" in json.dumps(document, ensure_ascii=False)

        page.goto(server.url + "/alerts")  # a GET: reloading the form's answer would post it again
        log = page.locator(".alert-log tbody tr.ok")
        sync_api.expect(log).to_have_count(1)
        sync_api.expect(log.locator("td").nth(1)).to_have_text("Pourparlers du Kremlin")
        sync_api.expect(log.locator("td").nth(4)).to_contain_text("envoyée")
        page.screenshot(path=str(ARTIFACTS / "10-alert-delivery-log-fr.png"), full_page=True)
        context.close()
