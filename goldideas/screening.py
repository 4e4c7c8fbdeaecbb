"""The front door: ``screen(data, config) -> Screening``, one verdict per input row."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .compliance import ComplianceHit, Rulebook, check_compliance, load_rulebook
from .config import Config
from .dedup import DuplicateLink, Row, find_duplicates
from .errors import InputError
from .io import model_path, read_suggestions, to_suggestions
from .normalize import normalize, redact
from .quality import (
    Lexicons,
    QualityResult,
    assess_quality,
    extract_features,
    is_generic,
    load_lexicons,
)
from .reasons import Reason, Status
from .segment import Tokenizer

COLUMNS = [
    "id", "text", "status", "reasons", "duplicate_of", "group_id", "group_size", "similarity",
    "quality_score", "compliance_rule", "explanation", "text_redacted",
]


@dataclass(frozen=True)
class Verdict:
    """One row's screening result."""

    id: str
    text: str
    status: Status
    reasons: tuple[Reason, ...]
    duplicate_of: str
    group_id: str
    group_size: int
    similarity: float | None
    quality_score: float
    compliance_rule: str
    explanation: str
    text_redacted: str


@dataclass(frozen=True)
class Screening:
    """Immutable result of a screening run: a verdict per input row, in input order."""

    verdicts: tuple[Verdict, ...]
    config: Config

    def __len__(self) -> int:
        return len(self.verdicts)

    def to_frame(self) -> pd.DataFrame:
        """One row per input row, in input order, with the columns in ``COLUMNS``."""
        records = [
            {
                "id": v.id, "text": v.text, "status": v.status.value,
                "reasons": ";".join(r.value for r in v.reasons), "duplicate_of": v.duplicate_of,
                "group_id": v.group_id, "group_size": v.group_size, "similarity": v.similarity,
                "quality_score": v.quality_score, "compliance_rule": v.compliance_rule,
                "explanation": v.explanation, "text_redacted": v.text_redacted,
            }
            for v in self.verdicts
        ]
        return pd.DataFrame.from_records(records, columns=COLUMNS)

    def summary(self) -> dict[str, int]:
        """The funnel: rows → after dedup → after compliance → after quality (= kept)."""
        counts = Counter(v.status for v in self.verdicts)
        after_dedup = len(self.verdicts) - counts[Status.DUPLICATE]
        after_compliance = after_dedup - counts[Status.NON_COMPLIANT]
        return {
            "rows": len(self.verdicts),
            "after_dedup": after_dedup,
            "after_compliance": after_compliance,
            "after_quality": after_compliance - counts[Status.TOO_SIMPLE],
            "kept": counts[Status.KEPT],
        }


@lru_cache(maxsize=4)
def _tokenizer(backend: str, userdict: str, stopwords: str) -> Tokenizer:
    return Tokenizer(userdict or None, stopwords or None, backend=backend)


@lru_cache(maxsize=4)
def _rulebook(path: str) -> Rulebook:
    return load_rulebook(path or model_path("compliance.toml"))


@lru_cache(maxsize=4)
def _lexicons(path: str) -> Lexicons:
    return load_lexicons(path or model_path("quality.toml"))


def _as_frame(data: pd.DataFrame | str | Path | Iterable[str]) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return to_suggestions(data, source="DataFrame")
    if isinstance(data, str | Path):
        return read_suggestions(data)
    texts = [str(t) for t in data]
    return to_suggestions(pd.DataFrame({"text": texts}), source="texts")


_NUMERIC_ID = re.compile(r"(\d+)")


def _natural(identifier: str) -> str:
    return _NUMERIC_ID.sub(lambda m: m.group(1).zfill(12), identifier)


def _measures(tok: Tokenizer, content: str, lexicons: Lexicons) -> frozenset[str]:
    return frozenset(
        w for w in tok.verbs(content) if len(w) >= 2 and not is_generic(w, lexicons.generic)
    )


def _own_verdict(hit: ComplianceHit | None, quality: QualityResult) -> tuple[Status, tuple[Reason, ...]]:
    if hit is not None:
        return Status.NON_COMPLIANT, (hit.reason,)
    if quality.reason is not None:
        return Status.TOO_SIMPLE, (quality.reason,)
    return Status.KEPT, ()


def _explain(
    status: Status, reasons: tuple[Reason, ...], link: DuplicateLink | None, rep_id: str,
    hit: ComplianceHit | None, quality: QualityResult, group_size: int,
) -> str:
    if status is Status.DUPLICATE and link is not None:
        if link.reason is Reason.EXACT_DUPLICATE:
            return f"与 {rep_id} 内容完全相同"
        if link.reason is Reason.NEAR_DUPLICATE:
            return f"与 {rep_id} 基本相同，仅有细微改动（相似度 {link.similarity:.2f}）"
        return f"与 {rep_id} 提出的措施相同（相似度 {link.similarity:.2f}）"
    if status is Status.NON_COMPLIANT and hit is not None:
        return f"{hit.explanation}命中规则 {hit.rule_id}（{'、'.join(hit.laws)}）：“{hit.span}”"
    if status is Status.TOO_SIMPLE:
        note = f"：{quality.note}" if quality.note else ""
        return f"{reasons[0].zh}{note}（质量分 {quality.score:.2f}）"
    heat = f"，共 {group_size} 条提交提出此建议" if group_size > 1 else ""
    return f"提出了具体、可操作的建议（质量分 {quality.score:.2f}）{heat}"


def screen(
    data: pd.DataFrame | str | Path | Iterable[str], config: Config | None = None
) -> Screening:
    """Screen suggestions: a DataFrame (``text`` and optional ``id``, ``submitted_at``), a
    CSV/XLSX/JSONL path, or an iterable of texts.

    >>> screen(["建议不动产登记开通周末预约", "测试"]).summary()["kept"]
    1
    """
    config = config or Config()
    frame = _as_frame(data)
    if frame.empty:
        raise InputError("no rows to screen: the input has a header but no data rows")
    tok = _tokenizer(config.segment.backend, config.segment.userdict, config.segment.stopwords)
    rulebook = _rulebook(config.compliance.rulebook)
    lexicons = _lexicons(config.quality.lexicons)
    ids = frame["id"].tolist()
    texts = frame["text"].tolist()
    norms = [normalize(t) for t in texts]
    words = [tuple(tok.content_words(n.content)) for n in norms]
    rows = [
        Row(key=n.key, words=w, order=(str(t), _natural(i)), measures=_measures(tok, n.content, lexicons))
        for n, w, t, i in zip(norms, words, frame["submitted_at"], ids, strict=True)
    ]
    window = config.compliance.negation_window_chars
    hits = [check_compliance(n.normalized, rulebook, window) for n in norms]
    qualities = [
        assess_quality(extract_features(n.key, w, lexicons, n.normalized), n.key, config.quality)
        for n, w in zip(norms, words, strict=True)
    ]
    own = [_own_verdict(h, q) for h, q in zip(hits, qualities, strict=True)]
    links = find_duplicates(rows, config.dedup)
    group_of = {i: link.representative for i, link in links.items()}
    sizes = Counter(group_of.get(i, i) for i in range(len(rows)))
    verdicts = []
    for i, text in enumerate(texts):
        link = links.get(i)
        rep = group_of.get(i, i)
        status, reasons = own[i]
        if link is not None and own[rep][0] is Status.KEPT:
            status, reasons = Status.DUPLICATE, (link.reason,)
        is_dup = status is Status.DUPLICATE
        hit = hits[i]
        verdicts.append(
            Verdict(
                id=ids[i], text=text, status=status, reasons=reasons,
                duplicate_of=ids[rep] if is_dup else "",
                group_id=ids[rep], group_size=sizes[rep],
                similarity=link.similarity if link is not None else None,
                quality_score=qualities[i].score,
                compliance_rule=hit.citation if hit is not None else "",
                explanation=_explain(status, reasons, link, ids[rep], hit, qualities[i], sizes[rep]),
                text_redacted=redact(text),
            )
        )
    return Screening(verdicts=tuple(verdicts), config=config)
