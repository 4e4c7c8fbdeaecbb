"""Duplicates: exact → near → paraphrase, then the policy's representative of each group.

- exact: equal keys (content without punctuation, spaces or width differences);
- near: MinHash LSH candidates over character shingles, checked with rapidfuzz edit similarity;
- paraphrase: TF-IDF neighbours (words and character bigrams) among the near groups, accepted
  when similar or when one text's key words are contained in the other, refused when the two
  propose different actions.

Groups are the connected components of the accepted pairs (what union-find gives). Never
compares all pairs: candidates come from LSH buckets and a chunked sparse neighbour search.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .config import DedupConfig
from .minhash import band_pairs, signatures
from .reasons import Reason
from .vectors import tfidf

_CHUNK = 2048


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


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Component label of each of n nodes joined by an (m, 2) array of pairs."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if len(pairs) == 0:
        return np.arange(n)
    graph = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    labels: np.ndarray = connected_components(graph, directed=False)[1]
    return labels


def near_scores(a: Sequence[str], b: Sequence[str], enough: float = 1.0) -> np.ndarray:
    """Edit similarity (0..1) of each pair a[i], b[i]; a dropped or added clause still scores
    high through the partial ratio of the shorter key in the longer one (computed only where
    the plain ratio is below ``enough``)."""
    if not len(a):
        return np.zeros(0)
    whole = process.cpdist(a, b, scorer=fuzz.ratio, workers=-1, dtype=np.float32) / 100
    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    short, long = np.minimum(la, lb), np.maximum(la, lb)
    partial = (short >= 0.6 * long) & (short >= 12) & (whole < enough)
    if partial.any():
        idx = np.flatnonzero(partial).tolist()
        pa = [a[i] if la[i] <= lb[i] else b[i] for i in idx]
        pb = [b[i] if la[i] <= lb[i] else a[i] for i in idx]
        scores = process.cpdist(pa, pb, scorer=fuzz.partial_ratio, workers=-1, dtype=np.float32)
        whole[idx] = np.maximum(whole[idx], 0.98 * scores / 100)
    return whole.astype(np.float64)


def _analyzer(row_words: tuple[str, ...], key: str) -> list[str]:
    bigrams = [key[i : i + 2] for i in range(len(key) - 1)]
    return [*("w:" + w for w in row_words), *("c:" + g for g in bigrams)]


def paraphrase_vectors(rows: Sequence[Row]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF over content words and character bigrams."""
    docs = [_analyzer(r.words, r.key) for r in rows]
    if not any(docs):
        return sparse.csr_matrix((len(rows), 1), dtype=np.float32)
    return tfidf(docs)


def neighbour_pairs(x: sparse.csr_matrix, threshold: float, k: int) -> dict[tuple[int, int], float]:
    """Pairs (i < j) whose cosine is at least ``threshold``, up to ``k`` per row."""
    found: dict[tuple[int, int], float] = {}
    xt = x.T.tocsc()
    for start in range(0, x.shape[0], _CHUNK):
        sims = (x[start : start + _CHUNK] @ xt).tocsr()
        sims.data[sims.data < threshold] = 0
        sims.eliminate_zeros()
        for offset in range(sims.shape[0]):
            i = start + offset
            lo, hi = sims.indptr[offset], sims.indptr[offset + 1]
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            keep = cols != i
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


def _unique_keys(rows: Sequence[Row]) -> tuple[list[int], np.ndarray]:
    """First row of each distinct non-empty key, and each row's index into that list (-1: empty)."""
    first: dict[str, int] = {}
    of_row = np.full(len(rows), -1, dtype=np.int64)
    uniques: list[int] = []
    for i, row in enumerate(rows):
        if row.key:
            u = first.setdefault(row.key, len(uniques))
            if u == len(uniques):
                uniques.append(i)
            of_row[i] = u
    return uniques, of_row


def _near_groups(keys: list[str], config: DedupConfig) -> np.ndarray:
    sigs = signatures(keys, config.shingle_chars, config.num_perm, config.seed)
    pairs = band_pairs(sigs, config.bands, config.seed)
    if len(pairs):
        scores = near_scores(
            [keys[i] for i in pairs[:, 0]], [keys[j] for j in pairs[:, 1]], config.near_threshold
        )
        pairs = pairs[scores >= config.near_threshold]
    return components(len(keys), pairs)


def _paraphrase_groups(reps: list[Row], config: DedupConfig) -> tuple[np.ndarray, sparse.csr_matrix]:
    vectors = paraphrase_vectors(reps)
    idf = word_idf(reps)
    cosines = neighbour_pairs(vectors, config.candidate_threshold, config.neighbours)
    accepted = [
        pair for pair, cosine in cosines.items()
        if is_paraphrase(reps[pair[0]], reps[pair[1]], cosine, idf, config)
    ]
    return components(len(reps), np.asarray(accepted, dtype=np.int64).reshape(-1, 2)), vectors


def _stand_ins(near: np.ndarray, keys: list[str]) -> list[int]:
    """For each near group (in label order) its most informative member."""
    best: dict[int, int] = {}
    for u, label in enumerate(near.tolist()):
        if label not in best or len(keys[u]) > len(keys[best[label]]):
            best[label] = u
    return [best[label] for label in sorted(best)]


def _distinct_pairs(pairs: list[tuple[str, str]]) -> tuple[list[int], list[int]]:
    """The position of the first occurrence of each distinct pair, and for each pair the index
    of its distinct pair in that list."""
    index: dict[tuple[str, str], int] = {}
    first: list[int] = []
    of_pair = []
    for position, pair in enumerate(pairs):
        k = index.setdefault(pair, len(first))
        if k == len(first):
            first.append(position)
        of_pair.append(k)
    return first, of_pair


def _links(
    rows: Sequence[Row], pairs: list[tuple[int, int]], slot: dict[int, int],
    vectors: sparse.csr_matrix, config: DedupConfig,
) -> dict[int, DuplicateLink]:
    """The reason and similarity of each (representative, member) pair."""
    links = {
        dup: DuplicateLink(rep, Reason.EXACT_DUPLICATE, 1.0)
        for rep, dup in pairs if rows[rep].key == rows[dup].key
    }
    pending = [(rep, dup) for rep, dup in pairs if dup not in links]
    if not pending:
        return links
    # rows with equal keys score the same (a key also fixes the row of ``vectors``): each pair
    # of keys is compared once, through the first pair of rows that has it
    first, of_pending = _distinct_pairs([(rows[r].key, rows[d].key) for r, d in pending])
    reps, dups = ([pending[k][side] for k in first] for side in (0, 1))
    edit = near_scores([rows[r].key for r in reps], [rows[d].key for d in dups], config.near_threshold)
    va, vb = vectors[[slot[r] for r in reps]], vectors[[slot[d] for d in dups]]
    cosine = np.asarray(va.multiply(vb).sum(axis=1)).ravel()
    edits, cosines = edit.tolist(), cosine.tolist()
    for (rep, dup), k in zip(pending, of_pending, strict=True):
        e, c = edits[k], cosines[k]
        if e >= config.near_threshold:
            links[dup] = DuplicateLink(rep, Reason.NEAR_DUPLICATE, round(e, 3))
        else:
            links[dup] = DuplicateLink(rep, Reason.PARAPHRASE, round(max(c, e), 3))
    return links


def find_duplicates(rows: Sequence[Row], config: DedupConfig) -> dict[int, DuplicateLink]:
    """Map each non-representative member of a duplicate group to its representative."""
    uniques, of_row = _unique_keys(rows)
    keys = [rows[i].key for i in uniques]
    near = _near_groups(keys, config)
    stand_ins = _stand_ins(near, keys)
    slot_of_label = {int(near[u]): k for k, u in enumerate(stand_ins)}
    para, vectors = _paraphrase_groups([rows[uniques[u]] for u in stand_ins], config)
    # slot: the row of ``vectors`` that stands for a row's near group
    slot = {i: slot_of_label[int(near[u])] for i, u in enumerate(of_row.tolist()) if u >= 0}
    groups: dict[int, list[int]] = {}
    for i, k in slot.items():
        groups.setdefault(int(para[k]), []).append(i)
    pairs: list[tuple[int, int]] = []
    for members in groups.values():
        if len(members) > 1:
            rep = _representative(members, rows)
            pairs.extend((rep, i) for i in members if i != rep)
    return _links(rows, pairs, slot, vectors, config)
