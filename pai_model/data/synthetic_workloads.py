"""Four shapes of a year of usage, SYNTHETIC, to measure how well advice captures savings.

:func:`synthetic_workload` makes job records of one of :data:`WORKLOADS` for each
(region, hardware) pair, reproducible from ``seed``, labelled synthetic like
:func:`~pai_model.data.synthetic.synthetic_jobs`:

- ``steady``: a base of nodes around the clock all year, a working-day load (09:00 to
  17:00 on weekdays, a third of the day: below any break-even of the kit's catalogs) and
  a little noise;
- ``seasonal``: the base follows the seasons (a yearly wave, highest in one quarter);
- ``growing``: the base grows steadily, from a few nodes to several times as many;
- ``bursty``: a small base, and bursts of many nodes for hours to a few days, at random.

The base changes once a week, so each week is one job of its level; the working-day load
is one job per day; noise jobs are short, in working hours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.synthetic import DEFAULT_PAIRS
from pai_model.errors import InputError

WORKLOADS = ("steady", "seasonal", "growing", "bursty")


def synthetic_workload(
    kind: str,
    pairs: Any = DEFAULT_PAIRS[:2],
    *,
    months: int = 12,
    start: Any = "2026-01-01",
    seed: int = 0,
) -> pd.DataFrame:
    """A SYNTHETIC year (or ``months``) of job records of one shape, per pair.

    Parameters
    ----------
    kind : {"steady", "seasonal", "growing", "bursty"}
        The shape (see the module's docstring).
    pairs : sequence of (str, str), default the first two of
        :data:`~pai_model.data.synthetic.DEFAULT_PAIRS`
        The (``region_id``, ``hardware``) pairs.
    months : int, default 12
        Calendar months of usage from ``start``. [month]
    start : time-like, default "2026-01-01"
        The first day (a midnight).
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``end``, ``region_id``, ``hardware``, ``nodes`` and ``x_kind``;
        ``attrs``: ``synthetic`` (True), ``source`` (names the shape and the seed).

    Raises
    ------
    InputError
        An unknown ``kind``, or ``months`` out of 1 to 120.

    Examples
    --------
    >>> jobs = synthetic_workload("growing", months=2)
    >>> jobs.attrs["source"]
    'synthetic growing workload (seed 0, 2 months from 2026-01-01)'
    >>> str(jobs["start"].min()), str(jobs["end"].max())
    ('2026-01-01 00:00:00', '2026-03-01 00:00:00')
    """
    if kind not in WORKLOADS:
        raise InputError("kind", f"{kind!r}: use one of {', '.join(WORKLOADS)}")
    if (
        isinstance(months, bool)
        or not isinstance(months, (int, np.integer))
        or not 1 <= months <= 120
    ):
        raise InputError("months", f"must be a whole number from 1 to 120; got {months!r}")
    first = pd.Timestamp(start).normalize()
    last = first + pd.DateOffset(months=int(months))
    rng = np.random.default_rng(seed)
    frames = []
    for region, hardware in pairs:
        size = rng.uniform(0.8, 1.25)
        parts = [
            _base(kind, rng, first, last, size),
            _working_days(rng, first, last, size),
            _noise(rng, first, last, size),
        ]
        if kind == "bursty":
            parts.append(_bursts(rng, first, last, size))
        frame = pd.concat(parts, ignore_index=True)
        frames.append(frame.assign(region_id=region, hardware=hardware))
    jobs = pd.concat(frames, ignore_index=True)
    jobs = jobs[jobs["nodes"] > 0].sort_values(["start", "region_id"], kind="stable")
    jobs = jobs[["start", "end", "region_id", "hardware", "nodes", "x_kind"]].reset_index(drop=True)
    jobs.attrs.update(
        synthetic=True,
        source=f"synthetic {kind} workload (seed {seed}, {months} months from {first:%Y-%m-%d})",
    )
    return jobs


def _weeks(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq="7D")


def _base(kind: str, rng: np.random.Generator, first: Any, last: Any, size: float) -> pd.DataFrame:
    """The base load: one job a week of the week's level."""
    weeks = _weeks(first, last)
    share = np.arange(len(weeks)) / max(len(weeks) - 1, 1)  # 0 .. 1 over the span
    if kind == "steady":
        level = np.full(len(weeks), 8.0)
    elif kind == "seasonal":
        level = 7.0 + 4.0 * np.sin(2 * np.pi * ((weeks.day_of_year.to_numpy() - 80) / 365.25))
    elif kind == "growing":
        level = 3.0 + 9.0 * share
    else:
        level = np.full(len(weeks), 2.0)
    nodes = np.maximum(0, np.rint(level * size + rng.normal(0, 0.3, len(weeks)))).astype(np.int64)
    ends = (weeks + pd.Timedelta(days=7)).where(weeks + pd.Timedelta(days=7) < last, last)
    return pd.DataFrame({"start": weeks, "end": ends, "nodes": nodes, "x_kind": "base"})


def _working_days(rng: np.random.Generator, first: Any, last: Any, size: float) -> pd.DataFrame:
    """Weekdays 09:00 to 17:00: a third of the day, below break-even."""
    days = pd.date_range(first, last - pd.Timedelta(days=1), freq="D")
    days = days[days.day_of_week < 5]
    nodes = rng.poisson(3.0 * size, len(days))
    start = days + pd.Timedelta(hours=9)
    return pd.DataFrame(
        {
            "start": start,
            "end": start + pd.Timedelta(hours=8),
            "nodes": nodes,
            "x_kind": "working day",
        }
    )


def _noise(rng: np.random.Generator, first: Any, last: Any, size: float) -> pd.DataFrame:
    """Short jobs of one or two nodes in working hours."""
    span_days = (last - first).days
    count = int(6 * size * span_days)
    day = rng.integers(0, span_days, count)
    start = (
        first
        + pd.to_timedelta(day, unit="D")
        + pd.to_timedelta(rng.uniform(8, 19, count), unit="h")
    )
    length = pd.to_timedelta(rng.uniform(0.25, 3.0, count), unit="h")
    end = (start + length).where(start + length < last, last)
    return pd.DataFrame(
        {
            "start": start.floor("min"),
            "end": end.ceil("min"),
            "nodes": rng.integers(1, 3, count),
            "x_kind": "noise",
        }
    )


def _bursts(rng: np.random.Generator, first: Any, last: Any, size: float) -> pd.DataFrame:
    """A burst every two weeks or so: 10 to 30 nodes for 4 hours to 3 days."""
    span_days = (last - first).days
    count = max(1, rng.poisson(span_days / 14))
    start = first + pd.to_timedelta(rng.uniform(0, span_days - 3, count), unit="D")
    length = pd.to_timedelta(rng.uniform(4, 72, count), unit="h")
    nodes = np.rint(rng.uniform(10, 30, count) * size).astype(np.int64)
    return pd.DataFrame(
        {
            "start": start.floor("min"),
            "end": (start + length).ceil("min"),
            "nodes": nodes,
            "x_kind": "burst",
        }
    )
