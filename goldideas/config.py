"""One frozen configuration with a section per stage; a TOML file can override any field.

Example ``goldideas.toml``::

    [quality]
    min_chars = 10

    [dedup]
    char_containment_threshold = 0.75
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

PATH_FIELDS = (("segment", "userdict"), ("segment", "stopwords"), ("compliance", "rulebook"),
               ("quality", "lexicons"), ("themes", "taxonomy"), ("themes", "model"))


def _range(lo: float, hi: float) -> dict[str, Any]:
    return {"range": (lo, hi)}


@dataclass(frozen=True)
class SegmentConfig:
    backend: str = field(default="rjieba", metadata={"choices": ("rjieba", "jieba")})
    userdict: str = ""  # empty: models/userdict.txt
    stopwords: str = ""  # empty: models/stopwords.txt


@dataclass(frozen=True)
class DedupConfig:
    shingle_chars: int = field(default=3, metadata=_range(2, 8))
    num_perm: int = field(default=64, metadata=_range(16, 512))
    bands: int = field(default=16, metadata=_range(2, 128))
    seed: int = field(default=1322, metadata=_range(0, 2**31 - 1))
    near_threshold: float = field(default=0.8, metadata=_range(0.5, 1.0))
    # paraphrase candidates: up to ``neighbours`` TF-IDF neighbours of at least this cosine
    candidate_threshold: float = field(default=0.05, metadata=_range(0.01, 1.0))
    neighbours: int = field(default=10, metadata=_range(1, 100))
    # accepted: this IDF-weighted share of the lighter text's characters found in the other
    char_containment_threshold: float = field(default=0.7, metadata=_range(0.1, 1.0))
    min_paraphrase_chars: int = field(default=8, metadata=_range(1, 200))
    # ... and this much more of it than a text of the other's size would hold at random (from the
    # input's character frequencies; half the containment asked): a letter of thousands of
    # characters holds most characters of any text on its subject
    min_beyond_chance: float = field(default=0.35, metadata=_range(0.0, 1.0))
    # ... and the lighter text holds this weighted share of the heavier one's characters: a
    # one-line idea is not a restatement of a letter that makes ten proposals, one of them its own
    min_heavier_share: float = field(default=0.1, metadata=_range(0.0, 1.0))
    # a text alone joins a candidate's group of two or more wordings: this weighted share of its
    # characters occurs among the members, and it holds ``group_core_share`` of the characters
    # every member has
    group_join_threshold: float = field(default=0.6, metadata=_range(0.1, 1.0))
    group_core_share: float = field(default=0.6, metadata=_range(0.0, 1.0))
    # ... unless the members use more distinct characters than this together: long letters
    # contain most characters of any text on their subject
    group_max_chars: int = field(default=200, metadata=_range(10, 100_000))


@dataclass(frozen=True)
class ComplianceConfig:
    rulebook: str = ""  # empty: models/compliance.toml
    negation_window_chars: int = field(default=24, metadata=_range(0, 200))
    # the learned second opinion (models/compliance_model.json) where no rule fires: "off" for
    # the rules alone. It flags a text only at this probability or more: one step (0.05) above
    # the lowest at which, trained without a batch of cases, it flags none of that batch's
    # lawful ones (0.85, stored with the model): at 0.85 it flagged one lawful proposal of the
    # corpus (permits issued in phases) at 0.89, as a letter on one subject lifts its confidence
    learned: str = field(default="on", metadata={"choices": ("on", "off")})
    learned_min_probability: float = field(default=0.9, metadata=_range(0.5, 1.0))


@dataclass(frozen=True)
class QualityConfig:
    min_chars: int = field(default=8, metadata=_range(1, 200))
    min_content_words: int = field(default=3, metadata=_range(1, 50))
    min_specific_words: int = field(default=2, metadata=_range(0, 50))
    long_text_chars: int = field(default=40, metadata=_range(10, 1000))
    min_specific_ratio: float = field(default=0.75, metadata=_range(0.0, 1.0))
    # so many specific words that the text names concrete things even when no word of the
    # objects lexicon is among them (a closed list never covers every agency and service)
    rich_specific_words: int = field(default=12, metadata=_range(1, 200))
    lexicons: str = ""  # empty: models/quality.toml
    keep_threshold: float = field(default=0.5, metadata=_range(0.0, 1.0))
    max_repeat_ratio: float = field(default=0.5, metadata=_range(0.0, 1.0))


@dataclass(frozen=True)
class ThemesConfig:
    taxonomy: str = ""  # empty: models/themes.toml
    model: str = ""  # a folder written by `goldideas train`: use it instead of the taxonomy
    min_margin: float = field(default=1.5, metadata=_range(1.0, 10.0))
    iterations: int = field(default=5, metadata=_range(1, 50))
    seed_prior: float = field(default=3.0, metadata=_range(0.0, 100.0))  # weight of seed words
    smoothing: float = field(default=0.1, metadata=_range(0.001, 10.0))  # of word likelihoods
    # a long text counts as one observation per this many words, so its seeds still count
    words_per_observation: float = field(default=10.0, metadata=_range(1.0, 1000.0))
    # a channel word (窗口, 网上办, 园区 …) beside another theme's subject word counts this share
    channel_share: float = field(default=0.25, metadata=_range(0.0, 1.0))
    # seeds in the first sentence or title line count this much more
    lead_weight: float = field(default=0.5, metadata=_range(0.0, 10.0))


@dataclass(frozen=True)
class RunConfig:
    workers: int = field(default=0, metadata=_range(0, 256))  # 0: every core
    parallel_min_texts: int = field(default=20_000, metadata=_range(1, 10**9))


@dataclass(frozen=True)
class Config:
    """All settings of a screening run. Defaults in code; ``Config.from_toml`` overrides."""

    segment: SegmentConfig = field(default_factory=SegmentConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    compliance: ComplianceConfig = field(default_factory=ComplianceConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)
    themes: ThemesConfig = field(default_factory=ThemesConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def __post_init__(self) -> None:
        for section in fields(self):
            _validate(section.name, getattr(self, section.name))
        if self.dedup.num_perm % self.dedup.bands:
            raise ConfigError(
                f"dedup.bands must divide dedup.num_perm ({self.dedup.num_perm}); "
                f"got {self.dedup.bands}"
            )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        sections = {f.name: f for f in fields(cls)}
        kwargs = {}
        for name, values in data.items():
            if name not in sections:
                raise ConfigError(
                    f"unknown config section [{name}]; the sections are {', '.join(sections)}"
                )
            if not isinstance(values, dict):
                raise ConfigError(f"config section [{name}] must be a table of settings")
            factory: Any = sections[name].default_factory
            default = factory()
            known = {f.name for f in fields(default)}
            for key in values:
                if key not in known:
                    raise ConfigError(
                        f"unknown setting {name}.{key}; [{name}] has {', '.join(sorted(known))}"
                    )
            kwargs[name] = replace(default, **values)
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: no such config file") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        try:
            _confine_paths(data, path.parent)
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        """A short hash of every setting, for reproducibility stamps."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _confine_paths(data: dict[str, Any], folder: Path) -> None:
    """Resolve the file settings of a config file against its folder; refuse any that point
    outside it, so a config file cannot make goldideas read files elsewhere."""
    root = folder.resolve()
    for section, name in PATH_FIELDS:
        value = data.get(section, {}).get(name) if isinstance(data.get(section), dict) else None
        if not value:
            continue
        if not isinstance(value, str):
            raise ConfigError(f"{section}.{name} must be a path (a string); got {value!r}")
        target = (root / value).resolve()
        if Path(value).is_absolute() or not target.is_relative_to(root):
            raise ConfigError(
                f"{section}.{name} must be a file inside the config file's folder {root}; got {value!r}"
            )
        data[section][name] = str(target)


def _validate(section: str, obj: Any) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        name = f"{section}.{f.name}"
        expected = type(f.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
            object.__setattr__(obj, f.name, value)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(
                f"{name} must be a {expected.__name__}; got {value!r} ({type(value).__name__})"
            )
        if "range" in f.metadata:
            lo, hi = f.metadata["range"]
            if not lo <= value <= hi:
                raise ConfigError(f"{name} must be between {lo} and {hi}; got {value!r}")
        if "choices" in f.metadata and value not in f.metadata["choices"]:
            choices = ", ".join(f.metadata["choices"])
            raise ConfigError(f"{name} must be one of {choices}; got {value!r}")
