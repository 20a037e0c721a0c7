"""Tests of the commitment planner (pai_model.decisions.planning).

Expected values come from hand calculations shown in the comments, from brute force over
every subscription count with Python ``decimal``, or from a minute-by-minute loop.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning_cases import HARDWARE, MONTH, REGION, T0
from planning_cases import catalog_of as _catalog
from planning_cases import jobs_of as _jobs

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.data.jobs import DEMAND_COLUMNS
from pai_model.data.synthetic import synthetic_jobs
from pai_model.decisions.planning.demand import demand_from_jobs, demand_from_series
from pai_model.decisions.planning.pipeline import recommendation_table
from pai_model.decisions.planning.plan import chosen_pair, size_commitment
from pai_model.decisions.planning.prices import Preemptible
from pai_model.decisions.planning.simulation import simulate_plan
from pai_model.display.planning import explain_recommendation
from pai_model.errors import InputError, JobError, PlanError


def _simulate(demand: pd.DataFrame, catalog: pd.DataFrame, *, months=1, hours_per_month=730, **kw):
    """The plan of ``demand``, then its simulation (``kw``: simulate_plan's options)."""
    plan = size_commitment(demand, catalog, months=months, hours_per_month=hours_per_month)
    return simulate_plan(demand, plan, **kw)


def _per_minute(demand: pd.DataFrame, region: str, hardware: str, start, minutes: int) -> list[int]:
    """Expand the demand table of one pair to one value per minute (test-side, by loop)."""
    out = [None] * minutes
    mine = demand[(demand["region_id"] == region) & (demand["hardware"] == hardware)]
    for row in mine.itertuples(index=False):
        a = int((row.start - start) / pd.Timedelta("1min"))
        b = int((row.end - start) / pd.Timedelta("1min"))
        for m in range(a, b):
            assert out[m] is None, "demand intervals overlap"
            out[m] = row.nodes
    assert None not in out, "demand intervals leave a gap"
    return out


# ------------------------------------------------------------------ demand_from_jobs


def _one_job(start: str, end: str) -> pd.DataFrame:
    """A job of one node of ``HARDWARE`` in ``REGION``, its times as a file gives them."""
    return pd.DataFrame(
        {"start": [start], "end": [end], "region_id": REGION, "hardware": HARDWARE, "nodes": [1]}
    )


def test_overlapping_jobs_add_up_and_edges_are_clipped():
    # window 00:10-01:00; a job from before the window, one after its end, one inside,
    # a zero-length one and one entirely outside
    jobs = _jobs([(0, 30, 2), (20, 90, 1), (40, 45, 5), (50, 50, 7), (100, 120, 3)])
    demand = demand_from_jobs(
        jobs, start=T0 + pd.Timedelta("10min"), end=T0 + pd.Timedelta("60min")
    )
    minutes = _per_minute(demand, REGION, HARDWARE, T0 + pd.Timedelta("10min"), 50)
    # 00:10-00:20: 2; 00:20-00:30: 3; 00:30-00:40: 1; 00:40-00:45: 6; 00:45-01:00: 1
    assert minutes == [2] * 10 + [3] * 10 + [1] * 10 + [6] * 5 + [1] * 15
    assert demand["nodes"].tolist() == [2, 3, 1, 6, 1]  # equal neighbours are merged


def test_seconds_are_counted_for_the_whole_minute_or_kept_exact():
    # 00:00:30 to 00:01:15: touches minutes 0 and 1
    jobs = _one_job("2026-01-01 00:00:30", "2026-01-01 00:01:15")
    gridded = demand_from_jobs(jobs)
    assert (gridded["start"].iloc[0], gridded["end"].iloc[0]) == (T0, T0 + pd.Timedelta("2min"))
    exact = demand_from_jobs(jobs, freq=None)
    assert (exact["end"].iloc[0] - exact["start"].iloc[0]) == pd.Timedelta("45s")


job_sets = st.lists(
    st.tuples(
        st.integers(0, 7200),  # start [s] within two hours
        st.integers(0, 3600),  # length [s], zero included
        st.integers(1, 4),  # nodes
        st.sampled_from([("r1", "h1"), ("r1", "h2"), ("r2", "h1")]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(job_sets, st.integers(0, 60), st.integers(61, 150))
def test_demand_matches_a_minute_by_minute_loop(records, window_start, window_end):
    jobs = pd.DataFrame(
        {
            "start": [T0 + pd.Timedelta(seconds=s) for s, _, _, _ in records],
            "end": [T0 + pd.Timedelta(seconds=s + n) for s, n, _, _ in records],
            "region_id": [p[0] for *_, p in records],
            "hardware": [p[1] for *_, p in records],
            "nodes": [k for _, _, k, _ in records],
        }
    )
    start, end = T0 + pd.Timedelta(minutes=window_start), T0 + pd.Timedelta(minutes=window_end)
    demand = demand_from_jobs(jobs, start=start, end=end)
    length = window_end - window_start
    for pair in {p for *_, p in records}:
        expected = []
        for m in range(window_start, window_end):
            # a job occupies minute m when it runs any part of [m, m + 1) minutes
            expected.append(
                sum(
                    k
                    for s, n, k, p in records
                    if p == pair and n > 0 and s < (m + 1) * 60 and s + n > m * 60
                )
            )
        assert _per_minute(demand, *pair, start, length) == expected


def test_bad_job_records_are_all_listed_with_their_lines(tmp_path):
    csv = tmp_path / "jobs.csv"
    csv.write_text(
        "start,end,region_id,hardware,nodes\n"
        "2026-01-01 00:00,2026-01-01 01:00,cn-wulanchabu,gu7xf-8xGU108,1\n"
        "2026-01-01 02:00,2026-01-01 01:00,cn-wulanchabu,gu7xf-8xGU108,1\n"
        "yesterday,2026-01-01 01:00,cn-wulanchabu,gu7xf-8xGU108,0\n"
        "2026-01-01 00:00,2026-01-01 01:00,cn-wulanchabu,gu7xf-8xGU108,1.5\n"
        "2026-01-01 00:00,2026-01-01 01:00,,gu7xf-8xGU108,-2\n"
        "2026-01-01 00:00,2026-01-01 01:00,cn-mars,gu7xf-8xGU108,1\n"
    )
    with pytest.raises(JobError) as caught:
        demand_from_jobs(csv, catalog=read_catalog(paths.DOCUMENTED_CATALOG))
    time = "not a time (ISO 8601, e.g. 2026-01-01T09:30 or 2026-01-01T09:30+08:00)"
    nodes = "not a whole number of nodes from 1 to 100,000"
    assert caught.value.messages == [
        f"{csv}: line 3: end = '2026-01-01 01:00': before start; a job ends at or after its start",
        f"{csv}: line 4: nodes = '0': {nodes}",
        f"{csv}: line 4: start = 'yesterday': {time}",
        f"{csv}: line 5: nodes = '1.5': {nodes}",
        f"{csv}: line 6: nodes = '-2': {nodes}",
        f"{csv}: line 6: region_id = '': empty, but the column is required",
        f"{csv}: line 7: hardware = 'gu7xf-8xGU108': region_id 'cn-mars' with hardware"
        " 'gu7xf-8xGU108' is not offered in the catalog; fix the record or use a catalog that"
        " has it",
    ]


def test_missing_columns_and_empty_window_are_errors():
    with pytest.raises(JobError, match="jobs: missing required column 'nodes'"):
        demand_from_jobs(_jobs([(0, 10, 1)]).drop(columns="nodes"))
    with pytest.raises(JobError, match="is empty"):
        demand_from_jobs(_jobs([(0, 10, 1)]), start=T0, end=T0)


def test_a_sampled_series_is_a_demand_too():
    samples = pd.DataFrame(
        {
            "region_id": REGION,
            "hardware": HARDWARE,
            "time": pd.date_range(T0, periods=4, freq="1h"),
            "nodes": [2, 2, 0, 1],
        }
    )
    demand = demand_from_series(samples)
    assert demand["nodes"].tolist() == [2, 0, 1]
    assert ((demand["end"] - demand["start"]) / pd.Timedelta("1h")).tolist() == [2.0, 1.0, 1.0]
    with pytest.raises(
        JobError, match="time = '2026-01-01 00:00:00': repeats within its region and hardware"
    ):
        demand_from_series(pd.concat([samples, samples.iloc[:1]]))


# ------------------------------------------------------------------ plan_commitment

# The documented GU108 pair of the billing page: 23,932.70 USD/month and 0.73 USD/minute.
SUB, PAYG = 23932.70, 0.73


def test_hand_made_plan_coverage_and_utilization():
    # 30 days of history (43,200 min): 2 nodes all the time, a third for 26 days
    # (37,440 min). Scaled to a 730-hour month: x 43,800 / 43,200.
    #   levels 1, 2: 43,800 min x 0.73 = 31,974.00 each  >= 23,932.70: subscribe
    #   level 3: 37,440 x 43,800 / 43,200 = 37,960 min x 0.73 = 27,710.80 >= 23,932.70: too
    jobs = _jobs([(0, 43_200, 2), (0, 37_440, 1)])
    plan = size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    row = plan.summary.iloc[0]
    assert row.recommended_nodes == 3
    assert row.plan_cost == 71798.10  # 3 x 23,932.70
    assert row.all_payg_cost == 91658.80  # 2 x 31,974.00 + 27,710.80
    assert row.all_subscription_cost == 71798.10
    assert row.savings == pytest.approx(19860.70, abs=1e-9)
    assert row.savings_percent == pytest.approx(100 * 19860.70 / 91658.80)
    assert row.coverage == 1.0  # every node-minute runs on a subscribed node
    # used node-minutes / subscribed node-minutes = (2 x 43,200 + 37,440) / (3 x 43,200)
    assert row.utilization == pytest.approx(123_840 / 129_600)
    # months of use that pay back the prepaid 71,798.10 from the 91,658.80 avoided a month
    assert row.break_even_months == pytest.approx(71798.10 / 91658.80)
    assert row.peak_nodes == 3 and row.mean_nodes == pytest.approx(123_840 / 43_200)


def test_partial_coverage_when_the_top_node_stays_on_payg():
    # the third node only 20 days (28,800 min -> 29,200 min scaled, 21,316.00 USD <
    # 23,932.70): subscribe 2; coverage = 86,400 / 115,200 node-minutes = 0.75
    jobs = _jobs([(0, 43_200, 2), (0, 28_800, 1)])
    plan = size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    row = plan.summary.iloc[0]
    assert (row.recommended_nodes, row.coverage, row.utilization) == (2, 0.75, 1.0)
    assert (row.plan_subscription_cost, row.plan_payg_cost) == (47865.40, 21316.00)
    curve = plan.curves
    # k = 0: 2 x 31,974.00 + 21,316.00; k = 1: 23,932.70 + 31,974.00 + 21,316.00;
    # k = 2: 2 x 23,932.70 + 21,316.00; k = 3: 3 x 23,932.70
    assert curve["total_cost"].tolist() == [85264.0, 77222.7, 69181.4, 71798.1]
    assert curve["recommended"].tolist() == [False, False, True, False]


def test_discounts_and_longer_horizons():
    # 2 nodes all the time for 30 days; 3 months = 131,400 minutes per level.
    # payg discount 10 %: 0.73 x 0.9 = 0.657 USD/min -> 131,400 x 0.657 = 86,329.80 a level;
    # subscription discount 20 %: 23,932.70 x 0.8 = 19,146.16 -> x 3 months = 57,438.48
    jobs = _jobs([(0, 43_200, 2)])
    plan = size_commitment(
        demand_from_jobs(jobs),
        read_catalog(paths.DOCUMENTED_CATALOG),
        months=3,
        payg_percent_off=10,
        subscription_percent_off=20,
    )
    row = plan.summary.iloc[0]
    assert (row.payg_price_per_minute, row.subscription_price_per_month) == (0.657, 19146.16)
    assert row.all_payg_cost == 172659.60  # 2 x 86,329.80
    assert row.plan_cost == 114876.96  # 2 x 57,438.48
    assert row.horizon_hours == 2190


def test_pairs_without_both_offers_are_named():
    jobs = _jobs([(0, 60, 1)], region="cn-shanghai", hardware="ecs.g7.xlarge-4c16g")
    with pytest.raises(PlanError) as caught:
        size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    # documented.csv prices the general spec without a public resource of its hardware
    assert caught.value.messages == [
        "cn-shanghai / ecs.g7.xlarge-4c16g is general computing, sold by subscription only,"
        " and the catalog has no public resource (resource_type public, DLC/DSW"
        " pay-as-you-go) of that hardware in that region: it stays subscription-only and"
        " there is no choice to plan; drop its jobs, or add the public resource's row to"
        " compare the two"
    ]


def _brute_force(levels_minutes, sub, payg, months):
    """Cost of every k in Decimal: k x sub x months + a half-up rounded line per level > k."""
    cent = Decimal("0.01")
    peak = max(levels_minutes)
    time_at_least = [
        sum(m for lvl, m in levels_minutes.items() if lvl >= L) for L in range(peak + 1)
    ]
    costs = []
    for k in range(peak + 1):
        sub_cost = (Decimal(str(sub)) * k * months).quantize(cent, ROUND_HALF_UP)
        payg_cost = sum(
            (
                (Decimal(str(payg)) * time_at_least[L]).quantize(cent, ROUND_HALF_UP)
                for L in range(k + 1, peak + 1)
            ),
            Decimal(0),
        )
        costs.append(sub_cost + payg_cost)
    return costs


segments = st.lists(st.tuples(st.integers(0, 9), st.integers(1, 8000)), min_size=1, max_size=10)


@settings(max_examples=80, deadline=None)
@given(
    segments,
    st.integers(100_00, 60_000_00).map(lambda c: c / 100),  # subscription [USD/month]
    st.integers(1, 200_00).map(lambda c: c / 10_000),  # pay-as-you-go [USD/minute]
)
def test_optimal_count_is_the_brute_force_minimum(segs, sub, payg):
    # segments of (nodes, minutes) back to back, padded with zero demand to one month so
    # that history = horizon and no scaling is involved
    used = sum(m for _, m in segs)
    if used < MONTH:
        segs = [*segs, (0, MONTH - used)]
    else:
        segs = [(n, m * MONTH // used) for n, m in segs]
        segs[-1] = (segs[-1][0], segs[-1][1] + MONTH - sum(m for _, m in segs))
    start = np.cumsum([0] + [m for _, m in segs])
    demand = pd.DataFrame(
        {
            "region_id": REGION,
            "hardware": HARDWARE,
            "start": [T0 + pd.Timedelta(minutes=int(s)) for s in start[:-1]],
            "end": [T0 + pd.Timedelta(minutes=int(s)) for s in start[1:]],
            "nodes": [n for n, _ in segs],
        }
    )
    minutes_at = {}
    for n, m in segs:
        minutes_at[n] = minutes_at.get(n, 0) + m
    costs = _brute_force(minutes_at, sub, payg, 1)
    plan = size_commitment(demand, _catalog(sub, payg))
    row = plan.summary.iloc[0]
    best = min(costs)
    assert Decimal(str(row.plan_cost)) == best
    # ties go to the larger count (subscribe while pay-as-you-go replaced >= subscription)
    assert row.recommended_nodes == max(k for k, c in enumerate(costs) if c == best)
    assert [Decimal(str(c)) for c in plan.curves["total_cost"]] == costs


def test_preemptible_tier_is_reported_separately():
    # flexible half of the pay-as-you-go minutes on spot at 10 % of 0.73 = 0.073 USD/min,
    # 10 % of the spot work run again. Level 1 and 2 (43,800 min):
    #   21,900 x 0.73 = 15,987.00 + 21,900 x 0.073 = 1,598.70 + 2,190 x 0.073 = 159.87
    #   = 17,745.57 < 23,932.70: no subscription any more.
    # Level 3 (29,200 min): 10,658.00 + 1,065.80 + 106.58 = 11,830.38
    jobs = _jobs([(0, 43_200, 2), (0, 28_800, 1)])
    tier = Preemptible(percent_paid=10, interruption_overhead=0.1, flexible_share=0.5)
    plan = size_commitment(
        demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG), preemptible=tier
    )
    row = plan.summary.iloc[0]
    assert row.recommended_nodes == 2  # the main plan is unchanged
    assert row.preemptible_recommended_nodes == 0
    assert row.preemptible_plan_cost == pytest.approx(2 * 17745.57 + 11830.38, abs=1e-9)
    assert row.preemptible_spot_price_per_minute == 0.073


def test_explanation_names_the_threshold_and_the_counts():
    jobs = _jobs([(0, 43_200, 2), (0, 28_800, 1)])
    plan = size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    text = explain_recommendation(plan, REGION, HARDWARE)
    # 23,932.70 / 0.73 / 60 = 546.41 hours = 74.85 % of 730 hours
    assert "546.4 hours, 74.9% of the 730-hour horizon" in text
    assert "3 nodes 66.7%" in text and "subscribe **2** of the peak 3" in text


# ------------------------------------------------------------------ simulate_plan


def test_constant_demand_has_no_spread_and_growth_scales_nodes():
    # 2 nodes all the time for 14 days: every scenario is the same month.
    # chosen k = 2: savings = 2 x (31,974.00 - 23,932.70) = 16,082.60.
    # growth 1.5: 1 -> round(1.5) = 2, 2 -> 3 nodes: best k = 3, 3 x 8,041.30 = 24,123.90
    demand = demand_from_jobs(_jobs([(0, 14 * 1440, 2)]))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    same = _simulate(demand, catalog, scenarios=50)
    row = same.summary.iloc[0]
    assert (row.savings_p5, row.savings_median, row.savings_p95) == (16082.6,) * 3
    assert row.probability_loss == 0.0
    grown = _simulate(demand, catalog, scenarios=20, growth=1.5).summary.iloc[0]
    assert (grown.nodes, grown.savings_median) == (2, 16082.6)
    assert (grown.optimal_nodes_median, grown.optimal_savings_median) == (3, 24123.9)
    shrunk = _simulate(demand, catalog, scenarios=20, growth=0.5, nodes=2).summary.iloc[0]
    # 2 -> 1 node: the second subscribed node idles; 8,041.30 - 23,932.70 = -15,891.40
    assert (shrunk.savings_median, shrunk.probability_loss) == (-15891.4, 1.0)


def test_block_bootstrap_draws_whole_days_and_is_seeded():
    # day 0: 1 node all day; day 1: none. A one-month scenario is 31 drawn days scaled by
    # 43,800 / (31 x 1,440); all pay-as-you-go is (days drawn from day 0) x 1,440 x that
    # scale x 0.73 USD, so it is a whole multiple of 43,800 / 31 x 0.73 = 1,031.42 USD.
    demand = demand_from_jobs(_jobs([(0, 1440, 1)]), end=T0 + pd.Timedelta(days=2))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    sim = _simulate(demand, catalog, scenarios=200, block_days=1, seed=7)
    per_day = 43_800 / 31 * 0.73
    days = sim.scenarios["all_payg_cost"] / per_day
    assert np.allclose(days, np.round(days), atol=1e-3)
    assert days.min() >= 0 and days.max() <= 31 and days.nunique() > 5
    again = _simulate(demand, catalog, scenarios=200, block_days=1, seed=7)
    pd.testing.assert_frame_equal(sim.scenarios, again.scenarios)
    other = _simulate(demand, catalog, scenarios=200, block_days=1, seed=8)
    assert not sim.scenarios["all_payg_cost"].equals(other.scenarios["all_payg_cost"])


def test_a_history_shorter_than_a_day_is_simulated_by_the_hour_with_a_warning():
    # 10 hours of one busy node: every hour drawn is that node busy, so each scenario
    # repeats it for the 730-hour month: 43,800 x 0.73 = 31,974.00 on pay-as-you-go
    # against 23,932.70 subscribed, a saving of 8,041.30 in every scenario
    demand = demand_from_jobs(_jobs([(0, 600, 1)]))
    simulation = _simulate(demand, read_catalog(paths.DOCUMENTED_CATALOG), scenarios=5)
    row = simulation.summary.iloc[0]
    assert (row.nodes, row.savings_p5, row.savings_p95) == (1, 8041.3, 8041.3)
    assert "whole hours drawn from the history" in simulation.notes[-2]
    assert simulation.notes[-1].startswith("WARNING: the history is shorter than a day")
    assert "the savings range is wide" in simulation.notes[-1]


def test_recommendation_table_joins_the_simulation():
    demand = demand_from_jobs(_jobs([(0, 14 * 1440, 2)]))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    plan = size_commitment(demand, catalog)
    table = recommendation_table(plan, simulate_plan(demand, plan, scenarios=10))
    assert table.loc[0, ["recommended_nodes", "simulated_nodes", "savings_median"]].tolist() == [
        2,
        2,
        16082.6,
    ]


# ------------------------------------------------------------------ synthetic data


def test_synthetic_jobs_are_seeded_labelled_and_inside_the_window():
    one = synthetic_jobs(days=14, seed=3)
    assert one.equals(synthetic_jobs(days=14, seed=3))
    assert not one.equals(synthetic_jobs(days=14, seed=4))
    assert one.attrs["synthetic"] and "synthetic" in one.attrs["source"]
    start, end = one.attrs["window"]
    assert (one["start"] >= start).all() and (one["end"] <= end).all()
    assert (one["end"] > one["start"]).all() and (one["nodes"] >= 1).all()
    plan = size_commitment(demand_from_jobs(one), read_catalog())
    assert plan.notes[0].startswith("SYNTHETIC demand")
    assert plan.summary["demand_source"].str.contains("synthetic").all()


def test_a_pair_without_demand_plans_nothing():
    # no job in the window: zero nodes, nothing to save, ratios undefined
    jobs = _jobs([(0, 60, 1)])
    demand = demand_from_jobs(jobs, start=T0 + pd.Timedelta("2h"), end=T0 + pd.Timedelta("1D"))
    row = size_commitment(demand, read_catalog(paths.DOCUMENTED_CATALOG)).summary.iloc[0]
    assert (row.peak_nodes, row.recommended_nodes, row.plan_cost, row.savings) == (0, 0, 0.0, 0.0)
    assert np.isnan(row.coverage) and np.isnan(row.utilization)


def test_times_with_offsets_are_read_in_utc():
    jobs = _one_job("2026-01-01T08:00:00+08:00", "2026-01-01T01:00:00Z")
    demand = demand_from_jobs(jobs)
    assert (demand["start"].iloc[0], demand["end"].iloc[0]) == (T0, T0 + pd.Timedelta("1h"))


def test_synthetic_usage_follows_the_working_week():
    jobs = synthetic_jobs(days=28, seed=0)
    started = jobs[jobs["x_kind"] != "service"]["start"]
    weekday_rate = (started.dt.day_of_week < 5).sum() / 20  # 20 weekdays in 4 weeks
    weekend_rate = (started.dt.day_of_week >= 5).sum() / 8
    assert weekend_rate < 0.6 * weekday_rate
    office = started.dt.hour.between(9, 17).mean()
    assert office > 0.5  # 9 of 24 hours hold most starts


def test_result_columns_are_the_documented_ones():
    from pai_model.decisions.planning.plan import CURVE_COLUMNS, SUMMARY_COLUMNS

    plan = size_commitment(
        demand_from_jobs(_jobs([(0, 600, 1)])), read_catalog(paths.DOCUMENTED_CATALOG)
    )
    assert tuple(plan.summary.columns) == SUMMARY_COLUMNS
    assert tuple(plan.curves.columns) == CURVE_COLUMNS


def test_bad_horizons_are_named():
    from pai_model.errors import InputError

    demand = demand_from_jobs(_jobs([(0, 600, 1)]))
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    with pytest.raises(InputError, match="months: must be a whole number of months"):
        size_commitment(demand, catalog, months=0)
    # 120 months of 744 hours = 5,356,800 minutes > 5,260,320
    with pytest.raises(InputError, match="plan a shorter horizon"):
        size_commitment(demand, catalog, months=120, hours_per_month=744)
    with pytest.raises(InputError, match="payg_percent_off: must be a percentage from 0 to below"):
        size_commitment(demand, catalog, payg_percent_off=100)


def test_a_demand_table_given_directly_is_checked():
    demand = pd.DataFrame(
        {
            "region_id": REGION,
            "hardware": HARDWARE,
            "start": [T0, T0 + pd.Timedelta("1h"), T0 + pd.Timedelta("90min")],
            "end": [T0 + pd.Timedelta("1h"), T0 + pd.Timedelta("2h"), T0 + pd.Timedelta("3h")],
            "nodes": [1, 2, -1],
        }
    )
    with pytest.raises(PlanError) as caught:
        size_commitment(demand, read_catalog(paths.DOCUMENTED_CATALOG))
    assert caught.value.messages == [
        "row 2: nodes must be a whole number >= 0;"
        " overlaps the previous interval of its region and hardware"
    ]


@settings(max_examples=40, deadline=None)
@given(job_sets)
def test_exact_times_match_a_second_by_second_loop(records):
    jobs = pd.DataFrame(
        {
            "start": [T0 + pd.Timedelta(seconds=s) for s, _, _, _ in records],
            "end": [T0 + pd.Timedelta(seconds=s + n) for s, n, _, _ in records],
            "region_id": [p[0] for *_, p in records],
            "hardware": [p[1] for *_, p in records],
            "nodes": [k for _, _, k, _ in records],
        }
    )
    demand = demand_from_jobs(jobs, freq=None, start=T0, end=T0 + pd.Timedelta(seconds=10_800))
    for pair in {p for *_, p in records}:
        mine = demand[(demand["region_id"] == pair[0]) & (demand["hardware"] == pair[1])]
        got = []
        for row in mine.itertuples(index=False):
            got += [row.nodes] * int((row.end - row.start) / pd.Timedelta("1s"))
        expected = [
            sum(k for s, n, k, p in records if p == pair and s <= t < s + n) for t in range(10_800)
        ]
        assert got == expected


def test_pair_time_order_falls_back_for_far_apart_exact_times():
    from pai_model.data.arrays import pair_time_order as _pair_time_order

    pair = np.array([1, 0, 1, 0])
    time = np.array([0, 2**61, 1, 3])  # a key pair x span would overflow: lexsort
    assert _pair_time_order(pair, time).tolist() == [3, 1, 0, 2]
    minutes = np.array([120, 60, 0, 60]) * 60_000_000_000  # on a grid: one argsort
    assert _pair_time_order(pair, minutes).tolist() == [1, 3, 2, 0]


@pytest.mark.parametrize("kind", ["str", "category", "object"])
def test_pair_codes_number_pairs_by_region_then_hardware(kind):
    from pai_model.data.arrays import pair_codes

    # by hand: " b" strips to "b"; the missing region is ""; the pairs sorted are
    # ("", "x"), ("a", "y"), ("b", "x"), ("b", "y"); "zzz" is a category nobody uses
    region = pd.Series(["b", "a", " b", None, "b"], dtype=kind)
    hardware = pd.Series(["y", "y", "x", "x", "y"], dtype=kind)
    if kind == "category":
        region = region.cat.add_categories("zzz")
        hardware = hardware.cat.add_categories("zzz")
    pair, regions, hardwares = pair_codes(region, hardware)
    assert pair.tolist() == [3, 1, 2, 0, 3]
    assert regions.tolist() == ["", "a", "b", "b"]
    assert hardwares.tolist() == ["x", "y", "x", "y"]


def test_pair_codes_of_many_labels_are_numbered_the_same_way():
    from pai_model.data.arrays import pair_codes

    # 1,100 regions x 1,100 hardware keys: too many combinations for a lookup table
    n = 1_100
    region = pd.Series([f"r{i:04d}" for i in range(n)][::-1])
    hardware = pd.Series([f"h{n - 1 - i:04d}" for i in range(n)][::-1])
    pair, regions, hardwares = pair_codes(region, hardware)
    assert pair.tolist() == list(range(n))[::-1]  # record k names region r(n-1-k)
    assert regions[:2].tolist() == ["r0000", "r0001"]
    assert hardwares[:2].tolist() == ["h1099", "h1098"]


def test_explanation_when_no_node_pays_off():
    # 2 nodes for 10 of 30 days: each level runs 14,600 min scaled (43,800 / 3) x 0.73 =
    # 10,658.00 < 23,932.70, so k = 0; the sentence names level 1 once, not "and 1 nodes"
    jobs = _jobs([(0, 14_400, 2)])
    demand = demand_from_jobs(jobs, end=T0 + pd.Timedelta(days=30))
    plan = size_commitment(demand, read_catalog(paths.DOCUMENTED_CATALOG))
    text = explain_recommendation(plan, REGION, HARDWARE)
    assert "Demand reached 1 node only 33.3% of the time: subscribe **0** of the peak 2." in text
    assert "A subscribed node costs 23,932.70 USD for 1 month" in text


def test_unreadable_or_empty_inputs_are_named_errors(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(
        JobError,
        match=re.escape("empty.csv: no header line; give the column names on the first line"),
    ):
        demand_from_jobs(empty)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00start")
    with pytest.raises(
        JobError, match=re.escape("line 1: not UTF-8 (byte 0xff); save the file as UTF-8")
    ):
        demand_from_jobs(binary)
    no_rows = pd.DataFrame({c: pd.Series([], dtype=object) for c in DEMAND_COLUMNS})
    with pytest.raises(PlanError, match="demand has no rows"):
        size_commitment(no_rows, read_catalog(paths.DOCUMENTED_CATALOG))
    no_samples = pd.DataFrame({c: [] for c in ("region_id", "hardware", "time", "nodes")})
    with pytest.raises(JobError, match="no samples"):
        demand_from_series(no_samples, freq="1min")
    with pytest.raises(InputError, match="start: must be a time"):
        demand_from_jobs(_jobs([(0, 10, 1)]), start="yesterday")
    with pytest.raises(InputError, match="months: must be a whole number"):
        size_commitment(demand_from_jobs(_jobs([(0, 10, 1)])), read_catalog(), months=float("nan"))


def test_simulation_takes_a_month_convention_finer_than_a_milli_minute():
    # 730.00001 hours = 43,800.0006 minutes: lines are capped at 43,800.001, billable
    demand = demand_from_jobs(_jobs([(0, 2 * 1440, 1)]))
    sim = _simulate(
        demand, read_catalog(paths.DOCUMENTED_CATALOG), scenarios=3, hours_per_month=730.00001
    )
    # one node all the time: 43,800.001 x 0.73 = 31,974.00073 -> 31,974.00
    assert sim.scenarios["all_payg_cost"].tolist() == [31974.0] * 3


def test_synthetic_weekends_follow_the_calendar_for_any_start_day():
    # a window starting on a Wednesday: its days 3 and 4 are the weekend
    jobs = synthetic_jobs(days=28, seed=0, start="2026-01-07")
    started = jobs[jobs["x_kind"] != "service"]["start"]
    weekday_rate = (started.dt.day_of_week < 5).sum() / 20
    weekend_rate = (started.dt.day_of_week >= 5).sum() / 8
    assert weekend_rate < 0.6 * weekday_rate


def test_chosen_pair_defaults_to_the_largest_savings_and_checks_its_input():
    # two pairs, same prices (23,932.70 / 0.73): one node all month on the first pair
    # saves 31,974.00 - 23,932.70 = 8,041.30; the second runs one node 10 days, saves 0
    other = ("cn-beijing", HARDWARE)
    jobs = pd.concat([_jobs([(0, MONTH, 1)]), _jobs([(0, 14_400, 1)], *other)])
    plan = size_commitment(
        demand_from_jobs(jobs), _catalog(23932.70, 0.73, ((REGION, HARDWARE), other))
    )
    assert chosen_pair(plan) == (REGION, HARDWARE)
    assert chosen_pair(plan, "cn-beijing/gu7xf-8xGU108") == other
    for bad in ("cn-beijing", "cn-beijing/nope"):
        with pytest.raises(PlanError, match="not region_id/hardware of a planned pair"):
            chosen_pair(plan, bad)


def test_a_demand_table_changed_after_it_was_built_is_checked_again():
    demand = demand_from_jobs(_jobs([(0, 60, 2), (30, 90, 1)]))
    catalog = _catalog(23932.70, 0.73)
    size_commitment(demand, catalog)  # built by the kit: fine, and not checked twice
    changed = demand.copy()
    changed.loc[0, "nodes"] = -1  # the copy keeps the attrs, not the values
    with pytest.raises(PlanError, match="nodes must be a whole number >= 0"):
        size_commitment(changed, catalog)


def test_spot_is_a_share_of_the_list_price_and_discounts_do_not_apply():
    # golden value (ALIBABA_APIS.md section 9): list 0.73 USD/minute, 10 % paid, a 10 %
    # pay-as-you-go discount -> pay-as-you-go 0.657, spot 0.073 (not 0.9 x 0.073 = 0.0657)
    jobs = pd.DataFrame(
        {
            "start": ["2026-01-01"],
            "end": ["2026-01-02"],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [1],
        }
    )
    plan = size_commitment(
        demand_from_jobs(jobs),
        read_catalog(paths.DOCUMENTED_CATALOG),
        payg_percent_off=10,
        preemptible=Preemptible(percent_paid=10),
    )
    row = plan.summary.iloc[0]
    assert row.payg_price_per_minute == 0.657
    assert row.preemptible_spot_price_per_minute == 0.073
