"""Alert rules on the web: the page, the API, each rule's Atom feed and the delivery log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdesk.alerts.run import run_alerts
from newsdesk.store import Store
from newsdesk.testing.webhooks import WebhookReceiver
from newsdesk.web.security import CSRF_COOKIE
from tests.alert_support import add_article, settings_for
from tests.web_support import BASE_URL, TestClient, make_app


@pytest.fixture
def site(tmp_path: Path):  # noqa: ANN201
    db = tmp_path / "news.db"
    store = Store(f"sqlite:///{db}")
    add_article(store, 1, "old.example", "Harbour strike enters its second week")
    yield db, store
    store.close()


def test_a_rule_made_through_the_api_fires_and_its_atom_feed_and_log_show_it(site) -> None:
    db, store = site
    web = TestClient(make_app(db), base_url=BASE_URL)
    with WebhookReceiver() as receiver:
        body = {
            "name": "strikes",
            "kind": "search",
            "params": {"query": "strike"},
            "webhooks": [receiver.url],
        }
        made = web.post("/api/v1/alerts", json=body)
        assert made.status_code == 201, made.text
        rule = made.json()
        assert rule["targets"][0]["secret"] and rule["atom"] == f"/feeds/alerts/{rule['id']}.atom"
        assert web.get("/api/v1/alerts").json()[0]["targets"][0]["secret"] is None
        assert web.post("/api/v1/alerts", json=body).status_code == 422  # the name is taken
        add_article(store, 2, "news.example", "Strike <b>spreads</b> to the rail yards")
        run_alerts(store, settings_for(db.parent, db))
        assert len(receiver.requests) == 1
    feed = web.get(rule["atom"])
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert "Strike &lt;b&gt;spreads&lt;/b&gt; to the rail yards" in feed.text
    log = web.get("/api/v1/alerts/log", params={"rule": rule["id"]}).json()
    assert [(r["attempt"], r["ok"], r["state"]) for r in log] == [(1, True, "delivered")]
    page = web.get("/alerts").text
    assert "strikes" in page and "Strike &lt;b&gt;spreads&lt;/b&gt; to the rail yards" in page
    assert web.delete(f"/api/v1/alerts/{rule['id']}").status_code == 204
    assert web.get(rule["atom"]).status_code == 404
    assert web.get(f"/api/v1/alerts/{rule['id']}").status_code == 404


def test_the_api_refuses_rules_that_cannot_work(site) -> None:
    db, _ = site
    web = TestClient(make_app(db), base_url=BASE_URL)
    base = {"name": "x", "kind": "search", "params": {"query": "q"}}
    assert web.post("/api/v1/alerts", json={**base, "kind": "gossip"}).status_code == 422
    assert web.post("/api/v1/alerts", json={**base, "params": {"query": ""}}).status_code == 422
    refused = web.post("/api/v1/alerts", json={**base, "webhooks": ["ftp://x.example/"]})
    assert refused.status_code == 422 and "webhook refused" in refused.json()["detail"]


def test_rules_are_added_and_removed_from_the_page(site) -> None:
    db, _ = site
    web = TestClient(make_app(db), base_url=BASE_URL)
    web.get("/alerts")
    token = web.cookies.get(CSRF_COOKIE)
    form = {
        "name": "wide",
        "kind": "coverage",
        "outlets": "3",
        "webhook": "https://hooks.example/a",
        "csrf_token": token,
    }
    added = web.post("/alerts", data=form)
    # The reader is French.
    assert added.status_code == 200 and "Secret de signature de https://hooks.example/a" in added.text
    assert "un sujet atteint 3 médias" in added.text  # what the rule watches, in French too
    wrong = web.post("/alerts", data={**form, "name": "other", "outlets": "many"})
    assert wrong.status_code == 422 and "Non ajouté" in wrong.text and "pas un nombre" in wrong.text
    late = web.post("/alerts", data={**form, "name": "other", "quiet_hours": "late"})
    assert late.status_code == 422 and "écrivez-les HH:MM-HH:MM" in late.text  # the reason in French
    assert web.post("/alerts", data={**form, "csrf_token": "forged" * 8}).status_code == 403
    rule_id = re.search(r'action="/alerts/(\d+)/delete"', added.text).group(1)
    removed = web.post(f"/alerts/{rule_id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert removed.status_code == 303
    assert "Aucune règle d'alerte pour l'instant." in web.get("/alerts").text


def test_beyond_loopback_rules_are_read_and_changed_only_with_a_login(site) -> None:
    db, _ = site
    web = TestClient(make_app(db, require_login=True, allowed_hosts=["127.0.0.1"]), base_url=BASE_URL)
    assert web.get("/api/v1/alerts").status_code == 401
    assert web.get("/api/v1/alerts/log").status_code == 401
    assert web.get("/alerts", follow_redirects=False).status_code == 303  # to the log-in page
    body = {"name": "x", "kind": "search", "params": {"query": "q"}}
    assert web.post("/api/v1/alerts", json=body).status_code == 401
