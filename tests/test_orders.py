"""Orders priced against a catalog: the billing page's examples and every bad order."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model import OrderError, load_catalog, paths, price_orders

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
    return load_catalog(paths.DOCUMENTED_CATALOG)


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
        {"currency": "USD", "amount": 48056.13, "lines": 3, "illustrative_lines": 0}
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
    bill = price_orders(orders, load_catalog())
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
        (order(region_id="eu-west-9"), "unknown region_id 'eu-west-9'"),
        (order(spec="ml.nope"), "unknown spec 'ml.nope' in region cn-wulanchabu"),
        (order(quantity=0), "quantity must be a positive whole number of nodes"),
        (order(quantity=1.5), "quantity must be a positive whole number of nodes"),
        (
            order(region_id="cn-shanghai", spec="ecs.g7.xlarge-4c16g"),
            "pay-as-you-go is not offered for general computing resources",
        ),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription", minutes=None, months=0.5),
            "months must be a positive whole number",
        ),
        (
            order(spec="ml.gu7xf.c96m1600.8-gu108", billing_method="subscription", minutes=None),
            "months must be a positive whole number",
        ),
        (order(minutes=None), "minutes must be a positive number"),
        (order(minutes=1.0001), "minutes has more than 3 decimal places"),
        (order(billing_method="spot"), "billing_method must be subscription or payg"),
        (order(spec="ml.gu7xf.c96m1600.8-gu108"), "no pay-as-you-go price in the catalog"),
    ],
    ids=[
        "unknown-region", "unknown-spec", "zero-quantity", "fractional-quantity",
        "payg-on-general", "fractional-months", "missing-months", "missing-minutes",
        "too-precise-minutes", "unknown-method", "method-not-offered",
    ],
)  # fmt: skip
def test_bad_orders(documented, row, expected):
    with pytest.raises(OrderError) as caught:
        price_orders(pd.DataFrame([row]), documented)
    assert len(caught.value.messages) == 1, caught.value.messages
    assert expected in caught.value.messages[0]
    assert caught.value.messages[0].startswith("order 1 (")


def test_out_of_stock_cannot_be_purchased():
    catalog = load_catalog()
    gone = catalog[~catalog["in_stock"]].iloc[0]
    row = order(region_id=gone["region_id"], spec=gone["spec"], billing_method="subscription",
                minutes=None, months=1)  # fmt: skip
    with pytest.raises(OrderError, match="cannot be purchased"):
        price_orders(pd.DataFrame([row]), catalog)


def test_every_bad_order_is_listed(documented):
    rows = [order(region_id="nowhere"), order(), order(quantity=-1, minutes=-5)]
    with pytest.raises(OrderError) as caught:
        price_orders(pd.DataFrame(rows), documented)
    problems = caught.value.messages
    assert [p.split(":")[0] for p in problems] == [
        "order 1 (nowhere, ml.gu7xf.8xlarge-gu108)",
        "order 3 (cn-wulanchabu, ml.gu7xf.8xlarge-gu108)",
        "order 3 (cn-wulanchabu, ml.gu7xf.8xlarge-gu108)",
    ]


def test_missing_columns(documented):
    with pytest.raises(OrderError, match="missing required column 'quantity'"):
        price_orders(
            pd.DataFrame({"region_id": ["x"], "spec": ["y"], "billing_method": ["payg"]}),
            documented,
        )
