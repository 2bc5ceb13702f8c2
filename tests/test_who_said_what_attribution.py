"""Speaker attribution in French, Spanish, Russian and Ukrainian: pronouns by gender and distance,
role phrases, unexpressed subjects, possessive sources, colon introductions, and phrases that name
nobody (quotes/referents.py)."""

from __future__ import annotations

from newsdesk.enrich.quotes import extract_quotes


def speakers(text: str, language: str) -> dict[str, str | None]:
    """The speaker of each quote, keyed by the quote's first word."""
    return {q.text.split()[0].strip("«»"): q.speaker for q in extract_quotes(text, language)}


def test_french_inverted_pronoun_goes_to_the_nearest_person_of_its_gender() -> None:
    text = (
        "« L’inflation a baissé », a déclaré la gouverneure Milena Horvátová.\n"
        "Pour ce spécialiste, Julien Faure, économiste chez Arnaud, la décision a valeur de test. "
        "« Si la Maravie réussit, d’autres suivront », estime-t-il.\n"
        "« Nous resterons prudents », a-t-elle ajouté."
    )
    found = speakers(text, "fr")
    assert found["Si"] == "Julien Faure"  # not the woman named first, nor "la Maravie" in the quote
    assert found["Nous"] == "Milena Horvátová"


def test_french_selon_lui_and_a_role_set_off_by_commas() -> None:
    text = (
        "« Nous ne nous laisserons pas remplacer », a martelé lundi la secrétaire générale de l’UPW, "
        "Maggie Colquhoun. Le ministre de l’Industrie, Étienne Roussel, a reçu les syndicats. "
        "Selon lui, le dialogue reprendra mardi. Interrogé sur une aide, le ministre a répondu que "
        "rien n’était exclu."
    )
    found = speakers(text, "fr")
    assert found["Nous"] == "Maggie Colquhoun"  # not "UPW"
    assert found["le"] == "Étienne Roussel"
    assert found["rien"] == "Étienne Roussel"


def test_phrases_that_name_nobody_are_no_speakers() -> None:
    french = (
        "Pour les ménages, l’annonce est un soulagement. Les marchés ont réagi avec mesure. "
        "Le duel s’annonce serré."
    )
    assert all(q.speaker is None for q in extract_quotes(french, "fr"))
    assert not [q for q in extract_quotes(french, "fr") if q.speaker in {"est un soulagement", "Les marchés"}]
    spanish = (
        "«Es el escenario que habíamos previsto», explicó Ondřej Malík, economista jefe. Malík cree "
        "probable una segunda rebaja, aunque reconoce que el tono fue duro."
    )
    found = {q.speaker for q in extract_quotes(spanish, "es")}
    assert found == {"Ondřej Malík"}  # never "aunque"; a Czech name is a name


def test_spanish_unexpressed_subject_and_addressee() -> None:
    text = (
        "El portavoz del Partido Vecinal, Andrés Galindo, criticó el plan. Añadió que su grupo "
        "presentará alegaciones.\n"
        "«En otras ciudades ha funcionado», dijo a este diario Rosario Llamas. «No veo por qué aquí "
        "no va a funcionar», dijo a este diario."
    )
    found = speakers(text, "es")
    assert found["su"] == "Andrés Galindo"  # not the party
    assert found["En"] == "Rosario Llamas" and found["No"] == "Rosario Llamas"


def test_spanish_segun_el_and_colon_introduction() -> None:
    text = (
        "El consejero, Jaime Roldán, compareció el lunes. Según él, la mitad de los colegios carecen "
        "de aire acondicionado.\n"
        "Aun así, la gobernadora, Milena Horvátová, quiso enfriar las expectativas: «Este es un primer "
        "paso, no el comienzo de una serie»."
    )
    found = speakers(text, "es")
    assert found["la"] == "Jaime Roldán"
    assert found["Este"] == "Milena Horvátová"


def test_russian_pronouns_and_verb_endings_mark_gender() -> None:
    text = (
        "«Каждое утро я трачу на дорогу сорок минут», — рассказала Ирина Сомова. Депутат Олег Гришин "
        "заявил, что потребует объяснений.\n"
        "«Пробка растягивается на весь проспект», — добавила она. «Деньги бюджетные», — подчеркнул он. "
        "По её словам, автобусы ходят редко."
    )
    found = speakers(text, "ru")
    assert found["Пробка"] == "Ирина Сомова"
    assert found["Деньги"] == "Олег Гришин"
    assert found["автобусы"] == "Ирина Сомова"


def test_ukrainian_unexpressed_subjects_roles_and_participles() -> None:
    text = (
        "«Хлопці показали характер», — сказав після гри головний тренер Олег Ткачук. Тренер додав, "
        "що у фіналі знадобиться більше енергії.\n"
        "Міністерка Людмила Гордієнко відвідала села. Голова громади Богдан Савчук подякував, "
        "зазначивши, що вода пошкодила посіви. «Без допомоги ми не відновимося», — сказала вона."
    )
    found = speakers(text, "uk")
    assert found["у"] == "Олег Ткачук"  # "Тренер" is the coach named before
    assert found["вода"] == "Богдан Савчук"  # the participle's subject, not the last speaker
    assert found["Без"] == "Людмила Гордієнко"  # "вона": the woman, past the man named since


def test_russian_adverb_before_an_inverted_cue() -> None:
    text = "Лучшим стал Денис Павленко. «Я просто делал свою работу», — скромно отметил он."
    assert speakers(text, "ru") == {"Я": "Денис Павленко"}


def test_dialogue_dash_after_a_quotation_holding_a_dash() -> None:
    text = (
        "«Основа матеріалу — кукурудзяний крохмаль», — розповів керівник проєкту Тарас Зінченко.\n"
        "Міністр Світлана Полякова відвідала школи. «Проблема кадрів — головна для сільських шкіл», "
        "— заявила вона на зустрічі з директорами."
    )
    found = speakers(text, "uk")
    assert found["Основа"] == "Тарас Зінченко"
    assert found["Проблема"] == "Світлана Полякова"  # "вона", not "вона на зустрічі з директорами"


def test_spanish_relative_clause_verb_is_no_unexpressed_speaker() -> None:
    text = (
        "El alcalde, Bernard Thouvenot, aseguró que no veía el río tan alto. Buena parte del barrio "
        "se levantó sobre prados, recuerdan las asociaciones ecologistas, que piden revisar los planes."
    )
    found = {q.cue: q.speaker for q in extract_quotes(text, "es")}
    assert found["recuerdan"] == "las asociaciones ecologistas"
    assert "piden" not in found  # not "Bernard Thouvenot"
    assert {q.speaker for q in extract_quotes("El sindicato reclama una subida del 8 %.", "es")} == {
        "El sindicato"
    }


def test_a_group_of_people_and_an_unnamed_one_then_named() -> None:
    text = (
        "Des géologues rappellent toutefois que les pluies de ce printemps sont exceptionnelles. "
        "« Aucun ouvrage n’est conçu pour résister à n’importe quoi », nuance l’un d’eux, Bertrand "
        "Gayraud, chercheur à l’université de Toulouse. Les marchés ont réagi avec mesure."
    )
    found = {q.cue: q.speaker for q in extract_quotes(text, "fr")}
    assert found == {"rappellent": "Des géologues", "nuance": "Bertrand Gayraud"}


def test_french_pour_introduces_a_source_only_before_one() -> None:
    text = (
        "« Le ton est prudent », analyse Julien Faure, économiste. Pour ce spécialiste, la décision "
        "a valeur de test. Pour la CGT, le groupe a versé 45 millions de dividendes. Pour les ménages "
        "maraviens, l’annonce est un soulagement. Pour Puerto Alba, c’est une première."
    )
    found = {q.text.split()[0]: q.speaker for q in extract_quotes(text, "fr")}
    assert found == {"Le": "Julien Faure", "la": "Julien Faure", "le": "CGT"}


def test_a_name_qualifying_a_role_is_not_the_speaker() -> None:
    text = (
        "Kellheim coach Uwe Brandner said his side had given everything. "
        "On the other bench, Valmarín's Rafael Soler praised his side's refusal to give up."
    )
    found = [(q.text.split()[2], q.speaker) for q in extract_quotes(text, "en")]
    assert found == [("had", "Uwe Brandner"), ("refusal", "Rafael Soler")]  # not the clubs


def test_naming_and_a_bare_infinitive_are_no_cues() -> None:
    text = (
        "Lyra will release a small lander, called Petrel, which will drill into the ice. "
        "Reid stood up well to deny Ibarra one-on-one shortly after half-time."
    )
    assert extract_quotes(text, "en") == []
    text = "The minister refused to say whether the plan would go ahead."
    assert [q.text for q in extract_quotes(text, "en")] == ["whether the plan would go ahead"]


def test_spanish_para_a_place_is_no_source_and_a_role_apposition_is_skipped() -> None:
    text = (
        "Para Puerto Alba, el lanzamiento supone un salto cualitativo. "
        "Según Hervé Caradec, jefe del servicio de bomberos de la zona, el hombre consiguió salir."
    )
    quotes = extract_quotes(text, "es")
    assert [(q.text, q.speaker) for q in quotes] == [("el hombre consiguió salir", "Hervé Caradec")]


def test_german_pronoun_goes_to_the_woman_just_introduced_and_names_the_recogniser_missed() -> None:
    text = (
        "„Oberste Priorität hat die Sicherheit“, sagte Präfektin Anne-Sophie Lemaire.\n"
        "Die Hydrologin Regina Falk vom Forschungsverbund Wasser rechnet mit sinkenden Pegeln. "
        "„Die Böden sind gesättigt. Jeder Regen fließt in den Fluss“, sagte sie.\n"
        "Notenbankchefin Milena Horvátová dämpfte die Erwartungen. „Das ist ein erster Schritt“, "
        "sagte sie. „Viele haben Investitionen zurückgestellt“, sagte Sabine Krüger, "
        "Geschäftsführerin der Handelskammer."
    )
    # the recogniser found only the prefect; the others are names the fallback finds
    start = text.index("Anne-Sophie")
    quotes = extract_quotes(text, "de", [(start, start + len("Anne-Sophie Lemaire"), "PER")])
    by_text = {q.text.split()[0]: q.speaker for q in quotes}
    assert by_text["Die"] == "Hydrologin Regina Falk"
    assert by_text["Das"] == "Milena Horvátová"
    assert by_text["Viele"] == "Sabine Krüger"  # the quotation, not the apposition after the name
