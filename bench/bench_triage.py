"""Triage speed: a loaded index of N suggestions answers one idea in how many ms (p50, p95)?
And how long does a cold `goldideas triage TEXT --index DIR` take from the command line?

    python bench/bench_triage.py 100000

Targets: p50 ≤ 20 ms per idea against 100k indexed suggestions (library, index loaded); a cold
command line answer within 1 s (median of 5 fresh processes, index of the bundled corpus).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import perturb, synthesise

from goldideas import screen
from goldideas.segment import Tokenizer
from goldideas.triage import TriageIndex, triage


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
    times = []
    for q in queries:
        t0 = time.perf_counter()
        triage(q, index)  # the rules' verdict as well as the nearest earlier suggestions
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"triage p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms")
    cold_command_line()


def cold_command_line(runs: int = 5) -> None:
    """Wall time of whole `goldideas triage` processes against an index of the corpus."""
    command = Path(sys.executable).with_name("goldideas")
    with tempfile.TemporaryDirectory() as folder:
        TriageIndex().fit(screen(str(Path(__file__).resolve().parent.parent / "corpus/suggestions.csv"))
                          .to_frame()).save(folder)
        walls = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([str(command), "triage", "建议公积金提取租房提取全程网办", "--index", folder],
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - t0)
    print(f"cold command line: median {statistics.median(walls):.2f} s of {runs} runs "
          f"(min {min(walls):.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
