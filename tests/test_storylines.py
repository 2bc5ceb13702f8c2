"""Storylines: a later story on the same subject continues a story that went quiet."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsdesk.settings import StorylineSettings
from newsdesk.stories.storylines import StoryProfile, best_continuation, continues
from tests.support import Cli, write_config
from tests.web_support import BASE_URL, TestClient, make_app

RULES = StorylineSettings()
DAY = timedelta(days=1)
T0 = datetime(2025, 12, 2, 9, tzinfo=UTC)


def _direction(*weights: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(weights)] = weights
    return vector / np.linalg.norm(vector)


def _profile(story_id: int, start: datetime, entities: dict[int, int], centroid: np.ndarray) -> StoryProfile:
    return StoryProfile(story_id, start, start + DAY, 4, entities, centroid)


TALKS = _profile(1, T0, {10: 4, 11: 3, 12: 3, 13: 1}, _direction(1, 0.2))


def test_a_later_story_with_the_same_cast_and_subject_continues_an_earlier_one() -> None:
    follow_up = _profile(2, T0 + 40 * DAY, {10: 2, 11: 2, 12: 1, 20: 1}, _direction(1, 0.4))
    match = continues(follow_up, TALKS, RULES)
    assert match is not None and match.shared == 3 and match.cosine > 0.9


@pytest.mark.parametrize(
    ("why", "later"),
    [
        ("other names", _profile(2, T0 + 10 * DAY, {30: 3, 31: 2, 32: 2}, _direction(1, 0.2))),
        ("one name only", _profile(2, T0 + 10 * DAY, {10: 3, 31: 2, 32: 2}, _direction(1, 0.2))),
        ("another subject", _profile(2, T0 + 10 * DAY, {10: 3, 11: 2, 12: 2}, _direction(0, 0, 1))),
        ("still running", _profile(2, T0 + DAY / 2, {10: 3, 11: 2, 12: 2}, _direction(1, 0.2))),
        ("too long after", _profile(2, T0 + 90 * DAY, {10: 3, 11: 2, 12: 2}, _direction(1, 0.2))),
    ],
)
def test_what_does_not_continue_a_story(why: str, later: StoryProfile) -> None:
    assert continues(later, TALKS, RULES) is None, why


def test_the_closest_earlier_story_is_chosen() -> None:
    other = _profile(3, T0 + 5 * DAY, {10: 4, 11: 3, 40: 3, 41: 3}, _direction(1, 0.2))
    follow_up = _profile(2, T0 + 20 * DAY, {10: 2, 11: 2, 12: 2}, _direction(1, 0.2))
    match = best_continuation(follow_up, [other, TALKS], RULES)
    assert match is not None and match.earlier.story_id == TALKS.story_id


TALKS_TEXT = (
    "Russian President Vladimir Putin met U.S. envoy Steve Witkoff and Jared Kushner at the Kremlin in "
    "Moscow for five hours of talks on a plan to end the war in Ukraine, Kremlin aide Yuri Ushakov said."
)
FOLLOW_UP_TEXT = (
    "Steve Witkoff and Jared Kushner returned to Moscow for a new round of talks with Vladimir Putin on "
    "the plan to end the war in Ukraine, Yuri Ushakov told reporters at the Kremlin."
)
DERBY_TEXT = (
    "Atlético Valmarín beat VfB Kellheim 2-1 with a late penalty by Lionel Ferreira at the Estadio "
    "Mirador, and coach Ana Beltrán praised her defence."
)


def _record(url: str, title: str, text: str, when: datetime, outlet: str) -> dict[str, str]:
    return {
        "url": url,
        "title": title,
        "text": text,
        "published": when.isoformat(),
        "language": "en",
        "outlet": outlet,
    }


@pytest.fixture(scope="module")
def storyline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("storylines")
    january = T0 + 48 * DAY
    records = [
        _record(
            "https://wire.example/talks", "Putin meets Witkoff and Kushner", TALKS_TEXT, T0, "wire.example"
        ),
        _record(
            "https://daily.example/talks",
            "Kremlin talks on Ukraine plan",
            TALKS_TEXT,
            T0 + DAY / 3,
            "daily.example",
        ),
        _record(
            "https://wire.example/round-two",
            "Witkoff and Kushner back in Moscow for Putin talks",
            FOLLOW_UP_TEXT,
            january,
            "wire.example",
        ),
        _record(
            "https://daily.example/round-two",
            "New round of Kremlin talks on Ukraine",
            FOLLOW_UP_TEXT,
            january + DAY / 4,
            "daily.example",
        ),
        _record(
            "https://wire.example/derby",
            "Late penalty settles the derby",
            DERBY_TEXT,
            january,
            "wire.example",
        ),
        _record(
            "https://daily.example/derby",
            "Valmarín beat Kellheim",
            DERBY_TEXT,
            january + DAY / 5,
            "daily.example",
        ),
    ]
    data = folder / "records.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    cli = Cli(folder / "store.db", write_config(folder), lang="en")
    cli("import", str(data))
    return folder / "store.db"


def _review(db: Path, story: str) -> dict:
    cli = Cli(db, write_config(db.parent), lang="en")
    stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
    story_id = next(s["id"] for s in stories if any(story in a["url"] for a in s["articles"]))
    return json.loads(cli("review", str(story_id), "--format", "json").stdout)


def test_the_follow_up_joins_the_storyline_of_the_first_round(storyline_db: Path) -> None:
    first, follow_up = _review(storyline_db, "/talks"), _review(storyline_db, "/round-two")
    assert first["story_id"] != follow_up["story_id"]  # weeks apart: two stories
    line = [(item["story_id"], item["current"]) for item in follow_up["storyline"]]
    assert line == [(first["story_id"], False), (follow_up["story_id"], True)]
    assert [item["story_id"] for item in first["storyline"]] == [first["story_id"], follow_up["story_id"]]


def test_an_unrelated_story_is_in_no_storyline(storyline_db: Path) -> None:
    assert _review(storyline_db, "/derby")["storyline"] == []


def test_the_storyline_is_on_the_story_page_and_in_the_api(storyline_db: Path) -> None:
    follow_up = _review(storyline_db, "/round-two")["story_id"]
    with TestClient(make_app(storyline_db, "en"), base_url=BASE_URL) as http:
        html = http.get(f"/stories/{follow_up}").text
        assert '<section class="storyline"' in html and 'aria-current="true"' in html
        data = http.get(f"/api/v1/stories/{follow_up}").json()
    assert [item["current"] for item in data["storyline"]] == [False, True]
    assert data["storyline"][0]["headline"]
