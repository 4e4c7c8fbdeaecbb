"""Screening speed: the CLI on the corpus, then the library on 1322 … 1M synthetic rows.

    make bench                       # all sizes
    python bench/bench_screen.py 1322 100000

Each size runs in its own process, so that peak RSS is that size's alone (the larger of the
process and its forked workers). Prints wall time, CPU time (the process and its workers: a
steadier figure than wall time when other work shares the machine), rows/s and peak RSS per
size, and the 100k → 1M growth factor. Targets on a 2-core machine:
1322 rows through the CLI ≤ 2 s; 100k ≤ 10 s; 1M ≤ 90 s and ≤ 4 GB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [1322, 10_000, 100_000, 1_000_000]

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from synth import synthesise
frame = synthesise({n})
from goldideas import screen
def cpu():
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)
start, start_cpu = time.perf_counter(), cpu()
result = screen(frame)
wall, used = time.perf_counter() - start, cpu() - start_cpu
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
rss = max(u.ru_maxrss for u in usage) / 1024
print(json.dumps({{"rows": len(result), "wall": wall, "cpu": used, "rss_mb": rss,
                  "kept": result.summary()["kept"]}}))
"""


CLI_REPEATS = 5  # after the first run, with the files in the page cache, as staff rerun it


def run_size(n: int) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"), n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_cli() -> tuple[float, float]:
    """Wall and CPU seconds of ``goldideas screen`` on the corpus, start-up included."""
    exe = Path(sys.executable).with_name("goldideas")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(exe), "screen", "--output", "/tmp/goldideas-bench.csv"], check=True,
                   capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(sizes: list[int]) -> None:
    wall, cpu = run_cli()
    print(f"CLI, corpus of 1322 rows, start-up included: first run {wall:.2f} s wall, {cpu:.2f} s CPU")
    warm = sorted(run_cli() for _ in range(CLI_REPEATS))
    print(f"  then {CLI_REPEATS} more runs: median {warm[CLI_REPEATS // 2][0]:.2f} s wall "
          f"(min {warm[0][0]:.2f}, max {warm[-1][0]:.2f})")
    print(f"{'rows':>9} {'wall s':>8} {'cpu s':>8} {'rows/s':>9} {'peak RSS MB':>12}")
    walls = {}
    for n in sizes:
        r = run_size(n)
        walls[n] = r["wall"]
        print(f"{n:>9} {r['wall']:>8.2f} {r['cpu']:>8.2f} {n / r['wall']:>9.0f} {r['rss_mb']:>12.0f}",
              flush=True)
    if 100_000 in walls and 1_000_000 in walls:
        print(f"growth 100k → 1M: {walls[1_000_000] / walls[100_000]:.1f}×")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or SIZES)
