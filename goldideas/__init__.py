"""goldideas: screen public suggestions (金点子) for a better business environment.

The public names below are imported on first use, so that ``goldideas triage`` starts in well
under a second: pandas, scipy's clustering and the workbook writer load only when a command
needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .config import Config as Config
    from .corpus import CorpusCheck as CorpusCheck
    from .corpus import check_corpus as check_corpus
    from .errors import ConfigError as ConfigError
    from .errors import CorpusError as CorpusError
    from .errors import GoldideasError as GoldideasError
    from .errors import InputError as InputError
    from .errors import ModelError as ModelError
    from .evaluate import Evaluation as Evaluation
    from .evaluate import evaluate as evaluate
    from .io import load_corpus as load_corpus
    from .io import load_gold as load_gold
    from .io import read_suggestions as read_suggestions
    from .io import write_table as write_table
    from .reasons import Reason as Reason
    from .reasons import Status as Status
    from .reasons import Theme as Theme
    from .screening import Screening as Screening
    from .screening import screen as screen
    from .verdicts import Verdict as Verdict

_HOME = {
    "Config": "config",
    "CorpusCheck": "corpus", "check_corpus": "corpus",
    "ConfigError": "errors", "CorpusError": "errors", "GoldideasError": "errors", "InputError": "errors",
    "ModelError": "errors",
    "Evaluation": "evaluate", "evaluate": "evaluate",
    "load_corpus": "io", "load_gold": "io", "read_suggestions": "io", "write_table": "io",
    "Reason": "reasons", "Status": "reasons", "Theme": "reasons",
    "Screening": "screening", "Verdict": "verdicts", "screen": "screening",
}

__all__ = sorted([*_HOME, "__version__"])


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'goldideas' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
