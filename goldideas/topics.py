"""Sub-topics and hot topics: what people actually ask for, and how loudly.

Rule for the number of topics: average-linkage clustering on cosine distances of word TF-IDF
vectors, cut where clusters stop being similar (``distance_threshold``, default 0.9, i.e. the
members of a topic share on average at least a tenth of their weighted words). Above
``max_items`` items, the first ``max_items`` by heat are clustered and the rest join their
nearest topic. Labels: the top words of each topic by class-based TF-IDF (c-TF-IDF).
Deterministic: no random initialisation anywhere.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .vectors import term_matrix, tfidf


@dataclass(frozen=True)
class Topic:
    """One topic: a label of a few keywords, its size and heat, and its best examples."""

    topic_id: str
    label: str
    size: int  # items (distinct suggestions) in the topic
    heat: int  # submissions behind it, duplicates included, plus likes where given
    representatives: tuple[int, ...]  # item indexes, most central first
    members: tuple[int, ...]


def _cluster(vectors: sparse.csr_matrix, threshold: float) -> np.ndarray:
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    similarity = (vectors @ vectors.T).toarray()
    distance = np.clip(1 - similarity, 0, 2)
    return _average_linkage_cut(distance[np.triu_indices(n, 1)], n, threshold)


def _average_linkage_cut(condensed: np.ndarray, n: int, threshold: float) -> np.ndarray:
    """Flat clusters (0-based) of average-linkage clustering cut at ``threshold``: what
    ``fcluster(linkage(condensed, "average"), threshold, "distance") - 1`` gives."""
    condensed = np.ascontiguousarray(condensed, dtype=np.float64)
    compiled = _compiled_hierarchy()
    if compiled is None:
        from scipy.cluster.hierarchy import fcluster, linkage

        labels: np.ndarray = fcluster(linkage(condensed, method="average"), t=threshold,
                                      criterion="distance") - 1
        return labels
    tree = compiled.nn_chain(condensed, n, 2)  # 2: "average", the code scipy's linkage passes
    flat = np.zeros(n, dtype=np.intc)
    compiled.cluster_dist(np.ascontiguousarray(tree, dtype=np.float64), flat, float(threshold), n)
    return flat - 1


@lru_cache(maxsize=1)
def _compiled_hierarchy() -> Any:
    """scipy's compiled hierarchy module, loaded from its file alone: ``scipy.cluster`` loads
    scipy.spatial, scipy.special and scipy.linalg with it, 0.2 s of every start. None where the
    file or the two functions are not found (another scipy layout): then the public functions."""
    spec = importlib.util.find_spec("scipy")
    for folder in [Path(p) / "cluster" for p in (spec.submodule_search_locations or [])] if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"_hierarchy{suffix}"
            compiled = importlib.util.spec_from_file_location("scipy.cluster._hierarchy", path)
            if not path.exists() or compiled is None or compiled.loader is None:
                continue
            module = importlib.util.module_from_spec(compiled)
            compiled.loader.exec_module(module)
            return module if hasattr(module, "nn_chain") and hasattr(module, "cluster_dist") else None
    return None


def _centroids(vectors: sparse.csr_matrix, labels: np.ndarray) -> sparse.csr_matrix:
    """The mean vector of each cluster (labels 0..k-1), as one sparse product."""
    sizes = np.bincount(labels)
    members = sparse.csr_matrix((1 / sizes[labels], (labels, np.arange(len(labels)))),
                                shape=(len(sizes), len(labels)))
    return sparse.csr_matrix(members @ vectors)


def ctfidf_labels(words: Sequence[Sequence[str]], labels: np.ndarray, top: int) -> dict[int, list[str]]:
    """The ``top`` words of each cluster by class-based TF-IDF: frequent in the cluster, rare
    across clusters (W = tf(t, c) · log(1 + A / tf(t)), A the mean words per cluster)."""
    clusters = sorted(set(labels.tolist()))
    docs = [[w for i in np.flatnonzero(labels == c).tolist() for w in words[i]] for c in clusters]
    counts = term_matrix(docs)
    vocab: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            vocab.setdefault(w, len(vocab))
    terms = sorted(vocab, key=vocab.__getitem__)
    tf_total = np.asarray(counts.sum(axis=0)).ravel()
    average = counts.sum() / max(len(clusters), 1)
    weights = counts.multiply(np.log1p(average / np.maximum(tf_total, 1))).tocsr()
    out = {}
    for row, c in enumerate(clusters):
        lo, hi = weights.indptr[row], weights.indptr[row + 1]
        scored = zip(weights.data[lo:hi].tolist(), weights.indices[lo:hi].tolist(), strict=True)
        ranked = sorted(scored, key=lambda wc: (-round(wc[0], 9), terms[wc[1]]))  # ties by the word
        out[c] = [terms[col] for _, col in ranked[:top]]
    return out


def find_topics(
    words: Sequence[Sequence[str]],
    heat: Sequence[int] | None = None,
    prefix: str = "T",
    distance_threshold: float = 0.9,
    max_items: int = 3000,
    label_words: int = 4,
    min_word_chars: int = 2,
    keys: Sequence[str] | None = None,
) -> tuple[list[Topic], np.ndarray]:
    """Topics of items given their content words; returns topics by heat and each item's
    topic index (into the returned list). ``keys`` (e.g. ids) break ties between topics of
    equal heat and size, so that the order of the input changes nothing."""
    n = len(words)
    if n == 0:
        return [], np.zeros(0, dtype=np.int64)
    heat_arr = np.asarray(heat if heat is not None else [1] * n, dtype=np.int64)
    kept_words = [[w for w in ws if len(w) >= min_word_chars and not w.isdigit()] for ws in words]
    vectors = tfidf(kept_words) if any(kept_words) else sparse.csr_matrix((n, 1), dtype=np.float32)
    order = np.argsort(-heat_arr, kind="stable")
    core = np.sort(order[:max_items])
    labels = np.full(n, -1, dtype=np.int64)
    labels[core] = _cluster(vectors[core], distance_threshold)
    rest = np.setdiff1d(np.arange(n), core)
    centroids = _centroids(vectors[core], labels[core])
    if len(rest):
        labels[rest] = np.asarray((vectors[rest] @ centroids.T).todense()).argmax(axis=1).ravel()
    names = ctfidf_labels(kept_words, labels, label_words)
    # each item's similarity to its own topic's centroid, for all items in one product
    centrality = np.asarray(vectors.multiply(centroids[labels]).sum(axis=1)).ravel()
    key_of = list(keys) if keys is not None else [f"{i:012d}" for i in range(n)]
    topics = []
    for c in range(labels.max() + 1):
        members = np.flatnonzero(labels == c)
        # most central first; equally central members (the two of a pair always are) by key
        ranked = sorted(members.tolist(), key=lambda i: (-round(float(centrality[i]), 6), key_of[i]))
        topics.append((int(heat_arr[members].sum()), c, members, ranked))
    topics.sort(key=lambda t: (-t[0], -len(t[2]), min(key_of[i] for i in t[2].tolist())))
    out, index_of = [], {}
    for rank, (total, c, members, ranked) in enumerate(topics, start=1):
        index_of[c] = rank - 1
        out.append(Topic(
            topic_id=f"{prefix}{rank:03d}",
            label="·".join(names.get(c, [])) or "(无关键词)",
            size=len(members),
            heat=total,
            representatives=tuple(int(i) for i in ranked[:3]),
            members=tuple(int(i) for i in members),
        ))
    return out, np.array([index_of[c] for c in labels.tolist()], dtype=np.int64)


RANKINGS = ("heat", "messages")


@dataclass(frozen=True)
class HotTopic:
    """A topic over all submissions; ``example_row`` is its most central row."""

    topic_id: str
    label: str
    messages: int
    likes: int
    heat: int
    example_row: int


def rank_hot_topics(
    representative: Sequence[int], words: Sequence[Sequence[str]], likes: Sequence[int] | None,
    top: int, rank_by: str = "heat", order: Sequence[str] | None = None,
) -> list[HotTopic]:
    """Topics over rows, each duplicate group one item (its representative's words, given as
    each row's representative row) whose heat is its number of rows plus their likes; the
    ``top`` of them."""
    if rank_by not in RANKINGS:
        raise ValueError(f"rank_by must be one of {', '.join(RANKINGS)}; got {rank_by!r}")
    order = list(order) if order is not None else [f"{i:012d}" for i in range(len(representative))]
    groups: dict[int, list[int]] = {}
    for i, rep in enumerate(representative):
        groups.setdefault(rep, []).append(i)
    keys = list(groups)
    likes_of = list(likes) if likes is not None else [0] * len(representative)
    heat = [len(groups[k]) + sum(likes_of[i] for i in groups[k]) for k in keys]
    topics, _ = find_topics([words[k] for k in keys], heat, prefix="H", keys=[order[k] for k in keys])
    messages = {t.topic_id: sum(len(groups[keys[m]]) for m in t.members) for t in topics}
    if rank_by == "messages":
        topics.sort(key=lambda t: (-messages[t.topic_id], -t.heat, t.topic_id))
    out = []
    for t in topics[:top]:
        rows = [i for m in t.members for i in groups[keys[m]]]
        out.append(HotTopic(t.topic_id, t.label, messages[t.topic_id], sum(likes_of[i] for i in rows),
                            t.heat, keys[t.representatives[0]]))
    return out
