"""The command line, through typer's CliRunner."""

from __future__ import annotations

from typer.testing import CliRunner

from goldideas import __version__
from goldideas.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_corpus_check_prints_counts_and_passes() -> None:
    result = runner.invoke(app, ["corpus", "check"])
    assert result.exit_code == 0, result.output
    assert "kept" in result.stdout and "571" in result.stdout
    assert "corpus ok" in result.stdout


def test_corpus_check_names_a_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["corpus", "check", "--gold", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.stderr


def test_every_command_has_an_example_in_its_help() -> None:
    """Like sqlite-utils: each command's help ends with an example."""
    import typer

    def walk(typer_app: typer.Typer, path: str) -> list[tuple[str, str]]:
        found = [
            (f"{path} {c.name or c.callback.__name__}", c.callback.__doc__ or "")
            for c in typer_app.registered_commands
            if c.callback is not None
        ]
        for group in typer_app.registered_groups:
            assert group.typer_instance is not None
            found += walk(group.typer_instance, f"{path} {group.name}")
        return found

    commands = walk(app, "goldideas")
    assert commands
    for name, doc in commands:
        assert "Example: goldideas" in doc, f"{name} has no example in its help"


def test_screen_writes_every_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text("编号,标题,内容\n1,周末预约,建议不动产登记开通周末预约\n2,测试,测试\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", str(source), "--id-column", "编号", "--text-column", "标题",
                                 "--text-column", "内容", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "rows 2" in result.stdout and "kept 1" in result.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_screen_names_a_missing_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text("id,content\n1,建议开通周末预约\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(source), "--text-column", "contnet"])
    assert result.exit_code == 2
    assert "no column 'contnet'" in result.stderr and "did you mean 'content'" in result.stderr


def test_evaluate_compares_with_gold() -> None:
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 0, result.output
    assert "dedup pairs: precision" in result.stdout
    assert "same_topic_as pairs merged" in result.stdout
