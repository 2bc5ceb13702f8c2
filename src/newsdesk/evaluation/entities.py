"""Named-entity recognition scored against NER sets in the ``ner/`` format.

Each line is one sentence: ``text``, ``entities`` (``start``, ``end``, ``label`` in PER/ORG/LOC/MISC)
and ``label_set`` (the labels its source annotates). newsdesk's types map onto the gold labels:
PERSON → PER, ORG → ORG, PLACE → LOC. Only PER, ORG and LOC are scored, and on each line only
those in its ``label_set``.

- ``exact``: a prediction is correct when its span and label are those of a gold mention.
- ``partial``: P = predictions that overlap a gold mention of the same label / predictions;
  R = gold mentions overlapped by a prediction of the same label / gold mentions.
- OTHER (newsdesk's untyped names) is never a hit and never a false positive: an untyped
  mention on a gold name is already a miss in recall, and one elsewhere may well be a name the
  set leaves unlabelled (several sources annotate no MISC). It is reported apart: how many,
  how many overlap a gold mention of any label, and the most frequent that overlap none
  (``other_false_positives``, where the junk of an untyped recogniser shows).

Run it with ``newsdesk eval entities FILE... [--lang xx] [--json]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.enrich.entities import ORG, OTHER, PERSON, PLACE, Mention, recognise
from newsdesk.enrich.entities.training.train import read_records
from newsdesk.evaluation.quotes import prf

LABELS = ("PER", "ORG", "LOC")
TYPE_LABELS = {PERSON: "PER", ORG: "ORG", PLACE: "LOC"}
TOP_FALSE_POSITIVES = 20
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}")

Span = tuple[int, int, str]


@dataclass
class Counts:
    """Running totals for one label (or all of them)."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    partial_pred: int = 0
    partial_gold: int = 0

    def add(self, other: Counts) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def scores(self) -> dict[str, dict[str, float]]:
        """Exact and partial precision, recall and F1."""
        partial = prf(self.partial_pred, self.predicted, self.gold)
        partial["recall"] = self.partial_gold / self.gold if self.gold else 0.0
        p, r = partial["precision"], partial["recall"]
        partial["f1"] = 2 * p * r / (p + r) if p + r else 0.0
        return {"exact": prf(self.exact, self.predicted, self.gold), "partial": partial}


@dataclass
class Tally:
    """Totals over sentences: per label, overall, and the false positives' texts."""

    documents: int = 0
    labels: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    other: int = 0
    other_on_gold: int = 0
    false_positives: Counter[str] = field(default_factory=Counter)
    other_false_positives: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.documents += other.documents
        for label in LABELS:
            self.labels[label].add(other.labels[label])
        self.other += other.other
        self.other_on_gold += other.other_on_gold
        self.false_positives.update(other.false_positives)
        self.other_false_positives.update(other.other_false_positives)

    def total(self) -> Counts:
        """All labels together."""
        total = Counts()
        for counts in self.labels.values():
            total.add(counts)
        return total


def read_ner(path: Path) -> Iterator[dict]:
    """The records of a ``.jsonl`` or ``.jsonl.gz`` file."""
    return read_records([path])


def file_language(path: Path, language: str | None = None) -> str | None:
    """``language`` when given, else the name of the file's folder when it is a language code."""
    if language:
        return language
    folder = Path(path).parent.name.lower()
    return folder if _LANGUAGE_FOLDER.fullmatch(folder) else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_sentence(text: str, record: Mapping, mentions: Sequence[Mention]) -> Tally:
    """Counts of one sentence: its gold ``entities`` and ``label_set`` against ``mentions``."""
    scored = set(LABELS) & set(record.get("label_set") or LABELS)
    gold = {(e["start"], e["end"], e["label"]) for e in record.get("entities", []) if e["label"] in scored}
    tally = Tally(documents=1)
    predicted: set[Span] = set()
    for m in mentions:
        label = TYPE_LABELS.get(m.type)
        if label in scored:
            predicted.add((m.start, m.end, label))
        elif m.type == OTHER:
            tally.other += 1
            if any(_overlaps((m.start, m.end), (e["start"], e["end"])) for e in record.get("entities", [])):
                tally.other_on_gold += 1
            else:
                tally.other_false_positives[m.text] += 1
    for label in LABELS:
        g = {s for s in gold if s[2] == label}
        p = {s for s in predicted if s[2] == label}
        counts = tally.labels[label]
        counts.gold, counts.predicted, counts.exact = len(g), len(p), len(g & p)
        counts.partial_pred = sum(1 for s in p if any(_overlaps(s[:2], t[:2]) for t in g))
        counts.partial_gold = sum(1 for t in g if any(_overlaps(s[:2], t[:2]) for s in p))
    tally.false_positives.update(text[s:e] for s, e, _ in predicted - gold)
    return tally


def summarise(tally: Tally) -> dict:
    """The JSON report of a tally."""
    total = tally.total()
    scores = total.scores()
    return {
        "documents": tally.documents,
        "mentions": total.gold,
        "predicted": total.predicted,
        "exact": scores["exact"],
        "partial": scores["partial"],
        "by_label": {
            label: {"mentions": c.gold, "predicted": c.predicted, **c.scores()}
            for label, c in tally.labels.items()
        },
        "false_positives": _top(tally.false_positives),
        "other": {"mentions": tally.other, "on_gold": tally.other_on_gold},
        "other_false_positives": _top(tally.other_false_positives),
    }


def _top(counter: Counter[str]) -> list[list]:
    return [[text, n] for text, n in counter.most_common(TOP_FALSE_POSITIVES)]


def evaluate_file(
    path: Path, language: str | None = None, models: Mapping[str, str] | None = None
) -> tuple[str, Tally]:
    """Recognise every sentence of ``path`` (whole sentences, no lead cut) and score it."""
    records = list(read_ner(path))
    code = file_language(path, language) or (records[0].get("lang") if records else None)
    if not code:
        raise ValueError(f"{path}: no language (name it with --lang)")
    found = recognise([(r["text"], code) for r in records], models, max_chars=None)
    tally = Tally()
    for record, mentions in zip(records, found, strict=True):
        tally.add(score_sentence(record["text"], record, mentions))
    return code, tally


def evaluate_entities(
    paths: Sequence[Path],
    language: str | None = None,
    *,
    fallback_only: bool = False,
    model: str | None = None,
) -> dict:
    """Scores over all ``paths``, and per language when there are several; ``model`` names the
    recogniser for every file's language instead of the default."""
    total = Tally()
    by_language: dict[str, Tally] = {}
    for path in paths:
        code = file_language(path, language)
        chosen = "fallback" if fallback_only else model
        models = {code: chosen} if chosen and code else None
        code, tally = evaluate_file(path, language, models)
        total.add(tally)
        by_language.setdefault(code, Tally()).add(tally)
    result = summarise(total)
    if len(by_language) > 1:
        result["by_language"] = {code: summarise(t) for code, t in by_language.items()}
    return result


def _line(name: str, result: dict) -> str:
    e, p = result["exact"], result["partial"]
    return (
        f"{name:>6}: {result['documents']:>6} sentences {result['mentions']:>6} mentions  exact "
        f"P {e['precision']:.2f} R {e['recall']:.2f} F1 {e['f1']:.2f}  partial "
        f"P {p['precision']:.2f} R {p['recall']:.2f} F1 {p['f1']:.2f}"
    )


def format_report(result: dict) -> str:
    """Human-readable lines: per language (with its top false positives), overall, per label."""
    lines = []
    for code, r in result.get("by_language", {}).items():
        lines.append(_line(code, r))
        lines.append(f"{'':>8}false positives: {_texts(r['false_positives'])}")
    lines.append(_line("all", result))
    for label, scores in result["by_label"].items():
        e = scores["exact"]
        lines.append(
            f"{label:>6}: {scores['mentions']:>6} mentions  exact "
            f"P {e['precision']:.2f} R {e['recall']:.2f} F1 {e['f1']:.2f}"
        )
    lines.append(f"false positives: {_texts(result['false_positives'])}")
    other = result["other"]
    lines.append(
        f"untyped (OTHER, not scored): {other['mentions']}, {other['on_gold']} on a gold mention; "
        f"on none: {_texts(result['other_false_positives'])}"
    )
    return "\n".join(lines)


def _texts(pairs: list[list]) -> str:
    return ", ".join(f"{text} ×{n}" for text, n in pairs[:12])
