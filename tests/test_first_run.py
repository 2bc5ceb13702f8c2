"""What a new user meets first: a mistyped store, refused addresses, periods, settings, help, counts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import collect as collect_cli
from newsdesk.cli.common import counted
from newsdesk.cli.main import app
from newsdesk.models import Article
from newsdesk.periods import parse_since
from newsdesk.settings import load_settings
from newsdesk.store import Store
from newsdesk.store.articles import insert_article
from newsdesk.store.database import StoreMissing
from tests.support import write_config
from tests.web_support import client as web_client
from tests.web_support import copy_of, demo_db

REFUSED_FEED = "http://127.0.0.1:9/feed.xml"  # refused before any connection: loopback is not allowed


def newsdesk(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def plain_config(folder: Path) -> Path:
    """A settings file that keeps the default refusal of loopback and private addresses."""
    config = folder / "plain.toml"
    config.write_text("[fetch]\nper_host_delay = 0.0\n", encoding="utf-8")
    return config


# 1. Only commands that write create a store.


@pytest.mark.parametrize(
    "command",
    [["stories"], ["review", "1"], ["clip", "1"], ["search", "x"], ["export"], ["entities"], ["quotes"]]
    + [["feeds", "list"], ["feeds", "export"], ["feeds", "remove", "1"], ["user", "list"], ["reprocess"]],
    ids=" ".join,
)
def test_a_read_on_a_missing_store_names_it_and_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "typo" / "x.db"
    result = newsdesk("--db", str(db), "--config", str(plain_config(tmp_path)), *command)
    assert result.exit_code == 1
    assert f"no store at {db}" in " ".join(result.stderr.split())
    assert not db.parent.exists()


def test_a_command_that_writes_creates_the_store(tmp_path: Path) -> None:
    db = tmp_path / "new" / "x.db"
    config = str(plain_config(tmp_path))
    assert (
        newsdesk("--db", str(db), "--config", config, "feeds", "add", "--no-check", REFUSED_FEED).exit_code
        == 0
    )
    assert db.exists()
    assert newsdesk("--db", str(db), "--config", config, "stories").exit_code == 0


def test_the_store_refuses_to_create_a_missing_file_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing, match="x.db"):
        Store(f"sqlite:///{tmp_path / 'none' / 'x.db'}", create=False)
    assert not (tmp_path / "none").exists()


# 2 and 3. Refused addresses are explained; a fetch where every feed failed fails; waiting feeds are named.


def test_refused_feeds_name_the_way_out_and_a_fetch_of_failures_fails(tmp_path: Path) -> None:
    config = plain_config(tmp_path)
    base = ["--db", str(tmp_path / "x.db"), "--config", str(config)]
    newsdesk(*base, "feeds", "add", "--no-check", REFUSED_FEED)
    newsdesk(*base, "feeds", "add", "--no-check", "http://10.0.0.1:9/feed.xml")
    first = newsdesk(*base, "fetch")
    assert first.exit_code == 1
    said = " ".join(first.stderr.split())
    assert "NEWSDESK_ALLOW_PRIVATE=1" in said and str(config) in said
    assert "2 feeds polled (2 with errors)" in first.stdout
    again = newsdesk(*base, "fetch")  # nothing due: the failed feeds wait to retry
    assert again.exit_code == 0
    note = " ".join(again.stderr.split())
    assert "2 feeds waiting to retry until" in note and "--all" in note
    assert newsdesk(*base, "fetch", "--all").exit_code == 1  # polled now, failed again


def test_a_fetch_with_no_feeds_says_how_to_add_one(tmp_path: Path) -> None:
    result = newsdesk("--db", str(tmp_path / "x.db"), "--config", str(plain_config(tmp_path)), "fetch")
    assert result.exit_code == 0
    assert "newsdesk feeds add" in result.stderr


# 4. One syntax and one meaning for every period.


def test_one_period_syntax() -> None:
    now = datetime(2025, 12, 10, 12, tzinfo=UTC)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("2w", now) == now - timedelta(weeks=2)
    assert parse_since("2025-12-01", now) == datetime(2025, 12, 1, tzinfo=UTC)
    assert parse_since("2025-12-01T08:00+01:00", now) == datetime(2025, 12, 1, 7, tzinfo=UTC)
    assert parse_since("all", now) is None and parse_since(None, now) is None
    for wrong in ("fortnight", "-5d", "30m", "7 days"):
        with pytest.raises(ValueError, match="2w"):
            parse_since(wrong, now)


def _articles_store(tmp_path: Path) -> Path:
    """A store with an article published ten days ago (collected today) and one without a date."""
    db = tmp_path / "periods.db"
    store = Store(f"sqlite:///{db}")
    now = datetime.now(UTC)
    with store.session() as session:
        for name, published in (("old", now - timedelta(days=10)), ("undated", None)):
            url = f"https://example.org/{name}"
            article = Article(
                url=url,
                canonical_url=url,
                outlet="example.org",
                title=name,
                lede=None,
                byline=None,
                published=published,
                collected=now,
                paragraphs=["A short text."],
                language="en",
            )
            insert_article(session, article, None)
    store.close()
    return db


def test_since_means_publication_time_in_export_and_search(tmp_path: Path) -> None:
    base = ["--db", str(_articles_store(tmp_path)), "--config", str(plain_config(tmp_path))]

    def exported(*args: str) -> list[str]:
        result = newsdesk(*base, "export", *args)
        assert result.exit_code == 0, result.output
        return sorted(json.loads(line)["title"] for line in result.stdout.splitlines())

    assert exported("--since", "7d") == ["undated"]  # collected today, but published ten days ago
    assert exported("--since", "2w") == ["old", "undated"]
    assert exported("--since", "all") == exported() == ["old", "undated"]
    wrong = newsdesk(*base, "export", "--since", "fortnight")
    assert wrong.exit_code == 2 and "2w" in wrong.output


def test_the_api_and_pages_take_the_same_periods(tmp_path: Path) -> None:
    client = web_client(_articles_store(tmp_path))
    titles = {a["title"] for a in client.get("/api/v1/articles", params={"period": "7d"}).json()["articles"]}
    assert titles == {"undated"}
    assert client.get("/api/v1/articles", params={"period": "2w"}).json()["articles"][1]
    day = (datetime.now(UTC) - timedelta(days=12)).date().isoformat()
    assert len(client.get("/api/v1/articles", params={"period": day}).json()["articles"]) == 2
    assert client.get("/api/v1/stories", params={"period": "2w"}).status_code == 200
    for path in ("/api/v1/stories", "/", "/search", "/feeds/stories.atom"):
        refused = client.get(path, params={"period": "fortnight", "q": "x"})
        assert refused.status_code == 422 and "2w" in refused.text


# 5 and 6. Global options after the command; the stories command widens an empty day like the web page.


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("demo")
    return ["--db", str(copy_of(demo_db(), folder)), "--config", str(write_config(folder))]


def test_global_options_may_follow_the_command(demo_store: list[str], tmp_path: Path) -> None:
    before = newsdesk(*demo_store, "--lang", "fr", "review", "1", "--format", "json")
    after = newsdesk("review", "1", "--format", "json", "--lang", "fr", *demo_store)
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout
    assert newsdesk(*demo_store, "clip", "1", "--lang=xx").exit_code == 2  # read as the global --lang
    db = tmp_path / "feeds.db"
    config = str(plain_config(tmp_path))
    added = newsdesk(
        "feeds", "add", "--no-check", REFUSED_FEED, "--lang", "de", "--db", str(db), "--config", config
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(newsdesk("--db", str(db), "--config", config, "feeds", "list", "--json").stdout)
    assert listed[0]["language"] == "de"  # `feeds add --lang` stays the feed's language


def test_stories_widen_an_empty_day_to_every_story(demo_store: list[str]) -> None:
    shown = newsdesk(*demo_store, "stories")
    assert shown.exit_code == 0 and "showing every story" in shown.stderr
    assert "#" not in shown.stderr and shown.stdout.strip()
    data = newsdesk(*demo_store, "stories", "--json")
    assert json.loads(data.stdout) and "showing every story" in data.stderr
    day = newsdesk(*demo_store, "stories", "--since", "24h")
    assert "no stories in this period" in day.stdout


# 7. `run`: one timestamped line per round, no progress bars without work.


def test_run_prints_one_timestamped_line_per_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rounds = []

    def sleep(_seconds: float) -> None:
        rounds.append(1)
        if len(rounds) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(collect_cli.time, "sleep", sleep)
    result = newsdesk("--db", str(tmp_path / "x.db"), "--config", str(plain_config(tmp_path)), "run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(line[:8].count(":") == 2 and "0 feeds polled" in line for line in lines)
    assert "pages" not in result.stderr and "articles" not in result.stderr


# 8. Help without the web application or the pipeline.


@pytest.mark.parametrize("args", [["--help"], ["feeds", "--help"], ["stories", "--help"]], ids=" ".join)
def test_help_imports_neither_the_web_app_nor_the_pipeline(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from newsdesk.cli.main import main\n"
        f"sys.argv = ['newsdesk', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('newsdesk.web.app', 'newsdesk.pipeline.collect', 'newsdesk.store', 'sqlalchemy', 'numpy')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


# 9. Settings are checked, and errors name the key and where it was set.


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ('[cluster]\nwindow_days = "three"\n', "window_days = 'three' must be a number"),
        ("[fetch]\nmax_attempts = -5\n", "max_attempts = -5 must be above 0"),
        ("[fetch]\nallow_private = 1\n", "allow_private = 1 must be true or false"),
        ("[web]\nport = 70000\n", "port = 70000 must be between 1 and 65535"),
        ('reader_lang = "xx"\n', "reader_lang: 'xx' is not a language"),
        ("[entities]\nmodels = {de = 3}\n", "models must be a table of strings"),
    ],
)
def test_a_wrong_setting_names_its_key_and_file(tmp_path: Path, toml: str, named: str) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match="must|not a language") as caught:
        load_settings(config)
    assert str(config) in str(caught.value) and named in str(caught.value)
    result = newsdesk("--config", str(config), "--db", str(tmp_path / "x.db"), "stories")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert named in " ".join(result.stderr.split())


def test_good_settings_load(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("extract_workers = 0\n[cluster]\nwindow_days = 2\nthreshold = 0.5\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.cluster.window_days == 2.0 and settings.extract_workers == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [("NEWSDESK_LANG", "xx"), ("NEWSDESK_ALLOW_PRIVATE", "maybe"), ("NEWSDESK_CONFIG", "/nowhere/x.toml")],
)
def test_a_wrong_environment_variable_is_named(tmp_path: Path, variable: str, value: str) -> None:
    result = newsdesk("--db", str(tmp_path / "x.db"), "stories", env={variable: value})
    assert result.exit_code == 2
    assert variable in result.stderr and "Traceback" not in result.output


# 10. Limits and languages are checked; counts are in the right number; a removed feed is named.


def test_a_negative_limit_and_an_unknown_language_are_refused(tmp_path: Path) -> None:
    base = ["--db", str(_articles_store(tmp_path)), "--config", str(plain_config(tmp_path))]
    for command in (
        ["stories", "--limit", "-5"],
        ["search", "x", "--limit", "0"],
        ["entities", "--limit", "-1"],
    ):
        result = newsdesk(*base, *command)
        assert result.exit_code == 2 and "--limit" in result.output
    result = newsdesk(*base, "--lang", "xx", "stories")
    assert result.exit_code == 2 and "'xx' is not a language" in result.stderr
    assert newsdesk(*base, "--lang", "pt-BR", "stories", "--since", "all").exit_code == 0


def test_counts_are_in_the_right_number() -> None:
    assert counted(1, "article") == "1 article"
    assert [counted(n, "story") for n in (0, 1, 2)] == ["0 stories", "1 story", "2 stories"]
    assert counted(1, "new story", "new stories") == "1 new story"


def test_removing_a_feed_names_it(tmp_path: Path) -> None:
    base = ["--db", str(tmp_path / "x.db"), "--config", str(plain_config(tmp_path))]
    newsdesk(*base, "feeds", "add", "--no-check", REFUSED_FEED, "--outlet", "example.org")
    result = newsdesk(*base, "feeds", "remove", "1")
    assert result.exit_code == 0
    assert "#1" in result.stdout and "example.org" in result.stdout and REFUSED_FEED in result.stdout
    assert newsdesk(*base, "feeds", "remove", "1").exit_code == 1


def _opml(count: int) -> str:
    outlines = "".join(
        f'<outline text="f{n}" type="rss" xmlUrl="https://f{n}.example/rss"/>' for n in range(count)
    )
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}</body></opml>'


def test_feeds_import_has_the_web_imports_caps(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    base = ["--db", str(db), "--config", str(plain_config(tmp_path))]
    many = tmp_path / "many.opml"
    many.write_text(_opml(2001), encoding="utf-8")  # web.max_opml_feeds is 2000
    result = newsdesk(*base, "feeds", "import", str(many))
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert f"{many} lists 2001 feeds, more than the 2000" in said and "web.max_opml_feeds" in said
    assert "nothing was imported" in said
    assert "f0.example" not in newsdesk(*base, "feeds", "list").stdout

    capped = tmp_path / "capped.toml"
    capped.write_text("[web]\nmax_body_bytes = 4096\nmax_opml_feeds = 5\n", encoding="utf-8")
    small = ["--db", str(db), "--config", str(capped)]
    large = tmp_path / "large.opml"
    large.write_text(_opml(3) + " " * 4096, encoding="utf-8")
    result = newsdesk(*small, "feeds", "import", str(large))
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert f"{large} is larger than the 4096 bytes" in said and "web.max_body_bytes" in said
    five = tmp_path / "five.opml"
    five.write_text(_opml(5), encoding="utf-8")
    result = newsdesk(*small, "feeds", "import", str(five))
    assert result.exit_code == 0 and "5 feeds, 5 new" in result.stdout
