"""Normalise text for comparison, set boilerplate aside, and mask contact details.

The original text is never altered: these functions return new strings used for comparison
(``normalize_text``, ``strip_boilerplate``, ``content_key``) or for display (``redact``).
"""

from __future__ import annotations

import html
import re
import re._parser as sre_parser  # a pattern's width: see _AtEnd
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

_WHITESPACE = re.compile(r"\s+")
_HTML_TAG = re.compile(r"<[^<>]{0,200}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab and newline
_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_REDACTABLE = re.compile(r"[\d@]")  # every phone, ID-card number and e-mail holds one

# Greetings at the start: 尊敬的领导：您好！ / 营商局的同志们好 / 各位领导好 / 你好
_GREETING = re.compile(
    r"^(?:(?:尊敬的|敬爱的|亲爱的)[^，,：:！!。\n]{0,14}[，,：:！!。]?\s*)?"
    r"(?:[^，,：:！!。\n]{0,10}?(?:领导|同志|负责人|工作人员)(?:们)?(?:您|你)?好|(?:您|你)们?好|大家好)?"
    r"[，,：:！!。\s]*"
)
# Contact details anywhere: 联系电话：139…, 邮箱 a@b.cn, 微信号 xxx
_CONTACT = re.compile(
    r"(?:我的)?(?:联系(?:人|电话|方式)?|电话|手机(?:号码?)?|邮箱|电子邮箱|微信(?:号)?|qq|QQ)"
    r"\s*(?:是|为)?[：:]?\s*[A-Za-z0-9@._\-*+ ]{5,}"
)


class _AtEnd:
    """A pattern that matches only at the end of a text: ``body``, then any run of ``trail``
    characters (a character class), then the end.

    ``search`` starts where a match can start at the earliest: the body's longest width before
    the trailing run. A search from the start would try the body at every character, half of
    a text's normalisation; the answer is the same.
    """

    def __init__(self, body: str, trail: str = "") -> None:
        self.pattern = re.compile(f"(?:{body}){trail}*$" if trail else f"(?:{body})$")
        self._trail = re.compile(f"{trail}+") if trail else None
        # the body's width in a text where no two whitespace characters follow each other
        # (there each ``\s*`` matches one at most); None where even then it is unbounded
        width = sre_parser.parse(body.replace(r"\s*", r"\s?")).getwidth()[1]
        self._reach: int | None = width if width < sre_parser.MAXREPEAT else None

    def search(self, text: str, compact: bool = False) -> re.Match[str] | None:
        """``pattern.search(text)``; ``compact``: no two whitespace characters follow each
        other in ``text`` (unless it is known, the whole text is searched)."""
        if not compact or self._reach is None or text.endswith("\n"):
            return self.pattern.search(text)  # where ``$`` or ``\s*`` could reach further
        return self.pattern.search(text, max(len(text) - self._run(text) - self._reach, 0))

    def _run(self, text: str) -> int:
        """The length of the run of ``trail`` characters that ends the text."""
        if self._trail is None:
            return 0
        run = self._trail.match(text[:-65:-1])  # the last 64 characters, backwards
        if run is not None and run.end() == 64:  # a long run: measure all of it
            run = self._trail.match(text[::-1])
        return run.end() if run is not None else 0

    def cut(self, text: str, compact: bool = False) -> str:
        """The text without its match (``pattern.sub("", text)``: one match at most)."""
        found = self.search(text, compact)
        if found is None:
            return text
        return text[: found.start()] + text[found.end() :]


_WHITESPACE_PAIR = re.compile(r"\s\s")
# Closings at the end: 此致敬礼 / 谢谢！ / 辛苦了
_CLOSING = _AtEnd(
    r"此致\s*敬礼|此致|敬礼|(?:非常|十分)?(?:感谢|谢谢)(?:您|你们|领导)?(?:的)?(?:关注|支持|阅读)?"
    r"|辛苦了|盼复|望采纳|期待回复",
    r"[！!。.，,\s]",
)
# Signatures at the end: ——铁西区一位个体户 / 王女士 / 一名市民 2020年12月3日
_SIGNATURE_DASH = re.compile(r"(?:——|—|--|－－)[^。！？!?\n]{0,30}$")
_SIGNATURE_TAIL = _AtEnd(
    r"[，,。！!？?\s]\s*(?:[^，,。！!？?\s]{0,12}"
    r"(?:先生|女士|市民|群众|居民|个体户|业主|老板|职工|企业主|网友|一员|读者|老师|同志))",
    r"[\s\d年月日./-]",
)
# A last line or sentence that only says who wrote: 一名上班族 / 于洪区食品厂 / 个体户老孙 / 皇姑区
_SIGNER_LINE = _AtEnd(
    r"(?<=[。！!？?\n ])(?:(?:一名|一位|一个|某|联系人)[^。！!？?\n]{0,20}"
    r"|[^。！!？?\n]{0,20}(?:先生|女士|小姐|经理|厂长|会计|行政|人员|办公室|部|从业者|工作者|毕业生|"
    r"大学生|上班族|业务员|个体户|商户|市民|群众|居民|业主|老板|职工|员工|企业主|网友|创业者|老师|"
    r"同志|负责人|代表|区|县|街道|社区|公司|企业|厂|老[\u4e00-\u9fff]))",
    r"[\s\d年月日./-]",
)
# A signature in brackets at the very end: （大东区一名社区工作者） / (联系人:孙经理,电话…)
_SIGNER_BRACKETS = re.compile(r"[（(][^（()）]{1,30}[)）]\s*$")
_PROPOSAL_WORDS = re.compile(r"建议|希望|能否|能不能|恳请|请求|应该|应当|可以|要求|呼吁")
# Literals one of which every match of _CONTACT, _PHONE, _EMAIL holds: a text without any
# is not searched
_CONTACT_WORDS = ("联系", "电话", "手机", "邮箱", "微信", "qq", "QQ")
# Full-width forms and the ideographic space, replaced by their compatibility decomposition
# before NFKC (which gives the same result): most texts are then already NFKC, which Python
# checks far faster than it normalises
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_FORMS = {chr(c): unicodedata.normalize("NFKD", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    """NFKC (full width → half width), traditional → simplified, one space per run.

    >>> normalize_text("建議ＡＰＰ　開通  預約")
    '建议app 开通 预约'
    """
    text = str(text)
    if "<" in text or "&" in text:  # pasted from a web form: tags and entities are not content
        text = html.unescape(_HTML_TAG.sub(" ", text))
    text = _nfkc(text)
    text = _CONTROL.sub("", text)
    text = _t2s().convert(text)
    return _WHITESPACE.sub(" ", text).strip().lower()


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster for the usual Chinese text."""
    for char in set(_WIDE.findall(text)):
        text = text.replace(char, _WIDE_FORMS[char])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def strip_boilerplate(normalized: str) -> str:
    """Set aside greetings, closings, signatures and contact details of a normalised text."""
    text = normalized
    if any(word in text for word in _CONTACT_WORDS):
        text = _CONTACT.sub("", text)
    if "@" in text:
        text = _EMAIL.sub("", text)
    if "1" in text:
        text = _PHONE.sub("", text)
    text = _GREETING.sub("", text, count=1)
    # the loop only cuts texts short, which leaves no two whitespace characters side by side
    compact = _WHITESPACE_PAIR.search(text) is None
    for _ in range(3):  # a closing may follow a signature and the other way round
        before = text
        text = _CLOSING.cut(text.rstrip(), compact)
        text = _SIGNATURE_DASH.sub("", text.rstrip())
        text = _SIGNATURE_TAIL.cut(text.rstrip(), compact)
        bracket = _SIGNER_BRACKETS.search(text)
        if bracket and not _PROPOSAL_WORDS.search(bracket.group(0)):
            text = text[: bracket.start()]
        signer = _SIGNER_LINE.search(text.rstrip(), compact)
        if signer and not _PROPOSAL_WORDS.search(signer.group(0)):
            text = text.rstrip()[: signer.start()]
        if text == before:
            break
    return text.strip(" ，,、；;：:")


def content_key(content: str) -> str:
    """The content with all punctuation and spaces removed: equal keys are exact duplicates."""
    return _PUNCT_OR_SPACE.sub("", content)


def redact(text: str) -> str:
    """Mask phone numbers, ID-card numbers and e-mail addresses; keep everything else.

    >>> redact("电话13904051234")
    '电话139****1234'
    """
    text = str(text)
    if not _REDACTABLE.search(text):
        return text
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 11 + m.group(3)[-1], text)
    if "1" in text:  # each pattern runs only on a text holding its literal
        text = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    if "0" in text:
        text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)[-4:]}", text)
    if "@" not in text:
        return text
    return _EMAIL.sub(lambda m: m.group(0)[0] + "***@" + m.group(0).split("@")[1], text)


@dataclass(frozen=True)
class Normalized:
    """One row's comparison forms."""

    normalized: str
    content: str
    key: str

    @property
    def content_chars(self) -> int:
        """How much content the row carries: its letters, digits and CJK characters."""
        return len(self.key)


def normalize(text: str) -> Normalized:
    """All comparison forms of one text."""
    norm = normalize_text(text)
    content = strip_boilerplate(norm)
    if content == norm:  # one string where nothing was set aside: smaller in memory and pickles
        content = norm
    return Normalized(normalized=norm, content=content, key=content_key(content))
