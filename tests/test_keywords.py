"""Keywords per article and per story."""

from __future__ import annotations

import pytest

from newsdesk.enrich.entities import Keyword, keywords, story_keywords

EN = (
    "The Kremlin said the peace talks on Ukraine lasted five hours. Kremlin aide Yuri Ushakov said the "
    "territorial issues were discussed. The peace talks will go on, the Kremlin said, and the territorial "
    "issues remain the main obstacle. Ushakov added that economic cooperation was discussed too."
)
FR = (
    "Le Kremlin a reçu l'émissaire américain. Les discussions sur le plan de paix ont duré cinq heures. "
    "Selon le Kremlin, le plan de paix reste bloqué sur les questions territoriales."
)
ZH = "普京在克里姆林宫会见了美国特使。普京表示，和平计划仍在讨论中。克里姆林宫没有评论和平计划。"


def _texts(found: list[Keyword]) -> list[str]:
    return [k.text.lower() for k in found]


def test_english_keywords_find_the_subject() -> None:
    found = keywords(EN, "en", top=8)
    assert 0 < len(found) <= 8
    assert "kremlin" in _texts(found)
    assert any("peace talks" in t or "territorial issues" in t for t in _texts(found))
    assert all(0 < k.score <= 1 for k in found)
    assert [k.score for k in found] == sorted((k.score for k in found), reverse=True)
    # no keyword starts or ends with a stop word
    assert not any(
        t.split()[0] in ("the", "and", "on") or t.split()[-1] in ("the", "and") for t in _texts(found)
    )


def test_french_keywords() -> None:
    found = _texts(keywords(FR, "fr-FR", top=5))
    assert "kremlin" in found
    assert any("plan de paix" in t or "paix" in t for t in found)
    assert "le" not in found and "de" not in found


def test_top_is_respected_and_no_duplicates() -> None:
    found = _texts(keywords(EN, "en", top=3))
    assert len(found) == 3 and len(set(found)) == 3


def test_chinese_keywords_are_character_ngrams() -> None:
    found = _texts(keywords(ZH, "zh", top=5))
    assert found and ("普京" in found or "克里姆林宫" in "".join(found))


@pytest.mark.parametrize(
    ("text", "language"), [("", "en"), ("   ", None), ("12 34 ,,,", "de"), (EN, "xx"), (EN, None)]
)
def test_no_crash(text: str, language: str | None) -> None:
    found = keywords(text, language)
    if not text.strip():
        assert found == []


def test_reference_yake_agrees_roughly() -> None:
    ours = set(_texts(keywords(EN, "en", top=10)))
    theirs = set(_texts(keywords(EN, "en", top=10, method="yake")))
    assert len(ours & theirs) >= 5, (ours, theirs)


def test_story_keywords_sum_over_articles() -> None:
    other = "The Kremlin confirmed the talks. Witkoff left Moscow after the talks with the Kremlin."
    found = story_keywords([(EN, "en"), (other, "en"), (FR, "fr")], top=5)
    assert _texts(found)[0] == "kremlin"
    assert found[0].score == 1.0
    assert story_keywords([]) == []
