"""Subscription versus pay-as-you-go, as tables: per region and hardware, and per project.

Offers are compared only when the catalog gives them the same ``hardware`` key in the same
region, and each method's offer is the one :mod:`~pai_model.offers` chooses (the cheapest
that can be bought now); the catalog's ``note`` says when a pairing is an assumption, and
the tables carry it along.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .billing import payg_cost, subscription_cost
from .breakeven import (
    HOURS_PER_MONTH,
    break_even_minutes,
    break_even_utilization,
    months_billed,
)
from .catalog import ILLUSTRATIVE
from .offers import offer_pairs
from .terms import months_to_cover, subscription_end, timestamps

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
)


def break_even_table(
    catalog: pd.DataFrame, *, hours_per_month: float = HOURS_PER_MONTH
) -> pd.DataFrame:
    """One row per (region, hardware) offered both by subscription and pay-as-you-go.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.catalog.load_catalog`.
    hours_per_month : float, default 730
        The month convention. [hour/month]

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BREAK_EVEN_COLUMNS`: both specs and prices, ``currency``,
        ``break_even_minutes`` [minute/month], ``break_even_hours_per_day`` [hour/day],
        ``break_even_utilization`` [fraction], ``purchasable`` (both offers in stock now),
        ``subscription_purchasable`` and ``payg_purchasable`` with ``subscription_reason``
        and ``payg_reason`` (why not, "" when purchasable; see
        :func:`~pai_model.offers.chosen_offers`),
        the source and date of each price, ``provenance`` ("documented", "illustrative"
        or "mixed") and the pairing ``note``. Sorted by region and hardware.

    Examples
    --------
    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> table = break_even_table(load_catalog(paths.DOCUMENTED_CATALOG))
    >>> table[["region_id", "hardware", "break_even_minutes"]].round(2).values.tolist()
    [['cn-wulanchabu', 'gu7xf-8xGU108', 32784.52]]
    """
    pairs = offer_pairs(catalog)
    out = pairs[[c for c in BREAK_EVEN_COLUMNS if c in pairs.columns]].copy()
    sub_price = out["subscription_price_per_month"].to_numpy()
    payg_price = out["payg_price_per_minute"].to_numpy()
    out["break_even_minutes"] = break_even_minutes(sub_price, payg_price)
    utilization = break_even_utilization(sub_price, payg_price, hours_per_month=hours_per_month)
    out["break_even_hours_per_day"] = utilization * 24.0
    out["break_even_utilization"] = utilization
    out["purchasable"] = out["subscription_purchasable"] & out["payg_purchasable"]
    illustrative = (pairs["subscription_provenance"] == ILLUSTRATIVE).astype(int) + (
        pairs["payg_provenance"] == ILLUSTRATIVE
    ).astype(int)
    out["provenance"] = np.select(
        [illustrative == 0, illustrative == 2], ["documented", ILLUSTRATIVE], "mixed"
    )
    out["note"] = pairs["subscription_note"].where(
        pairs["subscription_note"] != "", pairs["payg_note"]
    )
    out.attrs["hours_per_month"] = hours_per_month
    out.attrs["catalog"] = catalog.attrs.get("path", "")
    return out[list(BREAK_EVEN_COLUMNS)]


def project_length_table(
    subscription_price: float,
    payg_price: float,
    days: Any,
    *,
    quantity: int = 1,
    hours_per_day: float = 24.0,
    hours_per_month: float = HOURS_PER_MONTH,
    start: Any = None,
) -> pd.DataFrame:
    """Cost of a fixed-length project under each method, for each project length.

    Subscriptions are bought in whole months, so their cost is a staircase; pay-as-you-go
    is a line through the origin. Without a start date a month is ``hours_per_month``
    long (:func:`~pai_model.breakeven.months_billed`); with one, months are calendar terms
    from it (:func:`~pai_model.terms.months_to_cover`: 31 days from 1 January are one
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
    payg = np.atleast_1d(payg_cost(payg_price, quantity, minutes))
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
    quantity, hours_per_day, hours_per_month, start
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
    per_month_days = subscription_price / (60.0 * hours_per_day * payg_price)
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
