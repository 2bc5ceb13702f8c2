"""The online story clusterer: determinism, persisted state, time window, languages, headlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdesk.stories.clustering import (
    ClusterDoc,
    OnlineClusterer,
    Tuning,
    embedding_applies,
)
from newsdesk.stories.labels import headlines
from newsdesk.stories.text import FeatureWeights, term_counts

START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
EVENTS = [
    ("Volcano erupts near Reykjavik", "Iceland Grindavik lava eruption evacuated Reykjanes magma 2024"),
    ("Harbour strike in Saltmere", "dockers walk out Saltmere port union wages containers Kellheim"),
    (
        "Central bank of Maravia cuts rates",
        "Maravia central bank rate cut inflation 4.5 percent governor Lund",
    ),
    ("Lyra probe launched", "Lyra comet probe launch rocket Puerto Alba spectrometer Sirene"),
]


def _synthetic_stream(count: int = 120, seed: int = 7) -> list[ClusterDoc]:
    """Articles about a few events: noisy copies of one direction and vocabulary per event."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(EVENTS), 512))
    docs = []
    for i in range(count):
        event = int(rng.integers(len(EVENTS)))
        vector = centres[event] + 0.6 * rng.normal(size=512)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        title, words = EVENTS[event]
        picked = " ".join(rng.choice(words.split(), size=6))
        no_embedding = i % 9 == 0
        docs.append(
            ClusterDoc(
                key=i,
                title=title if i % 3 else "",
                text=f"{picked}. Reported on day {i // 10}.",
                language="cs" if i % 11 == 0 else "en",
                when=START + timedelta(hours=6 * i),
                outlet=f"outlet{i % 5}",
                embedding=None if no_embedding else vector,
            )
        )
    return docs


def _signature(assignments) -> list[tuple]:  # noqa: ANN001
    return [(a.key, a.story_id, round(a.similarity, 12), a.new_story) for a in assignments]


def test_same_input_gives_same_stories() -> None:
    docs = _synthetic_stream()
    first = OnlineClusterer().add_many(docs)
    second = OnlineClusterer().add_many(docs)
    assert _signature(first) == _signature(second)
    ids = [a.story_id for a in first]
    assert len(set(ids)) < len(ids), "related articles should share stories"
    assert ids[0] == 1
    new_ids = [a.story_id for a in first if a.new_story]
    assert new_ids == list(range(1, len(new_ids) + 1)), "story ids are issued 1, 2, 3…"
    assert all(a.similarity == 0.0 for a in first if a.new_story)


@pytest.mark.parametrize("cut", [1, 37, 80, 119])
def test_restored_state_continues_exactly(cut: int) -> None:
    docs = _synthetic_stream()
    whole = OnlineClusterer(window_days=3.0).add_many(docs)
    before = OnlineClusterer(window_days=3.0)
    head = before.add_many(docs[:cut])
    data = before.dump_state()
    assert isinstance(data, bytes) and b"pickle" not in data
    restored = OnlineClusterer.load_state(data, window_days=3.0, threshold=None)
    tail = restored.add_many(docs[cut:])
    assert _signature(head + tail) == _signature(whole)
    # And restoring twice in a row changes nothing either.
    again = OnlineClusterer.load_state(restored.dump_state())
    assert again.dump_state() == restored.dump_state()


def test_window_expiry_and_pruning_keep_the_id_counter() -> None:
    vector = np.zeros(512, dtype=np.float32)
    vector[0] = 1.0

    def doc(key: int, days: float) -> ClusterDoc:
        title, words = EVENTS[0]
        return ClusterDoc(key, title, words, "en", START + timedelta(days=days), None, vector)

    clusterer = OnlineClusterer(window_days=3.0)
    a = clusterer.add(doc(1, 0))
    b = clusterer.add(doc(2, 1))
    assert b.story_id == a.story_id and not b.new_story
    c = clusterer.add(doc(3, 10))
    assert c.new_story and c.story_id == a.story_id + 1
    # The old story is more than two windows behind: it was dropped from the state.
    assert clusterer.live_stories == 1
    restored = OnlineClusterer.load_state(clusterer.dump_state())
    d = restored.add(doc(4, 30))
    assert d.new_story and d.story_id == c.story_id + 1

    timeless = OnlineClusterer(window_days=None)
    assert timeless.add(doc(1, 0)).story_id == timeless.add(doc(2, 30)).story_id


def test_articles_without_time_see_every_story() -> None:
    vector = np.ones(512, dtype=np.float32) / np.sqrt(512)
    title, words = EVENTS[1]
    clusterer = OnlineClusterer(window_days=3.0)
    a = clusterer.add(ClusterDoc(1, title, words, "en", START, None, vector))
    b = clusterer.add(ClusterDoc(2, title, words, "en", None, None, vector))
    assert b.story_id == a.story_id


def test_lexical_only_articles_still_cluster() -> None:
    clusterer = OnlineClusterer(window_days=None)
    same = [
        ClusterDoc(1, "Volcano erupts near Grindavik", EVENTS[0][1], "en", None, None, None),
        ClusterDoc(2, "Grindavik evacuated as lava flows", EVENTS[0][1], "en", None, None, None),
        ClusterDoc(3, "Saltmere dockers strike", EVENTS[1][1], "en", None, None, None),
    ]
    first, second, third = clusterer.add_many(same)
    assert second.story_id == first.story_id
    assert third.new_story


def test_languages_the_embedding_does_not_cover() -> None:
    assert embedding_applies("en") and embedding_applies("pt-BR") and embedding_applies(None)
    assert not embedding_applies("cs") and not embedding_applies("uk")


def test_transliteration_meets_across_scripts() -> None:
    weights = FeatureWeights()
    assert term_counts(None, "Путин", weights).keys() == term_counts(None, "Putin", weights).keys()
    assert term_counts(None, "Зеленський", weights).keys() == term_counts(None, "Zelenskiy", weights).keys()


def test_threshold_override_is_used() -> None:
    docs = _synthetic_stream(40)
    strict = OnlineClusterer(threshold=100.0).add_many(docs)
    with_embeddings = [a for a, d in zip(strict, docs, strict=True) if d.embedding is not None]
    assert all(a.new_story for a in with_embeddings[1:3])
    assert OnlineClusterer().threshold == Tuning().threshold


def test_translations_join_and_an_unrelated_article_does_not() -> None:
    from newsdesk.enrich.embeddings import embed_texts, embedding_input

    articles = [
        (
            "en",
            "Powerful earthquake kills hundreds in Turkey and Syria",
            "A magnitude 7.8 earthquake struck southern Turkey and northern Syria before dawn on Monday, "
            "toppling thousands of buildings and killing more than 1,300 people, officials said. "
            "Rescuers searched through the rubble in freezing weather.",
        ),
        (
            "fr",
            "Un puissant séisme fait des centaines de morts en Turquie et en Syrie",
            "Un séisme de magnitude 7,8 a frappé le sud de la Turquie et le nord de la Syrie lundi avant "
            "l'aube, détruisant des milliers de bâtiments et faisant plus de 1 300 morts, selon les "
            "autorités. Les secouristes fouillent les décombres dans le froid.",
        ),
        (
            "en",
            "Central bank leaves interest rates unchanged",
            "The central bank kept its benchmark interest rate on hold on Thursday as inflation eased "
            "for a third month, and said it would watch wage growth closely before any cut.",
        ),
    ]
    vectors = embed_texts([embedding_input(title, text) for _, title, text in articles])
    clusterer = OnlineClusterer(window_days=3.0)
    results = [
        clusterer.add(ClusterDoc(i, title, text, lang, START + timedelta(hours=i), None, vectors[i]))
        for i, (lang, title, text) in enumerate(articles)
    ]
    assert results[1].story_id == results[0].story_id, results
    assert results[2].new_story and results[2].story_id != results[0].story_id


def test_headlines_pick_the_most_central_title_per_language() -> None:
    a = np.array([1.0, 0.0, 0.0])
    b = np.array([0.8, 0.6, 0.0])
    c = np.array([0.0, 1.0, 0.0])
    members = [
        ("Outlier", "en", c),
        ("Central English", "en", b),
        ("Titre français", "fr", a),
        ("Untitled language", None, None),
    ]
    chosen = headlines(members)
    assert chosen == {"*": "Central English", "en": "Central English", "fr": "Titre français"}
    # Ties go to the earlier member; no embeddings at all still gives titles.
    assert headlines([("First", "de", None), ("Second", "de", None)]) == {"*": "First", "de": "First"}
    assert headlines([]) == {}
