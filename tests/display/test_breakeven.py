"""A break-even table in words and for display: summary, selections. Hand-checked numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import break_even_table
from pai_model.display.breakeven import breakeven_display, breakeven_summary, select_pairs
from pai_model.errors import PaiModelError

TEST_CATALOG = Path(__file__).resolve().parents[1] / "data" / "report_catalog.csv"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return break_even_table(read_catalog(TEST_CATALOG))


def test_breakeven_summary_at_12_hours(table):
    lines = breakeven_summary(table, usage_hours_per_day=12).splitlines()
    # 12 h/day = 21,900 min: gpux 4,380 / 0.2 = 21,900 min, exactly the break-even
    # Beijing's gpux breaks even sooner (12.00 h/day) but cannot be bought now: the headline
    # names only pairs bought both ways: Ulanqab's gu108, 23,932.70 / 0.73 = 32,784.52 min
    # a month = 546.41 h = 17.96 h/day of a 730 h month
    assert lines[0] == (
        "A subscription pays off soonest in **China (Ulanqab)** for gu108, above 17.96 h/day."
        " Months of 730 h; savings are per node and month."
    )
    assert lines[2] == (
        "- **China (Beijing)**, gpux *(illustrative prices, cannot be bought now)*: subscribe above"
        " 12.00 h/day (50.0% of the month). At 12 h/day both cost the same per node-month"
        " (4,380.00 USD against 4,380.00 USD subscribed)."
    )
    # gu108: 0.50 x 21,900 = 10,950.00 against 17,520.00: 6,570.00 saved
    assert "At 12 h/day pay-as-you-go saves 6,570.00 USD per node-month" in lines[3]
    # Ulanqab: 0.73 x 21,900 = 15,987.00 against 23,932.70: 7,945.70 saved
    assert "At 12 h/day pay-as-you-go saves 7,945.70 USD per node-month" in lines[4]


def test_breakeven_summary_when_payg_always_wins():
    table = break_even_table(read_catalog(TEST_CATALOG), hours_per_month=720)
    cheap = table.assign(payg_price_per_minute=0.01, break_even_utilization=1.5)
    line = breakeven_summary(cheap.iloc[[0]], usage_hours_per_day=24).splitlines()[-1]
    # 24 h/day of a 720 h month = 43,200 min x 0.01 = 432.00 against 4,380.00
    assert "pay-as-you-go is cheaper even at 24 h/day" in line
    assert "pay-as-you-go saves 3,948.00 USD" in line
    # no pair breaks even within a day, so the headline names no "soonest" subscription
    headline = breakeven_summary(cheap, usage_hours_per_day=24).splitlines()[0]
    assert headline == (
        "Pay-as-you-go is cheaper at any usage for every offer pair shown."
        " Months of 720 h; savings are per node and month."
    )


def test_select_pairs(table):
    assert select_pairs(table, regions=["cn-beijing"])["hardware"].tolist() == ["gpux", "gu108"]
    assert select_pairs(table, hardware=["gu108"])["region_id"].tolist() == [
        "cn-beijing",
        "cn-wulanchabu",
    ]
    assert select_pairs(table).attrs == table.attrs
    with pytest.raises(
        PaiModelError, match="no offer pair with region_id 'xx'; known: cn-beijing, cn-wulanchabu"
    ):
        select_pairs(table, regions=["xx"])
    with pytest.raises(PaiModelError, match="offers any of"):
        select_pairs(table, regions=["cn-wulanchabu"], hardware=["gpux"])


def test_breakeven_display(table):
    shown = breakeven_display(table)
    assert shown.iloc[0].tolist() == [
        "China (Beijing)",
        "gpux",
        "4,380.00 USD",
        "0.20 USD/minute",
        "12.00",
        "50.0%",
        "-",  # no year price in the catalog: none shown, none derived
        "-",
        "no",
        "illustrative",
    ]
    # prices show every decimal they have (a catalog allows 6), never a rounded view:
    # 78.945 stays 78.945 (not 78.94 or 78.95), 0.012345 stays 0.012345 (not 0.0123)
    precise = breakeven_display(
        table.assign(subscription_price_per_month=78.945, payg_price_per_minute=0.012345)
    )
    assert precise.iloc[0, 2:4].tolist() == ["78.945 USD", "0.012345 USD/minute"]
