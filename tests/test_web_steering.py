"""Steering stories from the web: the API's actions, errors and audit trail, log-in beyond
loopback, and the story page's forms (CSRF, hidden without rights)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.cli.main import app as cli_app
from newsdesk.web.security import CSRF_COOKIE
from tests.support import Cli, write_config
from tests.web_support import BASE_URL, TestClient, client, copy_of, make_app, steering_demo_db

PASSWORD = "correct horse battery"
# The demo store: story 2 (articles 2, 5, 9, 24) and story 4 (article 7) report the same strike.
PORT_STRIKE, PORT_STRIKE_DE = 2, 4


@pytest.fixture
def web(tmp_path: Path) -> TestClient:
    """A copy of the demo store served on loopback: no log-in needed."""
    return client(copy_of(steering_demo_db(), tmp_path), lang="en")


@pytest.fixture
def beyond(tmp_path: Path) -> tuple[TestClient, str]:
    """A copy of the demo store served as beyond loopback, with a user ``editor`` and their API token."""
    db = copy_of(steering_demo_db(), tmp_path)
    cli = Cli(db, write_config(tmp_path))
    added = cli.runner.invoke(
        cli_app, [*cli.base, "user", "add", "editor", "--password-stdin"], input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    token = cli("user", "token", "editor", "--name", "tests").stdout.strip()
    web = TestClient(
        make_app(db, lang="en", require_login=True, allowed_hosts=["127.0.0.1"]), base_url=BASE_URL
    )
    return web, token


def _articles(web: TestClient, story_id: int) -> list[int]:
    rows = web.get("/api/v1/articles", params={"story_id": story_id, "limit": 100}).json()["articles"]
    return sorted(a["id"] for a in rows)


def test_merge_split_move_rename_lock_and_undo_through_the_api(web: TestClient) -> None:
    merged = web.post(
        f"/api/v1/stories/{PORT_STRIKE}/merge", json={"stories": [PORT_STRIKE_DE], "note": "same"}
    )
    assert merged.status_code == 200, merged.text
    action = merged.json()
    assert (action["action"], action["who"], action["note"]) == ("merge", "local", "same")
    assert action["stories"] == [PORT_STRIKE, PORT_STRIKE_DE]
    assert _articles(web, PORT_STRIKE) == [2, 5, 7, 9, 24]
    gone = web.get(f"/api/v1/stories/{PORT_STRIKE_DE}", follow_redirects=False)
    assert gone.status_code == 307 and gone.headers["location"].endswith(f"/api/v1/stories/{PORT_STRIKE}")
    followed = web.get(f"/stories/{PORT_STRIKE_DE}", follow_redirects=False)
    assert followed.status_code == 303 and followed.headers["location"] == f"/stories/{PORT_STRIKE}"

    split = web.post(f"/api/v1/stories/{PORT_STRIKE}/split", json={"articles": [7]}).json()
    new_story = split["changes"]["created"][0]["id"]
    assert _articles(web, new_story) == [7]
    moved = web.post(f"/api/v1/stories/{new_story}/move", json={"article": 9}).json()
    assert moved["summary"] == f"moved #9 from #{PORT_STRIKE} to #{new_story}"
    assert _articles(web, new_story) == [7, 9]

    renamed = web.post(
        f"/api/v1/stories/{new_story}/rename", json={"title": "Dockers' strike", "language": "*"}
    )
    assert renamed.status_code == 200
    assert web.get(f"/api/v1/stories/{new_story}").json()["headline"] == "Dockers' strike"
    assert web.post(f"/api/v1/stories/{new_story}/lock").json()["action"] == "lock"
    locked = web.post(f"/api/v1/stories/{new_story}/move", json={"article": 2})
    assert (
        locked.status_code == 409
        and locked.json()["detail"] == f"story #{new_story} is locked: unlock it first"
    )

    for _ in range(4):  # lock, rename, move, split
        assert web.post(f"/api/v1/stories/{new_story}/undo", json={}).status_code == 200
    assert web.get(f"/api/v1/stories/{new_story}").status_code == 404
    assert web.post(f"/api/v1/stories/{PORT_STRIKE}/undo").json()["undoes"] == merged.json()["id"]
    assert _articles(web, PORT_STRIKE) == [2, 5, 9, 24]
    assert _articles(web, PORT_STRIKE_DE) == [7]
    assert web.get(f"/stories/{PORT_STRIKE_DE}").status_code == 200
    assert web.get("/stories/999").status_code == 404
    trail = web.get(f"/api/v1/stories/{PORT_STRIKE}/history").json()
    assert [a["action"] for a in trail] == ["merge", "split", "move", "undo", "undo", "undo"]
    assert all(a["undone_by"] for a in trail if a["action"] != "undo")


@pytest.mark.parametrize(
    ("path", "body", "status", "detail"),
    [
        ("/api/v1/stories/999/lock", None, 404, "no story #999"),
        ("/api/v1/stories/2/merge", {"stories": [999]}, 404, "no story #999"),
        ("/api/v1/stories/2/merge", {"stories": [2]}, 400, "cannot merge story #2 with itself"),
        (
            "/api/v1/stories/1/split",
            {"articles": [2]},
            400,
            "article #2 is not in story #1 (it is in story #2)",
        ),
        ("/api/v1/stories/2/move", {"article": 999999}, 404, "no article #999999"),
        ("/api/v1/stories/2/undo", {}, 409, "nothing to undo in story #2"),
        ("/api/v1/stories/2/undo", {"action": 5}, 400, "no action #5"),
        ("/api/v1/stories/2/rename", {"title": "x", "language": "xx-!"}, 400, "not a language code: 'xx-!'"),
        ("/api/v1/stories/999/history", None, 404, "no story #999"),
    ],
)
def test_bad_actions_are_refused_with_a_reason(
    web: TestClient, path: str, body: dict | None, status: int, detail: str
) -> None:
    response = web.get(path) if path.endswith("history") else web.post(path, json=body)
    assert response.status_code == status
    assert detail in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/api/v1/stories/{2**63}/lock", None),
        (f"/api/v1/stories/{2**31}/history", None),
        ("/api/v1/stories/2/merge", {"stories": [2**63]}),
        ("/api/v1/stories/2/merge", {"stories": []}),
        ("/api/v1/stories/2/split", {"articles": [-1]}),
        ("/api/v1/stories/2/move", {"article": 2**64}),
        ("/api/v1/stories/2/undo", {"action": 2**63}),
        ("/api/v1/stories/2/rename", {"title": ""}),
    ],
)
def test_ids_out_of_range_and_empty_bodies_are_422(web: TestClient, path: str, body: dict | None) -> None:
    method = web.get if path.endswith("history") else web.post
    response = method(path, json=body) if body is not None else method(path)
    assert response.status_code == 422


def test_steering_beyond_loopback_needs_a_user(beyond: tuple[TestClient, str]) -> None:
    web, token = beyond
    body = {"stories": [PORT_STRIKE_DE]}
    refused = web.post(f"/api/v1/stories/{PORT_STRIKE}/merge", json=body)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    bad = web.post(
        f"/api/v1/stories/{PORT_STRIKE}/merge", json=body, headers={"authorization": "Bearer nope"}
    )
    assert bad.status_code == 401
    assert _articles(web, PORT_STRIKE_DE) == [7]
    done = web.post(
        f"/api/v1/stories/{PORT_STRIKE}/merge", json=body, headers={"authorization": f"Bearer {token}"}
    )
    assert done.status_code == 200 and done.json()["who"] == "editor"
    assert web.post(f"/api/v1/stories/{PORT_STRIKE}/undo").status_code == 401
    # Reading the history stays open; the story page shows no forms to a reader without rights.
    assert web.get(f"/api/v1/stories/{PORT_STRIKE}/history").json()[0]["who"] == "editor"
    page = web.get(f"/stories/{PORT_STRIKE}").text
    assert "merge-form" not in page and "split-form" not in page and "undo-form" not in page
    assert f"/login?next=/stories/{PORT_STRIKE}" in page and "merged #4 into #2" in page
    web.get("/login")
    csrf = web.cookies.get(CSRF_COOKIE)
    form = web.post(f"/stories/{PORT_STRIKE}/undo", data={"csrf_token": csrf}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"].startswith("/login?next=")
    login = {"name": "editor", "password": PASSWORD, "csrf_token": csrf}
    assert web.post("/login", data=login, follow_redirects=False).status_code == 303
    assert "undo-form" in web.get(f"/stories/{PORT_STRIKE}").text
    undone = web.post(f"/stories/{PORT_STRIKE}/undo", data={"csrf_token": csrf}, follow_redirects=False)
    assert undone.status_code == 303
    assert _articles(web, PORT_STRIKE_DE) == [7]
    assert web.get(f"/api/v1/stories/{PORT_STRIKE}/history").json()[-1]["who"] == "editor"


def test_the_story_page_forms_need_their_csrf_token(web: TestClient) -> None:
    page = web.get(f"/stories/{PORT_STRIKE}")
    assert 'class="filters merge-form"' in page.text
    csrf = web.cookies.get(CSRF_COOKIE)
    form = {"other": str(PORT_STRIKE_DE)}
    assert web.post(f"/stories/{PORT_STRIKE}/merge", data=form).status_code == 403
    assert (
        web.post(f"/stories/{PORT_STRIKE}/merge", data={**form, "csrf_token": "forged" * 8}).status_code
        == 403
    )
    cross = web.post(
        f"/stories/{PORT_STRIKE}/merge",
        data={**form, "csrf_token": csrf},
        headers={"origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert _articles(web, PORT_STRIKE_DE) == [7]
    done = web.post(
        f"/stories/{PORT_STRIKE}/merge", data={**form, "csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/stories/{PORT_STRIKE}?done=1#steering"
    assert "Done: merged #4 into #2" in web.get(done.headers["location"]).text


def test_a_refused_form_shows_the_reason(web: TestClient) -> None:
    web.get(f"/stories/{PORT_STRIKE}")
    csrf = web.cookies.get(CSRF_COOKIE)
    itself = web.post(f"/stories/{PORT_STRIKE}/merge", data={"other": "2", "csrf_token": csrf})
    assert itself.status_code == 400 and "cannot merge story #2 with itself" in itself.text
    words = web.post(f"/stories/{PORT_STRIKE}/merge", data={"other": "four", "csrf_token": csrf})
    assert words.status_code == 400 and "give numbers" in words.text
    huge = web.post(
        f"/stories/{PORT_STRIKE}/move", data={"article": "2", "target": str(2**63), "csrf_token": csrf}
    )
    assert huge.status_code == 400
    nothing = web.post(f"/stories/{PORT_STRIKE}/split", data={"csrf_token": csrf})
    assert nothing.status_code == 400 and "name at least one article" in nothing.text


def test_the_panel_and_its_history_read_in_the_readers_language(tmp_path: Path) -> None:
    db = copy_of(steering_demo_db(), tmp_path)
    web = client(db, lang="fr")
    web.get(f"/stories/{PORT_STRIKE}")
    csrf = web.cookies.get(CSRF_COOKIE)
    form = {"other": str(PORT_STRIKE_DE), "csrf_token": csrf}
    done = web.post(f"/stories/{PORT_STRIKE}/merge", data=form, follow_redirects=False)
    page = web.get(done.headers["location"]).text
    assert "Piloter ce sujet" in page and "Historique" in page
    assert "Fait\u00a0: #4 fusionné dans #2" in page  # the action's line in French
    words = web.post(f"/stories/{PORT_STRIKE}/merge", data={"other": "four", "csrf_token": csrf})
    assert words.status_code == 400 and "indiquez des numéros" in words.text
    itself = web.post(f"/stories/{PORT_STRIKE}/merge", data={"other": "2", "csrf_token": csrf})
    assert itself.status_code == 400 and "impossible de fusionner le sujet n° 2 avec lui-même" in itself.text
    api = web.post(f"/api/v1/stories/{PORT_STRIKE}/merge", json={"stories": [PORT_STRIKE]})
    assert api.json()["detail"] == "cannot merge story #2 with itself"  # the API stays English
    trail = web.get(f"/api/v1/stories/{PORT_STRIKE}/history").json()
    assert trail[-1]["summary"].startswith("merged #4 into #2")  # the API stays English
    history = Cli(db, write_config(tmp_path), lang="de")("story", "history", str(PORT_STRIKE)).stdout
    assert "wann (UTC)" in history and "(Artikel #7)" in history  # the action line in German
