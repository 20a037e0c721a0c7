"""Orders priced against a catalog: the billing page's examples and every bad order."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model import OrderError, paths, price_orders, read_catalog

EXAMPLES = pd.DataFrame(
    {
        "region_id": ["cn-shanghai", "cn-wulanchabu", "cn-wulanchabu"],
        "spec": ["ecs.g7.xlarge-4c16g", "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108"],
        "quantity": [2, 2, 1],
        "billing_method": ["subscription", "subscription", "payg"],
        "months": [1, 1, None],
        "minutes": [None, None, 45],
    }
)


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
        {"region_id": ["cn-beijing"], "spec": ["ecs.g7.xlarge-4c16g"], "quantity": [1],
         "billing_method": ["subscription"], "months": [1]}
    )  # fmt: skip
    bill = price_orders(orders, read_catalog())
    assert bill.lines["provenance"].tolist() == ["illustrative"]
    assert bill.totals["illustrative_lines"].tolist() == [1]


def order(**overrides):
    base = {"region_id": "cn-wulanchabu", "spec": "ml.gu7xf.8xlarge-gu108", "quantity": 1,
            "billing_method": "payg", "months": None, "minutes": 45}  # fmt: skip
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (order(region_id="eu-west-9"), "region_id = 'eu-west-9': not in the catalog (regions: cn-shanghai, cn-wulanchabu)"),
        (order(region_id="cn-wulanchabo"), "region_id = 'cn-wulanchabo': not in the catalog; did you mean 'cn-wulanchabu'? (regions: cn-shanghai, cn-wulanchabu)"),
        (order(spec="ml.nope"), "spec = 'ml.nope': not offered in cn-wulanchabu"),
        (order(spec="ml.gu7xf.8xlarge-gu18"), "spec = 'ml.gu7xf.8xlarge-gu18': not offered in cn-wulanchabu; did you mean 'ml.gu7xf.8xlarge-gu108'?"),
        (order(quantity=0), "quantity = '0': must be a positive whole number of nodes (at most 100,000)"),
        (order(quantity=1.5), "quantity = '1.5': must be a positive whole number of nodes (at most 100,000)"),
        (order(quantity="two"), "quantity = 'two': not a number"),
        (
            order(region_id="cn-shanghai", spec="ecs.g7.xlarge-4c16g"),
            "billing_method = 'payg': pay-as-you-go is not offered for general computing resources (subscription only)",
        ),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription", minutes=None, months=0.5),
            "months = '0.5': a subscription needs a positive whole number of months (at most 120)",
        ),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription", minutes=None),
            "months = '': a subscription needs a positive whole number of months (at most 120)",
        ),
        (order(minutes=None), "minutes = '': pay-as-you-go needs a positive number of minutes (at most 5,260,320)"),
        (order(minutes=1.0001), "minutes = '1.0001': more than 3 decimal places"),
        (order(billing_method="spot"), "billing_method = 'spot': must be subscription or payg"),
        (order(spec="ml.gu7xf.c96m1600.8-gu108"), "spec = 'ml.gu7xf.c96m1600.8-gu108': no pay-as-you-go price in the catalog"),
    ],
    ids=[
        "unknown-region", "close-region", "unknown-spec", "close-spec", "zero-quantity",
        "fractional-quantity", "text-quantity", "payg-on-general", "fractional-months",
        "missing-months", "missing-minutes", "too-precise-minutes", "unknown-method",
        "method-not-offered",
    ],
)  # fmt: skip
def test_bad_orders(documented, row, expected):
    # 5,260,320 minutes = 3,653 days (ten years with three leap days) x 1,440 (billing.MAX_MINUTES)
    with pytest.raises(OrderError) as caught:
        price_orders(pd.DataFrame([row]), documented)
    assert caught.value.messages == [f"orders: line 2: {expected}"]


def test_out_of_stock_cannot_be_purchased():
    catalog = read_catalog()
    gone = catalog[~catalog["in_stock"]].iloc[0]
    row = order(region_id=gone["region_id"], spec=gone["spec"], billing_method="subscription",
                minutes=None, months=1)  # fmt: skip
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
    subscription = order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription",
                         quantity=2, minutes=None, months=1)  # fmt: skip
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
