"""One frozen config; a TOML file overrides; errors name field, range and value."""

from __future__ import annotations

import dataclasses

import pytest

from goldideas.config import Config
from goldideas.errors import ConfigError
from goldideas.io import load_corpus


def test_defaults_are_valid_and_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.quality.min_chars = 3  # type: ignore[misc]


def test_toml_overrides_a_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "g.toml"
    path.write_text("[quality]\nmin_chars = 12\n", encoding="utf-8")
    assert Config.from_toml(path).quality.min_chars == 12


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param("[quality]\nmin_chars = 0\n", "quality.min_chars must be between 1 and 200; got 0",
                     id="out-of-range"),
        pytest.param("[quality]\nmin_chars = 'ten'\n", "quality.min_chars must be a int; got 'ten'",
                     id="wrong-type"),
        pytest.param("[quality]\nmin_char = 3\n", "unknown setting quality.min_char", id="typo"),
        pytest.param("[weather]\nx = 1\n", "unknown config section [weather]", id="section"),
        pytest.param("[dedup]\nnum_perm = 64\nbands = 10\n", "dedup.bands must divide", id="bands"),
        pytest.param("[quality\n", "not valid TOML", id="syntax"),
    ],
)
def test_bad_values_are_named(tmp_path, toml: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "g.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Config.from_toml(path)


def test_digest_changes_with_settings() -> None:
    assert Config().digest() != Config.from_dict({"quality": {"min_chars": 9}}).digest()


def test_theme_model_settings_reach_the_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """words_per_observation is read from the file and changes the themes of long texts."""
    from goldideas import screen

    path = tmp_path / "goldideas.toml"
    path.write_text("[themes]\nwords_per_observation = 1000\nseed_prior = 0\n", encoding="utf-8")
    config = Config.from_toml(path)
    assert (config.themes.words_per_observation, config.themes.seed_prior) == (1000.0, 0.0)
    texts = load_corpus()["text"].head(300).tolist()
    default = [v.theme for v in screen(texts).verdicts]
    changed = [v.theme for v in screen(texts, config).verdicts]
    assert default != changed


def test_channel_and_first_sentence_weights_reach_the_model() -> None:
    """channel_share and lead_weight come from the config and change how texts are filed."""
    from goldideas import screen

    config = Config.from_dict({"themes": {"channel_share": 1.0, "lead_weight": 0.0}})
    texts = load_corpus()["text"].head(300).tolist()
    default = [v.theme for v in screen(texts).verdicts]
    changed = [v.theme for v in screen(texts, config).verdicts]
    assert default != changed


def test_channel_share_above_one_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"themes\.channel_share.*1\.5"):
        Config.from_dict({"themes": {"channel_share": 1.5}})
