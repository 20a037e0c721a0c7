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


@nb.njit(cache=True)
def _histogram(
    delta: np.ndarray, p: int, segment_of: np.ndarray, segments: int, width: int
) -> np.ndarray:
    """Steps of row ``p`` at each (segment, level), flat: ``segment * width + level``."""
    seen = np.zeros(segments * width, dtype=np.int64)
    level = 0
    for s in range(delta.shape[1] - 1):
        level += delta[p, s]
        seen[segment_of[s] * width + level] += 1
    return seen


@nb.njit(cache=True)
def grouped_levels(
    delta: np.ndarray, segment_of: np.ndarray, segment_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``delta`` (pairs x steps; its last cell is the window end), the steps
    of each segment grouped by level, lowest first: (row, first step, steps, level).

    ``segment_of[s]`` is the segment of step ``s``, ``segment_start[g]`` the first step of
    segment ``g``; within a segment the order of the steps is lost, their count at each
    level is kept. Each row's histogram is made twice (to count, then to write), so that
    only one row's is held at a time.
    """
    pairs, steps = delta.shape
    segments = len(segment_start)
    peaks = np.zeros(pairs, dtype=np.int64)
    total = 0
    for p in range(pairs):
        level, peak = 0, 0
        for s in range(steps - 1):
            level += delta[p, s]
            peak = max(peak, level)
        peaks[p] = peak
        total += np.count_nonzero(_histogram(delta, p, segment_of, segments, peak + 1))
    row_of = np.empty(total, dtype=np.int64)
    first_of = np.empty(total, dtype=np.int64)
    length_of = np.empty(total, dtype=np.int64)
    level_of = np.empty(total, dtype=np.int64)
    k = 0
    for p in range(pairs):
        width = peaks[p] + 1
        seen = _histogram(delta, p, segment_of, segments, width)
        for g in range(segments):
            at = segment_start[g]
            for v in range(width):
                n = seen[g * width + v]
                if n:
                    row_of[k], first_of[k], length_of[k], level_of[k] = p, at, n, v
                    at += n
                    k += 1
    return row_of, first_of, length_of, level_of


@nb.njit(cache=True)
def line_records(
    start: np.ndarray,
    end: np.ndarray,
    quantity: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    committed: np.ndarray,
    given: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bill lines as job records, ``usage_jobs``' rule in one pass: (nodes, minutes, ns).

    ``start``, ``end`` are the charge period [ns]; ``quantity`` in units of
    ``numerator / denominator`` minutes (0 / 1: not a time, the period is used); a
    Committed line is ``given`` nodes (NaN: 1) busy its whole period, any other
    ``ceil(minutes / period)`` nodes (rounded to 9 decimals first) busy minutes / nodes.
    The period is pandas' ``total_seconds() / 60`` and the job's length in nanoseconds
    pandas' ``to_timedelta(minutes, unit="min")``, to the bit: the whole minutes times
    6 x 10**10 plus the fraction rounded to 10 decimals times it, truncated.
    """
    size = len(start)
    nodes = np.empty(size, dtype=np.int64)
    minutes_of = np.empty(size, dtype=np.float64)
    lasting = np.empty(size, dtype=np.int64)
    for i in range(size):
        ticks = end[i] - start[i]
        whole, rest = ticks // 1_000_000_000, ticks % 1_000_000_000
        period = (whole + rest / 1e9) / 60.0
        minutes = period
        if numerator[i] > 0:
            by_unit = quantity[i] * numerator[i] / denominator[i]
            if np.isfinite(by_unit):
                minutes = by_unit
        if committed[i]:
            count = given[i]
        else:
            count = np.ceil(np.rint(minutes / max(period, 1e-9) * 1e9) / 1e9)
        if np.isnan(count):
            count = 1.0
        count = max(count, 1.0)
        nodes[i] = np.int64(count) if count < 9.2e18 else np.int64(9.2e18)
        length = period if committed[i] else minutes / nodes[i]
        minutes_of[i] = length
        if np.isfinite(length) and abs(length) < 1.5e8:  # within int64 nanoseconds
            base = np.int64(length)
            fraction = np.rint((length - base) * 1e10) / 1e10
            lasting[i] = base * 60_000_000_000 + np.int64(fraction * 60_000_000_000)
        else:
            lasting[i] = 0
    return nodes, minutes_of, lasting


@nb.njit(cache=True)
def judged_lines(
    combo: np.ndarray,
    row_of_combo: np.ndarray,
    usage: np.ndarray,
    timed: np.ndarray,
    start: np.ndarray,
    lasting: np.ndarray,
    nodes: np.ndarray,
    max_nodes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which lines become records, and why the others do not, in one pass.

    Returns ``(good, aside, span)``: ``good`` per line; ``aside`` (combos x 3) counts the
    lines that are not Usage, of a (region, spec) with no row (``row_of_combo`` -1), or
    without a positive usage the planner reads (untimed, not lasting, too many nodes);
    ``span`` is (first start, last end) [ns] and (first minute, last minute) of the good
    lines, and their count, or zeros when none is good.
    """
    size = len(combo)
    good = np.zeros(size, dtype=np.bool_)
    aside = np.zeros((len(row_of_combo), 3), dtype=np.int64)
    first, last = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    used = 0
    for i in range(size):
        c = combo[i]
        if not usage[i]:
            aside[c, 0] += 1
        elif row_of_combo[c] < 0:
            aside[c, 1] += 1
        elif not timed[i] or lasting[i] <= 0 or nodes[i] > max_nodes:
            aside[c, 2] += 1
        else:
            good[i] = True
            used += 1
            first = min(first, start[i])
            last = max(last, start[i] + lasting[i])
    span = np.zeros(5, dtype=np.int64)
    if used:
        minute = 60_000_000_000
        span[0], span[1] = first, last
        span[2], span[3] = first // minute, -((-last) // minute)
        span[4] = used
    return good, aside, span


@nb.njit(cache=True)
def add_lines(
    delta: np.ndarray,
    origin: int,
    good: np.ndarray,
    row: np.ndarray,
    start: np.ndarray,
    lasting: np.ndarray,
    nodes: np.ndarray,
) -> None:
    """Add the good lines to the grid: ``+nodes`` at the minute each starts in (floored),
    ``-nodes`` at the minute it ends in (ceiled), minutes counted from ``origin``."""
    minute = 60_000_000_000
    for i in range(len(good)):
        if good[i]:
            r = row[i]
            delta[r, start[i] // minute - origin] += nodes[i]
            delta[r, -((-(start[i] + lasting[i])) // minute) - origin] -= nodes[i]
