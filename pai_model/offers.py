"""Which offer a buyer compares: the one rule for pairing and choosing offers.

A catalog may list several specs of one ``hardware`` in a region, each with a
subscription price, a pay-as-you-go price or both, and each method in stock or not. For
every (region, hardware, billing method) the offer a buyer would compare is:

1. the cheapest offer of that method that can be bought now (in stock for that method);
2. when none can, the cheapest offer of that method, marked not purchasable with the
   reason.

Ties go to the spec that sorts first, so the choice never depends on the catalog's row
order. Every consumer (break-even table, fleet plan, project view, planner, what-if panel,
command line) chooses through this module, so they cannot disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import STOCK_COLUMNS

#: Billing methods, in the order the kit shows them.
METHODS = ("subscription", "payg")
#: The catalog's price column of each method.
PRICE_COLUMNS = {"subscription": "subscription_price_per_month", "payg": "payg_price_per_minute"}
#: How each method is named in text.
LABELS = {"subscription": "subscription", "payg": "pay-as-you-go"}
KEYS = ("region_id", "hardware")
#: Columns of :func:`chosen_offers`.
OFFER_COLUMNS = (
    "region_id",
    "hardware",
    "method",
    "spec",
    "price",
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


def chosen_offers(catalog: pd.DataFrame) -> pd.DataFrame:
    """The offer a buyer compares for each (region, hardware, billing method) offered.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.catalog.load_catalog`.

    Returns
    -------
    pandas.DataFrame
        One row per (``region_id``, ``hardware``, ``method``) with a price in the catalog,
        columns :data:`OFFER_COLUMNS`: the chosen ``spec`` and its unit ``price``
        [currency/month] or [currency/minute], ``purchasable`` (in stock for that method
        now), ``reason`` ("" when purchasable), ``offers`` (how many specs of that
        hardware the method has in the region) and the offer's own facts and provenance.
        Sorted by region, hardware and method.

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
    parts = []
    for method in METHODS:
        price = PRICE_COLUMNS[method]
        offered = catalog[catalog[price].notna()]
        part = pd.DataFrame(
            {
                "region_id": offered["region_id"],
                "hardware": offered["hardware"],
                "method": method,
                "spec": offered["spec"],
                "price": offered[price].astype(np.float64),
                "purchasable": offered[STOCK_COLUMNS[price]].astype(bool),
                **{column: offered[column] for column in _FACTS},
            }
        )
        part["offers"] = part.groupby(list(KEYS))["spec"].transform("size")
        parts.append(part)
    offers = pd.concat(parts, ignore_index=True)
    # the first row of each group: purchasable before not, then cheapest, then by spec
    offers = offers.sort_values(
        [*KEYS, "method", "purchasable", "price", "spec"],
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


def offer_pairs(catalog: pd.DataFrame, *, both: bool = True) -> pd.DataFrame:
    """The chosen offers of both billing methods side by side, per region and hardware.

    Parameters
    ----------
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.catalog.load_catalog`.
    both : bool, default True
        Keep only the (region, hardware) offered by both methods; ``False`` keeps every
        one offered by either (the missing method's columns are empty).

    Returns
    -------
    pandas.DataFrame
        Per (``region_id``, ``hardware``): ``region_name``, ``resource_type``,
        ``currency``, the two price columns of the catalog, and for each method ``m`` in
        :data:`METHODS` the columns ``m_spec``, ``m_purchasable``, ``m_reason``,
        ``m_offers``, ``m_source``, ``m_as_of``, ``m_provenance`` and ``m_note`` of its
        chosen offer (see :func:`chosen_offers`). Sorted by region and hardware.

    See Also
    --------
    chosen_offers : the rule that chooses each method's offer.
    pai_model.comparison.break_even_table : the break-even of each pair.

    Examples
    --------
    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> pairs = offer_pairs(load_catalog(paths.DOCUMENTED_CATALOG))
    >>> pairs[["hardware", "subscription_spec", "payg_spec"]].values.tolist()
    [['gu7xf-8xGU108', 'ml.gu7xf.c96m1600.8-gu108', 'ml.gu7xf.8xlarge-gu108']]
    """
    offers = chosen_offers(catalog)
    sides = []
    for method in METHODS:
        side = offers[offers["method"] == method].set_index(list(KEYS))
        renamed = side[list(_PER_METHOD)].add_prefix(f"{method}_")
        renamed[PRICE_COLUMNS[method]] = side["price"]
        sides.append((side, renamed))
    (sub, sub_cols), (payg, payg_cols) = sides
    pairs = sub_cols.join(payg_cols, how="inner" if both else "outer")
    shared = sub[list(_SHARED)].combine_first(payg[list(_SHARED)])
    pairs = shared.join(pairs, how="right")
    for method in METHODS:
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


def _not_offered(resource_type: pd.Series, method: str) -> pd.Series:
    if method == "payg":
        general = "pay-as-you-go is not offered (general computing resources are subscription only)"
        return resource_type.map(lambda kind: general if kind == "general" else None).fillna(
            "no pay-as-you-go offer"
        )
    return pd.Series("no subscription offer", index=resource_type.index)
