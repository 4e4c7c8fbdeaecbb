"""Quality: is there a concrete, actionable proposal? A rubric of features and a score.

Features: content words; specific words (not in the generic lexicon of slogans); a proposal cue
or request form ("能…吗", "…吧"); concrete objects and measures (an action like 开通 or a quantity
like 三个工作日); complaint tone; an account of what happened; numbers; business-environment
vocabulary; off-topic vocabulary; repetition.
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
# Request forms of everyday speech that no fixed cue list covers, each tried only where one of
# its characters occurs: "请价格部门查一查" (not 申请, 请假, 请问 or an advert's 请联系),
# "盼纪检部门牵头", "不如派人常驻" (not 一年不如一年), "系统自己带出来多省事".
_REQUESTS = (
    ("请盼如省好完行", re.compile(
        r"(?<![申邀聘宴提])请(?![假客柬帖问了过联])|盼|(?<![年天月代])不如|多省事|多好|就完了|就行了"
    )),
    # a question that asks for a measure: "能先给供应商打三成钱吗", "有没有办法让…", "怎么不考虑
    # 把…" (not an exasperated "到底能…吗" or a "为什么不理我" that only complains)
    ("吗有何行", re.compile(r"(?<![到竟])能[^，。！？,.!?;；]{1,16}吗|有没有(?:可能|办法)|何不|行不行")),
    ("么啥咋", re.compile(
        r"(?:为什么|为啥|怎么|咋)不(?:把|让|给|在|能|设|建|开|增|改|搞|考虑|试|统一|直接|干脆)"
    )),
    # a clause closed by an imperative 吧: "装几盏灯吧" (not 好吧, 是吧, 太过分了吧, 也许吧)
    ("吧", re.compile(r"(?<![了是对好行会算罢能许])吧(?=[，。！？,.!?;；]|$)")),
    # "should" and "don't": "该打个电话问问我本人", "充电桩应同步建设", "手续别那么慢了" (not 该公司,
    # 该怎么办, 供应, 应聘, 有求必应; 特别, 分别, a story's "别计较")
    ("该", re.compile(
        r"(?:^|[，。！？；：,.!?;:\s])(?:也|就|早)?该(?![怎咋死不是有多公企项单部局院名人条款])"
    )),
    ("应", re.compile(r"(?<![相反供适响回对答感效顺呼报本必])应(?![聘急用付届收诉对有该当])")),
    ("别", re.compile(
        r"(?<![特分区级类个识告差性辨鉴派])别(?:再|让|光|老|总|那么|这么|太|搞|把|叫|一味|只)"
    )),
)
# A cue word in a use that asks for nothing: 希望 as a noun ("看不到希望", "没希望了"), 能不能 of
# an exasperated question ("到底能不能拿到").
_NOT_A_REQUEST = re.compile(
    r"(?:没有?|不抱|看不到|失去|哪有|有什么)(?:什么)?希望|希望(?:渺茫|落空|破灭)|(?:到底|究竟)(?:能不能|能否|可不可以)"
)
# A quantity that makes a measure concrete: a figure, or a time, money or share in words
# ("三个工作日", "两成", "一天办结"); not a count of things like 一项, 三点, 一个.
_QUANTITY = re.compile(
    r"\d|[一二两三四五六七八九十百半]+(?:个)?(?:工作日|小时|分钟|天(?!天)|日|周|月(?!月)|年(?!年)|元|块钱|成|倍|%)"
)
# A report of what happened ("还没发下来", "跑了三趟"): without a cue, an account, not a proposal.
_NARRATIVE = re.compile(r"(?<![为除])了(?!解)|还没|已经")
# The tone of a complaint that no word list covers: "太折磨人了", "太早了".
_EXCLAIM = re.compile(r"太[^，。！？,.!?;；]{1,4}了")
_TEST_WORDS = re.compile(r"测试|test|asdf|qwer|hello|试一试|试试")
_DOMAIN_HINT = re.compile(
    r"局|中心|窗口|大厅|政务|审批|办理|手续|许可|执照|企业|公司|工厂|园区|项目|商户|个体|政策|补贴|贷款|融资|"
    r"税|社保|公积金|热线|12345|营商|投资|招商|监管|执法|部门|政府|服务|办事|证|费|市场|就业|创业|"
    r"供暖|供电|供水|燃气|停车|公交|地铁|学校|医院|景区|旅游|环境|信用|法院|专利|登记|预约|申请|申报|缴|"
    r"检查|验收|窗口|app|网上|线上|审|批|补助|减免|工资|人才|户口|落户|银行|物流|电|水|气|暖|路|"
    # the everyday words of running a business, and travel documents
    r"店|老板|员工|招工|房租|租金|成本|订单|客户|回款|护照|签证"
)


@dataclass(frozen=True)
class Lexicons:
    generic: frozenset[str]
    proposal_cues: tuple[str, ...]
    off_topic: tuple[str, ...]
    objects: tuple[str, ...]
    complaint_cues: tuple[str, ...]
    measures: tuple[str, ...] = ()
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
    if not isinstance(data.get("measures", []), list):
        raise ModelError(f"{path}: measures must be a list of words")
    return Lexicons(
        generic=frozenset(data["generic"]),
        proposal_cues=tuple(data["proposal_cues"]),
        off_topic=tuple(data["off_topic"]),
        objects=tuple(data["objects"]),
        complaint_cues=tuple(data["complaint_cues"]),
        measures=tuple(data.get("measures", [])),
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
    # names a concrete action (开通, 延长, 纳入 …) or a quantity (三个工作日); None: not looked
    # for, as it changes nothing beside a cue and two objects
    has_measure: bool | None
    narrative: bool | None  # tells what happened (了, 还没, 已经); None: a cue, not looked for
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
    proposal = has_proposal(key, text, lex, chars)
    objects = lex.count("objects", key, chars=chars, stop=2)  # the rubric only asks: none, one, or several
    return QualityFeatures(
        content_chars=n,
        content_words=len(words),
        specific_words=len(specific),
        specific_ratio=len(specific) / len(longer) if longer else 0.0,
        has_proposal=proposal,
        complaint_tone=lex.count("complaint_cues", text, 1) > 0 or bool(_EXCLAIM.search(text)),
        objects=objects,
        has_measure=has_measure(key, lex, chars) if objects < 2 or not proposal else None,
        narrative=bool(_NARRATIVE.search(key)) if not proposal else None,
        has_number=bool(_NUMBER.search(key)),
        domain_hits=len(set(_DOMAIN_HINT.findall(key))),
        off_topic_hits=off_topic_hits(key, words, lex, chars),
        repeat_ratio=1 - len(chars) / n if n else 1.0,
        cjk_ratio=len(_NOT_CJK.sub("", key)) / n if n else 0.0,
        latin_words=len(_LATIN_WORD.findall(text)),
        blank=not text.strip() and not key,
    )


def has_measure(key: str, lex: Lexicons, chars: frozenset[str]) -> bool:
    """Names a concrete action ("开通", "纳入") or a quantity ("三个工作日", "两成")."""
    return bool(_QUANTITY.search(key)) or lex.count("measures", key, chars=chars, stop=1) > 0


def off_topic_hits(key: str, words: Sequence[str], lex: Lexicons, chars: frozenset[str]) -> int:
    """Whether a word of everyday life outside public services occurs (0 or 1): not one that only
    runs across two words (作业 in 工作业绩) or sits inside a service's name (婚姻 in 婚姻登记处)."""
    if not lex.count("off_topic", key, chars=chars, stop=1):
        return 0
    return lex.count("off_topic", _off_topic_scope(key, words, lex), stop=1)


def _off_topic_scope(key: str, words: Sequence[str], lex: Lexicons) -> str:
    """``key`` with a break between adjacent words and without the words that name an object
    of the objects lexicon and more (婚姻登记, 宠物医院); runs only on the few texts with a hit."""
    parts: list[str] = []
    pos = end = 0
    for word in words:
        start = key.find(word, pos)
        if start < 0:
            continue
        parts.append(key[end:start] if start > end else "|")
        # an object of two characters or more: 电 is in 电视剧 too
        named = len(word) > 2 and any(len(o) > 1 and o in word for o in lex.objects)
        parts.append("|" if named else word)
        pos = end = start + len(word)
    parts.append(key[end:])
    return "".join(parts)


def has_proposal(key: str, text: str, lex: Lexicons, chars: frozenset[str]) -> bool:
    """A proposal cue ("建议", "能否") or a request form ("请…", "能…吗", "…吧") asks for something;
    a cue word that asks for nothing ("看不到希望", "到底能不能") does not count."""
    if ("希望" in key or "到底" in key or "究竟" in key) and _NOT_A_REQUEST.search(key):
        # matched in the text, whose punctuation keeps "没有，希望…" a request
        for phrase in set(_NOT_A_REQUEST.findall(text or key)):
            key = key.replace(phrase, "")
        text = _NOT_A_REQUEST.sub("", text)
    if lex.count("proposal_cues", key, chars=chars, stop=1):
        return True
    text = text or key
    return any(
        any(char in text for char in trigger) and pattern.search(text) for trigger, pattern in _REQUESTS
    )


def quality_score(f: QualityFeatures) -> float:
    """0 (nothing to act on) … 1 (a concrete, detailed proposal)."""
    specificity = min(f.specific_words / 6, 1.0)
    # the two halves of a concrete proposal: what it is about and what should be done
    concrete = min((f.objects + bool(f.has_measure)) / 2, 1.0)
    score = 0.3 * specificity + 0.1 * min(f.content_chars / 60, 1.0) + 0.25 * concrete
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
        (f.objects == 0 and not f.has_measure and f.specific_words < config.rich_specific_words)
        or (f.objects < 2 and f.specific_ratio < config.min_specific_ratio)
        or f.specific_words < config.min_specific_words
        or score < config.keep_threshold
    ):
        reason = Reason.VAGUE_SLOGAN
    elif not f.has_proposal and (f.narrative or not f.has_measure):
        # no cue: only a headline that names its measure ("夜市摊位费按月公示") proposes something
        reason = Reason.NO_PROPOSAL
    return QualityResult(score=score, reason=reason, features=f, note=note)
