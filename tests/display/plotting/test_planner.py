"""Figures of the commitment planner: the right data on the right axes, labelled."""

from __future__ import annotations

import pandas as pd
import pytest

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.data.synthetic import synthetic_jobs
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.pipeline import recommendation_table
from pai_model.decisions.planning.plan import size_commitment
from pai_model.decisions.planning.simulation import simulate_plan
from pai_model.display.planning import recommendation_display
from pai_model.display.plotting.planner import (
    cost_curve_figure,
    demand_figure,
    load_duration_figure,
    savings_distribution_figure,
)
from pai_model.errors import PlanError

PAIR = ("cn-wulanchabu", "gu7xf-8xGU108")
T0 = pd.Timestamp("2026-01-01")


@pytest.fixture(scope="module")
def planned():
    # 30 days: 2 nodes all the time, a third for 20 days -> subscribe 2 (see test_planning)
    jobs = pd.DataFrame(
        {
            "start": [T0, T0],
            "end": [T0 + pd.Timedelta(days=30), T0 + pd.Timedelta(days=20)],
            "region_id": PAIR[0],
            "hardware": PAIR[1],
            "nodes": [2, 1],
        }
    )
    demand = demand_from_jobs(jobs)
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    plan = size_commitment(demand, catalog)
    return demand, plan, simulate_plan(demand, plan, scenarios=20)


def test_demand_figure_draws_the_recommended_level(planned):
    demand, plan, _ = planned
    figure = demand_figure(demand, plan.summary, *PAIR)
    steps, level = figure.data
    assert list(steps.y) == [3, 2, 2]  # 3 nodes for 20 days, then 2, held to the end
    assert set(level.y) == {2} and level.name == "subscribe 2 nodes"


def test_cost_curve_marks_the_optimum(planned):
    _, plan, _ = planned
    figure = cost_curve_figure(plan.curves, plan.summary, *PAIR)
    total = figure.data[0]
    assert list(total.y) == [85264.0, 77222.7, 69181.4, 71798.1]
    assert (figure.data[3].x[0], figure.data[3].y[0]) == (2, 69181.4)


def test_load_duration_threshold_is_the_break_even_share(planned):
    _, plan, _ = planned
    figure = load_duration_figure(plan.curves, plan.summary, *PAIR)
    bars = figure.data[0]
    assert list(bars.y) == [1, 2, 3]
    assert list(bars.x) == pytest.approx([1.0, 1.0, 20 / 30])
    # 23,932.70 / 0.73 / 60 = 546.41 h of 730 h
    assert figure.layout.shapes[0].x0 == pytest.approx(23932.70 / 0.73 / 60 / 730)


def test_savings_histograms_and_labels():
    jobs = synthetic_jobs([PAIR], days=7, seed=2)
    demand = demand_from_jobs(jobs)
    catalog = read_catalog()
    plan = size_commitment(demand, catalog)
    simulation = simulate_plan(demand, plan, scenarios=30)
    figure = savings_distribution_figure(simulation.scenarios, plan.summary, *PAIR)
    assert [len(trace.x) for trace in figure.data] == [30, 30]
    assert "SYNTHETIC demand" in figure.layout.title.text
    shown = recommendation_display(recommendation_table(plan, simulation))
    assert shown.loc[0, "subscribe (of peak)"].endswith(f"of {plan.summary.loc[0, 'peak_nodes']}")
    assert "savings 5th-95th pct" in shown


def test_unknown_pair_is_an_error(planned):
    demand, plan, _ = planned
    with pytest.raises(PlanError, match="no plan for"):
        demand_figure(demand, plan.summary, "cn-mars", "x")
