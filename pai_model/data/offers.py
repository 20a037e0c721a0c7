"""Which offer a buyer compares: the one rule for pairing and choosing offers.

A catalog may list several specs of one ``hardware`` in a region, each with a
subscription price, a pay-as-you-go price or both, and each method in stock or not. For
every (region, hardware, billing method) the offer a buyer would compare is:

1. the cheapest offer of that method that can be bought now (in stock for that method);
2. when none can, the cheapest offer of that method, marked not purchasable with the
   reason.

An offer whose stock is **unknown** (``in_stock`` = unknown in the catalog: a spec fetched
without ``IsAvailable``) is compared as one that can be bought now: its price is real,
and whether it can be ordered is found out when ordering. It is never called in stock:
the catalog's ``stock_known`` is false, offer lists show its stock as "unknown", and
``pai-cost offers --in-stock`` leaves it out.

Ties go to the spec that sorts first, so the choice never depends on the catalog's row
order. Every consumer (break-even table, fleet plan, project view, planner, what-if panel,
command line) chooses through this module, so they cannot disagree.

The same rule chooses the **year term** (``subscription_price_per_year``, a subscription:
its stock is ``subscription_in_stock``), shown beside the month term where the catalog
prices it. With ``public_payg=True`` the pay-as-you-go offer of a hardware may be a
**public resource** (``resource_type`` public, DLC/DSW, priced per hour): that is how
general computing specs, sold by subscription only, get a pay-as-you-go alternative. The
cheapest pay-as-you-go offer is then found on the per-minute equivalent (hourly price
/ 60); the price itself stays per hour, to be billed with
:func:`~pai_model.formulas.billing.hourly_payg_cost`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pai_model.data.catalog import STOCK_COLUMNS
from pai_model.data.methods import BILLING_METHODS, LABELS, PAYG, SUBSCRIPTION, YEAR

#: The catalog's price column of each method (the month term for subscriptions).
PRICE_COLUMNS = {SUBSCRIPTION: "subscription_price_per_month", PAYG: "payg_price_per_minute"}
#: The price column of every kind of offer chosen, and its unit.
OFFER_PRICES = {
    SUBSCRIPTION: ("subscription_price_per_month", "month"),
    YEAR: ("subscription_price_per_year", "year"),
    PAYG: ("payg_price_per_minute", "minute"),
}
PUBLIC_PRICE = ("payg_price_per_hour", "hour")
KEYS = ("region_id", "hardware")
#: Columns of :func:`chosen_offers`.
OFFER_COLUMNS = (
    "region_id",
    "hardware",
    "method",
    "spec",
    "price",
    "price_unit",
    "purchasable",
    "reason",
    "offers",
    "region_name",
    "resource_type",
    "currency",
    "source",
    "as_of",
    "provenance",
    "note",
)
#: Facts of the offer's catalog row carried along.
_FACTS = ("region_name", "resource_type", "currency", "source", "as_of", "provenance", "note")
#: Columns of each method in :func:`offer_pairs` (prefixed with the method's name).
_PER_METHOD = ("spec", "purchasable", "reason", "offers", "source", "as_of", "provenance", "note")
_SHARED = ("region_name", "resource_type", "currency")


def chosen_offers(catalog: pd.DataFrame, *, public_payg: bool = False) -> pd.DataFrame:
    """The offer a buyer compares for each (region, hardware, billing method) offered.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.
    public_payg : bool, default False
        Let public-resource rows (priced per hour) be the pay-as-you-go offer of their
        hardware. Off by default for consumers that bill prices per minute only.

    Returns
    -------
    pandas.DataFrame
        One row per (``region_id``, ``hardware``, ``method``) with a price in the catalog,
        ``method`` being "subscription" (the month term), "year" (the year term) or
        "payg"; columns :data:`OFFER_COLUMNS`: the chosen ``spec``, its unit ``price`` in
        ``price_unit`` ("month", "year", "minute" or "hour": [currency/month] and so on),
        ``purchasable`` (in stock for that method now), ``reason`` ("" when
        purchasable), ``offers`` (how many specs of that hardware the method has in the
        region) and the offer's own facts and provenance. Sorted by region, hardware and
        method.

    See Also
    --------
    offer_pairs : the chosen offers of both methods side by side.

    Examples
    --------
    A hardware key with a cheaper subscription spec out of stock and a dearer one in stock:
    the dearer one is the offer a buyer can compare.

    >>> catalog = pd.DataFrame({
    ...     "region_id": "cn-x", "hardware": "h100", "spec": ["ml.a", "ml.b"],
    ...     "subscription_price_per_month": [100.0, 120.0], "payg_price_per_minute": np.nan,
    ...     "subscription_in_stock": [False, True], "payg_in_stock": True,
    ...     "region_name": "X", "resource_type": "lingjun", "currency": "USD",
    ...     "source": "illustrative", "as_of": pd.Timestamp("2026-11-01"),
    ...     "provenance": "illustrative", "note": ""})
    >>> chosen_offers(catalog)[["spec", "price", "purchasable", "offers"]].values.tolist()
    [['ml.b', 120.0, True, 2]]
    """
    sources = [(method, *priced) for method, priced in OFFER_PRICES.items()]
    if public_payg:
        sources.append(("payg", *PUBLIC_PRICE))
    parts = []
    for method, price, unit in sources:
        if price not in catalog:  # a frame of an older layout: that price is not offered
            continue
        offered = catalog[catalog[price].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "region_id": offered["region_id"],
                    "hardware": offered["hardware"],
                    "method": method,
                    "spec": offered["spec"],
                    "price": offered[price].astype(np.float64),
                    "price_unit": unit,
                    "purchasable": offered[STOCK_COLUMNS[price]].astype(bool),
                    **{column: offered[column] for column in _FACTS},
                }
            )
        )
    offers = pd.concat(parts, ignore_index=True)
    offers["offers"] = offers.groupby([*KEYS, "method"])["spec"].transform("size")
    # comparable prices: an hourly price as its per-minute equivalent (for ordering only)
    offers["_rank"] = offers["price"] / np.where(offers["price_unit"] == "hour", 60.0, 1.0)
    # the first row of each group: purchasable before not, then cheapest, then by spec
    offers = offers.sort_values(
        [*KEYS, "method", "purchasable", "_rank", "spec"],
        ascending=[True, True, True, False, True, True],
        kind="stable",
    ).drop_duplicates([*KEYS, "method"])
    offers["reason"] = _reasons(offers)
    return offers.reset_index(drop=True)[list(OFFER_COLUMNS)]


def _reasons(offers: pd.DataFrame) -> list[str]:
    reasons = []
    for row in offers.itertuples(index=False):
        if row.purchasable:
            reasons.append("")
            continue
        if row.offers == 1:
            text = (
                f"{LABELS[row.method]} offer {row.spec} is out of stock in {row.region_id}:"
                " it cannot be purchased now"
            )
        else:
            text = (
                f"all {row.offers} {LABELS[row.method]} offers of {row.hardware} are out of"
                f" stock in {row.region_id} (cheapest {row.spec}): none can be purchased now"
            )
        reasons.append(text)
    return reasons


def offer_pairs(
    catalog: pd.DataFrame, *, both: bool = True, public_payg: bool = False
) -> pd.DataFrame:
    """The chosen offers of both billing methods side by side, per region and hardware.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.data.catalog.read_catalog`.
    both : bool, default True
        Keep only the (region, hardware) offered by both methods; ``False`` keeps every
        one offered by either (the missing method's columns are empty).
    public_payg : bool, default False
        Let a public resource be the pay-as-you-go offer (see :func:`chosen_offers`).

    Returns
    -------
    pandas.DataFrame
        Per (``region_id``, ``hardware``): ``region_name``, ``resource_type``,
        ``currency``, the two price columns of the catalog, and for each method ``m`` in
        :data:`~pai_model.data.methods.BILLING_METHODS` the columns ``m_spec``,
        ``m_purchasable``, ``m_reason``, ``m_offers``, ``m_source``, ``m_as_of``,
        ``m_provenance`` and ``m_note`` of its chosen offer (see :func:`chosen_offers`).
        Then ``payg_price_unit`` ("minute", or "hour" for a public offer, whose price is
        ``payg_price_per_hour`` and whose ``payg_price_per_minute`` is empty) and the
        year term where priced: ``subscription_price_per_year`` and ``year_spec``,
        ``year_purchasable``, ``year_reason``, ``year_offers``, ``year_source``,
        ``year_as_of``, ``year_provenance``, ``year_note`` (empty, not purchasable, "no
        year price in the catalog" where there is none). Sorted by region and hardware.

    See Also
    --------
    chosen_offers : the rule that chooses each method's offer.
    pai_model.decisions.comparison.break_even_table : the break-even of each pair.

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> pairs = offer_pairs(read_catalog(paths.DOCUMENTED_CATALOG))
    >>> pairs[["hardware", "subscription_spec", "payg_spec"]].values.tolist()
    [['gu7xf-8xGU108', 'ml.gu7xf.c96m1600.8-gu108', 'ml.gu7xf.8xlarge-gu108']]
    """
    offers = chosen_offers(catalog, public_payg=public_payg)
    sides = {}
    for method in (*BILLING_METHODS, YEAR):
        side = offers[offers["method"] == method].set_index(list(KEYS))
        renamed = side[list(_PER_METHOD)].add_prefix(f"{method}_")
        renamed[OFFER_PRICES[method][0]] = side["price"]
        sides[method] = (side, renamed)
    (sub, sub_cols), (payg, payg_cols) = sides["subscription"], sides["payg"]
    hourly = payg["price_unit"] == "hour"
    payg_cols["payg_price_unit"] = payg["price_unit"]
    payg_cols["payg_price_per_hour"] = payg["price"].where(hourly)
    payg_cols["payg_price_per_minute"] = payg["price"].mask(hourly)
    pairs = sub_cols.join(payg_cols, how="inner" if both else "outer")
    shared = sub[list(_SHARED)].combine_first(payg[list(_SHARED)])
    pairs = shared.join(pairs, how="right").join(sides[YEAR][1], how="left")
    pairs["payg_price_unit"] = pairs["payg_price_unit"].fillna("minute")
    for method in (*BILLING_METHODS, YEAR):
        # a method not offered is not purchasable, and says so
        column = f"{method}_purchasable"
        missing = pairs[column].isna()
        pairs[column] = pairs[column].fillna(False).astype(bool)
        pairs[f"{method}_offers"] = pairs[f"{method}_offers"].fillna(0).astype(np.int64)
        for text in ("spec", "source", "provenance", "note"):
            pairs[f"{method}_{text}"] = pairs[f"{method}_{text}"].fillna("")
        pairs[f"{method}_reason"] = pairs[f"{method}_reason"].where(
            ~missing, _not_offered(pairs["resource_type"], method)
        )
    pairs = pairs.sort_index().reset_index()
    return pairs


def used_offers(catalog: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The catalog rows (offers) a table of chosen offers uses.

    ``table`` has ``region_id`` and any of ``spec``, ``subscription_spec``,
    ``payg_spec`` and ``year_spec`` (bill lines, a break-even table, a plan's summary):
    the offers are the catalog rows
    of those (region, spec), each counted once, so that "N offers" means the same
    everywhere (:data:`~pai_model.data.vocabulary.OFFER_MEANING`).

    Examples
    --------
    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> catalog = read_catalog(paths.DOCUMENTED_CATALOG)
    >>> used_offers(catalog, offer_pairs(catalog))["spec"].tolist()
    ['ml.gu7xf.c96m1600.8-gu108', 'ml.gu7xf.8xlarge-gu108']
    """
    keys = set()
    for column in ("spec", "subscription_spec", "payg_spec", "year_spec"):
        if column in table:
            keys |= set(zip(table["region_id"], table[column], strict=True))
    chosen = [(r, s) in keys for r, s in zip(catalog["region_id"], catalog["spec"], strict=True)]
    return catalog[np.asarray(chosen, dtype=bool)]


def _not_offered(resource_type: pd.Series, method: str) -> pd.Series:
    if method == YEAR:
        return pd.Series("no year price in the catalog", index=resource_type.index)
    if method == "payg":
        general = "pay-as-you-go is not offered (general computing resources are subscription only)"
        return resource_type.map(lambda kind: general if kind == "general" else None).fillna(
            "no pay-as-you-go offer"
        )
    return pd.Series("no subscription offer", index=resource_type.index)
