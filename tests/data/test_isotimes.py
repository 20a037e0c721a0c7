"""The compiled reader of ISO times against Arrow's cast and Python's datetime."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model.data._cells import _read_common_iso
from pai_model.data._isotimes import MISSING, OTHER, READ, parse


def _parsed(texts: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    array = pa.array(texts, type=pa.string())
    _, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32)[: len(texts) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    valid = array.is_valid().to_numpy(zero_copy_only=False)
    out = np.empty(len(texts), dtype=np.int64)
    status = np.empty(len(texts), dtype=np.uint8)
    parse(offsets, data, valid, out, status)
    return out, status


def _ns(moment: dt.datetime) -> int:
    """Nanoseconds since 1970 by Python's datetime, the independent reference."""
    delta = moment - dt.datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2261, 12, 31)),
    st.sampled_from(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]),
)
def test_common_forms_are_read_as_python_reads_them(moment, form):
    text = moment.strftime(form)
    out, status = _parsed([text])
    assert status[0] == READ
    assert out[0] == _ns(dt.datetime.strptime(text, form))


# text near the common form: digits, separators and the odd letter, of every length
near_iso = st.text(alphabet="0123456789-: TZ+.", min_size=8, max_size=21) | st.builds(
    lambda y, m, d, h, mi, s, sep: f"{y:04d}-{m:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}",
    st.integers(1800, 2300),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["T", " ", "t", "_"]),
)


@settings(max_examples=500, deadline=None)
@given(near_iso)
def test_what_is_read_is_what_arrow_reads_and_the_rest_is_left_to_arrow(text):
    out, status = _parsed([text])
    if status[0] == READ:
        cast = pa.array([text]).cast(pa.timestamp("ns"))
        assert out[0] == cast[0].value
    else:
        assert status[0] == OTHER


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29",  # not a leap year
        "2026-13-01",
        "2026-04-31 10:00",
        "2026-03-24T24:00",
        "2026-03-24T09:30:00.5",  # a fraction: Arrow's
        "2026-03-24T09:30Z",  # an offset: refused by the caller
        "2026/03/24",
        "２０２６-03-24",  # full-width digits
        "1899-12-31",  # outside the years read here
    ],
)
def test_other_forms_and_impossible_dates_are_not_read(text):
    assert _parsed([text])[1][0] == OTHER


def test_leap_days_and_missing_values():
    out, status = _parsed(["2024-02-29", None, "2000-02-29T23:59:59", "2100-03-01"])
    assert status.tolist() == [READ, MISSING, READ, READ]
    assert out[0] == _ns(dt.datetime(2024, 2, 29))
    assert out[2] == _ns(dt.datetime(2000, 2, 29, 23, 59, 59))
    assert out[3] == _ns(dt.datetime(2100, 3, 1))


def test_a_column_is_read_only_when_every_value_has_the_common_form():
    chunked = pa.chunked_array([["2026-01-01 00:00", None], ["2026-01-02T12:30"]])
    read = _read_common_iso(chunked)
    expected = pd.to_datetime(["2026-01-01 00:00", None, "2026-01-02 12:30"])
    assert pd.DatetimeIndex(read.view("datetime64[ns]")).equals(expected)
    assert _read_common_iso(pa.chunked_array([["2026-01-01"], ["2026-01-01 00:00:00.5"]])) is None
