"""The extraction benchmark metric: unit tests on small texts, and the upstream reference numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.evaluation.extraction import (
    evaluate_extraction,
    score_pairs,
    score_predictions,
    shingle_match,
    shingles,
    tokenize,
)

BENCHMARK = "article-extraction-benchmark"


def test_tokenize_is_unicode_words() -> None:
    assert tokenize("Élan vital, l'été — 2025!") == ["Élan", "vital", "l", "été", "2025"]
    assert tokenize(None) == []


def test_shingles_are_a_multiset() -> None:
    counts = shingles("a b c d a b c d")
    assert counts["a b c d"] == 2
    assert sum(counts.values()) == 5
    assert shingles("only three words") == {"only three words": 1}
    assert shingles("") == {}


def test_identical_texts_score_one() -> None:
    assert shingle_match("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)
    result = score_pairs([("one two three four five", "one, two; three four five")])
    assert result["precision"] == result["recall"] == result["f1"] == result["accuracy"] == 1.0


def test_extra_text_lowers_precision_only() -> None:
    tp, fp, fn = shingle_match("a b c d e", "a b c d e f")  # gold 2 shingles, prediction 3
    assert (tp, fp, fn) == pytest.approx((2 / 3, 1 / 3, 0.0))
    result = score_pairs([("a b c d e", "a b c d e f")])
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == 1.0
    assert result["accuracy"] == 0.0


def test_missing_text_lowers_recall_only() -> None:
    result = score_pairs([("a b c d e f", "a b c d e")])
    assert result["precision"] == 1.0
    assert result["recall"] == pytest.approx(2 / 3)


def test_macro_average_and_harmonic_mean() -> None:
    result = score_pairs([("a b c d e", "a b c d e"), ("a b c d e", "v w x y z")])
    assert result["precision"] == pytest.approx(0.5)
    assert result["recall"] == pytest.approx(0.5)
    assert result["f1"] == pytest.approx(0.5)
    assert result["accuracy"] == pytest.approx(0.5)


def test_empty_prediction_and_both_empty() -> None:
    assert score_pairs([("a b c d", "")])["precision"] == 0.0
    both_empty = score_pairs([("", "")])
    assert both_empty["precision"] == both_empty["recall"] == 1.0


def test_score_predictions_counts_missing_ids_as_empty() -> None:
    gold = {"x": "one two three four", "y": "five six seven eight"}
    result = score_predictions({"x": "one two three four"}, gold)
    assert result["documents"] == 2
    assert result["recall"] == pytest.approx(0.5)


def test_reproduces_upstream_trafilatura_numbers(shared_data: Path) -> None:
    folder = shared_data / BENCHMARK
    if not (folder / "output" / "trafilatura.json").is_file():
        pytest.skip(f"{folder} has no output/trafilatura.json")
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    stored = json.loads((folder / "output" / "trafilatura.json").read_text(encoding="utf-8"))["output"]
    result = score_predictions(
        {key: value.get("articleBody") or "" for key, value in stored.items()},
        {key: value["articleBody"] for key, value in gold.items()},
    )
    assert result["documents"] == 181
    assert round(result["precision"], 3) == 0.938
    assert round(result["recall"], 3) == 0.978
    assert round(result["f1"], 3) == 0.958


@pytest.mark.slow
def test_newsdesk_extractor_meets_target(shared_data: Path) -> None:
    folder = shared_data / BENCHMARK
    if not (folder / "ground-truth.json").is_file():
        pytest.skip(f"{folder} has no ground-truth.json")
    calls: list[int] = []
    result = evaluate_extraction(folder, progress=lambda done, total: calls.append(done))
    assert result["documents"] == 181 and calls[-1] == 181
    assert result["f1"] >= 0.955
    assert set(result) >= {"documents", "precision", "recall", "f1", "accuracy", "seconds", "per_document_ms"}
