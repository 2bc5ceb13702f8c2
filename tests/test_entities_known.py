"""Known names (the gazetteer) join a model's mentions in the lead where the model found none."""

from __future__ import annotations

from newsdesk.enrich.entities import PERSON, ArticleMentions, Mention, link, recognise
from newsdesk.enrich.entities.fallback import known_mentions
from newsdesk.enrich.entities.model import ORG, PLACE, SOURCE_FALLBACK
from newsdesk.enrich.entities.recognise import _with_known, _with_tail
from tests.support import spacy_mention

TEXT = "Die Gespräche in Genf zwischen der Ukraine und Russland gingen weiter, sagte Marco Rubio."


def test_known_mentions_are_the_typed_known_names_only() -> None:
    found = known_mentions(TEXT, "de")
    assert [(m.text, m.type, m.label) for m in found] == [
        ("Genf", PLACE, "gazetteer"),
        ("Ukraine", PLACE, "gazetteer"),
        ("Russland", PLACE, "gazetteer"),
    ]
    assert known_mentions("", "de") == []


def test_a_known_name_the_model_missed_is_added_but_never_over_a_model_mention() -> None:
    model = [spacy_mention(TEXT, "Ukraine und Russland", ORG), spacy_mention(TEXT, "Marco Rubio", PERSON)]
    merged = _with_known(TEXT, model, "de")
    assert [(m.text, m.type, m.source) for m in merged] == [
        ("Genf", PLACE, SOURCE_FALLBACK),
        ("Ukraine und Russland", ORG, "spacy"),
        ("Marco Rubio", PERSON, "spacy"),
    ]


def test_the_known_names_of_the_lead_are_not_repeated_after_it_but_found_by_the_fallback() -> None:
    text = "Gespräche in Genf. Es regnete. Russland schwieg, und in Genf blieb es still."
    cut = len("Gespräche in Genf. ")
    lead = _with_known(text[:cut], [], "de")
    assert [(m.text, m.source) for m in lead] == [("Genf", SOURCE_FALLBACK)]
    tail = _with_tail(text, "de", cut, lead)[1:]
    assert [(m.text, m.label) for m in tail] == [("Russland", "gazetteer"), ("Genf", "gazetteer")]
    # a model's name is repeated after the lead
    model = [spacy_mention(text, "Genf", PLACE)]
    tail = _with_tail(text, "de", cut, model)[1:]
    assert ("Genf", "repeat") in [(m.text, m.label) for m in tail]


def test_a_models_place_that_is_a_known_organisation_takes_its_type_but_a_person_stays() -> None:
    text = "ЕС и Россия. Jordan spielte in Genf."
    model = [
        spacy_mention(text, "ЕС", PLACE),
        spacy_mention(text, "Россия", PLACE),
        spacy_mention(text, "Jordan", PERSON),
        spacy_mention(text, "Genf", ORG),
    ]
    merged = _with_known(text, model, "ru")
    assert [(m.text, m.type) for m in merged[:2]] == [("ЕС", ORG), ("Россия", PLACE)]
    merged = _with_known(text, model, "de")
    assert [(m.text, m.type) for m in merged[2:]] == [("Jordan", PERSON), ("Genf", PLACE)]


def test_a_models_person_that_is_a_known_place_of_two_words_becomes_that_place() -> None:
    text = "Jordan viajó a Estados Unidos y a Nueva Zelanda."
    model = [
        spacy_mention(text, "Jordan", PERSON),
        spacy_mention(text, "Estados Unidos", PERSON),
        spacy_mention(text, "Nueva Zelanda", PLACE),
    ]
    merged = _with_known(text, model, "es")
    assert [(m.text, m.type) for m in merged] == [
        ("Jordan", PERSON),  # one word: a first name too
        ("Estados Unidos", PLACE),
        ("Nueva Zelanda", PLACE),
    ]


def test_a_currency_is_no_name() -> None:
    text = (
        "Der Euro fiel auf 1,05 Dollar, der Yen stieg, sagte die Europäische Zentralbank in Frankfurt. "
        "Der Bund lieh sich 20 Milliarden Euro."
    )
    found = {m.text for m in recognise([(text, "de")])[0]}
    assert "Europäische Zentralbank" in found and "Frankfurt" in found
    assert not {w for name in found for w in name.split()} & {"Euro", "Dollar", "Yen"}


def _linked(*items: tuple[str, str]) -> list[set[str | None]]:
    """The entity keys each text's mentions link to, recognised and linked together."""
    found = recognise(list(items))
    linking = link([ArticleMentions(m, language) for m, (_, language) in zip(found, items, strict=True)])
    return [set(links) for links in linking.links]


def test_the_usual_short_and_local_forms_of_much_named_places_are_known() -> None:
    keys = _linked(
        ("El presidente de EE.UU. viajó a Nueva York y luego a Gran Bretaña.", "es"),
        ("Президент США прилетел в Нью-Йорк, а затем в ЮАР.", "ru"),
        ("The U.S. president flew to New York, then to South Africa and Britain.", "en"),
    )
    assert keys[0] == {"country:USA", "alias:new-york", "country:GBR"}
    assert keys[1] == {"country:USA", "alias:new-york", "country:ZAF"}
    assert keys[2] == {"country:USA", "alias:new-york", "country:ZAF", "country:GBR"}


def test_much_named_american_institutions_are_known_in_their_translations() -> None:
    keys = _linked(
        ("The State Department and the Fed said the FBI knew.", "en"),
        ("Госдепартамент и ФРС заявили, что ФБР знало.", "ru"),
        ("Das US-Außenministerium und die Fed sagten, das FBI wusste es.", "de"),
    )
    assert keys == [{"alias:us-state-department", "alias:federal-reserve", "alias:fbi"}] * 3


def test_a_models_name_that_is_part_of_a_known_name_is_that_name() -> None:
    text = "La economía de América Latina crece. Au Moyen-Orient, rien."
    model = [spacy_mention(text, "América", PLACE), spacy_mention(text, "Moyen-Orient", PLACE)]
    merged = _with_known(text, model, "es")
    assert [(m.text, m.type) for m in merged] == [("América Latina", PLACE), ("Moyen-Orient", PLACE)]
    linking = link(
        [
            ArticleMentions(merged[:1], "es"),
            ArticleMentions(_with_known("Amérique latine", [], "fr"), "fr"),
            ArticleMentions(_with_known("Lateinamerika", [], "de"), "de"),
            ArticleMentions(_with_known("In the Middle East", [], "en"), "en"),
        ]
    )
    assert {linking.links[a][0] for a in range(3)} == {"alias:latin-america"}
    assert linking.links[3] == ["alias:middle-east"]


def test_a_citys_names_in_other_languages_are_that_city() -> None:
    def places(language: str, *names: str) -> ArticleMentions:
        return ArticleMentions([Mention(n, 0, len(n), PLACE, "spacy", 0.8, "LOC") for n in names], language)

    linking = link(
        [
            places("en", "Munich", "Belgrade", "Reading"),
            places("de", "München", "Belgrad"),
            places("it", "Monaco di Baviera", "Parigi"),
            places("fr", "Paris", "Reading"),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0] == linking.links[2][0]
    assert linking.links[0][1] == linking.links[1][1] != linking.links[0][0]
    assert linking.links[2][1] == linking.links[3][0] == "alias:paris"  # the known entity
    assert linking.entity(linking.links[0][0]).name == "Munich"
    # a common word is no city of that name: "Reading" names no one entity
    assert linking.links[0][2] is None


def test_a_known_german_name_is_found_with_its_adjectives_declined() -> None:
    text = "Ein Teil gehört der Tschechischen Republik. Die Regierung des Vereinigten Königreichs schwieg."
    found = known_mentions(text, "de")
    assert [(m.text, m.type) for m in found] == [
        ("Tschechischen Republik", PLACE),
        ("Vereinigten Königreichs", PLACE),
    ]
    keys = _linked(("Laut der Europäischen Kommission wächst Weißrussland.", "de"))
    assert keys[0] == {"alias:european-commission", "country:BLR"}
