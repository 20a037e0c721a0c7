"""Subscription versus pay-as-you-go, as tables: per region and hardware, and per project.

Offers are compared only when the catalog gives them the same ``hardware`` key in the same
region, and each method's offer is the one :mod:`~pai_model.data.offers` chooses (the cheapest
that can be bought now); the catalog's ``note`` says when a pairing is an assumption, and
the tables carry it along.

**Terms.** Where the catalog prices a year term (``subscription_price_per_year``), the
break-even table shows it beside the month term: its effective monthly price is the year
price / 12, rounded half up to 6 decimals (the catalog's precision), and its break-even
usage is that monthly price against pay-as-you-go, in the same month convention. A year
term commits for twelve months: the comparison holds for use that lasts the year. No year
price is ever derived from a month price.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.data.catalog import combined_provenance
from pai_model.data.offers import offer_pairs
from pai_model.errors import InputError
from pai_model.formulas.billing import hourly_payg_cost, payg_cost, subscription_cost
from pai_model.formulas.breakeven import (
    HOURS_PER_MONTH,
    break_even_minutes,
    break_even_utilization,
    months_billed,
)
from pai_model.formulas.engine import payg_bill_amounts
from pai_model.formulas.terms import months_to_cover, subscription_end, timestamps

BREAK_EVEN_COLUMNS = (
    "region_id",
    "region_name",
    "hardware",
    "currency",
    "subscription_spec",
    "payg_spec",
    "subscription_price_per_month",
    "payg_price_per_minute",
    "break_even_minutes",
    "break_even_hours_per_day",
    "break_even_utilization",
    "purchasable",
    "subscription_purchasable",
    "payg_purchasable",
    "subscription_reason",
    "payg_reason",
    "subscription_source",
    "subscription_as_of",
    "payg_source",
    "payg_as_of",
    "provenance",
    "note",
    # the pay-as-you-go offer's own unit, and a public offer's hourly price
    "payg_price_unit",
    "payg_price_per_hour",
    # the year term, where the catalog prices it
    "subscription_price_per_year",
    "year_price_per_month",
    "year_break_even_minutes",
    "year_break_even_hours_per_day",
    "year_break_even_utilization",
    "year_spec",
    "year_purchasable",
    "year_reason",
    "year_source",
    "year_as_of",
)


def break_even_table(
    catalog: pd.DataFrame,
    *,
    hours_per_month: float = HOURS_PER_MONTH,
    public_payg: bool = False,
) -> pd.DataFrame:
    """One row per (region, hardware) offered both by subscription and pay-as-you-go.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.
    hours_per_month : float, default 730
        The month convention. [hour/month]
    public_payg : bool, default False
        Compare general computing specs against public resources of the same hardware
        (DLC/DSW, priced per hour; see :func:`~pai_model.data.offers.chosen_offers`). Their
        ``payg_price_per_minute`` is then the per-minute equivalent ``payg_price_per_hour
        / 60``, unrounded: a figure to compare, not to bill (bill them with
        :func:`payg_bills`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BREAK_EVEN_COLUMNS`: both specs and prices, ``currency``,
        ``break_even_minutes`` [minute/month], ``break_even_hours_per_day`` [hour/day],
        ``break_even_utilization`` [fraction], ``purchasable`` (both offers in stock now),
        ``subscription_purchasable`` and ``payg_purchasable`` with ``subscription_reason``
        and ``payg_reason`` (why not, "" when purchasable; see
        :func:`~pai_model.data.offers.chosen_offers`),
        the source and date of each price, ``provenance`` ("documented", "illustrative"
        or "mixed") and the pairing ``note``; ``payg_price_unit`` ("minute" or "hour")
        and ``payg_price_per_hour``; and the year term (empty where not priced):
        ``subscription_price_per_year`` [currency/year], ``year_price_per_month``
        [currency/month] (year / 12, half up to 6 decimals), ``year_break_even_minutes``,
        ``year_break_even_hours_per_day``, ``year_break_even_utilization``, and the year
        offer's ``year_spec``, ``year_purchasable``, ``year_reason``, ``year_source`` and
        ``year_as_of``. Sorted by region and hardware.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> table = break_even_table(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> table[["region_id", "hardware", "break_even_minutes"]].round(2).values.tolist()
    [['cn-wulanchabu', 'gu7xf-8xGU108', 32784.52]]
    """
    from pai_model.data.catalog import catalog_table

    catalog = catalog_table(catalog)
    pairs = offer_pairs(catalog, public_payg=public_payg)
    out = pairs[[c for c in BREAK_EVEN_COLUMNS if c in pairs.columns]].copy()
    hourly = (out["payg_price_unit"] == "hour").to_numpy()
    out["payg_price_per_minute"] = np.where(
        hourly, out["payg_price_per_hour"].to_numpy() / 60.0, out["payg_price_per_minute"]
    )
    sub_price = out["subscription_price_per_month"].to_numpy()
    payg_price = out["payg_price_per_minute"].to_numpy()
    for prefix, monthly in (("", sub_price), ("year_", None)):
        if monthly is None:
            out["year_price_per_month"] = year_price_per_month(out["subscription_price_per_year"])
            monthly = out["year_price_per_month"].to_numpy()
        priced = ~np.isnan(monthly)
        minutes, utilization = np.full((2, len(out)), np.nan)
        if priced.any():
            minutes[priced] = break_even_minutes(monthly[priced], payg_price[priced])
            utilization[priced] = break_even_utilization(
                monthly[priced], payg_price[priced], hours_per_month=hours_per_month
            )
        out[f"{prefix}break_even_minutes"] = minutes
        out[f"{prefix}break_even_hours_per_day"] = utilization * 24.0
        out[f"{prefix}break_even_utilization"] = utilization
    out["purchasable"] = out["subscription_purchasable"] & out["payg_purchasable"]
    out["provenance"] = combined_provenance(
        pairs["subscription_provenance"], pairs["payg_provenance"]
    )
    out["note"] = pairs["subscription_note"].where(
        pairs["subscription_note"] != "", pairs["payg_note"]
    )
    out.attrs["hours_per_month"] = hours_per_month
    out.attrs["catalog"] = catalog.attrs.get("path", "")
    return out[list(BREAK_EVEN_COLUMNS)]


def year_price_per_month(year_price: Any) -> np.ndarray:
    """Effective monthly price of a year term: year price / 12, half up to 6 decimals.

    Exact: the year price is read in whole micro-units and divided by 12 in integers.

    Parameters
    ----------
    year_price : numeric
        Price of one node for one year (NaN: not priced). [currency/year]

    Returns
    -------
    ndarray
        The monthly price [currency/month], NaN where the year is not priced.

    Examples
    --------
    287,192.40 / 12 = 23,932.70 exactly; 1,000 / 12 = 83.3333333... -> 83.333333;
    0.000006 / 12 = 0.0000005 -> 0.000001 (half up).

    >>> year_price_per_month([287192.40, 1000, 0.000006, np.nan]).tolist()
    [23932.7, 83.333333, 1e-06, nan]
    """
    prices = np.asarray(year_price, dtype=np.float64)
    priced = ~np.isnan(prices)
    micro = np.rint(np.where(priced, prices, 0.0) * 1e6).astype(np.int64)
    monthly = (2 * micro + 12) // 24  # half up of micro / 12, in integers
    return np.where(priced, monthly / 1e6, np.nan)


def payg_bills(
    table: pd.DataFrame, quantity: Any, minutes: Any, *, minor_units: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """Pay-as-you-go bills of break-even rows, each in its offer's own price unit.

    A per-minute offer is billed at ``payg_price_per_minute``; a public offer
    (``payg_price_unit`` "hour") at ``payg_price_per_hour`` / 60 per minute as one exact
    product (:func:`~pai_model.formulas.billing.hourly_payg_cost`), never at a rounded per-minute
    price.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`break_even_table` (n rows).
    quantity : numeric
        Nodes, broadcast against the rows. [nodes]
    minutes : numeric
        Usage: a scalar, or an array of shape (k,) giving an (n, k) result. [minute]
    minor_units : bool, default False
        Also return the exact cents (int64), as
        :func:`~pai_model.formulas.engine.bill_amounts`.

    Returns
    -------
    tuple of ndarray
        The bills [currency] of shape (n,) or (n, k), and their cents (or None).

    Examples
    --------
    The DLC example (0.6 USD/hour: 1.25 minutes 0.0125, 0.01 to the cent; 45 minutes
    0.45) beside the billing page's Lingjun price (0.73 USD/minute: 1.25 minutes 0.9125,
    0.91; 45 minutes 32.85):

    >>> rows = pd.DataFrame({"payg_price_unit": ["hour", "minute"],
    ...     "payg_price_per_hour": [0.6, np.nan], "payg_price_per_minute": [0.01, 0.73]})
    >>> payg_bills(rows, 1, [1.25, 45])[0].tolist()
    [[0.01, 0.45], [0.91, 32.85]]
    """
    hourly = (table["payg_price_unit"] == "hour").to_numpy()
    duration = np.asarray(minutes, dtype=np.float64)
    column = (len(table), *([1] * duration.ndim))
    prices = np.where(hourly, table["payg_price_per_hour"], table["payg_price_per_minute"])
    nodes = np.broadcast_to(np.asarray(quantity), (len(table),))
    return payg_bill_amounts(
        prices.reshape(column),
        nodes.reshape(column),
        duration,
        hourly=hourly.reshape(column),
        minor_units=minor_units,
    )


def project_length_table(
    subscription_price: float,
    payg_price: float,
    days: Any,
    *,
    quantity: int = 1,
    hours_per_day: float = 24.0,
    hours_per_month: float = HOURS_PER_MONTH,
    start: Any = None,
    payg_price_unit: str = "minute",
) -> pd.DataFrame:
    """Cost of a fixed-length project under each method, for each project length.

    Subscriptions are bought in whole months, so their cost is a staircase; pay-as-you-go
    is a line through the origin. Without a start date a month is ``hours_per_month``
    long (:func:`~pai_model.formulas.breakeven.months_billed`); with one, months are calendar terms
    from it (:func:`~pai_model.formulas.terms.months_to_cover`: 31 days from 1 January are one
    month).

    Parameters
    ----------
    subscription_price : float
        Price of one node for one month. [currency/month]
    payg_price : float
        Price of one node for one minute. [currency/minute]
    days : numeric
        Project lengths. [day]
    quantity : int, default 1
        Nodes the project runs. [nodes]
    hours_per_day : float, default 24
        Hours each node runs per day (24: full use). [hour/day]
    hours_per_month : float, default 730
        The month convention, without a ``start``. [hour/month]
    start : datetime-like, optional
        When the project starts: months become calendar terms from it. [time]
    payg_price_unit : {"minute", "hour"}, default "minute"
        "hour" for a general computing spec's pay-as-you-go, the public resource (DLC/DSW):
        ``payg_price`` is then per hour, billed per minute at the hourly price / 60 as one
        exact product (:func:`~pai_model.formulas.billing.hourly_payg_cost`).

    Returns
    -------
    pandas.DataFrame
        ``days``, ``months_billed``, ``subscription_cost``, ``payg_cost`` (exact, to the
        cent) and ``cheaper`` ("subscription", "payg" or "equal").

    Examples
    --------
    Two GU108 nodes of the billing page for 20 and 30 days at full use:
    20 x 1,440 x 0.73 x 2 = 42,048.00 pay-as-you-go against one month, 47,865.40.

    >>> table = project_length_table(23932.70, 0.73, [20, 30], quantity=2)
    >>> table[["payg_cost", "subscription_cost", "cheaper"]].values.tolist()
    [[42048.0, 47865.4, 'payg'], [63072.0, 47865.4, 'subscription']]

    From 1 January, 31 days are one calendar month (730-hour months: two):

    >>> project_length_table(23932.70, 0.73, [31], start="2026-01-01")["months_billed"].tolist()
    [1]
    """
    length = np.atleast_1d(np.asarray(days, dtype=np.float64))
    if start is None:
        months = np.atleast_1d(months_billed(length, hours_per_month=hours_per_month))
    else:
        first = timestamps(start, "start")[0]
        months = months_to_cover(first, first + pd.to_timedelta(np.round(length * 86400, 3), "s"))
    minutes = np.round(length * hours_per_day * 60.0, 3)
    sub = np.atleast_1d(subscription_cost(subscription_price, quantity, months))
    if payg_price_unit not in ("minute", "hour"):
        raise InputError("payg_price_unit", f"must be 'minute' or 'hour'; got {payg_price_unit!r}")
    bill = hourly_payg_cost if payg_price_unit == "hour" else payg_cost
    payg = np.atleast_1d(bill(payg_price, quantity, minutes))
    cheaper = np.select([payg < sub, payg > sub], ["payg", "subscription"], "equal")
    return pd.DataFrame(
        {
            "days": length,
            "months_billed": months,
            "subscription_cost": sub,
            "payg_cost": payg,
            "cheaper": cheaper,
        }
    )


def project_crossovers(
    subscription_price: float,
    payg_price: float,
    max_days: float,
    *,
    quantity: int = 1,
    hours_per_day: float = 24.0,
    hours_per_month: float = HOURS_PER_MONTH,
    start: Any = None,
    payg_price_unit: str = "minute",
) -> pd.DataFrame:
    """Project lengths at which each method wins, as intervals of days.

    In billed month ``k`` (lengths between ``(k-1)`` and ``k`` months) the subscription
    costs ``k x S`` and pay-as-you-go ``D x 60 x hours_per_day x p``, so pay-as-you-go wins
    up to ``D = k x S / (60 x hours_per_day x p)`` within that month and the subscription
    after it. The quantity scales both sides alike and does not move the crossovers.

    Parameters
    ----------
    subscription_price, payg_price : float
        Prices of one node. [currency/month], [currency/minute]
    max_days : float
        Longest project length considered. [day]
    quantity, hours_per_day, hours_per_month, start, payg_price_unit
        As in :func:`project_length_table` (with a ``start``, month ``k`` ends where the
        calendar term of ``k`` months from it ends).

    Returns
    -------
    pandas.DataFrame
        ``start_days``, ``end_days`` and ``cheaper`` ("payg" or "subscription") for each
        interval, adjacent intervals with the same winner merged. At an interval's start
        the costs are equal when the winner changes there.

    Examples
    --------
    The billing page's GU108 offers at full use: pay-as-you-go costs 1,051.20 a day, so
    it wins the first 23,932.70 / 1,051.20 = 22.77 days of the first month.

    In billed month 3 it wins again up to 3 x 22.77 = 68.30 days; from month 4 on
    (91.25 days and more) never.

    >>> for row in project_crossovers(23932.70, 0.73, 120).round(2).values.tolist():
    ...     print(row)
    [0.0, 22.77, 'payg']
    [22.77, 30.42, 'subscription']
    [30.42, 45.53, 'payg']
    [45.53, 60.83, 'subscription']
    [60.83, 68.3, 'payg']
    [68.3, 120.0, 'subscription']
    """
    del quantity  # scales both costs alike
    per_minute = payg_price / 60.0 if payg_price_unit == "hour" else payg_price
    per_month_days = subscription_price / (60.0 * hours_per_day * per_minute)
    if start is None:
        days_per_month = hours_per_month / 24.0
        count = int(np.ceil(max_days / days_per_month))
        bounds = np.arange(count + 1) * days_per_month
    else:
        first = timestamps(start, "start")[0]
        count = int(months_to_cover(first, first + pd.Timedelta(days=max_days)))
        ends = subscription_end(first, np.arange(count + 1))
        bounds = (ends - first).total_seconds().to_numpy() / 86400.0
    month = np.arange(1, count + 1)
    start_days = bounds[:-1]
    end = np.minimum(bounds[1:], max_days)
    switch = np.clip(month * per_month_days, start_days, end)
    rows = []
    for a, s, b in zip(start_days, switch, end, strict=True):
        if s > a:
            rows.append([a, s, "payg"])
        if b > s:
            rows.append([s, b, "subscription"])
    merged: list[list[Any]] = []
    for row in rows:
        if merged and merged[-1][2] == row[2]:
            merged[-1][1] = row[1]
        else:
            merged.append(row)
    return pd.DataFrame(merged, columns=["start_days", "end_days", "cheaper"])
