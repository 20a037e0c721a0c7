"""Compiled loops behind the minute grid of
:func:`pai_model.decisions.planning.demand.demand_from_jobs`.

Summing millions of +nodes/-nodes events into a dense grid of steps and finding where
each pair's level changes takes one pass over the events and one over the grid here,
where the same work in numpy costs a dozen array passes over tens of millions of cells.
numba compiles these on first use and caches the machine code beside this file.
"""

from __future__ import annotations

import numba as nb
import numpy as np


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
    delta = np.zeros(pairs * steps, dtype=np.float64)
    for i in range(len(pair)):
        row = pair[i] * steps - origin
        delta[row + starts[i] // grid] += nodes[i]
        delta[row + ends[i] // grid] -= nodes[i]
    count = 0
    for p in range(pairs):
        level, before = 0.0, 0.0
        for s in range(steps - 1):
            level += delta[p * steps + s]
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
            level += delta[p * steps + s]
            if s == 0 or level != before:
                pair_of[k], step_of[k], level_of[k] = p, s, np.int64(level)
                k += 1
            before = level
    return pair_of, step_of, level_of
