"""Commitment planning: how many nodes to subscribe, from a usage history.

Demand
------
Usage comes as job records (``start``, ``end``, ``region_id``, ``hardware``, ``nodes``)
or as a sampled series (``region_id``, ``hardware``, ``time``, ``nodes``). Both become a
*demand table*: a run-length encoded time series with one row per interval of constant
demand (``region_id``, ``hardware``, ``start``, ``end``, ``nodes``), covering the whole
history window for every (region, hardware) pair. Demand is piecewise constant between
job events, so nothing needs a minute grid: one year of per-minute demand for a pair with
a thousand jobs is about two thousand rows.

The plan
--------
Let ``T(L)`` be the time during which demand is at least ``L`` nodes (the load-duration
curve). Subscribing ``k`` nodes serves every demand level ``L <= k``; the levels above
``k`` run on pay-as-you-go, level ``L`` for ``T(L)`` minutes. So, for every ``k`` at
once::

    cost(k) = subscription_cost(S, k, months) + sum over L > k of payg_cost(p, 1, T(L))

Each level ``L`` is billed as one pay-as-you-go line (one node slot used ``T(L)`` minutes,
rounded to the milli-minute) with the exact billing formula, so the curve is a reverse
cumulative sum of exact line amounts. Node ``k`` is worth subscribing while the
pay-as-you-go cost it replaces, ``payg_cost(p, 1, T(k))``, is at least its subscription
price (the newsvendor rule); ``T`` never increases with ``L``, so the rule picks a
prefix ``1..k*``, and :func:`plan_commitment` checks ``k*`` against the minimum of the
billed curve.

Horizon
-------
Subscriptions are bought for ``months`` whole months of ``hours_per_month`` hours (730 by
default, 365 x 24 / 12). The history is assumed to repeat: the time at each demand level
is multiplied by ``horizon minutes / history minutes``. A history shorter than the
horizon is thereby stretched and one longer is compressed; either way the share of time
at each level is kept, not the calendar.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .billing import MAX_MINUTES, MAX_MONTHS, discounted_price, payg_cost, subscription_cost
from .breakeven import HOURS_PER_MONTH
from .comparison import BREAK_EVEN_COLUMNS, break_even_table
from .errors import InputError, JobError, PlanError

JOB_COLUMNS = ("start", "end", "region_id", "hardware", "nodes")
SAMPLE_COLUMNS = ("region_id", "hardware", "time", "nodes")
DEMAND_COLUMNS = ("region_id", "hardware", "start", "end", "nodes")
#: The offer pair (the first columns of the break-even table), then the plan.
SUMMARY_COLUMNS = (
    *BREAK_EVEN_COLUMNS[: BREAK_EVEN_COLUMNS.index("payg_price_per_minute") + 1],
    "months",
    "horizon_hours",
    "history_days",
    "peak_nodes",
    "mean_nodes",
    "recommended_nodes",
    "break_even_hours",
    "all_payg_cost",
    "all_subscription_cost",
    "plan_subscription_cost",
    "plan_payg_cost",
    "plan_cost",
    "savings",
    "savings_percent",
    "coverage",
    "utilization",
    "break_even_months",
    "purchasable",
    "provenance",
    "demand_source",
)
CURVE_COLUMNS = (
    "region_id",
    "hardware",
    "nodes",
    "hours_at_or_above",
    "time_share_at_or_above",
    "subscription_cost",
    "payg_cost",
    "total_cost",
    "savings",
    "recommended",
)

_NS_PER_MINUTE = 60_000_000_000
_NS_PER_DAY = 1440 * _NS_PER_MINUTE
_CENTS = 100


# --------------------------------------------------------------------------- demand


def read_jobs(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a jobs CSV as text columns; :func:`demand_from_jobs` parses and checks them.

    Parameters
    ----------
    path : path-like
        CSV with a header row and the columns :data:`JOB_COLUMNS` (others are ignored).

    Returns
    -------
    pandas.DataFrame
        The records as strings; ``attrs["path"]`` is the file and ``attrs["first_line"]``
        the line number of the first record (2), so problems can name CSV lines.
    """
    file = Path(path)
    if not file.is_file():
        raise JobError([f"no such file: {file}"], str(file))
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise JobError(
            [f"cannot read {file.name} as a CSV with a header row ({error}); save it as UTF-8 CSV"],
            str(file),
        ) from error
    frame.attrs.update(path=str(file), first_line=2, source=f"jobs from {file.name}")
    return frame


def demand_from_jobs(
    jobs: pd.DataFrame | str | os.PathLike[str],
    *,
    freq: str | pd.Timedelta | None = "1min",
    start: Any = None,
    end: Any = None,
    catalog: pd.DataFrame | None = None,
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

    Returns
    -------
    pandas.DataFrame
        The demand table, columns :data:`DEMAND_COLUMNS`: one row per interval
        ``[start, end)`` of constant demand ``nodes`` (int64, zero included), contiguous
        over the window for every pair of the jobs; ``region_id`` and ``hardware`` are
        categoricals. ``attrs``: ``window`` (start, end), ``freq``, ``source`` and
        ``synthetic`` (True for the kit's synthetic sample).

    Raises
    ------
    JobError
        Listing every bad record (line of the CSV, or row label of the DataFrame): a
        missing column, an unparsable time, an end before its start, nodes that are not
        a positive whole number, a missing region or hardware, a pair not in
        ``catalog``; or an empty window.

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
    frame = read_jobs(jobs) if isinstance(jobs, (str, os.PathLike)) else jobs
    label = _record_labels(frame)
    missing = [c for c in JOB_COLUMNS if c not in frame.columns]
    if missing:
        raise JobError(
            [
                f"missing column {c!r}; jobs need the columns {', '.join(JOB_COLUMNS)}"
                for c in missing
            ],
            frame.attrs.get("path", "jobs"),
        )
    step = _freq_ns(freq)
    starts, bad_start = _times_ns(frame["start"])
    ends, bad_end = _times_ns(frame["end"])
    nodes = pd.to_numeric(frame["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    bad_nodes = ~(nodes > 0) | (nodes != np.floor(nodes)) | (nodes > np.iinfo(np.int32).max)
    pair, regions, hardwares = _pair_codes(frame["region_id"], frame["hardware"])
    region, hardware = regions[pair], hardwares[pair]
    no_region, no_hardware = region == "", hardware == ""
    reversed_ = ~bad_start & ~bad_end & (ends < starts)
    unknown = np.zeros(len(frame), dtype=bool)
    if catalog is not None:
        offered = pd.MultiIndex.from_frame(catalog[["region_id", "hardware"]].astype(str))
        unknown = ~pd.MultiIndex.from_arrays([regions, hardwares]).isin(offered)[pair]
        unknown &= ~no_region & ~no_hardware
    checks = [
        (bad_start, lambda i: f"start is not a time: {frame['start'].iloc[i]!r}"),
        (bad_end, lambda i: f"end is not a time: {frame['end'].iloc[i]!r}"),
        (
            reversed_,
            lambda i: f"end {frame['end'].iloc[i]} is before start {frame['start'].iloc[i]}",
        ),
        (
            bad_nodes,
            lambda i: f"nodes must be a positive whole number; got {frame['nodes'].iloc[i]!r}",
        ),
        (no_region, lambda i: "region_id is missing"),
        (no_hardware, lambda i: "hardware is missing"),
        (
            unknown,
            lambda i: (
                f"region_id {region[i]!r} with hardware {hardware[i]!r} is not offered in"
                " the catalog; fix the record or use a catalog that has it"
            ),
        ),
    ]
    problems = _record_problems(checks, label)
    if problems:
        raise JobError(problems, frame.attrs.get("path", "jobs"))

    window_start, window_end = _window(starts, ends, step, start, end)
    keep = ends > starts  # zero-length jobs use no node time
    if step is not None:
        starts = np.floor_divide(starts, step) * step
        ends = -np.floor_divide(-ends, step) * step
    starts = np.maximum(starts, window_start)
    ends = np.minimum(ends, window_end)
    keep &= ends > starts
    demand = _steps_from_events(
        pair[keep],
        starts[keep],
        ends[keep],
        nodes[keep].astype(np.int64),
        len(regions),
        window_start,
        window_end,
    )
    return _demand_frame(
        demand,
        regions,
        hardwares,
        attrs={
            "window": (pd.Timestamp(window_start), pd.Timestamp(window_end)),
            "freq": None if step is None else pd.Timedelta(step),
            "source": frame.attrs.get("source", "jobs"),
            "synthetic": bool(frame.attrs.get("synthetic", False)),
        },
    )


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

    Examples
    --------
    >>> samples = pd.DataFrame({"region_id": "r", "hardware": "h",
    ...     "time": pd.date_range("2026-01-01", periods=4, freq="1min"), "nodes": [1, 1, 3, 0]})
    >>> demand = demand_from_series(samples)
    >>> minutes = (demand["end"] - demand["start"]) / pd.Timedelta("1min")
    >>> demand["nodes"].tolist(), minutes.tolist()
    ([1, 3, 0], [2.0, 1.0, 1.0])
    """
    label = _record_labels(samples)
    missing = [c for c in SAMPLE_COLUMNS if c not in samples.columns]
    if missing:
        raise JobError([f"missing column {c!r}" for c in missing], "demand samples")
    times, bad_time = _times_ns(samples["time"])
    nodes = pd.to_numeric(samples["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    bad_nodes = ~(nodes >= 0) | (nodes != np.floor(nodes))
    pair, regions, hardwares = _pair_codes(samples["region_id"], samples["hardware"])
    repeated = pd.DataFrame({"p": pair, "t": times}).duplicated(keep=False).to_numpy() & ~bad_time
    problems = _record_problems(
        [
            (bad_time, lambda i: f"time is not a time: {samples['time'].iloc[i]!r}"),
            (
                bad_nodes,
                lambda i: f"nodes must be a whole number >= 0; got {samples['nodes'].iloc[i]!r}",
            ),
            (repeated, lambda i: "time repeats within its region and hardware"),
        ],
        label,
    )
    if problems:
        raise JobError(problems, "demand samples")
    if len(samples) == 0:
        raise JobError(["no samples: give at least one"], "demand samples")
    order = _pair_time_order(pair, times)
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


def _record_labels(frame: pd.DataFrame) -> Callable[[int], str]:
    first = frame.attrs.get("first_line")
    if first is not None:
        return lambda i: f"line {i + first}"
    index = frame.index
    return lambda i: f"row {index[i]}"


def _record_problems(
    checks: list[tuple[np.ndarray, Callable[[int], str]]], label: Callable[[int], str]
) -> list[str]:
    """One message per bad record, all its reasons joined, in record order."""
    bad = np.zeros(len(checks[0][0]), dtype=bool)
    for mask, _ in checks:
        bad |= mask
    problems = []
    for i in np.flatnonzero(bad):  # only the bad records are visited
        reasons = [describe(i) for mask, describe in checks if mask[i]]
        problems.append(f"{label(i)}: {'; '.join(reasons)}")
    return problems


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


def _times_ns(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Times as int64 nanoseconds (UTC for offset-aware input) and the unparsable mask."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        parsed = values
    else:
        parsed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.astype("datetime64[ns]")
    bad = parsed.isna().to_numpy()
    return parsed.to_numpy().view(np.int64), bad


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


def _pair_codes(
    region: pd.Series, hardware: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code of each record's (region, hardware) pair, and each pair's labels.

    Labels are stripped of surrounding blanks; a missing label becomes "". Pairs are
    numbered in the order of region, then hardware.
    """
    region_codes, region_names = _labels(region)
    hardware_codes, hardware_names = _labels(hardware)
    width = len(hardware_names)
    pair, uniques = pd.factorize(region_codes * width + hardware_codes, sort=True)
    return pair.astype(np.int64), region_names[uniques // width], hardware_names[uniques % width]


def _labels(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted, stripped names of a label column; only the distinct labels are
    turned into text, which keeps a million records fast."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # a missing label has code -1, which picks the "" appended last
    names = np.append(pd.Index(uniques).astype(str).str.strip().to_numpy(dtype=object), "")
    final, sorted_names = pd.factorize(names, sort=True)
    return final[codes].astype(np.int64), np.asarray(sorted_names, dtype=object)


def _pair_time_order(pair: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Stable order by pair, then time.

    Times on a grid (every minute, say) are whole multiples of their greatest common
    step from the earliest one, so one int64 key ``pair x span + step count`` sorts in a
    single argsort, about twice as fast as a two-key lexsort; exact nanosecond times
    too far apart for that key fall back to the lexsort.
    """
    if len(time) == 0:
        return np.zeros(0, dtype=np.int64)
    offset = time - time.min()
    step = int(np.gcd.reduce(offset)) or 1
    span = int(offset.max()) // step + 1
    if (int(pair.max()) + 1) * span < 2**62:
        return np.argsort(pair * span + offset // step, kind="stable")
    return np.lexsort((time, pair))


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
) -> _Steps:
    """Intervals of constant demand from +nodes/-nodes events, per pair, over the window."""
    every = np.arange(pairs, dtype=np.int64)
    zero = np.zeros(pairs, dtype=np.int64)
    time = np.concatenate([starts, ends, np.full(pairs, window_start), np.full(pairs, window_end)])
    delta = np.concatenate([nodes, -nodes, zero, zero])
    code = np.concatenate([pair, pair, every, every])
    order = _pair_time_order(code, time)
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
    start, pair_of, nodes_of = start[changed], pair_of[changed], nodes_of[changed]
    end = np.append(start[1:], window_end)
    end[:-1] = np.where(pair_of[1:] == pair_of[:-1], end[:-1], window_end)
    return _Steps(pair_of, start, end, nodes_of)


def _demand_frame(
    steps: _Steps, regions: np.ndarray, hardwares: np.ndarray, attrs: dict[str, Any]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "region_id": pd.Categorical.from_codes(
                *_codes_of(regions[steps.pair] if len(regions) else regions)
            ),
            "hardware": pd.Categorical.from_codes(
                *_codes_of(hardwares[steps.pair] if len(hardwares) else hardwares)
            ),
            "start": steps.start.view("datetime64[ns]"),
            "end": steps.end.view("datetime64[ns]"),
            "nodes": steps.nodes,
        }
    )
    frame.attrs.update(attrs)
    return frame


def _codes_of(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes, pd.Index(uniques, dtype="str")


def _as_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """A demand table from a demand table or a sampled series, checked."""
    if "time" in demand.columns and "start" not in demand.columns:
        return demand_from_series(demand)
    missing = [c for c in DEMAND_COLUMNS if c not in demand.columns]
    if missing:
        raise PlanError(
            [
                f"demand has no column {c!r}: give the output of demand_from_jobs, or samples"
                f" with columns {', '.join(SAMPLE_COLUMNS)}"
                for c in missing
            ],
            "demand",
        )
    if len(demand) == 0:
        raise PlanError(["demand has no rows: give at least one interval"], "demand")
    nodes = pd.to_numeric(demand["nodes"], errors="coerce").to_numpy(dtype=np.float64)
    start, bad_start = _times_ns(demand["start"])
    end, bad_end = _times_ns(demand["end"])
    # an interval starting before the previous one of its pair ends would count time twice
    pair, _, _ = _pair_codes(demand["region_id"], demand["hardware"])
    order = _pair_time_order(pair, start)
    overlaps = np.zeros(len(demand), dtype=bool)
    overlaps[order[1:]] = (pair[order[1:]] == pair[order[:-1]]) & (
        start[order[1:]] < end[order[:-1]]
    )
    problems = _record_problems(
        [
            (
                ~(nodes >= 0) | (nodes != np.floor(nodes)),
                lambda i: "nodes must be a whole number >= 0",
            ),
            (bad_start | bad_end | (end <= start), lambda i: "end must be a time after start"),
            (
                overlaps & ~bad_start & ~bad_end,
                lambda i: "overlaps the previous interval of its region and hardware",
            ),
        ],
        _record_labels(demand),
    )
    if problems:
        raise PlanError(problems, "demand")
    return demand


# --------------------------------------------------------------------------- levels


@dataclass
class _Levels:
    """Per pair, the time spent at each exact demand level, in one flat array.

    Pair ``p`` owns positions ``offset[p] .. offset[p+1]-1``, one per level
    ``0 .. peak[p]``.
    """

    region: np.ndarray
    hardware: np.ndarray
    peak: np.ndarray
    offset: np.ndarray
    at_level_ns: np.ndarray
    history_ns: np.ndarray

    @property
    def pair_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.peak)), self.peak + 1)

    @property
    def level(self) -> np.ndarray:
        return np.arange(self.offset[-1]) - self.offset[:-1][self.pair_of]

    def at_or_above_ns(self) -> np.ndarray:
        """``T(L)``: time with demand >= L, for every pair and level (L = 0: all time)."""
        return _suffix_sums(self.at_level_ns, self.offset)


def _suffix_sums(values: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Sum of ``values[i:]`` within each block ``offset[p] .. offset[p+1]``."""
    total = np.concatenate([np.cumsum(values[::-1])[::-1], np.zeros(1, dtype=values.dtype)])
    block_end = np.repeat(offset[1:], np.diff(offset))
    return total[:-1] - total[block_end]


def _levels(demand: pd.DataFrame) -> _Levels:
    pair, regions, hardwares = _pair_codes(demand["region_id"], demand["hardware"])
    start, _ = _times_ns(demand["start"])
    end, _ = _times_ns(demand["end"])
    nodes = demand["nodes"].to_numpy(dtype=np.int64)
    duration = end - start
    count = len(regions)
    peak = np.zeros(count, dtype=np.int64)
    np.maximum.at(peak, pair, nodes)
    offset = np.concatenate([[0], np.cumsum(peak + 1)])
    at_level = np.zeros(offset[-1], dtype=np.int64)
    np.add.at(at_level, offset[pair] + nodes, duration)  # int64: exact nanoseconds
    history = np.zeros(count, dtype=np.int64)
    np.add.at(history, pair, duration)
    return _Levels(regions, hardwares, peak, offset, at_level, history)


# --------------------------------------------------------------------------- prices


@dataclass(frozen=True)
class Preemptible:
    """A preemptible (spot) tier for flexible demand above the subscribed nodes.

    Parameters
    ----------
    spot_discount : float
        Price paid on preemptible nodes as a fraction of the pay-as-you-go price, as the
        APIs state ``SpotDiscount`` (0.1 = pay 10 %). [fraction]
    interruption_overhead : float, default 0.1
        Share of the work run again after interruptions, billed too, 0 to 1. [fraction]
    flexible_share : float, default 1.0
        Share of the pay-as-you-go node-minutes that may be interrupted, 0 to 1. [fraction]
    """

    spot_discount: float
    interruption_overhead: float = 0.1
    flexible_share: float = 1.0


def _discounted(prices: np.ndarray, discount: float, argument: str) -> np.ndarray:
    """``price x (1 - discount)`` rounded half up to 6 decimals (exact, see billing)."""
    fraction = _fraction(discount, argument, upper_open=True)
    return np.asarray(discounted_price(np.asarray(prices, dtype=np.float64), fraction))


def _fraction(value: float, argument: str, *, upper_open: bool = False) -> float:
    number = _number(value, argument)
    if not (0.0 <= number < 1.0 if upper_open else 0.0 <= number <= 1.0):
        bound = "below 1" if upper_open else "at most 1"
        raise InputError(argument, f"must be a fraction from 0 and {bound}; got {value!r}")
    if round(number, 6) != number:
        raise InputError(argument, f"has more than 6 decimal places; got {value!r}")
    return number


def _number(value: Any, argument: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise InputError(argument, f"must be a number; got {value!r}") from error


def _is_whole(value: Any) -> bool:
    try:
        return not isinstance(value, bool) and int(value) == value
    except (TypeError, ValueError, OverflowError):
        return False


def _horizon(months: int, hours_per_month: float) -> tuple[int, float]:
    """Checked months and the horizon in minutes, which one pay-as-you-go line must fit."""
    if not _is_whole(months) or not 1 <= months <= MAX_MONTHS:
        raise InputError(
            "months", f"must be a whole number of months from 1 to {MAX_MONTHS}; got {months!r}"
        )
    if not 0 < _number(hours_per_month, "hours_per_month") <= 31 * 24:
        raise InputError(
            "hours_per_month", f"must be above 0 and at most 744; got {hours_per_month!r}"
        )
    minutes = int(months) * float(hours_per_month) * 60.0
    if minutes > MAX_MINUTES:
        raise InputError(
            "months",
            f"{months} months of {hours_per_month:g} hours exceed the {MAX_MINUTES:,} minutes"
            " (ten years) the billing formulas price; plan a shorter horizon",
        )
    return int(months), minutes


def _offers(levels: _Levels, catalog: pd.DataFrame, hours_per_month: float) -> pd.DataFrame:
    """The paired offer of every pair of the demand, in the order of ``levels``."""
    table = break_even_table(catalog, hours_per_month=hours_per_month).set_index(
        ["region_id", "hardware"]
    )
    wanted = pd.MultiIndex.from_arrays([levels.region, levels.hardware])
    missing = ~wanted.isin(table.index)
    if missing.any():
        offered = catalog[["region_id", "hardware"]].astype(str)
        known = pd.MultiIndex.from_frame(offered)
        problems = []
        for region, hardware in wanted[missing]:
            what = (
                "has no pair of subscription and pay-as-you-go offers in the catalog"
                if (region, hardware) in known
                else "is not in the catalog"
            )
            problems.append(
                f"{region} / {hardware} {what}; drop its jobs or use a catalog that offers both"
            )
        raise PlanError(problems)
    return table.loc[wanted].reset_index()


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class CommitmentPlan:
    """Result of :func:`plan_commitment`."""

    #: One row per (region, hardware): columns :data:`SUMMARY_COLUMNS` (plus
    #: ``preemptible_*`` columns when a preemptible tier was given).
    summary: pd.DataFrame
    #: Cost of every subscription count ``nodes`` = 0 .. peak: :data:`CURVE_COLUMNS`.
    curves: pd.DataFrame
    #: What a reader must know: month convention, scaling, illustrative or synthetic input.
    notes: list[str] = field(default_factory=list)


def plan_commitment(
    demand: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    months: int = 1,
    payg_discount: float = 0.0,
    subscription_discount: float = 0.0,
    hours_per_month: float = HOURS_PER_MONTH,
    preemptible: Preemptible | None = None,
) -> CommitmentPlan:
    """How many nodes to subscribe per (region, hardware), and what it saves.

    Parameters
    ----------
    demand : pandas.DataFrame
        A demand table (:func:`demand_from_jobs`) or sampled series
        (:func:`demand_from_series` columns).
    catalog : pandas.DataFrame
        Price catalog (:func:`~pai_model.catalog.load_catalog`). Every pair of the demand
        needs a subscription and a pay-as-you-go offer of its hardware in its region
        (the cheapest of each is used, as in
        :func:`~pai_model.comparison.break_even_table`).
    months : int, default 1
        Horizon: whole months the subscription is bought for. [month]
    payg_discount, subscription_discount : float, default 0
        Discounts on the unit prices, 0 to below 1; the discounted price is rounded
        half up to 6 decimal places before billing. [fraction]
    hours_per_month : float, default 730
        The month convention. [hour/month]
    preemptible : Preemptible, optional
        Also plan with flexible pay-as-you-go demand on preemptible nodes; reported in
        separate ``preemptible_*`` columns, the main plan is unchanged. Off by default.

    Returns
    -------
    CommitmentPlan
        ``summary``: per pair, ``recommended_nodes`` (the newsvendor rule, checked
        against the billed curve), ``all_payg_cost``, ``all_subscription_cost`` (peak
        nodes subscribed), ``plan_cost`` and its two parts, ``savings`` against all
        pay-as-you-go and ``savings_percent`` [%], ``coverage`` (share of node-minutes
        served by subscribed nodes), ``utilization`` (share of subscribed node-minutes
        used), ``break_even_months`` (months of use after which the pay-as-you-go cost
        avoided equals the prepaid subscription; NaN with no subscription),
        ``break_even_hours`` (node ``k`` pays off if demand is at least ``k`` for this
        long in the horizon) [hour]. Money in the catalog's currency, exact to the cent.
        ``curves``: the cost for every ``nodes`` from 0 to peak. ``notes``.

    Raises
    ------
    PlanError
        When a pair of the demand has no subscription and pay-as-you-go offers.
    InputError
        For a bad ``months``, discount or ``hours_per_month``.

    Examples
    --------
    One documented GU108 pair in China (Ulanqab) (23,932.70 USD/month, 0.73 USD/minute;
    the pairing of the two specs is an assumption), 30 days of history: two nodes
    always busy, a third busy 20 days. Scaled to a 730-hour month (x 43,800 / 43,200):
    level 3 runs 28,800 x 43,800 / 43,200 = 29,200 minutes, 21,316.00 USD on
    pay-as-you-go, less than a subscription; levels 1 and 2 run 43,800 minutes,
    31,974.00 USD each, more. So subscribe 2.

    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2026-01-31", "2026-01-21"], "region_id": "cn-wulanchabu",
    ...     "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> plan = plan_commitment(demand_from_jobs(jobs), load_catalog(paths.DOCUMENTED_CATALOG))
    >>> best = plan.summary.iloc[0]
    >>> print(best.recommended_nodes, best.plan_cost, best.all_payg_cost, best.savings)
    2 69181.4 85264.0 16082.6
    """
    months, horizon_minutes = _horizon(months, hours_per_month)
    table = _as_demand(demand)
    levels = _levels(table)
    offers = _offers(levels, catalog, hours_per_month)
    sub_price = _discounted(
        offers["subscription_price_per_month"].to_numpy(),
        subscription_discount,
        "subscription_discount",
    )
    payg_price = _discounted(
        offers["payg_price_per_minute"].to_numpy(), payg_discount, "payg_discount"
    )

    pair_of, level = levels.pair_of, levels.level
    at_or_above = levels.at_or_above_ns()
    minutes = _horizon_minutes(at_or_above, levels.history_ns[pair_of], horizon_minutes)
    minutes[level == 0] = 0.0  # level 0 is no demand: nothing to bill
    line = _cents(payg_cost(payg_price[pair_of], 1, minutes))
    one_node = _cents(subscription_cost(sub_price, 1, months))
    curve = _Curve(levels, line, _cents(subscription_cost(sub_price[pair_of], level, months)))
    recommended, rule_notes = curve.optimum(one_node)

    # node-time: sum of T(L) over L >= 1 (all demand) and over 1 <= L <= k (served by
    # subscribed nodes); float64 per pair, as a pair's node-nanoseconds can pass int64
    used = np.where(level > 0, at_or_above, 0).astype(np.float64)
    demand_ns = np.add.reduceat(used, levels.offset[:-1])
    served = np.add.reduceat(np.where(level <= recommended[pair_of], used, 0.0), levels.offset[:-1])
    avoided = curve.all_payg - curve.payg_at(recommended)
    plan_sub = curve.subscription_at(recommended)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(demand_ns > 0, served / np.maximum(demand_ns, 1), np.nan)
        utilization = np.where(
            recommended > 0, served / (recommended * levels.history_ns.astype(np.float64)), np.nan
        )
        break_even_months = np.where(
            avoided > 0, months * plan_sub / np.maximum(avoided, 1), np.nan
        )
    plan_total = curve.total_at(recommended)
    savings = curve.all_payg - plan_total
    demand_source = table.attrs.get("source", "demand")
    synthetic = bool(table.attrs.get("synthetic", False))
    if synthetic and "synthetic" not in demand_source.lower():
        demand_source = f"synthetic: {demand_source}"
    summary = pd.DataFrame(
        {
            "region_id": levels.region,
            "region_name": offers["region_name"].to_numpy(),
            "hardware": levels.hardware,
            "currency": offers["currency"].to_numpy(),
            "subscription_spec": offers["subscription_spec"].to_numpy(),
            "payg_spec": offers["payg_spec"].to_numpy(),
            "subscription_price_per_month": sub_price,
            "payg_price_per_minute": payg_price,
            "months": months,
            "horizon_hours": horizon_minutes / 60.0,
            "history_days": levels.history_ns / _NS_PER_DAY,
            "peak_nodes": levels.peak,
            "mean_nodes": demand_ns / levels.history_ns.astype(np.float64),
            "recommended_nodes": recommended,
            "break_even_hours": one_node / _CENTS / payg_price / 60.0,
            "all_payg_cost": curve.all_payg / _CENTS,
            "all_subscription_cost": curve.subscription_at(levels.peak) / _CENTS,
            "plan_subscription_cost": plan_sub / _CENTS,
            "plan_payg_cost": curve.payg_at(recommended) / _CENTS,
            "plan_cost": plan_total / _CENTS,
            "savings": savings / _CENTS,
            "savings_percent": np.where(
                curve.all_payg > 0, 100.0 * savings / np.maximum(curve.all_payg, 1), 0.0
            ),
            "coverage": coverage,
            "utilization": utilization,
            "break_even_months": break_even_months,
            "purchasable": offers["purchasable"].to_numpy(),
            "provenance": offers["provenance"].to_numpy(),
            "demand_source": demand_source,
        }
    )
    if preemptible is not None:
        summary = _with_preemptible(summary, preemptible, levels, minutes, curve, one_node)
    curves = curve.frame(recommended, at_or_above, levels.history_ns)
    notes = (
        _plan_notes(
            summary, offers, months, hours_per_month, levels.history_ns, synthetic, demand_source
        )
        + rule_notes
    )
    summary.attrs.update(months=months, hours_per_month=hours_per_month, notes=notes)
    return CommitmentPlan(summary, curves, notes)


def _horizon_minutes(
    at_or_above_ns: np.ndarray, history_ns: np.ndarray, horizon: float
) -> np.ndarray:
    """History time scaled to the horizon, in minutes rounded to the milli-minute."""
    scale = horizon * 1000.0 / history_ns.astype(np.float64)
    return np.rint(at_or_above_ns.astype(np.float64) * scale) / 1000.0


def _cents(amounts: Any) -> np.ndarray:
    """Exact cents of amounts the billing formulas rounded to the cent."""
    return np.rint(np.asarray(amounts, dtype=np.float64) * _CENTS).astype(np.int64)


class _Curve:
    """Cost of every subscription count for every pair, in integer cents."""

    def __init__(self, levels: _Levels, line: np.ndarray, subscription: np.ndarray) -> None:
        self.levels = levels
        self.line = line
        self.subscription = subscription
        # payg(k) = sum of the lines of levels above k
        self.payg = _suffix_sums(line, levels.offset) - line
        self.total = subscription + self.payg
        self.all_payg = self.payg[levels.offset[:-1]]

    def payg_at(self, k: np.ndarray) -> np.ndarray:
        return self.payg[self.levels.offset[:-1] + k]

    def subscription_at(self, k: np.ndarray) -> np.ndarray:
        return self.subscription[self.levels.offset[:-1] + k]

    def total_at(self, k: np.ndarray) -> np.ndarray:
        return self.total[self.levels.offset[:-1] + k]

    def optimum(self, one_node: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """The newsvendor count, or the billed curve's minimum where rounding splits them."""
        levels = self.levels
        pair_of, level = levels.pair_of, levels.level
        worth = (level > 0) & (self.line >= one_node[pair_of])
        rule = np.bincount(pair_of[worth], minlength=len(levels.peak)).astype(np.int64)
        lowest = np.minimum.reduceat(self.total, levels.offset[:-1])
        at_min = np.where(self.total == lowest[pair_of], level, -1)
        curve_k = np.maximum.reduceat(at_min, levels.offset[:-1])
        differs = self.total_at(rule) != lowest
        notes = [
            f"{levels.region[p]} / {levels.hardware[p]}: the per-node rule gives {rule[p]}"
            f" nodes but whole-order rounding of the subscription makes {curve_k[p]} cheaper"
            f" by {(self.total_at(rule)[p] - lowest[p]) / _CENTS:.2f}; the billed curve's"
            " minimum is used"
            for p in np.flatnonzero(differs)
        ]
        return np.where(differs, curve_k, rule), notes

    def frame(
        self, recommended: np.ndarray, at_or_above: np.ndarray, history_ns: np.ndarray
    ) -> pd.DataFrame:
        levels = self.levels
        pair_of, level = levels.pair_of, levels.level
        all_payg = self.all_payg[pair_of]
        return pd.DataFrame(
            {
                "region_id": levels.region[pair_of],
                "hardware": levels.hardware[pair_of],
                "nodes": level,
                "hours_at_or_above": at_or_above / (60.0 * _NS_PER_MINUTE),
                "time_share_at_or_above": at_or_above / history_ns[pair_of].astype(np.float64),
                "subscription_cost": self.subscription / _CENTS,
                "payg_cost": self.payg / _CENTS,
                "total_cost": self.total / _CENTS,
                "savings": (all_payg - self.total) / _CENTS,
                "recommended": level == recommended[pair_of],
            }
        )


def _with_preemptible(
    summary: pd.DataFrame,
    tier: Preemptible,
    levels: _Levels,
    minutes: np.ndarray,
    curve: _Curve,
    one_node: np.ndarray,
) -> pd.DataFrame:
    """Add the plan with flexible pay-as-you-go minutes on preemptible nodes."""
    flexible = _fraction(tier.flexible_share, "flexible_share")
    overhead = _fraction(tier.interruption_overhead, "interruption_overhead")
    payg_price = summary["payg_price_per_minute"].to_numpy()
    # SpotDiscount is the share of the price paid (0.1 = pay 10 %): 1 - it is taken off
    paid = Decimal(repr(_fraction(tier.spot_discount, "spot_discount")))
    spot_price = np.asarray(discounted_price(payg_price, Decimal(1) - paid))
    # interrupted work runs again: worth it only if the spot minutes, rerun included, cost less
    use_spot = spot_price * (1.0 + overhead) < payg_price
    pair_of = levels.pair_of
    share = np.where(use_spot, flexible, 0.0)[pair_of]
    on_demand = np.round(minutes * (1.0 - share), 3)
    # the rest, not rounded separately, so the two parts add up to the line's minutes
    on_spot = np.round(minutes - on_demand, 3)
    rerun = np.round(on_spot * overhead, 3)
    # the rerun is its own line so each line stays within the billing bounds
    line = (
        _cents(payg_cost(payg_price[pair_of], 1, on_demand))
        + _cents(payg_cost(spot_price[pair_of], 1, on_spot))
        + _cents(payg_cost(spot_price[pair_of], 1, rerun))
    )
    spot_curve = _Curve(levels, line, curve.subscription)
    recommended, _ = spot_curve.optimum(one_node)
    plan = spot_curve.total_at(recommended)
    out = summary.copy()
    out["preemptible_spot_price_per_minute"] = spot_price
    out["preemptible_used"] = use_spot
    out["preemptible_recommended_nodes"] = recommended
    out["preemptible_plan_cost"] = plan / _CENTS
    out["preemptible_savings"] = (curve.all_payg - plan) / _CENTS
    out["preemptible_savings_percent"] = np.where(
        curve.all_payg > 0, 100.0 * (curve.all_payg - plan) / np.maximum(curve.all_payg, 1), 0.0
    )
    return out


def _plan_notes(
    summary: pd.DataFrame,
    offers: pd.DataFrame,
    months: int,
    hours_per_month: float,
    history_ns: np.ndarray,
    synthetic: bool,
    demand_source: str,
) -> list[str]:
    days = history_ns / _NS_PER_DAY
    horizon_days = months * hours_per_month / 24.0
    span = (
        f"{days.min():.1f}" if days.min() == days.max() else f"{days.min():.1f} to {days.max():.1f}"
    )
    notes = [
        f"Horizon: {months} month{'s' if months != 1 else ''} of {hours_per_month:g} hours"
        f" ({horizon_days:.2f} days). History: {span} days of {demand_source}; the time at each"
        " demand level is scaled by horizon / history (the history is assumed to repeat).",
        "Each demand level above the subscribed count is billed as one pay-as-you-go line"
        " (minutes rounded to 0.001); amounts are exact to the cent.",
    ]
    if synthetic:
        notes.insert(0, "SYNTHETIC demand: generated by pai_model.synthetic, not real usage.")
    illustrative = int((summary["provenance"] != "documented").sum())
    if illustrative:
        notes.append(
            f"WARNING: {illustrative} of {len(summary)} plans use illustrative prices, made up for"
            " demonstration, not Alibaba Cloud prices; check the console before deciding."
        )
    paired = offers[offers["subscription_spec"] != offers["payg_spec"]]
    if len(paired):
        which = "; ".join(
            f"{r.region_id} / {r.hardware} ({r.subscription_spec} with {r.payg_spec})"
            for r in paired.itertuples(index=False)
        )
        notes.append(
            "Pairing assumption: the subscription and pay-as-you-go specs differ and are"
            f" compared as the same hardware through the catalog's hardware key: {which}."
        )
    for row in summary[~summary["purchasable"]].itertuples(index=False):
        notes.append(
            f"{row.region_id} / {row.hardware}: an offer is out of stock and cannot be bought now."
        )
    return notes


def plannable_pairs(catalog: pd.DataFrame) -> list[tuple[str, str]]:
    """The (region_id, hardware) pairs with both a subscription and a pay-as-you-go offer.

    Examples
    --------
    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> plannable_pairs(load_catalog(paths.DOCUMENTED_CATALOG))
    [('cn-wulanchabu', 'gu7xf-8xGU108')]
    """
    table = break_even_table(catalog)
    return list(zip(table["region_id"], table["hardware"], strict=True))


def chosen_pair(plan: CommitmentPlan, pair: str = "") -> tuple[str, str]:
    """The (region_id, hardware) to show: ``"region_id/hardware"``, or the largest savings.

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`plan_commitment`.
    pair : str, default ""
        ``"cn-wulanchabu/gu7xf-8xGU108"``; empty picks the pair whose plan saves most.

    Raises
    ------
    PlanError
        When ``pair`` is not ``region_id/hardware`` or is not in the plan.
    """
    summary = plan.summary
    if not pair:
        best = summary.sort_values("savings", ascending=False, kind="stable").iloc[0]
        return str(best["region_id"]), str(best["hardware"])
    region_id, slash, hardware = pair.partition("/")
    planned = set(zip(summary["region_id"], summary["hardware"], strict=True))
    if not slash or (region_id, hardware) not in planned:
        known = ", ".join(f"{r}/{h}" for r, h in sorted(planned))
        raise PlanError(
            [f"pair {pair!r} is not region_id/hardware of a planned pair; planned: {known}"]
        )
    return region_id, hardware


def explain_recommendation(plan: CommitmentPlan, region_id: str, hardware: str) -> str:
    """Why the plan subscribes the nodes it does, in a few sentences (Markdown).

    Examples
    --------
    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2026-01-31", "2026-01-21"], "region_id": "cn-wulanchabu",
    ...     "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> plan = plan_commitment(demand_from_jobs(jobs), load_catalog(paths.DOCUMENTED_CATALOG))
    >>> text = explain_recommendation(plan, "cn-wulanchabu", "gu7xf-8xGU108")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    A subscribed node costs 23,932.70 USD for 1 month; on pay-as-you-go at 0.7300 USD/min
    the same money buys 546.4 hours, 74.9% of the 730-hour horizon. ... Demand reached
    2 nodes 100.0% of the time and 3 nodes 66.7%: subscribe **2** of the peak 3. That costs
    69,181.40 USD with pay-as-you-go above it, ... 16,082.60 saved (18.9 %).
    """
    summary, curves = plan.summary, plan.curves
    row = summary[(summary["region_id"] == region_id) & (summary["hardware"] == hardware)]
    if row.empty:
        raise PlanError([f"{region_id} / {hardware} is not in the plan"])
    row = row.iloc[0]
    mine = curves[(curves["region_id"] == region_id) & (curves["hardware"] == hardware)]
    share = mine.set_index("nodes")["time_share_at_or_above"]
    k, peak, currency = int(row["recommended_nodes"]), int(row["peak_nodes"]), row["currency"]
    months = int(row["months"])
    threshold = row["break_even_hours"] / row["horizon_hours"]
    one_node = subscription_cost(row["subscription_price_per_month"], 1, months)
    parts = [
        f"A subscribed node costs {one_node:,.2f} {currency}"
        f" for {months} month{'s' if months != 1 else ''}; on pay-as-you-go at"
        f" {row['payg_price_per_minute']:.4f} {currency}/min the same money buys"
        f" {row['break_even_hours']:,.1f} hours, {threshold:.1%} of the"
        f" {row['horizon_hours']:,.0f}-hour horizon. So node k is worth subscribing when"
        " demand reaches k at least that share of the time."
    ]
    if k > 0:
        reached = f"Demand reached {k} node{'s' if k != 1 else ''} {share[k]:.1%} of the time"
        if k < peak:
            reached += f" and {k + 1} nodes {share[k + 1]:.1%}"
    else:  # the first node is the one that did not pay off: no "k + 1" to add
        reached = f"Demand reached 1 node only {share.get(1, 0.0):.1%} of the time"
    parts.append(f"{reached}: subscribe **{k}** of the peak {peak}.")
    parts.append(
        f"That costs {row['plan_cost']:,.2f} {currency} with pay-as-you-go above it, against"
        f" {row['all_payg_cost']:,.2f} all pay-as-you-go and {row['all_subscription_cost']:,.2f}"
        f" subscribing the peak: {row['savings']:,.2f} saved ({row['savings_percent']:.1f} %)."
    )
    return " ".join(parts)


def recommendation_table(
    plan: CommitmentPlan, simulation: PlanSimulation | None = None
) -> pd.DataFrame:
    """The recommendation per (region, hardware), as a console shows it.

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`plan_commitment`.
    simulation : PlanSimulation, optional
        From :func:`simulate_plan`; adds the savings distribution of the recommended
        count (``simulated_nodes``, ``savings_p5``, ``savings_median``, ``savings_p95``,
        ``probability_loss``) and the range of the best count across scenarios
        (``optimal_nodes_p5``, ``optimal_nodes_p95``).

    Returns
    -------
    pandas.DataFrame
        ``region_id``, ``hardware``, ``currency``, ``recommended_nodes``, ``peak_nodes``,
        ``plan_cost``, ``all_payg_cost``, ``all_subscription_cost``, ``savings``,
        ``savings_percent``, ``coverage``, ``utilization``, ``break_even_months``,
        ``purchasable``, ``provenance``, ``demand_source`` (and the ``preemptible_*`` and
        simulation columns when present).
    """
    columns = [
        "region_id", "hardware", "currency", "recommended_nodes", "peak_nodes", "plan_cost",
        "all_payg_cost", "all_subscription_cost", "savings", "savings_percent", "coverage",
        "utilization", "break_even_months", "purchasable", "provenance", "demand_source",
    ]  # fmt: skip
    extra = [c for c in plan.summary.columns if c.startswith("preemptible_")]
    table = plan.summary[columns + extra]
    if simulation is None:
        return table
    spread = simulation.summary[
        ["region_id", "hardware", "nodes", "savings_p5", "savings_median", "savings_p95",
         "probability_loss", "optimal_nodes_p5", "optimal_nodes_p95"]
    ]  # fmt: skip
    spread = spread.rename(columns={"nodes": "simulated_nodes"})
    return table.merge(spread, on=["region_id", "hardware"], how="left")


# --------------------------------------------------------------------------- uncertainty


@dataclass(frozen=True)
class PlanSimulation:
    """Result of :func:`simulate_plan`."""

    #: One row per (region, hardware): the savings distribution (see :func:`simulate_plan`).
    summary: pd.DataFrame
    #: One row per pair and scenario: ``region_id``, ``hardware``, ``scenario``,
    #: ``growth``, ``all_payg_cost``, ``savings`` (at the chosen count),
    #: ``optimal_nodes`` and ``optimal_savings``.
    scenarios: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def simulate_plan(
    demand: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    nodes: int | Mapping[tuple[str, str], int] | None = None,
    months: int = 1,
    scenarios: int = 1000,
    growth: float | tuple[float, float] = 1.0,
    block_days: int = 7,
    seed: int = 0,
    payg_discount: float = 0.0,
    subscription_discount: float = 0.0,
    hours_per_month: float = HOURS_PER_MONTH,
) -> PlanSimulation:
    """How sure the savings are: the plan under resampled and scaled demand.

    Each scenario builds a horizon of days by a seeded circular block bootstrap of the
    history's whole days (blocks of ``block_days`` consecutive days keep the weekly
    pattern), scales every demand level by the scenario's growth factor (rounded to the
    nearest whole node) and prices it as :func:`plan_commitment` does. All scenarios of
    a pair are computed at once, as matrices.

    Parameters
    ----------
    demand, catalog, months, payg_discount, subscription_discount, hours_per_month
        As in :func:`plan_commitment`.
    nodes : int or mapping, optional
        The subscription count judged: one count for every pair, or a mapping
        ``(region_id, hardware) -> count``. By default the count
        :func:`plan_commitment` recommends from the history.
    scenarios : int, default 1000
        Number of scenarios.
    growth : float or (float, float), default 1.0
        Demand factor (1.2: 20 % more nodes; 0.8: 20 % fewer); a pair of numbers draws
        each scenario's factor uniformly between them. [fraction]
    block_days : int, default 7
        Length of the bootstrap blocks (capped at the history's whole days). [day]
    seed : int, default 0
        Seed of the random generator: the same seed gives the same scenarios.

    Returns
    -------
    PlanSimulation
        ``summary`` per pair: ``nodes`` judged, ``savings_median``, ``savings_p5``,
        ``savings_p95``, ``probability_loss`` (share of scenarios where the plan costs
        more than all pay-as-you-go), and for the optimal count of each scenario
        ``optimal_nodes_median``, ``optimal_nodes_p5``, ``optimal_nodes_p95``,
        ``optimal_savings_median``, ``optimal_savings_p5``, ``optimal_savings_p95``;
        ``all_payg_median``, ``currency``. ``scenarios``: every scenario.

    Raises
    ------
    PlanError
        With less than one whole day of history, or a pair without offers.
    """
    months, horizon = _horizon(months, hours_per_month)
    if not _is_whole(scenarios) or scenarios < 1:
        raise InputError("scenarios", f"must be a whole number of at least 1; got {scenarios!r}")
    if not _is_whole(block_days) or block_days < 1:
        raise InputError(
            "block_days", f"must be a whole number of days, at least 1; got {block_days!r}"
        )
    bounds = np.ravel(np.asarray(growth, dtype=object))
    low, high = (bounds[0], bounds[-1]) if bounds.size in (1, 2) else (np.nan, np.nan)
    low, high = _number(low, "growth"), _number(high, "growth")
    if not 0 < low <= high <= 100:
        raise InputError(
            "growth", f"must be a factor above 0 (or a range low <= high); got {growth!r}"
        )
    table = _as_demand(demand)
    plan = plan_commitment(
        table,
        catalog,
        months=months,
        payg_discount=payg_discount,
        subscription_discount=subscription_discount,
        hours_per_month=hours_per_month,
    )
    summary = plan.summary
    chosen = _chosen_counts(nodes, summary)
    rng = np.random.default_rng(seed)
    factors = (
        rng.uniform(low, high, size=int(scenarios))
        if high > low
        else np.full(int(scenarios), float(low))
    )
    levels = _levels(table)
    days_by_pair = _day_levels(table, levels)
    frames, rows = [], []
    for p, day_minutes in enumerate(days_by_pair):
        counts = _bootstrap_counts(
            rng, day_minutes.shape[0], horizon, int(scenarios), int(block_days)
        )
        result = _simulate_pair(
            day_minutes,
            counts,
            factors,
            horizon,
            summary["subscription_price_per_month"].iloc[p],
            summary["payg_price_per_minute"].iloc[p],
            months,
            int(chosen[p]),
        )
        key = {"region_id": levels.region[p], "hardware": levels.hardware[p]}
        frames.append(
            pd.DataFrame(
                {**key, "scenario": np.arange(int(scenarios)), "growth": factors, **result}
            )
        )
        rows.append(
            {
                **key,
                "currency": summary["currency"].iloc[p],
                "nodes": int(chosen[p]),
                **_distribution(result),
            }
        )
    notes = [
        *[n for n in plan.notes if not n.startswith("Each demand level")],
        f"{int(scenarios)} scenarios (seed {seed}): blocks of {int(block_days)} days drawn from the"
        f" history with replacement; demand x growth {_growth_text(low, high)}, rounded to"
        " whole nodes.",
    ]
    return PlanSimulation(pd.DataFrame(rows), pd.concat(frames, ignore_index=True), notes)


def _growth_text(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"uniform from {low:g} to {high:g}"


def _chosen_counts(
    nodes: int | Mapping[tuple[str, str], int] | None, summary: pd.DataFrame
) -> np.ndarray:
    if nodes is None:
        return summary["recommended_nodes"].to_numpy()
    if isinstance(nodes, Mapping):
        keys = list(zip(summary["region_id"], summary["hardware"], strict=True))
        unknown = [k for k in nodes if tuple(k) not in keys]
        if unknown:
            raise InputError("nodes", f"pairs not in the demand: {unknown}")
        counts = np.array(
            [nodes.get(k, r) for k, r in zip(keys, summary["recommended_nodes"], strict=True)]
        )
    else:
        counts = np.full(len(summary), nodes)
    if (counts < 0).any() or (counts != np.floor(counts)).any():
        raise InputError("nodes", f"must be whole numbers >= 0; got {nodes!r}")
    return counts.astype(np.int64)


def _day_levels(demand: pd.DataFrame, levels: _Levels) -> list[np.ndarray]:
    """Per pair, minutes at each exact level on each whole day of its history."""
    pair, _, _ = _pair_codes(demand["region_id"], demand["hardware"])
    start, _ = _times_ns(demand["start"])
    end, _ = _times_ns(demand["end"])
    nodes = demand["nodes"].to_numpy(dtype=np.int64)
    order = np.argsort(pair, kind="stable")
    bounds = np.searchsorted(pair[order], np.arange(len(levels.peak) + 1))
    out = []
    for p in range(len(levels.peak)):
        mine = order[bounds[p] : bounds[p + 1]]
        origin = start[mine].min()
        a, b, level = start[mine] - origin, end[mine] - origin, nodes[mine]
        days = int((b.max()) // _NS_PER_DAY)
        if days < 1:
            raise PlanError(
                [
                    f"{levels.region[p]} / {levels.hardware[p]}: simulation needs at least one"
                    " whole day of history"
                ]
            )
        # split intervals at midnight (of the history's first day) so each piece is in one day
        first, last = a // _NS_PER_DAY, (b - 1) // _NS_PER_DAY
        pieces = last - first + 1
        row = np.repeat(np.arange(len(a)), pieces)
        day = first[row] + np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        piece = np.minimum(b[row], (day + 1) * _NS_PER_DAY) - np.maximum(a[row], day * _NS_PER_DAY)
        whole = day < days  # a final partial day is left out
        grid = np.zeros((days, levels.peak[p] + 1), dtype=np.int64)
        np.add.at(grid, (day[whole], level[row][whole]), piece[whole])
        out.append(grid / _NS_PER_MINUTE)
    return out


def _bootstrap_counts(
    rng: np.random.Generator, days: int, horizon_minutes: float, scenarios: int, block: int
) -> np.ndarray:
    """How often each history day appears in each scenario (scenarios x days)."""
    length = max(1, int(np.ceil(horizon_minutes / 1440.0)))
    block = min(block, days)
    blocks = -(-length // block)
    first = rng.integers(0, days, size=(scenarios, blocks))
    day = (first[:, :, None] + np.arange(block)) % days
    day = day.reshape(scenarios, blocks * block)[:, :length]
    flat = (np.arange(scenarios)[:, None] * days + day).ravel()
    return np.bincount(flat, minlength=scenarios * days).reshape(scenarios, days)


def _simulate_pair(
    day_minutes: np.ndarray,
    counts: np.ndarray,
    factors: np.ndarray,
    horizon: float,
    sub_price: float,
    payg_price: float,
    months: int,
    chosen: int,
) -> dict[str, np.ndarray]:
    scenarios, peak = counts.shape[0], day_minutes.shape[1] - 1
    at_level = counts @ day_minutes  # scenarios x levels, minutes
    at_level *= horizon / (counts.sum(axis=1, keepdims=True) * 1440.0)
    new_level = np.floor(np.arange(peak + 1)[None, :] * factors[:, None] + 0.5).astype(np.int64)
    width = int(new_level.max()) + 1
    flat = (np.arange(scenarios)[:, None] * width + new_level).ravel()
    scaled = np.bincount(flat, weights=at_level.ravel(), minlength=scenarios * width)
    scaled = scaled.reshape(scenarios, width)
    at_or_above = np.cumsum(scaled[:, ::-1], axis=1)[:, ::-1][:, 1:]  # levels 1 .. width-1
    # capped at the horizon rounded as every line is: a horizon of, say, 730.00001-hour
    # months has more than the 3 decimal places of a minute the billing formulas take
    minutes = np.minimum(np.rint(at_or_above * 1000.0), np.rint(horizon * 1000.0)) / 1000.0
    line = _cents(payg_cost(payg_price, 1, minutes))
    one_node = int(_cents(subscription_cost(sub_price, 1, months)))
    served = np.concatenate(
        [np.zeros((scenarios, 1), dtype=np.int64), np.cumsum(line, axis=1)], axis=1
    )
    all_payg = served[:, -1]
    chosen_served = served[:, min(chosen, width - 1)]
    savings = chosen_served - int(_cents(subscription_cost(sub_price, chosen, months)))
    optimal = (line >= one_node).sum(axis=1)
    optimal_savings = served[np.arange(scenarios), optimal] - _cents(
        subscription_cost(sub_price, optimal, months)
    )
    return {
        "all_payg_cost": all_payg / _CENTS,
        "savings": savings / _CENTS,
        "optimal_nodes": optimal,
        "optimal_savings": optimal_savings / _CENTS,
    }


def _distribution(result: dict[str, np.ndarray]) -> dict[str, float]:
    savings, optimal, best = result["savings"], result["optimal_nodes"], result["optimal_savings"]
    return {
        "savings_median": float(np.median(savings)),
        "savings_p5": float(np.percentile(savings, 5)),
        "savings_p95": float(np.percentile(savings, 95)),
        "probability_loss": float(np.mean(savings < 0)),
        "optimal_nodes_median": float(np.median(optimal)),
        "optimal_nodes_p5": float(np.percentile(optimal, 5)),
        "optimal_nodes_p95": float(np.percentile(optimal, 95)),
        "optimal_savings_median": float(np.median(best)),
        "optimal_savings_p5": float(np.percentile(best, 5)),
        "optimal_savings_p95": float(np.percentile(best, 95)),
        "all_payg_median": float(np.median(result["all_payg_cost"])),
    }
