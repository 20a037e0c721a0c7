"""The one money formatter: text for people, plain decimal text for files, every digit exact.

Expected strings are written out by hand (the billing page's 47,865.40 USD, 0.73 USD/minute
and 78.94 USD/month) or built with Python's ``decimal`` from the integer they stand for.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pai_model
from pai_model import paths
from pai_model.cli import main
from pai_model.formulas.money_text import (
    format_formula,
    format_minor,
    format_money,
    format_price,
    money_table,
)

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
#: Plain decimal text at a currency's or a price's precision: what CSV and JSON carry.
PLAIN = re.compile(r"-?[0-9]+\.[0-9]{2,6}")


@pytest.mark.parametrize(
    ("amount", "grouping", "expected"),
    [
        (47865.4, True, "47,865.40"),  # the billing page's Lingjun subscription
        (47865.4, False, "47865.40"),
        (Decimal("47865.40"), True, "47,865.40"),
        (0.0, False, "0.00"),
        (-0.05, True, "-0.05"),
        (Decimal("120000000000000000000.01"), True, "120,000,000,000,000,000,000.01"),
        (float("nan"), True, ""),
        (None, False, ""),
    ],
)
def test_format_money(amount, grouping, expected):
    assert format_money(amount, grouping=grouping) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**40), 10**40))
def test_minor_units_are_written_digit_for_digit(units):
    # the amount is units / 100 exactly: whole part and cents by integer division
    whole, cents = divmod(abs(units), 100)
    expected = f"{'-' if units < 0 else ''}{whole}.{cents:02d}"
    assert format_minor(units, grouping=False) == expected
    assert format_minor(units).replace(",", "") == expected


@pytest.mark.parametrize(
    ("micros", "expected"),
    [(12_500, "0.0125"), (32_850_000, "32.85"), (42_000, "0.042"), (500_000, "0.50"), (0, "0.00")],
)
def test_micro_units_keep_at_least_the_cent_and_every_digit(micros, expected):
    # DLC examples: 0.6 USD/hour for 1.25 minutes = 0.0125 USD; 2.02 CNY/hour = 0.042 CNY
    assert format_minor(micros, 6, grouping=False, places=2) == expected


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (78.94, "78.94"),  # ecs.g7.xlarge-4c16g, USD/month
        (23932.7, "23,932.70"),
        (0.73, "0.73"),
        (0.012345, "0.012345"),
        (3.24 / 60, "0.054"),  # float noise 0.054000000000000006 is not written
        (0.81 / 60, "0.0135"),  # 0.013500000000000002 as a float
    ],
)
def test_format_price(price, expected):
    assert format_price(price) == expected


def test_a_line_of_the_billing_page():
    assert (
        format_formula(1, 0.73, "USD/minute", 45, "minute", 32.85, "USD")
        == "1 x 0.73 USD/minute x 45 minutes = 32.85 USD"
    )


def test_money_table_writes_money_and_prices_and_leaves_the_rest():
    table = pd.DataFrame(
        {
            "spec": ["ml.gu7xf.8xlarge-gu108"],
            "unit_price": [0.73],
            "amount": [32.85],
            "amount_minor": [3285],
            "savings_percent": [4.999979],
            "minutes": [45.0],
            "plan_cost": [np.nan],
        }
    )
    shown = money_table(table, grouping=False)
    assert shown.columns.tolist() == [
        "spec",
        "unit_price",
        "amount",
        "savings_percent",
        "minutes",
        "plan_cost",
    ]
    assert shown.iloc[0].tolist() == ["ml.gu7xf.8xlarge-gu108", "0.73", "32.85", 4.999979, 45.0, ""]


def test_a_total_past_float_precision_is_written_from_its_cents():
    # 2**63 + 1 cents: the float of the amount would print 92233720368547758.08
    cents = 2**63 + 1
    table = pd.DataFrame({"amount": [float(cents) / 100], "amount_minor": [cents]}, dtype=object)
    assert money_table(table).iloc[0, 0] == "92,233,720,368,547,758.09"


def test_no_money_is_formatted_inline_in_the_package():
    # every amount goes through money_text; charts use its d3 format (HOVER_MONEY). Hours
    # (h/day, node-hours) are not money and keep their own formats.
    package = Path(pai_model.__file__).parent
    offenders = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in package.rglob("*.py")
        if path.name != "money_text.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ",.2f" in line and "hours" not in line
    ]
    assert offenders == []


def test_breakeven_csv_has_no_float_noise(capsys):
    # the demo catalog's ecs.c7.8xlarge public price is 3.24 USD/hour: 0.054 USD/minute
    assert main(["breakeven", "--format", "csv", "--region", "ap-northeast-1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    prices = [c for c in rows[0] if "price_per" in c]
    for row in rows:
        for column in prices:
            assert row[column] == "" or PLAIN.fullmatch(row[column]), (column, row[column])
    c7 = next(r for r in rows if r["hardware"] == "ecs.c7.8xlarge-32c64g")
    assert (c7["payg_price_per_minute"], c7["payg_price_per_hour"]) == ("0.054", "3.24")


def test_bill_json_carries_money_as_decimal_text(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "region_id,spec,quantity,billing_method,months,minutes\n"
        "cn-wulanchabu,ml.gu7xf.c96m1600.8-gu108,2,subscription,1,\n"
    )
    assert main(["bill", str(orders), "--catalog", DOCUMENTED, "--format", "json"]) == 0
    (line,) = json.loads(capsys.readouterr().out)
    # 2 x 23,932.70 = 47,865.40 (billing page)
    assert (line["amount"], line["unit_price"]) == ("47865.40", "23932.70")
    assert "amount_minor" not in line


def test_bill_decimals_of_public_resources():
    from pai_model.errors import InputError
    from pai_model.formulas.money_text import bill_decimals

    # Alibaba's DLC examples show 0.0125 USD and 0.042 CNY: 4 and 3 places; the billing
    # page's node-spec examples (157.88, 47,865.40, 32.85 USD) are to the cent
    assert bill_decimals("public", "USD") == 4
    assert bill_decimals("public", "CNY") == 3
    assert bill_decimals("general", "USD") == bill_decimals("lingjun", "CNY") == 2
    assert bill_decimals("public", "CNY", 6) == 6
    assert bill_decimals("lingjun", "USD", 6) == 2
    for bad in (1, 7, 2.0, True, "3"):
        with pytest.raises(InputError, match="public_decimals"):
            bill_decimals("public", "USD", bad)
