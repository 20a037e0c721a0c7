"""The planner's front doors: plan_commitment, ``pai-cost plan`` and the notebook.

They compute the same recommendation through one pipeline, take discounts as percent
off, and refuse the old spellings naming the new ones. Expected values are the hand
calculations of tests/test_planning.py, repeated in the comments.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
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
from pai_model.errors import InputError

# 30 days: 2 nodes all the time, a third for 20 days (see test_planning): subscribe 2,
# plan 69,181.40, all pay-as-you-go 85,264.00, savings 16,082.60 USD
HAND_MADE = [(0, 43_200, 2), (0, 28_800, 1)]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pai_model.cli", "plan", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


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


def test_the_pipeline_without_jobs_plans_labelled_synthetic_usage():
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    result = plan_commitment(None, catalog, scenarios=0, synthetic_days=7, seed=3)
    expected = size_commitment(
        demand_from_jobs(synthetic_jobs([("cn-wulanchabu", "gu7xf-8xGU108")], days=7, seed=3)),
        catalog,
    )
    assert result.simulation is None and result.notes == result.plan.notes
    assert result.table["plan_cost"].tolist() == expected.summary["plan_cost"].tolist()
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


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pai_model.cli", "plan", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


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
