"""The one-file HTML report, checked as text and in a real headless browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from goldideas import screen
from goldideas.io import read_table
from goldideas.overrides import apply_overrides
from goldideas.report import render_report, write_report

TEXTS = [
    "建议不动产登记中心开通周末网上预约，方便上班族办事。联系电话13904051234",
    "您好！建议不动产登记中心开通周末网上预约，方便上班族办事。",
    "<script>document.title='pwned'</script>建议公积金中心开通周末服务，方便上班族",
    "为了保护本地企业，建议政府采购同等条件下本地企业优先中标。",
    "测试",
]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    screened = screen(pd.DataFrame({"id": [f"R{i}" for i in range(len(TEXTS))], "text": TEXTS}))
    return apply_overrides(screened, pd.DataFrame({"id": ["R4"], "status": ["too_simple"], "note": ["复核确认"]}))


def test_report_is_self_contained(result) -> None:  # type: ignore[no-untyped-def]
    page = render_report(result)
    assert not re.search(r"(src|href)\s*=", page)  # no external scripts, styles or fonts
    assert "http" not in page and "@import" not in page and "@font-face" not in page


def test_report_escapes_text_and_masks_contacts(result) -> None:  # type: ignore[no-untyped-def]
    page = render_report(result)
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title" in page
    assert "13904051234" not in page and "139****1234" in page
    assert "工作人员决定：复核确认" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium: .ci/run installs Debian's chromium")
def test_report_in_a_headless_browser(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The numbers the page shows are the screening's; <script> in a suggestion stays text."""
    page = write_report(result, tmp_path / "report.html")
    common = [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "<title>营商环境金点子筛选报告</title>" in dom  # the injected script never ran
    assert "&lt;script&gt;document.title" in dom
    shown = dict(re.findall(r'data-funnel="([^"]+)">(\d+)<', dom))
    summary = result.summary()
    assert shown == {"收到建议": str(summary["rows"]), "去除重复后": str(summary["after_dedup"]),
                     "去除不合规后": str(summary["after_compliance"]), "保留": str(summary["kept"])}
    shot = tmp_path / "report.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000


def test_report_from_an_earlier_screening(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from goldideas.cli import app

    runner = CliRunner()
    screened = tmp_path / "screened.csv"
    assert runner.invoke(app, ["screen", "-q", "-o", str(screened)]).exit_code == 0
    result = runner.invoke(app, ["report", str(screened), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    summary = screen(read_table(screened)[["id", "text"]])
    assert f'data-funnel="收到建议">{len(summary)}<' in page
    bad = runner.invoke(app, ["report", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "x.html")])
    assert bad.exit_code == 2 and "no such file" in bad.stderr
