"""Compliance rules fire on proposals to do unlawful things, not on calls to stop them."""

from __future__ import annotations

import json
import shutil

import pytest

from goldideas.analysis import _analyse_chunk, check_texts
from goldideas.compliance import check_compliance, load_rulebook
from goldideas.config import Config
from goldideas.errors import ModelError
from goldideas.io import model_path
from goldideas.normalize import normalize_text
from goldideas.reasons import Reason


@pytest.fixture(scope="module")
def rulebook():  # type: ignore[no-untyped-def]
    return load_rulebook(model_path("compliance.toml"))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("为了保护本地企业，建议政府采购同等条件下本地企业优先中标。",
                     Reason.UNFAIR_COMPETITION, id="polite-protectionism"),
        pytest.param("建议对外地施工企业参与投标设置更高门槛。", Reason.UNFAIR_COMPETITION, id="outside-firms"),
        pytest.param("建议对被检查企业按次收取检查服务费，每次200元。", Reason.ILLEGAL_FEE, id="inspection-fee"),
        pytest.param("为提高效率，建议重点项目先开工后补办环评。", Reason.SKIP_LEGAL_PROCEDURE, id="build-first"),
        pytest.param("建议把欠款人的身份证号和手机号在网上公开。", Reason.PRIVACY, id="publish-ids"),
        pytest.param("考虑到小微企业困难，建议允许员工自愿放弃社保。", Reason.LABOR_RIGHTS, id="no-insurance"),
        pytest.param("建议允许企业从开票公司购买增值税专用发票。", Reason.TAX_EVASION, id="buy-invoices"),
        pytest.param("对欠费的商户，建议直接停水停电，直到交清为止。", Reason.ILLEGAL_COERCION, id="cut-power"),
        pytest.param("建议所有汽修企业必须加入行业协会。", Reason.ILLEGAL_COERCION, id="forced-membership"),
        pytest.param("某某公司老板就是个骗子，王八蛋！", Reason.DEFAMATION_OR_ABUSE, id="abuse"),
        pytest.param("我司无抵押贷款当天放款，月息低，有需要联系13840215678。",
                     Reason.ADVERTISING_OR_FRAUD, id="loan-advert"),
    ],
)
def test_unlawful_proposals_are_caught(rulebook, text: str, reason: Reason) -> None:  # type: ignore[no-untyped-def]
    hit = check_compliance(normalize_text(text), rulebook)
    assert hit is not None and hit.reason is reason
    assert hit.span and hit.laws


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("建议严查向企业收取检查费的行为。", id="stop-fees"),
        pytest.param("建议严肃查处招投标中排斥外地企业的地方保护做法。", id="stop-protectionism"),
        pytest.param("建议推行环评告知承诺制，简化审批流程。", id="lawful-simplification"),
        pytest.param("建议公积金中心开通周末预约。", id="ordinary"),
        pytest.param("建议供电公司计划停电前提前三天通知企业。", id="power-cut-notice"),
        pytest.param("建议加强个人信息保护，防止企业客户信息泄露。", id="protect-privacy"),
    ],
)
def test_lawful_proposals_pass(rulebook, text: str) -> None:  # type: ignore[no-untyped-def]
    assert check_compliance(normalize_text(text), rulebook) is None


def test_staff_can_add_a_rule_without_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nid = "X-1"\nreason = "illegal_fee"\nlaws = ["《优化营商环境条例》"]\n'
        'explanation = "测试"\npatterns = ["收取赞助"]\n',
        encoding="utf-8",
    )
    hit = check_compliance("建议向商户收取赞助", load_rulebook(path))
    assert hit is not None and hit.rule_id == "X-1"


@pytest.mark.parametrize(
    ("text", "tried"),
    [
        pytest.param("建议先开工后补手续", ["先(开工|建设)后补"], id="whole-prefix"),
        pytest.param("建议先开会再收费", ["收.{0,2}费"], id="first-two-characters-only"),
        pytest.param("建议开工", [], id="no-prefix"),
    ],
)
def test_a_pattern_is_tried_only_where_one_of_its_literal_prefixes_occurs(
    tmp_path, text: str, tried: list[str]  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nid = "X-1"\nreason = "illegal_fee"\nlaws = ["a"]\nexplanation = "b"\n'
        'patterns = ["先(开工|建设)后补", "收.{0,2}费"]\n',
        encoding="utf-8",
    )
    candidates = load_rulebook(path).candidates(text)
    assert [p.pattern for _, patterns in candidates for p in patterns] == tried


def test_a_rule_with_a_bad_reason_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nid = "X-1"\nreason = "too_short"\nlaws = ["a"]\n'
                    'explanation = "b"\npatterns = ["c"]\n', encoding="utf-8")
    with pytest.raises(ModelError, match=r"rule 1 \(X-1\): reason 'too_short' is not one of"):
        load_rulebook(path)


def test_trigger_prefilter_changes_no_verdict(rulebook, corpus) -> None:  # type: ignore[no-untyped-def]
    """Patterns are skipped only on texts that contain none of their literal prefixes."""
    import dataclasses

    everything = dataclasses.replace(rulebook, triggers=None)
    for text in corpus["text"]:
        normalized = normalize_text(text)
        assert check_compliance(normalized, rulebook) == check_compliance(normalized, everything)


@pytest.mark.parametrize(
    ("pattern", "prefixes"),
    [
        pytest.param("(外地|外省)[^。]{0,4}企业", {"外地", "外省"}, id="group-then-class"),
        pytest.param("先(开工|建设)后补", {"先开工后补", "先建设后补"}, id="literal-group-literal"),
        pytest.param("示众|游街", {"示众", "游街"}, id="branch"),
        pytest.param("[^。]{0,4}企业", None, id="starts-with-class"),
        pytest.param("(注册)?公司", None, id="optional-start"),
    ],
)
def test_literal_prefixes(pattern: str, prefixes: set[str] | None) -> None:
    import re._parser as sre_parser

    from goldideas.compliance import _literal_prefixes

    found = _literal_prefixes(sre_parser.parse(pattern).data)
    assert (found[0] if found else None) == prefixes


def _cases(name: str) -> list[object]:
    """Hand-written cases in ``tests/data/<name>``, written apart from the corpus: unlawful
    proposals in varied phrasings and lawful look-alikes (calls to stop the practice, complaints,
    reported speech, lawful fees and data sharing). ``compliance_cases_fresh.csv`` was written
    before the rulebook was read, to measure how the rules carry over to unseen wording."""
    import csv
    from pathlib import Path

    path = Path(__file__).parent / "data" / name
    # note -> why the rulebook still gets it wrong; strict, so a fix shows up as XPASS
    unsolved = {
        "b3 local contractors in rural roads": "favouring local crews by saying outsiders are unfamiliar "
        "(外县的队伍来了也不熟悉) names no exclusion verb the rules know",
        "b3 traffic police collect charge": "a fee charged only to out-of-town trucks: UC-01 (discrimination) "
        "stands before FEE-01, so the code is unfair_competition, not illegal_fee",
        "b5 government canteen vendor": "renewing a district firm's contract without a tender is both: "
        "PROC-03 (no tender) stands before UC-03, so the code is skip_legal_procedure",
        "b6 indirect: mandatory association fees": "a membership fee enforced by refusing a licence is "
        "both: COER-02 (不交的不给办) stands before FEE-01, so the code is illegal_coercion",
        "f4 coercion 02": "withholding a public service (不再收他们的垃圾) is told from a lawful stop of a "
        "private service by context only; no rule names it",
        "f6 fee 01": "补贴 (here the purpose of the fee: 补贴办公经费) cancels FEE-01, as it mostly names "
        "a lawful subsidy; the learned model is not sure enough",
        "f7 skip 05": "证明 in the sentence (村里出个证明) cancels PROC-02, as 证明 mostly names paperwork "
        "cut lawfully; the learned model is not sure enough",
        "f7 labor 06": "fines deducted from pay for lost parcels: a fine pattern also fired on complaints "
        "about such fines; the learned model is not sure enough",
        "f7 coercion 05": "整改 before the act is a stop cue (整改不到位的小厂), as in 建议整改……; the "
        "learned model is not sure enough",
        "o contact 03": "a writer leaving a phone number with 有需要可以找我 reads like an advert to AD-01",
    }
    params = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            marks = [pytest.mark.xfail(strict=True, reason=unsolved[row["note"]])] if (
                row["note"] in unsolved) else []
            case_id = f"{number:03d}-{row['code'] or 'kept'}-{row['note'].replace(' ', '-')}"
            params.append(pytest.param(row["text"], row["expected"], row["code"], id=case_id, marks=marks))
    return params


@pytest.mark.parametrize(
    ("frame", "text", "fires"),
    [
        pytest.param("content", "本店收取加急费", True, id="content-needs-no-proposal-cue"),
        pytest.param("content", "严禁收取加急费", False, id="content-stopped"),
        pytest.param("proposal", "本店收取加急费", False, id="proposal-needs-a-cue"),
        pytest.param("any", "严禁收取加急费", True, id="any-is-never-stopped"),
    ],
)
def test_frames(tmp_path, frame: str, text: str, fires: bool) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.toml"
    path.write_text(
        f'stop_cues = ["严禁"]\n[[rule]]\nid = "X-1"\nreason = "illegal_fee"\nlaws = ["a"]\n'
        f'explanation = "b"\nframe = "{frame}"\npatterns = ["收取加急费"]\n',
        encoding="utf-8",
    )
    assert (check_compliance(text, load_rulebook(path)) is not None) is fires


@pytest.mark.parametrize(("text", "expected", "code"),
                         _cases("compliance_cases.csv") + _cases("compliance_cases_fresh.csv")
                         + _cases("compliance_cases_fresh2.csv") + _cases("compliance_cases_fresh3.csv")
                         + _cases("compliance_cases_fresh4.csv"))
def test_hand_written_cases(rulebook, text: str, expected: str, code: str) -> None:  # type: ignore[no-untyped-def]
    """Each case gets the expected status and, when non-compliant, the expected reason code."""
    hit = check_compliance(normalize_text(text), rulebook)
    assert expected in {"non_compliant", "kept"}
    if expected == "kept":
        assert hit is None, f"{hit.rule_id} fired on {hit.span!r}" if hit else ""
    else:
        assert hit is not None, "no rule fired"
        assert hit.reason.value == code, f"{hit.rule_id} gave {hit.reason.value} on {hit.span!r}"
        assert hit.span and hit.laws


@pytest.mark.parametrize(("text", "expected", "code"),
                         _cases("compliance_cases_fresh6.csv") + _cases("compliance_cases_fresh7.csv")
                         + _cases("compliance_cases_ordinary.csv"))
def test_hand_written_cases_through_the_stage(rulebook, text: str, expected: str, code: str) -> None:  # type: ignore[no-untyped-def]
    """The later batches, as the screening judges them: the rules, then the learned model, which
    was trained on these cases too (so this checks what the stage does, it does not measure it).
    ``compliance_cases_ordinary.csv`` holds everyday lawful proposals, complaints and stories,
    written to teach the model what most suggestions look like."""
    [hit] = check_texts(_analyse_chunk([text], Config()), rulebook, Config())
    if expected == "kept":
        assert hit is None, f"{hit.rule_id} fired on {hit.span!r}" if hit else ""
    else:
        assert hit is not None, "neither a rule nor the learned model flagged it"
        assert hit.reason.value == code, f"{hit.rule_id} gave {hit.reason.value} on {hit.span!r}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("建议加强对虚开增值税发票的打击。", id="object-of-a-crackdown"),
        pytest.param("建议处罚要求应聘者承诺不生育的行为。", id="short-noun-phrase"),
        pytest.param("对于强制企业订阅报刊、参加收费培训的行为，希望上级部门过问一下。", id="long-noun-phrase"),
        pytest.param("我觉得向企业收取检查费的做法不合理。", id="opinion-on-a-practice"),
    ],
)
def test_described_practice_is_not_a_proposal(rulebook, text: str) -> None:  # type: ignore[no-untyped-def]
    """A practice named as the object of a crackdown ("……的打击", "……的行为") is not proposed."""
    assert check_compliance(normalize_text(text), rulebook) is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("建议强制园区企业订阅本区出版的行业报刊用于宣传本区招商引资的做法。", id="purpose-then-practice-word"),
        pytest.param("建议强制园区企业订阅本区出版的行业报刊用于解决经费不足的问题。", id="purpose-then-problem"),
    ],
)
def test_a_purpose_before_a_practice_word_keeps_the_proposal(rulebook, text: str) -> None:  # type: ignore[no-untyped-def]
    """"……用于……的做法" gives the proposal's purpose; it does not describe a practice."""
    hit = check_compliance(normalize_text(text), rulebook)
    assert hit is not None and hit.reason is Reason.ILLEGAL_FEE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("个人认为，政府采购办公家具只买本区企业的产品。", Reason.UNFAIR_COMPETITION, id="personal-view"),
        pytest.param("我认为企业招工时不用签劳动合同，省得麻烦。", Reason.LABOR_RIGHTS, id="opinion"),
        pytest.param("招投标时给本地企业加5分，这样才能把税收留在本地。", Reason.UNFAIR_COMPETITION,
                     id="measure-then-its-gain"),
    ],
)
def test_an_opinion_or_a_measure_with_its_gain_is_a_proposal(
    rulebook, text: str, reason: Reason  # type: ignore[no-untyped-def]
) -> None:
    hit = check_compliance(normalize_text(text), rulebook)
    assert hit is not None and hit.reason is reason


@pytest.mark.parametrize(
    ("text", "unlawful"),
    [
        pytest.param("考证培训班火热招生，学费三千，包过！", True, id="advert"),
        pytest.param("本机构代办食品经营许可证，材料齐全保证下证，收费两千元。", True, id="agency-advert"),
        pytest.param("有意报考公务员的同学注意了，我们有内部面试题库，保过，报名费五千。", True, id="no-proposal-cue"),
        pytest.param("警惕所谓包过的考证培训，交了五千块钱什么也没学到。", False, id="warning"),
        pytest.param("不少考证机构打出保过的招牌，学费动辄上万，建议规范。", False, id="described-advert"),
        pytest.param("建议严禁培训机构以包过为噱头高价收费。", False, id="call-to-stop"),
        pytest.param("有家中介说交两万保证拿证，结果钱没了。", False, id="reported-offer"),
        pytest.param("在确保过程合规的前提下，建议简化收费项目，降低企业负担。", False, id="not-the-word"),
    ],
)
def test_a_pass_guarantee_for_money_is_unlawful_in_any_frame(
    rulebook, text: str, unlawful: bool  # type: ignore[no-untyped-def]
) -> None:
    hit = check_compliance(normalize_text(text), rulebook)
    assert (hit.reason if hit else None) is (Reason.ADVERTISING_OR_FRAUD if unlawful else None)


def test_a_purpose_clause_does_not_stop_the_proposal(rulebook) -> None:  # type: ignore[no-untyped-def]
    """防止/避免 in a purpose clause before the proposal does not make it a call to stop."""
    hit = check_compliance(normalize_text("为了防止员工跳槽，建议允许企业保管员工的身份证原件。"), rulebook)
    assert hit is not None and hit.reason is Reason.LABOR_RIGHTS
    assert check_compliance(normalize_text("建议严查，有的企业扣押员工身份证。"), rulebook) is None


class TestRulePattern:
    def test_a_bad_pattern_is_named_when_the_rulebook_loads(self) -> None:
        from goldideas.compliance import RulePattern

        with pytest.raises(ModelError, match=r"rule 3 \(FEE-09\): invalid pattern '收取\(费'"):
            RulePattern("收取(费", "rules.toml: rule 3 (FEE-09)")

    def test_a_variable_width_look_behind_is_named_too(self) -> None:
        """Only the compiler checks look-behind widths, so such a pattern is compiled at once."""
        from goldideas.compliance import RulePattern

        with pytest.raises(ModelError, match="look-behind requires fixed-width pattern"):
            RulePattern("(?<!不+)收费", "rules.toml: rule 1 (FEE-01)")

    def test_a_pattern_is_compiled_on_first_use_only(self) -> None:
        from goldideas.compliance import RulePattern

        pattern = RulePattern("强制.{0,6}捐款", "rules.toml: rule 1")
        assert pattern._compiled is None
        assert [m.group() for m in pattern.finditer("建议强制企业捐款")] == ["强制企业捐款"]
        assert pattern._compiled is not None


class TestRulebookIndex:
    """An index beside the rulebook spares every start the parsing of its patterns."""

    def test_the_shipped_index_is_current(self) -> None:
        """Fails after an edit of models/compliance.toml until `make rulebook-index` is run."""
        from goldideas.compliance import INDEX_FORMAT, _digest, rulebook_index_path

        path = model_path("compliance.toml")
        index = json.loads(rulebook_index_path(path).read_text(encoding="utf-8"))
        assert (index["format"], index["sha256"]) == (INDEX_FORMAT, _digest(path)), "run make rulebook-index"

    def test_an_indexed_load_equals_a_parsed_one(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        path = model_path("compliance.toml")
        bare = tmp_path / "compliance.toml"
        shutil.copy(path, bare)  # no index beside it: parsed
        indexed, parsed = load_rulebook(path), load_rulebook(bare)
        assert (indexed.triggers, indexed.always) == (parsed.triggers, parsed.always)

    def test_an_index_of_another_text_is_ignored(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        from goldideas.compliance import write_rulebook_index

        path = tmp_path / "rules.toml"
        path.write_text(RULE.format(id="FEE-09", pattern="收取.{0,4}检查费"), encoding="utf-8")
        write_rulebook_index(path)
        # another literal prefix: through the old index the new pattern would never be tried
        path.write_text(RULE.format(id="FEE-09", pattern="强收.{0,4}评审费"), encoding="utf-8")
        hit = check_compliance("建议对企业强收评审费", load_rulebook(path))
        assert hit is not None and hit.rule_id == "FEE-09"

    def test_a_bad_rulebook_gets_no_index(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        from goldideas.compliance import rulebook_index_path, write_rulebook_index

        path = tmp_path / "rules.toml"
        path.write_text(RULE.format(id="FEE-09", pattern="收取(检查费"), encoding="utf-8")
        with pytest.raises(ModelError, match=r"rule 1 \(FEE-09\): invalid pattern"):
            write_rulebook_index(path)
        assert not rulebook_index_path(path).exists()


RULE = """
[[rule]]
id = "{id}"
reason = "illegal_fee"
laws = ["《优化营商环境条例》"]
explanation = "乱收费。"
patterns = ["{pattern}"]
"""
