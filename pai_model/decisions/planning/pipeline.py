"""One pipeline from job records to the recommendation: demand, plan, simulation, table.

The ``pai-cost plan`` command and the ``commitment_plan`` notebook both call
:func:`plan_commitment`, so they cannot drift apart, and the plan is computed once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pai_model.data.arrays import is_whole
from pai_model.data.synthetic import SYNTHETIC, synthetic_jobs
from pai_model.decisions.planning.demand import demand_from_jobs
from pai_model.decisions.planning.held import held_groups, held_notes, pair_totals, with_held
from pai_model.decisions.planning.plan import OUTCOME_COLUMNS, CommitmentPlan, size_commitment
from pai_model.decisions.planning.prices import Preemptible, plannable_pairs
from pai_model.decisions.planning.simulation import PlanSimulation, simulate_plan
from pai_model.errors import InputError
from pai_model.formulas.arguments import wrong_type
from pai_model.formulas.breakeven import HOURS_PER_MONTH
from pai_model.formulas.currency import rates_text


@dataclass(frozen=True)
class CommitmentResult:
    """Result of :func:`plan_commitment`."""

    #: The demand table (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`).
    demand: pd.DataFrame
    #: The plan, computed once (:func:`~pai_model.decisions.planning.plan.size_commitment`).
    plan: CommitmentPlan
    #: The plan under demand scenarios; None with ``scenarios=0``.
    simulation: PlanSimulation | None
    #: :func:`recommendation_table` of the plan and the simulation (with the columns of
    #: :data:`~pai_model.decisions.planning.held.HELD_COLUMNS` when nodes are held).
    table: pd.DataFrame
    #: Lines about the nodes already held (what to add, what to renew, by when).
    held_notes: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """What a reader must know about the plan (and the scenarios, when simulated)."""
        notes = self.plan.notes if self.simulation is None else self.simulation.notes
        return [*notes, *self.held_notes]


#: What ``jobs`` is, for the message that refuses another value.
JOBS_WORDS = "job records: a DataFrame, a path or a URL (str or os.PathLike), or 'synthetic'"


def plan_commitment(
    jobs: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    *,
    months: int = 1,
    payg_percent_off: float = 0.0,
    subscription_percent_off: float = 0.0,
    hours_per_month: float = HOURS_PER_MONTH,
    preemptible: Preemptible | None = None,
    scenarios: int = 1000,
    growth: float | tuple[float, float] = 1.0,
    seed: int = 0,
    synthetic_days: int = 28,
    timezone: str | None = None,
    overhead_minutes: float = 0.0,
    start: Any = None,
    general_refund_percent: float = 0.0,
    buyable_months: Any = None,
    held: pd.DataFrame | str | os.PathLike[str] | None = None,
    fx: Any = None,
) -> CommitmentResult:
    """From job records (or synthetic usage) to the recommendation, each step once.

    Parameters
    ----------
    jobs : pandas.DataFrame, path-like or "synthetic"
        Job records (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`), or
        ``"synthetic"`` for the kit's seeded synthetic usage
        (:func:`~pai_model.data.synthetic.synthetic_jobs`) on every pair the catalog offers
        both ways, labelled synthetic everywhere. Anything else (None included) is a
        TypeError naming ``jobs``.
    catalog : pandas.DataFrame
        Price catalog (:func:`~pai_model.data.catalog.read_catalog`); every pair of the jobs
        must be offered in it.
    months, payg_percent_off, subscription_percent_off, hours_per_month, preemptible
        As in :func:`~pai_model.decisions.planning.plan.size_commitment`.
    scenarios : int, default 1000
        Demand scenarios of :func:`~pai_model.decisions.planning.simulation.simulate_plan`; 0 for
        none.
    growth : float or (float, float), default 1.0
        Demand growth factor of the scenarios (a range draws uniformly). [fraction]
    seed : int, default 0
        Seed of the scenarios and of the synthetic usage.
    synthetic_days : int, default 28
        Days of synthetic usage when ``jobs`` is ``"synthetic"``. [day]
    timezone : str, optional
        Time zone of job times written without a UTC offset, e.g. ``Asia/Shanghai``.
    held : pandas.DataFrame or path-like, optional
        Nodes the account already holds by subscription (``region_id``, ``hardware`` or
        ``spec``, ``nodes``, ``expiry``; :func:`pai_model.account.subscriptions.committed_nodes`
        gives
        it): the table says how many to add beyond them and how many of those expiring
        within the horizon to renew (:mod:`~pai_model.decisions.planning.held`).
    fx : mapping or list of str, optional
        Exchange rates (:func:`~pai_model.formulas.currency.fx_rates`): a held file priced
        in another currency than the catalog is refused without one.
    overhead_minutes : float, default 0
        Per-job overhead (provisioning and release lag) added to each job's billed life,
        as :func:`~pai_model.decisions.planning.demand.demand_from_jobs` takes it; the notes say
        which
        value was used. [minute]
    start, general_refund_percent, buyable_months
        As in :func:`~pai_model.decisions.planning.plan.size_commitment`.

    Returns
    -------
    CommitmentResult
        ``demand``, ``plan``, ``simulation`` (None with no scenarios), ``table`` and
        ``notes``.

    See Also
    --------
    pai_model.decisions.planning.plan.size_commitment : The plan alone, from a demand table.
    recommendation_table : The table, from a plan and a simulation.

    Examples
    --------
    The hand-made month of :func:`~pai_model.decisions.planning.plan.size_commitment`: subscribe 2.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2026-01-31", "2026-01-21"], "region_id": "cn-wulanchabu",
    ...     "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> result = plan_commitment(jobs, read_catalog(paths.DOCUMENTED_CATALOG), scenarios=0)
    >>> row = result.table.iloc[0]
    >>> print(row.recommended_nodes, row.plan_cost, row.savings, result.simulation)
    2 69181.4 16082.6 None
    """
    from pai_model.data.catalog import catalog_table

    catalog = catalog_table(catalog)
    if not is_whole(scenarios) or scenarios < 0:
        raise InputError("scenarios", f"must be a whole number, 0 or more; got {scenarios!r}")
    if isinstance(jobs, str) and jobs == SYNTHETIC:
        jobs = synthetic_jobs(plannable_pairs(catalog), days=synthetic_days, seed=seed)
    elif not isinstance(jobs, pd.DataFrame | str | os.PathLike):
        raise wrong_type("jobs", JOBS_WORDS, jobs)
    demand = demand_from_jobs(
        jobs, catalog=catalog, timezone=timezone, overhead_minutes=overhead_minutes
    )
    plan = size_commitment(
        demand,
        catalog,
        months=months,
        payg_percent_off=payg_percent_off,
        subscription_percent_off=subscription_percent_off,
        hours_per_month=hours_per_month,
        preemptible=preemptible,
        start=start,
        general_refund_percent=general_refund_percent,
        buyable_months=buyable_months,
    )
    simulation = (
        simulate_plan(demand, plan, scenarios=scenarios, growth=growth, seed=seed)
        if scenarios
        else None
    )
    table = recommendation_table(plan, simulation)
    if held is None:
        return CommitmentResult(demand, plan, simulation, table)
    horizon_end = pd.Timestamp(plan.summary["subscription_end"].max())
    start = pd.Timestamp(plan.summary["subscription_start"].iloc[0])
    groups = held_groups(held, catalog, start, fx)
    per_pair = pair_totals(groups, horizon_end)
    table = with_held(table, per_pair)
    notes = held_notes(table, groups, horizon_end, buyable_months)
    if per_pair.attrs.get("rates"):
        notes.append(
            f"{rates_text(per_pair.attrs['rates'])}: the held file's prices are in another"
            " currency than the catalog; the held nodes are priced with the catalog's."
        )
    return CommitmentResult(demand, plan, simulation, table, notes)


def recommendation_table(
    plan: CommitmentPlan, simulation: PlanSimulation | None = None
) -> pd.DataFrame:
    """The recommendation per (region, hardware): the numbers the CLI and notebook export.

    Unformatted (money as the floats of exact cents), for CSV and JSON; people read it
    through :func:`~pai_model.display.planning.recommendation_display`.

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`~pai_model.decisions.planning.plan.size_commitment`.
    simulation : PlanSimulation, optional
        From :func:`~pai_model.decisions.planning.simulation.simulate_plan`; adds the savings
        distribution
        of the recommended count (``simulated_nodes``, ``savings_p5``,
        ``savings_median``, ``savings_p95``, ``probability_loss``) and the range of the
        best count across scenarios (``optimal_nodes_p5``, ``optimal_nodes_p95``).

    Returns
    -------
    pandas.DataFrame
        ``region_id``, ``hardware``, ``currency``, ``recommended_nodes``, ``peak_nodes``,
        ``plan_cost``, ``all_payg_cost``, ``all_subscription_cost``, ``savings``,
        ``savings_percent``, ``coverage``, ``utilization``, ``break_even_months``,
        ``unserved_node_hours``, ``purchasable`` (both methods), ``subscription_purchasable``,
        ``payg_purchasable``, ``subscription_reason``, ``payg_reason`` ("" when
        purchasable), ``payg_price_unit`` ("minute", or "hour" where the pay-as-you-go
        side is a public resource, DLC/DSW: a general computing spec), ``provenance``,
        ``demand_source``, the term choice (``term``, ``term_nodes``, ``term_plan_cost``,
        ``term_savings``, ``year_plan_cost``, ``early_exit_cost``, ``subscription_end``,
        ``renew_by``; see
        :func:`~pai_model.decisions.planning.plan.size_commitment`) (and the ``preemptible_*`` and
        simulation columns when present).

    See Also
    --------
    plan_commitment : Builds this table with the plan and the simulation.
    pai_model.display.planning.recommendation_display : The table for people.
    """
    columns = [
        "region_id",
        "hardware",
        "currency",
        "recommended_nodes",
        "peak_nodes",
        "plan_cost",
        "all_payg_cost",
        "all_subscription_cost",
        *OUTCOME_COLUMNS,
        "payg_price_unit",
        "provenance",
        "demand_source",
        "term",
        "term_nodes",
        "term_plan_cost",
        "term_savings",
        "year_plan_cost",
        "early_exit_cost",
        "subscription_end",
        "renew_by",
    ]
    extra = [c for c in plan.summary.columns if c.startswith("preemptible_")]
    table = plan.summary[columns + extra]
    if simulation is None:
        return table
    spread = simulation.summary[
        [
            "region_id",
            "hardware",
            "nodes",
            "savings_p5",
            "savings_median",
            "savings_p95",
            "probability_loss",
            "optimal_nodes_p5",
            "optimal_nodes_p95",
        ]
    ]
    spread = spread.rename(columns={"nodes": "simulated_nodes"})
    return table.merge(spread, on=["region_id", "hardware"], how="left")
