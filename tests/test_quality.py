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
