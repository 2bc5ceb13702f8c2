"""The web server and feed-adding under hostile use: slow feed servers, oversize bodies, log-in floods,
addresses that can never work, and search or paging input that once gave 500."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from newsdesk.cli.main import app as cli_app
from newsdesk.pipeline.subscribe import address_problem
from newsdesk.settings import FetchSettings, load_settings
from newsdesk.store.queries import MAX_SEARCH_TERMS, fts_query
from newsdesk.testing.httpserver import FixtureServer
from newsdesk.web import create_app
from newsdesk.web.security import CSRF_COOKIE
from newsdesk.web.server import BackgroundServer
from newsdesk.web.throttle import LoginThrottle
from tests.support import Cli, write_config
from tests.web_support import BASE_URL, TestClient, copy_of, demo_db, make_app

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title><link>https://slow.example/</link>'
    b"<item><title>a</title><link>https://slow.example/a</link></item></channel></rss>"
)
HUGE = str(2**63)


class SlowFeeds:
    """A loopback server whose every answer waits until the test releases it: even paths answer a
    feed, odd ones 404. It counts the requests it holds at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.active = self.most = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                with owner._lock:
                    owner.active += 1
                    owner.most = max(owner.most, owner.active)
                owner.release.wait(120)
                with owner._lock:
                    owner.active -= 1
                number = int(self.path.rsplit("-", 1)[-1].split(".")[0] or 0)
                body, status = (RSS, 200) if number % 2 == 0 else (b"gone", 404)
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SlowFeeds:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _until(condition: Callable[[], bool], bound: float = 60.0) -> None:
    """Wait for ``condition``, failing after ``bound`` seconds (a bound on the wait, not a timing)."""
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def _statuses(base: str) -> dict[str, dict]:
    return {f["url"]: f for f in httpx.get(base + "/api/v1/feeds", timeout=30).json()}


def test_slow_feed_checks_run_in_the_background_and_reads_stay_responsive(tmp_path: Path) -> None:
    """45 feeds on a server that never answers until released: every add returns at once with status
    "checking", the front page answers while every check still waits, at most check_workers checks
    reach the server at once, and the results show in the feed list once the server answers."""
    app = make_app(copy_of(demo_db(), tmp_path), web={"check_workers": 2})
    with SlowFeeds() as slow, BackgroundServer(app) as web, ThreadPoolExecutor(45) as pool:
        urls = [f"{slow.url}/feed-{n}.xml" for n in range(45)]
        adds = [pool.submit(httpx.post, web.url + "/api/v1/feeds", json={"url": u}, timeout=60) for u in urls]
        answers = [a.result(timeout=90) for a in adds]  # a bound on the wait, not a timing
        assert all(a.status_code == 201 for a in answers), answers[0].text
        assert {a.json()["feed"]["status"] for a in answers} == {"checking"}
        assert "checking in the background" in answers[0].json()["note"]
        _until(lambda: slow.active == 2)  # two checks are held by the server
        front = httpx.get(web.url + "/", params={"period": "all"}, timeout=30)
        assert front.status_code == 200 and "story-row" in front.text
        sources = httpx.get(web.url + "/sources", timeout=30)
        assert sources.status_code == 200 and sources.text.count("<td>vérification en cours</td>") == 45
        # the server has answered nothing yet: the pages above did not wait for a check
        assert not slow.release.is_set()
        assert {f["status"] for u, f in _statuses(web.url).items() if u in urls} == {"checking"}
        assert slow.active == slow.most == 2
        slow.release.set()
        assert app.state.web.checks.wait(120)
        checked = _statuses(web.url)
    assert slow.most <= 2  # never more checks at once than check_workers
    assert {checked[u]["status"] for u in urls[::2]} == {"new"}
    assert {checked[u]["status"] for u in urls[1::2]} == {"check failed"}
    assert "HTTP 404" in checked[urls[1]]["last_error"]


def _token(web: TestClient) -> str:
    web.get("/sources")
    token = web.cookies.get(CSRF_COOKIE)
    assert token
    return token


def _opml(count: int, host: str = "feeds.example") -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="f{n}" xmlUrl="https://{host}/{n}.xml"/>' for n in range(count)
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def test_request_bodies_and_opml_imports_are_capped(tmp_path: Path) -> None:
    web = TestClient(
        make_app(copy_of(demo_db(), tmp_path), web={"max_body_bytes": 4096, "max_opml_feeds": 20}),
        base_url=BASE_URL,
    )
    before = len(web.get("/api/v1/feeds").json())
    opml = {"content-type": "text/x-opml"}
    big = web.post("/api/v1/opml", content=_opml(200), headers=opml)  # about 15 KB, declared
    assert big.status_code == 413 and "larger than 4096 bytes (web.max_body_bytes)" in big.json()["detail"]
    chunked = web.post("/api/v1/opml", content=iter([b"<opml>", b" " * 3000, b" " * 3000]), headers=opml)
    assert chunked.status_code == 413  # no Content-Length: counted as it streams
    listing = web.post("/api/v1/feeds", json={"url": "https://x.example/" + "a" * 5000, "check": False})
    assert listing.status_code == 413
    many = web.post("/api/v1/opml", content=_opml(30), headers=opml)
    assert many.status_code == 413
    assert "lists 30 feeds, more than the 20" in many.json()["detail"]
    assert "nothing was imported" in many.json()["detail"]
    assert len(web.get("/api/v1/feeds").json()) == before
    token = _token(web)
    page = web.post("/sources/opml", data={"csrf_token": token}, files={"file": ("x.opml", _opml(200))})
    assert page.status_code == 413 and "larger than 4096 bytes" in page.text and "<html" in page.text
    page = web.post("/sources/opml", data={"csrf_token": token}, files={"file": ("x.opml", _opml(30))})
    assert page.status_code == 413 and "nothing was imported" in page.text
    fits = web.post("/api/v1/opml", content=_opml(20), headers=opml)
    assert fits.status_code == 200 and fits.json() == {"feeds": 20, "created": 20}


def test_body_cap_counts_streamed_bytes_on_a_real_server(tmp_path: Path) -> None:
    app = make_app(copy_of(demo_db(), tmp_path), web={"max_body_bytes": 65536})
    with BackgroundServer(app) as web:
        sent = httpx.post(
            web.url + "/api/v1/opml",
            content=iter([b"<opml>" + b" " * 60000] * 20),  # 1.2 MB, chunked, no Content-Length
            headers={"content-type": "text/x-opml"},
            timeout=30,
        )
    assert sent.status_code == 413 and "65536 bytes" in sent.json()["detail"]


@pytest.fixture
def login_app(tmp_path: Path):
    """A loopback app over a copy of the demo store with one user, its throttle on a clock the test moves."""
    db = copy_of(demo_db(), tmp_path)
    cli = Cli(db, write_config(tmp_path))
    added = cli.runner.invoke(
        cli_app, [*cli.base, "user", "add", "admin", "--password-stdin"], input="correct horse battery\n"
    )
    assert added.exit_code == 0, added.output
    app = make_app(db, web={"login_free_attempts": 3, "login_max_wait": 4.0})
    now = [1000.0]
    app.state.web.logins.clock = lambda: now[0]
    return app, now


def _login(app, name: str, password: str, client: str = "192.0.2.1") -> httpx.Response:  # noqa: ANN001
    web = TestClient(app, base_url=BASE_URL, client=(client, 50000))
    token = _token(web)
    return web.post(
        "/login", data={"name": name, "password": password, "csrf_token": token}, follow_redirects=False
    )


def test_failed_logins_back_off_per_account_and_per_client(login_app) -> None:  # noqa: ANN001
    app, now = login_app
    for _ in range(3):  # the free attempts
        assert _login(app, "admin", "wrong password").status_code == 401
    assert _login(app, "admin", "wrong password").status_code == 401  # the fourth failure: wait 1 s
    held = _login(app, "admin", "correct horse battery")  # even the right password waits
    assert held.status_code == 429 and held.headers["retry-after"] == "1"
    assert "Trop de connexions échouées" in held.text
    elsewhere = _login(app, "admin", "wrong password", client="198.51.100.7")  # per account
    assert elsewhere.status_code == 429
    now[0] += 1
    assert _login(app, "admin", "wrong password").status_code == 401  # the fifth: wait 2 s
    assert _login(app, "admin", "x", client="198.51.100.7").headers["retry-after"] == "2"
    now[0] += 2  # the wait is over; the count stays (quiet keys go after 2 x login_max_wait)
    for _ in range(3):
        _login(app, "admin", "wrong password")
    assert _login(app, "admin", "x").headers["retry-after"] == "4"  # at most login_max_wait
    now[0] += 4
    assert _login(app, "admin", "correct horse battery").status_code == 303  # and it clears the count
    assert _login(app, "admin", "wrong password").status_code == 401
    # per client address: failures over many names hold that client, not the others
    for n in range(4):
        assert _login(app, f"nobody{n}", "wrong password", client="203.0.113.9").status_code == 401
    assert _login(app, "someone", "x", client="203.0.113.9").status_code == 429
    assert _login(app, "someone", "x", client="203.0.113.10").status_code == 401


def test_the_throttle_forgets_quiet_keys() -> None:
    now = [0.0]
    throttle = LoginThrottle(1, 10.0, clock=lambda: now[0])
    keys = throttle.keys("Admin ", "192.0.2.1")
    assert keys == throttle.keys("admin", "192.0.2.1")
    throttle.failed(keys)
    throttle.failed(keys)
    assert throttle.retry_after(keys) == 1
    now[0] += 100
    throttle.failed(throttle.keys("other", "192.0.2.2"))
    assert len(throttle._keys) == 2  # the quiet ones are forgotten


NEVER = [
    "not-a-url",
    "ftp://feeds.example/rss.xml",
    "javascript:alert(1)",
    "http:///nohost",
    "http://x:99999/",
]
REFUSED_HOSTS = [
    "http://10.0.0.1/",
    "http://127.0.0.1:9/feed.xml",
    "http://[::ffff:10.0.0.1]/",
    "http://localhost/",
]


def test_address_problem_reuses_the_fetch_rules() -> None:
    strict, open_ = FetchSettings(), FetchSettings(allow_private=True)
    for url in NEVER:
        assert address_problem(url, open_), url
    for url in REFUSED_HOSTS:
        assert "private address refused" in (address_problem(url, strict) or ""), url
        assert address_problem(url, open_) is None
        assert address_problem(url, strict, check_host=False) is None
    assert address_problem("https://www.example.org/rss.xml", strict) is None


def _strict_app(db: Path):  # noqa: ANN202
    settings = load_settings(config=write_config(db.parent), db=str(db))
    settings = replace(settings, fetch=replace(settings.fetch, allow_private=False))
    return create_app(settings)


def test_web_refuses_what_can_never_work(tmp_path: Path) -> None:
    web = TestClient(_strict_app(copy_of(demo_db(), tmp_path)), base_url=BASE_URL)
    before = len(web.get("/api/v1/feeds").json())
    for url in NEVER + REFUSED_HOSTS:
        refused = web.post("/api/v1/feeds", json={"url": url})
        assert refused.status_code == 422, (url, refused.text)
        assert "refused" in refused.json()["detail"]
    for url in NEVER:  # without the check, only the URL's form is judged
        assert web.post("/api/v1/feeds", json={"url": url, "check": False}).status_code == 422
    page = web.post(
        "/sources/feeds", data={"url": "http://10.0.0.1/", "check": "true", "csrf_token": _token(web)}
    )
    assert page.status_code == 422 and "Not added: 10.0.0.1: private address refused" in page.text
    assert len(web.get("/api/v1/feeds").json()) == before
    assert web.app.state.web.checks.pending == 0


def test_cli_refuses_what_can_never_work_and_adds_what_may_work_later(tmp_path: Path) -> None:
    plain = tmp_path / "plain.toml"
    plain.write_text("[fetch]\nper_host_delay = 0.0\n", encoding="utf-8")
    strict = Cli(tmp_path / "strict.db", plain)
    for url in NEVER + REFUSED_HOSTS:
        result = strict.runner.invoke(cli_app, [*strict.base, "feeds", "add", url])
        assert result.exit_code == 2, (url, result.output)
        assert "not added:" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "strict.db").exists()  # nothing was stored
    said = " ".join(
        strict.runner.invoke(cli_app, [*strict.base, "feeds", "add", "http://10.0.0.1/"]).stderr.split()
    )
    assert "NEWSDESK_ALLOW_PRIVATE=1" in said and "[fetch]" in said
    loose = Cli(tmp_path / "loose.db", write_config(tmp_path))
    with FixtureServer(tmp_path) as server:
        gone = loose.runner.invoke(cli_app, [*loose.base, "feeds", "add", server.url + "/missing.xml"])
    assert gone.exit_code == 0, gone.output
    assert "added, but the first check failed: HTTP 404" in " ".join(gone.stderr.split())
    assert "added: #1" in gone.stdout


BAD_QUERIES = [
    "a OR OR b",
    "a\x00b",
    "\x00",
    "OR OR",
    '"',
    "NEAR(a b",
    "a AND OR NOT b",
    "col:umn*",
    "\x1b[31m",
]
SEARCH_ROUTES = ["/search", "/api/v1/search", "/feeds/search.atom"]


def test_search_queries_are_made_safe_by_quoting() -> None:
    assert fts_query("a OR OR b") == fts_query("a OR b") == '"a" OR "b"'
    assert fts_query("a\x00b") == '"a" "b"'
    assert fts_query("OR OR") == ""
    assert fts_query("a AND OR NOT b") == '"a" "AND" OR "NOT" "b"'
    with pytest.raises(ValueError, match=f"search: at most {MAX_SEARCH_TERMS} words"):
        fts_query(" ".join(["w"] * (MAX_SEARCH_TERMS + 1)))


def test_bad_search_input_and_huge_numbers_are_4xx_with_a_reason() -> None:
    web = TestClient(make_app(demo_db()), base_url=BASE_URL, raise_server_exceptions=False)
    for route in SEARCH_ROUTES:
        for q in BAD_QUERIES:
            assert web.get(route, params={"q": q}).status_code == 200, (route, q)
        same = web.get(route, params={"q": "Saltmere OR OR Maravie"})
        assert same.status_code == 200 and same.text.count("Saltmere") >= 1
        long = web.get(route, params={"q": " ".join(["w"] * 70)})
        assert long.status_code == 400 and "search: at most 64 words" in long.text, route
    assert web.get("/", params={"entity": " ".join(["w"] * 70)}).status_code == 400
    for path in [f"/stories/{HUGE}", f"/articles/{HUGE}"]:
        answer = web.get(path)  # a page's address that names nothing: the HTML 404 page
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), path
    for path in [
        f"/api/v1/stories/{HUGE}",
        f"/api/v1/articles/{HUGE}",
        f"/api/v1/articles/{HUGE}/clipping",
        f"/api/v1/feeds/{HUGE}",
        f"/feeds/stories/{HUGE}.atom",
        f"/feeds/searches/{HUGE}.atom",
        f"/api/v1/articles?story_id={HUGE}",
        f"/api/v1/stories?offset={HUGE}",
        f"/api/v1/articles?offset={HUGE}",
        f"/api/v1/search?q=port&offset={HUGE}",
        f"/search?q=port&page={HUGE}",
        f"/?page={HUGE}",
        "/api/v1/stories/0",
        "/api/v1/articles?offset=-1",
    ]:
        answer = web.get(path)
        assert answer.status_code == 422, (path, answer.status_code)
    for path in [f"/api/v1/feeds/{HUGE}", f"/api/v1/searches/{HUGE}"]:
        assert web.delete(path).status_code == 422, path
    assert web.get("/api/v1/stories/2147483647").status_code == 404  # the largest id is looked up


def test_cli_search_with_bad_input(tmp_path: Path) -> None:
    cli = Cli(copy_of(demo_db(), tmp_path), write_config(tmp_path))
    run = lambda *args: cli.runner.invoke(cli_app, [*cli.base, "search", *args])  # noqa: E731
    assert run("Saltmere OR OR Maravie").exit_code == 0
    assert run("a\x1bb").exit_code == 0
    long = run(" ".join(["w"] * 70))
    assert long.exit_code == 2 and "search: at most 64 words" in long.stderr
    assert long.exception is None or isinstance(long.exception, SystemExit)
    huge = run("port", "--limit", HUGE)
    assert huge.exit_code == 2 and "Traceback" not in huge.output
