"""Triage of a new idea against an earlier round."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from goldideas import ModelError, Screening, screen
from goldideas.cli import app
from goldideas.triage import TriageIndex, load_index, triage, triage_round

runner = CliRunner()


@pytest.fixture(scope="module")
def earlier(corpus: pd.DataFrame) -> Screening:
    return screen(corpus)


@pytest.fixture(scope="module")
def index(earlier: Screening) -> TriageIndex:
    return TriageIndex().fit(earlier.to_frame())


def test_index_holds_only_kept_and_duplicate_rows(earlier: Screening, index: TriageIndex) -> None:
    frame = earlier.to_frame()
    assert len(index.ids_) == frame["status"].isin(["kept", "duplicate"]).sum()


def test_an_earlier_idea_finds_itself_first(earlier: Screening, index: TriageIndex) -> None:
    kept = next(v for v in earlier.verdicts if v.status.value == "kept")
    best = index.query(kept.text)[0]
    assert best.id == kept.id and best.similarity == pytest.approx(1.0, abs=1e-3)


def test_a_repeated_idea_is_called_a_duplicate(earlier: Screening, index: TriageIndex) -> None:
    kept = next(v for v in earlier.verdicts if v.status.value == "kept" and len(v.text) > 40)
    answer = triage("领导好，" + kept.text, index)
    assert answer["status"] == "duplicate" and kept.id in answer["explanation"]
    assert len(answer["similar"]) == 3


def test_an_unlawful_idea_is_named_even_without_an_index() -> None:
    answer = triage("为了保护本地企业，建议政府采购同等条件下本地企业优先中标")
    assert answer["status"] == "non_compliant" and "《反垄断法》" in answer["compliance_rule"]


def test_saved_index_loads_without_pickle(index: TriageIndex, tmp_path: Path) -> None:
    folder = index.save(tmp_path / "index")
    assert sorted(p.name for p in folder.iterdir()) == ["index.json", "vectors.npz"]
    with np.load(folder / "vectors.npz", allow_pickle=False) as arrays:
        assert "data" in arrays.files
    loaded = load_index(folder)
    text = "建议公积金提取全程网办"
    assert loaded.query(text) == index.query(text)


def test_a_missing_index_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a goldideas index"):
        load_index(tmp_path)


def test_a_new_round_points_at_earlier_ids(earlier: Screening, index: TriageIndex) -> None:
    kept = [v for v in earlier.verdicts if v.status.value == "kept"][:3]
    new = pd.DataFrame({"id": ["N1", "N2"], "text": ["您好！" + kept[0].text, "建议在冰雪大世界门口增设共享充电宝"]})
    result = {v.id: v for v in triage_round(new, index).verdicts}
    assert result["N1"].status.value == "duplicate" and result["N1"].duplicate_of == kept[0].id


def test_cli_index_and_triage(tmp_path: Path) -> None:
    screened = tmp_path / "screened.csv"
    assert runner.invoke(app, ["screen", "-o", str(screened)]).exit_code == 0
    folder = tmp_path / "index"
    assert runner.invoke(app, ["index", str(screened), "-o", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["triage", "建议公积金提取全程网办", "--index", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] in {"kept", "duplicate"} and answer["similar"]
    table = runner.invoke(app, ["triage", "建议公积金提取全程网办", "--index", str(folder)])
    assert "结论 status:" in table.stdout


def test_the_triage_command_starts_without_the_heavy_libraries(index: TriageIndex, tmp_path: Path) -> None:
    """A cold `goldideas triage` must answer within a second: it never loads pandas, scikit-learn,
    scipy's clustering or the workbook writer (checked in a fresh interpreter)."""
    import subprocess
    import sys

    folder = index.save(tmp_path / "index")
    code = (
        "import sys\n"
        "from goldideas.cli import app\n"
        f"try: app(['triage', '建议公积金提取全程网办', '--index', {str(folder)!r}])\n"
        "except SystemExit: pass\n"
        "heavy = ('pandas', 'sklearn', 'scipy.cluster', 'openpyxl', 'jieba')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'scipy.cluster'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("结论 status:")
    assert lines[-1] == "[]"
