"""Names found in one article of a story, found again in its other articles (any language); known
names opening a compound."""

from __future__ import annotations

from dataclasses import replace

from newsdesk.enrich.entities import (
    ORG,
    OTHER,
    PERSON,
    PLACE,
    SOURCE_FALLBACK,
    SOURCE_SPACY,
    ArticleMentions,
    Mention,
    link,
    recognise,
)
from newsdesk.enrich.entities.fallback import CAPITALISED
from newsdesk.enrich.entities.propagate import STORY, from_story, propagate, story_names

ENGLISH = "Mitt Romney visited Seattle on Monday with the governor of Maryland."
GERMAN = "Romney besuchte am Montag Seattle mit dem Gouverneur von Maryland."


def _found(text: str, name: str, type_: str, label: str = "GPE", source: str = SOURCE_SPACY) -> Mention:
    start = text.index(name)
    return Mention(name, start, start + len(name), type_, source, 0.9, label)


ENGLISH_NAMES = [
    _found(ENGLISH, "Mitt Romney", PERSON, "PERSON"),
    _found(ENGLISH, "Seattle", PLACE),
    _found(ENGLISH, "Maryland", PLACE),
]


def test_an_article_takes_the_names_its_story_holds_where_it_has_none() -> None:
    seattle = _found(GERMAN, "Seattle", PLACE)
    found = from_story(GERMAN, "de", [seattle], ENGLISH_NAMES)
    assert found[0] == seattle  # its own mentions first, as they were
    added = {(m.text, m.type) for m in found[1:]}
    assert added == {("Romney", PERSON), ("Maryland", PLACE)}  # the surname of a person too
    assert all(m.label == STORY and m.source == SOURCE_FALLBACK for m in found[1:])
    assert all(GERMAN[m.start : m.end] == m.text for m in found)


def test_an_untyped_guess_of_the_rules_takes_the_story_names_type_in_place() -> None:
    text = "El gobernador de Maryland recibió a Romney."
    guess = _found(text, "Maryland", OTHER, "capitalised", SOURCE_FALLBACK)
    found = from_story(text, "es", [guess], ENGLISH_NAMES)
    assert (found[0].text, found[0].type, found[0].label) == ("Maryland", PLACE, STORY)
    assert [(m.text, m.type) for m in found[1:]] == [("Romney", PERSON)]


def test_a_guess_is_passed_on_untyped_and_compound_parts_or_names_passed_on_are_not() -> None:
    names = [
        _found(ENGLISH, "Seattle", OTHER, "capitalised", SOURCE_FALLBACK),  # the rules' guess
        _found(ENGLISH, "Maryland", PLACE, STORY, SOURCE_FALLBACK),  # itself from the story
        _found("Romney-Lager", "Romney", OTHER, "compound", SOURCE_FALLBACK),  # no name on its own
    ]
    found = from_story(GERMAN, "de", [], names)
    assert [(m.text, m.type, m.label) for m in found] == [("Seattle", OTHER, STORY)]


def test_a_common_noun_is_not_passed_on() -> None:
    text = "La Policía detuvo en Seattle a dos hombres."
    names = [_found(text, "Policía", ORG, "ORG"), _found(text, "Seattle", PLACE)]
    other = "Según la Policía, los hombres huyeron de Seattle."
    assert [m.text for m in from_story(other, "es", [], names)] == ["Seattle"]


def test_names_match_whole_words_as_written() -> None:
    text = "Die Seattler Firma aus maryland und Romneys Partei."
    assert from_story(text, "de", [], ENGLISH_NAMES) == []


def test_a_batch_shares_names_within_each_story_and_with_what_it_held_before() -> None:
    other = "Seattle bleibt ruhig."
    batch = [
        (ENGLISH, "en", 1, ENGLISH_NAMES),
        (GERMAN, "de", 1, []),
        (other, "de", 2, []),  # another story: takes nothing of story 1
        (GERMAN, "de", None, []),  # in no story
    ]
    found = story_names(batch, {2: [_found(ENGLISH, "Seattle", PLACE)]})
    assert found[0] == ENGLISH_NAMES
    assert {m.text for m in found[1]} == {"Romney", "Seattle", "Maryland"}
    assert [m.text for m in found[2]] == ["Seattle"]
    assert found[3] == []


def test_two_guesses_of_one_name_leave_each_other_as_they_are() -> None:
    english, french = "Floods reached Lorcy overnight.", "La crue a atteint Lorcy."
    batch = [
        (english, "en", 1, [_found(english, "Lorcy", OTHER, "capitalised", SOURCE_FALLBACK)]),
        (french, "fr", 1, [_found(french, "Lorcy", OTHER, "capitalised", SOURCE_FALLBACK)]),
    ]
    assert story_names(batch) == [list(batch[0][3]), list(batch[1][3])]


def test_a_known_name_opening_a_compound_names_its_entity_untyped() -> None:
    text = "Die US-Regierung und der Ukraine-Krieg; ein us-amerikanischer Film und der Tom-Hanks-Film."
    found = recognise([(text, "de")])[0]
    parts = [(m.text, m.type) for m in found if m.label == "compound"]
    assert parts == [("US", OTHER), ("Ukraine", OTHER)]  # "us" is not written as the known name
    linking = link([ArticleMentions(found, "de")])
    keys = {m.text: linking.links[0][i] for i, m in enumerate(found) if m.label == "compound"}
    assert keys == {"US": "country:USA", "Ukraine": "country:UKR"}
    assert {linking.entity(k).type for k in keys.values()} == {PLACE}


def test_a_name_takes_the_type_of_its_typed_mentions_over_more_guesses() -> None:
    english = "Floods reached Lorcy. Lorcy was cut off; Lorcy waits."
    names = [_found(english, "Lorcy", OTHER, "capitalised", SOURCE_FALLBACK)] * 2
    names.append(_found(english, "Lorcy", PLACE))
    german = "Das Hochwasser erreichte Lorcy."
    found = from_story(german, "de", [_found(german, "Lorcy", OTHER, "capitalised", SOURCE_FALLBACK)], names)
    assert [(m.text, m.type, m.label) for m in found] == [("Lorcy", PLACE, STORY)]


def test_a_name_is_not_found_again_inside_a_hyphenated_word() -> None:
    text = "Les États membres paient plus que les États-Unis, dit le pro-Romney."
    etats = _found(text, "États", PLACE, "LOC")
    assert propagate(text, 20, [etats]) == []  # "États" of "États-Unis" is no repeat
    found = from_story(text, "fr", [etats], ENGLISH_NAMES)
    assert [m.text for m in found] == ["États"]  # nor "Romney" of "pro-Romney" a story name
    tail = recognise([(text, "fr")], max_chars=25)[0]
    assert ("États-Unis", PLACE) in [(m.text, m.type) for m in tail]


def test_a_story_name_opening_a_compound_is_an_untyped_compound_part() -> None:
    text = "Die Romney-Kampagne und die Seattle-Reise."
    found = from_story(text, "de", [], ENGLISH_NAMES)
    assert [(m.text, m.type, m.label) for m in found] == [
        ("Romney", OTHER, "compound"),
        ("Seattle", OTHER, "compound"),
    ]


def test_a_mention_the_story_names_with_more_words_is_widened_to_that_name() -> None:
    text = (
        "Der Prozess von Steven J. Hayes begann. Das Georgia Bureau of Investigation ermittelt in "
        "San Diego de los Padres."
    )
    found = [
        _found(text, "J. Hayes", PERSON, "PER"),
        _found(text, "Georgia", PLACE, "LOC"),
        _found(text, "Georgia Bureau", PERSON, "PER"),
        _found(text, "Diego", PERSON, "PER"),
    ]
    english = "Steven J. Hayes, the Georgia Bureau of Investigation, San Diego de"
    names = [
        _found(english, "Steven J. Hayes", PERSON, "PERSON"),
        _found(english, "Georgia Bureau of Investigation", ORG, "ORG"),
        _found(english, "San Diego de", PLACE, "GPE"),  # a name cut off by a model
    ]
    completed = from_story(text, "de", found, names)
    assert [(m.text, m.type, m.label) for m in completed] == [
        ("Steven J. Hayes", PERSON, STORY),
        ("Georgia Bureau of Investigation", ORG, STORY),
        ("Diego", PERSON, "PER"),
    ]
    assert all(text[m.start : m.end] == m.text for m in completed)
    # a guess of the rules widens nothing
    guess = [replace(m, label=CAPITALISED, type=OTHER) for m in names]
    assert from_story(text, "de", found, guess) == found
