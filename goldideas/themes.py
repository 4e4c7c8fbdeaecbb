"""Themes without training: seed words from ``models/themes.toml``, then a nearest-centroid
refinement learned from the confidently seeded texts of the input itself (no labels needed).

A staff member can change the taxonomy by editing the TOML file; a bureau with labelled data
can train a classifier instead (``goldideas.classifier``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError
from .io import model_path, read_toml
from .vectors import term_matrix

DEFAULT_THEMES = "themes.toml"


@dataclass(frozen=True)
class ThemeSpec:
    """One theme of a taxonomy."""

    id: str
    name: str
    description: str
    seeds: dict[str, float]


def _default_weight(seed: str) -> float:
    """Longer seed words are more specific: 0.5 for one character, 1 for two, 2 for more."""
    return 0.5 if len(seed) == 1 else 1.0 if len(seed) == 2 else 2.0


def load_themes(path: str | Path | None = None) -> tuple[ThemeSpec, ...]:
    """Read a taxonomy: ``[[theme]]`` tables with id, name, description, seeds, weights."""
    path = Path(path) if path else model_path(DEFAULT_THEMES)
    data = read_toml(path, "theme")
    specs = []
    for index, raw in enumerate(data.get("theme", []), start=1):
        where = f"{path}: theme {index}"
        for key in ("id", "name", "seeds"):
            if key not in raw:
                raise ModelError(f"{where}: missing {key!r}")
        weights = raw.get("weights", {})
        seeds = {str(w): float(weights.get(w, _default_weight(str(w)))) for w in raw["seeds"]}
        specs.append(ThemeSpec(str(raw["id"]), str(raw["name"]), str(raw.get("description", "")), seeds))
    if len(specs) < 2:
        raise ModelError(f"{path}: a taxonomy needs at least two [[theme]] entries")
    return tuple(specs)


def seed_scores(texts: Sequence[str], themes: Sequence[ThemeSpec]) -> np.ndarray:
    """Sum of the weights of each theme's seed words found in each text: (n_texts, n_themes).

    Only seeds whose first character is in a text are looked for in it; weights are added in
    taxonomy order (theme, then seed)."""
    seeds = [(seed, t, weight) for t, theme in enumerate(themes) for seed, weight in theme.seeds.items()]
    by_first: dict[str, list[int]] = {}
    for k, (seed, _, _) in enumerate(seeds):
        by_first.setdefault(seed[:1], []).append(k)
    firsts = frozenset(by_first)
    always = by_first.get("", [])  # an empty seed is in every text
    scores = np.zeros((len(texts), len(themes)))
    for i, text in enumerate(texts):
        found = [k for char in firsts.intersection(text) for k in by_first[char] if seeds[k][0] in text]
        if not found and not always:
            continue
        row = [0.0] * len(themes)
        for k in sorted(found + always):
            row[seeds[k][1]] += seeds[k][2]
        scores[i] = row
    return scores


def _softmax(x: np.ndarray, temperature: float) -> np.ndarray:
    z = (x - x.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class ThemeResult:
    labels: list[str]
    confidence: np.ndarray  # probability of the chosen theme


class LexiconThemes:
    """Zero-shot theme assignment (estimator-style: parameters in ``__init__`` only).

    Seed words label the texts they clearly point at; a multinomial naive Bayes model is then
    fitted on those and refined by expectation-maximisation over all the texts of the input
    (semi-supervised, Nigam et al. 2000), so that words the seeds never named still count.

    >>> LexiconThemes().fit_predict(["建议公积金提取全程网办"], [["公积金", "提取", "全程网办"]]).labels
    ['gov_services']
    """

    def __init__(
        self,
        themes: Sequence[ThemeSpec] | None = None,
        min_margin: float = 1.5,
        iterations: int = 5,
        seed_prior: float = 1.0,
        smoothing: float = 0.1,
    ) -> None:
        self.themes = tuple(themes) if themes else load_themes()
        self.min_margin = min_margin
        self.iterations = iterations
        self.seed_prior = seed_prior
        self.smoothing = smoothing

    def _confident(self, scores: np.ndarray) -> np.ndarray:
        ordered = np.sort(scores, axis=1)
        top, second = ordered[:, -1], ordered[:, -2]
        sure: np.ndarray = (top >= 2) & (top >= self.min_margin * np.maximum(second, 0.5))
        return sure

    def fit_predict(self, texts: Sequence[str], words: Sequence[Sequence[str]]) -> ThemeResult:
        """Themes of ``texts`` (normalised) given their content ``words``."""
        if not texts:
            return ThemeResult([], np.zeros(0))
        k = len(self.themes)
        seeds = seed_scores(texts, self.themes)
        counts = term_matrix([[w for w in ws if len(w) >= 2] for ws in words])
        confident = self._confident(seeds)
        responsibilities = np.zeros((len(texts), k))
        responsibilities[confident, seeds[confident].argmax(axis=1)] = 1.0
        if not confident.any():  # nothing clear: start from the seed scores themselves
            responsibilities = seeds + 1e-3
        seed_log = self.seed_prior * np.log1p(seeds)
        for _ in range(max(self.iterations, 1)):
            word_counts = np.asarray((counts.T @ responsibilities).T) + self.smoothing
            log_word = np.log(word_counts / word_counts.sum(axis=1, keepdims=True))
            log_prior = np.log((responsibilities.sum(axis=0) + 1) / (responsibilities.sum() + k))
            log_post = np.asarray(counts @ log_word.T) + log_prior + seed_log
            responsibilities = _softmax(log_post, 1.0)
        chosen = responsibilities.argmax(axis=1)
        # naive Bayes posteriors are overconfident (words are not independent): temper them by
        # the number of words, as if each text carried a handful of independent observations
        n_words = np.asarray(counts.sum(axis=1)).ravel()
        tempered = _softmax(log_post / np.maximum(n_words / 5, 1.0)[:, None], 1.0)
        return ThemeResult(
            labels=[self.themes[c].id for c in chosen],
            confidence=tempered[np.arange(len(texts)), chosen].round(3),
        )
