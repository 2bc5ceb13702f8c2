"""Raw pages are stored Zstandard-compressed; pages stored gzip by earlier releases stay readable
through the upgrade that renamed their column."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from newsdesk import models
from newsdesk.store import Store
from newsdesk.store import pages as page_store
from newsdesk.store.convert import compress_html, decompress_html
from tests.support import store_at_revision

HTML = "<html lang='uk'><body><article><p>Переговори в Кремлі тривали п’ять годин.</p></article></body>"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def test_html_round_trips_and_gzip_is_still_read() -> None:
    stored = compress_html(HTML)
    assert stored[:4] == ZSTD_MAGIC
    assert decompress_html(stored) == HTML
    assert decompress_html(gzip.compress(HTML.encode("utf-8"))) == HTML
    assert decompress_html(None) == decompress_html(b"") == ""


def test_gzip_page_survives_the_upgrade_and_new_pages_are_zstd(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with store_at_revision(db, "0003") as connection:  # one pending page, stored gzip
        connection.execute(
            text(
                "INSERT INTO raw_pages (id, url, html_gz, status, attempts, fetched_at) "
                "VALUES (1, 'https://old.example/a', :html, 'pending', 0, '2025-12-03 07:00:00')"
            ),
            {"html": gzip.compress(HTML.encode("utf-8"))},
        )
    store = Store(f"sqlite:///{db}")
    now = datetime.now(UTC)
    try:
        with store.session() as session:
            pending = page_store.pages_by_id(session, page_store.pending_order(session, now, max_attempts=3))
            assert [(page_id, page.html) for page_id, page in pending] == [(1, HTML)]
            page_store.save_raw_page(session, models.RawPage(url="https://new.example/b", html=HTML), now)
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT url, html_compressed FROM raw_pages ORDER BY id")).all()
    finally:
        store.close()
    assert rows[0][1][:2] == b"\x1f\x8b"
    assert rows[1][1][:4] == ZSTD_MAGIC
