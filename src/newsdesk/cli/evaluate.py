"""``newsdesk eval``: quality numbers over evaluation sets."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsdesk.cli.common import out, progress_bar

app = typer.Typer(
    help="Measure clustering, extraction, quote and entity quality on evaluation sets.", no_args_is_help=True
)


@app.command("clustering")
def clustering(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines (.jsonl or .jsonl.gz)."),
    gold_field: str = typer.Option("cluster_id", "--gold-field", help="The field holding the gold story."),
    no_time: bool = typer.Option(False, "--no-time", help="Ignore dates: every story stays a candidate."),
    split: str | None = typer.Option(
        None, "--split", help="Only lines whose `split` field (else their group's half) has this value."
    ),
    languages: str | None = typer.Option(
        None, "--languages", help="Only lines in these languages (comma-separated codes, e.g. en,fr,de)."
    ),
    threshold: float | None = typer.Option(None, "--threshold", help="Override the calibrated threshold."),
    no_crosslingual: bool = typer.Option(
        False,
        "--no-crosslingual",
        help="Without the cross-lingual vectors (as with [cluster] crosslingual = false).",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Embed every text anew (else vectors are kept in ~/.cache/newsdesk-eval)."
    ),
    retrieval: str = typer.Option(
        "auto", "--retrieval", help="How candidate stories are found: auto, exact (scan) or index."
    ),
    compare_with: str | None = typer.Option(
        None, "--compare-with", help="Cluster a second time with this retrieval and compare."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Cluster a labelled set as the pipeline would, and score it against the gold stories.

    A file without a `split` field is split by gold group (see docs/evaluation-clustering.md)."""
    from newsdesk.evaluation.clustering import evaluate_clustering, format_report

    result = evaluate_clustering(
        file,
        gold_field=gold_field,
        use_time=not no_time,
        threshold=threshold,
        split=split,
        languages={code.strip() for code in languages.split(",") if code.strip()} if languages else None,
        crosslingual=not no_crosslingual,
        cache=not no_cache,
        retrieval=retrieval,  # type: ignore[arg-type]  # checked by the clusterer
        compare_with=compare_with,  # type: ignore[arg-type]
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        out.print(format_report(result))


@app.command("extraction")
def extraction(
    folder: Path = typer.Argument(
        ..., exists=True, file_okay=False, help="article-extraction-benchmark folder."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Body extraction precision, recall and F1 (4-word shingles, macro-averaged)."""
    from newsdesk.evaluation.extraction import evaluate_extraction

    result = evaluate_extraction(folder)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            out.print(f"{key:>16}: {value:.4f}" if isinstance(value, float) else f"{key:>16}: {value}")


@app.command("quotes")
def quotes(
    path: Path = typer.Argument(
        ...,
        exists=True,
        help="PolNeAR folder (holding dev/ and train/), SpkAtt-de (a .jsonl[.gz] file or its folder), "
        "or one of newsdesk's own sets (tests/data/quotes/<lang>.jsonl).",
    ),
    split: str = typer.Option(
        "dev", "--split", help="The split to score: dev or train (folders); dev, test or all (own sets)."
    ),
    corpus_format: str = typer.Option(
        "auto", "--format", help="polnear, spkatt, newsdesk, or auto: detected from the data."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Quote extraction: content (exact, token overlap) and speaker precision, recall and F1."""
    from newsdesk.evaluation.quotes import FORMATS, evaluate_quotes, format_report

    if split not in {"dev", "train", "test", "all"}:
        raise typer.BadParameter("use dev or train (dev, test or all for own sets)", param_hint="--split")
    if corpus_format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        result = evaluate_quotes(path, split=split, corpus_format=corpus_format)
    except (FileNotFoundError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="PATH") from exc
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        out.print(format_report(result))


@app.command("entities")
def entities(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="NER sets (.jsonl or .jsonl.gz), e.g. ner/fr/dev.jsonl.gz."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="The language of every file (else its folder's name)."
    ),
    fallback: bool = typer.Option(False, "--fallback", help="The fallback recogniser for every language."),
    model: str | None = typer.Option(
        None, "--model", help="This model for every file (spaCy pipeline, directory, newsdesk-de, natasha)."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Named entities: exact and partial precision, recall and F1 per label (PER, ORG, LOC)."""
    from newsdesk.evaluation.entities import evaluate_entities, format_report

    try:
        result = evaluate_entities(files, lang, fallback_only=fallback, model=model)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from exc
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        out.print(format_report(result))


@app.command("entity-links")
def entity_links(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="WMT multi-way documents (wmt_newstest_docs.jsonl.gz)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Only translations into these languages (comma-separated, e.g. de,fr)."
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N groups."),
    stories: bool = typer.Option(
        False,
        "--stories",
        help="Link as the pipeline does: in newsdesk's own stories, each article taking its story's names.",
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """One entity across languages: the share of each original's entities its translations link to."""
    from newsdesk.evaluation.entity_links import evaluate_entity_links, format_report

    languages = {code.strip() for code in lang.split(",") if code.strip()} if lang else None
    with progress_bar(transient=True) as progress:
        task = progress.add_task("versions recognised", total=None)
        result = evaluate_entity_links(
            file,
            languages,
            limit,
            lambda done, total: progress.update(task, completed=done, total=total),
            stories=stories,
        )
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        out.print(format_report(result), markup=False)


@app.command("name-pairs")
def name_pairs(as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """How alike the cross-lingual vectors of two known names are: one entity's, and two entities'."""
    from newsdesk.evaluation.name_pairs import evaluate_name_pairs, format_report

    result = evaluate_name_pairs()
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        out.print(format_report(result), markup=False)


@app.command("copies")
def copies(
    data: Path = typer.Argument(
        ...,
        exists=True,
        file_okay=False,
        help="The shared data folder (../shared/data) the set is made from.",
    ),
    split: str = typer.Option("test", "--split", help="The part to score: test, train or all."),
    tune: bool = typer.Option(False, "--tune", help="Score the settings grid on the training part instead."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Wire copies: precision, recall and F1 on a labelled set generated from real articles."""
    from newsdesk.evaluation.copies import evaluate_copies, format_report, tune_copies

    if split not in ("test", "train", "all"):
        raise typer.BadParameter("choose test, train or all", param_hint="--split")
    if tune:
        rows = tune_copies(data)
        if as_json:
            typer.echo(json.dumps(rows, indent=2))
            return
        for row in rows:
            out.print(
                f"words {row['shingle_words']}  lsh {row['candidate_jaccard']:.2f}  "
                f"containment {row['containment']:.2f}  P {row['precision']:.4f}  R {row['recall']:.4f}  "
                f"F1 {row['f1']:.4f}  query {row['query_ms_per_article']} ms",
                markup=False,
            )
        return
    result = evaluate_copies(data, split=split)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        out.print(format_report(result), markup=False)
