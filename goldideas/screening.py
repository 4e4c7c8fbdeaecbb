"""The front door: ``screen(data, config) -> Screening``, one verdict per input row."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from .compliance import ComplianceHit, Rulebook, check_compliance, load_rulebook
from .config import Config, ThemesConfig
from .dedup import DuplicateLink, Row, find_duplicates
from .errors import InputError
from .io import model_path, read_suggestions, to_suggestions
from .normalize import normalize, redact
from .quality import (
    Lexicons,
    assess_quality,
    extract_features,
    load_lexicons,
)
from .reasons import Reason, Status
from .segment import load_tokenizer
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
        frame = frame.fillna("")

        def number(value: object) -> float | None:
            return None if value in ("", None) else float(str(value))

        verdicts = tuple(
            Verdict(
                id=str(r.id), text=str(r.text), status=Status(str(r.status)),
                reasons=tuple(Reason(c) for c in str(r.reasons).split(";") if c),
                duplicate_of=str(r.duplicate_of), group_id=str(r.group_id),
                group_size=int(float(str(r.group_size) or 1)), similarity=number(r.similarity),
                quality_score=float(str(r.quality_score) or 0), compliance_rule=str(r.compliance_rule),
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


@lru_cache(maxsize=4)
def _rulebook(path: str) -> Rulebook:
    return load_rulebook(path or model_path("compliance.toml"))


@lru_cache(maxsize=4)
def _lexicons(path: str) -> Lexicons:
    return load_lexicons(path or model_path("quality.toml"))


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


def _final_status(
    own: list[tuple[Status, tuple[Reason, ...]]], links: dict[int, DuplicateLink],
    group_of: dict[int, int], i: int,
) -> Status:
    if i in links and own[group_of[i]][0] is Status.KEPT:
        return Status.DUPLICATE
    return own[i][0]


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


def _own_verdict(a: _Analysis) -> tuple[Status, tuple[Reason, ...]]:
    if a.hit is not None:
        return Status.NON_COMPLIANT, (a.hit.reason,)
    if a.too_simple is not None:
        return Status.TOO_SIMPLE, (a.too_simple,)
    return Status.KEPT, ()


def _explain(
    status: Status, reasons: tuple[Reason, ...], link: DuplicateLink | None, rep_id: str,
    a: _Analysis, group_size: int,
) -> str:
    hit = a.hit
    if status is Status.DUPLICATE and link is not None:
        if link.reason is Reason.EXACT_DUPLICATE:
            return f"与 {rep_id} 内容完全相同"
        if link.reason is Reason.NEAR_DUPLICATE:
            return f"与 {rep_id} 基本相同，仅有细微改动（相似度 {link.similarity:.2f}）"
        return f"与 {rep_id} 提出的措施相同（相似度 {link.similarity:.2f}）"
    if status is Status.NON_COMPLIANT and hit is not None:
        return f"{hit.explanation}命中规则 {hit.rule_id}（{'、'.join(hit.laws)}）：“{hit.span}”"
    if status is Status.TOO_SIMPLE:
        note = f"：{a.note}" if a.note else ""
        return f"{reasons[0].zh}{note}（质量分 {a.score:.2f}）"
    heat = f"，共 {group_size} 条提交提出此建议" if group_size > 1 else ""
    return f"提出了具体、可操作的建议（质量分 {a.score:.2f}）{heat}"


class _Analysis(NamedTuple):
    """Everything the stages learn about one text, apart from its duplicates; a plain tuple
    of strings and numbers, cheap to pickle back from a worker and small in memory."""

    normalized: str
    content: str
    key: str
    words: tuple[str, ...]
    hit: ComplianceHit | None
    score: float  # quality score
    too_simple: Reason | None
    note: str  # the quality detail for the explanation


def _analyse_chunk(texts: list[str], config: Config) -> list[_Analysis]:
    """Normalise, segment, check compliance and quality of distinct texts; texts that differ
    only in greetings, signatures or contact details are segmented once."""
    tok = load_tokenizer(config.segment.userdict, config.segment.stopwords, config.segment.backend)
    rulebook = _rulebook(config.compliance.rulebook)
    lexicons = _lexicons(config.quality.lexicons)
    window = config.compliance.negation_window_chars
    by_normalized: dict[str, _Analysis] = {}
    by_content: dict[str, tuple[str, ...]] = {}
    out = []
    for text in texts:
        norm = normalize(text)
        found = by_normalized.get(norm.normalized)
        if found is None:
            words = by_content.get(norm.content)
            if words is None:
                words = by_content[norm.content] = tuple(tok.analyse(norm.content)[0])
            features = extract_features(norm.key, words, lexicons, norm.normalized)
            quality = assess_quality(features, norm.key, config.quality)
            found = by_normalized[norm.normalized] = _Analysis(
                norm.normalized, norm.content, norm.key, words,
                check_compliance(norm.normalized, rulebook, window),
                quality.score, quality.reason, quality.note,
            )
        out.append(found)
    return out


_CHUNKS_PER_WORKER = 4


def _workers(config: Config, n: int) -> int:
    if n < config.run.parallel_min_texts:
        return 1
    return config.run.workers or os.cpu_count() or 1


def _analyse(texts: list[str], config: Config) -> list[_Analysis]:
    """Analyse each distinct text once (re-posts and copies cost nothing twice), on every core
    for large inputs: forked workers inherit the loaded dictionary and rulebook."""
    distinct = list(dict.fromkeys(texts))
    workers = _workers(config, len(distinct))
    results: list[_Analysis] = []
    if workers > 1:
        _analyse_chunk(distinct[:1], config)  # load the models before forking
        # a few chunks per worker: results come back (and are unpickled) while others are
        # analysed, and no worker holds more than a chunk's pickle at a time
        size = -(-len(distinct) // (workers * _CHUNKS_PER_WORKER))
        chunks = [distinct[i : i + size] for i in range(0, len(distinct), size)]
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: one process
            workers = 1
        else:
            with context.Pool(workers) as pool:
                for part in pool.starmap(_analyse_chunk, [(c, config) for c in chunks]):
                    results.extend(part)
    if workers == 1:
        results = _analyse_chunk(distinct, config)
    by_text = dict(zip(distinct, results, strict=True))
    return [by_text[t] for t in texts]


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
    found = _analyse(texts, config)
    step(STAGES[1], 1, len(STAGES))
    naturals = [_natural(i) for i in ids]
    rows = [
        Row(key=a.key, words=a.words, order=(str(t), n))
        for a, t, n in zip(found, times, naturals, strict=True)
    ]
    own = [_own_verdict(a) for a in found]
    links = find_duplicates(rows, config.dedup)
    group_of = {i: link.representative for i, link in links.items()}
    sizes = Counter(group_of.get(i, i) for i in range(len(rows)))
    step(STAGES[2], 2, len(STAGES))
    statuses = [_final_status(own, links, group_of, i) for i in range(len(rows))]
    # a duplicate is filed under its representative's theme: only kept rows and the representatives
    # of duplicates need one
    homes = {group_of[i] if s is Status.DUPLICATE else i for i, s in enumerate(statuses) if s in _THEMED}
    themes = assign_themes(found, config, texts, homes)
    step(STAGES[3], 3, len(STAGES))
    lexicons = _lexicons(config.quality.lexicons)
    topic_words = _per_analysis(found, lambda a: tuple(lexicons.not_generic(a.words)))
    topics, topic_records = assign_topics(topic_words, statuses, themes, sizes, naturals)
    redacted = _per_text(texts, redact)
    step(STAGES[4], 4, len(STAGES))
    verdicts = []
    for i, (text, a) in enumerate(zip(texts, found, strict=True)):
        link = links.get(i)
        rep = group_of.get(i, i)
        status, reasons = own[i]
        if link is not None and own[rep][0] is Status.KEPT:
            status, reasons = Status.DUPLICATE, (link.reason,)
        # a duplicate is filed under its representative's theme and topic; rejected rows have none;
        # a kept row whose group is led by a rejected text keeps its own
        home = rep if status is Status.DUPLICATE else i
        theme, theme_confidence = themes[home] if status in _THEMED else ("", None)
        topic_id, topic_label = topics.get(home, ("", "")) if status in _THEMED else ("", "")
        verdicts.append(
            Verdict(
                id=ids[i], text=text, status=status, reasons=reasons,
                duplicate_of=ids[rep] if status is Status.DUPLICATE else "",
                group_id=ids[rep], group_size=sizes[rep],
                similarity=link.similarity if link is not None else None,
                quality_score=a.score,
                compliance_rule=a.hit.citation if a.hit is not None else "",
                theme=theme, theme_confidence=theme_confidence,
                topic_id=topic_id, topic_label=topic_label,
                explanation=_explain(status, reasons, link, ids[rep], a, sizes[rep]),
                text_redacted=redacted[i],
            )
        )
    step("完成", len(STAGES), len(STAGES))
    return Screening(verdicts=tuple(verdicts), config=config, topic_words=tuple(topic_words),
                     topic_records=tuple(topic_records))
