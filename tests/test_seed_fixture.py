"""Acceptance: the seed fixture site collected with a French reader's settings."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.present.dates import short_date
from tests.support import require_shared, seed_collected

NNBSP = "\u202f"


def _blocks(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    with seed_collected(tmp_path_factory.mktemp("seed")) as cli:
        stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
        yield cli, stories


def _story_of(stories: list[dict], outlet: str) -> dict:
    return next(s for s in stories if any(a["outlet"] == outlet for a in s["articles"]))


def test_one_story_for_the_kremlin_talks_and_one_for_the_derby(seeded) -> None:
    _, stories = seeded
    assert sum(len(s["articles"]) for s in stories) == 4
    kremlin = _story_of(stories, "infobrics.org")
    assert sorted(a["outlet"] for a in kremlin["articles"]) == [
        "infobrics.org",
        "presse-exemple.fr",
        "wire-example.com",
    ]
    assert kremlin["headline"] == "Poutine rencontre Witkoff et Kushner au Kremlin"
    derby = next(s for s in stories if s is not kremlin)
    assert [a["title"] for a in derby["articles"]] == ["Late penalty settles the city derby"]


def test_infobrics_clipping_matches_the_example(seeded) -> None:
    cli, stories = seeded
    infobrics = next(
        a for a in _story_of(stories, "infobrics.org")["articles"] if a["outlet"] == "infobrics.org"
    )
    text = cli("clip", str(infobrics["id"])).stdout
    example = require_shared("seed", "clipping-example.txt").read_text("utf-8")

    lines = text.split("\n\n")
    today = short_date(datetime.now().astimezone(), "fr")
    assert lines[0] == f"{today} infobrics.org {NNBSP}6min 🇬🇧 #{infobrics['id']}"
    assert lines[1] == f"{NNBSP}Poutine rencontre Witkoff et Kushner au Kremlin"
    got, want = _blocks(text), _blocks(example)
    assert len(got) == len(want) == 16
    assert got[2:4] == want[2:4]  # title, lede
    assert got[4] == "Thursday, December 4, 2025"
    assert got[5].startswith("Drago Bosnic") and got[5] == want[5]
    assert got[6:15] == want[6:15]  # the nine body paragraphs
    assert got[15] == "infobrics.org" == want[15]
    for boilerplate in ("cookies", "Share:", "Related articles", "All rights reserved", "Politics"):
        assert boilerplate not in text


def test_clipping_json_and_markdown_carry_the_same_fields(seeded) -> None:
    cli, stories = seeded
    article = _story_of(stories, "presse-exemple.fr")["articles"][0]
    data = json.loads(cli("clip", str(article["id"]), "--format", "json").stdout)
    assert data["article_id"] == article["id"]
    assert data["headline"] == "Poutine rencontre Witkoff et Kushner au Kremlin"
    assert data["flag"] in ("🇫🇷", "🇬🇧")
    markdown = cli("clip", str(article["id"]), "--format", "md").stdout
    assert data["title"].split()[0] in markdown


def test_press_review_lists_outlets_in_order_of_publication(seeded) -> None:
    cli, stories = seeded
    story = _story_of(stories, "infobrics.org")
    review = json.loads(cli("review", str(story["id"]), "--format", "json").stdout)
    assert review["headline"] == "Poutine rencontre Witkoff et Kushner au Kremlin"
    published = [e["published"] for e in review["entries"]]
    assert published == sorted(published)
    assert review["first_reported_by"] == review["entries"][0]["outlet"]
    assert len(review["clippings"]) == 3
    html = cli("review", str(story["id"]), "--format", "html").stdout
    assert "<h1>Poutine rencontre Witkoff et Kushner au Kremlin</h1>" in html


def test_search_and_export(seeded) -> None:
    cli, _ = seeded
    hits = json.loads(cli("search", "Ushakov", "--json").stdout)
    assert hits and all("Ushakov" in (h["snippet"] + (h["title"] or "")) or h["snippet"] for h in hits)
    assert any("[Ushakov]" in h["snippet"] for h in hits)
    rows = [json.loads(line) for line in cli("export", "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 4
    required = {
        "id",
        "url",
        "canonical_url",
        "outlet",
        "title",
        "lede",
        "byline",
        "published",
        "collected",
        "language",
        "reading_time",
        "text",
        "story_id",
    }
    assert all(required <= row.keys() for row in rows)


def test_fetching_again_stores_nothing_twice(seeded) -> None:
    cli, _ = seeded
    result = cli("fetch", "--all")
    assert "0 articles stored" in result.stdout
    assert len(cli("export").stdout.splitlines()) == 4


def test_feeds_list_shows_status(seeded) -> None:
    cli, _ = seeded
    feeds = json.loads(cli("feeds", "list", "--json").stdout)
    assert {f["outlet"] for f in feeds} == {"infobrics.org", "presse-exemple.fr", "wire-example.com"}
    assert all(f["status"].startswith(("ok", "not modified")) and f["last_fetch"] for f in feeds)


def test_feeds_export_round_trips(seeded, tmp_path: Path) -> None:
    cli, _ = seeded
    opml = cli("feeds", "export").stdout
    assert opml.count("xmlUrl=") == 3
