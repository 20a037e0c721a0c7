"""The plan: how many nodes to subscribe per (region, hardware), and what it saves.

Subscriptions are bought for ``months`` whole months of ``hours_per_month`` hours (730 by
default, 365 x 24 / 12). The history is assumed to repeat: the time at each demand level
is multiplied by ``horizon minutes / history minutes``. A history shorter than the
horizon is thereby stretched and one longer is compressed; either way the share of time
at each level is kept, not the calendar. The cost of every subscription count is in
:mod:`~pai_model.decisions.planning.curve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.arrays import NS_PER_DAY
from pai_model.data.catalog import ILLUSTRATIVE
from pai_model.data.offers import used_offers
from pai_model.decisions.comparison import BREAK_EVEN_COLUMNS
from pai_model.decisions.planning.curve import (
    Curve,
    Levels,
    billed_payg_prices,
    levels_of,
    money,
    payg_cents,
    scaled_minutes,
    subscription_cents,
)
from pai_model.decisions.planning.demand import as_demand
from pai_model.decisions.planning.prices import (
    Preemptible,
    horizon,
    offers_for,
    percent,
    price_after,
)
from pai_model.decisions.planning.terms import RENEWAL_COLUMNS, TERM_COLUMNS, plan_terms, start_of
from pai_model.errors import PlanError
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.breakeven import HOURS_PER_MONTH
from pai_model.formulas.money_text import format_price

#: What a plan does for its pair, and whether its offers can be bought: columns of the
#: summary that the recommendation table keeps too.
OUTCOME_COLUMNS = (
    "savings",
    "savings_percent",
    "coverage",
    "utilization",
    "break_even_months",
    "unserved_node_hours",
    "purchasable",
    "subscription_purchasable",
    "payg_purchasable",
    "subscription_reason",
    "payg_reason",
)
#: The offer pair (the first columns of the break-even table), then the plan.
SUMMARY_COLUMNS = (
    *BREAK_EVEN_COLUMNS[: BREAK_EVEN_COLUMNS.index("payg_price_per_minute") + 1],
    "payg_price_unit",
    "payg_price_per_hour",
    "months",
    "horizon_hours",
    "history_days",
    "peak_nodes",
    "mean_nodes",
    "recommended_nodes",
    "break_even_hours",
    "all_payg_cost",
    "all_payg_cost_minor",
    "all_subscription_cost",
    "plan_subscription_cost",
    "plan_payg_cost",
    "plan_cost",
    "plan_cost_minor",
    *OUTCOME_COLUMNS,
    "provenance",
    "demand_source",
    *TERM_COLUMNS,
)
CURVE_COLUMNS = (
    "region_id",
    "hardware",
    "nodes",
    "hours_at_or_above",
    "time_share_at_or_above",
    "subscription_cost",
    "payg_cost",
    "total_cost",
    "total_cost_minor",
    "savings",
    "recommended",
)


@dataclass(frozen=True)
class CommitmentPlan:
    """Result of :func:`size_commitment`."""

    #: One row per (region, hardware): columns :data:`SUMMARY_COLUMNS` (plus
    #: ``preemptible_*`` columns when a preemptible tier was given).
    summary: pd.DataFrame
    #: Cost of every subscription count ``nodes`` = 0 .. peak: :data:`CURVE_COLUMNS`.
    curves: pd.DataFrame
    #: Whole months the subscription is bought for. [month]
    months: int
    #: The month convention the plan was billed with. [hour/month]
    hours_per_month: float
    #: What a reader must know: month convention, scaling, illustrative or synthetic input.
    notes: list[str] = field(default_factory=list)
    #: When each planned subscription ends and must be renewed: :data:`RENEWAL_COLUMNS`.
    renewals: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RENEWAL_COLUMNS))


def size_commitment(
    demand: pd.DataFrame,
    catalog: pd.DataFrame,
    *,
    months: int = 1,
    payg_percent_off: float = 0.0,
    subscription_percent_off: float = 0.0,
    hours_per_month: float = HOURS_PER_MONTH,
    preemptible: Preemptible | None = None,
    start: Any = None,
    general_refund_percent: float = 0.0,
    buyable_months: Any = None,
) -> CommitmentPlan:
    """How many nodes to subscribe per (region, hardware), on which term, and what it saves.

    Parameters
    ----------
    demand : pandas.DataFrame
        A demand table (:func:`~pai_model.decisions.planning.demand.demand_from_jobs`) or sampled
        series
        (:func:`~pai_model.decisions.planning.demand.demand_from_series` columns).
    catalog : pandas.DataFrame
        Price catalog (:func:`~pai_model.data.catalog.read_catalog`). Every pair of the demand
        needs a subscription and a pay-as-you-go offer of its hardware in its region;
        each method's offer is the one :mod:`~pai_model.data.offers` chooses (the cheapest
        that can be bought now), as in :func:`~pai_model.decisions.comparison.break_even_table`.
        A general computing spec (sold by subscription only) is planned against the
        public resource of its hardware (DLC/DSW, priced per hour, billed per minute at
        the hourly price / 60 with fractional minutes priced); one without is refused.
    months : int, default 1
        Horizon: whole months the subscription is bought for. [month]
    payg_percent_off, subscription_percent_off : float, default 0
        Negotiated discounts, percent off each unit price, 0 to below 100 (10 = 10 %
        off); the discounted price is rounded half up to 6 decimal places before
        billing. [%]
    hours_per_month : float, default 730
        The month convention. [hour/month]
    preemptible : Preemptible, optional
        Also plan with flexible pay-as-you-go demand on preemptible nodes; reported in
        separate ``preemptible_*`` columns, the main plan is unchanged. Off by default.
        Its price is a share of the list pay-as-you-go price: ``payg_percent_off`` does
        not apply to it (discounts do not apply to preemptible instances).
    start : time-like, optional
        When the subscriptions are bought; default: when the demand history ends. Their
        ends and renewal deadlines are counted from it in calendar months.
    general_refund_percent : float, default 0
        Percent of the unused months' share refunded when a general computing
        subscription is left early. UNCONFIRMED (Alibaba documents no PAI refund rule
        for general nodes); Lingjun subscriptions are never refunded. [%]
    buyable_months : iterable of int or str, optional
        The terms a subscription can be bought for [month]; ``None`` is
        :data:`~pai_model.formulas.arguments.BUYABLE_MONTHS` (UNCONFIRMED for PAI). A
        term no single order buys (a 10-month horizon) is bought as the fewest buyable
        orders back to back (9 + 1), at the same cost; the notes say so.

    Returns
    -------
    CommitmentPlan
        ``summary``: per pair, ``recommended_nodes`` (the newsvendor rule, checked
        against the billed curve, among what can be bought: 0 when the subscription
        cannot be bought, the peak when only the subscription can, and 0 with all
        demand in ``unserved_node_hours`` [node-hour] when neither can; the notes say
        why), ``all_payg_cost``, ``all_subscription_cost`` (peak
        nodes subscribed), ``plan_cost`` and its two parts, ``savings`` against all
        pay-as-you-go and ``savings_percent`` [%], ``coverage`` (share of node-minutes
        served by subscribed nodes), ``utilization`` (share of subscribed node-minutes
        used), ``break_even_months`` (months of use after which the pay-as-you-go cost
        avoided equals the prepaid subscription; NaN with no subscription),
        ``break_even_hours`` (node ``k`` pays off if demand is at least ``k`` for this
        long in the horizon) [hour], each method's ``*_purchasable`` and ``*_reason``,
        ``payg_price_unit`` ("minute", or "hour" for a public resource, whose discounted
        hourly price ``payg_price_per_hour`` is billed and whose ``payg_price_per_minute``
        is its per-minute equivalent, to compare).
        Money in the catalog's currency: every total is a
        sum of the billing engine's integer cents, shown as the nearest float; the cents
        themselves are ``all_payg_cost_minor`` and ``plan_cost_minor``.
        The month-term columns above are joined by the term choice
        (:mod:`~pai_model.decisions.planning.terms`): ``subscription_price_per_year``, ``years``
        (whole years a year term needs for the horizon), ``year_recommended_nodes``,
        ``year_plan_cost`` (NaN without a year price), ``term`` ("month" or "year", the
        cheaper plan), ``term_nodes``, ``term_plan_cost``, ``term_savings``,
        ``early_exit_cost`` (what the term's subscriptions cost if all work stops after
        the first month), ``subscription_start``, ``subscription_end`` and ``renew_by``
        (24 h after the end, when the nodes are released unless renewed).
        ``curves``: the cost for every ``nodes`` from 0 to peak (``total_cost_minor``: its
        exact cents). ``notes``. ``renewals``:
        one row per subscription bought, its end and renewal deadline.

    Raises
    ------
    PlanError
        When a pair of the demand has no subscription and pay-as-you-go offers.
    InputError
        For a bad ``months``, discount or ``hours_per_month``, or an old spelling.

    See Also
    --------
    pai_model.decisions.planning.simulation.simulate_plan : The plan under resampled and scaled
        demand.
    pai_model.decisions.planning.pipeline.plan_commitment : Jobs to demand, plan, simulation and
        table.

    Examples
    --------
    One documented GU108 pair in China (Ulanqab) (23,932.70 USD/month, 0.73 USD/minute;
    the pairing of the two specs is an assumption), 30 days of history: two nodes
    always busy, a third busy 20 days. Scaled to a 730-hour month (x 43,800 / 43,200):
    level 3 runs 28,800 x 43,800 / 43,200 = 29,200 minutes, 21,316.00 USD on
    pay-as-you-go, less than a subscription; levels 1 and 2 run 43,800 minutes,
    31,974.00 USD each, more. So subscribe 2.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> jobs = pd.DataFrame({"start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2026-01-31", "2026-01-21"], "region_id": "cn-wulanchabu",
    ...     "hardware": "gu7xf-8xGU108", "nodes": [2, 1]})
    >>> from pai_model.decisions.planning.demand import demand_from_jobs
    >>> plan = size_commitment(demand_from_jobs(jobs), read_catalog(paths.DOCUMENTED_CATALOG))
    >>> best = plan.summary.iloc[0]
    >>> print(best.recommended_nodes, best.plan_cost, best.all_payg_cost, best.savings)
    2 69181.4 85264.0 16082.6
    """
    months, horizon_minutes = horizon(months, hours_per_month)
    sub_off = percent(subscription_percent_off, "subscription_percent_off")
    payg_off = percent(payg_percent_off, "payg_percent_off")
    table = as_demand(demand)
    levels = levels_of(table)
    offers = offers_for(levels.region, levels.hardware, catalog, hours_per_month)
    sub_price = price_after(offers["subscription_price_per_month"], sub_off)
    # a public resource (general computing's pay-as-you-go) is priced per hour: its
    # discounted hourly price is billed, payg_price is per minute only to compare
    listed, hourly = billed_payg_prices(offers)
    payg_billed = price_after(listed, payg_off)
    payg_price = np.where(hourly, payg_billed / 60.0, payg_billed)

    pair_of, level = levels.pair_of, levels.level
    at_or_above = levels.at_or_above_ns()
    minutes = scaled_minutes(at_or_above, levels.history_ns[pair_of], horizon_minutes)
    minutes[level == 0] = 0.0  # level 0 is no demand: nothing to bill
    line = payg_cents(payg_billed[pair_of], minutes, hourly[pair_of])
    one_node = subscription_cents(sub_price, 1, months)
    curve = Curve(levels, line, subscription_cents(sub_price[pair_of], level, months))
    cheapest, rule_notes = curve.optimum(one_node)
    sub_ok = offers["subscription_purchasable"].to_numpy(dtype=bool)
    payg_ok = offers["payg_purchasable"].to_numpy(dtype=bool)
    recommended = buyable_count(cheapest, levels.peak, sub_ok, payg_ok)

    # node-time: sum of T(L) over L >= 1 (all demand) and over 1 <= L <= k (served by
    # subscribed nodes); float64 per pair, as a pair's node-nanoseconds can pass int64
    used = np.where(level > 0, at_or_above, 0).astype(np.float64)
    demand_ns = np.add.reduceat(used, levels.offset[:-1])
    served = np.add.reduceat(np.where(level <= recommended[pair_of], used, 0.0), levels.offset[:-1])
    avoided = curve.all_payg - curve.payg_at(recommended)
    plan_sub, plan_payg = curve.plan_at(recommended, payg_ok)
    # demand above the subscribed nodes that no purchasable offer serves [node-hour]
    above = np.where((level > recommended[pair_of]) & ~payg_ok[pair_of], minutes, 0.0)
    unserved = np.add.reduceat(above, levels.offset[:-1]) / 60.0
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(demand_ns > 0, served / np.maximum(demand_ns, 1), np.nan)
        utilization = np.where(
            recommended > 0, served / (recommended * levels.history_ns.astype(np.float64)), np.nan
        )
        break_even_months = np.where(
            avoided > 0, months * plan_sub / np.maximum(avoided, 1), np.nan
        )
    plan_total = plan_sub + plan_payg
    # buying nothing saves nothing (against an offer that cannot be bought either)
    savings = np.where(sub_ok | payg_ok, curve.all_payg - plan_total, 0)
    demand_source = table.attrs.get("source", "demand")
    synthetic = bool(table.attrs.get("synthetic", False))
    if synthetic and "synthetic" not in demand_source.lower():
        demand_source = f"synthetic: {demand_source}"
    summary = pd.DataFrame(
        {
            "region_id": levels.region,
            "region_name": offers["region_name"].to_numpy(),
            "hardware": levels.hardware,
            "currency": offers["currency"].to_numpy(),
            "subscription_spec": offers["subscription_spec"].to_numpy(),
            "payg_spec": offers["payg_spec"].to_numpy(),
            "subscription_price_per_month": sub_price,
            "payg_price_per_minute": payg_price,
            "payg_price_unit": np.where(hourly, "hour", "minute"),
            "payg_price_per_hour": np.where(hourly, payg_billed, np.nan),
            "months": months,
            "horizon_hours": horizon_minutes / 60.0,
            "history_days": levels.history_ns / NS_PER_DAY,
            "peak_nodes": levels.peak,
            "mean_nodes": demand_ns / levels.history_ns.astype(np.float64),
            "recommended_nodes": recommended,
            "break_even_hours": money(one_node) / payg_price / 60.0,
            "all_payg_cost": money(curve.all_payg),
            "all_payg_cost_minor": curve.all_payg,
            "all_subscription_cost": money(curve.subscription_at(levels.peak)),
            "plan_subscription_cost": money(plan_sub),
            "plan_payg_cost": money(plan_payg),
            "plan_cost": money(plan_total),
            "plan_cost_minor": plan_total,
            "savings": money(savings),
            "savings_percent": np.where(
                curve.all_payg > 0, 100.0 * savings / np.maximum(curve.all_payg, 1), 0.0
            ),
            "coverage": coverage,
            "utilization": utilization,
            "break_even_months": break_even_months,
            "unserved_node_hours": unserved,
            "purchasable": offers["purchasable"].to_numpy(),
            "subscription_purchasable": sub_ok,
            "payg_purchasable": payg_ok,
            "subscription_reason": offers["subscription_reason"].to_numpy(),
            "payg_reason": offers["payg_reason"].to_numpy(),
            "provenance": offers["provenance"].to_numpy(),
            "demand_source": demand_source,
        }
    )
    kinds = catalog.set_index(["region_id", "spec"])["resource_type"]
    general = kinds.reindex(
        pd.MultiIndex.from_arrays([levels.region, offers["subscription_spec"].to_numpy()])
    ).eq("general")
    summary, renewals, term_notes = plan_terms(
        summary,
        offers,
        levels,
        line,
        plan_total,
        months=months,
        subscription_percent_off=sub_off,
        start=start_of(table, start),
        general=general.to_numpy(),
        general_refund_percent=general_refund_percent,
        buyable_months=buyable_months,
    )
    if preemptible is not None:
        summary = _with_preemptible(summary, preemptible, levels, minutes, curve, one_node, listed)
    curves = curve.frame(recommended, at_or_above, levels.history_ns)
    notes = [
        *_plan_notes(
            summary, offers, months, hours_per_month, levels.history_ns, synthetic, demand_source
        ),
        *_price_notes(catalog, summary),
        _overhead_note(table),
        *rule_notes,
        *_purchase_notes(summary, cheapest),
        *term_notes,
    ]
    summary.attrs.update(
        months=months,
        hours_per_month=hours_per_month,
        notes=notes,
        buyable_months=buyable_months_of(buyable_months),
    )
    return CommitmentPlan(summary, curves, months, float(hours_per_month), notes, renewals)


def _overhead_note(demand: pd.DataFrame) -> str:
    overhead = float(demand.attrs.get("overhead_minutes", 0.0))
    return (
        f"Per-job overhead: {overhead:g} minutes added to each job's billed life"
        " (pay-as-you-go bills from joining the resource group to release: provisioning and"
        " release lag)."
    )


def _with_preemptible(
    summary: pd.DataFrame,
    tier: Preemptible,
    levels: Levels,
    minutes: np.ndarray,
    curve: Curve,
    one_node: np.ndarray,
    list_price: np.ndarray,
) -> pd.DataFrame:
    """Add the plan with flexible pay-as-you-go minutes on preemptible nodes.

    The spot price is the tier's share of the **list** pay-as-you-go price
    (``list_price``, in the unit billed): discounts do not apply to preemptible instances
    (ALIBABA_APIS.md section 9), so ``payg_percent_off`` is not stacked on it. List 0.73
    USD/minute, 10 % paid, 10 % off pay-as-you-go: spot 0.073, not 0.0657.
    """
    flexible, overhead = tier.flexible_share, tier.interruption_overhead
    payg_price, hourly = billed_payg_prices(summary)
    spot_price = price_after(list_price, tier.percent_off)
    # interrupted work runs again: worth it only if the spot minutes, rerun included, cost less
    use_spot = spot_price * (1.0 + overhead) < payg_price
    by_level = hourly[levels.pair_of]
    pair_of = levels.pair_of
    share = np.where(use_spot, flexible, 0.0)[pair_of]
    on_demand = np.round(minutes * (1.0 - share), 3)
    # the rest, not rounded separately, so the two parts add up to the line's minutes
    on_spot = np.round(minutes - on_demand, 3)
    rerun = np.round(on_spot * overhead, 3)
    # the rerun is its own line so each line stays within the billing bounds
    line = (
        payg_cents(payg_price[pair_of], on_demand, by_level)
        + payg_cents(spot_price[pair_of], on_spot, by_level)
        + payg_cents(spot_price[pair_of], rerun, by_level)
    )
    spot_curve = Curve(levels, line, curve.subscription)
    cheapest, _ = spot_curve.optimum(one_node)
    sub_ok = summary["subscription_purchasable"].to_numpy()
    payg_ok = summary["payg_purchasable"].to_numpy()
    recommended = buyable_count(cheapest, levels.peak, sub_ok, payg_ok)
    plan = sum(spot_curve.plan_at(recommended, payg_ok))
    out = summary.copy()
    # per minute, as the main price column: an hourly spot price / 60 to compare
    out["preemptible_spot_price_per_minute"] = np.where(hourly, spot_price / 60.0, spot_price)
    out["preemptible_used"] = use_spot
    out["preemptible_recommended_nodes"] = recommended
    out["preemptible_plan_cost"] = money(plan)
    savings = np.where(sub_ok | payg_ok, curve.all_payg - plan, 0)
    out["preemptible_savings"] = money(savings)
    out["preemptible_savings_percent"] = np.where(
        curve.all_payg > 0, 100.0 * savings / np.maximum(curve.all_payg, 1), 0.0
    )
    return out


def _plan_notes(
    summary: pd.DataFrame,
    offers: pd.DataFrame,
    months: int,
    hours_per_month: float,
    history_ns: np.ndarray,
    synthetic: bool,
    demand_source: str,
) -> list[str]:
    days = history_ns / NS_PER_DAY
    horizon_days = months * hours_per_month / 24.0
    span = (
        f"{days.min():.1f}" if days.min() == days.max() else f"{days.min():.1f} to {days.max():.1f}"
    )
    notes = [
        f"Horizon: {months} month{'s' if months != 1 else ''} of {hours_per_month:g} hours"
        f" ({horizon_days:.2f} days). History: {span} days of {demand_source}; the time at each"
        " demand level is scaled by horizon / history (the history is assumed to repeat).",
        "Each demand level above the subscribed count is billed as one pay-as-you-go line"
        " (minutes rounded to 0.001); amounts are exact to the cent.",
    ]
    if synthetic:
        notes.insert(0, "SYNTHETIC demand: generated by pai_model.data.synthetic, not real usage.")
    if days.min() < 1:
        notes.append(
            f"WARNING: a history of {days.min() * 24:.1f} hours, shorter than a day: planned"
            " with what it holds, assumed to repeat; how busy the rest of the day and week"
            " are is unknown, so the savings range is wide. Plan again with a longer history."
        )
    public = summary[summary["payg_price_unit"] == "hour"]
    if len(public):
        which = "; ".join(
            f"{r.region_id} / {r.hardware} ({r.subscription_spec} against the public resource"
            f" {r.payg_spec} at {format_price(r.payg_price_per_hour)} {r.currency}/hour)"
            for r in public.itertuples(index=False)
        )
        notes.append(
            "General computing against public resources: general computing specs are sold by"
            " subscription only, so their pay-as-you-go side is the public resource of the"
            " same hardware (DLC/DSW, priced per hour), billed per minute at the hourly price"
            f" / 60 with fractional minutes priced, exact to the cent: {which}."
        )
    paired = offers[offers["subscription_spec"] != offers["payg_spec"]]
    if len(paired):
        which = "; ".join(
            f"{r.region_id} / {r.hardware} ({r.subscription_spec} with {r.payg_spec})"
            for r in paired.itertuples(index=False)
        )
        notes.append(
            "Pairing assumption: the subscription and pay-as-you-go specs differ and are"
            f" compared as the same hardware through the catalog's hardware key: {which}."
        )
    return notes


def _price_notes(catalog: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """How many of the offers the plans use are illustrative (offers counted as
    :func:`~pai_model.data.catalog.describe_provenance` counts them)."""
    used = used_offers(catalog, summary)
    illustrative = int((used["provenance"] == ILLUSTRATIVE).sum())
    if not illustrative:
        return []
    return [
        f"WARNING: {illustrative} of the {len(used)} offers the plans use have illustrative"
        " prices, made up for demonstration, not Alibaba Cloud prices; check the console"
        " before deciding."
    ]


def buyable_count(
    cheapest: np.ndarray, peak: np.ndarray, sub_ok: np.ndarray, payg_ok: np.ndarray
) -> np.ndarray:
    """The count to subscribe among what can be bought: the cheapest count when both
    methods can; 0 when the subscription cannot; the peak when only the subscription can,
    so that no demand is left to a pay-as-you-go offer nobody can buy."""
    return np.where(sub_ok, np.where(payg_ok, cheapest, peak), 0).astype(np.int64)


def _purchase_notes(summary: pd.DataFrame, cheapest: np.ndarray) -> list[str]:
    """Why a pair's count is not its cheapest one: an offer cannot be bought now."""
    notes = []
    for row, best in zip(summary.itertuples(index=False), cheapest, strict=True):
        pair = f"{row.region_id} / {row.hardware}"
        if not row.subscription_purchasable and not row.payg_purchasable:
            notes.append(
                f"{pair}: nothing can be bought now ({row.subscription_reason};"
                f" {row.payg_reason}): the plan subscribes 0 nodes and leaves all"
                f" {row.unserved_node_hours:,.1f} node-hours of demand unserved."
            )
        elif not row.subscription_purchasable:
            notes.append(
                f"{pair}: subscribe 0 nodes: {row.subscription_reason}; all demand runs on"
                f" pay-as-you-go (were it in stock, the cheapest plan would subscribe {best})."
            )
        elif not row.payg_purchasable:
            notes.append(
                f"{pair}: {row.payg_reason}, so demand above the subscribed nodes could not"
                f" be served: the plan subscribes the peak, {row.recommended_nodes} nodes"
                f" (with pay-as-you-go in stock the cheapest plan would subscribe {best});"
                " savings are against pay-as-you-go at its listed price."
            )
    return notes


def chosen_pair(plan: CommitmentPlan, pair: str = "") -> tuple[str, str]:
    """The (region_id, hardware) to show: ``"region_id/hardware"``, or the largest savings.

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`size_commitment`.
    pair : str, default ""
        ``"cn-wulanchabu/gu7xf-8xGU108"``; empty picks the pair whose plan saves most.

    Returns
    -------
    (str, str)
        ``(region_id, hardware)``.

    Raises
    ------
    PlanError
        When ``pair`` is not ``region_id/hardware`` or is not in the plan.

    See Also
    --------
    pai_model.display.planning.explain_recommendation : Why that pair's count, in words.
    """
    summary = plan.summary
    if not pair:
        best = summary.sort_values("savings", ascending=False, kind="stable").iloc[0]
        return str(best["region_id"]), str(best["hardware"])
    region_id, slash, hardware = pair.partition("/")
    planned = set(zip(summary["region_id"], summary["hardware"], strict=True))
    if not slash or (region_id, hardware) not in planned:
        known = ", ".join(f"{r}/{h}" for r, h in sorted(planned))
        raise PlanError(
            [f"pair {pair!r} is not region_id/hardware of a planned pair; planned: {known}"]
        )
    return region_id, hardware
