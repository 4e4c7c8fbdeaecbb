"""Themes without training: seed words, then semi-supervised naive Bayes over the input."""

from __future__ import annotations

import pandas as pd
import pytest

from goldideas import Screening, screen
from goldideas.errors import ModelError
from goldideas.evaluate import evaluate
from goldideas.themes import LexiconThemes, load_themes, seed_scores


@pytest.fixture(scope="module")
def corpus_screening(corpus: pd.DataFrame) -> Screening:
    return screen(corpus)


def test_taxonomy_has_the_six_policy_themes() -> None:
    assert [t.id for t in load_themes()] == [
        "gov_services", "investment_openness", "factor_supply",
        "innovation_entrepreneurship", "rule_of_law_credit", "livability_culture",
    ]


def test_seed_scores_count_each_seed_once_per_text() -> None:
    themes = load_themes()
    scores = seed_scores(["公积金公积金提取", "冰雪旅游"], themes)
    gov = [t.id for t in themes].index("gov_services")
    assert scores[0, gov] == themes[gov].seeds["公积金"] + themes[gov].seeds["提取"]
    assert scores[1, gov] == 0


def test_seed_scores_match_a_plain_search_of_each_text(corpus: pd.DataFrame) -> None:
    themes = load_themes()
    texts = [*corpus["text"].head(300), "", "税", "税\x00费"]
    expected = [[sum(w for s, w in t.seeds.items() if s in text) for t in themes] for text in texts]
    assert seed_scores(texts, themes).tolist() == expected


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        pytest.param("建议公积金提取全程网办，不用再跑大厅", "gov_services", id="gov"),
        pytest.param("建议开发区对招商引资的重大项目实行拿地即开工", "investment_openness", id="investment"),
        pytest.param("建议银行对小微企业推行无还本续贷，降低融资成本", "factor_supply", id="factor"),
        pytest.param("建议对科技型中小企业的专利质押给予贴息，支持孵化器建设", "innovation_entrepreneurship", id="innovation"),
        pytest.param("建议推行首违不罚，减少涉企执法检查，清理拖欠民营企业账款", "rule_of_law_credit", id="law"),
        pytest.param("建议延长地铁末班车时间，方便夜市游客和加班的人", "livability_culture", id="livability"),
    ],
)
def test_clear_suggestions_get_their_theme(text: str, theme: str) -> None:
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
    """Measured 0.718 macro-F1 (README); this guard catches a broken taxonomy or model."""
    result = evaluate(corpus_screening.to_frame(), gold)
    assert result.theme_macro_f1 is not None and result.theme_macro_f1 >= 0.65


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
