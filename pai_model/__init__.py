"""PAI cost kit: subscription or pay-as-you-go for Alibaba Cloud PAI computing nodes.

Layers, lowest first (a layer imports only those below it):

- formulas: :mod:`~pai_model.billing` (exact bill amounts), :mod:`~pai_model.breakeven`,
  :mod:`~pai_model.terms` (calendar subscription terms);
- tables: :mod:`~pai_model.catalog` (validated price catalogs), :mod:`~pai_model.orders`,
  :mod:`~pai_model.comparison` (break-even and project-length tables),
  :mod:`~pai_model.projects` (the cheapest plan for a project with dates),
  :mod:`~pai_model.fleet` (a fleet on its cheaper method), :mod:`~pai_model.quotes` (one
  order, fast and exact), :mod:`~pai_model.planning` (a package: how many nodes to
  subscribe, from usage), :mod:`~pai_model.synthetic` (sample usage);
- presentation: :mod:`~pai_model.plotting`, :mod:`~pai_model.summaries`,
  :mod:`~pai_model.recommendations` (the planner's, in words), :mod:`~pai_model.reports`,
  :mod:`~pai_model.whatif` and :mod:`~pai_model.widgets`, :mod:`~pai_model.cli`.

Public names are imported on first use, so ``import pai_model`` stays fast (pandas,
pandera and plotly load only when a function needs them).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "subscription_cost": "billing",
    "payg_cost": "billing",
    "exact_amount": "billing",
    "year_subscription_cost": "billing",
    "hourly_payg_cost": "billing",
    "break_even_minutes": "breakeven",
    "break_even_utilization": "breakeven",
    "break_even_hours_per_day": "breakeven",
    "monthly_minutes": "breakeven",
    "months_billed": "breakeven",
    "subscription_end": "terms",
    "months_to_cover": "terms",
    "project_plan": "projects",
    "load_catalog": "catalog",
    "describe_provenance": "catalog",
    "price_orders": "orders",
    "quote": "quotes",
    "Quote": "quotes",
    "Bill": "orders",
    "break_even_table": "comparison",
    "project_length_table": "comparison",
    "project_crossovers": "comparison",
    "discounted_price": "billing",
    "load_fleet": "fleet",
    "plan_fleet": "fleet",
    "FleetPlan": "fleet",
    "demand_from_jobs": "planning",
    "demand_from_series": "planning",
    "read_jobs": "planning",
    "plan_commitment": "planning",
    "simulate_plan": "planning",
    "recommendation_table": "planning",
    "commitment_pipeline": "planning",
    "CommitmentResult": "planning",
    "explain_recommendation": "recommendations",
    "plannable_pairs": "planning",
    "chosen_pair": "planning",
    "Preemptible": "planning",
    "CommitmentPlan": "planning",
    "PlanSimulation": "planning",
    "synthetic_jobs": "synthetic",
    "render_report": "reports",
    "list_notebooks": "reports",
    "Report": "reports",
    "ReportError": "reports",
    "what_if": "widgets",
    "PaiModelError": "errors",
    "PaiModelWarning": "errors",
    "InputError": "errors",
    "CatalogError": "errors",
    "OrderError": "errors",
    "FleetError": "errors",
    "JobError": "errors",
    "PlanError": "errors",
    "TableError": "errors",
    "Problem": "errors",
    "UsageError": "errors",
    "read_focus": "usage",
    "map_specs": "usage",
    "read_instance_bills": "usage",
    "read_dlc_jobs": "usage",
    "to_focus": "focus",
    "write_focus": "focus",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pai_model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
