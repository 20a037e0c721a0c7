"""Break-even formulas, checked against hand calculations (the tables: tests/decisions/test_comparison.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import InputError, break_even_utilization
from pai_model.formulas.breakeven import (
    break_even_hours_per_day,
    break_even_minutes,
    monthly_minutes,
    months_billed,
)

# Hand calculation for the billing page's GU108 offers (paired as the same hardware):
#   23,932.70 USD/month / 0.73 USD/minute = 32,784.5205... minutes per month
#   / 43,800 minutes in a 730-hour month = 0.748505...; x 24 = 17.9641 h/day
GU108_MINUTES = 32784.520547945205
GU108_UTILIZATION = 32784.520547945205 / 43800


@pytest.mark.parametrize(
    "kind", [float, list, np.array, pd.Series], ids=["scalar", "list", "ndarray", "series"]
)
def test_break_even_minutes_kinds(kind):
    if kind is float:
        assert break_even_minutes(23932.70, 0.73) == pytest.approx(GU108_MINUTES, rel=1e-15)
        return
    # second pair: 100 / 0.01 = 10,000 minutes
    result = break_even_minutes(kind([23932.70, 100.0]), kind([0.73, 0.01]))
    assert np.allclose(np.asarray(result), [GU108_MINUTES, 10_000.0], rtol=1e-15)
    if kind is pd.Series:
        assert isinstance(result, pd.Series)


@pytest.mark.parametrize(
    "kind", [float, list, np.array, pd.Series], ids=["scalar", "list", "ndarray", "series"]
)
def test_break_even_utilization_kinds(kind):
    if kind is float:
        assert break_even_utilization(23932.70, 0.73) == pytest.approx(GU108_UTILIZATION, rel=1e-15)
        # a 30-day month has 43,200 minutes
        assert break_even_utilization(23932.70, 0.73, hours_per_month=720) == pytest.approx(
            GU108_MINUTES / 43200, rel=1e-15
        )
        return
    # 100 / 0.01 = 10,000 minutes of 43,800 = 0.228310...
    result = break_even_utilization(kind([23932.70, 100.0]), kind([0.73, 0.01]))
    assert np.allclose(np.asarray(result), [GU108_UTILIZATION, 10_000 / 43_800], rtol=1e-15)


def test_break_even_hours_per_day():
    assert break_even_hours_per_day(23932.70, 0.73) == pytest.approx(
        GU108_UTILIZATION * 24, rel=1e-15
    )


def test_monthly_minutes():
    # 8 h/day x 730/24 days x 60 = 14,600 min; 7.3 h/day -> 13,322.5 min
    assert monthly_minutes(8) == 14600.0
    assert monthly_minutes([7.3, 24]).tolist() == [13322.5, 43800.0]
    with pytest.raises(InputError, match="at most 24"):
        monthly_minutes(25)


def test_months_billed():
    # 730 h months are 30.41666 days: 30 days -> 1, 30.5 -> 2, 365 days -> 12 exactly
    assert months_billed([30, 30.5, 365, 365.0001]).tolist() == [1, 2, 12, 13]


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ((0, 0.73), "subscription_price"),
        ((100, 0), "payg_price"),
        ((100, float("nan")), "payg_price"),
        ((-1, 1), "subscription_price"),
    ],
)
def test_break_even_bad_prices(args, argument):
    with pytest.raises(InputError) as caught:
        break_even_minutes(*args)
    assert caught.value.argument == argument
