"""Quality: is there a concrete, actionable proposal? A rubric of features and a score.

Features: content words; specific words (not in the generic lexicon of slogans); a proposal cue;
numbers or time limits; business-environment vocabulary; off-topic vocabulary; repetition.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import QualityConfig
from .errors import ModelError
from .io import read_toml
from .reasons import Reason

_NUMBER = re.compile(r"\d+|[一二两三四五六七八九十百千万]+(个|天|日|周|月|年|小时|分钟|元|万|次|项|家|人|%)")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f\u0400-\u04ff]{2,}")
# Request forms of everyday speech that no fixed cue list covers: "请价格部门查一查" (not 申请,
# 请假, 请问 or an advert's 请联系), "盼纪检部门牵头", "不如派人常驻" (not 一年不如一年),
# "系统自己带出来多省事".
_REQUEST = re.compile(
    r"(?<![申邀聘宴提])请(?![假客柬帖问了过联])|盼|(?<![年天月代])不如|多省事|多好|就完了|就行了"
)
_TEST_WORDS = re.compile(r"测试|test|asdf|qwer|hello|试一试|试试")
_DOMAIN_HINT = re.compile(
    r"局|中心|窗口|大厅|政务|审批|办理|手续|许可|执照|企业|公司|工厂|园区|项目|商户|个体|政策|补贴|贷款|融资|"
    r"税|社保|公积金|热线|12345|营商|投资|招商|监管|执法|部门|政府|服务|办事|证|费|市场|就业|创业|"
    r"供暖|供电|供水|燃气|停车|公交|地铁|学校|医院|景区|旅游|环境|信用|法院|专利|登记|预约|申请|申报|缴|"
    r"检查|验收|窗口|app|网上|线上|审|批|补助|减免|工资|人才|户口|落户|银行|物流|电|水|气|暖|路"
)


@dataclass(frozen=True)
class Lexicons:
    generic: frozenset[str]
    proposal_cues: tuple[str, ...]
    off_topic: tuple[str, ...]
    objects: tuple[str, ...]
    complaint_cues: tuple[str, ...]
    _generic_cache: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _specific_cache: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _by_first: dict[str, tuple[frozenset[str], dict[str, tuple[str, ...]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def is_generic(self, word: str) -> bool:
        cached = self._generic_cache.get(word)
        if cached is None:
            cached = self._generic_cache[word] = is_generic(word, self.generic)
        return cached

    def not_generic(self, words: Sequence[str]) -> list[str]:
        """The words (in order, repeats kept) that are not generic."""
        cache = self._generic_cache
        for word in set(words).difference(cache):
            cache[word] = is_generic(word, self.generic)
        return list(itertools.filterfalse(cache.__getitem__, words))

    def specific(self, words: Sequence[str]) -> list[str]:
        """The words (in order, repeats kept) of two characters or more that are neither a
        number nor generic."""
        cache = self._specific_cache
        for word in set(words).difference(cache):
            cache[word] = len(word) >= 2 and not word.isdigit() and not self.is_generic(word)
        return list(filter(cache.__getitem__, words))

    def count(self, lexicon: str, text: str, stop: int, chars: frozenset[str] | None = None) -> int:
        """How many words of a lexicon ("objects" …) occur in ``text``, counting no further than
        ``stop``; only words whose first character is in the text (``chars``, when the caller
        has them) are looked for."""
        index = self._by_first.get(lexicon)
        if index is None:
            by_first = first_characters(getattr(self, lexicon))
            index = self._by_first[lexicon] = (frozenset(by_first), by_first)
        firsts, by_first = index
        found = _count(by_first[""], text, stop) if "" in by_first else 0
        for char in firsts & (chars if chars is not None else frozenset(text)):
            found += _count(by_first[char], text, stop - found)
            if found >= stop:
                return stop
        return found


def first_characters(words: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Words filed by their first character (an empty word, found in any text, under "")."""
    out: dict[str, list[str]] = {}
    for word in words:
        out.setdefault(word[:1], []).append(word)
    return {char: tuple(ws) for char, ws in out.items()}


def _count(words: Sequence[str], text: str, stop: int) -> int:
    """How many of ``words`` occur in ``text``, counting no further than ``stop``."""
    found = 0
    for word in words:
        if word in text:
            found += 1
            if found >= stop:
                break
    return found


def load_lexicons(path: str | Path) -> Lexicons:
    path = Path(path)
    data = read_toml(path, "lexicon")
    keys = ("generic", "proposal_cues", "off_topic", "objects", "complaint_cues")
    for key in keys:
        if not isinstance(data.get(key), list):
            raise ModelError(f"{path}: {key} must be a list of words")
    return Lexicons(
        generic=frozenset(data["generic"]),
        proposal_cues=tuple(data["proposal_cues"]),
        off_topic=tuple(data["off_topic"]),
        objects=tuple(data["objects"]),
        complaint_cues=tuple(data["complaint_cues"]),
    )


@dataclass(frozen=True)
class QualityFeatures:
    content_chars: int
    content_words: int
    specific_words: int
    specific_ratio: float
    has_proposal: bool
    complaint_tone: bool
    objects: int
    has_number: bool
    domain_hits: int
    off_topic_hits: int
    repeat_ratio: float
    cjk_ratio: float
    latin_words: int
    blank: bool


@dataclass(frozen=True)
class QualityResult:
    score: float
    reason: Reason | None
    features: QualityFeatures
    note: str = ""  # a detail for the explanation, in Chinese


def is_generic(word: str, generic: frozenset[str]) -> bool:
    """In the generic lexicon, or two generic words run together ("服务水平" = 服务 + 水平)."""
    if word in generic:
        return True
    return any(word[:i] in generic and word[i:] in generic for i in range(1, len(word)))


def extract_features(key: str, words: Sequence[str], lex: Lexicons, text: str = "") -> QualityFeatures:
    """Features of one row from its content key (no punctuation), content words and content."""
    n = len(key)
    chars = frozenset(key)
    # one-character words (钱, 跑, 查) are everyday speech, neither slogan nor specific: the ratio
    # counts distinct words of two or more characters only
    longer = {w for w in words if len(w) >= 2 and not w.isdigit()}
    specific = set(lex.specific(words))
    return QualityFeatures(
        content_chars=n,
        content_words=len(words),
        specific_words=len(specific),
        specific_ratio=len(specific) / len(longer) if longer else 0.0,
        has_proposal=lex.count("proposal_cues", key, chars=chars, stop=1) > 0
        or bool(_REQUEST.search(text or key)),
        complaint_tone=lex.count("complaint_cues", text, 1) > 0,
        objects=lex.count("objects", key, chars=chars, stop=2),  # the rubric only asks: none, one, or several
        has_number=bool(_NUMBER.search(key)),
        domain_hits=len(set(_DOMAIN_HINT.findall(key))),
        off_topic_hits=lex.count("off_topic", key, chars=chars, stop=1),
        repeat_ratio=1 - len(chars) / n if n else 1.0,
        cjk_ratio=len(_NOT_CJK.sub("", key)) / n if n else 0.0,
        latin_words=len(_LATIN_WORD.findall(text)),
        blank=not text.strip() and not key,
    )


def quality_score(f: QualityFeatures) -> float:
    """0 (nothing to act on) … 1 (a concrete, detailed proposal)."""
    specificity = min(f.specific_words / 6, 1.0)
    score = 0.3 * specificity + 0.1 * min(f.content_chars / 60, 1.0) + 0.25 * min(f.objects / 2, 1.0)
    score += 0.2 * (f.has_proposal or not f.complaint_tone) + 0.1 * f.has_number
    score += 0.05 * min(f.domain_hits / 2, 1.0)
    return round(min(score, 1.0), 3)


def assess_quality(f: QualityFeatures, key: str, config: QualityConfig) -> QualityResult:
    """The too-simple reason of a row, or None when it carries a concrete proposal."""
    score = quality_score(f)
    reason: Reason | None = None
    note = ""
    if f.blank:
        reason, note = Reason.TOO_SHORT, "内容为空"
    elif f.cjk_ratio < 0.3 and f.latin_words >= 3:
        reason, note = Reason.OFF_TOPIC, "不是中文，无法按营商环境建议筛选"
    elif (
        f.content_chars == 0
        or (_TEST_WORDS.search(key) and f.content_chars < 3 * len(_TEST_WORDS.findall(key)[0]) + 4)
        or (f.content_chars >= 3 and f.repeat_ratio > config.max_repeat_ratio and f.specific_words < 2)
        or (f.cjk_ratio < 0.3 and f.specific_words == 0)
    ):
        reason = Reason.GIBBERISH
    elif f.content_chars < config.min_chars or f.content_words < config.min_content_words:
        reason = Reason.TOO_SHORT
    elif (f.off_topic_hits and f.domain_hits <= 1) or (f.domain_hits == 0 and not f.has_proposal):
        reason = Reason.OFF_TOPIC
    elif not f.has_proposal and (f.complaint_tone or f.content_chars > config.long_text_chars):
        reason = Reason.NO_PROPOSAL
    elif (
        (f.objects == 0 and f.specific_words < config.rich_specific_words)
        or (f.objects < 2 and f.specific_ratio < config.min_specific_ratio)
        or f.specific_words < config.min_specific_words
        or score < config.keep_threshold
    ):
        reason = Reason.VAGUE_SLOGAN
    return QualityResult(score=score, reason=reason, features=f, note=note)
