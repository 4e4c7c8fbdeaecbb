"""Themes without training: seed words from ``models/themes.toml``, then a naive Bayes model
learned from the confidently seeded texts of the input itself and refined by EM (no labels needed).

A staff member can change the taxonomy by editing the TOML file; a bureau with labelled data
can train a classifier instead (``goldideas.classifier``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

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
    channel: frozenset[str] = frozenset()  # seeds naming how a service is delivered, not a subject


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
        channel = [str(w) for w in raw.get("channel", [])]
        seeds = {w: float(weights.get(w, _default_weight(w))) for w in [*map(str, raw["seeds"]), *channel]}
        specs.append(ThemeSpec(str(raw["id"]), str(raw["name"]), str(raw.get("description", "")), seeds,
                               frozenset(channel)))
    if len(specs) < 2:
        raise ModelError(f"{path}: a taxonomy needs at least two [[theme]] entries")
    return tuple(specs)


_Seeds = tuple[tuple[tuple[str, float, bool], ...], ...]  # per theme: (seed, weight, is channel)


class _SeedIndex(NamedTuple):
    """Every seed of a taxonomy: one pattern, each seed's column, and per column the weight it
    adds to each theme as a subject word and as a channel word."""

    pattern: re.Pattern[str]
    column: dict[str, int]
    subject: np.ndarray  # (n_seeds, n_themes)
    channel: np.ndarray


def _seed_index(themes: Sequence[ThemeSpec]) -> _SeedIndex:
    return _compiled_seeds(
        tuple(tuple((w, weight, w in theme.channel) for w, weight in theme.seeds.items()) for theme in themes)
    )


@lru_cache(maxsize=8)
def _compiled_seeds(seeds: _Seeds) -> _SeedIndex:
    """Built once per taxonomy (a few milliseconds, as long as triaging an idea)."""
    column = {seed: c for c, seed in enumerate(sorted({seed for theme in seeds for seed, _, _ in theme}))}
    subject = np.zeros((len(column), len(seeds)))
    channel = np.zeros_like(subject)
    for t, theme_seeds in enumerate(seeds):
        for seed, weight, is_channel in theme_seeds:
            (channel if is_channel else subject)[column[seed], t] += weight
    return _SeedIndex(re.compile(_trie_pattern(column)), column, subject, channel)


_Trie = dict[str, "_Trie"]  # one character → the words' continuations; "" marks a word's end


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching the longest of ``words`` at each position, written as a
    trie (公(?:积金|证处)…): the same matches as the words longest first, in half the time."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie) if trie else "(?!)"


def _node_pattern(node: _Trie) -> str:
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # a word may end here: try the longer words through this node first, then stop
    return f"(?:{body})?" if "" in node else body


_LEAD_END = re.compile(r"[。！？!?；;\n]")


def _lead(text: str) -> str:
    """The first sentence (or the title line): where a suggestion usually names its subject."""
    return _LEAD_END.split(text, maxsplit=1)[0]


def seed_scores(
    texts: Sequence[str], themes: Sequence[ThemeSpec], channel_share: float = 1.0, lead_weight: float = 0.0
) -> np.ndarray:
    """Sum of the weights of each theme's seed words found in each text: (n_texts, n_themes).

    Each seed counts once per text. Seeds are matched longest first without overlap, so a seed
    inside a longer one that matched does not count: 告知承诺 is a 政务服务 word, and the 承诺
    inside it is not evidence for 诚信法治. A channel word (网上办, 窗口) counts in full only
    when no other theme's subject word occurs; beside one it counts ``channel_share`` of its
    weight: 燃气报装网上办 is about gas, not about the online service. Seeds of the first
    sentence count ``lead_weight`` more."""
    if not themes or not any(theme.seeds for theme in themes):
        return np.zeros((len(texts), len(themes)))
    index = _seed_index(themes)
    found = [_found(text, index) for text in texts]
    scores = _weighed(found, index, channel_share)
    if lead_weight:
        # a text of one sentence is its own lead: its seeds are already known
        in_lead = [f if (lead := _lead(text)) == text else _found(lead, index)
                   for f, text in zip(found, texts, strict=True)]
        scores += lead_weight * _weighed(in_lead, index, channel_share)
    return scores


def _found(text: str, index: _SeedIndex) -> set[int]:
    """The columns of the seeds that occur in ``text``."""
    return {index.column[seed] for seed in index.pattern.findall(text)}


def _weighed(found: Sequence[set[int]], index: _SeedIndex, channel_share: float) -> np.ndarray:
    """Seed sets → theme scores, a channel word counting ``channel_share`` beside a subject word."""
    rows = np.repeat(np.arange(len(found)), [len(f) for f in found])
    columns = np.fromiter((c for f in found for c in f), dtype=np.int64, count=len(rows))
    occurs = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(found), len(index.column)))
    subject, channel = np.asarray(occurs @ index.subject), np.asarray(occurs @ index.channel)
    other = subject.sum(axis=1, keepdims=True) - subject
    out: np.ndarray = subject + channel * np.where(other > 0, channel_share, 1.0)
    return out


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
        seed_prior: float = 3.0,
        smoothing: float = 0.1,
        words_per_observation: float = 10.0,
        channel_share: float = 0.25,
        lead_weight: float = 0.5,
    ) -> None:
        self.themes = tuple(themes) if themes else load_themes()
        self.min_margin = min_margin
        self.iterations = iterations
        self.seed_prior = seed_prior
        self.smoothing = smoothing
        self.words_per_observation = words_per_observation
        self.channel_share = channel_share
        self.lead_weight = lead_weight

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
        seeds = seed_scores(texts, self.themes, self.channel_share, self.lead_weight)
        # channel words name how or where, not what: the word model does not learn them either
        channel = frozenset().union(*(theme.channel for theme in self.themes))
        counts = term_matrix([[w for w in ws if len(w) >= 2 and w not in channel] for ws in words])
        confident = self._confident(seeds)
        responsibilities = np.zeros((len(texts), k))
        responsibilities[confident, seeds[confident].argmax(axis=1)] = 1.0
        if not confident.any():  # nothing clear: start from the seed scores themselves
            responsibilities = seeds + 1e-3
        seed_log = self.seed_prior * np.log1p(seeds)
        # words are not independent: a long text's word likelihood would drown its seed words, so
        # it counts as if every ``words_per_observation`` words were one independent observation
        n_words = np.asarray(counts.sum(axis=1)).ravel()
        damping = np.maximum(n_words / self.words_per_observation, 1.0)[:, None]
        for _ in range(max(self.iterations, 1)):
            word_counts = np.asarray((counts.T @ responsibilities).T) + self.smoothing
            log_word = np.log(word_counts / word_counts.sum(axis=1, keepdims=True))
            log_prior = np.log((responsibilities.sum(axis=0) + 1) / (responsibilities.sum() + k))
            log_post = np.asarray(counts @ log_word.T) / damping + log_prior + seed_log
            responsibilities = _softmax(log_post, 1.0)
        chosen = responsibilities.argmax(axis=1)
        # naive Bayes posteriors are still overconfident: temper them further by the number of
        # words, as if each text carried a handful of independent observations
        tempered = _softmax(log_post / np.maximum(n_words / 5, 1.0)[:, None], 1.0)
        return ThemeResult(
            labels=[self.themes[c].id for c in chosen],
            confidence=tempered[np.arange(len(texts)), chosen].round(3),
        )
