"""The planner's term choice, early-exit cost, expiry and renewals, and per-job overhead."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from pai_model import InputError, read_catalog
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.pipeline import plan_commitment
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.terms import _exit_cents

# One Lingjun pair (made-up year price): 23,932.70 a month, 240,000.00 a year, 0.73 a minute
CATALOG = """\
region_id,resource_type,spec,hardware,subscription_price_per_month,subscription_price_per_year,payg_price_per_minute,currency,source,as_of
cn-wulanchabu,lingjun,ml.a,gu,23932.70,240000.00,0.73,USD,console,2026-11-01
"""
# one node busy for the whole 30-day history: full use
JOBS = pd.DataFrame(
    {
        "start": ["2026-01-01"],
        "end": ["2026-01-31"],
        "region_id": "cn-wulanchabu",
        "hardware": "gu",
        "nodes": [1],
    }
)


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(CATALOG, encoding="utf-8")
    return read_catalog(path)


def test_a_year_of_full_use_chooses_the_year_term(catalog):
    plan = size_commitment(demand_from_jobs(JOBS), catalog, months=12, start="2026-01-31 10:00")
    row = plan.summary.iloc[0]
    # 12 months of 730 h = 525,600 min x 0.73 = 383,688.00 all pay-as-you-go;
    # month terms 12 x 23,932.70 = 287,192.40; a year term 240,000.00: cheaper
    assert row["all_payg_cost"] == 383688.0
    assert (row["recommended_nodes"], row["plan_cost"]) == (1, 287192.4)
    assert (row["term"], row["term_nodes"], row["years"]) == ("year", 1, 1)
    assert row["term_plan_cost"] == 240000.0 and row["term_savings"] == 143688.0
    # Lingjun: no refund, so stopping after a month still costs the whole year
    assert row["early_exit_cost"] == 240000.0
    # the same day and time a year later; released 24 h after unless renewed
    assert row["subscription_end"] == pd.Timestamp("2027-01-31 10:00")
    assert row["renew_by"] == pd.Timestamp("2027-02-01 10:00")
    renewal = plan.renewals.iloc[0]
    assert (renewal["term"], renewal["nodes"], bool(renewal["ends_within_horizon"])) == (
        "year",
        1,
        True,
    )
    assert any("year term is cheaper" in note for note in plan.notes)


def test_a_short_horizon_pays_a_whole_year_so_months_win(catalog):
    plan = size_commitment(demand_from_jobs(JOBS), catalog, months=3, start="2026-01-31 10:00")
    row = plan.summary.iloc[0]
    # 3 x 43,800 min x 0.73 = 95,922.00 pay-as-you-go; 3 months 71,798.10; the year term
    # costs 240,000.00 however short the horizon, more than all pay-as-you-go: 0 nodes
    assert row["year_recommended_nodes"] == 0 and row["year_plan_cost"] == 95922.0
    assert (row["term"], row["term_plan_cost"]) == ("month", 71798.1)
    assert row["early_exit_cost"] == 71798.1
    # 31 January + 3 months: 30 April (month end clamped), renew by 1 May
    assert row["subscription_end"] == pd.Timestamp("2026-04-30 10:00")
    assert row["renew_by"] == pd.Timestamp("2026-05-01 10:00")


def test_without_a_year_price_the_month_term_is_the_only_one(catalog):
    no_year = catalog.assign(subscription_price_per_year=float("nan"))
    row = size_commitment(demand_from_jobs(JOBS), no_year, months=12).summary.iloc[0]
    assert row["term"] == "month" and pd.isna(row["year_plan_cost"])
    # by default the subscriptions start when the history ends (2026-01-31 00:00)
    assert row["subscription_end"] == pd.Timestamp("2027-01-31")


def test_early_exit_refund_of_general_nodes_is_a_parameter():
    # 1,500.00 a year (150,000 cents) left after a month: 11/12 unused = 137,500 cents;
    # 50 % refunded = 68,750: the exit costs 81,250 cents; with no refund all 150,000
    assert _exit_cents(150_000, 12, Decimal(50)) == 81_250
    assert _exit_cents(150_000, 12, Decimal(0)) == 150_000


def test_overhead_extends_every_job_and_is_stated(catalog):
    jobs = JOBS.assign(start="2026-01-01 00:00", end="2026-01-01 01:00")
    demand = demand_from_jobs(jobs, overhead_minutes=30)
    # 60 minutes of work + 30 of provisioning and release lag = 90 billed minutes
    assert demand["end"].max() == pd.Timestamp("2026-01-01 01:30")
    assert demand.attrs["overhead_minutes"] == 30
    result = plan_commitment(jobs, catalog, scenarios=0, overhead_minutes=30)
    assert any(note.startswith("Per-job overhead: 30 minutes") for note in result.notes)
    default = plan_commitment(jobs, catalog, scenarios=0)
    assert any(note.startswith("Per-job overhead: 0 minutes") for note in default.notes)


@pytest.mark.parametrize("bad", [-1, 10_081, float("nan")])
def test_overhead_bounds(bad):
    with pytest.raises(InputError, match="overhead_minutes"):
        demand_from_jobs(JOBS, overhead_minutes=bad)
