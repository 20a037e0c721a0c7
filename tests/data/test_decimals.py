"""The compiled decimal reader equals Python's ``decimal`` and ``float`` on every text.

Expectations come from Python's ``decimal`` module (micro-units, ties away from zero)
and ``float()`` (the correctly rounded nearest double), never from the code under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model.bills.usage import micros
from pai_model.data.decimals import text_floats, text_units
from pai_model.errors import UsageError


def _micros(text: str | None) -> int:
    if text is None:
        return 0
    # ROUND_HALF_UP in decimal rounds ties away from zero
    return int((Decimal(text) * 10**6).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _float(text: str | None) -> float:
    return np.nan if text is None else float(text)


_plain = st.builds(
    lambda sign, whole, frac: f"{sign}{whole}{'.' + frac if frac else ''}",
    st.sampled_from(["", "-"]),
    st.integers(0, 10**11).map(str),
    st.text("0123456789", max_size=12),
)
_other = st.sampled_from(
    [
        "1e3",
        "+5",
        ".5",
        "5.",
        "-0",
        "-0.0",
        "007.5",
        "2.5E-7",
        "0.0000005",
        "-0.0000005",
        "123456789012",
        "999999999999.9999995",
        "9000000000000.123456",
        "9200000000000.5",
    ]
)
_texts = st.lists(st.one_of(_plain, _other, st.none()), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_micros_and_floats_equal_decimal(texts):
    expected_micros = [_micros(t) for t in texts]
    expected_floats = np.array([_float(t) for t in texts], dtype=np.float64)
    for values in (
        pd.Series(texts, dtype=object),
        pa.array(texts, pa.string()),
        pa.array(texts, pa.large_string()),
        pa.array(texts).dictionary_encode(),
    ):
        assert micros(values).tolist() == expected_micros
        floats = text_floats(values)
        np.testing.assert_array_equal(floats, expected_floats)
        assert np.signbit(floats).tolist() == np.signbit(expected_floats).tolist()


def test_a_slice_of_an_arrow_array_is_read_at_its_offset():
    values = pa.array(["1.5", "2.25", None, "-3.125"])[1:]
    assert micros(values).tolist() == [2_250_000, 0, -3_125_000]
    assert micros(pa.chunked_array([values, pa.array(["7"])])).tolist() == [
        2_250_000,
        0,
        -3_125_000,
        7_000_000,
    ]


@pytest.mark.parametrize("text", ["abc", "1.2.3", "0.1234567890123"])
def test_text_that_is_no_amount_is_refused(text):
    from pai_model.errors import UsageError

    with pytest.raises(UsageError, match="cannot be read exactly"):
        micros(pd.Series(["1.5", text]))


#: (text, its micro-units written out by hand)
CASES = [
    ("1000000000000000000000000000000000000007", 1000000000000000000000000000000000000007_000000),
    ("123456789012345678901234567.5", 123456789012345678901234567_500000),
    ("-99999999999999999999999999999.0000005", -99999999999999999999999999999_000001),
    ("1e30", 10**36),
    ("32.85", 32_850000),
]


@pytest.mark.parametrize("compiled", [True, False])
def test_long_amounts_are_exact_not_wrapped(compiled):
    got = text_units(pd.Series([t for t, _ in CASES] + [None]), 6, compiled=compiled)
    assert got.tolist() == [units for _, units in CASES] + [0]


def test_too_many_places_in_a_long_amount_is_refused():
    with pytest.raises(UsageError, match="more than 12 decimal places"):
        text_units(pd.Series(["1000000000000000000000000000000000.0000000000001"]), 6)
