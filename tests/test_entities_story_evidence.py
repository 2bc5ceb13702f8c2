"""What a story's other languages say of a name (``story_evidence``): where it starts and ends,
and whether it is a person, through ``link`` as the pipeline calls it (story ids given)."""

from __future__ import annotations

from newsdesk.enrich.entities import ORG, PERSON, PLACE, ArticleMentions, Mention, link


def _article(language: str, story: int, *names: tuple[str, str]) -> ArticleMentions:
    mentions = [Mention(text, 0, len(text), type_, "spacy", 0.9, type_) for text, type_ in names]
    return ArticleMentions(mentions, language, story)


def _entity(linking, article: int, mention: int = 0):
    return linking.entity(linking.links[article][mention])


def test_a_common_noun_a_model_took_into_a_name_is_left_out_by_the_story() -> None:
    linking = link(
        [
            _article("en", 1, ("Reuters", ORG), ("Dennis Moroney", PERSON), ("TowerGroup", ORG)),
            _article("de", 1, ("Nachrichtenagentur Reuters", ORG)),
            _article("es", 1, ("agencia Reuters", ORG), ("Dennis Moroney de TowerGroup", PERSON)),
            _article("de", 2, ("Nachrichtenagentur Reuters", ORG)),
        ]
    )
    reuters = linking.links[0][0]
    assert linking.links[1][0] == reuters and linking.links[2][0] == reuters
    assert _entity(linking, 0).name == "Reuters"
    assert linking.links[2][1] == linking.links[0][1]
    # another story's articles say nothing of where the name starts
    assert linking.links[3][0] != reuters


def test_a_name_whose_other_words_the_story_names_too_stays_whole() -> None:
    linking = link(
        [
            _article("en", 1, ("Kanye West", PERSON), ("Valéry Giscard", PERSON)),
            _article("de", 1, ("Rapper Kanye West", PERSON), ("Kanye West Senior", PERSON)),
            _article("fr", 1, ("Valéry Giscard d'Estaing", PERSON)),
        ]
    )
    assert linking.links[1][0] == linking.links[0][0]  # the rapper is Kanye West
    assert _entity(linking, 1, 1).name == "Kanye West Senior"  # what comes after a person stays
    assert _entity(linking, 2).name == "Valéry Giscard d'Estaing"


def test_a_place_and_an_institution_of_a_place_stay_whole() -> None:
    linking = link(
        [
            _article("es", 1, ("America", PLACE), ("Kassel", PLACE)),
            _article("en", 1, ("South America", PLACE)),
            _article("fr", 1, ("Tribunal de Kassel", ORG)),
        ]
    )
    assert linking.links[1][0] != linking.links[0][0]
    assert linking.links[2][0] != linking.links[0][1]
    assert _entity(linking, 2).type == ORG


def test_a_one_word_name_takes_the_kind_most_languages_give_it() -> None:
    linking = link(
        [
            _article("en", 1, ("Totana", PLACE)),
            _article("de", 1, ("Totana", PLACE)),
            _article("es", 1, ("Totana", PERSON)),
        ]
    )
    assert len(set(linking.links[a][0] for a in range(3))) == 1
    assert _entity(linking, 2).type == PLACE


def test_a_tie_between_kinds_and_an_acronym_change_nothing() -> None:
    tie = link([_article("en", 1, ("Totana", PLACE)), _article("es", 1, ("Totana", PERSON))])
    assert tie.links[0][0] != tie.links[1][0]
    acronym = link(
        [
            _article("en", 1, ("EFSA", PERSON)),
            _article("fr", 1, ("EFSA", PERSON)),
            _article("de", 1, ("EFSA", ORG)),
        ]
    )
    assert _entity(acronym, 2).type == ORG


def test_a_tie_goes_to_a_person_named_in_full_and_to_a_city() -> None:
    linking = link(
        [
            _article("en", 1, ("Hayden Mullins", PERSON), ("Seattle", PLACE)),
            _article("de", 1, ("Mullins", PLACE), ("Seattle", PERSON)),
        ]
    )
    assert linking.links[1][0] == linking.links[0][0]  # the coach, typed a place in German
    assert _entity(linking, 1).name == "Hayden Mullins"
    assert linking.links[1][1] == linking.links[0][1]
    assert _entity(linking, 1, 1).type == PLACE  # a city of some 700,000 people


def test_a_language_writing_both_the_place_and_the_person_settles_no_tie() -> None:
    linking = link(
        [
            _article("en", 1, ("Harlow", PLACE)),
            _article("en", 1, ("George Harlow", PERSON)),
            _article("fr", 1, ("Harlow", PERSON)),
        ]
    )
    assert _entity(linking, 0).type == PLACE
    assert _entity(linking, 2).type == PERSON
