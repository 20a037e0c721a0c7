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
at most 3 decimal places, ``decimals`` from 0 to 6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._numeric import Kind, as_array, to_units, to_whole
from .errors import InputError

PRICE_DECIMALS = 6
MINUTE_DECIMALS = 3
MAX_UNIT_PRICE = 100_000
MAX_QUANTITY = 100_000
MAX_MONTHS = 120
#: Ten years of minutes: 3,653 days (ten years with three leap days) x 1,440.
MAX_MINUTES = 5_260_320
MAX_DECIMALS = 6
ROUNDING_MODES = ("half_up", "half_even")

_INT64_MAX = np.iinfo(np.int64).max
_EXACT_FLOAT_INTS = 2**53


def subscription_cost(
    unit_price: Any,
    quantity: Any,
    months: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Bill amount of a subscription: unit price x quantity x subscription duration.

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

    Examples
    --------
    The general computing example of the billing page: two ``ecs.g7.xlarge-4c16g`` nodes
    in China (Shanghai) at 78.94 USD/month for one month.

    >>> subscription_cost(78.94, 2, 1)
    157.88
    >>> subscription_cost([23932.70, 78.94], 2, [1, 12])
    array([47865.4 ,  1894.56])
    """
    kind = Kind(unit_price, quantity, months)
    units = _amount_units(
        to_units(as_array(unit_price, "unit_price"), "unit_price", PRICE_DECIMALS, MAX_UNIT_PRICE),
        to_whole(as_array(quantity, "quantity"), "quantity", MAX_QUANTITY),
        to_whole(as_array(months, "months"), "months", MAX_MONTHS),
        PRICE_DECIMALS,
        decimals,
        rounding,
    )
    return kind.wrap(units, "subscription_cost")


def payg_cost(
    unit_price: Any,
    quantity: Any,
    minutes: Any,
    *,
    decimals: int | None = 2,
    rounding: str = "half_up",
) -> Any:
    """Bill amount of pay-as-you-go use: unit price x quantity x usage duration.

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
    kind = Kind(unit_price, quantity, minutes)
    units = _amount_units(
        to_units(as_array(unit_price, "unit_price"), "unit_price", PRICE_DECIMALS, MAX_UNIT_PRICE),
        to_whole(as_array(quantity, "quantity"), "quantity", MAX_QUANTITY),
        to_units(as_array(minutes, "minutes"), "minutes", MINUTE_DECIMALS, MAX_MINUTES),
        PRICE_DECIMALS + MINUTE_DECIMALS,
        decimals,
        rounding,
    )
    return kind.wrap(units, "payg_cost")


def _check_options(decimals: int | None, rounding: str) -> None:
    if rounding not in ROUNDING_MODES:
        raise InputError(
            "rounding", f"must be one of {', '.join(ROUNDING_MODES)}; got {rounding!r}"
        )
    if decimals is not None and (
        isinstance(decimals, bool)
        or not isinstance(decimals, (int, np.integer))
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise InputError(
            "decimals", f"must be None or a whole number from 0 to {MAX_DECIMALS}; got {decimals!r}"
        )


def _amount_units(
    price_units: np.ndarray,
    quantity: np.ndarray,
    duration_units: np.ndarray,
    scale: int,
    decimals: int | None,
    rounding: str,
) -> np.ndarray:
    """Rounded bill in float64 (see the module docstring for the method)."""
    _check_options(decimals, rounding)
    if decimals is None:
        whole, rest = _divmod_product(price_units, quantity, duration_units, 10**scale)
        return whole + rest / float(10**scale)
    minor = bill_minor_units(price_units, quantity, duration_units, scale, decimals, rounding)
    return minor_units_to_float(minor, decimals)


def bill_minor_units(
    price_units: np.ndarray,
    quantity: np.ndarray,
    duration_units: np.ndarray,
    scale: int,
    decimals: int,
    rounding: str = "half_up",
) -> np.ndarray:
    """Exact bill in minor units (``10**-decimals``) as int64, rounded once.

    ``price_units x quantity x duration_units`` is the exact amount in units of
    ``10**-scale``. Inputs are int64 arrays already checked against the bounds.
    """
    exponent = scale - decimals
    divisor = 10**exponent
    whole, rest = _divmod_product(price_units, quantity, duration_units, divisor)
    twice = rest * 2
    if rounding == "half_up":
        whole += twice >= divisor
    else:
        whole += (twice > divisor) | ((twice == divisor) & (whole % 2 == 1))
    return whole


def _divmod_product(
    price_units: np.ndarray, quantity: np.ndarray, duration_units: np.ndarray, divisor: int
) -> tuple[np.ndarray, np.ndarray]:
    """Quotient and remainder of ``price x quantity x duration`` by ``divisor``, exactly."""
    per_unit = np.multiply(price_units, quantity)  # <= 1e11 x 1e5: fits in int64
    high, low = np.divmod(per_unit, divisor)
    _check_overflow(high, duration_units, divisor)
    low = low * duration_units  # < 1e9 x 5.3e9: fits
    whole = high * duration_units
    extra, rest = np.divmod(low, divisor)
    whole += extra
    return whole, rest


_MAX_PER_UNIT = MAX_UNIT_PRICE * 10**PRICE_DECIMALS * MAX_QUANTITY
_MAX_DURATION_UNITS = MAX_MINUTES * 10**MINUTE_DECIMALS


def _check_overflow(high: np.ndarray, duration_units: np.ndarray, divisor: int) -> None:
    """Refuse products that would leave int64 (reachable only with decimals above 2)."""
    if (_MAX_PER_UNIT // divisor) * _MAX_DURATION_UNITS < _INT64_MAX:
        return  # cannot overflow within the argument bounds
    largest = float(np.max(high, initial=0)) * float(np.max(duration_units, initial=0))
    if largest >= _INT64_MAX / 2:
        raise InputError(
            "decimals",
            "the amount is too large to be held exactly in minor units with this many"
            " decimal places; use fewer decimals or smaller orders",
        )


def minor_units_to_float(minor: np.ndarray, decimals: int) -> np.ndarray:
    """The float64 nearest to ``minor / 10**decimals``, for int64 ``minor`` >= 0.

    Below ``2**53`` both operands are exact doubles and IEEE division rounds once.
    Above, dividing by ``5**decimals`` is done in integers on a value shifted left to
    at least 56 significant bits, with a sticky bit for any remainder, so the single
    int64-to-float64 conversion rounds exactly as the real quotient would; the power
    of two ``2**decimals`` is applied exactly by ``ldexp``.
    """
    minor = np.asarray(minor, dtype=np.int64)
    if decimals == 0:
        return minor.astype(np.float64)
    result = np.asarray(minor / float(10**decimals))
    large = minor >= _EXACT_FLOAT_INTS
    if large.any():
        exact = _nearest_quotient(np.where(large, minor, _EXACT_FLOAT_INTS), decimals)
        result = np.where(large, exact, result)
    return result


def _nearest_quotient(minor: np.ndarray, decimals: int) -> np.ndarray:
    five = 5**decimals
    whole, rest = np.divmod(minor, five)
    bits = np.frexp(whole.astype(np.float64))[1]  # bit length, perhaps one too many
    shift = np.maximum(0, 57 - bits).astype(np.int64)
    shifted_rest = rest << shift
    scaled = (whole << shift) + shifted_rest // five
    sticky = (shifted_rest % five != 0).astype(np.int64)
    doubled = scaled * 2 + sticky
    return np.ldexp(doubled.astype(np.float64), -(shift + 1 + decimals))
