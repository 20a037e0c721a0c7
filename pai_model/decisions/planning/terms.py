"""Which subscription term to buy, what leaving early costs, and when subscriptions end.

The planner's count is worked out for the month term (``months`` whole months). Where the
catalog prices a year term (``subscription_price_per_year``), the same demand is planned
with it too: a year term is bought in whole years, ``ceil(months / 12)`` of them, so for a
horizon shorter than a year it costs the whole year (the unused months are paid, not
refunded). The term whose plan costs less is chosen (the month term on a tie, or when
the year term cannot be bought).

Leaving early (every job stops after the first month of the term):

- Lingjun subscriptions are charged at order time and **not refunded**; use under a
  month is rounded up to a month (PAI's Lingjun billing page). Leaving after a month
  costs the whole term.
- For general computing nodes the refund rule is **UNCONFIRMED** (Alibaba's generic
  RefundInstance refunds cash paid, not coupons, to direct customers only): the
  parameter ``general_refund_percent`` (default 0, no refund) is the percent of the
  unused months' share refunded.

Expiry: a subscription of N months bought at time t ends N calendar months later (same
day and time, month ends clamped). AI computing resource group nodes are released 24
hours after expiry unless renewed (PAI's overdue-payment page), so each subscription is
listed with its end and the time by which it must be renewed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.decisions.planning.curve import Curve, Levels, money
from pai_model.decisions.planning.prices import percent, price_after
from pai_model.errors import InputError
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.arguments import buyable_text, split_buyable
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.money_text import format_money
from pai_model.formulas.terms import RELEASE_AFTER, subscription_end

#: Columns added to the plan's summary.
TERM_COLUMNS = (
    "subscription_price_per_year",
    "years",
    "year_recommended_nodes",
    "year_plan_cost",
    "term",
    "term_nodes",
    "term_plan_cost",
    "term_savings",
    "early_exit_cost",
    "subscription_start",
    "subscription_end",
    "renew_by",
)
RENEWAL_COLUMNS = (
    "region_id",
    "hardware",
    "term",
    "nodes",
    "start",
    "end",
    "renew_by",
    "ends_within_horizon",
)


def start_of(demand: pd.DataFrame, start: Any) -> pd.Timestamp:
    """The subscriptions' start: ``start``, or when the demand history ends."""
    if start is None:
        window = demand.attrs.get("window")
        return pd.Timestamp(window[1]) if window else pd.Timestamp(demand["end"].max())
    try:
        return pd.Timestamp(start)
    except (TypeError, ValueError):
        raise InputError(
            "start", f"not a time (ISO 8601, e.g. 2026-01-01); got {start!r}"
        ) from None


def plan_terms(
    summary: pd.DataFrame,
    offers: pd.DataFrame,
    levels: Levels,
    line: np.ndarray,
    month_plan: np.ndarray,
    *,
    months: int,
    subscription_percent_off: float,
    start: pd.Timestamp,
    general: np.ndarray,
    general_refund_percent: float,
    buyable_months: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The summary with :data:`TERM_COLUMNS`, the renewals table and notes.

    ``line`` are the pay-as-you-go cents of each demand level over the horizon (as the
    month plan bills them), ``month_plan`` the month plan's total cents per pair,
    ``general`` True for the pairs of general computing nodes.
    """
    refund = Decimal(repr(percent(general_refund_percent, "general_refund_percent")))
    years = -(-months // 12)
    priced = offers["subscription_price_per_year"].notna().to_numpy()
    year_price = price_after(
        offers["subscription_price_per_year"].fillna(0.0), subscription_percent_off
    )
    year_ok = priced & offers["year_purchasable"].to_numpy(dtype=bool)
    payg_ok = summary["payg_purchasable"].to_numpy(dtype=bool)
    pair_of, level = levels.pair_of, levels.level
    cents = bill_amounts(year_price[pair_of], level, years, price_unit="year", minor_units=True)[1]
    curve = Curve(levels, line, cents)
    one_node = bill_amounts(year_price, 1, years, price_unit="year", minor_units=True)[1]
    cheapest, _ = curve.optimum(one_node)
    # as the month plan: without pay-as-you-go to buy, subscribe the peak
    year_nodes = np.where(year_ok, np.where(payg_ok, cheapest, levels.peak), 0)
    year_sub, year_payg = curve.plan_at(year_nodes, payg_ok)
    year_plan = year_sub + year_payg
    use_year = year_ok & (year_plan < month_plan)
    month_nodes = summary["recommended_nodes"].to_numpy()
    nodes = np.where(use_year, year_nodes, month_nodes)
    term_plan = np.where(use_year, year_plan, month_plan)
    month_sub = bill_amounts(
        summary["subscription_price_per_month"].to_numpy(),
        month_nodes,
        months,
        price_unit="month",
        minor_units=True,
    )[1]
    term_sub = np.where(use_year, year_sub, month_sub)
    term_months = np.where(use_year, 12 * years, months)
    exit_cents = [
        _exit_cents(int(c), int(m), refund if g else Decimal(0))
        for c, m, g in zip(term_sub, term_months, general, strict=True)
    ]
    end = [subscription_end(start, int(m)) for m in term_months]
    out = summary.copy()
    out["subscription_price_per_year"] = np.where(priced, year_price, np.nan)
    out["years"] = years
    out["year_recommended_nodes"] = np.where(priced, year_nodes, 0)
    out["year_plan_cost"] = np.where(priced, money(year_plan), np.nan)
    out["term"] = np.where(use_year, "year", "month")
    out["term_nodes"] = nodes
    out["term_plan_cost"] = money(term_plan)
    out["term_savings"] = money(curve.all_payg - term_plan)
    out["early_exit_cost"] = money(np.asarray(exit_cents, dtype=np.int64))
    out["subscription_start"] = start
    out["subscription_end"] = end
    out["renew_by"] = [e + RELEASE_AFTER for e in end]
    horizon_end = subscription_end(start, months)
    renewals = pd.DataFrame(
        {
            "region_id": out["region_id"],
            "hardware": out["hardware"],
            "term": out["term"],
            "nodes": nodes,
            "start": start,
            "end": end,
            "renew_by": out["renew_by"],
            "ends_within_horizon": [e <= horizon_end for e in end],
        }
    )[list(RENEWAL_COLUMNS)]
    renewals = renewals[renewals["nodes"] > 0].reset_index(drop=True)
    notes = _notes(out, years, months, general_refund_percent)
    return out, renewals, [*notes, *_order_notes(out, years, months, buyable_months)]


def _order_notes(out: pd.DataFrame, years: int, months: int, buyable: Any) -> list[str]:
    """How each chosen term is bought when no single buyable term matches it."""
    terms = buyable_months_of(buyable)
    notes = []
    for term, length in (("month", months), ("year", 12 * years)):
        if length in terms or not (out["term"] == term).any():
            continue
        parts = split_buyable(length, terms)
        words = (
            " + ".join(f"{p // 12} year{'s' if p != 12 else ''}" for p in parts)
            if term == "year" and all(p % 12 == 0 for p in parts)
            else " + ".join(map(str, parts)) + " months"
        )
        notes.append(
            f"Buyable terms: a {term} term of {length} months is no single order (buyable:"
            f" {buyable_text(terms)}; UNCONFIRMED for PAI, buyable_months), so it is bought"
            f" as {words}, each order renewing the one before at its expiry, at the same"
            " price per month."
        )
    return notes


def _exit_cents(cents: int, term_months: int, refund_percent: Decimal) -> int:
    """What leaving after the first month costs: the term, less any refund of the unused
    months' share (``refund_percent`` of it, rounded half up to the cent)."""
    unused = Decimal(cents) * (term_months - 1) / term_months
    refund = (unused * refund_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return cents - int(refund)


def _notes(out: pd.DataFrame, years: int, months: int, refund_percent: float) -> list[str]:
    notes = []
    if (out["years"] > 0).any() and out["subscription_price_per_year"].notna().any():
        short = " (a horizon shorter than the term: the whole term is paid)" if months % 12 else ""
        notes.append(
            f"Terms: each pair is planned with the month term ({months} month"
            f"{'s' if months != 1 else ''}) and, where the catalog prices one, the year term"
            f" ({years} year{'s' if years != 1 else ''}{short}); the cheaper plan is the"
            " term column. No year price is derived from a month price."
        )
    chosen = out[out["term"] == "year"]
    for row in chosen.itertuples(index=False):
        notes.append(
            f"{row.region_id} / {row.hardware}: the year term is cheaper: {row.term_nodes}"
            f" nodes for {row.years} year{'s' if row.years != 1 else ''},"
            f" {format_money(row.term_plan_cost)} against {format_money(row.plan_cost)} with"
            " month terms."
        )
    notes.append(
        "Early exit (early_exit_cost: every job stops after the first month): Lingjun"
        " subscriptions are not refunded and under a month is billed as a month, so the"
        " whole term is paid; general computing refunds are UNCONFIRMED, taken as"
        f" {refund_percent:g} % of the unused months' share (general_refund_percent)."
    )
    notes.append(
        "Expiry: each subscription ends on the same day and time its months later"
        " (subscription_end); nodes are released 24 h after expiry unless renewed, so renew"
        " by renew_by to keep them."
    )
    return notes
