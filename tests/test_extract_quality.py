"""Body quality, language honesty and pages that are not articles: small invented pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk import demo
from newsdesk.extract import NotAnArticle, extract_page
from newsdesk.extract import body as body_module
from newsdesk.extract.boilerplate import drop_boilerplate, is_boilerplate
from newsdesk.extract.page import parse_page
from newsdesk.extract.quality import PageText, body_doubt
from newsdesk.models import RawPage

SENTENCES = [
    "The county council voted on Tuesday to close the old swimming baths on Mill Lane at the end of summer.",
    "Councillors said the building needed repairs costing more than four million pounds it does not have.",
    "Swimmers and a local club collected two thousand signatures against the closure and asked for a delay.",
    "The leader of the council said a new pool would be built next to the sports centre by next spring.",
    "Opposition members called the decision short-sighted and said the new pool would be smaller.",
    "The club will train in the neighbouring town until the new pool opens, its chairwoman said.",
]
URL = "https://gazette.example/news/pool-to-close"


def _page(body: str, head: str = "") -> RawPage:
    html = f"<html><head><title>Pool to close</title>{head}</head><body><h1>Pool to close</h1>{body}</body>"
    return RawPage(url=URL, html=html)


def _menu(count: int = 100) -> str:
    items = "".join(
        f"<li><a href='/section/{i}'>Section number {i} of the site</a></li>" for i in range(count)
    )
    return f"<ul class='menu'>{items}</ul>"


# --- 1. the body: a quality check decides when the fast pass is not trusted ---------------------


def test_a_menu_taken_by_the_fast_pass_gives_way_to_the_article() -> None:
    # trafilatura's fast pass takes this page's menu and text as one block without sentence ends
    page = extract_page(_page(_menu() + "<div>" + "<br/>".join(SENTENCES) + "</div>"))
    assert page.paragraphs == SENTENCES
    assert not any("Section number" in p for p in page.paragraphs)


@pytest.mark.parametrize(
    "wrong",
    [
        [  # an image caption
            "The old swimming baths on Mill Lane, which the council voted to close on Tuesday after a long "
            "debate about costs and repairs. Photograph: Jane Doe for the Gazette, taken on Monday morning "
            "from the footbridge over the river, with the brick chimney of the old boiler house behind it."
        ],
        [" ".join(SENTENCES[:3])],  # the introduction alone
    ],
    ids=["caption", "intro"],
)
def test_a_block_holding_little_of_the_pages_text_gives_way_to_the_full_pass(
    monkeypatch: pytest.MonkeyPatch, wrong: list[str]
) -> None:
    html = _page("".join(f"<p>{s}</p>" for s in SENTENCES * 2))
    tree = parse_page(html)
    assert body_doubt(wrong, PageText.of(tree)) == "a small part of the page's text"
    passes = {True: wrong, False: SENTENCES * 2}
    monkeypatch.setattr(body_module, "_trafilatura_paragraphs", lambda tree, url, fast: passes[fast])
    assert body_module.extract_paragraphs(tree, URL) == SENTENCES * 2


def test_a_good_fast_pass_is_kept_without_a_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = parse_page(_page("".join(f"<p>{s}</p>" for s in SENTENCES)))
    calls: list[bool] = []

    def fake(tree: object, url: object, fast: bool) -> list[str]:
        calls.append(fast)
        return SENTENCES

    monkeypatch.setattr(body_module, "_trafilatura_paragraphs", fake)
    assert body_module.extract_paragraphs(tree, URL) == SENTENCES
    assert calls == [True]


def test_when_both_passes_are_in_doubt_the_one_with_more_prose_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tree = parse_page(_page("<p>x</p>"))
    menu = [f"Section number {i} of the site" for i in range(40)]
    short = SENTENCES[:1]
    passes = {True: menu, False: short}
    monkeypatch.setattr(body_module, "_trafilatura_paragraphs", lambda tree, url, fast: passes[fast])
    assert body_module.extract_paragraphs(tree, URL) == short


def test_link_texts_make_a_body_doubtful() -> None:
    items = [f"Read the story number {i} of today" for i in range(30)]
    tree = parse_page(_page("".join(f"<p><a href='/s/{i}'>{t}.</a></p>" for i, t in enumerate(items))))
    assert body_doubt([f"{t}." for t in items], PageText.of(tree)) == "mostly link texts"


# --- 1b. boilerplate paragraphs -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Support our journalism",
        "Subscribe to continue reading",
        "Already a subscriber? Log in",
        "Jetzt abonnieren",
        "Unterstützen Sie unseren Journalismus – jetzt mit einem Abo ab 1 Euro.",
        "Soutenez notre journalisme indépendant : faites un don dès 1 €.",
        "Abonnez-vous pour lire la suite",
        "Suscríbete para seguir leyendo",
        "Donate",
        "Stand: 12.03.2024 14:05 Uhr",
        "Aktualisiert am 12.03.2024, 14:05 Uhr",
        "Updated: Tuesday, 12 March 2024 at 14:05 GMT",
        "Mis à jour le 12/03/2024 à 14h05",
        "Dauer: 3 Min",
        "Dauer 02:31 Min",
        "2 min read",
        "Lesezeit: 4 Minuten",
        "5 minutes de lecture",
        "Tempo de leitura: 2 minutos",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Stand 2:1 nach 45 Minuten",
        "The match lasted 90 minutes.",
        "3 Min",
        "Published figures show 12 million people were affected in 2023.",
        'He said "Support our journalism" had been the paper\'s slogan since 1990.',
        "Gli abbonati sono due milioni in Italia.",
        "Le ministre a dit : soutenez les agriculteurs.",
        "Updated guidance will follow in the spring, officials said.",
        "Readers were asked to support our journalism in a campaign that ran for three months last winter.",
    ],
)
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_boilerplate_lines_leave_the_body() -> None:
    body = (
        "<article><p>Stand: 12.03.2024 14:05 Uhr</p><p>2 min read</p>"
        + "".join(f"<p>{s}</p>" for s in SENTENCES)
        + "<p>Support our journalism</p><p>Subscribe to continue reading</p></article>"
    )
    assert extract_page(_page(body)).paragraphs == SENTENCES
    assert drop_boilerplate(["Jetzt abonnieren", SENTENCES[0]]) == [SENTENCES[0]]


# --- 2. language: a confident detector beats a template's lang; an unsure one says unknown ------

SWAHILI = (
    "Mvua kubwa iliyonyesha usiku wa kuamkia leo imesababisha mafuriko katika mitaa kadhaa ya jiji la "
    "Dar es Salaam. Wakazi wa maeneo ya Jangwani na Kigogo wamelazimika kuhama makazi yao baada ya maji "
    "kuingia ndani ya nyumba. Mkuu wa mkoa amesema serikali imetuma vikosi vya uokoaji na kwamba hakuna "
    "taarifa za vifo hadi sasa. Mamlaka ya hali ya hewa imeonya kwamba mvua zaidi zinatarajiwa katika siku "
    "tatu zijazo, na wananchi wameombwa kuchukua tahadhari."
)
ZULU = (
    "Imvula enkulu ebinayo ebusuku idale izikhukhula ezindaweni eziningi zaseThekwini. Izakhamizi "
    "zaseMlazi nezaseNanda ziphoqeleke ukushiya imizi yazo ngemuva kokuthi amanzi engene ezindlini. "
    "UNdunankulu wesifundazwe uthe uhulumeni uthumele amaqembu okutakula futhi akukabikho mbiko "
    "wokushona kwabantu."
)


def test_a_swahili_page_in_an_english_template_is_swahili() -> None:
    from newsdesk.enrich import build_articles

    html = (
        "<html lang='en-US'><head><title>Mafuriko Dar es Salaam</title></head><body><article>"
        f"<h1>Mafuriko Dar es Salaam</h1><p>{SWAHILI}</p></article></body></html>"
    )
    page = RawPage(url="https://habari.example/mafuriko", html=html)
    extracted = extract_page(page)
    assert extracted.page_language == "en"
    (article,) = build_articles([(page, extracted)])
    assert article.language == "sw"


def test_an_unsure_detector_says_unknown_rather_than_trusting_the_template() -> None:
    from newsdesk.enrich.language import detect_language

    assert detect_language(ZULU, page_hint="en-US")[0] is None  # lid.176 knows no Zulu
    assert detect_language("Mandela Day Ubuntu", page_hint="en-US")[0] is None
    # the feed's language, given when the feed was added, is a stronger hint than the page
    assert detect_language(ZULU, page_hint="en-US", feed_hint="zu")[0] == "zu"
    # a page hint the detector gives a fair chance decides between close candidates
    assert detect_language("Breaking: Mandela Day", page_hint="en")[0] == "en"


def test_a_confident_detector_beats_both_hints() -> None:
    from newsdesk.enrich.language import detect_language

    text = "The council met on Tuesday evening to approve the new budget for the coming year."
    assert detect_language(text, page_hint="de", feed_hint="fr")[0] == "en"


def test_the_detector_reads_more_than_the_first_80_characters() -> None:
    from newsdesk.enrich.language import detect_language

    # an English headline, then a German article: read whole, the text is German
    german = (
        "Der Stadtrat hat am Dienstagabend den Haushalt für das kommende Jahr beschlossen. Nach drei "
        "Stunden Debatte über die Sanierung der alten Brücke fiel die Entscheidung mit sieben zu sechs "
        "Stimmen. Die Opposition kündigte an, das Vorhaben weiter genau zu beobachten."
    )
    language, score = detect_language("Council approves the budget after a long night of debate. " + german)
    assert language == "de" and score >= 0.6


# --- 3. pages that are not articles -------------------------------------------------------------


def _teaser(i: int) -> str:
    return (
        f"<div class='teaser'><h2><a href='/news/{i}.html'>Headline number {i} of the day's news</a></h2>"
        f"<p>{SENTENCES[i % len(SENTENCES)]}</p><time>12 Mar</time></div>"
    )


HOME = (
    "<html lang='en'><head><title>Gazette – Independent news, around the clock</title>"
    "<meta property='og:type' content='website'></head><body><header><a href='/'>Gazette</a>"
    "<p>Independent news, around the clock</p></header><main>"
    + "".join(_teaser(i) for i in range(5))
    + "</main></body></html>"
)


def test_a_home_page_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as info:
        extract_page(RawPage(url="https://gazette.example/", html=HOME))
    assert info.value.reason.startswith("not an article: og:type website")
    assert "teasers for 5 other pages" in info.value.reason


def test_a_json_ld_collection_page_is_not_an_article() -> None:
    html = HOME.replace(
        "<meta property='og:type' content='website'>",
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "CollectionPage"}'
        "</script>",
    )
    with pytest.raises(NotAnArticle, match="JSON-LD collectionpage"):
        extract_page(RawPage(url="https://gazette.example/news/", html=html))


def test_a_declared_listing_without_text_is_skipped_not_failed() -> None:
    html = (
        "<html><head><meta property='og:type' content='website'></head><body>" + _menu(8) + "</body></html>"
    )
    with pytest.raises(NotAnArticle, match="og:type website"):
        extract_page(RawPage(url="https://gazette.example/", html=html))


def test_an_article_with_og_type_website_is_kept() -> None:
    body = "<article><h1>Pool to close</h1>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article>"
    related = "<aside><h3><a href='/news/other.html'>Library to open on Sundays from May</a></h3></aside>"
    page = extract_page(
        RawPage(
            url=URL,
            html="<html><head><title>Pool to close</title><meta property='og:type' content='website'></head>"
            f"<body>{body}{related}</body></html>",
        )
    )
    assert page.paragraphs == SENTENCES


def test_an_undeclared_page_needs_only_teasers_to_be_skipped() -> None:
    undeclared = HOME.replace("<meta property='og:type' content='website'>", "")
    with pytest.raises(NotAnArticle, match="teasers for 5 other pages"):
        extract_page(RawPage(url="https://gazette.example/", html=undeclared))
    # an article with a list of related stories after it is still an article
    story = "<article>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article>"
    teasers = "".join(map(_teaser, range(3)))
    html = f"<html><head><title>Pool to close</title></head><body>{story}{teasers}</body>"
    assert extract_page(RawPage(url=URL, html=html)).paragraphs[:6] == SENTENCES


def test_importing_the_demo_site_stores_only_its_articles(tmp_path: Path) -> None:
    from newsdesk.store import Store, schema

    from .support import Cli, write_config

    site = Path(demo.__file__).parent / "site"
    articles = [p for p in site.rglob("*.html") if p.name != "index.html"]
    config = write_config(tmp_path)
    config.write_text(config.read_text("utf-8") + "\n[entities]\nenabled = false\n", "utf-8")
    cli = Cli(tmp_path / "demo.db", config, lang="en")
    result = cli("import", str(site))
    assert (
        f"{len(articles)} articles stored, 0 duplicates, 0 failed, 5 skipped (not articles)" in result.stdout
    )
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    with store.session() as session:
        skipped = session.execute(
            select(schema.RawPage.url, schema.RawPage.error).where(schema.RawPage.status == "skipped")
        ).all()
    store.close()
    assert len(skipped) == len(list(site.glob("*/index.html"))) == 5
    assert all(error.startswith("not an article: og:type website") for _, error in skipped)
    assert "Independent news, around the clock" not in cli("stories", "--json").stdout


def test_a_description_that_is_the_only_paragraph_stays_the_body() -> None:
    text = " ".join(SENTENCES[:3])
    html = (
        f"<html><head><title>Pool to close</title><meta name='description' content='{text}'></head>"
        f"<body><h1>Pool to close</h1><p>{text}</p></body></html>"
    )
    page = extract_page(RawPage(url=URL, html=html))
    assert (page.paragraphs, page.lede) == ([text], None)
