"""One rule for offers: every consumer compares the same specs of the same catalog."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pai_model.cli import main
from pai_model.data.catalog import read_catalog
from pai_model.data.offers import chosen_offers, offer_pairs
from pai_model.decisions.comparison import break_even_table
from pai_model.decisions.fleet import plan_fleet
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.whatif import WhatIfState, evaluate
from pai_model.decisions.whatif import offer_pairs as panel_pairs

REGION, HARDWARE = "cn-wulanchabu", "gpu8"

# One hardware key, four specs (made-up prices for the test):
# - ml.a: the cheapest subscription (100.00), but out of stock for subscription;
# - ml.b: subscription 120.00 in stock, pay-as-you-go 0.004 out of stock (per-method stock);
# - ml.c: pay-as-you-go 0.005 in stock;
# - ml.d: pay-as-you-go 0.006 in stock.
# A buyer can compare only ml.b (subscription) and ml.c (pay-as-you-go).
CATALOG = """\
region_id,region_name,resource_type,spec,hardware,subscription_price_per_month,payg_price_per_minute,currency,in_stock,subscription_in_stock,payg_in_stock,source,as_of
cn-wulanchabu,China (Ulanqab),lingjun,ml.d,gpu8,,0.006,USD,true,,,test,2026-11-01
cn-wulanchabu,China (Ulanqab),lingjun,ml.a,gpu8,100.00,,USD,false,,,test,2026-11-01
cn-wulanchabu,China (Ulanqab),lingjun,ml.b,gpu8,120.00,0.004,USD,true,,false,test,2026-11-01
cn-wulanchabu,China (Ulanqab),lingjun,ml.c,gpu8,,0.005,USD,,,,test,2026-11-01
cn-wulanchabu,China (Ulanqab),lingjun,ml.z,gone,50.00,0.001,USD,false,,,test,2026-11-01
"""


@pytest.fixture
def catalog_file(tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_chosen_offers_are_the_cheapest_purchasable(catalog_file):
    offers = chosen_offers(read_catalog(catalog_file)).set_index(["hardware", "method"])
    assert offers.loc[(HARDWARE, "subscription"), ["spec", "price", "purchasable"]].tolist() == [
        "ml.b",
        120.0,
        True,
    ]
    assert offers.loc[(HARDWARE, "payg"), ["spec", "price", "purchasable"]].tolist() == [
        "ml.c",
        0.005,
        True,
    ]
    # nothing of "gone" can be bought: the cheapest is shown, marked, with the reason
    gone = offers.loc[("gone", "subscription")]
    assert (gone["spec"], bool(gone["purchasable"])) == ("ml.z", False)
    assert gone["reason"] == (
        "subscription offer ml.z is out of stock in cn-wulanchabu: it cannot be purchased now"
    )


def test_every_consumer_compares_the_same_specs(catalog_file, capsys):
    catalog = read_catalog(catalog_file)
    expected = ("ml.b", "ml.c")

    table = break_even_table(catalog).set_index("hardware")
    assert tuple(table.loc[HARDWARE, ["subscription_spec", "payg_spec"]]) == expected
    assert bool(table.loc[HARDWARE, "purchasable"])
    assert not bool(table.loc["gone", "purchasable"])

    pairs = offer_pairs(catalog).set_index("hardware")
    assert tuple(pairs.loc[HARDWARE, ["subscription_spec", "payg_spec"]]) == expected

    fleet = pd.DataFrame(
        {
            "region_id": [REGION],
            "hardware": [HARDWARE],
            "quantity": [1],
            "usage_hours_per_day": [24],
            "months": [1],
        }
    )
    rows = plan_fleet(fleet, catalog).rows
    assert tuple(rows.loc[0, ["subscription_spec", "payg_spec"]]) == expected
    # 1 x 120.00 x 1 month; 1 x 0.005 x 43,800 minutes (730 h) = 219.00
    assert rows.loc[0, ["subscription_cost", "payg_cost"]].tolist() == [120.0, 219.0]

    result = evaluate(WhatIfState(REGION, HARDWARE), panel_pairs(catalog))
    assert (result.subscription.spec, result.payg.spec) == expected

    jobs = pd.DataFrame(
        {
            "start": [pd.Timestamp("2026-01-01")],
            "end": [pd.Timestamp("2026-01-31")],
            "region_id": [REGION],
            "hardware": [HARDWARE],
            "nodes": [2],
        }
    )
    plan = size_commitment(demand_from_jobs(jobs), catalog)
    summary = plan.summary.set_index("hardware")
    assert tuple(summary.loc[HARDWARE, ["subscription_spec", "payg_spec"]]) == expected
    # 120.00 a month against 0.005 x 43,200 minutes of demand = 216.00: subscribe both nodes
    assert summary.loc[HARDWARE, "recommended_nodes"] == 2

    assert main(["breakeven", "--catalog", str(catalog_file), "--format", "json"]) == 0
    shown = {row["hardware"]: row for row in json.loads(capsys.readouterr().out)}
    assert (shown[HARDWARE]["subscription_spec"], shown[HARDWARE]["payg_spec"]) == expected
