"""The planner never recommends what cannot be bought, and says why.

Catalogs are CSV files read by read_catalog, with made-up prices; every expected amount
is a hand calculation in the comments. History: 30 days (43,200 minutes) of 2 nodes all
the time and a third for 20 days (28,800 minutes), scaled to a 730-hour month
(x 43,800 / 43,200): levels 1 and 2 run 43,800 minutes, level 3 runs 29,200.
"""

from __future__ import annotations

import pytest
from planning_cases import jobs_of

from pai_model.data.catalog import read_catalog
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.pipeline import plan_commitment
from pai_model.decisions.planning.plan import size_commitment
from pai_model.display.planning import explain_recommendation, recommendation_display

REGION, HARDWARE = "cn-wulanchabu", "gpu8"
HEADER = (
    "region_id,region_name,resource_type,spec,hardware,subscription_price_per_month,"
    "payg_price_per_minute,currency,in_stock,subscription_in_stock,payg_in_stock,source,as_of\n"
)
# pay-as-you-go 0.005 USD/min: a level of 43,800 min costs 219.00, level 3 146.00
PAYG = "cn-wulanchabu,China (Ulanqab),lingjun,ml.p,gpu8,,0.005,USD,true,,,test,2026-11-01\n"
# subscription 200.00 (cheaper, out of stock) and 210.00 (in stock): with either, levels 1
# and 2 (219.00 each) pay off and level 3 (146.00) does not: subscribe 2
CHEAP_GONE = "cn-wulanchabu,China (Ulanqab),lingjun,ml.a,gpu8,200.00,,USD,false,,,test,2026-11-01\n"
DEARER = "cn-wulanchabu,China (Ulanqab),lingjun,ml.b,gpu8,210.00,,USD,true,,,test,2026-11-01\n"


def _plan(tmp_path, *rows: str):
    path = tmp_path / "stock.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    catalog = read_catalog(path)
    jobs = jobs_of([(0, 43_200, 2), (0, 28_800, 1)], REGION, HARDWARE)
    return size_commitment(demand_from_jobs(jobs), catalog), catalog, jobs


def test_the_cheaper_subscription_out_of_stock_is_not_planned(tmp_path):
    plan, _, _ = _plan(tmp_path, CHEAP_GONE, DEARER, PAYG)
    row = plan.summary.iloc[0]
    assert (row.subscription_spec, row.subscription_price_per_month) == ("ml.b", 210.0)
    assert bool(row.purchasable) and row.recommended_nodes == 2
    # 2 x 210.00 + 146.00 = 566.00 against 2 x 219.00 + 146.00 = 584.00
    assert (row.plan_cost, row.all_payg_cost, row.savings) == (566.0, 584.0, 18.0)
    assert row.unserved_node_hours == 0


def test_no_subscription_to_buy_means_none_recommended(tmp_path):
    plan, _, _ = _plan(tmp_path, CHEAP_GONE, PAYG)
    row = plan.summary.iloc[0]
    # the cheapest plan (2 x 200.00 + 146.00 = 546.00) cannot be bought: all on
    # pay-as-you-go, 584.00, nothing saved
    assert (row.recommended_nodes, row.plan_cost, row.savings) == (0, 584.0, 0.0)
    assert not row.subscription_purchasable and row.payg_purchasable
    reason = "subscription offer ml.a is out of stock in cn-wulanchabu: it cannot be purchased now"
    assert row.subscription_reason == reason
    assert (
        f"{REGION} / {HARDWARE}: subscribe 0 nodes: {reason}; all demand runs on pay-as-you-go"
        " (were it in stock, the cheapest plan would subscribe 2)." in plan.notes
    )
    assert f"**Nothing is subscribed: {reason}.**" in explain_recommendation(plan, REGION, HARDWARE)
    assert plan.curves["recommended"].tolist() == [True, False, False, False]


def test_no_payg_to_buy_means_the_peak_is_subscribed(tmp_path):
    gone = PAYG.replace(",true,,,", ",false,,,")
    plan, _, _ = _plan(tmp_path, DEARER, gone)
    row = plan.summary.iloc[0]
    # level 3 cannot run on pay-as-you-go: subscribe all 3, 3 x 210.00 = 630.00, nothing
    # left unserved; against pay-as-you-go at its listed price (584.00) that costs 46.00 more
    assert (row.recommended_nodes, row.plan_cost, row.plan_payg_cost) == (3, 630.0, 0.0)
    assert (row.savings, row.unserved_node_hours, row.coverage) == (-46.0, 0.0, 1.0)
    assert any("the plan subscribes the peak, 3 nodes" in n for n in plan.notes)
    text = explain_recommendation(plan, REGION, HARDWARE)
    assert "**Pay-as-you-go cannot be bought: pay-as-you-go offer ml.p is out of stock" in text
    assert "(pay-as-you-go out of stock)" in recommendation_display(plan.summary).loc[0, "prices"]


def test_nothing_to_buy_leaves_the_demand_unserved_and_says_so(tmp_path):
    gone = PAYG.replace(",true,,,", ",false,,,")
    plan, catalog, jobs = _plan(tmp_path, CHEAP_GONE, gone)
    row = plan.summary.iloc[0]
    # node-hours over the 730-hour month: (2 x 43,800 + 29,200) min / 60 = 1,946.67 h
    # buying nothing costs and saves nothing
    assert (row.recommended_nodes, row.plan_cost, row.savings) == (0, 0.0, 0.0)
    assert row.unserved_node_hours == pytest.approx((2 * 43_800 + 29_200) / 60)
    assert any("nothing can be bought now" in n and "1,946.7 node-hours" in n for n in plan.notes)
    shown = recommendation_display(plan.summary)
    assert shown.loc[0, "unserved [node-h]"] == "1,946.7"
    # the scenarios judge the same count and never pick one that cannot be bought
    result = plan_commitment(jobs, catalog, scenarios=10)
    assert result.simulation.summary.loc[0, ["nodes", "optimal_nodes_p95"]].tolist() == [0, 0]
    assert (result.simulation.scenarios["optimal_nodes"] == 0).all()
    assert result.table.loc[0, ["plan_cost", "savings"]].tolist() == [0.0, 0.0]
