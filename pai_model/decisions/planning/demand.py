"""Demand: node demand over time per (region, hardware), from job records or samples.

Both become a *demand table*: a run-length encoded time series with one row per interval
of constant demand (``region_id``, ``hardware``, ``start``, ``end``, ``nodes``), covering
the whole history window for every (region, hardware) pair. Demand is piecewise constant
between job events, so nothing needs a minute grid: one year of per-minute demand for a
pair with a thousand jobs is about two thousand rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import NS_PER_MINUTE, number, pair_time_order
from pai_model.data.jobs import checked_demand, checked_jobs, checked_samples, fingerprint
from pai_model.decisions.planning._grid import grid_changes
from pai_model.errors import InputError, JobError, Problem


def demand_from_jobs(
    jobs: pd.DataFrame | str | os.PathLike[str],
    *,
    freq: str | pd.Timedelta | None = "1min",
    start: Any = None,
    end: Any = None,
    catalog: pd.DataFrame | None = None,
    timezone: str | None = None,
    overhead_minutes: float = 0.0,
) -> pd.DataFrame:
    """Node demand over time per (region, hardware), from job records.

    Vectorized: each job is a +nodes event at its start and a -nodes event at its end;
    the events are sorted per pair and summed cumulatively, never stepped through time.

    Parameters
    ----------
    jobs : pandas.DataFrame or path-like
        Job records with columns ``start``, ``end`` (ISO 8601 times or datetimes; times
        with a UTC offset are converted to UTC, naive times are taken as they are),
        ``region_id``, ``hardware`` and ``nodes`` (a positive whole number). A path is
        read with :func:`read_jobs`.
    freq : str, pandas.Timedelta or None, default "1min"
        Time resolution. A job occupies its nodes for every interval of ``freq`` it runs
        in any part of (starts are floored and ends ceiled to the grid), as a per-minute
        usage record counts them. ``None`` keeps the exact times (pay-as-you-go prices
        fractional minutes as used).
    start, end : time-like, optional
        The history window ``[start, end)``. Jobs crossing an edge are clipped to it,
        jobs outside it dropped. By default, from the earliest job start (floored to
        ``freq``) to the latest job end (ceiled).
    catalog : pandas.DataFrame, optional
        When given, every (``region_id``, ``hardware``) must be offered in it.
    timezone : str, optional
        Time zone of job times written without a UTC offset (see
        :func:`~pai_model.data.jobs.read_jobs`).
    overhead_minutes : float, default 0
        Minutes added to the end of every job, from 0 to 10,080 (a week): pay-as-you-go
        bills a node from when it joins the resource group until it is released, so
        provisioning and release lag are billed too. [minute]

    Returns
    -------
    pandas.DataFrame
        The demand table, columns :data:`~pai_model.data.jobs.DEMAND_COLUMNS`: one row per interval
        ``[start, end)`` of constant demand ``nodes`` (int64, zero included), contiguous
        over the window for every pair of the jobs; ``region_id`` and ``hardware`` are
        categoricals. ``attrs``: ``window`` (start, end), ``freq``, ``source``,
        ``synthetic`` (True for the kit's synthetic sample) and ``overhead_minutes``.

    Raises
    ------
    JobError
        Listing every bad record (line of the CSV, or row label of the DataFrame): a
        missing column, an unparsable time, an end before its start, nodes that are not
        a positive whole number, a missing region or hardware, a pair not in
        ``catalog``; or an empty window.

    See Also
    --------
    demand_from_series : The same table from a sampled series.
    pai_model.decisions.planning.plan.size_commitment : The plan of a demand table.

    Notes
    -----
    Zero-length jobs (``end == start``) use no node time and are dropped before the
    grid is applied. Overlapping jobs add up.

    Examples
    --------
    Two overlapping jobs of 2 and 1 nodes, the second ending at the window's end:

    >>> jobs = pd.DataFrame({
    ...     "start": ["2026-01-01 00:00", "2026-01-01 00:10"],
    ...     "end": ["2026-01-01 00:30", "2026-01-01 01:00"],
    ...     "region_id": "cn-wulanchabu", "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> demand = demand_from_jobs(jobs)
    >>> [(str(s.time()), str(e.time()), n) for s, e, n in
    ...  demand[["start", "end", "nodes"]].itertuples(index=False)]
    [('00:00:00', '00:10:00', 2), ('00:10:00', '00:30:00', 3), ('00:30:00', '01:00:00', 1)]
    """
    records, frame = checked_jobs(jobs, catalog, timezone)
    step = _freq_ns(freq)
    overhead = _overhead_ns(overhead_minutes)
    window_start, window_end = _window(records.start, records.end + overhead, step, start, end)
    pair, starts, ends, nodes = _intervals(records, step, overhead, window_start, window_end)
    demand = _steps_from_events(
        pair, starts, ends, nodes, len(records.regions), window_start, window_end, grid=step
    )
    return _demand_frame(
        demand,
        records.regions,
        records.hardwares,
        attrs=_attrs(window_start, window_end, step, frame.attrs, overhead_minutes),
    )


def demand_from_batches(
    batches: Iterable[pd.DataFrame],
    *,
    freq: str | pd.Timedelta | None = "1min",
    start: Any = None,
    end: Any = None,
    catalog: pd.DataFrame | None = None,
    timezone: str | None = None,
    overhead_minutes: float = 0.0,
    source: str = "jobs",
) -> pd.DataFrame:
    """:func:`demand_from_jobs` of job records given batch by batch, out of core.

    Each batch is checked as ``demand_from_jobs`` checks a table and reduced to the net
    change of nodes at each (pair, time); only those are kept, so memory grows with the
    pairs and the distinct times on the ``freq`` grid, not with the number of jobs.
    The result equals ``demand_from_jobs`` of all the batches at once. A batch's
    ``attrs`` may name its file (``source``) and its first row there (``first_row``),
    for the problems.

    Raises
    ------
    JobError
        Every problem of every batch (see ``demand_from_jobs``); an empty window.
    """
    step = _freq_ns(freq)
    overhead = _overhead_ns(overhead_minutes)
    lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    # a window edge given clips every batch; one left to the data is found on the way
    given = (
        lowest if start is None else _window_edge(start, "start"),
        highest if end is None else _window_edge(end, "end"),
    )
    first, last = highest, lowest
    changes: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    problems: list[Problem] = []
    synthetic = False
    for batch in batches:
        try:
            records, frame = checked_jobs(batch, catalog, timezone)
        except JobError as error:
            problems += [_moved(p, batch.attrs) for p in error.problems]
            continue
        synthetic = synthetic or bool(frame.attrs.get("synthetic", False))
        if len(records.start):
            first = min(first, int(records.start.min()))
            last = max(last, int((records.end + overhead).max()))
        pair, starts, ends, nodes = _intervals(records, step, overhead, *given)
        code = np.concatenate([pair, pair])
        time = np.concatenate([starts, ends])
        order = pair_time_order(code, time)
        time, code, delta = _summed(
            time[order], code[order], np.concatenate([nodes, -nodes])[order]
        )
        bounds = np.searchsorted(code, np.arange(len(records.regions) + 1))
        for p, key in enumerate(zip(records.regions, records.hardwares, strict=True)):
            held = changes.setdefault(key, [])
            if bounds[p + 1] > bounds[p]:
                held.append((time[bounds[p] : bounds[p + 1]], delta[bounds[p] : bounds[p + 1]]))
            if len(held) > 16:  # each pair's changes stay few: merged now and then
                held[:] = [_merged(held)]
    if problems:
        raise JobError(problems, source)
    window_start, window_end = _window(
        np.array([first][: first != highest], dtype=np.int64),
        np.array([last][: last != lowest], dtype=np.int64),
        step,
        start,
        end,
    )
    pairs = sorted(changes)
    merged = [_merged(changes[key]) for key in pairs]
    pair = np.concatenate([np.full(len(t), i, np.int64) for i, (t, _) in enumerate(merged)] or [[]])
    time = np.concatenate([t for t, _ in merged] or [[]]).astype(np.int64)
    delta = np.concatenate([d for _, d in merged] or [[]]).astype(np.int64)
    # a net change of d nodes at t is a job of d nodes from t to the window's end: the
    # levels within the window are the jobs' own
    demand = _steps_from_events(
        pair.astype(np.int64),
        time,
        np.full(len(time), window_end, np.int64),
        delta,
        len(pairs),
        window_start,
        window_end,
    )
    regions = np.array([r for r, _ in pairs], dtype=object)
    hardwares = np.array([h for _, h in pairs], dtype=object)
    attrs = _attrs(
        window_start, window_end, step, {"source": source, "synthetic": synthetic}, overhead_minutes
    )
    return _demand_frame(demand, regions, hardwares, attrs=attrs)


def _moved(problem: Problem, attrs: dict[str, Any]) -> Problem:
    """A batch's problem named by its file and its line there."""
    line = problem.line
    if line is not None:
        line += int(attrs.get("first_row", 0))
    return replace(problem, source=attrs.get("source", problem.source), line=line)


def _summed(
    time: np.ndarray, code: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One (time, code, summed delta) per run of equal (code, time), in that order."""
    if len(time) == 0:
        return time, code, delta
    first = np.ones(len(time), dtype=bool)
    first[1:] = (code[1:] != code[:-1]) | (time[1:] != time[:-1])
    at = np.flatnonzero(first)
    return time[at], code[at], np.add.reduceat(delta, at)


def _merged(held: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One pair's net changes of several batches as one sorted set."""
    if not held:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    time = np.concatenate([t for t, _ in held])
    delta = np.concatenate([d for _, d in held])
    order = np.argsort(time, kind="stable")
    time, _, delta = _summed(time[order], np.zeros(len(time), np.int64), delta[order])
    return time, delta


def _intervals(
    records: Any, step: int | None, overhead: int, window_start: int, window_end: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(pair, start, end, nodes) of the jobs that use node time within the window, on the
    ``step`` grid (starts floored, ends ceiled), clipped to it."""
    starts, ends, nodes = records.start, records.end + overhead, records.nodes
    keep = ends > starts  # zero-length jobs use no node time
    if step is not None:
        starts = np.floor_divide(starts, step) * step
        ends = -np.floor_divide(-ends, step) * step
    starts = np.maximum(starts, window_start)
    ends = np.minimum(ends, window_end)
    keep &= ends > starts
    return records.pair[keep], starts[keep], ends[keep], nodes[keep].astype(np.int64)


def _attrs(
    window_start: int, window_end: int, step: int | None, given: dict, overhead_minutes: float
) -> dict[str, Any]:
    return {
        "window": (pd.Timestamp(window_start), pd.Timestamp(window_end)),
        "freq": None if step is None else pd.Timedelta(step),
        "source": given.get("source", "jobs"),
        "synthetic": bool(given.get("synthetic", False)),
        "overhead_minutes": float(overhead_minutes),
    }


#: The largest per-job overhead: a week. [minute]
MAX_OVERHEAD_MINUTES = 10_080


def _overhead_ns(minutes: Any) -> int:
    value = number(minutes, "overhead_minutes")
    if not 0 <= value <= MAX_OVERHEAD_MINUTES:
        raise InputError(
            "overhead_minutes",
            f"must be minutes from 0 to {MAX_OVERHEAD_MINUTES:,} (a week); got {minutes!r}",
        )
    return round(value * NS_PER_MINUTE)


def demand_from_series(
    samples: pd.DataFrame, *, freq: str | pd.Timedelta | None = None
) -> pd.DataFrame:
    """The demand table of a sampled series of nodes in use.

    Parameters
    ----------
    samples : pandas.DataFrame
        Columns ``region_id``, ``hardware``, ``time`` and ``nodes`` (a whole number,
        zero allowed). Each sample holds until the pair's next sample; the last one
        holds for ``freq``.
    freq : str or pandas.Timedelta, optional
        Sampling interval. By default the most common spacing between samples.

    Returns
    -------
    pandas.DataFrame
        The demand table (see :func:`demand_from_jobs`), over the window from the
        earliest sample to the latest sample plus ``freq``.

    Raises
    ------
    JobError
        Listing every bad sample: an unparsable time, nodes that are not a whole number
        of at least 0, a time repeated within a pair.

    See Also
    --------
    demand_from_jobs : The same table from job records.

    Examples
    --------
    >>> samples = pd.DataFrame({"region_id": "r", "hardware": "h",
    ...     "time": pd.date_range("2026-01-01", periods=4, freq="1min"), "nodes": [1, 1, 3, 0]})
    >>> demand = demand_from_series(samples)
    >>> minutes = (demand["end"] - demand["start"]) / pd.Timedelta("1min")
    >>> demand["nodes"].tolist(), minutes.tolist()
    ([1, 3, 0], [2.0, 1.0, 1.0])
    """
    records = checked_samples(samples)
    pair, times, nodes = records.pair, records.start, records.nodes
    regions, hardwares = records.regions, records.hardwares
    order = pair_time_order(pair, times)
    pair, times, nodes = pair[order], times[order], nodes[order].astype(np.int64)
    if freq is None:
        gaps = np.diff(times)[pair[1:] == pair[:-1]]
        if len(gaps) == 0:
            raise JobError(
                ["one sample per pair: give freq, the sampling interval"], "demand samples"
            )
        step = int(pd.Series(gaps).mode().iloc[0])
    else:
        step = _freq_ns(freq)
    window_start, window_end = int(times.min()), int(times.max()) + step
    last = np.append(pair[1:] != pair[:-1], True)
    ends = np.where(last, np.minimum(times + step, window_end), np.roll(times, -1))
    demand = _steps_from_events(pair, times, ends, nodes, len(regions), window_start, window_end)
    return _demand_frame(
        demand,
        regions,
        hardwares,
        attrs={
            "window": (pd.Timestamp(window_start), pd.Timestamp(window_end)),
            "freq": pd.Timedelta(step),
            "source": samples.attrs.get("source", "demand samples"),
            "synthetic": bool(samples.attrs.get("synthetic", False)),
        },
    )


def _freq_ns(freq: str | pd.Timedelta | None) -> int | None:
    if freq is None:
        return None
    try:
        step = pd.Timedelta(freq)
    except (ValueError, TypeError) as error:
        raise InputError("freq", f"must be a time interval such as '1min'; got {freq!r}") from error
    if step <= pd.Timedelta(0):
        raise InputError("freq", f"must be a positive time interval; got {freq!r}")
    return int(step.value)


def _window(
    starts: np.ndarray, ends: np.ndarray, step: int | None, start: Any, end: Any
) -> tuple[int, int]:
    if start is not None:
        window_start = _window_edge(start, "start")
    elif len(starts):
        low = int(starts.min())
        window_start = low if step is None else low // step * step
    else:
        raise JobError(["no job records and no window: give start and end"], "jobs")
    if end is not None:
        window_end = _window_edge(end, "end")
    elif len(ends):
        high = int(ends.max())
        window_end = high if step is None else -(-high // step) * step
    else:
        raise JobError(["no job records and no window: give start and end"], "jobs")
    if window_end <= window_start:
        raise JobError(
            [
                f"the window {pd.Timestamp(window_start)} to {pd.Timestamp(window_end)} is empty;"
                " end must be after start"
            ],
            "jobs",
        )
    return window_start, window_end


def _window_edge(value: Any, argument: str) -> int:
    try:
        return int(pd.Timestamp(value).as_unit("ns").value)
    except (ValueError, TypeError, OverflowError) as error:
        raise InputError(argument, f"must be a time such as '2026-01-01'; got {value!r}") from error


@dataclass
class _Steps:
    pair: np.ndarray
    start: np.ndarray
    end: np.ndarray
    nodes: np.ndarray


def _steps_from_events(
    pair: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    nodes: np.ndarray,
    pairs: int,
    window_start: int,
    window_end: int,
    grid: int | None = None,
) -> _Steps:
    """Intervals of constant demand from +nodes/-nodes events, per pair, over the window.

    With ``grid``, every time is a whole number of ``grid`` steps from the window's
    start, and a window of few steps per event is summed on a dense grid of steps
    (:func:`~pai_model.decisions.planning._grid.grid_changes`) instead of sorting the events.
    """
    cells = None if grid is None else _grid_cells(pairs, window_start, window_end, grid)
    if cells is not None and cells <= _GRID_CELLS_PER_EVENT * len(starts) + _GRID_CELLS_FREE:
        # float64 sums, exact for whole nodes: at most 5 x 10**11 per cell
        steps = (window_end - window_start) // grid + 1
        pair_of, cell, level = grid_changes(
            pair, starts, ends, np.asarray(nodes, np.float64), pairs, window_start, grid, steps
        )
        return _changes(pair_of, window_start + cell * grid, level, window_end)
    every = np.arange(pairs, dtype=np.int64)
    zero = np.zeros(pairs, dtype=np.int64)
    time = np.concatenate([starts, ends, np.full(pairs, window_start), np.full(pairs, window_end)])
    delta = np.concatenate([nodes, -nodes, zero, zero])
    code = np.concatenate([pair, pair, every, every])
    order = pair_time_order(code, time)
    time, code = time[order], code[order]
    # every job ends within the window, so each pair's events sum to zero and one global
    # cumulative sum gives each pair's level without resetting at pair boundaries
    level = np.cumsum(delta[order])
    last = np.ones(len(time), dtype=bool)
    last[:-1] = (code[1:] != code[:-1]) | (time[1:] != time[:-1])
    time, code, level = time[last], code[last], level[last]
    # each boundary opens an interval up to the next one of the same pair; the pair's
    # final boundary is the window end, where nothing opens
    opens = np.append(code[1:] == code[:-1], False)
    start, pair_of, nodes_of = time[opens], code[opens], level[opens]
    changed = np.ones(len(start), dtype=bool)
    changed[1:] = (pair_of[1:] != pair_of[:-1]) | (nodes_of[1:] != nodes_of[:-1])
    return _changes(pair_of[changed], start[changed], nodes_of[changed], window_end)


#: A dense grid is used while it has at most this many cells per event (plus
#: :data:`_GRID_CELLS_FREE`): summing on it is linear, where sorting the events is not.
_GRID_CELLS_PER_EVENT = 4
_GRID_CELLS_FREE = 1 << 20


def _grid_cells(pairs: int, window_start: int, window_end: int, grid: int) -> int | None:
    """Cells of the dense grid (each pair's steps and its window end), or None when the
    window's edges are not on the grid."""
    if window_start % grid or window_end % grid:
        return None
    return pairs * ((window_end - window_start) // grid + 1)


def _changes(pair: np.ndarray, start: np.ndarray, nodes: np.ndarray, window_end: int) -> _Steps:
    """Steps from the start of each change of level, in pair and time order: each lasts
    to the next change of its pair, the last one to the window end."""
    end = np.append(start[1:], window_end)
    end[:-1] = np.where(pair[1:] == pair[:-1], end[:-1], window_end)
    return _Steps(pair, start, end, nodes)


def _demand_frame(
    steps: _Steps, regions: np.ndarray, hardwares: np.ndarray, attrs: dict[str, Any]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "region_id": pd.Categorical.from_codes(*_codes_of(regions, steps.pair)),
            "hardware": pd.Categorical.from_codes(*_codes_of(hardwares, steps.pair)),
            "start": steps.start.view("datetime64[ns]"),
            "end": steps.end.view("datetime64[ns]"),
            "nodes": steps.nodes,
        }
    )
    frame.attrs.update(attrs)
    frame.attrs["checked"] = fingerprint(frame)  # built here: nothing to check again
    return frame


def _codes_of(labels: np.ndarray, pair: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes of each step's label (of its pair) among the sorted labels of the pairs
    present; only the pairs' labels are factorized, not one per step."""
    present = np.zeros(len(labels), dtype=bool)
    present[pair] = True
    codes, uniques = pd.factorize(labels[present], sort=True)
    of_pair = np.full(len(labels), -1, dtype=codes.dtype)
    of_pair[present] = codes
    return of_pair[pair], pd.Index(uniques, dtype="str")


def as_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """A demand table from a demand table or a sampled series, checked."""
    if "time" in demand.columns and "start" not in demand.columns:
        return demand_from_series(demand)
    return checked_demand(demand)
