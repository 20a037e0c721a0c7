"""Backtest and history: the plan made on earlier months against each later month.

Expected values are hand calculations shown in comments (the billing page's 0.73 USD/minute
and 23,932.70 USD/month GU108 prices, the embedded 'documented' catalog).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from pai_model import paths
from pai_model.data.catalog import read_catalog
from pai_model.decisions.backtest import backtest, history
from pai_model.errors import FocusDeviationWarning, PlanError

DOCUMENTED = read_catalog(paths.DOCUMENTED_CATALOG)
SAMPLE = paths.SAMPLE_DIR / "focus_sample.csv"


def test_backtest_finds_the_hindsight_plan():
    # Jan: 2 nodes; Feb and Mar: 3 nodes. Plan on Jan: 2 (its third level is empty).
    # Feb (40,320 min x 0.73 = 29,433.60 per node > 23,932.70): best is 3.
    # Plan on Jan + Feb (59 days): level 3 runs 28/59 of 43,800 min = 20,786.4 min,
    # 15,174.07 < 23,932.70: still 2. March: 44,640 min x 0.73 = 32,587.20 per node.
    jobs = pd.DataFrame(
        {
            "start": ["2026-01-01", "2026-02-01"],
            "end": ["2026-04-01", "2026-04-01"],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [2, 1],
        }
    )
    result = backtest(jobs, DOCUMENTED)
    folds = result.folds
    assert folds["recommended_nodes"].tolist() == [2, 2]
    assert folds["hindsight_nodes"].tolist() == [3, 3]
    # 2 x 23,932.70 + 29,433.60; 2 x 23,932.70 + 32,587.20
    assert folds["plan_cost"].tolist() == [77299.0, 80452.6]
    assert folds["hindsight_cost"].tolist() == [71798.1, 71798.1]  # 3 x 23,932.70
    assert folds["all_payg_cost"].tolist() == [88300.8, 97761.6]  # 3 x 29,433.60; 3 x 32,587.20
    assert folds["regret"].tolist() == [5500.9, 8654.5]
    total = result.totals.iloc[0]
    assert total["realized_savings"] == pytest.approx(88300.8 - 77299.0 + 97761.6 - 80452.6)


def test_backtest_needs_enough_months():
    jobs = pd.DataFrame(
        {
            "start": ["2026-01-01"],
            "end": ["2026-02-01"],
            "region_id": "cn-wulanchabu",
            "hardware": "gu7xf-8xGU108",
            "nodes": [1],
        }
    )
    with pytest.raises(PlanError, match="needs at least 2"):
        backtest(jobs, DOCUMENTED)


def test_history_from_bills_synthetic_and_jobs(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FocusDeviationWarning)
        jobs = history(SAMPLE, read_catalog())
    assert len(jobs) == 1304 and list(jobs["spec"] if "spec" in jobs else jobs.columns)[:5] == [
        "start",
        "end",
        "region_id",
        "hardware",
        "nodes",
    ]
    assert len(jobs.attrs["unmapped"]) == 2
    assert history("synthetic", read_catalog()).attrs["synthetic"]
    path = tmp_path / "jobs.csv"
    path.write_text(
        "start,end,region_id,hardware,nodes\n2026-01-01,2026-01-02,cn-wulanchabu,gu7xf-8xGU108,1\n"
    )
    assert history(path, DOCUMENTED)["nodes"].tolist() == [1]


def test_jobs_without_the_columns_of_job_records_are_refused_naming_jobs():
    catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    with pytest.raises(ValueError) as refused:
        backtest(pd.DataFrame({"x": [1]}), catalog)
    assert str(refused.value) == (
        "jobs must be job records with the columns start, end, region_id, hardware, nodes;"
        " missing start, end, region_id, hardware, nodes"
    )
    no_nodes = pd.DataFrame(
        {"start": ["2026-01-01"], "end": ["2026-02-01"], "region_id": ["cn-wulanchabu"]}
    ).assign(hardware="gu7xf-8xGU108")
    with pytest.raises(ValueError, match=r"; missing nodes$"):
        backtest(no_nodes, catalog)
