"""Triage: check a new idea against an index of an earlier round, in well under a second.

``TriageIndex.fit(screened)`` keeps the earlier kept and duplicate suggestions with their TF-IDF
vectors; ``save`` writes ``index.json`` plus ``vectors.npz`` (no pickle); ``query`` returns the
most similar earlier suggestions; ``triage`` adds the verdict of the rules for the new text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from .config import Config
from .errors import InputError, ModelError
from .io import read_saved, write_saved
from .normalize import normalize
from .reasons import Reason, Status
from .screening import Screening, screen
from .segment import Tokenizer, load_tokenizer
from .vectors import fit_idf, transform

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "goldideas-index/1"
_FILES = ("index.json", "vectors.npz")
_INDEXED = (Status.KEPT.value, Status.DUPLICATE.value)


def _terms(text: str, tok: Tokenizer) -> list[str]:
    norm = normalize(text)
    key = norm.key
    return ["w:" + w for w in tok.content_words(norm.content)] + [
        "c:" + key[i : i + 2] for i in range(len(key) - 1)
    ]


@dataclass(frozen=True)
class Match:
    id: str
    similarity: float
    status: str
    theme: str
    text: str


class TriageIndex:
    """The kept and duplicate suggestions of an earlier round, searchable by similarity."""

    def __init__(self, duplicate_threshold: float = 0.4) -> None:
        self.duplicate_threshold = duplicate_threshold
        self._postings: sparse.csr_matrix | None = None

    def fit(self, screened: pd.DataFrame) -> TriageIndex:
        """Index the kept and duplicate rows of a screened table (``to_frame()`` columns)."""
        for column in ("id", "text", "status"):
            if column not in screened.columns:
                raise InputError(f"screened table: no column {column!r}; give the output of goldideas screen")
        rows = screened[screened["status"].astype(str).isin(_INDEXED)]
        if rows.empty:
            raise InputError("screened table: no kept or duplicate rows to index")
        tok = load_tokenizer()
        docs = [_terms(t, tok) for t in rows["text"].astype(str)]
        self.vocabulary_, self.idf_ = fit_idf(docs)
        self.vectors_ = self._vectorise(docs)
        self._postings = None
        self.ids_ = rows["id"].astype(str).tolist()
        self.texts_ = rows["text"].astype(str).tolist()
        self.statuses_ = rows["status"].astype(str).tolist()
        self.themes_ = rows["theme"].astype(str).tolist() if "theme" in rows else [""] * len(rows)
        return self

    def _vectorise(self, docs: list[list[str]]) -> sparse.csr_matrix:
        return transform(docs, self.vocabulary_, self.idf_, np.float32)

    def query(self, text: str, k: int = 3, tokenizer: Tokenizer | None = None) -> list[Match]:
        """The ``k`` earlier suggestions most similar to ``text``, most similar first."""
        if not hasattr(self, "vectors_"):
            raise ModelError("this index is empty; fit() it or load_index() a saved one")
        vector = self._vectorise([_terms(text, tokenizer or load_tokenizer())])
        if getattr(self, "_postings", None) is None:  # term → suggestions, built once
            self._postings = sparse.csr_matrix(self.vectors_.T)
        # only the postings of the query's own terms are touched: an inverted index
        scores = np.asarray((vector @ self._postings).todense()).ravel()
        best = np.argsort(-scores, kind="stable")[:k]
        return [Match(self.ids_[i], round(float(scores[i]), 3), self.statuses_[i], self.themes_[i],
                      self.texts_[i]) for i in best if scores[i] > 0]

    def save(self, folder: str | Path) -> Path:
        meta = {"format": FORMAT, "duplicate_threshold": self.duplicate_threshold,
                "terms": sorted(self.vocabulary_, key=self.vocabulary_.__getitem__),
                "ids": self.ids_, "texts": self.texts_, "statuses": self.statuses_, "themes": self.themes_}
        v = self.vectors_
        return write_saved(folder, _FILES, meta, {"data": v.data, "indices": v.indices, "indptr": v.indptr,
                                                  "shape": np.asarray(v.shape), "idf": self.idf_})


def load_index(folder: str | Path) -> TriageIndex:
    """Load an index written by ``TriageIndex.save`` (JSON and numpy only)."""
    meta, parts = read_saved(folder, _FILES, ("data", "indices", "indptr", "shape", "idf"), FORMAT,
                             "index", "; build one with goldideas index")
    index = TriageIndex(float(meta["duplicate_threshold"]))
    index.vocabulary_ = {t: i for i, t in enumerate(meta["terms"])}
    index.idf_ = parts["idf"]
    index.vectors_ = sparse.csr_matrix((parts["data"], parts["indices"], parts["indptr"]),
                                       shape=tuple(parts["shape"]))
    index.ids_, index.texts_ = list(meta["ids"]), list(meta["texts"])
    index.statuses_, index.themes_ = list(meta["statuses"]), list(meta["themes"])
    return index


def triage(text: str, index: TriageIndex | None = None, config: Config | None = None) -> dict[str, Any]:
    """Verdict of the rules for one new idea, and its nearest earlier suggestions."""
    verdict = screen([text], config).verdicts[0]
    matches = index.query(text) if index is not None else []
    status, explanation = verdict.status.value, verdict.explanation
    top = matches[0] if matches else None
    threshold = index.duplicate_threshold if index is not None else 1.0
    if top is not None and verdict.status is Status.KEPT and top.similarity >= threshold:
        status = Status.DUPLICATE.value
        explanation = f"与之前的 {top.id} 提出的措施相似（相似度 {top.similarity:.2f}）"
    theme = verdict.theme or (top.theme if top is not None else "")
    return {
        "status": status, "reasons": [r.value for r in verdict.reasons], "explanation": explanation,
        "theme": theme, "compliance_rule": verdict.compliance_rule,
        "similar": [asdict(m) for m in matches],
    }


def triage_round(frame: pd.DataFrame, index: TriageIndex, config: Config | None = None) -> Screening:
    """Screen a new round, then mark each new kept suggestion that repeats an earlier one as a
    duplicate of that earlier id."""
    result = screen(frame, config)
    tok = load_tokenizer()
    verdicts = []
    for v in result.verdicts:
        if v.status is Status.KEPT:
            matches = index.query(v.text, k=1, tokenizer=tok)
            if matches and matches[0].similarity >= index.duplicate_threshold:
                earlier = matches[0]
                said = f"与上一轮的 {earlier.id} 提出的措施相同（相似度 {earlier.similarity:.2f}）"
                v = replace(v, status=Status.DUPLICATE, reasons=(Reason.PARAPHRASE,),
                            duplicate_of=earlier.id, similarity=earlier.similarity,
                            theme=earlier.theme or v.theme, explanation=said)
        verdicts.append(v)
    return replace(result, verdicts=tuple(verdicts))
