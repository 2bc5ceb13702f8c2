"""The demo store's entities: the most mentioned are real names of the right type, the four
names of Maravia's national bank are one entity, and quotes have a named speaker.

The demo site is collected once per test run (``tests.web_support.demo_db``) and read here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from newsdesk.store import Store, schema
from newsdesk.store import entities as entity_store
from tests.web_support import demo_db

TOP = 15
# Every name that may rank among the most mentioned, with its type. A port and a port
# terminal are places the models also type as the organisation that runs them: both accepted.
EXPECTED = {
    "United Port Workers": {"ORG"},
    "Maggie Colquhoun": {"PERSON"},
    "Desmond Achterberg": {"PERSON"},
    "Atlético Valmarín": {"ORG"},
    "VfB Kellheim": {"ORG"},
    "Mateo Ibarra": {"PERSON"},
    "Rafael Soler": {"PERSON"},
    "Álvaro Quintana": {"PERSON"},
    "Callum Reid": {"PERSON"},
    "Eastquay": {"PLACE", "ORG"},
    "Puerto Alba": {"PLACE"},
    "SIRÈNE": {"OTHER"},
    "Pont-Vieux": {"PLACE"},
    "Anne-Sophie Lemaire": {"PERSON"},
    "Hervé Caradec": {"PERSON"},
    "Bernard Thouvenot": {"PERSON"},
    "National Bank of Maravia": {"ORG"},
    "Milena Horvátová": {"PERSON"},
    "Pavel Rusnák": {"PERSON"},
    "Petrel": {"OTHER"},
    "Lyra": {"OTHER"},  # the probe: "la sonda Lyra", "die Raumsonde Lyra"
    "Kingsholm": {"PLACE", "ORG"},
    "Saltmere": {"PLACE", "ORG"},
    "Cerro Amarillo": {"PLACE"},
    "Ingrid Halvorsen": {"PERSON"},
    "Arena Tejo": {"PLACE", "ORG"},
    "Jonas Kettler": {"PERSON"},
    "Niklas Sauer": {"PERSON"},
    "France": {"PLACE"},
    "Lisbon": {"PLACE"},
    "Valbrune": {"PLACE"},
}
BANK = {
    "National Bank of Maravia",
    "Banque nationale de Maravie",
    "Maravische Nationalbank",
    "Banco Nacional de Maravia",
}


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    opened = Store(f"sqlite:///{demo_db()}")
    yield opened
    opened.close()


def test_most_mentioned_entities_are_real_names_of_the_right_type(store: Store) -> None:
    with store.session() as session:
        top = entity_store.entities(session, limit=TOP)
    assert len(top) == TOP
    wrong = [(e.name, e.type) for e in top if e.type not in EXPECTED.get(e.name, set())]
    assert not wrong, f"not a name, or not of its type: {wrong}"


def test_the_bank_has_one_entity_in_four_languages(store: Store) -> None:
    with store.session() as session:
        rows = session.execute(
            select(schema.Mention.text, schema.Mention.entity_id).where(
                schema.Mention.text.contains("Maravi") | schema.Mention.text.contains("Nationalbank")
            )
        ).all()
        named = {text.removeprefix("The "): entity for text, entity in rows}
        assert named.keys() >= BANK
        entities = {named[name] for name in BANK}
        assert len(entities) == 1
        bank = session.get(schema.Entity, entities.pop())
        assert (bank.name, bank.type) == ("National Bank of Maravia", "ORG")


def test_every_quote_has_a_person_or_organisation_named_in_its_article(store: Store) -> None:
    with store.session() as session:
        quotes = entity_store.quotes(session)
        named = {
            (article, entity)
            for article, entity in session.execute(
                select(schema.Mention.article_id, schema.Mention.entity_id).where(
                    schema.Mention.entity_id.is_not(None)
                )
            )
        }
        types = {
            entity: type_ for entity, type_ in session.execute(select(schema.Entity.id, schema.Entity.type))
        }
    assert quotes
    unnamed = [
        (q.article_id, q.speaker, q.text[:40])
        for q in quotes
        if q.speaker_entity_id is None
        or types.get(q.speaker_entity_id) not in {"PERSON", "ORG"}
        or (q.article_id, q.speaker_entity_id) not in named
    ]
    assert not unnamed, unnamed


def test_entities_a_model_found_come_before_those_only_the_rules_found(store: Store) -> None:
    with store.session() as session:
        listed = entity_store.entities(session)
        story = session.scalars(select(schema.Story.id)).first()
        in_story = entity_store.story_entities(session, story)
    for found in (listed, in_story):
        flags = [e.fallback for e in found]
        assert flags == sorted(flags)
    assert any(e.fallback for e in listed) and not listed[0].fallback


def test_names_an_article_took_from_its_story_are_the_entities_its_story_names(store: Store) -> None:
    mention, membership = schema.Mention, schema.Membership
    with store.session() as session:
        rows = session.execute(
            select(mention.article_id, mention.entity_id, mention.label, membership.story_id).join(
                membership, membership.article_id == mention.article_id
            )
        ).all()
    named = {(story, entity, article) for article, entity, label, story in rows if label != "story"}
    taken = [(article, entity, story) for article, entity, label, story in rows if label == "story"]
    assert taken, "the German and Spanish reports take names their story's other reports hold"
    orphans = [
        (article, entity)
        for article, entity, story in taken
        if entity is None or not any(s == story and e == entity and a != article for s, e, a in named)
    ]
    assert not orphans
