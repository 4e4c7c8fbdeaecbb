"""Reading and writing suggestion tables, and finding the bundled corpus and models.

All file access of the package goes through here: the pipeline stages never touch the disk.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError, ModelError
from .stamp import CSV_MARK

if TYPE_CHECKING:  # pandas loads on first use, not at import: see goldideas/__init__.py
    import pandas as pd

    from .stamp import Stamp

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
MODELS_DIR = REPO_ROOT / "models"
CORPUS_SUGGESTIONS = CORPUS_DIR / "suggestions.csv"
CORPUS_GOLD = CORPUS_DIR / "gold.csv"

TABLE_SUFFIXES = (".csv", ".xlsx", ".jsonl")
STAMP_SHEET = "生成信息"
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX cell cannot hold (XML 1.0 forbids most C0 controls).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def model_path(name: str) -> Path:
    """Path of a file shipped in ``models/``."""
    return MODELS_DIR / name


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML model file (rulebook, lexicons, taxonomy) as a dict; ``what`` names it in errors."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: no such {what} file (the defaults ship in models/)") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: not valid TOML ({exc})") from exc


def read_word_lines(path: str | Path) -> list[tuple[int, str]]:
    """The lines of a word list or dictionary in ``models/`` as (line number, text): ``#``
    comments cut off, blank lines dropped."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: missing; it ships in models/ (restore it from git)") from exc
    except UnicodeDecodeError as exc:
        raise ModelError(f"{path}: not UTF-8 text; save it as UTF-8") from exc
    lines = ((n, line.split("#", 1)[0].strip()) for n, line in enumerate(raw.splitlines(), start=1))
    return [(n, line) for n, line in lines if line]


def write_saved(folder: str | Path, names: tuple[str, str], meta: dict[str, Any],
                arrays: dict[str, Any]) -> Path:
    """Save a model or index as ``names[0]`` (JSON) plus ``names[1]`` (numpy arrays): no pickle."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / names[0]).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    np.savez(folder / names[1], **arrays)
    return folder


def read_saved(
    folder: str | Path, names: tuple[str, str], arrays: Sequence[str], fmt: str, what: str, hint: str = ""
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read what ``write_saved`` wrote, refusing pickled arrays; ``what`` and ``hint`` name the
    kind of folder in errors, and ``fmt`` must equal the saved ``format``."""
    folder = Path(folder)
    noun = what.split()[0]  # "model folder" → "model"
    try:
        meta = json.loads((folder / names[0]).read_text(encoding="utf-8"))
        with np.load(folder / names[1], allow_pickle=False) as stored:
            parts = {name: stored[name] for name in arrays}
    except FileNotFoundError as exc:
        missing = Path(str(exc.filename)).name
        raise ModelError(f"{folder}: not a goldideas {what} (no {missing}){hint}") from exc
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        raise ModelError(f"{folder}: the {noun} files are damaged ({exc})") from exc
    if meta.get("format") != fmt:
        raise ModelError(f"{folder}: unknown {noun} format {meta.get('format')!r}; expected {fmt}")
    return meta, parts


def _suffix(path: Path, kind: str = "file") -> str:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"{path}: unknown {kind} type {suffix or '(none)'!r}; use one of {', '.join(TABLE_SUFFIXES)}"
        )
    return suffix


def check_output(path: str | Path) -> None:
    """Refuse an output path whose type we cannot write, before any work is done."""
    _suffix(Path(path), "output")


def _sniff_text_file(path: Path, head: bytes) -> str | None:
    """An encoding named by a byte-order mark, or None; rejects binary files."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.count(b"\x00") > max(len(head) // 100, 2) or head.startswith((b"PK\x03\x04", b"%PDF")):
        raise InputError(
            f"{path}: looks like a binary file, not text; save it as CSV (UTF-8) or XLSX"
        )
    return None


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    import pandas as pd

    with path.open("rb") as handle:
        head = handle.read(8192)
    sniffed = _sniff_text_file(path, head)
    stamped = head.removeprefix(b"\xef\xbb\xbf").startswith(CSV_MARK.encode())  # our own output
    encodings = (encoding,) if encoding else ((sniffed,) if sniffed else _CSV_ENCODINGS)
    last: Exception | None = None
    for enc in encodings:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc, skiprows=int(stamped))
        except (UnicodeDecodeError, UnicodeError) as exc:
            last = exc
            continue
        except LookupError as exc:
            raise InputError(f"{path}: unknown encoding {enc!r}; try utf-8 or gb18030") from exc
        except pd.errors.EmptyDataError as exc:
            raise InputError(f"{path}: the file is empty; expected a header row") from exc
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: not a readable CSV file ({exc})") from exc
        return frame
    raise InputError(
        f"{path}: cannot decode the file as {' or '.join(encodings)}; "
        "pass --encoding with the file's encoding (for example --encoding gbk)"
    ) from last


def _read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import pandas as pd

    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            chosen: str | int = 0
        elif str(sheet) in names:
            chosen = str(sheet)
        elif str(sheet).isdigit() and int(sheet) < len(names):
            chosen = int(sheet)
        else:
            raise InputError(f"{path}: no sheet {sheet!r}; the sheets are {', '.join(names)}")
        try:
            frame = pd.read_excel(book, sheet_name=chosen, dtype=str)
        except Exception as exc:
            raise InputError(f"{path}: sheet {chosen!r} cannot be read ({exc})") from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame.fillna("")


def _cell(value: object) -> str:
    """A JSON value as text: null is empty, nested values stay JSON."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_jsonl(path: Path, encoding: str | None) -> pd.DataFrame:
    import pandas as pd

    with path.open("rb") as handle:
        _sniff_text_file(path, handle.read(8192))
    rows = []
    try:
        with path.open(encoding=encoding or "utf-8-sig") as handle:
            for lineno, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: line {lineno} is not valid JSON ({exc.msg})") from exc
                if not isinstance(row, dict):
                    raise InputError(f"{path}: line {lineno} is not a JSON object (one row per line)")
                rows.append({k: _cell(v) for k, v in row.items()})
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text; pass --encoding with the file's encoding") from exc
    if not rows:
        raise InputError(f"{path}: no rows; expected one JSON object per line")
    return pd.DataFrame(rows).fillna("")


def read_table(
    path: str | Path, *, encoding: str | None = None, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read a CSV, XLSX or JSONL file into a frame of strings, as it is.

    CSV encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK) unless
    ``encoding`` is given; XLSX reads the first sheet unless ``sheet`` names one.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a CSV, XLSX or JSONL file")
    suffix = _suffix(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; expected a header row")
    if suffix == ".csv":
        return _read_csv(path, encoding)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    return _read_jsonl(path, encoding)


def _require_column(frame: pd.DataFrame, name: str, source: str) -> None:
    if name in frame.columns:
        return
    columns = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputError(f"{source}: no column {name!r}; the columns are {', '.join(columns)}{hint}")


def _as_text(column: pd.Series) -> pd.Series:
    """Each cell as text, missing ones empty; a column of strings without a gap is itself (a
    million cells through Python took a second)."""
    import pandas as pd

    if isinstance(column.dtype, pd.StringDtype) and not column.isna().any():
        return column
    return column.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))


def unique_ids(ids: Sequence[str]) -> list[str]:
    """Make repeated ids unique by a suffix: ``["7", "7", "8"]`` → ``["7", "7-2", "8"]``."""
    seen: dict[str, int] = {}
    taken = set(ids)
    out = []
    for identifier in ids:
        count = seen.get(identifier, 0) + 1
        seen[identifier] = count
        candidate = identifier
        while count > 1 and (candidate == identifier or candidate in taken):
            candidate = f"{identifier}-{count}"
            count += 1
        taken.add(candidate)
        out.append(candidate)
    return out


def to_suggestions(
    frame: pd.DataFrame,
    *,
    text_columns: Sequence[str] | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    make_ids_unique: bool = False,
    title_weight: int = 1,
    extra_columns: Sequence[str] = (),
    source: str = "input",
) -> pd.DataFrame:
    """Bring a frame to the canonical columns ``id, text, submitted_at`` (and ``extra_columns``
    as they are, e.g. a label or likes column).

    Several text columns are joined with a newline (title + body); ``title_weight`` repeats the
    first of them. Without an id column, ids are row numbers from 1.
    """
    import pandas as pd

    frame = frame.rename(columns=str)
    text_columns = list(text_columns or ["text"])
    for name in text_columns:
        _require_column(frame, name, source)
    parts = [_as_text(frame[name]) for name in text_columns]
    if len(parts) > 1 and title_weight > 1:
        parts = [parts[0]] * title_weight + parts[1:]
    text = parts[0]
    for part in parts[1:]:
        text = text.str.cat(part, sep="\n").str.strip("\n")
    if id_column is None and "id" in frame.columns:
        id_column = "id"
    if id_column is not None:
        _require_column(frame, id_column, source)
        ids = _as_text(frame[id_column]).str.strip()
        empty = [str(i + 1) for i, v in enumerate(ids.tolist()) if not v]
        if empty:
            shown = ", ".join(empty[:5]) + (" …" if len(empty) > 5 else "")
            raise InputError(
                f"{source}: data rows {shown} have an empty {id_column!r}; give every row an id, "
                "or leave out --id-column to number the rows"
            )
    else:
        ids = pd.Series([str(i) for i in range(1, len(frame) + 1)], index=frame.index)
    if time_column is None and "submitted_at" in frame.columns:
        time_column = "submitted_at"
    if time_column is not None:
        _require_column(frame, time_column, source)
        times = _as_text(frame[time_column])
    else:
        times = pd.Series([""] * len(frame), index=frame.index)
    id_list = ids.tolist()
    repeated = [] if len(set(id_list)) == len(id_list) else (
        pd.Series(id_list)[pd.Series(id_list).duplicated()].unique().tolist()
    )
    if repeated and make_ids_unique:
        id_list = unique_ids(id_list)
    elif repeated:
        shown = ", ".join(map(str, repeated[:5])) + (" …" if len(repeated) > 5 else "")
        raise InputError(
            f"{source}: duplicate ids {shown}; ids must be unique "
            "(pass --make-ids-unique to add a suffix to repeated ids)"
        )
    out = pd.DataFrame({"id": id_list, "text": text.tolist(), "submitted_at": times.tolist()})
    for name in extra_columns:
        _require_column(frame, name, source)
        out[name] = _as_text(frame[name]).tolist()
    return out


def read_suggestions(
    path: str | Path,
    *,
    text_columns: Sequence[str] | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    make_ids_unique: bool = False,
    title_weight: int = 1,
    extra_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a suggestions file into the canonical ``id, text, submitted_at`` frame."""
    frame = read_table(path, encoding=encoding, sheet=sheet)
    if frame.empty:
        raise InputError(f"{path}: no data rows below the header")
    return to_suggestions(
        frame,
        text_columns=text_columns,
        id_column=id_column,
        time_column=time_column,
        make_ids_unique=make_ids_unique,
        title_weight=title_weight,
        extra_columns=extra_columns,
        source=str(path),
    )


def neutralise_formula(value: object) -> object:
    """Prefix a text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with ``'``.

    >>> neutralise_formula("=HYPERLINK(\"http://x\")")
    '\'=HYPERLINK("http://x")'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_for_spreadsheet(frame: pd.DataFrame, xlsx: bool = False) -> pd.DataFrame:
    """A copy whose text cells cannot run as formulas (and hold no XML-illegal characters)."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = _neutralised(out[column])
            if xlsx:
                values = values.map(lambda v: _XLSX_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v)
            out[column] = values
    return out


def _neutralised(column: pd.Series) -> pd.Series:
    """``column.map(neutralise_formula)``, calling it only on the texts that start like a
    formula (few: mapping a million cells through Python took seconds)."""
    try:
        risky = column.str.startswith(_FORMULA_START, na=False).astype(bool)
    except AttributeError:  # no text in the column for the .str accessor
        return column.map(neutralise_formula)
    if not risky.any():
        return column
    values = column.astype(object)
    values[risky] = column[risky].map(neutralise_formula)
    return values


def write_table(frame: pd.DataFrame, path: str | Path, stamp: Stamp | None = None) -> Path:
    """Write a frame as CSV (UTF-8 with BOM, so Excel opens it), XLSX or JSONL.

    In CSV and XLSX, text that a spreadsheet would run as a formula is neutralised. A ``stamp``
    opens a CSV as one ``# goldideas …`` line, rides on every JSONL record as ``stamp``, and
    fills a 生成信息 sheet of an XLSX.
    """
    import pandas as pd

    path = Path(path)
    suffix = _suffix(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                if stamp is not None:
                    handle.write(stamp.header_line() + "\n")
                safe_for_spreadsheet(frame).to_csv(handle, index=False, lineterminator="\n")
        elif suffix == ".xlsx":
            with pd.ExcelWriter(path, engine="openpyxl") as writer:
                safe_for_spreadsheet(frame, xlsx=True).to_excel(writer, index=False)
                if stamp is not None:
                    pd.DataFrame(stamp.rows(), columns=["项目", "取值"]).to_excel(
                        writer, sheet_name=STAMP_SHEET, index=False)
        else:
            out = frame.assign(stamp=[stamp.as_dict()] * len(frame)) if stamp is not None else frame
            out.to_json(path, orient="records", lines=True, force_ascii=False)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the file ({exc.strerror})") from exc
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
