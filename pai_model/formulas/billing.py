"""Bill amounts of PAI computing nodes, exact to the cent.

The billing page ("Platform For AI: Billing of AI computing resources") gives one formula
for both billing methods::

    amount = unit price of the node spec x quantity x duration

with the duration in months for a subscription and in minutes for pay-as-you-go.

How the amount is made exact
----------------------------
Prices are read as whole micro-units (``10**-6``) and minutes as whole milli-minutes, so
the exact product is an integer ``P``. The bill in minor units (cents for ``decimals=2``)
is ``P / 10**e`` rounded once, with ``e = 6 + 3 - decimals`` for pay-as-you-go and
``6 - decimals`` for subscriptions. ``P`` can reach about ``5e25``, beyond int64, so it is
never formed: with ``a = price x quantity`` split as ``a = a1 * 10**e + a0``,
``P / 10**e = a1 * duration + (a0 * duration) / 10**e`` and each product fits in int64
within the documented bounds. The rounded minor units are then turned into the float64
nearest to the exact amount (see :func:`minor_units_to_float`).

Bounds (checked, :class:`~pai_model.errors.InputError` beyond them): unit prices up to
100,000 with at most 6 decimal places, quantities up to 100,000 whole nodes, subscriptions
up to 120 whole months, pay-as-you-go up to ten years of minutes (5,260,320 minutes) with
at most 3 decimal places, ``decimals`` from 0 to 6. Year terms
(:func:`year_subscription_cost`): a year price up to 1,200,000 (twelve times the month
bound, so the exact product is no larger than a month's) for up to 10 whole years.
Public resources priced per hour (:func:`hourly_payg_cost`): an hourly price up to
100,000 for minutes as above, billed as ``price x quantity x minutes / 60``: the
integer quotient by ``10**e`` is divided by 60 once more, keeping the remainder, so the
bill is still one exact rational rounded once. The bounds, their checks and their
messages live in :mod:`pai_model.formulas.exact`, beside :func:`exact_amount`: the same bill for
one order in Python's ``decimal``, without numpy, which equals this engine on every input
within the bounds and refuses the others in the same words (the fast quote uses it).

Discounts are percent off the price everywhere: :func:`discounted_price` takes
``percent_off`` (15 for 15 % off) and rounds the price half up to 6 decimals.
"""

# The overloads resolve in order: all scalars, then array-likes, then anything with a
# Series. Each is narrower than the next, so their overlaps are intended (as in numpy's stubs).
# mypy: disable-error-code="overload-overlap"
# pyright: reportOverlappingOverload=false

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

import numpy as np

from pai_model.errors import InputError
from pai_model.formulas._numeric import Kind, _first_bad, as_array, to_units
from pai_model.formulas.arguments import (
    MAX_DECIMALS,
    MAX_MINUTES,
    MAX_MONTHS,
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    MAX_YEAR_PRICE,
    MAX_YEARS,
    MINUTE_DECIMALS,
    PRICE_DECIMALS,
    ROUNDING_MODES,
)
from pai_model.formulas.engine import bill_amounts, minor_units_to_float, payg_bill_amounts
from pai_model.formulas.exact import exact_amount

if TYPE_CHECKING:
    import pandas as pd

    from pai_model.formulas._numeric import ArrayLike, Numeric, Scalar

__all__ = [
    "MAX_DECIMALS",
    "MAX_MINUTES",
    "MAX_MONTHS",
    "MAX_QUANTITY",
    "MAX_UNIT_PRICE",
    "MAX_YEARS",
    "MAX_YEAR_PRICE",
    "MINUTE_DECIMALS",
    "PERCENT_DECIMALS",
    "PRICE_DECIMALS",
    "ROUNDING_MODES",
    "bill_amounts",
    "discounted_price",
    "exact_amount",
    "hourly_payg_cost",
    "minor_units_to_float",
    "payg_bill_amounts",
    "payg_cost",
    "subscription_cost",
    "year_subscription_cost",
]

#: Decimal places of a percent off: 4 (12.3456 %), i.e. 6 places of a fraction.
PERCENT_DECIMALS = 4


@overload
def subscription_cost(
    unit_price: Scalar,
    quantity: Scalar,
    months: Scalar,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> float: ...
@overload
def subscription_cost(
    unit_price: Scalar | ArrayLike,
    quantity: Scalar | ArrayLike,
    months: Scalar | ArrayLike,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> np.ndarray: ...
@overload
def subscription_cost(
    unit_price: Numeric,
    quantity: Numeric,
    months: Numeric,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> pd.Series: ...
def subscription_cost(
    unit_price: Any,
    quantity: Any,
    months: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Compute the bill of a subscription: unit price x quantity x subscription duration.

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one month. [currency/month]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    months : numeric
        Subscription duration, a whole number of months. [month]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded (``half_up``: 0.005 -> 0.01; ``half_even``: to the even cent).

    Returns
    -------
    numeric
        Bill amount [currency]: a float for scalar arguments, a Series with the index of
        the first Series argument, an ndarray otherwise. The float64 is the one nearest to
        the exact rounded amount.

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    See Also
    --------
    payg_cost : The bill of pay-as-you-go use (price per minute).
    exact_amount : The same bill, one at a time, in Python's ``decimal``.
    discounted_price : A unit price after a percent off, ready to bill.

    Examples
    --------
    The general computing example of the billing page: two ``ecs.g7.xlarge-4c16g`` nodes
    in China (Shanghai) at 78.94 USD/month for one month.

    >>> subscription_cost(78.94, 2, 1)
    157.88
    >>> subscription_cost([23932.70, 78.94], 2, [1, 12])
    array([47865.4 ,  1894.56])
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, months, per_minute=False, decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, months).wrap(amounts, "subscription_cost")


@overload
def payg_cost(
    unit_price: Scalar,
    quantity: Scalar,
    minutes: Scalar,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> float: ...
@overload
def payg_cost(
    unit_price: Scalar | ArrayLike,
    quantity: Scalar | ArrayLike,
    minutes: Scalar | ArrayLike,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> np.ndarray: ...
@overload
def payg_cost(
    unit_price: Numeric,
    quantity: Numeric,
    minutes: Numeric,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> pd.Series: ...
def payg_cost(
    unit_price: Any,
    quantity: Any,
    minutes: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Compute the bill of pay-as-you-go use: unit price x quantity x usage duration.

    Fractional minutes are priced as used (the PAI DLC billing example prices 1 min 15 s
    as 1.25 minutes), up to 3 decimal places of a minute.

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one minute. [currency/minute]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    minutes : numeric
        Usage duration, at most 3 decimal places. [minute]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded.

    Returns
    -------
    numeric
        Bill amount [currency], in the kind of the arguments (see
        :func:`subscription_cost`).

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    See Also
    --------
    subscription_cost : The bill of a subscription (price per month).
    exact_amount : The same bill, one at a time, in Python's ``decimal``.
    discounted_price : A unit price after a percent off, ready to bill.

    Examples
    --------
    The Lingjun pay-as-you-go example of the billing page: one ``ml.gu7xf.8xlarge-gu108``
    node in China (Ulanqab) at 0.73 USD/minute for 45 minutes.

    >>> payg_cost(0.73, 1, 45)
    32.85

    The PAI DLC example: 0.6 USD/hour is 0.01 USD/minute, for 1 min 15 s.

    >>> payg_cost(0.01, 1, 1.25, decimals=None)
    0.0125
    >>> payg_cost(1.005, 1, 1), payg_cost(1.005, 1, 1, rounding="half_even")
    (1.01, 1.0)
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, minutes, per_minute=True, decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, minutes).wrap(amounts, "payg_cost")


@overload
def year_subscription_cost(
    unit_price: Scalar,
    quantity: Scalar,
    years: Scalar,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> float: ...
@overload
def year_subscription_cost(
    unit_price: Scalar | ArrayLike,
    quantity: Scalar | ArrayLike,
    years: Scalar | ArrayLike,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> np.ndarray: ...
@overload
def year_subscription_cost(
    unit_price: Numeric,
    quantity: Numeric,
    years: Numeric,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> pd.Series: ...
def year_subscription_cost(
    unit_price: Any,
    quantity: Any,
    years: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Compute the bill of a year-term subscription: year price x quantity x years.

    The subscription formula of the billing page with the term's own price: Alibaba's
    price API quotes a term in months or years (``ServicePeriodUnit`` Month or Year), and
    a year's price is its own catalog price (``subscription_price_per_year``), never
    twelve month prices (the year-term discount is not documented).

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one year, at most 1,200,000. [currency/year]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    years : numeric
        Subscription duration, a whole number of years from 0 to 10. [year]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded.

    Returns
    -------
    numeric
        Bill amount [currency], in the kind of the arguments (see
        :func:`subscription_cost`).

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    See Also
    --------
    subscription_cost : The bill of a subscription by the month.
    exact_amount : The same bill in Python's ``decimal`` (``price_unit="year"``).

    Examples
    --------
    Two nodes at an (illustrative) 250,000.50 a year for 3 years: 250,000.50 x 2 x 3 =
    1,500,003.00.

    >>> year_subscription_cost(250000.50, 2, 3)
    1500003.0
    >>> year_subscription_cost([800.10, 1200.05], 1, [1, 2])
    array([ 800.1, 2400.1])
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, years, price_unit="year", decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, years).wrap(amounts, "year_subscription_cost")


@overload
def hourly_payg_cost(
    unit_price: Scalar,
    quantity: Scalar,
    minutes: Scalar,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> float: ...
@overload
def hourly_payg_cost(
    unit_price: Scalar | ArrayLike,
    quantity: Scalar | ArrayLike,
    minutes: Scalar | ArrayLike,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> np.ndarray: ...
@overload
def hourly_payg_cost(
    unit_price: Numeric,
    quantity: Numeric,
    minutes: Numeric,
    *,
    decimals: int | None = ...,
    rounding: str = ...,
) -> pd.Series: ...
def hourly_payg_cost(
    unit_price: Any,
    quantity: Any,
    minutes: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    r"""Compute the bill of public-resource use: hourly price / 60 x quantity x minutes.

    DLC and DSW public resources are priced per hour and billed per minute, fractional
    minutes priced as used [1]_. The bill is one exact rational rounded once; the
    per-minute price (2.02 / 60 = 0.0336...) is never rounded on its own.

    .. math::

        \text{amount} = \operatorname{round}\left(\frac{p \times q \times m}{60},
        \ \text{decimals}\right)

    Parameters
    ----------
    unit_price : numeric
        Price of one node for one hour. [currency/hour]
    quantity : numeric
        Number of nodes, a whole number. [nodes]
    minutes : numeric
        Usage duration, at most 3 decimal places. [minute]
    decimals : int or None, default 2
        Decimal places of the bill (2: cents). ``None`` returns the unrounded amount.
    rounding : {"half_up", "half_even"}, default "half_up"
        How a tie is rounded.

    Returns
    -------
    numeric
        Bill amount [currency], in the kind of the arguments (see
        :func:`subscription_cost`).

    Raises
    ------
    InputError
        For a non-finite, negative, out-of-bound or too precise argument (named).

    See Also
    --------
    payg_cost : The bill of Lingjun pay-as-you-go use (price per minute).
    exact_amount : The same bill in Python's ``decimal`` (``price_unit="hour"``).

    References
    ----------
    .. [1] Alibaba Cloud, "PAI DLC billing": public resources cost nodes x (hourly price /
       60) x minutes; ecs.g6.2xlarge in Shanghai for 1 min 15 s is 1 x 0.6/60 x 1.25 =
       0.0125 USD.

    Examples
    --------
    The DLC example [1]_, and 2.02 CNY/hour (its China-site price) for the same time:
    2.02 x 1.25 / 60 = 0.0420833..., 0.04 to the cent.

    >>> hourly_payg_cost(0.6, 1, 1.25, decimals=4)
    0.0125
    >>> hourly_payg_cost(2.02, 1, [1.25, 60])
    array([0.04, 2.02])
    """
    amounts, _ = bill_amounts(
        unit_price, quantity, minutes, price_unit="hour", decimals=decimals, rounding=rounding
    )
    return Kind(unit_price, quantity, minutes).wrap(amounts, "hourly_payg_cost")


@overload
def discounted_price(unit_price: Scalar, percent_off: Scalar) -> float: ...
@overload
def discounted_price(
    unit_price: Scalar | ArrayLike, percent_off: Scalar | ArrayLike
) -> np.ndarray: ...
@overload
def discounted_price(unit_price: Numeric, percent_off: Numeric) -> pd.Series: ...
def discounted_price(unit_price: Any, percent_off: Any = None, *, discount: Any = None) -> Any:
    r"""Compute a unit price after a percent off, rounded half up to 6 decimal places.

    Negotiated rates and spot prices are stated as a percent off the list price; the
    discounted price is rounded once to the catalog's precision so the billing formulas
    can price it exactly.

    .. math::

        p' = \operatorname{round}_6 \left( p \times \frac{100 - \text{percent off}}{100} \right)

    Parameters
    ----------
    unit_price : numeric
        List price of one node, at most 1,200,000 (a year price's bound).
        [currency/month], [currency/year], [currency/minute] or [currency/hour]
    percent_off : numeric
        Percent taken off the price, from 0 to below 100, at most 4 decimal places
        (15: 15 % off, the price times 0.85). [%]

    Returns
    -------
    numeric
        Discounted unit price, in the unit of ``unit_price`` and the kind of the
        arguments (see :func:`subscription_cost`).

    Raises
    ------
    InputError
        For a bad price or percent (named), and for ``discount=``, the old spelling (a
        fraction off): give ``percent_off`` instead.

    See Also
    --------
    subscription_cost : Bill a subscription at the discounted price.
    payg_cost : Bill pay-as-you-go use at the discounted price.
    exact_amount : A bill in Python's ``decimal``.

    Examples
    --------
    0.73 at 15 % off is 0.73 x 0.85 = 0.6205; 23,932.70 at 12.5 % off is 23,932.70 x 0.875
    = 20,941.1125; 0.0001 at 50 % off is 0.00005 exactly; 0.000005 at 50 % off is
    0.0000025, which rounds half up to 0.000003.

    >>> discounted_price(0.73, 15), discounted_price(23932.70, 12.5)
    (0.6205, 20941.1125)
    >>> discounted_price([0.0001, 0.000005], 50)
    array([5.e-05, 3.e-06])
    """
    if discount is not None:
        raise InputError(
            "discount",
            "discounted_price takes percent_off, the percent taken off the price"
            f" (percent_off=15 for 15 % off), not a fraction; got discount={discount!r}",
        )
    if percent_off is None:
        raise InputError("percent_off", "missing: give the percent taken off the price")
    kind = Kind(unit_price, percent_off)
    # up to a year price's bound; each bill then checks the bound of its own unit
    price = to_units(
        as_array(unit_price, "unit_price"), "unit_price", PRICE_DECIMALS, MAX_YEAR_PRICE
    )
    percent = as_array(percent_off, "percent_off")
    off = to_units(percent, "percent_off", PERCENT_DECIMALS, 100)
    whole = 100 * 10**PERCENT_DECIMALS
    if (off >= whole).any():
        raise InputError(
            "percent_off",
            f"must be below 100 (100 % off is no price); got {_first_bad(off >= whole, percent)}",
        )
    # units of 10**-4 percent are millionths of the price, as prices are micro-units
    scale = 10**PRICE_DECIMALS
    micro = (price * (scale - off) + scale // 2) // scale  # <= 1.2e12 x 1e6: fits in int64
    return kind.wrap(np.asarray(micro / float(scale)), "discounted_price")
