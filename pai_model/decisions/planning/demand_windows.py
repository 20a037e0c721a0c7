"""Demand tables cut and built: a window of a demand table, and the demand of a grid.

:class:`DemandIndex` holds a demand table's arrays, worked out once, and cuts windows
from it in a few array operations per pair, which the backtest does twice a month of
history and the recommendation once more (:func:`clip_demand` cuts one window).
:func:`demand_from_grid` builds the table from a grid of net changes of nodes per pair
and step (the streamed demand of FOCUS lines), optionally grouped by level within each
day (see its ``by_day``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import NS_PER_DAY, pair_codes, pair_time_order, times_ns
from pai_model.decisions.planning._grid import grouped_levels, level_changes
from pai_model.decisions.planning.demand import (
    _attrs,
    _changes,
    _demand_frame,
    _Steps,
    _window_edge,
    as_demand,
)
from pai_model.errors import JobError


def demand_from_grid(
    delta: np.ndarray,
    regions: np.ndarray,
    hardwares: np.ndarray,
    window_start: int,
    step: int,
    *,
    source: str,
    synthetic: bool = False,
    by_day: bool = False,
) -> pd.DataFrame:
    """The demand table of a grid of net changes of nodes, one row per pair.

    Parameters
    ----------
    delta : numpy.ndarray
        ``(pairs, steps)``: ``delta[p, s]`` is the net change of pair ``p``'s nodes at
        ``window_start + s * step``; the last column is the window's end. Whole numbers
        (int64, or float64 of whole numbers).
    regions, hardwares : numpy.ndarray
        The ``region_id`` and ``hardware`` of each row.
    window_start, step : int
        The window's start and the grid's step. [ns]
    source : str
        What the demand is made from (``attrs["source"]``).
    synthetic : bool, default False
        Whether it is synthetic (``attrs["synthetic"]``).
    by_day : bool, default False
        Group each day's minutes by level: the window is cut into segments of at most a
        day, at UTC midnights and at the window's start and end times of day (so every
        whole day counted from either edge, and every calendar day and month, is whole
        segments), and within a segment the minutes at each level are one interval,
        lowest level first. What the planner, its scenarios and the backtest read (how
        long each level lasts in each such day, month or window) is unchanged, and the
        table is far shorter: at most pairs x segments x levels rows, however many
        changes of level the minutes hold. ``attrs["by_day"]`` says so.

    Returns
    -------
    pandas.DataFrame
        The demand table, as :func:`demand_from_jobs` returns it for the same events
        (grouped by level within each segment with ``by_day``).

    Examples
    --------
    Two nodes from minute 0 to 2, one more from minute 1 to 3:

    >>> delta = np.array([[2, 1, -2, -1]])
    >>> demand = demand_from_grid(delta, np.array(["r"]), np.array(["h"]),
    ...                           0, 60_000_000_000, source="example")
    >>> demand["nodes"].tolist(), (demand["end"] - demand["start"]).dt.seconds.tolist()
    ([2, 3, 1], [60, 60, 60])
    """
    window_end = window_start + (delta.shape[1] - 1) * step
    attrs = _attrs(window_start, window_end, step, {"source": source, "synthetic": synthetic}, 0.0)
    if by_day:
        times = window_start + np.arange(delta.shape[1] - 1, dtype=np.int64) * step
        cuts = _day_cuts(window_start, window_end)
        segment_of = np.searchsorted(cuts, times, side="right") - 1
        first = np.searchsorted(times, cuts)
        row, at, length, level = grouped_levels(delta, segment_of, first)
        start = window_start + at * step
        steps = _Steps(row, start, start + length * step, level)
        attrs["by_day"] = True
    else:
        pair_of, cell, level = level_changes(np.asarray(delta, dtype=np.float64))
        steps = _changes(pair_of, window_start + cell * step, level, window_end)
    return _demand_frame(steps, np.asarray(regions, object), np.asarray(hardwares, object), attrs)


def _day_cuts(window_start: int, window_end: int) -> np.ndarray:
    """The starts of the segments of :func:`demand_from_grid`'s ``by_day``: the window's
    start, UTC midnights, and whole days from the window's start and back from its end."""
    days = np.arange(-1, (window_end - window_start) // NS_PER_DAY + 2, dtype=np.int64)
    midnight = (window_start // NS_PER_DAY) * NS_PER_DAY
    cuts = np.concatenate(
        [
            [window_start],
            midnight + days * NS_PER_DAY,
            window_start + days * NS_PER_DAY,
            window_end - days * NS_PER_DAY,
        ]
    )
    return np.unique(cuts[(cuts >= window_start) & (cuts < window_end)])


class DemandIndex:
    """A demand table's arrays, in pair and time order, to cut windows from it fast.

    Parameters
    ----------
    demand : pandas.DataFrame
        A demand table (checked once here).
    """

    def __init__(self, demand: pd.DataFrame) -> None:
        table = as_demand(demand)
        pair, self.regions, self.hardwares = pair_codes(table["region_id"], table["hardware"])
        start, _ = times_ns(table["start"])
        end, _ = times_ns(table["end"])
        nodes = table["nodes"].to_numpy(dtype=np.int64)
        ordered = len(pair) < 2 or (
            bool((np.diff(pair) >= 0).all())
            and bool(((np.diff(start) > 0) | (np.diff(pair) > 0)).all())
        )
        order = slice(None) if ordered else pair_time_order(pair, start)
        self.pair, self.start, self.end = pair[order], start[order], end[order]
        self.nodes = nodes[order]
        self.bounds = np.searchsorted(self.pair, np.arange(len(self.regions) + 1))
        self.attrs = dict(table.attrs)

    def clip(
        self,
        start: Any,
        end: Any,
        *,
        drop_idle: bool = False,
        keep: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """The demand within ``[start, end)``: intervals cut at its edges, level 0 where
        the table has no interval; ``drop_idle`` leaves out the pairs without demand in
        the window, ``keep`` (a mask over the pairs) the pairs not kept."""
        low, high = _window_edge(start, "start"), _window_edge(end, "end")
        if high <= low:
            empty = f"the window {pd.Timestamp(low)} to {pd.Timestamp(high)} is empty"
            raise JobError([empty], "demand")
        pieces = []
        for p in range(len(self.regions)):
            if keep is not None and not keep[p]:
                continue
            first, last = self.bounds[p], self.bounds[p + 1]
            a = first + np.searchsorted(self.end[first:last], low, side="right")
            b = first + np.searchsorted(self.start[first:last], high, side="left")
            begin = np.maximum(self.start[a:b], low)
            finish = np.minimum(self.end[a:b], high)
            level = self.nodes[a:b]
            if drop_idle and not (level > 0).any():
                continue
            # level 0 before the table's first interval and after its last
            head = begin[0] if len(begin) else high
            tail = finish[-1] if len(finish) else high
            begin = np.concatenate([[low], begin, [tail]])
            finish = np.concatenate([[head], finish, [high]])
            level = np.concatenate([[0], level, [0]])
            used = finish > begin
            pieces.append((p, begin[used], finish[used], level[used]))
        kept = np.array([p for p, *_ in pieces], dtype=np.int64)
        attrs = {**self.attrs, "window": (pd.Timestamp(low), pd.Timestamp(high))}
        attrs.pop("checked", None)
        if not pieces:
            empty = _Steps(*(np.zeros(0, np.int64) for _ in range(4)))
            return _demand_frame(empty, self.regions[kept], self.hardwares[kept], attrs)
        pair = np.concatenate(
            [np.full(len(b), i, np.int64) for i, (_, b, _, _) in enumerate(pieces)]
        )
        begin = np.concatenate([b for _, b, _, _ in pieces])
        finish = np.concatenate([f for _, _, f, _ in pieces])
        level = np.concatenate([v for _, _, _, v in pieces])
        # a run of one level cut into pieces (by the edges, or by the days of a table
        # grouped by day) is one interval again
        opens = np.ones(len(level), dtype=bool)
        opens[1:] = (pair[1:] != pair[:-1]) | (level[1:] != level[:-1])
        at = np.flatnonzero(opens)
        ends = finish[np.append(at[1:] - 1, len(level) - 1)]  # the run's last piece's end
        steps = _Steps(pair[at], begin[at], ends, level[at])
        return _demand_frame(steps, self.regions[kept], self.hardwares[kept], attrs)


def clip_demand(
    demand: pd.DataFrame, start: Any, end: Any, *, drop_idle: bool = False
) -> pd.DataFrame:
    """The demand table within the window ``[start, end)``: intervals cut at its edges.

    Equal to :func:`~pai_model.decisions.planning.demand.demand_from_jobs` of the same
    jobs with that window, for a table on its grid. ``drop_idle`` leaves out the pairs
    without demand in the window (the pairs ``demand_from_jobs`` would not see among the
    jobs that run in it). To cut many windows from one table, use :class:`DemandIndex`.

    Examples
    --------
    >>> from pai_model.decisions.planning.demand import demand_from_jobs
    >>> jobs = pd.DataFrame({"start": ["2026-01-01 00:00"], "end": ["2026-01-01 02:00"],
    ...     "region_id": "r", "hardware": "h", "nodes": [2]})
    >>> part = clip_demand(demand_from_jobs(jobs), "2026-01-01 01:00", "2026-01-01 03:00")
    >>> [(str(s.time()), str(e.time()), n) for s, e, n in
    ...  part[["start", "end", "nodes"]].itertuples(index=False)]
    [('01:00:00', '02:00:00', 2), ('02:00:00', '03:00:00', 0)]
    """
    return DemandIndex(demand).clip(start, end, drop_idle=drop_idle)
