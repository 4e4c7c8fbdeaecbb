"""The learned second opinion: where no rule fires, a model trained on the hand-written cases
may flag an unlawful proposal, inside the rules' frames, and says that it, not a rule, decided."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goldideas import screen
from goldideas.analysis import _analyse_chunk, check_texts, compliance_model
from goldideas.compliance import check_compliance, load_rulebook
from goldideas.compliance_model import (
    ComplianceModel,
    _fit,
    case_files,
    file_digests,
    load_compliance_model,
    opinions,
    read_cases,
    second_opinion,
    terms,
)
from goldideas.config import Config
from goldideas.errors import ModelError
from goldideas.io import model_path
from goldideas.normalize import normalize, normalize_text

DATA = Path(__file__).parent / "data"
HELD_BACK = "compliance_cases_fresh5.csv"
MIN_PROBABILITY = Config().compliance.learned_min_probability


@pytest.fixture(scope="module")
def rulebook():  # type: ignore[no-untyped-def]
    return load_rulebook(model_path("compliance.toml"))


@pytest.fixture(scope="module")
def model() -> ComplianceModel:
    return compliance_model()


def _opinion(text: str, model: ComplianceModel, rulebook):  # type: ignore[no-untyped-def]
    return second_opinion(normalize(text).content, model, rulebook, MIN_PROBABILITY)


class TestTheShippedModel:
    def test_it_was_trained_on_the_cases_as_they_are_now(self) -> None:
        """Fails after an edit of tests/data/compliance_cases*.csv until `make compliance-model`."""
        meta = json.loads(model_path("compliance_model.json").read_text(encoding="utf-8"))
        assert meta["trained_on"] == file_digests(case_files(DATA, [HELD_BACK])), "run make compliance-model"

    def test_the_held_back_batch_is_not_among_them(self) -> None:
        meta = json.loads(model_path("compliance_model.json").read_text(encoding="utf-8"))
        assert meta["held_back"] == [HELD_BACK]
        assert HELD_BACK not in meta["trained_on"]

    def test_training_again_gives_the_same_weights(self, model: ComplianceModel) -> None:
        again = _fit(read_cases(case_files(DATA, [HELD_BACK])), model.get_params())
        assert again.vocabulary_ == model.vocabulary_ and again.classes_ == model.classes_
        np.testing.assert_allclose(again.coef_, model.coef_, atol=1e-6)

    def test_the_threshold_in_use_is_no_lower_than_the_one_chosen_in_training(self, model: ComplianceModel) -> None:
        """Training keeps the lowest threshold at which models that never saw a batch flag none
        of its lawful cases; the config may ask for more, never for less."""
        meta = json.loads(model_path("compliance_model.json").read_text(encoding="utf-8"))
        at = {row["threshold"]: row for row in meta["leave_one_batch_out"]}[model.min_probability_]
        assert at["lawful_flagged"] == 0 and at["right_code"] > 0
        assert MIN_PROBABILITY >= model.min_probability_


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("建议小区门口的快递柜把取件人的姓名和手机号贴在柜门上，方便核对。", "privacy",
                     id="names-and-phones-on-a-locker"),
        pytest.param("建议把拖欠房租的商户的招牌直接拆下来，什么时候交钱什么时候挂回去。", "illegal_coercion",
                     id="signboard-taken-until-paid"),
        pytest.param("建议老板们年终奖都用现金发，别走工资表，省得扣个税。", "tax_evasion", id="bonus-in-cash"),
        pytest.param("医院门口那个黄牛头子就是条疯狗，谁挡他财路他咬谁。", "defamation_or_abuse", id="mad-dog"),
    ],
)
def test_an_unlawful_wording_no_rule_knows_gets_the_models_opinion(
    model: ComplianceModel, rulebook, text: str, code: str  # type: ignore[no-untyped-def]
) -> None:
    assert check_compliance(normalize_text(text), rulebook) is None
    hit = _opinion(text, model, rulebook)
    assert hit is not None and hit.reason.value == code
    assert hit.rule_id.startswith("ML-") and hit.laws and hit.span
    assert hit.confidence is not None and hit.confidence >= MIN_PROBABILITY


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("建议邮政管理部门禁止快递柜把取件人的姓名和手机号贴在柜门上。", id="a-call-to-stop-it"),
        pytest.param("有的小区快递柜把取件人的姓名和手机号贴在柜门上，建议严查这种做法。", id="a-practice-criticised"),
        pytest.param("有人提议把拖欠房租的商户的招牌直接拆下来，什么时候交钱什么时候挂回去，这不合法。",
                     id="someone-elses-idea"),
        pytest.param("年终奖用现金发、不走工资表来少扣个税的现象很普遍，建议税务部门关注。", id="a-phenomenon"),
        pytest.param("快递柜把取件人的姓名和手机号贴在柜门上，方便核对。", id="no-proposal-in-the-sentence"),
        pytest.param("1111", id="no-chinese"),
    ],
)
def test_the_rules_frames_hold_the_model_back(model: ComplianceModel, rulebook, text: str) -> None:  # type: ignore[no-untyped-def]
    """The same topics, framed as a call to stop, a criticism, a report or no proposal at all."""
    assert _opinion(text, model, rulebook) is None


def test_a_cancelling_word_of_the_reasons_rules_holds_it_back_too(model: ComplianceModel, rulebook) -> None:  # type: ignore[no-untyped-def]
    """A word in ``unless`` of any rule of the code (here PRIV: 授权) cancels the model's
    verdict in that sentence, as it cancels the rule's."""
    text = "建议小区门口的快递柜把取件人的姓名和手机号贴在柜门上，方便核对。"
    assert _opinion(text, model, rulebook) is not None
    assert _opinion(text.replace("方便核对", "经本人授权后方便核对"), model, rulebook) is None


def test_a_rule_speaks_first(model: ComplianceModel, rulebook) -> None:  # type: ignore[no-untyped-def]
    text = "建议菜市场管理处向每个摊位收取每月三百元的卫生管理费。"
    [hit] = check_texts(_analyse_chunk([text], Config()), rulebook, Config())
    assert hit is not None and hit.rule_id == "FEE-01" and hit.confidence is None


def test_the_explanation_says_the_model_decided_and_how_sure_it_was() -> None:
    row = screen(["建议老板们年终奖都用现金发，别走工资表，省得扣个税。"]).to_frame().iloc[0]
    assert (row["status"], row["reasons"]) == ("non_compliant", "tax_evasion")
    assert row["compliance_rule"].startswith("ML-TAX 《税收征收管理法》")
    assert "学习模型判断（置信度 0." in row["explanation"] and "请人工复核" in row["explanation"]


def test_staff_can_switch_it_off() -> None:
    config = Config.from_dict({"compliance": {"learned": "off"}})
    row = screen(["建议老板们年终奖都用现金发，别走工资表，省得扣个税。"], config).to_frame().iloc[0]
    assert row["status"] != "non_compliant"


def test_a_reason_without_a_learned_entry_is_never_given(tmp_path, model: ComplianceModel) -> None:  # type: ignore[no-untyped-def]
    """The rulebook's ``[[learned]]`` entries say which codes the model may give, and what each cites."""
    text = model_path("compliance.toml").read_text(encoding="utf-8")
    start = text.index('[[learned]]\nid = "ML-TAX"')
    path = tmp_path / "compliance.toml"
    path.write_text(text[:start] + text[text.index("[[learned]]", start + 1):], encoding="utf-8")
    assert _opinion("建议老板们年终奖都用现金发，别走工资表，省得扣个税。", model, load_rulebook(path)) is None


def test_a_learned_entry_needs_laws(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nid = "X-1"\nreason = "illegal_fee"\nlaws = ["a"]\nexplanation = "b"\n'
                    'patterns = ["c"]\n[[learned]]\nid = "ML-X"\nreason = "illegal_fee"\nlaws = []\n'
                    'explanation = "d"\n', encoding="utf-8")
    with pytest.raises(ModelError, match=r"learned 1 \(ML-X\): patterns and laws must not be empty"):
        load_rulebook(path)


class TestTerms:
    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("建议每户收取50元代办费，每年1200元。", id="digits"),
            pytest.param("建议:1.本地优先;2.外地加价!", id="punctuation-and-lists"),
            pytest.param("好！😀 ｘ 收费", id="emoji-and-latin"),
            pytest.param("", id="empty"),
        ],
    )
    def test_the_fast_counts_equal_those_of_the_terms(self, model: ComplianceModel, text: str) -> None:
        """Scoring reads n-grams over whole texts in numpy; training reads them clause by clause."""
        expected = Counter(model.vocabulary_[t] for t in terms(text) if t in model.vocabulary_)
        row = model.counts([text, "建议"]).toarray()[0]
        assert {j: int(v) for j, v in enumerate(row) if v} == dict(expected)

    def test_digits_are_folded_and_clauses_kept_apart(self) -> None:
        found = terms("收50元,每户")
        assert "收0元" in found and "50" not in found and "元,每" not in found


class TestPersistence:
    def test_a_saved_model_gives_the_same_probabilities(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        fitted = ComplianceModel(min_df=1).fit(
            ["建议向企业收取检查费", "建议公积金网上办", "建议只买本地产品", "建议延长地铁运营"] * 2,
            ["illegal_fee", "kept", "unfair_competition", "kept"] * 2)
        loaded = load_compliance_model(fitted.save(tmp_path) / "compliance_model.json")
        texts = ["建议收取检查费", "建议地铁网上办"]
        np.testing.assert_allclose(loaded.probabilities(texts), fitted.probabilities(texts))

    def test_fitting_again_forgets_what_the_first_fit_worked_out(self) -> None:
        first = ["建议向企业收取检查费", "建议公积金网上办", "建议只买本地产品"] * 2
        second = ["建议外地企业不得投标", "建议延长地铁运营", "建议收取赞助费"] * 2
        labels = ["illegal_fee", "kept", "unfair_competition"] * 2
        refitted = ComplianceModel(min_df=1).fit(first, labels)
        refitted.probabilities(["建议收取检查费"]), refitted.evidence(["建议收取检查费。地铁"], [0])
        refitted.fit(second, ["unfair_competition", "kept", "illegal_fee"] * 2)
        fresh = ComplianceModel(min_df=1).fit(second, ["unfair_competition", "kept", "illegal_fee"] * 2)
        texts = ["建议外地企业不得投标。地铁延长", "建议延长运营，收取赞助费"]
        np.testing.assert_allclose(refitted.probabilities(texts), fresh.probabilities(texts))
        assert refitted.evidence(texts, [2, 0]) == fresh.evidence(texts, [2, 0])

    def test_missing_files_are_named(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ModelError, match="not a goldideas compliance model"):
            load_compliance_model(tmp_path / "compliance_model.json")

    def test_an_unfitted_model_says_so(self) -> None:
        with pytest.raises(ModelError, match="not fitted"):
            ComplianceModel().probabilities(["建议"])


def test_opinions_of_many_texts_equal_those_of_each(model: ComplianceModel, rulebook) -> None:  # type: ignore[no-untyped-def]
    texts = [normalize(t).content for t in pd.read_csv(DATA / "compliance_cases_fresh7.csv")["text"][:40]]
    together = opinions(texts, model, rulebook, 0.5)
    assert together == [opinions([t], model, rulebook, 0.5)[0] for t in texts]
