"""Duplicates: exact → near (MinHash LSH candidates, rapidfuzz check) → paraphrase (TF-IDF
neighbours over content words and characters); union-find groups; the policy's representative.

Never compares all pairs: near candidates come from LSH buckets, paraphrase candidates from a
sparse neighbour search done in chunks.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

from .config import DedupConfig
from .reasons import Reason
from .vectors import tfidf

_MERSENNE = np.uint64((1 << 61) - 1)
_CHUNK = 2048


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving; the smaller index is the root."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class Row:
    """What dedup needs of one row."""

    key: str  # content without punctuation or spaces
    words: tuple[str, ...]  # content words
    order: tuple[str, str]  # tie-break: (submitted_at, natural id)
    measures: frozenset[str] = frozenset()  # the specific actions proposed (开通, 延长 …)


@dataclass(frozen=True)
class DuplicateLink:
    representative: int
    reason: Reason
    similarity: float


def shingles(key: str, k: int) -> list[int]:
    """crc32 hashes of the character k-grams of a key (the whole key if shorter)."""
    grams = {key[i : i + k] for i in range(max(len(key) - k + 1, 1))}
    return [zlib.crc32(g.encode()) for g in grams]


def minhash_signatures(keys: Sequence[str], config: DedupConfig) -> np.ndarray:
    """One MinHash signature (``num_perm`` values) per key, vectorised over shingles."""
    rng = np.random.default_rng(config.seed)
    a = rng.integers(1, int(_MERSENNE), size=config.num_perm, dtype=np.uint64)
    b = rng.integers(0, int(_MERSENNE), size=config.num_perm, dtype=np.uint64)
    sigs = np.full((len(keys), config.num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    for i, key in enumerate(keys):
        if not key:
            continue
        h = np.asarray(shingles(key, config.shingle_chars), dtype=np.uint64)[:, None]
        sigs[i] = ((h * a + b) % _MERSENNE).min(axis=0)
    return sigs


def lsh_candidates(sigs: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Pairs that share at least one band of their signatures."""
    rows_per_band = sigs.shape[1] // bands
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        chunk = np.ascontiguousarray(sigs[:, band * rows_per_band : (band + 1) * rows_per_band])
        buckets: dict[bytes, list[int]] = {}
        for i, row in enumerate(chunk):
            buckets.setdefault(row.tobytes(), []).append(i)
        for members in buckets.values():
            if 1 < len(members) <= 200:  # a huge bucket is empty text or boilerplate
                first = members[0]
                pairs.update((first, m) for m in members[1:])
                pairs.update((members[j], members[j + 1]) for j in range(1, len(members) - 1))
    return pairs


def near_similarity(a: str, b: str) -> float:
    """Edit similarity of two keys; a dropped or added clause still scores high."""
    whole = fuzz.ratio(a, b) / 100
    short, long = sorted((a, b), key=len)
    if len(short) >= 0.6 * len(long) and len(short) >= 12:
        return max(whole, 0.98 * fuzz.partial_ratio(short, long) / 100)
    return whole


def _analyzer(row_words: tuple[str, ...], key: str) -> list[str]:
    bigrams = [key[i : i + 2] for i in range(len(key) - 1)]
    return [*("w:" + w for w in row_words), *("c:" + g for g in bigrams)]


def paraphrase_vectors(rows: Sequence[Row]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF over content words and character bigrams."""
    docs = [_analyzer(r.words, r.key) for r in rows]
    if not any(docs):
        return sparse.csr_matrix((len(rows), 1))
    return tfidf(docs)


def neighbour_pairs(x: sparse.csr_matrix, threshold: float, k: int) -> dict[tuple[int, int], float]:
    """Pairs (i < j) whose cosine is at least ``threshold``, up to ``k`` per row."""
    found: dict[tuple[int, int], float] = {}
    xt = x.T.tocsc()
    for start in range(0, x.shape[0], _CHUNK):
        sims = (x[start : start + _CHUNK] @ xt).tocsr()
        for offset in range(sims.shape[0]):
            i = start + offset
            lo, hi = sims.indptr[offset], sims.indptr[offset + 1]
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            keep = (vals >= threshold) & (cols != i)
            cols, vals = cols[keep], vals[keep]
            if len(vals) > k:
                top = np.argsort(-vals, kind="stable")[:k]
                cols, vals = cols[top], vals[top]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                pair = (min(i, j), max(i, j))
                found[pair] = max(found.get(pair, 0.0), float(v))
    return found


def word_idf(rows: Sequence[Row]) -> dict[str, float]:
    """Smoothed inverse document frequency of each content word over the input itself."""
    df: dict[str, int] = {}
    for row in rows:
        for word in set(row.words):
            df[word] = df.get(word, 0) + 1
    n = len(rows)
    return {w: math.log((n + 1) / (d + 1)) + 1 for w, d in df.items()}


def containment(
    a: Sequence[str], b: Sequence[str], idf: dict[str, float], min_shared: int = 1
) -> float:
    """IDF-weighted share of the lighter text's content words found in the other text.

    A duplicate usually says less than its representative, in the same key words:
    "上班族周末晚上能不能多开几个钟头" is contained in a detailed proposal for 博物馆周末延时开放.
    """
    wa = {w for w in a if len(w) >= 2 and not w.isdigit()}
    wb = {w for w in b if len(w) >= 2 and not w.isdigit()}
    mass_a, mass_b = sum(idf.get(w, 1.0) for w in wa), sum(idf.get(w, 1.0) for w in wb)
    small, large, mass = (wa, wb, mass_a) if mass_a <= mass_b else (wb, wa, mass_b)
    shared = small & large
    if not mass or len(shared) < min_shared:
        return 0.0
    return sum(idf.get(w, 1.0) for w in shared) / mass


def measure_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter list of proposed actions found in the other; 0 when one is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_paraphrase(a: Row, b: Row, cosine: float, idf: dict[str, float], config: DedupConfig) -> bool:
    """Same measure for the same problem: similar wording or one text's key words contained in
    the other, unless the two propose different actions (same service, different measures)."""
    similar = cosine >= config.paraphrase_threshold or (
        containment(a.words, b.words, idf, config.min_shared_words) >= config.containment_threshold
    )
    if not similar:
        return False
    if cosine >= config.same_measure_cosine or not (a.measures and b.measures):
        return True
    return measure_overlap(a.measures, b.measures) >= config.measure_overlap_min


def _representative(members: list[int], rows: Sequence[Row]) -> int:
    return min(members, key=lambda i: (-len(rows[i].key), rows[i].order))


def _link(rep: int, i: int, rows: Sequence[Row], cosine: float, config: DedupConfig) -> DuplicateLink:
    a, b = rows[rep].key, rows[i].key
    if a == b:
        return DuplicateLink(rep, Reason.EXACT_DUPLICATE, 1.0)
    near = near_similarity(a, b)
    if near >= config.near_threshold:
        return DuplicateLink(rep, Reason.NEAR_DUPLICATE, round(near, 3))
    return DuplicateLink(rep, Reason.PARAPHRASE, round(max(cosine, near), 3))


def find_duplicates(rows: Sequence[Row], config: DedupConfig) -> dict[int, DuplicateLink]:
    """Map each non-representative member of a duplicate group to its representative."""
    n = len(rows)
    uf = UnionFind(n)
    by_key: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row.key:
            uf.union(by_key.setdefault(row.key, i), i)
    sigs = minhash_signatures([r.key for r in rows], config)
    for i, j in lsh_candidates(sigs, config.bands):
        if rows[i].key and rows[j].key and near_similarity(rows[i].key, rows[j].key) >= (
            config.near_threshold
        ):
            uf.union(i, j)
    vectors = paraphrase_vectors(rows)
    idf = word_idf(rows)
    cosines = neighbour_pairs(vectors, config.candidate_threshold, config.neighbours)
    for (i, j), cosine in sorted(cosines.items(), key=lambda kv: (-kv[1], kv[0])):
        if rows[i].key and rows[j].key and is_paraphrase(rows[i], rows[j], cosine, idf, config):
            uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(uf.find(i), []).append(i)
    links: dict[int, DuplicateLink] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        rep = _representative(members, rows)
        rep_vec = vectors[rep]
        for i in members:
            if i != rep:
                cosine = float(rep_vec.multiply(vectors[i]).sum())
                links[i] = _link(rep, i, rows, cosine, config)
    return links
