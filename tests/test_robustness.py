"""Bad input gets a clear answer; no row is ever lost; outputs are deterministic and safe.

The table below is the README's reliability section: every case, what goldideas answers.
"""

from __future__ import annotations

import json
import math
import random
import string
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goldideas import InputError, Reason, Status, screen
from goldideas.cli import app
from goldideas.io import read_suggestions, read_table

runner = CliRunner()
CONCRETE = "建议不动产登记中心开通周末网上预约，方便上班族办事。"
OTHER = "希望12345热线夜间也能有人接听，企业晚上遇到停水停电能找到人。"


def _csv(text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "in.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return make


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _xlsx(frame: pd.DataFrame, sheet: str = "Sheet1") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "in.xlsx"
        frame.to_excel(path, index=False, sheet_name=sheet)
        return path

    return make


def _folder(folder: Path) -> Path:
    return folder


def _missing(folder: Path) -> Path:
    return folder / "nope.csv"


GOOD = "id,text\n1,建议不动产登记开通周末预约\n2,测试\n"

# (case id, make input, extra CLI arguments, expected words in the one-line error)
FILE_ERRORS = [
    ("missing-file", _missing, [], "nope.csv: no such file"),
    ("folder-not-file", _folder, [], "is a folder"),
    ("unknown-extension", _bytes("in.txt", b"id,text\n1,a\n"), [], "unknown file type '.txt'"),
    ("empty-file", _bytes("in.csv", b""), [], "the file is empty"),
    ("header-only", _csv("id,text\n"), [], "no data rows below the header"),
    ("binary-as-csv", _bytes("in.csv", b"\x00\x01\x02PK\x03\x04" * 50), [], "looks like a binary file"),
    ("corrupt-xlsx", _bytes("in.xlsx", b"this is not a zip file"), [], "not a readable XLSX workbook"),
    ("jsonl-bad-line", _bytes("in.jsonl", '{"text": "好"}\n{"text": \n'.encode()), [], "line 2 is not valid JSON"),
    ("jsonl-not-object", _bytes("in.jsonl", b'["a", "b"]\n'), [], "line 1 is not a JSON object"),
    ("jsonl-no-rows", _bytes("in.jsonl", b"\n\n"), [], "no rows"),
    ("text-column-typo", _csv("id,content\n1,建议\n"), ["--text-column", "contnet"],
     "no column 'contnet'; the columns are id, content; did you mean 'content'?"),
    ("id-column-missing", _csv(GOOD), ["--id-column", "编号"], "no column '编号'"),
    ("duplicate-ids", _csv("id,text\n7,甲\n7,乙\n8,丙\n"), [], "duplicate ids 7; ids must be unique"),
    ("empty-id", _csv("id,text\n1,甲\n,乙\n"), [], "data rows 2 have an empty 'id'"),
    ("no-such-sheet", _xlsx(pd.DataFrame({"text": ["建议"]})), ["--sheet", "留言"],
     "no sheet '留言'; the sheets are Sheet1"),
    ("wrong-forced-encoding", _csv("id,text\n1,建议开通周末预约\n", "gbk"), ["--encoding", "utf-8"],
     "cannot decode the file as utf-8"),
    ("unknown-encoding", _csv(GOOD), ["--encoding", "martian"], "unknown encoding 'martian'"),
    ("bad-output-type", _csv(GOOD), ["--output", "out.docx"], "unknown output type '.docx'"),
]


@pytest.mark.parametrize(("make", "args", "message"), [c[1:] for c in FILE_ERRORS],
                         ids=[c[0] for c in FILE_ERRORS])
def test_bad_files_get_one_clear_line(tmp_path: Path, make, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    """Exit code 2, one line on stderr naming the file and the fix, no traceback."""
    path = make(tmp_path)
    result = runner.invoke(app, ["screen", str(path), *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


CONFIG_ERRORS = [
    ("config-missing", None, "no such config file"),
    ("config-out-of-range", "[quality]\nmin_chars = 0\n", "quality.min_chars must be between 1 and 200; got 0"),
    ("config-unknown-setting", "[dedup]\nthreshold = 1\n", "unknown setting dedup.threshold"),
    ("config-escapes-folder", '[compliance]\nrulebook = "../../etc/passwd"\n', "must be a file inside"),
    ("config-absolute-path", '[segment]\nuserdict = "/etc/hosts"\n', "must be a file inside"),
]


@pytest.mark.parametrize(("toml", "message"), [c[1:] for c in CONFIG_ERRORS], ids=[c[0] for c in CONFIG_ERRORS])
def test_bad_configs_are_named(tmp_path: Path, toml: str | None, message: str) -> None:
    config = tmp_path / "goldideas.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    source = _csv(GOOD)(tmp_path)
    result = runner.invoke(app, ["screen", str(source), "--config", str(config)])
    assert result.exit_code == 2
    assert message in result.stderr


READABLE = [
    ("utf-8", _csv(GOOD)),
    ("utf-8-bom", _csv(GOOD, "utf-8-sig")),
    ("gbk", _csv(GOOD, "gbk")),
    ("gb18030", _csv(GOOD, "gb18030")),
    ("utf-16-bom", _csv(GOOD, "utf-16")),
    ("xlsx", _xlsx(pd.DataFrame({"id": ["1", "2"], "text": ["建议不动产登记开通周末预约", "测试"]}))),
    ("jsonl", _bytes("in.jsonl", '{"id": 1, "text": "建议不动产登记开通周末预约"}\n{"id": 2, "text": null}\n'.encode())),
]


@pytest.mark.parametrize("make", [c[1] for c in READABLE], ids=[c[0] for c in READABLE])
def test_every_supported_file_reads_the_same_rows(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    frame = read_suggestions(make(tmp_path))
    assert frame["id"].tolist() == ["1", "2"]
    assert frame["text"].iloc[0] == "建议不动产登记开通周末预约"


def test_repeated_ids_can_be_made_unique(tmp_path: Path) -> None:
    path = _csv("id,text\n7,甲\n7,乙\n8,丙\n")(tmp_path)
    frame = read_suggestions(path, make_ids_unique=True)
    assert frame["id"].tolist() == ["7", "7-2", "8"]


# (case id, text, expected status, expected reason or None)
ROWS = [
    ("empty", "", Status.TOO_SIMPLE, Reason.TOO_SHORT),
    ("whitespace", " \t\n ", Status.TOO_SIMPLE, Reason.TOO_SHORT),
    ("number", "12345", Status.TOO_SIMPLE, Reason.GIBBERISH),
    ("punctuation", "。。。！！！", Status.TOO_SIMPLE, Reason.GIBBERISH),
    ("emoji-only", "👍👍👍", Status.TOO_SIMPLE, Reason.GIBBERISH),
    ("emoji-word", "支持👍", Status.TOO_SIMPLE, Reason.TOO_SHORT),
    ("random-keys", "asdfghjkl", Status.TOO_SIMPLE, Reason.GIBBERISH),
    ("english", "Please open the service hall on weekends.", Status.TOO_SIMPLE, Reason.OFF_TOPIC),
    ("russian", "Пожалуйста, откройте зал обслуживания в выходные", Status.TOO_SIMPLE, Reason.OFF_TOPIC),
    ("html", "<p>建议不动产登记中心开通&nbsp;周末网上预约</p>", Status.KEPT, None),
    ("script-tag", "<script>alert(1)</script>建议不动产登记中心开通周末网上预约", Status.KEPT, None),
    ("control-chars", "\x00\x07建议不动产登记中心开通周末网上预约\x1b", Status.KEPT, None),
    ("formula", "=HYPERLINK(\"http://x\",\"点我\")", Status.TOO_SIMPLE, None),
]


@pytest.mark.parametrize(("text", "status", "reason"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_odd_rows_get_a_verdict(text: str, status: Status, reason: Reason | None) -> None:
    verdict = screen([text, OTHER]).verdicts[0]
    assert verdict.status is status
    if reason is not None:
        assert verdict.reasons == (reason,)
    assert verdict.explanation
    assert verdict.text == text  # the original is never altered


def test_nan_and_numbers_in_a_frame() -> None:
    frame = pd.DataFrame({"id": [1, 2, 3], "text": [math.nan, 42, CONCRETE]})
    result = screen(frame).to_frame()
    assert result["id"].tolist() == ["1", "2", "3"]
    assert result["status"].tolist()[:2] == ["too_simple", "too_simple"]


def test_a_hundred_thousand_characters() -> None:
    text = ("建议政务服务中心延长周末办理时间，" * 6000)[:100_000]
    verdict = screen([text, CONCRETE]).verdicts[0]
    assert verdict.status in set(Status)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_every_row_comes_out_once_in_order(tmp_path: Path, suffix: str) -> None:
    texts = [CONCRETE, CONCRETE, "", "=1+1", "\x00控制字符", "👍", "建议" * 10, "<b>粗体</b>"]
    source = tmp_path / "in.csv"
    pd.DataFrame({"id": [f"R{i}" for i in range(len(texts))], "text": texts}).to_csv(source, index=False)
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(app, ["screen", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".xlsx":  # the staff workbook: every row on its 全部 sheet
        back = read_table(out, sheet="全部").rename(columns={"编号": "id", "结论": "status"})
    else:
        back = read_table(out)
    assert back["id"].astype(str).tolist() == [f"R{i}" for i in range(len(texts))]
    assert (back["status"] != "").all()


def test_formulas_are_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    pd.DataFrame({"id": ["1"], "text": ["=HYPERLINK(\"http://evil\")"]}).to_csv(source, index=False)
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        assert runner.invoke(app, ["screen", str(source), "-o", str(out)]).exit_code == 0
        back = read_table(out, sheet="全部").rename(columns={"建议原文": "text"}) if suffix == ".xlsx" else (
            read_table(out)
        )
        cell = back["text"].iloc[0]
        assert cell == "'=HYPERLINK(\"http://evil\")"  # inert, and still readable


@pytest.mark.parametrize(
    "column",
    [["=1", None, "建议", "+1", "-", "@a", "\t制表", "\r回车"], [None, None], [1, "=x", None, 2.5], ["建议", "开通"]],
    ids=["texts-and-none", "all-none", "mixed-types", "nothing-risky"],
)
def test_only_cells_that_start_like_a_formula_change(column: list[object]) -> None:
    """safe_for_spreadsheet changes what neutralise_formula changes, and nothing else."""
    from goldideas.io import neutralise_formula, safe_for_spreadsheet

    frame = pd.DataFrame({"c": pd.Series(column, dtype=object), "s": [str(v) for v in column]})
    out = safe_for_spreadsheet(frame)
    assert out["c"].tolist() == [neutralise_formula(v) for v in column]
    assert out["s"].tolist() == [neutralise_formula(str(v)) for v in column]
    assert frame["c"].tolist() == column  # the input is left as it was


def test_the_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    """Below its stamp line (which holds the time of the run), a re-run's CSV is the same."""
    outputs = []
    for run in range(2):
        out = tmp_path / f"out{run}.csv"
        assert runner.invoke(app, ["screen", "-o", str(out)]).exit_code == 0
        stamp, body = out.read_bytes().split(b"\n", 1)
        assert stamp.decode("utf-8-sig").startswith("# goldideas ")
        outputs.append(body)
    assert outputs[0] == outputs[1]


# --- properties over random rows -------------------------------------------------------------

rows_strategy = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from([CONCRETE, "测试", "", "建议公积金提取全程网办，三个工作日到账。", "好"]),
    ),
    min_size=1,
    max_size=8,
)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rows_strategy)
def test_rows_are_conserved_in_order(texts: list[str]) -> None:
    result = screen(texts)
    assert [v.id for v in result.verdicts] == [str(i) for i in range(1, len(texts) + 1)]
    assert [v.text for v in result.verdicts] == texts
    assert all(v.status in set(Status) for v in result.verdicts)


@SETTINGS
@given(rows_strategy, st.randoms(use_true_random=False))
def test_shuffling_does_not_change_any_verdict(texts: list[str], rnd: random.Random) -> None:
    frame = pd.DataFrame({"id": [f"R{i}" for i in range(len(texts))], "text": texts})
    shuffled = frame.sample(frac=1, random_state=rnd.randrange(2**31))
    a = screen(frame).to_frame().set_index("id").sort_index()
    b = screen(shuffled).to_frame().set_index("id").sort_index()
    pd.testing.assert_frame_equal(a, b)


@SETTINGS
@given(rows_strategy)
def test_screening_is_deterministic_and_kept_rows_stay_kept(texts: list[str]) -> None:
    first = screen(texts).to_frame()
    assert first.equals(screen(texts).to_frame())
    kept = first.loc[first["status"] == "kept", "text"].tolist()
    if kept:
        assert all(v.status is Status.KEPT for v in screen(kept).verdicts)


# --- a short fuzz run of the readers ---------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".csv", ".jsonl", ".xlsx"]))
def test_readers_never_crash_on_random_bytes(tmp_path_factory, data: bytes, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / f"in{suffix}"
    path.write_bytes(data)
    try:
        read_suggestions(path, make_ids_unique=True)
    except InputError:
        pass


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "text", "x"]),
                                st.one_of(st.text(alphabet=string.printable + "中文，。", max_size=20),
                                          st.integers(), st.none())), max_size=5))
def test_jsonl_reader_on_random_objects(tmp_path_factory, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    try:
        frame = read_suggestions(path, make_ids_unique=True)
    except InputError:
        return
    assert len(frame) == len(rows)


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "tipdm2020c"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")
def test_a_real_messy_spreadsheet(tmp_path: Path) -> None:
    """Real citizen messages: Chinese headers, tabs and line breaks in cells, a repeated id."""
    source = SHARED / "labelled_sample_附件2_495.xlsx"
    args = ["screen", str(source), "--id-column", "留言编号", "--text-column", "留言主题",
            "--text-column", "留言详情"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "duplicate ids 37042" in refused.stderr
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, [*args, "--make-ids-unique", "-o", str(out)])
    assert result.exit_code == 0, result.output
    back = read_table(out, sheet="全部")
    assert len(back) == 495 and back["编号"].is_unique
