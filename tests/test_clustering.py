"""The online story clusterer: determinism, persisted state, time window, languages, headlines."""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsdesk.stories.clustering import (
    LEDE_FEATURES,
    ClusterDoc,
    OnlineClusterer,
    Tuning,
    embedding_applies,
)
from newsdesk.stories.labels import headlines
from newsdesk.stories.state import HEADER_MAGIC, unframed
from newsdesk.stories.text import BUCKETS, FeatureWeights, quoted_shingles, term_counts
from newsdesk.text.days import day_key

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
        if i % 4 == 0:
            picked += f'. "The {title.lower()} was reported by our correspondent on day {i // 10}," he said'
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


# Written by version 2 (the one-piece state) after the first 60 articles of _synthetic_stream().
V2_STATE = Path(__file__).parent / "data" / "cluster-state-v2.bin"


def _assert_close(found: object, expected: object, where: str) -> None:
    """Equal JSON-like values, floats within a relative 1e-6 (numpy versions round differently)."""
    if isinstance(expected, float) or isinstance(found, float):
        assert found == pytest.approx(expected, rel=1e-6, abs=1e-9), where
    elif isinstance(expected, dict):
        assert isinstance(found, dict) and found.keys() == expected.keys(), where
        for key in expected:
            _assert_close(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected), where
        for index, (a, b) in enumerate(zip(found, expected, strict=True)):
            _assert_close(a, b, f"{where}[{index}]")
    else:
        assert found == expected, where


def _assert_same_state(found: OnlineClusterer, expected: OnlineClusterer, skip: tuple[str, ...] = ()) -> None:
    """The same stories with the same sums: what the state means, not its bytes (the header's
    ``skip`` entries aside)."""
    assert found.live_stories == expected.live_stories

    def header(clusterer: OnlineClusterer) -> tuple[dict, dict]:
        blob = clusterer.dump_header()[len(HEADER_MAGIC) :]
        meta, arrays = unframed(zlib.decompress(blob), 8)
        with np.load(io.BytesIO(arrays)) as npz:
            return meta, {name: npz[name] for name in npz.files}

    (meta, frequencies), (meta_expected, frequencies_expected) = header(found), header(expected)
    for key in skip:
        meta.pop(key, None)
        meta_expected.pop(key, None)
    _assert_close(meta, meta_expected, "header")
    assert frequencies.keys() == frequencies_expected.keys()
    for name, values in frequencies_expected.items():
        np.testing.assert_array_equal(frequencies[name], values)
    for story_id in expected._stories.ids:
        record, vectors = unframed(zlib.decompress(found.dump_story(story_id)), 4)
        record_expected, vectors_expected = unframed(zlib.decompress(expected.dump_story(story_id)), 4)
        _assert_close(record, record_expected, f"story {story_id}")
        np.testing.assert_allclose(
            np.frombuffer(vectors, dtype=np.float32),
            np.frombuffer(vectors_expected, dtype=np.float32),
            rtol=1e-5,
            atol=1e-6,
        )


@pytest.mark.parametrize("version", [1, 2])
def test_a_state_of_an_earlier_version_is_taken_up(version: int) -> None:
    docs = _synthetic_stream()
    before = OnlineClusterer(window_days=3.0)
    before.add_many(docs[:60])
    payload = zlib.decompress(V2_STATE.read_bytes()[4:])
    size = int.from_bytes(payload[:8], "big")
    header = json.loads(payload[8 : 8 + size])
    if version == 1:
        # Version 1 had no lede sums, quoted phrases or outlet parts, and its own constants.
        for key in ("lede", "quotes", "outlets", "parts"):
            del header[key]
        header["version"] = 1
        header["tuning"] = {"threshold": 1.7, "lexical_weight": 4.0}

    def state(header: dict) -> bytes:
        head = json.dumps(header).encode()
        return b"NDCS" + zlib.compress(len(head).to_bytes(8, "big") + head + payload[8 + size :])

    restored = OnlineClusterer.load_state(state(header))
    assert restored.tuning == Tuning() and restored.live_stories == before.live_stories
    if version == 2:  # the same state as the current version's, to the last digits a numpy may round
        # (an earlier state has no new stories waiting for a second chance: they get none)
        _assert_same_state(restored, before, skip=("arrivals", "waiting"))
    # Loaded from one piece, every story is to be written to the store.
    assert set(restored.take_changes().stories) == set(restored._stories.ids)
    after = restored.add_many(docs[60:])
    assert any(not a.new_story for a in after), "later articles still join the restored stories"
    with pytest.raises(ValueError, match="version 9"):
        OnlineClusterer.load_state(state({**header, "version": 9}))


def test_changes_hold_the_touched_stories_and_rebuild_the_state() -> None:
    docs = _synthetic_stream()
    clusterer = OnlineClusterer(window_days=3.0)
    records: dict[int, bytes] = {}
    header = b""
    for start in range(0, len(docs), 15):
        assignments = clusterer.add_many(docs[start : start + 15])
        changes = clusterer.take_changes()
        assert set(changes.stories) == {a.story_id for a in assignments} - set(changes.removed)
        records.update(changes.stories)
        for story_id in changes.removed:
            records.pop(story_id, None)
        header = changes.header
        assert clusterer.take_changes().stories == {}  # nothing changed since
    rebuilt = OnlineClusterer.load_parts(header, records.values())
    assert rebuilt.dump_state() == clusterer.dump_state()
    with pytest.raises(ValueError, match="header"):
        OnlineClusterer.load_parts(b"junk", [])


def _unit_vector(*values: float) -> np.ndarray:
    vector = np.zeros(512, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


# Embedding only, so that the geometry below decides alone.
MEANING_ONLY = Tuning(threshold=0.8, lexical_weight=0.0, lede_weight=0.0, quote_threshold=None)


@pytest.mark.parametrize(("outlet", "joins"), [("a.example", False), ("c.example", True), (None, True)])
def test_a_second_article_from_an_outlet_must_match_that_outlets_first(
    outlet: str | None, joins: bool
) -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=MEANING_ONLY)
    first = clusterer.add(ClusterDoc(1, "", "", "en", None, "a.example", _unit_vector(1.0, 0.0)))
    second = clusterer.add(ClusterDoc(2, "", "", "en", None, "b.example", _unit_vector(0.8, 0.6)))
    assert second.story_id == first.story_id
    # The outlet parts survive a save and restore.
    restored = OnlineClusterer.load_state(clusterer.dump_state())
    # Close enough to the story (cosine 0.82 with its centroid), but not to a.example's article (0.6).
    for each in (clusterer, restored):
        third = each.add(ClusterDoc(3, "", "", "en", None, outlet, _unit_vector(0.6, 0.8)))
        assert (third.story_id == first.story_id) is joins


def test_a_shared_quotation_lowers_the_bar() -> None:
    quoted = 'The minister said: "We will not sign this agreement before the spring," on Monday.'
    other = 'The minister said: "Talks will go on as long as they need to take," on Monday.'
    tuning = replace(MEANING_ONLY, quote_threshold=0.5)
    for text, joins in ((quoted, True), (other, False)):
        clusterer = OnlineClusterer(window_days=None, tuning=tuning)
        first = clusterer.add(ClusterDoc(1, "", quoted, "en", None, None, _unit_vector(1.0, 0.0)))
        # Cosine 0.6: below the bar of 0.8, above the quote bar of 0.5.
        second = clusterer.add(
            ClusterDoc(2, "", text.replace("Monday", "Tuesday"), "en", None, None, _unit_vector(0.6, 0.8))
        )
        assert (second.story_id == first.story_id) is joins
        assert OnlineClusterer.load_state(clusterer.dump_state())._stories.quotes == clusterer._stories.quotes


PRIZE = "4 octobre : Aspect reçoit le prix."
# Another day (20 March), and no word in common with PRIZE.
OTHER_DAY = "Am 20. März starb Gorbatschow."


@pytest.mark.parametrize(
    ("text", "tolerance", "joins"),
    [
        (OTHER_DAY, 7, False),
        (OTHER_DAY, None, True),  # the check off
        ("Am 9. Oktober erhielt Bertozzi den Preis.", 7, True),  # within a week
        ("Gestern erhielt Bertozzi den Preis.", 7, True),  # no day named
        ("Am 20. März erhielt Aspect den Preis.", 7, True),  # a name in common says otherwise
    ],
)
def test_an_article_about_another_day_stays_out_of_a_story_it_shares_no_word_with(
    text: str, tolerance: int | None, joins: bool
) -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=replace(MEANING_ONLY, day_tolerance=tolerance))
    first = clusterer.add(ClusterDoc(1, "", PRIZE, "fr", None, None, _unit_vector(1.0, 0.0)))
    # Cosine 0.9 with the story: over the bar of 0.8 on meaning alone.
    second = clusterer.add(ClusterDoc(2, "", text, "de", None, None, _unit_vector(0.9, 0.436)))
    assert (second.story_id == first.story_id) is joins


def test_a_storys_days_survive_a_restart() -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=MEANING_ONLY)
    clusterer.add(ClusterDoc(1, "", PRIZE, "fr", None, None, _unit_vector(1.0, 0.0)))
    restored = OnlineClusterer.load_state(clusterer.dump_state())
    assert list(restored._stories.days[0]) == [day_key(10, 4)]
    assert restored.add(ClusterDoc(2, "", OTHER_DAY, "de", None, None, _unit_vector(0.9, 0.436))).new_story


def test_quoted_phrases_ignore_marks_case_and_script() -> None:
    english = quoted_shingles("He called it “a mess that’s not easy to settle” on Tuesday.", 6)
    plain = quoted_shingles('It is "A MESS THAT\'S NOT EASY TO SETTLE", he said.', 6)
    assert english and english == plain
    assert not quoted_shingles("A mess that's not easy to settle, he said.", 6)
    assert not quoted_shingles('He said "five words are too few".', 6)


def test_the_lede_features_read_the_headline_and_the_start_of_the_lead_alike() -> None:
    text = "Sworn in at noon. " + "filler " * 60 + "Inaugural ball"
    counts = term_counts("Trump Sworn In", text, LEDE_FEATURES)
    everything = term_counts("Trump Sworn In", text, FeatureWeights())
    assert counts[_key("sworn")] == 2.0 and counts[_key("trump")] == 1.0
    assert _key("inaugu") not in counts and _key("inaugu") in everything
    assert everything[_key("trump")] > counts[_key("trump")]


def _key(prefix: str) -> int:
    return zlib.crc32(prefix.encode()) & (BUCKETS - 1)


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
    changes = clusterer.take_changes()
    assert (list(changes.stories), changes.removed) == ([c.story_id], [a.story_id])
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


def test_chinese_is_read_in_character_pairs_and_figures_apart() -> None:
    weights = FeatureWeights()
    seoul = term_counts(None, "韩国首爾梨泰院發生踩踏事故，造成至少151人死亡", weights)
    istanbul = term_counts(None, "土耳其伊斯坦布尔發生爆炸案，造成至少6人死亡", weights)
    # The places are features of their own, not swallowed by the clause that starts with them.
    assert _key("taiyuan") in seoul and _key("taiyua") not in seoul  # a pair is not cut like a word
    assert _key("sitan") in istanbul and _key("taiyuan") not in istanbul
    # The figures count as figures, and the clause around them no longer does.
    assert seoul[_key("151")] == weights.number_boost and istanbul[_key("6")] == weights.number_boost
    shared = seoul.keys() & istanbul.keys()
    assert max(min(seoul[key], istanbul[key]) for key in shared) == 1.0
    # Simplified and traditional characters transliterate alike; Korean keeps its words.
    assert term_counts(None, "伤亡", weights).keys() == term_counts(None, "傷亡", weights).keys()
    assert len(term_counts(None, "서울에서", weights)) == 1


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
