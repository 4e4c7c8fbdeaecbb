"""How far the corpus theme labels can be reproduced: a blind re-annotation against gold and model.

``themes_blind.csv`` holds a second reading of 200 kept rows drawn at random (pandas
``sample(200, random_state=20261126)`` over the kept rows of ``gold.csv``), themed from the
policy's theme table alone by an annotator who saw neither the gold labels nor the model's
output. ``sure`` is ``no`` where two themes were defensible; ``alternative`` names the second.

Usage: python corpus/audit/agreement.py [SCREENED.csv]   (default: screen the corpus now)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import f1_score

HERE = Path(__file__).resolve().parent


def _screened(argv: list[str]) -> pd.DataFrame:
    if argv:
        return pd.read_csv(argv[0], skiprows=1, dtype=str)
    from goldideas import screen

    return screen(HERE.parent / "suggestions.csv").to_frame()


def _agreement(rows: pd.DataFrame, a: str, b: str) -> str:
    f1 = f1_score(rows[a], rows[b], average="macro")
    return f"macro-F1 {f1:.3f}, same theme {(rows[a] == rows[b]).mean():.1%}"


def main(argv: list[str]) -> None:
    blind = pd.read_csv(HERE / "themes_blind.csv", dtype=str).fillna("")
    gold = pd.read_csv(HERE.parent / "gold.csv", dtype=str)[["id", "theme"]].rename(columns={"theme": "gold"})
    model = _screened(argv)[["id", "theme"]].rename(columns={"theme": "model"})
    rows = blind.merge(gold, on="id").merge(model, on="id")
    rows = rows[rows["model"].fillna("") != ""]
    sure = rows[rows["sure"] == "yes"]
    for name, part in (("all", rows), ("sure", sure)):
        print(f"{name} ({len(part)} rows)")
        print(f"  blind vs gold:  {_agreement(part, 'theme', 'gold')}")
        print(f"  model vs gold:  {_agreement(part, 'model', 'gold')}")
        print(f"  blind vs model: {_agreement(part, 'theme', 'model')}")
    either = (rows["gold"] == rows["theme"]) | (rows["gold"] == rows["alternative"])
    print(f"gold is the blind reading's first or second theme: {either.mean():.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])
