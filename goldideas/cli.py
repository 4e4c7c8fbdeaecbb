"""The ``goldideas`` command line: each command parses, calls the library, renders."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .config import Config
from .errors import GoldideasError
from .io import (
    CORPUS_SUGGESTIONS,
    check_output,
    load_corpus,
    load_gold,
    read_suggestions,
    read_table,
    write_table,
)
from .stamp import file_hash, make_stamp

if TYPE_CHECKING:
    import pandas as pd

# The stages load inside the commands that use them, so that `goldideas triage` never waits for
# pandas, scikit-learn or the workbook writer.

app = typer.Typer(
    help="Screen public suggestions (金点子): duplicates, compliance, quality.",
    no_args_is_help=True,
    add_completion=False,
)
corpus_app = typer.Typer(help="The bundled reference corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


InputArg = Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL file")]
TextColumns = Annotated[list[str] | None, typer.Option(help="Text column; repeat to join title + body")]
IdColumn = Annotated[str | None, typer.Option(help="Id column; default: id, else row numbers")]
Encoding = Annotated[str | None, typer.Option(help="CSV encoding; default: detected")]
Sheet = Annotated[str | None, typer.Option(help="XLSX sheet name or index; default: first")]
UniqueIds = Annotated[bool, typer.Option("--make-ids-unique", help="Suffix repeated ids instead of failing")]


class RankBy(StrEnum):
    HEAT = "heat"
    MESSAGES = "messages"


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
    from .corpus import check_corpus

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


def _progress_bar() -> Callable[[str, int, int], None] | None:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        filled = "█" * done + "·" * (total - done)
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r[{filled}] {done}/{total} {stage}    {end}")
        sys.stderr.flush()

    return show


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
    text_column: TextColumns = None,
    id_column: IdColumn = None,
    time_column: Annotated[str | None, typer.Option(help="Submission time column")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file overriding settings")] = None,
    theme_model: Annotated[
        Path | None, typer.Option(help="A model folder from `goldideas train`, instead of the six themes")
    ] = None,
    overrides: Annotated[
        Path | None, typer.Option(help="Staff decisions (id, status, note) applied over the rules")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write a one-file HTML report here")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr")] = False,
    encoding: Encoding = None,
    sheet: Sheet = None,
    make_ids_unique: UniqueIds = False,
) -> None:
    """Screen suggestions: a verdict, reasons and an explanation for every row.

    Example: goldideas screen messages.xlsx --text-column 留言主题 --text-column 留言详情 -o out.xlsx
    """
    from .classifier import load_classifier
    from .overrides import apply_overrides
    from .report import write_report
    from .screening import screen
    from .workbook import write_workbook

    try:
        settings = _load_config(config)
        if theme_model is not None:
            load_classifier(theme_model)  # fail early, before any work
            settings = replace(settings, themes=replace(settings.themes, model=str(theme_model)))
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
            check_output(output)
        result = screen(frame, settings, progress=None if quiet else _progress_bar())
        if overrides is not None:
            result = apply_overrides(result, read_table(overrides), str(overrides))
        _print_funnel(result.summary())
        if output and output.suffix.lower() == ".xlsx":
            write_workbook(result, output, input or CORPUS_SUGGESTIONS)
            typer.echo(f"wrote the workbook of {len(result)} rows to {output}")
        elif output:
            write_table(result.to_frame(), output, make_stamp(settings.digest(), input or CORPUS_SUGGESTIONS))
            typer.echo(f"wrote {len(result)} rows to {output}")
        if report:
            write_report(result, report, input or CORPUS_SUGGESTIONS)
            typer.echo(f"wrote the report to {report}")
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
    from .evaluate import evaluate
    from .screening import screen

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
    if result.theme_macro_f1 is not None and result.theme_per_class is not None:
        typer.echo("")
        typer.echo(f"themes (rows both sides give a theme): macro-F1 {result.theme_macro_f1:.3f}")
        typer.echo(result.theme_per_class.round(3).to_string())
    typer.echo("")
    typer.echo(result.funnel.to_string())


def _labelled(
    frame: pd.DataFrame, label_column: str, folds: int, source: Path
) -> tuple[list[str], list[str]]:
    """The texts and labels of the rows that carry a label; each label needs ``folds`` rows."""
    labelled = frame[frame[label_column].str.strip() != ""]
    if len(labelled) < len(frame):
        typer.echo(f"{len(frame) - len(labelled)} rows without a label are left out", err=True)
    texts, labels = labelled["text"].tolist(), labelled[label_column].str.strip().tolist()
    smallest = min(labels.count(label) for label in set(labels))
    if smallest < folds:
        raise GoldideasError(
            f"{source}: a label has only {smallest} rows; each needs at least {folds} "
            "(lower --folds, or label more rows)"
        )
    return texts, labels


@app.command("train")
def train_command(
    input: InputArg,
    label_column: Annotated[str, typer.Option(help="Column holding each row's label")],
    model: Annotated[Path, typer.Option(help="Folder to write the model to")],
    text_column: TextColumns = None,
    id_column: IdColumn = None,
    title_weight: Annotated[int, typer.Option(min=1, max=10, help="Repeat the first text column")] = 2,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds")] = 5,
    taxonomy: Annotated[Path | None, typer.Option(
        help="A table of the labels' sub-categories: the label column, then columns naming them; "
             "each row becomes a short training example of its label")] = None,
    encoding: Encoding = None,
    sheet: Sheet = None,
    make_ids_unique: UniqueIds = False,
) -> None:
    """Train a classifier for any taxonomy; print its cross-validated macro-F1; save it.

    Example: goldideas train 附件2.xlsx --label-column 一级分类 --text-column 留言主题
    --text-column 留言详情 --taxonomy 附件1.xlsx --model out/tipdm
    """
    from .classifier import TextClassifier, cross_validate_and_calibrate, read_descriptions

    try:
        frame = read_suggestions(
            input, text_columns=text_column, id_column=id_column, encoding=encoding, sheet=sheet,
            make_ids_unique=make_ids_unique, title_weight=title_weight, extra_columns=[label_column],
        )
        texts, labels = _labelled(frame, label_column, folds, input)
        described = (
            read_descriptions(read_table(taxonomy), label_column, str(taxonomy)) if taxonomy else []
        )
        estimator = TextClassifier()
        score, estimator.temperature = cross_validate_and_calibrate(
            texts, labels, estimator, folds=folds, descriptions=described)
        estimator.fit(texts, labels, descriptions=described).save(model)
        (model / "input.json").write_text(
            json.dumps({"title_weight": title_weight, "text_columns": text_column or ["text"]},
                       ensure_ascii=False),
            encoding="utf-8",
        )
    except GoldideasError as exc:
        _fail(exc)
    known = set(labels)
    used = sum(label in known for label, _ in described)
    typer.echo(
        f"{len(texts)} rows, {len(known)} labels"
        + (f", {used} taxonomy entries of these labels" if taxonomy else "")
        + f"; {folds}-fold cross-validated macro-F1 {score:.3f}"
    )
    typer.echo(f"confidences tempered by {estimator.temperature:g} (calibrated on the folds)")
    typer.echo(f"model written to {model}")


@app.command("classify")
def classify_command(
    input: InputArg,
    model: Annotated[Path, typer.Option(help="A model folder from `goldideas train`")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV, XLSX or JSONL")],
    text_column: TextColumns = None,
    id_column: IdColumn = None,
    encoding: Encoding = None,
    sheet: Sheet = None,
    make_ids_unique: UniqueIds = False,
) -> None:
    """Label each row with a trained model: id, label, confidence.

    Example: goldideas classify 附件3.xlsx --model out/tipdm --text-column 留言主题
    --text-column 留言详情 -o labels.csv
    """
    import pandas as pd

    from .classifier import load_classifier

    try:
        classifier = load_classifier(model)
        settings = json.loads((model / "input.json").read_text(encoding="utf-8")) if (
            model / "input.json"
        ).exists() else {}
        check_output(output)
        frame = read_suggestions(
            input, text_columns=text_column, id_column=id_column, encoding=encoding, sheet=sheet,
            make_ids_unique=make_ids_unique, title_weight=int(settings.get("title_weight", 1)),
        )
        labels, confidence = classifier.predict(frame["text"].tolist())
        result = pd.DataFrame({"id": frame["id"], "label": labels, "confidence": confidence})
        write_table(result, output, make_stamp(file_hash(model / "model.json"), input))
    except GoldideasError as exc:
        _fail(exc)
    typer.echo(f"wrote {len(result)} rows to {output}")


@app.command("topics")
def topics_command(
    input: Annotated[Path | None, typer.Argument(help="CSV, XLSX or JSONL; default: the corpus")] = None,
    text_column: TextColumns = None,
    id_column: IdColumn = None,
    likes_column: Annotated[str | None, typer.Option(help="Column of likes, added to the heat")] = None,
    top: Annotated[int, typer.Option(min=1, max=1000, help="How many topics to print")] = 10,
    rank_by: Annotated[RankBy, typer.Option(help="heat (messages + likes) or messages")] = RankBy.HEAT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the topics here")] = None,
    encoding: Encoding = None,
    sheet: Sheet = None,
    make_ids_unique: UniqueIds = False,
) -> None:
    """Rank what people write about by heat: submissions (re-posts included) plus likes.

    Example: goldideas topics 附件3.xlsx --text-column 留言主题 --text-column 留言详情
    --likes-column 点赞数
    """
    import pandas as pd

    from .screening import screen

    try:
        if output:
            check_output(output)
        frame = read_suggestions(
            input or CORPUS_SUGGESTIONS, text_columns=text_column, id_column=id_column,
            encoding=encoding, sheet=sheet, make_ids_unique=make_ids_unique,
            extra_columns=[likes_column] if likes_column else [],
        )
        likes = None
        if likes_column:
            numbers = pd.to_numeric(frame[likes_column], errors="coerce")
            likes = numbers.fillna(0).clip(lower=0).astype(int).tolist()
        table = screen(frame[["id", "text", "submitted_at"]]).hot_topics(likes, top, rank_by.value)
        if output:
            write_table(table, output, make_stamp(Config().digest(), input or CORPUS_SUGGESTIONS))
    except GoldideasError as exc:
        _fail(exc)
    typer.echo(f"{'topic':<6} {'heat':>6} {'msgs':>5} {'likes':>6}  label / example")
    for row in table.itertuples(index=False):
        typer.echo(f"{row.topic_id:<6} {row.heat:>6} {row.messages:>5} {row.likes:>6}  {row.label}")
        typer.echo(f"{'':<27}{row.example_id}: {row.example}")


@app.command("report")
def report_command(
    screened: Annotated[Path, typer.Argument(help="Output of goldideas screen (CSV or JSONL)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write")],
) -> None:
    """Write the one-file HTML report of an earlier screening.

    Example: goldideas report out/screened.csv -o out/report.html
    """
    from .report import write_report
    from .screening import Screening

    try:
        result = Screening.from_frame(read_table(screened))
        write_report(result, output, screened)
    except GoldideasError as exc:
        _fail(exc)
    typer.echo(f"wrote the report to {output}")


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("index")
def index_command(
    screened: Annotated[Path, typer.Argument(help="Output of goldideas screen (CSV or JSONL)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the index to")],
) -> None:
    """Index the kept and duplicate suggestions of a screened round, for triage.

    Example: goldideas index out/screened.csv -o out/index
    """
    from .triage import TriageIndex

    try:
        index = TriageIndex().fit(read_table(screened))
        index.save(output)
    except GoldideasError as exc:
        _fail(exc)
    typer.echo(f"indexed {len(index.ids_)} suggestions into {output}")


def _print_triage(answer: dict[str, object]) -> None:
    typer.echo(f"结论 status: {answer['status']}  {answer['explanation']}")
    typer.echo(f"主题 theme: {answer['theme'] or '-'}")
    if answer["compliance_rule"]:
        typer.echo(f"合规 compliance: {answer['compliance_rule']}")
    similar = answer["similar"]
    assert isinstance(similar, list)
    for match in similar:
        typer.echo(f"  {match['similarity']:.2f}  {match['id']} [{match['status']}] {match['text'][:50]}")


@app.command("triage")
def triage_command(
    text: Annotated[str | None, typer.Argument(help="One new idea")] = None,
    index: Annotated[Path | None, typer.Option(help="Index of an earlier round (goldideas index)")] = None,
    format: Annotated[
        Format, typer.Option("--format", help="table for people, json for machines")
    ] = Format.TABLE,
    file: Annotated[Path | None, typer.Option(help="A new round to screen against the index")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the new round")
    ] = None,
    text_column: TextColumns = None,
    id_column: IdColumn = None,
) -> None:
    """Triage one new idea (or a new round) against an earlier round.

    Example: goldideas triage "建议不动产登记开通周末预约" --index out/index
    """
    from .triage import load_index, triage, triage_round

    try:
        loaded = load_index(index) if index is not None else None
        if file is not None:
            if loaded is None or output is None:
                raise GoldideasError("--file needs --index (the earlier round) and --output")
            check_output(output)
            frame = read_suggestions(file, text_columns=text_column, id_column=id_column)
            result = triage_round(frame, loaded)
            write_table(result.to_frame(), output, make_stamp(Config().digest(), file))
            _print_funnel(result.summary())
            typer.echo(f"wrote {len(result)} rows to {output}")
            return
        if not text:
            raise GoldideasError("give the idea as an argument, or a new round with --file")
        answer = triage(text, loaded)
    except GoldideasError as exc:
        _fail(exc)
    if format is Format.JSON:
        typer.echo(json.dumps(answer, ensure_ascii=False))
    else:
        _print_triage(answer)


def run() -> None:  # pragma: no cover - the console entry point
    sys.exit(app())
