"""Analysis of distinct texts, in one process or on every core."""

from __future__ import annotations

from goldideas.analysis import analyse
from goldideas.config import Config, RunConfig

PARALLEL = Config(run=RunConfig(workers=2, parallel_min_texts=1))


def test_equal_normalised_texts_share_one_analysis() -> None:
    first, copy, other = analyse(["建议开通周末预约！", "建议开通周末预约!", "建议延长午间办理时间"], Config())
    assert first is copy and first.words == ("开通", "周末", "预约")
    assert other is not first


def test_forked_workers_give_the_same_analyses() -> None:
    texts = [f"建议第{i}个窗口开通周末预约" for i in range(40)]
    assert analyse(texts, PARALLEL) == analyse(texts, Config())

