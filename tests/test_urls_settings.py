"""URL canonicalisation, outlet domains, settings and search queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.settings import load_settings
from newsdesk.store.queries import fts_query
from newsdesk.urls import article_key_url, canonical_url, outlet_domain


def test_canonical_url_strips_tracking_and_fragments() -> None:
    assert canonical_url("HTTPS://WWW.Example.com:443/a/?utm_source=x&b=2&a=1&fbclid=z#top") == (
        "https://www.example.com/a/?a=1&b=2"
    )
    assert canonical_url("http://example.com/x?id=3&ref=rss") == "http://example.com/x?id=3"


def test_home_page_canonical_links_are_ignored() -> None:
    assert (
        article_key_url("https://example.com/", "https://example.com/news/1") == "https://example.com/news/1"
    )
    assert article_key_url("https://example.com/news/1?utm_medium=x", "http://127.0.0.1/x") == (
        "https://example.com/news/1"
    )


def test_outlet_domain() -> None:
    assert outlet_domain("https://www.infobrics.org/post/1") == "infobrics.org"
    assert outlet_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert outlet_domain("http://127.0.0.1:8000/x") == "127.0.0.1"
    assert outlet_domain(None) is None


def test_settings_file_env_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "n.toml"
    config.write_text(
        'reader_lang = "de"\n[fetch]\nread_timeout = 3.5\n[cluster]\nwindow_days = 2\n', "utf-8"
    )
    monkeypatch.delenv("NEWSDESK_LANG", raising=False)
    settings = load_settings(config=config, db=str(tmp_path / "x.db"))
    assert settings.reader_lang == "de"
    assert settings.fetch.read_timeout == 3.5 and settings.cluster.window_days == 2
    monkeypatch.setenv("NEWSDESK_LANG", "fr")
    assert load_settings(config=config).reader_lang == "fr"
    assert load_settings(config=config, reader_lang="es").reader_lang == "es"
    config.write_text("[fetch]\nbogus = 1\n", "utf-8")
    with pytest.raises(ValueError, match="bogus"):
        load_settings(config=config)


def test_fts_query_is_safe() -> None:
    assert fts_query('Ushakov "peace talks" OR kremlin') == '"Ushakov" "peace talks" OR "kremlin"'
    assert fts_query('a:b (c*) "') == '"a b" "c"'
    assert fts_query("OR") == ""
