"""Reading and writing suggestion tables, and finding the bundled corpus and models.

All file access of the package goes through here: the pipeline stages never touch the disk.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import InputError

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
MODELS_DIR = REPO_ROOT / "models"
CORPUS_SUGGESTIONS = CORPUS_DIR / "suggestions.csv"
CORPUS_GOLD = CORPUS_DIR / "gold.csv"

TABLE_SUFFIXES = (".csv", ".xlsx", ".jsonl")
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def model_path(name: str) -> Path:
    """Path of a file shipped in ``models/``."""
    return MODELS_DIR / name


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"{path}: unknown file type {suffix or '(none)'!r}; "
            f"use one of {', '.join(TABLE_SUFFIXES)}"
        )
    return suffix


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    encodings = (encoding,) if encoding else _CSV_ENCODINGS
    last: Exception | None = None
    for enc in encodings:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
        except UnicodeDecodeError as exc:
            last = exc
        except pd.errors.EmptyDataError as exc:
            raise InputError(f"{path}: the file is empty; expected a header row") from exc
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: not a readable CSV file ({exc})") from exc
    raise InputError(
        f"{path}: cannot decode the file as {' or '.join(encodings)}; "
        "pass --encoding with the file's encoding"
    ) from last


def read_table(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV, XLSX or JSONL file into a frame of strings, as it is."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = _suffix(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; expected a header row")
    if suffix == ".csv":
        return _read_csv(path, encoding)
    if suffix == ".xlsx":
        try:
            frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from exc
        return frame.fillna("")
    rows = []
    with path.open(encoding=encoding or "utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {lineno} is not valid JSON ({exc.msg})") from exc
    return pd.DataFrame(rows).astype(str)


def _require_column(frame: pd.DataFrame, name: str, source: str) -> None:
    if name in frame.columns:
        return
    columns = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(name, columns, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputError(
        f"{source}: no column {name!r}; the columns are {', '.join(columns)}{hint}"
    )


def to_suggestions(
    frame: pd.DataFrame,
    *,
    text_columns: Sequence[str] | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    source: str = "input",
) -> pd.DataFrame:
    """Bring a frame to the canonical columns ``id, text, submitted_at``.

    Several text columns are joined with a newline (title + body). Without an id column, ids
    are row numbers from 1.
    """
    text_columns = list(text_columns or ["text"])
    for name in text_columns:
        _require_column(frame, name, source)
    parts = [frame[name].fillna("").astype(str) for name in text_columns]
    text = parts[0]
    for part in parts[1:]:
        text = text.str.cat(part, sep="\n").str.strip("\n")
    if id_column is None and "id" in frame.columns:
        id_column = "id"
    if id_column is not None:
        _require_column(frame, id_column, source)
        ids = frame[id_column].astype(str).str.strip()
    else:
        ids = pd.Series([str(i) for i in range(1, len(frame) + 1)], index=frame.index)
    if time_column is None and "submitted_at" in frame.columns:
        time_column = "submitted_at"
    if time_column is not None:
        _require_column(frame, time_column, source)
        times = frame[time_column].fillna("").astype(str)
    else:
        times = pd.Series([""] * len(frame), index=frame.index)
    out = pd.DataFrame({"id": ids.values, "text": text.values, "submitted_at": times.values})
    dupes = out["id"][out["id"].duplicated()].unique().tolist()
    if dupes:
        shown = ", ".join(dupes[:5]) + (" …" if len(dupes) > 5 else "")
        raise InputError(f"{source}: duplicate ids {shown}; ids must be unique")
    return out


def read_suggestions(
    path: str | Path,
    *,
    text_columns: Sequence[str] | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a suggestions file into the canonical ``id, text, submitted_at`` frame."""
    frame = read_table(path, encoding=encoding)
    return to_suggestions(
        frame,
        text_columns=text_columns,
        id_column=id_column,
        time_column=time_column,
        source=str(path),
    )


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a frame as CSV (UTF-8 with BOM, so Excel opens it), XLSX or JSONL."""
    path = Path(path)
    suffix = _suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    return path


def load_corpus() -> pd.DataFrame:
    """The bundled reference corpus input (1322 rows: id, submitted_at, channel, text)."""
    return read_table(CORPUS_SUGGESTIONS)


def load_gold(path: str | Path | None = None) -> pd.DataFrame:
    """Staff decisions for the corpus, kept apart from the input."""
    frame = read_table(path or CORPUS_GOLD)
    _require_column(frame, "id", str(path or CORPUS_GOLD))
    _require_column(frame, "status", str(path or CORPUS_GOLD))
    return frame
