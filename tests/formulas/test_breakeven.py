"""Break-even formulas and tables, checked against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pai_model import InputError, break_even_table, break_even_utilization, paths, read_catalog
from pai_model.decisions.comparison import project_crossovers, project_length_table
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
    [((0, 0.73), "subscription_price"), ((100, 0), "payg_price"), ((100, float("nan")), "payg_price"), ((-1, 1), "subscription_price")],
)  # fmt: skip
def test_break_even_bad_prices(args, argument):
    with pytest.raises(InputError) as caught:
        break_even_minutes(*args)
    assert caught.value.argument == argument


def test_break_even_table_on_documented_catalog():
    table = break_even_table(read_catalog(paths.DOCUMENTED_CATALOG))
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["region_id"], row["hardware"]) == ("cn-wulanchabu", "gu7xf-8xGU108")
    assert (row["subscription_spec"], row["payg_spec"]) == (
        "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108",
    )  # fmt: skip
    assert row["break_even_minutes"] == pytest.approx(GU108_MINUTES, rel=1e-15)
    # 32,784.5205 / 43,800 x 24 = 17.96412085 h/day
    assert row["break_even_hours_per_day"] == pytest.approx(17.96412085, rel=1e-9)
    assert row["purchasable"]
    assert row["provenance"] == "documented"
    assert row["note"].startswith("ASSUMPTION")


def test_break_even_table_on_demo_catalog():
    catalog = read_catalog()
    table = break_even_table(catalog)
    # six Lingjun regions x four hardware types; general offers are subscription only
    assert len(table) == 24
    assert set(table["provenance"]) == {"documented", "illustrative"}
    # a pair with an out-of-stock offer is not purchasable now
    gone = catalog[~catalog["in_stock"] & (catalog["resource_type"] == "lingjun")]
    flagged = table.merge(gone[["region_id", "hardware"]], on=["region_id", "hardware"])
    assert len(flagged) == len(gone) and not flagged["purchasable"].any()


def test_project_length_table():
    # 2 GU108 nodes at full use: pay-as-you-go 0.73 x 2 x 1,440 = 2,102.40 a day;
    # subscription 47,865.40 a month (30.42 days), 95,730.80 for two.
    table = project_length_table(23932.70, 0.73, [10, 20, 25, 31], quantity=2)
    assert table["months_billed"].tolist() == [1, 1, 1, 2]
    assert table["payg_cost"].tolist() == [21024.0, 42048.0, 52560.0, 65174.4]
    assert table["subscription_cost"].tolist() == [47865.4, 47865.4, 47865.4, 95730.8]
    assert table["cheaper"].tolist() == ["payg", "payg", "subscription", "payg"]


def test_project_crossovers_match_the_cost_table():
    segments = project_crossovers(23932.70, 0.73, 200)
    days = np.linspace(0.5, 199.5, 399)
    table = project_length_table(23932.70, 0.73, days)
    for _, segment in segments.iterrows():
        inside = table[
            (table["days"] > segment["start_days"] + 0.01)
            & (table["days"] < segment["end_days"] - 0.01)
        ]
        assert (inside["cheaper"] == segment["cheaper"]).all()
    # the first crossover by hand: 23,932.70 / (0.73 x 1,440) = 22.767 days
    assert segments.loc[0, "end_days"] == pytest.approx(23932.70 / (0.73 * 1440), rel=1e-12)


def test_project_views_with_a_start_date_use_calendar_months():
    # from 1 January 2026: 31 days are one calendar month (a term to 1 February), 35 days
    # two; under the 730-hour convention (30.42 days a month) 31 days are two
    table = project_length_table(23932.70, 0.73, [31, 35], start="2026-01-01")
    assert table["months_billed"].tolist() == [1, 2]
    assert table["subscription_cost"].tolist() == [23932.70, 47865.40]
    assert project_length_table(23932.70, 0.73, [31])["months_billed"].tolist() == [2]
    # months end on days 31 (1 February) and 59 (1 March); pay-as-you-go (1,051.20 a day)
    # wins up to k x 23,932.70 / 1,051.20 = k x 22.767 days within billed month k
    crossovers = project_crossovers(23932.70, 0.73, 62, start="2026-01-01")
    assert crossovers["cheaper"].tolist() == ["payg", "subscription"] * 2 + ["payg"]
    np.testing.assert_allclose(
        crossovers["end_days"], [22.767028, 31.0, 45.534056, 59.0, 62.0], atol=1e-6
    )
