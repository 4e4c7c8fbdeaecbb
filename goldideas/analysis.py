"""What the stages learn about each distinct text, on every core for large inputs.

Two passes, because the policy's order makes the second unnecessary for most rows of a large
input: ``analyse`` gives every text its comparison forms and words (what dedup and themes need
of every row); ``check`` runs compliance and quality only on the texts whose rows' verdicts
depend on their own text (a duplicate of a kept row is a duplicate whatever its own checks say).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from .compliance import ComplianceHit, Rulebook, check_compliance, load_rulebook
from .compliance_model import ComplianceModel, load_compliance_model, second_opinions
from .config import Config
from .io import model_path
from .normalize import normalize, redact
from .parallel import fork_map
from .quality import Lexicons, assess_quality, extract_features, load_lexicons
from .reasons import Reason
from .segment import load_tokenizer


class Analysis(NamedTuple):
    """A text's comparison forms and content words; a plain tuple, cheap to pickle back from a
    worker and small in memory."""

    normalized: str
    content: str
    key: str
    words: tuple[str, ...]


class Checks(NamedTuple):
    """A text's own compliance and quality findings."""

    hit: ComplianceHit | None
    score: float  # quality score
    too_simple: Reason | None
    note: str  # the quality detail for the explanation


@lru_cache(maxsize=4)
def rulebook_at(path: str) -> Rulebook:
    """The rulebook of a config (empty: the shipped one), loaded once per process."""
    return load_rulebook(path or model_path("compliance.toml"))


@lru_cache(maxsize=1)
def compliance_model() -> ComplianceModel:
    """The shipped learned compliance model, loaded once per process."""
    return load_compliance_model(model_path("compliance_model.json"))


def check_texts(found: Sequence[Analysis], rulebook: Rulebook, config: Config) -> list[ComplianceHit | None]:
    """The rulebook's verdict on each text, else the learned model's second opinion on its
    content (greetings, signatures and contact details set aside)."""
    window = config.compliance.negation_window_chars
    hits = [check_compliance(a.normalized, rulebook, window) for a in found]
    if config.compliance.learned == "on" and rulebook.learned:
        unsettled = [i for i, hit in enumerate(hits) if hit is None]
        opinions = second_opinions([found[i].content for i in unsettled], compliance_model(), rulebook,
                                   config.compliance.learned_min_probability, window)
        for i, hit in zip(unsettled, opinions, strict=True):
            hits[i] = hit
    return hits


@lru_cache(maxsize=4)
def lexicons_at(path: str) -> Lexicons:
    """The quality lexicons of a config (empty: the shipped ones), loaded once per process."""
    return load_lexicons(path or model_path("quality.toml"))


def _analyse_chunk(texts: Sequence[str], config: Config) -> list[Analysis]:
    """Normalise and segment texts; texts that differ only in greetings, signatures or contact
    details are segmented once."""
    tok = load_tokenizer(config.segment.userdict, config.segment.stopwords, config.segment.backend)
    by_content: dict[str, tuple[str, ...]] = {}
    out = []
    for text in texts:
        norm = normalize(text)
        words = by_content.get(norm.content)
        if words is None:
            words = by_content[norm.content] = tok.words(norm.content)
        out.append(Analysis(norm.normalized, norm.content, norm.key, words))
    return out


class _Redacted(NamedTuple):
    """A text's analysis, and the text with contact details masked ("": nothing masked)."""

    normalized: str
    content: str
    key: str
    words: tuple[str, ...]
    redacted: str


def _analyse_redact_chunk(texts: Sequence[str], config: Config) -> list[_Redacted]:
    """``_analyse_chunk`` and the masked text, in the same pass over the texts."""
    out = []
    for text, a in zip(texts, _analyse_chunk(texts, config), strict=True):
        masked = redact(text)
        out.append(_Redacted(*a, "" if masked == text else masked))
    return out


def _check_chunk(found: Sequence[Analysis], config: Config) -> list[Checks]:
    """Compliance and quality of analysed texts."""
    rulebook = rulebook_at(config.compliance.rulebook)
    lexicons = lexicons_at(config.quality.lexicons)
    out = []
    for a, hit in zip(found, check_texts(found, rulebook, config), strict=True):
        features = extract_features(a.key, a.words, lexicons, a.normalized)
        quality = assess_quality(features, a.key, config.quality)
        out.append(Checks(hit, quality.score, quality.reason, quality.note))
    return out


# a text's checks cost about three times its analysis: they are worth a pool from fewer texts
_CHECK_COST = 3


def analyse(texts: Sequence[str], config: Config) -> list[Analysis]:
    """The analysis of each text, computed once per distinct text (re-posts and copies cost
    nothing twice); equal normalised texts share one analysis object."""
    distinct = list(dict.fromkeys(texts))
    return _shared(texts, distinct, fork_map(_analyse_chunk, distinct, config))


def analyse_and_redact(texts: Sequence[str], config: Config) -> tuple[list[Analysis], list[str]]:
    """``analyse``, and each text with its contact details masked (``normalize.redact``), in
    the same pass: on every core for large inputs. A text with nothing to mask is itself."""
    distinct = list(dict.fromkeys(texts))
    found = fork_map(_analyse_redact_chunk, distinct, config)
    masked = {t: r.redacted for t, r in zip(distinct, found, strict=True) if r.redacted}
    analyses = _shared(texts, distinct, [Analysis(*r[:4]) for r in found])
    return analyses, [masked.get(t, t) for t in texts]


def _shared(texts: Sequence[str], distinct: list[str], found: list[Analysis]) -> list[Analysis]:
    """The analysis of each text from those of the distinct texts; equal normalised texts
    share one analysis object."""
    shared: dict[str, Analysis] = {}
    by_text = {t: shared.setdefault(a.normalized, a) for t, a in zip(distinct, found, strict=True)}
    return [by_text[t] for t in texts]


def check(found: Iterable[Analysis], config: Config) -> dict[str, Checks]:
    """The checks of each distinct normalised text of ``found``."""
    distinct = list({a.normalized: a for a in found}.values())
    checked = fork_map(_check_chunk, distinct, config, _CHECK_COST)
    return {a.normalized: c for a, c in zip(distinct, checked, strict=True)}
