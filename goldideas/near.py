"""Near duplicates: MinHash LSH candidates over character shingles, checked by edit similarity
(rapidfuzz), grouped as the connected components of the accepted pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .config import DedupConfig
from .minhash import band_pairs, signatures
from .parallel import fork_split


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Component label of each of n nodes joined by an (m, 2) array of pairs; components are
    numbered in the order of their first node (as scipy's ``connected_components`` numbers them).

    Each node points at the smallest node it is known to be joined with, and pointers are
    followed to their end, until no pair joins two different ends: a handful of rounds of
    array operations (scipy's graph module costs 0.2 s to load)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    root = np.arange(n)
    if len(pairs) == 0:
        return root
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        ra, rb = root[a], root[b]
        apart = ra != rb
        if not apart.any():
            break
        low, high = np.minimum(ra[apart], rb[apart]), np.maximum(ra[apart], rb[apart])
        np.minimum.at(root, high, low)
        while True:  # follow the pointers to their ends
            further = root[root]
            if np.array_equal(further, root):
                break
            root = further
    labels: np.ndarray = np.unique(root, return_inverse=True)[1].reshape(-1)
    return labels


def near_scores(a: Sequence[str], b: Sequence[str], enough: float = 1.0, workers: int = 1) -> np.ndarray:
    """Edit similarity (0..1) of each pair a[i], b[i]; a dropped or added clause still scores
    high through the partial ratio of the shorter key in the longer one (computed only where
    the plain ratio is below ``enough``, on ``workers`` processes where there are many)."""
    if not len(a):
        return np.zeros(0)
    whole = process.cpdist(a, b, scorer=fuzz.ratio, workers=-1, dtype=np.float32) / 100
    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    short, long = np.minimum(la, lb), np.maximum(la, lb)
    partial = (short >= 0.6 * long) & (short >= 12) & (whole < enough)
    if partial.any():
        idx = np.flatnonzero(partial).tolist()
        pairs = [(a[i], b[i]) if la[i] <= lb[i] else (b[i], a[i]) for i in idx]
        scores = fork_split(_partial_ratios, pairs, workers, _MIN_PARTIAL_PAIRS)
        whole[idx] = np.maximum(whole[idx], 0.98 * scores / 100)
    return whole.astype(np.float64)


# pairs worth a forked process for their partial ratios (~0.1 ms a pair; a fork costs ~50 ms)
_MIN_PARTIAL_PAIRS = 2000


def _partial_ratios(pairs: Sequence[tuple[str, str]], start: int, stop: int) -> np.ndarray:
    """rapidfuzz's partial_ratio (0..100) of the (shorter, longer) pairs[start:stop]."""
    shorter, longer = [p[0] for p in pairs[start:stop]], [p[1] for p in pairs[start:stop]]
    scores: np.ndarray = process.cpdist(shorter, longer, scorer=fuzz.partial_ratio, dtype=np.float32)
    return scores


def near_groups(keys: list[str], config: DedupConfig, workers: int) -> np.ndarray:
    """Near-duplicate group label of each key (labels as :func:`components` gives them)."""
    sigs = signatures(keys, config.shingle_chars, config.num_perm, config.seed)
    pairs = band_pairs(sigs, config.bands, config.seed)
    if len(pairs):
        scores = near_scores(
            [keys[i] for i in pairs[:, 0]], [keys[j] for j in pairs[:, 1]], config.near_threshold, workers
        )
        pairs = pairs[scores >= config.near_threshold]
    return components(len(keys), pairs)
