"""Synthesise N suggestion rows from the corpus by realistic perturbation (deterministic).

Each synthetic row is a corpus text with a few edits of the kinds real re-submissions show:
punctuation and spacing changes, full-width digits, a greeting, a signature or a phone number,
a typo, a sentence dropped, clauses swapped. Used only by the benchmarks.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goldideas.io import load_corpus

GREETINGS = ["您好！", "领导好，", "尊敬的领导：", "各位领导好！", ""]
SIGNATURES = ["——一位市民", "。谢谢！", " 王女士", "（联系电话13904051234）", " 一名个体户", ""]
SENTENCE = re.compile(r"(?<=[。！？!?；;])")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def perturb(text: str, rng: random.Random) -> str:
    edits = rng.sample(range(6), k=rng.randint(1, 3))
    for edit in edits:
        if edit == 0:
            text = text.replace("，", ",").replace("。", ". ")
        elif edit == 1:
            text = text.translate(FULLWIDTH)
        elif edit == 2:
            text = rng.choice(GREETINGS) + text + rng.choice(SIGNATURES)
        elif edit == 3 and len(text) > 10:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1 :]
        elif edit == 4:
            parts = [p for p in SENTENCE.split(text) if p]
            if len(parts) > 2:
                parts.pop(rng.randrange(len(parts)))
                text = "".join(parts)
        elif edit == 5:
            parts = [p for p in SENTENCE.split(text) if p]
            if len(parts) > 2:
                i = rng.randrange(len(parts) - 1)
                parts[i], parts[i + 1] = parts[i + 1], parts[i]
                text = "".join(parts)
    return text


def synthesise(n: int, seed: int = 1322) -> pd.DataFrame:
    corpus = load_corpus()
    rng = random.Random(seed)
    texts = corpus["text"].tolist()
    rows = []
    for i in range(n):
        base = texts[i] if i < len(texts) else perturb(rng.choice(texts), rng)
        rows.append({"id": f"B{i + 1:07d}", "submitted_at": "", "text": base})
    return pd.DataFrame(rows)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench/results/synth_{size}.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    synthesise(size).to_csv(out, index=False)
    print(f"wrote {size} rows to {out}")
