"""Known names (the gazetteer) join a model's mentions in the lead where the model found none."""

from __future__ import annotations

from newsdesk.enrich.entities import PERSON, Mention, recognise
from newsdesk.enrich.entities.fallback import known_mentions
from newsdesk.enrich.entities.model import ORG, PLACE, SOURCE_FALLBACK
from newsdesk.enrich.entities.recognise import _with_known

TEXT = "Die Gespräche in Genf zwischen der Ukraine und Russland gingen weiter, sagte Marco Rubio."


def spacy_mention(text: str, name: str, type_: str) -> Mention:
    start = text.index(name)
    return Mention(name, start, start + len(name), type_, "spacy", 0.8, "X")


def test_known_mentions_are_the_typed_known_names_only() -> None:
    found = known_mentions(TEXT, "de")
    assert [(m.text, m.type, m.label) for m in found] == [
        ("Genf", PLACE, "gazetteer"),
        ("Ukraine", PLACE, "gazetteer"),
        ("Russland", PLACE, "gazetteer"),
    ]
    assert known_mentions("", "de") == []


def test_a_known_name_the_model_missed_is_added_but_never_over_a_model_mention() -> None:
    model = [spacy_mention(TEXT, "Ukraine", ORG), spacy_mention(TEXT, "Marco Rubio", PERSON)]
    merged = _with_known(TEXT, model, "de")
    assert [(m.text, m.type, m.source) for m in merged] == [
        ("Genf", PLACE, SOURCE_FALLBACK),
        ("Ukraine", ORG, "spacy"),
        ("Russland", PLACE, SOURCE_FALLBACK),
        ("Marco Rubio", PERSON, "spacy"),
    ]


def test_the_known_names_of_the_lead_are_not_repeated_after_it_but_found_by_the_fallback() -> None:
    text = (
        "Gespräche in Genf. "
        + "Es regnete den ganzen Tag. " * 3
        + "Russland schwieg, und in Genf blieb es still."
    )
    found = recognise([(text, "de")], {"de": "newsdesk-de"}, max_chars=40)[0]
    tail = [m for m in found if m.start > 40]
    assert {(m.text, m.label) for m in tail} >= {("Genf", "gazetteer"), ("Russland", "gazetteer")}
    assert not [m for m in tail if m.label == "repeat" and m.source == SOURCE_FALLBACK]
