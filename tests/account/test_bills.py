"""Hostile values in DescribeInstanceBill answers, through the fake server and the real SDK."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from fake_alibaba import running_fake, use_test_credentials

from pai_model.cli import main

FAST = ["--backoff", "0.01", "--max-rate", "1000"]

FORTY_DIGITS = 10**39 + 7  # 1 followed by 35 zeros, then 0007: 40 digits


def recent_cycles(count):
    """The ``count`` billing cycles before the current one (Beijing time), oldest first."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    current = now.year * 12 + now.month - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(current - count, current)]


def item(**fields):
    """A pay-as-you-go Lingjun item (45 minutes at 0.73 = 32.85, the billing page's example)."""
    base = {
        "BillingDate": "2026-03-01", "InstanceID": "i-1", "InstanceSpec": "ml.gu7xf.8xlarge-gu108",
        "Region": "China (Ulanqab)", "ProductCode": "bccluster", "ProductName": "Lingjun",
        "SubscriptionType": "PayAsYouGo", "Item": "PayAsYouGoBill", "ListPrice": "0.73",
        "ListPriceUnit": "USD/Minute", "Usage": "45", "UsageUnit": "Minute",
        "PretaxGrossAmount": 32.85, "AfterDiscountAmount": 32.85, "PretaxAmount": 32.85,
        "Currency": "USD",
    }  # fmt: skip
    return {**base, **fields}


@pytest.fixture
def served(monkeypatch, tmp_path):
    use_test_credentials(monkeypatch)
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    cycle = recent_cycles(1)[0]
    with running_fake() as fake:
        yield fake, cycle


def bills(fake, cycle, tmp_path, capsys, **fields) -> tuple[int, str, Path]:
    fake.bill_items[f"{cycle}-01"].append(item(**{"BillingDate": f"{cycle}-01", **fields}))
    out = tmp_path / "bills.csv"
    argv = ["usage", "bills", "--start", cycle, "--out", str(out), *FAST]
    status = main([*argv, *fake.endpoint_args(("bss",))])
    return status, capsys.readouterr().err, out


@pytest.mark.parametrize("amount", [FORTY_DIGITS, str(FORTY_DIGITS)], ids=["number", "text"])
def test_a_40_digit_list_cost_is_kept_and_reconciled_exactly(served, tmp_path, capsys, amount):
    fake, cycle = served
    status, err, out = bills(fake, cycle, tmp_path, capsys, PretaxGrossAmount=amount)
    assert status == 0, err
    written = pd.read_csv(out, dtype=str, comment="#")
    assert written["ListCost"].tolist() == ["1000000000000000000000000000000000000007"]
    assert main(["reconcile", str(out), "--by", "line", "--format", "csv"]) == 0
    shown = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    # the billed list cost at cents, exactly as served; the kit's own price: 45 min x 0.73
    assert shown["billed_list_cost"].tolist() == ["1000000000000000000000000000000000000007.00"]
    assert shown["kit_list_cost"].tolist() == ["32.85"]


def test_a_1e300_amount_is_read_exactly_not_a_crash(served, tmp_path, capsys):
    fake, cycle = served
    status, err, out = bills(
        fake, cycle, tmp_path, capsys, PretaxGrossAmount=1e300, PretaxAmount=1e300
    )
    assert status == 0, err
    written = pd.read_csv(out, dtype=str, comment="#")
    assert written["ListCost"].tolist() == ["1" + "0" * 300]  # the JSON's 1e+300, exactly
    assert main(["reconcile", str(out), "--format", "csv"]) == 0
    shown = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert shown["billed_list_cost"].tolist() == ["1" + "0" * 300 + ".00"]


@pytest.mark.parametrize("day", ["2026-13-45", "2026-02-30"])
def test_a_billing_date_not_in_the_calendar_is_one_line(served, tmp_path, capsys, day):
    fake, cycle = served
    status, err, out = bills(fake, cycle, tmp_path, capsys, BillingDate=day)
    assert status == 2
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"pai-cost: error: DescribeInstanceBill {cycle}-01 item 1: BillingDate = '{day}':"
        " not a day of the calendar (YYYY-MM-DD)"
    )
    assert not out.exists()
