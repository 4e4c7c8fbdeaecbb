"""Work split over forked processes gives what one process gives."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from goldideas.io import load_corpus
from goldideas.near import near_scores
from goldideas.parallel import fork_split


def _lengths(items: Sequence[str], start: int, stop: int) -> np.ndarray:
    return np.array([len(t) for t in items[start:stop]], dtype=np.int64)


@pytest.mark.parametrize(("workers", "min_items"), [(1, 1), (2, 1), (3, 4), (2, 1000)],
                         ids=["one-process", "two", "three", "too-few-to-split"])
def test_a_split_computation_is_the_whole_one(workers: int, min_items: int) -> None:
    texts = [f"建议{'窗口' * i}开通周末预约" for i in range(37)]
    assert np.array_equal(fork_split(_lengths, texts, workers, min_items), _lengths(texts, 0, len(texts)))


def test_partial_ratios_on_two_processes_are_those_of_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Keys with a clause dropped or added score the same however their pairs are split."""
    from goldideas import near

    texts = load_corpus()["text"].head(120).tolist()
    a = texts[:60] + [t[: len(t) * 3 // 4] for t in texts[60:]]
    b = [t[len(t) // 5 :] for t in texts[:60]] + texts[60:]
    alone = near_scores(a, b, 0.8, workers=1)
    monkeypatch.setattr(near, "_MIN_PARTIAL_PAIRS", 10)
    assert np.array_equal(near_scores(a, b, 0.8, workers=2), alone)
    assert (alone > 0.5).any()
