"""The extract stage: metadata, body paragraphs, feed fallback and failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdesk.extract import ExtractionError, extract_page
from newsdesk.extract.dates import parse_datetime
from newsdesk.extract.metadata import strip_site_name
from newsdesk.models import Extracted, FeedEntry, RawPage

INFOBRICS = "infobrics/post/45316.html"
PRESSE = "presse/international/poutine-witkoff-kushner.html"
KREMLIN = "wire/world/kremlin-talks.html"
DERBY = "wire/sport/derby.html"
BOILERPLATE = ("cookies", "Share:", "Partager", "Related articles", "All rights reserved", "droits réservés")

BODY_WORDS = (
    "The council met on Tuesday evening to approve the new budget for the coming year. "
    "Members argued for three hours about the cost of repairing the old bridge across the river, "
    "and in the end the plan passed by a narrow margin of seven votes to six."
)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _extract(seed_site: Path, relative: str, entry: FeedEntry | None = None) -> Extracted:
    html = (seed_site / relative).read_text(encoding="utf-8")
    return extract_page(RawPage(url=f"http://127.0.0.1:8765/{relative}", html=html, entry=entry))


def _clipping_body(clipping: Path) -> list[str]:
    """Body paragraphs of the example clipping: after the byline, up to the final outlet line."""
    lines = [line for line in clipping.read_text(encoding="utf-8").splitlines() if line.strip()]
    byline_index = next(i for i, line in enumerate(lines) if line.strip().startswith("Drago Bosnic"))
    return [_norm(line) for line in lines[byline_index + 1 : -1]]


def test_infobrics_metadata(seed_site: Path) -> None:
    page = _extract(seed_site, INFOBRICS)
    assert page.title == "Russia poised for strategic win regardless of peace talks outcome"
    assert page.lede is not None and page.lede.startswith('President Trump called the situation a "mess')
    assert page.lede.endswith("while everyone else is forced to bluff.")
    assert page.byline == "Drago Bosnic, independent geopolitical and military analyst"
    assert page.published == datetime(2025, 12, 4, 9, 0, tzinfo=timezone(timedelta(hours=3)))
    assert page.published.utcoffset() == timedelta(hours=3)
    assert page.canonical_url == "https://infobrics.org/post/45316/"
    assert page.page_language == "en"
    assert page.site_name == "InfoBRICS"


def test_infobrics_body_is_the_clippings_nine_paragraphs(seed_site: Path) -> None:
    expected = _clipping_body(seed_site.parent / "clipping-example.txt")
    assert len(expected) == 9
    page = _extract(seed_site, INFOBRICS)
    assert [_norm(p) for p in page.paragraphs] == expected
    body = page.text
    for junk in BOILERPLATE:
        assert junk not in body
    assert page.title not in body
    assert _norm(page.lede or "") != _norm(page.paragraphs[0])


@pytest.mark.parametrize(
    ("relative", "title", "lede_start", "published", "language", "first_words", "count"),
    [
        (
            PRESSE,
            "Poutine rencontre Witkoff et Kushner au Kremlin",
            "L'émissaire américain Steve Witkoff",
            "2025-12-03T08:30:00+01:00",
            "fr",
            "Vladimir Poutine a reçu mardi soir",
            4,
        ),
        (
            KREMLIN,
            "Putin holds five-hour Kremlin talks with Witkoff and Kushner on Ukraine plan",
            "Russian President Vladimir Putin met U.S. envoy",
            "2025-12-03T06:15:00+00:00",
            "en",
            "MOSCOW — Russian President Vladimir Putin met",
            4,
        ),
        (
            DERBY,
            "Late penalty settles the city derby",
            "A stoppage-time penalty gave the home side",
            "2025-12-06T19:45:00+00:00",
            "en",
            "A penalty in the fourth minute of stoppage time",
            3,
        ),
    ],
)
def test_other_seed_pages(
    seed_site: Path,
    relative: str,
    title: str,
    lede_start: str,
    published: str,
    language: str,
    first_words: str,
    count: int,
) -> None:
    page = _extract(seed_site, relative)
    assert page.title == title
    assert page.lede is not None and page.lede.startswith(lede_start)
    assert page.published == datetime.fromisoformat(published)
    assert page.page_language == language
    assert len(page.paragraphs) == count
    assert page.paragraphs[0].startswith(first_words)
    assert all(_norm(p) != _norm(page.lede) for p in page.paragraphs)
    assert title not in page.text
    for junk in BOILERPLATE:
        assert junk not in page.text


def test_feed_entry_fills_missing_metadata() -> None:
    html = f"<html><body><div><p>{BODY_WORDS}</p><p>{BODY_WORDS}</p></div></body></html>"
    published = datetime(2025, 12, 5, 7, 30, tzinfo=UTC)
    entry = FeedEntry(
        url="https://example.org/council",
        title="Council approves budget",
        summary="<p>The bridge plan <b>passed</b> narrowly.</p>",
        published=published,
        author="Jane Roe",
    )
    page = extract_page(RawPage(url="https://example.org/council", html=html, entry=entry))
    assert page.title == "Council approves budget"
    assert page.lede == "The bridge plan passed narrowly."
    assert page.published == published
    assert page.byline == "Jane Roe"
    assert page.paragraphs and page.paragraphs[0].startswith("The council met on Tuesday")


def test_page_metadata_wins_over_feed_entry(seed_site: Path) -> None:
    entry = FeedEntry(
        url="x",
        title="Feed title",
        summary="Feed summary.",
        author="Feed Author",
        published=datetime(2020, 1, 1, tzinfo=UTC),
    )
    page = _extract(seed_site, INFOBRICS, entry=entry)
    assert page.title == "Russia poised for strategic win regardless of peace talks outcome"
    assert page.byline == "Drago Bosnic, independent geopolitical and military analyst"
    assert page.published is not None and page.published.year == 2025


def test_jsonld_graph_and_title_suffix() -> None:
    html = (
        """<html lang="de-DE"><head>
    <title>Haushalt beschlossen | Stadtblatt</title>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Stadtblatt"},
      {"@type": ["NewsArticle"], "headline": "Haushalt beschlossen",
       "datePublished": "2025-12-05T10:00:00+01:00", "author": {"@type": "Person", "name": "Eva Muster"},
       "publisher": {"@type": "Organization", "name": "Stadtblatt"}}]}</script>
    </head><body><article><h1>Haushalt beschlossen</h1><p>BODY</p></article></body></html>"""
    ).replace("BODY", BODY_WORDS)
    page = extract_page(RawPage(url="https://stadtblatt.example/haushalt", html=html))
    assert page.title == "Haushalt beschlossen"
    assert page.byline == "Eva Muster"
    assert page.site_name == "Stadtblatt"
    assert page.page_language == "de"
    assert page.published == datetime(2025, 12, 5, 9, 0, tzinfo=UTC)
    assert page.paragraphs == [BODY_WORDS]


def test_title_loses_the_site_suffix() -> None:
    html = f"""<html><head><title>Council approves budget | City Paper</title>
    <meta property="og:site_name" content="City Paper"></head>
    <body><div><p>{BODY_WORDS}</p></div></body></html>"""
    page = extract_page(RawPage(url="https://citypaper.example/budget", html=html))
    assert page.title == "Council approves budget"
    assert page.site_name == "City Paper"


def test_description_copying_the_first_paragraph_is_not_repeated() -> None:
    first = BODY_WORDS
    second = "Work on the bridge is expected to start in the spring and to last for about eighteen months."
    html = f"""<html><head><meta name="description" content="{first}"></head><body>
    <h1>Budget passed</h1><div class="text"><p>{first}</p><p>{second}</p><p>{second} Again.</p></div>
    </body></html>"""
    page = extract_page(RawPage(url="https://example.org/b", html=html))
    assert page.paragraphs[0] == first
    assert page.lede is None


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html><body></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        "<footer>© 2025</footer></body></html>",
    ],
)
def test_no_article_raises(html: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_page(RawPage(url="https://example.org/empty", html=html))
    assert "https://example.org/empty" in str(info.value)
    assert info.value.reason


def _brief(body: str, lang: str) -> RawPage:
    return RawPage(
        url=f"https://example.org/{lang}",
        html=f"<html lang='{lang}'><head><title>Brief</title></head><body><article><h1>Brief</h1>"
        f"<p>{body}</p></article></body></html>",
    )


def test_a_short_chinese_brief_is_an_article_and_a_short_english_one_is_not() -> None:
    # 58 Chinese characters read like 23 words; the same news in English is 17 words
    chinese = (
        "俄罗斯总统普京周二在克里姆林宫会见了美国特使威特科夫和库什纳，会谈持续了五个小时。"
        "克里姆林宫助理乌沙科夫表示，会谈富有成效。"
    )
    page = extract_page(_brief(chinese, "zh"))
    assert page.paragraphs == [chinese]
    english = (
        "Putin met the US envoys Witkoff and Kushner at the Kremlin on Tuesday; the talks lasted five hours."
    )
    with pytest.raises(ExtractionError, match="too little main text"):
        extract_page(_brief(english, "en"))
    with pytest.raises(ExtractionError, match="too little main text"):
        extract_page(_brief(chinese[:40], "zh"))


def test_strip_site_name() -> None:
    assert strip_site_name("Big news today | InfoBRICS", ["InfoBRICS"]) == "Big news today"
    assert strip_site_name("InfoBRICS - Big news today", ["InfoBRICS"]) == "Big news today"
    assert strip_site_name("Five-hour talks - a summary", ["InfoBRICS"]) == "Five-hour talks - a summary"


def test_parse_datetime_is_timezone_aware() -> None:
    assert parse_datetime("2025-12-04T09:00:00+03:00") == datetime(2025, 12, 4, 6, 0, tzinfo=UTC)
    assert parse_datetime("Thu, 04 Dec 2025 06:00:00 +0000") == datetime(2025, 12, 4, 6, 0, tzinfo=UTC)
    assert parse_datetime("2025-12-04").tzinfo is not None  # type: ignore[union-attr]
    assert parse_datetime("not a date") is None
