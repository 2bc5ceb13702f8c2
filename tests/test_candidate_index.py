"""Candidate stories from the index over the centroids: the same stories as the exact scan,
and the index kept in step with the live stories (pruning, merges, rebuilds, a restored state)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdesk.stories import retrieval
from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer
from newsdesk.stories.index import CROSS_EXPANSION_SEARCH, EXPANSION_SEARCH, CentroidIndex, _index_class
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS

START = datetime(2025, 5, 1, tzinfo=UTC)
COMMON = [
    *("officials", "said", "on", "the", "day", "that", "the", "report", "would", "be"),
    *("published", "after", "a", "meeting", "in", "the", "city"),
]


def _stream(count: int = 900, seed: int = 3) -> list[ClusterDoc]:
    """Many small events (one to four articles each, close in time), in three languages, one
    of them without an embedding; each article brings an embedding and a cross-lingual vector
    near its event's."""
    rng = np.random.default_rng(seed)
    width = DIMENSIONS + CROSS_DIMENSIONS
    docs: list[ClusterDoc] = []
    event, left, centre = 0, 0, np.zeros(width)
    for index in range(count):
        if left == 0:
            event, left = event + 1, int(rng.integers(1, 5))
            centre = rng.normal(size=width)
        left -= 1
        vector = (centre + 0.45 * rng.normal(size=width)).astype(np.float32)
        vector[:DIMENSIONS] /= np.linalg.norm(vector[:DIMENSIONS])
        vector[DIMENSIONS:] /= np.linalg.norm(vector[DIMENSIONS:])
        language = ("en", "de", "cs")[int(rng.integers(3))]
        names = f"Kel{event}ra Mor{event}vin Port{event}"
        words = " ".join(rng.choice(COMMON, size=10))
        docs.append(
            ClusterDoc(
                key=index,
                title=f"{names.split()[0]} {words[:30]}",
                text=f"{names} {words}. {names.split()[1]} {event * 7} {words}.",
                language=language,
                when=START + timedelta(minutes=20 * index),
                outlet=f"outlet{index % 7}",
                embedding=vector,
            )
        )
    return docs


@pytest.fixture(autouse=True)
def small_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ask the index for few stories first, so that it chooses among many (and fetches again)."""
    monkeypatch.setattr(retrieval, "FIRST_FETCH", 8)


def _assigned(clusterer: OnlineClusterer, docs: list[ClusterDoc]) -> list[int]:
    return [clusterer.add(doc).story_id for doc in docs]


def _indexed(clusterer: OnlineClusterer) -> tuple[set[int], set[int]]:
    finder = clusterer._candidates
    assert finder.semantic is not None and finder.crosslingual is not None
    return finder.semantic.ids(), finder.crosslingual.ids()


def _expected_ids(clusterer: OnlineClusterer) -> tuple[set[int], set[int]]:
    stories = clusterer._stories
    n = stories.size
    semantic = {stories.ids[slot] for slot in np.flatnonzero(stories.embedded[:n] > 0).tolist()}
    cross = {stories.ids[slot] for slot in np.flatnonzero(stories.cross_sums[:n].any(axis=1)).tolist()}
    return semantic, cross


def test_the_index_finds_the_stories_the_exact_scan_finds() -> None:
    docs = _stream()
    exact = OnlineClusterer(window_days=None, retrieval="exact")
    indexed = OnlineClusterer(window_days=None, retrieval="index")
    assert _assigned(indexed, docs) == _assigned(exact, docs)
    assert indexed.live_stories > 200  # the index chose among many stories
    assert exact.index_bytes == 0 and indexed.index_bytes > 0
    assert _indexed(indexed) == _expected_ids(indexed)


def test_auto_scans_until_there_are_many_stories(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "INDEX_FROM", 150)
    docs = _stream(600)
    auto = OnlineClusterer(window_days=None)
    _assigned(auto, docs[:100])
    assert auto.live_stories < 150 and auto.index_bytes == 0
    _assigned(auto, docs[100:])
    assert auto.index_bytes > 0 and _indexed(auto) == _expected_ids(auto)


def test_a_time_window_and_pruning_keep_the_index_in_step() -> None:
    docs = _stream(1200)
    exact = OnlineClusterer(window_days=0.5, retrieval="exact")
    indexed = OnlineClusterer(window_days=0.5, retrieval="index")
    assert _assigned(indexed, docs) == _assigned(exact, docs)
    # 1,200 articles over about 17 days with a half-day window: most stories were dropped.
    assert indexed.next_story_id - 1 > 3 * indexed.live_stories
    assert _indexed(indexed) == _expected_ids(indexed)


def test_merges_and_rebuilds_keep_the_index_in_step() -> None:
    docs = _stream(700)
    exact = OnlineClusterer(window_days=None, retrieval="exact")
    indexed = OnlineClusterer(window_days=None, retrieval="index")
    first = _assigned(indexed, docs[:500])
    assert first == _assigned(exact, docs[:500])
    members: dict[int, list[ClusterDoc]] = {}
    for doc, story in zip(docs[:500], first, strict=True):
        members.setdefault(story, []).append(doc)
    big = sorted(members, key=lambda story: (-len(members[story]), story))[:3]
    for clusterer in (exact, indexed):
        clusterer.alias(big[1], into=big[0])
        clusterer.rebuild(big[0], members[big[0]] + members[big[1]])
        clusterer.rebuild(big[2], [])  # deleted: nothing joins it
    assert _indexed(indexed) == _expected_ids(indexed)
    assert big[2] not in _indexed(indexed)[0]
    assert _assigned(indexed, docs[500:]) == _assigned(exact, docs[500:])


def test_a_restored_clusterer_assigns_like_the_original() -> None:
    docs = _stream(800)
    original = OnlineClusterer(window_days=2.0, retrieval="index")
    _assigned(original, docs[:500])
    restored = OnlineClusterer.load_state(original.dump_state(), retrieval="index")
    assert _indexed(restored) == _expected_ids(restored) == _indexed(original)
    assert _assigned(restored, docs[500:]) == _assigned(original, docs[500:])


def test_a_broken_index_is_noticed() -> None:
    """The checks above can fail: an index that misses updates finds other stories."""
    docs = _stream(600)
    exact = OnlineClusterer(window_days=None, retrieval="exact")
    stale = OnlineClusterer(window_days=None, retrieval="index")
    finder = stale._candidates
    finder.update = lambda *args: None  # type: ignore[method-assign]  # new stories never indexed
    assert _assigned(stale, docs) != _assigned(exact, docs)


def test_the_index_keeps_one_vector_per_story(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.stories import index as module

    monkeypatch.setattr(module, "STALE_SHARE", 1)  # a stale entry may wait beside one live one
    index = CentroidIndex(4)
    index.put_many([3, 9], np.array([[0.0, 0.0, 1.0, 0.0], [0.9, 0.1, 0.0, 0.0]]))
    index.put(7, np.array([1.0, 0.0, 0.0, 0.0]))
    index.put(7, np.array([0.0, 1.0, 0.0, 0.0]))  # moved: replaced
    found = index.nearest(np.array([0.0, 1.0, 0.0, 0.0]), 5)
    assert found.ids[0] == 7 and found.cosines[0] == pytest.approx(1.0, abs=0.02)
    # The old vector of story 7 waits in the graph to be removed, unseen.
    assert sorted(found.ids.tolist()) == [3, 7, 9] and found.fetched == len(index) == 4
    index.flush()
    assert len(index) == 3 and index.nearest(np.array([1.0, 0.0, 0.0, 0.0]), 5).fetched == 3
    index.drop(7)
    index.drop(8)  # not there: nothing happens
    assert index.ids() == {3, 9} and 7 not in index
    index.put(7, np.array([0.0, 0.0, 0.0, 1.0]))  # back, while its dropped entry waits
    assert index.ids() == {3, 7, 9}
    assert index.nearest(np.array([0.0, 1.0, 0.0, 0.0]), 5).ids.tolist().count(7) == 1


def test_stale_entries_are_removed_together(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.stories import index as module

    monkeypatch.setattr(module, "STALE_MOST", 3)
    monkeypatch.setattr(module, "STALE_SHARE", 1)
    index = CentroidIndex(4)
    index.put_many([1, 2, 3, 4], np.eye(4))
    for turn in range(5):
        index.put(1, np.eye(4)[turn % 4])
        assert len(index) == 4 + (turn + 1) % 3
    assert index.ids() == {1, 2, 3, 4}
    assert index.to_bytes() and len(index) == 4  # saved without them


def test_loading_the_index_leaves_the_thread_setting_as_it_was() -> None:
    before = os.environ.get("OMP_NUM_THREADS")
    _index_class()
    assert os.environ.get("OMP_NUM_THREADS") == before


def test_a_saved_index_is_taken_up_only_with_the_stories_it_was_saved_with(
    caplog: pytest.LogCaptureFixture,
) -> None:
    docs = _stream(700)
    original = OnlineClusterer(window_days=2.0, retrieval="index")
    _assigned(original, docs[:500])
    changes = original.take_changes()
    snapshot = original.index_snapshot()
    assert snapshot is not None and OnlineClusterer(retrieval="exact").index_snapshot() is None
    records = list(changes.stories.values())
    restored = OnlineClusterer.load_parts(changes.header, records, retrieval="index", index=snapshot)
    # The very graph (not one built again in story-id order): the same answers, same stories.
    assert restored._candidates.semantic.to_bytes() == original._candidates.semantic.to_bytes()  # type: ignore[union-attr]
    # Each graph is searched as wide as its path needs, restored or built.
    for clusterer in (original, restored):
        semantic, crosslingual = clusterer._candidates.semantic, clusterer._candidates.crosslingual
        assert semantic._index.expansion_search == EXPANSION_SEARCH  # type: ignore[union-attr]
        assert crosslingual._index.expansion_search == CROSS_EXPANSION_SEARCH < EXPANSION_SEARCH  # type: ignore[union-attr]
    assert _assigned(restored, docs[500:]) == _assigned(original, docs[500:])
    # A snapshot taken before more articles joined is not used: the index is built again.
    later = OnlineClusterer(window_days=2.0, retrieval="index")
    _assigned(later, docs[:520])
    later_changes = later.take_changes()
    with caplog.at_level("INFO"):
        rebuilt = OnlineClusterer.load_parts(
            later_changes.header, list(later_changes.stories.values()), retrieval="index", index=snapshot
        )
    assert "older than the clustering state" in caplog.text
    assert _indexed(rebuilt) == _expected_ids(rebuilt)
    broken = OnlineClusterer.load_parts(changes.header, records, retrieval="index", index=b"not an index")
    assert "not usable" in caplog.text and _indexed(broken) == _expected_ids(broken)
    # The right checksum, damaged bytes after it: noticed, and the indexes built again.
    stamp = len(b"NDCI") + 16
    damaged = snapshot[:stamp] + bytes(len(snapshot) - stamp)
    mended = OnlineClusterer.load_parts(changes.header, records, retrieval="index", index=damaged)
    assert "damaged" in caplog.text and _indexed(mended) == _expected_ids(mended)
    assert _assigned(mended, docs[500:520]) == _assigned(
        OnlineClusterer.load_parts(changes.header, records, retrieval="index"), docs[500:520]
    )


def test_a_small_graph_removes_its_stale_entries_sooner() -> None:
    index = CentroidIndex(4)
    index.put_many(list(range(1, 301)), np.tile(np.eye(4), (75, 1)))
    for turn in range(4):
        index.put(1, np.eye(4)[turn])
    # 300 live stories: one stale entry for 100 live ones at most, so three wait at most.
    assert len(index) == 300 + 4 % 3


def test_codes_estimate_cosines_within_the_slack() -> None:
    """The Hamming distance between two codes stands for the cosine of their vectors, within
    the slack the searches allow for (pairs from near opposite to near equal)."""
    from newsdesk.stories.index import SLACK, code, estimated_cosine

    rng = np.random.default_rng(5)
    base = rng.normal(size=(400, DIMENSIONS))
    mix = rng.uniform(-1.0, 1.0, size=(400, 1))
    other = mix * base + np.sqrt(1 - mix**2) * rng.normal(size=(400, DIMENSIONS))
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    exact = np.sum(base * other, axis=1)
    distances = np.unpackbits(code(base) ^ code(other), axis=1).sum(axis=1)
    errors = np.abs(estimated_cosine(distances) - exact)
    assert errors.max() < SLACK
    assert errors.mean() < SLACK / 3  # an estimate, not a guess: mostly well inside the slack


def test_a_sum_is_indexed_by_its_centroids_code() -> None:
    """Signs do not change with the length: a story's sum and centroid have one code, and a
    new story's sum (its article's vector, searched for just before) is not coded twice."""
    from newsdesk.stories import index as module

    rng = np.random.default_rng(9)
    sums = rng.normal(size=(50, DIMENSIONS)).astype(np.float32) * 3.0
    centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    assert np.array_equal(module.code(sums), module.code(centroids))
    index = CentroidIndex(DIMENSIONS)
    calls = []
    real = module.code
    try:
        module.code = lambda vector: calls.append(1) or real(vector)  # type: ignore[assignment]
        index.nearest(sums[0], 4)
        index.put(1, sums[0])
        index.put(2, sums[1])
    finally:
        module.code = real  # type: ignore[assignment]
    assert len(calls) == 2  # the search's and story 2's: story 1 took the search's code
    assert index.nearest(centroids[0], 1).ids.tolist() == [1]


def test_an_index_saved_in_another_form_is_refused() -> None:
    """A graph of 8-bit vectors (an earlier release's) is not taken for one of codes."""
    Index = _index_class()
    earlier = Index(ndim=DIMENSIONS, metric="cos", dtype="i8")
    earlier.add(1, np.ones(DIMENSIONS, dtype=np.float32))
    with pytest.raises(ValueError, match="bits"):
        CentroidIndex.from_bytes(DIMENSIONS, bytes(earlier.save()))
