"""Calendar subscription terms: when a subscription of N months bought at a time ends.

The rule
--------
A subscription of ``N`` months bought at time ``t`` runs to the same day of the month and
the same time of day ``N`` calendar months later. When that month is too short for the
day (a term bought on 31 January), the term ends on the last day of that month, at the
same time of day::

    2020-07-05T22:51:32Z + 1 month  = 2020-08-05T22:51:32Z
    2023-06-22           + 2 months = 2023-08-22
    2026-01-31 10:00     + 1 month  = 2026-02-28 10:00   (2028-01-31 -> 2028-02-29)

Sources: the EAS node and PAI machine-group examples of Alibaba Cloud's API metadata (the
first two lines above) [1]_; month-end clamping is the calendar rule of every month
arithmetic (``pandas.DateOffset``, ``dateutil.relativedelta``), as the documentation gives
no month-end example. Some other Alibaba products round the expiry up to the next midnight
(Dedicated Host: bought 13:23:56 on 12 March, expires 00:00:00 on 13 April, UTC+8) [2]_;
PAI's examples keep the time of day, and so does the kit.

Terms are bought from a fixed set, :data:`BUYABLE_MONTHS` (1-9 months and 1-5 years:
Alibaba's usual set; PAI's own list is UNCONFIRMED, so it is the parameter
``buyable_months`` wherever a term is chosen; defined with its checks in
:mod:`~pai_model.formulas.arguments`, which a quote can import without pandas).

Break-even utilization keeps its month convention (730 hours by default, see
:mod:`~pai_model.formulas.breakeven`); anything with dates (project plans, what-if with a start
date) uses these calendar terms.

Time zones
----------
Naive times are wall-clock times in whatever zone the buyer means, and stay naive. A
time-zone-aware time is moved by calendar months in its own zone: the day and the time of
day are kept on the local clock, the result carries the same zone. Where a daylight-saving
change makes that local time not exist, the term ends at the first time after the gap;
where it makes it occur twice, at the earlier of the two. :func:`months_to_cover`
counts months in the start's zone (an aware ``end`` is converted to it); a naive time
cannot be compared with an aware one, and all times of one argument share one zone.

References
----------
.. [1] Alibaba Cloud OpenAPI metadata: EAS ``DescribeService`` (an instance bought
   2020-07-05T22:51:32Z expires 2020-08-05T22:51:32Z) and PAI machine groups
   (``PaymentDuration`` 2, ``PaymentDurationUnit`` Month: 2023-06-22 to 2023-08-22).
.. [2] https://www.alibabacloud.com/help/en/dedicated-host/latest/subscription
"""

# The overloads resolve in order: all scalars, then array-likes, then anything with a
# Series. Each is narrower than the next, so their overlaps are intended (as in numpy's stubs).
# mypy: disable-error-code="overload-overlap"
# pyright: reportOverlappingOverload=false

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias, overload

import numpy as np
import pandas as pd

from pai_model.errors import InputError
from pai_model.formulas.arguments import BUYABLE_MONTHS, MAX_MONTHS

__all__ = [
    "BUYABLE_MONTHS",
    "RELEASE_AFTER",
    "Moment",
    "Moments",
    "months_to_cover",
    "subscription_end",
    "timestamps",
]

#: After a subscription expires, its nodes are released unless it is renewed within this
#: time (PAI "Overdue payments" page: "renew within 24 hours or the nodes are released").
RELEASE_AFTER = pd.Timedelta(hours=24)

#: One point in time: a ``Timestamp``, ``datetime``, ``date``, ``datetime64`` or ISO text.
Moment: TypeAlias = pd.Timestamp | dt.datetime | dt.date | np.datetime64 | str
#: Points in time in a list, a tuple, an ndarray or a ``DatetimeIndex``.
Moments: TypeAlias = list[Any] | tuple[Any, ...] | np.ndarray | pd.DatetimeIndex

_NS_PER_DAY = np.timedelta64(1, "D").astype("timedelta64[ns]")


def timestamps(value: Any, argument: str) -> pd.DatetimeIndex:
    """``value`` as a flat ``DatetimeIndex`` in nanoseconds, or :class:`InputError`.

    Numbers and booleans are refused (a number is no date), as are missing and
    unreadable values and times of more than one zone.
    """
    if isinstance(value, pd.Series | pd.Index | np.ndarray) and value.dtype.kind == "M":
        # already times (datetime64, or pandas' aware dtype): no parsing
        return _checked(
            pd.DatetimeIndex(np.ravel(value) if isinstance(value, np.ndarray) else value),
            argument,
            value.ndim,
        )
    raw = value.to_numpy() if isinstance(value, pd.Series | pd.Index) else value
    flat = np.ravel(np.asarray(raw, dtype=object)) if np.ndim(raw) else [raw]
    where = "" if np.ndim(raw) == 0 else " at position {}"
    for i, item in enumerate(flat):
        if isinstance(item, bool | int | float | np.number | np.bool_) or item is None:
            raise InputError(argument, f"expected a date or time, got {item!r}{where.format(i)}")
    try:
        index = pd.DatetimeIndex(pd.to_datetime(list(flat), format="ISO8601"))
    except (ValueError, TypeError, OverflowError):
        for i, item in enumerate(flat):
            try:
                pd.to_datetime([item], format="ISO8601")
            except (ValueError, TypeError, OverflowError):
                raise InputError(
                    argument,
                    "expected an ISO date or time of the years 1678 to 2261 such as"
                    f" '2026-01-01' or '2026-01-01T09:30:00+08:00', got {item!r}"
                    f"{where.format(i)}",
                ) from None
        raise InputError(
            argument,
            "all times must share one time zone, or all have none; convert them to one zone first",
        ) from None
    return _checked(index, argument, np.ndim(raw))


def _checked(index: pd.DatetimeIndex, argument: str, ndim: int) -> pd.DatetimeIndex:
    if index.hasnans:
        position = int(np.flatnonzero(index.isna())[0])
        where = f" at position {position}" if ndim else ""
        raise InputError(argument, f"a date is missing{where}")
    try:
        return index.as_unit("ns")
    except (ValueError, OverflowError):
        raise InputError(
            argument, "dates must fall in the years 1678 to 2261 (the range of nanosecond times)"
        ) from None


class _Dates:
    """How a date argument came in, to give results back in the same form."""

    def __init__(self, value: Any, argument: str) -> None:
        self.index = timestamps(value, argument)
        self.scalar = np.ndim(value) == 0 and not isinstance(value, pd.Series | pd.Index)
        self.series_index = value.index if isinstance(value, pd.Series) else None
        self.shape = np.shape(value)

    def wrap(self, result: pd.DatetimeIndex | np.ndarray, name: str) -> Any:
        if self.scalar:
            return result[0].item() if isinstance(result, np.ndarray) else result[0]
        if self.series_index is not None:
            return pd.Series(result, index=self.series_index, name=name)
        if isinstance(result, np.ndarray):
            return result.reshape(self.shape)
        return result


def _months(months: Any, size: int) -> np.ndarray:
    values = np.asarray(months.to_numpy() if isinstance(months, pd.Series) else months)
    if values.dtype == bool or values.dtype.kind not in "iuf":
        raise InputError("months", f"expected whole numbers of months, got {months!r}")
    flat = values.astype(np.float64).ravel()
    bad = ~((flat >= 0) & (flat <= MAX_MONTHS) & (flat == np.floor(flat)))
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        where = f" at position {position}" if values.ndim else ""
        raise InputError(
            "months",
            f"must be a whole number of months from 0 to {MAX_MONTHS};"
            f" got {values.ravel()[position].item()!r}{where}",
        )
    if flat.size not in (1, size) and size != 1:
        raise InputError(
            "arguments", f"{size} start times and {flat.size} month counts do not broadcast"
        )
    return flat.astype(np.int64)


def _add_months(wall: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Naive datetime64[ns] wall times moved by whole calendar months, days clamped."""
    day_start = wall.astype("datetime64[D]")
    month_start = wall.astype("datetime64[M]")
    day = (day_start - month_start.astype("datetime64[D]")).astype(np.int64)  # 0-based
    target = month_start + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    clamped = np.minimum(day, length - 1)
    moved = (
        target.astype("datetime64[D]").astype("datetime64[ns]")
        + clamped * _NS_PER_DAY
        + (wall - day_start.astype("datetime64[ns]"))
    )
    if (moved < wall).any():  # wrapped around the int64 range of nanoseconds
        raise InputError("months", "the term would end after the year 2261; shorten it")
    return moved


def _localize(wall: np.ndarray, tz: Any) -> pd.DatetimeIndex:
    naive = pd.DatetimeIndex(wall)
    if tz is None:
        return naive
    # a gap: the first time after it; a repeated hour: the earlier (daylight) instant
    return naive.tz_localize(
        tz, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward"
    )


def _wall(index: pd.DatetimeIndex) -> np.ndarray:
    return (index.tz_localize(None) if index.tz is not None else index).to_numpy("datetime64[ns]")


@overload
def subscription_end(start: Moment, months: int | np.integer) -> pd.Timestamp: ...
@overload
def subscription_end(start: Moments, months: Any) -> pd.DatetimeIndex: ...
@overload
def subscription_end(start: pd.Series, months: Any) -> pd.Series: ...
def subscription_end(start: Any, months: Any) -> Any:
    """Compute when a subscription of ``months`` calendar months bought at ``start`` ends.

    Same day of the month and time of day ``months`` months later; a day the target month
    does not have becomes its last day (see the module's rule and sources).

    Parameters
    ----------
    start : datetime-like or array of them
        When the subscription is bought (ISO text, ``Timestamp``, ``datetime``, ``date``,
        ``datetime64``; naive or time-zone aware). [time]
    months : int or array of int
        Term of the subscription, a whole number from 0 to 120. [month]

    Returns
    -------
    Timestamp, DatetimeIndex or Series
        When the term ends [time]: a ``Timestamp`` for scalar arguments, a Series with the
        index of ``start`` for a Series, a ``DatetimeIndex`` for other arrays (numpy's
        ``datetime64`` has no time zone; ``.to_numpy()`` gives one). Aware inputs keep
        their zone.

    Raises
    ------
    InputError
        For a start that is no date, missing, or of several zones, and for a month count
        that is not a whole number from 0 to 120 (each named).

    See Also
    --------
    months_to_cover : The fewest months whose term reaches a given end.
    pai_model.formulas.billing.subscription_cost : The bill of those months.

    Examples
    --------
    The EAS example of the API metadata and the PAI machine group of two months:

    >>> subscription_end("2020-07-05T22:51:32Z", 1)
    Timestamp('2020-08-05 22:51:32+0000', tz='UTC')
    >>> subscription_end("2023-06-22", 2)
    Timestamp('2023-08-22 00:00:00')

    31 January + 1 month is the last day of February (29 in a leap year); the time of
    day is kept:

    >>> ends = subscription_end(["2026-01-31 10:00", "2028-01-31 10:00", "2026-03-31"], [1, 1, 6])
    >>> [str(end) for end in ends]
    ['2026-02-28 10:00:00', '2028-02-29 10:00:00', '2026-09-30 00:00:00']

    A time in China's zone (UTC+8) keeps its local day and time:

    >>> subscription_end(pd.Timestamp("2026-01-31 23:30", tz="Asia/Shanghai"), 1)
    Timestamp('2026-02-28 23:30:00+0800', tz='Asia/Shanghai')
    """
    dates = _Dates(start, "start")
    count = _months(months, len(dates.index))
    wall = _wall(dates.index)
    if dates.scalar and count.size > 1:
        dates.scalar = False
        dates.shape = np.shape(months)
        if isinstance(months, pd.Series):
            dates.series_index = months.index
    # numpy's rule: a length 1 broadcasts to any length, an empty start gives no end
    size = 0 if 0 in (wall.size, count.size) else max(wall.size, count.size)
    end = _add_months(np.broadcast_to(wall, size), np.broadcast_to(count, size))
    return dates.wrap(_localize(end, dates.index.tz), "subscription_end")


@overload
def months_to_cover(start: Moment, end: Moment) -> int: ...
@overload
def months_to_cover(start: Moments, end: Any) -> np.ndarray: ...
@overload
def months_to_cover(start: pd.Series, end: Any) -> pd.Series: ...
def months_to_cover(start: Any, end: Any) -> Any:
    """Compute the fewest whole months whose term, bought at ``start``, reaches ``end``.

    The smallest ``n`` with ``subscription_end(start, n) >= end``: 0 when ``end`` is
    ``start``.

    Parameters
    ----------
    start : datetime-like or array of them
        When the subscription is bought. [time]
    end : datetime-like or array of them
        When it must still run (exclusive: a term ending at ``end`` covers it), not before
        ``start``; converted to the zone of an aware ``start``. [time]

    Returns
    -------
    int, ndarray of int64 or Series
        Whole months [month], in the kind of the arguments.

    Raises
    ------
    InputError
        For a date that is no date or missing, an ``end`` before its ``start``, and a
        naive time compared with an aware one (each named).

    See Also
    --------
    subscription_end : When such a term ends.

    Examples
    --------
    A 31-day project from 1 January needs one month (a term bought on 1 January runs to
    1 February); 35 days need two; one second past the term needs another month:

    >>> months_to_cover("2026-01-01", ["2026-02-01", "2026-02-05", "2026-01-01"])
    array([1, 2, 0])
    >>> months_to_cover("2026-01-31 10:00", "2026-02-28 10:00:01")
    2
    """
    starts = _Dates(start, "start")
    ends = _Dates(end, "end")
    if (starts.index.tz is None) != (ends.index.tz is None):
        raise InputError(
            "end",
            "start and end must both be naive or both carry a time zone; give both"
            " with a zone (e.g. '+08:00') or neither",
        )
    if starts.index.tz is not None:
        ends.index = ends.index.tz_convert(starts.index.tz)
    a, b = _wall(starts.index), _wall(ends.index)
    if a.size not in (1, b.size) and b.size != 1:
        raise InputError(
            "arguments", f"{a.size} start times and {b.size} end times do not broadcast"
        )
    size = 0 if 0 in (a.size, b.size) else max(a.size, b.size)
    a, b = np.broadcast_to(a, size), np.broadcast_to(b, size)
    early = b < a
    if early.any():
        position = int(np.flatnonzero(early)[0])
        where = f" at position {position}" if size > 1 else ""
        raise InputError(
            "end",
            f"must not be before start; got end {pd.Timestamp(b[position])} before start"
            f" {pd.Timestamp(a[position])}{where}",
        )
    whole = (b.astype("datetime64[M]") - a.astype("datetime64[M]")).astype(np.int64)
    # the term of `whole` months ends in end's month; one more month reaches past it
    reached = _add_months(a, whole) >= b
    count = whole + (~reached).astype(np.int64)
    kind = starts if not starts.scalar or ends.scalar else ends
    return kind.wrap(count, "months_to_cover")
