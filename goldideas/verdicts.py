"""The verdict of each row: its own checks, the policy's order, and the sentence that explains it.

The policy's order: a duplicate of a kept row, else non-compliant, else too simple, else kept.
A member of a group led by a kept text is a duplicate whatever its own text says: its text is
never checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from typing import NamedTuple

from .analysis import Analysis, Checks, check
from .config import Config
from .dedup import DuplicateLink
from .reasons import Reason, Status

THEMED = (Status.KEPT, Status.DUPLICATE)


@dataclass(frozen=True)
class Verdict:
    """One row's screening result. A duplicate's own text is not checked (its verdict is its
    representative's, whatever its own text says): its ``quality_score`` is None and its
    ``compliance_rule`` empty."""

    id: str
    text: str
    status: Status
    reasons: tuple[Reason, ...]
    duplicate_of: str
    group_id: str
    group_size: int
    similarity: float | None
    quality_score: float | None
    compliance_rule: str
    theme: str
    theme_confidence: float | None
    topic_id: str
    topic_label: str
    explanation: str
    text_redacted: str
    decided_by: str = "rule"  # "rule", or "staff" where an override decided
    note: str = ""


_FIELDS = tuple(f.name for f in fields(Verdict))


def new_verdict(*values: object) -> Verdict:
    """``Verdict(*values)``, every field given, without the frozen dataclass's ``__setattr__``
    per field (a frozen dataclass keeps its fields in ``__dict__``): three times faster, which
    is a second of writing the verdicts of a million rows."""
    verdict = object.__new__(Verdict)
    verdict.__dict__.update(zip(_FIELDS, values, strict=True))
    return verdict


Own = tuple[Status, tuple[Reason, ...]]


def _own_verdict(c: Checks) -> Own:
    if c.hit is not None:
        return Status.NON_COMPLIANT, (c.hit.reason,)
    if c.too_simple is not None:
        return Status.TOO_SIMPLE, (c.too_simple,)
    return Status.KEPT, ()


def _kept(own: Own | None) -> bool:
    return own is not None and own[0] is Status.KEPT


def own_verdicts(
    found: list[Analysis], links: dict[int, DuplicateLink], config: Config
) -> tuple[list[Own | None], dict[str, Checks]]:
    """Each row's verdict on its own text, checked only where its final verdict depends on it:
    rows without duplicates, representatives, and members of groups whose representative is
    rejected. A member of a group led by a kept text is a duplicate whatever its own text
    says: its own verdict is None, its text is never checked. Also the checks by text."""
    own: list[Own | None] = [None] * len(found)
    leaders = [i for i in range(len(found)) if i not in links]
    checks = check((found[i] for i in leaders), config)
    for i in leaders:
        own[i] = _own_verdict(checks[found[i].normalized])
    members = [i for i, link in links.items() if not _kept(own[link.representative])]
    checks.update(check((found[i] for i in members if found[i].normalized not in checks), config))
    for i in members:
        own[i] = _own_verdict(checks[found[i].normalized])
    return own, checks


def final_verdict(own: list[Own | None], links: dict[int, DuplicateLink], i: int) -> Own:
    """The policy's order: a duplicate of a kept row, else the row's own verdict."""
    link = links.get(i)
    if link is not None and _kept(own[link.representative]):
        return Status.DUPLICATE, (link.reason,)
    verdict = own[i]
    assert verdict is not None  # own_verdicts checked every row that is not such a duplicate
    return verdict


def _explain(
    status: Status, reasons: tuple[Reason, ...], link: DuplicateLink | None, rep_id: str,
    c: Checks | None, group_size: int,
) -> str:
    if status is Status.DUPLICATE and link is not None:
        if link.reason is Reason.EXACT_DUPLICATE:
            return f"与 {rep_id} 内容完全相同"
        if link.reason is Reason.NEAR_DUPLICATE:
            return f"与 {rep_id} 基本相同，仅有细微改动（相似度 {link.similarity:.2f}）"
        return f"与 {rep_id} 提出的措施相同（相似度 {link.similarity:.2f}）"
    assert c is not None  # every row but a duplicate of a kept row was checked
    if status is Status.NON_COMPLIANT and c.hit is not None:
        hit = c.hit
        laws = "、".join(hit.laws)
        if hit.confidence is not None:  # the learned model's, not a pattern's
            return (f"{hit.explanation}学习模型判断（置信度 {hit.confidence:.2f}），并非规则命中，"
                    f"请人工复核；参照 {hit.rule_id}（{laws}）：“{hit.span}”")
        return f"{hit.explanation}命中规则 {hit.rule_id}（{laws}）：“{hit.span}”"
    if status is Status.TOO_SIMPLE:
        note = f"：{c.note}" if c.note else ""
        return f"{reasons[0].zh}{note}（质量分 {c.score:.2f}）"
    heat = f"，共 {group_size} 条提交提出此建议" if group_size > 1 else ""
    return f"提出了具体、可操作的建议（质量分 {c.score:.2f}）{heat}"


class Decided(NamedTuple):
    """What the stages found for every row, as the verdicts are written from it."""

    ids: list[str]
    texts: list[str]
    redacted: list[str]
    found: list[Analysis]
    links: dict[int, DuplicateLink]
    final: list[Own]
    checks: dict[str, Checks]
    sizes: Counter[int]


def write_verdicts(
    d: Decided, themes: list[tuple[str, float]], topics: dict[int, tuple[str, str]]
) -> tuple[Verdict, ...]:
    """A verdict for every row, in input order, with its theme and topic (``themes`` by row,
    ``topics`` by the rows that have one)."""
    duplicate, ids, sizes, no_topic = Status.DUPLICATE, d.ids, d.sizes, ("", "")
    links, final, checks, redacted = d.links, d.final, d.checks, d.redacted
    # a duplicate's explanation is its link's (links are shared): one string for all its copies
    told: dict[int, str] = {}
    verdicts = []
    for i, (text, a) in enumerate(zip(d.texts, d.found, strict=True)):
        link = links.get(i)
        rep = i if link is None else link.representative
        status, reasons = final[i]
        # a duplicate is filed under its representative's theme and topic; rejected rows have none;
        # a kept row whose group is led by a rejected text keeps its own
        home = rep if status is duplicate else i
        themed = status in THEMED
        theme, theme_confidence = themes[home] if themed else ("", None)
        topic_id, topic_label = topics.get(home, no_topic) if themed else no_topic
        # a duplicate's own text is not checked: it shows no score and no rule
        c = checks.get(a.normalized) if status is not duplicate else None
        if status is duplicate and link is not None:
            explanation = told.get(id(link))
            if explanation is None:
                explanation = told[id(link)] = _explain(status, reasons, link, ids[rep], c, sizes[rep])
        else:
            explanation = _explain(status, reasons, link, ids[rep], c, sizes[rep])
        verdicts.append(
            new_verdict(
                ids[i], text, status, reasons, ids[rep] if status is duplicate else "", ids[rep],
                sizes[rep], link.similarity if link is not None else None,
                c.score if c is not None else None,
                c.hit.citation if c is not None and c.hit is not None else "",
                theme, theme_confidence, topic_id, topic_label, explanation, redacted[i], "rule", "",
            )
        )
    return tuple(verdicts)
