"""``newsdesk serve``: worker processes; the filters' languages and outlets read again after a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.settings import load_settings
from newsdesk.store import schema
from newsdesk.web import server, views
from tests.support import Cli, write_config
from tests.web_support import BASE_URL, TestClient, copy_of, demo_db, make_app


def _fake_run(seen: dict[str, object]):  # noqa: ANN202
    def run(app, host: str, port: int, workers: int = 1) -> None:  # noqa: ANN001 - stands in for Uvicorn
        seen.update(app=app, host=host, port=port, workers=workers)

    return run


def test_serve_runs_one_process_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr("newsdesk.web.server.run", _fake_run(seen))
    db = copy_of(demo_db(), tmp_path)
    cli = Cli(db, write_config(tmp_path), lang="en")
    cli("serve", "--port", "8125")
    assert seen["workers"] == 1 and load_settings(db=str(db)).web.workers == 1
    result = cli("serve", "--port", "8125", "--workers", "2")
    assert seen["workers"] == 2 and "2 worker processes" in result.output
    assert cli("serve", "--workers", "0", ok=False).exit_code != 0


def test_each_worker_builds_the_application_from_the_served_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(server.SETTINGS_VARIABLE, "")  # restored after the test
    started: dict[str, object] = {}
    monkeypatch.setattr(
        server.uvicorn, "run", lambda target, **options: started.update(options, target=target)
    )
    app = make_app(copy_of(demo_db(), tmp_path), "en", {"require_login": True})
    server.run(app, "127.0.0.1", 8126, workers=2)
    assert started["target"] == "newsdesk.web.server:worker_app"
    assert started["factory"] is True and started["workers"] == 2 and started["port"] == 8126

    worker = server.worker_app()  # what each worker process calls
    assert worker is not app and worker.state.web.settings == app.state.web.settings
    with TestClient(worker, base_url=BASE_URL) as http:
        assert http.get("/").status_code == 200
        assert worker.state.web.require_login
        assert http.post("/api/v1/feeds", json={"url": "https://example.org/feed"}).status_code == 401


def test_filter_choices_are_read_again_only_after_a_change(tmp_path: Path) -> None:
    app = make_app(copy_of(demo_db(), tmp_path), "en")
    choices = app.state.web.choices
    languages, outlets = choices.get()
    assert outlets and "fresh.example" not in outlets
    assert choices.get()[1] is outlets  # nothing changed: not read again
    with app.state.web.store.session() as session:
        session.add(schema.Outlet(domain="fresh.example"))
    assert "fresh.example" in choices.get()[1]
    with TestClient(app, base_url=BASE_URL) as http:
        assert "fresh.example" in http.get("/").text
        assert "fresh.example" in http.get("/search?q=x").text


def test_a_story_is_read_again_only_after_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(copy_of(demo_db(), tmp_path), "en")
    reads: list[int] = []
    real = views.review_page

    def counted(store, settings, story_id, lang):  # noqa: ANN001, ANN202
        reads.append(story_id)
        return real(store, settings, story_id, lang)

    monkeypatch.setattr(views, "review_page", counted)
    with TestClient(app, base_url=BASE_URL) as http:
        story_id = http.get("/api/v1/stories").json()["stories"][0]["id"]
        first = http.get(f"/stories/{story_id}").text
        assert http.get(f"/stories/{story_id}").text == first
        assert http.get(f"/api/v1/stories/{story_id}").status_code == 200
        assert reads == [story_id]  # the page and the API answered from one read
        assert http.get(f"/stories/{story_id}?lang=fr").status_code == 200
        assert reads == [story_id, story_id]  # another reader language is another result
        with app.state.web.store.session() as session:
            for headline in session.query(schema.StoryHeadline).filter_by(story_id=story_id):
                headline.title = "Changed headline for the test"
        assert "Changed headline for the test" in http.get(f"/stories/{story_id}").text
        assert len(reads) == 3
        assert http.get("/stories/999999").status_code == 404
