from __future__ import annotations

import pandas as pd
import pytest

from goldideas.io import load_corpus, load_gold


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return load_corpus()


@pytest.fixture(scope="session")
def gold() -> pd.DataFrame:
    return load_gold()
