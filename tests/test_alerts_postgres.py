"""Alert rules on PostgreSQL: detection (its text search), the outbox and delivery (skipped without a
server)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from newsdesk.alerts.make import new_rule
from newsdesk.alerts.run import run_alerts
from newsdesk.store import Store
from newsdesk.store import alerts as alert_store
from newsdesk.testing.webhooks import WebhookReceiver
from tests.alert_support import NOW, add_article, settings_for
from tests.test_store_postgres import pg_store  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(
    not os.environ.get("NEWSDESK_TEST_POSTGRES_URL"), reason="NEWSDESK_TEST_POSTGRES_URL is not set"
)


def test_rules_fire_once_on_postgresql(pg_store: Store, tmp_path: Path) -> None:  # noqa: F811
    settings = replace(settings_for(tmp_path, tmp_path / "unused.db"), db=pg_store.url)
    add_article(pg_store, 1, "a.example", "Harbour strike enters its second week")
    with WebhookReceiver() as receiver:
        with pg_store.session() as session:
            for name, kind, params in (
                ("strikes", "search", {"query": "strike"}),
                ("wide", "coverage", {"outlets": 2}),
            ):
                rule = new_rule(name, kind, params, settings, webhooks=[receiver.url])
                alert_store.add_rule(session, rule, None, NOW)
        add_article(pg_store, 1, "b.example", "Strike spreads to the rail yards")
        add_article(pg_store, 2, "b.example", "Weather: sunny spells")
        run_alerts(pg_store, settings, NOW)
        run_alerts(pg_store, settings, NOW)
        assert sorted(r.document["event"] for r in receiver.requests) == ["article:2", "story:1:coverage"]
