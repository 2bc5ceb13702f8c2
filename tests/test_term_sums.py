"""The compact term sums and posting lists of the story state: the same answers as plain dicts."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from newsdesk.stories.postings import TermPostings, entries
from newsdesk.stories.table import StoryTable
from newsdesk.stories.vectors import TermSum, merged


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return {key: weight / norm for key, weight in ranked}


def _vector(rng: random.Random, size: int) -> dict[int, float]:
    return _unit({rng.randrange(0, 500): rng.random() + 0.01 for _ in range(size)})


def test_a_term_sum_adds_trims_and_scores_as_a_dict_would() -> None:
    rng = random.Random(3)
    total, plain = TermSum(), {}
    for _ in range(40):
        vector = _vector(rng, 60)
        added, dropped = total.add(vector, limit=120)
        expected_added = [key for key in vector if key not in plain]
        for key, weight in vector.items():
            plain[key] = plain.get(key, 0.0) + weight
        ranked = sorted(plain.items(), key=lambda item: (-item[1], item[0]))
        expected_dropped = [key for key, _ in ranked[120:]]
        plain = {key: float(np.float32(weight)) for key, weight in ranked[:120]}  # kept as float32
        assert added == expected_added and dropped == expected_dropped
        assert total.weights == dict(sorted(plain.items(), key=lambda item: (-item[1], item[0])))
        assert total.norm2 == math.fsum(w * w for w in plain.values())
    probe = _vector(rng, 80)
    dot = sum(weight * plain[key] for key, weight in probe.items() if key in plain)
    assert total.cosine(probe) == pytest.approx(dot / math.sqrt(total.norm2), rel=1e-12)
    some = next(iter(plain))
    assert some in total and total.get(some) == plain[some] and total.get(10_000) is None
    assert 10_000 not in total and len(total) == len(plain)


def test_a_term_sum_keeps_its_strongest_terms_first_and_survives_its_plain_form() -> None:
    vector = {9: 0.8, 2: 0.6}
    total = TermSum(vector)
    assert list(total.weights) == [9, 2]  # strongest first, as the article's own vector
    again = TermSum.from_json(total.to_json())
    assert total.weights == {9: float(np.float32(0.8)), 2: float(np.float32(0.6))}
    assert again.weights == total.weights and again.norm2 == total.norm2
    twin = total.copy()
    twin.add({5: 1.0}, limit=10)
    assert 5 not in total and 5 in twin
    assert merged([total, TermSum({2: 0.4})], limit=10).weights == pytest.approx({9: 0.8, 2: 1.0})
    assert TermSum().cosine(vector) == 0.0 and TermSum({7: 1.0}).cosine(vector) == 0.0


def _listed(packed) -> list[tuple[int, float]]:  # noqa: ANN001
    ids, weights = entries([packed])
    return list(zip(ids.tolist(), weights.tolist(), strict=True))


def test_posting_lists_stay_sorted_keep_weights_and_forget_emptied_features() -> None:
    postings = TermPostings()
    postings.hold(5, TermSum({1: 0.5, 2: 0.25}), [1, 2], plain=True)
    postings.hold(9, TermSum({2: 0.75}), [2], plain=False)
    postings.hold(7, TermSum({2: 0.125}), [2], plain=True)  # an older id (a story made again)
    postings.hold(7, TermSum({2: 1.5}), [2], plain=True)  # a new weight: one entry still
    assert _listed(postings.every[2]) == [(5, 0.25), (7, 1.5), (9, 0.75)]
    assert _listed(postings.plain[2]) == [(5, 0.25), (7, 1.5)]
    postings.embedded(5, [1, 2])
    assert 1 not in postings.plain and _listed(postings.plain[2]) == [(7, 1.5)]
    postings.remove(7, [2])
    postings.remove(8, [2, 3])  # not held: nothing happens
    assert _listed(postings.every[2]) == [(5, 0.25), (9, 0.75)] and 2 not in postings.plain
    postings.remove(5, [1, 2])
    assert 1 not in postings.every and _listed(postings.every[2]) == [(9, 0.75)]
    big = 2**31 - 1  # the largest story id a list holds
    postings.hold(big, TermSum({2: 0.5}), [2], plain=False)
    assert _listed(postings.every[2])[-1] == (big, 0.5)


def test_the_story_table_scales_its_sums_instead_of_keeping_centroids() -> None:
    table = StoryTable()
    slot = table.add_row(1)
    rng = np.random.default_rng(1)
    vectors = [v / np.linalg.norm(v) for v in rng.normal(size=(3, 512)).astype(np.float32)]
    for vector in vectors:
        table.add_embedding(slot, vector)
    centroid = np.sum(vectors, axis=0)
    centroid /= np.linalg.norm(centroid)
    assert np.allclose(table.centroid(slot), centroid, atol=1e-6)
    assert table.cosines(np.array([slot]), vectors[0])[0] == pytest.approx(
        float(centroid @ vectors[0]), abs=1e-6
    )
    assert not table.crossed(slot) and not table.cross_centroid(slot).any()
    table.add_quotes(slot, frozenset({30, 10}))
    table.add_quotes(slot, frozenset({20, 10}))
    assert list(table.quotes[slot]) == [10, 20, 30]


def test_posting_lists_built_at_once_equal_those_held_story_by_story() -> None:
    rng = random.Random(5)
    story_ids = [3, 8, 9, 15, 40]
    sums = [TermSum(_vector(rng, 30)) for _ in story_ids] + [TermSum()]
    story_ids.append(41)  # a story with no terms
    plain = [True, False, True, False, True, True]
    nothing_plain = TermPostings()
    nothing_plain.build(story_ids, sums, [False] * len(sums))
    assert not nothing_plain.plain and len(nothing_plain.every) > 0
    one_by_one, at_once = TermPostings(), TermPostings()
    for story_id, terms, bare in zip(story_ids, sums, plain, strict=True):
        one_by_one.hold(story_id, terms, terms.keys, plain=bare)
    at_once.build(story_ids, sums, plain)
    for mine, theirs in ((at_once.every, one_by_one.every), (at_once.plain, one_by_one.plain)):
        assert sorted(mine) == sorted(theirs)
        assert all(list(mine[key]) == list(theirs[key]) for key in theirs)
