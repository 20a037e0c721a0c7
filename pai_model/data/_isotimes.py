"""Compiled reading of ISO times: nanoseconds straight from Arrow's string buffers.

Job records carry times as text (``2026-03-24T09:30``). Arrow's cast to a timestamp reads
them at about fifty nanoseconds a value; this loop reads the common form,
``YYYY-MM-DD`` optionally followed by ``T`` or a space and ``hh:mm`` or ``hh:mm:ss``,
from the offsets and bytes of an Arrow string array in one pass. A value of any other
form (a fraction of a second, a UTC offset, a year outside 1900 to 2261) or an invalid
date (month 13, 30 February) is flagged, and the caller reads the whole column as
before, so the results are Arrow's on every value.
"""

from __future__ import annotations

import numba as nb
import numpy as np

#: ``status`` of a value: read here, missing, or left to the caller.
READ, MISSING, OTHER = 0, 1, 2
NAT = np.iinfo(np.int64).min
_NS_PER_SECOND = 1_000_000_000
_DAYS_BEFORE_MONTH = np.array([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334])
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@nb.njit(inline="always")
def _digits(data: np.ndarray, at: int, count: int) -> int:
    """The number written by ``count`` ASCII digits at ``at``; -1 when one is not a digit."""
    value = 0
    for k in range(count):
        digit = data[at + k] - 48
        if digit < 0 or digit > 9:
            return -1
        value = value * 10 + digit
    return value


@nb.njit(inline="always")
def _days_since_epoch(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year >= 1)."""
    before = year - 1
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    days = before * 365 + before // 4 - before // 100 + before // 400
    days += _DAYS_BEFORE_MONTH[month - 1] + (1 if leap and month > 2 else 0) + day - 1
    return days - 719_162  # days from 0001-01-01 to 1970-01-01


@nb.njit(parallel=True, cache=True)
def parse(
    offsets: np.ndarray, data: np.ndarray, valid: np.ndarray, out: np.ndarray, status: np.ndarray
) -> None:
    """Nanoseconds since 1970 of each value into ``out``, and its ``status``.

    ``valid`` is empty when no value is missing. A value not read (``status`` OTHER) and a
    missing one are NaT in ``out``.
    """
    for i in nb.prange(len(out)):
        out[i] = NAT
        if valid.size and not valid[i]:
            status[i] = MISSING
            continue
        status[i] = OTHER
        at, size = offsets[i], offsets[i + 1] - offsets[i]
        if size not in (10, 16, 19) or data[at + 4] != 45 or data[at + 7] != 45:  # "-"
            continue
        year, month, day = _digits(data, at, 4), _digits(data, at + 5, 2), _digits(data, at + 8, 2)
        if year < 1900 or year > 2261 or month < 1 or month > 12 or day < 1:
            continue
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        if day > _DAYS_IN_MONTH[month - 1] + (1 if leap and month == 2 else 0):
            continue
        seconds = 0
        if size > 10:
            if data[at + 10] != 84 and data[at + 10] != 32:  # "T" or " "
                continue
            if data[at + 13] != 58:  # ":"
                continue
            hour, minute = _digits(data, at + 11, 2), _digits(data, at + 14, 2)
            if hour < 0 or hour > 23 or minute < 0 or minute > 59:
                continue
            seconds = hour * 3600 + minute * 60
            if size == 19:
                second = _digits(data, at + 17, 2)
                if data[at + 16] != 58 or second < 0 or second > 59:
                    continue
                seconds += second
        out[i] = (_days_since_epoch(year, month, day) * 86_400 + seconds) * _NS_PER_SECOND
        status[i] = READ
