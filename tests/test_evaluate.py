"""Scoring a screening against gold labels."""

from __future__ import annotations

import pandas as pd
import pytest

from goldideas.evaluate import evaluate


def test_perfect_screening_scores_one(gold: pd.DataFrame) -> None:
    screened = gold[["id", "status", "duplicate_of"]].assign(
        group_id=gold["duplicate_of"].where(gold["duplicate_of"] != "", gold["id"])
    )
    result = evaluate(screened, gold)
    assert result.per_status["f1"].min() == pytest.approx(1.0)
    assert result.pair_precision == result.pair_recall == 1.0
    assert result.same_topic_false_merges == 0


def test_merging_a_same_topic_pair_is_counted(gold: pd.DataFrame) -> None:
    a, b = gold.loc[gold["same_topic_as"] != "", ["id", "same_topic_as"]].iloc[0]
    screened = gold[["id", "status", "duplicate_of"]].copy()
    screened["group_id"] = screened["id"]
    screened.loc[screened["id"] == b, "group_id"] = a
    assert evaluate(screened, gold).same_topic_false_merges == 1
