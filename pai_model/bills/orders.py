"""Price a list of orders against a catalog: one bill line per order, totals per currency.

An order is (``region_id``, ``spec``, ``quantity``, ``billing_method``, ``months`` or
``minutes``), read through :func:`~pai_model.data.tables.read_table` with
:class:`~pai_model.data.schemas.OrderSchema`. Every bad order is reported at once in one
:class:`OrderError`, each problem naming the order's line: first the problems of the
orders themselves, then (once those are fixed) the problems against the catalog.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pai_model.data.catalog import catalog_table
from pai_model.data.methods import (
    GENERAL_PAYG,
    PAYG,
    PUBLIC_PAYG_ONLY,
    SUBSCRIPTION,
    no_price,
    out_of_stock,
    unknown_region,
    unknown_spec,
)
from pai_model.data.problems import RowCheck
from pai_model.data.schemas import OrderSchema
from pai_model.data.tables import read_table
from pai_model.errors import OrderError
from pai_model.formulas.arguments import BUYABLE_MONTHS, term_problem
from pai_model.formulas.arguments import buyable_months as buyable_months_of
from pai_model.formulas.engine import bill_amounts
from pai_model.formulas.money_text import MONEY_DECIMALS, bill_decimals, format_formula
from pai_model.formulas.totals import INT64_MAX, minor_to_decimal, minor_to_float, sum_table


class Bill(NamedTuple):
    """Priced orders: ``lines`` (one per order) and exact ``totals`` per currency."""

    lines: pd.DataFrame
    totals: pd.DataFrame


def price_orders(
    orders: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame | str | os.PathLike[str],
    *,
    public_decimals: int | None = None,
    buyable_months: Any = None,
) -> Bill:
    """Price each order with the billing page's formula, exactly to the cent.

    A public resource (DLC, DSW: ``resource_type`` public) is billed at its hourly price
    / 60 per minute, below the cent as Alibaba's examples show it (4 places in USD, 3 in
    CNY: :func:`~pai_model.formulas.money_text.bill_decimals`).

    Parameters
    ----------
    orders : pandas.DataFrame, dask.dataframe.DataFrame, path-like or str
        Columns ``region_id``, ``spec``, ``quantity`` [nodes], ``billing_method``
        ("subscription" or "payg") and ``months`` [month] for subscriptions or
        ``minutes`` [minute] for pay-as-you-go. A path or fsspec URL is read as CSV or
        Parquet.
    catalog : pandas.DataFrame, path-like or str
        A catalog from :func:`~pai_model.data.catalog.read_catalog`, or a catalog file
        or an embedded catalog's name (``"documented"``), read with it.
    public_decimals : int, optional
        Decimal places of a public resource's bill, 2 to 6; ``None`` is each currency's
        default (:data:`~pai_model.formulas.money_text.PUBLIC_DECIMALS`; how the final bill
        rounds sub-cent lines is UNCONFIRMED).
    buyable_months : iterable of int or str, optional
        The subscription terms that can be bought, in months; ``None`` is
        :data:`~pai_model.formulas.arguments.BUYABLE_MONTHS` (UNCONFIRMED for PAI). A
        subscription of another length is refused, naming the nearest terms, as
        :func:`~pai_model.bills.quotes.price_order` refuses it.

    Returns
    -------
    Bill
        ``lines``: the orders with ``resource_type``, ``unit_price``, ``price_unit``
        ("USD/month", "USD/minute" or, for a public resource, "USD/hour"), ``duration``,
        ``duration_unit``, ``amount`` [currency], ``amount_minor`` (the same in exact
        units of ``10**-amount_decimals``, int64), ``amount_decimals`` (2, or a public
        resource's places), ``currency``, ``formula``, ``source``, ``as_of`` and
        ``provenance``.
        ``totals``: ``currency``, ``amount`` (the float nearest to the exact sum of the
        rounded lines) [currency], ``amount_minor`` (that sum in exact units of
        ``10**-amount_decimals``, the finest places of the currency's lines: int64, or
        Python ints when a total passes int64; :mod:`pai_model.formulas.totals`),
        ``amount_decimals``, ``lines`` and ``illustrative_lines``.

    Raises
    ------
    OrderError
        Listing every bad order: a quantity or months that is not a positive whole
        number, an unknown billing method, a missing or too precise duration; then an
        unknown region or spec (with the closest known one), a method out of stock
        ("cannot be purchased"), pay-as-you-go for a general spec, no price for the
        method, months that are no buyable term.

    See Also
    --------
    pai_model.data.tables.read_table : the reader of every table.
    pai_model.formulas.billing.subscription_cost, pai_model.formulas.billing.payg_cost : the
        formulas.

    Examples
    --------
    The three worked examples of the billing page:

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> orders = pd.DataFrame({
    ...     "region_id": ["cn-shanghai", "cn-wulanchabu", "cn-wulanchabu"],
    ...     "spec": ["ecs.g7.xlarge-4c16g", "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108"],
    ...     "quantity": [2, 2, 1],
    ...     "billing_method": ["subscription", "subscription", "payg"],
    ...     "months": [1, 1, None],
    ...     "minutes": [None, None, 45],
    ... })
    >>> bill = price_orders(orders, read_catalog(paths.DOCUMENTED_CATALOG))
    >>> bill.lines["amount"].tolist(), bill.totals["amount"].tolist()
    ([157.88, 47865.4, 32.85], [48056.13])
    >>> bill.totals["amount_minor"].tolist()  # 15,788 + 4,786,540 + 3,285 cents
    [4805613]
    """
    bill_decimals("public", "", public_decimals)  # checked before the orders are read
    if not (isinstance(orders, pd.DataFrame | str | os.PathLike) or is_dask(orders)):
        raise TypeError(
            "orders must be a DataFrame (pandas or Dask), a path or a URL;"
            f" got {type(orders).__name__}"
        )
    catalog = catalog_table(catalog)
    terms = buyable_months_of(buyable_months)
    if is_dask(orders):  # a Dask DataFrame: priced partition by partition, equal lines
        return _price_orders_dask(orders, catalog, public_decimals, terms)
    return _bill(_priced(orders, catalog, public_decimals, terms))


def _bill(lines: pd.DataFrame) -> Bill:
    return Bill(lines, _totals(lines))


def is_dask(frame: Any) -> bool:
    """Whether ``frame`` is a Dask collection (without importing Dask)."""
    return type(frame).__module__.startswith("dask")


def _priced(
    orders: pd.DataFrame | str | os.PathLike[str],
    catalog: pd.DataFrame,
    public_decimals: int | None = None,
    terms: tuple[int, ...] = BUYABLE_MONTHS,
) -> pd.DataFrame:
    """The bill lines of ``orders``, with their exact amounts in minor units."""
    table = read_table(
        orders, OrderSchema, error=OrderError, checks=lambda t: _catalog_checks(t, catalog, terms)
    )
    table["quantity"] = table["quantity"].astype(np.int64)
    merged = _merged(table, catalog)

    subscription = (merged["billing_method"] == "subscription").to_numpy()
    public = (merged["resource_type"] == "public").to_numpy() & ~subscription
    unit_price = np.where(
        subscription,
        merged["subscription_price_per_month"],
        np.where(public, merged["payg_price_per_hour"], merged["payg_price_per_minute"]),
    ).astype(np.float64)
    duration = np.where(subscription, merged["months"], merged["minutes"]).astype(np.float64)
    quantity = merged["quantity"].to_numpy(np.float64)
    currency = merged["currency"].to_numpy()
    places = np.full(len(merged), MONEY_DECIMALS, dtype=np.int64)
    for code in np.unique(currency[public]).tolist():
        places[public & (currency == code)] = bill_decimals("public", code, public_decimals)
    amounts = np.empty(len(merged), dtype=np.float64)
    minor = np.empty(len(merged), dtype=np.int64)
    kinds = [(subscription, "month", MONEY_DECIMALS), (~subscription & ~public, "minute", 2)]
    kinds += [(public & (places == d), "hour", d) for d in np.unique(places[public]).tolist()]
    for mask, unit, decimals in kinds:
        if mask.any():
            amounts[mask], minor[mask] = bill_amounts(
                unit_price[mask],
                quantity[mask],
                duration[mask],
                price_unit=unit,
                decimals=decimals,
                minor_units=True,
            )
    per = np.where(subscription, "/month", np.where(public, "/hour", "/minute"))
    lines = table.copy()
    lines["resource_type"] = merged["resource_type"].to_numpy()
    lines["unit_price"] = unit_price
    lines["price_unit"] = merged["currency"] + per
    lines["duration"] = duration
    lines["duration_unit"] = np.where(subscription, "month", "minute")
    lines["amount"] = amounts
    lines["amount_minor"] = minor
    lines["amount_decimals"] = places
    lines["currency"] = currency
    # the line's amount written from its exact minor units: a float has too few digits
    # past 9e13
    lines["formula"] = [
        format_formula(q, p, u, d, du, minor_to_decimal(m, n), c, per=60 if h else 1, decimals=n)
        for q, p, u, d, du, m, n, c, h in zip(
            quantity.tolist(),
            unit_price.tolist(),
            lines["price_unit"].tolist(),
            duration.tolist(),
            lines["duration_unit"].tolist(),
            minor.tolist(),
            places.tolist(),
            lines["currency"].tolist(),
            public.tolist(),
            strict=True,
        )
    ]
    lines["source"] = merged["source"].to_numpy()
    lines["as_of"] = merged["as_of"].to_numpy()
    lines["provenance"] = merged["provenance"].to_numpy()
    return lines


def _totals(lines: pd.DataFrame) -> pd.DataFrame:
    """Exact totals per currency of priced lines, from their exact minor units.

    A currency's lines are summed at the finest places among them (cents and a public
    resource's 4 places give a total to 4 places): each line's minor units are scaled up
    exactly, as Python integers where int64 could not hold them.
    """
    decimals = lines["amount_decimals"].to_numpy(np.int64)
    finest = lines.groupby("currency")["amount_decimals"].transform("max").to_numpy(np.int64)
    minor = lines["amount_minor"].to_numpy()
    factor = 10 ** (finest - decimals)
    largest = int(np.abs(minor).max(initial=0)) * int(factor.max(initial=1))
    if minor.dtype == object or largest > INT64_MAX:
        scaled = np.array(
            [int(m) * int(f) for m, f in zip(minor.tolist(), factor.tolist(), strict=True)],
            dtype=object,
        )
    else:
        scaled = minor.astype(np.int64) * factor
    counted = pd.DataFrame(
        {
            "currency": lines["currency"].to_numpy(),
            "amount_minor": scaled,
            "amount_decimals": finest,
            "lines": 1,
            "illustrative_lines": (lines["provenance"] == "illustrative").to_numpy(np.int64),
        }
    )
    totals = sum_table(counted, ["currency"], ["amount_minor", "lines", "illustrative_lines"])
    places = counted.groupby("currency")["amount_decimals"].max()
    totals.insert(2, "amount_decimals", places.loc[totals["currency"]].to_numpy(np.int64))
    amounts = [
        float(minor_to_float(np.array([m], dtype=object), int(d))[0])
        for m, d in zip(totals["amount_minor"].tolist(), totals["amount_decimals"], strict=True)
    ]
    totals.insert(1, "amount", amounts)
    return totals


def _price_orders_dask(
    orders: Any, catalog: pd.DataFrame, public_decimals: int | None, terms: tuple[int, ...]
) -> Bill:
    """Price a Dask DataFrame of orders: lines partition by partition, exact totals.

    The lines equal the pandas path's but for row problems, which name lines within their
    partition; each line carries its cents, so the totals are exact sums.
    """

    def lines_of(part: pd.DataFrame) -> pd.DataFrame:
        return _priced(part.reset_index(drop=True), catalog, public_decimals, terms)

    lines = orders.map_partitions(lines_of, meta=lines_of(orders._meta.head(0)))
    return _bill(lines.compute().reset_index(drop=True))


def _merged(table: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Each order beside its catalog offer (``_merge`` tells whether there is one)."""
    return table.merge(
        catalog, on=["region_id", "spec"], how="left", indicator=True, validate="many_to_one"
    )


def _catalog_checks(
    table: pd.DataFrame, catalog: pd.DataFrame, terms: tuple[int, ...] = BUYABLE_MONTHS
) -> Iterable[RowCheck]:
    """The checks of orders that need the catalog (and the buyable ``terms``), as masks over
    all orders at once.

    The rules and words of :mod:`pai_model.data.methods`, which a quote checks too.
    """
    merged = _merged(table, catalog)
    regions = sorted(set(catalog["region_id"]))
    specs = catalog.groupby("region_id")["spec"].agg(list).to_dict()
    offered_in = catalog.groupby("spec")["region_id"].agg(list).to_dict()
    known_region = merged["region_id"].isin(regions).to_numpy()
    known = (merged["_merge"] == "both").to_numpy()
    subscription = (merged["billing_method"] == SUBSCRIPTION).to_numpy()
    payg = (merged["billing_method"] == PAYG).to_numpy()
    general = (merged["resource_type"] == "general").to_numpy()
    public = (merged["resource_type"] == "public").to_numpy()
    sub_price = merged["subscription_price_per_month"].notna().to_numpy()
    # a public resource's pay-as-you-go price is its hourly one
    payg_price = (
        merged["payg_price_per_minute"].notna() | (public & merged["payg_price_per_hour"].notna())
    ).to_numpy()
    sub_stock = merged["subscription_in_stock"].fillna(True).to_numpy(bool)
    payg_stock = merged["payg_in_stock"].fillna(True).to_numpy(bool)

    def region_problem(row: int) -> str:
        return unknown_region(table.at[row, "region_id"], regions)

    def spec_problem(row: int) -> str:
        region, spec = table.at[row, "region_id"], table.at[row, "spec"]
        return unknown_spec(region, spec, specs[region], offered_in.get(spec, []))

    def term_of(row: int) -> str:
        return str(term_problem(int(table.at[row, "months"]), terms))

    months = merged["months"]
    unbuyable = (months.notna() & ~months.isin(terms)).to_numpy()
    subscribed = known & subscription & ~public
    return [
        (~known_region, "region_id", region_problem),
        (known_region & ~known, "spec", spec_problem),
        (known & payg & general, "billing_method", GENERAL_PAYG),
        (known & subscription & public, "billing_method", PUBLIC_PAYG_ONLY),
        (subscribed & ~sub_price, "spec", no_price(SUBSCRIPTION)),
        (known & payg & ~general & ~payg_price, "spec", no_price(PAYG)),
        (subscribed & sub_price & ~sub_stock, "spec", out_of_stock(SUBSCRIPTION)),
        (known & payg & payg_price & ~payg_stock, "spec", out_of_stock(PAYG)),
        (subscribed & unbuyable, "months", term_of),
    ]
