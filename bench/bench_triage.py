"""Triage speed: a loaded index of N suggestions answers one idea in how many ms (p50, p95)?

    python bench/bench_triage.py 100000

Target: p50 ≤ 20 ms per idea against 100k indexed suggestions (library, index loaded).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import perturb, synthesise

from goldideas.segment import Tokenizer
from goldideas.triage import TriageIndex


def main(size: int) -> None:
    import random

    frame = synthesise(size).assign(status="kept", theme="")
    start = time.perf_counter()
    index = TriageIndex().fit(frame)
    print(f"indexed {size} suggestions in {time.perf_counter() - start:.1f} s")
    rng = random.Random(7)
    queries = [perturb(t, rng) for t in rng.sample(frame["text"].tolist(), 200)]
    tok = Tokenizer()
    times = []
    for q in queries:
        t0 = time.perf_counter()
        index.query(q, tokenizer=tok)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"query p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
