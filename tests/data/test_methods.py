"""One order validation: the same bad order gets the same words from a quote and a bill.

``pai-cost quote`` checks one order without pandas, ``pai-cost bill`` a table of orders with
pandera; both take their rules and messages from :mod:`pai_model.data.methods`. Each
expected message is written out here (the bounds are the billing formulas': 100,000
nodes, 120 months, 5,260,320 minutes, 3 decimals of a minute).
"""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model import paths
from pai_model.bills.orders import price_orders
from pai_model.bills.quotes import price_order
from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.methods import LABELS
from pai_model.errors import OrderError

DOCUMENTED = str(paths.DOCUMENTED_CATALOG)
GENERAL = ("cn-shanghai", "ecs.g7.xlarge-4c16g")
LINGJUN_PAYG = ("cn-wulanchabu", "ml.gu7xf.8xlarge-gu108")
LINGJUN_MONTH = ("cn-wulanchabu", "ml.gu7xf.c96m1600.8-gu108")


@pytest.fixture(autouse=True)
def quote_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAI_COST_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            (*GENERAL, "0", "subscription", "1", ""),
            "quantity = '0': must be a positive whole number of nodes (at most 100,000)",
        ),
        (
            (*GENERAL, "2", "subscription", "1.5", ""),
            "months = '1.5': a subscription needs a positive whole number of months (at most 120)",
        ),
        (
            (*LINGJUN_PAYG, "1", "payg", "", "45.0001"),
            "minutes = '45.0001': more than 3 decimal places",
        ),
        (
            (*LINGJUN_PAYG, "1", "payg", "", "0"),
            "minutes = '0': pay-as-you-go needs a positive number of minutes (at most 5,260,320)",
        ),
        ((*LINGJUN_PAYG, "1", "payg", "", "4_5"), "minutes = '4_5': not a number"),
        ((*LINGJUN_PAYG, "1e3", "payg", "", "45"), "quantity = '1e3': not a number"),
        (
            ("cn-shangai", GENERAL[1], "2", "subscription", "1", ""),
            "region_id = 'cn-shangai': not in the catalog; did you mean 'cn-shanghai'?"
            " (regions: cn-shanghai, cn-wulanchabu)",
        ),
        (
            ("cn-wulanchabu", GENERAL[1], "2", "subscription", "1", ""),
            "spec = 'ecs.g7.xlarge-4c16g': not offered in cn-wulanchabu; offered in cn-shanghai",
        ),
        (
            (*GENERAL, "2", "payg", "", "30"),
            "billing_method = 'payg': pay-as-you-go is not offered for general computing"
            " resources (subscription only)",
        ),
        (
            (*LINGJUN_PAYG, "1", "subscription", "1", ""),
            "spec = 'ml.gu7xf.8xlarge-gu108': no subscription price in the catalog",
        ),
    ],
    ids=[
        "zero-nodes",
        "half-month",
        "too-precise",
        "no-minutes",
        "underscore",
        "exponent",
        "unknown-region",
        "spec-elsewhere",
        "payg-on-general",
        "no-price",
    ],
)
def test_quote_and_bill_say_the_same_of_the_same_bad_order(tmp_path, capsys, order, expected):
    region, spec, quantity, method, months, minutes = order
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "region_id,spec,quantity,billing_method,months,minutes\n"
        f"{region},{spec},{quantity},{method},{months},{minutes}\n"
    )
    assert main(["bill", str(orders), "--catalog", DOCUMENTED]) == 2
    bill = problems(capsys.readouterr().err)
    duration = ["--months", months] if months else ["--minutes", minutes]
    quote = ["quote", "--region", region, "--spec", spec, "--quantity", quantity, *duration]
    assert main([*quote, "--catalog", DOCUMENTED]) == 2
    quoted = problems(capsys.readouterr().err)
    assert bill == [f"pai-cost: error: {orders}: line 2: {expected}"]
    assert quoted == [f"pai-cost: error: order 1 ({region}, {spec}): {expected}"]


def problems(stderr: str) -> list[str]:
    """The error lines after the heading ("1 problem in ..."), without notes."""
    return [line for line in stderr.splitlines() if line.startswith("pai-cost: error:")][1:]


@pytest.mark.parametrize("method", ["subscription", "payg"])
def test_out_of_stock_is_said_the_same_way(tmp_path, method):
    catalog = tmp_path / "stock.csv"
    catalog.write_text(
        "region_id,resource_type,spec,subscription_price_per_month,payg_price_per_minute,"
        "currency,in_stock,source,as_of\n"
        "cn-hangzhou,lingjun,ml.gpu-b,100,0.5,USD,false,console,2026-01-01\n"
    )
    duration = {"months": 1} if method == "subscription" else {"minutes": 10}
    with pytest.raises(OrderError) as quoted:
        price_order("cn-hangzhou", "ml.gpu-b", 1, catalog=catalog, cache=tmp_path, **duration)
    order = {"region_id": "cn-hangzhou", "spec": "ml.gpu-b", "quantity": 1}
    order |= {"billing_method": method, "months": None, "minutes": None, **duration}
    with pytest.raises(OrderError) as billed:
        price_orders(pd.DataFrame([order]), read_catalog(catalog))
    message = f"{LABELS[method]} is out of stock; it cannot be purchased"
    assert [p.message for p in quoted.value.problems] == [message]
    assert [p.message for p in billed.value.problems] == [message]
