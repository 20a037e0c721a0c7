"""Figures built from tables, inspected without a kernel.

Expected values are hand calculations (shown in comments) or the billing page's examples;
a month is 730 h (43,800 minutes) unless stated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pai_model.data.catalog import read_catalog
from pai_model.decisions.comparison import (
    break_even_table,
    project_crossovers,
    project_length_table,
)
from pai_model.decisions.fleet import plan_fleet
from pai_model.display import plotting
from pai_model.errors import InputError

TEST_CATALOG = Path(__file__).resolve().parents[2] / "data" / "report_catalog.csv"
GU108_SUBSCRIPTION, GU108_PAYG = 23932.70, 0.73  # the billing page's Ulanqab examples


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return break_even_table(read_catalog(TEST_CATALOG))


def test_import_pai_model_does_not_import_plotly():
    code = "import sys, pai_model; print('plotly' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_cost_vs_usage_figure_traces_are_exact_bills():
    fig = plotting.cost_vs_usage_figure(GU108_SUBSCRIPTION, GU108_PAYG, usage_hours_per_day=8)
    assert [t.name for t in fig.data] == [
        "subscription",
        "pay-as-you-go",
        "break-even",
        "at 8 h/day",
    ]
    subscription, payg, break_even, at_usage = fig.data
    assert list(subscription.x) == [0, 24]
    assert list(subscription.y) == [23932.70, 23932.70]
    # 24 h/day = 43,800 min x 0.73 = 31,974.00; 6 h/day = 10,950 min x 0.73 = 7,993.50
    x, y = np.asarray(payg.x), np.asarray(payg.y)
    assert x[0] == 0 and x[-1] == 24 and len(x) == 97  # quarter hours
    assert y[0] == 0.0
    assert y[-1] == 31974.00
    assert y[x == 6][0] == 7993.50
    # 23,932.70 / 0.73 = 32,784.5205... min a month; / 60 / (730 / 24) = 17.96412... h/day
    assert break_even.x[0] == pytest.approx(17.964120, abs=1e-6)
    assert break_even.y[0] == 23932.70
    # at 8 h/day: 14,600 min x 0.73 = 10,658.00
    assert list(at_usage.x) == [8, 8]
    assert list(at_usage.y) == [23932.70, 10658.00]
    assert "cost [USD]" in fig.layout.yaxis.title.text


def test_cost_vs_usage_figure_quantity_months_and_month_convention():
    fig = plotting.cost_vs_usage_figure(
        GU108_SUBSCRIPTION,
        GU108_PAYG,
        quantity=2,
        months=3,
        hours_per_month=720,
        name="cn-wulanchabu",
        provenance="illustrative",
    )
    assert [t.name for t in fig.data][:2] == [
        "cn-wulanchabu: subscription",
        "cn-wulanchabu: pay-as-you-go",
    ]
    # 2 nodes x 3 months x 23,932.70 = 143,596.20
    assert list(fig.data[0].y) == [143596.20, 143596.20]
    # 720 h months: 24 h/day = 43,200 min; x 0.73 x 2 nodes x 3 months = 189,216.00
    assert fig.data[1].y[-1] == 189216.00
    # break-even does not depend on nodes or months: 32,784.5205 / 60 / 30 = 18.21362 h/day
    assert fig.data[2].x[0] == pytest.approx(18.213622, abs=1e-6)
    # no usage given: the trace is there (fixed trace set for in-place updates) but empty
    assert fig.data[3].x == () and fig.data[3].y == ()
    assert "illustrative" in fig.layout.title.text
    assert "720 h" in fig.layout.title.text
    assert "over 3 months" in fig.layout.yaxis.title.text


def test_cost_vs_usage_figure_break_even_beyond_a_day_is_not_marked():
    # 100 / 0.001 = 100,000 min a month > 43,800: pay-as-you-go wins even at 24 h/day
    fig = plotting.cost_vs_usage_figure(100, 0.001)
    assert len(fig.data) == 4
    assert fig.data[2].x == ()


def test_breakeven_by_region_figure_one_panel_per_hardware_one_group_per_region(table):
    fig = plotting.breakeven_by_region_figure(table, usage_hours_per_day=8)
    assert len(fig.data) == 4 * len(table) == 12
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["gpux [USD]", "gu108 [USD]"]
    # panels in table order: gpux (x axis 1), gu108 (x axis 2)
    by_name = {(t.xaxis, t.name): t for t in fig.data}
    # Beijing gu108 (illustrative): 17,520.00 a month; 8 h/day = 14,600 min x 0.50 = 7,300.00
    beijing = by_name["x2", "China (Beijing): subscription"]
    assert list(beijing.y) == [17520.00, 17520.00]
    assert "illustrative prices" in beijing.hovertemplate
    assert list(by_name["x2", "China (Beijing): at 8 h/day"].y) == [17520.00, 7300.00]
    # 17,520 / 0.5 = 35,040 min = 80 % of 43,800 = 19.2 h/day
    assert by_name["x2", "China (Beijing): break-even"].x[0] == pytest.approx(19.2)
    # the out-of-stock gpux pair is flagged; 4,380 / 0.2 = 21,900 min = 12 h/day
    gpux = by_name["x", "China (Beijing): break-even"]
    assert gpux.x[0] == pytest.approx(12.0)
    assert "illustrative prices, out of stock" in gpux.hovertemplate
    ulanqab = by_name["x2", "China (Ulanqab): subscription"]
    assert list(ulanqab.y) == [23932.70, 23932.70]
    assert "documented prices" in ulanqab.hovertemplate
    # one legend entry pair per region, groups toggle together across panels
    shown = [t.name for t in fig.data if t.showlegend is not False]
    assert len(shown) == 2 * 2  # two regions x (subscription, pay-as-you-go)
    assert {t.legendgroup for t in fig.data} == {"cn-beijing", "cn-wulanchabu"}
    assert (
        "2 of 3 pairs use illustrative prices, not quotes (documented: China (Ulanqab)"
        " gu108)" in fig.layout.title.text
    )


def test_break_even_utilization_figure(table):
    fig = plotting.break_even_utilization_figure(table)
    bars = {t.name: t for t in fig.data}
    assert set(bars) == {"gpux", "gu108"}
    gu108 = bars["gu108"]
    values = dict(zip(gu108.y, gu108.x, strict=True))
    # Beijing 35,040 / 43,800 = 80 %; Ulanqab 32,784.5205 / 43,800 = 74.8505 %
    assert values["China (Beijing)"] == pytest.approx(80.0)
    assert values["China (Ulanqab)"] == pytest.approx(74.850503, abs=1e-6)
    patterns = dict(zip(gu108.y, gu108.marker.pattern.shape, strict=True))
    assert patterns == {"China (Beijing)": "/", "China (Ulanqab)": ""}
    # Beijing gpux at 21,900 / 43,800 = 50 % pays off soonest: listed on top (last category)
    assert list(fig.layout.yaxis.categoryarray) == ["China (Ulanqab)", "China (Beijing)"]
    assert "out of stock" in bars["gpux"].text[0]


def test_project_length_figure_marks_crossovers():
    # 23,932.70 / (1,440 min x 0.73) = 22.7670 days; months of 730 h = 30.4167 days
    days = np.round(np.linspace(0, 61, 611), 3)
    lengths = project_length_table(GU108_SUBSCRIPTION, GU108_PAYG, days)
    crossovers = project_crossovers(GU108_SUBSCRIPTION, GU108_PAYG, 61)
    fig = plotting.project_length_figure(lengths, crossovers)
    staircase, line, marks = fig.data
    assert staircase.line.shape == "hv"
    assert list(staircase.y[:2]) == [0.0, 23932.70]
    assert line.y[-1] == 64123.20  # 61 days x 1,440 min x 0.73
    # winners change at 22.767 (within month 1), 30.417 (month 2 starts), 2 x 22.767 and
    # 60.833 (month 3 starts, pay-as-you-go wins again until 61)
    np.testing.assert_allclose(marks.x, [22.767028, 30.416667, 45.534056, 60.833333], atol=1e-6)
    # on the pay-as-you-go line: 22.767028 days x 1,051.20 a day = 23,932.70
    assert marks.y[0] == pytest.approx(23932.70, abs=0.01)
    assert len(fig.layout.shapes) == 5  # one shaded interval per winner run


def test_fleet_totals_figure():
    fleet = pd.DataFrame(
        {
            "region_id": ["cn-wulanchabu"],
            "hardware": ["gu108"],
            "quantity": [2],
            "usage_hours_per_day": [8],
            "months": [3],
        }
    )
    plan = plan_fleet(fleet, read_catalog(TEST_CATALOG))
    fig = plotting.fleet_totals_figure(plan.totals)
    (bars,) = fig.data
    # subscription 2 x 23,932.70 x 3 = 143,596.20; pay-as-you-go 2 x 0.73 x 14,600 x 3
    # = 63,948.00, also the mixed plan
    assert list(bars.x) == ["subscription first", "pay-as-you-go first", "mixed: cheaper per row"]
    assert list(bars.y) == [143596.20, 63948.00, 63948.00]


def test_empty_tables_are_refused_with_the_kits_errors(table):
    with pytest.raises(InputError, match="table: the break-even table is empty"):
        plotting.breakeven_by_region_figure(table.iloc[0:0])
    with pytest.raises(InputError, match="table: the break-even table is empty"):
        plotting.break_even_utilization_figure(table.iloc[0:0])
    no_rows = pd.DataFrame({"currency": [], "plan": [], "cost": []})
    with pytest.raises(InputError, match="totals: no fleet row can be bought"):
        plotting.fleet_totals_figure(no_rows)


HOSTILE_CATALOG = Path(__file__).resolve().parents[2] / "data" / "hostile_catalog.csv"


def _strings(value) -> list[str]:
    """Every string inside a figure's JSON dictionary (titles, names, labels, hovers)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple, np.ndarray)):
        return [s for v in value for s in _strings(v)]
    return []


def test_text_from_a_hostile_catalog_never_becomes_figure_markup():
    table = break_even_table(read_catalog(HOSTILE_CATALOG))
    figures = {
        "by region": plotting.breakeven_by_region_figure(
            table, usage_hours_per_day=8, title="<img src=x onerror=alert(8)>"
        ),
        "utilization": plotting.break_even_utilization_figure(table, title="<b>t</b>"),
        "cost vs usage": plotting.cost_vs_usage_figure(
            GU108_SUBSCRIPTION, GU108_PAYG, name="<script>alert(9)</script>", currency="<i>"
        ),
        "project": plotting.project_length_figure(
            project_length_table(GU108_SUBSCRIPTION, GU108_PAYG, [10, 40]),
            project_crossovers(GU108_SUBSCRIPTION, GU108_PAYG, 40),
            title="<a href='javascript:alert(10)'>x</a>",
            subtitle="<svg onload=alert(11)>",
        ),
    }
    for name, figure in figures.items():
        text = " ".join(_strings(figure.to_plotly_json()))
        raw = [m for m in ("<img", "<script", "<svg", "<a ", "<b>t", "<i>") if m in text]
        assert not raw, f"{name}: raw markup {raw}"
    # shown as the text it is: plotly turns the entities back into characters
    by_region = " ".join(_strings(figures["by region"].to_plotly_json()))
    assert "&lt;img src=x onerror=alert(1)&gt;" in by_region  # the catalog's region name
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in by_region  # its hardware key
