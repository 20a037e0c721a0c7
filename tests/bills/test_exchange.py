"""A bill in another currency than the catalog: refused, or converted with the given rate.

Synthetic FOCUS rows (labelled as such): 45 minutes of ml.gu7xf.8xlarge-gu108 billed in
CNY at 5.11 CNY/minute, against the embedded 'documented' catalog (USD, 0.73 USD/minute,
the billing page's example). Expected values are Python ``decimal`` hand calculations.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from pai_model import paths
from pai_model.bills.exchange import to_catalog_currency
from pai_model.bills.reconcile import reconcile
from pai_model.bills.reconcile_files import reconcile_files
from pai_model.data.catalog import read_catalog
from pai_model.errors import CurrencyError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)
CENT = Decimal("0.01")


def _row(currency="CNY", list_cost="229.95", billed="206.96", price="5.11"):
    """One synthetic billed line: 45 x 5.11 = 229.95 CNY list, 206.96 billed."""
    return {
        "RegionId": "cn-wulanchabu",
        "SkuId": "ml.gu7xf.8xlarge-gu108",
        "ListCost": list_cost,
        "BilledCost": billed,
        "ListUnitPrice": price,
        "PricingQuantity": "45",
        "PricingUnit": "Node-Minutes",
        "ChargeCategory": "Usage",
        "PricingCategory": "Standard",
        "BillingCurrency": currency,
        "ChargePeriodStart": pd.Timestamp("2026-01-01"),
        "ChargePeriodEnd": pd.Timestamp("2026-01-01 00:45"),
        "BillingPeriodStart": pd.Timestamp("2026-01-01"),
    }


ROWS = pd.DataFrame([_row(), _row("USD", "32.85", "32.85", "0.73"), _row(list_cost="0.05")])
ROWS.attrs["source"] = "cny_bill.csv"


def _expected_usd(cny: str, rate: str = "0.14") -> int:
    """The converted amount in micro-units, by Python's decimal: one half-up rounding."""
    usd = (Decimal(cny) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return int(usd * 10**6)


def test_cny_bill_against_usd_catalog_refused():
    with pytest.raises(CurrencyError) as error:
        reconcile(ROWS, DOCUMENTED)
    message = str(error.value)
    assert "cny_bill.csv is in CNY" in message
    assert "documented.csv is in USD" in message
    assert "--fx CNY/USD=" in message


def test_with_fx_the_converted_values_equal_decimal():
    result = reconcile(ROWS, DOCUMENTED, fx={"CNY/USD": "0.14"})
    lines = result.lines
    # 229.95 x 0.14 = 32.193 -> 32.19 USD; 206.96 x 0.14 = 28.9744 -> 28.97 USD;
    # 0.05 x 0.14 = 0.007 -> 0.01 USD
    assert lines["billed_list_micros"].tolist() == [32_190_000, 32_850_000, 10_000]
    assert lines["billed_list_micros"].tolist() == [
        _expected_usd("229.95"),
        32_850_000,
        _expected_usd("0.05"),
    ]
    assert lines["billed_micros"].tolist()[0] == _expected_usd("206.96") == 28_970_000
    assert set(lines["currency"]) == {"USD"}
    # the kit's 45 x 0.73 = 32.85 USD; 5.11 x 0.14 = 0.7154 is not 0.73: a catalog price
    assert lines["kit_list_micros"].tolist()[0] == 32_850_000
    assert lines["difference_micros"].tolist()[0] == 32_190_000 - 32_850_000
    assert lines["cause"].tolist()[:2] == ["catalog price", "match"]
    assert any("1 CNY = 0.14 USD" in note for note in result.notes)
    assert result.rates == {("CNY", "USD"): Decimal("0.14")}


def test_rate_ties_round_half_up_once():
    # 0.05 CNY at 0.5 = 0.025 -> 0.03 (half up; half even would give 0.02)
    out = to_catalog_currency(
        pd.DataFrame([_row(list_cost="0.05", billed="-0.05")]),
        DOCUMENTED,
        {("CNY", "USD"): Decimal("0.5")},
    )
    assert out[["ListCost", "BilledCost", "x_OriginalCurrency"]].values.tolist() == [
        ["0.03", "-0.03", "CNY"]
    ]


def test_a_line_without_a_currency_is_not_compared():
    rows = pd.DataFrame([_row(None, "32.85", "32.85", "0.73")])
    assert reconcile(rows, DOCUMENTED).lines["cause"].tolist() == ["match"]


def test_one_currency_needs_no_rate():
    usd = pd.DataFrame([_row("USD", "32.85", "32.85", "0.73")])
    assert reconcile(usd, DOCUMENTED).lines["cause"].tolist() == ["match"]


def test_streamed_parquet_refuses_mixed_currencies(tmp_path):
    path = tmp_path / "bill.parquet"
    ROWS.to_parquet(path)
    with pytest.raises(CurrencyError, match=r"bill\.parquet is in CNY"):
        reconcile_files(path, DOCUMENTED)


@pytest.fixture(scope="module")
def client():
    """Two worker processes: every partition (and the error) crosses a process boundary."""
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )
    with Client(cluster) as connected:
        yield connected
    cluster.close()


def test_dask_on_a_cluster_refuses_then_converts_like_pandas(client):
    rows = dd.from_pandas(ROWS, npartitions=2)
    with pytest.raises(CurrencyError) as error:
        reconcile(rows, DOCUMENTED)
    assert error.value.currencies == ("CNY", "USD")
    result = reconcile(rows, DOCUMENTED, fx=["CNY/USD=0.14"])
    assert result.lines["billed_list_micros"].tolist() == [32_190_000, 32_850_000, 10_000]
    # the sums: 32.19 + 32.85 + 0.01 = 65.05 USD, all in one currency
    assert result.by_spec["billed_list_micros"].tolist() == [65_050_000]
    assert result.by_spec["currency"].tolist() == ["USD"]
