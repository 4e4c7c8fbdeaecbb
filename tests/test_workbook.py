"""The staff workbook and staff overrides."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from goldideas import InputError, Status, screen
from goldideas.cli import app
from goldideas.io import read_table
from goldideas.overrides import apply_overrides
from goldideas.workbook import write_workbook

runner = CliRunner()
TEXTS = [
    "建议不动产登记中心开通周末网上预约，方便上班族办事。",
    "您好！建议不动产登记中心开通周末网上预约，方便上班族办事。王女士",
    "测试",
    "为了保护本地企业，建议政府采购同等条件下本地企业优先中标。",
    "=HYPERLINK(\"http://x\")建议公积金中心开通周末服务",
]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return screen(pd.DataFrame({"id": [f"R{i}" for i in range(len(TEXTS))], "text": TEXTS}))


def test_workbook_has_a_sheet_per_verdict(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(write_workbook(result, tmp_path / "out.xlsx"))
    assert book.sheetnames == ["汇总", "保留", "重复", "过于简单", "不合规", "全部"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert book["全部"].max_row == len(TEXTS) + 1
    assert [c.value for c in book["重复"][1]][:2] == ["编号", "重复于"]
    assert book["重复"]["B2"].value == "R0"
    assert "《反垄断法》" in str(book["不合规"]["C2"].value)


def test_summary_sheet_has_the_funnel_and_a_stamp(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = openpyxl.load_workbook(write_workbook(result, tmp_path / "out.xlsx"))["汇总"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert values["收到建议"] == len(TEXTS)
    assert values["去除过于简单后（保留）"] == result.summary()["kept"]
    assert values["配置哈希"] == result.config.digest()
    assert values["goldideas 版本"]


def test_workbook_neutralises_formulas(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = openpyxl.load_workbook(write_workbook(result, tmp_path / "out.xlsx"))["全部"]
    texts = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\")建议公积金中心开通周末服务" in texts


def test_overrides_decide_and_are_recorded(result) -> None:  # type: ignore[no-untyped-def]
    decided = apply_overrides(result, pd.DataFrame({"id": ["R2"], "status": ["kept"], "note": ["电话回访后补充了内容"]}))
    verdict = {v.id: v for v in decided.verdicts}["R2"]
    assert verdict.status is Status.KEPT and verdict.decided_by == "staff"
    assert verdict.note == "电话回访后补充了内容" and verdict.explanation.startswith("工作人员决定为“保留”")
    assert {v.id: v for v in decided.verdicts}["R0"].decided_by == "rule"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param({"id": ["R9"], "status": ["kept"]}, "ids not in the input: R9", id="unknown-id"),
        pytest.param({"id": ["R1"], "status": ["ok"]}, "line 2: status 'ok' is not one of", id="bad-status"),
        pytest.param({"id": ["R1", "R1"], "status": ["kept", "kept"]}, "id R1 is decided twice", id="twice"),
        pytest.param({"ID": ["R1"], "status": ["kept"]}, "missing id", id="no-id-column"),
    ],
)
def test_bad_overrides_are_named(result, rows: dict[str, list[str]], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        apply_overrides(result, pd.DataFrame(rows))


def test_cli_overrides_survive_a_rerun(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    pd.DataFrame({"id": ["A", "B"], "text": ["测试", "建议公积金中心开通周末服务"]}).to_csv(source, index=False)
    decisions = tmp_path / "overrides.csv"
    pd.DataFrame({"id": ["A"], "status": ["kept"], "note": ["人工复核"]}).to_csv(decisions, index=False)
    for run in range(2):
        out = tmp_path / f"out{run}.csv"
        result = runner.invoke(app, ["screen", str(source), "--overrides", str(decisions), "-o", str(out)])
        assert result.exit_code == 0, result.output
        frame = read_table(out)
        assert frame.loc[0, "status"] == "kept" and frame.loc[0, "decided_by"] == "staff"
        assert frame.loc[0, "note"] == "人工复核"
