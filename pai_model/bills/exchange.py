"""Billed rows in the catalog's currency: refused when they differ, converted with a rate.

A billed row and the catalog row of its (region, spec) are compared only in one currency.
Where the bill's ``BillingCurrency`` differs from the catalog's ``currency``, the rows are
refused (:class:`~pai_model.errors.CurrencyError`, naming both currencies and both sources)
unless a rate from the bill's currency to the catalog's is given; then the bill's amounts
(``ListCost``, ``BilledCost``, ``EffectiveCost``, ``ContractedCost``) are converted to the
catalog's currency, each rounded once half up to its minor unit, and its unit prices
(``ListUnitPrice``, ``ContractedUnitPrice``) to six places
(:mod:`pai_model.formulas.currency`). The row's original currency is kept in
``x_OriginalCurrency``. Rows the catalog does not have keep their currency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from pai_model.errors import UsageError
from pai_model.formulas.currency import Rates, convert_amount, convert_price, needed_rates

#: FOCUS amounts converted to the catalog's currency [currency].
AMOUNTS = ("ListCost", "BilledCost", "EffectiveCost", "ContractedCost")
#: FOCUS unit prices converted [currency per unit].
PRICES = ("ListUnitPrice", "ContractedUnitPrice")


def source_name(table: Any, default: str) -> str:
    """The name a table was read from (its ``attrs`` "source" or "path"), or ``default``."""
    attrs = getattr(table, "attrs", {})
    name = attrs.get("source") or attrs.get("path")
    return str(name) if name else default


def bill_sources(bills: Any, catalog: Any) -> tuple[str, str]:
    """The names of a bill and a catalog, as a :class:`CurrencyError` names them."""
    return source_name(bills, "the bill"), f"the catalog {source_name(catalog, '')}".rstrip()


def catalog_currency(
    rows: pd.DataFrame, catalog: pd.DataFrame, spec_column: str = "SkuId"
) -> np.ndarray:
    """The catalog's currency of each row's (RegionId, spec); None where it has none."""
    currency = {
        (str(r), str(s)): c
        for r, s, c in zip(catalog["region_id"], catalog["spec"], catalog["currency"], strict=True)
    }
    keys = zip(rows["RegionId"].astype(str), rows[spec_column].astype(str), strict=True)
    return np.array([currency.get(k) for k in keys], dtype=object)


def check_columns(rows: Any, spec_column: str) -> None:
    """Refuse rows without the columns a currency is looked up by."""
    missing = [c for c in ("RegionId", spec_column, "BillingCurrency") if c not in rows]
    if missing:
        raise UsageError([f"missing required column {c!r}" for c in missing], "bills")


def currency_pairs(
    sums: pd.DataFrame, catalog: pd.DataFrame, sources: tuple[str, str], rates: Rates
) -> Rates:
    """Refuse (or the rates that convert) sums per (``region_id``, ``spec``, ``currency``)
    whose currency differs from their catalog row's."""
    triples = zip(sums["region_id"], sums["spec"], sums["currency"], strict=True)
    return checked_currencies(triples, catalog, sources, rates)


def checked_currencies(
    triples: Iterable[tuple[Any, Any, Any]],
    catalog: pd.DataFrame,
    sources: tuple[str, str],
    rates: Rates,
) -> Rates:
    """The rates that bring each (region, spec, currency) met to its catalog row's
    currency, or :class:`~pai_model.errors.CurrencyError` naming both currencies and both
    ``sources``. Pairs the catalog does not have are not compared."""
    currency = {
        (str(r), str(s)): c
        for r, s, c in zip(catalog["region_id"], catalog["spec"], catalog["currency"], strict=True)
    }
    pairs = {
        (str(c), currency[(str(r), str(s))])
        for r, s, c in triples
        if (str(r), str(s)) in currency and c is not None and not pd.isna(c)
    }
    return needed_rates(pairs, sources, rates)


def to_catalog_currency(
    rows: pd.DataFrame,
    catalog: pd.DataFrame,
    rates: Rates,
    spec_column: str = "SkuId",
    sources: tuple[str, str] = ("the bill", "the catalog"),
) -> pd.DataFrame:
    """``rows`` with every amount in the currency of its catalog row (one partition).

    Parameters
    ----------
    rows : pandas.DataFrame
        FOCUS rows (decimal text amounts, ``BillingCurrency``, ``RegionId``, the spec).
    catalog : pandas.DataFrame
        A catalog (:func:`~pai_model.data.catalog.read_catalog`).
    rates : dict
        Rates by (from, to) (:func:`~pai_model.formulas.currency.fx_rates`).
    sources : (str, str)
        The names of the bill and the catalog, for the message.

    Raises
    ------
    CurrencyError
        A row's currency differs from its catalog row's and no rate converts it.

    Examples
    --------
    A CNY line of 235.50 (ListUnitPrice 5.11 CNY/minute) against the documented USD
    catalog, at 1 CNY = 0.14 USD: 235.50 x 0.14 = 32.97; 5.11 x 0.14 = 0.7154.

    >>> from pai_model.data.catalog import read_catalog
    >>> from pai_model import paths
    >>> rows = pd.DataFrame({"RegionId": ["cn-wulanchabu"], "SkuId": "ml.gu7xf.8xlarge-gu108",
    ...     "ListCost": "235.50", "BilledCost": "200.005", "ListUnitPrice": "5.11",
    ...     "BillingCurrency": "CNY"})
    >>> out = to_catalog_currency(rows, read_catalog(paths.DOCUMENTED_CATALOG),
    ...                           {("CNY", "USD"): Decimal("0.14")})
    >>> out[["ListCost", "BilledCost", "ListUnitPrice", "BillingCurrency"]].values.tolist()
    [['32.97', '28.00', '0.715400', 'USD']]
    """
    check_columns(rows, spec_column)
    target = catalog_currency(rows, catalog, spec_column)
    billed = rows["BillingCurrency"].to_numpy(dtype=object)
    # a row without a currency (or whose spec the catalog lacks) is not compared
    differ = (
        np.array([t is not None for t in target])
        & rows["BillingCurrency"].notna().to_numpy()
        & (billed != target)
    )
    out = rows.copy()
    if "x_OriginalCurrency" not in out:
        out["x_OriginalCurrency"] = rows["BillingCurrency"]
    if not differ.any():
        return out
    pairs = set(zip(billed[differ], target[differ], strict=True))
    used = needed_rates(pairs, sources, rates)
    for (source, to), rate in used.items():
        mask = differ & (billed == source) & (target == to)
        for names, convert in ((AMOUNTS, _amount(to)), (PRICES, convert_price)):
            for name in names:
                if name in out:
                    out[name] = _converted(out[name], mask, rate, convert)
        out["BillingCurrency"] = out["BillingCurrency"].where(~mask, to)
    return out


def _amount(target: str) -> Callable[[Any, Decimal], Decimal]:
    return lambda value, rate: convert_amount(value, rate, target)


def _converted(
    values: pd.Series, mask: np.ndarray, rate: Decimal, convert: Callable[[Any, Decimal], Decimal]
) -> pd.Series:
    """The masked decimal texts of ``values`` converted, each distinct text once."""
    chosen = values[mask]
    codes, distinct = pd.factorize(chosen)
    text = np.array([str(convert(str(v).strip(), rate)) for v in distinct] + [None], dtype=object)
    out = values.astype(object).copy()
    out[mask] = text[codes]
    return out.astype(values.dtype)
