"""Money as text: the one formatter of amounts, prices and bill lines, for people and files.

Every amount the kit writes goes through these functions: terminal tables and sentences
(``47,865.40``, thousands separators), HTML and Markdown (the same), and CSV and JSON
(``47865.40``: plain decimal text, no separators, at the currency's precision, never a
float's noise such as ``0.054000000000000006``). An amount may be a float (the nearest
double of an exact amount), a ``Decimal``, or exact integer minor units
(:func:`format_minor`); a total beyond a float's 15-16 significant digits is written from
its ``Decimal`` or its minor units, so every digit is right. Charts format money in the
browser with plotly's d3 format :data:`HOVER_MONEY`.

Pure Python, so the fast quote (:mod:`pai_model.bills.quotes`) writes its line without
loading numpy or pandas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from numbers import Integral
from typing import Any

from pai_model.errors import InputError

#: Decimal places of money: the billing page's bills are to the cent.
MONEY_DECIMALS = 2
#: Decimal places of a unit price at most (a catalog's precision).
PRICE_DECIMALS = 6
#: Decimal places of a public-resource (DLC, DSW) bill by currency, as Alibaba's own
#: examples show them: DLC 0.6 USD/hour for 1.25 minutes is 0.0125 USD, 2.02 CNY/hour
#: for 1.25 minutes is 0.042 CNY (PAI DLC billing pages, en and zh). How the final bill
#: rounds such sub-cent lines is UNCONFIRMED, so this is a parameter
#: (:func:`bill_decimals`, ``--public-decimals``); node-spec bills stay at the cent.
PUBLIC_DECIMALS: Mapping[str, int] = {"USD": 4, "CNY": 3}
#: Places of a public-resource bill in a currency :data:`PUBLIC_DECIMALS` does not name.
PUBLIC_DECIMALS_OTHER = 4
#: plotly's (d3-format) spec of money in hover text and labels: ``47,865.40``.
HOVER_MONEY = ",.2f"
#: Names of money columns in the kit's tables [currency]: ``amount``, ``cost``,
#: ``plan_cost``, ``savings``, ``savings_p5``, ``regret``, ``discount``, ``difference``,
#: ``extra`` (``savings_percent`` is a share, not money).
MONEY_COLUMN = re.compile(
    r"(.*_)?(amount|cost|savings|regret|discount|difference|extra)(_p5|_median|_p95)?"
)
#: Names of unit price columns [currency per unit]: ``unit_price``,
#: ``subscription_price_per_month``, ``payg_price_per_hour``, ...
PRICE_COLUMN = re.compile(r"(.*_)?price(_per_(month|year|minute|hour))?")
#: Suffixes of the exact integer columns that carry money, and of the places of each
#: row's minor units (a public resource's bill: 4 places), not shown themselves.
EXACT_SUFFIXES = ("_minor", "_micros", "_decimals")


def format_money(amount: Any, decimals: int = MONEY_DECIMALS, *, grouping: bool = True) -> str:
    """An amount with ``decimals`` places: ``'47,865.40'`` for people, ``'47865.40'`` for files.

    Parameters
    ----------
    amount : float, Decimal or int
        The amount [currency]; a float is the nearest double of an exact amount (the
        engine's), a ``Decimal`` is written exactly. ``None`` and NaN give ``''``.
    decimals : int, default 2
        Decimal places written.
    grouping : bool, default True
        Thousands separators (text for people); False gives the plain decimal text of
        CSV and JSON.

    Examples
    --------
    >>> format_money(47865.4), format_money(0.73, 6), format_money(47865.4, grouping=False)
    ('47,865.40', '0.730000', '47865.40')
    >>> format_money(Decimal("12000000000000000000.01"))  # beyond a float: every digit
    '12,000,000,000,000,000,000.01'
    >>> format_money(float("nan")), format_money(None)
    ('', '')
    """
    if _missing(amount):
        return ""
    separator = "," if grouping else ""
    return f"{amount:{separator}.{decimals}f}"


def bill_decimals(resource_type: str, currency: str, public_decimals: int | None = None) -> int:
    """Decimal places of a bill: the cent, or a public resource's sub-cent places.

    Parameters
    ----------
    resource_type : {"general", "lingjun", "public"}
        The offer's resource type; only ``public`` (DLC, DSW) bills go below the cent.
    currency : str
        ISO code of the bill's currency, e.g. ``USD``.
    public_decimals : int, optional
        Places of a public-resource bill chosen by the user (2 to 6;
        ``--public-decimals``); ``None`` is the currency's default
        (:data:`PUBLIC_DECIMALS`). Checked whatever the resource type.

    Raises
    ------
    InputError
        When ``public_decimals`` is not a whole number from 2 to 6.

    Examples
    --------
    >>> bill_decimals("public", "USD"), bill_decimals("public", "CNY")
    (4, 3)
    >>> bill_decimals("lingjun", "USD"), bill_decimals("public", "USD", 2)
    (2, 2)
    """
    if public_decimals is not None and (
        isinstance(public_decimals, bool)
        or not isinstance(public_decimals, Integral)
        or not MONEY_DECIMALS <= public_decimals <= PRICE_DECIMALS
    ):
        raise InputError(
            "public_decimals",
            f"must be a whole number from {MONEY_DECIMALS} to {PRICE_DECIMALS};"
            f" got {public_decimals!r}",
        )
    if resource_type != "public":
        return MONEY_DECIMALS
    if public_decimals is not None:
        return int(public_decimals)
    return PUBLIC_DECIMALS.get(currency, PUBLIC_DECIMALS_OTHER)


def format_minor(
    units: Any, decimals: int = MONEY_DECIMALS, *, grouping: bool = True, places: int | None = None
) -> str:
    """Exact integer minor units (``10**-decimals`` each) as an amount, every digit exact.

    ``places`` writes at least that many decimal places and at most ``decimals``,
    dropping trailing zeros beyond it (micro-units of a bill: ``0.0125``, ``32.85``);
    by default all ``decimals`` are written.

    Examples
    --------
    >>> format_minor(4786540), format_minor(-5, grouping=False)
    ('47,865.40', '-0.05')
    >>> format_minor(12_500, 6, places=2), format_minor(32_850_000, 6, places=2)
    ('0.0125', '32.85')
    >>> format_minor(12 * 10**21 + 1)
    '120,000,000,000,000,000,000.01'
    """
    if _missing(units):
        return ""
    units = int(units)
    # built from text, the Decimal is exact at any size (arithmetic would round to 28 digits)
    amount = Decimal(f"{units}E-{decimals}")
    shown = decimals
    if places is not None:
        fraction = abs(units) % 10**decimals
        while shown > places and fraction % 10 == 0:
            fraction //= 10
            shown -= 1
    return format_money(amount, shown, grouping=grouping)


def format_price(price: Any, *, grouping: bool = True) -> str:
    """A unit price with at least 2 and at most 6 decimals, as typed in a catalog.

    Examples
    --------
    >>> format_price(78.94), format_price(23932.7), format_price(0.012345)
    ('78.94', '23,932.70', '0.012345')
    >>> format_price(3.24 / 60, grouping=False)  # 0.054000000000000006 as a float
    '0.054'
    """
    if _missing(price):
        return ""
    text = format_money(price, PRICE_DECIMALS, grouping=grouping).rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(MONEY_DECIMALS, '0')}"


def format_formula(
    quantity: Any,
    unit_price: Any,
    price_unit: str,
    duration: Any,
    duration_unit: str,
    amount: Any,
    currency: str,
    *,
    per: int = 1,
    decimals: int = MONEY_DECIMALS,
) -> str:
    """The billing page's formula written out for one bill line.

    ``per`` divides the product (60: an hourly price billed per minute); ``decimals`` are
    the places of the amount (a public resource's, :func:`bill_decimals`).

    >>> format_formula(2, 78.94, "USD/month", 1, "month", 157.88, "USD")
    '2 x 78.94 USD/month x 1 month = 157.88 USD'
    >>> format_formula(1, 0.6, "USD/hour", 1.25, "minute", Decimal("0.0125"), "USD", per=60,
    ...                decimals=4)
    '1 x 0.60 USD/hour x 1.25 minutes / 60 = 0.0125 USD'
    """
    plural = "" if duration == 1 else "s"
    shown = f"{duration:,.3f}".rstrip("0").rstrip(".")
    divided = f" / {per}" if per != 1 else ""
    return (
        f"{int(quantity)} x {format_price(unit_price)} {price_unit}"
        f" x {shown} {duration_unit}{plural}{divided} = {format_money(amount, decimals)}"
        f" {currency}"
    )


def money_table(
    table: Any, *, grouping: bool = True, exact: Mapping[str, tuple[Any, int]] | None = None
) -> Any:
    """A DataFrame with its money and price columns written as text, for people or files.

    Money columns (:data:`MONEY_COLUMN`) are written by :func:`format_money` to the cent,
    price columns (:data:`PRICE_COLUMN`) by :func:`format_price`; a money column ``X``
    beside exact cents ``X_minor`` is written from the cents (:func:`format_minor`; from
    units of ``10**-X_decimals`` where an ``X_decimals`` column gives each row's places:
    a public resource's ``0.0125``), and ``exact`` maps other columns to their exact
    minor units and decimals (a bill's micro-units, written with at least 2 places:
    ``0.0125``). The ``*_minor``, ``*_micros`` and ``*_decimals`` columns themselves are
    left out. Text columns are kept as they are.

    Parameters
    ----------
    table : pandas.DataFrame
    grouping : bool, default True
        Thousands separators (tables for people); False for CSV and JSON.
    exact : mapping, optional
        Column -> (integer minor units, one per row; their decimals).

    Examples
    --------
    >>> import pandas as pd
    >>> bill = pd.DataFrame({"spec": ["a"], "unit_price": [0.054000000000000006],
    ...                      "amount": [47865.4], "amount_minor": [4786540]})
    >>> money_table(bill, grouping=False).values.tolist()
    [['a', '0.054', '47865.40']]
    """
    shown = table.copy()
    exact = dict(exact or {})
    for column in table.columns:
        if f"{column}_minor" in table.columns:
            places = table.get(f"{column}_decimals", MONEY_DECIMALS)
            exact.setdefault(column, (table[f"{column}_minor"], places))
    for column in table.columns:
        if column in exact:
            units, decimals = exact[column]
            each = decimals.tolist() if hasattr(decimals, "tolist") else [decimals] * len(table)
            shown[column] = [
                format_minor(u, int(d), grouping=grouping, places=MONEY_DECIMALS)
                for u, d in zip(units, each, strict=True)
            ]
        elif not _numeric(table[column]):
            continue
        elif MONEY_COLUMN.fullmatch(column):
            shown[column] = [format_money(v, grouping=grouping) for v in table[column]]
        elif PRICE_COLUMN.fullmatch(column):
            shown[column] = [format_price(v, grouping=grouping) for v in table[column]]
    return shown[[c for c in shown.columns if not str(c).endswith(EXACT_SUFFIXES)]]


def _numeric(column: Any) -> bool:
    """Numbers (not booleans), or exact ``Decimal`` and ``int`` objects (past int64)."""
    kind = column.dtype.kind
    if kind in "iuf":
        return True
    if kind != "O":
        return False
    present = [v for v in column.tolist() if v is not None]
    return bool(present) and all(
        isinstance(v, (Decimal, Integral)) and not isinstance(v, bool) for v in present
    )


def _missing(value: Any) -> bool:
    """``None``, NaN or pandas' missing values (without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, float):  # numpy's float64 too: the common case, first
        return value != value
    if isinstance(value, (Decimal, Integral)):
        return isinstance(value, Decimal) and value.is_nan()
    try:
        return math.isnan(value)
    except TypeError:  # pandas.NA and NaT
        return type(value).__name__ in ("NAType", "NaTType")
