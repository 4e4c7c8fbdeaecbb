"""Character-shingle MinHash and LSH banding, vectorised with numpy over many texts at once.

Hashing wraps in 64 bits on purpose (multiply-add universal hashing); every step is seeded, so
the same texts give the same signatures on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_PRIME = np.uint64(1_000_003)
_CHUNK_CHARS = 100_000  # shingles per batch: ~1 MB per array, so that the 64 passes stay in cache


def _shingle_batch(keys: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the character k-grams of non-empty keys (the whole key when shorter than k),
    and for each key the offset of its first gram."""
    lengths = np.fromiter((len(s) for s in keys), dtype=np.int64, count=len(keys))
    cps = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + 1
    starts = np.cumsum(lengths) - lengths
    grams = np.maximum(lengths - k + 1, 1)
    offsets = np.cumsum(grams) - grams
    owner = np.repeat(np.arange(len(keys)), grams)
    position = np.arange(owner.size) - offsets[owner] + starts[owner]
    hashes = np.zeros(owner.size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            inside = j < lengths[owner]
            index = np.minimum(position + j, cps.size - 1)
            hashes = hashes * _PRIME + np.where(inside, cps[index], np.uint64(0))
    return hashes, offsets


def signatures(keys: Sequence[str], shingle_chars: int, num_perm: int, seed: int) -> np.ndarray:
    """One MinHash signature (``num_perm`` uint64 values) per key; empty keys get all-max rows.

    >>> signatures(["建议开通周末预约"], 3, 4, 1).shape
    (1, 4)
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    sigs = np.full((len(keys), num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    present = [i for i, key in enumerate(keys) if key]
    batch: list[int] = []
    size = 0

    def flush() -> None:
        hashes, offsets = _shingle_batch([keys[i] for i in batch], shingle_chars)
        permuted = np.empty_like(hashes)
        with np.errstate(over="ignore"):
            for p in range(num_perm):
                np.multiply(hashes, a[p], out=permuted)
                np.add(permuted, b[p], out=permuted)
                sigs[batch, p] = np.minimum.reduceat(permuted, offsets)

    for i in present:
        batch.append(i)
        size += len(keys[i])
        if size >= _CHUNK_CHARS:
            flush()
            batch, size = [], 0
    if batch:
        flush()
    return sigs


def band_pairs(sigs: np.ndarray, bands: int, seed: int) -> np.ndarray:
    """Pairs (i, j), i < j, of rows that agree on at least one band, as an (m, 2) array.

    Each bucket is linked as a star (its first row to each other), which keeps the pair count
    linear in the bucket size and the connected components the same as all pairs.
    """
    n, num_perm = sigs.shape
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    rows_per_band = num_perm // bands
    rng = np.random.default_rng(seed + 1)
    mult = rng.integers(1, 2**63, size=rows_per_band, dtype=np.uint64) | np.uint64(1)
    found = []
    empty = (sigs == np.iinfo(np.uint64).max).all(axis=1)
    for band in range(bands):
        cols = sigs[:, band * rows_per_band : (band + 1) * rows_per_band]
        with np.errstate(over="ignore"):
            bucket = (cols * mult).sum(axis=1, dtype=np.uint64)
        order = np.argsort(bucket, kind="stable")
        ordered = bucket[order]
        new_group = np.ones(n, dtype=bool)
        new_group[1:] = ordered[1:] != ordered[:-1]
        head = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
        members = ~new_group
        found.append(np.stack([order[head[members]], order[members]], axis=1))
    pairs = np.concatenate(found)
    pairs = pairs[~empty[pairs[:, 0]] & ~empty[pairs[:, 1]]]  # empty keys never match
    pairs = np.sort(pairs, axis=1)
    if not len(pairs):
        return pairs
    # one int64 per pair (i * n + j) sorts and deduplicates like the rows themselves, faster
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)
