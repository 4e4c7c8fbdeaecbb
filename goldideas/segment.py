"""Word segmentation through an explicit tokenizer with the domain dictionary in ``models/``.

Never touches jieba's global state. Two backends give the same words for the same
dictionary: ``rjieba`` (jieba-rs, about 10× faster to load and cut) and ``jieba`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from .errors import ModelError
from .io import model_path, read_word_lines

DEFAULT_USERDICT = "userdict.txt"
DEFAULT_STOPWORDS = "stopwords.txt"
_DEFAULT_FREQ = 100_000
_MAX_CACHED = 2_000_000  # distinct tokens remembered by words
_WORDLIKE = re.compile(r"[\w]", re.UNICODE)
# Punctuation between clauses: both backends cut text into runs of Han characters, letters,
# digits and "+#&._%-" and cut each run on its own, so no word spans one of these, and on its
# own each is no content word
_CLAUSE_BREAK = re.compile(r"[,，。!！?？;；:：、\s]+")
_MAX_CACHED_CLAUSES = 500_000  # distinct clauses remembered by words


class _Cut(Protocol):
    def __call__(self, text: str) -> Any: ...




@dataclass(frozen=True)
class DictEntry:
    word: str
    freq: int
    tag: str | None


def read_userdict(path: Path) -> list[DictEntry]:
    """Read a jieba-style user dictionary: ``word [freq] [tag]`` per line, ``#`` comments."""
    entries = []
    for lineno, line in read_word_lines(path):
        parts = line.split()
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit()):
            raise ModelError(f"{path}: line {lineno}: expected 'word [freq] [tag]', got {line!r}")
        freq = int(parts[1]) if len(parts) >= 2 else _DEFAULT_FREQ
        entries.append(DictEntry(parts[0], freq, parts[2] if len(parts) == 3 else None))
    return entries


def read_wordlist(path: Path) -> frozenset[str]:
    """One word per line; blank lines and ``#`` comments ignored."""
    return frozenset(line for _, line in read_word_lines(path))


def _rjieba_class() -> Any:
    """rjieba's ``Jieba`` class, from its compiled module alone where possible: the package's
    ``__init__`` builds a default instance we never use, which costs ~0.3 s of every start-up."""
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec("rjieba")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in map(Path, folders):
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            compiled = importlib.util.spec_from_file_location("rjieba.rjieba", folder / f"rjieba{suffix}")
            if compiled is None or compiled.loader is None or not (folder / f"rjieba{suffix}").exists():
                continue
            module = importlib.util.module_from_spec(compiled)
            compiled.loader.exec_module(module)
            return module.Jieba
    import rjieba  # another layout: the ordinary import

    return rjieba.Jieba


def _make_cut(name: str, entries: Iterable[DictEntry]) -> tuple[_Cut, _Cut]:
    """The backend's cut and part-of-speech tag functions, loaded with our dictionary."""
    if name == "rjieba":
        backend: Any = _rjieba_class()()
        for e in entries:
            backend.add_word(e.word, e.freq, e.tag)
        return (lambda text: backend.cut(text, hmm=True)), (lambda text: backend.tag(text, hmm=True))
    if name == "jieba":
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        for e in entries:
            tokenizer.add_word(e.word, e.freq, e.tag)
        tagger = jieba.posseg.POSTokenizer(tokenizer)
        return (lambda text: tokenizer.lcut(text, HMM=True)), (
            lambda text: [(p.word, p.flag) for p in tagger.lcut(text, HMM=True)]
        )
    raise ModelError(f"unknown tokenizer backend {name!r}; use 'rjieba' or 'jieba'")


class Tokenizer:
    """jieba segmentation with our user dictionary and stopword list.

    >>> Tokenizer().content_words("建议一网通办开通周末预约")
    ['一网通办', '开通', '周末', '预约']
    """

    def __init__(
        self,
        userdict: str | Path | None = None,
        stopwords: str | Path | None = None,
        backend: str = "rjieba",
    ) -> None:
        self.userdict = Path(userdict) if userdict else model_path(DEFAULT_USERDICT)
        self.stopwords_path = Path(stopwords) if stopwords else model_path(DEFAULT_STOPWORDS)
        self.backend = backend
        self.stopwords = read_wordlist(self.stopwords_path)
        self._cut, self._tag = _make_cut(backend, read_userdict(self.userdict))
        # the tokens of a tagging: rjieba tags the tokens of its cut, jieba's tagger cuts its own
        self._tokens: _Cut = self._cut if backend == "rjieba" else (
            lambda text: [t for t, _ in self._tag(text)]
        )
        # token → the one copy of it kept for every text, or "" where it is no content word
        self._content: dict[str, str] = {}
        self._clauses: dict[str, tuple[str, ...]] = {}

    def cut(self, text: str) -> list[str]:
        """All tokens, spaces dropped."""
        return [t for t in self._cut(text) if t.strip()]

    def content_words(self, text: str) -> list[str]:
        """Tokens that carry meaning: no stopwords, no punctuation."""
        return [
            t for t in self.cut(text) if t not in self.stopwords and _WORDLIKE.search(t)
        ]

    def words(self, text: str) -> tuple[str, ...]:
        """The content words of the tagger's tokens of ``text``, clause by clause through a cache:
        re-posted and slightly edited texts share most of their clauses. Equal words are one
        string object across texts, which keeps many analyses small in memory and in pickles."""
        out: list[str] = []
        cache = self._clauses
        for clause in _CLAUSE_BREAK.split(text):
            found = cache.get(clause)
            if found is None:
                if len(cache) >= _MAX_CACHED_CLAUSES:
                    cache.clear()
                found = cache[clause] = self._clause_words(clause)
            out.extend(found)
        return tuple(out)

    def _clause_words(self, clause: str) -> tuple[str, ...]:
        content = self._content
        out = []
        for token in self._tokens(clause):
            w = content.get(token)
            if w is None:
                w = content[token] = self._content_word(token)
            if w:
                out.append(w)
        return tuple(out)

    def _content_word(self, token: str) -> str:
        if len(self._content) >= _MAX_CACHED:
            self._content.clear()
        return "" if token in self.stopwords or not _WORDLIKE.search(token) else token

    def __call__(self, text: str) -> list[str]:
        """So that a tokenizer plugs into scikit-learn's ``tokenizer=``."""
        return self.content_words(text)


def load_tokenizer(userdict: str = "", stopwords: str = "", backend: str = "rjieba") -> Tokenizer:
    """A shared tokenizer per dictionary, stopword list and backend (empty: the shipped ones);
    building one takes ~0.3 s."""
    return _shared_tokenizer(userdict, stopwords, backend)


@lru_cache(maxsize=4)
def _shared_tokenizer(userdict: str, stopwords: str, backend: str) -> Tokenizer:
    return Tokenizer(userdict or None, stopwords or None, backend=backend)
