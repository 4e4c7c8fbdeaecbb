"""The one catalogue of statuses, reason codes and themes (see screening-policy.md).

Each code carries a Chinese and an English message; the same codes appear in the data, the
report, the CLI and the README.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A row's verdict. Checked in this order; the first match wins."""

    DUPLICATE = "duplicate"
    NON_COMPLIANT = "non_compliant"
    TOO_SIMPLE = "too_simple"
    KEPT = "kept"

    @property
    def zh(self) -> str:
        return _STATUS_ZH[self]


_STATUS_ZH = {
    Status.DUPLICATE: "重复",
    Status.NON_COMPLIANT: "不符合相关法律法规",
    Status.TOO_SIMPLE: "过于简单",
    Status.KEPT: "保留",
}


class Reason(StrEnum):
    """Why a row is not kept. Each belongs to exactly one status."""

    EXACT_DUPLICATE = "exact_duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    PARAPHRASE = "paraphrase"
    UNFAIR_COMPETITION = "unfair_competition"
    ILLEGAL_FEE = "illegal_fee"
    SKIP_LEGAL_PROCEDURE = "skip_legal_procedure"
    PRIVACY = "privacy"
    LABOR_RIGHTS = "labor_rights"
    TAX_EVASION = "tax_evasion"
    ILLEGAL_COERCION = "illegal_coercion"
    DEFAMATION_OR_ABUSE = "defamation_or_abuse"
    ADVERTISING_OR_FRAUD = "advertising_or_fraud"
    TOO_SHORT = "too_short"
    VAGUE_SLOGAN = "vague_slogan"
    NO_PROPOSAL = "no_proposal"
    GIBBERISH = "gibberish"
    OFF_TOPIC = "off_topic"

    @property
    def status(self) -> Status:
        return _REASON_INFO[self][0]

    @property
    def zh(self) -> str:
        return _REASON_INFO[self][1]

    @property
    def en(self) -> str:
        return _REASON_INFO[self][2]


_D, _N, _T = Status.DUPLICATE, Status.NON_COMPLIANT, Status.TOO_SIMPLE
_REASON_INFO: dict[Reason, tuple[Status, str, str]] = {
    Reason.EXACT_DUPLICATE: (_D, "与已保留建议完全相同", "identical to a kept suggestion"),
    Reason.NEAR_DUPLICATE: (_D, "与已保留建议仅有细微差别", "a light edit of a kept suggestion"),
    Reason.PARAPHRASE: (_D, "换一种说法提出了相同措施", "the same measure, worded differently"),
    Reason.UNFAIR_COMPETITION: (_N, "地方保护或对市场主体差别对待", "local protectionism, unequal treatment"),
    Reason.ILLEGAL_FEE: (_N, "乱收费、乱摊派", "arbitrary fees or levies"),
    Reason.SKIP_LEGAL_PROCEDURE: (_N, "跳过法定程序", "skips a legally required procedure"),
    Reason.PRIVACY: (_N, "公开或交易个人信息", "publishes or trades personal information"),
    Reason.LABOR_RIGHTS: (_N, "损害劳动者合法权益", "cuts workers' legal rights"),
    Reason.TAX_EVASION: (_N, "逃避税收", "tax evasion"),
    Reason.ILLEGAL_COERCION: (_N, "无法律依据的强制措施", "coercion without legal basis"),
    Reason.DEFAMATION_OR_ABUSE: (_N, "辱骂、诽谤或威胁他人", "insults, defamation or threats"),
    Reason.ADVERTISING_OR_FRAUD: (_N, "广告或诈骗信息", "advertising or fraud"),
    Reason.TOO_SHORT: (_T, "内容过短", "almost no content"),
    Reason.VAGUE_SLOGAN: (_T, "泛泛而谈，没有具体对象和措施", "a slogan with no object or measure"),
    Reason.NO_PROPOSAL: (_T, "只有诉求或情绪，没有提出措施", "a complaint with no proposed measure"),
    Reason.GIBBERISH: (_T, "测试或无意义输入", "test input or gibberish"),
    Reason.OFF_TOPIC: (_T, "与营商环境和公共服务无关", "not about the business environment"),
}


class Theme(StrEnum):
    """The six areas staff report on."""

    GOV_SERVICES = "gov_services"
    INVESTMENT_OPENNESS = "investment_openness"
    FACTOR_SUPPLY = "factor_supply"
    INNOVATION_ENTREPRENEURSHIP = "innovation_entrepreneurship"
    RULE_OF_LAW_CREDIT = "rule_of_law_credit"
    LIVABILITY_CULTURE = "livability_culture"

    @property
    def zh(self) -> str:
        return _THEME_ZH[self]


_THEME_ZH = {
    Theme.GOV_SERVICES: "政务服务环境",
    Theme.INVESTMENT_OPENNESS: "投资开放环境",
    Theme.FACTOR_SUPPLY: "要素供给环境",
    Theme.INNOVATION_ENTREPRENEURSHIP: "创新创业环境",
    Theme.RULE_OF_LAW_CREDIT: "诚信法治环境",
    Theme.LIVABILITY_CULTURE: "人文生态环境",
}


def reasons_for(status: Status) -> list[Reason]:
    """The reason codes that may explain a status, in catalogue order."""
    return [r for r in Reason if r.status is status]
