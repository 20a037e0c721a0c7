"""Price a list of orders against a catalog: one bill line per order, totals per currency.

An order is (``region_id``, ``spec``, ``quantity``, ``billing_method``, ``months`` or
``minutes``). Every bad order is reported at once in one :class:`OrderError`.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._format import format_formula
from ._format import format_money as format_money  # re-exported: summaries, whatif
from ._format import format_price as format_price
from .billing import (
    MAX_MINUTES,
    MAX_MONTHS,
    MAX_QUANTITY,
    MINUTE_DECIMALS,
    bill_amounts,
    minor_units_to_float,
)
from .errors import OrderError

BILLING_METHODS = ("subscription", "payg")
ORDER_COLUMNS = ("region_id", "spec", "quantity", "billing_method")


class Bill(NamedTuple):
    """Priced orders: ``lines`` (one per order) and exact ``totals`` per currency."""

    lines: pd.DataFrame
    totals: pd.DataFrame


def price_orders(orders: pd.DataFrame | str | os.PathLike[str], catalog: pd.DataFrame) -> Bill:
    """Price each order with the billing page's formula, exactly to the cent.

    Parameters
    ----------
    orders : pandas.DataFrame or path-like
        Columns ``region_id``, ``spec``, ``quantity`` [nodes], ``billing_method``
        ("subscription" or "payg") and ``months`` [month] for subscriptions or
        ``minutes`` [minute] for pay-as-you-go. A path is read as CSV.
    catalog : pandas.DataFrame
        A catalog from :func:`~pai_model.catalog.load_catalog`.

    Returns
    -------
    Bill
        ``lines``: the orders with ``resource_type``, ``unit_price``, ``price_unit``
        ("USD/month" or "USD/minute"), ``duration``, ``duration_unit``, ``amount``,
        ``currency``, ``formula``, ``source``, ``as_of`` and ``provenance``.
        ``totals``: ``currency``, ``amount`` (the exact sum of the rounded lines),
        ``lines`` and ``illustrative_lines``.

    Raises
    ------
    OrderError
        Listing every bad order: unknown region or spec, out of stock ("cannot be
        purchased"), pay-as-you-go for a general spec, a quantity or months that is not
        a positive whole number, a missing duration.

    Examples
    --------
    The three worked examples of the billing page:

    >>> from pai_model.catalog import load_catalog
    >>> from pai_model import paths
    >>> orders = pd.DataFrame({
    ...     "region_id": ["cn-shanghai", "cn-wulanchabu", "cn-wulanchabu"],
    ...     "spec": ["ecs.g7.xlarge-4c16g", "ml.gu7xf.c96m1600.8-gu108", "ml.gu7xf.8xlarge-gu108"],
    ...     "quantity": [2, 2, 1],
    ...     "billing_method": ["subscription", "subscription", "payg"],
    ...     "months": [1, 1, None],
    ...     "minutes": [None, None, 45],
    ... })
    >>> bill = price_orders(orders, load_catalog(paths.DOCUMENTED_CATALOG))
    >>> bill.lines["amount"].tolist(), bill.totals["amount"].tolist()
    ([157.88, 47865.4, 32.85], [48056.13])
    """
    table = _read_orders(orders)
    problems = _check_columns(table)
    if problems:
        raise OrderError(problems)
    merged = table.merge(
        catalog, on=["region_id", "spec"], how="left", indicator=True, validate="many_to_one"
    )
    problems = _order_problems(table, merged, catalog)
    if problems:
        raise OrderError(problems)

    subscription = (merged["billing_method"] == "subscription").to_numpy()
    unit_price = np.where(
        subscription, merged["subscription_price_per_month"], merged["payg_price_per_minute"]
    )
    duration = np.where(subscription, merged["months"], merged["minutes"]).astype(np.float64)
    quantity = merged["quantity"].to_numpy(np.float64)
    amounts = np.empty(len(merged), dtype=np.float64)
    minor = np.empty(len(merged), dtype=np.int64)
    for mask, per_minute in ((subscription, False), (~subscription, True)):
        if mask.any():
            amounts[mask], minor[mask] = bill_amounts(
                unit_price[mask],
                quantity[mask],
                duration[mask],
                per_minute=per_minute,
                minor_units=True,
            )
    lines = table.copy()
    lines["resource_type"] = merged["resource_type"].to_numpy()
    lines["unit_price"] = unit_price
    lines["price_unit"] = merged["currency"] + np.where(subscription, "/month", "/minute")
    lines["duration"] = duration
    lines["duration_unit"] = np.where(subscription, "month", "minute")
    lines["amount"] = amounts
    lines["currency"] = merged["currency"].to_numpy()
    lines["formula"] = [
        format_formula(q, p, u, d, du, a, c)
        for q, p, u, d, du, a, c in zip(
            quantity,
            unit_price,
            lines["price_unit"],
            duration,
            lines["duration_unit"],
            lines["amount"],
            lines["currency"],
            strict=True,
        )
    ]
    lines["source"] = merged["source"].to_numpy()
    lines["as_of"] = merged["as_of"].to_numpy()
    lines["provenance"] = merged["provenance"].to_numpy()

    grouped = pd.DataFrame(
        {
            "currency": lines["currency"],
            "minor": minor,
            "illustrative": lines["provenance"] == "illustrative",
        }
    ).groupby("currency", sort=True)
    sums = grouped["minor"].sum()
    totals = pd.DataFrame(
        {
            "currency": sums.index,
            "amount": minor_units_to_float(sums.to_numpy(np.int64), 2),
            "lines": grouped.size().to_numpy(),
            "illustrative_lines": grouped["illustrative"].sum().to_numpy(),
        }
    )
    return Bill(lines, totals)


def _read_orders(orders: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    if isinstance(orders, pd.DataFrame):
        table = orders.copy()
    else:
        try:
            table = pd.read_csv(
                orders, dtype={"region_id": str, "spec": str, "billing_method": str}
            )
        except FileNotFoundError:
            raise OrderError([f"{orders}: no such file"]) from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
            raise OrderError([f"{orders}: not a readable CSV file ({error})"]) from None
    for column in ("months", "minutes"):
        if column not in table.columns:
            table[column] = np.nan
    return table.reset_index(drop=True)


def _check_columns(table: pd.DataFrame) -> list[str]:
    return [f"missing required column '{c}'" for c in ORDER_COLUMNS if c not in table.columns]


def _whole_positive(values: pd.Series, upper: int) -> np.ndarray:
    """Mask of values that are whole numbers from 1 to ``upper``."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        return (numbers >= 1) & (numbers <= upper) & (np.floor(numbers) == numbers)


def _order_problems(table: pd.DataFrame, merged: pd.DataFrame, catalog: pd.DataFrame) -> list[str]:
    """Every problem of every order, checked with masks over all orders at once."""
    method = merged["billing_method"]
    known_region = merged["region_id"].isin(set(catalog["region_id"])).to_numpy()
    known = (merged["_merge"] == "both").to_numpy()
    subscription = (method == "subscription").to_numpy()
    payg = (method == "payg").to_numpy()
    general = (merged["resource_type"] == "general").to_numpy()
    minutes = pd.to_numeric(table["minutes"], errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        minutes_ok = (minutes > 0) & (minutes <= MAX_MINUTES)
        minutes_precise = np.round(minutes, MINUTE_DECIMALS) == minutes
    checks = [
        (~known_region, "region_id", "unknown region_id {value!r}"),
        (known_region & ~known, "spec", "unknown spec {value!r} in region {region}"),
        (known & ~merged["in_stock"].fillna(True).to_numpy(bool), "region_id",
         "out of stock in {value}; it cannot be purchased"),
        (~_whole_positive(table["quantity"], MAX_QUANTITY), "quantity",
         f"quantity must be a positive whole number of nodes (at most {MAX_QUANTITY:,});"
         " got {value!r}"),
        (~(subscription | payg), "billing_method",
         "billing_method must be subscription or payg; got {value!r}"),
        (subscription & ~_whole_positive(table["months"], MAX_MONTHS), "months",
         f"months must be a positive whole number (at most {MAX_MONTHS}); got {{value!r}}"),
        (subscription & known & merged["subscription_price_per_month"].isna().to_numpy(), "spec",
         "no subscription price in the catalog"),
        (payg & known & general, "spec",
         "pay-as-you-go is not offered for general computing resources (subscription only)"),
        (payg & known & ~general & merged["payg_price_per_minute"].isna().to_numpy(), "spec",
         "no pay-as-you-go price in the catalog"),
        (payg & ~minutes_ok, "minutes",
         f"minutes must be a positive number up to {MAX_MINUTES:,}; got {{value!r}}"),
        (payg & minutes_ok & ~minutes_precise, "minutes",
         f"minutes has more than {MINUTE_DECIMALS} decimal places; got {{value!r}}"),
    ]  # fmt: skip
    found = []
    for order, (mask, column, template) in enumerate(checks):
        for row in np.flatnonzero(mask):
            value = table.at[row, column] if column in table.columns else merged.at[row, column]
            value = value.item() if hasattr(value, "item") else value
            where = f"order {row + 1} ({merged.at[row, 'region_id']}, {merged.at[row, 'spec']})"
            message = template.format(value=value, region=merged.at[row, "region_id"])
            found.append((row, order, f"{where}: {message}"))
    return [text for _, _, text in sorted(found)]
