"""``models train`` and ``models list``: the NER pipeline of each language."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli.common import fail, out, state

app = typer.Typer(help="NER models: which one each language uses; train your own.", no_args_is_help=True)


@app.command("train")
def train(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="Training sentences (ner/ JSON Lines, .jsonl or .jsonl.gz)."
    ),
    lang: str = typer.Option(
        ..., "--lang", help="The language the pipeline is for (de, fr, uk…; xx: several languages)."
    ),
    dev: list[Path] = typer.Option(
        [], "--dev", exists=True, dir_okay=False, help="Dev sentences (else a tenth of the training ones)."
    ),
    output: Path | None = typer.Option(None, "--output", help="Where to write it (default: ./ner-<lang>)."),
    base: str | None = typer.Option(None, "--base", help="Train this spaCy pipeline's NER further."),
    epochs: int | None = typer.Option(None, "--epochs", min=1, help="At most this many epochs (default 30)."),
    seed: list[int] = typer.Option(
        [],
        "--seed",
        help="Random seed (default fixed). Repeat it for a committee: one pipeline per seed, "
        "a name kept where all of them find it (precision first).",
    ),
    weight: list[str] = typer.Option(
        [], "--weight", help="SOURCE=N: repeat the sentences of that source N times (e.g. newseye_fr=4)."
    ),
    e5_vectors: bool = typer.Option(
        False,
        "--e5-vectors",
        help="Read static word vectors made from the shipped E5 model (blank pipelines).",
    ),
    every_word: bool = typer.Option(
        False,
        "--every-word",
        help="With --e5-vectors: every word reads one, the mean of its E5 pieces where it is no whole piece.",
    ),
) -> None:
    """Train a NER pipeline on NER sentences, print its dev scores, write it to a directory.

    Then name it in the settings: [entities] models = {uk = "/path/to/ner-uk"}.
    """
    from newsdesk.enrich.entities.training.train import SEED, train_committee
    from newsdesk.enrich.entities.training.train import train as train_pipeline
    from newsdesk.evaluation.entities import evaluate_file, file_language, format_report, summarise

    target = output or Path(f"ner-{lang}")
    weights = _weights(weight)
    options = {
        "base": base,
        "epochs": epochs,
        "weights": weights,
        "echo": out.print,
        "e5_vectors": e5_vectors,
        "every_word": every_word,
    }
    try:
        if len(seed) > 1:
            train_committee(lang, files, target, seed, dev_paths=dev, **options)
        else:
            train_pipeline(lang, files, target, dev, seed=seed[0] if seed else SEED, **options)
    except (ValueError, OSError) as exc:
        fail(str(exc), code=2)
    for path in dev:
        code = lang if lang != "xx" else file_language(path)
        if code:
            _, tally = evaluate_file(path, code, {code: str(target.resolve())})
            out.print(f"{path} ({code}):")
            out.print(format_report(summarise(tally)))
    out.print(f'Written to {target}. Use it with: [entities] models = {{{lang} = "{target.resolve()}"}}')


@app.command("train-types")
def train_types(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="Training sentences (ner/ JSON Lines, .jsonl or .jsonl.gz)."
    ),
    output: Path = typer.Option(Path("name_types.npz"), "--output", help="Where to write the weights."),
    weight: list[str] = typer.Option(
        [], "--weight", help="SOURCE=N: count the sentences of that source N times (0: leave them out)."
    ),
    strength: float = typer.Option(0.1, "--strength", min=1e-6, help="Inverse L2 penalty (C)."),
) -> None:
    """Train the name typer: the type of a name the rules found and no model typed.

    newsdesk ships one (docs/entities.md, "The name typer"); this writes another from your data.
    """
    from collections import Counter

    from newsdesk.enrich.entities.training.name_types import train_typer

    try:
        typer_, classes = train_typer(files, _weights(weight), strength)
    except (ValueError, OSError) as exc:
        fail(str(exc), code=2)
    typer_.save(output)
    counts = Counter(classes)
    out.print("examples: " + ", ".join(f"{c} {counts[c]}" for c in typer_.classes))
    out.print(f"Written to {output}.")


def _weights(weight: list[str]) -> dict[str, int]:
    try:
        return {source: int(n) for source, n in (w.split("=", 1) for w in weight)}
    except ValueError:
        raise typer.BadParameter("use SOURCE=N, e.g. newseye_fr=4", param_hint="--weight") from None


@app.command("halves")
def halves(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="NER sets (e.g. ner/de/dev.jsonl.gz)."
    ),
    output: Path = typer.Option(Path("ner-halves"), "--output", help="Folder to write them under."),
) -> None:
    """Split each set in two halves by document (a: even-numbered documents, b: odd-numbered):
    train on one (with the training part), measure on the other."""
    from newsdesk.enrich.entities.training.halves import write_halves

    for path in files:
        a, b = write_halves(path, output)
        out.print(f"{path}: {a}, {b}")


@app.command("list")
def list_models(ctx: typer.Context) -> None:
    """Which recogniser each language uses, and where it comes from."""
    from rich.table import Table

    from newsdesk.enrich.entities.recognise import model_origins

    table = Table("language", "model", "from")
    for language, name, origin in model_origins(state(ctx).settings.entities.models):
        table.add_row(language, name, origin)
    out.print(table)
