"""The staff workbook: one XLSX with a sheet per verdict, Chinese headers, ready to filter.

Sheets: 汇总 (funnel, themes, reproducibility stamp), 保留 (kept, by theme and topic), 重复 (with
the representative's text and the similarity), 过于简单, 不合规 (with the rule and the laws), 全部.
Every sheet has a frozen header row, an autofilter and widths that fit Chinese text; text that
Excel would run as a formula is neutralised.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError
from .io import safe_for_spreadsheet
from .reasons import Reason, Status, Theme
from .screening import Screening
from .stamp import Stamp, make_stamp

HEADERS = {
    "id": "编号", "text": "建议原文", "status": "结论", "reasons": "原因", "duplicate_of": "重复于",
    "group_id": "组号", "group_size": "同组提交数", "similarity": "相似度", "quality_score": "质量分",
    "compliance_rule": "命中规则及法律依据", "theme": "主题", "theme_confidence": "主题置信度",
    "topic_id": "子话题", "topic_label": "子话题关键词", "explanation": "说明",
    "text_redacted": "建议原文（已隐去联系方式）", "representative_text": "被重复的建议原文",
    "decided_by": "决定方", "note": "备注",
}
_WIDE = {"text", "text_redacted", "explanation", "representative_text", "compliance_rule"}


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["status"] = out["status"].map(lambda s: Status(s).zh if s else s)
    out["reasons"] = out["reasons"].map(lambda r: "；".join(Reason(c).zh for c in r.split(";") if c))
    out["theme"] = out["theme"].map(lambda t: Theme(t).zh if t in Theme.__members__.values() else t)
    return out


def summary_sheet(result: Screening, stamp: Stamp) -> pd.DataFrame:
    funnel = result.summary()
    frame = result.to_frame()
    rows: list[tuple[str, object]] = [
        ("收到建议", funnel["rows"]), ("去除重复后", funnel["after_dedup"]),
        ("去除不合规后", funnel["after_compliance"]), ("去除过于简单后（保留）", funnel["after_quality"]),
        ("", ""),
    ]
    kept = frame[frame["status"] == Status.KEPT.value]
    for theme, count in kept["theme"].value_counts().items():
        label = Theme(theme).zh if theme in Theme.__members__.values() else str(theme)
        rows.append((f"保留 · {label}", int(count)))
    rows.append(("", ""))
    rows.extend(stamp.rows())
    return pd.DataFrame(rows, columns=["项目", "数量或取值"])


def _sheet(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    present = [c for c in columns if c in frame.columns]
    return frame[present].rename(columns=HEADERS)


def _format(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame, wide: set[str]) -> None:
    from openpyxl.utils import get_column_letter

    sheet = writer.sheets[name]
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 60 if column in wide else max(
            10, min(24, 2 * len(str(column)) + 4)
        )


def write_workbook(result: Screening, path: str | Path, source: str | Path | None = None) -> Path:
    """Write the staff workbook for a screening."""
    path = Path(path)
    frame = result.to_frame()
    text_of = dict(zip(frame["id"], frame["text"], strict=True))
    frame["representative_text"] = frame["duplicate_of"].map(lambda i: text_of.get(i, "") if i else "")
    readable = _readable(frame)
    by = readable.assign(_order=range(len(readable)))
    common = ["id", "text", "explanation", "decided_by", "note"]
    sheets = {
        "汇总": summary_sheet(result, make_stamp(result.config.digest(), source)),
        "保留": _sheet(by[frame["status"] == "kept"].sort_values(["theme", "topic_id", "_order"]),
                     ["id", "theme", "topic_id", "topic_label", "group_size", "text", "quality_score",
                      "explanation", "decided_by", "note"]),
        "重复": _sheet(by[frame["status"] == "duplicate"],
                     ["id", "duplicate_of", "similarity", "reasons", "text", "representative_text",
                      *common[2:]]),
        "过于简单": _sheet(by[frame["status"] == "too_simple"],
                       ["id", "reasons", "quality_score", "text", *common[2:]]),
        "不合规": _sheet(by[frame["status"] == "non_compliant"],
                      ["id", "reasons", "compliance_rule", "text", *common[2:]]),
        "全部": _sheet(readable, [c for c in readable.columns if c != "representative_text"]),
    }
    wide = {HEADERS[c] for c in _WIDE}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, sheet in sheets.items():
                safe_for_spreadsheet(sheet, xlsx=True).to_excel(writer, sheet_name=name, index=False)
                _format(writer, name, sheet, wide)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the workbook ({exc.strerror})") from exc
    return path
