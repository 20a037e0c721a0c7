"""The offer pair a project is planned with, and its table of project lengths, for any spec.

Lingjun offers pair a subscription with pay-as-you-go priced per minute; a general
computing spec (subscription only) is paired with the public resource of its hardware
(DLC/DSW, priced per hour). :func:`project_offer` chooses the pair, :func:`offer_payg_price`
gives the price and unit to plan it with (:func:`~pai_model.decisions.projects.plan_project`),
and :func:`project_lengths` costs it over many project lengths.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pai_model.errors import PaiModelError

__all__ = ["offer_payg_price", "project_lengths", "project_offer"]


def project_offer(catalog: pd.DataFrame, region_id: str, hardware: str) -> pd.Series:
    """The offer pair a project of this hardware in this region is planned with.

    Both methods' offers are chosen by :mod:`~pai_model.data.offers` (the cheapest that can be
    bought now) through :func:`~pai_model.decisions.comparison.break_even_table`, and both must be
    purchasable. A general computing spec (subscription only) is paired with the public
    resource of its hardware (DLC/DSW, priced per hour); :func:`offer_payg_price` gives the
    price and unit to plan it with.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.
    region_id, hardware : str
        The region and the hardware key of the catalog.

    Returns
    -------
    pandas.Series
        The pair's row of the break-even table (specs, prices, currency, provenance).

    Raises
    ------
    PaiModelError
        For a region or hardware the catalog does not have (naming those it has), hardware
        not offered both ways there, or an offer that cannot be purchased now (why).

    Examples
    --------
    >>> from pai_model import paths
    >>> from pai_model.data.catalog import read_catalog
    >>> offer = project_offer(read_catalog(paths.DOCUMENTED_CATALOG), "cn-wulanchabu",
    ...                       "gu7xf-8xGU108")
    >>> float(offer["subscription_price_per_month"]), float(offer["payg_price_per_minute"])
    (23932.7, 0.73)
    """
    from pai_model.decisions.comparison import break_even_table

    for column, wanted in (("region_id", region_id), ("hardware", hardware)):
        known = sorted(set(catalog[column]))
        if wanted not in known:
            raise PaiModelError(
                f"the catalog has no {column} {wanted!r}; it has {', '.join(known)}"
            )
    pairs = break_even_table(
        catalog[(catalog["region_id"] == region_id) & (catalog["hardware"] == hardware)],
        public_payg=True,
    )
    if pairs.empty:
        raise PaiModelError(
            f"{hardware} in {region_id} is not offered both by subscription and"
            " pay-as-you-go (general computing resources are subscription only, and the"
            " catalog has no public resource of this hardware there): there is nothing to mix"
        )
    pair = pairs.iloc[0]
    if not pair["purchasable"]:
        reasons = "; ".join(r for r in (pair["subscription_reason"], pair["payg_reason"]) if r)
        raise PaiModelError(f"{hardware} in {region_id} cannot be planned now: {reasons}")
    return pair


def project_lengths(
    catalog: pd.DataFrame,
    region_id: str,
    hardware: str,
    max_days: float,
    *,
    days: Any = None,
    quantity: int = 1,
    hours_per_day: float = 24.0,
    hours_per_month: float = 730.0,
    start: Any = None,
) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """The offer pair of a project, its length table and its crossovers, for any spec.

    Lingjun pairs are priced per minute; a general computing spec (subscription only) is
    paired with the public resource of its hardware (DLC/DSW, per hour: billed per minute
    at the hourly price / 60), as :func:`project_offer` pairs them.

    Parameters
    ----------
    catalog, region_id, hardware
        As in :func:`project_offer`: the catalog, the region and the hardware key.
    max_days : float
        Longest project length. [day]
    days : numeric, optional
        The lengths of the table [day]; default: every day from 1 to ``max_days``.
    quantity, hours_per_day, hours_per_month, start
        As in :func:`~pai_model.decisions.comparison.project_length_table`.

    Returns
    -------
    tuple
        The pair (:func:`project_offer`), the length table
        (:func:`~pai_model.decisions.comparison.project_length_table`) and the crossovers
        (:func:`~pai_model.decisions.comparison.project_crossovers`).

    Examples
    --------
    The billing page's general example, 78.94 USD a month in Shanghai, against the DLC
    public resource of its hardware in the demo catalog (illustrative hourly price):

    >>> from pai_model.data.catalog import read_catalog
    >>> pair, lengths, _ = project_lengths(read_catalog(), "cn-shanghai", "ecs.g7.xlarge-4c16g", 60,
    ...                                    days=[30])
    >>> pair["payg_price_unit"], float(lengths["subscription_cost"].iloc[0])
    ('hour', 78.94)
    """
    from pai_model.decisions.comparison import project_crossovers, project_length_table

    pair = project_offer(catalog, region_id, hardware)
    price, unit = offer_payg_price(pair)
    offer = dict(
        subscription_price=float(pair["subscription_price_per_month"]),
        payg_price=price,
        quantity=quantity,
        hours_per_day=hours_per_day,
        hours_per_month=hours_per_month,
        start=start,
        payg_price_unit=unit,
    )
    grid = np.arange(1, int(np.ceil(max_days)) + 1) if days is None else days
    return (
        pair,
        project_length_table(days=grid, **offer),
        project_crossovers(max_days=max_days, **offer),
    )


def offer_payg_price(offer: pd.Series) -> tuple[float, str]:
    """The pay-as-you-go price of an offer pair in its own unit, for
    :func:`~pai_model.decisions.projects.plan_project`.

    A public resource is billed at its hourly price (``payg_price_unit`` "hour"), any
    other offer at its price per minute.

    Examples
    --------
    >>> offer_payg_price(pd.Series({"payg_price_unit": "hour", "payg_price_per_hour": 0.6,
    ...                             "payg_price_per_minute": 0.01}))
    (0.6, 'hour')
    """
    unit = offer.get("payg_price_unit", "minute")
    unit = "hour" if unit == "hour" else "minute"
    return float(offer[f"payg_price_per_{unit}"]), unit
