"""Assemble corpus/suggestions.csv and corpus/gold.csv from the hand-written sources.

    python corpus/build.py                                   # the reference corpus
    python corpus/build.py corpus/holdout H                  # the held-out set

Each file in corpus/sources/ holds hand-written records (JSON Lines) with local keys. This
script only gives them ids, submission times and channels (seeded, so the output is the same
on every run), and writes the input and the gold labels to separate files. The representative
of each duplicate group gets the earliest submission time of its group, as staff would see it.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20210412  # the day the bureau published its reply
START = datetime(2020, 11, 1, 8, 0)
END = datetime(2021, 3, 31, 20, 0)
CHANNELS = {"政务服务网悬浮栏": 35, "辽事通APP": 25, "电子邮箱": 15, "电话": 15, "信件": 10}


def load_records(folder: Path) -> list[dict[str, str]]:
    records = []
    for path in sorted((folder / "sources").glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                record["_where"] = f"{path.name}:{lineno}"
                records.append(record)
    return records


def random_time(rng: random.Random) -> datetime:
    seconds = rng.randrange(int((END - START).total_seconds()))
    moment = START + timedelta(seconds=seconds)
    # people write in waking hours
    return moment.replace(hour=rng.choice(range(7, 23)), second=0)


def build(folder: Path = HERE, prefix: str = "S") -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(SEED)
    records = load_records(folder)
    times = {r["key"]: random_time(rng) for r in records}
    # the kept representative of a group is its earliest submission
    groups: dict[str, list[str]] = {}
    for r in records:
        if r["status"] == "duplicate":
            groups.setdefault(r["duplicate_of"], []).append(r["key"])
    for rep, members in groups.items():
        first = min(members, key=lambda k: times[k])
        if times[first] < times[rep]:
            times[rep], times[first] = times[first], times[rep]
    ordered = sorted(records, key=lambda r: (times[r["key"]], r["key"]))
    ids = {r["key"]: f"{prefix}{i:04d}" for i, r in enumerate(ordered, start=1)}
    names, weights = zip(*CHANNELS.items(), strict=True)
    suggestions, gold = [], []
    for r in ordered:
        suggestions.append({
            "id": ids[r["key"]],
            "submitted_at": times[r["key"]].strftime("%Y-%m-%d %H:%M"),
            "channel": rng.choices(names, weights)[0],
            "text": r["text"],
        })
        status = r["status"]
        gold.append({
            "id": ids[r["key"]],
            "status": status,
            "reasons": r.get("reason", "") if status != "kept" else "",
            "duplicate_of": ids[r["duplicate_of"]] if status == "duplicate" else "",
            "theme": r.get("theme", "") if status in ("kept", "duplicate") else "",
            "same_topic_as": ids[r["same_topic_as"]] if r.get("same_topic_as") else "",
            "case": r.get("case", ""),
            "source": r["key"],
        })
    return suggestions, gold


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    suggestions, gold = build(folder, sys.argv[2] if len(sys.argv) > 2 else "S")
    write(suggestions, folder / "suggestions.csv")
    write(gold, folder / "gold.csv")
    print(f"wrote {len(suggestions)} suggestions and their gold labels")
