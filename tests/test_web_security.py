"""Security: no article content runs as HTML, a Content-Security-Policy, log-ins, tokens, CSRF, hosts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from newsdesk.cli.main import app as cli_app
from newsdesk.store import Store, users
from newsdesk.web.passwords import hash_password, verify_password
from newsdesk.web.security import CSRF_COOKIE, safe_url
from tests.support import Cli, write_config
from tests.web_support import (
    BASE_URL,
    HOSTILE_KEYWORD,
    HOSTILE_NAME,
    HOSTILE_QUOTE,
    TestClient,
    client,
    copy_of,
    demo_db,
    hostile_db,
    make_app,
)

PASSWORD = "correct horse battery"


def test_every_response_has_a_content_security_policy() -> None:
    web = client(demo_db())
    for path in ("/", "/api/v1/stories", "/static/style.css", "/feeds/stories.atom", "/nope"):
        policy = web.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
    assert web.get("/").headers["x-content-type-options"] == "nosniff"


def _hostile_pages(web: TestClient) -> dict[str, str]:
    articles = web.get("/api/v1/articles", params={"limit": 10}).json()["articles"]
    assert len(articles) == 2
    pages = {"/": web.get("/", params={"period": "all"}).text, "/search": web.get("/search?q=hostile").text}
    for a in articles:
        pages[f"/articles/{a['id']}"] = web.get(f"/articles/{a['id']}").text
        if a["story_id"]:
            pages[f"/stories/{a['story_id']}"] = web.get(f"/stories/{a['story_id']}").text
    return pages


def test_hostile_article_content_is_shown_as_text() -> None:
    web = client(hostile_db(), lang="en")
    pages = _hostile_pages(web)
    assert len(pages) >= 5
    for path, html in pages.items():
        assert "__pwned" not in "".join(re.findall(r"<script[^>]*>.*?</script>", html, re.S)), path
        assert not re.search(r"<(img|svg|b)\b[^>]*\bon\w+=", html), path
        assert 'href="javascript:' not in html.lower(), path
    article_pages = [html for path, html in pages.items() if path.startswith("/articles/")]
    assert any("&lt;script&gt;window.__pwned" in html for html in article_pages)
    assert any("original link not shown" in html for html in article_pages)


def test_hostile_entities_quotes_and_keywords_are_text() -> None:
    web = client(hostile_db(), lang="en")
    story_id = next(a["story_id"] for a in web.get("/api/v1/articles").json()["articles"] if a["story_id"])
    html = web.get(f"/stories/{story_id}").text
    assert html.count(str(escape(HOSTILE_NAME))) >= 3  # the matrix's speaker, the entity, its aliases' title
    assert str(escape(HOSTILE_QUOTE)) in html and str(escape(HOSTILE_KEYWORD)) in html
    assert "<script>window.__pwned" not in html and not re.search(r"<(img|b)\b[^>]*\bon\w+=", html)
    review = web.get(f"/api/v1/stories/{story_id}").json()
    assert review["quote_matrix"]["rows"][0]["speaker"] == HOSTILE_NAME  # data, as it was stored


def test_hostile_content_in_feeds_and_api_stays_data() -> None:
    web = client(hostile_db(), lang="en")
    atom = web.get("/feeds/search.atom", params={"q": "hostile"}).text
    assert "<script>" not in atom and "&lt;script&gt;" in atom
    hits = web.get("/api/v1/search", params={"q": "hostile"}).json()["hits"]
    assert hits and all("<script" not in h["snippet_html"] for h in hits)


def test_safe_url() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("/stories/1") == "/stories/1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "vbscript:x",
    ):
        assert safe_url(bad) == ""


def test_unknown_hosts_are_refused_on_loopback() -> None:
    web = client(demo_db())
    assert web.get("/", headers={"host": "rebound.example"}).status_code == 400
    assert web.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_cross_site_changes_are_refused_on_loopback() -> None:
    web = client(demo_db())
    body = {"url": "https://x.example/feed", "check": False}
    assert web.post("/api/v1/feeds", json=body, headers={"origin": "https://evil.example"}).status_code == 403
    assert web.post("/api/v1/feeds", json=body, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    web.get("/sources")
    token = web.cookies.get(CSRF_COOKIE)
    form = {"url": "https://x.example/feed", "csrf_token": token}
    assert web.post("/sources/feeds", data={**form, "csrf_token": "forged" * 8}).status_code == 403
    assert web.post("/sources/feeds", data={"url": "https://x.example/feed"}).status_code == 403
    cross = web.post("/sources/feeds", data=form, headers={"origin": "https://evil.example"})
    assert cross.status_code == 403


def test_passwords_are_hashed_with_argon2() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert verify_password(hashed, PASSWORD) and not verify_password(hashed, "wrong password")
    with pytest.raises(ValueError):
        hash_password("short")


@pytest.fixture
def locked(tmp_path: Path):
    """A copy of the demo store served as beyond loopback: changes need a user; one admin with a token."""
    db = copy_of(demo_db(), tmp_path)
    cli = Cli(db, write_config(tmp_path))
    result = cli.runner.invoke(
        cli_app, [*cli.base, "user", "add", "admin", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    token = cli("user", "token", "admin", "--name", "tests").stdout.strip()
    web = TestClient(make_app(db, require_login=True, allowed_hosts=["127.0.0.1"]), base_url=BASE_URL)
    return web, token, db


def test_changes_need_a_login_beyond_loopback(locked) -> None:  # noqa: ANN001
    web, token, db = locked
    body = {"url": "https://x.example/feed", "check": False}
    assert web.get("/api/v1/feeds").status_code == 200  # reading stays open
    refused = web.post("/api/v1/feeds", json=body)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert web.post("/api/v1/feeds", json=body, headers={"authorization": "Bearer nope"}).status_code == 401
    created = web.post("/api/v1/feeds", json=body, headers={"authorization": f"Bearer {token}"})
    assert created.status_code == 201
    feed_id = created.json()["feed"]["id"]
    assert web.delete(f"/api/v1/feeds/{feed_id}").status_code == 401
    assert (
        web.delete(f"/api/v1/feeds/{feed_id}", headers={"authorization": f"Bearer {token}"}).status_code
        == 204
    )
    store = Store(f"sqlite:///{db}")
    with store.session() as session:
        user = users.find_user(session, "admin")
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert token not in str(users.list_tokens(session, user.id))
    store.close()
    assert token not in db.read_bytes().decode("latin-1")


def test_forms_need_a_login_and_a_csrf_token(locked) -> None:  # noqa: ANN001
    web, _, _ = locked
    web.get("/sources")
    csrf = web.cookies.get(CSRF_COOKIE)
    form = {"url": "https://y.example/feed", "csrf_token": csrf}
    sent_to_login = web.post("/sources/feeds", data=form, follow_redirects=False)
    assert sent_to_login.status_code == 303 and sent_to_login.headers["location"].startswith("/login?next=")
    wrong = web.post("/login", data={"name": "admin", "password": "nope nope", "csrf_token": csrf})
    assert wrong.status_code == 401 and "mot de passe erroné" in wrong.text  # the reader's language
    no_csrf = web.post("/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert no_csrf.status_code == 403
    login = web.post(
        "/login",
        data={"name": "admin", "password": PASSWORD, "csrf_token": csrf, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert "newsdesk_session" in web.cookies
    assert (
        web.post("/sources/feeds", data={**form, "check": "false"}, follow_redirects=False).status_code == 303
    )
    assert "https://y.example/feed" in web.get("/sources").text
    # a browser session calling the API must send the CSRF token as a header
    body = {"url": "https://z.example/feed", "check": False}
    assert web.post("/api/v1/feeds", json=body).status_code == 403
    assert web.post("/api/v1/feeds", json=body, headers={"x-csrf-token": csrf}).status_code == 201
    account = web.get("/account").text
    assert "tests" in account  # the token made on the command line
    made = web.post("/account/tokens", data={"name": "cron", "csrf_token": csrf}).text
    secret = re.search(r'<pre class="token">([^<]+)</pre>', made)
    assert secret and len(secret.group(1)) >= 40
    web.post("/logout", data={"csrf_token": csrf})
    assert web.get("/account", follow_redirects=False).status_code == 303
    fresh = TestClient(web.app, base_url=BASE_URL)
    api_call = fresh.post("/api/v1/feeds", json=body, headers={"authorization": f"Bearer {secret.group(1)}"})
    assert api_call.status_code == 201 and not api_call.json()["created"]
