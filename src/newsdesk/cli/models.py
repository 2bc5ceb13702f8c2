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
    lang: str = typer.Option(..., "--lang", help="The language the pipeline is for (de, fr, uk…)."),
    dev: Path | None = typer.Option(
        None, "--dev", exists=True, dir_okay=False, help="Dev sentences (else a tenth of the training ones)."
    ),
    output: Path | None = typer.Option(None, "--output", help="Where to write it (default: ./ner-<lang>)."),
    base: str | None = typer.Option(None, "--base", help="Train this spaCy pipeline's NER further."),
    epochs: int | None = typer.Option(None, "--epochs", min=1, help="At most this many epochs (default 30)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default fixed)."),
) -> None:
    """Train a NER pipeline on NER sentences, print its dev scores, write it to a directory.

    Then name it in the settings: [entities] models = {uk = "/path/to/ner-uk"}.
    """
    from newsdesk.enrich.entities.training.train import SEED
    from newsdesk.enrich.entities.training.train import train as train_pipeline
    from newsdesk.evaluation.entities import evaluate_file, format_report, summarise

    target = output or Path(f"ner-{lang}")
    try:
        train_pipeline(
            lang,
            files,
            target,
            dev,
            base=base,
            epochs=epochs,
            seed=SEED if seed is None else seed,
            echo=out.print,
        )
    except (ValueError, OSError) as exc:
        fail(str(exc), code=2)
    if dev is not None:
        _, tally = evaluate_file(dev, lang, {lang: str(target.resolve())})
        out.print(format_report(summarise(tally)))
    out.print(f'Written to {target}. Use it with: [entities] models = {{{lang} = "{target.resolve()}"}}')


@app.command("list")
def list_models(ctx: typer.Context) -> None:
    """Which recogniser each language uses, and where it comes from."""
    from rich.table import Table

    from newsdesk.enrich.entities.recognise import model_origins

    table = Table("language", "model", "from")
    for language, name, origin in model_origins(state(ctx).settings.entities.models):
        table.add_row(language, name, origin)
    out.print(table)
