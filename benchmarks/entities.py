"""Entity and keyword throughput over real English news articles, with the bare spaCy
tokenizer as the baseline.

    python -m benchmarks.entities [--data ../shared/data/basil/basil_articles.jsonl.gz] [--limit N]

Runs, in one invocation: the baseline (spaCy's tokenizer alone over the whole text), the
English model reading whole articles, the model alone on the leads decoded by spaCy and by
newsdesk's batch decoder (``ner_decoder``: the same entities), ``recognise`` as configured by
default (the model on the lead, repeats and the fallback rules after it), the fallback alone,
``link`` over all the articles (the set's event clusters as stories), and keywords (newsdesk's
and the ``yake`` package's). Prints articles/s per stage, the ratio to the baseline, how many of the names the
whole-text model finds the default recognition also finds, and how many keywords the two
keyword extractors share.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.enrich.entities import ArticleMentions, Mention, keywords, link, ner_decoder, recognise
from newsdesk.enrich.entities.names import clean_name
from newsdesk.enrich.entities.recognise import DEFAULT_MAX_CHARS, DEFAULT_MODELS, lead_cut
from newsdesk.enrich.entities.spacy_ner import load_spacy
from newsdesk.enrich.entities.text import fold

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "basil" / "basil_articles.jsonl.gz"
)


def load_articles(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The set's articles with a body: title, text and event cluster."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text"):
                rows.append(row)
    return rows[:limit] if limit else rows


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def names(mentions: list[Mention], typed: bool = True) -> set[str]:
    """Distinct folded names; with ``typed`` only those of people, organisations and places."""
    return {fold(clean_name(m.text, m.type)) for m in mentions if not typed or m.type != "OTHER"} - {""}


def recall(reference: list[list[Mention]], found: list[list[Mention]]) -> float:
    """Share of the reference's names of people, organisations and places (per article)
    that ``found`` has too, whatever type it gives them."""
    hit = total = 0
    for ref, got in zip(reference, found, strict=True):
        wanted = names(ref)
        total += len(wanted)
        hit += len(wanted & names(got, typed=False))
    return hit / total if total else 1.0


def overlap(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean share of shared keywords (folded) between two lists per article."""
    shares = [
        len({fold(x) for x in p} & {fold(x) for x in q}) / max(len(p), 1) for p, q in zip(a, b, strict=True)
    ]
    return sum(shares) / len(shares) if shares else 0.0


def texts_of(found: list[list[Any]]) -> list[list[str]]:
    return [[k.text for k in keywords] for keywords in found]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="what the model reads")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    console = Console(width=150)
    if not args.data.exists():
        console.print(f"[red]{args.data} is absent (the BASIL articles, JSON Lines, expected)")
        return 2
    rows = load_articles(args.data, args.limit)
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in rows]
    items = [(t, "en") for t in texts]
    n = len(items)
    console.print(f"{n} articles from {args.data}, {sum(map(len, texts)) / n:.0f} characters on average")

    nlp = load_spacy(DEFAULT_MODELS["en"])
    if nlp is None:
        console.print(f"[red]{DEFAULT_MODELS['en']} is not installed")
        return 2
    recognise(items[:4])  # warm-up: models and gazetteers loaded once, outside the timings
    link([ArticleMentions(m, "en") for m in recognise(items[:4])])
    keywords(texts[0], "en")

    _, t_base = timed(lambda: list(nlp.tokenizer.pipe(texts, batch_size=32)))
    whole, t_whole = timed(lambda: recognise(items, max_chars=None))
    leads = [t[: lead_cut(t, args.max_chars)] for t in texts]
    by_spacy, t_spacy = timed(lambda: [[(e.start, e.end, e.label_) for e in d.ents] for d in nlp.pipe(leads)])
    decoded, t_decoded = timed(lambda: [found for _, found in ner_decoder.decoded_texts(nlp, leads)])
    found, t_found = timed(lambda: recognise(items, max_chars=args.max_chars))
    fallback, t_fallback = timed(lambda: recognise(items, models={"en": "fallback"}))
    articles = [ArticleMentions(m, "en", r.get("cluster_id")) for m, r in zip(found, rows, strict=True)]
    linked, t_link = timed(lambda: link(articles))
    fast, t_fast = timed(lambda: [keywords(t, "en") for t in texts])
    reference, t_yake = timed(lambda: [keywords(t, "en", method="yake") for t in texts])

    rows_out = [
        ("baseline: spaCy tokenizer (whole text)", t_base, None),
        ("NER, model on the whole text", t_whole, None),
        (f"NER alone on {args.max_chars} chars, spaCy's decoding", t_spacy, None),
        (
            f"NER alone on {args.max_chars} chars, batch decoding (newsdesk)",
            t_decoded,
            f"{t_spacy / t_decoded:.2f} × spaCy's speed, "
            + ("the same entities" if decoded == by_spacy else "OTHER ENTITIES"),
        ),
        (
            f"recognise (default: model on {args.max_chars} chars + repeats + fallback)",
            t_found,
            f"{recall(whole, found):.0%} of whole-text names",
        ),
        ("recognise, fallback only", t_fallback, f"{recall(whole, fallback):.0%} of whole-text names"),
        ("link (all articles at once)", t_link, f"{len(linked.entities)} entities"),
        (
            "keywords (newsdesk)",
            t_fast,
            f"{overlap(texts_of(fast), texts_of(reference)):.0%} shared with yake",
        ),
        ("keywords (yake package)", t_yake, None),
        ("entities total: recognise + link + keywords", t_found + t_link + t_fast, None),
    ]
    table = Table(title="entities and keywords throughput")
    for column in ("stage", "articles", "seconds", "articles/s", "× baseline", "note"):
        table.add_column(column, justify="left" if column in ("stage", "note") else "right")
    results = []
    for stage, seconds, note in rows_out:
        rate = n / seconds if seconds else float("inf")
        table.add_row(stage, str(n), f"{seconds:.2f}", f"{rate:.1f}", f"{t_base / seconds:.3f}", note or "")
        results.append(
            {"stage": stage, "articles": n, "seconds": seconds, "articles_per_s": rate, "note": note}
        )
    console.print(table)
    console.print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.json:
        console.print_json(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
