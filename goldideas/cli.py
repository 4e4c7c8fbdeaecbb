"""The ``goldideas`` command line: each command parses, calls the library, renders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .config import Config
from .corpus import check_corpus
from .errors import GoldideasError
from .evaluate import evaluate
from .io import CORPUS_SUGGESTIONS, load_corpus, load_gold, read_suggestions, read_table, write_table
from .screening import screen

app = typer.Typer(
    help="Screen public suggestions (金点子): duplicates, compliance, quality.",
    no_args_is_help=True,
    add_completion=False,
)
corpus_app = typer.Typer(help="The bundled reference corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


def _fail(exc: GoldideasError) -> None:
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(code=2)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """goldideas: 营商环境“金点子”筛选."""


@corpus_app.command("check")
def corpus_check(
    suggestions: Annotated[
        Path | None, typer.Option(help="Input file; default: corpus/suggestions.csv")
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold labels; default: corpus/gold.csv")] = None,
) -> None:
    """Check the corpus invariants and print its counts.

    Example: goldideas corpus check
    """
    try:
        frame = read_table(suggestions) if suggestions else load_corpus()
        result = check_corpus(frame, load_gold(gold))
    except GoldideasError as exc:
        _fail(exc)
    for section, counts in result.counts.items():
        typer.echo(f"{section}:")
        for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"  {key:<30} {value:>5}")
    if not result.ok:
        for problem in result.problems:
            typer.echo(f"problem: {problem}", err=True)
        typer.echo(f"{len(result.problems)} problems", err=True)
        raise typer.Exit(code=1)
    typer.echo("corpus ok")


def _check_output(path: Path) -> None:
    from .io import TABLE_SUFFIXES

    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise GoldideasError(
            f"{path}: unknown output type {path.suffix or '(none)'!r}; use one of {', '.join(TABLE_SUFFIXES)}"
        )


def _load_config(path: Path | None) -> Config:
    return Config.from_toml(path) if path else Config()


def _print_funnel(summary: dict[str, int]) -> None:
    typer.echo(
        f"rows {summary['rows']} → after dedup {summary['after_dedup']} → "
        f"after compliance {summary['after_compliance']} → "
        f"after quality {summary['after_quality']} = kept {summary['kept']}"
    )


@app.command("screen")
def screen_command(
    input: Annotated[Path | None, typer.Argument(help="CSV, XLSX or JSONL; default: the corpus")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="CSV, XLSX or JSONL")] = None,
    text_column: Annotated[
        list[str] | None, typer.Option(help="Text column; repeat to join title + body")
    ] = None,
    id_column: Annotated[str | None, typer.Option(help="Id column; default: id, else row numbers")] = None,
    time_column: Annotated[str | None, typer.Option(help="Submission time column")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file overriding settings")] = None,
    encoding: Annotated[str | None, typer.Option(help="CSV encoding; default: detected")] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet name or index; default: first")] = None,
    make_ids_unique: Annotated[
        bool, typer.Option("--make-ids-unique", help="Suffix repeated ids instead of failing")
    ] = False,
) -> None:
    """Screen suggestions: a verdict, reasons and an explanation for every row.

    Example: goldideas screen messages.xlsx --text-column 留言主题 --text-column 留言详情 -o out.xlsx
    """
    try:
        settings = _load_config(config)
        frame = read_suggestions(
            input or CORPUS_SUGGESTIONS,
            text_columns=text_column,
            id_column=id_column,
            time_column=time_column,
            encoding=encoding,
            sheet=sheet,
            make_ids_unique=make_ids_unique,
        )
        if output:
            _check_output(output)
        result = screen(frame, settings)
        _print_funnel(result.summary())
        if output:
            write_table(result.to_frame(), output)
            typer.echo(f"wrote {len(result)} rows to {output}")
    except GoldideasError as exc:
        _fail(exc)


@app.command("evaluate")
def evaluate_command(
    screened: Annotated[
        Path | None, typer.Argument(help="Output of screen; default: screen the corpus")
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold labels; default: corpus/gold.csv")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file, when screening the corpus")] = None,
) -> None:
    """Compare a screening with staff decisions: confusion, F1, dedup pairs, funnel.

    Example: goldideas evaluate
    """
    try:
        frame = read_table(screened) if screened else screen(load_corpus(), _load_config(config)).to_frame()
        result = evaluate(frame, load_gold(gold))
    except GoldideasError as exc:
        _fail(exc)
    typer.echo("confusion (rows: gold, columns: predicted)")
    typer.echo(result.confusion.to_string())
    typer.echo("")
    typer.echo(result.per_status.round(3).to_string())
    typer.echo("")
    typer.echo(f"dedup pairs: precision {result.pair_precision:.3f}, recall {result.pair_recall:.3f}")
    typer.echo(
        f"same_topic_as pairs merged: {result.same_topic_false_merges} of {result.same_topic_pairs}"
    )
    typer.echo("")
    typer.echo(result.funnel.to_string())


def run() -> None:  # pragma: no cover - the console entry point
    sys.exit(app())
