"""goldideas: screen public suggestions (金点子) for a better business environment."""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config
from .corpus import CorpusCheck, check_corpus
from .errors import ConfigError, CorpusError, GoldideasError, InputError, ModelError
from .evaluate import Evaluation, evaluate
from .io import load_corpus, load_gold, read_suggestions, write_table
from .reasons import Reason, Status, Theme
from .screening import Screening, Verdict, screen

__all__ = [
    "Config",
    "ConfigError",
    "CorpusCheck",
    "CorpusError",
    "Evaluation",
    "GoldideasError",
    "InputError",
    "ModelError",
    "Reason",
    "Screening",
    "Status",
    "Theme",
    "Verdict",
    "__version__",
    "check_corpus",
    "evaluate",
    "load_corpus",
    "load_gold",
    "read_suggestions",
    "screen",
    "write_table",
]
