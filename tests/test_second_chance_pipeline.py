"""The pipeline makes the clusterer's second chances in the store: an article that started a
story of its own moves to the story it reaches later, in the same batch or a later one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.pipeline import process
from newsdesk.pipeline.imports import import_paths
from newsdesk.settings import Settings
from newsdesk.store import Store, schema
from newsdesk.stories.clustering import DEFAULT_TUNING, OnlineClusterer
from newsdesk.stories.second_chance import Waiting

TEXTS = {
    "https://harbour.example/dredging": (
        "Portsea will dredge its harbour channel",
        "The harbour board of Portsea voted on Tuesday to dredge the eastern channel before the "
        "autumn storms, after pilots warned that the larger ferries could no longer turn at low tide.",
    ),
    "https://rail.example/tram": (
        "Tram line to reach the northern suburbs",
        "The city council voted to extend the tram line to the northern suburbs by 2029. Councillors "
        "approved the budget for new rails, depots and twelve low-floor trams after a long debate.",
    ),
}


class SecondLook(OnlineClusterer):
    """The production clusterer, waiting one article, whose second look takes any story: the
    articles above (about different things) meet on it."""

    def __init__(self, window_days=3.0, threshold=None, tuning=None, features=None, **options) -> None:  # noqa: ANN001, ANN003
        tuning = tuning or replace(DEFAULT_TUNING, second_chance_after=1)
        super().__init__(window_days, threshold, tuning, features, **options)

    def _second_chance(self, entry: Waiting):  # noqa: ANN202
        kept = self.tuning, self.threshold
        self.tuning = replace(
            self.tuning, semantic_floor=-1.0, plain_threshold=-10.0, lexical_threshold=-10.0
        )
        self.threshold = -10.0
        try:
            return super()._second_chance(entry)
        finally:
            self.tuning, self.threshold = kept


def _write(path: Path, urls: list[str]) -> Path:
    lines = [json.dumps({"url": url, "title": TEXTS[url][0], "text": TEXTS[url][1]}) for url in urls]
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


@pytest.mark.parametrize("batches", ["one batch", "two imports"])
def test_an_article_that_started_its_own_story_moves_to_the_one_it_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batches: str
) -> None:
    monkeypatch.setattr(process, "OnlineClusterer", SecondLook)
    settings = replace(Settings(db=str(tmp_path / "store.db")), extract_workers=0)
    store = Store(settings.db_url)
    first, second = TEXTS
    if batches == "one batch":
        stats = [import_paths(store, settings, [_write(tmp_path / "a.jsonl", [first, second])]).processed]
    else:
        stats = [
            import_paths(store, settings, [_write(tmp_path / "a.jsonl", [first])]).processed,
            import_paths(store, settings, [_write(tmp_path / "b.jsonl", [second])]).processed,
        ]
    assert sum(s.stored for s in stats) == 2 and sum(s.moved for s in stats) == 1
    # Stories a batch started and kept: the first import's story was kept until the second.
    assert [s.new_stories for s in stats] == ([1] if batches == "one batch" else [1, 1])
    with store.session() as session:
        stories = list(session.scalars(select(schema.Story)))
        members = session.execute(
            select(
                schema.Article.url,
                schema.Membership.story_id,
                schema.Membership.evidence,
                schema.Membership.pinned,
            )
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
            .order_by(schema.Article.id)
        ).all()
        actions = list(session.scalars(select(schema.StoryAction)))
        headlines = list(session.scalars(select(schema.StoryHeadline)))
    # One story, the second one: the first article's own story is gone.
    assert len(stories) == 1 and stories[0].id == 2
    assert stories[0].article_count == 2 and stories[0].outlet_count == 2
    assert [(url, story) for url, story, _, _ in members] == [(first, 2), (second, 2)]
    evidence = [json.loads(row) for _, _, row, _ in members]
    assert evidence[0]["path"] == "second-chance" and "margin" in evidence[0]
    assert evidence[1]["path"] == "new"
    assert not any(pinned for _, _, _, pinned in members)
    assert actions == []  # the clusterer's placement, not an analyst's action
    assert {h.story_id for h in headlines} == {2}
    # The state the store keeps has one live story, which holds both.
    clusterer = process.load_clusterer(store, settings)
    assert clusterer.live_stories == 1 and clusterer._stories.ids == [2]
    assert int(clusterer._stories.members[0]) == 2
    with store.session() as session:
        assert [(m.story_id, m.target_id) for m in session.scalars(select(schema.StoryMoved))] == [(1, 2)]
    store.close()
    # Links to the removed story lead to the one its article went to, in the pages and the API.
    from tests.web_support import client

    with client(tmp_path / "store.db") as browser:
        page = browser.get("/stories/1", follow_redirects=False)
        api = browser.get("/api/v1/stories/1?lang=en", follow_redirects=False)
        gone = browser.get("/stories/3", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/stories/2"
    assert api.status_code == 307 and api.headers["location"].endswith("/api/v1/stories/2?lang=en")
    assert gone.status_code == 404


def test_an_article_in_a_story_the_analyst_touched_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.pipeline import steering

    monkeypatch.setattr(process, "OnlineClusterer", SecondLook)
    settings = replace(Settings(db=str(tmp_path / "store.db")), extract_workers=0)
    store = Store(settings.db_url)
    first, second = TEXTS
    import_paths(store, settings, [_write(tmp_path / "a.jsonl", [first])])
    steering.rename(store, settings, 1, "The Portsea dredging", "en", who="desk")
    stats = import_paths(store, settings, [_write(tmp_path / "b.jsonl", [second])]).processed
    assert stats.moved == 0
    with store.session() as session:
        placed = dict(session.execute(select(schema.Membership.article_id, schema.Membership.story_id)).all())
    assert sorted(placed.values()) == [1, 2]
    store.close()


def test_the_import_summary_says_how_many_articles_moved() -> None:
    from newsdesk.cli.collect import _new_stories

    assert _new_stories(process.ProcessStats(new_stories=2)) == "2 new stories"
    moved = process.ProcessStats(new_stories=2, moved=1)
    assert _new_stories(moved) == "2 new stories (1 article moved to a story met later)"
