"""Wire copies: a reprint with edits is marked a copy of the earliest article and grouped in the press
review; an independent report of the same event is not; copies are found across runs; each
membership keeps the evidence that placed it, shown in the JSON review, the API and the story page."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.dedupe.copies import CopyIndex, signature
from newsdesk.models import Extracted, RawPage
from newsdesk.pipeline.process import WorkItem, load_clusterer, process_batch
from newsdesk.present.render import render_review
from newsdesk.present.review import build_review
from newsdesk.settings import CopySettings, EntitySettings, Settings, load_settings
from newsdesk.store import Store, queries, schema
from tests.support import Cli, write_config
from tests.web_support import client

WIRE = [
    "ROTTERDAM, March 4 (Wire) - Dock workers at the port of Rotterdam walked off the job on Tuesday in "
    "a dispute over automation, halting container traffic at Europe's largest port for at least 48 "
    "hours, the FNV union said.",
    "About 2,400 workers joined the strike, which began at 6 a.m. local time after talks with the "
    "terminal operators broke down late on Monday without an agreement on job guarantees.",
    '"We are not against new cranes, we are against losing our jobs to them without a plan," union '
    "negotiator Marieke de Vries told reporters outside the Maasvlakte terminal.",
    "The port authority said about 40 ships were waiting at anchor in the North Sea and that shipping "
    "lines had begun diverting vessels to Antwerp and Hamburg to limit the delays for their customers.",
    "The terminal operators said in a joint statement that they regretted the strike and remained open "
    "to talks, but that automation was needed to keep the port competitive with its rivals.",
    "Economists at ING estimated that each day of the stoppage would cost the Dutch economy around 30 "
    "million euros, mainly through delayed deliveries to factories in Germany and Belgium.",
    "The last strike at the port, in 2019, lasted three days and ended with a deal that limited the "
    "number of fully automated terminals until the end of the decade.",
]

# The same agency text as another outlet carries it: its own intro, a cut ending, a changed word or
# two, the agency's credit and a newsletter prompt, another headline.
COPY = [
    "Shipping across northern Europe faces fresh disruption this week.",
    *WIRE[1:3],
    WIRE[3].replace("had begun diverting", "began diverting"),
    WIRE[4],
    "Reporting by Anna de Boer; Editing by Mark Potter",
    "Sign up for our daily newsletter to get the latest news in your inbox.",
]

# The same event reported independently: the same facts, people and quotation, other words.
INDEPENDENT = [
    "Container traffic in Rotterdam came to a standstill on Tuesday as thousands of dock workers began "
    "a two-day strike against plans to automate more of the port's terminals.",
    "Negotiations between the FNV union and the operators collapsed on Monday evening. The union wants "
    "guarantees that no worker will be laid off as the new automated cranes arrive.",
    '"We are not against new cranes, we are against losing our jobs to them without a plan," said '
    "Marieke de Vries, who leads the talks for the union.",
    "Dozens of ships queued off the coast, and some carriers sent their vessels to Antwerp instead. "
    "Business groups warned that factories depending on the port could run short of parts within days.",
    "The operators say automation is the only way to stay competitive, while the union points to the "
    "agreement that ended the 2019 strike as a model for a new deal.",
]

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def _item(url: str, title: str, paragraphs: list[str], minutes: int) -> WorkItem:
    extracted = Extracted(
        url=url,
        canonical_url=url,
        title=title,
        paragraphs=paragraphs,
        published=T0 + timedelta(minutes=minutes),
    )
    page = RawPage(url=url, html="", outlet=url.split("/")[2], collected=datetime.now(UTC))
    return WorkItem(None, page, extracted)


def _settings(tmp_path: Path) -> Settings:
    return replace(
        Settings(db=str(tmp_path / "copies.db")), embed_batch=8, entities=EntitySettings(enabled=False)
    )


def _rows(store: Store) -> dict[str, tuple[int, int | None, int, str | None]]:
    """Each article's outlet: its id, the original it copies, its story and its evidence."""
    with store.session() as session:
        rows = session.execute(
            select(
                schema.Outlet.domain,
                schema.Article.id,
                schema.Article.copy_of,
                schema.Membership.story_id,
                schema.Membership.evidence,
            )
            .join(schema.Article, schema.Article.outlet_id == schema.Outlet.id)
            .join(schema.Membership, schema.Membership.article_id == schema.Article.id)
        ).all()
    return {
        domain: (article_id, copy_of, story, evidence)
        for domain, article_id, copy_of, story, evidence in rows
    }


def test_an_edited_reprint_is_a_copy_and_an_independent_report_is_not() -> None:
    settings = CopySettings()
    wire, copy, independent = (signature("\n".join(p), settings) for p in (WIRE, COPY, INDEPENDENT))
    assert wire and copy and independent
    index = CopyIndex(settings)
    assert index.place(1, wire, T0, T0) is None
    match = index.place(2, copy, T0 + timedelta(hours=1), T0 + timedelta(hours=1))
    assert match is not None and match.copy_of == 1 and match.containment >= settings.containment
    assert index.place(3, independent, T0 + timedelta(hours=2), T0 + timedelta(hours=2)) is None


def test_a_reprint_published_earlier_becomes_the_original_of_its_group() -> None:
    settings = CopySettings()
    wire, copy = (signature("\n".join(p), settings) for p in (WIRE, COPY))
    index = CopyIndex(settings)
    index.place(1, copy, T0 + timedelta(hours=1), T0)  # the copy came first, published later
    match = index.place(2, wire, T0, T0 + timedelta(hours=2))
    assert match is not None and match.copy_of is None and match.replaced == 1
    third = index.place(3, signature("\n".join(WIRE[:5]), settings), T0 + timedelta(hours=3), T0)
    assert third is not None and third.copy_of == 2


def test_wire_copy_is_marked_grouped_and_explained_across_runs(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    wire_title = "Rotterdam dock workers strike over automation"
    process_batch(
        store,
        load_clusterer(store, settings),
        [
            _item("https://wire.example/strike", wire_title, WIRE, 0),
            _item("https://daily.example/ports", "Port strike hits Rotterdam", INDEPENDENT, 30),
        ],
        settings,
    )
    store.close()

    # a second run, on the store reopened: the copies are compared with what the first one stored
    store = Store(settings.db_url)
    process_batch(
        store,
        load_clusterer(store, settings),
        [
            _item("https://herald.example/shipping", "Europe's biggest port at a standstill", COPY, 90),
            _item("https://post.example/rotterdam", "Strike: Rotterdam port halted", WIRE[:6], 120),
        ],
        settings,
    )
    rows = _rows(store)
    wire_id, original, story, evidence = rows["wire.example"]
    assert original is None and evidence is not None
    assert rows["herald.example"][1] == wire_id, "the reprint with edits is a copy of the wire story"
    assert rows["post.example"][1] == wire_id, "a cut reprint points to the earliest, not to another copy"
    assert rows["daily.example"][1] is None, "an independent report of the same event is no copy"
    assert rows["herald.example"][2] == rows["post.example"][2] == story, "copies follow their original"
    copy_evidence = json.loads(rows["herald.example"][3])
    assert copy_evidence["path"] == "copy" and copy_evidence["copy"]["copy_of"] == wire_id
    assert "lexical" in copy_evidence and "names" in copy_evidence

    with store.session() as session:
        view = queries.story(session, story)
    assert view is not None
    review = build_review(view, "en")
    carried = [g for g in review.copies if g.original_id == wire_id]
    assert len(carried) == 1 and carried[0].carried_by == 3
    assert set(carried[0].outlets) == {"wire.example", "herald.example", "post.example"}
    assert review.first_reported_by == "wire.example"
    assert review.independent_reports == len(review.entries) - 2
    text = render_review(review, "text")
    assert "Same text as wire.example" in text and "carried by 3 outlets" in text
    assert "independent reports" in render_review(review, "md")
    french = build_review(view, "fr")
    assert "Même texte que wire.example" in render_review(french, "text")
    assert "repris par 3 médias" in render_review(french, "md")
    herald = next(e for e in french.entries if e.outlet == "herald.example")
    assert herald.why[0].startswith("une copie de dépêche")  # the evidence in the reader's language
    english = {e["outlet"]: e["why"] for e in french.to_dict()["entries"]}
    assert english["herald.example"][0].startswith("a wire copy")  # JSON stays English
    store.close()

    # the review's JSON, the API and the story page show the evidence
    cli = Cli(tmp_path / "copies.db", write_config(tmp_path), lang="en")
    data = json.loads(cli("review", str(story), "--format", "json").output)
    assert data["independent_reports"] == review.independent_reports
    assert data["copies"][0]["carried_by"] == 3
    entries = {e["outlet"]: e for e in data["entries"]}
    assert entries["herald.example"]["copy_of"] == wire_id
    assert entries["herald.example"]["evidence"]["path"] == "copy"
    assert entries["wire.example"]["evidence"]["path"] in ("new", "lede", "plain", "quote")
    web = client(tmp_path / "copies.db", "en")
    api = web.get(f"/api/v1/stories/{story}").json()
    assert api["independent_reports"] == review.independent_reports and api["copies"][0]["carried_by"] == 3
    assert {e["outlet"]: e["evidence"]["path"] for e in api["entries"]}["herald.example"] == "copy"
    page = web.get(f"/stories/{story}").text
    assert "Why is this here?" in page and "Same text as" in page and "copy of" in page
    page = client(tmp_path / "copies.db", "fr").get(f"/stories/{story}").text
    assert "Pourquoi cet article est-il ici" in page and "Même texte que" in page and "copie de" in page


def test_articles_placed_before_evidence_was_kept_show_none(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    process_batch(
        store, load_clusterer(store, settings), [_item("https://wire.example/a", "Strike", WIRE, 0)], settings
    )
    with store.session() as session:
        session.execute(schema.Membership.__table__.update().values(evidence=None))
        story = session.scalar(select(schema.Membership.story_id))
        view = queries.story(session, story)
    assert view is not None
    review = build_review(view, "en")
    assert review.entries[0].evidence is None and review.entries[0].why == []
    page = client(tmp_path / "copies.db", "en").get(f"/stories/{story}").text
    assert "Why is this here?" not in page
    store.close()


def test_imports_in_two_runs_mark_the_later_reprint(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "imports.db", write_config(tmp_path), lang="en")

    def records(name: str, *rows: tuple[str, str, list[str], int]) -> str:
        path = tmp_path / name
        lines = [
            json.dumps(
                {
                    "url": url,
                    "title": title,
                    "text": "\n\n".join(paragraphs),
                    "published": (T0 + timedelta(minutes=minutes)).isoformat(),
                    "language": "en",
                }
            )
            for url, title, paragraphs, minutes in rows
        ]
        path.write_text("\n".join(lines) + "\n", "utf-8")
        return str(path)

    cli("import", records("first.jsonl", ("https://wire.example/strike", "Dock strike", WIRE, 0)))
    second = cli(
        "import", records("second.jsonl", ("https://herald.example/ports", "Ports halted", COPY, 60))
    )
    assert "1 wire copy" in second.output
    store = Store(f"sqlite:///{tmp_path / 'imports.db'}")
    rows = _rows(store)
    store.close()
    assert rows["herald.example"][1] == rows["wire.example"][0]
    assert rows["herald.example"][2] == rows["wire.example"][2]


def test_an_earlier_original_read_late_takes_over_its_copies(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = Store(settings.db_url)
    clusterer = load_clusterer(store, settings)
    copy = _item("https://herald.example/shipping", "Europe's biggest port at a standstill", COPY, 90)
    process_batch(store, clusterer, [copy], settings)
    wire = _item("https://wire.example/strike", "Rotterdam dock workers strike over automation", WIRE, 0)
    process_batch(store, clusterer, [wire], settings)
    rows = _rows(store)
    store.close()
    assert rows["wire.example"][1] is None
    assert rows["herald.example"][1] == rows["wire.example"][0], "the copy now points to the earlier text"
    assert rows["wire.example"][2] == rows["herald.example"][2], "the original joins its copy's story"
    assert json.loads(rows["wire.example"][3])["copy"]["copy_of"] is None


def test_copy_settings_are_read_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("[copies]\ncontainment = 0.6\nshingle_words = 4\n", "utf-8")
    settings = load_settings(config)
    assert (settings.copies.containment, settings.copies.shingle_words) == (0.6, 4)
    config.write_text("[copies]\ncontainment = 1.5\n", "utf-8")
    with pytest.raises(ValueError, match="containment"):
        load_settings(config)
