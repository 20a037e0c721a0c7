"""A fleet plan: each group of nodes priced under both billing methods, and a mixed plan.

A fleet is a table of node groups (CSV or DataFrame), one row each::

    region_id*            e.g. cn-wulanchabu
    hardware | spec*      the hardware key of the catalog, or a spec (read as its hardware)
    quantity*             nodes, a positive whole number
    usage_hours_per_day*  hours each node runs per day, 0 to 24
    months*               planned duration, a positive whole number of months (at most 120)

Each row is priced with the cheapest in-stock offer of each method for its hardware in its
region: a subscription of ``months`` whole months, and pay-as-you-go for
``usage_hours_per_day`` every day of those months (the month convention
``hours_per_month`` turns h/day into minutes). Rows that cannot be bought (unknown offer,
out of stock, no method offered) are listed with the reason, never dropped silently.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import paths
from .billing import payg_cost, subscription_cost
from .breakeven import HOURS_PER_MONTH, monthly_minutes
from .catalog import ILLUSTRATIVE
from .errors import FleetError
from .schemas import FleetSchema
from .tables import read_table

#: An illustrative fleet (made-up node groups) for the fleet plan notebook.
EXAMPLE_FLEET = paths.NOTEBOOK_DIR / "data" / "example_fleet.csv"
#: The three plans compared in the totals; every buyable row is in each of them.
PLANS = ("subscription first", "pay-as-you-go first", "mixed: cheaper per row")
METHODS = ("subscription", "payg")
_PRICE = {"subscription": "subscription_price_per_month", "payg": "payg_price_per_minute"}
_LABEL = {"subscription": "subscription", "payg": "pay-as-you-go"}


class FleetPlan(NamedTuple):
    """Result of :func:`plan_fleet`."""

    #: One row per fleet row (columns: :data:`ROW_COLUMNS`).
    rows: pd.DataFrame
    #: Per currency and plan: ``currency``, ``plan`` (one of :data:`PLANS`), ``cost``, ``rows``.
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
    "subscription_cost",
    "payg_cost",
    "cheaper",
    "savings",
    "plan_method",
    "plan_cost",
    "provenance",
    "reason",
)


def load_fleet(fleet: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check a fleet table.

    Parameters
    ----------
    fleet : pandas.DataFrame, path-like or str
        The table, or a CSV or Parquet file or fsspec URL of one (lines starting with
        ``#`` are comments), with the columns of
        :class:`~pai_model.schemas.FleetSchema`.

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
    pai_model.tables.read_table : the reader of every table.
    plan_fleet : the fleet priced under both methods.

    Examples
    --------
    >>> load_fleet(pd.DataFrame({"region_id": ["cn-wulanchabu"], "spec": ["ml.x"],
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


def _offers(catalog: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per (region, hardware): the cheapest in-stock offer of ``method`` and how many exist."""
    price = _PRICE[method]
    offered = catalog[catalog[price].notna()]
    counts = offered.groupby(["region_id", "hardware"]).size().rename(f"{method}_offers")
    cheapest = (
        offered[offered["in_stock"]]
        .sort_values(price)
        .drop_duplicates(["region_id", "hardware"])
        .set_index(["region_id", "hardware"])[[price, "spec", "provenance"]]
        .rename(columns={"spec": f"{method}_spec", "provenance": f"{method}_provenance"})
    )
    return pd.concat([counts, cheapest], axis=1).reset_index()


def _sum_cents(amounts: pd.Series) -> float:
    """Exact sum of amounts that are each the nearest double of a whole number of cents."""
    return float(np.round(amounts.to_numpy(dtype=np.float64) * 100).astype(np.int64).sum()) / 100


def plan_fleet(
    fleet: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    *,
    hours_per_month: float = HOURS_PER_MONTH,
) -> FleetPlan:
    """Price every fleet row under both methods; pick the cheaper per row; total each plan.

    Parameters
    ----------
    fleet : pandas.DataFrame or path-like
        The fleet table (see the module docstring), read with :func:`load_fleet`.
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.catalog.load_catalog`.
    hours_per_month : float, default 730
        The month convention turning h/day into minutes of use. [hour/month]

    Returns
    -------
    FleetPlan
        ``rows``: per fleet row the cost of each method over its months [currency] (NaN
        when that method cannot be bought), ``cheaper`` ("subscription", "payg", "equal",
        or "" when only one method can be bought), ``savings`` of the cheaper method
        [currency] (0 with one method), ``plan_method`` and ``plan_cost`` of the mixed
        plan, ``provenance`` of the prices used and ``reason`` (why a method, or the row,
        cannot be bought). ``totals``: per currency, the cost of each plan in
        :data:`PLANS` (a row offering one method is on it in every plan), exact to the
        cent. ``unbuyable``: the rows neither method can buy, with the reason.

    Examples
    --------
    Two GU108 nodes of the billing page for 3 months at 8 h/day: subscription
    2 x 23,932.70 x 3 = 143,596.20 USD; pay-as-you-go 2 x 0.73 x 14,600 min x 3 =
    63,948.00 USD, cheaper by 79,648.20 USD.

    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> fleet = pd.DataFrame({"region_id": ["cn-wulanchabu"], "hardware": ["gu7xf-8xGU108"],
    ...                       "quantity": [2], "usage_hours_per_day": [8], "months": [3]})
    >>> plan = plan_fleet(fleet, load_catalog(paths.DOCUMENTED_CATALOG))
    >>> plan.rows[["subscription_cost", "payg_cost", "cheaper", "savings"]].values.tolist()
    [[143596.2, 63948.0, 'payg', 79648.2]]
    """
    table = load_fleet(fleet)
    table["hardware"] = _resolve_hardware(table, catalog)
    keys = ["region_id", "hardware"]
    facts = catalog.drop_duplicates(keys).set_index(keys)[
        ["region_name", "resource_type", "currency"]
    ]
    rows = table.merge(facts.reset_index(), on=keys, how="left")
    for method in METHODS:
        rows = rows.merge(_offers(catalog, method), on=keys, how="left")
    known_region = rows["region_id"].isin(catalog["region_id"])
    known = rows["currency"].notna()
    reasons = pd.Series("", index=rows.index, dtype=object)
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

    for method in METHODS:
        price = rows[_PRICE[method]]
        available = price.notna()
        offered = rows[f"{method}_offers"].fillna(0) > 0
        if method == "payg":
            why_not = np.where(
                rows["resource_type"] == "general",
                "pay-as-you-go is not offered (general computing resources are subscription only)",
                "no pay-as-you-go offer",
            )
        else:
            why_not = np.full(len(rows), "no subscription offer", dtype=object)
        why_not = np.where(
            offered, f"{_LABEL[method]} offer out of stock (cannot be purchased)", why_not
        )
        add = known & ~available
        reasons[add] = [
            f"{r}; {w}" if r else w for r, w in zip(reasons[add], why_not[add], strict=True)
        ]
        cost = pd.Series(np.nan, index=rows.index)
        if available.any():
            part = rows[available]
            if method == "subscription":
                cost[available] = subscription_cost(
                    price[available].to_numpy(),
                    part["quantity"].to_numpy(),
                    part["months"].to_numpy(),
                )
            else:
                minutes = monthly_minutes(
                    part["usage_hours_per_day"].to_numpy(),
                    months=part["months"].to_numpy(),
                    hours_per_month=hours_per_month,
                )
                cost[available] = payg_cost(
                    price[available].to_numpy(), part["quantity"].to_numpy(), minutes
                )
        rows[f"{method}_cost"] = cost

    sub, payg = rows["subscription_cost"], rows["payg_cost"]
    both = sub.notna() & payg.notna()
    rows["cheaper"] = np.select(
        [both & (payg < sub), both & (sub < payg), both], ["payg", "subscription", "equal"], ""
    )
    rows["savings"] = np.where(both, np.round((sub - payg).abs(), 2), 0.0)
    rows["plan_method"] = np.select(
        [rows["cheaper"] == "payg", sub.notna(), payg.notna()],
        ["payg", "subscription", "payg"],
        "",
    )
    rows["plan_cost"] = np.where(rows["plan_method"] == "payg", payg, sub)
    used = [rows[f"{m}_provenance"].where(rows[f"{m}_cost"].notna()) for m in METHODS]
    illustrative = (used[0] == ILLUSTRATIVE).astype(int) + (used[1] == ILLUSTRATIVE).astype(int)
    documented = (used[0] == "documented").astype(int) + (used[1] == "documented").astype(int)
    rows["provenance"] = np.select(
        [(illustrative > 0) & (documented > 0), illustrative > 0, documented > 0],
        ["mixed", ILLUSTRATIVE, "documented"],
        "",
    )
    rows["reason"] = reasons
    rows["currency"] = rows["currency"].fillna("")
    rows["region_name"] = rows["region_name"].fillna("")
    for column in ("subscription_spec", "payg_spec"):
        rows[column] = rows[column].where(rows[f"{column[:-5]}_cost"].notna(), "").fillna("")
    rows = rows[list(ROW_COLUMNS)]

    buyable = rows[rows["plan_method"] != ""]
    totals = []
    for currency, group in buyable.groupby("currency", sort=True):
        s, p = group["subscription_cost"], group["payg_cost"]
        plans = (s.fillna(p), p.fillna(s), group["plan_cost"])
        totals += [
            {"currency": currency, "plan": plan, "cost": _sum_cents(cost), "rows": len(group)}
            for plan, cost in zip(PLANS, plans, strict=True)
        ]
    unbuyable = rows.loc[
        rows["plan_method"] == "", ["line", "region_id", "hardware", "spec", "quantity", "reason"]
    ]
    return FleetPlan(
        rows.reset_index(drop=True),
        pd.DataFrame(totals, columns=["currency", "plan", "cost", "rows"]),
        unbuyable.reset_index(drop=True),
    )
