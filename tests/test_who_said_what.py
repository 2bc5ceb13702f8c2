"""Who said what on the seed fixture: entities and quotes per article and per story, stored,
linked across languages, shown in the press review, the clipping and the export."""

from __future__ import annotations

import json

import pytest

from tests.support import Cli, seed_collected

USHAKOV_FORMS = {"Iouri Ouchakov", "Yury Ushakov", "Yuri Ushakov"}
QUOTE_KEYS = {
    "speaker",
    "speaker_entity_id",
    "article_id",
    "outlet",
    "language",
    "text",
    "cue",
    "start",
    "end",
    "direct",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    with seed_collected(tmp_path_factory.mktemp("who-said-what")) as cli:
        stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
        kremlin = next((s for s in stories if len(s["articles"]) == 3), None)
        assert kremlin, f"the three Kremlin-talks articles should be one story: {stories}"
        yield cli, kremlin


def _json(cli: Cli, *args: str):
    return json.loads(cli(*args, "--json").stdout)


def test_ushakov_is_one_speaker_in_three_languages_and_spellings(seeded) -> None:
    cli, story = seeded
    quotes = _json(cli, "quotes", "--story", str(story["id"]))
    assert quotes and all(q.keys() == QUOTE_KEYS for q in quotes)
    ushakov = [q for q in quotes if q["speaker"] and "Ushakov" in q["speaker"]]
    assert {q["outlet"] for q in ushakov} == {"infobrics.org", "presse-exemple.fr", "wire-example.com"}
    assert len({q["speaker_entity_id"] for q in ushakov}) == 1
    assert ushakov[0]["speaker_entity_id"] is not None
    entities = {e["id"]: e for e in _json(cli, "entities", "--story", str(story["id"]))}
    assert set(entities[ushakov[0]["speaker_entity_id"]]["aliases"]) >= USHAKOV_FORMS
    # offsets are into the article's stored text (paragraphs joined by "\n")
    articles = {
        row["id"]: row for row in map(json.loads, cli("export", "--format", "jsonl").stdout.splitlines())
    }
    for q in quotes:
        assert articles[q["article_id"]]["text"][q["start"] : q["end"]] == q["text"]
    # the same speaker under any spelling, across stories
    for form in ("Iouri Ouchakov", "Ushakov", "Juri Uschakow"):
        found = _json(cli, "quotes", "--speaker", form)
        assert {q["speaker_entity_id"] for q in found} == {ushakov[0]["speaker_entity_id"]}, form
        assert len(found) == len(ushakov)


def test_trumps_mess_quote_under_every_outlet(seeded) -> None:
    cli, story = seeded
    review = json.loads(cli("review", str(story["id"]), "--format", "json").stdout)
    trump = next(row for row in review["who_said_what"] if row["speaker"] == "Donald Trump")
    assert set(trump["outlets"]) == {"infobrics.org", "presse-exemple.fr", "wire-example.com"}
    texts = {outlet: cells[0]["text"] for outlet, cells in trump["outlets"].items()}
    assert "mess" in texts["wire-example.com"] and "mess" in texts["infobrics.org"]
    assert "pagaille" in texts["presse-exemple.fr"]  # in the outlet's own language
    assert trump["outlets"]["presse-exemple.fr"][0]["language"] == "fr"


def test_people_and_the_kremlin_are_single_entities_across_articles(seeded) -> None:
    cli, story = seeded
    entities = _json(cli, "entities", "--story", str(story["id"]))
    assert entities and {"name", "type", "aliases", "outlets", "fallback", "mentions"} <= entities[0].keys()
    for name in ("Vladimir Putin", "Steve Witkoff", "Jared Kushner", "the Kremlin", "Yuri Ushakov"):
        matching = [e for e in entities if name.split()[-1] in e["name"] or name in e["aliases"]]
        assert len(matching) == 1, (name, matching)
        assert matching[0]["articles"] == 3 and len(matching[0]["outlets"]) == 3
        assert matching[0]["fallback"] is False
    putin = next(e for e in entities if e["name"] == "Vladimir Putin")
    assert "Vladimir Poutine" in putin["aliases"] and putin["type"] == "PERSON"
    everything = _json(cli, "entities")
    assert len([e for e in everything if e["name"] == "Vladimir Putin"]) == 1


def test_review_markdown_html_and_text_carry_the_section(seeded) -> None:
    cli, story = seeded
    markdown = cli("review", str(story["id"]), "--format", "md").stdout
    assert "## Qui a dit quoi" in markdown and "| **Donald Trump** |" in markdown  # read in French
    assert "## Noms cités" in markdown and "Yuri Ushakov" in markdown
    html = cli("review", str(story["id"]), "--format", "html").stdout
    assert '<section class="who-said-what">' in html and "pagaille" in html
    text = cli("review", str(story["id"])).stdout
    assert "Qui a dit quoi" in text
    review = json.loads(cli("review", str(story["id"]), "--format", "json").stdout)
    assert review["story_entities"] and review["keywords"]
    assert any(e["name"] == "Yuri Ushakov" and len(e["outlets"]) == 3 for e in review["story_entities"])


def test_clipping_json_and_export_carry_entities_and_quotes(seeded) -> None:
    cli, story = seeded
    article = next(a for a in story["articles"] if a["outlet"] == "presse-exemple.fr")
    clip = json.loads(cli("clip", str(article["id"]), "--format", "json").stdout)
    names = {e["name"] for e in clip["entities"]}
    assert {"Vladimir Putin", "Yuri Ushakov", "Donald Trump"} <= names
    assert any(
        q["speaker"] == "Yuri Ushakov" and q["cue"] == "a ajouté" and q["direct"] for q in clip["quotes"]
    )
    assert clip["keywords"]
    text = cli("clip", str(article["id"])).stdout
    assert "Who said what" not in text and "a ajouté" not in text.split("Iouri Ouchakov")[0]
    rows = [json.loads(line) for line in cli("export").stdout.splitlines()]
    kremlin = [r for r in rows if r["story_id"] == story["id"]]
    assert all(r["entities"] and r["quotes"] and r["keywords"] for r in kremlin)


def test_reprocess_keeps_the_same_entities(seeded) -> None:
    cli, story = seeded
    before = {(e["key"], e["id"]) for e in _json(cli, "entities")}
    quotes = len(_json(cli, "quotes"))
    result = cli("reprocess", "--since", "3650d")
    assert "4 articles enriched" in result.stdout
    assert {(e["key"], e["id"]) for e in _json(cli, "entities")} == before
    assert len(_json(cli, "quotes")) == quotes


def test_entity_counts_add_up_over_the_stories_articles(seeded) -> None:
    cli, story = seeded
    per_article = {
        a["id"]: json.loads(cli("clip", str(a["id"]), "--format", "json").stdout)["entities"]
        for a in story["articles"]
    }
    outlet_of = {a["id"]: a["outlet"] for a in story["articles"]}
    for entity in _json(cli, "entities", "--story", str(story["id"])):
        found = {
            article_id: sum(e["mentions"] for e in listed if e["entity_id"] == entity["id"])
            for article_id, listed in per_article.items()
        }
        found = {article_id: count for article_id, count in found.items() if count}
        assert entity["mentions"] == sum(found.values()), entity
        assert entity["articles"] == len(found), entity
        by_outlet: dict[str, int] = {}
        for article_id, count in found.items():
            by_outlet[outlet_of[article_id]] = by_outlet.get(outlet_of[article_id], 0) + count
        assert entity["outlets"] == by_outlet, entity
