"""The dated project plan's figure: its traces and values, and escaped text."""

from __future__ import annotations

import pytest

from pai_model.decisions.projects import plan_project
from pai_model.display.plotting.projects import project_plan_figure
from pai_model.errors import InputError


def test_plan_figure_shows_segments_and_cost_to_date():
    # 35 days from 1 January: January subscribed (23,932.70), 4 days pay-as-you-go (4,204.80)
    plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73)
    figure = project_plan_figure(plan, currency="<USD>", subtitle="<b>x</b>")
    traces = {t.name: t for t in figure.data}
    assert list(traces) == [
        "subscription",
        "pay-as-you-go",
        "cheapest plan",
        "all pay-as-you-go",
        "whole-month subscription",
    ]
    assert list(traces["subscription"].text) == ["23,932.70"]
    assert list(traces["pay-as-you-go"].text) == ["4,204.80"]
    # 31 days of 86,400,000 ms; 4 days
    assert list(traces["subscription"].x) == [31 * 86_400_000.0]
    assert list(traces["pay-as-you-go"].x) == [4 * 86_400_000.0]
    # prepaid on 1 January, then 4 days of pay-as-you-go: 0 -> 23,932.70 -> 28,137.50
    assert list(traces["cheapest plan"].y) == [0.0, 23932.70, 23932.70, 28137.50]
    assert list(traces["all pay-as-you-go"].y) == [0.0, 36792.0]
    assert list(traces["whole-month subscription"].y) == [0.0, 47865.40, 47865.40]
    title = figure.layout.title.text
    assert "&lt;b&gt;x&lt;/b&gt;" in title and "<b>x</b>" not in title
    assert "total 28,137.50 &lt;USD&gt;" in title


def test_an_empty_plan_is_refused():
    plan = plan_project("2026-01-01", "2026-02-05", 23932.70, 0.73).iloc[:0]
    with pytest.raises(InputError, match="nothing to draw"):
        project_plan_figure(plan)
