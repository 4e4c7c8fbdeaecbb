"""Analysis of distinct texts, in one process or on every core."""

from __future__ import annotations

from goldideas.analysis import analyse
from goldideas.config import Config, RunConfig
from goldideas.normalize import redact

PARALLEL = Config(run=RunConfig(workers=2, parallel_min_texts=1))


def test_equal_normalised_texts_share_one_analysis() -> None:
    first, copy, other = analyse(["建议开通周末预约！", "建议开通周末预约!", "建议延长午间办理时间"], Config())
    assert first is copy and first.words == ("开通", "周末", "预约")
    assert other is not first


def test_forked_workers_give_the_same_analyses() -> None:
    texts = [f"建议第{i}个窗口开通周末预约" for i in range(40)]
    assert analyse(texts, PARALLEL) == analyse(texts, Config())



def test_texts_are_masked_in_the_same_pass_on_every_core(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each text with its contact details masked, as redact gives it; a text with nothing to
    mask is the text itself, and copies are masked once."""
    from goldideas import analysis

    texts = ["建议开通周末预约，电话13904051234", "建议开通周末预约", "建议开通周末预约，电话13904051234",
             "邮箱 zhang.san@163.com 建议延长午间办理时间", *[f"建议第{i}个窗口开通周末预约" for i in range(30)]]
    for config in (Config(), PARALLEL):
        found, masked = analysis.analyse_and_redact(texts, config)
        assert found == analyse(texts, Config())
        assert masked == [redact(t) for t in texts]
        assert masked[1] is texts[1]
    calls: list[str] = []
    monkeypatch.setattr(analysis, "redact", lambda t: calls.append(t) or t)
    analysis.analyse_and_redact(texts, Config())
    assert len(calls) == len(set(texts))
