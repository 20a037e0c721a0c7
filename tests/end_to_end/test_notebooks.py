"""The notebooks in the repository: committed clean, and each run with non-default parameters.

The break-even notebook's run is in test_reports.py (its HTML is checked there too).
Expected values are hand calculations on tests/data/report_catalog.csv, shown in comments.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from pai_model.display.reports.parameters import notebook_parameters
from pai_model.display.reports.render import render_report
from pai_model.paths import NOTEBOOK_DIR

TEST_CATALOG = Path(__file__).resolve().parents[1] / "data" / "report_catalog.csv"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"breakeven_by_region", "fleet_plan", "project_length"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_plain_typed_commented_parameters_cell(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    lines = [line for line in tagged[0].source.splitlines() if line.strip()]
    declared = notebook_parameters(path)
    # papermill understood every line: each has a type hint, a literal and a comment
    assert len(declared) == len(lines), f"{path.name}: papermill cannot parse every line"
    for parameter in declared.values():
        assert parameter.type != "None", f"{path.name}: {parameter.name} has no type hint"
        assert parameter.help, f"{path.name}: {parameter.name} has no comment"


@pytest.mark.slow
def test_fleet_plan_notebook(tmp_path):
    fleet = tmp_path / "fleet.csv"
    fleet.write_text(
        "region_id,hardware,spec,quantity,usage_hours_per_day,months\n"
        "cn-wulanchabu,gu108,,2,8,3\n"
        "cn-beijing,gpux,,1,24,1\n"
        "cn-shanghai,,ecs.g7.xlarge-4c16g,3,24,2\n"
        "cn-shanghai,gu108,,1,8,1\n"
        "cn-hongkong,gu108,,1,8,1\n"
    )
    export = tmp_path / "export"
    export.mkdir()
    report = render_report(
        "fleet_plan",
        {"fleet": str(fleet), "catalog": str(TEST_CATALOG), "export_dir": str(export)},
        out_dir=tmp_path / "out",
        progress=False,
    )
    rows = pd.read_csv(export / "fleet_rows.csv").set_index("line")
    costs = rows[["subscription_cost", "payg_cost", "plan_method"]].astype(object)
    costs = costs.where(costs.notna(), None)
    # line 2: 2 x 23,932.70 x 3 = 143,596.20; 2 x 0.73 x 14,600 min x 3 = 63,948.00
    # line 4: general, subscription only: 3 x 78.94 x 2 = 473.64
    assert costs.loc[2].tolist() == [143596.20, 63948.00, "payg"]
    assert costs.loc[4].tolist() == [473.64, None, "subscription"]
    reasons = rows["reason"]
    assert reasons[3] == (
        "subscription offer ml.test.gpux is out of stock in cn-beijing: it cannot be"
        " purchased now; pay-as-you-go offer ml.test.gpux is out of stock in cn-beijing:"
        " it cannot be purchased now"
    )
    assert reasons[5] == "no offer of hardware 'gu108' in this region"
    assert reasons[6] == "region 'cn-hongkong' is not in the catalog"
    totals = pd.read_csv(export / "fleet_totals.csv")
    # subscription first 143,596.20 + 473.64; pay-as-you-go first and mixed 63,948.00 + 473.64
    assert totals["cost"].tolist() == [144069.84, 64421.64, 64421.64]
    html = report.html.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == 1
    assert "3 row(s) cannot be bought" in html
    assert "no offer of hardware 'gu108' in this region" in html
    assert "Pay-as-you-go overhead: 0 min a job" in html


@pytest.mark.slow
def test_project_length_notebook(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    report = render_report(
        "project_length",
        {
            "catalog": str(TEST_CATALOG),
            "region_id": "cn-beijing",
            "hardware": "gu108",
            "nodes": "2",
            "max_days": "70",
            "hours_per_month": "720",
            "start": "",
            "export_dir": str(export),
        },
        out_dir=tmp_path / "out",
        progress=False,
    )
    crossovers = pd.read_csv(export / "project_crossovers.csv")
    # 17,520.00 a month against 0.50 x 1,440 = 720.00 a day: pay-as-you-go wins the first
    # 17,520 / 720 = 24.333 days of each month k up to k x 24.333; months are 30 days
    expected = pd.DataFrame(
        {
            "start_days": [0.0, 24 + 1 / 3, 30.0, 48 + 2 / 3, 60.0],
            "end_days": [24 + 1 / 3, 30.0, 48 + 2 / 3, 60.0, 70.0],
            "cheaper": ["payg", "subscription", "payg", "subscription", "payg"],
        }
    )
    pd.testing.assert_frame_equal(crossovers, expected, check_exact=False, atol=1e-9)
    html = report.html.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == 1
    assert "24.3 to 30.0 days: the subscription is cheaper" in html
    assert "illustrative prices" in html
    assert not (export / "project_plan.csv").exists()


@pytest.mark.slow
def test_project_length_notebook_with_a_start_date(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    report = render_report(
        "project_length",
        {
            "catalog": str(TEST_CATALOG),
            "hardware": "gu108",
            "start": "2026-01-01",
            "days": "35",
            "export_dir": str(export),
        },
        out_dir=tmp_path / "out",
        progress=False,
    )
    plan = pd.read_csv(export / "project_plan.csv")
    # the 35 days on one GU108 node: January subscribed (23,932.70), then
    # 4 x 1,440 x 0.73 = 4,204.80 pay-as-you-go
    assert plan[["start", "end", "method", "cost"]].values.tolist() == [
        ["2026-01-01", "2026-02-01", "subscription", 23932.70],
        ["2026-02-01", "2026-02-05", "payg", 4204.80],
    ]
    html = report.html.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == 2
    assert "cheapest plan: 28,137.50 USD" in html
    assert "calendar terms from 2026-01-01" in html
