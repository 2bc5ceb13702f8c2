"""Tying a quote's speaker to the mention that names it."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.enrich.annotate import named_quotes, to_entity_mention
from newsdesk.enrich.entities import ORG, OTHER, PERSON, PLACE, SOURCE_FALLBACK, Mention
from newsdesk.enrich.entities.fallback import CAPITALISED
from newsdesk.enrich.quotes import Quote
from newsdesk.enrich.speaker_links import missed_name, speaker_mention
from newsdesk.models import Article

TEXT = "Unsurprisingly, the Russian side finds such proposals amusing, Yuri Ushakov said."


def _mention(text: str, type_: str, label: str = "") -> Mention:
    start = TEXT.index(text)
    return Mention(text, start, start + len(text), type_, "spacy", 0.9, label)


def _quote(speaker: str) -> Quote:
    start = TEXT.index(speaker)
    return Quote("such proposals amusing", 39, 61, speaker, start, start + len(speaker), "finds")


def test_an_untyped_word_inside_the_speaker_phrase_is_not_the_speaker() -> None:
    mentions = [_mention("Russian", "OTHER", "NORP"), _mention("Yuri Ushakov", "PERSON")]
    assert speaker_mention(_quote("the Russian side"), mentions) is None


def test_a_person_named_by_the_speaker_phrase_is_the_speaker() -> None:
    mentions = [_mention("Russian", "OTHER", "NORP"), _mention("Yuri Ushakov", "PERSON")]
    assert speaker_mention(_quote("Yuri Ushakov"), mentions) == 1


def _mention_in(text: str, name: str, type_: str) -> Mention:
    start = text.index(name)
    return Mention(name, start, start + len(name), type_, "spacy", 0.9, type_)


def _guessed(text: str, name: str) -> Mention:
    """A name the fallback rules guessed from capitals (typed OTHER)."""
    start = text.index(name)
    return Mention(name, start, start + len(name), OTHER, SOURCE_FALLBACK, 0.3, CAPITALISED)


def _article(text: str, language: str, mentions: list[Mention]) -> Article:
    return Article(
        url="https://example.org/a",
        canonical_url="https://example.org/a",
        outlet="example.org",
        title=None,
        lede=None,
        byline=None,
        published=None,
        collected=datetime(2026, 12, 5, tzinfo=UTC),
        paragraphs=[text],
        language=language,
        mentions=[to_entity_mention(m) for m in mentions],
    )


def test_only_quotes_of_a_named_person_or_organisation_are_kept() -> None:
    text = (
        "Officials said the road would stay closed. “We are proud,” said trust warden Hollie Sandford. "
        "The Arbitration and Conciliation Service said it had invited both sides to talks."
    )
    guessed = [
        Mention(
            name, text.index(name), text.index(name) + len(name), OTHER, SOURCE_FALLBACK, 0.3, CAPITALISED
        )
        for name in ("Hollie Sandford", "Conciliation Service")
    ]
    article = _article(text, "en", guessed)
    quotes = named_quotes(article, list(guessed))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We are proud", "Hollie Sandford"),
        ("it had invited both sides to talks", "Conciliation Service"),
    ]  # "Officials" name no one
    assert [m.type for m in article.mentions] == [PERSON, ORG]  # a name that speaks is typed


def test_a_speaker_name_the_recogniser_missed_becomes_a_mention() -> None:
    text = "„Oberste Priorität hat die Sicherheit“, sagte Präfektin Anne-Sophie Lemaire am Morgen."
    article = _article(text, "de", [])
    quotes = named_quotes(article, [])
    assert [q.speaker for q in quotes] == ["Anne-Sophie Lemaire"]
    assert [(m.text, m.type) for m in article.mentions] == [("Anne-Sophie Lemaire", PERSON)]
    assert quotes[0].speaker_mention == 0
    # a German noun phrase is no name
    phrase = Quote("x", 0, 1, "Die Bilder", 0, 10, "erinnern")
    assert missed_name("Die Bilder erinnern an", phrase, "de") is None


def test_a_guessed_surname_of_a_person_named_in_full_is_a_person() -> None:
    text = "Raj Prakash runs the clinic. “We are full,” Prakash said. “We are full,” Newsweek said."
    mentions = [Mention("Raj Prakash", 0, 11, PERSON, "spacy", 0.9, "PERSON")] + [
        Mention(
            name, text.index(name), text.index(name) + len(name), OTHER, SOURCE_FALLBACK, 0.3, CAPITALISED
        )
        for name in ("Prakash", "Newsweek")
    ]
    article = _article(text, "en", mentions)
    assert [q.speaker for q in named_quotes(article, list(mentions))] == ["Prakash"]  # not the magazine
    assert [m.type for m in article.mentions] == [PERSON, PERSON, OTHER]


def test_pronouns_surnames_and_acronyms_tie_to_the_names_the_article_gives() -> None:
    text = (
        "The union United Port Workers (UPW) walked out. Mateo Ibarra scored. "
        "“We will not stop,” regional prefect Anne-Sophie Lemaire told reporters. “It is late.” She said "
        "more. Ibarra said he was happy. The UPW said it would strike again."
    )
    mentions = [
        _mention_in(text, "United Port Workers", ORG),
        _mention_in(text, "UPW", OTHER),
        _mention_in(text, "Mateo Ibarra", PERSON),
        _mention_in(text, "Anne-Sophie Lemaire", ORG),  # a person the model typed an organisation
        Mention("Ibarra", text.rindex("Ibarra"), text.rindex("Ibarra") + 6, PLACE, "spacy", 0.9, "GPE"),
        Mention("UPW", text.rindex("UPW"), text.rindex("UPW") + 3, OTHER, "spacy", 0.9, "MISC"),
    ]
    article = _article(text, "en", mentions)
    found = [(q.text, q.speaker) for q in named_quotes(article, list(mentions))]
    assert found == [
        ("We will not stop", "Anne-Sophie Lemaire"),
        ("It is late.", "Anne-Sophie Lemaire"),  # "She", resolved past the model's type
        ("he was happy", "Ibarra"),  # typed a place, the surname of "Mateo Ibarra"
        ("it would strike again", "UPW"),
    ]
    assert [m.type for m in article.mentions[4:]] == [PERSON, ORG]


def test_a_definite_organisation_noun_stands_for_the_organisation_named_before() -> None:
    text = (
        "The National Bank of Maravia cut its rate. The cut was expected, the central bank said. "
        "Unos 1.400 trabajadores del sindicato United Port Workers paran. El sindicato reclama más. "
        "The club said nothing."
    )
    mentions = [
        _mention_in(text, "National Bank of Maravia", ORG),
        _guessed(text, "United Port Workers"),
    ]
    article = _article(text, "en", mentions)
    found = [(q.text, mentions[q.speaker_mention].text) for q in named_quotes(article, list(mentions))]
    assert found == [("The cut was expected", "National Bank of Maravia")]
    article = _article(text, "es", mentions)
    found = [(q.text, mentions[q.speaker_mention].text) for q in named_quotes(article, list(mentions))]
    assert found == [("más", "United Port Workers")]  # "the club" names no club of the article
