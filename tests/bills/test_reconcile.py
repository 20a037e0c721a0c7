"""Reconcile on generated bills; the commands that write FOCUS and backtest (the backtest
itself: tests/decisions/test_backtest.py).

Expected values are hand calculations shown in comments (the billing page's 0.73 USD/minute
and 23,932.70 USD/month GU108 prices, the embedded 'documented' catalog).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.reconcile import reconcile
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.errors import FocusDeviationWarning

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)
SAMPLE = paths.SAMPLE_DIR / "focus_sample.csv"


def _row(list_cost, billed, quantity="45", price="0.73", unit="Node-Minutes", **more):
    row = {
        "RegionId": "cn-wulanchabu",
        "SkuId": "ml.gu7xf.8xlarge-gu108",
        "ListCost": list_cost,
        "BilledCost": billed,
        "ListUnitPrice": price,
        "PricingQuantity": quantity,
        "PricingUnit": unit,
        "ChargeCategory": "Usage",
        "PricingCategory": "Standard",
        "BillingCurrency": "USD",
        "ChargePeriodStart": pd.Timestamp("2026-01-01"),
        "ChargePeriodEnd": pd.Timestamp("2026-01-01 00:45"),
        "BillingPeriodStart": pd.Timestamp("2026-01-01"),
    }
    row.update(more)
    return row


def test_each_cause_told_apart():
    rows = pd.DataFrame(
        [
            _row("32.85", "29.57"),  # 45 x 0.73 = 32.85: match, 10 % discount
            _row("36.13", "36.13", price="0.803"),  # billed at 0.803: catalog price
            _row("33.58", "33.58"),  # 46 x 0.73 = 33.58 for 45 minutes: rule
            _row("32.86", "32.86"),  # one cent over: rounding
            _row("40", "40", price=None),  # no unit price: price or rule
            _row(
                "0.75", "0.75", quantity="0.75", unit="Node-Hours", price="43.8"
            ),  # 45 min at 43.80/h
            _row("1", "1", SkuId="oss.standard"),  # unmapped
            _row(
                "47865.4",
                "47865.4",
                SkuId="ml.gu7xf.c96m1600.8-gu108",
                quantity="2",
                unit="Node-Months",
                price="23932.7",
                PricingCategory="Committed",
            ),  # 2 x 23,932.70
        ]
    )
    result = reconcile(rows, DOCUMENTED)
    assert result.lines["cause"].tolist() == [
        "match",
        "catalog price",
        "rule",
        "rounding",
        "price or rule",
        "rule",
        "unmapped",
        "match",
    ]
    assert result.lines["kit_list_cost"].tolist()[:3] == [32.85, 32.85, 32.85]
    # 0.75 node-hours = 45 minutes: 32.85 by the kit against 0.75 billed (the rule column)
    assert result.lines["difference"].iloc[5] == pytest.approx(0.75 - 32.85)
    assert result.lines["discount"].iloc[0] == pytest.approx(3.28)  # 32.85 - 29.57
    assert result.unmapped["spec"].tolist() == ["oss.standard"]
    spec = result.by_spec.set_index("spec").loc["ml.gu7xf.8xlarge-gu108"]
    # 0 + 3.28 + 0.73 + 0.01 + (40 - 32.85 = 7.15) + (0.75 - 32.85 = -32.10)
    assert spec["difference"] == pytest.approx(3.28 + 0.73 + 0.01 + 7.15 - 32.10)
    assert spec["lines"] == 6 and spec["rule"] == 2


def test_sample_reconciled_per_month_with_its_planted_differences():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        rows = read_focus(SAMPLE)
    result = reconcile(rows, read_catalog())
    counts = result.lines["cause"].value_counts()
    # every 23rd of the 1,304 rows at 1.1 x the price: 56, less row 666, which is also a
    # 29th (no ListUnitPrice: 'price or rule'); every 17th rounded up (a rule, unless whole)
    assert counts["catalog price"] == 1304 // 23 - 1
    assert counts["unmapped"] == 2
    assert counts["rule"] > 0 and counts["match"] > 1000
    # the planted 5 % discount, to rounding of each row's cents
    assert result.by_month["discount_percent"].between(4.99, 5.01).all()
    assert result.by_month["lines"].sum() == len(rows)


def test_commands_write_focus(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "region_id,spec,quantity,billing_method,months,minutes\n"
        "cn-wulanchabu,ml.gu7xf.8xlarge-gu108,1,payg,,45\n"
    )
    out = tmp_path / "bill_focus.csv"
    assert (
        main(
            [
                "bill",
                str(orders),
                "--catalog",
                str(paths.DOCUMENTED_CATALOG),
                "--focus-out",
                str(out),
                "--period-start",
                "2026-03-01",
            ]
        )
        == 0
    )
    rows = pd.read_csv(out, dtype=str)
    assert rows["BilledCost"].tolist() == ["32.85"]
    assert rows["ChargePeriodEnd"].tolist() == ["2026-03-01T00:45:00Z"]
    assert "32.85" in capsys.readouterr().out
    out = tmp_path / "reconciled.csv"
    assert main(["reconcile", str(SAMPLE), "--by", "month", "--focus-out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "Unmapped" in printed.out and "oss.standard" in printed.out
    assert len(pd.read_csv(out)) == 1304
    out = tmp_path / "plan.csv"
    assert (
        main(
            [
                "plan",
                "synthetic",
                "--scenarios",
                "0",
                "--focus-out",
                str(out),
                "--catalog",
                str(paths.DOCUMENTED_CATALOG),
            ]
        )
        == 0
    )
    plan = pd.read_csv(out, dtype=str)
    assert set(plan["PricingCategory"]) <= {"Committed", "Standard"}


def test_backtest_command(capsys):
    assert (
        main(
            [
                "backtest",
                "synthetic",
                "--catalog",
                str(paths.DOCUMENTED_CATALOG),
                "--synthetic-days",
                "70",
            ]
        )
        == 0
    )
    printed = capsys.readouterr()
    assert "realized_savings" in printed.out and "SYNTHETIC" in printed.err


def test_command_errors_are_one_line(tmp_path, capsys):
    assert main(["reconcile", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["reconcile", str(SAMPLE), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "cannot connect" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("source", ["", str(SAMPLE)], ids=["synthetic", "bill sample"])
def test_backtest_notebook_renders(tmp_path, source):
    from pai_model.display.reports.render import render_report

    report = render_report("backtest", {"source": source, "synthetic_days": 70}, out_dir=tmp_path)
    html = report.html.read_text(encoding="utf-8")
    assert "best in hindsight" in html and "capture" in html
