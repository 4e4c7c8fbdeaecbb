"""Normalisation for comparison; the original text is never altered."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from goldideas.normalize import content_key, normalize, normalize_text, redact


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("建議不動產登記開通週末預約", "建议不动产登记开通周末预约", id="traditional"),
        pytest.param("ＡＰＰ１２３４５", "app12345", id="full-width"),
        pytest.param("开通  \n 周末", "开通 周末", id="whitespace"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("尊敬的领导：您好！建议不动产登记开通周末预约。", id="greeting"),
        pytest.param("建议不动产登记开通周末预约。谢谢！——铁西区一位个体户", id="signature"),
        pytest.param("建议不动产登记开通周末预约。联系电话：13904051234", id="phone"),
        pytest.param("建议不动产登记开通周末预约。王女士 13904051234", id="name-and-phone"),
        pytest.param("领导好，建议不动产登记开通周末预约，邮箱 abc@163.com", id="email"),
        pytest.param("营商局的同志们好：建议不动产登记开通周末预约。", id="addressed-greeting"),
        pytest.param("建议不动产登记开通周末预约。（于洪区一企业行政人员，电话15942001234）", id="bracketed-signer"),
        pytest.param("建议不动产登记开通周末预约。 高新区某软件公司财务 李会计", id="signer-line"),
        pytest.param("建议不动产登记开通周末预约。一名申请执行人", id="signer-with-shen-qing"),
    ],
)
def test_boilerplate_is_set_aside(raw: str) -> None:
    """Greetings, signatures and contact details are not content."""
    assert normalize(raw).key == "建议不动产登记开通周末预约"


def test_content_key_ignores_punctuation_and_spaces() -> None:
    assert content_key("建议，开通 周末预约！") == "建议开通周末预约"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("电话13904051234", "电话139****1234", id="mobile"),
        pytest.param("身份证210102197503121234", "身份证210102***********4", id="id-card"),
        pytest.param("邮箱 zhang.san@163.com", "邮箱 z***@163.com", id="email"),
        pytest.param("座机024-23456789", "座机024-****6789", id="landline"),
    ],
)
def test_redact_masks_contact_details(raw: str, expected: str) -> None:
    assert redact(raw) == expected


def test_redact_skips_only_texts_that_cannot_hold_contact_details(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import re

    from goldideas import normalize as module
    from goldideas.io import load_corpus

    texts = [*load_corpus()["text"].head(400), "邮箱ａ@ｂ.cn", "电话１３９０４０５１２３４", "无数字的建议"]
    fast = [redact(t) for t in texts]
    monkeypatch.setattr(module, "_REDACTABLE", re.compile(""))
    assert fast == [redact(t) for t in texts]


@pytest.mark.parametrize(
    "raw",
    ["建议，开通（周末）预约！", "ＡＰＰ　１２３４５", "Ａ\u0301ｂ\u0327", "①㈱ﬁ…㎡", "ｶﾞｷﾞ", "한국어", "plain ascii"],
    ids=["punctuation", "letters-digits-space", "combining-marks", "compatibility", "half-width-kana",
         "hangul", "ascii"],
)
def test_the_fast_nfkc_is_nfkc(raw: str) -> None:
    import unicodedata

    from goldideas.normalize import _nfkc

    assert _nfkc(raw) == unicodedata.normalize("NFKC", raw)


def test_the_fast_nfkc_is_nfkc_for_every_character_and_before_a_combining_mark() -> None:
    import unicodedata

    from goldideas.normalize import _nfkc

    chars = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    assert [_nfkc(c + "\u0301") for c in chars] == [unicodedata.normalize("NFKC", c + "\u0301") for c in chars]


_PIECES = ["谢谢", "此致", "敬礼", "感谢您的支持", "王女士", "一名市民", "老孙", "区", "先生", "——一位市民",
           "（联系人:孙经理）", "2020年12月3日", "建议开通周末预约", "。", "，", "!", "-", "3", " ", "  ", "\n", "\t"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14))
@example(["建议开通周末预约", "。", "王女士", *["2020年12月3日", " "] * 8])  # a trailing run of 88
@example(["建议开通周末预约", "，", "此致", "  ", "敬礼", *["!", "。", " "] * 30])
@settings(max_examples=3000, deadline=None)
def test_a_pattern_at_the_end_is_searched_from_where_it_can_start(pieces: list[str]) -> None:
    """Searching near the end finds what a search of the whole text finds, spaces or not."""
    from goldideas.normalize import _CLOSING, _SIGNATURE_TAIL, _SIGNER_LINE, _WHITESPACE_PAIR

    text = "".join(pieces)
    compact = _WHITESPACE_PAIR.search(text) is None
    for at_end in (_CLOSING, _SIGNATURE_TAIL, _SIGNER_LINE):
        expected = at_end.pattern.search(text)
        found = at_end.search(text, compact)
        assert (found and found.span()) == (expected and expected.span())
        assert at_end.cut(text, compact) == at_end.pattern.sub("", text)
