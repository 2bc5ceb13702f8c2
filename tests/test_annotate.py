"""Tying a quote's speaker to the mention that names it."""

from __future__ import annotations

from newsdesk.enrich.annotate import speaker_mention
from newsdesk.enrich.entities import Mention
from newsdesk.enrich.quotes import Quote

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
