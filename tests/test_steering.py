"""The analyst has the last word: merged, split, moved and locked stories stay so while new
articles arrive through the pipeline and across restarts; undo is exact; the audit trail lists
every action.

Each test works on a copy of the demo store (its stories are listed in ``DEMO``). New articles
come through ``newsdesk import`` (the real pipeline: extraction skipped, enrichment, clustering,
storing); each command loads the clustering state from the store, as after a restart.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.pipeline import steering
from newsdesk.settings import load_settings
from newsdesk.store import Store, queries, schema
from tests.support import Cli, write_config
from tests.web_support import MONOLINGUAL, copy_of, steering_demo_db

# The demo store's stories (id: articles) that the tests steer.
PORT_STRIKE, PORT_STRIKE_DE = 2, 4  # 2: articles 2, 5, 9, 24 (en, en, es, fr); 4: article 7 (de)
FLOODS = 1  # articles 1, 4, 6, 8; article 8 (es) reports the pensioner found alive
CUP = 9  # articles 16, 18, 20, 23
LIBRARY, SEALS = 3, 6  # one article each: 3 and 13


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_of(steering_demo_db(), tmp_path)


@pytest.fixture
def cli(demo: Path) -> Cli:
    return Cli(demo, write_config(demo.parent, MONOLINGUAL), lang="en")


def _store(db: Path) -> Store:
    return Store(f"sqlite:///{db}")


def _members(db: Path) -> dict[int, list[int]]:
    """Every story's articles."""
    store = _store(db)
    with store.session() as session:
        rows = session.execute(select(schema.Membership.story_id, schema.Membership.article_id))
        found: dict[int, list[int]] = {}
        for story_id, article_id in rows:
            found.setdefault(story_id, []).append(article_id)
    store.close()
    return {story: sorted(articles) for story, articles in found.items()}


def _stories(db: Path) -> dict[int, tuple]:
    """Every story as the pages show it: counts, times, lock and headlines."""
    store = _store(db)
    with store.session() as session:
        stories = {
            s.id: (s.article_count, s.outlet_count, s.first_seen, s.last_seen, s.locked)
            for s in session.scalars(select(schema.Story))
        }
        titles = queries.headlines(session, sorted(stories))
    store.close()
    return {story_id: (*row, titles.get(story_id, {})) for story_id, row in stories.items()}


def _story_of(db: Path, url: str) -> int | None:
    store = _store(db)
    with store.session() as session:
        found = session.scalar(
            select(schema.Membership.story_id)
            .join(schema.Article, schema.Article.id == schema.Membership.article_id)
            .where(schema.Article.url == url)
        )
    store.close()
    return found


def _near_copy(db: Path, article_id: int, tag: str) -> dict:
    """A new article telling what a stored one tells, in nearly its words (another URL and hash)."""
    store = _store(db)
    with store.session() as session:
        article = queries.article(session, article_id)
    store.close()
    assert article is not None
    return {
        "url": f"https://{article.outlet}/{tag}-{article_id}",
        "title": f"{article.title} (update)",
        "lede": article.lede,
        "text": article.text + "\n\nThis report was updated with the latest details.",
        "language": article.language,
        "outlet": article.outlet,
        "published": (article.when + timedelta(hours=1)).isoformat(),
    }


def _arrive(cli: Cli, folder: Path, *records: dict) -> None:
    """New articles through the pipeline (``newsdesk import``)."""
    path = folder / f"arrivals-{records[0]['url'].rsplit('/', 1)[-1]}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    cli("import", str(path))


def test_a_merged_story_stays_one_through_new_articles_and_a_restart(demo: Path, cli: Cli) -> None:
    cli("story", "merge", str(PORT_STRIKE), str(PORT_STRIKE_DE), "--note", "the same strike")
    members = _members(demo)
    assert members[PORT_STRIKE] == [2, 5, 7, 9, 24]
    assert PORT_STRIKE_DE not in members
    # A batch takes the merge into the clustering state; the next command loads it from the store.
    _arrive(cli, demo.parent, _near_copy(demo, 3, "library"))
    copy = _near_copy(demo, 7, "strike")
    _arrive(cli, demo.parent, copy)
    # The German report's follow-up would have joined story 4: it joins the merged story.
    assert _story_of(demo, copy["url"]) == PORT_STRIKE
    assert PORT_STRIKE_DE not in _stories(demo)
    assert _members(demo)[PORT_STRIKE] == [2, 5, 7, 9, 24, max(_members(demo)[PORT_STRIKE])]


def test_an_article_split_out_stays_out_and_its_follow_up_joins_it(demo: Path, cli: Cli) -> None:
    result = cli("story", "split", str(FLOODS), "8", "--as", "alice")
    new_story = max(_members(demo))
    assert f"into #{new_story}" in result.output
    assert _members(demo)[FLOODS] == [1, 4, 6]
    assert _members(demo)[new_story] == [8]
    _arrive(cli, demo.parent, _near_copy(demo, 3, "library"))
    copy = _near_copy(demo, 8, "found")
    _arrive(cli, demo.parent, copy)
    assert _story_of(demo, copy["url"]) == new_story
    members = _members(demo)
    assert members[FLOODS] == [1, 4, 6]
    assert 8 in members[new_story]


def test_a_moved_article_stays_and_an_emptied_story_is_removed(demo: Path, cli: Cli) -> None:
    cli("story", "move", "13", str(LIBRARY))
    assert SEALS not in _stories(demo)
    assert _members(demo)[LIBRARY] == [3, 13]
    copy = _near_copy(demo, 13, "seals")
    _arrive(cli, demo.parent, copy)
    assert _story_of(demo, copy["url"]) == LIBRARY
    assert SEALS not in _stories(demo)


def test_a_locked_story_takes_no_new_article_until_unlocked(demo: Path, cli: Cli) -> None:
    cli("story", "lock", str(CUP))
    before = _stories(demo)[CUP]
    first = _near_copy(demo, 20, "cup")
    _arrive(cli, demo.parent, first)
    assert _story_of(demo, first["url"]) not in (None, CUP)
    assert _stories(demo)[CUP] == before
    assert _members(demo)[CUP] == [16, 18, 20, 23]
    cli("story", "unlock", str(CUP))
    second = _near_copy(demo, 23, "cup-again")
    _arrive(cli, demo.parent, second)
    assert _story_of(demo, second["url"]) == CUP


def test_a_named_headline_is_kept_when_new_articles_arrive(demo: Path, cli: Cli) -> None:
    cli("story", "rename", str(PORT_STRIKE), "Saltmere dockers strike", "--language", "en")
    copy = _near_copy(demo, 5, "ships")
    _arrive(cli, demo.parent, copy)
    assert _story_of(demo, copy["url"]) == PORT_STRIKE
    assert _stories(demo)[PORT_STRIKE][-1]["en"] == "Saltmere dockers strike"


def test_undo_puts_every_story_back_exactly(demo: Path, cli: Cli) -> None:
    stories, members = _stories(demo), _members(demo)
    cli("story", "merge", str(PORT_STRIKE), str(PORT_STRIKE_DE))
    cli("story", "split", str(FLOODS), "8")
    cli("story", "move", "13", str(LIBRARY))
    cli("story", "rename", str(CUP), "Cup final", "-l", "*")
    cli("story", "lock", str(CUP))
    for _ in range(5):
        cli("story", "undo")
    assert _members(demo) == members
    assert _stories(demo) == stories
    assert "nothing to undo" in cli("story", "undo", ok=False).output
    # Clustering takes the undone merge up too: the German report's follow-up joins story 4 again.
    copy = _near_copy(demo, 7, "strike")
    _arrive(cli, demo.parent, copy)
    assert _story_of(demo, copy["url"]) == PORT_STRIKE_DE


def test_an_earlier_action_is_undone_by_number_once_later_ones_on_its_stories_are(
    demo: Path, cli: Cli
) -> None:
    members = _members(demo)
    cli("story", "merge", str(PORT_STRIKE), str(PORT_STRIKE_DE))  # 1
    cli("story", "lock", str(CUP))  # 2
    cli("story", "rename", str(PORT_STRIKE), "Strike")  # 3
    refused = cli("story", "undo", "--action", "1", ok=False)
    assert refused.exit_code == 1
    assert "action #3 changed the same stories after #1: undo it first" in refused.output
    cli("story", "undo", "--action", "3")
    cli("story", "undo", "--action", "1")
    assert _stories(demo)[CUP][4] is True  # the lock stays
    del members[CUP]
    assert {k: v for k, v in _members(demo).items() if k != CUP} == members
    again = cli("story", "undo", "--action", "1", ok=False)
    assert "action #1 was undone already (by #5)" in again.output


def test_the_audit_trail_lists_every_action(demo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the table's lines whole
    cli("story", "merge", str(PORT_STRIKE), str(PORT_STRIKE_DE), "--as", "alice", "--note", "[b]same[/b]")
    cli("story", "split", str(FLOODS), "8", "--as", "bob")
    cli("story", "rename", str(PORT_STRIKE), "Strike", "--as", "alice")
    cli("story", "undo", str(PORT_STRIKE), "--as", "carol", "--note", "too short")
    trail = json.loads(cli("story", "history", "--json").output)
    assert [(a["id"], a["who"], a["action"]) for a in trail] == [
        (1, "alice", "merge"),
        (2, "bob", "split"),
        (3, "alice", "rename"),
        (4, "carol", "undo"),
    ]
    assert trail[0]["note"] == "[b]same[/b]"
    assert trail[0]["stories"] == [PORT_STRIKE, PORT_STRIKE_DE]
    assert trail[2]["undone_by"] == 4 and trail[3]["undoes"] == 3
    story, language, before, after = trail[2]["changes"]["headlines"][0]
    assert (story, language, after) == (PORT_STRIKE, "en", ["Strike", before[1], True])
    # A story's trail, the merged-away story's too; printed as text, never as markup.
    absorbed = json.loads(cli("story", "history", str(PORT_STRIKE_DE), "--json").output)
    assert [a["id"] for a in absorbed] == [1]
    table = cli("story", "history", str(PORT_STRIKE)).output
    assert "[b]same[/b]" in table and "merged #4 into #2" in table and "undid #3" in table
    assert "bob" not in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge", "2", "999"), "no story #999"),
        (("merge", "2", "2"), "cannot merge story #2 with itself"),
        (("split", "1", "2"), "article #2 is not in story #1 (it is in story #2)"),
        (("split", "1", "1", "4", "6", "8"), "a split must leave story #1 at least one article"),
        (("split", "1", "99999"), "no article #99999"),
        (("move", "2", "2"), "article #2 is in story #2 already"),
        (("move", "99999", "2"), "no article #99999"),
        (("rename", "2", "  "), "the headline is empty"),
        (("rename", "2", "Title", "-l", "english!"), "not a language code: 'english!'"),
        (("unlock", "2"), "story #2 is not locked already"),
        (("undo",), "nothing to undo"),
        (("undo", "--action", "7"), "no action #7"),
        (("history", "999"), "no story #999"),
        (("lock", "2", "--note", "x" * 2001), "the note is longer than 2000 characters"),
        (("lock", "2", "--as", "x" * 129), "who acts must be named in 1 to 128 characters"),
    ],
)
def test_bad_input_is_refused_with_a_reason(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli("story", *args, ok=False)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_locked_story_refuses_changes_to_its_articles(demo: Path, cli: Cli) -> None:
    cli("story", "lock", str(CUP))
    cup, seals = str(CUP), str(SEALS)
    for args in (("merge", cup, seals), ("merge", seals, cup), ("move", "16", seals), ("split", cup, "16")):
        result = cli("story", *args, ok=False)
        assert "story #9 is locked: unlock it first" in result.output
    assert len(json.loads(cli("story", "history", "--json").output)) == 1


@pytest.mark.parametrize("number", [str(2**31), str(2**63), "-1"])
def test_ids_out_of_range_are_usage_errors(cli: Cli, number: str) -> None:
    result = cli("story", "lock", number, ok=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_copies_follow_an_article_that_is_moved(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one place copies are looked up (``copies_of``) decides which articles follow."""
    from newsdesk.store import steering as steering_store

    monkeypatch.setattr(steering_store, "copies_of", lambda session, ids: {9} if 5 in set(ids) else set())
    settings = load_settings(config=write_config(demo.parent, MONOLINGUAL), db=str(demo))
    store = _store(demo)
    record = steering.split(store, settings, PORT_STRIKE, [5], "tester")
    store.close()
    new_story = record.changes.created[0]["id"]
    assert _members(demo)[new_story] == [5, 9]
    assert _members(demo)[PORT_STRIKE] == [2, 24]


def test_a_running_writer_takes_up_an_action_made_meanwhile(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``newsdesk run`` keeps its clustering state in memory between rounds: an action made from
    the web meanwhile is taken up before its next batch is clustered."""
    from newsdesk.pipeline import process
    from newsdesk.pipeline.imports import import_paths

    settings = load_settings(config=write_config(demo.parent, MONOLINGUAL), db=str(demo))
    store = _store(demo)
    running = process.load_clusterer(store, settings)
    steering.merge(store, settings, PORT_STRIKE, [PORT_STRIKE_DE], "local")
    monkeypatch.setattr(process, "load_clusterer", lambda *_: running)
    copy = _near_copy(demo, 7, "strike")
    path = demo.parent / "arrivals.jsonl"
    path.write_text(json.dumps(copy) + "\n", "utf-8")
    import_paths(store, settings, [path])
    store.close()
    assert _story_of(demo, copy["url"]) == PORT_STRIKE
    assert PORT_STRIKE_DE not in _stories(demo)
    assert running.edits_applied == 1
