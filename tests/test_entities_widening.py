"""What the rules make of a model's names: widened to the institution before them, quoted names
closed, function words and sentence-case phrases trimmed, class nouns as evidence, and the rules'
runs in the lead of a model that reads the E5 word vectors."""

from __future__ import annotations

import pytest

from newsdesk.enrich.entities.appositions import CLASS_NOUN, with_class_evidence
from newsdesk.enrich.entities.cleanup import clean_mentions
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE
from newsdesk.enrich.entities.recognise import recognise
from newsdesk.enrich.entities.widening import widened_to_heads
from tests.support import spacy_mention


@pytest.mark.parametrize(
    ("text", "found", "type_", "widened"),
    [
        (
            "Lo dijo el Ministerio de Relaciones Exteriores ayer.",
            "Relaciones Exteriores",
            PERSON,
            "Ministerio de Relaciones Exteriores",
        ),
        ("Fuentes del Ayuntamiento de Sevilla lo negaron.", "Sevilla", PLACE, "Ayuntamiento de Sevilla"),
        (
            "Según el Consejo Nacional Electoral, votó el 60 %.",
            "Nacional Electoral",
            ORG,
            "Consejo Nacional Electoral",
        ),
        (
            "Un porte-parole du Ministère de l’Intérieur a démenti.",
            "Intérieur",
            PLACE,
            "Ministère de l’Intérieur",
        ),
        ("Il siégeait à la Société des Nations depuis 1926.", "Nations", ORG, "Société des Nations"),
        ("A spokesman for the Bank of England declined.", "England", PLACE, "Bank of England"),
    ],
)
def test_a_name_takes_in_the_head_noun_of_its_institution(
    text: str, found: str, type_: str, widened: str
) -> None:
    [mention] = widened_to_heads(text, [spacy_mention(text, found, type_)])
    assert (mention.text, mention.type) == (widened, ORG)
    assert text[mention.start : mention.end] == widened


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("El ministerio de Sevilla no respondió.", "Sevilla"),  # a head noun in lower case
        ("Die Industriekreditbank IKB meldete Verluste.", "IKB"),  # an acronym: the short form
        ("Dijo el presidente de Francia, Emmanuel Macron.", "Francia"),  # no institution
        ("El BANCO de España subió los tipos.", "España"),  # a head in capitals is a headline
    ],
)
def test_a_name_stays_as_found_without_a_capitalised_head_before_it(text: str, found: str) -> None:
    mention = spacy_mention(text, found, PLACE)
    assert widened_to_heads(text, [mention]) == [mention]


def test_a_name_is_never_widened_over_the_name_before_it() -> None:
    text = "Ministerio Sevilla"
    ministry, city = spacy_mention(text, "Ministerio", ORG), spacy_mention(text, "Sevilla", PLACE)
    assert widened_to_heads(text, [ministry, city]) == [ministry, city]


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Директор ТОВ «Енселко Агро» заявив.", "ТОВ «Енселко Агро", "ТОВ «Енселко Агро»"),
        ("Директор ТОВ « Надія » заявив.", "ТОВ « Надія", "ТОВ « Надія »"),
        ("Il travaille au journal « Le Temps » depuis 1920.", "« Le Temps", "Le Temps"),
    ],
)
def test_a_quoted_name_keeps_its_closing_quote(text: str, found: str, whole: str) -> None:
    [mention] = clean_mentions(text, [spacy_mention(text, found, ORG)], "uk")
    assert mention.text == whole
    assert text[mention.start : mention.end] == whole


def test_a_name_that_opens_no_quote_takes_none() -> None:
    text = "Компанія Енселко» заявила."
    [mention] = clean_mentions(text, [spacy_mention(text, "Енселко", ORG)], "uk")
    assert mention.text == "Енселко"


def test_a_name_ends_in_no_function_word_and_opens_with_no_article_before_an_institution() -> None:
    text = "El Banco Nacional de Maravia bajó los tipos. Llegó a Vancouver al alba."
    bank, city = (
        spacy_mention(text, "El Banco Nacional de Maravia", ORG),
        spacy_mention(text, "Vancouver al", PLACE),
    )
    assert [m.text for m in clean_mentions(text, [bank, city], "es")] == [
        "Banco Nacional de Maravia",
        "Vancouver",
    ]
    place = spacy_mention("Los Angeles ganó.", "Los Angeles", PLACE)
    assert [m.text for m in clean_mentions("Los Angeles ganó.", [place], "es")] == ["Los Angeles"]


def test_a_phrase_in_sentence_case_opening_a_sentence_is_no_name() -> None:
    text = "Hubo daños. Los equipos de rescate llegaron. Conseil constitutionnel saisi. Cruz Roja ayudó."
    found = [
        spacy_mention(text, name, PLACE)
        for name in ("Los equipos de rescate", "Conseil constitutionnel", "Cruz Roja")
    ]
    assert [m.text for m in clean_mentions(text, found, "es")] == ["Conseil constitutionnel", "Cruz Roja"]
    # Cyrillic names capitalise their first word only
    text = "Московский государственный университет открыл набор."
    found = [spacy_mention(text, "Московский государственный университет", ORG)]
    assert clean_mentions(text, found, "ru") == found


def test_a_class_noun_right_before_a_models_name_types_it() -> None:
    text = "La sonda Lyra despegó de Puerto Alba rumbo al cometa Vidal-Okafor, con un cohete de la AEA."
    found = [
        spacy_mention(text, "Lyra", PERSON),
        spacy_mention(text, "Puerto Alba", PERSON),
        spacy_mention(text, "Vidal-Okafor", PERSON),
        spacy_mention(text, "AEA", ORG),
    ]
    typed = {m.text: (m.type, m.label) for m in with_class_evidence(text, found)}
    assert typed["Lyra"] == (OTHER, CLASS_NOUN)
    assert typed["Vidal-Okafor"] == (OTHER, CLASS_NOUN)
    assert typed["Puerto Alba"][0] == PLACE  # a port's name, no person
    assert typed["AEA"][0] == ORG
    # only the word right before: not a rocket "from the Puerto Alba spaceport"
    text = "It flew aboard a rocket from the Puerto Alba spaceport."
    [mention] = with_class_evidence(text, [spacy_mention(text, "Puerto Alba", PLACE)])
    assert (mention.type, mention.label) == (PLACE, "X")


def test_a_model_reading_the_e5_vectors_gets_the_rules_runs_in_its_lead() -> None:
    # newsdesk-xx, Spanish's default, has no vector for these fictional names' words
    text = (
        "Gracias a la rebaja, el crédito crecerá. «Es el escenario previsto», explicó a este periódico "
        "Ondřej Malík, economista jefe de Pramen Bank. La gobernadora, Milena Horvátová, habló en Velgrado."
    )
    [mentions] = recognise([(text, "es")])
    found = {m.text: m for m in mentions}
    assert "Gracias" not in found  # a lone word opening a sentence, never capitalised elsewhere
    assert found["Ondřej Malík"].type != PLACE  # the whole run, not the surname the model took for a place
    assert found["Pramen Bank"].type == ORG
    assert {"Milena Horvátová", "Velgrado"} <= found.keys()
    assert all(text[m.start : m.end] == m.text for m in mentions)
