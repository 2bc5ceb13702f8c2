"""Who said what in languages without a model (Ukrainian, Chinese), in German (newsdesk's own
model), in a page mixing scripts and in one of no known language: collected, clustered, rendered,
entities marked fallback where no model found them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.testing.httpserver import FixtureServer
from tests.support import Cli, write_config

PAGES = {
    "uk": (
        "Путін прийняв Віткоффа в Кремлі",
        [
            "Президент Росії Володимир Путін у вівторок прийняв у Кремлі американського спецпосланця Стіва "
            "Віткоффа та Джареда Кушнера. Переговори тривали п'ять годин.",
            "Помічник Путіна Юрій Ушаков заявив, що територіальні питання обговорювали конкретно. «Деякі "
            "американські пропозиції прийнятні, інші ні», — сказав Ушаков журналістам.",
            "У Києві заяви Кремля зустріли стримано. НАТО і ЄС поки не коментують переговори.",
        ],
    ),
    "de": (
        "Putin empfängt Witkoff im Kreml",
        [
            "Der russische Präsident Wladimir Putin hat am Dienstag im Kreml den US-Sondergesandten Steve "
            "Witkoff und Jared Kushner empfangen. Die Gespräche dauerten fünf Stunden.",
            "„Einige amerikanische Vorschläge sind annehmbar, andere nicht“, sagte Kremlberater Juri "
            "Uschakow vor Journalisten in Moskau. Territoriale Fragen seien konkret besprochen worden.",
            "In Kiew und in Brüssel wurden die Gespräche zurückhaltend aufgenommen. "
            "Die NATO äußerte sich nicht.",
        ],
    ),
    "zh": (
        "普京在克里姆林宫会见威特科夫",
        [
            "俄罗斯总统普京周二在克里姆林宫会见了美国特使威特科夫和库什纳，会谈持续了五个小时。",
            "克里姆林宫助理乌沙科夫表示，部分美国提议可以接受，另一些则不能接受。领土问题得到了具体讨论。",
            "乌克兰和北约尚未对会谈发表评论。欧盟表示将继续关注局势。",
            "分析人士认为，双方仍然存在分歧，但是会谈的气氛比较积极，下一轮会谈的时间尚未确定，"
            "莫斯科方面表示，总统之间的会晤取决于顾问们的进展，华盛顿方面没有立即回应，"
            "有关人士说，谈判还会继续，各方都在等待，局势依然紧张，外界高度关注。",
        ],
    ),
    "mixed": (
        "Kyiv / Київ / 基辅: reactions",
        [
            "Reactions in Kyiv were cautious. У Києві реакція була стриманою, сказав Олександр Мельник.",
            '普京 and Путін are the same man; "we will see", said Olena Kovalenko of the Kyiv Post.',
            "Zelensky — Зеленський — 泽连斯基 — did not comment on the talks in Moscow.",
        ],
    ),
    "xx": (
        "Zorblat vintu krelasso",
        [
            "Zorblat vintu krelasso mippa dorvel, Quarnix Tellow ombrisca venn tallo fessa. "
            "Ulvaro Prendik dastu \u00abmorva sellina\u00bb, kro Vantelli.",
            "Rondo fisselmar quibbo tralla. Wexo panthu drelli, Quarnix Tellow fomba.",
        ],
    ),
}
LANG_ATTRIBUTE = {"uk": "uk", "de": "de", "zh": "zh-CN", "mixed": "", "xx": ""}


def _page(title: str, paragraphs: list[str], lang: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    attribute = f' lang="{lang}"' if lang else ""
    return (
        f'<!DOCTYPE html><html{attribute}><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def _site(folder: Path) -> Path:
    items = []
    for n, (name, (title, paragraphs)) in enumerate(PAGES.items()):
        (folder / f"{name}.html").write_text(_page(title, paragraphs, LANG_ATTRIBUTE[name]), "utf-8")
        items.append(
            f"<item><title>{title}</title><link>{{{{BASE}}}}/{name}.html</link><guid>{name}</guid>"
            f"<pubDate>Wed, 03 Dec 2025 0{n}:00:00 +0000</pubDate></item>"
        )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Multi</title>'
        f"<link>https://multi.example/</link>{''.join(items)}</channel></rss>",
        "utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("languages")
    (folder / "site").mkdir()
    site = _site(folder / "site")
    cli = Cli(folder / "multi.db", write_config(folder), lang="en")
    with FixtureServer(site) as server:
        cli("feeds", "add", server.url_for("/feed.xml"), "--outlet", "multi.example")
        result = cli("fetch")
    assert "5 articles stored" in result.stdout, result.stdout + result.stderr
    return cli


def _articles(cli: Cli) -> dict[str, dict]:
    rows = [json.loads(line) for line in cli("export").stdout.splitlines()]
    return {row["title"]: row for row in rows}


def test_pages_are_stored_clustered_and_rendered(collected) -> None:
    cli = collected
    articles = _articles(cli)
    assert articles[PAGES["uk"][0]]["language"] == "uk"
    assert articles[PAGES["de"][0]]["language"] == "de"
    assert articles[PAGES["zh"][0]]["language"].startswith("zh")
    stories = json.loads(cli("stories", "--since", "all", "--json").stdout)
    assert sum(len(s["articles"]) for s in stories) == 5
    for story in stories:
        for fmt in ("text", "md", "html", "json"):
            assert cli("review", str(story["id"]), "--format", fmt).stdout
    for row in articles.values():
        for fmt in ("text", "md", "html", "json"):
            assert cli("clip", str(row["id"]), "--format", fmt).stdout


def test_entities_without_a_model_are_fallback(collected) -> None:
    cli = collected
    entities = json.loads(cli("entities", "--json").stdout)
    assert entities
    by_key = {e["key"]: e for e in entities}
    putin = by_key["alias:putin"]
    assert {"Путін", "Wladimir Putin", "普京"} & set(putin["aliases"])
    assert putin["articles"] >= 3 and putin["type"] == "PERSON"
    assert "alias:kremlin" in by_key and "alias:nato" in by_key
    articles = _articles(cli)
    for title in (PAGES["uk"][0], PAGES["zh"][0]):
        row = articles[title]
        assert row["entities"] and row["keywords"], title
    # Chinese has no model; Ukrainian has the shipped multilingual one
    assert all(e["fallback"] for e in articles[PAGES["zh"][0]]["entities"])
    assert any(not e["fallback"] for e in articles[PAGES["uk"][0]]["entities"])
    german = articles[PAGES["de"][0]]
    assert german["keywords"] and any(not e["fallback"] for e in german["entities"])


def test_quotes_in_languages_without_a_model(collected) -> None:
    cli = collected
    quotes = json.loads(cli("quotes", "--json").stdout)
    languages = {q["language"] for q in quotes}
    assert {"uk", "de"} <= languages
    german = next(q for q in quotes if q["language"] == "de")
    assert "Vorschläge" in german["text"] and german["direct"]
    assert german["speaker"] == "Juri Uschakow"  # without the role compound "Kremlberater"
    articles = {row["id"]: row for row in _articles(cli).values()}
    for q in quotes:
        assert articles[q["article_id"]]["text"][q["start"] : q["end"]] == q["text"]
