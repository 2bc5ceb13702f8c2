"""Acceptance: the demo site collected into stories as its gold grouping (``stories.json``) says."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from newsdesk.cli.demo import demo_site
from tests.support import Cli, write_config
from tests.web_support import demo_db


def _collected() -> list[set[str]]:
    db = demo_db()
    cli = Cli(db, write_config(db.parent), lang="en")
    stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
    return [{urlsplit(a["url"]).path.lstrip("/") for a in story["articles"]} for story in stories]


def test_each_event_is_one_story_in_every_language() -> None:
    gold = json.loads((demo_site() / "stories.json").read_text("utf-8"))
    found = _collected()
    port = next(s for s in gold["stories"] if s["name"] == "Saltmere port strike")
    # The German report of the port strike (an angle of its own: the suppliers waiting for parts)
    # joins the English, Spanish and French ones.
    assert set(port["articles"]) in found, found
    assert sorted(map(sorted, found)) == sorted(
        [sorted(s["articles"]) for s in gold["stories"]] + [[path] for path in gold["singletons"]]
    )
