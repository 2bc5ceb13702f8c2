"""Metadata as real pages give it: headlines against teasers and site suffixes, bylines that are
not persons, nested JSON-LD, dates without offsets or with zone abbreviations.

Every page here is invented, built on the patterns found on publishers' pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.extract import extract_page
from newsdesk.extract.bylines import clean_authors
from newsdesk.extract.dates import parse_datetime
from newsdesk.extract.metadata import PageMetadata, read_metadata
from newsdesk.extract.page import parse_page
from newsdesk.models import RawPage

BODY = (
    "<p>The regional council met on Tuesday evening to approve the new budget for the coming year, "
    "after three hours of argument about the cost of repairing the old bridge across the river.</p>"
)


def _page(head: str, body: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}{BODY}</body></html>"


def _meta(html: str, url: str = "https://news.example.org/2025/12/05/story") -> PageMetadata:
    return read_metadata(parse_page(RawPage(url=url, html=html)), url)


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


# --- titles -----------------------------------------------------------------------------------


def test_visible_headline_wins_over_a_social_media_teaser() -> None:
    html = _page(
        "<title>Province freezes hydro rates for two years | CBC News</title>"
        '<meta property="og:title" content="You won\'t believe what just happened to your power bill">'
        '<meta property="og:site_name" content="CBC">',
        "<header><h1>CBC</h1></header><article><h1>Province freezes hydro rates for two years</h1></article>",
    )
    assert _meta(html, "https://www.cbc.ca/news/canada/hydro-rates-1.7001").title == (
        "Province freezes hydro rates for two years"
    )


def test_visible_headline_confirmed_by_the_jsonld_headline() -> None:
    html = _page(
        '<meta property="og:title" content="Rates frozen: what it means for you">'
        + _ld({"@type": "NewsArticle", "headline": "Province freezes hydro rates for two years"}),
        "<main><h1>Province freezes hydro rates for two years</h1></main>",
    )
    assert _meta(html).title == "Province freezes hydro rates for two years"


def test_an_unconfirmed_h1_does_not_replace_og_title() -> None:
    html = _page(
        "<title>Another page title</title>"
        '<meta property="og:title" content="Province freezes hydro rates for two years">',
        "<h1>Regional news and weather</h1>",
    )
    assert _meta(html).title == "Province freezes hydro rates for two years"


@pytest.mark.parametrize(
    ("title", "site_meta", "url", "expected"),
    [
        (
            "Landtag beschließt Haushalt für 2026 | MDR.DE",
            "",
            "https://www.mdr.de/nachrichten/sachsen/landtag-haushalt-100.html",
            "Landtag beschließt Haushalt für 2026",
        ),
        (
            "日銀、政策金利を据え置き：朝日新聞デジタル",
            '<meta property="og:site_name" content="朝日新聞デジタル">',
            "https://www.asahi.com/articles/ASV0001.html",
            "日銀、政策金利を据え置き",
        ),
        (
            "市政府发布新规-新华网",
            '<meta property="og:site_name" content="新华网">',
            "http://www.news.cn/local/c_1125597921.htm",
            "市政府发布新规",
        ),
        (
            "La réforme des retraites adoptée - Le Monde",
            '<meta property="og:site_name" content="Le Monde.fr">',
            "https://www.lemonde.fr/politique/article/2025/12/05/reforme.html",
            "La réforme des retraites adoptée",
        ),
        (
            "Politik | Bundestag stimmt über Rentenpaket ab | Stadtanzeiger",
            "",
            "https://www.stadtanzeiger.example/politik/bundestag-rentenpaket-123.html",
            "Bundestag stimmt über Rentenpaket ab",
        ),
        (
            "Kultur | Theater eröffnet neue Spielzeit",
            '<meta property="article:section" content="Kultur">',
            "https://www.zeitung.example/a/123.html",
            "Theater eröffnet neue Spielzeit",
        ),
    ],
)
def test_site_and_section_are_cut_from_the_title(title: str, site_meta: str, url: str, expected: str) -> None:
    assert _meta(_page(f"<title>{title}</title>{site_meta}"), url).title == expected


def test_a_title_segment_that_is_not_the_site_stays() -> None:
    html = _page("<title>Five-hour talks - a summary | Stadtanzeiger</title>")
    assert _meta(html, "https://www.stadtanzeiger.example/a/1.html").title == "Five-hour talks - a summary"


# --- authors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "url"),
    [
        ("Deutsche Welle (www.dw.com)", "https://www.dw.com/de/haushalt/a-123"),
        ("n-tv NACHRICHTEN", "https://www.n-tv.de/politik/Haushalt-article123.html"),
        ("Stadtanzeiger", "https://www.stadtanzeiger.example/a/1.html"),
        ("stadtanzeiger.example", "https://www.stadtanzeiger.example/a/1.html"),
        ("Tagesblatt Online", "https://www.tagesblatt.example/a/1.html"),
    ],
)
def test_the_outlet_is_no_byline(author: str, url: str) -> None:
    html = _page(
        f'<meta name="author" content="{author}"><meta property="og:site_name" content="Tagesblatt">'
    )
    assert _meta(html, url).byline is None


def test_every_jsonld_author_is_kept_in_order() -> None:
    html = _page(
        _ld(
            {
                "@type": "NewsArticle",
                "headline": "Budget approved",
                "author": [{"@type": "Person", "name": n} for n in ("Ana Pérez", "Jon Smith", "Li Wei")],
            }
        ),
        "<article><h1>Budget approved</h1><p class='byline'>By Ana Pérez</p></article>",
    )
    assert _meta(html).byline == "Ana Pérez, Jon Smith, Li Wei"


def test_every_author_meta_tag_and_author_element_is_kept() -> None:
    tags = '<meta name="author" content="Ana Pérez"><meta name="author" content="Jon Smith">'
    assert _meta(_page(tags)).byline == "Ana Pérez, Jon Smith"
    elements = (
        "<div class='authors'><span itemprop='author'>Ana Pérez</span> and "
        "<span itemprop='author'>Jon Smith</span></div>"
        "<section class='comments'><span itemprop='author'>Reader42</span></section>"
    )
    assert _meta(_page("", elements)).byline == "Ana Pérez, Jon Smith"


def test_jsonld_under_webpage_main_entity() -> None:
    html = _page(
        _ld(
            {
                "@context": "https://schema.org",
                "@type": "WebPage",
                "mainEntity": {
                    "@type": "NewsArticle",
                    "headline": "Budget approved",
                    "datePublished": "2025-12-05T10:00:00+01:00",
                    "author": {"@type": "Person", "name": "Eva Muster"},
                },
            }
        )
    )
    meta = _meta(html)
    assert meta.title == "Budget approved"
    assert meta.byline == "Eva Muster"
    assert meta.published == datetime(2025, 12, 5, 9, 0, tzinfo=UTC)


def test_jsonld_graph_author_given_by_reference() -> None:
    person = "https://news.example.org/#/schema/person/1"
    html = _page(
        _ld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "Article", "headline": "Budget approved", "author": {"@id": person}},
                    {"@type": "Person", "@id": person, "name": "Eva Muster"},
                ],
            }
        )
    )
    assert _meta(html).byline == "Eva Muster"


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("dieter.kuckelkorn@boersen-zeitung.example", "Dieter Kuckelkorn"),
        ("Lüder Hoppe info@buero-hoppe.example", "Lüder Hoppe"),
        ("redaktion@zeitung.example", None),
        ("1234567", None),
        ("Nuño Domínguez Twitter", "Nuño Domínguez"),
        ("Kari Nordmann Tips meg", "Kari Nordmann"),
        ("Jane Roe Follow", "Jane Roe"),
    ],
)
def test_author_names_are_cleaned(author: str, expected: str | None) -> None:
    assert _meta(_page(f'<meta name="author" content="{author}">')).byline == expected


def test_html_entities_in_a_jsonld_name_are_decoded() -> None:
    html = _page(
        _ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Redacci&oacute;n Central"}})
    )
    assert _meta(html).byline == "Redacción Central"


def test_follow_button_glued_to_the_printed_name() -> None:
    html = _page("", "<div class='byline'>By <a>Jane Roe</a><button>Follow</button></div>")
    assert _meta(html).byline == "Jane Roe"


def test_citation_authors_are_turned_into_first_last() -> None:
    html = _page(
        '<meta name="citation_author" content="Kuckelkorn, Dieter">'
        '<meta name="citation_author" content="Beispiel, Anna Maria">'
    )
    assert _meta(html).byline == "Dieter Kuckelkorn, Anna Maria Beispiel"
    assert _meta(_page('<meta name="dc.creator" content="Roe, Jane">')).byline == "Jane Roe"
    assert clean_authors(["Jane Roe, John Doe"], [], inverted=True) == ["Jane Roe", "John Doe"]
    assert clean_authors(["Roe, Jane; Doe, John"], [], inverted=True) == ["Jane Roe", "John Doe"]


# --- dates ------------------------------------------------------------------------------------


def test_time_without_offset_takes_the_offset_the_page_states_elsewhere() -> None:
    cest = timezone(timedelta(hours=2))
    naive = '<meta property="article:published_time" content="2023-04-28T19:20:36">'
    modified = _ld({"@type": "NewsArticle", "dateModified": "2023-04-29T08:00:00+02:00"})
    assert _meta(_page(naive + modified)).published == datetime(2023, 4, 28, 19, 20, 36, tzinfo=cest)
    time_element = "<article><time datetime='2023-04-28T19:20:36+02:00'>28 April</time></article>"
    assert _meta(_page(naive, time_element)).published == datetime(2023, 4, 28, 19, 20, 36, tzinfo=cest)


def test_time_without_offset_stays_utc_when_the_page_confirms_utc_or_says_nothing() -> None:
    naive = '<meta property="article:published_time" content="2023-04-28T17:20:36">'
    same_instant = "<time datetime='2023-04-28T19:20:36+02:00'>28 April</time>"
    expected = datetime(2023, 4, 28, 17, 20, 36, tzinfo=UTC)
    assert _meta(_page(naive, same_instant)).published == expected
    assert _meta(_page(naive)).published == expected
    assert _meta(_page(naive)).published.utcoffset() == timedelta(0)  # type: ignore[union-attr]


def test_a_day_only_date_takes_the_time_another_tag_gives_that_day() -> None:
    head = _ld({"@type": "NewsArticle", "datePublished": "2023-04-28"})
    head += '<meta property="article:published_time" content="2023-04-28T19:20:36+02:00">'
    published = _meta(_page(head)).published
    assert published == datetime(2023, 4, 28, 17, 20, 36, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "hours"),
    [
        ("Fri Apr 28 19:20:36 CEST 2023", 2),
        ("Fri Jan 27 19:20:36 CET 2023", 1),
        ("Fri Apr 28 19:20:36 EDT 2023", -4),
        ("Fri Jan 27 19:20:36 EST 2023", -5),
        ("Fri Apr 28 19:20:36 BST 2023", 1),
        ("Fri Apr 28 19:20:36 MSK 2023", 3),
        ("Fri, 28 Apr 2023 19:20:36 CEST", 2),
        ("Fri Apr 28 2023 19:20:36 GMT+0200 (Central European Summer Time)", 2),
    ],
)
def test_java_style_dates_keep_their_zone(value: str, hours: int) -> None:
    parsed = parse_datetime(value)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=hours)
    assert parsed.replace(tzinfo=None) == datetime(parsed.year, parsed.month, parsed.day, 19, 20, 36)
    html = _page(f'<meta name="date" content="{value}">')
    assert _meta(html).published == parsed


def test_an_empty_cms_date_is_no_date() -> None:
    assert parse_datetime("0001-01-01T00:00:00") is None
    html = _page('<meta name="date" content="0001-01-01T00:00:00"><meta name="pubdate" content="2025-12-05">')
    assert _meta(html).published == datetime(2025, 12, 5, tzinfo=UTC)


def test_the_whole_page_keeps_the_cleaned_metadata() -> None:
    html = _page(
        "<title>Province freezes hydro rates for two years | Tagesblatt</title>"
        '<meta property="og:title" content="Rates frozen: what it means for you">'
        '<meta name="author" content="Tagesblatt Online">'
        '<meta property="article:published_time" content="Fri Apr 28 19:20:36 CEST 2023">',
        "<article><h1>Province freezes hydro rates for two years</h1>"
        "<p class='byline'>By Ana Pérez Twitter</p>",
    )
    page = extract_page(RawPage(url="https://www.tagesblatt.example/a/1.html", html=html))
    assert page.title == "Province freezes hydro rates for two years"
    assert page.byline == "Ana Pérez"
    assert page.published == datetime(2023, 4, 28, 17, 20, 36, tzinfo=UTC)
