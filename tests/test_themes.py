"""Themes without training: seed words, then semi-supervised naive Bayes over the input."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldideas import Screening, screen
from goldideas.errors import ModelError
from goldideas.evaluate import evaluate
from goldideas.themes import LexiconThemes, ThemeSpec, _trie_pattern, load_themes, seed_scores


@pytest.fixture(scope="module")
def corpus_screening(corpus: pd.DataFrame) -> Screening:
    return screen(corpus)


def test_taxonomy_has_the_six_policy_themes() -> None:
    assert [t.id for t in load_themes()] == [
        "gov_services", "investment_openness", "factor_supply",
        "innovation_entrepreneurship", "rule_of_law_credit", "livability_culture",
    ]


def test_a_seed_inside_a_longer_matched_seed_does_not_count() -> None:
    """告知承诺 is a 政务服务 word; the 承诺 inside it is no evidence for 诚信法治."""
    themes = load_themes()
    ids = [t.id for t in themes]
    scores = seed_scores(["推行告知承诺制"], themes)
    assert scores[0, ids.index("gov_services")] == themes[ids.index("gov_services")].seeds["告知承诺"]
    assert scores[0, ids.index("rule_of_law_credit")] == 0


_PIECES = "公积金提取告知承诺，"


@given(
    words=st.lists(st.text(alphabet=_PIECES[:-1], min_size=1, max_size=4), min_size=1, max_size=12, unique=True),
    text=st.text(alphabet=_PIECES, max_size=40),
)
def test_the_seed_trie_finds_what_the_seeds_longest_first_find(words: list[str], text: str) -> None:
    """The trie is only faster: at each position it takes the longest seed, as the alternation did."""
    longest_first = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    assert re.findall(_trie_pattern(words), text) == re.findall(longest_first, text)


def test_the_seed_trie_of_no_words_matches_nothing() -> None:
    assert re.findall(_trie_pattern([]), "任何文字") == []


def test_seed_scores_of_a_taxonomy_without_seeds_are_zero() -> None:
    themes = [ThemeSpec("a", "甲", "", {}), ThemeSpec("b", "乙", "", {})]
    assert seed_scores(["任何文字"], themes).tolist() == [[0.0, 0.0]]


def test_seed_scores_count_each_seed_once_per_text() -> None:
    themes = load_themes()
    scores = seed_scores(["公积金公积金提取", "冰雪旅游"], themes)
    gov = [t.id for t in themes].index("gov_services")
    assert scores[0, gov] == themes[gov].seeds["公积金"] + themes[gov].seeds["提取"]
    assert scores[1, gov] == 0


def _score(text: str, theme: str, **options: float) -> float:
    themes = load_themes()
    return float(seed_scores([text], themes, **options)[0, [t.id for t in themes].index(theme)])


def test_a_channel_word_counts_in_full_when_it_is_the_subject() -> None:
    assert _score("建议政务大厅延长午间服务", "gov_services", channel_share=0.25) == _score(
        "建议政务大厅延长午间服务", "gov_services"
    )


def test_a_channel_word_beside_another_subject_counts_its_share() -> None:
    """燃气报装网上办理 is about gas: 网上办理 names only how it is done."""
    full = _score("建议燃气报装网上办理", "gov_services")
    assert full > 0
    assert _score("建议燃气报装网上办理", "gov_services", channel_share=0.25) == pytest.approx(full / 4)


def test_seeds_of_the_first_sentence_count_more() -> None:
    text = "建议发展冰雪旅游。配套的融资也要跟上"
    plain = _score(text, "livability_culture")
    assert _score(text, "livability_culture", lead_weight=0.5) == pytest.approx(1.5 * plain)
    assert _score(text, "factor_supply", lead_weight=0.5) == _score(text, "factor_supply")


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        pytest.param("建议公积金提取全程网办，不用再跑大厅", "gov_services", id="gov"),
        pytest.param("建议开发区对招商引资的重大项目实行拿地即开工", "investment_openness", id="investment"),
        pytest.param("建议银行对小微企业推行无还本续贷，降低融资成本", "factor_supply", id="factor"),
        pytest.param("建议对科技型中小企业的专利质押给予贴息，支持孵化器建设", "innovation_entrepreneurship", id="innovation"),
        pytest.param("建议推行首违不罚，减少涉企执法检查，清理拖欠民营企业账款", "rule_of_law_credit", id="law"),
        pytest.param("建议延长地铁末班车时间，方便夜市游客和加班的人", "livability_culture", id="livability"),
        # the subject decides, not the channel: utilities and project approval done online
        pytest.param("建议燃气报装全程网上办理，三天内通气", "factor_supply", id="utility-online"),
        pytest.param("建议工程建设项目审批全程网办，压缩审批时限", "investment_openness", id="project-online"),
        pytest.param("建议法院开通网上立案，立案材料网上提交", "rule_of_law_credit", id="court-online"),
        pytest.param("建议创业担保贷款在辽事通上全程网办", "innovation_entrepreneurship", id="startup-loan-online"),
        pytest.param("建议政务服务中心增设周末延时服务窗口", "gov_services", id="hall-itself"),
        # a park is where, not what: a bus line to it is transport, a park's own investment is not
        pytest.param("建议在产业园区开通早晚通勤公交", "livability_culture", id="bus-to-park"),
        pytest.param("建议开发区管委会精简招商引资的入园手续", "investment_openness", id="park-investment"),
    ],
)
def test_clear_suggestions_get_their_theme(text: str, theme: str) -> None:
    assert screen([text]).verdicts[0].theme == theme


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        pytest.param("建议在各景区设立游客投诉站，投诉一小时内响应，强制购物的查实后通报曝光", "livability_culture",
                     id="tourist-complaints"),
        pytest.param("建议对供热不达标的小区开通投诉举报电话，查实的通报曝光", "factor_supply", id="heating-complaints"),
        pytest.param("建议对孵化器开通投诉举报渠道，对骗取补贴的追责", "innovation_entrepreneurship",
                     id="incubator-complaints"),
        # with no other subject named, complaint handling is the subject itself
        pytest.param("建议投诉举报电话二十四小时有人接听，查实的通报追责", "rule_of_law_credit", id="complaint-line"),
    ],
)
def test_how_a_measure_is_enforced_does_not_decide_its_theme(text: str, theme: str) -> None:
    """A complaint line, an inquiry, a public notice (投诉、举报、整治、通报、追责) serve every theme's
    proposals: the service they watch over decides, as for a window or an online service."""
    assert screen([text]).verdicts[0].theme == theme


def test_duplicates_share_their_representative_theme(corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame().set_index("id")
    dups = frame[frame["status"] == "duplicate"]
    assert (dups["theme"].values == frame.loc[dups["duplicate_of"], "theme"].values).all()


def test_only_kept_and_duplicate_rows_get_a_theme(corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame()
    themed = frame["theme"] != ""
    assert (themed == frame["status"].isin(["kept", "duplicate"])).all()
    assert frame.loc[themed, "theme_confidence"].between(0, 1).all()


def test_corpus_theme_quality_does_not_regress(corpus_screening: Screening, gold: pd.DataFrame) -> None:
    """Measured 0.822 macro-F1 (README); this guard catches a broken taxonomy or model."""
    result = evaluate(corpus_screening.to_frame(), gold)
    assert result.theme_macro_f1 is not None and result.theme_macro_f1 >= 0.80


def test_only_the_rows_asked_for_get_a_theme() -> None:
    from goldideas.analysis import analyse
    from goldideas.config import Config
    from goldideas.screening import assign_themes

    texts = ["建议公积金提取全程网办", "建议延长地铁末班车", "建议推行首违不罚"]
    themes = assign_themes(analyse(texts, Config()), Config(), texts, rows=[0, 2])
    assert [theme for theme, _ in themes] == ["gov_services", "", "rule_of_law_credit"]


def test_rejected_texts_do_not_shape_the_themes_of_kept_ones() -> None:
    """The model is fitted on the rows that receive a theme only."""
    from goldideas.analysis import analyse
    from goldideas.config import Config
    from goldideas.screening import assign_themes

    kept = ["建议公积金提取全程网办", "建议延长地铁末班车时间", "建议推行首违不罚"]
    noise = ["建议银行贷款利率再低一点" * 3, "融资担保贷款贴息" * 4]
    alone = assign_themes(analyse(kept, Config()), Config(), kept)
    mixed = assign_themes(analyse(kept + noise, Config()), Config(), kept + noise, rows=range(len(kept)))
    assert mixed[: len(kept)] == alone


def test_themes_are_deterministic() -> None:
    texts = ["建议公积金提取全程网办", "建议延长地铁末班车", "建议推行首违不罚"]
    words = [["公积金", "提取", "全程网办"], ["延长", "地铁", "末班车"], ["推行", "首违不罚"]]
    a = LexiconThemes().fit_predict(texts, words)
    b = LexiconThemes().fit_predict(texts, words)
    assert a.labels == b.labels and (a.confidence == b.confidence).all()


def test_a_broken_taxonomy_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "themes.toml"
    path.write_text('[[theme]]\nid = "a"\nname = "甲"\n', encoding="utf-8")
    with pytest.raises(ModelError, match="theme 1: missing 'seeds'"):
        load_themes(path)
