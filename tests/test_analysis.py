"""Analysis of distinct texts, and the work that runs on a second core."""

from __future__ import annotations

import pytest

from goldideas.analysis import analyse, in_background
from goldideas.config import Config, RunConfig

PARALLEL = Config(run=RunConfig(workers=2, parallel_min_texts=1))


def test_equal_normalised_texts_share_one_analysis() -> None:
    first, copy, other = analyse(["建议开通周末预约！", "建议开通周末预约!", "建议延长午间办理时间"], Config())
    assert first is copy and first.words == ("开通", "周末", "预约")
    assert other is not first


def test_forked_workers_give_the_same_analyses() -> None:
    texts = [f"建议第{i}个窗口开通周末预约" for i in range(40)]
    assert analyse(texts, PARALLEL) == analyse(texts, Config())


@pytest.mark.parametrize("config", [PARALLEL, Config()], ids=["forked", "in-process"])
def test_a_background_computation_gives_its_result_or_its_error(config: Config) -> None:
    assert in_background(sorted, [3, 1, 2], config=config, work=10)() == [1, 2, 3]
    failing = in_background(int, "not a number", config=config, work=10)
    with pytest.raises(ValueError, match="not a number"):
        failing()
