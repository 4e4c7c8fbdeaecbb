"""The ``goldideas`` command line: each command parses, calls the library, renders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .corpus import check_corpus
from .errors import GoldideasError
from .io import load_corpus, load_gold

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
    from .io import read_table

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


def run() -> None:  # pragma: no cover - the console entry point
    sys.exit(app())
