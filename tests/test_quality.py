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
        pytest.param(
            "上周我请了两天假去大厅办营业执照变更，排了三个小时队还没办完，真让人窝火。",
            Reason.NO_PROPOSAL, id="took-leave-is-no-request",
        ),
        pytest.param(
            "按通知要求准备了全套材料报上去，一个多月没动静，打电话问也没个准话，真让人窝火。",
            Reason.NO_PROPOSAL, id="as-required-is-no-request",
        ),
        pytest.param(
            "希望大家齐心协力，上下一心，共同营造风清气正、亲商安商的一流营商环境氛围。",
            Reason.VAGUE_SLOGAN, id="long-slogan",
        ),
        pytest.param("建议窗口工作人员进一步转变作风，切实提升服务意识和服务水平，营造良好氛围。",
                     Reason.VAGUE_SLOGAN, id="slogan-naming-one-object"),
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
        pytest.param("盼税务部门把发票申领搬到手机上，当天就能领到，省得跑大厅排队。", id="colloquial-pan"),
        pytest.param("各家停车场收费标准五花八门，统一公示在入口处多好，司机进门前就心里有数。",
                     id="colloquial-how-good"),
        pytest.param("老街两侧的骑楼修缮后空着，建议引入非遗手作、老字号小吃和书店，周末封街办庙会，晚上挂灯笼。",
                     id="many-specific-words-no-lexicon-object"),
        pytest.param("想借点钱周转，得挨家跑银行问，能不能在网上挂个需求，让人家上门来谈？",
                     id="everyday-one-character-words"),
        pytest.param("光靠每年办一回推介会招商没用，不如派专人常驻长三角，盯着想外迁的工厂上门对接。",
                     id="colloquial-better-to"),
    ],
)
def test_concrete_proposals_are_kept(text: str) -> None:
    assert screen([text]).verdicts[0].status is Status.KEPT


def test_lexicon_counts_by_first_character_match_a_plain_scan() -> None:
    """Looking only for words whose first character is in the text counts the same."""
    from goldideas.io import load_corpus, model_path
    from goldideas.normalize import normalize
    from goldideas.quality import _count, load_lexicons

    lex = load_lexicons(model_path("quality.toml"))
    for text in [*load_corpus()["text"].head(300), "", "建议建议", "x"]:
        key = normalize(text).key
        for name in ("proposal_cues", "off_topic", "objects", "complaint_cues"):
            for stop in (1, 2, 5):
                assert lex.count(name, key, stop) == _count(getattr(lex, name), key, stop)
                assert lex.count(name, key, stop, frozenset(key)) == _count(getattr(lex, name), key, stop)


def test_specific_and_not_generic_words_keep_order_and_repeats() -> None:
    from goldideas.io import model_path
    from goldideas.quality import is_generic, load_lexicons

    lex = load_lexicons(model_path("quality.toml"))
    words = ["营商环境", "公积金", "12345", "提升", "公积金", "窗", "服务水平"]
    assert lex.not_generic(words) == [w for w in words if not is_generic(w, lex.generic)]
    assert lex.specific(words) == [
        w for w in words if len(w) >= 2 and not w.isdigit() and not is_generic(w, lex.generic)
    ]
    assert lex.specific(words).count("公积金") == 2


def test_first_characters_files_words_and_keeps_repeats() -> None:
    from goldideas.quality import first_characters

    assert first_characters(["税费", "税", "社保", "税费"]) == {"税": ("税费", "税", "税费"), "社": ("社保",)}
