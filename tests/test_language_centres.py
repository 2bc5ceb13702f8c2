"""Each language's offset in the cross-lingual space, and the clusterer reading vectors without it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsdesk.stories import clustering, language_centres
from newsdesk.stories.clustering import ClusterDoc, OnlineClusterer, Tuning
from newsdesk.stories.language_centres import in_language, language_offsets, load_offsets, write_offsets
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS

START = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(CROSS_DIMENSIONS, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_offsets_are_shrunk_means_by_base_language(tmp_path: Path) -> None:
    a, b = _unit(1.0), _unit(0.0, 1.0)
    offsets = language_offsets([("zh", a), ("zh-yue", b), ("en", a), (None, b)], pseudo_count=2.0)
    assert set(offsets) == {"zh", "en"}
    np.testing.assert_allclose(offsets["zh"], (a + b) / 4.0)
    np.testing.assert_allclose(offsets["en"], a / 3.0)
    path = tmp_path / "centres.json"
    write_offsets(offsets, path)
    np.testing.assert_allclose(load_offsets(path)["zh"], offsets["zh"], atol=1e-4)
    assert load_offsets(tmp_path / "missing.json") == {}


def test_a_vector_loses_its_languages_offset_and_stays_a_unit() -> None:
    offsets = {"zh": 0.5 * _unit(0.0, 1.0)}
    vector = _unit(0.6, 0.8)
    moved = in_language(vector, "zh-Hans", offsets)
    np.testing.assert_allclose(moved, _unit(0.6, 0.3), rtol=1e-5)
    assert in_language(vector, "en", offsets) is vector
    assert in_language(vector, None, offsets) is vector


def test_the_shipped_offsets_cover_the_larger_languages() -> None:
    offsets = load_offsets()
    assert {"en", "ru", "zh", "ar", "fa", "uk"} <= set(offsets)
    assert all(value.shape == (CROSS_DIMENSIONS,) for value in offsets.values())


def _doc(key: int, language: str, cross: np.ndarray) -> ClusterDoc:
    meaning = np.zeros(DIMENSIONS, dtype=np.float32)
    meaning[key] = 1.0
    return ClusterDoc(
        key, "", "", language, START + timedelta(hours=key), None, np.concatenate([meaning, cross])
    )


def test_a_text_far_off_by_its_languages_offset_joins_its_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chinese texts share a direction of their own; without it the Chinese article meets its
    English story, with it (or with the offsets off) it stands apart."""
    chinese = _unit(0.0, 0.0, 1.0)
    monkeypatch.setattr(language_centres, "load_offsets", lambda: {"zh": 0.9 * chinese})
    story = _unit(1.0, 0.2)
    far = 0.3 * story + 0.954 * chinese
    docs = [_doc(0, "en", story), _doc(1, "zh", far / np.linalg.norm(far))]
    assert float(docs[1].embedding[DIMENSIONS:] @ story) < Tuning().crosslingual_threshold
    english, article = OnlineClusterer(window_days=3.0).add_many(docs)
    assert article.story_id == english.story_id and article.evidence.path == "headline"
    off = OnlineClusterer(window_days=3.0, tuning=Tuning(language_centres=False)).add_many(docs)
    assert off[1].new_story


def test_the_state_names_the_offsets_with_the_encoder() -> None:
    from newsdesk.enrich.crosslingual import ENCODER

    assert clustering._cross_encoder(Tuning(language_centres=False)) == ENCODER
    assert clustering._cross_encoder(Tuning()) == f"{ENCODER}/{language_centres.NAME}"


def test_a_tuning_saved_before_the_rival_takes_the_current_cross_lingual_bar() -> None:
    saved = Tuning(crosslingual_threshold=0.40).to_dict()
    for key in ("crosslingual_rival", "language_centres", "lexical_crosslingual_floor"):
        saved.pop(key)
    older = Tuning.from_dict(saved)
    assert older.crosslingual_threshold == Tuning().crosslingual_threshold
    assert older.crosslingual_rival == Tuning().crosslingual_rival and older.language_centres
    # A tuning saved with the rival keeps its own bar.
    assert Tuning.from_dict(Tuning(crosslingual_threshold=0.40).to_dict()).crosslingual_threshold == 0.40
