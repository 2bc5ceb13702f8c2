"""Days of the year named in a text (the story clusterer's check: tests/test_clustering.py)."""

from __future__ import annotations

import pytest

from newsdesk.text.days import day_key, days_apart, named_days

OCTOBER_4 = day_key(10, 4)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("4 octobre : le prix Nobel de physique est attribué à Alain Aspect.", "fr"),
        ("The prize was awarded on October 4, 2022, in Stockholm.", "en"),
        ("Нобелевская премия присуждена 4 октября.", "ru"),
        ("Премію присудили (4 жовтня)", "uk"),
        ("٤ أكتوبر فوز آلان أسبيكت بجائزة نوبل", "ar"),
        ("10월 4일, 노벨 물리학상 수상자가 발표되었다.", "ko"),
        ("10月4日，诺贝尔物理学奖公布。", "zh"),
        ("Am 4. Okt. wurde der Preis vergeben.", "de-DE"),
    ],
)
def test_a_day_is_read_in_its_language(text: str, language: str) -> None:
    assert named_days(text, language) == {OCTOBER_4}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("In October 2022 the prize went to three physicists.", "en"),  # a year, no day
        ("Prices may 4 times double, the minister said.", "en"),  # "may" is no month here
        ("Le 32 octobre n'existe pas.", "fr"),
        ("Der 30. Februar ist kein Tag.", "de"),
        ("4 octobre", None),  # no language: no month names to read
        ("4 octobre", "xx"),
        ("", "fr"),
    ],
)
def test_no_day_where_none_is_named(text: str, language: str | None) -> None:
    assert named_days(text, language) == frozenset()


def test_days_apart_counts_a_tolerance_and_wraps_the_year() -> None:
    assert not days_apart(frozenset({day_key(10, 4)}), {day_key(10, 10)}, 7)
    assert days_apart(frozenset({day_key(10, 4)}), {day_key(10, 12)}, 7)
    assert not days_apart(frozenset({day_key(12, 30)}), [day_key(1, 2)], 7)
    # 31 October and 1 November are one day apart.
    assert not days_apart(frozenset({day_key(10, 31)}), [day_key(11, 1)], 1)
    assert days_apart(frozenset({day_key(10, 31)}), [day_key(11, 1)], 0)
    # One side naming no day says nothing.
    assert not days_apart(frozenset(), [day_key(3, 1)], 7)
    assert not days_apart(frozenset({day_key(3, 1)}), [], 7)
