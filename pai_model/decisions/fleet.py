"""A fleet plan: each group of nodes priced under both billing methods, and a mixed plan.

A fleet is a table of node groups (CSV or DataFrame), one row each::

    region_id*            e.g. cn-wulanchabu
    hardware | spec*      the hardware key of the catalog, or a spec (read as its hardware)
    quantity*             nodes, a positive whole number
    usage_hours_per_day*  hours each node runs per day, 0 to 24
    months*               planned duration, a positive whole number of months (at most 120)

Each row is priced with the offer of each method that :mod:`~pai_model.data.offers` chooses for
its hardware in its region (the cheapest that can be bought now): a subscription of
``months`` whole months, and pay-as-you-go for ``usage_hours_per_day`` every day of those
months (the month convention ``hours_per_month`` turns h/day into minutes). A general
computing spec, sold by subscription only, is compared with the public resource of its
hardware (DLC/DSW, priced per hour, billed per minute at the hourly price / 60) where the
catalog has one, and is subscription only where it has none. Rows that
cannot be bought (unknown offer, out of stock, no method offered) are listed with the
reason, never dropped silently.

Pay-as-you-go is billed for a node's whole life in the resource group: from when it joins
(before its job starts) to when it is released (after the job ends), not only while the
job runs. ``overhead_minutes`` adds that provisioning and release lag to every job; the
fleet counts one job per node per day of use (a node brought up for its daily hours and
released after them), so a node is billed ``usage_hours_per_day + overhead_minutes / 60``
hours a day, at most 24 (a node that never stops is not released daily). Rows with no
use (0 h/day) have no jobs and no overhead. The default overhead is 0.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np
import pandas as pd

from pai_model import paths
from pai_model.data.catalog import combined_provenance
from pai_model.data.methods import BILLING_METHODS
from pai_model.data.offers import KEYS, offer_pairs
from pai_model.data.schemas import FleetSchema
from pai_model.data.tables import read_table
from pai_model.errors import FleetError, InputError
from pai_model.formulas.breakeven import HOURS_PER_MONTH, monthly_minutes
from pai_model.formulas.engine import bill_amounts, minor_units_to_float, payg_bill_amounts
from pai_model.formulas.totals import exact_sum, minor_to_float

#: An illustrative fleet (made-up node groups) for the fleet plan notebook.
EXAMPLE_FLEET = paths.NOTEBOOK_DIR / "data" / "example_fleet.csv"
#: The three plans compared in the totals; every buyable row is in each of them.
PLANS = ("subscription first", "pay-as-you-go first", "mixed: cheaper per row")


class FleetPlan(NamedTuple):
    """Result of :func:`plan_fleet`."""

    #: One row per fleet row (columns: :data:`ROW_COLUMNS`).
    rows: pd.DataFrame
    #: Per currency and plan: ``currency``, ``plan`` (one of :data:`PLANS`), ``cost``
    #: [currency], ``cost_minor`` (the same, exact, in whole cents) and ``rows``.
    totals: pd.DataFrame
    #: The rows that cannot be bought at all: ``line``, ``region_id``, ``hardware``,
    #: ``spec``, ``quantity``, ``reason``.
    unbuyable: pd.DataFrame


ROW_COLUMNS = (
    "line",
    "region_id",
    "region_name",
    "hardware",
    "spec",
    "quantity",
    "usage_hours_per_day",
    "months",
    "currency",
    "subscription_spec",
    "payg_spec",
    "payg_price_unit",
    "subscription_cost",
    "payg_cost",
    "cheaper",
    "savings",
    "plan_method",
    "plan_cost",
    "provenance",
    "reason",
)


def read_fleet(fleet: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check a fleet table.

    Parameters
    ----------
    fleet : pandas.DataFrame, path-like or str
        The table, or a CSV or Parquet file or fsspec URL of one (lines starting with
        ``#`` are comments), with the columns of
        :class:`~pai_model.data.schemas.FleetSchema`.

    Returns
    -------
    pandas.DataFrame
        ``line`` (the physical line of the CSV file, or row number + 2 for a DataFrame,
        as if read from a file with a header), ``region_id``, ``hardware``, ``spec``
        ('' where not given), ``quantity`` [nodes], ``usage_hours_per_day``
        [hour/day], ``months`` [month].

    Raises
    ------
    FleetError
        Listing every problem: missing column, neither hardware nor spec, quantity or
        months not a positive whole number, usage outside 0-24 h/day.

    See Also
    --------
    pai_model.data.tables.read_table : the reader of every table.
    plan_fleet : the fleet priced under both methods.

    Examples
    --------
    >>> read_fleet(pd.DataFrame({"region_id": ["cn-wulanchabu"], "spec": ["ml.x"],
    ...     "quantity": [2], "usage_hours_per_day": [8], "months": [3]}))
       line      region_id hardware  spec  quantity  usage_hours_per_day  months
    0     2  cn-wulanchabu           ml.x         2                  8.0       3
    """
    table = read_table(fleet, FleetSchema, error=FleetError)
    return pd.DataFrame(
        {
            "line": table.attrs["lines"](np.arange(len(table))),
            "region_id": table["region_id"],
            "hardware": table["hardware"].fillna(""),
            "spec": table["spec"].fillna(""),
            "quantity": table["quantity"].astype(np.int64),
            "usage_hours_per_day": table["usage_hours_per_day"],
            "months": table["months"].astype(np.int64),
        }
    )


def _resolve_hardware(fleet: pd.DataFrame, catalog: pd.DataFrame) -> pd.Series:
    """The hardware key of each row: as given, or the catalog's for its (region, spec)."""
    by_spec = catalog[["region_id", "spec", "hardware"]].rename(columns={"hardware": "_hw"})
    found = fleet[["region_id", "spec"]].merge(by_spec, on=["region_id", "spec"], how="left")
    return fleet["hardware"].where(fleet["hardware"] != "", found["_hw"].fillna("").to_numpy())


def billed_hours_per_day(usage_hours_per_day: np.ndarray, overhead_minutes: float) -> np.ndarray:
    """Pay-as-you-go hours a node is billed per day: its use plus one job's overhead.

    >>> billed_hours_per_day(np.array([0.0, 8.0, 23.9, 24.0]), 15).tolist()
    [0.0, 8.25, 24.0, 24.0]
    """
    with_overhead = np.minimum(usage_hours_per_day + overhead_minutes / 60.0, 24.0)
    return np.where(usage_hours_per_day > 0, with_overhead, 0.0)


def _bill(
    method: str, rows: pd.DataFrame, hours_per_month: float, overhead_minutes: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact bills of ``rows`` under ``method`` over their months, and their minor units."""
    quantity = rows["quantity"].to_numpy()
    if method == "subscription":
        price = rows["subscription_price_per_month"].to_numpy()
        duration = rows["months"].to_numpy()
        return bill_amounts(price, quantity, duration, per_minute=False, minor_units=True)
    # a public resource (a general spec's pay-as-you-go) is billed at its hourly price / 60
    hourly = (rows["payg_price_unit"] == "hour").to_numpy()
    price = np.where(hourly, rows["payg_price_per_hour"], rows["payg_price_per_minute"])
    duration = monthly_minutes(
        billed_hours_per_day(rows["usage_hours_per_day"].to_numpy(), overhead_minutes),
        months=rows["months"].to_numpy(),
        hours_per_month=hours_per_month,
    )
    return payg_bill_amounts(price, quantity, duration, hourly=hourly, minor_units=True)


def plan_fleet(
    fleet: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    *,
    hours_per_month: float = HOURS_PER_MONTH,
    overhead_minutes: float = 0.0,
) -> FleetPlan:
    """Price every fleet row under both methods; pick the cheaper per row; total each plan.

    Parameters
    ----------
    fleet : pandas.DataFrame or path-like
        The fleet table (see the module docstring), read with :func:`read_fleet`.
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.
    hours_per_month : float, default 730
        The month convention turning h/day into minutes of use. [hour/month]
    overhead_minutes : float, default 0
        Pay-as-you-go minutes billed per job beyond its run (provisioning before it and the
        lag before release after it), one job per node per day of use, from 0 to 1,440
        (see the module docstring). [minute/job]

    Returns
    -------
    FleetPlan
        ``rows``: per fleet row the cost of each method over its months [currency] (NaN
        when that method cannot be bought), ``cheaper`` ("subscription", "payg", "equal",
        or "" when only one method can be bought), ``savings`` of the cheaper method
        [currency] (0 with one method), ``payg_price_unit`` ("hour" where the
        pay-as-you-go offer is a public resource), ``plan_method`` and ``plan_cost`` of the mixed
        plan, ``provenance`` of the prices used and ``reason`` (why a method, or the row,
        cannot be bought). ``totals``: per currency, the cost of each plan in
        :data:`PLANS` (a row offering one method is on it in every plan), exact to the
        cent. ``unbuyable``: the rows neither method can buy, with the reason. The
        ``attrs`` of ``rows`` and ``totals`` hold ``overhead_minutes`` (the value used)
        and ``hours_per_month``.

    Examples
    --------
    Two GU108 nodes of the billing page for 3 months at 8 h/day: subscription
    2 x 23,932.70 x 3 = 143,596.20 USD; pay-as-you-go 2 x 0.73 x 14,600 min x 3 =
    63,948.00 USD, cheaper by 79,648.20 USD.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> fleet = pd.DataFrame({"region_id": ["cn-wulanchabu"], "hardware": ["gu7xf-8xGU108"],
    ...                       "quantity": [2], "usage_hours_per_day": [8], "months": [3]})
    >>> plan = plan_fleet(fleet, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> plan.rows[["subscription_cost", "payg_cost", "cheaper", "savings"]].values.tolist()
    [[143596.2, 63948.0, 'payg', 79648.2]]

    With 15 minutes of overhead a job (a node a day), pay-as-you-go bills 8.25 h a day:
    8.25 / 24 x 43,800 = 15,056.25 minutes a month, 2 x 0.73 x 15,056.25 x 3 = 65,946.375
    -> 65,946.38 USD.

    >>> plan = plan_fleet(fleet, read_catalog(paths.DOCUMENTED_CATALOG), overhead_minutes=15)
    >>> plan.rows["payg_cost"].tolist(), plan.rows.attrs["overhead_minutes"]
    ([65946.38], 15.0)
    """
    overhead = float(overhead_minutes)
    if not 0 <= overhead <= 24 * 60:
        raise InputError(
            "overhead_minutes", f"must be from 0 to 1,440 minutes a job; got {overhead_minutes!r}"
        )
    table = read_fleet(fleet)
    table["hardware"] = _resolve_hardware(table, catalog)
    rows = table.merge(
        offer_pairs(catalog, both=False, public_payg=True), on=list(KEYS), how="left"
    )
    known_region = rows["region_id"].isin(catalog["region_id"]).to_numpy()
    known = rows["currency"].notna().to_numpy()
    reasons = np.full(len(rows), "", dtype=object)
    reasons[~known_region] = [
        f"region '{r}' is not in the catalog" for r in rows.loc[~known_region, "region_id"]
    ]
    what = np.where(
        table["hardware"] != "",
        "hardware '" + table["hardware"] + "'",
        "spec '" + table["spec"] + "'",
    )
    unknown_offer = known_region & ~known
    reasons[unknown_offer] = [f"no offer of {w} in this region" for w in what[unknown_offer]]

    # cost of each method where it can be bought [currency], and in exact minor units
    minor = {}
    for method in BILLING_METHODS:
        buy = known & rows[f"{method}_purchasable"].fillna(False).to_numpy(dtype=bool)
        why_not = known & ~buy
        reasons[why_not] = [
            f"{r}; {w}" if r else w
            for r, w in zip(reasons[why_not], rows.loc[why_not, f"{method}_reason"], strict=True)
        ]
        cost = np.full(len(rows), np.nan)
        minor[method] = np.zeros(len(rows), dtype=np.int64)
        if buy.any():
            cost[buy], minor[method][buy] = _bill(method, rows[buy], hours_per_month, overhead)
        rows[f"{method}_cost"] = cost
        rows[f"{method}_spec"] = rows[f"{method}_spec"].where(buy, "")

    sub, payg = rows["subscription_cost"], rows["payg_cost"]
    both = (sub.notna() & payg.notna()).to_numpy()
    rows["cheaper"] = np.select(
        [both & (payg < sub), both & (sub < payg), both], ["payg", "subscription", "equal"], ""
    )
    rows["savings"] = np.where(
        both, minor_units_to_float(np.abs(minor["subscription"] - minor["payg"]), 2), 0.0
    )
    rows["plan_method"] = np.select(
        [rows["cheaper"] == "payg", sub.notna(), payg.notna()],
        ["payg", "subscription", "payg"],
        "",
    )
    rows["plan_cost"] = np.where(rows["plan_method"] == "payg", payg, sub)
    used = [rows[f"{m}_provenance"].where(rows[f"{m}_cost"].notna()) for m in BILLING_METHODS]
    rows["provenance"] = combined_provenance(*used)
    rows["reason"] = reasons
    # "hour" where the pay-as-you-go priced is a public resource; "" where none is
    rows["payg_price_unit"] = rows["payg_price_unit"].where(rows["payg_cost"].notna(), "")
    rows["currency"] = rows["currency"].fillna("")
    rows["region_name"] = rows["region_name"].fillna("")
    for method in BILLING_METHODS:
        rows[f"{method}_spec"] = rows[f"{method}_spec"].fillna("")

    # each plan's total, summed in exact minor units: a row offering one method is on that
    # method in every plan
    sub_minor, payg_minor = minor["subscription"], minor["payg"]
    has_sub, has_payg = sub.notna().to_numpy(), payg.notna().to_numpy()
    plan_minor = {
        PLANS[0]: np.where(has_sub, sub_minor, payg_minor),
        PLANS[1]: np.where(has_payg, payg_minor, sub_minor),
        PLANS[2]: np.where(rows["plan_method"] == "payg", payg_minor, sub_minor),
    }
    buyable = (rows["plan_method"] != "").to_numpy()
    totals = []
    for currency in sorted(set(rows.loc[buyable, "currency"])):
        mine = buyable & (rows["currency"] == currency).to_numpy()
        for plan in PLANS:
            cents = exact_sum(plan_minor[plan][mine])
            totals.append(
                {
                    "currency": currency,
                    "plan": plan,
                    "cost": float(minor_to_float(np.array([cents], dtype=object), 2)[0]),
                    "cost_minor": cents,
                    "rows": int(mine.sum()),
                }
            )
    rows = rows[list(ROW_COLUMNS)]
    unbuyable = rows.loc[
        rows["plan_method"] == "", ["line", "region_id", "hardware", "spec", "quantity", "reason"]
    ]
    settings = {"overhead_minutes": overhead, "hours_per_month": float(hours_per_month)}
    rows = rows.reset_index(drop=True)
    totals_table = pd.DataFrame(totals, columns=["currency", "plan", "cost", "cost_minor", "rows"])
    rows.attrs.update(settings)
    totals_table.attrs.update(settings)
    return FleetPlan(rows, totals_table, unbuyable.reset_index(drop=True))
