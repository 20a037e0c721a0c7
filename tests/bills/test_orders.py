"""Bills of orders with public resources: lines and totals below the cent.

Golden values are Alibaba's worked examples, cited beside each; the catalog is written
here from those documented prices (and the billing page's general computing example).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from pai_model.bills.focus_export import to_focus
from pai_model.bills.orders import price_orders
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.errors import InputError

CATALOG = (
    "region_id,resource_type,spec,subscription_price_per_month,payg_price_per_hour,currency,"
    "in_stock,source,as_of\n"
    # the billing page: ecs.g7.xlarge-4c16g in Shanghai, 78.94 USD/month
    "cn-shanghai,general,ecs.g7.xlarge-4c16g,78.94,,USD,true,PAI billing page,2026-12-06\n"
    # PAI DLC billing (en): ecs.g6.2xlarge in Shanghai, 0.6 USD/hour
    "cn-shanghai,public,ecs.g6.2xlarge,,0.6,USD,true,PAI DLC billing (en),2026-12-06\n"
    # PAI DLC billing (zh): the same at 2.02 CNY/hour
    "cn-beijing,public,ecs.g6.2xlarge,,2.02,CNY,true,PAI DLC billing (zh),2026-12-06\n"
    # PAI DSW billing: DSW 2.0 ecs.g6.large at 0.05 CNY/hour
    "cn-hangzhou,public,ecs.g6.large,,0.05,CNY,true,PAI DSW billing,2026-12-06\n"
)
ORDERS = pd.DataFrame(
    {
        "region_id": ["cn-shanghai", "cn-shanghai", "cn-beijing", "cn-hangzhou"],
        "spec": ["ecs.g7.xlarge-4c16g", "ecs.g6.2xlarge", "ecs.g6.2xlarge", "ecs.g6.large"],
        "quantity": [2, 1, 1, 1],
        "billing_method": ["subscription", "payg", "payg", "payg"],
        "months": [1, None, None, None],
        "minutes": [None, 1.25, 1.25, 600],
    }
)


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_public_lines_and_totals_are_below_the_cent(catalog):
    bill = price_orders(ORDERS, read_catalog(catalog))
    exact = [
        Decimal(int(m)).scaleb(-int(d))
        for m, d in zip(bill.lines["amount_minor"], bill.lines["amount_decimals"], strict=True)
    ]
    # 2 x 78.94 = 157.88 USD (cents); DLC: 0.0125 USD, 0.042 CNY; DSW: 10 h x 0.05 = 0.5 CNY
    assert exact == [Decimal("157.88"), Decimal("0.0125"), Decimal("0.042"), Decimal("0.500")]
    assert bill.lines["formula"].tolist()[1] == (
        "1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.0125 USD"
    )
    totals = {
        row.currency: Decimal(int(row.amount_minor)).scaleb(-int(row.amount_decimals))
        for row in bill.totals.itertuples()
    }
    # 157.88 + 0.0125 = 157.8925 USD; 0.042 + 0.5 = 0.542 CNY
    assert totals == {"USD": Decimal("157.8925"), "CNY": Decimal("0.542")}


def test_public_decimals_parameter(catalog):
    bill = price_orders(ORDERS, read_catalog(catalog), public_decimals=2)
    # at the cent: 0.0125 -> 0.01 USD, 0.0420833 -> 0.04 CNY, 0.5 -> 0.50 CNY
    assert bill.lines["amount_minor"].tolist() == [15788, 1, 4, 50]
    assert bill.totals.set_index("currency")["amount_minor"].to_dict() == {
        "CNY": 54, "USD": 15789,
    }  # fmt: skip
    with pytest.raises(InputError, match="public_decimals"):
        price_orders(ORDERS, read_catalog(catalog), public_decimals=9)


def test_focus_rows_carry_the_sub_cent_amounts(catalog):
    bill = price_orders(ORDERS, read_catalog(catalog))
    rows = to_focus(bill.lines, period_start="2026-12-01")
    assert rows["BilledCost"].tolist() == ["157.88", "0.0125", "0.042", "0.50"]
    # billed per minute at the hourly price / 60: 0.6 / 60 = 0.01 USD per node-minute
    assert rows["ListUnitPrice"].tolist()[1] == "0.01"


def test_bill_command_prints_and_totals_below_the_cent(catalog, tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    ORDERS.to_csv(orders, index=False)
    argv = ["bill", str(orders), "--catalog", str(catalog), "--max-age-days", "9999"]
    assert main([*argv, "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert [line["amount"] for line in lines] == ["157.88", "0.0125", "0.042", "0.50"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "157.8925" in out and "0.542" in out
    assert "amount_decimals" not in out and "amount_minor" not in out


def test_public_bills_of_the_engine_equal_the_decimal_quote(tmp_path, monkeypatch):
    # every public offer of the embedded catalog: the vectorized engine (price_orders)
    # and the decimal quote (price_order) bill the same amount, formula and places
    from pai_model.bills.quotes import price_order

    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path))
    table = read_catalog()
    public = table[(table["resource_type"] == "public") & table["payg_in_stock"]]
    assert len(public) > 0
    orders = pd.DataFrame(
        {"region_id": public["region_id"], "spec": public["spec"], "quantity": 3,
         "billing_method": "payg", "months": None, "minutes": 1234.567}
    )  # fmt: skip
    lines = price_orders(orders, table).lines
    for line in lines.itertuples():
        quote = price_order(line.region_id, line.spec, 3, minutes="1234.567")
        assert quote.amount == Decimal(int(line.amount_minor)).scaleb(-int(line.amount_decimals))
        assert quote.formula == line.formula
