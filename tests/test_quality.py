"""Too simple: no concrete, actionable proposal."""

from __future__ import annotations

import pytest

from goldideas.reasons import Reason, Status
from goldideas.screening import screen


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("好", Reason.TOO_SHORT, id="one-word"),
        pytest.param("支持！", Reason.TOO_SHORT, id="support"),
        pytest.param("测试测试", Reason.GIBBERISH, id="test-input"),
        pytest.param("啊啊啊啊啊啊啊啊", Reason.GIBBERISH, id="repeated"),
        pytest.param("1111", Reason.GIBBERISH, id="digits"),
        pytest.param("建议进一步优化营商环境，切实提升服务水平，营造良好氛围。", Reason.VAGUE_SLOGAN, id="slogan"),
        pytest.param("求下期双色球号码，中了分你一半！", Reason.OFF_TOPIC, id="lottery"),
    ],
)
def test_too_simple_texts(text: str, reason: Reason) -> None:
    verdict = screen([text]).verdicts[0]
    assert verdict.status is Status.TOO_SIMPLE
    assert verdict.reasons == (reason,)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("建议不动产登记开通周末预约", id="short-concrete"),
        pytest.param("建议公积金中心把提取业务全部搬到辽事通上，三个工作日内到账。", id="with-deadline"),
    ],
)
def test_concrete_proposals_are_kept(text: str) -> None:
    assert screen([text]).verdicts[0].status is Status.KEPT
