"""A seeded synthetic usage history, so the planner runs without user data.

Everything built on it is synthetic and says so: the jobs carry ``attrs["synthetic"]``
and an ``x_kind`` column, and :func:`~pai_model.decisions.planning.demand.demand_from_jobs` passes
the label
on to the demand and the plan.

The model, per (region, hardware) pair, each pair scaled by its own size factor:

- *services*: a few nodes running the whole window, each stopped once for a maintenance
  gap of 1 to 3 hours (the steady base load);
- *training* jobs of 1, 2, 4 or 8 nodes lasting hours to days (log-normal, median 8 h,
  1 h to 5 days), started mostly in working hours on weekdays;
- *interactive* jobs of one node for 20 minutes to 4 hours, in working hours;
- *bursts*: a few episodes in which 10 to 30 one- or two-node jobs start within an hour.

Start times follow a diurnal profile (low at night, high from 09:00 to 18:00) and a
weekly one (weekends at 35 % of weekdays). Times are whole seconds; jobs are clipped to
the window.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.errors import InputError
from pai_model.formulas.arguments import wrong_type

#: The six Lingjun regions with the billing page's GU108 hardware key of the demo catalog.
DEFAULT_PAIRS = tuple(
    (region, "gu7xf-8xGU108")
    for region in (
        "ap-southeast-1",
        "cn-beijing",
        "cn-hangzhou",
        "cn-shanghai",
        "cn-shenzhen",
        "cn-wulanchabu",
    )
)
#: Relative rate of job starts in each hour of the day.
HOURLY_PROFILE = np.array(
    [0.2, 0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.5, 1.8, 1.8,
     1.4, 1.6, 1.8, 1.8, 1.6, 1.3, 1.0, 0.8, 0.7, 0.6, 0.4, 0.3]
)  # fmt: skip
WEEKEND_FACTOR = 0.35
#: Ten years of days and a busy day of jobs: bounds that keep a history within memory.
MAX_DAYS = 3653
MAX_JOBS_PER_DAY = 10_000
_SECOND = 1_000_000_000
_HOUR = 3600 * _SECOND
_DAY = 24 * _HOUR
_MINUTE = 60 * _SECOND


#: The name that asks for the kit's synthetic usage where usage is given (a file's
#: path, or this).
SYNTHETIC = "synthetic"
#: What ``pairs`` is, for the message that refuses another value.
PAIRS_WORDS = "a list of (region_id, hardware) pairs of text"


def _checked_pairs(pairs: Any) -> list[tuple[str, str]]:
    """``pairs`` as a list of (region_id, hardware) tuples; a TypeError naming it if not."""
    if isinstance(pairs, str | bytes | pd.DataFrame) or not hasattr(pairs, "__iter__"):
        raise wrong_type("pairs", PAIRS_WORDS, pairs)
    checked = []
    for pair in pairs:
        if not (
            isinstance(pair, tuple | list)
            and len(pair) == 2
            and all(isinstance(label, str) for label in pair)
        ):
            raise TypeError(f"pairs must be {PAIRS_WORDS}; got an item {type(pair).__name__}")
        checked.append((pair[0], pair[1]))
    return checked


def synthetic_jobs(
    pairs: Any = DEFAULT_PAIRS,
    *,
    days: int = 28,
    start: Any = "2026-01-05",
    seed: int = 0,
    jobs_per_day: float = 12.0,
    service_nodes: tuple[int, int] = (2, 6),
) -> pd.DataFrame:
    """Job records of a made-up fleet, reproducible from ``seed``.

    Parameters
    ----------
    pairs : sequence of (str, str), default :data:`DEFAULT_PAIRS`
        The (``region_id``, ``hardware``) pairs to generate usage for.
    days : int, default 28
        Length of the window. [day]
    start : time-like, default "2026-01-05" (a Monday)
        Start of the window. Weekends follow its calendar; the diurnal profile counts
        hours from it, so give a midnight.
    seed : int, default 0
        Seed of the random generator.
    jobs_per_day : float, default 12
        Mean number of training and interactive jobs a day for a pair of size 1
        (a third training, two thirds interactive). [1/day]
    service_nodes : (int, int), default (2, 6)
        Range of the nodes of steady services for a pair of size 1. [nodes]

    Returns
    -------
    pandas.DataFrame
        Columns ``start``, ``end`` (datetime64[ns]), ``region_id``, ``hardware``,
        ``nodes`` (int64) and ``x_kind`` (service, training, interactive, burst), sorted
        by start. ``attrs``: ``synthetic`` (True), ``source`` (names the seed),
        ``window`` (start, end).

    Raises
    ------
    TypeError
        Naming ``pairs``, when it is not a list of (region_id, hardware) pairs of text.
    InputError
        For no pairs, or days, seed, rate or start out of range.

    See Also
    --------
    pai_model.decisions.planning.demand.demand_from_jobs : Demand from these (or real) job records.
    pai_model.decisions.planning.pipeline.plan_commitment : Plans on synthetic usage when given
        ``"synthetic"`` as its jobs.

    Examples
    --------
    >>> jobs = synthetic_jobs(days=7, seed=1)
    >>> jobs.attrs["source"]
    'synthetic sample (seed 1, 7 days from 2026-01-05)'
    >>> sorted(jobs["x_kind"].unique())
    ['burst', 'interactive', 'service', 'training']
    >>> bool(jobs["start"].min() >= pd.Timestamp("2026-01-05"))
    True
    """
    pairs = _checked_pairs(pairs)
    if not pairs:
        raise InputError("pairs", "give at least one (region_id, hardware) pair")
    if (
        isinstance(days, bool)
        or not isinstance(days, (int, np.integer))
        or not (1 <= days <= MAX_DAYS)
    ):
        raise InputError("days", f"must be a whole number from 1 to {MAX_DAYS:,}; got {days!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", f"must be a whole number of at least 0; got {seed!r}")
    if not (isinstance(jobs_per_day, (int, float)) and 0 <= jobs_per_day <= MAX_JOBS_PER_DAY):
        raise InputError(
            "jobs_per_day", f"must be a number from 0 to {MAX_JOBS_PER_DAY:,}; got {jobs_per_day!r}"
        )
    rng = np.random.default_rng(seed)
    try:
        origin = pd.Timestamp(start).as_unit("ns").value
    except (ValueError, TypeError, OverflowError):
        raise InputError("start", f"must be a time such as 2026-01-05; got {start!r}") from None
    window = int(days) * _DAY
    count = len(pairs)
    size = rng.lognormal(0.0, 0.4, count)
    # weekends by the calendar: the window may start on any day of the week
    weekday = (pd.Timestamp(origin).day_of_week + np.arange(int(days))) % 7 < 5
    day_weight = np.where(weekday, 1.0, WEEKEND_FACTOR)

    parts = [
        _services(rng, size, window, service_nodes),
        _training(rng, size, day_weight, jobs_per_day / 3.0),
        _interactive(rng, size, day_weight, jobs_per_day * 2.0 / 3.0),
        _bursts(rng, size, day_weight),
    ]
    pair = np.concatenate([p[0] for p in parts])
    begin = np.concatenate([p[1] for p in parts])
    length = np.concatenate([p[2] for p in parts])
    nodes = np.concatenate([p[3] for p in parts])
    kind = np.concatenate(
        [
            np.full(len(p[0]), name)
            for p, name in zip(parts, ("service", "training", "interactive", "burst"), strict=True)
        ]
    )
    end = np.minimum(begin + length, window)
    inside = begin < window  # a burst on the last day may start after the window
    order = np.flatnonzero(inside)[np.lexsort((pair[inside], begin[inside]))]
    regions = np.array([p[0] for p in pairs], dtype=object)
    hardwares = np.array([p[1] for p in pairs], dtype=object)
    jobs = pd.DataFrame(
        {
            "start": (origin + begin[order]).view("datetime64[ns]"),
            "end": (origin + end[order]).view("datetime64[ns]"),
            "region_id": regions[pair[order]],
            "hardware": hardwares[pair[order]],
            "nodes": nodes[order].astype(np.int64),
            "x_kind": kind[order],
        }
    )
    jobs = jobs.astype({"region_id": "str", "hardware": "str", "x_kind": "str"})
    first = pd.Timestamp(origin)
    jobs.attrs.update(
        synthetic=True,
        source=f"synthetic sample (seed {seed}, {int(days)} days from {first.date()})",
        window=(first, first + pd.Timedelta(window)),
    )
    return jobs


def _starts(rng: np.random.Generator, n: int, day_weight: np.ndarray) -> np.ndarray:
    """Start offsets [ns] following the weekly (``day_weight`` per day) and diurnal profiles."""
    day = rng.choice(len(day_weight), size=n, p=day_weight / day_weight.sum())
    hour = rng.choice(24, size=n, p=HOURLY_PROFILE / HOURLY_PROFILE.sum())
    second = rng.integers(0, 3600, size=n)
    return day * _DAY + hour * _HOUR + second * _SECOND


def _pairs_of(rng: np.random.Generator, size: np.ndarray, mean: float) -> np.ndarray:
    counts = rng.poisson(mean * size)
    return np.repeat(np.arange(len(size)), counts)


def _services(
    rng: np.random.Generator, size: np.ndarray, window: int, service_nodes: tuple[int, int]
) -> tuple[np.ndarray, ...]:
    low, high = service_nodes
    per_pair = np.maximum(1, np.rint(rng.integers(low, high + 1, len(size)) * size)).astype(int)
    pair = np.repeat(np.arange(len(size)), per_pair)
    gap_at = rng.integers(0, window // _SECOND, len(pair)) * _SECOND
    gap = rng.integers(60, 181, len(pair)) * _MINUTE
    # each service is one job before its maintenance gap and one after
    begin = np.concatenate([np.zeros(len(pair), dtype=np.int64), gap_at + gap])
    length = np.concatenate([gap_at, window - gap_at - gap])
    both = np.concatenate([pair, pair])
    return both, begin, length, np.ones(len(both), dtype=np.int64)


def _training(
    rng: np.random.Generator, size: np.ndarray, day_weight: np.ndarray, per_day: float
) -> tuple[np.ndarray, ...]:
    pair = _pairs_of(rng, size, per_day * len(day_weight))
    n = len(pair)
    hours = np.clip(rng.lognormal(np.log(8.0), 1.0, n), 1.0, 120.0)
    nodes = rng.choice([1, 2, 4, 8], size=n, p=[0.45, 0.3, 0.17, 0.08])
    return pair, _starts(rng, n, day_weight), (hours * _HOUR).astype(np.int64), nodes


def _interactive(
    rng: np.random.Generator, size: np.ndarray, day_weight: np.ndarray, per_day: float
) -> tuple[np.ndarray, ...]:
    pair = _pairs_of(rng, size, per_day * len(day_weight))
    n = len(pair)
    seconds = rng.integers(20 * 60, 4 * 3600 + 1, n)
    return pair, _starts(rng, n, day_weight), seconds * _SECOND, np.ones(n, dtype=np.int64)


def _bursts(
    rng: np.random.Generator, size: np.ndarray, day_weight: np.ndarray
) -> tuple[np.ndarray, ...]:
    episode_pair = _pairs_of(rng, np.ones_like(size), len(day_weight) / 10.0)
    episode_start = _starts(rng, len(episode_pair), day_weight)
    jobs = rng.integers(10, 31, len(episode_pair))
    episode = np.repeat(np.arange(len(episode_pair)), jobs)
    n = len(episode)
    begin = episode_start[episode] + rng.integers(0, 3600, n) * _SECOND
    seconds = rng.integers(30 * 60, 6 * 3600 + 1, n)
    nodes = rng.choice([1, 2], size=n, p=[0.7, 0.3])
    return episode_pair[episode], begin, seconds * _SECOND, nodes
