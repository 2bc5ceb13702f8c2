"""Quote extraction evaluation on PolNeAR (brat standoff: Source, Cue and Content spans).

Metrics (defined in docs/evaluation-quotes.md):

- ``content_exact``: a predicted quote is correct when its word tokens (Unicode ``\\w+``, lower-cased,
  a leading complementiser "that" ignored) are exactly those of a gold content span; P = correct /
  predicted quotes, R = gold contents matched / gold contents.
- ``content_overlap``: token-level, as Citron's overlap metric: P = predicted content tokens that lie in
  a gold content span / predicted content tokens; R = gold content tokens covered by a prediction /
  gold content tokens; micro-averaged over the corpus.
- ``speaker``: for each predicted quote matched to a gold attribution (one to one, the pair with the
  most shared content tokens first, at least half of the smaller span shared), the speaker is correct
  when its mention overlaps the gold Source span or its name shares a word with the Source text.
  P = correct / matched predictions with a speaker; R = correct / matched gold attributions with a
  source. ``speaker_end_to_end`` counts every prediction and every gold source instead.

Run it with ``newsdesk eval quotes PATH [--split dev|train|test|all] [--format auto|polnear|spkatt|newsdesk]
[--json]``: a PolNeAR folder (English), SpkAtt-2023 JSON Lines (German, read by
:mod:`newsdesk.evaluation.spkatt`) or one of newsdesk's own sets (French, Spanish, Russian, Ukrainian,
read by :mod:`newsdesk.evaluation.quotesets`), all scored by the same functions here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.enrich.quotes import Quote, extract_quotes

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_LEADING = frozenset({"that", "dass", "daß"})
MATCH_SHARE = 0.5

Span = tuple[int, int]


def gold_spans(entries: list[dict] | dict | None) -> list[Span]:
    """Annotated character spans (``{"start", "end"}``, one or a list), in order."""
    if not entries:
        return []
    if isinstance(entries, dict):
        entries = [entries]
    return sorted((int(e["start"]), int(e["end"])) for e in entries)


Extractor = Callable[[str], list[Quote]]


@dataclass
class GoldAttribution:
    """One annotated attribution: content fragments, source fragments (may be empty), cue fragments."""

    content: list[Span]
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)


@dataclass
class GoldDocument:
    """An article's text and its attributions."""

    name: str
    text: str
    attributions: list[GoldAttribution]


# --- reading --------------------------------------------------------------------------------------


def parse_ann(content: str) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file; relations without a content span are skipped."""
    spans: dict[str, list[Span]] = {}
    relations: list[dict[str, list[str]]] = []
    for line in content.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            _kind, _, offsets = parts[1].partition(" ")
            fragments = []
            for fragment in offsets.split(";"):
                bounds = fragment.split()
                if len(bounds) == 2:
                    fragments.append((int(bounds[0]), int(bounds[1])))
            spans[parts[0]] = fragments
        elif parts[0].startswith("E"):
            roles: dict[str, list[str]] = {}
            for pair in parts[1].split():
                role, _, ref = pair.partition(":")
                roles.setdefault(role.rstrip("0123456789"), []).append(ref)
            relations.append(roles)
    result = []
    for roles in relations:
        content = [s for ref in roles.get("Content", []) for s in spans.get(ref, [])]
        if not content:
            continue
        source = [s for ref in roles.get("Source", []) for s in spans.get(ref, [])]
        cue = [s for ref in roles.get("Cue", []) for s in spans.get(ref, [])]
        result.append(GoldAttribution(sorted(content), sorted(source), sorted(cue)))
    return result


def load_polnear(folder: Path, split: str = "dev") -> list[GoldDocument]:
    """Documents of ``folder/split`` (``text/*.txt`` and ``attributions/*.ann``).

    An article annotated by several annotators is scored once, with the alphabetically first
    annotator's file.
    """
    base = Path(folder) / split
    if not (base / "text").is_dir():
        raise FileNotFoundError(f"{base / 'text'} is not a folder (expected a PolNeAR split)")
    documents = []
    for text_path in sorted((base / "text").glob("*.txt")):
        anns = sorted((base / "attributions").glob(f"{text_path.stem}_*.ann"))
        if not anns:
            continue
        text = text_path.read_text(encoding="utf-8")
        attributions = parse_ann(anns[0].read_text(encoding="utf-8"))
        documents.append(GoldDocument(text_path.stem, text, attributions))
    return documents


# --- scoring --------------------------------------------------------------------------------------


class Tokens:
    """Word tokens of one text, to turn character spans into token-index sets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]

    def within(self, spans: Iterable[Span]) -> frozenset[int]:
        """Indexes of the tokens lying inside any of ``spans`` (a token cut by a boundary counts)."""
        found = set()
        for start, end in spans:
            for i, (s, e) in enumerate(self.spans):
                if s >= end:
                    break
                if e > start:
                    found.add(i)
        return frozenset(found)

    def words(self, indexes: Iterable[int]) -> tuple[str, ...]:
        """The lower-cased words at ``indexes``, in order, without a leading complementiser."""
        words = [self.text[s:e].lower() for s, e in (self.spans[i] for i in sorted(indexes))]
        while words and words[0] in _LEADING:
            words = words[1:]
        return tuple(words)


def prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    """Precision, recall and F1 from true positives and the two totals."""
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def names_speaker(quote: Quote) -> bool:
    """Whether a prediction attributes the quote: a resolved name, or a mention of the speaker in the
    text ("ich", "wir", polite "Sie": the speaker named by a pronoun the article does not resolve)."""
    return quote.speaker is not None or quote.speaker_start is not None


def _speaker_correct(quote: Quote, gold: GoldAttribution, tokens: Tokens) -> bool:
    """The speaker's mention overlaps the gold Source span, or its name shares a word with it."""
    start, end = quote.speaker_start, quote.speaker_end
    if start is not None and end is not None and any(start < e and s < end for s, e in gold.source):
        return True
    if quote.speaker:
        inside = [(s, e) for s, e in tokens.spans if any(a <= s and e <= b for a, b in gold.source)]
        source_words = {tokens.text[s:e].lower() for s, e in inside}
        name_words = {w.lower() for w in _TOKEN_RE.findall(quote.speaker) if w[:1].isupper() and len(w) > 1}
        return bool(name_words & source_words)
    return False


@dataclass
class Counts:
    """Running totals over documents."""

    gold: int = 0
    predicted: int = 0
    exact_pred: int = 0
    exact_gold: int = 0
    gold_tokens: int = 0
    pred_tokens: int = 0
    shared_tokens: int = 0
    matched: int = 0
    speaker_correct: int = 0
    speaker_pred_matched: int = 0
    speaker_gold_matched: int = 0
    speaker_pred_all: int = 0
    speaker_gold_all: int = 0

    def add(self, other: Counts) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))


def score_document(text: str, gold: list[GoldAttribution], predicted: list[Quote]) -> Counts:
    """Counts of one document (see the module docstring for the definitions)."""
    tokens = Tokens(text)
    counts = Counts(gold=len(gold), predicted=len(predicted))
    gold_sets = [tokens.within(g.content) for g in gold]
    pred_sets = [tokens.within([(q.start, q.end)]) for q in predicted]
    gold_words = [tokens.words(g) for g in gold_sets]
    pred_words = [tokens.words(p) for p in pred_sets]
    exact_gold = {w for w in gold_words if w}
    exact_pred = {w for w in pred_words if w}
    counts.exact_pred = sum(1 for w in pred_words if w and w in exact_gold)
    counts.exact_gold = sum(1 for w in gold_words if w and w in exact_pred)
    gold_union = frozenset().union(*gold_sets) if gold_sets else frozenset()
    pred_union = frozenset().union(*pred_sets) if pred_sets else frozenset()
    counts.gold_tokens = len(gold_union)
    counts.pred_tokens = len(pred_union)
    counts.shared_tokens = len(gold_union & pred_union)

    pairs = []
    for i, p in enumerate(pred_sets):
        for j, g in enumerate(gold_sets):
            shared = len(p & g)
            if shared and shared >= MATCH_SHARE * min(len(p), len(g)):
                pairs.append((shared, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _shared, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        counts.matched += 1
        quote, attribution = predicted[i], gold[j]
        has_pred = names_speaker(quote)
        has_gold = bool(attribution.source)
        counts.speaker_pred_matched += has_pred
        counts.speaker_gold_matched += has_gold
        if has_pred and has_gold and _speaker_correct(quote, attribution, tokens):
            counts.speaker_correct += 1
    counts.speaker_pred_all = sum(1 for q in predicted if names_speaker(q))
    counts.speaker_gold_all = sum(1 for g in gold if g.source)
    return counts


def summarise(counts: Counts) -> dict:
    """The JSON report from corpus totals."""
    exact = prf(counts.exact_pred, counts.predicted, counts.gold)
    exact["recall"] = counts.exact_gold / counts.gold if counts.gold else 0.0
    p, r = exact["precision"], exact["recall"]
    exact["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "content_exact": exact,
        "content_overlap": prf(counts.shared_tokens, counts.pred_tokens, counts.gold_tokens),
        "speaker": prf(counts.speaker_correct, counts.speaker_pred_matched, counts.speaker_gold_matched),
        "speaker_end_to_end": prf(counts.speaker_correct, counts.speaker_pred_all, counts.speaker_gold_all),
        "counts": vars(counts).copy(),
    }


def default_extractor(text: str) -> list[Quote]:
    """newsdesk's extractor on an English PolNeAR article."""
    return extract_quotes(text, "en")


def extractor_for(language: str) -> Extractor:
    """newsdesk's extractor for texts in ``language``."""
    if language == "en":
        return default_extractor
    return lambda text: extract_quotes(text, language)


def evaluate_documents(documents: list[GoldDocument], extractor: Extractor = default_extractor) -> dict:
    """Run ``extractor`` on every document and score it; adds documents, seconds and articles/s."""
    total = Counts()
    seconds = 0.0
    for doc in documents:
        start = time.perf_counter()
        predicted = extractor(doc.text)
        seconds += time.perf_counter() - start
        total.add(score_document(doc.text, doc.attributions, predicted))
    result = summarise(total)
    result["documents"] = len(documents)
    result["seconds"] = seconds
    result["articles_per_second"] = len(documents) / seconds if seconds else 0.0
    return result


FORMATS = ("auto", "polnear", "spkatt", "newsdesk")


def detect_format(path: Path, split: str = "dev") -> str:
    """``newsdesk`` for newsdesk's own quote sets (see ``quotesets.is_quoteset``), ``spkatt`` when
    ``path`` holds SpkAtt-2023 JSON Lines (see ``spkatt.is_spkatt``), else ``polnear``."""
    from newsdesk.evaluation.quotesets import is_quoteset
    from newsdesk.evaluation.spkatt import is_spkatt

    if is_quoteset(path):
        return "newsdesk"
    return "spkatt" if is_spkatt(path, split) else "polnear"


def evaluate_quotes(
    path: Path, split: str = "dev", extractor: Extractor | None = None, corpus_format: str = "auto"
) -> dict:
    """Score quote extraction on one split (``dev`` or ``train``) of a PolNeAR folder or of SpkAtt-de,
    or on one part (``dev``, ``test`` or ``all``) of one of newsdesk's own sets.

    ``corpus_format`` is ``polnear``, ``spkatt``, ``newsdesk`` or ``auto`` (detected from the content).
    A SpkAtt file is its own split (named after the file); a SpkAtt folder holds ``split.jsonl.gz``.
    The result carries ``corpus`` and ``language`` besides the scores.
    """
    if corpus_format not in FORMATS:
        raise ValueError(f"unknown format {corpus_format!r}; use one of {', '.join(FORMATS)}")
    if corpus_format == "auto":
        corpus_format = detect_format(path, split)
    if corpus_format == "spkatt":
        from newsdesk.evaluation.spkatt import LANGUAGE, load_spkatt, split_name

        documents, language, corpus, split = (
            load_spkatt(path, split),
            LANGUAGE,
            "SpkAtt-de",
            split_name(path, split),
        )
    elif corpus_format == "newsdesk":
        from newsdesk.evaluation.quotesets import load_quoteset

        documents, language = load_quoteset(path, split)
        corpus = f"newsdesk-{language}"
    else:
        documents, language, corpus = load_polnear(path, split), "en", "PolNeAR"
    result = evaluate_documents(documents, extractor or extractor_for(language))
    result.update(split=split, corpus=corpus, language=language)
    return result


def format_report(result: dict) -> str:
    """Human-readable lines of scores."""
    lines = [
        f"{result.get('corpus', 'PolNeAR')} {result.get('split', '?')}: {result['documents']} documents, "
        f"{result['counts']['gold']} gold attributions, {result['counts']['predicted']} predicted quotes"
    ]
    for key in ("content_exact", "content_overlap", "speaker", "speaker_end_to_end"):
        s = result[key]
        lines.append(f"{key:>19}: P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    lines.append(f"{'speed':>19}: {result['articles_per_second']:.0f} articles/s ({result['seconds']:.2f} s)")
    return "\n".join(lines)
