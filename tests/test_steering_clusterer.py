"""The clusterer's side of steering: a merged story's row feeds the survivor, a story is made
again from its members, ids an action used are never issued, and all of it survives a restart."""

from __future__ import annotations

import numpy as np

from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer, Tuning

# Embedding only, so that the geometry decides alone: two directions, two stories.
MEANING_ONLY = Tuning(threshold=0.8, lexical_weight=0.0, lede_weight=0.0, quote_threshold=None)


def _doc(key: int, *direction: float, outlet: str = "a.example") -> ClusterDoc:
    vector = np.zeros(512, dtype=np.float32)
    vector[: len(direction)] = direction
    return ClusterDoc(key, "", "", "en", None, outlet, vector / np.linalg.norm(vector))


def _restarted(clusterer: OnlineClusterer) -> OnlineClusterer:
    """The clusterer as a writer started later loads it: the header and the live stories' records."""
    records = [clusterer.dump_story(story_id) for story_id in clusterer._stories.ids]
    return OnlineClusterer.load_parts(clusterer.dump_header(), records)


def test_a_merged_storys_row_feeds_the_survivor_across_a_restart() -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=MEANING_ONLY)
    first = clusterer.add(_doc(1, 1.0, 0.0))
    second = clusterer.add(_doc(2, 0.0, 1.0))
    assert (first.story_id, second.story_id) == (1, 2)
    clusterer.alias(2, 1)
    clusterer.edits_applied = 7
    for each in (clusterer, _restarted(clusterer)):
        assert each.add(_doc(3, 0.1, 1.0, outlet="b.example")).story_id == 1
        assert each.add(_doc(4, 1.0, 0.1, outlet="b.example")).story_id == 1
        assert each.edits_applied == 7
    # A later merge of the survivor takes the rows merged into it along.
    clusterer.add(_doc(5, 0.0, 0.0, 1.0))
    clusterer.alias(1, 3)
    assert clusterer.add(_doc(6, 0.1, 1.0, outlet="c.example")).story_id == 3


def test_a_story_made_again_from_its_members_drops_what_left_it() -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=MEANING_ONLY)
    clusterer.add(_doc(1, 1.0, 0.0))
    clusterer.add(_doc(2, 0.0, 1.0))
    clusterer.alias(2, 1)
    # Story 1 is made again from article 1 alone: the merged row goes, and its direction with it.
    clusterer.rebuild(1, [_doc(1, 1.0, 0.0)])
    clusterer.reserve_ids(5)
    assert clusterer._stories.ids == [1]
    assert clusterer.add(_doc(3, 0.0, 1.0, outlet="b.example")).story_id == 5
    assert clusterer.add(_doc(4, 1.0, 0.05, outlet="b.example")).story_id == 1
    # A locked or removed story (no members) keeps no row: nothing joins it.
    clusterer.rebuild(1, [])
    assert clusterer.add(_doc(7, 1.0, 0.0, outlet="c.example")).story_id == 6
    # A story made again keeps the rows in id order, as a restart reads them.
    clusterer.rebuild(1, [_doc(1, 1.0, 0.0)])
    assert clusterer._stories.ids == [1, 5, 6]
    assert _restarted(clusterer)._stories.ids == [1, 5, 6]


def test_document_frequencies_are_not_counted_again_when_a_story_is_made_again() -> None:
    clusterer = OnlineClusterer(window_days=None)
    doc = ClusterDoc(
        1, "Port strike in Saltmere", "Dockers walk out in Saltmere.", "en", None, "a.example", None
    )
    clusterer.add(doc)
    before = (dict(clusterer._docs_seen), {k: v.copy() for k, v in clusterer._df.items()})
    clusterer.rebuild(1, [doc])
    assert clusterer._docs_seen == before[0]
    assert all(np.array_equal(clusterer._df[k], v) for k, v in before[1].items())
