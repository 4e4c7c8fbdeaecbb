"""The front door: every row gets exactly one verdict, explained."""

from __future__ import annotations

import pandas as pd
import pytest

from goldideas import Status
from goldideas.screening import COLUMNS, Screening, screen

SAMPLE = [
    "建议不动产登记中心开通周末网上预约服务，方便上班族。",
    "尊敬的领导：您好！建议不动产登记中心开通周末网上预约服务，方便上班族。联系电话13904051234",
    "建议不动产登记大厅延长午间办理时间。",
    "测试",
    "为了保护本地企业，建议政府采购同等条件下本地企业优先中标。",
    "希望政府多为企业办实事。",
]


@pytest.fixture(scope="module")
def corpus_screening(corpus: pd.DataFrame) -> Screening:
    return screen(corpus)


def test_one_row_per_input_in_order(corpus: pd.DataFrame, corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame()
    assert list(frame.columns) == COLUMNS
    assert frame["id"].tolist() == corpus["id"].tolist()
    assert frame["text"].tolist() == corpus["text"].tolist()  # the original is never altered


def test_every_row_has_exactly_one_known_status(corpus_screening: Screening) -> None:
    statuses = {v.status for v in corpus_screening.verdicts}
    assert statuses <= set(Status)
    assert all(v.explanation for v in corpus_screening.verdicts)


def test_duplicates_point_at_kept_rows(corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame()
    kept = set(frame.loc[frame["status"] == "kept", "id"])
    assert set(frame.loc[frame["status"] == "duplicate", "duplicate_of"]) <= kept


def test_funnel_adds_up(corpus_screening: Screening) -> None:
    s = corpus_screening.summary()
    assert s["rows"] >= s["after_dedup"] >= s["after_compliance"] >= s["after_quality"] == s["kept"]


def test_sample_verdicts() -> None:
    result = screen(pd.DataFrame({"id": [f"R{i}" for i in range(len(SAMPLE))], "text": SAMPLE}))
    by_id = {v.id: v for v in result.verdicts}
    assert by_id["R0"].status is Status.KEPT and by_id["R0"].group_size == 2
    assert by_id["R1"].status is Status.DUPLICATE and by_id["R1"].duplicate_of == "R0"
    assert by_id["R1"].explanation.startswith("与 R0")
    assert "139****1234" in by_id["R1"].text_redacted
    assert by_id["R2"].status is Status.KEPT
    assert by_id["R3"].status is Status.TOO_SIMPLE
    assert by_id["R4"].status is Status.NON_COMPLIANT and "《反垄断法》" in by_id["R4"].compliance_rule
    assert by_id["R5"].status is Status.TOO_SIMPLE


def test_input_order_does_not_change_any_verdict() -> None:
    frame = pd.DataFrame({"id": [f"R{i}" for i in range(len(SAMPLE))], "text": SAMPLE})
    forward = screen(frame).to_frame().set_index("id")
    backward = screen(frame.iloc[::-1]).to_frame().set_index("id").loc[forward.index]
    pd.testing.assert_frame_equal(forward, backward)


def test_exact_copies_are_always_duplicates(corpus: pd.DataFrame) -> None:
    sample = corpus.head(200)
    copy = sample.assign(id=sample["id"] + "-copy", submitted_at="2099-01-01")
    frame = screen(pd.concat([sample, copy])).to_frame().set_index("id")
    kept = frame.index[(frame["status"] == "kept") & ~frame.index.str.endswith("-copy")]
    assert (frame.loc[kept + "-copy", "status"] == "duplicate").all()


def test_screening_the_kept_rows_again_keeps_them(corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame()
    kept = frame[frame["status"] == "kept"][["id", "text"]]
    again = screen(kept).to_frame()
    assert (again["status"] == "kept").mean() >= 0.97


def test_texts_without_ids_get_row_numbers() -> None:
    assert [v.id for v in screen(["建议开通周末预约", "好"]).verdicts] == ["1", "2"]


def test_progress_hears_every_stage_in_order() -> None:
    heard: list[tuple[str, int, int]] = []
    screen(SAMPLE, progress=lambda stage, done, total: heard.append((stage, done, total)))
    assert [done for _, done, _ in heard] == list(range(len(heard)))
    assert heard[-1][1] == heard[-1][2] and heard[0][0] == "分析"


def test_cli_is_silent_on_stderr_when_not_a_terminal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from goldideas.cli import app

    result = CliRunner().invoke(app, ["screen", "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0 and result.stderr == ""


def test_kept_row_in_a_group_led_by_a_rejected_text_keeps_its_own_theme_and_topic() -> None:
    """The longer text repeats the short proposal inside an unlawful one: the short one stays
    kept, and is filed under its own theme and topic (the rejected leader has none)."""
    texts = ["建议政府采购合同的预付款比例不低于合同金额的百分之三十。",
             "关于政府采购的建议：只让本地企业投标，外地企业一律不准参加；本地企业的预付款比例不低于"
             "合同金额的百分之三十，外地企业不给预付款。"]
    kept, rejected = screen(texts).verdicts
    assert (kept.status, rejected.status) == (Status.KEPT, Status.NON_COMPLIANT)
    assert kept.theme and kept.topic_id.startswith(kept.theme + "-")
    assert not kept.duplicate_of


def test_a_duplicate_of_a_kept_row_is_not_checked_and_shows_no_score_or_rule(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The policy's order: a duplicate of a kept row is a duplicate whatever its own text says,
    so its own compliance and quality are never computed; every other row shows its own."""
    import goldideas.analysis as analysis

    checked: list[str] = []
    real = analysis.check_compliance
    monkeypatch.setattr(analysis, "check_compliance", lambda text, *a: checked.append(text) or real(text, *a))
    verdicts = screen(pd.DataFrame({"id": [f"R{i}" for i in range(len(SAMPLE))], "text": SAMPLE})).verdicts
    duplicate = verdicts[1]
    assert duplicate.status is Status.DUPLICATE and duplicate.quality_score is None
    assert duplicate.compliance_rule == "" and not any("13904051234" in t for t in checked)
    assert all(v.quality_score is not None for v in verdicts if v.status is not Status.DUPLICATE)
    assert len(checked) == len(SAMPLE) - 1


def test_a_copy_of_a_rejected_text_gets_its_own_verdict_and_score() -> None:
    leader, copy = screen(["测试", "测试!"]).verdicts
    assert leader.status is copy.status is Status.TOO_SIMPLE
    assert copy.group_id == leader.id and not copy.duplicate_of
    assert copy.quality_score == leader.quality_score is not None


def test_a_duplicate_without_a_score_reads_back_from_a_table(corpus_screening: Screening) -> None:
    back = Screening.from_frame(corpus_screening.to_frame())
    duplicates = [v for v in back.verdicts if v.status is Status.DUPLICATE]
    assert duplicates and all(v.quality_score is None for v in duplicates)
    assert back.verdicts == corpus_screening.verdicts


def test_the_collector_is_paused_while_screening_and_restored() -> None:
    import gc

    from goldideas.screening import _collector_paused

    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()


def test_forked_workers_give_the_same_verdicts(corpus: pd.DataFrame, corpus_screening: Screening) -> None:
    from goldideas.config import Config, RunConfig

    config = Config(run=RunConfig(workers=2, parallel_min_texts=1))
    parallel = screen(corpus, config)
    pd.testing.assert_frame_equal(parallel.to_frame(), corpus_screening.to_frame())


def test_a_verdict_written_fast_is_the_verdict(corpus_screening: Screening) -> None:
    """new_verdict gives what the dataclass gives, and it stays frozen."""
    import dataclasses

    from goldideas.verdicts import Verdict, new_verdict

    for v in corpus_screening.verdicts[:50]:
        values = [getattr(v, f.name) for f in dataclasses.fields(Verdict)]
        fast = new_verdict(*values)
        assert fast == Verdict(*values) and repr(fast) == repr(Verdict(*values))
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.status = v.status  # type: ignore[misc]
    with pytest.raises(ValueError, match="zip"):
        new_verdict("too", "few")
