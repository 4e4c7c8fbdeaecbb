"""Compare a screening with staff decisions (gold labels): the only place gold is joined."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from .errors import InputError
from .reasons import Status

STATUSES = [s.value for s in Status]


@dataclass(frozen=True)
class Evaluation:
    confusion: pd.DataFrame  # rows: gold status, columns: predicted status
    per_status: pd.DataFrame  # precision, recall, f1, support
    pair_precision: float
    pair_recall: float
    same_topic_pairs: int
    same_topic_false_merges: int
    funnel: pd.DataFrame  # predicted and gold counts per funnel stage
    theme_macro_f1: float | None = None  # over rows both sides give a theme
    theme_per_class: pd.DataFrame | None = None


def _groups(frame: pd.DataFrame) -> set[frozenset[str]]:
    """Pairs of ids in one duplicate group (a duplicate with its representative and siblings)."""
    dup = frame[frame["status"] == Status.DUPLICATE.value]
    members: dict[str, list[str]] = {}
    for row in dup.itertuples(index=False):
        members.setdefault(str(row.duplicate_of), [str(row.duplicate_of)]).append(str(row.id))
    return {frozenset(p) for m in members.values() for p in combinations(sorted(m), 2)}


def evaluate(screened: pd.DataFrame, gold: pd.DataFrame) -> Evaluation:
    """Scores of ``screened`` (``to_frame()`` columns) against ``gold`` (corpus/gold.csv)."""
    for name, frame in (("screened", screened), ("gold", gold)):
        for column in ("id", "status", "duplicate_of"):
            if column not in frame.columns:
                raise InputError(f"{name}: no column {column!r}")
    pred = screened[["id", "status", "duplicate_of"]].astype(str).replace("nan", "")
    truth = gold.astype(str).replace("nan", "")
    joined = truth.merge(pred, on="id", suffixes=("_gold", "_pred"), how="left")
    missing = joined["status_pred"].isna().sum()
    if missing:
        raise InputError(f"screened output lacks {missing} ids of the gold file")
    confusion = pd.crosstab(joined["status_gold"], joined["status_pred"]).reindex(
        index=STATUSES, columns=STATUSES, fill_value=0
    )
    rows = []
    for status in STATUSES:
        tp = int(confusion.at[status, status])
        predicted, actual = int(confusion[status].sum()), int(confusion.loc[status].sum())
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"status": status, "precision": p, "recall": r, "f1": f1, "support": actual})
    per_status = pd.DataFrame(rows).set_index("status")
    gold_pairs, pred_pairs = _groups(truth), _groups(pred)
    hit = len(gold_pairs & pred_pairs)
    topic = {
        frozenset((str(a), str(b)))
        for a, b in zip(truth["id"], truth.get("same_topic_as", ""), strict=True)
        if b
    }
    pred_group = dict(zip(pred["id"], screened["group_id"].astype(str), strict=True)) if (
        "group_id" in screened.columns
    ) else {i: (d or i) for i, d in zip(pred["id"], pred["duplicate_of"], strict=True)}
    false_merges = sum(1 for a, b in (tuple(p) for p in topic) if pred_group.get(a) == pred_group.get(b))
    funnel = pd.DataFrame(
        {
            "predicted": _funnel(pred["status"]),
            "gold": _funnel(truth["status"]),
        }
    )
    theme_f1, theme_table = _theme_scores(screened, truth)
    return Evaluation(
        theme_macro_f1=theme_f1,
        theme_per_class=theme_table,
        confusion=confusion,
        per_status=per_status,
        pair_precision=hit / len(pred_pairs) if pred_pairs else 1.0,
        pair_recall=hit / len(gold_pairs) if gold_pairs else 1.0,
        same_topic_pairs=len(topic),
        same_topic_false_merges=false_merges,
        funnel=funnel,
    )


def _prf(predicted: pd.Series, actual: pd.Series, labels: list[str]) -> pd.DataFrame:
    rows = []
    for label in labels:
        tp = int(((predicted == label) & (actual == label)).sum())
        p = tp / max(int((predicted == label).sum()), 1)
        r = tp / max(int((actual == label).sum()), 1)
        rows.append({"label": label, "precision": p, "recall": r,
                     "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": int((actual == label).sum())})
    return pd.DataFrame(rows).set_index("label")


def _theme_scores(screened: pd.DataFrame, truth: pd.DataFrame) -> tuple[float | None, pd.DataFrame | None]:
    if "theme" not in screened.columns or "theme" not in truth.columns:
        return None, None
    both = truth[["id", "theme"]].merge(
        screened[["id", "theme"]].astype(str).replace("nan", ""), on="id", suffixes=("_gold", "_pred")
    )
    both = both[(both["theme_gold"] != "") & (both["theme_pred"] != "")]
    if both.empty:
        return None, None
    table = _prf(both["theme_pred"], both["theme_gold"], sorted(set(both["theme_gold"])))
    return float(table["f1"].mean()), table


def _funnel(status: pd.Series) -> pd.Series:
    counts = status.value_counts()
    n = len(status)
    after_dedup = n - counts.get(Status.DUPLICATE.value, 0)
    after_compliance = after_dedup - counts.get(Status.NON_COMPLIANT.value, 0)
    return pd.Series(
        {
            "rows": n,
            "after_dedup": after_dedup,
            "after_compliance": after_compliance,
            "after_quality (kept)": after_compliance - counts.get(Status.TOO_SIMPLE.value, 0),
        }
    )
