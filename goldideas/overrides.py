"""Staff decisions that override the rules, applied again on every re-run.

An overrides file has the columns ``id, status, note``: the row with that id gets that status,
``decided_by="staff"`` and the note, whatever the rules said.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .errors import InputError
from .reasons import Status
from .screening import Screening
from .verdicts import Verdict

COLUMNS = ("id", "status", "note")


def _parse(frame: pd.DataFrame, source: str) -> dict[str, tuple[Status, str]]:
    missing = [c for c in ("id", "status") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: overrides need the columns id, status, note; missing {', '.join(missing)}"
        )
    allowed = {s.value for s in Status}
    decisions: dict[str, tuple[Status, str]] = {}
    for lineno, row in enumerate(frame.itertuples(index=False), start=2):
        identifier, status = str(row.id).strip(), str(row.status).strip()
        if status not in allowed:
            raise InputError(
                f"{source}: line {lineno}: status {status!r} is not one of {', '.join(sorted(allowed))}"
            )
        if identifier in decisions:
            raise InputError(f"{source}: line {lineno}: id {identifier} is decided twice")
        note = str(getattr(row, "note", "") or "")
        decisions[identifier] = (Status(status), "" if note == "nan" else note)
    return decisions


def _decide(v: Verdict, status: Status, note: str) -> Verdict:
    said = f"：{note}" if note else ""
    explanation = f"工作人员决定为“{status.zh}”{said}（规则结论：{v.explanation}）"
    return replace(
        v, status=status, reasons=v.reasons if status is v.status else (),
        duplicate_of=v.duplicate_of if status is Status.DUPLICATE else "",
        explanation=explanation, decided_by="staff", note=note,
    )


def apply_overrides(result: Screening, overrides: pd.DataFrame, source: str = "overrides") -> Screening:
    """A new screening with staff decisions applied; ids not in the screening are an error."""
    decisions = _parse(overrides, source)
    ids = {v.id for v in result.verdicts}
    unknown = sorted(set(decisions) - ids)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise InputError(f"{source}: ids not in the input: {shown}")
    verdicts = tuple(
        _decide(v, *decisions[v.id]) if v.id in decisions else v for v in result.verdicts
    )
    return replace(result, verdicts=verdicts)
