"""The reproducibility stamp in every output file: version, config hash, input hash, time."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from goldideas import Config, __version__
from goldideas.cli import app
from goldideas.io import read_table, write_table
from goldideas.stamp import Stamp, file_hash, make_stamp

runner = CliRunner()
TEXTS = ["建议不动产登记开通周末预约", "测试", "建议公积金提取全程网办，不再到柜台签字"]


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    pd.DataFrame({"id": ["A", "B", "C"], "text": TEXTS}).to_csv(path, index=False)
    return path


def test_a_stamp_names_the_version_config_and_input(source: Path) -> None:
    stamp = make_stamp(Config().digest(), source)
    assert (stamp.version, stamp.config_hash) == (__version__, Config().digest())
    assert stamp.input_hash == file_hash(source) and len(stamp.input_hash) == 12
    assert "," not in stamp.header_line()  # one cell when a spreadsheet opens the CSV


def test_screened_csv_opens_with_the_stamp_and_reads_back_whole(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["screen", str(source), "-q", "-o", str(out)]).exit_code == 0
    first = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith(f"# goldideas {__version__} · 配置 {Config().digest()} · 输入 {file_hash(source)}")
    back = read_table(out)
    assert back["id"].tolist() == ["A", "B", "C"] and "status" in back.columns


def test_every_jsonl_record_carries_the_stamp(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["screen", str(source), "-q", "-o", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    assert {r["stamp"]["input_hash"] for r in records} == {file_hash(source)}
    assert set(records[0]["stamp"]) == {"version", "config_hash", "input_hash", "created_at"}


def test_another_config_gives_another_hash(source: Path, tmp_path: Path) -> None:
    settings = tmp_path / "goldideas.toml"
    settings.write_text("[quality]\nmin_chars = 12\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", str(source), "-q", "--config", str(settings), "-o", str(out)])
    assert result.exit_code == 0, result.output
    first = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert Config.from_toml(settings).digest() in first and Config().digest() not in first


def test_a_plain_xlsx_gets_a_stamp_sheet(tmp_path: Path) -> None:
    out = write_table(pd.DataFrame({"id": ["1"], "label": ["x"]}), tmp_path / "labels.xlsx",
                      Stamp("9.9", "c0ffee", "f00d", "2026-01-01 00:00:00"))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Sheet1", "生成信息"]
    assert [c.value for c in book["生成信息"]["B"]][1:] == ["9.9", "c0ffee", "f00d", "2026-01-01 00:00:00"]
    assert read_table(out)["label"].tolist() == ["x"]


def test_without_a_stamp_the_csv_is_plain(tmp_path: Path) -> None:
    out = write_table(pd.DataFrame({"id": ["1"]}), tmp_path / "plain.csv")
    assert out.read_text(encoding="utf-8-sig") == "id\n1\n"
