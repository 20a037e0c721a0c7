"""The planner's front doors: plan_commitment, ``pai-cost plan`` and the notebook.

They compute the same recommendation through one pipeline, take discounts as percent
off, and refuse the old spellings naming the new ones. Expected values are the hand
calculations of tests/decisions/planning/test_plan.py, repeated in the comments.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from cli_runs import Run, pai_cost
from planning_cases import jobs_of
from planning_cases import jobs_of as _jobs

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.data.synthetic import synthetic_jobs
from pai_model.decisions.planning import pipeline as pipeline_module
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.pipeline import plan_commitment
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.prices import Preemptible
from pai_model.decisions.planning.simulation import simulate_plan
from pai_model.display.planning import explain_recommendation, recommendation_display
from pai_model.errors import InputError

# 30 days: 2 nodes all the time, a third for 20 days (see test_planning): subscribe 2,
# plan 69,181.40, all pay-as-you-go 85,264.00, savings 16,082.60 USD
HAND_MADE = [(0, 43_200, 2), (0, 28_800, 1)]


def _cli(*args: str) -> Run:
    return pai_cost("plan", *args)


def test_the_pipeline_plans_once_and_simulates_that_plan(monkeypatch):
    calls = []
    original = pipeline_module.size_commitment

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "size_commitment", counted)
    result = plan_commitment(_jobs(HAND_MADE), read_catalog(paths.DOCUMENTED_CATALOG), scenarios=20)
    assert len(calls) == 1
    row = result.table.iloc[0]
    assert (row.recommended_nodes, row.plan_cost, row.savings) == (2, 69181.4, 16082.6)
    # constant months: every scenario of the plan's count saves what the history does
    assert (row.simulated_nodes, row.savings_median) == (2, 16082.6)
    assert result.notes == result.simulation.notes
    assert result.notes[-1].startswith("20 scenarios (seed 0)")


def _hand_plan(jobs: pd.DataFrame, sub: str, payg: str, history_minutes: int, horizon: int):
    """The cheapest count by hand, in Decimal: the jobs on a one-minute grid (a job touches
    every minute from its start's to its end's), the minutes at or above each level scaled
    by horizon / history and rounded to 0.001 (half up), each level above the count one
    pay-as-you-go line rounded to the cent; ties go to the larger count.
    Returns (nodes, peak, plan cost, all pay-as-you-go cost)."""
    t0 = jobs["start"].min().floor("D")
    counts = [0] * history_minutes
    for row in jobs.itertuples(index=False):
        first = math.floor((row.start - t0) / pd.Timedelta("1min"))
        last = math.ceil((row.end - t0) / pd.Timedelta("1min"))
        for minute in range(first, last):
            counts[minute] += row.nodes
    peak = max(counts)
    lines = [
        (
            Decimal(payg)
            * (Decimal(sum(c >= level for c in counts)) * horizon / history_minutes).quantize(
                Decimal("0.001"), ROUND_HALF_UP
            )
        ).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for level in range(1, peak + 1)
    ]
    costs = [Decimal(sub) * k + sum(lines[k:], Decimal(0)) for k in range(peak + 1)]
    nodes = max(k for k, cost in enumerate(costs) if cost == min(costs))
    return nodes, peak, costs[nodes], costs[0]


def test_the_pipeline_without_jobs_plans_labelled_synthetic_usage():
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    result = plan_commitment("synthetic", catalog, scenarios=0, synthetic_days=7, seed=3)
    # synthetic usage is generated data, not the code under test: the same seed's jobs,
    # planned by hand at the billing page's 23,932.70 USD/month and 0.73 USD/minute over
    # 7 days (10,080 minutes) of history and a 730-hour month (43,800 minutes)
    jobs = synthetic_jobs([("cn-wulanchabu", "gu7xf-8xGU108")], days=7, seed=3)
    nodes, peak, plan_cost, all_payg = _hand_plan(jobs, "23932.70", "0.73", 10_080, 43_800)
    assert (nodes, peak, plan_cost, all_payg) == (
        14,
        35,
        Decimal("505430.41"),
        Decimal("580033.14"),
    )
    [row] = result.table.to_dict("records")
    assert (row["recommended_nodes"], row["peak_nodes"]) == (nodes, peak)
    assert Decimal(str(row["plan_cost"])) == plan_cost
    assert Decimal(str(row["all_payg_cost"])) == all_payg
    # 580,033.14 - 505,430.41 = 74,602.73
    assert Decimal(str(row["savings"])) == Decimal("74602.73")
    assert result.simulation is None and result.notes == result.plan.notes
    assert result.notes[0].startswith("SYNTHETIC demand")


def test_discounts_are_percent_off_and_the_tier_names_its_convention():
    # 12.5 % off 0.73 = 0.63875 USD/min exactly; spot is 10 % paid (90 % off) of the list
    # price, the discount not stacked: 0.073 (ALIBABA_APIS.md section 9)
    demand = demand_from_jobs(_jobs(HAND_MADE))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    paid = size_commitment(
        demand, catalog, payg_percent_off=12.5, preemptible=Preemptible(percent_paid=10)
    )
    off = size_commitment(
        demand, catalog, payg_percent_off=12.5, preemptible=Preemptible(percent_off=90)
    )
    row = paid.summary.iloc[0]
    assert row.payg_price_per_minute == 0.63875
    assert row.preemptible_spot_price_per_minute == 0.073
    pd.testing.assert_frame_equal(paid.summary, off.summary)
    with pytest.raises(InputError, match="give exactly one of percent_paid"):
        Preemptible(percent_paid=10, percent_off=90)
    with pytest.raises(InputError, match="give exactly one of percent_paid"):
        Preemptible()
    with pytest.raises(InputError, match="percent_paid: must be a percentage above 0"):
        Preemptible(percent_paid=0)
    with pytest.raises(InputError, match="more than 4 decimal places"):
        size_commitment(demand, catalog, subscription_percent_off=0.00001)


def test_simulate_plan_takes_the_plan_not_the_catalog():
    demand = demand_from_jobs(_jobs(HAND_MADE))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    with pytest.raises(TypeError, match="unexpected keyword argument 'month'"):
        size_commitment(demand, catalog, month=2)
    with pytest.raises(InputError, match="simulate_plan takes the plan, not the catalog"):
        simulate_plan(demand, catalog)


def test_simulate_plan_refuses_the_plan_of_other_demand():
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    plan = size_commitment(demand_from_jobs(_jobs(HAND_MADE)), catalog)
    other = demand_from_jobs(_jobs([(0, 43_200, 1)]))
    with pytest.raises(ValueError, match="the plan was not made from this demand"):
        simulate_plan(other, plan, scenarios=5)


def _cli(*args: str) -> Run:
    return pai_cost("plan", *args)


def test_cli_plans_a_jobs_csv(tmp_path):
    csv = tmp_path / "jobs.csv"
    _jobs([(0, 43_200, 2), (0, 28_800, 1)]).to_csv(csv, index=False)
    done = _cli(
        str(csv), "--format", "json", "--scenarios", "0", "--catalog", str(paths.DOCUMENTED_CATALOG)
    )
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)
    assert (row["recommended_nodes"], row["plan_cost"], row["savings"]) == (
        2,
        "69181.40",
        "16082.60",
    )
    table = _cli(
        str(csv), "--months", "2", "--scenarios", "20", "--catalog", str(paths.DOCUMENTED_CATALOG)
    )
    assert (
        table.returncode == 0
        and "2 of 3" in table.stdout
        and "savings 5th-95th pct" in table.stdout
    )


def test_cli_reports_bad_records_without_a_traceback(tmp_path):
    csv = tmp_path / "jobs.csv"
    csv.write_text(
        "start,end,region_id,hardware,nodes\n"
        "2026-01-01 02:00,2026-01-01 01:00,cn-wulanchabu,gu7xf-8xGU108,1\n"
    )
    done = _cli(str(csv))
    assert done.returncode == 2
    assert (
        "jobs.csv: line 2: end = '2026-01-01 01:00': before start; a job ends at or after its start"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    missing = _cli(str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_cli_synthetic_is_labelled():
    done = _cli(
        "synthetic",
        "--synthetic-days",
        "7",
        "--scenarios",
        "0",
        "--format",
        "csv",
        "--catalog",
        str(paths.DOCUMENTED_CATALOG),
    )
    assert done.returncode == 0, done.stderr
    assert "synthetic sample (seed 0, 7 days" in done.stdout
    assert "SYNTHETIC demand" in done.stderr


# ------------------------------------------------------------------ notebook


@pytest.mark.slow
def test_notebook_recommendation_matches_plan_commitment(tmp_path):
    import nbformat
    import papermill

    source = paths.NOTEBOOK_DIR / "commitment_plan.ipynb"
    parameters = {
        "synthetic_days": 14,
        "scenarios": 50,
        "months": 2,
        "seed": 5,
        "export_dir": str(tmp_path),
    }
    papermill.execute_notebook(
        str(source),
        str(tmp_path / "out.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    shown = json.loads((tmp_path / "plan_recommendation.json").read_text())
    catalog = read_catalog()
    jobs = synthetic_jobs(sorted({(r["region_id"], r["hardware"]) for r in shown}), days=14, seed=5)
    expected = size_commitment(demand_from_jobs(jobs), catalog, months=2).summary
    assert [r["recommended_nodes"] for r in shown] == expected["recommended_nodes"].tolist()
    assert [r["plan_cost"] for r in shown] == pytest.approx(
        expected["plan_cost"].tolist(), abs=1e-6
    )
    # the rendered notebook lists when subscriptions end and by when to renew them, and
    # says which pairs compare a general spec with its public resource (demo catalog)
    executed = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert "When the subscriptions end" in executed and "renew by" in executed
    assert "public resource (DLC/DSW), per hour" in executed
    # committed without outputs
    committed = nbformat.read(source, as_version=4)
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")


def test_cli_reports_the_preemptible_tier_separately(tmp_path):
    csv = tmp_path / "jobs.csv"
    _jobs([(0, 43_200, 2), (0, 28_800, 1)]).to_csv(csv, index=False)
    done = _cli(
        str(csv),
        "--format",
        "json",
        "--scenarios",
        "0",
        "--spot-percent-paid",
        "10",
        "--flexible-share",
        "0.5",
        "--catalog",
        str(paths.DOCUMENTED_CATALOG),
    )
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)
    # the hand calculation of test_preemptible_tier_is_reported_separately
    assert (row["recommended_nodes"], row["preemptible_recommended_nodes"]) == (2, 0)
    assert row["preemptible_plan_cost"] == "47321.52"  # 2 x 17,745.57 + 11,830.38


# The planner never recommends what cannot be bought, and says why.
#
# Catalogs are CSV files read by read_catalog, with made-up prices; every expected amount
# is a hand calculation in the comments. History: 30 days (43,200 minutes) of 2 nodes all
# the time and a third for 20 days (28,800 minutes), scaled to a 730-hour month
# (x 43,800 / 43,200): levels 1 and 2 run 43,800 minutes, level 3 runs 29,200.

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


@pytest.mark.parametrize(
    ("jobs", "got"), [(None, "NoneType"), (b"jobs.csv", "bytes"), (Decimal("NaN"), "Decimal")]
)
def test_jobs_that_are_no_records_nor_synthetic_are_refused_naming_jobs(jobs, got):
    """None no longer means synthetic usage: the word "synthetic" does, as on the CLI."""
    with pytest.raises(TypeError) as refused:
        plan_commitment(jobs, read_catalog(paths.DOCUMENTED_CATALOG), scenarios=0)
    assert str(refused.value) == (
        "jobs must be job records: a DataFrame, a path or a URL (str or os.PathLike), or"
        f" 'synthetic'; got {got}"
    )
