"""Work on every core through forked processes: they inherit the loaded models and the items,
and send back only their results.

``fork_map`` runs a stage function over items in chunks (the analysis and the checks of
texts); ``fork_split`` splits one vectorised computation over index ranges (rapidfuzz's
``cpdist`` computes ``partial_ratio`` on one core whatever its ``workers``). Both fall back to
one process where fork is missing, and for small work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from typing import TypeVar

import numpy as np

from .config import Config

T = TypeVar("T")
R = TypeVar("R")

_CHUNKS_PER_WORKER = 4

# what the running map or split works on: forked workers inherit it and receive index ranges
_ITEMS: Sequence[object] = ()


def workers_for(config: Config, work: int) -> int:
    """Processes for ``work`` texts' worth of analysis: every core (``run.workers``) above
    ``run.parallel_min_texts``, else one."""
    if work < config.run.parallel_min_texts:
        return 1
    return config.run.workers or os.cpu_count() or 1


def _fork() -> BaseContext | None:
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: one process
        return None


def _run_range(func: Callable[[Sequence[T], Config], list[R]], start: int, stop: int,
               config: Config) -> tuple[type, list[tuple[object, ...]]]:
    """``func`` of a range of the items, as its results' type and their fields column by
    column: tuples of strings pickle several times faster than as many named tuples."""
    results = func(_ITEMS[start:stop], config)  # type: ignore[arg-type]
    return type(results[0]) if results else tuple, list(zip(*results, strict=True))


def _rows(kind: type, columns: list[tuple[object, ...]]) -> list[R]:
    """The results that ``_run_range`` sent column by column."""
    return list(map(kind, *columns)) if columns else []


def fork_map(
    func: Callable[[Sequence[T], Config], list[R]], items: Sequence[T], config: Config, cost: int = 1
) -> list[R]:
    """``func`` over ``items`` in chunks, on every core above ``parallel_min_texts`` texts'
    worth of work (an item costs ``cost`` texts); ``func`` gives named tuples."""
    global _ITEMS
    workers = workers_for(config, len(items) * cost)
    context = _fork() if workers > 1 else None
    if context is None:
        return func(items, config)
    func(items[:1], config)  # load the models before forking
    # a few chunks per worker: results come back (and are unpickled) while others are
    # analysed, and no worker holds more than a chunk's pickle at a time
    size = -(-len(items) // (workers * _CHUNKS_PER_WORKER))
    out: list[R] = []
    _ITEMS = items
    try:
        with context.Pool(workers) as pool:
            ranges = [(func, i, min(i + size, len(items)), config) for i in range(0, len(items), size)]
            for kind, columns in pool.starmap(_run_range, ranges):
                out.extend(_rows(kind, columns))
    finally:
        _ITEMS = ()
    return out


def _split_range(func: Callable[[Sequence[object], int, int], np.ndarray], start: int,
                 stop: int) -> np.ndarray:
    return func(_ITEMS, start, stop)


def fork_split(
    func: Callable[[Sequence[T], int, int], np.ndarray], items: Sequence[T], workers: int,
    min_items: int,
) -> np.ndarray:
    """``func(items, 0, len(items))``, an array of one value per item, computed in index
    ranges of at least ``min_items`` by this process and forked ones (``workers`` in all)."""
    global _ITEMS
    parts = min(workers, len(items) // max(min_items, 1))
    context = _fork() if parts > 1 else None
    if context is None:
        return func(items, 0, len(items))
    bounds = np.linspace(0, len(items), parts + 1).astype(np.int64).tolist()
    _ITEMS = items
    try:
        with context.Pool(parts - 1) as pool:
            others = [pool.apply_async(_split_range, (func, bounds[k], bounds[k + 1]))
                      for k in range(1, parts)]
            own = func(items, bounds[0], bounds[1])
            return np.concatenate([own, *(other.get() for other in others)])
    finally:
        _ITEMS = ()
