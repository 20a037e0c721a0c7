"""Compiled loops behind the minute grid of
:func:`pai_model.decisions.planning.demand.demand_from_jobs` and of the streamed demand of
:mod:`pai_model.decisions.planning.focus_demand`.

Summing millions of +nodes/-nodes events into a dense grid of steps and finding where
each pair's level changes takes one pass over the events and one over the grid here,
where the same work in numpy costs a dozen array passes over tens of millions of cells.
numba compiles these on first use and caches the machine code beside this file.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def add_events(
    delta: np.ndarray,
    row: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    nodes: np.ndarray,
) -> None:
    """Add ``+nodes`` at cell ``first`` and ``-nodes`` at cell ``last`` of each event's
    ``row`` of the 2-D grid ``delta`` (cells counted from the grid's first column)."""
    for i in range(len(row)):
        delta[row[i], first[i]] += nodes[i]
        delta[row[i], last[i]] -= nodes[i]


@nb.njit(cache=True)
def level_changes(delta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of the grid ``delta`` (pairs x steps; its last cell is the window end,
    where nothing opens), the steps where the level changes: (row, step, level). A row's
    first step always counts as a change. Levels are the running sums, as int64."""
    pairs, steps = delta.shape
    count = 0
    for p in range(pairs):
        level, before = 0.0, 0.0
        for s in range(steps - 1):
            level += delta[p, s]
            if s == 0 or level != before:
                count += 1
            before = level
    pair_of = np.empty(count, dtype=np.int64)
    step_of = np.empty(count, dtype=np.int64)
    level_of = np.empty(count, dtype=np.int64)
    k = 0
    for p in range(pairs):
        level, before = 0.0, 0.0
        for s in range(steps - 1):
            level += delta[p, s]
            if s == 0 or level != before:
                pair_of[k], step_of[k], level_of[k] = p, s, np.int64(level)
                k += 1
            before = level
    return pair_of, step_of, level_of


@nb.njit(cache=True)
def grid_changes(
    pair: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    nodes: np.ndarray,
    pairs: int,
    window_start: int,
    grid: int,
    steps: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair, the steps where its level changes: (pair, step, level).

    Each pair has ``steps`` cells (the last is the window end, where nothing opens);
    its first step always counts as a change. The sums are float64, exact for whole
    nodes (at most 5 x 10**11 per cell).
    """
    origin = window_start // grid
    delta = np.zeros((pairs, steps), dtype=np.float64)
    add_events(delta, pair, starts // grid - origin, ends // grid - origin, nodes)
    return level_changes(delta)
