"""``pai-cost reconcile`` on real-shaped exports (SYNTHETIC rows, tests/focus_cases.py):
corrections and credits in their own columns, exact; the rows of other services set aside
in one line; another provider's file refused in one line with exit status 2."""

from __future__ import annotations

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from cli_runs import run_main
from focus_cases import FEBRUARY, credit, ecs, oss, refund, row, table, write

from pai_model import paths
from pai_model.cli import main

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)


def test_corrections_and_credits_by_month_in_json(tmp_path, capsys):
    rows = [
        row(),  # 45 x 0.73 = 32.85 in January
        ecs(),
        oss(),
        # February's bill refunds 15 minutes of January: -15 x 0.73 = -10.95
        refund(**FEBRUARY),
        credit(),
    ]
    path = write(table(rows, "1.1"), tmp_path / "bill.csv")
    status, out, err = run_main(
        capsys, "reconcile", path, "--catalog", DOCUMENTED, "--by", "month", "--format", "json"
    )
    assert status == 0, err
    (january,) = json.loads(out)  # the correction counts in January, the month it corrects
    assert january["month"].startswith("2026-01-01")
    # by hand: net = 32.85 - 10.95 - 5.00 = 16.90; no difference from the kit's price
    assert (january["billed_cost"], january["correction_cost"], january["credit_cost"]) == (
        "32.85",
        "-10.95",
        "-5.00",
    )
    assert january["net_billed_cost"] == "16.90" and january["difference"] == "0.00"
    assert "pai-cost: note: FOCUS 1.1 export" in err
    notes = [line for line in err.splitlines() if "set aside" in line]
    assert notes == [
        "pai-cost: note: 3 Alibaba Cloud PAI lines; 2 rows of other services set aside (not"
        " PAI compute): Alibaba Cloud / Elastic Compute Service 1, Alibaba Cloud / Object"
        " Storage Service 1."
    ]


def test_another_providers_file_is_one_line_and_status_2(tmp_path, capsys):
    aws = {
        "ProviderName": "Amazon Web Services",
        "PublisherName": "Amazon Web Services",
        "InvoiceIssuerName": "Amazon Web Services",
        "ServiceName": "Amazon EC2",
        "ServiceCategory": "Compute",
        "SkuId": "t3.micro",
        "RegionId": "us-east-1",
        "x_CommodityCode": None,
    }
    path = write(table([row(**aws), row(**aws)], "1.2"), tmp_path / "aws.csv")
    for extra in ([], ["--engine", "dask"]):
        status, out, err = run_main(capsys, "reconcile", path, "--catalog", DOCUMENTED, *extra)
        assert status == 2 and out == ""
        # the catalog's age and the file's FOCUS deviations are notes; one problem, under
        # the heading every usage error has
        assert [line for line in err.splitlines() if "error" in line] == [
            f"pai-cost: error: 1 problem in {path}:",
            f"pai-cost: error: {path}: no Alibaba Cloud PAI rows: 2 rows of provider Amazon"
            " Web Services / services Amazon EC2",
        ]


@pytest.fixture(scope="module")
def cny_bill(tmp_path_factory):
    table = pd.read_csv(
        paths.SAMPLE_DIR / "focus_sample.csv", dtype=str, keep_default_na=False, skiprows=1
    )
    table["BillingCurrency"] = "CNY"
    path = tmp_path_factory.mktemp("bills") / "cny_bill.csv"
    table.to_csv(path, index=False)
    return path, table


def test_mixed_currencies_refused_in_one_line(cny_bill, capsys):
    assert main(["reconcile", str(cny_bill[0])]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("pai-cost: error: ")
    assert "cny_bill.csv is in CNY" in err and "demo.csv is in USD" in err
    assert "--fx CNY/USD=" in err


def test_fx_converts_exactly_and_shows_the_rate(cny_bill, capsys):
    path, table = cny_bill
    argv = ["reconcile", str(path), "--fx", "CNY/USD=0.14", "--by", "line", "--format", "csv"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    lines = pd.read_csv(io.StringIO(out), dtype=str)
    assert set(lines["exchange_rate"]) == {"1 CNY = 0.14 USD"}
    assert "exchange rate 1 CNY = 0.14 USD" in err
    mapped = lines["cause"] != "unmapped"
    assert set(lines.loc[mapped, "currency"]) == {"USD"}
    # each mapped line's ListCost x 0.14, rounded half up to the cent by Python's decimal
    usage = table[table["ChargeCategory"] == "Usage"].reset_index(drop=True)
    expected = [
        str((Decimal(c) * Decimal("0.14")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for c in usage["ListCost"]
    ]
    assert lines.loc[mapped, "billed_list_cost"].tolist() == [
        e for e, m in zip(expected, mapped, strict=True) if m
    ]
    # the first line by hand: 8353.19 CNY x 0.14 = 1169.4466 -> 1169.45 USD
    assert usage.loc[0, "ListCost"] == "8353.19"
    assert lines.loc[0, "billed_list_cost"] == "1169.45"


@pytest.mark.parametrize("rate", ["CNY/USD=1e-1", "CNY/USD=0_14", "CNY/USD=0", "CNY/USD=nan"])
def test_bad_rate_is_one_line_exit_2(cny_bill, rate, capsys):
    assert main(["reconcile", str(cny_bill[0]), "--fx", rate]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pai-cost: error: --fx: ") and "\n" not in err
