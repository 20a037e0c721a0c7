"""Calendar subscription terms, checked against hand-read calendars and an independent
reference written with Python's ``datetime`` and ``calendar``."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import InputError, subscription_end
from pai_model.formulas.terms import months_to_cover


def _reference_end(start: dt.datetime, months: int) -> dt.datetime:
    """Same day and time ``months`` later, the day clamped to the month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return start.replace(year=year, month=month + 1, day=min(start.day, last))


# --- hand-checked terms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        # the API metadata's EAS node: bought 2020-07-05T22:51:32Z, one month
        ("2020-07-05T22:51:32Z", 1, "2020-08-05T22:51:32Z"),
        # the PAI machine group of two months from 2023-06-22
        ("2023-06-22", 2, "2023-08-22"),
        # the 31-day project: a term bought on 1 January runs to 1 February
        ("2026-01-01", 1, "2026-02-01"),
        # 31 January + 1 month: February 2026 has 28 days, February 2028 has 29
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        # 29 February + 12 months: 2025 has no 29 February; + 48 months: 2028 does
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        # 1900 is not a leap year (divisible by 100), 2000 is (by 400)
        ("1900-01-29", 1, "1900-02-28"),
        ("2000-01-29", 1, "2000-02-29"),
        # 31 March + 1 month: April has 30 days; + 2 months: May has 31
        ("2026-03-31 23:59:59", 1, "2026-04-30 23:59:59"),
        ("2026-03-31 23:59:59", 2, "2026-05-31 23:59:59"),
        # over a year end, and 0 months (the start itself)
        ("2026-11-30 08:15", 3, "2027-02-28 08:15"),
        ("2026-05-17 12:00", 0, "2026-05-17 12:00"),
        ("2026-01-15", 120, "2036-01-15"),
    ],
)
def test_subscription_end_by_hand(start, months, end):
    assert subscription_end(start, months) == pd.Timestamp(end)


@pytest.mark.parametrize("kind", [list, np.array, pd.Series], ids=["list", "ndarray", "series"])
def test_subscription_end_kinds(kind):
    starts = ["2026-01-31", "2026-01-01 06:30"]
    # 2026-01-31 + 1 = 2026-02-28; 2026-01-01 06:30 + 1 = 2026-02-01 06:30
    result = subscription_end(kind(starts), 1)
    expected = [pd.Timestamp("2026-02-28"), pd.Timestamp("2026-02-01 06:30")]
    assert list(result) == expected
    if kind is pd.Series:
        assert isinstance(result, pd.Series)
    else:
        assert isinstance(result, pd.DatetimeIndex)


def test_scalar_in_scalar_out():
    assert isinstance(subscription_end(dt.date(2026, 1, 1), 1), pd.Timestamp)
    assert subscription_end(dt.datetime(2026, 1, 1, 9), 1) == pd.Timestamp("2026-02-01 09:00")
    assert subscription_end(np.datetime64("2026-01-31"), np.int64(1)) == pd.Timestamp("2026-02-28")
    count = months_to_cover("2026-01-01", "2026-02-05")
    assert count == 2 and type(count) is int


def test_series_keeps_its_index():
    starts = pd.Series(["2026-01-31", "2026-06-30"], index=["a", "b"])
    # 31 January + 2 = 31 March; 30 June + 2 = 30 August
    assert subscription_end(starts, 2).to_dict() == {
        "a": pd.Timestamp("2026-03-31"),
        "b": pd.Timestamp("2026-08-30"),
    }
    # to 1 January 2027: from 31 January 2026, 11 months reach 31 December (short), 12
    # reach 31 January; from 30 June, 6 months reach 30 December, 7 reach 30 January
    assert months_to_cover(starts, "2027-01-01").to_dict() == {"a": 12, "b": 7}


def test_one_start_many_terms():
    # 31 January + 1, 2, 3 months: 28 February, 31 March, 30 April
    assert [str(d.date()) for d in subscription_end("2026-01-31", [1, 2, 3])] == [
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
    ]


# --- months to cover -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        # the issue: 31 days from 1 January are one month, 35 days two
        ("2026-01-01", "2026-02-01", 1),
        ("2026-01-01", "2026-02-05", 2),
        ("2026-01-01", "2026-01-01", 0),
        ("2026-01-01", "2026-01-01 00:00:01", 1),
        # 28 February 2026 (28 days of February) is reached by one term from 31 January
        ("2026-01-31", "2026-02-28", 1),
        ("2026-01-31", "2026-03-01", 2),
        # a time of day one second past the term's end
        ("2026-01-31 10:00", "2026-02-28 10:00:01", 2),
        ("2026-01-31 10:00", "2026-02-28 09:59:59", 1),
        # a whole (leap) year from 29 February
        ("2024-02-29", "2025-02-28", 12),
        ("2024-02-29", "2025-03-01", 13),
    ],
)
def test_months_to_cover_by_hand(start, end, months):
    assert months_to_cover(start, end) == months


def test_months_to_cover_broadcasts():
    # from 1 January 2026 to 1 February, 5 February and 1 January 2027
    result = months_to_cover("2026-01-01", np.array(["2026-02-01", "2026-02-05", "2027-01-01"]))
    assert isinstance(result, np.ndarray) and result.tolist() == [1, 2, 12]


# --- time zones ----------------------------------------------------------------------


def test_aware_times_keep_their_zone_and_local_clock():
    # 23:30 on 31 January in China (UTC+8) is 15:30 UTC; the term ends at 23:30 local on
    # 28 February, not at 15:30 UTC + 1 month
    end = subscription_end(pd.Timestamp("2026-01-31 23:30", tz="Asia/Shanghai"), 1)
    assert str(end.tz) == "Asia/Shanghai"
    assert end == pd.Timestamp("2026-02-28 23:30", tz="Asia/Shanghai")


def test_daylight_saving_gap_and_repeat():
    # US clocks jump from 02:00 to 03:00 on 8 March 2026: 02:30 does not exist, the term
    # ends at 03:00 (the first time after the gap)
    gap = subscription_end(pd.Timestamp("2026-02-08 02:30", tz="America/New_York"), 1)
    assert gap == pd.Timestamp("2026-03-08 03:00", tz="America/New_York")
    # on 1 November 2026 01:30 occurs twice: the earlier one is still daylight time (-04:00)
    repeat = subscription_end(pd.Timestamp("2026-10-01 01:30", tz="America/New_York"), 1)
    assert repeat == pd.Timestamp("2026-11-01 05:30", tz="UTC")


def test_months_to_cover_counts_in_the_start_zone():
    # 16:00 UTC on 31 January is 00:00 on 1 February in UTC+8: one month from 1 January
    # (UTC+8) reaches it exactly
    assert months_to_cover("2026-01-01T00:00+08:00", "2026-01-31T16:00Z") == 1
    assert months_to_cover("2026-01-01T00:00+08:00", "2026-01-31T16:00:01Z") == 2


# --- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: subscription_end("soon", 1), "start: expected an ISO date"),
        (lambda: subscription_end(20260101, 1), "start: expected a date or time, got 20260101"),
        (lambda: subscription_end(["2026-01-01", None], 1), "at position 1"),
        (lambda: subscription_end(pd.NaT, 1), "a date is missing"),
        (lambda: subscription_end("2026-01-01", 1.5), "whole number of months from 0 to 120"),
        (lambda: subscription_end("2026-01-01", -1), "got -1"),
        (lambda: subscription_end("2026-01-01", 121), "got 121"),
        (lambda: subscription_end("2026-01-01", True), "expected whole numbers"),
        (lambda: subscription_end("2261-12-15", 12), "after the year 2261"),
        (
            lambda: subscription_end(["2026-01-01T00:00Z", "2026-01-01T00:00+08:00"], 1),
            "share one time zone",
        ),
        (lambda: months_to_cover("2026-02-01", "2026-01-01"), "end: must not be before start"),
        (lambda: months_to_cover("2026-01-01", "2026-02-01T00:00Z"), "both be naive"),
        (lambda: months_to_cover(["2026-01-01"] * 2, ["2026-02-01"] * 3), "do not broadcast"),
    ],
)
def test_errors_name_the_argument(call, match):
    with pytest.raises(InputError, match=match):
        call()


# --- against the reference -----------------------------------------------------------

_starts = st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1))


@settings(max_examples=300, deadline=None)
@given(starts=st.lists(_starts, min_size=1, max_size=8), months=st.integers(0, 120))
def test_subscription_end_matches_the_reference(starts, months):
    result = subscription_end(starts, months)
    assert list(result) == [pd.Timestamp(_reference_end(s, months)) for s in starts]


@settings(max_examples=300, deadline=None)
@given(
    start=_starts,
    days=st.floats(0, 3000),
)
def test_months_to_cover_is_the_fewest_months(start, days):
    end = start + dt.timedelta(days=days)
    count = months_to_cover(start, end)
    # the reference: count up until a term reaches the end
    fewest = next(n for n in range(200) if _reference_end(start, n) >= end)
    assert count == fewest
