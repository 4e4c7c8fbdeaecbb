"""A learned second opinion on compliance, for wordings no rule was written for.

Where no rule fires, a model trained on the hand-written cases may still flag a text:
character 1–3-gram TF-IDF (digits folded to 0, no n-gram across punctuation) and multinomial
logistic regression over ``kept`` and the nine reason codes. It speaks only where

- the text holds at least 8 Chinese characters;
- one reason code is at least ``min_probability`` likely, both for the whole text and for the
  sentence that weighs most toward that code, read alone: the verdict rests on one sentence,
  not on topic words spread over a letter;
- that sentence passes the rules' tests in the frame of the code's ``[[learned]]`` entry in the
  rulebook: in the "proposal" frame it holds a cue of the writer's own proposal or opinion; in
  either frame no stop cue governs its clause, no word that cancels a rule of that reason
  (``unless``) stands in it, and it is neither reported speech nor a described practice.

The verdict cites the ``[[learned]]`` entry of its code and carries the model's confidence, so
that staff can tell it from a rule's. Training also leaves out one batch of cases at a time
(the batches were written at different times) and records, per threshold, what a model that
never saw a batch flags in it; ``min_probability_`` is the lowest threshold at which no lawful
case is flagged. Saved as ``compliance_model.json`` (vocabulary, classes, settings, that table,
the SHA-256 of each training file) and ``compliance_model.npz`` (weights): no pickle.

    hits = second_opinions(["建议新能源汽车补贴只发给买本省品牌的市民"], model, rulebook, 0.9)
    hits[0].rule_id, hits[0].confidence  # ("ML-UC", 0.97): unfair_competition, from the model
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from .compliance import (
    ComplianceHit,
    Rule,
    Rulebook,
    _is_stopped,
    _Sentences,
)
from .errors import ModelError
from .io import read_saved, write_saved

FORMAT = "goldideas-compliance-model/1"
FILES = ("compliance_model.json", "compliance_model.npz")
KEPT = "kept"
THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.50 … 0.95

_BREAK = re.compile(r"[,，。!！?？;；:：、\s\"'“”‘’()（）《》【】…]+")
_DIGITS = re.compile(r"\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MIN_HAN = 8
_CODE_BITS = 21  # enough for any Unicode code point
# sentence ends, with a full stop typed as "." too (not in a number): the verdict's sentence is
# read alone, and a text typed with "." would otherwise be one long sentence
_SENTENCE_END = re.compile(r"[。!?;！？；\n]|\.(?!\d)")
# the writer's own proposal or opinion in the sentence the verdict rests on: the rules' cues
# that mark one (a whole text's cues also take 以后, 要, 让 …, too common to mark a sentence)
_SENTENCE_CUE = re.compile(
    r"建议|希望|能否|能不能|可否|恳请|请求|提议|呼吁|应该|应当|不妨|最好|就该|干脆|必须|可以|允许|"
    r"一律|统统|只准|凡是|要求|提个|想法|点子|我觉得|我认为|个人认为|个人觉得|个人意见|依我看|在我看来|"
    r"我主张|我看|倡议|倒不如|何不|索性|(有|提|出)个(办法|主意|点子)|(?<!申)请"
)
# a practice named inside the sentence's own clause ("……收取检查费的做法不合理")
_PRACTICE_WORD = re.compile(r"现象|行为|做法|乱象|歪风|的(打击|查处|整治|监管|处罚|惩处|治理)")


def _fold(text: str) -> str:
    return _DIGITS.sub("0", text)


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ``text`` between punctuation."""
    out, start = [], 0
    for m in _BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def terms(text: str, longest: int = 3) -> list[str]:
    """Character 1…``longest``-grams of each clause of ``text``, digits folded to 0."""
    text = _fold(text)
    out: list[str] = []
    for start, end in _clauses(text):
        clause = text[start:end]
        for n in range(1, longest + 1):
            out.extend(clause[i : i + n] for i in range(len(clause) - n + 1))
    return out


class Opinion(NamedTuple):
    """What the model would say of a text: a reason code, its confidence (the lower of the
    text's and the sentence's probability; 0 where a frame test fails) and the sentence."""

    code: str
    confidence: float
    start: int
    end: int


class ComplianceModel:
    """TF-IDF + logistic regression, estimator-style (``fit`` returns self; learned state ends
    in ``_``); ``min_probability_`` is set by :func:`train_compliance_model`."""

    def __init__(self, C: float = 100.0, longest: int = 3, min_df: int = 2) -> None:
        self.C = C
        self.longest = longest
        self.min_df = min_df

    def get_params(self) -> dict[str, Any]:
        return {"C": self.C, "longest": self.longest, "min_df": self.min_df}

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> ComplianceModel:
        from sklearn.linear_model import LogisticRegression

        from .vectors import fit_idf, transform

        if len(texts) != len(labels) or KEPT not in labels or len(set(labels)) < 2:
            raise ModelError(f"fit needs one label per text, {KEPT!r} and at least one reason code")
        for derived in ("_toward_codes", "_keys", "_key_columns", "_term_keys"):
            self.__dict__.pop(derived, None)  # worked out from an earlier fit
        docs = [terms(t, self.longest) for t in texts]
        self.vocabulary_, self.idf_ = fit_idf(docs, self.min_df)
        model = LogisticRegression(C=self.C, max_iter=5000).fit(transform(docs, self.vocabulary_, self.idf_),
                                                                 list(labels))
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = np.asarray(model.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(model.intercept_, dtype=np.float64)
        self.min_probability_ = 0.0
        return self

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """How often each vocabulary term occurs in each text (rows): the texts are joined by
        line breaks and each n-gram read as one integer of its characters' code points, all in
        numpy. N-grams across punctuation or the joins are never in the vocabulary (``terms``
        splits clauses), so the counts equal those of ``terms``."""
        folded = [_fold(t) for t in texts]
        starts = np.cumsum([0] + [len(t) + 1 for t in folded])
        codes = np.frombuffer("\n".join(folded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        rows, cols = [], []
        for n in range(1, self.longest + 1):
            keys = codes[: len(codes) - n + 1].copy()
            for i in range(1, n):
                keys = (keys << _CODE_BITS) | codes[i : len(codes) - n + 1 + i]
            at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            found = np.flatnonzero(self._keys[at] == keys)
            rows.append(np.searchsorted(starts, found, side="right") - 1)
            cols.append(self._key_columns[at[found]])
        row, col = np.concatenate(rows), np.concatenate(cols)
        return sparse.csr_matrix((np.ones(len(row)), (row, col)), shape=(len(texts), len(self.idf_)))

    @cached_property
    def _toward_codes(self) -> np.ndarray:
        """Per term (rows) and class (columns), the weight × IDF it adds toward that class
        rather than kept: what :meth:`evidence` sums over a clause's term counts."""
        return np.ascontiguousarray(((self.coef_ - self.coef_[self.classes_.index(KEPT)]) * self.idf_).T)

    @cached_property
    def _keys(self) -> np.ndarray:
        return np.sort(self._term_keys)

    @cached_property
    def _key_columns(self) -> np.ndarray:
        return np.argsort(self._term_keys, kind="stable")

    @cached_property
    def _term_keys(self) -> np.ndarray:
        """Each vocabulary term as one integer: its code points, 21 bits each (a longer term
        is always a larger number, as no code point needs more than 21 bits)."""
        keys = np.zeros(len(self.vocabulary_), dtype=np.int64)
        for term, j in self.vocabulary_.items():
            for ch in term:
                keys[j] = (int(keys[j]) << _CODE_BITS) | ord(ch)
        return keys

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """The probability of each class (``classes_``), one row per text: sublinear TF × IDF,
        rows L2-normalised, as in training."""
        if not hasattr(self, "coef_"):
            raise ModelError("this compliance model is not fitted; call fit() or load_compliance_model()")
        x = self.counts(texts)
        x.data = (np.log(x.data) + 1) * self.idf_[x.indices]
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        z = (sparse.diags(1 / np.maximum(norms, 1e-12)) @ x) @ self.coef_.T + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return p

    def evidence(self, texts: Sequence[str], codes: Sequence[int]) -> list[tuple[int, int]]:
        """For each text, (start, end) of its clause whose terms weigh most toward the class
        ``codes[i]`` (a column of ``classes_``) rather than kept."""
        spans = [_clauses(t) or [(0, len(t))] for t in texts]
        x = self.counts([t[s:e] for t, found in zip(texts, spans, strict=True) for s, e in found])
        scores = x @ self._toward_codes
        out, row = [], 0
        for found, code in zip(spans, codes, strict=True):
            out.append(found[int(np.argmax(scores[row : row + len(found), code]))])
            row += len(found)
        return out

    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Write ``compliance_model.json`` and ``compliance_model.npz`` into ``folder``."""
        terms_ = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        meta = {"format": FORMAT, "params": self.get_params(), "classes": self.classes_,
                "min_probability": self.min_probability_, **(extra or {}), "terms": terms_}
        return write_saved(folder, FILES, meta,
                           {"coef": self.coef_, "intercept": self.intercept_, "idf": self.idf_})


def load_compliance_model(path: str | Path) -> ComplianceModel:
    """Load the model saved beside ``path`` (``…/compliance_model.json``): JSON and numpy only."""
    meta, weights = read_saved(Path(path).parent, FILES, ("coef", "intercept", "idf"), FORMAT,
                               "compliance model", " (make compliance-model writes it)")
    model = ComplianceModel(**meta["params"])
    model.vocabulary_ = {t: i for i, t in enumerate(meta["terms"])}
    model.classes_ = list(meta["classes"])
    model.coef_, model.intercept_, model.idf_ = weights["coef"], weights["intercept"], weights["idf"]
    model.min_probability_ = float(meta["min_probability"])
    if model.coef_.shape != (len(model.classes_), len(model.vocabulary_)) or KEPT not in model.classes_:
        raise ModelError(f"{path}: the compliance model files do not match each other; rebuild them")
    return model


def _passes_frame(sentences: _Sentences, start: int, end: int, entry: Rule, rulebook: Rulebook,
                  window: int) -> bool:
    """The rules' tests on the clause ``text[start:end]``, in the frame of ``entry``: a cue of
    the writer's own proposal in its sentence ("proposal" frame), no word that cancels a rule
    of the reason in that sentence, no stop cue before the clause or in it, no reported speech,
    no practice described."""
    left, right = sentences.bounds(start, end)
    sentence = sentences.text[left:right]
    if entry.frame == "proposal" and not _SENTENCE_CUE.search(sentence):
        return False
    if any(word in sentence for word in _unless(rulebook, entry)):
        return False
    if _PRACTICE_WORD.search(sentences.text, start, end):
        return False
    return not _is_stopped(sentences, start, end, rulebook.stop_cues, window, entry.frame, cue_end=end)


def _entries(rulebook: Rulebook) -> dict[str, Rule]:
    """The ``[[learned]]`` entry of each reason code (the first, where several name one)."""
    return {r.reason.value: r for r in reversed(rulebook.learned)}


def _unless(rulebook: Rulebook, entry: Rule) -> set[str]:
    """The words that cancel a verdict of ``entry``'s reason in a sentence: its own and those
    of every rule of that reason (a call to stop, a warning, a lawful variant)."""
    return {w for r in (entry, *rulebook.rules) if r.reason is entry.reason for w in r.unless}


def opinions(texts: Sequence[str], model: ComplianceModel, rulebook: Rulebook, floor: float,
             window: int = 24) -> list[Opinion | None]:
    """The model's opinion of each text where its most likely reason code reaches ``floor``;
    codes without a ``[[learned]]`` entry are never given. Scored all at once (the clauses and
    sentences of the few likely texts too), which costs far less than text by text."""
    out: list[Opinion | None] = [None] * len(texts)
    entries = _entries(rulebook)
    reasons = [i for i, c in enumerate(model.classes_) if c in entries]
    if not texts or not reasons:
        return out
    proba = model.probabilities(texts)
    best = np.asarray(reasons)[proba[:, reasons].argmax(axis=1)]
    sure = np.flatnonzero(proba[np.arange(len(texts)), best] >= floor).tolist()
    likely = [i for i in sure if len(_HAN.findall(texts[i])) >= _MIN_HAN]
    if not likely:  # the common case: nothing to explain, so no clause is scored
        return out
    clauses = model.evidence([texts[i] for i in likely], [int(best[i]) for i in likely])
    sentences = [_Sentences(texts[i], _SENTENCE_END) for i in likely]
    bounds = [s.bounds(*clause) for s, clause in zip(sentences, clauses, strict=True)]
    alone = model.probabilities([s.text[lo:hi] for s, (lo, hi) in zip(sentences, bounds, strict=True)])
    for k, i in enumerate(likely):
        entry = entries[model.classes_[best[i]]]
        passes = _passes_frame(sentences[k], *clauses[k], entry, rulebook, window)
        confidence = min(proba[i, best[i]], alone[k, best[i]]) if passes else 0.0
        out[i] = Opinion(entry.reason.value, float(confidence), *bounds[k])
    return out


def second_opinions(texts: Sequence[str], model: ComplianceModel, rulebook: Rulebook,
                    min_probability: float, window: int = 24) -> list[ComplianceHit | None]:
    """For each text (on which no rule fired), a hit from the model citing the rulebook's
    ``[[learned]]`` entry of its reason code, or None where the model is not sure enough or a
    frame test fails."""
    entries = _entries(rulebook)
    out: list[ComplianceHit | None] = []
    for text, found in zip(texts, opinions(texts, model, rulebook, min_probability, window), strict=True):
        if found is None or found.confidence < min_probability:
            out.append(None)
            continue
        rule = entries[found.code]
        out.append(ComplianceHit(rule_id=rule.id, reason=rule.reason, laws=rule.laws,
                                 explanation=rule.explanation, span=text[found.start : found.end],
                                 start=found.start, end=found.end, confidence=round(found.confidence, 2)))
    return out


def second_opinion(text: str, model: ComplianceModel, rulebook: Rulebook, min_probability: float,
                   window: int = 24) -> ComplianceHit | None:
    """:func:`second_opinions` of one text."""
    return second_opinions([text], model, rulebook, min_probability, window)[0]


class Case(NamedTuple):
    text: str
    label: str  # a reason code or "kept"
    batch: str  # the file it came from


def read_cases(paths: Sequence[Path]) -> list[Case]:
    """Hand-written cases (``text, expected, code, note``) from the case files."""
    out = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                label = row["code"] if row["expected"] == "non_compliant" else KEPT
                out.append(Case(row["text"], label, path.name))
    return out


def case_files(folder: str | Path, held_back: Sequence[str] = ()) -> list[Path]:
    """The case files ``compliance_cases*.csv`` of ``folder`` but those held back."""
    return [p for p in sorted(Path(folder).glob("compliance_cases*.csv")) if p.name not in held_back]


def file_digests(paths: Sequence[Path]) -> dict[str, str]:
    """SHA-256 of each file, by name: what the model was trained on."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _fit(cases: Sequence[Case], params: dict[str, Any]) -> ComplianceModel:
    from .normalize import normalize

    return ComplianceModel(**params).fit([normalize(c.text).content for c in cases], [c.label for c in cases])


def leave_one_batch_out(cases: Sequence[Case], rulebook: Rulebook, params: dict[str, Any],
                        window: int = 24) -> list[dict[str, Any]]:
    """Each batch judged by a model trained on the other batches (the batches were written at
    different times, so this is the nearest thing to unseen wording): per threshold, the
    unlawful cases flagged with the right code, with another code, and the lawful ones flagged."""
    from .normalize import normalize

    judged: list[tuple[str, Opinion | None]] = []
    for batch in sorted({c.batch for c in cases}):
        model = _fit([c for c in cases if c.batch != batch], params)
        held = [c for c in cases if c.batch == batch]
        judged.extend(zip([c.label for c in held], opinions([normalize(c.text).content for c in held], model,
                                                              rulebook, THRESHOLDS[0], window), strict=True))
    table = []
    for t in THRESHOLDS:
        said = [(label, o.code) for label, o in judged if o is not None and o.confidence >= t]
        table.append({"threshold": t, "right_code": sum(label == code for label, code in said),
                      "other_code": sum(label not in (KEPT, code) for label, code in said),
                      "lawful_flagged": sum(label == KEPT for label, _ in said),
                      "unlawful": sum(label != KEPT for label, _ in judged),
                      "lawful": sum(label == KEPT for label, _ in judged)})
    return table


def train_compliance_model(folder: str | Path, out: str | Path, rulebook: Rulebook,
                           held_back: Sequence[str] = (), params: dict[str, Any] | None = None) -> Path:
    """Train on the case files of ``folder`` but ``held_back`` and write the model to ``out``.
    Its ``min_probability_`` is the lowest threshold at which models that leave one batch out
    flag no lawful case."""
    paths = case_files(folder, held_back)
    cases = read_cases(paths)
    params = params or ComplianceModel().get_params()
    table = leave_one_batch_out(cases, rulebook, params)
    model = _fit(cases, params)
    model.min_probability_ = next((row["threshold"] for row in table if row["lawful_flagged"] == 0), 1.0)
    extra = {"trained_on": file_digests(paths), "held_back": list(held_back), "leave_one_batch_out": table}
    return model.save(out, extra)
