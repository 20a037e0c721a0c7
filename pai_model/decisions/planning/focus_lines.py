"""A commitment plan as bill lines, so a plan can be written as FOCUS rows like a bill."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.decisions.planning.curve import levels_of, scaled_minutes
from pai_model.decisions.planning.demand import as_demand
from pai_model.formulas.engine import bill_amounts, payg_bill_amounts


def plan_lines(plan: Any, demand: pd.DataFrame, *, period_start: Any = None) -> pd.DataFrame:
    """A commitment plan as bill lines: each pair's subscription and pay-as-you-go lines.

    The subscription line is the recommended nodes for the plan's months; the
    pay-as-you-go lines are one per demand level above them (one node for the scaled
    minutes at that level, rounded to the milli-minute), exactly the lines the plan's
    ``plan_payg_cost`` sums, billed by the same engine.

    Parameters
    ----------
    plan : CommitmentPlan
        From :func:`~pai_model.decisions.planning.plan.size_commitment`.
    demand : pandas.DataFrame
        The demand the plan was made from.
    period_start : time-like, optional
        When the plan starts; default: the end of the demand's history window.

    Returns
    -------
    pandas.DataFrame
        Lines as :func:`~pai_model.bills.orders.price_orders` returns (with ``start``,
        ``hardware`` and ``region_name``; ``amount_minor`` the engine's exact cents), for
        :func:`~pai_model.bills.focus_export.to_focus`.
    """
    table = as_demand(demand)
    levels = levels_of(table)
    summary = plan.summary.set_index(["region_id", "hardware"])
    horizon = float(summary["horizon_hours"].iloc[0]) * 60.0
    minutes = scaled_minutes(levels.at_or_above_ns(), levels.history_ns[levels.pair_of], horizon)
    if period_start is None:
        period_start = table["end"].max()
    pieces = []
    for p, (region, hardware) in enumerate(zip(levels.region, levels.hardware, strict=True)):
        row = summary.loc[(region, hardware)]
        k = int(row["recommended_nodes"])
        block = slice(levels.offset[p], levels.offset[p + 1])
        above = levels.level[block] > k
        payg_minutes = minutes[block][above]
        base = {
            "region_id": region,
            "hardware": hardware,
            "region_name": row["region_name"],
            "currency": row["currency"],
            "provenance": row["provenance"],
        }
        if k > 0:
            pieces.append(
                {
                    **base,
                    "spec": row["subscription_spec"],
                    "quantity": k,
                    "billing_method": "subscription",
                    "unit_price": row["subscription_price_per_month"],
                    "duration": float(plan.months),
                }
            )
        # a public resource (general computing's pay-as-you-go) is billed at its hourly
        # price / 60; its unit_price is that per-minute equivalent, the hourly price beside
        hourly = row["payg_price_unit"] == "hour"
        if row["payg_purchasable"]:
            pieces += [
                {
                    **base,
                    "spec": row["payg_spec"],
                    "quantity": 1,
                    "billing_method": "payg",
                    "unit_price": row["payg_price_per_minute"],
                    "duration": float(m),
                    "x_PricePerHour": row["payg_price_per_hour"] if hourly else np.nan,
                }
                for m in payg_minutes
                if m > 0
            ]
    lines = pd.DataFrame(pieces)
    subscription = (lines["billing_method"] == "subscription").to_numpy()
    hourly = lines.get("x_PricePerHour", pd.Series(np.nan, index=lines.index)).notna().to_numpy()
    amounts = np.empty(len(lines))
    minor = np.zeros(len(lines), dtype=np.int64)
    if subscription.any():
        amounts[subscription], minor[subscription] = bill_amounts(
            lines["unit_price"][subscription],
            lines["quantity"][subscription],
            lines["duration"][subscription],
            per_minute=False,
            minor_units=True,
        )
    if (~subscription).any():
        price = np.where(hourly, lines.get("x_PricePerHour", 0.0), lines["unit_price"])
        amounts[~subscription], minor[~subscription] = payg_bill_amounts(
            price[~subscription],
            lines["quantity"][~subscription],
            lines["duration"][~subscription],
            hourly=hourly[~subscription],
            minor_units=True,
        )
    if not hourly.any():
        lines = lines.drop(columns="x_PricePerHour", errors="ignore")
    lines["amount"] = amounts
    lines["amount_minor"] = minor
    lines["start"] = pd.Timestamp(period_start)
    return lines
