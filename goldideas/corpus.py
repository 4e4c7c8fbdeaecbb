"""Checks of the reference corpus: sizes, vocabularies, links and diversity."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .reasons import Reason, Status, Theme
from .vectors import term_matrix

EXPECTED_ROWS = 1322
EXPECTED_KEPT = 571
MAX_KEPT_BIGRAM_JACCARD = 0.5
INPUT_COLUMNS = ("id", "submitted_at", "channel", "text")
GOLD_COLUMNS = ("id", "status", "reasons", "duplicate_of", "theme", "same_topic_as")

_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


@dataclass(frozen=True)
class CorpusCheck:
    """What `check_corpus` found: counts, and every broken invariant as a sentence."""

    counts: dict[str, dict[str, int]]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def split_codes(value: str) -> list[str]:
    """``"a;b"`` → ``["a", "b"]``; empty cells give ``[]``."""
    return [part.strip() for part in str(value).split(";") if part.strip()]


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the letters, digits and CJK characters of a text."""
    chars = _NOT_WORD.sub("", text.lower())
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose character-bigram Jaccard exceeds ``threshold``."""
    if len(texts) < 2:
        return []
    matrix = sparse.csr_matrix(term_matrix([char_bigrams(t) for t in texts], binary=True), dtype=np.int32)
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    inter = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    union = sizes[inter.row] + sizes[inter.col] - inter.data
    jaccard = inter.data / np.maximum(union, 1)
    hits = jaccard > threshold
    return [
        (int(i), int(j), float(s))
        for i, j, s in zip(inter.row[hits], inter.col[hits], jaccard[hits], strict=True)
    ]


def _check_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> list[str]:
    missing = [c for c in columns if c not in frame.columns]
    return [f"{name}: missing columns {', '.join(missing)}"] if missing else []


def _check_links(gold: pd.DataFrame) -> list[str]:
    problems = []
    by_id = gold.set_index("id")
    kept_ids = set(gold.loc[gold["status"] == Status.KEPT, "id"])
    for row in gold.itertuples(index=False):
        if row.status == Status.DUPLICATE:
            target = row.duplicate_of
            if target not in kept_ids:
                problems.append(f"gold {row.id}: duplicate_of {target!r} is not a kept row")
            elif by_id.at[target, "theme"] != row.theme:
                problems.append(
                    f"gold {row.id}: theme {row.theme} differs from its representative "
                    f"{target} ({by_id.at[target, 'theme']})"
                )
        elif row.duplicate_of:
            problems.append(f"gold {row.id}: duplicate_of set on a {row.status} row")
        for other in split_codes(row.same_topic_as):
            if row.status != Status.KEPT or other not in kept_ids:
                problems.append(f"gold {row.id}: same_topic_as {other!r} must link two kept rows")
    return problems


def _check_vocabulary(gold: pd.DataFrame) -> list[str]:
    problems = []
    statuses = {s.value for s in Status}
    themes = {t.value for t in Theme}
    for row in gold.itertuples(index=False):
        if row.status not in statuses:
            problems.append(f"gold {row.id}: unknown status {row.status!r}")
            continue
        status = Status(row.status)
        codes = split_codes(row.reasons)
        if status is Status.KEPT and codes:
            problems.append(f"gold {row.id}: a kept row has reasons {row.reasons!r}")
        if status is not Status.KEPT and not codes:
            problems.append(f"gold {row.id}: a {status} row needs a reason code")
        for code in codes:
            if code not in Reason.__members__.values() or Reason(code).status is not status:
                problems.append(f"gold {row.id}: reason {code!r} does not belong to {status}")
        needs_theme = status in (Status.KEPT, Status.DUPLICATE)
        if needs_theme and row.theme not in themes:
            problems.append(f"gold {row.id}: theme {row.theme!r} is not a policy theme")
    return problems


def _check_diversity(suggestions: pd.DataFrame, gold: pd.DataFrame) -> list[str]:
    kept = gold.loc[gold["status"] == Status.KEPT, ["id", "same_topic_as"]]
    texts = suggestions.set_index("id").loc[kept["id"], "text"].tolist()
    ids = kept["id"].tolist()
    declared = {
        frozenset((a, b))
        for a, links in zip(ids, kept["same_topic_as"], strict=True)
        for b in split_codes(links)
    }
    return [
        f"kept {ids[i]} and {ids[j]} share {s:.0%} of their character bigrams "
        "but are not declared same_topic_as"
        for i, j, s in similar_pairs(texts, MAX_KEPT_BIGRAM_JACCARD)
        if frozenset((ids[i], ids[j])) not in declared
    ]


def corpus_counts(gold: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Counts per status, reason, theme (kept rows) and hard case."""
    reasons = Counter(code for value in gold["reasons"] for code in split_codes(value))
    kept = gold[gold["status"] == Status.KEPT]
    counts = {
        "status": dict(Counter(gold["status"])),
        "reason": dict(reasons),
        "theme (kept)": dict(Counter(kept["theme"])),
        "same_topic_as pairs": {"pairs": sum(bool(v) for v in kept["same_topic_as"]) // 2},
    }
    if "case" in gold.columns:
        counts["case"] = dict(Counter(c for c in gold["case"] if c))
    return counts


def check_corpus(suggestions: pd.DataFrame, gold: pd.DataFrame) -> CorpusCheck:
    """Check the corpus invariants of the datasheet; never raises for a broken corpus."""
    problems = _check_columns(suggestions, INPUT_COLUMNS, "suggestions")
    problems += _check_columns(gold, GOLD_COLUMNS, "gold")
    if problems:
        return CorpusCheck(counts={}, problems=problems)
    for name, frame in (("suggestions", suggestions), ("gold", gold)):
        repeated = frame["id"][frame["id"].duplicated()].tolist()
        if repeated:
            problems.append(f"{name}: ids repeated: {', '.join(repeated[:10])}")
    if len(suggestions) != EXPECTED_ROWS:
        problems.append(f"suggestions: {len(suggestions)} rows, expected {EXPECTED_ROWS}")
    if set(suggestions["id"]) != set(gold["id"]):
        problems.append("gold and suggestions do not have the same ids")
        return CorpusCheck(counts=corpus_counts(gold), problems=problems)
    n_kept = int((gold["status"] == Status.KEPT).sum())
    if n_kept != EXPECTED_KEPT:
        problems.append(f"gold: {n_kept} kept rows, expected {EXPECTED_KEPT}")
    problems += _check_vocabulary(gold)
    problems += _check_links(gold)
    problems += _check_diversity(suggestions, gold)
    return CorpusCheck(counts=corpus_counts(gold), problems=problems)
