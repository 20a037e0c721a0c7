"""Reconcile on generated bills; the commands that write FOCUS and backtest (the backtest
itself: tests/decisions/test_backtest.py).

Expected values are hand calculations shown in comments (the billing page's 0.73 USD/minute
and 23,932.70 USD/month GU108 prices, the embedded 'documented' catalog).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from focus_cases import FEBRUARY, credit, ecs, oss, refund, row, table, write

from pai_model import paths
from pai_model.bills.reconcile import reconcile
from pai_model.bills.reconcile_files import reconcile_files
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.errors import FocusDeviationWarning, UsageError

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


#: A row of each cause but the last (tests/bills/test_reconcile_files.py adds its edges).
CAUSES = [
    _row("32.85", "29.57"),  # 45 x 0.73 = 32.85: match, 10 % discount
    _row("36.13", "36.13", price="0.803"),  # billed at 0.803: catalog price
    _row("33.58", "33.58"),  # 46 x 0.73 = 33.58 for 45 minutes: rule
    _row("32.86", "32.86"),  # one cent over: rounding
    _row("40", "40", price=None),  # no unit price: price or rule
    _row("0.75", "0.75", quantity="0.75", unit="Node-Hours", price="43.8"),  # 45 min at 43.80/h
    _row("1", "1", SkuId="oss.standard"),  # unmapped
]
#: A committed (subscription) row: 2 x 23,932.70 = 47,865.40, a match.
COMMITTED = _row(
    "47865.4",
    "47865.4",
    SkuId="ml.gu7xf.c96m1600.8-gu108",
    quantity="2",
    unit="Node-Months",
    price="23932.7",
    PricingCategory="Committed",
)


def test_each_cause_told_apart():
    rows = pd.DataFrame([*CAUSES, COMMITTED])
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


CATALOG = read_catalog(paths.DOCUMENTED_CATALOG)
ROWS = [
    row(),
    ecs(),
    row(
        BilledCost="43.80",
        EffectiveCost="43.80",
        ListCost="43.80",
        PricingQuantity="60",
        ChargePeriodStart="2026-01-11T00:00:00Z",
        ChargePeriodEnd="2026-01-11T01:00:00Z",
    ),
    oss(),
    row(
        BilledCost="21.90",
        EffectiveCost="21.90",
        ListCost="21.90",
        PricingQuantity="30",
        ChargePeriodStart="2026-02-03T00:00:00Z",
        ChargePeriodEnd="2026-02-03T00:30:00Z",
        **FEBRUARY,
    ),
    # February's bill corrects 15 minutes of a January charge
    refund(
        ChargePeriodStart="2026-01-11T00:00:00Z",
        ChargePeriodEnd="2026-01-11T00:15:00Z",
        **FEBRUARY,
    ),
    credit(),
    oss(BilledCost="2.00", EffectiveCost="2.00", ListCost="2.00"),
]
#: (month, billed, correction, credit, net) in micro-units, and the lines, by hand.
BY_MONTH = [
    (pd.Timestamp("2026-01-01"), 76_650_000, -10_950_000, -5_000_000, 60_700_000, 4),
    (pd.Timestamp("2026-02-01"), 21_900_000, 0, 0, 21_900_000, 1),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The mixed export as a FOCUS 1.2 CSV file and as a Parquet file with typed times."""
    folder = tmp_path_factory.mktemp("bills")
    csv = write(table(ROWS, "1.2"), folder / "bill.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = read_focus(csv)
    rows.attrs = {}
    parquet = folder / "parquet"
    parquet.mkdir()
    rows.iloc[:4].to_parquet(parquet / "part-0.parquet", row_group_size=2)
    rows.iloc[4:].to_parquet(parquet / "part-1.parquet", row_group_size=2)
    return csv, parquet


def _by_month(result):
    table = result.by_month
    return [
        (m, b, c, k, b + c + k, n)
        for m, b, c, k, n in zip(
            table["month"],
            table["billed_micros"],
            table["correction_micros"],
            table["credit_micros"],
            table["lines"],
            strict=True,
        )
    ]


def _check(result):
    assert _by_month(result) == BY_MONTH
    assert result.by_month["net_billed_cost"].tolist() == [60.70, 21.90]
    # corrections and credits are not differences
    assert result.by_month["difference_micros"].tolist() == [0, 0]
    assert result.by_month["match"].tolist() == [2, 1]
    assert result.by_month["correction"].tolist() == [1, 0]
    assert result.by_month["credit"].tolist() == [1, 0]
    # the ECS and OSS rows are set aside, not "unmapped" PAI lines
    assert result.unmapped.empty
    assert result.set_aside.values.tolist() == [
        ["Alibaba Cloud", "Object Storage Service", 2],
        ["Alibaba Cloud", "Elastic Compute Service", 1],
    ]
    assert result.focus_version == "1.2"
    text = "\n".join(result.notes)
    assert "FOCUS 1.2 export" in text
    assert (
        "3 rows of other services set aside (not PAI compute): Alibaba Cloud / Object"
        " Storage Service 2, Alibaba Cloud / Elastic Compute Service 1." in text
    )
    assert "1 corrections" in text and "1 credits" in text


def test_in_memory(export):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = reconcile(read_focus(export[0]), CATALOG)
    _check(result)
    lines = result.lines.set_index("cause")
    # the correction counts in January, the month it corrects, though billed in February
    assert lines.loc["correction", "month"] == pd.Timestamp("2026-01-01")
    assert lines.loc["correction", "billed_in"] == pd.Timestamp("2026-02-01")
    assert lines.loc["correction", "correction_micros"] == -10_950_000
    assert lines.loc["correction", "kit_list_micros"] == 0


def test_dask_on_a_local_cluster(export):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster),
    ):
        result = reconcile(read_focus(export[1], engine="dask"), CATALOG)
    _check(result)


@pytest.mark.parametrize("source", ["csv", "parquet"])
def test_streamed(export, source):
    path = export[0] if source == "csv" else export[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = reconcile_files(path, CATALOG)
    assert result.lines is None
    _check(result)


def test_an_export_of_other_services_only_says_so(tmp_path):
    path = write(table([ecs(), oss(), oss()], "1.1"), tmp_path / "bill.csv")
    message = (
        f"{path}: no Alibaba Cloud PAI rows: 3 rows of provider Alibaba Cloud / services"
        " Object Storage Service, Elastic Compute Service"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(UsageError) as in_memory:
            reconcile(read_focus(path), CATALOG)
        with pytest.raises(UsageError) as streamed:
            reconcile_files(path, CATALOG)
    assert in_memory.value.messages == [message]
    assert streamed.value.messages == [message]
