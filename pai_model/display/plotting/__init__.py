"""Plotly figures of the kit's tables: functions that take DataFrames and return ``go.Figure``.

The figures are built without a kernel (tests inspect ``fig.data``), shown by notebooks and
reports, and reused by the what-if panel. This package is the only one that imports plotly;
``import pai_model`` never imports it (import ``pai_model.display.plotting`` when a figure is
needed).

Every figure that uses a month of usage states its convention (``hours_per_month``, 730 h
by default: 365 x 24 / 12), and every figure built on illustrative prices says so. Bad
input raises the kit's errors (:class:`~pai_model.errors.PaiModelError` subclasses).

One module per concern:

- :mod:`~pai_model.display.plotting.costs`: cost against usage for one pair or every pair of a
  break-even table, break-even utilization by region;
- :mod:`~pai_model.display.plotting.projects`: a fixed-length project, a dated project's cheapest
  plan, a fleet's totals;
- :mod:`~pai_model.display.plotting.planner`: the commitment planner's demand, load-duration,
  cost-curve and savings figures.
"""

from __future__ import annotations

from pai_model.display.plotting._style import (
    GROUP_COLORS,
    PAYG_COLOR,
    PLAN_DEMAND_COLOR,
    PLAN_TOTAL_COLOR,
    PROVENANCE_PATTERN,
    SUBSCRIPTION_COLOR,
    USAGE_GRID,
)
from pai_model.display.plotting.costs import (
    break_even_utilization_figure,
    breakeven_by_region_figure,
    cost_vs_usage_figure,
)
from pai_model.display.plotting.planner import (
    cost_curve_figure,
    demand_figure,
    load_duration_figure,
    savings_distribution_figure,
)
from pai_model.display.plotting.projects import (
    fleet_totals_figure,
    project_length_figure,
    project_plan_figure,
)

__all__ = [
    "GROUP_COLORS",
    "PAYG_COLOR",
    "PLAN_DEMAND_COLOR",
    "PLAN_TOTAL_COLOR",
    "PROVENANCE_PATTERN",
    "SUBSCRIPTION_COLOR",
    "USAGE_GRID",
    "break_even_utilization_figure",
    "breakeven_by_region_figure",
    "cost_curve_figure",
    "cost_vs_usage_figure",
    "demand_figure",
    "fleet_totals_figure",
    "load_duration_figure",
    "project_length_figure",
    "project_plan_figure",
    "savings_distribution_figure",
]
