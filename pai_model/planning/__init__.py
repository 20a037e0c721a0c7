"""Commitment planning: how many nodes to subscribe, from a usage history.

One module per concern, in the order of the pipeline:

- :mod:`~pai_model.planning.jobs`: the tables the planner reads (job records, demand
  samples, demand tables), checked, every bad record listed;
- :mod:`~pai_model.planning.demand`: demand from job records or samples, a run-length
  encoded series per (region, hardware), never a minute grid;
- :mod:`~pai_model.planning.prices`: the offer of each pair, discounts (percent off),
  the preemptible tier, the horizon;
- :mod:`~pai_model.planning.curve`: the load-duration levels and the cost of every
  subscription count, in the billing engine's integer cents;
- :mod:`~pai_model.planning.plan`: the plan (:func:`plan_commitment`);
- :mod:`~pai_model.planning.simulation`: the plan under resampled demand
  (:func:`simulate_plan`);
- :mod:`~pai_model.planning.pipeline`: all of it in one call
  (:func:`commitment_pipeline`), used by ``pai-cost plan`` and the ``commitment_plan``
  notebook.

Prose about a plan (:func:`~pai_model.recommendations.explain_recommendation`) and its
display table (:func:`~pai_model.recommendations.recommendation_display`) are
presentation, in :mod:`pai_model.recommendations`.
"""

from __future__ import annotations

from .demand import demand_from_jobs, demand_from_series
from .jobs import DEMAND_COLUMNS, JOB_COLUMNS, SAMPLE_COLUMNS, read_jobs
from .pipeline import CommitmentResult, commitment_pipeline, recommendation_table
from .plan import CURVE_COLUMNS, SUMMARY_COLUMNS, CommitmentPlan, chosen_pair, plan_commitment
from .prices import RENAMED, Preemptible, check_renamed, plannable_pairs
from .simulation import PlanSimulation, simulate_plan

__all__ = [
    "CURVE_COLUMNS",
    "DEMAND_COLUMNS",
    "JOB_COLUMNS",
    "RENAMED",
    "SAMPLE_COLUMNS",
    "SUMMARY_COLUMNS",
    "CommitmentPlan",
    "CommitmentResult",
    "PlanSimulation",
    "Preemptible",
    "check_renamed",
    "chosen_pair",
    "commitment_pipeline",
    "demand_from_jobs",
    "demand_from_series",
    "plan_commitment",
    "plannable_pairs",
    "read_jobs",
    "recommendation_table",
    "simulate_plan",
]
