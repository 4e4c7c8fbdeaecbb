"""The front door: ``screen(data, config) -> Screening``, one verdict per input row."""

from __future__ import annotations

import gc
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .analysis import Analysis as _Analysis
from .analysis import Checks, analyse, check, lexicons_at
from .config import Config, ThemesConfig
from .dedup import DuplicateLink, Row, find_duplicates
from .errors import InputError
from .io import read_suggestions, to_suggestions
from .normalize import redact
from .reasons import Reason, Status
from .themes import LexiconThemes, load_themes
from .topics import find_topics, rank_hot_topics

if TYPE_CHECKING:  # pandas loads on first use: a single idea is screened without it
    import pandas as pd

T = TypeVar("T")

COLUMNS = [
    "id", "text", "status", "reasons", "duplicate_of", "group_id", "group_size", "similarity",
    "quality_score", "compliance_rule", "theme", "theme_confidence", "topic_id", "topic_label",
    "explanation", "text_redacted", "decided_by", "note",
]


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


@dataclass(frozen=True)
class TopicSummary:
    """A sub-topic of the kept suggestions of one theme; representatives are row indexes."""

    topic_id: str
    theme: str
    label: str
    size: int
    heat: int
    representatives: tuple[int, ...]


@dataclass(frozen=True)
class Screening:
    """Immutable result of a screening run: a verdict per input row, in input order."""

    verdicts: tuple[Verdict, ...]
    config: Config
    topic_words: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)
    topic_records: tuple[TopicSummary, ...] = field(default=(), repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.verdicts)

    def to_frame(self) -> pd.DataFrame:
        """One row per input row, in input order, with the columns in ``COLUMNS``."""
        import pandas as pd

        records = [
            {
                "id": v.id, "text": v.text, "status": v.status.value,
                "reasons": ";".join(r.value for r in v.reasons), "duplicate_of": v.duplicate_of,
                "group_id": v.group_id, "group_size": v.group_size, "similarity": v.similarity,
                "quality_score": v.quality_score, "compliance_rule": v.compliance_rule,
                "theme": v.theme, "theme_confidence": v.theme_confidence,
                "topic_id": v.topic_id, "topic_label": v.topic_label,
                "explanation": v.explanation, "text_redacted": v.text_redacted,
                "decided_by": v.decided_by, "note": v.note,
            }
            for v in self.verdicts
        ]
        return pd.DataFrame.from_records(records, columns=COLUMNS)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, config: Config | None = None) -> Screening:
        """Read back a screened table (the ``to_frame()`` columns, e.g. from a CSV output)."""
        missing = [c for c in COLUMNS[:-2] if c not in frame.columns]
        if missing:
            raise InputError(f"screened table: missing columns {', '.join(missing)}; "
                             "give the CSV or JSONL output of goldideas screen")
        frame = frame.astype(object).fillna("")  # empty cells (a duplicate's score) read as ""

        def number(value: object) -> float | None:
            return None if value in ("", None) else float(str(value))

        verdicts = tuple(
            Verdict(
                id=str(r.id), text=str(r.text), status=Status(str(r.status)),
                reasons=tuple(Reason(c) for c in str(r.reasons).split(";") if c),
                duplicate_of=str(r.duplicate_of), group_id=str(r.group_id),
                group_size=int(float(str(r.group_size) or 1)), similarity=number(r.similarity),
                quality_score=number(r.quality_score), compliance_rule=str(r.compliance_rule),
                theme=str(r.theme), theme_confidence=number(r.theme_confidence),
                topic_id=str(r.topic_id), topic_label=str(r.topic_label),
                explanation=str(r.explanation), text_redacted=str(r.text_redacted),
                decided_by=str(getattr(r, "decided_by", "rule") or "rule"), note=str(getattr(r, "note", "")),
            )
            for r in frame.itertuples(index=False)
        )
        return cls(verdicts=verdicts, config=config or Config())

    def topics(self) -> pd.DataFrame:
        """Sub-topics of the kept suggestions within each theme, hottest first: topic_id, theme,
        label, size (kept suggestions), heat (submissions behind them, duplicates included),
        representatives (the most central ids; the first ids when read back from a table)."""
        import pandas as pd

        if not self.topic_records:
            return self._topics_from_verdicts()
        frame = pd.DataFrame(
            [{**asdict(t), "representatives": ";".join(self.verdicts[i].id for i in t.representatives)}
             for t in self.topic_records],
            columns=["topic_id", "theme", "label", "size", "heat", "representatives"],
        )
        return frame.sort_values(["heat", "size", "topic_id"], ascending=[False, False, True],
                                 ignore_index=True)

    def _topics_from_verdicts(self) -> pd.DataFrame:
        import pandas as pd

        members: dict[str, list[Verdict]] = {}
        for v in self.verdicts:
            if v.status is Status.KEPT and v.topic_id:
                members.setdefault(v.topic_id, []).append(v)
        frame = pd.DataFrame(
            [{"topic_id": t, "theme": vs[0].theme, "label": vs[0].topic_label, "size": len(vs),
              "heat": sum(v.group_size for v in vs), "representatives": ";".join(v.id for v in vs[:3])}
             for t, vs in members.items()],
            columns=["topic_id", "theme", "label", "size", "heat", "representatives"],
        )
        return frame.sort_values(["heat", "size", "topic_id"], ascending=[False, False, True],
                                 ignore_index=True)

    def hot_topics(
        self, likes: Sequence[int] | None = None, top: int = 10, rank_by: str = "heat"
    ) -> pd.DataFrame:
        """Topics over every submission (kept or not), a duplicate group counted as one item
        whose heat is its number of submissions plus their likes: what people ask about most.
        ``rank_by`` is "heat" or "messages"."""
        import pandas as pd

        if likes is not None and len(likes) != len(self.verdicts):
            raise InputError(f"{len(likes)} likes for {len(self.verdicts)} rows; give one per row")
        row_of = {v.id: i for i, v in enumerate(self.verdicts)}
        representative = [row_of[v.group_id] for v in self.verdicts]
        hot = rank_hot_topics(representative, self.topic_words, likes, top, rank_by,
                              [_natural(v.id) for v in self.verdicts])
        records = [
            {**asdict(t), "example_id": self.verdicts[t.example_row].id,
             "example": " ".join(self.verdicts[t.example_row].text_redacted.split())[:60]}
            for t in hot
        ]
        return pd.DataFrame(records, columns=["topic_id", "label", "messages", "likes", "heat",
                                              "example_id", "example"])

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


def _as_columns(data: pd.DataFrame | str | Path | Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Ids, texts and submission times of the input; plain texts are numbered from 1."""
    pandas = sys.modules.get("pandas")  # a DataFrame can only exist once pandas is loaded
    if pandas is not None and isinstance(data, pandas.DataFrame):
        frame = to_suggestions(data, source="DataFrame")
    elif isinstance(data, str | Path):
        frame = read_suggestions(data)
    else:
        texts = [str(t) for t in data]
        return [str(i) for i in range(1, len(texts) + 1)], texts, [""] * len(texts)
    return frame["id"].tolist(), frame["text"].tolist(), frame["submitted_at"].tolist()


_NUMERIC_ID = re.compile(r"(\d+)")


def _natural(identifier: str) -> str:
    return _NUMERIC_ID.sub(lambda m: m.group(1).zfill(12), identifier)


_THEMED = (Status.KEPT, Status.DUPLICATE)


@lru_cache(maxsize=4)
def _theme_model(settings: ThemesConfig) -> LexiconThemes:
    return LexiconThemes(
        load_themes(settings.taxonomy or None), min_margin=settings.min_margin,
        iterations=settings.iterations, seed_prior=settings.seed_prior, smoothing=settings.smoothing,
        words_per_observation=settings.words_per_observation, channel_share=settings.channel_share,
        lead_weight=settings.lead_weight,
    )


def assign_themes(
    found: list[_Analysis], config: Config, texts: Sequence[str] | None = None,
    rows: Collection[int] | None = None,
) -> list[tuple[str, float]]:
    """A theme and its confidence for each of ``rows`` (default: every row), learned from their
    distinct texts only, so rejected texts do not shape the themes; other rows get ``("", 0.0)``.
    A trained model (``config.themes.model``) reads the original ``texts`` where given, as in
    ``goldideas classify``: its title features need the first line."""
    wanted = range(len(found)) if rows is None else sorted(set(rows))
    distinct = list(dict.fromkeys(found[i].normalized for i in wanted))
    first = {a.normalized: a for a in reversed(found)}
    if config.themes.model:
        from .classifier import load_classifier

        original = {a.normalized: t for a, t in zip(reversed(found), reversed(texts or []), strict=False)}
        model = load_classifier(config.themes.model)
        labels, confidence = model.predict([original.get(t, first[t].content) for t in distinct])
    else:
        lexicon = _theme_model(config.themes)
        result = lexicon.fit_predict([first[t].content for t in distinct],
                                     [first[t].words for t in distinct])
        labels, confidence = result.labels, result.confidence.tolist()
    by_text = {t: (label, float(c)) for t, label, c in zip(distinct, labels, confidence, strict=True)}
    return [by_text.get(a.normalized, ("", 0.0)) for a in found]


def assign_topics(
    words: Sequence[Sequence[str]], statuses: list[Status], themes: list[tuple[str, float]],
    sizes: Counter[int], keys: Sequence[str],
) -> tuple[dict[int, tuple[str, str]], list[TopicSummary]]:
    """Sub-topics of the kept rows within each theme: row index → (topic_id, label), and one
    record per topic (its theme, label, size, heat and most central rows)."""
    by_theme: dict[str, list[int]] = {}
    for i, status in enumerate(statuses):
        if status is Status.KEPT:
            by_theme.setdefault(themes[i][0], []).append(i)
    out: dict[int, tuple[str, str]] = {}
    records: list[TopicSummary] = []
    for theme, rows in sorted(by_theme.items()):
        topics, index = find_topics([words[i] for i in rows], [sizes[i] for i in rows], prefix=f"{theme}-",
                                    keys=[keys[i] for i in rows])
        for row, k in zip(rows, index.tolist(), strict=True):
            out[row] = (topics[k].topic_id, topics[k].label)
        records.extend(
            TopicSummary(
                t.topic_id, theme, t.label, t.size, t.heat, tuple(rows[m] for m in t.representatives)
            )
            for t in topics
        )
    return out, records


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
    found: list[_Analysis], links: dict[int, DuplicateLink], config: Config
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


def _final_verdict(own: list[Own | None], links: dict[int, DuplicateLink], i: int) -> Own:
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


def _per_analysis(found: list[_Analysis], f: Callable[[_Analysis], T]) -> list[T]:
    """``f`` of each row's analysis, computed once per distinct analysis."""
    done: dict[int, T] = {}
    out = []
    for a in found:
        value = done.get(id(a))
        if value is None:
            value = done[id(a)] = f(a)
        out.append(value)
    return out


def _per_text(texts: list[str], f: Callable[[str], str]) -> list[str]:
    """``f`` of each text, computed once per distinct text."""
    done = {t: f(t) for t in dict.fromkeys(texts)}
    return [done[t] for t in texts]


Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` when a stage of a run starts and ends."""

STAGES = ("分析", "查重", "主题", "子话题", "结论")


def screen(
    data: pd.DataFrame | str | Path | Iterable[str], config: Config | None = None,
    progress: Progress | None = None,
) -> Screening:
    """Screen suggestions: a DataFrame (``text`` and optional ``id``, ``submitted_at``), a
    CSV/XLSX/JSONL path, or an iterable of texts. ``progress`` hears of each stage.

    >>> screen(["建议不动产登记开通周末预约", "测试"]).summary()["kept"]
    1
    """
    config = config or Config()
    ids, texts, times = _as_columns(data)
    if not ids:
        raise InputError("no rows to screen: the input has a header but no data rows")
    with _collector_paused():
        return _screen(ids, texts, times, config, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: over a large input it would walk the millions of
    long-lived strings and tuples of the analyses again and again, while screening makes no
    reference cycles worth collecting before it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _screen(
    ids: list[str], texts: list[str], times: list[str], config: Config, progress: Progress | None
) -> Screening:
    step = progress or (lambda stage, done, total: None)
    step(STAGES[0], 0, len(STAGES))
    found = analyse(texts, config)
    step(STAGES[1], 1, len(STAGES))
    naturals = [_natural(i) for i in ids]
    rows = [
        Row(key=a.key, words=a.words, order=(str(t), n))
        for a, t, n in zip(found, times, naturals, strict=True)
    ]
    links = find_duplicates(rows, config.dedup)
    group_of = {i: link.representative for i, link in links.items()}
    sizes = Counter(group_of.get(i, i) for i in range(len(rows)))
    own, checks = own_verdicts(found, links, config)
    step(STAGES[2], 2, len(STAGES))
    final = [_final_verdict(own, links, i) for i in range(len(rows))]
    # a duplicate is filed under its representative's theme: only kept rows and the representatives
    # of duplicates need one, and only their texts teach the theme model
    homes = {group_of[i] if f[0] is Status.DUPLICATE else i for i, f in enumerate(final) if f[0] in _THEMED}
    themes = assign_themes(found, config, texts, homes)
    step(STAGES[3], 3, len(STAGES))
    lexicons = lexicons_at(config.quality.lexicons)
    topic_words = _per_analysis(found, lambda a: tuple(lexicons.not_generic(a.words)))
    topics, topic_records = assign_topics(topic_words, [f[0] for f in final], themes, sizes, naturals)
    redacted = _per_text(texts, redact)
    step(STAGES[4], 4, len(STAGES))
    verdicts = []
    for i, (text, a) in enumerate(zip(texts, found, strict=True)):
        link = links.get(i)
        rep = group_of.get(i, i)
        status, reasons = final[i]
        # a duplicate is filed under its representative's theme and topic; rejected rows have none;
        # a kept row whose group is led by a rejected text keeps its own
        home = rep if status is Status.DUPLICATE else i
        theme, theme_confidence = themes[home] if status in _THEMED else ("", None)
        topic_id, topic_label = topics.get(home, ("", "")) if status in _THEMED else ("", "")
        # a duplicate's own text is not checked: it shows no score and no rule
        c = checks.get(a.normalized) if status is not Status.DUPLICATE else None
        verdicts.append(
            Verdict(
                id=ids[i], text=text, status=status, reasons=reasons,
                duplicate_of=ids[rep] if status is Status.DUPLICATE else "",
                group_id=ids[rep], group_size=sizes[rep],
                similarity=link.similarity if link is not None else None,
                quality_score=c.score if c is not None else None,
                compliance_rule=c.hit.citation if c is not None and c.hit is not None else "",
                theme=theme, theme_confidence=theme_confidence,
                topic_id=topic_id, topic_label=topic_label,
                explanation=_explain(status, reasons, link, ids[rep], c, sizes[rep]),
                text_redacted=redacted[i],
            )
        )
    step("完成", len(STAGES), len(STAGES))
    return Screening(verdicts=tuple(verdicts), config=config, topic_words=tuple(topic_words),
                     topic_records=tuple(topic_records))
