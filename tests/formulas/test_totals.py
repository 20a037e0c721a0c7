"""Totals are exact at any size, on every path that sums money (issue 20, "totals wrap around").

Each bill line below is within the kit's bounds (at most 100,000 nodes, 100,000 a month or
a minute, 120 months or 5,260,320 minutes), yet the totals pass int64's 2**63 - 1 =
9,223,372,036,854,775,807 cents. Every expectation is computed here with Python integers
from the hand calculation in its comment, never with the code under test.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pai_model import paths
from pai_model.bills.orders import price_orders
from pai_model.bills.reconcile import reconcile
from pai_model.bills.reconcile_files import reconcile_files
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.decisions.backtest import backtest
from pai_model.decisions.fleet import plan_fleet
from pai_model.errors import FocusDeviationWarning
from pai_model.formulas.totals import (
    INT64_MAX,
    INT64_MIN,
    exact_sum,
    group_sums,
    joined,
    minor_to_float,
    sum_table,
    sums_by_group,
)

#: The largest prices the kit bills: 100,000 a month, 100,000 a minute (MAX_UNIT_PRICE).
CATALOG_CSV = (
    "region_id,resource_type,spec,hardware,subscription_price_per_month,payg_price_per_minute,"
    "currency,source,as_of\n"
    "cn-wulanchabu,lingjun,ml.big.usd,big-usd,100000,100000,USD,console,2026-01-01\n"
    "cn-beijing,lingjun,ml.big.cny,big-cny,100000,100000,CNY,console,2026-01-01\n"
)
#: One subscription line: 100,000 nodes x 100,000 a month x 120 months, in cents.
SUBSCRIPTION_LINE = 100_000 * 100_000 * 120 * 100  # 1.2e14 cents
#: One pay-as-you-go line: 100,000 nodes x 100,000 a minute x 5,260,320 minutes, in cents.
PAYG_LINE = 100_000 * 100_000 * 5_260_320 * 100  # 5.26e18 cents


@pytest.fixture(scope="module")
def catalog_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalog") / "big.csv"
    path.write_text(CATALOG_CSV)
    return path


@pytest.fixture(scope="module")
def catalog(catalog_file):
    return read_catalog(catalog_file)


@pytest.fixture
def client(dask_client):
    """The session's cluster: two worker processes, every partition crosses a process boundary."""
    return dask_client


# ---- the summing functions themselves, against Python's integers -----------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(INT64_MIN, INT64_MAX), max_size=40),
    st.integers(1, 4),
)
def test_sums_by_group_equal_python_integers(values, groups):
    codes = np.arange(len(values)) % groups
    expected = [sum(v for v, c in zip(values, codes, strict=True) if c == g) for g in range(groups)]
    found = sums_by_group(codes, np.array(values, dtype=np.int64), groups)
    assert [int(v) for v in found] == expected
    assert found.dtype == (
        np.int64 if all(INT64_MIN <= e <= INT64_MAX for e in expected) else object
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=1, max_size=40))
def test_the_kernels_two_words_equal_python_integers(values):
    money = np.array(values, dtype=np.int64).reshape(-1, 1)
    group = np.zeros(len(values), dtype=np.int64)
    high, low = np.zeros((1, 1), np.int64), np.zeros((1, 1), np.int64)
    counts = np.zeros((1, 2), np.int64)
    group_sums(group, money, np.zeros(len(values), np.int64), 1, high, low, counts)
    assert int(joined(high[:, 0], low[:, 0])[0]) == sum(values)
    assert counts.tolist() == [[len(values), len(values)]]


def test_sum_table_keeps_int64_while_it_fits_and_python_ints_beyond():
    table = pd.DataFrame(
        {"currency": ["USD", "USD", "CNY"], "small": [1, 2, 3], "big": [INT64_MAX, 1, 5]}
    )
    sums = sum_table(table, ["currency"], ["small", "big"])
    assert sums["small"].dtype == np.int64
    assert sums.values.tolist() == [["CNY", 3, 5], ["USD", 3, INT64_MAX + 1]]


def test_exact_sum_of_python_ints_beyond_int64():
    values = np.array([10**30, -(10**29), 7], dtype=object)
    assert exact_sum(values) == 10**30 - 10**29 + 7


def test_minor_units_become_the_nearest_float():
    # Python's int / int is correctly rounded: the independent reference
    minor = np.array([15788, -5, INT64_MAX, 10**30 + 1], dtype=object)
    assert minor_to_float(minor, 2).tolist() == [m / 100 for m in minor.tolist()]


# ---- bills: price_orders on pandas and on Dask, and `pai-cost bill` ----------------------


def big_orders(subscriptions: int, payg: int) -> pd.DataFrame:
    """USD subscription lines and CNY pay-as-you-go lines, each the largest the kit bills."""
    return pd.DataFrame(
        {
            "region_id": ["cn-wulanchabu"] * subscriptions + ["cn-beijing"] * payg,
            "spec": ["ml.big.usd"] * subscriptions + ["ml.big.cny"] * payg,
            "quantity": 100_000,
            "billing_method": ["subscription"] * subscriptions + ["payg"] * payg,
            "months": [120] * subscriptions + [None] * payg,
            "minutes": [None] * subscriptions + [5_260_320] * payg,
        }
    )


#: 100,000 subscription lines (1.2e19 cents) and 10 pay-as-you-go lines (5.3e19 cents).
ORDERS = big_orders(100_000, 10)
EXPECTED_TOTALS = [["CNY", 10 * PAYG_LINE, 10], ["USD", 100_000 * SUBSCRIPTION_LINE, 100_000]]


#: 120 months is no buyable term (the longest is 60): allowed here, where the totals count.
TERMS = (1, 120)


def test_price_orders_totals_past_int64_are_exact(catalog):
    bill = price_orders(ORDERS, catalog, buyable_months=TERMS)
    assert bill.totals[["currency", "amount_minor", "lines"]].values.tolist() == EXPECTED_TOTALS
    assert bill.totals["amount"].tolist() == [
        10 * PAYG_LINE / 100,
        100_000 * SUBSCRIPTION_LINE / 100,
    ]
    # each line exact too: 5,260,320 x 100,000 x 100,000 = 52,603,200,000,000,000.00 CNY
    assert bill.lines["formula"].iloc[-1].endswith("= 52,603,200,000,000,000.00 CNY")


def test_price_orders_on_a_process_cluster_totals_the_same(catalog, client):
    spread = price_orders(dd.from_pandas(ORDERS, npartitions=4), catalog, buyable_months=TERMS)
    assert spread.totals[["currency", "amount_minor", "lines"]].values.tolist() == EXPECTED_TOTALS


def test_bill_command_prints_the_total_exactly(tmp_path, catalog_file, capsys):
    # 3 x 52,603,200,000,000,000.00 = 157,809,600,000,000,000.00 CNY (a float would show
    # 157,809,600,000,000,000.00 only by luck; -7.9e16 before the fix)
    orders = tmp_path / "orders.csv"
    big_orders(0, 3).to_csv(orders, index=False)
    assert (
        main(["bill", str(orders), "--catalog", str(catalog_file), "--max-age-days", "9999"]) == 0
    )
    totals = capsys.readouterr().out.splitlines()[-1].split()
    assert totals == ["CNY", "157,809,600,000,000,000.00", "3", "0"]


# ---- reconcile: pandas, Dask, streamed Parquet, and the command --------------------------


def focus_rows(list_costs: list[str]) -> pd.DataFrame:
    """Billed 45-minute lines of ml.big.usd (the kit re-prices each at 100,000 x 45 =
    4,500,000.00) whose ListCost and BilledCost are ``list_costs``."""
    count = len(list_costs)
    return pd.DataFrame(
        {
            "RegionId": "cn-wulanchabu",
            "SkuId": "ml.big.usd",
            "ListCost": list_costs,
            "BilledCost": list_costs,
            "ListUnitPrice": "100000",
            "PricingQuantity": "45",
            "PricingUnit": "Node-Minutes",
            "ChargeCategory": "Usage",
            "PricingCategory": "Standard",
            "BillingCurrency": "USD",
            "ChargePeriodStart": pd.Series([pd.Timestamp("2026-01-01")] * count),
            "ChargePeriodEnd": pd.Series([pd.Timestamp("2026-01-01 00:45")] * count),
        }
    )


#: Lines whose micro-units each fit int64 (9e18) but not their sum, and lines whose micro-
#: units do not fit int64 at all (9.3e12 USD = 9.3e18 micro-units): FOCUS costs have no bound.
CASES = {
    "sum-past-int64": ["9000000000000"] * 3,
    "line-past-int64": ["9300000000000.25", "9300000000000.25", "12345678901234567.000001"],
}
KIT = 100_000 * 45 * 10**6  # the kit's list cost of a line, in micro-units


def expected_sums(list_costs: list[str]) -> dict[str, int]:
    # micro-units by Python's decimal (every cost here has at most 6 places: exact)
    listed = sum(int(Decimal(c).scaleb(6)) for c in list_costs)
    return {
        "billed_list_micros": listed,
        "kit_list_micros": KIT * len(list_costs),
        "difference_micros": listed - KIT * len(list_costs),
        "billed_micros": listed,
        # no correction nor credit among these lines
        "correction_micros": 0,
        "credit_micros": 0,
    }


def micro_sums(table: pd.DataFrame) -> dict[str, int]:
    (row,) = table.to_dict("records")
    return {k: int(v) for k, v in row.items() if k.endswith("_micros")}


@pytest.mark.parametrize("case", CASES)
def test_reconcile_sums_past_int64_are_exact(catalog, case):
    result = reconcile(focus_rows(CASES[case]), catalog)
    assert micro_sums(result.by_spec) == expected_sums(CASES[case])
    assert micro_sums(result.by_month) == expected_sums(CASES[case])
    assert result.by_spec["billed_list_cost"].tolist() == [
        expected_sums(CASES[case])["billed_list_micros"] / 10**6
    ]


@pytest.mark.parametrize("case", CASES)
def test_reconcile_on_a_process_cluster_sums_the_same(catalog, client, case):
    result = reconcile(dd.from_pandas(focus_rows(CASES[case]), npartitions=2), catalog)
    assert micro_sums(result.by_spec) == expected_sums(CASES[case])


@pytest.mark.parametrize("case", CASES)
def test_streamed_parquet_sums_past_int64_are_exact(tmp_path, catalog, case):
    path = tmp_path / "bills.parquet"
    rows = focus_rows(CASES[case] * 2)  # two row groups of three lines
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), path, row_group_size=3)
    result = reconcile_files(path, catalog)
    assert micro_sums(result.by_spec) == expected_sums(CASES[case] * 2)


def test_reconcile_command_prints_the_sum_exactly(tmp_path, catalog_file, capsys):
    # 9,300,000,000,000.25 x 2 + 12,345,678,901,234,567.000001 = 12,364,278,901,234,567.500001
    path = tmp_path / "bills.csv"
    costs = CASES["line-past-int64"]
    # the sample export's first line as the template of three lines of ml.big.usd
    template = pd.read_csv(paths.SAMPLE_DIR / "focus_sample.csv", comment="#", dtype=str)
    rows = template.iloc[[0, 0, 0]].assign(
        RegionId="cn-wulanchabu",
        SkuId="ml.big.usd",
        ListCost=costs,
        BilledCost=costs,
        EffectiveCost=costs,
        ListUnitPrice="100000",
        PricingQuantity="45",
        ChargePeriodStart="2026-01-01T00:00:00Z",
        ChargePeriodEnd="2026-01-01T00:45:00Z",
    )
    rows.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        status = main(
            [
                "reconcile",
                str(path),
                "--catalog",
                str(catalog_file),
                "--format",
                "csv",
                "--max-age-days",
                "9999",
            ]
        )
    assert status == 0
    by_spec = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), dtype=str)
    assert by_spec["billed_list_cost"].tolist() == ["12364278901234567.500001"]


# ---- decisions: backtest and fleet -------------------------------------------------------


def big_pairs_catalog(tmp_path, pairs: int):
    lines = [CATALOG_CSV.splitlines()[0]] + [
        f"cn-wulanchabu,lingjun,ml.big{i},big{i},100000,100000,USD,console,2026-01-01"
        for i in range(pairs)
    ]
    path = tmp_path / "pairs.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_backtest_totals_past_int64_are_exact(tmp_path, capsys):
    # 10 pairs, 100,000 nodes busy from 2026-01-01 to 2027-03-01; plans of 12 months. Two
    # folds test 2026-02-01..2027-02-01 and 2026-03-01..2027-03-01, 365 days = 525,600
    # minutes each: all pay-as-you-go per pair and fold is 100,000 levels x 100,000 x
    # 525,600 = 5,256,000,000,000,000.00 USD; the plan subscribes all 100,000 nodes:
    # 100,000 x 100,000 x 12 = 120,000,000,000.00 USD.
    path = big_pairs_catalog(tmp_path, 10)
    jobs = pd.DataFrame(
        {
            "start": "2026-01-01",
            "end": "2027-03-01",
            "region_id": "cn-wulanchabu",
            "hardware": [f"big{i}" for i in range(10)],
            "nodes": 100_000,
        }
    )
    result = backtest(jobs, read_catalog(path), horizon=12)
    payg = 100_000 * 100_000 * 525_600 * 100  # cents per pair and fold
    plan = 100_000 * 100_000 * 12 * 100
    (totals,) = result.totals.to_dict("records")
    assert totals["all_payg_cost_minor"] == 20 * payg  # 1.05e19 cents: past int64
    assert totals["plan_cost_minor"] == 20 * plan
    assert totals["realized_savings_minor"] == 20 * (payg - plan)
    assert totals["regret_minor"] == 0
    jobs_file = tmp_path / "jobs.csv"
    jobs.to_csv(jobs_file, index=False)
    assert (
        main(
            [
                "backtest",
                str(jobs_file),
                "--catalog",
                str(path),
                "--horizon",
                "12",
                "--max-age-days",
                "9999",
            ]
        )
        == 0
    )
    last = capsys.readouterr().out.splitlines()[-1].split()
    assert last[:2] == ["USD", "105,120,000,000,000,000.00"]


def test_fleet_plan_totals_past_int64_are_exact(catalog):
    # two rows of 100,000 nodes 24 h/day for 120 months of 730 h: 5,256,000 minutes x
    # 100,000 x 100,000 = 52,560,000,000,000,000.00 USD each on pay-as-you-go
    fleet = pd.DataFrame(
        {
            "region_id": "cn-wulanchabu",
            "hardware": "big-usd",
            "quantity": [100_000] * 2,
            "usage_hours_per_day": 24,
            "months": 120,
        }
    )
    totals = plan_fleet(fleet, catalog).totals.set_index("plan")
    assert (
        totals.loc["pay-as-you-go first", "cost_minor"] == 2 * 100_000 * 100_000 * 5_256_000 * 100
    )
    assert totals.loc["subscription first", "cost_minor"] == 2 * SUBSCRIPTION_LINE
