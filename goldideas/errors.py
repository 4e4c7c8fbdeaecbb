"""One base exception; the CLI turns it into a one-line message and exit code 2."""

from __future__ import annotations


class GoldideasError(Exception):
    """Base class: a user mistake or bad input, with a message that says how to fix it."""


class InputError(GoldideasError):
    """A file, column or row that cannot be read as suggestions."""


class ConfigError(GoldideasError):
    """A configuration value outside its allowed range, or an unknown field."""


class CorpusError(GoldideasError):
    """The reference corpus breaks one of its invariants."""


class ModelError(GoldideasError):
    """A model or index file that is missing, malformed, or not fitted."""
