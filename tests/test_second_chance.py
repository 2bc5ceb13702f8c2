"""A second chance for a new story: an article that started a story alone moves later to the
story it then reaches; never out of a story an analyst touched; the wait survives a restore."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer
from newsdesk.stories.evidence import PATHS
from tests.test_clustering import MEANING_ONLY

# Three articles after it, the first article is scored again.
WAIT = replace(MEANING_ONLY, second_chance_after=3)


def _at(degrees: float, axis: int = 1) -> np.ndarray:
    """A unit vector in the plane of the first axis and ``axis``, at this angle from the first."""
    vector = np.zeros(512, dtype=np.float32)
    vector[0], vector[axis] = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return vector


def _doc(key: int, vector: np.ndarray, outlet: str | None = None) -> ClusterDoc:
    return ClusterDoc(key, "", "", "en", None, outlet or f"o{key}.example", vector)


def _stream() -> list[ClusterDoc]:
    """An article at 0°, then a story at 40° (cosine 0.77 with it: under the bar of 0.8) that
    takes articles at 35° and 30° until its centroid is within the bar of the first article
    (at about 35°: cosine 0.82); then articles about something else."""
    docs = [_doc(1, _at(0)), _doc(2, _at(40)), _doc(3, _at(35)), _doc(4, _at(30))]
    return docs + [_doc(5 + i, _other(10 + i)) for i in range(4)]


def _other(axis: int) -> np.ndarray:
    """A unit vector far from every other (about something else)."""
    vector = np.zeros(512, dtype=np.float32)
    vector[axis] = 1.0
    return vector


def _placed(clusterer: OnlineClusterer, docs: list[ClusterDoc]) -> dict[int | str, int]:
    """Each article's story once the stream is done, moves applied."""
    placed: dict[int | str, int] = {}
    for doc in docs:
        assignment = clusterer.add(doc)
        placed[doc.key] = assignment.story_id
        for moved in assignment.moves:
            placed[moved.key] = moved.target
    return placed


def test_an_article_that_came_before_its_story_moves_to_it() -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=WAIT)
    docs = _stream()
    first = clusterer.add(docs[0])
    assert first.new_story and first.story_id == 1
    assert [clusterer.add(doc).story_id for doc in docs[1:3]] == [2, 2]
    fourth = clusterer.add(docs[3])
    assert fourth.story_id == 2
    [moved] = fourth.moves
    assert (moved.key, moved.source, moved.target) == (1, 1, 2)
    assert moved.evidence.path == "second-chance" and moved.evidence.path in PATHS
    assert moved.evidence.margin is not None and moved.evidence.margin >= 0.0
    assert moved.similarity == pytest.approx(moved.evidence.score)
    # Story 1 is gone from the state; story 2 holds four articles.
    assert clusterer.live_stories == 1
    changes = clusterer.take_changes()
    assert changes.removed == [1] and 2 in changes.stories
    assert clusterer._stories.members[clusterer._stories.slot_of[2]] == 4


def test_without_a_second_chance_nothing_moves() -> None:
    docs = _stream()
    placed = _placed(OnlineClusterer(window_days=None, tuning=replace(WAIT, second_chance_after=None)), docs)
    assert placed[1] == 1 and placed[2] == placed[3] == placed[4] == 2
    assert _placed(OnlineClusterer(window_days=None, tuning=WAIT), docs)[1] == 2


def test_a_story_that_took_a_second_article_does_not_move() -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=WAIT)
    docs = _stream()
    clusterer.add(docs[0])
    clusterer.follow(_doc(99, _at(1)), 1)  # a copy of the first article
    assert _placed(clusterer, docs[1:])[2] == 2
    assert clusterer._stories.members[clusterer._stories.slot_of[1]] == 2


@pytest.mark.parametrize("edit", [None, "keep_in_place", "rebuild", "alias", "target locked"])
def test_no_move_where_an_analyst_acted(edit: str | None) -> None:
    clusterer = OnlineClusterer(window_days=None, tuning=replace(WAIT, second_chance_after=4))
    docs = _stream()
    for doc in docs[:4]:
        assert not clusterer.add(doc).moves
    if edit == "keep_in_place":  # a headline named, say
        clusterer.keep_in_place(1)
    elif edit == "rebuild":  # its members changed and came back
        clusterer.rebuild(1, [docs[0]])
    elif edit == "alias":  # merged into another story
        clusterer.alias(1, 7)
    elif edit == "target locked":  # the story it would join has no row
        clusterer.rebuild(2, [])
    moves = [moved.key for doc in docs[4:] for moved in clusterer.add(doc).moves]
    assert moves == ([1] if edit is None else [])


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_restored_state_waits_and_moves_as_the_original(cut: int) -> None:
    docs = _stream()
    whole = OnlineClusterer(window_days=None, tuning=WAIT)
    expected = [
        (a.story_id, [(m.key, m.source, m.target, m.similarity) for m in a.moves])
        for a in whole.add_many(docs)
    ]
    for restore in ("one piece", "in parts"):
        before = OnlineClusterer(window_days=None, tuning=WAIT)
        head = before.add_many(docs[:cut])
        if restore == "one piece":
            after = OnlineClusterer.load_state(before.dump_state())
        else:
            changes = before.take_changes()
            after = OnlineClusterer.load_parts(changes.header, changes.stories.values())
        tail = after.add_many(docs[cut:])
        found = [
            (a.story_id, [(m.key, m.source, m.target, m.similarity) for m in a.moves]) for a in head + tail
        ]
        assert found == expected, restore
        assert after.dump_state() == whole.dump_state()
    assert any(moves for _, moves in expected)


@pytest.mark.parametrize(("language", "words"), [(None, "started its own story"), ("de", "eigenes Thema")])
def test_the_evidence_of_a_move_reads_in_the_readers_language(language: str | None, words: str) -> None:
    from newsdesk.i18n import translations
    from newsdesk.present.evidence import evidence_lines

    evidence = {"path": "second-chance", "score": 2.1, "bar": 2.05, "margin": 0.05}
    lines = evidence_lines(evidence, translations(language) if language else None)
    assert words in lines[0] and len(lines) == 2


def test_a_second_chance_looks_only_at_the_stories_changed_since_its_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsdesk.stories import scoring

    seen: list[list[int] | None] = []
    best = scoring.best

    def spy(stories, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        among = kwargs.get("among")
        seen.append(None if among is None else sorted(stories.ids[slot] for slot in among.tolist()))
        return best(stories, *args, **kwargs)

    monkeypatch.setattr(scoring, "best", spy)
    clusterer = OnlineClusterer(window_days=None, tuning=WAIT)
    clusterer.add(_doc(0, _other(9)))  # story 1: before the article, never changed after
    docs = [replace(doc, key=doc.key + 10) for doc in _stream()]
    for doc in docs[:4]:
        clusterer.add(doc)
    # First scorings look at every story. A second chance looks at the stories that took an
    # article since its own was scored (its own story included, as no candidate): story 1's
    # at stories 1 to 3; story 2's (the article at 0°) not at story 1, unchanged since.
    assert seen == [None, None, None, None, [1, 2, 3], None, [2, 3]]
    # Story 2 took its article's own row; story 3 (at 40°, then 35° and 30°) took the move.
    assert 3 in clusterer._stories.slot_of and 2 not in clusterer._stories.slot_of


def _topic_stream(count: int, seed: int) -> list[ClusterDoc]:
    """Articles on a few dozen topics in three languages, with words, an embedding and a
    cross-lingual vector drawn around each topic's own, in random order: many start a story
    before their topic has one, and some of those move on their second chance."""
    from newsdesk.stories.vectors import CROSS_DIMENSIONS

    rng = np.random.default_rng(seed)
    topics = 40
    centres = rng.normal(size=(topics, 512 + CROSS_DIMENSIONS)).astype(np.float32)
    words = [[f"w{topic}x{i}" for i in range(12)] for topic in range(topics)]
    docs = []
    for key in range(count):
        topic = int(rng.integers(topics))
        language = ("en", "de", "fr")[int(rng.integers(3))]
        noise = rng.normal(size=512 + CROSS_DIMENSIONS).astype(np.float32)
        vector = centres[topic] + noise * rng.uniform(0.5, 2.0)
        vector[:512] /= np.linalg.norm(vector[:512])
        vector[512:] /= np.linalg.norm(vector[512:])
        shared = int(rng.integers(2, 8))
        picked = rng.choice(words[topic], size=shared, replace=False).tolist()
        filler = [f"f{int(rng.integers(500))}" for _ in range(12 - shared)]
        text = " ".join(picked + filler)
        docs.append(
            ClusterDoc(key, text.split()[0], text, language, None, f"o{int(rng.integers(8))}", vector)
        )
    return docs


@pytest.mark.parametrize("seed", [1, 2])
def test_looking_only_at_the_changed_stories_moves_the_same_articles(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    tuning = replace(OnlineClusterer().tuning, second_chance_after=10)
    docs = _topic_stream(400, seed)
    narrowed = _placed(OnlineClusterer(window_days=None, tuning=tuning), docs)
    monkeypatch.setattr(OnlineClusterer, "_changed_since", lambda self, entry: None)
    everything = OnlineClusterer(window_days=None, tuning=tuning)
    moved = [a for a in everything.add_many(docs) if a.moves]
    assert moved, "the stream must make some second-chance moves"
    assert _placed(OnlineClusterer(window_days=None, tuning=tuning), docs) == narrowed


def test_paths_that_cannot_win_are_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    """An article whose best margin is beyond what a one-cosine path can reach skips that path's
    search: the same stories, fewer probes."""
    from newsdesk.stories import scoring

    probes = []
    probe = scoring.lexical_probe
    monkeypatch.setattr(scoring, "lexical_probe", lambda *args: probes.append(1) or probe(*args))
    docs = _topic_stream(300, 3)
    tuning = replace(OnlineClusterer().tuning, second_chance_after=10)
    skipping = _placed(OnlineClusterer(window_days=None, tuning=tuning), docs)
    skipped = len(probes)
    probes.clear()
    monkeypatch.setattr(scoring, "MOST_COSINE", 1e9)  # every path always searched
    assert _placed(OnlineClusterer(window_days=None, tuning=tuning), docs) == skipping
    assert skipped < len(probes)


def test_the_log_of_recent_joins_knows_only_what_it_kept() -> None:
    from newsdesk.stories.second_chance import RecentJoins

    joins = RecentJoins(start=5)
    for arrival, story_id in ((5, 1), (6, 2), (6, 3), (7, 1), (9, 4)):
        joins.record(arrival, story_id)
    assert joins.since(4) is None  # before the log starts (a state loaded at arrival 5)
    assert joins.since(6) == {1, 2, 3, 4}
    assert joins.since(8) == {4}
    assert joins.since(10) == set()
    joins.forget_before(7)
    assert joins.since(6) is None and joins.since(7) == {1, 4}


def test_the_log_of_recent_joins_stays_as_short_as_the_wait() -> None:
    tuning = replace(OnlineClusterer().tuning, second_chance_after=10)
    clusterer = OnlineClusterer(window_days=None, tuning=tuning)
    clusterer.add_many(_topic_stream(300, 3))
    # One join an article (two with a move), over the last wait only.
    assert len(clusterer._joins._log) <= 2 * 12


def test_the_lexical_probe_reads_no_list_longer_than_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many stories are live, the probe reads no list longer than its cap:
    a term more stories hold than that is skipped."""
    from newsdesk.stories import scoring

    read: list[int] = []
    entries = scoring.entries
    monkeypatch.setattr(scoring, "entries", lambda lists: read.append(max(map(len, lists))) or entries(lists))
    monkeypatch.setattr(scoring, "LEXICAL_PROBE_POSTINGS", 20)
    clusterer = OnlineClusterer(window_days=None)
    rng = np.random.default_rng(5)
    shared = ["most", "reka", "hrad", "lesy", "pole", "louka", "vitr", "snih", "deset", "mrak"]

    def word(number: int) -> str:
        return "".join("bcdfghjklmnprstvz"[int(digit, 17)] for digit in np.base_repr(number, 17)) + "ek"

    for key in range(200):  # Czech: no embedding, the lexical path is the only one
        common = " ".join(shared[int(i)] for i in rng.choice(len(shared), size=2, replace=False))
        own = " ".join(word(key * 8 + i) for i in range(8))
        clusterer.add(ClusterDoc(key, f"titulek{key}", f"{common} {own}", "cs", None, f"o{key}", None))
    longest = max(len(postings) for postings in clusterer._postings.every.values())
    assert clusterer.live_stories > 100 and longest > 20 and read and max(read) <= 20
