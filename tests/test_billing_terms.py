"""Year terms and hourly public-resource prices: hand values, kinds, and exactness."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import InputError
from pai_model.formulas.billing import hourly_payg_cost, year_subscription_cost
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.exact import exact_amount


def test_dlc_public_resource_example_is_golden():
    # PAI DLC billing page: ecs.g6.2xlarge in Shanghai, 0.6 USD/hour, 1 min 15 s:
    # 1 x 0.6/60 x 1.25 = 0.0125 USD (0.01 to the cent, half up)
    assert hourly_payg_cost(0.6, 1, 1.25, decimals=4) == 0.0125
    assert hourly_payg_cost(0.6, 1, 1.25) == 0.01
    assert exact_amount(0.6, 1, 1.25, price_unit="hour", decimals=None) == Decimal("0.0125")
    # China site: 2.02 CNY/hour -> the page's 0.042 CNY: 2.02 x 1.25 / 60 = 0.04208333...
    assert exact_amount(2.02, 1, 1.25, price_unit="hour", decimals=3) == Decimal("0.042")


def test_hourly_price_is_never_rounded_per_minute():
    # 2.02/60 = 0.033666... per minute; rounding it to 6 places first (0.033667) and
    # billing 30,000 minutes would give 1,010.01; the exact bill is 2.02 x 500 h = 1,010.00
    assert hourly_payg_cost(2.02, 1, 30_000) == 1010.0
    # 3 nodes x 1.01/hour x 0.001 min = 0.00303/60 = 0.0000505 -> 0.000051 (half up, 6 places)
    assert hourly_payg_cost(1.01, 3, 0.001, decimals=6) == 0.000051
    assert hourly_payg_cost(1.01, 3, 0.001, decimals=6, rounding="half_even") == 0.00005


def test_hourly_ties_round_as_asked():
    # 0.3 x 1 x 1 / 60 = 0.005 exactly: half up 0.01, half even 0.00
    assert hourly_payg_cost(0.3, 1, 1) == 0.01
    assert hourly_payg_cost(0.3, 1, 1, rounding="half_even") == 0.0
    assert exact_amount(0.3, 1, 1, price_unit="hour", rounding="half_even") == Decimal("0.00")


def test_year_term_bills_the_year_price():
    # 287,192.40 a year x 2 nodes x 1 year = 574,384.80; x 3 years = 1,723,154.40
    assert year_subscription_cost(287192.40, 2, 1) == 574384.80
    assert year_subscription_cost(287192.40, 2, 3) == 1723154.40
    assert exact_amount("287192.40", 2, 3, price_unit="year") == Decimal("1723154.40")


def test_kinds():
    # 0.6/h: 60 min -> 0.60, 90 min -> 0.90; 800.10/y x 1 y, x 2 y = 800.10, 1,600.20
    index = pd.Index(["a", "b"])
    series = hourly_payg_cost(0.6, 1, pd.Series([60, 90], index=index))
    assert series.index.equals(index) and series.tolist() == [0.6, 0.9]
    assert year_subscription_cost(800.10, 1, [1, 2]).tolist() == [800.1, 1600.2]
    assert year_subscription_cost(np.array([[800.10]]), 1, 2).shape == (1, 1)
    assert isinstance(year_subscription_cost(800.10, 1, 1), float)


@pytest.mark.parametrize(
    ("function", "args", "argument", "fragment"),
    [
        (year_subscription_cost, (1, 1, 11), "years", "at most 10"),
        (year_subscription_cost, (1, 1, 1.5), "years", "whole number"),
        (year_subscription_cost, (1_200_000.01, 1, 1), "unit_price", "at most 1,200,000"),
        (hourly_payg_cost, (0.6, 1, 1.0001), "minutes", "3 decimal places"),
        (hourly_payg_cost, (100_000.01, 1, 1), "unit_price", "at most 100,000"),
    ],
)
def test_bounds(function, args, argument, fragment):
    with pytest.raises(InputError, match=fragment) as caught:
        function(*args)
    assert caught.value.argument == argument


def test_year_price_at_the_bound_is_exact():
    # 1,200,000 x 100,000 nodes x 10 years = 1.2e12 exactly (int64 minor units: 1.2e14)
    amount, minor = bill_amounts(1_200_000, 100_000, 10, price_unit="year", minor_units=True)
    assert amount.item() == 1.2e12 and minor.item() == 120_000_000_000_000


def test_a_unit_must_be_named_once():
    with pytest.raises(InputError, match="one of them"):
        bill_amounts(1, 1, 1)
    with pytest.raises(InputError, match="one of them"):
        exact_amount(1, 1, 1, per_minute=True, price_unit="hour")
    with pytest.raises(InputError, match="must be one of"):
        exact_amount(1, 1, 1, price_unit="day")


def _reference(value: Fraction, places: int, half_even: bool) -> Fraction:
    """The exact rational rounded once: the obviously correct slow way."""
    scaled = value * 10**places
    low = math.floor(scaled)
    rest = scaled - low
    up = rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (not half_even or low % 2 == 1))
    return Fraction(low + up, 10**places)


prices = st.decimals(min_value=0, max_value=100_000, places=6, allow_nan=False)
year_prices = st.decimals(min_value=0, max_value=1_200_000, places=6, allow_nan=False)
minutes = st.decimals(min_value=0, max_value=5_260_320, places=3, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(
    st.booleans(),
    st.data(),
    st.integers(min_value=0, max_value=100_000),
    st.booleans(),
    st.integers(min_value=0, max_value=6),
)
def test_engine_and_decimal_equal_the_rational_reference(hourly, data, quantity, even, places):
    price = data.draw(prices if hourly else year_prices)
    duration = data.draw(minutes if hourly else st.integers(min_value=0, max_value=10))
    unit = "hour" if hourly else "year"
    kwargs = {
        "price_unit": unit,
        "decimals": places,
        "rounding": "half_even" if even else "half_up",
    }
    exact = Fraction(price) * quantity * Fraction(Decimal(duration)) / (60 if hourly else 1)
    try:
        engine, minor = bill_amounts(
            float(price), quantity, float(duration), minor_units=True, **kwargs
        )
    except InputError as refused:  # amounts too large for minor units above 2 decimals
        assert places > 2 and refused.argument == "decimals"
        return
    expected = _reference(exact, places, even)
    amount = exact_amount(str(price), quantity, duration, **kwargs)
    assert Fraction(amount) == expected
    assert minor.item() == expected * 10**places
    assert engine.item() == float(expected)
