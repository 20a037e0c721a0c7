"""BssOpenApi DescribeInstanceBill read as FOCUS rows (``fetch_instance_bills``, ``pai-cost
usage bills``), against the fake OpenAPI server (real HTTP, the official SDK).

Expected values are worked out by hand in the comments, from the SYNTHETIC sample
response (pai_model/data/samples/describe_instance_bill_SYNTHETIC.json) and generated items.
"""

from __future__ import annotations

import calendar
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from fake_alibaba import FAST, bill_item

from pai_model import paths
from pai_model.account import bills as account_bills
from pai_model.account.bills import billing_cycles, fetch_instance_bills
from pai_model.account.calls import Caller
from pai_model.account.clients import Clients, default_credential
from pai_model.bills.reconcile import reconcile
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.focus import read_focus
from pai_model.errors import ApiError, InputError, UsageError

SAMPLE = paths.SAMPLE_DIR / "describe_instance_bill_SYNTHETIC.json"
DOCUMENTED = str(paths.DOCUMENTED_CATALOG)

pytestmark = pytest.mark.usefixtures("credentials")


def sample_items():
    body = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert body.pop("_synthetic").startswith("SYNTHETIC")
    return body


def serve_sample(fake, day=None):
    """Serve the sample's items on their day (or on ``day``)."""
    data = sample_items()["Data"]
    fake.bill_account = {"AccountID": data["AccountID"], "AccountName": data["AccountName"]}
    for item in data["Items"]:
        fake.bill_items[day or item["BillingDate"]].append(
            {**item, "BillingDate": day or item["BillingDate"]}
        )


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    """The command line asks for cycles of today's last 18: today is fixed at 2026-04-15."""
    frozen_clock(account_bills)


def recent_cycles(count):
    """The ``count`` billing cycles before 2026-04 (the frozen clock's), oldest first."""
    return ["2026-01", "2026-02", "2026-03"][3 - count :]


def read(fake, start="2026-03", end="2026-03", today=date(2026, 3, 6), **options):
    clients = Clients(default_credential(), {"bss": fake.endpoint})
    caller = Caller(max_rate=1000, base_backoff=0.001)
    return fetch_instance_bills(start, end, clients=clients, caller=caller, today=today, **options)


def test_the_sample_response_reads_as_focus_rows(fake):
    serve_sample(fake)
    rows = read(fake, catalog=read_catalog(paths.DOCUMENTED_CATALOG), site="intl")
    assert rows["ListCost"].tolist() == ["32.85", "109.5", "0.01", "0.02", "23932.7"]
    # PretaxAmount: 32.85 - 3.29 discount = 29.56; 109.50 - 9.50 coupon = 100
    assert rows["BilledCost"].tolist() == ["29.56", "100", "0.01", "0.02", "23932.7"]
    # AfterDiscountAmount: list less the discount, the coupon not deducted
    assert rows["ContractedCost"].tolist() == ["29.56", "109.5", "0.01", "0.02", "23932.7"]
    assert rows["PricingQuantity"].tolist() == ["45", "2.5", "1.25", "100", "1"]
    assert rows["PricingUnit"].tolist() == ["Minutes", "Hours", "Minutes", "GB", "Months"]
    # the DLC line's price is per hour but its usage in minutes: no unit price
    assert rows["ListUnitPrice"].fillna("").tolist() == ["0.73", "43.8", "", "0.0002", "23932.7"]
    assert rows["RegionId"].tolist() == [
        "cn-wulanchabu",
        "cn-wulanchabu",
        "cn-shanghai",
        "ap-southeast-1",
        "cn-wulanchabu",
    ]
    assert rows["ChargeCategory"].tolist() == ["Usage"] * 4 + ["Purchase"]
    assert rows["PricingCategory"].tolist() == ["Standard"] * 4 + ["Committed"]
    assert rows.loc[4, "CommitmentDiscountId"] == "subscription/synthetic-lingjun-sub-1"
    # 2026-03-05 00:00 in Beijing time (UTC+8) is 2026-03-04 16:00 UTC; the cycle
    # 2026-03 runs from 2026-02-28 16:00 to 2026-03-31 16:00 UTC
    assert set(rows["ChargePeriodStart"]) == {pd.Timestamp("2026-03-04 16:00")}
    assert set(rows["ChargePeriodEnd"]) == {pd.Timestamp("2026-03-05 16:00")}
    assert set(rows["BillingPeriodStart"]) == {pd.Timestamp("2026-02-28 16:00")}
    assert set(rows["BillingPeriodEnd"]) == {pd.Timestamp("2026-03-31 16:00")}
    assert json.loads(rows.loc[0, "Tags"]) == {"team": "nlp", "env": "prod"}
    assert rows.loc[0, "BillingAccountId"] == "5000000000000001"
    assert rows.loc[0, "x_BillingItemCode"] == "ComputingInstance"
    assert rows.loc[1, "x_DeductedByCoupons"] == "9.5"
    assert rows.attrs["unmapped"] == [
        {
            "region_id": "ap-southeast-1",
            "spec": "",
            "reason": "no spec (SkuId is empty)",
            "rows": 1,
            "list_cost": 0.02,
            "currency": "USD",
        },
        {
            "region_id": "cn-shanghai",
            "spec": "ecs.g6.2xlarge",
            "reason": "spec not in the catalog for this region",
            "rows": 1,
            "list_cost": 0.01,
            "currency": "USD",
        },
    ]
    # one request a day, 1 to 6 March (today is the 6th)
    calls = fake.calls("DescribeInstanceBill")
    assert [c["query"]["BillingDate"] for c in calls] == [f"2026-03-0{d}" for d in range(1, 7)]
    first = calls[0]["query"]
    assert (first["Granularity"], first["IsBillingItem"], first["MaxResults"]) == (
        "DAILY",
        "True",
        "300",
    )  # IsBillingItem as the SDK writes a Python bool
    assert rows.attrs["requests"] == 6


def test_the_sample_body_reads_into_the_sdk_model():
    from alibabacloud_bssopenapi20171214 import models

    body = sample_items()
    assert models.DescribeInstanceBillResponseBody().from_map(body).to_map() == body


def test_the_file_written_is_the_table_read_and_reconciles(fake, capsys, tmp_path):
    cycle = recent_cycles(1)[0]
    serve_sample(fake, f"{cycle}-05")
    out = tmp_path / "bills.csv"
    status = main(fake.usage_args("bills", "--start", cycle, "--catalog", DOCUMENTED, out=out))
    captured = capsys.readouterr()
    assert status == 0, captured.err
    # list 32.85 + 109.5 + 0.01 + 0.02 + 23932.7 = 24075.08; billed 29.56 + 100 + 0.01 +
    # 0.02 + 23932.7 = 24062.29
    assert "wrote 5 bill lines" in captured.out
    assert "list 24075.08 USD, billed 24062.29 USD" in captured.out
    assert "ecs.g6.2xlarge spec not in the catalog for this region" in captured.out
    assert "UNCONFIRMED" in captured.err
    rows = read_focus(out)
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    result = reconcile(rows, catalog)
    # 45 min x 0.73 = 32.85 and 2.5 h = 150 min x 0.73 = 109.50 match; the PAI spec the
    # catalog lacks is unmapped; the OSS item is not PAI's: set aside, not a PAI line;
    # the subscription order is a Purchase, not a usage line
    assert result.lines["cause"].tolist() == ["match", "match", "unmapped"]
    assert result.set_aside.values.tolist() == [["Alibaba Cloud", "Object Storage Service", 1]]
    assert result.lines["kit_list_cost"].tolist()[:2] == [32.85, 109.5]
    parquet = tmp_path / "bills.parquet"
    assert main(fake.usage_args("bills", "--start", cycle, out=parquet)) == 0
    again = read_focus(parquet)
    assert again["ListCost"].tolist() == rows["ListCost"].tolist()
    assert (again["ChargePeriodStart"] == rows["ChargePeriodStart"]).all()


def test_every_page_of_every_day_is_read(fake):
    # 23 items on 2 March (pages of 10, 10 and 3) and 2 on 3 March; item i is i minutes at
    # 0.73 USD/minute
    for i in range(1, 24):
        fake.bill_items["2026-03-02"].append(
            bill_item(
                BillingDate="2026-03-02",
                InstanceID=f"i-{i}",
                Usage=str(i),
                PretaxGrossAmount=round(0.73 * i, 2),
                PretaxAmount=round(0.73 * i, 2),
            )
        )
    for i in (1, 2):
        fake.bill_items["2026-03-03"].append(
            bill_item(
                BillingDate="2026-03-03",
                Usage=str(i),
                PretaxGrossAmount=round(0.73 * i, 2),
                PretaxAmount=round(0.73 * i, 2),
            )
        )
    rows = read(fake, today=date(2026, 3, 4))
    assert len(rows) == 25
    # 0.73 x (1 + ... + 23) = 0.73 x 276 = 201.48; 0.73 x (1 + 2) = 2.19; 203.67 in all
    assert sum(Decimal(v) for v in rows["ListCost"]) == Decimal("203.67")
    tokens = [
        c["query"].get("NextToken")
        for c in fake.calls("DescribeInstanceBill")
        if c["query"]["BillingDate"] == "2026-03-02"
    ]
    assert tokens == [None, "tok-2026-03-02-10", "tok-2026-03-02-20"]
    # days 1 and 4: one empty page each; day 2: three; day 3: one
    assert rows.attrs["requests"] == 6


def test_region_names_of_either_site_become_region_ids(fake):
    fake.bill_items["2026-03-01"] += [
        bill_item(Region="华北6（乌兰察布）"),
        bill_item(Region="Mars (Olympus)", InstanceID="i-mars"),
        bill_item(Region="Singapore", InstanceID="i-sg"),
    ]
    rows = read(fake, today=date(2026, 3, 1))
    assert rows["RegionId"].fillna("").tolist() == ["cn-wulanchabu", "", "ap-southeast-1"]
    assert rows["RegionName"].tolist()[1] == "Mars (Olympus)"
    assert any("'Mars (Olympus)' (1 lines)" in n for n in rows.attrs["notes"])
    # a region filter keeps its lines and those of unknown regions (they cannot be told)
    kept = read(fake, today=date(2026, 3, 1), regions=["cn-wulanchabu"])
    assert kept["ResourceId"].tolist() == ["i-1", "i-mars"]
    assert any("1 lines of other regions left out" in n for n in kept.attrs["notes"])


def test_the_bill_timezone_is_a_parameter(fake):
    fake.bill_items["2026-03-01"].append(bill_item())
    rows = read(fake, today=date(2026, 3, 1), bill_timezone="UTC")
    assert rows.loc[0, "ChargePeriodStart"] == pd.Timestamp("2026-03-01 00:00")
    assert rows.loc[0, "BillingPeriodEnd"] == pd.Timestamp("2026-04-01 00:00")
    assert "days in UTC" in rows.attrs["notes"][0]


def test_malformed_items_are_each_named(fake):
    fake.bill_items["2026-03-01"] += [
        bill_item(PretaxAmount="abc"),
        bill_item(Item="Gift"),
        bill_item(BillingDate="05/03/2026"),
        bill_item(Currency="usd"),
        {k: v for k, v in bill_item().items() if k != "PretaxGrossAmount"},
        bill_item(Usage="", UsageUnit=""),
        bill_item(),
    ]
    with pytest.raises(UsageError) as caught:
        read(fake, today=date(2026, 3, 1))
    assert caught.value.messages == [
        "DescribeInstanceBill 2026-03-01 item 1: PretaxAmount = 'abc': not a number",
        "DescribeInstanceBill 2026-03-01 item 2: Item = 'Gift': not an Item the kit knows"
        " (PayAsYouGoBill, SubscriptionOrder, Refund, Adjustment)",
        "DescribeInstanceBill 2026-03-01 item 3: BillingDate = '05/03/2026': not a date YYYY-MM-DD",
        "DescribeInstanceBill 2026-03-01 item 4: Currency = 'usd': not a currency code such as"
        " CNY or USD",
        "DescribeInstanceBill 2026-03-01 item 5: PretaxGrossAmount: missing",
        "DescribeInstanceBill 2026-03-01 item 6: Usage = '': missing, and no ServicePeriod"
        " either: the quantity billed is unknown",
    ]


def test_a_body_that_is_not_json_and_a_looping_token_fail_clearly(fake):
    fake.faults["bss:DescribeInstanceBill"] = ["malformed"]
    with pytest.raises(ApiError, match="DescribeInstanceBill: MalformedResponse"):
        read(fake, today=date(2026, 3, 1))
    fake.bill_items["2026-03-01"] = [bill_item() for _ in range(12)]
    fake.bill_token_loops = True
    with pytest.raises(ApiError, match="came back twice"):
        read(fake, today=date(2026, 3, 1))


def test_throttling_and_5xx_are_retried(fake):
    fake.bill_items["2026-03-01"].append(bill_item())
    fake.faults["bss:DescribeInstanceBill"] = ["throttle", "throttle200", "unavailable"]
    rows = read(fake, today=date(2026, 3, 1))
    assert rows["ListCost"].tolist() == ["32.85"]
    assert len(fake.calls("DescribeInstanceBill")) == 4  # three refused, one answered


def test_an_invalid_cycle_refused_by_the_server_is_one_line(fake, capsys, tmp_path):
    cycle = recent_cycles(1)[0]
    fake.oldest_cycle = "2999-01"
    status = main(fake.usage_args("bills", "--start", cycle, out=tmp_path / "b.csv"))
    err = capsys.readouterr().err
    assert status == 2
    assert (
        f"pai-cost: error: DescribeInstanceBill: InvalidParameter HTTP 400: BillingCycle {cycle}"
        in err
    )
    assert "Traceback" not in err and not (tmp_path / "b.csv").exists()


def test_the_18_cycle_limit_is_checked_at_the_door():
    # on 30 November 2026 the last 18 cycles are 2025-06 to 2026-11
    today = date(2026, 11, 30)
    assert billing_cycles("2025-06", "2025-07", today=today) == ["2025-06", "2025-07"]
    with pytest.raises(
        InputError,
        match="2025-05 is more than 18 billing cycles back;"
        " DescribeInstanceBill keeps the last 18 \\(2025-06 to 2026-11\\)",
    ):
        billing_cycles("2025-05", "2025-06", today=today)
    with pytest.raises(InputError, match="after the current billing cycle 2026-11"):
        billing_cycles("2026-11", "2026-12", today=today)
    with pytest.raises(InputError, match="before the start"):
        billing_cycles("2026-03", "2026-01", today=today)
    with pytest.raises(InputError, match="not a billing cycle"):
        billing_cycles("2026-3", "2026-03", today=today)


def test_bills_of_three_months_are_backtested(fake, capsys, tmp_path):
    # every day of three cycles, one node for 8 hours: 480 minutes x 0.73 = 350.40 USD
    cycles = recent_cycles(3)
    for cycle in cycles:
        for day in pd.date_range(f"{cycle}-01", periods=31).strftime("%Y-%m-%d"):
            if day.startswith(cycle):
                fake.bill_items[day].append(
                    bill_item(
                        BillingDate=day,
                        Usage="480",
                        PretaxGrossAmount=350.4,
                        AfterDiscountAmount=350.4,
                        PretaxAmount=350.4,
                    )
                )
    out = tmp_path / "bills.csv"
    assert main(fake.usage_args("bills", "--start", cycles[0], "--end", cycles[-1], out=out)) == 0
    days = sum(len(v) for v in fake.bill_items.values())
    assert f"wrote {days} bill lines" in capsys.readouterr().out
    status = main(["backtest", str(out), "--catalog", DOCUMENTED, "--format", "csv"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    folds = pd.read_csv(io.StringIO(captured.out))
    assert set(folds["hardware"]) == {"gu7xf-8xGU108"} and len(folds) == 2
    # A billing day's 8 hours run 16:00-24:00 UTC of the day before (Beijing time), so a
    # UTC month M holds the jobs of billing days 2..end of M and day 1 of M+1: as many as
    # M has days. The history starts on the last day of the month before the first cycle
    # and ends within the last cycle, so the months tested are the
    # first two cycles: all pay-as-you-go is days x 350.40 (30 days: 10,512.00; 31: 10,862.40).
    # 8 h/day is below the pair's 17.96 h/day break-even: no node is worth subscribing,
    # in the plan or in hindsight.
    assert [str(t)[:7] for t in folds["test_start"]] == cycles[:2]
    for fold in folds.itertuples():
        start = pd.Timestamp(fold.test_start)
        days = calendar.monthrange(start.year, start.month)[1]
        assert Decimal(str(fold.all_payg_cost)) == days * Decimal("350.40")
        assert (fold.recommended_nodes, fold.hindsight_nodes, fold.regret) == (0, 0, 0)


FORTY_DIGITS = 10**39 + 7  # 1 followed by 35 zeros, then 0007: 40 digits


@pytest.fixture
def served(fake, monkeypatch, tmp_path):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))
    return fake, recent_cycles(1)[0]


def bills(fake, cycle, tmp_path, capsys, **fields) -> tuple[int, str, Path]:
    fake.bill_items[f"{cycle}-01"].append(bill_item(**{"BillingDate": f"{cycle}-01", **fields}))
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
