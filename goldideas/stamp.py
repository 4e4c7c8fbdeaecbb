"""The reproducibility stamp that every output file carries: goldideas version, config hash,
input file hash and the time of the run.

Where it goes: the workbook's 汇总 sheet and the report's footer; the first line of a CSV
(``# goldideas 0.1.0 · 配置 … · 输入 … · 2026-11-26 07:00:00 UTC``, which ``read_table`` skips);
a ``stamp`` field on every JSONL record; a 生成信息 sheet in any other XLSX.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__

CSV_MARK = "# goldideas "


@dataclass(frozen=True)
class Stamp:
    """What produced a file: enough to reproduce it."""

    version: str
    config_hash: str
    input_hash: str
    created_at: str

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, for people."""
        return [("goldideas 版本", self.version), ("配置哈希", self.config_hash),
                ("输入文件哈希", self.input_hash), ("生成时间 (UTC)", self.created_at)]

    def as_dict(self) -> dict[str, str]:
        """Field and value pairs, for machines."""
        return asdict(self)

    def header_line(self) -> str:
        """The one-line form that opens a CSV file (no commas: one cell in a spreadsheet)."""
        return (f"{CSV_MARK}{self.version} · 配置 {self.config_hash} · 输入 {self.input_hash} · "
                f"{self.created_at} UTC")


def file_hash(path: str | Path | None) -> str:
    """First 12 hex digits of the SHA-256 of a file, or "(内存数据)" for data not from a file."""
    if path is None:
        return "(内存数据)"
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def make_stamp(config_hash: str, source: str | Path | None) -> Stamp:
    """A stamp for a run now, with ``config_hash`` (what decided) and the input file read."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")  # noqa: UP017 - explicit for readers
    return Stamp(__version__, config_hash, file_hash(source), now)
