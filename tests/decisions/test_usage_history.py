"""``read_usage`` of a real-shaped FOCUS export (SYNTHETIC rows, tests/focus_cases.py): the
notes ``plan`` and ``recommend`` show say the file's FOCUS version and, in one line, which
lines were set aside and why."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pandas as pd
import pytest
from focus_cases import ecs, oss, row, table, write

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.held import held_groups
from pai_model.decisions.usage_history import read_usage
from pai_model.errors import CurrencyError


def test_the_notes_say_the_version_and_what_was_set_aside(tmp_path):
    rows = [row(), ecs(), oss(), oss(), row(ChargeClass="Correction", PricingQuantity="-5")]
    path = write(table(rows, "1.1"), tmp_path / "bill.csv")
    history = read_usage(str(path), read_catalog(paths.DOCUMENTED_CATALOG))
    assert history.notes[0] == f"{path}: FOCUS 1.1 export (told by its columns)"
    (aside,) = history.notes[1:]
    # 1 PAI usage line of 5 is planned: 45 node-minutes
    assert aside.startswith(f"{path}: 4 of 5 lines set aside, not planned: ")
    assert "2 lines: not Alibaba Cloud PAI (Alibaba Cloud / Object Storage Service)" in aside
    assert "1 lines: not Alibaba Cloud PAI (Alibaba Cloud / Elastic Compute Service)" in aside
    assert "1 lines: a correction of an earlier charge" in aside
    demand = history.demand
    minutes = ((demand["end"] - demand["start"]).dt.total_seconds() / 60 * demand["nodes"]).sum()
    assert minutes == 45.0


CATALOG = read_catalog()
SAMPLE = paths.SAMPLE_DIR / "focus_sample.csv"


@pytest.fixture(scope="module")
def cny_bills(tmp_path_factory):
    table = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False, skiprows=1)
    table["BillingCurrency"] = "CNY"
    folder = tmp_path_factory.mktemp("bills")
    table.to_csv(folder / "cny.csv", index=False)
    table.to_parquet(folder / "cny.parquet")
    return folder


@pytest.mark.parametrize("name", ["cny.csv", "cny.parquet"])
def test_a_cny_bill_against_a_usd_catalog_is_refused(cny_bills, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Alibaba's documented FOCUS deviations
        with pytest.raises(CurrencyError) as error:
            read_usage(str(cny_bills / name), CATALOG)
    assert error.value.currencies == ("CNY", "USD")
    assert name in str(error.value) and "demo.csv is in USD" in str(error.value)


def test_two_sources_of_two_currencies_refused_then_allowed_with_a_rate(cny_bills):
    sources = [str(SAMPLE), str(cny_bills / "cny.csv")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(CurrencyError, match=r"cny\.csv"):
            read_usage(sources, CATALOG)
        usage = read_usage(sources, CATALOG, fx=["CNY/USD=0.14"])
        one = read_usage(str(SAMPLE), CATALOG)
    assert usage.rates == {("CNY", "USD"): Decimal("0.14")}
    assert any("1 CNY = 0.14 USD" in note for note in usage.notes)
    assert one.rates == {}
    # the same lines twice: twice the node-minutes of the USD sample alone
    minutes = lambda d: ((d["end"] - d["start"]).dt.total_seconds() / 60 * d["nodes"]).sum()  # noqa: E731
    assert minutes(usage.demand) == 2 * minutes(one.demand)


def test_focus_rows_in_memory_are_compared_too(cny_bills):
    rows = pd.read_csv(cny_bills / "cny.csv", dtype=str, keep_default_na=False)
    for column in ("ChargePeriodStart", "ChargePeriodEnd"):
        rows[column] = pd.to_datetime(rows[column]).dt.tz_localize(None)
    with pytest.raises(CurrencyError):
        read_usage(rows, CATALOG)
    assert read_usage(rows, CATALOG, fx={"CNY/USD": "0.14"}).rates


def test_a_held_file_priced_in_another_currency_is_refused(tmp_path):
    held = pd.read_csv(paths.SAMPLE_DIR / "subscriptions_SYNTHETIC.csv", comment="#", dtype=str)
    held["subscription_price_per_month"] = "170000.00"
    held["currency"] = "CNY"
    path = tmp_path / "held.csv"
    held.to_csv(path, index=False)
    start = pd.Timestamp("2026-05-01")
    with pytest.raises(CurrencyError) as error:
        held_groups(path, CATALOG, start)
    assert "held.csv is in CNY" in str(error.value)
    groups = held_groups(path, CATALOG, start, fx=["CNY/USD=0.14"])
    assert groups.attrs["rates"] == {("CNY", "USD"): Decimal("0.14")}
    # the same file in USD needs no rate
    held["currency"] = "USD"
    held.to_csv(path, index=False)
    assert held_groups(path, CATALOG, start).attrs["rates"] == {}


@pytest.mark.parametrize(
    ("usage", "got"),
    [
        (None, "NoneType"),
        (b"jobs.csv", "bytes"),
        (Decimal("NaN"), "Decimal"),
        (float("inf"), "float"),
    ],
)
def test_a_usage_source_of_the_wrong_type_names_usage(usage, got):
    words = (
        "usage must be a path or a URL (str or os.PathLike), 'synthetic', a DataFrame of job"
        " records or of FOCUS rows, or a list of them"
    )
    catalog = read_catalog()
    with pytest.raises(TypeError) as refused:
        read_usage(usage, catalog)
    assert str(refused.value) == f"{words}; got {got}"
    with pytest.raises(TypeError) as refused:
        read_usage(["synthetic", usage], catalog)
    assert str(refused.value) == f"{words}; got {got}"
