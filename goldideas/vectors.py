"""Sparse term vectors without scikit-learn's import cost (about a second at start-up)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse


def term_matrix(docs: Sequence[Iterable[str]], binary: bool = False) -> sparse.csr_matrix:
    """Documents (lists of terms) → counts, one row per document, columns by first appearance."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for doc in docs:
        counts: dict[int, int] = {}
        for term in doc:
            col = vocab.setdefault(term, len(vocab))
            counts[col] = counts.get(col, 0) + 1
        indices.extend(counts)
        data.extend([1] * len(counts) if binary else counts.values())
        indptr.append(len(indices))
    shape = (len(docs), max(len(vocab), 1))
    return sparse.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), indptr), shape=shape
    )


def fit_idf(docs: Sequence[Iterable[str]], min_df: int = 1) -> tuple[dict[str, int], np.ndarray]:
    """Vocabulary (terms in at least ``min_df`` documents, sorted) and smoothed IDF weights."""
    df: dict[str, int] = {}
    for doc in docs:
        for term in set(doc):
            df[term] = df.get(term, 0) + 1
    terms = sorted(t for t, d in df.items() if d >= min_df)
    n = len(docs)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in terms], dtype=np.float64)
    return {t: i for i, t in enumerate(terms)}, idf


def transform(
    docs: Sequence[Iterable[str]], vocabulary: dict[str, int], idf: np.ndarray,
    dtype: type = np.float64,
) -> sparse.csr_matrix:
    """Sublinear TF × IDF over a fixed vocabulary (unknown terms ignored), rows L2-normalised."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    for r, doc in enumerate(docs):
        counts: dict[int, int] = {}
        for term in doc:
            c = vocabulary.get(term)
            if c is not None:
                counts[c] = counts.get(c, 0) + 1
        rows += [r] * len(counts)
        cols += list(counts)
        vals += list(counts.values())
    x = sparse.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)),
                          shape=(len(docs), len(vocabulary)))
    x.data = (1 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ x, dtype=dtype)


def tfidf(docs: Sequence[Iterable[str]]) -> sparse.csr_matrix:
    """Sublinear TF × smoothed IDF, rows L2-normalised (as scikit-learn's TfidfVectorizer with
    ``sublinear_tf=True``)."""
    counts = term_matrix(docs)
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ counts, dtype=np.float32)
