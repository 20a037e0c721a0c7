"""The planner on general computing: a dedicated spec against the public resource of its
hardware (DLC/DSW pay-as-you-go, priced per hour, billed per minute at hourly price / 60
with fractional minutes priced).

Made-up prices (this file's catalog): in Shanghai the dedicated general spec
ecs.g7.2xlarge-8c32g costs 150.00 USD a month, and the DLC public resource ecs.g7.2xlarge
of the same hardware g7-8c 0.61 USD an hour; ecs.g7.4xlarge-16c64g (hardware g7-16c) has
no public resource. Expected values are hand calculations in Python's ``decimal``.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from cli_runs import Run, pai_cost
from planning_cases import jobs_of

from pai_model import read_catalog
from pai_model.decisions.planning.curve import payg_cents
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.focus_lines import plan_lines
from pai_model.decisions.planning.pipeline import plan_commitment
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.prices import Preemptible
from pai_model.display.planning import explain_recommendation, recommendation_display
from pai_model.errors import PlanError
from pai_model.formulas.engine import payg_bill_amounts

CATALOG = """\
region_id,resource_type,spec,hardware,subscription_price_per_month,payg_price_per_minute,payg_price_per_hour,currency,source,as_of
cn-shanghai,general,ecs.g7.2xlarge-8c32g,g7-8c,150.00,,,USD,console,2026-11-01
cn-shanghai,public,ecs.g7.2xlarge,g7-8c,,,0.61,USD,dlc page,2026-11-01
cn-shanghai,general,ecs.g7.4xlarge-16c64g,g7-16c,300.00,,,USD,console,2026-11-01
"""
REGION, HARDWARE = "cn-shanghai", "g7-8c"
CENT = Decimal("0.01")
# 30 days of history (43,200 minutes): one node all the time, a second for 7,201
# minutes (5 days and a minute). Scaled to a 730-hour month (x 43,800 / 43,200): level 1
# runs 43,800 minutes, level 2 7,201 x 43,800 / 43,200 = 7,301.01388..., 7,301.014 to
# the milli-minute: a fractional minute, priced.
JOBS = [(0, 43_200, 1), (0, 7_201, 1)]
LEVEL_2 = Decimal("7301.014")


def _bill(price_per_hour: str, minutes: Decimal) -> Decimal:
    """One node on a public resource: hourly price x minutes / 60, half up to the cent."""
    return (Decimal(price_per_hour) * minutes / 60).quantize(CENT, ROUND_HALF_UP)


@pytest.fixture
def catalog_file(tmp_path):
    path = tmp_path / "public.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return path


@pytest.fixture
def catalog(catalog_file):
    return read_catalog(catalog_file)


def _jobs():
    return jobs_of(JOBS, region=REGION, hardware=HARDWARE)


def test_the_dlc_example_is_billed_at_hourly_price_over_60():
    # DLC billing page: 1 x 0.6 / 60 x 1.25 minutes = 0.0125 USD -> 0.01; two nodes
    # 0.025 -> 0.03 (half up); one 1.25-minute line beside a per-minute 0.73 x 45 = 32.85
    assert payg_bill_amounts(0.6, [1, 2], 1.25, hourly=True)[0].tolist() == [0.01, 0.03]
    assert payg_cents([0.6, 0.73], [1.25, 45], [True, False]).tolist() == [1, 3285]


def test_a_general_node_at_low_use_stays_on_the_public_resource(catalog):
    plan = size_commitment(demand_from_jobs(_jobs()), catalog)
    row = plan.summary.iloc[0]
    level_1 = _bill("0.61", Decimal(43_800))  # 0.61 x 730 = 445.30 > 150.00: subscribe
    level_2 = _bill("0.61", LEVEL_2)  # 74.2269... -> 74.23 < 150.00: public pay-as-you-go
    assert (level_1, level_2) == (Decimal("445.30"), Decimal("74.23"))
    assert (row.subscription_spec, row.payg_spec) == ("ecs.g7.2xlarge-8c32g", "ecs.g7.2xlarge")
    assert (row.payg_price_unit, row.payg_price_per_hour) == ("hour", 0.61)
    assert row.recommended_nodes == 1 and row.peak_nodes == 2
    assert row.plan_payg_cost == float(level_2)
    assert row.plan_cost == float(Decimal("150.00") + level_2) == 224.23
    assert row.all_payg_cost == float(level_1 + level_2) == 519.53
    assert row.all_subscription_cost == 300.00  # 2 x 150.00
    assert row.savings == 295.30  # 519.53 - 224.23
    # break-even: 150.00 buys 150 / 0.61 hours = 245.90... of public-resource time
    assert row.break_even_hours == pytest.approx(150 / 0.61)
    [public] = [n for n in plan.notes if n.startswith("General computing against public")]
    assert "ecs.g7.2xlarge at 0.61 USD/hour" in public and "hourly price / 60" in public


def test_a_discount_is_taken_off_the_hourly_price(catalog):
    # 10 % off 0.61 USD/hour is 0.549 USD/hour: level 2 is 0.549 x 7,301.014 / 60
    # = 66.8042... -> 66.80, level 1 0.549 x 730 = 400.77 (still above 150.00)
    plan = size_commitment(demand_from_jobs(_jobs()), catalog, payg_percent_off=10)
    row = plan.summary.iloc[0]
    assert row.payg_price_per_hour == 0.549
    assert row.plan_cost == float(Decimal("150.00") + _bill("0.549", LEVEL_2)) == 216.80
    assert row.all_payg_cost == float(_bill("0.549", Decimal(43_800)) + _bill("0.549", LEVEL_2))


def test_scenarios_spot_and_focus_lines_bill_the_hourly_price(catalog):
    result = plan_commitment(
        _jobs(), catalog, scenarios=20, preemptible=Preemptible(percent_paid=50)
    )
    row = result.table.iloc[0]
    assert row.payg_price_unit == "hour"
    # constant history: every scenario of the recommended count saves what the plan does
    assert row.savings_p5 == row.savings_p95 == 295.30
    # spot at 50 % of 0.61 = 0.305 USD/hour (rerun 10 %): level 2 on spot is
    # 0.305 x 7,301.014 / 60 = 37.1134... -> 37.11 and the rerun (730.101 minutes)
    # 0.305 x 730.101 / 60 = 3.7113... -> 3.71; level 1 (0.305 x 730 = 222.65 + 22.27
    # rerun) stays subscribed
    spot = _bill("0.305", LEVEL_2) + _bill("0.305", Decimal("730.101"))
    assert row.preemptible_plan_cost == float(Decimal("150.00") + spot) == 190.82
    lines = plan_lines(result.plan, result.demand)
    payg = lines[lines["billing_method"] == "payg"]
    assert payg["spec"].tolist() == ["ecs.g7.2xlarge"]
    assert payg["x_PricePerHour"].tolist() == [0.61]
    assert payg["amount"].tolist() == [74.23]
    assert lines["amount"].sum() == pytest.approx(224.23)


def test_outputs_say_the_pay_as_you_go_side_is_a_public_resource(catalog):
    result = plan_commitment(_jobs(), catalog, scenarios=0)
    shown = recommendation_display(result.table)
    assert shown["pay-as-you-go side"].tolist() == ["public resource (DLC/DSW), per hour"]
    text = explain_recommendation(result.plan, REGION, HARDWARE)
    assert "public resource ecs.g7.2xlarge (DLC/DSW pay-as-you-go, 0.61 USD/hour" in text


def test_a_general_spec_without_a_public_match_stays_subscription_only(catalog):
    jobs = jobs_of([(0, 60, 1)], region=REGION, hardware="g7-16c")
    with pytest.raises(PlanError) as caught:
        size_commitment(demand_from_jobs(jobs), catalog)
    assert caught.value.messages == [
        "cn-shanghai / g7-16c is general computing, sold by subscription only, and the"
        " catalog has no public resource (resource_type public, DLC/DSW pay-as-you-go) of"
        " that hardware in that region: it stays subscription-only and there is no choice"
        " to plan; drop its jobs, or add the public resource's row to compare the two"
    ]


def _cli(*args: str) -> Run:
    return pai_cost("plan", *args)


def test_cli_plans_general_computing_against_its_public_resource(tmp_path, catalog_file):
    jobs = tmp_path / "jobs.csv"
    _jobs().to_csv(jobs, index=False)
    done = _cli(str(jobs), "--scenarios", "0", "--catalog", str(catalog_file))
    assert done.returncode == 0, done.stderr
    assert "public resource (DLC/DSW), per hour" in done.stdout
    assert "against the public resource of the same hardware" in done.stdout
    assert "General computing against public resources" in done.stderr
    # the renewals table says when the subscribed node ends and by when to renew it
    assert "Subscriptions end" in done.stdout
    done = _cli(str(jobs), "--scenarios", "0", "--format", "json", "--catalog", str(catalog_file))
    [row] = json.loads(done.stdout)
    assert (row["recommended_nodes"], row["plan_cost"], row["payg_price_unit"]) == (
        1,
        "224.23",
        "hour",
    )


def test_cli_refuses_a_general_spec_without_a_public_match_in_one_line(tmp_path, catalog_file):
    jobs = tmp_path / "jobs.csv"
    jobs_of([(0, 60, 1)], region=REGION, hardware="g7-16c").to_csv(jobs, index=False)
    done = _cli(str(jobs), "--scenarios", "0", "--catalog", str(catalog_file))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    # notes (such as the prices' age) aside: the count of problems, then one line for it,
    # as every listed problem of the planner is reported
    errors = [line for line in done.stderr.splitlines() if not line.startswith("pai-cost: note:")]
    assert errors[0] == "pai-cost: error: 1 problem in demand:"
    assert errors[1].startswith("pai-cost: error: cn-shanghai / g7-16c is general computing,")
    assert "it stays subscription-only" in errors[1] and len(errors) == 2


def test_the_demo_catalog_plans_general_specs_on_synthetic_usage():
    from pai_model import paths

    catalog = read_catalog(paths.DEFAULT_CATALOG)
    result = plan_commitment("synthetic", catalog, scenarios=0, synthetic_days=7)
    table = result.table
    general = table[table["payg_price_unit"] == "hour"]
    assert len(general) > 0 and set(general["hardware"]).issubset(
        set(catalog.loc[catalog["resource_type"] == "general", "hardware"])
    )
    assert pd.notna(general["plan_cost"]).all()
