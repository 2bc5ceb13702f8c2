"""What the rules make of a model's names: widened to the institution before them, quoted names
closed, function words and sentence-case phrases trimmed, class nouns as evidence, and the rules'
runs in the lead of a model that reads the E5 word vectors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk.enrich.entities.appositions import CLASS_NOUN, with_class_evidence, without_descriptors
from newsdesk.enrich.entities.cleanup import clean_mentions
from newsdesk.enrich.entities.model import ORG, OTHER, PERSON, PLACE
from newsdesk.enrich.entities.organisations import clubs_named_by_towns, lone_institutions
from newsdesk.enrich.entities.recognise import _without_lone_openers, recognise
from newsdesk.enrich.entities.widening import (
    widened_over_administrative_nouns,
    widened_over_genitives,
    widened_over_lower_genitives,
    widened_to_heads,
    widened_to_quoted_names,
)
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


def test_a_cyrillic_person_opens_with_no_lower_case_word_but_a_particle() -> None:
    text = "Її зворушила душа Михайлини. Виступила Урсула фон дер Ляйен."
    soul, leyen, org = (
        spacy_mention(text, "душа Михайлини", PERSON),
        spacy_mention(text, "фон дер Ляйен", PERSON),
        spacy_mention(text, "душа Михайлини", ORG),
    )
    assert [m.text for m in clean_mentions(text, [soul, leyen], "uk")] == ["Михайлини", "фон дер Ляйен"]
    assert clean_mentions(text, [org], "uk")[0].text == "душа Михайлини"  # only people


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


def test_a_german_noun_saying_what_a_name_names_is_no_part_of_it() -> None:
    text = (
        "Die Nachrichtenagentur Reuters meldet, Traditionsverein Preußen Münster und Flügelspieler "
        "Louis Lynagh seien in der Hafenstadt Dalian, am Mont Ventoux und bei der Stiftung Warentest."
    )
    found = [
        spacy_mention(text, "Nachrichtenagentur Reuters", ORG),
        spacy_mention(text, "Traditionsverein Preußen Münster", PERSON),
        spacy_mention(text, "Flügelspieler Louis Lynagh", ORG),
        spacy_mention(text, "Hafenstadt Dalian", PLACE),
        spacy_mention(text, "Mont Ventoux", PLACE),
        spacy_mention(text, "Stiftung Warentest", ORG),
    ]
    names = {(m.text, m.type) for m in without_descriptors(found, "de")}
    assert names == {
        ("Reuters", ORG),
        ("Preußen Münster", ORG),
        ("Louis Lynagh", PERSON),
        ("Dalian", PLACE),
        ("Mont Ventoux", PLACE),  # a noun that opens places' own names
        ("Stiftung Warentest", ORG),  # and one that opens organisations' names
    }
    assert all(text[m.start : m.end] == m.text for m in without_descriptors(found, "de"))
    assert without_descriptors(found, "en") == found  # other languages do not capitalise nouns


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


@pytest.mark.parametrize(
    ("text", "found", "widened"),
    [
        ("Об этом заявило правительство США в пятницу.", [("США", PLACE)], "правительство США"),
        ("Депутаты парламента Грузии проголосовали.", [("Грузии", PLACE)], "парламента Грузии"),
        ("Делегация ООН прибыла в Киев.", [("ООН", ORG)], "Делегация ООН"),
        (
            "Национальный банк Украины снизил ставку.",
            [("Национальный банк", ORG), ("Украины", PLACE)],
            "Национальный банк Украины",
        ),
        ("Уряд Польщі відповів.", [("Польщі", PLACE)], "Уряд Польщі"),
    ],
)
def test_a_cyrillic_institution_takes_in_its_owner_in_the_genitive(
    text: str, found: list[tuple[str, str]], widened: str
) -> None:
    [mention] = widened_over_genitives(text, [spacy_mention(text, name, type_) for name, type_ in found])
    assert (mention.text, mention.type) == (widened, ORG)
    assert text[mention.start : mention.end] == widened


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Судді Верховного суду України відмовили.", [("Верховного суду", ORG)]),  # no place after
        ("Президент России Владимир Путин заявил.", [("России", PLACE), ("Владимир Путин", PERSON)]),
        ("Між ТОВ «Надія» Польщі немає зв'язку.", [("ТОВ «Надія»", ORG), ("Польщі", PLACE)]),  # quoted: whole
        ("Жители города Москвы вышли.", [("Москвы", PLACE)]),  # a town is no governing body
        ("The government of Georgia met.", [("Georgia", PLACE)]),  # Latin: the heads rule's work
    ],
)
def test_a_cyrillic_name_stays_as_found_without_an_institution_before_it(
    text: str, found: list[tuple[str, str]]
) -> None:
    mentions = [spacy_mention(text, name, type_) for name, type_ in found]
    assert widened_over_genitives(text, mentions) == mentions


@pytest.mark.parametrize(
    ("text", "found", "widened"),
    [
        (
            "Договір підписало ТОВ «Енселко Агро» у травні.",
            [("ТОВ", ORG), ("Енселко Агро", PERSON)],
            "ТОВ «Енселко Агро»",
        ),
        ("Гравця продав ФК «Трансфербутик».", [("ФК", ORG), ("Трансфербутик", OTHER)], "ФК «Трансфербутик»"),
        ("Подряд получило ООО „Ромашка“ без конкурса.", [("ООО", OTHER)], "ООО „Ромашка“"),
    ],
)
def test_a_legal_form_takes_in_the_quoted_name_after_it(
    text: str, found: list[tuple[str, str]], widened: str
) -> None:
    [mention] = widened_to_quoted_names(text, [spacy_mention(text, name, type_) for name, type_ in found])
    assert (mention.text, mention.type) == (widened, ORG)


def test_a_quoted_name_is_taken_only_after_a_legal_form_and_closed_by_its_own_quote() -> None:
    text = "Закон ЗУ «Про закупівлі» діє. ТОВ “Шахта “Надія” працює. ТОВ «Надія. Нова» ліквідоване."
    mentions = [spacy_mention(text, "ЗУ", OTHER), spacy_mention(text, "ТОВ", ORG)]
    assert widened_to_quoted_names(text, mentions) == mentions  # a law; “ … “ opens twice
    last = spacy_mention(text, "ТОВ «Надія", ORG)
    assert widened_to_quoted_names(text, [last]) == [last]  # a sentence ends inside


def test_a_mention_the_widening_did_not_swallow_stays() -> None:
    text = "SAP / SAP Application Developer User | 4"
    mentions = [spacy_mention(text, "SAP", ORG), spacy_mention(text, "SAP Application Developer User", ORG)]
    mentions[1] = spacy_mention(text, "SAP Application Developer User", ORG)
    assert widened_to_quoted_names(text, mentions) == mentions


@pytest.mark.parametrize(
    ("text", "found", "type_", "widened"),
    [
        ("Рішення ухвалила сесія Диканської райради вчора.", "Диканської", PERSON, ORG),
        ("Пожежа сталася у Чернівецькій області вночі.", "Чернівецькій", PLACE, PLACE),
        ("Депутати Одеської міської ради проголосували.", "Одеської", PLACE, ORG),
        ("Голова Волинської ОДА заявив.", "Волинської", OTHER, ORG),
        ("Жители Московской области пострадали.", "Московской", PLACE, PLACE),
        ("Позов розглянув Господарський суд Одеської області.", "Господарський суд Одеської", ORG, ORG),
        ("Ярмарок відкрили на Андріївському узвозі в суботу.", "Андріївському", PERSON, PLACE),
        ("Его похоронили на Байковом кладбище.", "Байковом", OTHER, PLACE),
    ],
)
def test_a_place_adjective_takes_in_the_administrative_noun_after_it(
    text: str, found: str, type_: str, widened: str
) -> None:
    [mention] = widened_over_administrative_nouns(text, [spacy_mention(text, found, type_)])
    assert mention.type == widened
    assert text[mention.end - 1] != " " and mention.text.startswith(found) and len(mention.text) > len(found)


@pytest.mark.parametrize(
    ("text", "found", "type_"),
    [
        ("Засновниками Диканської районної лікарні є громада.", "Диканської", PLACE),  # an adjective follows
        ("Прийшов Михайло Ковальський району не знав.", "Михайло Ковальський", PERSON),  # a surname
        ("Львів став столицею області.", "Львів", PLACE),  # no adjective
    ],
)
def test_no_administrative_noun_no_widening(text: str, found: str, type_: str) -> None:
    mention = spacy_mention(text, found, type_)
    assert widened_over_administrative_nouns(text, [mention]) == [mention]


def test_an_institution_named_by_its_head_noun_alone_after_an_article_is_an_organisation() -> None:
    text = (
        "El presidente del Gobierno dijo que el Congreso votará. El Gobierno Vasco calla. "
        "Gobierno y gobierno."
    )
    found = lone_institutions(text)
    assert [(m.text, m.type, text[m.start : m.end]) for m in found] == [
        ("Gobierno", ORG, "Gobierno"),
        ("Congreso", ORG, "Congreso"),
    ]  # not before another capitalised word, nor without an article, nor in lower case


def test_a_town_after_an_article_is_a_club_where_towns_take_none() -> None:
    text = "El Barcelona ganó al Parma en Barcelona. El Salvador y el Perú empataron."
    found = [
        spacy_mention(text, "Barcelona", PLACE),
        spacy_mention(text, "Parma", PLACE),
        spacy_mention(text, "Perú", PLACE),
    ]
    found.insert(
        2, replace(found[0], start=text.index("en Barcelona") + 3, end=text.index("en Barcelona") + 12)
    )
    typed = clubs_named_by_towns(text, found, "es")
    assert [(m.text, m.type) for m in typed] == [
        ("Barcelona", ORG),
        ("Parma", ORG),
        ("Barcelona", PLACE),  # "en Barcelona": the town
        ("Perú", PLACE),  # a country with its article
    ]
    assert clubs_named_by_towns(text, found, "fr") == found  # French towns take articles: "le Havre"


@pytest.mark.parametrize(
    ("text", "found", "widened"),
    [
        ("Депутати від Партії регіонів проголосували.", "Партії", "Партії регіонів"),
        ("Словник уклав Інститут української мови НАН.", "Інститут", "Інститут української мови"),
    ],
)
def test_a_cyrillic_head_noun_takes_in_the_lower_case_genitives_after_it(
    text: str, found: str, widened: str
) -> None:
    [mention] = widened_over_lower_genitives(text, [spacy_mention(text, found, OTHER)])
    assert (mention.text, mention.type) == (widened, ORG)


def test_no_genitive_after_a_function_word_an_acronym_or_a_person() -> None:
    text = "Рішення Європейського Союзу для України. Комітет заявив. ДП і фірма."
    mentions = [spacy_mention(text, "Комітет", ORG), spacy_mention(text, "ДП", ORG)]
    assert widened_over_lower_genitives(text, mentions) == mentions  # "заявив": a verb; an acronym
    union = spacy_mention("Союзу для України", "Союзу", ORG)
    assert widened_over_lower_genitives("Союзу для України", [union]) == [union]


def test_a_cyrillic_person_that_is_a_known_place_under_a_case_ending_is_the_place() -> None:
    from newsdesk.enrich.entities.recognise import _with_known

    text = "Він поїхав до Львова, а Jordan Henderson лишився."
    lviv, jordan = spacy_mention(text, "Львова", PERSON), spacy_mention(text, "Jordan", PERSON)
    assert [(m.text, m.type) for m in _with_known(text, [lviv, jordan], "uk")][:2] == [
        ("Львова", PLACE),
        ("Jordan", PERSON),  # Latin first names that are countries stay people
    ]


def test_a_cyrillic_person_holding_an_institution_word_or_an_acronym_is_an_organisation() -> None:
    from newsdesk.enrich.entities.recognise import _institution_not_person

    text = "Рішення Верховного Суду України оскаржив АМКУ, сказав Іван Коваль. ЄС мовчить."
    court, acronym, person, short = (
        spacy_mention(text, "Верховного Суду України", PERSON),
        spacy_mention(text, "АМКУ", PERSON),
        spacy_mention(text, "Іван Коваль", PERSON),
        spacy_mention(text, "ЄС", PERSON),
    )
    assert [_institution_not_person(m).type for m in (court, acronym, person, short)] == [
        ORG,
        ORG,
        PERSON,
        PERSON,
    ]


@pytest.mark.parametrize(
    ("text", "found", "type_", "names"),
    [
        (
            "Los candidatos menores como Duncan Hunter, un congresista, hablaron.",
            "Los candidatos menores como Duncan Hunter",
            PLACE,
            ["Duncan Hunter"],
        ),
        (
            "Pueblos como Veliko Tarnovo, Gabrovo, Elena, Triavna despertarán.",
            "Elena, Triavna",
            PERSON,
            ["Elena", "Triavna"],
        ),
        ("Viven en Castilla y León desde 1990.", "Castilla y León", PLACE, ["Castilla y León"]),
        (
            "Hablé con Fernando Collor de Mello ayer.",
            "Fernando Collor de Mello",
            PERSON,
            ["Fernando Collor de Mello"],
        ),
        (
            "Il habite 155, boulevard Pereire à Paris.",
            "155, boulevard Pereire",
            PLACE,
            ["155, boulevard Pereire"],
        ),
        ("Hier, le général Campenon a parlé.", "le général Campenon", PERSON, ["Campenon"]),
        (
            "La Banque nationale de Maravie a baissé ses taux.",
            "Banque nationale de Maravie",
            ORG,
            ["Banque nationale de Maravie"],
        ),
    ],
)
def test_a_person_or_place_is_cut_where_no_name_goes_on(
    text: str, found: str, type_: str, names: list[str]
) -> None:
    language = "fr" if "Il " in text or "Hier" in text or "Banque" in text else "es"
    cleaned = clean_mentions(text, [spacy_mention(text, found, type_)], language)
    assert [m.text for m in cleaned] == names
    assert all(text[m.start : m.end] == m.text for m in cleaned)


def test_a_model_of_its_own_language_loses_only_common_words_opening_a_sentence() -> None:
    text = "Difficile de dire. Hier, Jim a parlé. Soyez prudents, dit Dupont. Grenoble répond."
    found = [spacy_mention(text, name, PERSON) for name in ("Difficile", "Hier", "Jim", "Soyez", "Dupont")]
    found.append(spacy_mention(text, "Grenoble", PLACE))
    kept = _without_lone_openers(text, found, "fr", common_only=True)
    # "Jim" is too short to tell (common in some language), "Grenoble" no common word
    assert [m.text for m in kept] == ["Jim", "Dupont", "Grenoble"]
    # a model reading the E5 vectors loses every lone opener never capitalised elsewhere ("Jim"
    # follows a comma)
    assert [m.text for m in _without_lone_openers(text, found, "fr", common_only=False)] == ["Jim", "Dupont"]
    assert _without_lone_openers(text, found, "de", common_only=True) == found  # nouns are capitalised
