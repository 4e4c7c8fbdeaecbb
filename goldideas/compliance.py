"""Compliance: match a versioned, human-editable rulebook against each suggestion.

A rule fires on a proposal *to do* an unlawful thing, not on a proposal *to stop* it:
"建议对企业按次收取检查费" is a hit, "建议严查向企业收取检查费的行为" is not.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import re._constants as sre_constants  # the parser's opcodes: see _literal_prefixes
import re._parser as sre_parser
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import ModelError
from .io import read_toml
from .reasons import Reason, Status, reasons_for

_SENTENCE_END = re.compile(r"[。!?;！？；\n]")
_PROPOSAL_CUE = re.compile(
    r"建议|希望|能否|能不能|可否|恳请|请求|应该|应当|应|不妨|提议|呼吁|请|要求|最好|可以|允许|"
    r"就该|干脆|必须|要|提个|想法|思路|让|别|统统|以后|只准|一律|凡是|不就|怎么了|"
    # an opinion ("我觉得不用给保洁交社保"), "why not" ("倒不如……", "何不……"), or the gain the writer
    # expects from a bare statement of the measure ("给本地企业加5分，这样才能留住产业链")
    r"我觉得|我认为|个人认为|个人觉得|个人意见|依我看|在我看来|我主张|倡议|(有|提|出)个(办法|主意|点子)|我看(?!到|见|了)|"
    r"倒不如|不如(改|把|直接|就)|何不|索性|这样(才|就|也)能|这么做才|为好|为宜"
)
# "…说不交就停气", "…扬言谁不交就停水": the writer reports what someone else threatened
_REPORTED_SPEECH = re.compile(r"(说|称|扬言|威胁|声称|放话)[,:：]?[^。!?;,]{0,2}$")
# used with .match(text, pos): no "^", which would only ever match at position 0
_DESCRIBED_PRACTICE = re.compile(
    r"[^。!?;,]{0,8}?(现象|行为|做法|问题|情况|乱象|歪风|之类)|[^。!?;,]{0,8}?的(打击|查处|整治|监管|处罚|惩处|治理)"
    # a longer noun phrase ("强制企业订阅报刊、参加收费培训的行为") only before 的 + a word that
    # names a practice, and with no purpose or result in between ("……用于宣传招商引资的做法")
    r"|(?:(?!以便|以免|以此|用以|用来|为了|用于|解决|从而|确保|保证|防止|避免)[^。!?;,]){9,30}?的(?:行为|现象|做法|乱象|歪风)"
)
FRAMES = ("proposal", "content", "any")


class RulePattern:
    """A rule's regular expression: parsed when the rulebook loads, so that a bad pattern is
    named then, and compiled when a text first reaches it, so that a start-up that screens one
    idea (``goldideas triage``) compiles only the few patterns that idea can match.
    ``checked=True`` skips the parse: the pattern comes from a rulebook whose index says it was
    checked already (see :func:`write_rulebook_index`)."""

    __slots__ = ("_compiled", "_parsed", "pattern", "where")

    def __init__(self, pattern: str, where: str, checked: bool = False) -> None:
        self.pattern = pattern
        self.where = where
        self._compiled: re.Pattern[str] | None = None
        self._parsed: sre_parser.SubPattern | None = None
        if checked:
            return
        try:
            self._parsed = sre_parser.parse(pattern)
            if "(?<" in pattern:  # look-behind widths are checked by the compiler alone
                self._compiled = re.compile(pattern)
        except re.error as exc:
            raise self._invalid(exc) from exc

    def _invalid(self, exc: re.error) -> ModelError:
        return ModelError(f"{self.where}: invalid pattern {self.pattern!r} ({exc})")

    @property
    def parsed(self) -> sre_parser.SubPattern:
        if self._parsed is None:
            self._parsed = sre_parser.parse(self.pattern)
        return self._parsed

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern)
            except re.error as exc:  # only where an index vouched for a rulebook it did not check
                raise self._invalid(exc) from exc
        return self._compiled

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)


@dataclass(frozen=True)
class Rule:
    """One rule of the rulebook."""

    id: str
    reason: Reason
    laws: tuple[str, ...]
    explanation: str
    patterns: tuple[RulePattern, ...]
    requires: tuple[RulePattern, ...] = ()
    unless: tuple[str, ...] = ()
    frame: str = "proposal"


Candidate = tuple[int, int]
"""A pattern of the rulebook: (rule index, pattern index within the rule)."""


@dataclass(frozen=True)
class Rulebook:
    version: str
    rules: tuple[Rule, ...]
    stop_cues: tuple[str, ...]
    # a pattern is tried only on texts holding one of its literal prefixes (every match starts
    # with one), ``always``: patterns without any. The prefixes are filed by their first two
    # characters (one, for a prefix of one): gram → ((prefix, pattern), ...)
    triggers: dict[str, tuple[tuple[str, Candidate], ...]] | None = None
    always: tuple[Candidate, ...] = ()
    # [[learned]]: what a verdict of the learned model cites, one entry per reason (no patterns)
    learned: tuple[Rule, ...] = ()

    @cached_property
    def _gram_finders(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """Patterns whose findall gives the one-character grams of ``triggers`` in a text, and
        every two characters that start with the first character of a longer gram."""
        grams = self.triggers or {}
        singles = "".join(sorted(g for g in grams if len(g) == 1)) or "\x00"
        firsts = "".join(sorted({g[0] for g in grams if len(g) > 1})) or "\x00"
        return re.compile(f"[{re.escape(singles)}]"), re.compile(f"(?=([{re.escape(firsts)}].))", re.S)

    def candidates(self, text: str) -> list[tuple[Rule, list[RulePattern]]]:
        """The rules that can fire on ``text``, in rulebook order, each with the patterns that
        can match it, in rule order."""
        if self.triggers is None:
            return [(rule, list(rule.patterns)) for rule in self.rules]
        triggers = self.triggers
        singles, pairs = self._gram_finders
        chosen = set(self.always)
        for gram in {*singles.findall(text), *pairs.findall(text)}:
            for prefix, candidate in triggers.get(gram, ()):
                if len(prefix) <= 2 or prefix in text:
                    chosen.add(candidate)
        out: list[tuple[Rule, list[RulePattern]]] = []
        for r, p in sorted(chosen):
            rule = self.rules[r]
            if not out or out[-1][0] is not rule:
                out.append((rule, []))
            out[-1][1].append(rule.patterns[p])
        return out


_MAX_PREFIXES = 400


def _literal_prefixes(items: object) -> tuple[set[str], bool] | None:
    """Literal strings one of which every match of a parsed pattern starts with, and whether
    they cover the whole of it; None where a match can start with anything (soundness first:
    a rule is only skipped on a text that contains none of its prefixes)."""
    results = {""}
    for op, av in items:  # type: ignore[attr-defined]
        if op is sre_constants.LITERAL:
            parts: set[str] = {chr(av)}
            complete = True
        elif op is sre_constants.IN and all(o is sre_constants.LITERAL for o, _ in av) and len(av) <= 30:
            parts, complete = {chr(v) for _, v in av}, True
        elif op is sre_constants.SUBPATTERN:
            inner = _literal_prefixes(av[-1])
            if inner is None:
                break
            parts, complete = inner
        elif op is sre_constants.BRANCH:
            branches = [_literal_prefixes(b) for b in av[1]]
            if any(b is None for b in branches):
                break
            parts = set().union(*(b[0] for b in branches if b))
            complete = all(b[1] for b in branches if b)
        elif op is sre_constants.MAX_REPEAT and av[0] >= 1:
            inner = _literal_prefixes(av[2])
            if inner is None:
                break
            parts, complete = inner[0], False
        else:
            break
        if "" in parts or len(results) * len(parts) > _MAX_PREFIXES:
            break
        results = {r + q for r in results for q in parts}
        if not complete:
            return results, False
    else:
        return results, True
    return (results, False) if "" not in results else None


def _triggers(
    rules: Sequence[Rule],
) -> tuple[dict[str, tuple[tuple[str, Candidate], ...]], tuple[Candidate, ...]]:
    owners: dict[str, set[tuple[str, Candidate]]] = {}
    always = []
    for r, rule in enumerate(rules):
        for p, pattern in enumerate(rule.patterns):
            found = _literal_prefixes(pattern.parsed.data)
            if found is None:
                always.append((r, p))
                continue
            for prefix in found[0]:
                owners.setdefault(prefix[:2], set()).add((prefix, (r, p)))
    return {gram: tuple(sorted(owners[gram])) for gram in sorted(owners)}, tuple(always)


@dataclass(frozen=True)
class ComplianceHit:
    """A rule that fired, with the span of normalised text that made it fire."""

    rule_id: str
    reason: Reason
    laws: tuple[str, ...]
    explanation: str
    span: str
    start: int
    end: int
    confidence: float | None = None  # set where the learned model, not a pattern, gave the verdict

    @property
    def citation(self) -> str:
        """``"UC-02 《优化营商环境条例》、《反垄断法》"``."""
        return f"{self.rule_id} {'、'.join(self.laws)}"


def _parse_rule(raw: dict[str, object], where: str, checked: bool = False, learned: bool = False) -> Rule:
    for key in ("id", "reason", "laws", "explanation", *(() if learned else ("patterns",))):
        if key not in raw:
            raise ModelError(f"{where}: missing {key!r}")
    reason_code = str(raw["reason"])
    allowed = [r.value for r in reasons_for(Status.NON_COMPLIANT)]
    if reason_code not in allowed:
        raise ModelError(f"{where}: reason {reason_code!r} is not one of {', '.join(allowed)}")
    frame = str(raw.get("frame", "proposal"))
    if frame not in FRAMES:
        raise ModelError(f"{where}: frame must be one of {', '.join(FRAMES)}; got {frame!r}")

    def strings(key: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ModelError(f"{where}: {key} must be a list of strings")
        return value

    if (not learned and not strings("patterns")) or not strings("laws"):
        raise ModelError(f"{where}: patterns and laws must not be empty")
    return Rule(
        id=str(raw["id"]),
        reason=Reason(reason_code),
        laws=tuple(strings("laws")),
        explanation=str(raw["explanation"]),
        patterns=tuple(RulePattern(p, where, checked) for p in strings("patterns")),
        requires=tuple(RulePattern(p, where, checked) for p in strings("requires")),
        unless=tuple(strings("unless")),
        frame=frame,
    )


INDEX_FORMAT = "goldideas-rulebook-index/1"
Triggers = tuple[dict[str, tuple[tuple[str, Candidate], ...]], tuple[Candidate, ...]]


def rulebook_index_path(path: str | Path) -> Path:
    """Where the index of a rulebook lives: ``compliance.toml`` → ``compliance.index.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.index.json")


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # read_toml names the problem


def _read_index(path: Path, digest: str) -> Triggers | None:
    """The prefilter of the rulebook at ``path`` from its index, if the index was written for
    exactly this rulebook text; else None (the rulebook is parsed instead)."""
    try:
        data = json.loads(rulebook_index_path(path).read_text(encoding="utf-8"))
        if data["format"] != INDEX_FORMAT or data["sha256"] != digest or not digest:
            return None
        triggers = {g: tuple((p, (int(r), int(q))) for p, r, q in entries)
                    for g, entries in data["triggers"].items()}
        return triggers, tuple((int(r), int(q)) for r, q in data["always"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_rulebook(path: str | Path) -> Rulebook:
    """Read and validate a TOML rulebook; errors name the rule and the field. Where an index
    written for this very text lies beside it, its patterns are not parsed again (0.2 s saved
    at every start)."""
    path = Path(path)
    data = read_toml(path, "rulebook")
    indexed = _read_index(path, _digest(path))
    raw_rules = data.get("rule", [])
    if not raw_rules:
        raise ModelError(f"{path}: no [[rule]] entries")
    rules = []
    for index, raw in enumerate(raw_rules, start=1):
        rules.append(_parse_rule(raw, f"{path}: rule {index} ({raw.get('id', '?')})", indexed is not None))
    learned = tuple(_parse_rule(raw, f"{path}: learned {index} ({raw.get('id', '?')})", learned=True)
                    for index, raw in enumerate(data.get("learned", []), start=1))
    ids = [r.id for r in (*rules, *learned)]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ModelError(f"{path}: rule ids repeated: {', '.join(repeated)}")
    triggers, always = indexed or _triggers(rules)
    return Rulebook(
        version=str(data.get("version", "")),
        rules=tuple(rules),
        stop_cues=tuple(data.get("stop_cues", ())),
        triggers=triggers,
        always=always,
        learned=learned,
    )


def write_rulebook_index(path: str | Path) -> Path:
    """Check every pattern of the rulebook at ``path`` and write its prefilter beside it, so
    that later loads skip the parsing; the index names the rulebook text by its SHA-256 and is
    ignored once that text changes."""
    path = Path(path)
    digest = _digest(path)
    out = rulebook_index_path(path)
    out.unlink(missing_ok=True)  # check the text itself, not through an older index
    rulebook = load_rulebook(path)
    for rule in rulebook.rules:
        for pattern in (*rule.patterns, *rule.requires):
            pattern.compiled()
    entries = {g: [[p, r, q] for p, (r, q) in owners] for g, owners in (rulebook.triggers or {}).items()}
    index = {"format": INDEX_FORMAT, "sha256": digest, "triggers": entries,
             "always": [list(c) for c in rulebook.always]}
    out.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return out


class _Sentences:
    """Sentence boundaries of one text, found once and only when a pattern matched (a long
    text has thousands of them), and whether the text proposes anything at all."""

    def __init__(self, text: str, ends: re.Pattern[str] = _SENTENCE_END) -> None:
        self.text = text
        self._ends = ends

    @cached_property
    def ends(self) -> list[int]:
        return [m.start() for m in self._ends.finditer(self.text)]

    @cached_property
    def proposing(self) -> bool:
        return bool(_PROPOSAL_CUE.search(self.text))

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        ends = self.ends
        i = bisect.bisect_left(ends, start)
        left = ends[i - 1] + 1 if i else 0
        j = bisect.bisect_left(ends, end)
        right = ends[j] if j < len(ends) else len(self.text)
        return left, right


def _own_clause(before: str) -> str:
    """The part of ``before`` that governs the match: its own clause when that clause proposes
    something itself ("为了防止员工跳槽，建议允许企业保管身份证": 防止 belongs to the purpose
    clause, not to the proposal), else the whole of ``before`` ("建议严查，有的部门收取……")."""
    comma = before.rfind(",")
    if comma >= 0 and _PROPOSAL_CUE.search(before, comma + 1):
        return before[comma + 1 :]
    return before


def _is_stopped(
    sentences: _Sentences, start: int, end: int, stop_cues: Sequence[str], window: int, frame: str,
    cue_end: int | None = None,
) -> bool:
    """True where the match ``text[start:end]`` describes a practice the writer wants stopped,
    or only reports what someone else said or did (reported speech, or, in the proposal frame,
    no proposal cue in the whole text: content such as an advert is unlawful without one).
    Stop cues are looked for before ``start``, or up to ``cue_end`` where given."""
    text = sentences.text
    if frame == "proposal" and not sentences.proposing:
        return True
    if _REPORTED_SPEECH.search(text[max(0, start - 6) : start]):
        return True
    left, _ = sentences.bounds(start, end)
    before = _own_clause(text[max(left, start - window) : start if cue_end is None else cue_end])
    if any(cue in before for cue in stop_cues):
        return True
    return bool(_DESCRIBED_PRACTICE.match(text, end))


def _first_match(
    rule: Rule, patterns: Sequence[RulePattern], sentences: _Sentences, stop_cues: Sequence[str],
    window: int,
) -> re.Match[str] | None:
    text = sentences.text
    for pattern in patterns:
        for match in pattern.finditer(text):
            left, right = sentences.bounds(match.start(), match.end())
            if rule.unless and any(word in text[left:right] for word in rule.unless):
                continue
            if rule.frame != "any" and _is_stopped(
                sentences, match.start(), match.end(), stop_cues, window, rule.frame
            ):
                continue
            return match
    return None


def check_compliance(
    normalized: str, rulebook: Rulebook, window: int = 24
) -> ComplianceHit | None:
    """The first rule (in rulebook order) that fires on a normalised text, or None.

    A stop cue cancels a match when it stands within ``window`` characters before it, in the
    same sentence."""
    sentences = _Sentences(normalized)
    for rule, patterns in rulebook.candidates(normalized):
        if rule.requires and not all(p.search(normalized) for p in rule.requires):
            continue
        match = _first_match(rule, patterns, sentences, rulebook.stop_cues, window)
        if match is not None:
            return ComplianceHit(
                rule_id=rule.id,
                reason=rule.reason,
                laws=rule.laws,
                explanation=rule.explanation,
                span=match.group(0),
                start=match.start(),
                end=match.end(),
            )
    return None
