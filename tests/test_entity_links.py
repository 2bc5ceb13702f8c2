"""Linking across languages: translated organisation names, case endings, demonyms, scripts;
and the cross-language agreement measure (``newsdesk eval entity-links``) on a tiny set."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsdesk.enrich.entities import ORG, OTHER, PERSON, PLACE, ArticleMentions, Mention, link
from newsdesk.enrich.entities.fallback import fallback_mentions
from newsdesk.evaluation.entity_links import link_versions, read_versions, score, with_story_names


def _article(language: str, *names: tuple[str, str], label: str = "X", lemma: str | None = None):
    mentions = [Mention(text, 0, len(text), type_, "spacy", 0.9, label, lemma) for text, type_ in names]
    return ArticleMentions(mentions, language)


def _person(language: str, name: str, story: int, lemma: str | None = None) -> ArticleMentions:
    """An article of ``story`` naming one person (with the model's dictionary form, if any)."""
    return ArticleMentions([Mention(name, 0, len(name), PERSON, "spacy", 0.9, "PER", lemma)], language, story)


def _entity_of(linking, article: int, mention: int = 0):
    return linking.entity(linking.links[article][mention])


def test_a_translated_organisation_name_is_one_organisation() -> None:
    linking = link(
        [
            _article("en", ("National Bank of Maravia", ORG)),
            _article("fr", ("Banque nationale de Maravie", OTHER)),
            _article("de", ("Maravische Nationalbank", OTHER)),
            _article("es", ("Banco Nacional de Maravia", OTHER)),
            _article("ru", ("Национальный банк Маравии", ORG)),
            _article("en", ("Maravia", PLACE)),
        ]
    )
    keys = {linking.links[a][0] for a in range(5)}
    assert len(keys) == 1
    bank = _entity_of(linking, 0)
    assert (bank.name, bank.type) == ("National Bank of Maravia", ORG)
    assert linking.links[5][0] not in keys  # the country is not its bank


def test_case_endings_and_scripts_are_one_person() -> None:
    linking = link(
        [
            _article("en", ("Vladimir Putin", PERSON), ("Terry Pratt", PERSON)),
            _article("ru", ("Путина", PERSON), ("Терри Пратт", PERSON), label="PER"),
            _article("uk", ("Путіна", PERSON)),
        ]
    )
    putin = linking.links[0][0]
    assert linking.links[1][0] == putin and linking.links[2][0] == putin
    assert linking.links[1][1] == linking.links[0][1]


def test_a_model_lemma_that_no_other_text_attests_gives_way_to_the_written_form() -> None:
    linking = link(
        [
            _article("en", ("Terry Pratt", PERSON)),
            _article("ru", ("Терри Пратт", PERSON), lemma="Терри Пратта"),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0]


def test_demonyms_are_no_places_and_inflected_countries_are_the_country() -> None:
    linking = link(
        [
            _article("en", ("American", PLACE), ("Russian", ORG)),
            _article("fr", ("Américains", PLACE)),
            _article("cs", ("Německa", PLACE)),
            _article("de", ("Deutschland", PLACE)),
            _article("fr", ("Européens", PLACE)),
            _article("de", ("Europäer", PLACE)),
            _article("cs", ("Evropy", PLACE)),
        ]
    )
    american = _entity_of(linking, 0)
    assert american.type == OTHER and linking.links[1][0] == american.key
    assert _entity_of(linking, 0, 1).type == OTHER
    assert linking.links[2][0] == linking.links[3][0] == "country:DEU"
    europeans = _entity_of(linking, 4)  # a region's demonyms too
    assert europeans.type == OTHER and linking.links[5][0] == europeans.key
    assert linking.links[6][0] == "alias:europe"


def test_demonyms_whose_stem_is_no_stem_of_the_country_are_no_places_either() -> None:
    linking = link(
        [
            _article("en", ("French", PLACE), ("English", PLACE), ("Dutch", ORG), ("Scott", PLACE)),
            _article("fr", ("Allemands", PLACE), ("Britanniques", ORG), ("Irlande", PLACE)),
            _article("de", ("Engländer", PLACE), ("Afghanen", ORG)),
        ]
    )
    english = _entity_of(linking, 0, 1)
    assert [_entity_of(linking, 0, m).type for m in range(3)] == [OTHER] * 3
    assert english.key == "other:demonym-england" and linking.links[2][0] == english.key
    assert [_entity_of(linking, 1, m).type for m in range(2)] == [OTHER] * 2
    assert _entity_of(linking, 0, 3).type == PLACE  # a name, whose letters "Scottish" holds
    assert linking.links[1][2] == "country:IRL"  # the country's own name
    assert _entity_of(linking, 2, 1).key == "other:demonym-afg"


def test_a_political_group_named_by_its_members_is_no_person_nor_organisation() -> None:
    linking = link(
        [
            _article("en", ("Republican", PERSON), ("Republicans", ORG), ("Tories", ORG)),
            _article("de", ("Republikaner", ORG), ("Demokraten", ORG), ("Republikanische Partei", ORG)),
        ]
    )
    republicans = _entity_of(linking, 0)
    assert republicans.type == OTHER and republicans.key == "other:group-republicans"
    assert linking.links[0][1] == linking.links[1][0] == republicans.key
    assert _entity_of(linking, 0, 2).key == "other:group-conservatives"
    assert _entity_of(linking, 1, 2).type == ORG  # the party's own name


def test_bodies_named_by_one_concept_are_one_within_their_story_whatever_their_type() -> None:
    def body(language: str, story: int, name: str, type_: str) -> ArticleMentions:
        return ArticleMentions([Mention(name, 0, len(name), type_, "spacy", 0.9, "X")], language, story)

    linking = link(
        [
            body("en", 1, "Treasury", ORG),
            body("fr", 1, "Trésor", PLACE),
            body("fr", 2, "Trésor", ORG),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0]
    assert linking.links[2][0] != linking.links[0][0]  # another story's treasury may be another's


def test_an_acronym_and_a_club_short_form_are_the_organisation_in_their_article() -> None:
    linking = link(
        [
            _article("en", ("United Port Workers", ORG), ("UPW", OTHER)),
            _article("de", ("VfB Kellheim", PERSON), ("Kellheim", PERSON)),
        ]
    )
    assert linking.links[0][0] == linking.links[0][1]
    club = _entity_of(linking, 1)
    assert club.type == ORG and linking.links[1][1] == club.key


def test_sound_alikes_in_another_script_join_only_with_shared_context() -> None:
    shared = [("Premier League", ORG), ("Arsenal", ORG)]
    linking = link(
        [
            _article("en", ("Fulham", ORG), *shared),
            _article("ru", ("Фулхэм", ORG), *shared),
            _article("ru", ("Фулхэм", ORG)),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0] == linking.links[2][0]
    alone = link([_article("en", ("Fulham", ORG)), _article("ru", ("Фулхэм", ORG))])
    assert alone.links[0][0] != alone.links[1][0]
    # but a city's names are one city, context or none (GeoNames: "Уотфорд" is Watford)
    city = link([_article("en", ("Watford", ORG)), _article("ru", ("Уотфорд", ORG))])
    assert city.links[0][0] == city.links[1][0]


def test_a_class_noun_before_a_guessed_name_gives_its_type() -> None:
    def typed(text: str, language: str) -> list[tuple[str, str]]:
        return [(m.text, m.type) for m in fallback_mentions(text, language)]

    assert ("Cerro Amarillo", PLACE) in typed("Die Bodenstation Cerro Amarillo empfängt Signale.", "de")
    assert ("Cerro Amarillo", PLACE) in typed("La estación de seguimiento de Cerro Amarillo oyó.", "es")
    assert ("Lyra", OTHER) in typed("Hier, la sonde Lyra a décollé.", "fr")
    # a class noun behind a comma or before a role is no apposition
    assert ("Ingrid Halvorsen", PLACE) not in typed("Dijo la directora de la misión, Ingrid Halvorsen.", "es")
    assert ("Ingrid Halvorsen", OTHER) in typed("People: mission director Ingrid Halvorsen said.", "en")
    linking = link([_article("fr", ("Cerro Amarillo", PERSON)), _apposition("es", "Cerro Amarillo", PLACE)])
    assert _entity_of(linking, 0).type == PLACE


def _apposition(language: str, text: str, type_: str) -> ArticleMentions:
    return ArticleMentions([Mention(text, 0, len(text), type_, "fallback", 0.3, "apposition")], language)


def test_agreement_is_counted_per_translation_language(tmp_path: Path) -> None:
    rows = [
        {"group_id": "g1", "lang": "en", "is_original": True, "title": "x", "text": ""},
        {"group_id": "g1", "lang": "fr", "is_original": False, "title": "x", "text": ""},
        {"group_id": "g1", "lang": "de", "is_original": False, "title": "x", "text": ""},
    ]
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    versions = read_versions(path)
    assert [v.language for v in versions] == ["en", "fr", "de"]
    assert [v.language for v in read_versions(path, {"de"})] == ["en", "de"]
    mentions = [
        [Mention("Poutine", 0, 7, PERSON, "spacy", 1.0), Mention("Kremlin", 8, 15, ORG, "spacy", 1.0)],
        [Mention("Poutine", 0, 7, PERSON, "spacy", 1.0)],
        [Mention("Putin", 0, 5, PERSON, "fallback", 0.6), Mention("Kreml", 6, 11, ORG, "fallback", 0.6)],
    ]
    result = score(versions, link_versions(versions, mentions))
    assert result["groups"] == 1
    assert result["by_language"]["fr"]["agreement"] == 0.5
    assert result["by_language"]["de"]["agreement"] == 1.0
    assert result["all"]["wanted"] == 4 and result["all"]["found"] == 3


def test_weekdays_numbers_quote_openers_and_roles_alone_are_no_names() -> None:
    from newsdesk.enrich.entities.cleanup import clean_mentions

    def kept(text: str, fragment: str, language: str) -> list[str]:
        start = text.index(fragment)
        mention = Mention(fragment, start, start + len(fragment), OTHER, "spacy", 0.9)
        return [m.text for m in clean_mentions(text, [mention], language)]

    assert kept("Il est venu Mercredi matin.", "Mercredi matin", "fr") == []
    assert kept("Es streikten 1400 Hafenarbeiter.", "1400 Hafenarbeiter", "de") == ["Hafenarbeiter"]
    assert kept("Er sagte: „Für den VfB Kellheim war es hart“.", "Für den VfB Kellheim", "de") == [
        "VfB Kellheim"
    ]
    assert kept("Das sagte Präfektin Lemaire.", "Präfektin", "de") == []
    assert kept("Samedi, le ministre a parlé.", "Samedi", "fr") == []
    assert kept("Am Freitag kam er.", "Freitag", "de") == []
    assert kept("He left. I'm sure of it.", "I'm", "en") == []
    assert kept("He left. It's late.", "It's", "en") == []
    assert kept("It was Macy's fault.", "Macy's", "en") == ["Macy's"]
    assert kept("Theresa May said so.", "May", "en") == ["May"]  # a month may be a name


def test_a_german_role_before_an_organisation_is_no_part_of_its_name() -> None:
    text = "Das sagte die Geschäftsführerin der Deutsch-Maravischen Handelskammer, Petra Lindemann."
    found = {m.text: m.type for m in fallback_mentions(text, "de")}
    assert found.get("Deutsch-Maravischen Handelskammer") == ORG
    assert not any("Geschäftsführerin" in name for name in found)
    assert "Ursula von der Leyen" in {
        m.text for m in fallback_mentions("Heute sprach Ursula von der Leyen.", "de")
    }


def test_latin_spellings_nearly_alike_join_in_context_only() -> None:
    shared = [("Deutsche Bank", ORG), ("Commerzbank", ORG)]
    linking = link(
        [_article("de", ("Frankfurt", PLACE), *shared), _article("fr", ("Francfort", PLACE), *shared)]
    )
    assert linking.links[0][0] == linking.links[1][0]
    apart = link([_article("en", ("Belgian", PLACE), *shared), _article("it", ("Bologna", PLACE), *shared)])
    assert apart.links[0][0] != apart.links[1][0]


def test_a_titled_name_is_a_person_whatever_the_model_said() -> None:
    linking = link([_article("en", ("Coach Rüdiger Rehm", ORG)), _article("de", ("Rüdiger Rehm", PERSON))])
    assert linking.links[0][0] == linking.links[1][0]
    assert _entity_of(linking, 0).type == PERSON
    assert _entity_of(link([_article("en", ("General Electric Company", ORG))]), 0).type == ORG


def test_a_currency_is_no_organisation() -> None:
    linking = link([_article("en", ("Euro", ORG)), _article("ru", ("доллар", ORG), ("Dollar", PLACE))])
    assert {_entity_of(linking, 0).type, _entity_of(linking, 1).type, _entity_of(linking, 1, 1).type} == {
        OTHER
    }


def test_a_speech_verb_or_a_relative_for_people_makes_a_guessed_name_a_person() -> None:
    def typed(text: str) -> dict[str, str]:
        return {m.text: m.type for m in fallback_mentions(text, "en")}

    assert typed("The problem is the backlog, said Tobias Lindgren, the head.")["Tobias Lindgren"] == PERSON
    assert typed("Lorna Fairweather, who runs a café, agreed.")["Lorna Fairweather"] == PERSON
    assert typed("We met Harbour Road Partners, which is new.").get("Harbour Road Partners") != PERSON


def test_linked_in_stories_a_translation_takes_the_names_of_its_original(tmp_path: Path) -> None:
    original = "Mitt Romney visited Seattle."
    translation = "Romney besuchte Seattle."
    rows = [
        {"group_id": "g1", "lang": "en", "is_original": True, "title": "", "text": original},
        {"group_id": "g1", "lang": "de", "is_original": False, "title": "", "text": translation},
    ]
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    versions = read_versions(path)
    mentions = [
        [
            Mention("Mitt Romney", 0, 11, PERSON, "spacy", 0.9, "PERSON"),
            Mention("Seattle", 20, 27, PLACE, "spacy", 0.9, "GPE"),
        ],
        [],
    ]
    alone = score(versions, link_versions(versions, mentions))
    assert alone["by_language"]["de"]["agreement"] == 0.0
    completed = with_story_names(versions, mentions, [7, 7])  # one story (of the clusterer's)
    assert [m.text for m in completed[1]] == ["Romney", "Seattle"]
    together = score(versions, link_versions(versions, completed, [7, 7]))
    assert together["by_language"]["de"]["agreement"] == 1.0
    apart = with_story_names(versions, mentions, [7, 8])
    assert apart[1] == []


def test_in_one_story_a_first_name_spelt_alike_is_the_same_person() -> None:
    linking = link(
        [
            _person("fr", "Nicolas Sarkozy", 1),
            _person("ru", "Николя Саркози", 1),
            _person("en", "John Smith", 3),
            _person("en", "Jane Smith", 3),  # not spelt alike: another person
        ]
    )
    keys = [found[0] for found in linking.links]
    assert keys[0] == keys[1]
    assert keys[2] != keys[3]
    apart = link([_person("fr", "Nicolas Sarkozy", 1), _person("ru", "Николя Саркози", 2)])
    assert apart.links[0][0] != apart.links[1][0]  # in two stories: no reason to think it is him


def test_in_one_story_full_names_spelt_alike_in_two_scripts_are_one_person() -> None:
    together = link(
        [
            _person("en", "Dennis M. Walcott", 1),
            _person("ru", "Деннис М. Уолкотт", 1),
            _person("en", "Lindsey Graham", 1),
            _person("ru", "Линдси Грэхам", 1),
            _person("en", "David Miliband", 2),
            _person("ru", "Эд Милибэнд", 2),  # his brother: another first name
        ]
    )
    keys = [found[0] for found in together.links]
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]
    assert keys[4] != keys[5]
    apart = link([_person("en", "Dennis M. Walcott", 1), _person("ru", "Деннис М. Уолкотт", 2)])
    assert apart.links[0][0] != apart.links[1][0]  # in two stories: nothing says it is him


def named(language: str, name: str, type_: str, story: int) -> ArticleMentions:
    """One article in ``story`` naming ``name`` alone, as a model typed it."""
    return ArticleMentions([Mention(name, 0, len(name), type_, "spacy", 0.9, "X")], language, story)


def story_keys(articles: list[ArticleMentions], name_vectors=None) -> list[str]:
    """The entity of each one-name article (linked with ``name_vectors`` when given)."""
    return [found[0] for found in link(articles, name_vectors).links]


def assert_apart_in_two_stories(type_: str, first: tuple[str, str], second: tuple[str, str]) -> None:
    """Two names (language, name) the rule within a story links stay two in two stories."""
    keys = story_keys([named(*first, type_, 1), named(*second, type_, 2)])
    assert keys[0] != keys[1]


def test_in_one_story_places_and_organisations_spelt_alike_in_two_scripts_are_one() -> None:
    keys = story_keys(
        [
            named("en", "Goldman Sachs", ORG, 1),
            named("ru", "Голдман Сакс", ORG, 1),
            named("en", "Salzburg", PLACE, 1),
            named("de", "Salzberg", PLACE, 1),  # both in Latin letters: two places
        ]
    )
    assert keys[0] == keys[1]
    assert keys[2] != keys[3]
    assert_apart_in_two_stories(ORG, ("en", "Goldman Sachs"), ("ru", "Голдман Сакс"))


def test_in_one_story_translated_names_whose_words_are_cognates_are_one() -> None:
    keys = story_keys(
        [
            named("en", "Gulf of Mexico", PLACE, 1),
            named("fr", "golfe du Mexique", PLACE, 1),
            named("en", "Seattle Sounders", ORG, 1),
            named("es", "Sounders de Seattle", ORG, 1),
            named("es", "golfo de Vizcaya", PLACE, 1),  # another gulf
        ]
    )
    assert keys[0] == keys[1] and keys[2] == keys[3]
    assert len({keys[0], keys[2], keys[4]}) == 3
    assert_apart_in_two_stories(PLACE, ("en", "Gulf of Mexico"), ("fr", "golfe du Mexique"))


def test_in_one_story_an_organisation_named_by_concepts_alone_is_one() -> None:
    keys = story_keys(
        [
            named("en", "Supreme Court", ORG, 1),
            named("ru", "Верховный суд", ORG, 1),
            named("de", "Oberster Gerichtshof", ORG, 1),
            named("fr", "Cour constitutionnelle", ORG, 1),  # another court
        ]
    )
    assert keys[0] == keys[1] == keys[2] != keys[3]
    assert_apart_in_two_stories(ORG, ("en", "Supreme Court"), ("ru", "Верховный суд"))  # any country's court


def _vectors(groups: list[list[str]]):
    """Name vectors for the tests: names in one group point the same way, groups are orthogonal."""
    import numpy as np

    where = {name: g for g, names in enumerate(groups) for name in names}

    def vectors(names):
        out = np.zeros((len(names), len(groups) + 1), dtype=np.float32)
        for i, name in enumerate(names):
            out[i, where.get(name, len(groups))] = 1.0
        return out

    return vectors


def test_in_one_story_names_translated_with_no_spelling_in_common_are_one_by_their_vectors() -> None:
    articles = [
        named("en", "Justice Department", ORG, 1),
        named("de", "Justizministerium", ORG, 1),
        named("en", "Environmental Protection Agency", ORG, 1),
        named("fr", "Agence de protection de l'environnement", ORG, 1),
        named("en", "Gerda Pier-Ribbert", PERSON, 1),
        named("fr", "Ange Pier-Ribbert", PERSON, 1),  # another first name: another person
        named("en", "Interior Ministry", ORG, 2),
        named("de", "Innenministerium", ORG, 3),  # another story
    ]
    vectors = _vectors(
        [
            ["Justice Department", "Justizministerium"],
            ["Environmental Protection Agency", "Agence de protection de l'environnement"],
            ["Gerda Pier-Ribbert", "Ange Pier-Ribbert"],
            ["Interior Ministry", "Innenministerium"],
        ]
    )
    keys = story_keys(articles, vectors)
    assert keys[0] == keys[1] and keys[2] == keys[3]
    assert keys[0] != keys[2]
    assert keys[4] != keys[5]
    assert keys[6] != keys[7]
    # without the vectors, nothing joins them
    plain = story_keys(articles)
    assert plain[0] != plain[1] and plain[2] != plain[3]


def test_translated_names_pair_only_as_each_others_best_above_the_bar() -> None:
    import numpy as np

    from newsdesk.enrich.entities.translations import MIN_COSINE, NameVectors, translated_pairs

    table = {
        "Senate": [1.0, 0.0, 0.0],
        "Senat": [0.9, 0.43, 0.0],
        "Bundesrat": [0.8, 0.6, 0.0],  # nearer to "Senat" than to "Senate" is
        "Navy": [0.0, 0.0, 1.0],
        "Luftwaffe": [0.0, 0.9, 0.436],  # the best for "Navy", below the bar
    }
    calls: list[list[str]] = []

    def encode(names):
        calls.append(list(names))
        return np.array([table[n] for n in names], dtype=np.float32)

    vectors = NameVectors(encode)
    named = {
        1: {"en": "Senate"},
        2: {"de": "Senat"},
        3: {"de": "Bundesrat"},
        4: {"en": "Navy"},
        5: {"de": "Luftwaffe"},
        6: {"en": "Senate", "de": "Senat"},  # named in both: nothing to pair for this pair
    }
    assert MIN_COSINE > 0.5
    assert translated_pairs(named, vectors) == [(2, 1)]  # (de, en): the languages in order
    assert translated_pairs(named, vectors, lambda a, b: 2 not in (a, b)) == [(3, 1)]
    assert sum(len(c) for c in calls) == len(table)  # each name encoded once


def test_name_pairs_count_the_known_names_of_one_entity_and_of_two_apart() -> None:
    import numpy as np

    from newsdesk.evaluation.name_pairs import evaluate_name_pairs, format_report, known_forms

    entities = known_forms()
    country = {name: i for i, (_, _, forms) in enumerate(entities) for name in forms}

    def by_entity(names):  # one direction per entity: one entity's names alike, two entities' not
        out = np.zeros((len(names), len(entities)), dtype=np.float32)
        out[np.arange(len(names)), [country[n] for n in names]] = 1.0
        return out

    result = evaluate_name_pairs(by_entity, bars=(0.5,))
    germany = next(forms for key, _, forms in entities if key == "country:DEU")
    assert {"Germany", "Deutschland", "Allemagne"} <= set(germany)
    assert result["bars"] == [{"cosine": 0.5, "same": 1.0, "other": 0.0}]
    assert result["same_pairs"] > 1000 and result["other_pairs"] > 1000
    assert "one entity" in format_report(result)


def test_a_run_ending_in_department_is_an_organisation() -> None:
    text = "The case was closed. A spokesman for the Justice Department declined to comment on it."
    found = [(m.text, m.type) for m in fallback_mentions(text, "en")]
    assert ("Justice Department", ORG) in found


def test_name_vectors_are_made_once_and_the_oldest_dropped_when_full() -> None:
    import numpy as np

    from newsdesk.enrich.entities.translations import NameVectors

    made: list[str] = []

    def encode(names):
        made.extend(names)
        return np.array([[float(len(n)), 1.0] for n in names], dtype=np.float32)

    vectors = NameVectors(encode, size=4)
    assert vectors(["a", "bb", "a"]).tolist() == [[1.0, 1.0], [2.0, 1.0], [1.0, 1.0]]
    assert vectors(["bb", "ccc", "dddd", "eeeee"]).shape == (4, 2)  # past the size: still answered
    assert made == ["a", "bb", "ccc", "dddd", "eeeee"]
    vectors(["a"])  # dropped with the oldest half: made again
    assert made[-1] == "a" and vectors([]).shape[0] == 0


def test_a_german_guessed_run_is_the_name_an_english_guess_holds() -> None:
    linking = link(
        [
            _article("en", ("Maj Axelsson", OTHER), label="capitalised"),
            _article("de", ("Designerin Maj Axelsson", OTHER), label="capitalised"),
            _article("en", ("Designer Jon Berg", OTHER), label="capitalised"),
            _article("en", ("Jon Berg", OTHER), label="capitalised"),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0]
    assert linking.links[2][0] != linking.links[3][0]  # capitals are evidence in English: two guesses


def test_a_common_noun_names_no_entity_but_a_known_name_a_person_and_a_currency_do() -> None:
    linking = link(
        [
            _article("fr", ("État", ORG), ("Policía", ORG), ("Rada", ORG)),
            _article("es", ("Policía", ORG), ("Rosa", PERSON), ("Dollar", ORG)),
        ]
    )
    assert linking.links[0][:2] == [None, None]  # which state, which police: the article's
    assert linking.links[1][0] is None
    assert _entity_of(linking, 0, 2).name == "Verkhovna Rada"  # the alias table knows it
    assert _entity_of(linking, 1, 1).type == PERSON
    assert _entity_of(linking, 1, 2).type == OTHER


def test_a_title_and_what_it_heads_is_no_name_but_a_title_and_a_name_with_a_particle_is() -> None:
    linking = link(
        [
            _article("es", ("Jefe de Estado", PERSON), ("ministre de l’Intérieur", PERSON)),
            _article("fr", ("général de Gaulle", PERSON)),
        ]
    )
    assert linking.links[0] == [None, None]
    assert _entity_of(linking, 1).name == "de Gaulle"


def test_a_place_models_of_several_languages_name_is_no_surname_of_a_person() -> None:
    linking = link(
        [
            _article("de", ("Margarita von England", PERSON), ("Tudor", ORG), ("Windsor", PLACE)),
            _article("en", ("England", PLACE), ("Tudor", ORG), ("Windsor", PLACE)),
            _article("es", ("England", PLACE), ("Tudor", ORG), ("Windsor", PLACE)),
        ]
    )
    assert linking.links[1][0] == linking.links[2][0] != linking.links[0][0]
    assert _entity_of(linking, 1).type == PLACE


def test_a_dictionary_form_no_case_ending_explains_gives_way_to_the_written_name() -> None:
    linking = link(
        [
            _person("en", "Lindsey Graham", 1),
            _person("ru", "Линдси Грэхам", 1, "Линдсить Грэхо"),  # a guess of the Russian dictionary
        ]
    )
    assert linking.links[1] == linking.links[0]


def test_a_first_name_transliterated_with_another_first_letter_is_still_the_same_person() -> None:
    linking = link(
        [
            _person("en", "Geoffrey Cameron", 1),
            _person("ru", "Джеффри Кэмерон", 1),
            _person("en", "Anne Whitford", 2),
            _person("ru", "Энн Уитфорд", 2),
            _person("en", "David Miliband", 3),
            _person("ru", "Эд Милибэнд", 3),
        ]
    )
    assert linking.links[0] == linking.links[1]
    assert linking.links[2] == linking.links[3]
    assert linking.links[4] != linking.links[5]


def test_a_known_name_of_several_words_is_found_with_a_case_ending_on_each() -> None:
    linking = link(
        [
            _article(
                "ru", ("Южной Африке", PLACE), ("Соединенных Штатов", PLACE), ("Европейской комиссии", ORG)
            ),
            _article("uk", ("Сполучених Штатів", PLACE), ("Південної Кореї", PLACE)),
        ]
    )
    names = [_entity_of(linking, a, m).name for a, m in ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1))]
    assert names == ["South Africa", "United States", "European Commission", "United States", "South Korea"]


def test_a_body_named_by_its_noun_alone_is_one_only_within_its_story() -> None:
    def article(language: str, story: int, *names: str) -> ArticleMentions:
        mentions = [Mention(n, 0, len(n), ORG, "spacy", 0.9, "ORG") for n in names]
        return ArticleMentions(mentions, language, story)

    linking = link(
        [
            article("en", 1, "Congress", "Supreme Court", "US Congress"),
            article("en", 1, "Congress", "Supreme Court"),
            article("en", 2, "Congress", "Supreme Court", "US Congress"),
            article("en", 2, "Maravia Telecom"),
            article("en", 3, "Maravia Telecom"),
        ]
    )
    assert linking.links[0][0] == linking.links[1][0] and linking.links[0][1] == linking.links[1][1]
    assert linking.links[0][0] != linking.links[2][0]  # the Congress of another story
    assert linking.links[0][1] != linking.links[2][1]
    assert linking.links[0][2] == linking.links[2][2]  # an acronym says which congress
    assert linking.links[3][0] == linking.links[4][0]  # a proper name is one everywhere
