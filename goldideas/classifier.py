"""A classifier for any taxonomy, trained from a few hundred labelled suggestions.

Word (jieba, our dictionary) and character n-gram TF-IDF, multinomial logistic regression with
probabilities as confidences. Unlabelled texts of the same source may be given: with
``self_training``, confident predictions on them are added as extra training examples. A
taxonomy's own words may be given too: ``descriptions``, (label, text) pairs such as a label and
the name of one of its sub-categories, each added as a short training example of its label.

Saved as ``model.json`` (vocabulary, classes, settings) plus ``weights.npz`` (numpy arrays,
loaded with ``allow_pickle=False``): no pickle anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from .errors import InputError, ModelError
from .io import read_saved, write_saved
from .normalize import normalize
from .segment import Tokenizer
from .vectors import fit_idf, transform

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "goldideas-classifier/1"
_FILES = ("model.json", "weights.npz")


def _features(
    text: str, tok: Tokenizer, char_ngrams: tuple[int, int], first_line_weight: int = 0,
    all_title: bool = False,
) -> list[str]:
    """Word (``w:``) and character n-gram (``c:``) terms of ``text``; with ``first_line_weight``,
    the terms of its first line (a title) once more under their own names (``w^``, ``c^``),
    repeated that many times, so that the model can learn how much a title says. A text of one
    line (as ``screen`` passes them, newlines normalised away) gets no title terms, unless
    ``all_title``: then the whole text is a title (as a label's description is)."""
    terms = _terms(text, tok, char_ngrams)
    first, newline, _ = text.strip().partition("\n")
    if all_title:
        first, newline = text, "\n"
    if first_line_weight > 0 and newline:  # a text of one line has no title
        terms += [t[:1] + "^" + t[2:] for t in _terms(first, tok, char_ngrams)] * first_line_weight
    return terms


def _terms(text: str, tok: Tokenizer, char_ngrams: tuple[int, int]) -> list[str]:
    norm = normalize(text)
    words = ["w:" + w for w in tok.content_words(norm.content)]
    key = norm.key
    lo, hi = char_ngrams
    chars = ["c:" + key[i : i + n] for n in range(lo, hi + 1) for i in range(len(key) - n + 1)]
    return words + chars


class TextClassifier:
    """TF-IDF + logistic regression, estimator-style (``fit`` returns self; learned state ends
    in ``_``). ``class_weight="balanced"`` weighs each label by the inverse of its frequency, so
    that small labels are not traded away for large ones (macro-F1 counts every label alike).

    >>> model = TextClassifier().fit(["公积金提取", "地铁末班车"] * 3, ["政务", "交通"] * 3)
    >>> model.predict(["公积金怎么提取"])[0]
    ['政务']
    """

    def __init__(
        self,
        C: float = 100.0,
        char_ngrams: tuple[int, int] = (1, 3),
        min_df: int = 2,
        self_training: bool = False,
        self_training_threshold: float = 0.9,
        class_weight: str | None = "balanced",
        first_line_weight: int = 3,
        temperature: float = 1.0,
    ) -> None:
        self.C = C
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.self_training = self_training
        self.self_training_threshold = self_training_threshold
        self.class_weight = class_weight
        self.first_line_weight = first_line_weight
        self.temperature = temperature

    def get_params(self) -> dict[str, Any]:
        return {"C": self.C, "char_ngrams": self.char_ngrams, "min_df": self.min_df,
                "self_training": self.self_training,
                "self_training_threshold": self.self_training_threshold,
                "class_weight": self.class_weight, "first_line_weight": self.first_line_weight,
                "temperature": self.temperature}

    # -- vectorising -------------------------------------------------------------------------
    def _docs(self, texts: Sequence[str], all_title: bool = False) -> list[list[str]]:
        tok = Tokenizer()
        return [_features(t, tok, self.char_ngrams, self.first_line_weight, all_title) for t in texts]

    def _fit_vocabulary(self, docs: list[list[str]]) -> None:
        self.vocabulary_, self.idf_ = fit_idf(docs, self.min_df)

    def _transform(self, docs: list[list[str]]) -> sparse.csr_matrix:
        return transform(docs, self.vocabulary_, self.idf_)

    # -- estimator ---------------------------------------------------------------------------
    def fit(
        self, texts: Sequence[str], labels: Sequence[str], unlabeled: Sequence[str] = (),
        descriptions: Sequence[tuple[str, str]] = (),
    ) -> TextClassifier:
        """Learn from labelled texts (and, optionally, unlabelled texts of the same source, and
        ``descriptions`` of the labels; those of labels not among ``labels`` are left out)."""
        from sklearn.linear_model import LogisticRegression

        if len(texts) != len(labels) or not texts:
            raise ModelError("fit needs as many labels as texts, and at least one of each")
        if len(set(labels)) < 2:
            raise ModelError("fit needs at least two different labels")
        known = set(labels)
        described = [(label, text) for label, text in descriptions if label in known]
        labels = [*labels, *(label for label, _ in described)]
        docs = self._docs(texts) + self._docs([text for _, text in described], all_title=True)
        extra = self._docs(unlabeled) if unlabeled and self.self_training else []
        self._fit_vocabulary(docs)
        x, y = self._transform(docs), np.asarray(labels, dtype=object)
        if self.class_weight not in (None, "balanced"):
            raise ModelError(f"class_weight must be None or 'balanced', not {self.class_weight!r}")
        model = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight)
        model.fit(x, y)
        if self.self_training and extra:
            xu = self._transform(extra)
            proba = model.predict_proba(xu)
            sure = proba.max(axis=1) >= self.self_training_threshold
            if sure.any():
                x = sparse.vstack([x, xu[sure]]).tocsr()
                y = np.concatenate([y, model.classes_[proba[sure].argmax(axis=1)]])
                model = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight)
                model.fit(x, y)
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = np.asarray(model.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(model.intercept_, dtype=np.float64)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("this classifier is not fitted yet; call fit() or load_classifier()")

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        self._check_fitted()
        scores = (self._transform(self._docs(texts)) @ self.coef_.T + self.intercept_) / self.temperature
        if len(self.classes_) == 2 and self.coef_.shape[0] == 1:  # sklearn's binary layout
            scores = np.hstack([-scores, scores])
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        proba: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return proba

    def predict(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        """Labels and their probabilities."""
        if not texts:
            return [], []
        proba = self.predict_proba(texts)
        chosen = proba.argmax(axis=1)
        return [self.classes_[c] for c in chosen], proba[np.arange(len(texts)), chosen].round(3).tolist()

    # -- persistence -------------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write ``model.json`` and ``weights.npz`` into ``folder``."""
        self._check_fitted()
        terms = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        meta: dict[str, Any] = {
            "format": FORMAT,
            "params": {**self.get_params(), "char_ngrams": list(self.char_ngrams)},
            "classes": self.classes_,
            "terms": terms,
        }
        return write_saved(folder, _FILES, meta,
                           {"coef": self.coef_, "intercept": self.intercept_, "idf": self.idf_})


def load_classifier(folder: str | Path) -> TextClassifier:
    """Load a classifier saved by ``TextClassifier.save`` (JSON and numpy only, no pickle)."""
    meta, weights = read_saved(folder, _FILES, ("coef", "intercept", "idf"), FORMAT, "model folder")
    coef, intercept, idf = weights["coef"], weights["intercept"], weights["idf"]
    params = meta["params"]
    model = TextClassifier(
        C=params["C"], char_ngrams=tuple(params["char_ngrams"]), min_df=params["min_df"],
        self_training=params["self_training"], self_training_threshold=params["self_training_threshold"],
        # models saved before these options existed were trained without them
        class_weight=params.get("class_weight"), first_line_weight=int(params.get("first_line_weight", 0)),
        temperature=float(params.get("temperature", 1.0)),
    )
    model.vocabulary_ = {t: i for i, t in enumerate(meta["terms"])}
    model.classes_ = list(meta["classes"])
    model.coef_, model.intercept_, model.idf_ = coef, intercept, idf
    if coef.shape[1] != len(model.vocabulary_) or len(idf) != len(model.vocabulary_):
        raise ModelError(f"{folder}: weights do not match the vocabulary; retrain the model")
    return model


def out_of_fold(
    texts: Sequence[str], labels: Sequence[str], model: TextClassifier, folds: int = 5,
    seed: int = 1322, unlabeled: Sequence[str] = (), descriptions: Sequence[tuple[str, str]] = (),
) -> tuple[list[str], np.ndarray]:
    """Stratified k-fold: the classes, and each text's untempered probabilities from the fold
    model that did not see it (``descriptions`` join every training fold and are never scored)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    classes = sorted(set(labels))
    proba = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        fold = TextClassifier(**{**model.get_params(), "temperature": 1.0})
        fold.fit([texts[i] for i in train], y[train].tolist(), unlabeled, descriptions)
        columns = [classes.index(c) for c in fold.classes_]
        proba[np.ix_(test, columns)] = fold.predict_proba([texts[i] for i in test])
    return classes, proba


def cross_validate(
    texts: Sequence[str], labels: Sequence[str], model: TextClassifier, folds: int = 5,
    seed: int = 1322, unlabeled: Sequence[str] = (), descriptions: Sequence[tuple[str, str]] = (),
) -> float:
    """Macro-F1 of stratified k-fold cross-validation (see ``out_of_fold``)."""
    return cross_validate_and_calibrate(texts, labels, model, folds, seed, unlabeled, descriptions)[0]


def cross_validate_and_calibrate(
    texts: Sequence[str], labels: Sequence[str], model: TextClassifier, folds: int = 5,
    seed: int = 1322, unlabeled: Sequence[str] = (), descriptions: Sequence[tuple[str, str]] = (),
) -> tuple[float, float]:
    """Macro-F1 of stratified k-fold cross-validation, and the temperature that calibrates the
    same out-of-fold probabilities (``fit_temperature``)."""
    from sklearn.metrics import f1_score

    classes, proba = out_of_fold(texts, labels, model, folds, seed, unlabeled, descriptions)
    predicted = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    score = float(f1_score(np.asarray(labels, dtype=object), predicted, average="macro"))
    return score, fit_temperature(proba, [classes.index(label) for label in labels])


def fit_temperature(proba: np.ndarray, truth: Sequence[int]) -> float:
    """The temperature T (0.05–20) whose tempered probabilities, ``p ** (1 / T)`` renormalised,
    give the true classes (column indices) the smallest log loss: T < 1 sharpens an
    underconfident model, T > 1 softens an overconfident one. Out-of-fold probabilities keep
    it honest."""
    logp = np.log(np.clip(proba, 1e-300, None))
    rows = np.arange(len(truth))

    def loss(t: float) -> float:
        z = logp / t
        z -= z.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[rows, truth]))

    grid = np.geomspace(0.05, 20, 121)
    return float(grid[int(np.argmin([loss(t) for t in grid]))].round(3))


def read_descriptions(
    table: pd.DataFrame, label_column: str, source: str = "the taxonomy"
) -> list[tuple[str, str]]:
    """(label, text) pairs from a taxonomy table: each row's label and its other non-empty cells
    (sub-category names, say 二级分类 and 三级分类) joined on one line, once per distinct pair."""
    if label_column not in table.columns:
        raise InputError(f"{source}: no column {label_column!r} (the label column)")
    others = [c for c in table.columns if c != label_column]
    pairs = []
    for row in table.itertuples(index=False):
        cells = dict(zip(table.columns, row, strict=True))
        text = " ".join(str(cells[c]).strip() for c in others if str(cells[c]).strip())
        label = str(cells[label_column]).strip()
        if label and text:
            pairs.append((label, text))
    return list(dict.fromkeys(pairs))
