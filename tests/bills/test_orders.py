"""Orders priced against a catalog: the billing page's examples and every bad order."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from golden import golden_orders

from pai_model import OrderError, paths, price_orders, read_catalog
from pai_model.bills.focus_export import to_focus
from pai_model.cli import main
from pai_model.errors import InputError

EXAMPLES = golden_orders()


@pytest.fixture(scope="module")
def documented():
    return read_catalog(paths.DOCUMENTED_CATALOG)


def test_billing_page_examples_as_orders(documented):
    bill = price_orders(EXAMPLES, documented)
    # 157.88, 47,865.40 and 32.85 USD (billing page); total 157.88 + 47,865.40 + 32.85
    assert bill.lines["amount"].tolist() == [157.88, 47865.40, 32.85]
    assert bill.lines["formula"].tolist() == [
        "2 x 78.94 USD/month x 1 month = 157.88 USD",
        "2 x 23,932.70 USD/month x 1 month = 47,865.40 USD",
        "1 x 0.73 USD/minute x 45 minutes = 32.85 USD",
    ]
    assert bill.totals.to_dict("records") == [
        {
            "currency": "USD",
            "amount": 48056.13,
            "amount_minor": 4805613,
            "amount_decimals": 2,
            "lines": 3,
            "illustrative_lines": 0,
        }
    ]
    assert (bill.lines["provenance"] == "documented").all()


def test_orders_from_csv(tmp_path, documented):
    path = tmp_path / "orders.csv"
    EXAMPLES.to_csv(path, index=False)
    assert price_orders(path, documented).lines["amount"].tolist() == [157.88, 47865.40, 32.85]


def test_total_is_the_sum_of_rounded_lines_not_the_rounded_sum(documented):
    # three pay-as-you-go lines of 0.73 x 1 x 0.007 = 0.00511 each: each rounds to 0.01,
    # so the bill totals 0.03 (rounding the exact sum, 0.01533, would give 0.02)
    orders = pd.DataFrame(
        {
            "region_id": ["cn-wulanchabu"] * 3,
            "spec": ["ml.gu7xf.8xlarge-gu108"] * 3,
            "quantity": [1] * 3,
            "billing_method": ["payg"] * 3,
            "minutes": [0.007] * 3,
        }
    )
    bill = price_orders(orders, documented)
    assert bill.lines["amount"].tolist() == [0.01, 0.01, 0.01]
    assert bill.totals["amount"].tolist() == [0.03]


def test_illustrative_lines_are_counted():
    orders = pd.DataFrame(
        {
            "region_id": ["cn-beijing"],
            "spec": ["ecs.g7.xlarge-4c16g"],
            "quantity": [1],
            "billing_method": ["subscription"],
            "months": [1],
        }
    )
    bill = price_orders(orders, read_catalog())
    assert bill.lines["provenance"].tolist() == ["illustrative"]
    assert bill.totals["illustrative_lines"].tolist() == [1]


def order(**overrides):
    base = {
        "region_id": "cn-wulanchabu",
        "spec": "ml.gu7xf.8xlarge-gu108",
        "quantity": 1,
        "billing_method": "payg",
        "months": None,
        "minutes": 45,
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            order(region_id="eu-west-9"),
            "region_id = 'eu-west-9': not in the catalog (regions: cn-shanghai, cn-wulanchabu)",
        ),
        (
            order(region_id="cn-wulanchabo"),
            "region_id = 'cn-wulanchabo': not in the catalog; did you mean 'cn-wulanchabu'? (regions: cn-shanghai, cn-wulanchabu)",
        ),
        (order(spec="ml.nope"), "spec = 'ml.nope': not offered in cn-wulanchabu"),
        (
            order(spec="ml.gu7xf.8xlarge-gu18"),
            "spec = 'ml.gu7xf.8xlarge-gu18': not offered in cn-wulanchabu; did you mean 'ml.gu7xf.8xlarge-gu108'?",
        ),
        (
            order(quantity=0),
            "quantity = '0': must be a positive whole number of nodes (at most 100,000)",
        ),
        (
            order(quantity=1.5),
            "quantity = '1.5': must be a positive whole number of nodes (at most 100,000)",
        ),
        (order(quantity="two"), "quantity = 'two': not a number"),
        (
            order(region_id="cn-shanghai", spec="ecs.g7.xlarge-4c16g"),
            "billing_method = 'payg': pay-as-you-go is not offered for general computing resources (subscription only)",
        ),
        (
            order(
                spec="ml.gu7xf.c96m1600.8-gu108",
                billing_method="subscription",
                minutes=None,
                months=0.5,
            ),
            "months = '0.5': a subscription needs a positive whole number of months (at most 120)",
        ),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription", minutes=None),
            "months = '': a subscription needs a positive whole number of months (at most 120)",
        ),
        (
            order(minutes=None),
            "minutes = '': pay-as-you-go needs a positive number of minutes (at most 5,260,320)",
        ),
        (order(minutes=1.0001), "minutes = '1.0001': more than 3 decimal places"),
        (order(billing_method="spot"), "billing_method = 'spot': must be subscription or payg"),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108"),
            "spec = 'ml.gu7xf.c96m1600.8-gu108': no pay-as-you-go price in the catalog",
        ),
    ],
    ids=[
        "unknown-region",
        "close-region",
        "unknown-spec",
        "close-spec",
        "zero-quantity",
        "fractional-quantity",
        "text-quantity",
        "payg-on-general",
        "fractional-months",
        "missing-months",
        "missing-minutes",
        "too-precise-minutes",
        "unknown-method",
        "method-not-offered",
    ],
)
def test_bad_orders(documented, row, expected):
    # 5,260,320 minutes = 3,653 days (ten years with three leap days) x 1,440 (billing.MAX_MINUTES)
    with pytest.raises(OrderError) as caught:
        price_orders(pd.DataFrame([row]), documented)
    assert caught.value.messages == [f"orders: line 2: {expected}"]


def test_out_of_stock_cannot_be_purchased():
    catalog = read_catalog()
    gone = catalog[~catalog["in_stock"]].iloc[0]
    row = order(
        region_id=gone["region_id"],
        spec=gone["spec"],
        billing_method="subscription",
        minutes=None,
        months=1,
    )
    with pytest.raises(OrderError, match="subscription is out of stock; it cannot be purchased"):
        price_orders(pd.DataFrame([row]), catalog)


def test_stock_is_per_billing_method(documented):
    # the pay-as-you-go GU108 spec out of stock for pay-as-you-go only: its orders are
    # refused, the subscription spec's are still priced (2 x 23,932.70 x 1, billing page)
    catalog = documented.copy()
    catalog["payg_in_stock"] = catalog["spec"] != "ml.gu7xf.8xlarge-gu108"
    with pytest.raises(OrderError) as caught:
        price_orders(pd.DataFrame([order()]), catalog)
    assert caught.value.messages == [
        "orders: line 2: spec = 'ml.gu7xf.8xlarge-gu108': pay-as-you-go is out of stock; it cannot be purchased"
    ]
    subscription = order(
        spec="ml.gu7xf.c96m1600.8-gu108",
        billing_method="subscription",
        quantity=2,
        minutes=None,
        months=1,
    )
    assert price_orders(pd.DataFrame([subscription]), catalog).lines["amount"].tolist() == [
        47865.40
    ]


def test_every_bad_order_is_listed(tmp_path, documented):
    # problems of the orders themselves and against the catalog together, by line
    path = tmp_path / "orders.csv"
    path.write_text(
        "region_id,spec,quantity,billing_method,minutes\n"
        "nowhere,ml.gu7xf.8xlarge-gu108,1,payg,45\n"
        "# a comment line is not an order\n"
        "cn-wulanchabu,ml.gu7xf.8xlarge-gu108,1,payg,45\n"
        "cn-wulanchabu,ml.gu7xf.8xlarge-gu108,-1,payg,-5\n"
    )
    with pytest.raises(OrderError) as caught:
        price_orders(path, documented)
    assert caught.value.messages == [
        f"{path}: line 2: region_id = 'nowhere': not in the catalog (regions: cn-shanghai,"
        " cn-wulanchabu)",
        f"{path}: line 5: minutes = '-5': pay-as-you-go needs a positive number of minutes (at most 5,260,320)",
        f"{path}: line 5: quantity = '-1': must be a positive whole number of nodes (at most 100,000)",
    ]


def test_missing_columns(documented):
    with pytest.raises(OrderError) as caught:
        price_orders(
            pd.DataFrame({"region_id": ["x"], "spec": ["y"], "billing_method": ["payg"]}),
            documented,
        )
    assert caught.value.messages == ["orders: missing required column 'quantity'"]


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
        "CNY": 54,
        "USD": 15789,
    }
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
        {
            "region_id": public["region_id"],
            "spec": public["spec"],
            "quantity": 3,
            "billing_method": "payg",
            "months": None,
            "minutes": 1234.567,
        }
    )
    lines = price_orders(orders, table).lines
    for line in lines.itertuples():
        quote = price_order(line.region_id, line.spec, 3, minutes="1234.567")
        assert quote.amount == Decimal(int(line.amount_minor)).scaleb(-int(line.amount_decimals))
        assert quote.formula == line.formula


DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)


def _orders(quantity=(2,), months=None):
    base = {
        "region_id": "cn-shanghai",
        "spec": "ecs.g7.xlarge-4c16g",
        "quantity": quantity,
        "billing_method": "subscription",
        "months": [1] * len(quantity) if months is None else months,
    }
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    "quantity",
    [[True], [np.True_], [True, 2], pd.array([True], dtype="boolean"), ["true"], ["false"]],
    ids=["bool", "numpy-bool", "bool-among-ints", "boolean-dtype", "text-true", "text-false"],
)
def test_boolean_quantity_refused_naming_column_and_value(quantity):
    with pytest.raises(OrderError) as error:
        price_orders(_orders(quantity=quantity), DOCUMENTED)
    message = error.value.messages[0]
    assert message.startswith("orders: line 2: quantity = ")
    assert "'True'" in message or "'true'" in message or "'false'" in message


def test_boolean_months_refused():
    with pytest.raises(OrderError, match="months = 'True'"):
        price_orders(_orders(months=[True]), DOCUMENTED)


def test_whole_numbers_among_objects_still_priced():
    # 2 x 78.94 = 157.88 and 1 x 78.94 (the billing page's example price)
    bill = price_orders(_orders(quantity=pd.Series([2, 1], dtype=object)), DOCUMENTED)
    assert bill.lines["amount_minor"].tolist() == [15_788, 7_894]


#: The billing page's general offer (78.94 USD/month) on 2 nodes, for 11 and 12 months.
TERMS = pd.DataFrame(
    {
        "region_id": ["cn-shanghai", "cn-shanghai"],
        "spec": ["ecs.g7.xlarge-4c16g", "ecs.g7.xlarge-4c16g"],
        "quantity": [2, 2],
        "billing_method": ["subscription", "subscription"],
        "months": [11, 12],
        "minutes": [None, None],
    }
)


def test_a_subscription_of_no_buyable_term_is_refused_as_a_quote_refuses_it(documented):
    with pytest.raises(OrderError) as refused:
        price_orders(TERMS, documented)
    (problem,) = refused.value.problems
    assert (problem.line, problem.column, problem.value) == (2, "months", "11")
    assert problem.message.endswith(
        "the nearest are 9 months or 1 year (or buy 11 months as 9 + 2)"
    )
    # the terms given: 2 x 78.94 x 11 = 1,736.68 and 2 x 78.94 x 12 = 1,894.56 by hand
    bill = price_orders(TERMS, documented, buyable_months="1-12")
    assert bill.lines["amount"].tolist() == [1736.68, 1894.56]


def test_bill_command_refuses_an_unbuyable_term_unless_told(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    TERMS.to_csv(orders, index=False)
    argv = ["bill", str(orders), "--catalog", "documented", "--format", "json"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "months = '11': a subscription of 11 months cannot be bought" in err
    assert main([*argv, "--buyable-months", "1-12"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert [line["amount"] for line in lines] == ["1736.68", "1894.56"]
