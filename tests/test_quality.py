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


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("图书馆的自习室晚上能开到十点吗？", id="can-it-question"),
        pytest.param("有没有办法让个体户在街道就能领发票？", id="is-there-a-way"),
        pytest.param("怎么不考虑把公证处的业务搬到网上？", id="why-not"),
        pytest.param("办证大厅的叫号屏太小了，换块大点的吧。", id="imperative-ba-after-complaint"),
        pytest.param("快递车进小区老被拦，物业应统一划个临时停靠点。", id="subject-should"),
        pytest.param("建议把企业开办时间压缩到两个工作日。", id="quantity-is-the-measure"),
        pytest.param("建议把驻村干部的工作业绩与村集体增收挂钩。", id="off-topic-word-across-two-words"),
        pytest.param("建议宠物医院的诊疗收费标准向社会公示。", id="off-topic-word-inside-a-service"),
    ],
)
def test_requests_in_everyday_forms_are_kept(text: str) -> None:
    assert screen([text]).verdicts[0].status is Status.KEPT


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("上个月在窗口排了一上午队，轮到我的时候系统又坏了。", Reason.NO_PROPOSAL,
                     id="short-account-no-cue"),
        pytest.param("交了三年的社保，转回老家的时候又要重新开证明，心真累。", Reason.NO_PROPOSAL,
                     id="short-account-with-a-feeling"),
        pytest.param("创业这几年，贷款难、招人难、回款难，说实话已经看不到希望。", Reason.NO_PROPOSAL,
                     id="hope-as-a-noun-is-no-cue"),
        pytest.param("办个食品经营许可跑了三趟，每次都说缺材料，真是太折腾人了。", Reason.NO_PROPOSAL,
                     id="exclamation"),
        pytest.param("我前女友总在背后说我坏话，朋友们都被她带偏了，我该怎么办？", Reason.OFF_TOPIC,
                     id="plea-to-readers"),
    ],
)
def test_accounts_and_private_matters_are_too_simple(text: str, reason: Reason) -> None:
    verdict = screen([text]).verdicts[0]
    assert verdict.status is Status.TOO_SIMPLE
    assert verdict.reasons == (reason,)


def test_lexicon_counts_by_first_character_match_a_plain_scan() -> None:
    """Looking only for words whose first character is in the text counts the same."""
    from goldideas.io import load_corpus, model_path
    from goldideas.normalize import normalize
    from goldideas.quality import _count, load_lexicons

    lex = load_lexicons(model_path("quality.toml"))
    for text in [*load_corpus()["text"].head(300), "", "建议建议", "x"]:
        key = normalize(text).key
        for name in ("proposal_cues", "off_topic", "objects", "complaint_cues", "measures"):
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


def test_a_lexicon_file_without_measures_still_loads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Staff lexicons written before `measures` existed keep working; a wrong type is named."""
    from goldideas.errors import ModelError
    from goldideas.io import model_path
    from goldideas.quality import load_lexicons

    text = model_path("quality.toml").read_text(encoding="utf-8")
    older = tmp_path / "older.toml"
    older.write_text(text[: text.index("measures = [")], encoding="utf-8")
    assert load_lexicons(older).measures == ()
    broken = tmp_path / "broken.toml"
    broken.write_text(text[: text.index("measures = [")] + 'measures = "开通"\n', encoding="utf-8")
    with pytest.raises(ModelError, match="measures must be a list of words"):
        load_lexicons(broken)
